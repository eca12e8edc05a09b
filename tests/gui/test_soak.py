"""A working morning in one process: the real window survives hundreds of searches.

With PySide6 6.12.0 on CPython 3.11 each void Qt call made from Python drops a reference to None,
and the window aborted ("Fatal Python error: none_dealloc") after about 100 typed searches; the rest
of the suite never ran the window long enough to see it. This test runs the window as `caseguide`
opens it (caseguide.gui.app.open_window), in a real X window on a virtual screen where Xvfb is
installed (offscreen otherwise), and drives it with key presses in its own process, so an abort fails
this test instead of the test run. benchmarks/bench_soak.py runs a whole day's use.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

from ..conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.gui]

SEARCHES = 400


@pytest.fixture
def screen(request):
    """A real X display where there is one to be had, else Qt's offscreen platform."""
    if shutil.which("Xvfb") and sys.platform.startswith("linux"):
        return {"DISPLAY": request.getfixturevalue("display"), "QT_QPA_PLATFORM": "xcb"}
    return {"QT_QPA_PLATFORM": "offscreen"}


def test_four_hundred_searches_each_opening_a_guide_and_going_back(screen):
    env = {**os.environ, **screen, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, str(REPO / "tests" / "gui" / "soak_driver.py"), "--searches", str(SEARCHES), "--json"],
        capture_output=True, text=True, timeout=600, stdin=subprocess.PIPE, env=env, cwd=REPO)
    assert result.returncode == 0, f"the window died (exit {result.returncode}):\n{result.stderr[-3000:]}"
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["searches"] == SEARCHES
    assert report["opened"] == SEARCHES  # every search opened its best match and came back
