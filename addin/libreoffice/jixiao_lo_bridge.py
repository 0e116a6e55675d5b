"""jixiao's bridge component for LibreOffice: installed as ``<profile>/user/jixiao/jixiao_lo_bridge.py``.

LibreOffice's Python loader (``com.sun.star.loader.Python``, part of python3-uno) executes this file
inside soffice when the Basic module first calls a JX_* function; the object it makes serves every
later call. It is not imported by jixiao itself: it needs ``uno``, which exists only in LibreOffice's
Python.

The object implements ``com.sun.star.script.provider.XScript`` — the interface of a script found
through the script provider — so Basic calls it as ``bridge.invoke(Array(name, args), idx, out)``
without any type library of our own, and without the separate Python script provider package.

The JSON file beside this one (written by ``jixiao addin libreoffice install``) lists the folders to
put on ``sys.path`` so that ``import jixiao`` works: the folder holding the installed jixiao package.
"""

import json
import os
import sys

import unohelper  # type: ignore[import-not-found]
from com.sun.star.script.provider import XScript  # type: ignore[import-not-found]

IMPLEMENTATION = "org.jixiao.Bridge"
ERROR_RESULT = "__jx_error__#VALUE!"
MINIMUM_PYTHON = (3, 10)

_runtime = None


def _load_runtime():
    """Import jixiao's runtime once, from the paths the installer recorded."""
    global _runtime
    if _runtime is None:
        if sys.version_info < MINIMUM_PYTHON:
            raise RuntimeError("jixiao 需要 Python 3.10 以上；LibreOffice 自带的 Python 版本过低")
        config = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jixiao_lo_bridge.json")
        with open(config, encoding="utf-8") as handle:
            settings = json.load(handle)
        for path in reversed(settings.get("python_path", [])):
            if path not in sys.path:
                sys.path.insert(0, path)
        from jixiao.addin import lo_runtime

        _runtime = lo_runtime
    return _runtime


class JixiaoBridge(unohelper.Base, XScript):
    def __init__(self, ctx):
        self.ctx = ctx

    def invoke(self, params, out_index, out_params):
        # XScript.invoke has two out-parameters; Python returns them after the result.
        try:
            name, args = params[0], params[1]
            return _load_runtime().call(name, tuple(args)), (), ()
        except Exception:  # a failure here must become a cell error, never a Basic dialog
            return ERROR_RESULT, (), ()


g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(JixiaoBridge, IMPLEMENTATION, (IMPLEMENTATION,))
