"""Amount units: a rubric declares 元 or 万元; a project list may say which unit it uses (a header
「预算数（元）」, a 金额单位 column, a 「单位：万元」 line above the header); jixiao converts to the
rubric's unit and says so. Never a silent factor of 10,000."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from jixiao.cli import main
from jixiao.generate.layout import ProjectInfo
from jixiao.generate.projects import ProjectListError, read_projects
from jixiao.generate.units import convert, to_rubric_unit
from jixiao.rubric import builtin_rubrics


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "项目清单.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_unit_from_the_amount_headers(tmp_path):
    path = _csv(tmp_path, "项目名称,预算数（元）,财政资金（元）\n甲项目,45917300,45917300\n")
    [project] = read_projects(path)
    assert (project.budget, project.fiscal, project.amount_unit) == (45917300, 45917300, "元")


def test_unit_from_a_unit_column_per_row(tmp_path):
    path = _csv(tmp_path, "项目名称,预算数,金额单位\n甲项目,4591.73,万元\n乙项目,120000,元\n")
    first, second = read_projects(path)
    assert (first.budget, first.amount_unit) == (4591.73, "万元")
    assert (second.budget, second.amount_unit) == (120000, "元")


def test_unit_from_a_line_above_the_header(tmp_path):
    path = _csv(tmp_path, "2027年项目清单,,单位：万元\n项目名称,预算数\n甲项目,21\n")
    [project] = read_projects(path)
    assert (project.budget, project.amount_unit) == (21, "万元")


def test_no_unit_given(tmp_path):
    [project] = read_projects(_csv(tmp_path, "项目名称,预算数\n甲项目,21\n"))
    assert project.amount_unit == ""


def test_mixed_units_are_an_error(tmp_path):
    path = _csv(tmp_path, "项目名称,预算数（元）,财政资金（万元）\n甲项目,210000,21\n")
    with pytest.raises(ProjectListError, match=r"项目清单\.csv：各金额列的单位不一致"):
        read_projects(path)


def test_a_unit_that_is_not_yuan_is_an_error(tmp_path):
    path = _csv(tmp_path, "项目名称,预算数,金额单位\n甲项目,21,千元\n")
    with pytest.raises(ProjectListError, match="第 2 行：金额单位「千元」应为「元」或「万元」"):
        read_projects(path)


def test_conversion_by_hand():
    # 4,591.73 万元 = 45,917,300 元; 45,917,300 元 = 4,591.73 万元.
    assert convert(4591.73, "万元", "元") == pytest.approx(45_917_300)
    assert convert(45_917_300, "元", "万元") == pytest.approx(4591.73)
    assert convert(21.0, "万元", "万元") == 21.0
    assert convert(None, "元", "万元") is None


def test_to_rubric_unit_converts_and_says_so():
    projects = (
        ProjectInfo(name="甲", budget=45_917_300, fiscal=40_000_000, amount_unit="元"),
        ProjectInfo(name="乙", budget=21, amount_unit="万元"),
        ProjectInfo(name="丙", budget=8),  # no unit said
        ProjectInfo(name="丁"),  # no amounts: nothing to say
    )
    converted, notes = to_rubric_unit(projects, "万元")
    assert converted[0].budget == pytest.approx(4591.73) and converted[0].fiscal == pytest.approx(4000)
    assert converted[1].budget == 21 and converted[2].budget == 8
    assert {p.amount_unit for p in converted[:3]} == {"万元"}
    assert notes == [
        "项目清单中 1 个项目的金额以元计，已换算为表样的万元（÷10000）后填入。",
        "项目清单中 1 个项目的金额没有注明单位，按表样的万元填入；"
        "如不是万元，请在表头写明（如「预算数（元）」）或加一列「金额单位」。",
    ]


def test_builtin_rubrics_declare_their_unit():
    units = {name: rubric.amount_unit for name, rubric in builtin_rubrics().items()}
    # Every built-in form writes its amounts in 万元 (seed 000–004, the national form, 四川 510000_0013zp).
    assert set(units.values()) == {"万元"}, units


def test_cli_new_converts_a_list_in_yuan(tmp_path):
    path = _csv(tmp_path, "项目名称,预算数（元）\n甲项目,45917300\n")
    out = tmp_path / "out"
    args = ["new", "--rubric", "hubei-project", "--year", "2027", "--unit", "某单位"]
    result = CliRunner().invoke(main, [*args, "--projects", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "已换算为表样的万元（÷10000）" in result.output
    [written] = out.glob("*.xlsx")
    book = openpyxl.load_workbook(written)
    [(sheet, ref)] = list(book.defined_names["预算数"].destinations)  # one form: workbook-level names
    assert book[sheet][ref.replace("$", "")].value == pytest.approx(4591.73)
