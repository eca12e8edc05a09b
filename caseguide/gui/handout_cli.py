"""``caseguide handout``: a PDF of one or several guides, made without a window."""

from __future__ import annotations

import os
from pathlib import Path

from .. import settings
from ..errors import CaseGuideError
from ..handout import HandoutOptions, compose
from ..library import Library


def options_from_settings(paper: str | None = None, large_print: bool = False, client: bool = False):
    current = settings.Settings()
    return HandoutOptions(
        paper=paper or current.get("handout.paper"), large_print=large_print, client=client,
        organisation=current.get("organisation.name"), contact=current.get("organisation.contact"),
    )


def make_handout(library_dir, ids: list[str], out: Path, paper=None, large_print=False, client=False) -> tuple[int, bool]:
    """Write the PDF; returns (pages, whether an organisation is set)."""
    library = Library.discover(library_dir)
    guides = [library.get(guide_id) for guide_id in dict.fromkeys(ids)]  # unknown ids fail before any file
    if Path(out).suffix.lower() != ".pdf":
        raise CaseGuideError(f"{out} must end in .pdf")
    options = options_from_settings(paper, large_print, client)
    html = compose(guides, library, options)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from .printing import write_pdf

    _app = QApplication.instance() or QApplication(["caseguide"])
    title = guides[0].title if len(guides) == 1 else "Your guides"
    pages = write_pdf(html, Path(out), options.paper, options.base_pt, title, library)
    return pages, bool(options.organisation or options.contact)
