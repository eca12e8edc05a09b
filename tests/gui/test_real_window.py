"""The real app in a real X window on a virtual screen, driven by a robot keyboard (xdotool)."""

import os
import shutil
import subprocess
import sys
import time

import pytest

from caseguide import settings

from ..conftest import REPO
from .conftest import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    os.name == "nt", reason="a real window, through X11's Xvfb and xdotool: not on Windows, and under Wine Qt "
                            "cannot open a real window (an unimplemented mscms call)"), pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool (scripts/dev.sh test installs them)")]


def xdo(display, *args, timeout=20):
    result = subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display},
                            capture_output=True, text=True, timeout=timeout)
    return result.stdout.strip()


def test_search_open_and_quick_exit_in_a_real_window(display, tmp_path):
    settings.set_value("shared.enabled", "true", system=True)  # so Quick exit quits
    env = {**os.environ, "DISPLAY": display, "PYTHONPATH": str(REPO)}
    env.pop("QT_QPA_PLATFORM", None)
    app = subprocess.Popen([sys.executable, "-m", "caseguide"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        window = wait_for(lambda: app.poll() is not None or xdo(display, "search", "--name", "^CaseGuide$"), 30)
        if app.poll() is not None:
            pytest.fail(f"CaseGuide exited early ({app.returncode}): {app.communicate()[1][-2000:]}")
        assert window, "the CaseGuide window did not appear"
        window = window.splitlines()[0]
        xdo(display, "windowfocus", "--sync", window)
        xdo(display, "key", "--window", window, "ctrl+f")
        xdo(display, "type", "--delay", "40", "charges")
        time.sleep(0.6)  # the as-you-type pause
        xdo(display, "key", "Return")
        title = wait_for(lambda: (lambda name: name if name != "CaseGuide" else "")(
            xdo(display, "getwindowname", window)), 15)
        assert "CaseGuide" in title and title != "CaseGuide", title
        for _ in range(3):
            xdo(display, "key", "shift")
            time.sleep(0.15)
        assert app.wait(timeout=15) == 0
    finally:
        if app.poll() is None:
            app.kill()
        out, err = app.communicate()
    assert "Traceback" not in err, err
