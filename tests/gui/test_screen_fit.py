"""The first window fits the screen a caseworker has: a 1366x768 laptop, or 1280x720 at 125%."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize

from caseguide.gui.screen_fit import FRAME_ALLOWANCE, fitted_size

from ..conftest import REPO

pytestmark = pytest.mark.gui


def inside(rect, area) -> bool:
    x, y, w, h = rect
    ax, ay, aw, ah = area
    return ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah


@pytest.mark.parametrize("width, height, scale", [(1366, 768, "1"), (1280, 720, "1.25"), (1920, 1080, "1.5")])
def test_the_first_window_fits_the_screen_with_its_toolbar_and_status_bar(tmp_path, width, height, scale):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "screen", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96, "dpr": 1}]}))
    # The file by its name in the working folder: Qt splits platform options at colons, so a Windows
    # path (C:\...) would be cut at its drive letter.
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config.name}", "QT_SCALE_FACTOR": scale,
           "PYTHONPATH": str(REPO)}
    picture = tmp_path / "window.png"
    result = subprocess.run([sys.executable, str(Path(__file__).with_name("fit_probe.py")), str(picture)],
                            capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path,
                            stdin=subprocess.PIPE)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    area = report["area"]
    assert area[2:] == [round(width / float(scale)), round(height / float(scale))]  # the screen Qt was given
    assert inside(report["frame"], area), report
    for part in ("menu_bar", "toolbar", "quick_exit", "status_bar"):
        assert report[part] is not None and inside(report[part], area), (part, report)
    assert report["size"][0] <= 1200 and report["size"][1] <= 800  # never larger than it needs
    assert picture.stat().st_size > 0


def test_a_big_screen_gets_the_preferred_size_and_a_small_one_all_of_its_room():
    big = fitted_size(QRect(0, 0, 2560, 1400), FRAME_ALLOWANCE)
    assert big == QSize(1200, 800)
    small = fitted_size(QRect(0, 0, 1366, 728), FRAME_ALLOWANCE)  # 768 less a 40-pixel taskbar
    assert small == QSize(1200, 728 - FRAME_ALLOWANCE.height())
