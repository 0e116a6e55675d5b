"""The offline install kit for Windows PCs: ``jixiao kit -o DIR`` writes one .zip holding the jixiao
wheel, every dependency as win_amd64 wheels for the supported CPython versions, the install and
uninstall scripts (``安装.bat``, ``卸载.bat`` → :mod:`jixiao.kit.installer`) and ``说明.txt``.

* :mod:`jixiao.kit.build` — building the wheel, downloading the wheels, writing the .zip;
* :mod:`jixiao.kit.installer` — the installer the scripts run on the accountant's PC (standard
  library only: it runs before jixiao is installed);
* :mod:`jixiao.kit.cli` — the ``jixiao kit`` command.
"""
