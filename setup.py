"""Build hook: the wheel carries the repository's ``templates/``, ``addin/`` and ``docs/`` as package data.

They stay where readers and tests expect them (one copy in the repository); building the wheel copies
them into the package — ``jixiao/templates`` (the built-in rubrics, found by
``jixiao.rubric.templates_dir``), ``jixiao/addin/files`` (the generated add-in sources) and
``jixiao/guide`` (the user's guide, which ``jixiao kit`` run from an installed jixiao puts in the kit). All other
settings are in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: repository folder → (folder inside the installed package, file patterns)
SHARED = {
    "templates": ("jixiao/templates", ("*.yaml",)),
    "addin": ("jixiao/addin/files", ("*.bas", "README.md", "libreoffice/*")),
    "docs": ("jixiao/guide", ("*.md", "表样/*.md", "images/*.png")),
}


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads templates/ and addin/ from the checkout itself
        for source, (target, patterns) in SHARED.items():
            for pattern in patterns:
                for file in sorted((ROOT / source).glob(pattern)):
                    if file.is_file():
                        destination = Path(self.build_lib) / target / file.relative_to(ROOT / source)
                        self.mkpath(str(destination.parent))
                        self.copy_file(str(file), str(destination), preserve_mode=False)


setup(cmdclass={"build_py": BuildPy})
