"""The Quick exit watchdog's Windows side against a window whose thread is really stuck (another
process, stuck_window.py, red so the screen shows whether it can still be seen). Windows only; in
the Wine lane this needs Wine's X11 driver (DISPLAY on an Xvfb screen): without one no window opens.

Qt's own windows cannot be opened under Wine (see /work/shared/windows/README.md), so the window side
(QProcess, beats, the windows' ids) is tested offscreen in tests/gui/test_quick_exit_watch.py."""

import ctypes
import os
import queue
import subprocess
import sys
import threading
import time

import pytest

from ..conftest import REPO

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="Windows' own window functions")

STUCK = REPO / "tests" / "session" / "stuck_window.py"
RED = 0x0000FF
DEADLINE = 0.2


def lines_of(stream) -> queue.Queue:
    lines: queue.Queue = queue.Queue()

    def read():
        for line in stream:
            lines.put(line.strip())
        lines.put(None)
    threading.Thread(target=read, daemon=True).start()
    return lines


@pytest.fixture
def stuck():
    """stuck(seconds) -> (window handle, its lines): a red window whose thread handles nothing for that long."""
    started = []

    def start(seconds):
        process = subprocess.Popen([sys.executable, str(STUCK), str(seconds)], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True)
        started.append(process)
        lines = lines_of(process.stdout)
        first = lines.get(timeout=30)
        if first == "none":
            pytest.skip("no window can be opened here (Wine without a display: set DISPLAY to an Xvfb screen)")
        return int(first), lines

    yield start
    for process in started:
        process.wait(30)
        process.stdin.close()
        process.stdout.close()


def pixel(x, y) -> int:
    from ctypes import wintypes

    user, gdi = ctypes.WinDLL("user32"), ctypes.WinDLL("gdi32")
    user.GetDC.restype = wintypes.HDC
    user.ReleaseDC.argtypes = [wintypes.HWND, wintypes.HDC]
    gdi.GetPixel.argtypes = [wintypes.HDC, ctypes.c_int, ctypes.c_int]
    gdi.GetPixel.restype = wintypes.DWORD
    screen = user.GetDC(None)
    try:
        return gdi.GetPixel(screen, x, y)
    finally:
        user.ReleaseDC(None, screen)


def centre(hwnd) -> tuple[int, int]:
    from ctypes import wintypes

    rect = wintypes.RECT()
    ctypes.WinDLL("user32").GetWindowRect(wintypes.HWND(hwnd), ctypes.byref(rect))
    return (rect.left + rect.right) // 2, (rect.top + rect.bottom) // 2


def until(condition, seconds, pump=lambda: None) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        pump()
        time.sleep(0.002)
    return True


def test_a_stuck_window_is_covered_at_once_and_hidden_when_its_thread_is_free(stuck):
    from caseguide.session.win32 import WindowsScreen

    screen = WindowsScreen()
    hwnd, lines = stuck(3)
    where = centre(hwnd)
    assert pixel(*where) == RED
    assert screen.focused([hwnd])
    asked = time.monotonic()
    assert screen.hide([hwnd]) == 1
    assert until(lambda: pixel(*where) != RED, DEADLINE, screen._pump), "the stuck window can still be seen"
    assert time.monotonic() - asked < DEADLINE
    assert lines.empty(), "the window's thread was free already: this proves nothing"
    assert lines.get(timeout=10) == "free"
    assert until(lambda: not screen.covers, 5, lambda: screen.keep_hidden([hwnd])), "the cover stayed"
    assert lines.get(timeout=10) == "hidden"  # the hide it was asked for, done by its own thread
    screen.close()


def test_the_watchdog_hides_a_stuck_window_on_shift_three_times(stuck):
    from ctypes import wintypes

    user = ctypes.WinDLL("user32")
    user.keybd_event.argtypes = [wintypes.BYTE, wintypes.BYTE, wintypes.DWORD, ctypes.c_size_t]
    hwnd, lines = stuck(6)
    where = centre(hwnd)
    watchdog = subprocess.Popen([sys.executable, "-S", "-m", "caseguide.session.watchdog"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONPATH": str(REPO), "CASEGUIDE_QUICK_EXIT_TRACE": "1"})
    said, trace = lines_of(watchdog.stdout), lines_of(watchdog.stderr)
    try:
        assert said.get(timeout=30) == "ready WindowsScreen"
        watchdog.stdin.write(f"windows {hwnd}\n")  # and no beat: the window is busy
        watchdog.stdin.flush()
        assert "watching" in trace.get(timeout=5)  # no beat for 100 ms, and the window in front
        for n in range(3):
            if n == 2:
                pressed = time.monotonic()
            user.keybd_event(0xA0, 0x2A, 0, 0)  # left Shift down
            if n == 2:
                break
            time.sleep(0.06)
            user.keybd_event(0xA0, 0x2A, 2, 0)  # up
            time.sleep(0.1)
        assert said.get(timeout=2) == "hidden"
        assert until(lambda: pixel(*where) != RED, DEADLINE), "the stuck window can still be seen"
        assert time.monotonic() - pressed < DEADLINE
        assert lines.empty(), "the window's thread was free already: this proves nothing"
    finally:
        user.keybd_event(0xA0, 0x2A, 2, 0)
        watchdog.stdin.close()
        assert watchdog.wait(10) == 0  # its input closed: it ends
        watchdog.stdout.close()
        watchdog.stderr.close()
