"""Quick exit while the window's thread is busy: a small process beside the window.

    python -m caseguide.session.watchdog     (in the bundle: caseguide-quickexit, a program of its own)

While Qt lays out a long page or renders a print preview, the window's thread reads no keys, and
PySide6 holds Python's lock meanwhile, so no thread of the window's own process can act either. This
process can: the window (``caseguide.gui.quick_exit_watch``) tells it, one line each on its
standard input, that its thread is alive (``beat``, every 50 ms) and which native windows are
CaseGuide's (``windows ID ID...``). When no beat has come for 100 ms and one of those windows has the
keyboard, it looks at which keys are down every 10 ms; Shift three times on its own within 2 s, or
Ctrl+Shift+X, and it hides every CaseGuide window itself (X11: withdraws them; Windows: covers
them, see ``win32``), then writes ``hidden``. The window runs its full Quick exit (reset the session,
quit or stay hidden) as soon as its thread is free, and answers ``done``; the same keys reaching Qt
late only run that Quick exit again, which changes nothing.

Privacy: keys are looked at only while the window is busy and has the keyboard, as the set held down
now; nothing is kept but the times of the last few lone Shift presses, and nothing is logged.
(CASEGUIDE_QUICK_EXIT_TRACE=1 writes when watching starts and stops to standard error: never a key.)
The process ends when its standard input closes: the window quit or died, so it is never left over.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time

from .quickexit import ShiftTaps

BEAT_SECONDS = 0.05  # how often the window says it is alive
STALE_SECONDS = 0.1  # no beat for this long: the window's thread is busy
POLL_SECONDS = 0.01  # how often the keys are looked at while it is
GRACE_SECONDS = 1.0  # beats again this long after hiding, and no "done": the window has taken over
MAX_LINE = 4096
MAX_WINDOWS = 64
MAX_WINDOW_ID = 2**64 - 1


class Gesture:
    """Quick exit's two gestures, recognised from samples of the keys held down (the platform's key
    codes): *shift*, *ctrl* and *x* are the codes of those keys. A Shift that goes down while no other
    key is held is one tap (ShiftTaps: three within 2 s); any other key breaks the run, as in the
    window. A press and release both between two samples is not seen: a person's tap lasts longer."""

    def __init__(self, shift, ctrl, x, taps: ShiftTaps | None = None):
        self.shift, self.ctrl, self.x = frozenset(shift), frozenset(ctrl), frozenset(x)
        self.taps = taps or ShiftTaps()
        self._down: frozenset = frozenset()

    def reset(self) -> None:
        """Forget everything: watching stopped. A key still held when it starts again counts as pressed
        then (it went down while nobody was looking, most likely as the thread got stuck)."""
        self.taps.other_key()
        self._down = frozenset()

    def sample(self, now: float, down) -> bool:
        """The keys held down at *now*; True when this completes Shift x3 or Ctrl+Shift+X."""
        down = frozenset(down)
        new, self._down = down - self._down, down
        if not new:
            return False
        if (new & self.x and down & self.ctrl and down & self.shift
                and down <= self.ctrl | self.shift | self.x):
            self.taps.other_key()
            return True
        if new - self.shift or down - self.shift:  # another key, or Shift with another key held
            self.taps.other_key()
            return False
        return self.taps.shift_pressed(now)


class Watchdog:
    """What the process decides, with the screen, the clock and the way out passed in (the tests'
    fakes). *screen* has ``shift``, ``ctrl``, ``x_key``, ``keys_down()``, ``focused(windows)``,
    ``hide(windows)``, ``keep_hidden(windows)``, ``release()``; *say(line)* answers the window."""

    def __init__(self, screen, clock=time.monotonic, say=print, trace=None):
        self.screen = screen
        self.clock = clock
        self.say = say
        self.trace = trace or (lambda text: None)
        self.gesture = Gesture(screen.shift, screen.ctrl, screen.x_key)
        self.windows: tuple[int, ...] = ()
        self.last_beat = clock()
        self.watching = False
        self.hidden_at: float | None = None
        self.fresh_since: float | None = None

    # What the window says ---------------------------------------------------------

    def receive(self, line: str) -> None:
        """One line from the window. Anything not understood is ignored (it can only come from the
        window, but a bug there must not stop Quick exit here)."""
        words = line.split()
        if not words or len(line) > MAX_LINE:
            return
        if words == ["beat"]:
            now = self.clock()
            if self.hidden_at is not None and self.fresh_since is None:
                self.fresh_since = now
            self.last_beat = now
        elif words[0] == "windows" and len(words) <= MAX_WINDOWS + 1:
            try:
                ids = tuple(int(word) for word in words[1:])
            except ValueError:
                return
            if all(0 < n <= MAX_WINDOW_ID for n in ids):
                self.windows = ids
        elif words == ["done"] and self.hidden_at is not None:
            self._stand_down("the window ran Quick exit")

    # What it does ---------------------------------------------------------------

    def tick(self) -> float:
        """One step; returns how long to wait for the next (a line from the window wakes it sooner)."""
        now = self.clock()
        if self.hidden_at is not None:
            self.screen.keep_hidden(self.windows)
            if now - self.last_beat > STALE_SECONDS:
                self.fresh_since = None  # busy again: the grace starts over with the next beat
            if self.fresh_since is not None and now - self.fresh_since >= GRACE_SECONDS:
                self._stand_down("the window answers again")
            return POLL_SECONDS
        busy_for = now - self.last_beat
        if busy_for <= STALE_SECONDS or not self.windows:
            self._rest()
            return max(STALE_SECONDS - busy_for, POLL_SECONDS)
        if not self.screen.focused(self.windows):
            self._rest()
            return POLL_SECONDS
        if not self.watching:
            self.watching = True
            self.trace("watching: the window is busy and has the keyboard")
        if self.gesture.sample(now, self.screen.keys_down()):
            hidden = self.screen.hide(self.windows)
            self.hidden_at, self.fresh_since = now, None
            self.say("hidden")
            self.trace(f"hid {hidden} windows, {(self.clock() - now) * 1000:.1f} ms after seeing the keys")
            self._rest()
        return POLL_SECONDS

    def _rest(self) -> None:
        if self.watching:
            self.watching = False
            self.trace("resting")
        self.gesture.reset()

    def _stand_down(self, why: str) -> None:
        self.screen.release()
        self.hidden_at = self.fresh_since = None
        self.trace(f"standing down: {why}")


def open_screen():
    """The platform's screen (raises its Unavailable, a CaseGuideError, when there is none to watch)."""
    if sys.platform == "win32":
        from .win32 import WindowsScreen

        return WindowsScreen()
    from .x11 import X11Screen

    return X11Screen()


def _read_lines(stream, lines: queue.Queue) -> None:
    """The window's lines, into *lines*; None at the end (the window closed the pipe: quit or died)."""
    try:
        while True:
            line = stream.readline(MAX_LINE + 1)
            if not line:
                break
            if len(line) > MAX_LINE:  # too long to be the window's: skip the rest of it
                while line and not line.endswith(b"\n"):
                    line = stream.readline(MAX_LINE + 1)
                continue
            lines.put(line.decode("ascii", "replace"))
    except (OSError, ValueError):
        pass
    lines.put(None)


def run(screen, stdin, stdout, trace=None, clock=time.monotonic) -> int:
    """The loop: lines from *stdin* (bytes), answers to *stdout* (text), until *stdin* ends."""
    def say(text: str) -> None:
        stdout.write(text + "\n")
        stdout.flush()

    dog = Watchdog(screen, clock=clock, say=say, trace=trace)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_read_lines, args=(stdin, lines), daemon=True).start()
    try:
        while True:
            try:
                line = lines.get(timeout=dog.tick())
                while line is not None:
                    dog.receive(line)
                    line = lines.get_nowait()
            except queue.Empty:
                continue
            return 0  # the window is gone
    finally:
        screen.close()


def main(argv=None) -> int:
    from ..errors import CaseGuideError

    if sys.stdin is None or sys.stdout is None:  # a windowed program started without pipes: no window to serve
        return 2
    trace = None
    if os.environ.get("CASEGUIDE_QUICK_EXIT_TRACE") == "1":
        def trace(text: str) -> None:
            print(f"quick exit watchdog: {text}", file=sys.stderr, flush=True)
    try:
        try:
            screen = open_screen()
        except CaseGuideError as exc:
            print(f"unavailable {exc}", flush=True)
            return 0
        print(f"ready {type(screen).__name__}", flush=True)
        return run(screen, sys.stdin.buffer, sys.stdout, trace=trace)
    except BrokenPipeError:  # the window went before it could read what this said: nothing to do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # and no complaint at exit
        return 0


if __name__ == "__main__":
    sys.exit(main())
