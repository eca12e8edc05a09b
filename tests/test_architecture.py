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


# The one module that may open a connection: caseguide update's fetcher (issue 25).
NETWORK_MODULE = PACKAGE / "updates" / "fetch.py"


def _all_imports(path: Path) -> set[str]:
    """Every module *path* imports, in full (``urllib.request``, ``tuf.ngclient``), relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names |= {f"{base}.{a.name}" for a in node.names}
    return names


def test_nothing_in_the_package_talks_to_the_network_but_the_update_fetcher():
    banned = {"socket", "urllib3", "requests", "http", "ftplib", "smtplib", "httpx", "QtNetwork", "ssl"}
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = {n for n in _all_imports(path) if n.split(".")[0] in banned or n.startswith("urllib.request")}
        if found and path != NETWORK_MODULE:
            offenders[str(path.relative_to(REPO))] = found
        assert "QNetworkAccessManager" not in text, path
    assert offenders == {}
    assert "urllib3" in _imports(NETWORK_MODULE)  # the check above is looking at the right file


def test_only_the_updates_package_uses_tuf_and_the_window_only_reads_the_record():
    tuf_users = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                       if {"tuf", "securesystemslib"} & _imports(p))
    assert tuf_users and all(p.startswith("updates") for p in tuf_users), tuf_users
    # The window may show the last update (state.py), never fetch one: nothing under gui/ reaches
    # caseguide.updates but its state module.
    reached = {p.relative_to(REPO): sorted(n for n in _all_imports(p) if n.startswith("caseguide.updates")
                                           and not n.startswith("caseguide.updates.state"))
               for p in (PACKAGE / "gui").rglob("*.py")}
    assert {p: n for p, n in reached.items() if n} == {}
    # And the record's module stays clear of TUF and the network, for the window's sake.
    state_imports = _all_imports(PACKAGE / "updates" / "state.py") | _all_imports(PACKAGE / "updates" / "store.py")
    assert not {n for n in state_imports if n.split(".")[0] in ("tuf", "securesystemslib", "urllib3")
                or n.endswith((".fetch", ".client"))}
