"""The real window, whose thread is made busy on command: for tests/gui/test_quick_exit_busy.py and
benchmarks/bench_quick_exit.py.

    python tests/gui/busy_driver.py       (on an X display: Qt's xcb platform, as a person's window)

It opens the window as ``caseguide`` does (gui.app.open_window) and prints ``ready`` once the window
is painted, search answers and the Quick exit watchdog watches (``ready WINDOW_ID WATCHDOG``). Then it reads commands, one a line:

- ``open``: a search typed and a guide opened, so there is a session to reset;
- ``dialog``: the Keyboard shortcuts dialog, a second window; ``preview``: the handout's print preview;
- ``block SECONDS``: the window's thread runs Python for that long and turns no event loop;
- ``layout SECONDS``: the thread has Qt lay out a very long page, again and again, for that long
  (the case that holds Python's lock inside Qt);
- ``show``: the window back after Quick exit hid it;
- ``state``: one JSON line: the search text, the page shown, the windows Qt shows, the watchdog's pid.

``block`` and ``layout`` print ``busy T`` as they start and ``free T`` as they end (T: time.monotonic(),
the same clock as the test's on Linux). Everything else printed is an answer to one command.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROWS = 2000  # a table this long takes Qt about a second to lay out (holding Python's lock all along)


def say(*words) -> None:
    print(*words, flush=True)


def long_page() -> str:
    cells = "".join(f"<td>cell {n}</td>" for n in range(8))
    return "<table>" + "".join(f"<tr><td>{row}</td>{cells}</tr>" for row in range(ROWS)) + "</table>"


def main() -> int:
    from PySide6.QtCore import QSocketNotifier, QTimer
    from PySide6.QtWidgets import QApplication

    from caseguide.gui.app import open_window
    from caseguide.session.history import HOME

    app, window, instance = open_window()
    window.activateWindow()

    watch = getattr(window, "quick_exit_watch", None)  # (a CaseGuide from before the watchdog has none)
    started = time.monotonic()

    def ready() -> None:
        watching = watch is not None and watch.ready
        if (watching or time.monotonic() - started > 20) and not window.progress.isVisible() \
                and window.library.loaded:
            say("ready", int(window.winId()), (watch.ready or "none") if watch else "none")
        else:
            QTimer.singleShot(20, ready)

    def busy(seconds: float, work) -> None:
        say("busy", time.monotonic())
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            work()
        say("free", time.monotonic())

    page = long_page()

    def state() -> dict:
        process = watch.process if watch is not None else None
        place = window.history.current
        return {"search": window.search_field.text(), "home": place is None or place.target == HOME,
                "shown": [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()],
                "watchdog": process.processId() if process is not None else None}

    def command(line: str) -> None:
        word, _, rest = line.partition(" ")
        if word == "open":
            window.search_field.setText("charges")
            window.open_guide(sorted(window.library.guides)[0])
            say("opened", window.windowTitle())
        elif word == "dialog":
            window.show_shortcuts()
            say("dialog", int(window.shortcuts_dialog.winId()))
        elif word == "preview":
            window.print_handout()
            wait_for_preview()
        elif word == "block":
            QTimer.singleShot(0, lambda: busy(float(rest), lambda: None))
        elif word == "layout":
            QTimer.singleShot(0, lambda: busy(float(rest), lambda: window.view.setHtml(page)))
        elif word == "show":  # back after Quick exit hid it, as a second start of caseguide brings it
            window.bring_back()
            say("shown")
        elif word == "state":
            say(json.dumps(state()))

    def wait_for_preview() -> None:
        preview = window.handouts.preview
        if preview is not None and preview.isVisible():
            say("preview", int(preview.winId()))
        else:
            QTimer.singleShot(20, wait_for_preview)

    def read() -> None:
        line = sys.stdin.readline()
        if not line:
            app.quit()
            return
        command(line.strip())

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(read)
    ready()
    try:
        return app.exec()
    finally:
        instance.release()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("CASEGUIDE_QUICK_EXIT_TRACE", "1")
    sys.exit(main())
