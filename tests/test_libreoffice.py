"""The headless LibreOffice harness: recalculation with inputs, names, errors, export, robustness.

Workbooks are built with openpyxl, which writes formulas without cached values, so every expected
number below can only come from LibreOffice actually calculating. Expected values are worked by hand.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import statistics
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from jixiao.libreoffice import PDF_FILTER, Calc, WorkbookError

openpyxl = pytest.importorskip("openpyxl")
from openpyxl.workbook.defined_name import DefinedName  # noqa: E402

pytestmark = pytest.mark.libreoffice


def build_form(path: Path) -> Path:
    """A small scoring form.

    评分 (sheet 0)
      A1 实际值, B1 系数, C1 目标值 (inputs)   D1 =ROUND(A1*B1/C1,2)      E1 =ROUND(5.625,2)
      A2 完成率 (input)                        B2 =IF(A2>=90,"优","良")   C2 =ISTEXT(A2)  D2 =LEN(A2)
      A3:A6 1.5, 2.25, 3, 4                    A7 =SUM(A3:A6)
      E2 =A1/C1                                 (#DIV/0! when C1 is 0 or empty)
    明细 (sheet 1)
      A1:A3 10, 20, 30.5                        B1 =SUM(A1:A3)*权重
    Names: 总分 → 评分!$D$1 (workbook), 权重 = 0.6 (workbook constant), 小计 → 明细!$B$1 (明细 only).
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分"
    ws["A1"], ws["B1"], ws["C1"] = 10, 1, 4
    ws["D1"] = "=ROUND(A1*B1/C1,2)"
    ws["E1"] = "=ROUND(5.625,2)"
    ws["A2"] = 95
    ws["B2"] = '=IF(A2>=90,"优","良")'
    ws["C2"] = "=ISTEXT(A2)"
    ws["D2"] = "=LEN(A2)"
    for row, value in zip(range(3, 7), (1.5, 2.25, 3, 4), strict=True):
        ws.cell(row=row, column=1, value=value)
    ws["A7"] = "=SUM(A3:A6)"
    ws["E2"] = "=A1/C1"
    detail = wb.create_sheet("明细")
    detail["A1"], detail["A2"], detail["A3"] = 10, 20, 30.5
    detail["B1"] = "=SUM(A1:A3)*权重"
    wb.defined_names["总分"] = DefinedName("总分", attr_text="'评分'!$D$1")
    wb.defined_names["权重"] = DefinedName("权重", attr_text="0.6")
    detail.defined_names["小计"] = DefinedName("小计", attr_text="'明细'!$B$1")
    wb.save(path)
    return path


@pytest.fixture
def form(tmp_path: Path) -> Path:
    return build_form(tmp_path / "form.xlsx")


@pytest.fixture
def fresh_calc(calc: Calc) -> Iterator[Calc]:
    """A private Calc for tests that kill or freeze soffice (``calc`` already checked availability)."""
    with Calc() as instance:
        yield instance


def test_profile_forces_recalc_on_load(calc: Calc) -> None:
    assert calc.info["ooxml_recalc_mode"] == 0
    assert str(calc.info["version"]).split(".")[0].isdigit()


def test_formulas_with_inputs(calc: Calc, form: Path) -> None:
    out = calc.recalc(
        form,
        # 10 * 1.125 / 2 = 5.625 exactly in binary; ROUND half away from zero → 5.63.
        inputs={"评分!A1": 10, "评分!B1": 1.125, "评分!C1": 2, "评分!A2": 89.5},
        read=["评分!D1", "评分!B2", "评分!A7", "评分!E1", "评分!E2"],
    )
    assert out == {
        "评分!D1": 5.63,
        "评分!B2": "良",  # 89.5 < 90
        "评分!A7": 10.75,  # 1.5 + 2.25 + 3 + 4
        "评分!E1": 5.63,
        "评分!E2": 5.0,  # 10 / 2
    }


def test_round_half_away_from_zero_unlike_python(calc: Calc, form: Path) -> None:
    assert round(5.625, 2) == 5.62  # banker's rounding on the binary value — why we need LibreOffice
    assert calc.recalc(form, read=["评分!E1"])["评分!E1"] == 5.63


def test_defaults_without_inputs(calc: Calc, form: Path) -> None:
    out = calc.recalc(form, read=["评分!D1", "评分!B2", "'评分'!A1"])
    # 10 * 1 / 4 = 2.5; 95 >= 90 → 优; a quoted sheet name works too.
    assert out == {"评分!D1": 2.5, "评分!B2": "优", "'评分'!A1": 10.0}


def test_string_inputs_stay_text(calc: Calc, form: Path) -> None:
    out = calc.recalc(
        form,
        inputs={"评分!A2": "≥95%", "评分!A3": "=1+1"},
        read=["评分!A2", "评分!C2", "评分!D2", "评分!A3", "评分!A7"],
    )
    assert out["评分!A2"] == "≥95%"
    assert out["评分!C2"] == 1.0  # ISTEXT → TRUE, which comes back as 1.0
    assert out["评分!D2"] == 4.0  # LEN("≥95%")
    assert out["评分!A3"] == "=1+1"  # stored as text, not evaluated
    assert out["评分!A7"] == 9.25  # SUM skips the text: 2.25 + 3 + 4


def test_none_clears_cell(calc: Calc, form: Path) -> None:
    out = calc.recalc(form, inputs={"评分!C1": None}, read=["评分!C1", "评分!E2"])
    assert out == {"评分!C1": None, "评分!E2": "#DIV/0!"}  # empty counts as 0


def test_div_by_zero(calc: Calc, form: Path) -> None:
    assert calc.recalc(form, inputs={"评分!C1": 0}, read=["评分!E2"]) == {"评分!E2": "#DIV/0!"}


def test_range_read_gives_rows(calc: Calc, form: Path) -> None:
    out = calc.recalc(form, inputs={"评分!A5": None}, read=["评分!A3:B5"])
    assert out["评分!A3:B5"] == [[1.5, None], [2.25, None], [None, None]]


def test_range_input(calc: Calc, form: Path) -> None:
    out = calc.recalc(form, inputs={"评分!A3:A6": [[1], [2], [3], [4.5]]}, read=["评分!A7"])
    assert out == {"评分!A7": 10.5}


def test_defined_names(calc: Calc, form: Path) -> None:
    out = calc.recalc(
        form,
        inputs={"明细!A3": 70, "总分": None},  # a name can be an input target as well
        read=["总分", "权重", "小计", "明细!小计", "明细!A1:A3"],
    )
    assert out["总分"] is None
    assert out["权重"] == 0.6  # a constant name, evaluated in a scratch cell
    # (10 + 20 + 70) * 0.6 = 60; unqualified 小计 falls back to the one sheet defining it.
    assert out["小计"] == pytest.approx(60.0, abs=1e-12)
    assert out["明细!小计"] == out["小计"]
    assert out["明细!A1:A3"] == [[10.0], [20.0], [70.0]]


def test_workbook_name_with_inputs(calc: Calc, form: Path) -> None:
    out = calc.recalc(form, inputs={"评分!A1": 7, "评分!B1": 3, "评分!C1": 9}, read=["总分"])
    assert out == {"总分": 2.33}  # 21 / 9 = 2.333… → 2.33


def test_unknown_function_gives_name_error_without_hanging(calc: Calc, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "=FOO(1)"
    ws["A2"] = "=SUM(A1,1)"
    ws["A3"] = "=SQRT(-1)"
    wb.save(tmp_path / "foo.xlsx")
    t0 = time.monotonic()
    out = calc.recalc(tmp_path / "foo.xlsx", read=["Sheet!A1", "Sheet!A2", "Sheet!A3"], timeout=30)
    assert time.monotonic() - t0 < 30
    # The error spreads through SUM. LibreOffice's Err:502 for SQRT(-1) is what its own .xlsx export
    # writes: #VALUE! (Excel would show #NUM!).
    assert out == {"Sheet!A1": "#NAME?", "Sheet!A2": "#NAME?", "Sheet!A3": "#VALUE!"}


def test_stale_cached_values_are_recomputed(calc: Calc, form: Path, tmp_path: Path) -> None:
    saved = calc.save_as_xlsx(form, tmp_path / "saved.xlsx", inputs={"评分!A1": 20})
    # LibreOffice wrote cached values (D1 = 20 * 1 / 4 = 5); plant a wrong one, as another tool might.
    tampered = tmp_path / "tampered.xlsx"
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(tampered, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'(<c r="D1"[^>]*>.*?<v>)[^<]*(</v>)', rb"\g<1>999\g<2>", data)
                assert n == 1
            dst.writestr(item, data)
    cached = openpyxl.load_workbook(tampered, data_only=True)["评分"]["D1"].value
    assert cached == 999
    assert calc.recalc(tampered, read=["评分!D1"]) == {"评分!D1": 5.0}


def test_save_as_xlsx_has_cached_values(calc: Calc, form: Path, tmp_path: Path) -> None:
    out = calc.save_as_xlsx(form, tmp_path / "out" / "filled.xlsx", inputs={"评分!A1": 30, "评分!C1": 8})
    ws = openpyxl.load_workbook(out, data_only=True)["评分"]
    assert ws["D1"].value == 3.75  # 30 * 1 / 8
    assert ws["B2"].value == "优"
    assert "__jixiao_eval__" not in openpyxl.load_workbook(out).sheetnames
    assert form.stat().st_size > 0 and not (form.parent / f".~lock.{form.name}#").exists()


def test_convert_to_pdf(calc: Calc, form: Path, tmp_path: Path) -> None:
    pdf = calc.convert(form, tmp_path / "form.pdf", PDF_FILTER, inputs={"评分!A1": 12})
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_request_errors_do_not_break_the_session(calc: Calc, form: Path, tmp_path: Path) -> None:
    launches = calc.launches
    with pytest.raises(WorkbookError, match="工作表不存在"):
        calc.recalc(form, read=["没有这张表!A1"])
    with pytest.raises(WorkbookError, match="名称不存在"):
        calc.recalc(form, read=["没有这个名称"])
    with pytest.raises(FileNotFoundError):
        calc.recalc(tmp_path / "missing.xlsx")
    not_a_workbook = tmp_path / "junk.xlsx"
    not_a_workbook.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(WorkbookError):
        calc.recalc(not_a_workbook, read=["Sheet!A1"])
    assert calc.recalc(form, read=["评分!A7"]) == {"评分!A7": 10.75}
    assert calc.launches == launches  # none of that needed a restart


def test_many_workbooks_with_one_calc(calc: Calc, tmp_path: Path) -> None:
    paths = []
    for i in range(20):
        wb = openpyxl.Workbook()
        ws = wb.active
        for r in range(1, 61):  # a 60-row form, like a real indicator table
            ws.cell(row=r, column=1, value=r + i)
            ws.cell(row=r, column=2, value=f"=ROUND(A{r}*3/4,2)")
            ws.cell(row=r, column=3, value=f'=IF(B{r}>=20,"达标","未达标")')
        ws["D1"] = "=SUM(B1:B60)"
        wb.save(tmp_path / f"wb{i}.xlsx")
        paths.append(tmp_path / f"wb{i}.xlsx")
    times = []
    for i, path in enumerate(paths):
        t0 = time.perf_counter()
        out = calc.recalc(path, inputs={"Sheet!A1": 100}, read=["Sheet!D1", "Sheet!C1:C2"])
        times.append(time.perf_counter() - t0)
        # B1 = 100 * 3 / 4 = 75; rows 2..60 hold (r + i) * 0.75, multiples of 0.25 that ROUND keeps;
        # sum over r = 2..60 of (r + i) = (1 + … + 60) - 1 + 59 i = 1829 + 59 i.
        assert out["Sheet!D1"] == 75 + (1829 + 59 * i) * 0.75
        # B2 = (2 + i) * 0.75 < 20 for every i here.
        assert out["Sheet!C1:C2"] == [["达标"], ["未达标"]]
    print(
        f"\nLibreOffice start-up {calc.info['startup_seconds']:.2f} s; "
        f"{len(paths)} workbooks, mean {statistics.mean(times):.3f} s per workbook "
        f"(min {min(times):.3f}, max {max(times):.3f})"
    )


def _osl_sockets(calc: Calc) -> list[Path]:
    """The two socket files soffice creates in /tmp: the --accept pipe and the single-instance pipe."""
    assert calc._pipe is not None and calc._profile is not None
    digest = hashlib.md5(calc._profile.as_uri().encode("utf-16-le")).digest()
    ipc = "SingleOfficeIPC_" + "".join(format(b, "x") for b in digest)
    return [Path(f"/tmp/OSL_PIPE_{os.getuid()}_{name}") for name in (calc._pipe, ipc)]


def test_recovers_when_soffice_dies(fresh_calc: Calc, form: Path) -> None:
    assert fresh_calc.recalc(form, read=["评分!A7"]) == {"评分!A7": 10.75}
    pid = fresh_calc.soffice_pid
    assert pid is not None
    sockets = _osl_sockets(fresh_calc)
    assert all(p.exists() for p in sockets)
    os.killpg(pid, signal.SIGKILL)  # soffice.bin crashes (the whole group we started)
    assert fresh_calc.recalc(form, read=["评分!A7"]) == {"评分!A7": 10.75}
    assert fresh_calc.launches == 2
    assert not any(p.exists() for p in sockets)  # the dead instance's sockets were removed


def test_recovers_when_soffice_hangs(fresh_calc: Calc, form: Path) -> None:
    fresh_calc.recalc(form, read=["评分!A7"])
    pid = fresh_calc.soffice_pid
    assert pid is not None
    os.killpg(pid, signal.SIGSTOP)  # frozen, like a modal dialog in a headless instance
    t0 = time.monotonic()
    assert fresh_calc.recalc(form, read=["评分!A7"], timeout=3) == {"评分!A7": 10.75}
    assert time.monotonic() - t0 < 30
    assert fresh_calc.launches == 2


def test_close_removes_processes_and_profile(form: Path, calc: Calc) -> None:
    instance = Calc()
    instance.start()
    pid = instance.soffice_pid
    tmp = instance._tmp
    sockets = _osl_sockets(instance)
    assert pid is not None and tmp is not None and tmp.exists() and all(p.exists() for p in sockets)
    instance.recalc(form, read=["总分"])
    instance.close()
    assert not tmp.exists()
    assert not any(p.exists() for p in sockets)
    # No live process of the group is left (soffice.bin included). soffice.bin's short-lived gpg
    # helpers may linger as zombies until init reaps them; they hold no resources.
    assert _live_group_members(pid) == []


def _live_group_members(pgid: int) -> list[str]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # exited while we looked
        comm = text[text.index("(") + 1 : text.rindex(")")]
        state, _ppid, group = text[text.rindex(")") + 2 :].split()[:3]
        if int(group) == pgid and state != "Z":
            members.append(f"{stat.parent.name} {comm} {state}")
    return members
