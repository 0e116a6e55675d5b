"""Reading rubric files: YAML → validated :class:`Rubric`, with errors that name file and line."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jixiao.rubric.model import Rubric

# Messages for pydantic's error types, in the user's language.
_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的项（拼写是否有误？）",
    "string_type": "应为文字",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为键值表",
    "tuple_type": "应为列表",
    "too_short": "项数太少",
    "too_long": "项数太多",
    "greater_than": "应大于下限",
    "greater_than_equal": "不能小于下限",
    "less_than_equal": "超过上限",
    "string_pattern_mismatch": "格式不对（只能用小写字母、数字和连字符）",
    "union_tag_invalid": "type 不是已知的块类型",
    "union_tag_not_found": "缺少 type（块类型）",
}


# PyYAML's problems (English), by how they begin, in the user's language; any other is named by
# its place alone rather than shown in English.
# The parser's own words, PyYAML's pure-Python spellings and libyaml's (CSafeLoader) side by side.
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "这里不能再有冒号「:」（文字中含冒号时请整段加引号）"),
    ("expected <block end>", "缩进不一致（同一层的项应对齐）"),
    ("expected the node content", "内容不完整（括号或引号没有闭合？）"),
    ("did not find expected node content", "内容不完整（括号或引号没有闭合？）"),
    ("expected ',' or ']'", "方括号「[」没有闭合或缺少逗号"),
    ("did not find expected ',' or ']'", "方括号「[」没有闭合或缺少逗号"),
    ("expected ',' or '}'", "花括号「{」没有闭合或缺少逗号"),
    ("did not find expected ',' or '}'", "花括号「{」没有闭合或缺少逗号"),
    ("found unexpected end of stream", "引号没有闭合"),
    ("found character '\\t'", "用了 Tab 字符，请改用空格"),
    ("found undefined alias", "引用了未定义的锚点（*名称）"),
    ("found duplicate anchor", "锚点（&名称）重复定义"),
    ("found unknown escape character", "双引号中有无法识别的转义（\\ 后的字符）；不需要转义时请改用单引号"),
    (
        "could not determine a constructor",
        "有不支持的标签（!! 开头），表样定义只能用文字、数字、列表和键值表",
    ),
    ("could not find expected ':'", "缺少冒号「:」"),
    ("did not find expected key", "缩进不一致或缺少键名"),
    ("did not find expected '-'", "列表项缩进不一致（应以「- 」开头并对齐）"),
)


def _yaml_problem(error: yaml.YAMLError, text: str = "") -> str:
    mark = getattr(error, "problem_mark", None)
    lines = text.splitlines()
    if (
        mark is not None
        and mark.line < len(lines)
        and lines[mark.line][mark.column : mark.column + 1] == "\t"
    ):
        return "用了 Tab 字符，请改用空格"  # libyaml does not name the character it stopped at
    said = (str(getattr(error, "problem", None) or ""), str(getattr(error, "context", None) or ""))
    for start, meaning in _YAML_PROBLEMS:
        if any(text.startswith(start) for text in said):
            return meaning
    return "无法解析"


class RubricError(ValueError):
    """A rubric file that cannot be used; the message names the file, the line and the problem."""


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that refuses duplicate keys; libyaml's parser when PyYAML has it (ten times
    faster than the pure-Python one: the seven built-in rubrics compose in 5 ms instead of 50 ms)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise RubricError(f"第 {key_node.start_mark.line + 1} 行：「{key}」重复出现")
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_index(node: yaml.Node, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], int]:
    """Line number (1-based) of each path into the document."""
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            lines.update(_line_index(value_node, child))
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_line_index(item, (*path, index)))
    return lines


def _describe(error: dict[str, Any], lines: dict[tuple[Any, ...], int], label: str) -> str:
    loc = tuple(error["loc"])
    # pydantic adds the union member's tag to the location ("blocks", 3, "indicators", "rows"…).
    path = tuple(
        part for part in loc if not (isinstance(part, str) and part in _BLOCK_TAGS and loc.index(part) > 0)
    )
    line = None
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            break
    where = "/".join(str(part) for part in path) or "文件顶层"
    message = error.get("msg", "")
    if error["type"] in _MESSAGES:
        message = _MESSAGES[error["type"]]
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    at = f"第 {line} 行" if line else "某行"
    return f"{label} {at}（{where}）：{message}"


_BLOCK_TAGS = {
    "title",
    "fields",
    "text",
    "plan",
    "execution",
    "goal_pair",
    "indicators",
    "common",
    "total",
    "note",
    "text_pair",
}


def parse_rubric(text: str, label: str = "表样定义") -> Rubric:
    """Validate rubric text; ``label`` names the file in messages."""
    if _flow_depth(text) > MAX_DEPTH:
        raise RubricError(f"{label}：YAML 嵌套超过 {MAX_DEPTH} 层，不像表样定义，已拒绝读取")
    loader = _LineLoader(text)
    try:
        # One parse: the node tree gives the line numbers for messages, is measured (aliases
        # expanded) before anything is built from it, and is constructed into data.
        node = loader.get_single_node()
        _check_expansion(node, label)
        data = loader.construct_document(node) if node is not None else None
    except RubricError as error:
        raise RubricError(error.args[0] if str(error).startswith(label) else f"{label} {error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else ""
        raise RubricError(f"{label} {at}：YAML 格式错误：{_yaml_problem(error, text)}") from None
    except RecursionError:
        raise RubricError(f"{label}：YAML 嵌套层级过深，不像表样定义，已拒绝读取") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or node is None:
        raise RubricError(f"{label}：内容应为一个键值表（name、title、kind、blocks …）")
    try:
        return Rubric.model_validate(data)
    except ValidationError as error:
        lines = _line_index(node)
        problems = [_describe(item, lines, label) for item in error.errors(include_url=False)]
        raise RubricError("\n".join(problems)) from None


# A form's definition is 5–15 KB with a few hundred YAML nodes; these bounds are far above that
# and far below what hurts: a 64 MB file, "billion laughs" (nine aliases of nine aliases … expand
# to 9^9 nodes while the text is 400 bytes), or 100,000 nested brackets (PyYAML's scanner is
# quadratic in the nesting depth).
MAX_RUBRIC_BYTES = 1024 * 1024
MAX_NODES = 100_000  # once aliases are expanded
MAX_DEPTH = 100


def _flow_depth(text: str) -> int:
    """The deepest nesting of [ and { (quoted text may miscount: only depths far beyond a form matter)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


def _check_expansion(node: yaml.Node | None, label: str) -> None:
    """Refuse a document whose aliases expand to more than :data:`MAX_NODES` nodes, or refer to
    themselves: counted over the composed graph (shared nodes counted once per use, each computed once)."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(current: yaml.Node) -> int:
        key = id(current)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise RubricError(f"{label}：YAML 中的别名（*引用）指向自身，已拒绝读取")
        open_nodes.add(key)
        total = 1
        if isinstance(current, yaml.SequenceNode):
            total += sum(size(item) for item in current.value)
        elif isinstance(current, yaml.MappingNode):
            total += sum(size(key_node) + size(value_node) for key_node, value_node in current.value)
        open_nodes.discard(key)
        if total > MAX_NODES:
            raise RubricError(
                f"{label}：YAML 中的别名（&锚点 / *引用）展开后超过 {MAX_NODES} 项，"
                "可能是恶意文件（实体膨胀），已拒绝读取"
            )
        sizes[key] = total
        return total

    if node is not None:
        size(node)


def rubric_text(path: str | os.PathLike[str]) -> str:
    """A rubric file's text: UTF-8 (with or without BOM) as YAML is written, UTF-16 with a BOM, or
    GBK — what Notepad on a Chinese Windows saves as "ANSI"."""
    file = Path(path)
    return _decode(_rubric_bytes(file), file)


def _rubric_bytes(file: Path) -> bytes:
    try:
        size = file.stat().st_size
        if size > MAX_RUBRIC_BYTES:
            raise RubricError(
                f"{file}：文件有 {size / 1024 / 1024:.0f} MB，超过 {MAX_RUBRIC_BYTES // 1024 // 1024} MB 上限，"
                "不像表样定义文件，已拒绝读取"
            )
        return file.read_bytes()
    except FileNotFoundError:
        raise RubricError(f"找不到表样定义文件：{file}") from None
    except OSError as error:
        raise RubricError(f"{file}：无法读取（{error.strerror or error}）") from None


def _decode(data: bytes, file: Path) -> str:
    encodings = ["utf-8", "gb18030"]
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            data, encodings = data[len(bom) :], [encoding]
            break
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _BINARY.search(text):
            return text
    raise RubricError(f"{file}：不是文本文件（含有二进制数据或无法识别的编码）；请存为 UTF-8 编码的 YAML")


_BINARY = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


# Rubrics already parsed in this process, by (path, SHA-256 of the file's bytes): every command and
# every check worker asks for the built-in rubrics, often several times, and a Rubric is frozen, so
# one parsed copy can be shared. Keying by content (not mtime) means an edited file is always
# re-read, however quickly it was edited; reading a few kilobytes to hash them costs microseconds.
_PARSED: dict[tuple[str, bytes], Rubric] = {}
_PARSED_LOCK = threading.Lock()


def load_rubric(path: str | os.PathLike[str]) -> Rubric:
    file = Path(path)
    raw = _rubric_bytes(file)
    key = (str(file), hashlib.sha256(raw).digest())
    cached = _PARSED.get(key)
    if cached is not None:
        return cached
    rubric = parse_rubric(_decode(raw, file), str(file))
    with _PARSED_LOCK:
        return _PARSED.setdefault(key, rubric)


def templates_dir() -> Path:
    """Where the built-in rubrics live: the repository's templates/ or the installed copy."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[3] / "templates", here.parents[1] / "templates"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    packaged = resources.files("jixiao").joinpath("templates")
    return Path(str(packaged))


@lru_cache(maxsize=1)
def rubric_files() -> dict[str, Path]:
    """The built-in rubric files by rubric name, in file-name order."""
    files: dict[str, Path] = {}
    for file in sorted(templates_dir().glob("*.yaml")):
        rubric = load_rubric(file)
        if rubric.name in files:
            raise RubricError(f"{file}：表样名称「{rubric.name}」与其他内置表样重复")
        files[rubric.name] = file
    return files


@lru_cache(maxsize=1)
def builtin_rubrics() -> dict[str, Rubric]:
    """The built-in rubrics by name, in file-name order."""
    return {name: load_rubric(file) for name, file in rubric_files().items()}


def find_rubric(name_or_path: str) -> Rubric:
    """A built-in rubric by name, or a rubric file by path."""
    rubrics = builtin_rubrics()
    if name_or_path in rubrics:
        return rubrics[name_or_path]
    if name_or_path.endswith((".yaml", ".yml")) or os.sep in name_or_path:
        return load_rubric(name_or_path)
    known = "、".join(rubrics)
    raise RubricError(f"没有名为「{name_or_path}」的表样。内置表样：{known}")
