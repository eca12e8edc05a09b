"""``caseguide handout``: a PDF of one or several guides, made without a window."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import CaseGuideError
from ..guides.handout import compose, document_title, options_from_settings
from ..library import Library
from ..settings import Settings


def make_handout(library_dir, ids: list[str], out: Path, paper=None, large_print=False, client=False,
                 qr_codes: bool | None = None) -> tuple[int, bool]:
    """Write the PDF (with the sources' QR codes as the handout.qr setting says, unless *qr_codes*
    is given); returns (pages, whether an organisation is set)."""
    current = Settings()
    library = Library.discover(library_dir, machine_only=current.shared_mode)
    # Unknown ids fail before any file is written; so, on a shared PC, do guides written for caseworkers.
    guides = [library.open(guide_id, current.shared_mode) for guide_id in dict.fromkeys(ids)]
    if Path(out).suffix.lower() != ".pdf":
        raise CaseGuideError(f"{out} must end in .pdf")
    options = options_from_settings(current, paper, large_print, client, qr_codes)
    html = compose(guides, library, options)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from .printing import write_pdf

    _app = QApplication.instance() or QApplication(["caseguide"])
    pages = write_pdf(html, Path(out), options.paper, options.base_pt, document_title(guides), library)
    return pages, bool(options.organisation or options.contact)
