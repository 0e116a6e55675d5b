"""Properties that must hold for every input, checked with hypothesis."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jixiao import RuleSet, ValueKind, excel_round, parse_value, score_indicator

_FORM_ALPHABET = "0123456789.,%％≥≤≧≦<>=＝═-—_/ 次人个万元名之前以上以内不低于超过及有所提升无"
form_text = st.text(alphabet=_FORM_ALPHABET, max_size=16)
weights = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
amounts = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
rule_sets = st.sampled_from(
    [RuleSet(), RuleSet(reverse="linear"), RuleSet(decimals=1), RuleSet(decimals=0), RuleSet(equal="exact")]
)


@settings(max_examples=400)
@given(st.one_of(st.text(max_size=40), form_text))
def test_parse_value_never_crashes_and_flags_what_it_cannot_read(text):
    value = parse_value(text)
    assert isinstance(value.kind, ValueKind)
    assert isinstance(value.display, str)
    if value.kind is ValueKind.UNREADABLE:
        assert value.note


@settings(max_examples=300)
@given(form_text, form_text, weights, rule_sets)
def test_points_stay_within_zero_and_weight(target, actual, weight, rules):
    score = score_indicator(target, actual, weight, rules=rules)
    top = excel_round(weight, rules.decimals)
    if score.points is not None:
        assert 0 <= score.points <= top
    if score.scorable:
        assert score.low is not None and score.high is not None
        assert 0 <= score.low <= score.high <= top
    else:
        assert score.points is None and score.reason


@settings(max_examples=300)
@given(
    st.sampled_from(["≥{}%", "{}%", "不低于{}%", "={}个", "{}人", "{}及以上"]),
    st.floats(min_value=0.01, max_value=1000, allow_nan=False),
    amounts,
    amounts,
    weights,
)
def test_at_least_points_never_fall_when_the_actual_rises(template, target, low, high, weight):
    assume(low <= high)
    unit = "%" if "%" in template else ("个" if "个" in template else ("人" if "人" in template else ""))
    target_text = template.format(f"{target:.4f}")
    lower = score_indicator(target_text, f"{low:.4f}{unit}", weight)
    higher = score_indicator(target_text, f"{high:.4f}{unit}", weight)
    assert lower.points is not None and higher.points is not None
    assert lower.points <= higher.points


@settings(max_examples=300)
@given(
    st.floats(min_value=0.01, max_value=1000), amounts, amounts, weights, st.sampled_from(["ratio", "linear"])
)
def test_at_most_points_never_rise_when_the_actual_rises(target, low, high, weight, reverse):
    assume(low <= high)
    rules = RuleSet(reverse=reverse)
    lower = score_indicator(f"≤{target:.4f}%", f"{low:.4f}%", weight, rules=rules)
    higher = score_indicator(f"≤{target:.4f}%", f"{high:.4f}%", weight, rules=rules)
    assert lower.points is not None and higher.points is not None
    assert higher.points <= lower.points


def _half_away_from_zero(shown: str, digits: int) -> float:
    """An oracle independent of Decimal: exact rational arithmetic on the 15-digit string."""
    exact = Fraction(shown)
    scale = Fraction(10) ** digits
    scaled = abs(exact) * scale
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    result = Fraction(whole) / scale
    return float(-result if exact < 0 else result)


@settings(max_examples=1000)
@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=6),
)
def test_excel_round_is_half_away_from_zero_on_15_significant_digits(x, digits):
    assert excel_round(x, digits) == _half_away_from_zero(f"{x:.15g}", digits)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=4))
def test_excel_round_halves_go_up(k, digits):
    # k.5 at the rounding digit always rounds away from zero, unlike Python's round.
    x = float(f"{k}5e-{digits + 1}")
    assert excel_round(x, digits) == _half_away_from_zero(f"{x:.15g}", digits)
    assert excel_round(-x, digits) == -excel_round(x, digits)


def test_excel_round_known_disagreements_with_python_round():
    assert excel_round(5.625, 2) == 5.63 and round(5.625, 2) == 5.62
    assert excel_round(0.375, 2) == 0.38
    assert excel_round(2.675, 2) == 2.68 and round(2.675, 2) == 2.67
    assert excel_round(-2.5, 0) == -3.0
    assert excel_round(1234.5, -1) == 1230.0
    assert excel_round(1235, -1) == 1240.0
