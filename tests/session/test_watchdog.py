"""The Quick exit watchdog's decisions, with a fake keyboard, screen and clock: when it looks at the
keys (only while the window is busy and has the keyboard), what it takes for Quick exit, and what it
does after hiding. The real thing, against a real X server, is tests/gui/test_quick_exit_busy.py."""

import io
import os
import subprocess
import sys

from caseguide.session.watchdog import (
    GRACE_SECONDS,
    MAX_LINE,
    MAX_WINDOWS,
    POLL_SECONDS,
    STALE_SECONDS,
    Watchdog,
    run,
)

from ..conftest import REPO

SHIFT_L, SHIFT_R, CTRL, X, A, ALT = 50, 62, 37, 53, 38, 64


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class FakeScreen:
    """A keyboard whose held keys the test sets, a focus it moves, and windows it counts."""

    shift, ctrl, x_key = frozenset({SHIFT_L, SHIFT_R}), frozenset({CTRL}), frozenset({X})

    def __init__(self):
        self.down: set = set()
        self.has_focus = True
        self.on_screen: set = set()
        self.looked = 0  # how often the keys were looked at
        self.hidden: list = []
        self.released = 0
        self.closed = False

    def keys_down(self):
        self.looked += 1
        return frozenset(self.down)

    def focused(self, windows):
        return self.has_focus

    def hide(self, windows):
        shown = [w for w in windows if w in self.on_screen]
        self.on_screen -= set(windows)
        self.hidden.append(shown)
        return len(shown)

    def keep_hidden(self, windows):
        if set(windows) & self.on_screen:
            self.hide(windows)

    def release(self):
        self.released += 1

    def close(self):
        self.closed = True


class Rig:
    """A watchdog, and a window that beats, then gets stuck, while a person presses keys."""

    def __init__(self, windows=(11, 22)):
        self.clock, self.screen, self.said = Clock(), FakeScreen(), []
        self.dog = Watchdog(self.screen, clock=self.clock, say=self.said.append)
        self.screen.on_screen = set(windows)
        self.dog.receive("windows " + " ".join(map(str, windows)))
        self.beat()

    def beat(self):
        self.dog.receive("beat")
        self.dog.tick()

    def wait(self, seconds):
        """Time passes with no beat (the window is busy), the watchdog ticking as it asks."""
        end = self.clock.now + seconds
        while self.clock.now < end:
            self.clock.now = min(end, self.clock.now + self.dog.tick())
        self.dog.tick()

    def press(self, *keys, hold=0.08, then=0.12):
        self.screen.down |= set(keys)
        self.wait(hold)
        self.screen.down -= set(keys)
        self.wait(then)

    def stuck(self):
        self.wait(STALE_SECONDS + POLL_SECONDS)


def test_three_lone_shift_presses_while_the_window_is_stuck_hide_every_window():
    rig = Rig()
    rig.stuck()
    rig.press(SHIFT_L)
    rig.press(SHIFT_R)
    assert rig.said == [] and rig.screen.hidden == []
    rig.press(SHIFT_L)
    assert rig.screen.hidden == [[11, 22]]
    assert rig.said == ["hidden"]


def test_the_gesture_is_seen_on_the_press_not_the_release():
    rig = Rig()
    rig.stuck()
    rig.press(SHIFT_L)
    rig.press(SHIFT_L)
    rig.screen.down.add(SHIFT_L)
    rig.wait(POLL_SECONDS * 2)
    assert rig.said == ["hidden"]


def test_ctrl_shift_x_while_stuck_hides_at_once():
    rig = Rig()
    rig.stuck()
    rig.screen.down |= {CTRL, SHIFT_L}
    rig.wait(0.05)
    assert rig.said == []
    rig.screen.down.add(X)
    rig.wait(POLL_SECONDS * 2)
    assert rig.said == ["hidden"] and rig.screen.hidden == [[11, 22]]


def test_ctrl_alt_shift_x_and_plain_x_are_not_quick_exit():
    rig = Rig()
    rig.stuck()
    rig.press(CTRL, SHIFT_L, ALT, X)
    rig.press(X)
    rig.press(CTRL, X)
    assert rig.said == []


def test_typing_capital_letters_while_stuck_never_hides():
    rig = Rig()
    rig.stuck()
    for _ in range(4):  # "HELP": Shift down, the letter, both up
        rig.screen.down.add(SHIFT_L)
        rig.wait(0.05)
        rig.screen.down.add(A)
        rig.wait(0.05)
        rig.screen.down -= {SHIFT_L, A}
        rig.wait(0.05)
    rig.press(SHIFT_L)  # and a Shift after a capital starts a new run, not the third of one
    assert rig.said == []


def test_shift_with_another_key_held_is_not_a_tap():
    rig = Rig()
    rig.stuck()
    rig.screen.down.add(A)
    for _ in range(3):
        rig.press(SHIFT_L)
    assert rig.said == []


def test_presses_more_than_two_seconds_apart_do_not_add_up():
    rig = Rig()
    rig.stuck()
    rig.press(SHIFT_L, then=1.2)
    rig.press(SHIFT_L, then=1.2)
    rig.press(SHIFT_L)
    assert rig.said == []
    rig.press(SHIFT_L)  # with the two before it, within two seconds
    assert rig.said == ["hidden"]


def test_keys_are_not_looked_at_while_the_window_beats():
    rig = Rig()
    for _ in range(40):  # two seconds of a window that answers, and a person pressing Shift
        rig.screen.down ^= {SHIFT_L}
        rig.clock.now += 0.05
        rig.beat()
    assert rig.screen.looked == 0
    assert rig.said == []


def test_keys_are_not_looked_at_when_another_program_has_the_keyboard():
    rig = Rig()
    rig.screen.has_focus = False
    rig.stuck()
    for _ in range(3):
        rig.press(SHIFT_L)
    assert rig.screen.looked == 0
    assert rig.said == []


def test_nothing_is_watched_with_no_window_on_screen():
    rig = Rig()
    rig.dog.receive("windows")
    rig.stuck()
    for _ in range(3):
        rig.press(SHIFT_L)
    assert rig.screen.looked == 0


def test_taps_do_not_carry_from_one_busy_spell_to_the_next():
    rig = Rig()
    rig.stuck()
    rig.press(SHIFT_L)
    rig.press(SHIFT_L)
    rig.beat()  # the window answered in between: it saw those keys itself
    rig.stuck()
    rig.press(SHIFT_L)
    assert rig.said == []


def test_a_shift_already_down_when_watching_starts_counts():
    """Pressed as the thread got stuck, before the watchdog could know: the window has not seen it."""
    rig = Rig()
    rig.screen.down.add(SHIFT_L)
    rig.stuck()
    rig.screen.down.clear()
    rig.wait(0.1)
    rig.press(SHIFT_L)
    rig.press(SHIFT_L)
    assert rig.said == ["hidden"]


def test_after_hiding_a_window_shown_meanwhile_goes_too_until_the_window_says_done():
    rig = Rig()
    rig.stuck()
    rig.press(CTRL, SHIFT_L, X)
    assert rig.screen.hidden == [[11, 22]]
    rig.screen.on_screen.add(22)  # the stuck thread finished showing a dialog
    rig.wait(POLL_SECONDS * 2)
    assert rig.screen.hidden[-1] == [22]
    rig.dog.receive("done")
    assert rig.screen.released == 1
    rig.screen.on_screen.add(22)  # the person brought CaseGuide back
    rig.beat()
    rig.wait(0.05)
    assert 22 in rig.screen.on_screen


def test_it_stands_down_on_its_own_once_the_window_has_answered_for_a_second():
    rig = Rig()
    rig.stuck()
    rig.press(CTRL, SHIFT_L, X)
    for _ in range(round(GRACE_SECONDS / 0.05) + 2):
        rig.clock.now += 0.05
        rig.beat()
    assert rig.screen.released == 1
    assert rig.dog.hidden_at is None


def test_done_before_anything_was_hidden_changes_nothing():
    rig = Rig()
    rig.dog.receive("done")
    assert rig.screen.released == 0


def test_lines_it_does_not_understand_are_ignored():
    rig = Rig(windows=(11,))
    for line in ["windows 0", "windows -5", "windows 12 x", "windows " + " ".join(["7"] * (MAX_WINDOWS + 1)),
                 "windows " + str(2**64), "windows 1" + "0" * MAX_LINE, "beat now", "", "hide", "\x00\xff"]:
        rig.dog.receive(line)
    assert rig.dog.windows == (11,)
    rig.dog.receive("windows 33 44")
    assert rig.dog.windows == (33, 44)


def test_the_loop_ends_when_the_window_closes_its_input():
    screen = FakeScreen()
    out = io.StringIO()
    lines = b"windows 5\n" + b"x" * (MAX_LINE * 3) + b"\nbeat\n"
    assert run(screen, io.BytesIO(lines), out) == 0
    assert screen.closed
    assert out.getvalue() == ""


def test_without_a_display_it_says_so_and_ends():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([sys.executable, "-m", "caseguide.session.watchdog"], env=env, capture_output=True,
                          text=True, stdin=subprocess.PIPE, timeout=60)
    assert done.returncode == 0
    if sys.platform == "win32":
        assert done.stdout.startswith("ready WindowsScreen")
    else:
        assert done.stdout == "unavailable no X display (DISPLAY is not set)\n"
    assert done.stderr == ""


def test_on_wayland_without_xwayland_it_does_nothing():
    if sys.platform == "win32":
        return
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.update(PYTHONPATH=str(REPO), WAYLAND_DISPLAY="wayland-0")
    done = subprocess.run([sys.executable, "-m", "caseguide.session.watchdog"], env=env, capture_output=True,
                          text=True, stdin=subprocess.PIPE, timeout=60)
    assert done.stdout.startswith("unavailable Wayland without XWayland")


def test_the_watchdog_loads_neither_qt_nor_the_rest_of_caseguide():
    """It starts beside the window on every start: a small process, quickly ready."""
    code = ("import sys\n"
            "import caseguide.session.watchdog as w\n"
            "w.open_screen\n"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'caseguide'))))")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([sys.executable, "-S", "-c", code], env=env, capture_output=True, text=True,
                          stdin=subprocess.PIPE, timeout=60)
    assert done.stdout.splitlines()[-1] == str(["caseguide", "caseguide.session", "caseguide.session.quickexit",
                                                "caseguide.session.watchdog"]), done.stdout + done.stderr
