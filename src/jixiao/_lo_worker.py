"""UNO worker: serves recalculation requests for :mod:`jixiao.libreoffice` over JSON lines.

This script runs under the Python that can ``import uno`` (on Debian: ``/usr/bin/python3``), NOT under the
project's interpreter, so it must use only the standard library and ``uno`` — never ``jixiao``.

Protocol (one JSON object per line, UTF-8):

* On start the worker connects to the soffice named by ``--pipe`` and writes ``{"ready": true, ...}``
  (or ``{"ready": false, "error": ...}`` and exits).
* Each request line ``{"id": n, "op": "run", ...}`` gets exactly one reply line ``{"id": n, "ok": true,
  "result": ...}`` or ``{"id": n, "ok": false, "kind": "document"|"bridge"|"internal", "error": "..."}``.
  ``kind == "bridge"`` means the connection to soffice is gone; the worker exits right after replying,
  so the parent restarts both processes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

# LibreOffice error codes (include/formula/errorcodes.hxx) mapped to the Excel error literal that
# LibreOffice itself writes when it saves .xlsx (sc/source/filter/excel/xltools.cxx,
# XclTools::GetXclErrorCode).  Mirroring the export keeps recalc() and save_as_xlsx() consistent.
# Note 502 (IllegalArgument, e.g. SQRT(-1) or VALUE("x")) is exported as #VALUE!, although Excel
# itself shows #NUM! for SQRT(-1).
_ERROR_NAMES: dict[int, str] = {
    502: "#VALUE!",  # IllegalArgument
    503: "#NUM!",  # IllegalFPOperation
    504: "#VALUE!",  # IllegalParameter
    508: "#VALUE!",  # PairExpected
    509: "#VALUE!",  # OperatorExpected
    510: "#VALUE!",  # VariableExpected
    511: "#VALUE!",  # ParameterExpected
    519: "#VALUE!",  # NoValue
    521: "#NULL!",  # NoCode
    522: "#VALUE!",  # CircularReference
    524: "#REF!",  # NoRef
    525: "#NAME?",  # NoName
    530: "#NAME?",  # NoAddin
    531: "#NAME?",  # NoMacro
    532: "#DIV/0!",  # DivisionByZero
    32767: "#N/A",  # NotAvailable (NA())
}
# Codes LibreOffice's export does not list become #N/A there too.
_DEFAULT_ERROR = "#N/A"

# com.sun.star.sheet.FormulaResult.ERROR — a bit flag for XCellRangesQuery.queryFormulaCells.
_FORMULA_RESULT_ERROR = 4
# com.sun.star.sheet.CellFlags VALUE | DATETIME | STRING | FORMULA: clear contents, keep formatting.
_CLEAR_CONTENT_FLAGS = 1 | 2 | 4 | 16

# A plain A1 cell or range reference (optionally with $), as opposed to a defined name.
_REF_RE = re.compile(r"^\$?[A-Za-z]{1,3}\$?[0-9]+(:\$?[A-Za-z]{1,3}\$?[0-9]+)?$")

_SCRATCH_SHEET = "__jixiao_eval__"


class DocumentError(Exception):
    """The request or workbook is at fault (missing sheet, unknown name, unloadable file)."""


def _prop(name: str, value: Any) -> Any:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def _is_bridge_failure(exc: BaseException) -> bool:
    """True when soffice or the URP bridge is gone — then only a restart helps."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "DisposedException" in names:
        return True
    text = str(exc)
    return "Binary URP bridge" in text or "bridge disposed" in text.lower()


def _error_name(code: int) -> str:
    return _ERROR_NAMES.get(code, _DEFAULT_ERROR)


class Worker:
    def __init__(self, pipe_name: str, connect_timeout: float) -> None:
        self.pipe_name = pipe_name
        self.connect_timeout = connect_timeout
        self.ctx: Any = None
        self.desktop: Any = None

    # --- connection -------------------------------------------------------------------------------

    def connect(self) -> dict[str, Any]:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        url = f"uno:pipe,name={self.pipe_name};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + self.connect_timeout
        # soffice needs ~1 s (more with a fresh profile) before the pipe accepts: poll until deadline.
        while True:
            try:
                self.ctx = resolver.resolve(url)
                break
            except Exception as exc:  # NoConnectException until the pipe is up
                if time.monotonic() >= deadline:
                    raise RuntimeError(f"cannot connect to soffice pipe {self.pipe_name!r}: {exc}") from exc
                time.sleep(0.1)
        smgr = self.ctx.ServiceManager
        self.desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
        return {
            "version": self._config("/org.openoffice.Setup/Product", "ooSetupVersionAboutBox"),
            "ooxml_recalc_mode": self._config("/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode"),
        }

    def _config(self, path: str, name: str) -> Any:
        """Read one configuration value; lets the parent verify that our profile took effect."""
        try:
            provider = self.ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.configuration.ConfigurationProvider", self.ctx
            )
            access = provider.createInstanceWithArguments(
                "com.sun.star.configuration.ConfigurationAccess", (_prop("nodepath", path),)
            )
            value = access.getByName(name)
            return value if isinstance(value, (int, float, str, bool)) else str(value)
        except Exception:
            return None

    def terminate(self) -> None:
        """Ask soffice to exit cleanly; the parent kills it anyway if this does not work."""
        # soffice going away mid-call raises DisposedException: that is success.
        with contextlib.suppress(Exception):
            self.desktop.terminate()

    # --- requests ---------------------------------------------------------------------------------

    def run(self, req: dict[str, Any]) -> dict[str, Any]:
        path = req["path"]
        if not os.path.isfile(path):
            raise DocumentError(f"文件不存在: {path}")
        # Work on a private copy: a document loaded ReadOnly silently ignores clearContents() and
        # setString("") (LibreOffice's editability check), and a copy can never be written back or get
        # a lock file. The parent deletes the scratch directory even if we are killed mid-request.
        work_dir = tempfile.mkdtemp(prefix="doc-", dir=req.get("scratch") or None)
        try:
            copy = os.path.join(work_dir, os.path.basename(path))
            shutil.copyfile(path, copy)
            return self._run_copy(copy, path, req)
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)

    def _run_copy(self, copy: str, path: str, req: dict[str, Any]) -> dict[str, Any]:
        doc = self._load(copy, path)
        try:
            inputs = req.get("inputs") or {}
            for target, value in inputs.items():
                self._set(doc, target, value)
            # Always a full hard recalc: LibreOffice does not reliably recalc .xlsx on load, and cached
            # values written by other tools may be stale.
            doc.calculateAll()
            values: dict[str, Any] = {}
            read = req.get("read") or []
            try:
                for ref in read:
                    values[ref] = self._read(doc, ref)
            finally:
                self._drop_scratch(doc)
            store = req.get("store")
            if store:
                self._store(doc, store)
            return {"values": values}
        finally:
            self._close(doc)

    def _load(self, copy: str, path: str) -> Any:
        """Load ``copy`` (a private copy of ``path``, which is only used in messages)."""
        url = uno.systemPathToFileUrl(os.path.abspath(copy))
        props = (
            _prop("Hidden", True),
            # Not ReadOnly: see run(); on a read-only document clearing a cell is silently ignored.
            _prop("ReadOnly", False),
            # MacroExecutionMode NEVER_EXECUTE (0): a Basic runtime error would open a modal dialog
            # that hangs headless LibreOffice.
            _prop("MacroExecutionMode", 0),
            # UpdateDocMode NO_UPDATE (0): never prompt for / fetch external links.
            _prop("UpdateDocMode", 0),
        )
        try:
            doc = self.desktop.loadComponentFromURL(url, "_blank", 0, props)
        except Exception as exc:
            if _is_bridge_failure(exc):
                raise
            raise DocumentError(f"LibreOffice 无法打开 {path}: {exc}") from exc
        if doc is None:
            raise DocumentError(f"LibreOffice 无法打开 {path}（格式无法识别）")
        if not hasattr(doc, "calculateAll") or not hasattr(doc, "Sheets"):
            self._close(doc)
            raise DocumentError(f"{path} 不是电子表格文件")
        return doc

    @staticmethod
    def _close(doc: Any) -> None:
        try:
            doc.close(True)
        except Exception:
            # close() can veto (CloseVetoException); dispose() is the hard way out.
            with contextlib.suppress(Exception):
                doc.dispose()

    # --- addressing -------------------------------------------------------------------------------

    @staticmethod
    def _split_sheet(ref: str) -> tuple[str | None, str]:
        """Split Excel-style "Sheet!A1" / "'My Sheet'!A1" into (sheet, rest)."""
        ref = ref.strip()
        if ref.startswith("'"):
            i = 1
            name = []
            while i < len(ref):
                ch = ref[i]
                if ch == "'":
                    if i + 1 < len(ref) and ref[i + 1] == "'":  # '' escapes a quote
                        name.append("'")
                        i += 2
                        continue
                    break
                name.append(ch)
                i += 1
            rest = ref[i + 1 :]
            if not rest.startswith("!"):
                raise DocumentError(f"无法解析地址: {ref}")
            return "".join(name), rest[1:]
        if "!" in ref:
            sheet, rest = ref.rsplit("!", 1)
            return sheet, rest
        return None, ref

    def _sheet(self, doc: Any, name: str) -> Any:
        sheets = doc.Sheets
        if not sheets.hasByName(name):
            raise DocumentError(f"工作表不存在: {name}（现有: {', '.join(sheets.getElementNames())}）")
        return sheets.getByName(name)

    def _resolve(self, doc: Any, ref: str) -> tuple[Any, bool]:
        """Resolve an address or defined name to (XCellRange, returns-a-list-of-rows).

        For names that are not references (constants or formulas) the range is a scratch cell
        holding the name's formula.
        """
        sheet_name, rest = self._split_sheet(ref)
        if _REF_RE.match(rest):
            sheet = self._sheet(doc, sheet_name) if sheet_name is not None else doc.Sheets.getByIndex(0)
            return sheet.getCellRangeByName(rest.replace("$", "")), ":" in rest
        return self._resolve_name(doc, sheet_name, rest)

    def _resolve_name(self, doc: Any, sheet_name: str | None, name: str) -> tuple[Any, bool]:
        if sheet_name is not None:
            # "Sheet!name": the sheet-scoped name first, then the workbook one (Excel's lookup order).
            local = self._sheet(doc, sheet_name).NamedRanges
            if local.hasByName(name):
                return self._name_target(doc, local.getByName(name), name, scoped=True)
            if doc.NamedRanges.hasByName(name):
                return self._name_target(doc, doc.NamedRanges.getByName(name), name, scoped=False)
            raise DocumentError(f"名称不存在: {sheet_name}!{name}")
        if doc.NamedRanges.hasByName(name):
            return self._name_target(doc, doc.NamedRanges.getByName(name), name, scoped=False)
        # Not a workbook-level name: accept a sheet-scoped one if exactly one sheet defines it.
        owners = [
            s for s in doc.Sheets.getElementNames() if doc.Sheets.getByName(s).NamedRanges.hasByName(name)
        ]
        if len(owners) == 1:
            named = doc.Sheets.getByName(owners[0]).NamedRanges.getByName(name)
            return self._name_target(doc, named, name, scoped=True)
        if owners:
            raise DocumentError(f"名称 {name} 在多个工作表中定义（{', '.join(owners)}），请写成 表名!{name}")
        raise DocumentError(f"名称不存在: {name}")

    def _name_target(self, doc: Any, named: Any, name: str, *, scoped: bool) -> tuple[Any, bool]:
        cells = named.getReferredCells()
        if cells is not None:
            addr = cells.getRangeAddress()
            multi = addr.StartColumn != addr.EndColumn or addr.StartRow != addr.EndRow
            return cells, multi
        # A constant or formula name (e.g. 权重 = 0.6): evaluate it in a scratch cell. A workbook name
        # can be referenced directly; for a sheet-scoped one we evaluate its content, whose references
        # LibreOffice reports with explicit sheet names.
        formula = "=" + (named.getContent() if scoped else name)
        cell = self._scratch(doc).getCellByPosition(0, 0)
        cell.setFormula(formula)  # a new formula cell is dirty and gets computed when read
        return cell, False

    def _scratch(self, doc: Any) -> Any:
        sheets = doc.Sheets
        if not sheets.hasByName(_SCRATCH_SHEET):
            sheets.insertNewByName(_SCRATCH_SHEET, sheets.getCount())
        return sheets.getByName(_SCRATCH_SHEET)

    @staticmethod
    def _drop_scratch(doc: Any) -> None:
        # Remove before any store so the scratch sheet never reaches an exported file.
        if doc.Sheets.hasByName(_SCRATCH_SHEET):
            doc.Sheets.removeByName(_SCRATCH_SHEET)

    # --- values -----------------------------------------------------------------------------------

    def _set(self, doc: Any, target: str, value: Any) -> None:
        rng, _multi = self._resolve(doc, target)
        if rng.getSpreadsheet().getName() == _SCRATCH_SHEET:
            raise DocumentError(f"不能给非单元格名称赋值: {target}")
        addr = rng.getRangeAddress()
        rows = addr.EndRow - addr.StartRow + 1
        cols = addr.EndColumn - addr.StartColumn + 1
        if rows == 1 and cols == 1 and not isinstance(value, list):
            self._set_cell(rng.getCellByPosition(0, 0), value, target)
            return
        # A range takes a list of rows of the same shape.
        if (
            not isinstance(value, list)
            or len(value) != rows
            or any(not isinstance(r, list) or len(r) != cols for r in value)
        ):
            raise DocumentError(f"{target} 是 {rows}×{cols} 区域，需要同样形状的二维列表")
        for r, row in enumerate(value):
            for c, v in enumerate(row):
                self._set_cell(rng.getCellByPosition(c, r), v, target)

    @staticmethod
    def _set_cell(cell: Any, value: Any, target: str) -> None:
        if value is None:
            cell.clearContents(_CLEAR_CONTENT_FLAGS)
        elif isinstance(value, bool):
            cell.setValue(1.0 if value else 0.0)
        elif isinstance(value, (int, float)):
            if not math.isfinite(value):
                raise DocumentError(f"{target}: 不能写入非有限数 {value!r}")
            cell.setValue(float(value))
        elif isinstance(value, str):
            # setString stores text verbatim, so "=1+1" or "≥95%" are never parsed as formulas/numbers.
            cell.setString(value)
        else:
            raise DocumentError(f"{target}: 不支持的值类型 {type(value).__name__}")

    def _read(self, doc: Any, ref: str) -> Any:
        rng, multi = self._resolve(doc, ref)
        rows = self._range_values(rng)
        return rows if multi else rows[0][0]

    @staticmethod
    def _range_values(rng: Any) -> list[list[Any]]:
        """Values of a range as rows, in a constant number of UNO calls (plus one per error cell).

        getDataArray() gives floats and strings, but '' for both empty cells and empty-text results,
        and None for error cells; the two queries below tell those apart.
        """
        base = rng.getRangeAddress()
        out: list[list[Any]] = [list(row) for row in rng.getDataArray()]
        for a in rng.queryEmptyCells().getRangeAddresses():
            for r in range(a.StartRow, a.EndRow + 1):
                for c in range(a.StartColumn, a.EndColumn + 1):
                    out[r - base.StartRow][c - base.StartColumn] = None
        for a in rng.queryFormulaCells(_FORMULA_RESULT_ERROR).getRangeAddresses():
            for r in range(a.StartRow, a.EndRow + 1):
                for c in range(a.StartColumn, a.EndColumn + 1):
                    cell = rng.getCellByPosition(c - base.StartColumn, r - base.StartRow)
                    out[r - base.StartRow][c - base.StartColumn] = _error_name(cell.getError())
        return out

    # --- export -----------------------------------------------------------------------------------

    def _store(self, doc: Any, store: dict[str, Any]) -> None:
        out = os.path.abspath(store["path"])
        props = [_prop("FilterName", store["filter"]), _prop("Overwrite", True)]
        filter_data = store.get("filter_data")
        if filter_data:
            seq = tuple(_prop(k, v) for k, v in filter_data.items())
            props.append(_prop("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", seq)))
        try:
            doc.storeToURL(uno.systemPathToFileUrl(out), tuple(props))
        except Exception as exc:
            if _is_bridge_failure(exc):
                raise
            raise DocumentError(f"导出失败（过滤器 {store['filter']!r} → {out}）: {exc}") from exc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pipe", required=True)
    parser.add_argument("--connect-timeout", type=float, default=60.0)
    args = parser.parse_args()

    # Keep a private copy of stdout for the protocol and point fd 1 at stderr, so that anything the
    # UNO runtime or a library prints cannot corrupt the JSON stream.
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    requests = open(sys.stdin.fileno(), encoding="utf-8", closefd=False)  # noqa: SIM115 - lives until exit

    def reply(obj: dict[str, Any]) -> None:
        proto.write(json.dumps(obj, ensure_ascii=False) + "\n")
        proto.flush()

    worker = Worker(args.pipe, args.connect_timeout)
    try:
        info = worker.connect()
    except Exception as exc:
        reply({"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        return 2
    reply({"ready": True, "pid": os.getpid(), **info})

    for line in requests:
        if not line.strip():
            continue
        rid = None
        try:
            req = json.loads(line)
            rid = req.get("id")
            op = req.get("op")
            if op == "ping":
                result: Any = {"pong": True}
            elif op == "run":
                result = worker.run(req)
            elif op == "quit":
                worker.terminate()
                reply({"id": rid, "ok": True, "result": None})
                return 0
            else:
                raise DocumentError(f"unknown op {op!r}")
            reply({"id": rid, "ok": True, "result": result})
        except DocumentError as exc:
            reply({"id": rid, "ok": False, "kind": "document", "error": str(exc)})
        except Exception as exc:
            if _is_bridge_failure(exc):
                reply({"id": rid, "ok": False, "kind": "bridge", "error": f"{type(exc).__name__}: {exc}"})
                return 3  # the connection is dead; the parent restarts soffice and us
            # UNO exceptions from bad requests (e.g. an invalid range) land here; the bridge is fine.
            reply(
                {
                    "id": rid,
                    "ok": False,
                    "kind": "internal",
                    "error": f"{type(exc).__name__}: {exc}",
                    "trace": traceback.format_exc(limit=5),
                }
            )
    # stdin closed without "quit": the parent is gone (perhaps killed outright). Take soffice down
    # with us so it does not linger as an orphan.
    worker.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
