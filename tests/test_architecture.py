"""The house rules that keep the code honest: a Qt-free core, one whoosh, no network."""

import ast
import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "caseguide"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_gui_package_imports_pyside6():
    offenders = [p.relative_to(REPO) for p in PACKAGE.rglob("*.py")
                 if "PySide6" in _imports(p) and "gui" not in p.relative_to(PACKAGE).parts]
    assert offenders == []


def test_only_the_search_package_imports_whoosh():
    offenders = [p.relative_to(REPO) for p in PACKAGE.rglob("*.py")
                 if "whoosh" in _imports(p) and p.relative_to(PACKAGE).parts[0] != "search"]
    assert offenders == []


def test_the_core_imports_with_pyside6_hidden():
    blocker = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'PySide6': raise ImportError('PySide6 is hidden')\n"
        "sys.meta_path.insert(0, Block())\n"
    )
    modules = sorted(".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
                     for p in PACKAGE.rglob("*.py")
                     if p.stem != "__main__" and "gui" not in p.relative_to(PACKAGE).parts)
    assert {"caseguide.library.install", "caseguide.search.query", "caseguide.library.library"} <= set(modules)
    code = blocker + "".join(f"import {m}\n" for m in modules)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr


def test_whoosh_reloaded_is_the_only_whoosh_installed():
    names = {(d.metadata["Name"] or "").lower() for d in importlib.metadata.distributions()}
    assert "whoosh-reloaded" in names
    assert "whoosh" not in names


def test_nothing_in_the_package_talks_to_the_network():
    banned = {"socket", "urllib3", "requests", "http", "ftplib", "smtplib", "httpx", "QtNetwork"}
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = _imports(path) & banned
        assert not found, f"{path} imports {found}"
        assert "QNetworkAccessManager" not in text, path
