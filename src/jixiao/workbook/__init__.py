"""What every feature shares about .xlsx files: the workbook contract, the safe way to open a user's
file, the fast zip reader, cell and reference helpers, file discovery and atomic writes.

It depends only on :mod:`jixiao.core`; the features (generate, check, recalc, summary, addin) depend
on it and never on each other's submodules.
"""
