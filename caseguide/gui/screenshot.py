"""``caseguide screenshot``: the window rendered offscreen, in a chosen state, saved as PNG.

It starts as the window does (:func:`caseguide.gui.app.window_library`: the packs found and the
guides listed on the search thread, from the cached catalogues), and waits until the window has
listed the library and search answers; it takes no single-instance lock, so it works beside an
open CaseGuide.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from ..errors import CaseGuideError
from ..fsutil import qt_path, replacing
from ..settings import Settings

WAIT_MS = 60_000


def _wait_for(window, done: set, wanted: set, timeout_ms: int = WAIT_MS) -> None:
    """Run the event loop until every name in *wanted* is in *done* (or *timeout_ms* pass)."""
    if wanted <= done:
        return
    loop = QEventLoop()
    check = QTimer(interval=10)
    check.timeout.connect(lambda: wanted <= done and loop.quit())
    check.start()
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    check.stop()


def screenshot(library_dir, out: Path, size=(1280, 800), search=None, open_id=None) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # never a window on anyone's screen
    out = Path(out)
    qt_path(out)
    if out.suffix.lower() != ".png":
        raise CaseGuideError(f"{out} must end in .png")
    if not out.parent.is_dir():
        raise CaseGuideError(f"cannot save {out}: the folder {out.parent} does not exist")
    from .app import application, window_library

    app = application()
    from .main_window import MainWindow  # after the QApplication exists

    current = Settings()
    window = MainWindow(window_library(current, library_dir), current)
    try:
        done: set[str] = set()
        window.searchReady.connect(lambda: done.add("search"))
        window.libraryShown.connect(lambda: done.add("listed"))
        window.resize(*size)
        window.show()
        window.start_search()
        _wait_for(window, done, {"search", "listed"})
        if open_id:
            window.library.get(open_id)  # an unknown id: UnknownGuideError, before anything is saved
            window.open_guide(open_id)
        if search:
            window.resultsShown.connect(lambda: done.add("results"))
            window.search_field.setText(search)
            window.run_search()
            _wait_for(window, done, {"results"})
        app.processEvents()
        image = window.grab()
        try:
            with replacing(out, suffix=".png") as tmp:
                if not image.save(qt_path(tmp), "PNG"):
                    raise CaseGuideError(f"cannot save {out}: writing the picture failed")
        except OSError as exc:
            raise CaseGuideError(f"cannot save {out}: {exc.strerror}") from None
    finally:
        window.close()
