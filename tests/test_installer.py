"""build_installer.py makes a bundle that runs with no project environment (slow: about a minute)."""

import json
import shutil
import subprocess
import sys
import tarfile

import pytest

from .conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    shutil.which("pyinstaller", path=str(REPO / ".venv" / "bin")) is None and
    __import__("importlib").util.find_spec("PyInstaller") is None,
    reason="PyInstaller is not installed (scripts/dev.sh test installs it)")]


def test_build_smoke_test_and_archive():
    result = subprocess.run([sys.executable, "build_installer.py"], cwd=REPO, capture_output=True, text=True,
                            stdin=subprocess.PIPE, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "smoke test passed" in result.stdout
    report = json.loads((REPO / "build" / "installer" / "report.json").read_text())
    assert report["unpacked_mb"] <= 250
    assert report["guides"] >= 1
    with tarfile.open(report["archive"]) as archive:
        names = archive.getnames()
    assert "caseguide/caseguide" in names
    assert any(n.startswith("caseguide/_internal/caseguide/_content/core/guides/") for n in names)
    assert report["window_soak"] == 200  # the real window took 200 typed searches and quit cleanly
    assert not any("QtNetwork" in n or "Qt6Network" in n or "QtWebEngine" in n for n in names)
