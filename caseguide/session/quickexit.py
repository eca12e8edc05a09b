"""The quick-exit gesture: Shift pressed three times in a row, within a few seconds.

This follows GOV.UK's "Exit this page" pattern. Shift used with another key
(typing a capital letter) breaks the run, so typing never triggers it. Kept
free of Qt so its timing rules are tested on their own; the window feeds it
key presses.
"""

from __future__ import annotations

TAPS = 3
WINDOW_SECONDS = 2.0


class ShiftTaps:
    def __init__(self, taps: int = TAPS, window: float = WINDOW_SECONDS):
        self.taps = taps
        self.window = window
        self._times: list[float] = []

    def shift_pressed(self, when: float) -> bool:
        """A Shift key went down on its own; True when this completes the gesture."""
        self._times = [t for t in self._times if when - t <= self.window]
        self._times.append(when)
        if len(self._times) >= self.taps:
            self._times.clear()
            return True
        return False

    def other_key(self) -> None:
        """Any other key (including one pressed while Shift is held) breaks the run."""
        self._times.clear()
