"""The real app in a real X window on a virtual screen, driven by a robot keyboard (xdotool)."""

import os
import shutil
import subprocess
import sys
import time

import pytest

from caseguide import settings

from ..conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool (scripts/dev.sh test installs them)")]


@pytest.fixture
def display():
    """A private virtual screen on a display number nobody else is using."""
    number = next(n for n in range(90, 200) if not os.path.exists(f"/tmp/.X{n}-lock")
                  and not os.path.exists(f"/tmp/.X11-unix/X{n}"))
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_for(lambda: os.path.exists(f"/tmp/.X11-unix/X{number}") or server.poll() is not None, 15) \
            or server.poll() is not None:
        pytest.fail("Xvfb did not start")
    yield f":{number}"
    server.terminate()
    server.wait(10)


def xdo(display, *args, timeout=20):
    result = subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display},
                            capture_output=True, text=True, timeout=timeout)
    return result.stdout.strip()


def wait_for(predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


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
