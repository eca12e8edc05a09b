"""Find the files CaseGuide ships: the bundled library and the icons.

They ship inside the package, as ``caseguide._content`` (the repository's ``content/``) and
``caseguide._icons`` (``resources/icons/``); see pyproject.toml. They are read through
importlib.resources, so the same code works from a checkout (an editable install maps those
packages to the repository's folders), from an installed wheel and from a PyInstaller bundle
(where PyInstaller's own resource reader answers).
"""

from __future__ import annotations

from importlib import resources as _resources
from pathlib import Path

from .errors import CaseGuideError

CONTENT_PACKAGE = "caseguide._content"
ICONS_PACKAGE = "caseguide._icons"


def _missing(what: str) -> CaseGuideError:
    return CaseGuideError(f"CaseGuide's own {what} is missing; the installation is incomplete: "
                          "reinstall CaseGuide")


def package_dir(package: str, what: str) -> Path:
    """The folder of a data package, as a real path (the library and Qt both need files on disk)."""
    try:
        folder = _resources.files(package)
    except ModuleNotFoundError:
        raise _missing(what) from None
    if not isinstance(folder, Path) or not folder.is_dir():
        # A zipped install: not how CaseGuide is shipped, and guides must be real files.
        raise _missing(what)
    return folder


def bundled_content_dir() -> Path:
    """The folder of pack sources shipped with the app (``content/`` in the repository)."""
    return package_dir(CONTENT_PACKAGE, "bundled library (content)")


def icon_path(name: str) -> Path:
    target = package_dir(ICONS_PACKAGE, "icons") / f"{name}.svg"
    if not target.is_file():
        raise _missing(f"icon {name}.svg")
    return target
