"""CaseGuide's window. The only package that imports PySide6."""

import os


def _offscreen_fonts_on_windows() -> None:
    """On Windows, Qt's offscreen platform (screenshots, handouts made without a window) reads fonts
    only from Qt's own lib/fonts folder, which PySide6 does not ship: its pictures and PDFs would have
    no text at all. Point it at the Windows fonts instead, before the first QApplication."""
    if os.name != "nt" or os.environ.get("QT_QPA_FONTDIR"):
        return
    from pathlib import Path

    from PySide6.QtCore import QLibraryInfo

    own = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath)) / "fonts"
    if not any(own.glob("*.tt[fc]")) and not any(own.glob("*.otf")):
        os.environ["QT_QPA_FONTDIR"] = os.path.join(os.environ.get("WINDIR") or r"C:\Windows", "Fonts")


_offscreen_fonts_on_windows()
