"""Input readers for `jixiao new`: project lists (CSV/xlsx) and last year's filled workbook (--from)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils.cell import range_boundaries

from jixiao.cli import main
from jixiao.generate.api import Request, generate
from jixiao.generate.layout import COLUMN_NAMES, ProjectInfo
from jixiao.generate.projects import ProjectListError, read_projects
from jixiao.generate.rollforward import PreviousYear, RollForwardError, read_previous
from jixiao.rubric import builtin_rubrics, parse_rubric
from jixiao.rubric.model import RowTemplate

HEADER = "序号,项目名称,项目代码,主管部门,项目实施单位,预算金额（万元）,其中：财政资金,其他资金,资金用途,年初设定目标"
ROWS = [
    '1,社区养老服务,P001,区民政局,洪山街道,"4,591.73",4000,591.73,日间照料,服务老人≥500人次',
    "2,老旧小区改造,,区住建局,洪山街道,1 200.5万元,,,,",
]


def _check_two_projects(projects: list[ProjectInfo]) -> None:
    first, second = projects
    assert first == ProjectInfo(
        name="社区养老服务",
        code="P001",
        department="区民政局",
        implementer="洪山街道",
        budget=4591.73,
        fiscal=4000.0,
        other=591.73,
        purpose="日间照料",
        goals="服务老人≥500人次",
        amount_unit="万元",  # from the header 「预算金额（万元）」
    )
    assert second.name == "老旧小区改造"
    assert second.amount_unit == "万元"
    assert second.code == ""
    assert second.budget == 1200.5
    assert second.fiscal is None and second.other is None
    assert second.rows is None


# -- project lists: CSV -----------------------------------------------------------------------


def test_csv_utf8_with_bom_and_synonyms(tmp_path: Path) -> None:
    path = tmp_path / "项目清单.csv"
    path.write_bytes(("\n".join([HEADER, *ROWS, ",,,,,,,,,", ""])).encode("utf-8-sig"))
    _check_two_projects(read_projects(path))


def test_csv_utf8_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "项目清单.csv"
    path.write_text("\n".join([HEADER, *ROWS]), encoding="utf-8")
    _check_two_projects(read_projects(path))


def test_csv_gbk_as_chinese_excel_saves_it(tmp_path: Path) -> None:
    path = tmp_path / "项目清单.csv"
    path.write_bytes(("\r\n".join([HEADER, *ROWS]) + "\r\n").encode("gbk"))
    _check_two_projects(read_projects(path))


def test_csv_tab_separated_with_title_and_total_row(tmp_path: Path) -> None:
    path = tmp_path / "清单.txt"
    lines = [
        "2027年度项目清单",
        "",
        "项目名称\t年度预算数\t绩效目标",
        "甲\t10\t目标甲",
        "乙\t20.5\t",
        "合计\t30.5\t",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    projects = read_projects(path)
    assert [(p.name, p.budget, p.goals) for p in projects] == [("甲", 10.0, "目标甲"), ("乙", 20.5, "")]


def test_csv_bad_amount_names_file_and_row(tmp_path: Path) -> None:
    path = tmp_path / "项目清单.csv"
    path.write_text("项目名称,预算数\n甲,10\n乙,十万\n", encoding="utf-8")
    with pytest.raises(ProjectListError) as error:
        read_projects(path)
    assert str(error.value) == "项目清单.csv 第 3 行：预算数「十万」不是数字"


def test_missing_name_column_lists_headers_found(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_text("序号,名称,金额\n1,甲,10\n", encoding="utf-8")
    with pytest.raises(ProjectListError) as error:
        read_projects(path)
    message = str(error.value)
    assert "清单.csv" in message and "项目名称" in message
    assert "序号、名称、金额" in message


def test_duplicate_project_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_text("项目名称,项目编码,预算数\n甲,A1,1\n乙,,2\n甲,A1,3\n", encoding="utf-8")
    with pytest.raises(ProjectListError, match=r"清单\.csv 第 4 行：项目「甲」与第 2 行重复"):
        read_projects(path)
    path.write_text("项目名称,预算数\n甲,1\n甲,3\n", encoding="utf-8")
    with pytest.raises(ProjectListError, match="重复"):
        read_projects(path)


def test_same_name_with_different_codes_is_two_projects(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_text("项目名称,项目编码\n维修,A1\n维修,A2\n", encoding="utf-8")
    assert [p.code for p in read_projects(path)] == ["A1", "A2"]


def test_amounts_without_a_name_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_text("项目名称,预算数\n甲,1\n,5\n", encoding="utf-8")
    with pytest.raises(ProjectListError, match=r"清单\.csv 第 3 行：.*没有项目名称"):
        read_projects(path)


def test_two_columns_for_one_field_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_text("项目名称,预算数,年度预算数\n甲,1,2\n", encoding="utf-8")
    with pytest.raises(ProjectListError, match="「预算数」和「年度预算数」"):
        read_projects(path)


def test_formula_looking_names_are_kept_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    names = ["=SUM(A1)", "+86 热线", "-负号开头", "@提及"]
    path.write_text("项目名称\n" + "\n".join(names) + "\n", encoding="utf-8")
    assert [p.name for p in read_projects(path)] == names


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(ProjectListError, match=r"\.xls"):
        read_projects(tmp_path / "清单.xls")
    with pytest.raises(ProjectListError, match="找不到"):
        read_projects(tmp_path / "没有.csv")


# -- project lists: xlsx ----------------------------------------------------------------------


def _xlsx(path: Path, rows: list[list[Any]], sheet: str = "Sheet1", before: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    if before:
        ws.title = before
        ws["A1"] = "这不是清单"
        ws = workbook.create_sheet(sheet)
    else:
        ws.title = sheet
    for row in rows:
        ws.append(row)
    for line in ws.iter_rows():
        for item in line:
            if isinstance(item.value, str) and item.value.startswith("="):
                item.data_type = "s"  # text that looks like a formula, as Excel stores '=SUM(A1)
    workbook.save(path)
    return path


def test_xlsx_with_title_row_and_synonyms(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "项目清单.xlsx",
        [
            ["2027年度项目支出预算清单（单位：万元）"],
            [],
            ["序号", "项目名称", "项目编码", "主管部门", "实施单位", "全年预算数", "财政拨款", "其他资金"],
            [1, "社区养老服务", 42010001, "区民政局", "洪山街道", "4,591.73", 4000, 591.73],
            [None, None, None, None, None, None, None, None],
            [2, "=SUM(A1)", None, None, None, 12.5, None, None],
        ],
        sheet="项目清单",
        before="说明",
    )
    projects = read_projects(path)
    assert [p.name for p in projects] == ["社区养老服务", "=SUM(A1)"]
    assert projects[0].code == "42010001"
    assert projects[0].budget == 4591.73 and projects[0].fiscal == 4000 and projects[0].other == 591.73
    assert projects[1].budget == 12.5


def test_xlsx_bad_amount_names_file_row_and_cell(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "项目清单.xlsx",
        [
            ["项目清单"],
            [],
            ["序号", "项目名称", "主管部门", "预算数"],
            [1, "甲", "区财政局", 10],
            [2, "乙", "区财政局", "十万"],
        ],
    )
    with pytest.raises(ProjectListError) as error:
        read_projects(path)
    assert str(error.value) == "项目清单.xlsx 第 5 行（D5）：预算数「十万」不是数字"


def test_xlsx_two_row_header(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "清单.xlsx",
        [
            ["项目名称", "预算数", "资金来源", None],
            [None, None, "财政资金", "其他资金"],
            ["甲", 10, 8, 2],
        ],
    )
    (project,) = read_projects(path)
    assert (project.budget, project.fiscal, project.other) == (10, 8, 2)


def test_formula_looking_name_survives_generation(tmp_path: Path) -> None:
    listed = tmp_path / "清单.csv"
    listed.write_text("项目名称,预算数\n=SUM(A1),10\n普通项目,20\n", encoding="utf-8")
    projects = tuple(read_projects(listed))
    rubric = builtin_rubrics()["hubei-project"]
    (path,) = generate(Request(rubric, 2027, unit="某单位", projects=projects), tmp_path / "out")
    workbook = openpyxl.load_workbook(path)
    assert "=SUM(A1)" in workbook.sheetnames
    ws = workbook["=SUM(A1)"]
    label = _find_label(ws, "项目名称")
    value = ws.cell(row=label.row, column=label.column + 1)
    assert value.value == "=SUM(A1)"
    assert value.data_type == "s"


# -- roll forward -----------------------------------------------------------------------------


def _find_label(ws: Any, text: str) -> Any:
    for row in ws.iter_rows():
        for item in row:
            if item.value == text:
                return item
    raise AssertionError(f"{text} not found on {ws.title}")


def _column(workbook: Any, ws: Any, name: str) -> list[Any]:
    """The cells of a name over one column of ``ws`` (sheet-scoped or workbook-level)."""
    defined = ws.defined_names.get(name) or workbook.defined_names.get(name)
    assert defined is not None, name
    ((sheet, ref),) = list(defined.destinations)
    assert sheet == ws.title
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    assert min_col == max_col
    return [ws.cell(row=row, column=min_col) for row in range(min_row, max_row + 1)]


def _cell(workbook: Any, ws: Any, name: str) -> Any:
    (item,) = _column(workbook, ws, name)
    return item


CARRIED = (
    RowTemplate(
        level1="产出指标",
        level2="数量指标",
        level3="培训人次",
        target="≥500人次",
        weight=20,
        nature="≥",
        unit="人次",
    ),
    RowTemplate(
        level1="效益指标",
        level2="满意度指标",
        level3="学员满意率",
        target="≥95%",
        weight=40,
        nature="≥",
        unit="%",
    ),
)
ACTUALS = ("实际完成520人次", "实际满意率96%", "实际第三项")
NOTES = ("偏差原因：场地不足", "全年完成情况说明", "改进措施说明")


def _fill(path: Path, dialect: str) -> None:
    """Fill a generated 2026 workbook as a unit would, then save it."""
    workbook = openpyxl.load_workbook(path)
    first, second = workbook["甲项目"], workbook["乙项目"]
    native = dialect == "native"
    for ws in (first, second):
        _cell(workbook, ws, "执行数").value = 88.8
        _cell(workbook, ws, "总目标得分").value = 18.5
        done = _find_label(ws, "全年实际完成情况")
        ws.cell(row=done.row + 1, column=done.column).value = NOTES[1]
        reason = _find_label(ws, "偏差大或目标未完成原因分析")
        ws.cell(row=reason.row, column=reason.column + 2).value = NOTES[2]
        for actual in _column(workbook, ws, COLUMN_NAMES["actual"]):
            actual.value = ACTUALS[0] if not native else 520
        for judged in _column(workbook, ws, COLUMN_NAMES["judged"]):
            judged.value = 7.77
        for note in _column(workbook, ws, COLUMN_NAMES["explanation"]):
            note.value = NOTES[0]
    # 甲: its two carried rows get a weight change; a third row is added in the blank rows below.
    weights = _column(workbook, first, COLUMN_NAMES["weight"])
    weights[0].value = 25
    # The third row is already 产出指标 (merged over 产出's four rows) · 时效指标: only its 三级 is typed.
    _column(workbook, first, COLUMN_NAMES["level3"])[2].value = "按时完成率"
    target = _column(workbook, first, COLUMN_NAMES["target"])[2]
    if native:
        target.value = 100
        _column(workbook, first, COLUMN_NAMES["nature"])[2].value = "≥"
        _column(workbook, first, COLUMN_NAMES["unit"])[2].value = "%"
        _column(workbook, first, COLUMN_NAMES["band"])[2].value = "达成预期指标"
    else:
        target.value = "≥100%"
    weights[2].value = 15
    # 乙: the rubric's default rows; the first is written in, the 数量指标 target left open.
    level3 = _column(workbook, second, COLUMN_NAMES["level3"])
    level3[0].value = "改造户数"
    if native:
        _column(workbook, second, COLUMN_NAMES["target"])[0].value = 300
        _column(workbook, second, COLUMN_NAMES["nature"])[0].value = "≥"
        _column(workbook, second, COLUMN_NAMES["unit"])[0].value = "户"
    else:
        _column(workbook, second, COLUMN_NAMES["target"])[0].value = "≥300户"
    _column(workbook, second, COLUMN_NAMES["weight"])[0].value = 10
    workbook.save(path)


def _previous_2026(tmp_path: Path, dialect: str) -> Path:
    rubric = builtin_rubrics()["hubei-project"]
    projects = (
        ProjectInfo(
            name="甲项目",
            department="区人社局",
            implementer="培训中心",
            budget=120.0,
            goals="全年培训500人次，满意率95%以上",
            rows=CARRIED,
        ),
        ProjectInfo(name="乙项目", department="区住建局", implementer="洪山街道", budget=300.0),
    )
    request = Request(rubric, 2026, unit="洪山街道办事处", projects=projects, dialect=dialect)  # type: ignore[arg-type]
    (path,) = generate(request, tmp_path / "2026")
    _fill(path, dialect)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("dialect", ["xlwings", "native"])
def test_read_previous_carries_projects_and_targets_only(tmp_path: Path, dialect: str) -> None:
    path = _previous_2026(tmp_path, dialect)
    before = _digest(path)
    previous = read_previous(path)
    assert _digest(path) == before  # never saved
    assert isinstance(previous, PreviousYear)
    assert (previous.year, previous.unit, previous.rubric, previous.dialect) == (
        2026,
        "洪山街道办事处",
        "hubei-project",
        dialect,
    )
    first, second = previous.projects
    assert (first.name, first.department, first.implementer) == ("甲项目", "区人社局", "培训中心")
    assert first.budget is None and second.budget is None
    assert first.goals == "全年培训500人次，满意率95%以上"
    assert first.rows is not None
    # In the order of the form, which lays rows out by 二级 (数量, 质量, 时效 … 满意度); the 二级
    # left empty (only their 一级 and 二级 written) are the table's structure, not carried rows.
    assert [(r.level1, r.level2, r.level3, r.target, r.weight) for r in first.rows] == [
        ("产出指标", "数量指标", "培训人次", "≥500人次", 25),
        ("产出指标", "时效指标", "按时完成率", "≥100%", 15),
        ("效益指标", "满意度指标", "学员满意率", "≥95%", 40),
    ]
    assert [(r.nature, r.unit) for r in first.rows] == [("≥", "人次"), ("≥", "%"), ("≥", "%")]
    assert (second.name, second.department, second.implementer) == ("乙项目", "区住建局", "洪山街道")
    assert second.rows is not None
    assert (second.rows[0].level3, second.rows[0].target, second.rows[0].weight) == ("改造户数", "≥300户", 10)
    # The rubric's other default rows come back as they were written.
    assert [r.level2 for r in second.rows][-1] == "满意度指标"
    assert all(r.weight is None for r in second.rows[1:])
    # Nothing of what happened in 2026 is carried.
    text = repr(previous)
    for word in (*ACTUALS, *NOTES, "7.77", "88.8", "18.5", "520", "达成预期指标"):
        assert word not in text, word


@pytest.mark.parametrize(
    ("previous_dialect", "dialect"), [("xlwings", "xlwings"), ("native", "native"), ("native", "xlwings")]
)
def test_cli_new_from_previous_year(tmp_path: Path, previous_dialect: str, dialect: str) -> None:
    path = _previous_2026(tmp_path, previous_dialect)
    out = tmp_path / "2027"
    result = CliRunner().invoke(
        main, ["new", "--rubric", "hubei-project", "--from", str(path), "--formulas", dialect, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    (written,) = out.glob("*.xlsx")
    assert written.name == "2027年度洪山街道办事处项目支出绩效自评表（湖北版式）.xlsx"
    workbook = openpyxl.load_workbook(written)
    assert workbook.sheetnames[:2] == ["甲项目", "乙项目"]
    first, second = workbook["甲项目"], workbook["乙项目"]
    assert first["A1"].value == "2027年度甲项目项目支出绩效自评表"
    level3 = [c.value for c in _column(workbook, first, COLUMN_NAMES["level3"])]
    # The carried rows sit under their 二级 (数量 first row, 时效 third, 满意度 ninth).
    rows = [index for index, value in enumerate(level3) if value]
    assert rows == [0, 2, 8]
    assert [level3[i] for i in rows] == ["培训人次", "按时完成率", "学员满意率"]
    targets = [_column(workbook, first, COLUMN_NAMES["target"])[i].value for i in rows]
    weights = [_column(workbook, first, COLUMN_NAMES["weight"])[i].value for i in rows]
    if dialect == "native":
        assert targets == [500, 100, 95]
        natures = [_column(workbook, first, COLUMN_NAMES["nature"])[i].value for i in rows]
        units = [_column(workbook, first, COLUMN_NAMES["unit"])[i].value for i in rows]
        assert natures == ["≥", "≥", "≥"] and units == ["人次", "%", "%"]
    else:
        assert targets == ["≥500人次", "≥100%", "≥95%"]
    assert weights == [25, 15, 40]
    for ws in (first, second):
        assert all(c.value is None for c in _column(workbook, ws, COLUMN_NAMES["actual"]))
        assert all(c.value is None for c in _column(workbook, ws, COLUMN_NAMES["judged"]))
        assert all(c.value is None for c in _column(workbook, ws, COLUMN_NAMES["explanation"]))
        assert _cell(workbook, ws, "预算数").value is None
        assert _cell(workbook, ws, "执行数").value is None
    goal = _find_label(first, "年初设定目标")
    assert first.cell(row=goal.row + 1, column=goal.column).value == "全年培训500人次，满意率95%以上"
    assert _column(workbook, second, COLUMN_NAMES["level3"])[0].value == "改造户数"


UNIT_RUBRIC = """
name: test-unit
title: 部门整体支出绩效自评表（测试）
kind: 部门整体自评表
scope: unit
summary: 按年度目标分组的单位表
sheet_name: "{{ 单位名称 or '表' }}"
blocks:
  - type: title
    template: "{{ 年度 }}年度{{ 单位名称 }}部门整体支出绩效自评表"
  - type: fields
    rows:
      - [{label: 单位名称, key: 单位名称}, {label: 单位编码, key: 单位编码}]
  - type: indicators
    label: 年度绩效指标（100分）
    weight: 100
    columns:
      - {key: goal, label: 年度目标}
      - {key: goal_weight, label: 目标分值}
      - {key: level1, label: 一级指标}
      - {key: level2, label: 二级指标}
      - {key: level3, label: 三级指标}
      - {key: target, label: 目标值}
      - {key: actual, label: 实际完成值}
      - {key: weight, label: 分值}
      - {key: score, label: 得分}
    tree:
      - name: 产出指标
        level2: [数量指标, 质量指标]
    goals: {count: 3, rows_per_goal: 3, weight_total: 100}
  - type: total
instructions: 测试
"""


def test_unit_form_goal_groups_become_projects(tmp_path: Path) -> None:
    rubric = parse_rubric(UNIT_RUBRIC)
    goals = (
        ProjectInfo(
            name="甲项目",
            rows=(RowTemplate(level1="产出指标", level2="数量指标", level3="x", target="≥5个", weight=30),),
        ),
        ProjectInfo(name="乙项目"),
    )
    request = Request(rubric, 2026, unit="某局", unit_code="U001", projects=goals)
    (path,) = generate(request, tmp_path / "2026")
    workbook = openpyxl.load_workbook(path)
    ws = workbook.worksheets[0]
    level3 = _column(workbook, ws, COLUMN_NAMES["level3"])  # workbook-level names: one form
    assert len(level3) == 6
    rows = {
        key: _column(workbook, ws, COLUMN_NAMES[key])[3] for key in ("level1", "level2", "target", "weight")
    }
    level3[3].value = "y"
    rows["level1"].value, rows["level2"].value = "产出指标", "质量指标"
    rows["target"].value, rows["weight"].value = "≥90%", 70
    _column(workbook, ws, COLUMN_NAMES["actual"])[3].value = "91%"
    workbook.save(path)
    assert [p.name for p in read_previous(path).projects] == ["甲项目", "乙项目"]
    # A goal label the user rewrote is kept whole (not cut at its first colon).
    _column(workbook, ws, COLUMN_NAMES["goal"])[3].value = "（二）社区治理：提升居民满意度"
    workbook.save(path)

    previous = read_previous(path)
    assert (previous.year, previous.unit, previous.unit_code) == (2026, "某局", "U001")
    assert [p.name for p in previous.projects] == ["甲项目", "（二）社区治理：提升居民满意度"]
    first, second = previous.projects
    assert first.rows == (
        RowTemplate(
            level1="产出指标", level2="数量指标", level3="x", target="≥5个", weight=30, nature="≥", unit="个"
        ),
    )
    assert second.rows is not None
    assert [(r.level3, r.target, r.weight) for r in second.rows] == [("y", "≥90%", 70)]

    # Next year's form is grouped by the same goals, with the targets carried.
    again = generate(
        Request(rubric, 2027, unit=previous.unit, unit_code=previous.unit_code, projects=previous.projects),
        tmp_path / "2027",
    )
    workbook = openpyxl.load_workbook(again[0])
    ws = workbook.worksheets[0]
    labels = [c.value for c in _column(workbook, ws, COLUMN_NAMES["goal"]) if c.value]
    assert labels == ["年度目标1：甲项目", "年度目标2：（二）社区治理：提升居民满意度"]
    assert [c.value for c in _column(workbook, ws, COLUMN_NAMES["target"])][:4] == [
        "≥5个",
        None,
        None,
        "≥90%",
    ]
    assert all(c.value is None for c in _column(workbook, ws, COLUMN_NAMES["actual"]))


PROJECT_RUBRIC = """
name: test-project
title: 项目自评表（测试）
kind: 项目自评表
scope: project
summary: 性质和单位两种写法都有的项目表
blocks:
  - type: title
    template: "{{ 年度 }}年度{{ 项目名称 }}"
  - type: fields
    rows:
      - [{label: 项目名称, key: 项目名称}, {label: 项目编码, key: 项目编码}]
  - type: text
    label: 年度总目标
    key: 绩效目标
    name: 绩效目标
  - type: indicators
    label: 绩效指标（100分）
    weight: 100
    columns:
      - {key: level1, label: 一级指标}
      - {key: level2, label: 二级指标}
      - {key: level3, label: 三级指标}
      - {key: nature, label: 指标性质}
      - {key: target, label: 指标值}
      - {key: unit, label: 度量单位}
      - {key: actual, label: 实际完成值}
      - {key: weight, label: 分值}
      - {key: score, label: 得分}
    tree:
      - name: 满意度指标
        level2: [服务对象满意度指标]
    rows:
      - {level1: 满意度指标, level2: 服务对象满意度指标, level3: 满意度, nature: "≥", target: "90", unit: "%", weight: 100}
  - type: total
instructions: 测试
"""


@pytest.mark.parametrize("dialect", ["xlwings", "native"])
def test_named_goal_box_and_separate_nature_and_unit(tmp_path: Path, dialect: str) -> None:
    rubric = parse_rubric(PROJECT_RUBRIC)
    project = ProjectInfo(name="丙项目", code="C3", goals="全年服务满意")
    request = Request(rubric, 2026, unit="某单位", projects=(project,), dialect=dialect)  # type: ignore[arg-type]
    (path,) = generate(request, tmp_path)
    (carried,) = read_previous(path).projects
    assert (carried.name, carried.code, carried.goals) == ("丙项目", "C3", "全年服务满意")
    assert carried.rows is not None
    (row,) = carried.rows
    # "90" beside ≥ and % is the target ≥90% whichever dialect wrote it.
    assert (row.target, row.nature, row.unit, row.weight) == ("≥90%", "≥", "%", 100)


def test_unit_form_numbered_goal_labels_name_no_project(tmp_path: Path) -> None:
    rubric = parse_rubric(UNIT_RUBRIC)
    (path,) = generate(Request(rubric, 2026, unit="某局"), tmp_path)
    workbook = openpyxl.load_workbook(path)
    ws = workbook.worksheets[0]
    _column(workbook, ws, COLUMN_NAMES["level3"])[3].value = "只填了第二个目标"
    workbook.save(path)
    previous = read_previous(path)
    (project,) = previous.projects
    assert project.name == ""
    assert project.rows is not None and project.rows[0].level3 == "只填了第二个目标"


def test_blank_form_carries_the_rubric_defaults(tmp_path: Path) -> None:
    rubric = builtin_rubrics()["hubei-project"]
    (path,) = generate(Request(rubric, 2026, unit="某单位", dialect="native"), tmp_path)
    (project,) = read_previous(path).projects
    assert project.name == ""
    assert project.rows is not None
    satisfied = project.rows[-1]
    assert (satisfied.level3, satisfied.target, satisfied.nature, satisfied.unit) == (
        "服务对象满意率",
        "≥95%",
        "≥",
        "%",
    )


def test_not_a_jixiao_workbook(tmp_path: Path) -> None:
    path = tmp_path / "别人的表.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "项目名称"  # type: ignore[index]
    workbook.save(path)
    with pytest.raises(RollForwardError, match=r"别人的表\.xlsx：不是 jixiao 生成的工作簿"):
        read_previous(path)


def test_unreadable_previous_files(tmp_path: Path) -> None:
    broken = tmp_path / "坏文件.xlsx"
    broken.write_text("not a zip", encoding="utf-8")
    with pytest.raises(RollForwardError, match=r"坏文件\.xlsx"):
        read_previous(broken)
    with pytest.raises(RollForwardError, match="找不到"):
        read_previous(tmp_path / "没有.xlsx")
    with pytest.raises(RollForwardError, match=r"\.xls"):
        (tmp_path / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0")
        read_previous(tmp_path / "旧.xls")


def test_cli_reports_reader_errors(tmp_path: Path) -> None:
    listed = tmp_path / "清单.csv"
    listed.write_text("项目名称,预算数\n甲,十万\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["new", "--rubric", "hubei-project", "--projects", str(listed), "-o", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "清单.csv 第 2 行：预算数「十万」不是数字" in result.output


# -- target forms' declaration fields (issue 12) ------------------------------------------------------

DECLARED = {
    "项目属性": "新增",
    "实施期": "2026年1月—2028年12月",
    "项目负责人": "张三",
    "联系电话": "027-87654321",
    "长期目标": "三年内建成覆盖全区的养老服务网络",
    "填报人": "李四",
    "单位负责人": "王五",
    "填报日期": "2025-10-20",
}


def test_new_from_carries_the_target_form_fields(tmp_path: Path) -> None:
    rubric = builtin_rubrics()["target-project"]
    request = Request(rubric, 2026, unit="洪山街道办事处", projects=(ProjectInfo(name="社区养老服务"),))
    (path,) = generate(request, tmp_path / "2026")
    workbook = openpyxl.load_workbook(path)
    ws = workbook.worksheets[0]
    for name, value in DECLARED.items():
        _cell(workbook, ws, name).value = value
    workbook.save(path)

    [project] = read_previous(path).projects
    # A project on last year's form continues: 新增 → 延续; the people, period and 长期目标 stay;
    # the 填报日期 is this year's to write.
    assert (project.attribute, project.period, project.leader, project.phone) == (
        "延续",
        "2026年1月—2028年12月",
        "张三",
        "027-87654321",
    )
    assert (project.long_goals, project.preparer, project.unit_head) == (
        "三年内建成覆盖全区的养老服务网络",
        "李四",
        "王五",
    )

    out = tmp_path / "2027"
    result = CliRunner().invoke(
        main, ["new", "--rubric", "target-project", "--from", str(path), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    (written,) = out.glob("*.xlsx")
    book = openpyxl.load_workbook(written)
    sheet = book.worksheets[0]
    got = {name: _cell(book, sheet, name).value for name in DECLARED}
    assert got == {**DECLARED, "项目属性": "延续", "填报日期": None}


SAMPLES = Path(__file__).resolve().parent.parent / "xlsx_samples"


@pytest.mark.parametrize(
    ("sample", "rubric", "said"),
    [
        # Seed 002's unit form: its 年度目标 groups 「（37分）开展信访维稳工作…」 would become projects.
        ("002-洪山街道办事处-部门整体绩效自评表.xlsx", "hubei-project", "是部门整体表（表样 hubei-unit）"),
        # Seed 002's project form: its 9 projects would become 年度目标 of a unit form.
        ("002-洪山街道办事处-项目支出绩效自评表.xlsx", "hubei-unit", "是项目支出表（表样 hubei-project）"),
    ],
)
def test_cli_new_from_refuses_a_form_of_the_other_scope(
    tmp_path: Path, sample: str, rubric: str, said: str
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["new", "--rubric", rubric, "--from", str(SAMPLES / sample), "-o", str(out)]
    )
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"{sample}：{said}") and f"表样「{rubric}」" in line
    assert not out.exists()  # nothing written


def test_cli_new_from_a_unit_form_into_a_unit_target_form(tmp_path: Path) -> None:
    """The same scope (部门整体 自评表 → 部门整体 目标表) still rolls forward."""
    out = tmp_path / "out"
    sample = SAMPLES / "002-洪山街道办事处-部门整体绩效自评表.xlsx"
    result = CliRunner().invoke(
        main, ["new", "--rubric", "target-unit", "--from", str(sample), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert read_previous(sample).scope == "unit"
