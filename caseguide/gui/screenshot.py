"""``caseguide screenshot``: the window rendered offscreen, in a chosen state, saved as PNG."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from ..errors import CaseGuideError
from ..fsutil import qt_path, replacing
from ..library import Library
from ..settings import Settings

WAIT_MS = 60_000


def _wait(signal, timeout_ms: int = WAIT_MS) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def screenshot(library_dir, out: Path, size=(1280, 800), search=None, open_id=None) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # never a window on anyone's screen
    from .app import application
    from .main_window import MainWindow

    current = Settings()
    library = Library.discover(library_dir, machine_only=current.shared_mode)
    if open_id:
        library.get(open_id)  # an unknown id is an error before anything is drawn
    out = Path(out)
    qt_path(out)
    if out.suffix.lower() != ".png":
        raise CaseGuideError(f"{out} must end in .png")
    if not out.parent.is_dir():
        raise CaseGuideError(f"cannot save {out}: the folder {out.parent} does not exist")
    app = application()
    window = MainWindow(library, current)
    window.resize(*size)
    window.show()
    window.start_search()
    if window.progress.isVisible():
        _wait(window.searchReady)
    if open_id:
        window.open_guide(open_id)
    if search:
        window.search_field.setText(search)
        window.run_search()
        _wait(window.resultsShown)
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
