"""Quick exit while the window's thread is stuck: the real window on a virtual X screen, its thread
kept busy (Python on the UI thread; Qt laying out a long page, which holds Python's lock), and a
robot keyboard (xdotool, through XTEST, as a person's keys arrive). Every CaseGuide window must be
off the screen within 200 ms of the last key, while the thread is still busy; then, once the thread
is free, the session is reset (or CaseGuide quits, as the setting says)."""

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from caseguide import settings

from ..conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    os.name == "nt", reason="a real window through X11's Xvfb and xdotool: not on Windows (and under Wine Qt "
                            "cannot open a real window)"), pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool (scripts/dev.sh test installs them)")]

DRIVER = REPO / "tests" / "gui" / "busy_driver.py"
DEADLINE = 0.2  # seconds from the last key to every window off the screen
HOLD, GAP = 0.06, 0.1  # a person's tap: the key held 60 ms, 100 ms before the next


class Window:
    """busy_driver.py in its own process: commands in, answers out, and the watchdog's trace (its
    standard error comes straight through, also while the window's thread is stuck)."""

    def __init__(self, display):
        self.display = display
        env = {**os.environ, "DISPLAY": display, "PYTHONPATH": str(REPO), "CASEGUIDE_QUICK_EXIT_TRACE": "1"}
        env.pop("QT_QPA_PLATFORM", None)
        self.process = subprocess.Popen([sys.executable, str(DRIVER)], env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.answers: queue.Queue = queue.Queue()
        self.trace: list[str] = []
        self.readers = [threading.Thread(target=self._read, args=(self.process.stdout, self.answers.put)),
                        threading.Thread(target=self._read, args=(self.process.stderr, self.trace.append))]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def _read(stream, put):
        for line in stream:
            put(line.rstrip("\n"))

    def answer(self, word: str, timeout: float = 30) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.answers.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.split(" ", 1)[0] == word:
                return line.split()[1:]
        pytest.fail(f"no {word!r} from the window; it said on stderr:\n" + "\n".join(self.trace[-30:]))

    def ask(self, command: str, word: str, timeout: float = 30) -> list[str]:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.answer(word, timeout)

    def state(self) -> dict:
        import json

        self.process.stdin.write("state\n")
        self.process.stdin.flush()
        return json.loads(self.answers.get(timeout=30))

    def watchdog_watching(self, since: int, timeout: float = 5) -> None:
        """Wait until the watchdog's latest word since trace line *since* is that it watches."""
        def latest():
            said = [line for line in self.trace[since:] if "watching" in line or "resting" in line]
            return said and "watching" in said[-1]
        deadline = time.monotonic() + timeout
        while not latest():
            assert time.monotonic() < deadline, "the watchdog did not notice the busy window:\n" + "\n".join(
                self.trace[-20:])
            time.sleep(0.005)

    def on_screen(self) -> list[str]:
        """This process's windows that X shows now (asked of X, not of CaseGuide)."""
        found = xdo(self.display, "search", "--onlyvisible", "--pid", str(self.process.pid))
        return found.split()

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for reader in self.readers:
            reader.join(20)  # the pipes close when the window, and the watchdog beside it, have ended
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            stream.close()
        assert "Traceback" not in "\n".join(self.trace), "\n".join(self.trace)


def xdo(display, *args):
    return subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display}, capture_output=True,
                          text=True, timeout=20).stdout.strip()


@pytest.fixture
def window(display):
    opened = Window(display)
    yield opened
    opened.close()


def tap(display, key):
    xdo(display, "keydown", key)
    time.sleep(HOLD)  # the key held as a person holds it (the watchdog looks every 10 ms)
    xdo(display, "keyup", key)
    time.sleep(GAP)


def time_to_hidden(window, last_key) -> tuple[float, float]:
    """Press *last_key* (a function) and return (when it was pressed, when X showed no CaseGuide window)."""
    pressed = time.monotonic()
    last_key()
    while window.on_screen() and time.monotonic() - pressed < 2:
        pass
    return pressed, time.monotonic()


def start_busy(window, command: str) -> float:
    since = len(window.trace)
    busy_at = float(window.ask(command, "busy")[0])
    window.watchdog_watching(since)
    return busy_at


def reset(window) -> dict:
    """Wait for the window's own Quick exit to have reset the session; its state then."""
    deadline = time.monotonic() + 10
    while (state := window.state())["search"] or not state["home"]:
        assert time.monotonic() < deadline, f"the session was not reset: {state}"
    return state


def shift_three_times(window, display) -> tuple[float, float]:
    tap(display, "shift")
    tap(display, "shift")
    pressed, hidden = time_to_hidden(window, lambda: xdo(display, "keydown", "shift"))
    xdo(display, "keyup", "shift")
    return pressed, hidden


def test_shift_three_times_hides_every_window_while_its_thread_runs_python(window, display):
    main_id, watchdog = window.answer("ready")
    assert watchdog == "X11Screen"
    window.ask("open", "opened")
    dialog_id = window.ask("dialog", "dialog")[0]
    xdo(display, "windowfocus", "--sync", dialog_id)
    assert {main_id, dialog_id} <= set(window.on_screen())

    start_busy(window, "block 8")
    pressed, hidden = shift_three_times(window, display)

    assert window.on_screen() == [], "CaseGuide's windows are still on the screen"
    assert hidden - pressed < DEADLINE, f"hidden {(hidden - pressed) * 1000:.0f} ms after the last key"
    free_at = float(window.answer("free", timeout=20)[0])
    assert hidden < free_at, "the windows went only once the thread was free"
    state = reset(window)
    assert state["shown"] == [] and window.on_screen() == []
    assert window.process.poll() is None  # Quick exit hides here (the setting's default off a shared PC)


def test_ctrl_shift_x_hides_the_print_preview_too_while_qt_lays_out_a_page(window, display):
    settings.set_value("quick_exit.action", "quit")
    main_id, watchdog = window.answer("ready")
    assert watchdog == "X11Screen"
    window.ask("open", "opened")
    preview_id = window.ask("preview", "preview")[0]
    xdo(display, "windowfocus", "--sync", preview_id)
    assert {main_id, preview_id} <= set(window.on_screen())
    watchdog_pid = window.state()["watchdog"]

    start_busy(window, "layout 6")
    xdo(display, "keydown", "ctrl", "keydown", "shift")
    time.sleep(HOLD)
    pressed, hidden = time_to_hidden(window, lambda: xdo(display, "keydown", "x"))
    xdo(display, "keyup", "x", "keyup", "shift", "keyup", "ctrl")

    assert window.on_screen() == [], "CaseGuide's windows are still on the screen"
    assert hidden - pressed < DEADLINE, f"hidden {(hidden - pressed) * 1000:.0f} ms after the last key"
    free_at = float(window.answer("free", timeout=30)[0])
    assert hidden < free_at, "the windows went only once the thread was free"
    assert window.process.wait(20) == 0  # then CaseGuide quit, as the setting says
    deadline = time.monotonic() + 5
    while os.path.exists(f"/proc/{watchdog_pid}"):
        assert time.monotonic() < deadline, "the watchdog outlived the window"
        time.sleep(0.01)


def test_the_watchdog_ends_when_the_window_is_killed(window):
    window.answer("ready")
    watchdog_pid = window.state()["watchdog"]
    assert watchdog_pid and os.path.exists(f"/proc/{watchdog_pid}")
    window.process.send_signal(signal.SIGKILL)
    window.process.wait(10)
    deadline = time.monotonic() + 5
    while os.path.exists(f"/proc/{watchdog_pid}") and not _zombie(watchdog_pid):
        assert time.monotonic() < deadline, "the watchdog was left running after the window died"
        time.sleep(0.01)


def _zombie(pid) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def map_state(display, window_id) -> str:
    """IsViewable, IsUnMapped (...), or "gone" (a window manager destroys a frame it no longer needs)."""
    info = subprocess.run(["xwininfo", "-id", window_id], env={**os.environ, "DISPLAY": display},
                          capture_output=True, text=True, timeout=20).stdout
    return next((line.split(":", 1)[1].strip() for line in info.splitlines() if "Map State" in line), "gone")


def frame_of(display, window_id) -> str:
    info = subprocess.run(["xwininfo", "-id", window_id, "-children"], env={**os.environ, "DISPLAY": display},
                          capture_output=True, text=True, timeout=20).stdout
    return next(line.split()[3] for line in info.splitlines() if "Parent window id" in line)


@pytest.mark.skipif(not all(shutil.which(tool) for tool in ("openbox", "xwininfo", "xprop")),
                    reason="needs openbox (a window manager that frames windows), xwininfo and xprop")
def test_with_a_window_manager_the_frames_go_too(display):
    """A window manager puts each window in a frame of its own (with the title) and gives the keyboard
    focus as it likes: the watchdog must see the focus and the manager must take the frames away."""
    # Its own configuration and themes, not the tests' private XDG folders.
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CONFIG_DIRS", "XDG_DATA_DIRS")}
    manager = subprocess.Popen(["openbox", "--sm-disable"], env={**env, "DISPLAY": display},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while "window id" not in subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], capture_output=True,
                                            text=True, env={**os.environ, "DISPLAY": display}).stdout:
        assert manager.poll() is None and time.monotonic() < deadline, "openbox did not start"
        time.sleep(0.02)
    window = Window(display)
    try:
        main_id, watchdog = window.answer("ready")
        assert watchdog == "X11Screen"
        window.ask("open", "opened")
        dialog_id = window.ask("dialog", "dialog")[0]
        xdo(display, "windowactivate", "--sync", dialog_id)
        frames = [frame_of(display, main_id), frame_of(display, dialog_id)]
        root = xdo(display, "search", "--maxdepth", "0", "")  # the root window (the search's only depth-0 match)
        assert root and not {int(root)} & {int(frame, 16) for frame in frames}, "the windows have no frames"
        assert [map_state(display, frame) for frame in frames] == ["IsViewable", "IsViewable"]

        start_busy(window, "block 8")
        pressed, _ = shift_three_times(window, display)
        while any(map_state(display, frame) == "IsViewable" for frame in frames):  # the manager's part
            assert time.monotonic() - pressed < 2, ("the window manager left CaseGuide's frames on the screen: "
                                                    f"{frames} {[map_state(display, f) for f in frames]}")
        hidden = time.monotonic()
        assert window.on_screen() == []
        assert hidden - pressed < DEADLINE, f"frames gone {(hidden - pressed) * 1000:.0f} ms after the last key"
        window.answer("free", timeout=20)
        reset(window)
        window.ask("show", "shown")  # and starting CaseGuide again brings it back, framed
        deadline = time.monotonic() + 10
        while main_id not in window.on_screen():
            assert time.monotonic() < deadline, "the window did not come back"
    finally:
        window.close()
        manager.terminate()
        manager.wait(10)
