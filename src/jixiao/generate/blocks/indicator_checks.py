"""Input checks of the indicators table: dropdowns (一级 → 二级, 指标性质, 依据, 档位), number ranges,
the 评定得分 band check, and the highlights that ask for a missing 偏差原因 or 评定得分."""

from __future__ import annotations

from jixiao.core.values import format_number
from jixiao.generate.blocks.state import SheetState
from jixiao.generate.formulas import RowRefs
from jixiao.generate.layout import ConditionalFormat, Validation
from jixiao.rubric.model import IndicatorsBlock
from jixiao.workbook.contract import BANDS, LEVEL1_LIST, LEVEL2_LIST_PREFIX, NATURES
from jixiao.workbook.refs import cell


def add(state: SheetState, block: IndicatorsBlock, col_of: dict[str, int], first: int, last: int) -> None:
    v = state.sheet.validations

    def column(key: str) -> tuple[int, int, int, int]:
        return first, col_of[key], last, col_of[key]

    v.append(
        Validation(
            *column("level1"),
            "list",
            source=f"={LEVEL1_LIST}",
            input_title="一级指标",
            input_message="从下拉列表选择。",
            error_type="warning",
            error_message="不是本表样的一级指标，仍要使用吗？",
        )
    )
    level1_ref = cell(first, col_of["level1"])
    v.append(
        Validation(
            *column("level2"),
            "list",
            source=f'=INDIRECT("{LEVEL2_LIST_PREFIX}"&MATCH({level1_ref},{LEVEL1_LIST},0))',
            input_title="二级指标",
            input_message="先选一级指标，再从下拉列表选择二级指标。",
            error_type="warning",
            error_message="不是该一级指标下的二级指标，仍要使用吗？",
        )
    )
    if "nature" in col_of:
        v.append(
            Validation(
                *column("nature"),
                "list",
                values=NATURES,
                input_title="指标性质",
                input_message="≥ 正向（越大越好）；≤ 反向（越小越好）；= 等于；定性 由评分人按档位打分。",
                error_message="请从下拉列表选择 ≥、≤、= 或 定性。",
            )
        )
    if "basis" in col_of:
        v.append(
            Validation(
                *column("basis"),
                "list",
                values=tuple(block.basis_options),
                input_title="指标值确定依据",
                input_message="可从下拉列表选择，也可填写其他依据（如 年度工作计划）。",
                error_type="information",
                error_message="不是常用依据，将按填写内容保留。",
            )
        )
    if "band" in col_of:
        v.append(
            Validation(
                *column("band"),
                "list",
                values=BANDS,
                input_title="定性档位",
                input_message="定性指标选择完成档位，评定得分须在该档位区间内。",
                error_message="请从下拉列表选择档位。",
            )
        )
    if "weight" in col_of:
        top = block.weight if block.weight is not None else state.rubric.total_weight
        v.append(
            Validation(
                *column("weight"),
                "decimal",
                minimum=0,
                maximum=top,
                input_title="分值",
                input_message=f"该指标的分值（权重），各指标分值之和应为 {format_number(top)} 分。",
                error_message=f"分值应在 0 到 {format_number(top)} 之间。",
            )
        )
    if "target" in col_of and state.dialect == "native":
        v.append(
            Validation(
                *column("target"),
                "custom",
                formula="=TRUE",
                input_title="指标值",
                input_message="定量指标填数字（百分数填 95 表示 95%，单位写在「度量单位」列）；定性指标填文字。",
            )
        )
    if "actual" in col_of:
        message = (
            "定量指标填数字（与指标值同一单位）；定性指标填完成情况。"
            if state.dialect == "native"
            else "照实填写，如 96%、≥8篇次、3000册、明显提升。"
        )
        v.append(
            Validation(
                *column("actual"),
                "custom",
                formula="=TRUE",
                input_title="实际完成值",
                input_message=message,
            )
        )
    if "judged" in col_of and "weight" in col_of:
        refs = RowRefs(
            target=cell(first, col_of["target"]),
            actual=cell(first, col_of["actual"]),
            weight=cell(first, col_of["weight"]),
            judged=cell(first, col_of["judged"]),
            band=cell(first, col_of["band"]) if "band" in col_of else None,
        )
        achieved, partial = state.rules.qualitative_bands
        v.append(
            Validation(
                *column("judged"),
                "custom",
                formula=state.formulas.judged_validation(refs),
                input_title="评定得分",
                input_message=(
                    "定性指标及规则无法判定的行由评分人打分：达成预期 "
                    f"{format_number(achieved * 100)}%–100%，部分达成 {format_number(partial * 100)}%–"
                    f"{format_number(achieved * 100)}%，未达成 0–{format_number(partial * 100)}%（占分值）。"
                ),
                error_message="评定得分应在 0 到分值之间，并在所选定性档位的区间内。",
            )
        )
    # A row that lost points needs its 偏差原因.
    if {"explanation", "score", "weight"} <= col_of.keys():
        score, weight = cell(first, col_of["score"]), cell(first, col_of["weight"])
        note = cell(first, col_of["explanation"])
        state.sheet.conditional_formats.append(
            ConditionalFormat(
                *column("explanation"),
                formula=f"=AND(ISNUMBER({score}),ISNUMBER({weight}),{score}<{weight},LEN({note})=0)",
            )
        )
    if {"judged", "score", "weight", "actual"} <= col_of.keys():
        score, weight = cell(first, col_of["score"]), cell(first, col_of["weight"])
        actual, judged = cell(first, col_of["actual"]), cell(first, col_of["judged"])
        state.sheet.conditional_formats.append(
            ConditionalFormat(
                *column("judged"),
                formula=f'=AND(ISNUMBER({weight}),LEN({actual})>0,{score}="",LEN({judged})=0)',
            )
        )
