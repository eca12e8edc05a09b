"""Find the files CaseGuide ships: the bundled library and the icons.

One resolver, so the same code works from a source checkout, an editable
install and a PyInstaller bundle (where the files sit under ``sys._MEIPASS``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import CaseGuideError


def root() -> Path:
    """The folder that holds ``content/`` and ``resources/``."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def path(*parts: str) -> Path:
    """A shipped file or folder, e.g. ``path("resources", "icons", "app.svg")``."""
    target = root().joinpath(*parts)
    if not target.exists():
        raise CaseGuideError(
            f"CaseGuide's own file {'/'.join(parts)} is missing from {root()}; "
            "the installation is incomplete: reinstall CaseGuide"
        )
    return target


def bundled_content_dir() -> Path:
    """The folder of pack sources shipped with the app (``content/``)."""
    return path("content")


def icon_path(name: str) -> Path:
    return path("resources", "icons", f"{name}.svg")
