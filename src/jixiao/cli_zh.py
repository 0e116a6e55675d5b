"""click's own words in Chinese: usage lines, help headings, and the errors click raises itself.

click marks its fixed strings ("Usage:", "Missing option", "Show this message and exit." …) with
``gettext``, but looks the catalog up through the process's locale (LANG/LANGUAGE, which Windows does
not set) and the global "messages" domain. Instead, :func:`install` points the ``_``/``ngettext``
names click's modules imported at a catalog kept here, and gives every context a help formatter that
measures Chinese characters as two columns (click counts characters, so Chinese help lines came out
twice as wide as the terminal) and names click's metavars (TEXT, DIRECTORY …) in Chinese.

Only jixiao's command line calls :func:`install` (from :mod:`jixiao.cli`); it affects click in this
process only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils

#: click's message → Chinese. Placeholders keep click's names; ``!r`` is dropped where a Chinese
#: quotation mark reads better than Python's repr quotes.
CATALOG: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "子命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Confirm the action without prompting.": "不再询问，直接确认。",
    "Do you want to continue?": "要继续吗？",
    "Aborted!": "已中止。",
    "deprecated": "已停用",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（运行时决定）",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行「{command} {option}」查看帮助。",
    "Missing command.": "缺少子命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value: {message}": "值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "No such option {name!r}.": "没有选项 {name}。",
    "No such command {name!r}.": "没有子命令「{name}」。",
    "Option {name!r} does not take a value.": "选项 {name} 后面不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 需要 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "Could not open file {filename!r}: {message}": "无法打开文件「{filename}」：{message}",
    "unknown error": "未知错误",
    "Value must be an iterable.": "应为一组值。",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "提示：子命令「{name}」已停用。{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "提示：{param_type} {name} 已停用。{extra_message}"
    ),
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name}「{filename}」不存在。",
    "{name} {filename!r} is a file.": "「{filename}」是文件，这里需要文件夹。",
    "{name} {filename!r} is a directory.": "「{filename}」是文件夹，这里需要文件。",
    "{name} {filename!r} is not readable.": "{name}「{filename}」无法读取（没有权限）。",
    "{name} {filename!r} is not writable.": "{name}「{filename}」无法写入（没有权限或只读）。",
    "{name} {filename!r} is not executable.": "{name}「{filename}」不能执行。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Choice({choices})": "可选值（{choices}）",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可用：{states}",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "Press any key to continue...": "按任意键继续……",
    "Repeat for confirmation": "请再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "Windows error: {error}": "Windows 错误：{error}",
}

#: click's singular/plural pairs → Chinese (Chinese needs no plural form).
PLURALS: dict[tuple[str, str], str] = {
    (
        "Got unexpected extra argument ({args})",
        "Got unexpected extra arguments ({args})",
    ): "多余的参数：{args}",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): "是不是 {possibilities}？",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "选项 {name} 后面需要 {nargs} 个值。"
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "需要 {nargs} 个值，但只给了 {len} 个。"
    ),
    (
        "{value!r} is not {choice}.",
        "{value!r} is not one of {choices}.",
    ): "{value!r} 不是可选值 {choices} 之一。",
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."): (
        "{value!r} 不符合格式 {formats}。"
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): "需要 {len_type} 个值，但给了 {len_value} 个。",
}

#: Messages click shows only to a programmer defining commands (or for shell completion and its
#: editor helper), never to someone running jixiao: left in English on purpose.
DEVELOPER_ONLY = frozenset(
    {
        "Could not determine name for option with declarations {decls!r}",
        "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
        "Did you mean to pass '--{name}'?",
        "Arguments take exactly one parameter declaration, got {length}: {decls}.",
        "Name '{name}' defined twice",
        "Boolean option {decl!r} cannot use the same flag for true/false.",
        "Unknown color {colour!r}",
        "Unknown standard stream '{name}'",
        "Couldn't detect Bash version, shell completion is not supported.",
        "Shell completion is not supported for Bash versions older than 4.4.",
        "{editor}: Editing failed",
        "{editor}: Editing failed: {e}",
        "d",
    }
)

#: click's metavars and usage placeholders as shown in help and usage lines.
METAVARS: dict[str, str] = {
    "[OPTIONS]": "[选项]",
    "COMMAND": "子命令",
    "ARGS": "参数",
    "INTEGER RANGE": "整数",
    "FLOAT RANGE": "数字",
    "INTEGER": "整数",
    "FLOAT": "数字",
    "TEXT": "文字",
    "BOOLEAN": "是/否",
    "DIRECTORY": "文件夹",
    "DIR": "文件夹",
    "FILENAME": "文件",
    "FILES": "文件",
    "FILE": "文件",
    "FOLDERS": "文件夹",
    "FOLDER": "文件夹",
    "PATHS": "路径",
    "PATH": "路径",
    "NAME": "名称",
}
_METAVAR = re.compile(
    "|".join(rf"(?<![\w-]){re.escape(token)}(?![\w-])" for token in sorted(METAVARS, key=len, reverse=True))
)

#: The click modules whose ``_``/``ngettext`` point at the catalog.
_MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.types,
    click.termui,
    click.utils,
)


def gettext(message: str) -> str:
    return CATALOG.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    translated = PLURALS.get((singular, plural))
    if translated is None:
        return singular if count == 1 else plural
    # One Chinese text serves both forms; the plural form's placeholders are the fuller set.
    return translated


def metavars(text: str) -> str:
    """click's English metavars (TEXT, DIRECTORY, [OPTIONS] …) in ``text`` replaced by Chinese words."""
    return _METAVAR.sub(lambda match: METAVARS[match[0]], text)


# -- display width ----------------------------------------------------------------------------


def width(text: str) -> int:
    """Terminal columns ``text`` takes: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


# Characters that must not start a line (Chinese line-breaking rules, abridged).
_NO_LINE_START = set("，。、；：？！）」』》〉】”’%,.;:?!)]}…")
# Characters that must not end a line.
_NO_LINE_END = set("（「『《〈【“‘")


def _chunks(text: str) -> list[str]:
    """Break opportunities: a run of non-space narrow characters is one chunk, each wide character
    is its own chunk, spaces are their own chunks."""
    return re.findall(r"\s+|[^\s\u1100-\uffff]+|.", text)


def wrap(text: str, columns: int) -> list[str]:
    """Fill one paragraph into lines of at most ``columns`` display columns (a word longer than a line
    stands alone; punctuation stays with the character before it)."""
    columns = max(columns, 10)
    lines: list[str] = []
    line = ""
    for chunk in _chunks(" ".join(text.split())):
        if chunk.isspace():
            if line:
                line += " "
            continue
        fits = width(line.rstrip() + chunk) <= columns if chunk[0] in _NO_LINE_START else None
        if width(line + chunk) <= columns or (fits is not None and width(line + chunk) <= columns + 2):
            line += chunk
            continue
        carried = ""
        while line and line[-1] in _NO_LINE_END:
            line, carried = line[:-1], line[-1] + carried
        if line.strip():
            lines.append(line.rstrip())
        line = carried + chunk
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _paragraphs(text: str) -> Iterable[tuple[bool, str]]:
    """click's paragraph rules: blank lines separate paragraphs; one starting with ``\\b`` is kept as
    written. Yields (verbatim, text)."""
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        if block.lstrip().startswith("\b"):
            yield True, block.lstrip()[1:].lstrip("\n")
        else:
            yield False, block


def _join_lines(block: str) -> str:
    """Lines of one paragraph as one line: no space where both sides are Chinese."""
    parts = [line.strip() for line in block.splitlines() if line.strip()]
    joined = parts[0] if parts else ""
    for part in parts[1:]:
        wide = width(joined[-1]) == 2 or width(part[0]) == 2
        joined += part if wide else " " + part
    return joined


def fill(text: str, columns: int, indent: str = "") -> list[str]:
    lines: list[str] = []
    for number, (verbatim, block) in enumerate(_paragraphs(text)):
        if number:
            lines.append("")
        if verbatim:
            lines += [indent + line for line in block.splitlines()]
        else:
            lines += [indent + line for line in wrap(_join_lines(block), columns - len(indent))]
    return lines


class ChineseHelpFormatter(click.HelpFormatter):
    """click's help layout with Chinese headings, metavars and width-aware wrapping."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, metavars(args), gettext("Usage:") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        self.write("\n".join(fill(text, self.width, " " * self.current_indent)) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(metavars(first), second) for first, second in rows]
        first_col = min(max((width(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = fill(second, max(self.width - first_col - self.current_indent - 2, 10))
            self.write((lines[0] if lines else "") + "\n")
            for line in lines[1:]:
                self.write((f"{'':>{first_col + self.current_indent}}{line}" if line else "") + "\n")


def _chinese_message(original: Callable[[Any], str]) -> Callable[[Any], str]:
    """A parameter error with the parameter's metavar in Chinese, and the Chinese full stop where click
    ends "Missing option '--rubric'." with an English one."""

    def format_message(self: Any) -> str:
        message = metavars(original(self))
        return re.sub(r"^(缺少.*?)\.(?=\s|$)", r"\1。", message)

    format_message.__wrapped__ = original  # type: ignore[attr-defined]
    return format_message


def install() -> None:
    """Translate click's fixed strings in this process (idempotent)."""
    for module in _MODULES:
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    click.Context.formatter_class = ChineseHelpFormatter
    for error in (click.exceptions.BadParameter, click.exceptions.MissingParameter):
        if "format_message" in vars(error) and not hasattr(error.format_message, "__wrapped__"):
            error.format_message = _chinese_message(error.format_message)  # type: ignore[method-assign]
