"""build_installer.py makes a bundle that runs with no project environment (slow: about a minute)."""

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest

from .conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    shutil.which("pyinstaller", path=str(REPO / ".venv" / "bin")) is None and
    __import__("importlib").util.find_spec("PyInstaller") is None,
    reason="PyInstaller is not installed (scripts/dev.sh test and scripts/windows-test.sh install it)")]


def test_build_smoke_test_and_archive():
    result = subprocess.run([sys.executable, "build_installer.py"], cwd=REPO, capture_output=True, text=True,
                            stdin=subprocess.PIPE, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "smoke test passed" in result.stdout
    report = json.loads((REPO / "build" / "installer" / "report.json").read_text())
    assert report["unpacked_mb"] <= 150
    assert report["guides"] >= 1
    # the bundle made a feed in a folder, and `caseguide update --check` then `update` read it
    assert "smoke test: caseguide update --check and update from a folder feed" in result.stdout
    assert "smoke test: caseguide handout" in result.stdout  # segno is in the bundle: the QR codes need it
    assert report["update_seconds"] > 0
    if os.name == "nt":
        with zipfile.ZipFile(report["archive"]) as archive:
            names = archive.namelist()
        # the console program and the windowed one (checked to be one each by the smoke test)
        assert {"caseguide/caseguide.exe", "caseguide/caseguidew.exe"} <= set(names)
        assert "smoke test: caseguidew.exe (windowed) drew the window" in result.stdout
        # the real-window soak needs Xvfb and xdotool; under Wine Qt cannot open a real window at all
        assert report["window_soak"] == "skipped"
    else:
        with tarfile.open(report["archive"]) as archive:
            names = archive.getnames()
        assert "caseguide/caseguide" in names
        assert report["window_soak"] == 200  # the real window took 200 typed searches and quit cleanly
    assert any(n.startswith("caseguide/_internal/caseguide/_content/core/guides/") for n in names)
    assert not any("QtNetwork" in n or "Qt6Network" in n or "QtWebEngine" in n for n in names)
    # Babel's data and Qt's words only for the interface's languages; no GTK theme, no software OpenGL
    data = {n.rsplit("/", 1)[-1] for n in names if "/babel/locale-data/" in n}
    assert {"root.dat", "en.dat", "ar.dat", "ckb.dat"} <= data and "de.dat" not in data and len(data) < 20
    assert any(n.endswith("qtbase_ar.qm") for n in names) and not any(n.endswith("qt_de.qm") for n in names)
    assert not any("libgtk-3" in n or "qgtk3" in n or "opengl32sw" in n for n in names)
