"""jixiao (绩效): budget-performance forms — scoring core, template generator, Excel functions, checker."""

from jixiao.core.grading import grade
from jixiao.core.rollup import roll_up, roll_up_scores, weighted_average
from jixiao.core.rounding import excel_round
from jixiao.core.rules import DEFAULT_RULES, RuleSet
from jixiao.core.scoring import Score, ScoreKind, execution_rate, execution_score, score_indicator
from jixiao.core.values import Comparator, Value, ValueKind, parse_value

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_RULES",
    "Comparator",
    "RuleSet",
    "Score",
    "ScoreKind",
    "Value",
    "ValueKind",
    "__version__",
    "excel_round",
    "execution_rate",
    "execution_score",
    "grade",
    "parse_value",
    "roll_up",
    "roll_up_scores",
    "score_indicator",
    "weighted_average",
]
