"""The window's side of the Quick exit watchdog, against a stand-in watchdog that writes down what it
is told: when it starts, what it hears (beats, the windows, at once even if the thread then gets
stuck), that the window runs Quick exit when it says it hid the windows, and that it ends with the
window. The real watchdog on a real X server: test_quick_exit_busy.py."""

import sys
import time

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from caseguide.gui import quick_exit_watch
from caseguide.gui.quick_exit_watch import QuickExitWatch
from caseguide.gui.session import SessionGuard
from caseguide.session.history import HOME

STAND_IN = r'''
import sys, time
log = open(sys.argv[1], "w", encoding="ascii")
hide_at = int(sys.argv[2])  # say "hidden" once told of this many windows (0: never)
print("ready StandIn", flush=True)
said = False
for line in sys.stdin:
    log.write(f"{time.monotonic()!r} {line.strip()}\n")
    log.flush()
    words = line.split()
    if hide_at and not said and words[:1] == ["windows"] and len(words) - 1 >= hide_at:
        print("hidden", flush=True)
        said = True
log.write("end\n")
'''


@pytest.fixture
def stand_in(tmp_path):
    """command(hide_at=0) -> the stand-in's command line; heard() -> [(time, line)] it has been told."""
    script, log = tmp_path / "stand_in.py", tmp_path / "heard.txt"
    script.write_text(STAND_IN, encoding="ascii")

    def command(hide_at=0):
        return sys.executable, [str(script), str(log), str(hide_at)]

    def heard():
        if not log.exists():
            return []
        lines = []
        for text in log.read_text(encoding="ascii").splitlines():
            when, _, line = text.partition(" ")
            lines.append((float(when), line) if line else (None, when))
        return lines

    command.heard = heard
    return command


def windows_heard(heard):
    return [line.split()[1:] for _, line in heard() if line.startswith("windows")]


def test_it_starts_after_the_first_paint_hears_beats_and_windows_and_ends_with_the_window(qtbot, stand_in):
    widget = QWidget()
    qtbot.addWidget(widget)
    watch = QuickExitWatch(widget, command=stand_in())
    assert watch.process is None  # nothing before the window is on screen
    widget.show()
    qtbot.waitUntil(lambda: watch.ready == "StandIn", timeout=20000)
    qtbot.waitUntil(lambda: sum(line == "beat" for _, line in stand_in.heard()) >= 5, timeout=5000)
    assert [str(int(widget.winId()))] in windows_heard(stand_in.heard)
    process = watch.process
    widget.close()
    assert watch.process is None
    assert process.state() == process.ProcessState.NotRunning
    assert stand_in.heard()[-1] == (None, "end")  # it saw its input close, and ended by itself


def test_a_window_shown_is_told_at_once_though_the_thread_then_gets_stuck(qtbot, stand_in):
    guard = SessionGuard(QApplication.instance())
    widget = QWidget()
    qtbot.addWidget(widget)
    watch = QuickExitWatch(widget, guard.windowsChanged, command=stand_in())
    try:
        widget.show()
        qtbot.waitUntil(lambda: watch.ready == "StandIn", timeout=20000)
        dialog = QDialog(widget)
        dialog.show()
        stuck_until = time.monotonic() + 0.5
        while time.monotonic() < stuck_until:  # the thread busy: no event loop, no timer, no beat
            pass
        both = sorted([str(int(widget.winId())), str(int(dialog.winId()))], key=int)
        qtbot.waitUntil(lambda: both in windows_heard(stand_in.heard))
        told = next(when for when, line in stand_in.heard() if line.split()[1:] == both)
        assert told < stuck_until - 0.4
        dialog.hide()
        qtbot.waitUntil(lambda: windows_heard(stand_in.heard)[-1] == [str(int(widget.winId()))])
    finally:
        guard.remove()
        widget.close()


def test_when_the_watchdog_hid_the_windows_the_window_runs_its_quick_exit(qtbot, stand_in, monkeypatch,
                                                                       open_window, gui_library):
    monkeypatch.setattr(quick_exit_watch, "PLATFORMS", {"offscreen"})
    monkeypatch.setattr(quick_exit_watch, "watchdog_command", lambda: stand_in(hide_at=2))
    window = open_window(gui_library)
    qtbot.waitUntil(lambda: window.quick_exit_watch.ready == "StandIn", timeout=20000)
    window.search_field.setText("charges")
    window.open_guide("guide-a")
    window.show_shortcuts()  # a second window: the stand-in says it hid them both
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert not window.shortcuts_dialog or not window.shortcuts_dialog.isVisible()
    assert window.search_field.text() == ""
    assert window.history.current.target == HOME
    qtbot.waitUntil(lambda: any(line == "done" for _, line in stand_in.heard()))
    lines = [line for _, line in stand_in.heard()]
    told_two = next(n for n, line in enumerate(lines) if line.startswith("windows") and len(line.split()) == 3)
    assert lines.index("done") > told_two  # "done" answers its "hidden"


def test_it_does_not_start_where_it_cannot_watch(qtbot, window):
    """Offscreen here; Wayland and macOS alike (only xcb and windows are watched)."""
    qtbot.waitUntil(lambda: window._search_started)
    QApplication.processEvents()
    assert QApplication.platformName() not in quick_exit_watch.PLATFORMS
    assert window.quick_exit_watch.process is None
    assert window.quick_exit_watch.start() is False


def test_a_watchdog_that_cannot_start_is_said_and_nothing_else_changes(qtbot, tmp_path, caplog):
    widget = QWidget()
    qtbot.addWidget(widget)
    watch = QuickExitWatch(widget, command=(str(tmp_path / "no-such-program"), []))
    widget.show()
    qtbot.waitUntil(lambda: "cannot start" in caplog.text, timeout=10000)
    assert watch.process is None
    widget.close()
