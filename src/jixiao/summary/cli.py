"""``jixiao summary``: project forms → each unit's 部门整体 form, a summary workbook and PNG charts.

Registered in jixiao.cli with ``main.add_command(summary)``.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the command line loads the summary machinery only when it runs
    from jixiao.core.rules import RuleSet
    from jixiao.summary.rollup import ProjectForm, UnitRollup
    from jixiao.summary.workbook import UnitEntry

EXIT_NOTHING = 2  # nothing to summarise, or the output would overwrite a file
EXIT_UNREADABLE = 1  # written, but some files could not be read and are not in it


def _fail(message: str, code: int = EXIT_NOTHING) -> None:
    click.echo(message, err=True)
    raise SystemExit(code)


# The built-in unit form each project layout rolls up into. Only the Hubei layout has a 部门整体 form
# grouped by 年度目标 (seeds 000, 002, 003); the others roll up into it too unless --rubric says otherwise.
UNIT_RUBRIC_OF = {"hubei-project": "hubei-unit"}
DEFAULT_UNIT_RUBRIC = "hubei-unit"


def default_rubric(projects: list[ProjectForm]) -> tuple[str, str | None]:
    """(unit rubric, a note when some projects' layout has no unit form of its own)."""
    layouts = [p.form.rubric or "" for p in projects]
    known = [UNIT_RUBRIC_OF[name] for name in layouts if name in UNIT_RUBRIC_OF]
    chosen = max(set(known), key=known.count) if known else DEFAULT_UNIT_RUBRIC
    others = sorted({name for name in layouts if name and name not in UNIT_RUBRIC_OF})
    note = None
    if others:
        note = (
            f"{'、'.join(others)} 没有按年度目标分组的内置部门整体表，按 {chosen} 汇总；"
            "可用 --rubric 指定自己的表样"
        )
    return chosen, note


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@click.command(
    "summary",
    short_help="汇总：项目自评表 → 部门整体自评表、汇总工作簿（带图表）和 PNG 图。",
    help=(
        "把一个单位的各项目自评表汇总成该单位的部门整体自评表，并为财政部门生成汇总工作簿和图表。\n\n"
        "汇总规则（与湖北版式部门整体自评表表尾的备注相同）：预算数、执行数直接相加，执行率 = 执行数合计 ÷ 预算数合计；"
        "定量指标先汇总完成数再计分——绝对值累加，比率按各项目预算数加权平均；定性指标按预算数加权平均得分。\n\n"
        "文件或文件夹为项目自评表工作簿或其所在目录（jixiao 生成的表或手工制作的湖北、全国等版式表格）；"
        "按表中的「单位名称」分单位汇总（没有时按「实施单位」，都没有时按所在文件夹）。每个单位写出一张已填好的部门整体自评表（放在汇总工作簿旁），"
        "汇总工作簿含各单位汇总表和每个单位的项目表（预算数、执行数、执行率、总分、等级、问题数，可排序，"
        "弱项标色，附总分、执行率和等级分布图），另存 PNG 图表。\n\n"
        "已存在的文件不会被覆盖（除非加 --overwrite）。\n\n"
        "例：jixiao summary 已填报 -o 汇总/绩效汇总.xlsx"
    ),
)
@click.argument(
    "paths", nargs=-1, required=True, metavar="FILE|DIR...", type=click.Path(exists=True, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="汇总工作簿（.xlsx）。各单位的部门整体自评表写在同一目录。",
)
@click.option(
    "--rubric",
    "rubric_name",
    default=None,
    help="部门整体表的表样：内置名称（见 jixiao rubrics）或表样定义文件；默认 hubei-unit。",
)
@click.option(
    "--png",
    "png_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="PNG 图表的目录；默认为汇总工作簿旁的「〈文件名〉_图表」目录。",
)
@click.option("--no-png", is_flag=True, help="不画 PNG 图表。")
@click.option(
    "--unit", default=None, help="把所有项目表归入这一个单位（默认按表中的单位名称或实施单位分组）。"
)
@click.option(
    "--year", type=click.IntRange(2000, 2100), default=None, help="年度，默认取项目表标题中的年度。"
)
@click.option(
    "--goals",
    type=click.Choice(["project", "indicator"]),
    default="project",
    show_default=True,
    help="部门整体表的年度目标：project 每个项目一个目标；indicator 同名指标（二级 + 三级）跨项目合并，按一级指标分组。",
)
@click.option(
    "--weights",
    type=click.Choice(["equal", "funds"]),
    default="equal",
    show_default=True,
    help="年度目标（indicator 时为各项目）分配指标总分值的方式：equal 平均分配；funds 按预算数比例。",
)
@click.option(
    "--formulas",
    type=click.Choice(["native", "xlwings"]),
    default="native",
    show_default=True,
    help="部门整体表的公式写法，同 jixiao new：native 原生公式（默认），xlwings 加载项函数。",
)
@click.option("--overwrite", is_flag=True, help="输出文件已存在时覆盖（默认不覆盖）。")
def summary(
    paths: tuple[Path, ...],
    output: Path,
    rubric_name: str | None,
    png_dir: Path | None,
    no_png: bool,
    unit: str | None,
    year: int | None,
    goals: str,
    weights: str,
    formulas: str,
    overwrite: bool,
) -> None:
    from jixiao.rubric import RubricError, builtin_rubrics, find_rubric
    from jixiao.summary.collect import collect_projects
    from jixiao.summary.rollup import roll_up_unit, shared_rows
    from jixiao.summary.unitform import (
        UnitFormError,
        check_unit_rubric,
        tree_of,
        unit_form_name,
        write_unit_form,
    )
    from jixiao.summary.workbook import UnitEntry, write_summary

    if output.suffix.lower() != ".xlsx":
        raise click.BadParameter("汇总工作簿须为 .xlsx 文件", param_hint="-o/--output")
    if png_dir is not None and no_png:
        raise click.UsageError("--png 与 --no-png 只能选一个")
    if any(p.is_file() and p.resolve() == output.resolve() for p in paths):
        raise click.BadParameter("汇总工作簿不能覆盖被汇总的文件", param_hint="-o/--output")

    unit_rubrics = frozenset(name for name, r in builtin_rubrics().items() if r.scope == "unit")
    directory = output.parent
    found = collect_projects(paths, exclude=[output], unit=unit, unit_rubrics=unit_rubrics)
    for note in found.notes:
        click.echo(f"跳过：{note}", err=True)
    for problem in found.problems:
        click.echo(f"无法读取：{problem}", err=True)
    if not found.units:
        _fail("没有找到可汇总的项目自评表。" if found.files else "没有找到 .xlsx / .xlsm 文件。")

    all_projects = [p for projects in found.units.values() for p in projects]
    chosen, note = default_rubric(all_projects)
    if rubric_name is None and note:
        click.echo(f"注意：{note}", err=True)
    try:
        rubric = find_rubric(rubric_name or chosen)
        check_unit_rubric(rubric)
    except (RubricError, UnitFormError) as error:
        _fail(str(error))
    rules = rubric.rule_set
    tree = tree_of(rubric)
    table = rubric.indicators
    assert table is not None and rubric.execution is not None  # check_unit_rubric said so
    indicator_weight = (table.goals.weight_total if table.goals else None) or table.weight or 80.0

    rollups: list[UnitRollup] = []
    for name, projects in found.units.items():
        rollups.append(
            roll_up_unit(
                name,
                projects,
                rules=rules,
                execution_weight=rubric.execution.weight,
                indicator_weight=indicator_weight,
                grouping=goals,  # type: ignore[arg-type]
                goal_weights=weights,  # type: ignore[arg-type]
                tree=tree,
                year=year,
            )
        )
    fallback_year = year or datetime.date.today().year - 1  # self-evaluations look back a year
    forms = {r.unit: directory / unit_form_name(rubric, r.unit, r.year or fallback_year) for r in rollups}
    png = None if no_png else (png_dir or output.with_name(f"{output.stem}_图表"))
    planned = [output, *forms.values()]
    if png is not None:
        from jixiao.summary.charts import chart_files

        planned += chart_files(png, [r.unit for r in rollups])
    inputs = {p.resolve() for p in paths if p.is_file()}
    clash = [path for path in forms.values() if path.resolve() in inputs]
    if clash:
        _fail(f"部门整体表 {_shown(clash[0])} 与被汇总的文件同名；请换一个输出目录")
    existing = [path for path in planned if path.exists()]
    if existing and not overwrite:
        shown = "、".join(_shown(path) for path in existing[:3]) + ("…" if len(existing) > 3 else "")
        _fail(f"{shown} 已存在；如确需覆盖，请加 --overwrite")

    directory.mkdir(parents=True, exist_ok=True)
    entries: list[UnitEntry] = []
    for rollup in rollups:
        target = forms[rollup.unit]
        report = write_unit_form(
            rollup, rubric, target, year=rollup.year or fallback_year, dialect=formulas, overwrite=True
        )
        if report.kept:
            click.echo(
                f"注意：{_shown(target)} 有 {len(report.kept)} 个公式未能计算，请在 Excel 中打开后保存。",
                err=True,
            )
        # The unit sheet lists the indicators several projects share, combined by the rules.
        shared = roll_up_unit(
            rollup.unit,
            found.units[rollup.unit],
            rules=rules,
            execution_weight=rubric.execution.weight,
            indicator_weight=indicator_weight,
            grouping="indicator",
            tree=tree,
        )
        entries.append(UnitEntry(rollup, target.name, shared_rows(shared)))
        for note in rollup.notes:
            click.echo(f"{rollup.unit}：{note}", err=True)
        rate = "—" if rollup.rate is None else f"{rollup.rate * 100:.2f}%"
        click.echo(
            f"{rollup.unit}：{len(rollup.projects)} 个项目，执行率 {rate}，总分 {rollup.total:.2f}（{rollup.grade}），"
            f"问题 {rollup.findings} 个；部门整体表：{_shown(target)}"
        )
    write_summary(output, entries, rules=rules)
    click.echo(f"汇总工作簿：{_shown(output)}")
    if png is not None:
        _draw(png, png_dir, entries, rules)
    if found.problems:
        # Written without them: say so in the exit code too, so a script does not take it as complete.
        click.echo(
            f"注意：{len(found.problems)} 个文件无法读取（见上面「无法读取」各行），未计入汇总。", err=True
        )
        raise SystemExit(EXIT_UNREADABLE)


def _draw(png: Path, png_dir: Path | None, entries: list[UnitEntry], rules: RuleSet) -> None:
    from jixiao.summary.charts import ChartsUnavailable, draw_charts

    try:
        drawn = draw_charts(png, entries, rules)
    except ChartsUnavailable as error:
        if png_dir is not None:
            _fail(str(error))
        click.echo(f"未画 PNG 图表：{error}", err=True)
        return
    if drawn.font is None:
        click.echo(
            "注意：未找到中文字体（如 Noto Sans CJK SC、微软雅黑），图中的中文会显示为方框。"
            "请安装中文字体（Debian/Ubuntu：apt-get install fonts-noto-cjk；Windows 自带微软雅黑）后重新汇总。",
            err=True,
        )
    click.echo(f"PNG 图表（{len(drawn.files)} 张）：{_shown(png)}")
