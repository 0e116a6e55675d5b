"""``python -m jixiao.addin``: regenerate the files in ``addin/`` from the function registry."""

from __future__ import annotations

from jixiao.addin import write_addin_dir

for written in write_addin_dir():
    print(written)
