"""One window per person: a second start wakes the first (how a window hidden by Quick exit comes
back), including a second start made before the first window had finished painting."""

from __future__ import annotations

import subprocess
import sys

from caseguide.gui.instance import SingleInstance

SECOND_START = (
    "import sys; from caseguide.gui.instance import SingleInstance\n"
    "other = SingleInstance(sys.argv[1])\n"
    "if other.acquire():\n"
    "    sys.exit('the lock was free')\n"
    "other.wake_other()\n"
)


def second_start(folder) -> None:
    """What ``caseguide`` does when a window is already open: finds the lock held, wakes that one."""
    done = subprocess.run([sys.executable, "-c", SECOND_START, str(folder)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr


def test_a_second_start_wakes_the_window(qtbot, tmp_path):
    first = SingleInstance(tmp_path)
    assert first.acquire()
    first.watch()
    try:
        with qtbot.waitSignal(first.woken, timeout=10000):
            second_start(tmp_path)
        with qtbot.waitSignal(first.woken, timeout=10000):  # and again: the watch goes on
            second_start(tmp_path)
    finally:
        first.release()


def test_a_wake_up_sent_before_the_first_paint_is_not_lost(qtbot, tmp_path):
    """The watcher is made after the window's first paint (start-up time, issue 26); a second
    start in between must still bring the window back."""
    first = SingleInstance(tmp_path)
    assert first.acquire()
    try:
        second_start(tmp_path)
        with qtbot.waitSignal(first.woken, timeout=5000):
            first.watch()
    finally:
        first.release()


def test_no_wake_up_without_a_second_start(qtbot, tmp_path):
    first = SingleInstance(tmp_path)
    assert first.acquire()
    try:
        with qtbot.assertNotEmitted(first.woken, wait=300):
            first.watch()
    finally:
        first.release()
