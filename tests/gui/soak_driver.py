"""A day at the desk, compressed: the real window, opened as ``caseguide`` opens it, driven by key presses.

    python tests/gui/soak_driver.py --searches 400 [--open-every 1] [--previews 0] [--resets 0] [--json]

Each search types a caseworker's query into the search field one key at a time, waits for the results
on screen, and (every --open-every searches) presses Enter to open the best match and Alt+Left to go
back. Print previews open and close the handout preview; resets press End session's action. At the end
the window must still answer: a timer fires and one more search comes back. It prints one JSON line
(with --json) or a summary, and exits 0 only if every step happened.

It runs in its own process (tests/gui/test_soak.py and benchmarks/bench_soak.py start it), because the
failure it exists to catch is the interpreter aborting ("Fatal Python error: none_dealloc" with PySide6
6.12.0 on CPython 3.11), which would take a test runner down with it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

QUERIES = [
    "hospital charges", "settled status", "share code", "subject access", "whatsapp last seen",
    "gp registration", "immigration exemption", "nhs debt", "right to rent", "phone seized",
    "complain to the ico", "brp expired", "free treatment", "data sharing", "private browsing",
    "facebook friends", "android location", "iphone tracking", "windrush", "pre-settled",
    "evisa", "regulated adviser", "covid vaccine", "bank account checks", "maternity care",
]


def rss_mb() -> float | None:
    """This process's resident memory now, where the platform tells it cheaply (Linux)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, AttributeError):
        return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--searches", type=int, default=400)
    parser.add_argument("--open-every", type=int, default=1, help="open the best match every N searches")
    parser.add_argument("--previews", type=int, default=0, help="print previews opened and closed")
    parser.add_argument("--resets", type=int, default=0, help="session resets (End session)")
    parser.add_argument("--library", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds any one step may take")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest

    from caseguide.gui.app import open_window

    app, window, instance = open_window(args.library)
    window.activateWindow()

    def wait_until(condition, what: str) -> None:
        deadline = time.monotonic() + args.timeout
        loop = QEventLoop()
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit(f"soak: timed out waiting for {what}")
            QTimer.singleShot(5, loop.quit)
            loop.exec()

    def fresh_results() -> bool:
        return window.search_flow.up_to_date()

    started = time.perf_counter()
    rss_start = None
    opened = previews = resets = 0
    wait_until(lambda: not window.progress.isVisible(), "the search index")
    rss_start = rss_mb()
    for n in range(args.searches):
        query = QUERIES[n % len(QUERIES)]
        field = window.search_field
        field.setFocus()
        field.selectAll()
        QTest.keyClicks(field, query)
        wait_until(lambda: fresh_results() and window.search_flow.shown_query == query, f"results for {query!r}")
        if args.open_every and n % args.open_every == 0 and window.results.first_guide():
            QTest.keyClick(field, Qt.Key.Key_Return)
            wait_until(lambda: window.windowTitle() != "CaseGuide", "the best match to open")
            QTest.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
            wait_until(lambda: window.windowTitle() == "CaseGuide", "going back")
            opened += 1
        if args.previews and n % max(args.searches // args.previews, 1) == 0 and previews < args.previews:
            window.open_guide(window.results.first_guide() or next(iter(window.library.guides)))
            window.print_handout()
            wait_until(lambda: window.handouts.preview is not None and window.handouts.preview.isVisible(),
                       "the print preview")
            window.handouts.preview.close()
            wait_until(lambda: window.handouts.preview is None, "the print preview to close")
            window.go_back()
            previews += 1
        if args.resets and n % max(args.searches // args.resets, 1) == args.searches // max(args.resets, 1) - 1 \
                and resets < args.resets:
            window.reset_session()
            resets += 1

    # Still alive and answering: the event loop turns, and a search comes back.
    ticked = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    wait_until(lambda: ticked, "the event loop")
    field = window.search_field
    field.selectAll()
    QTest.keyClicks(field, "settled status")
    wait_until(lambda: fresh_results() and window.results.first_guide(), "a last search")
    report = {"searches": args.searches, "opened": opened, "previews": previews, "resets": resets,
              "seconds": round(time.perf_counter() - started, 1),
              "rss_start_mb": None if rss_start is None else round(rss_start, 1),
              "rss_end_mb": None if rss_mb() is None else round(rss_mb(), 1),
              "python": sys.version.split()[0], "qt": __import__("PySide6").__version__}
    window.close()
    instance.release()
    app.processEvents()
    print(json.dumps(report) if args.json else
          f"soak: {report['searches']} searches, {opened} guides opened, {previews} previews, {resets} resets "
          f"in {report['seconds']} s; resident memory {report['rss_start_mb']} -> {report['rss_end_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(main())
