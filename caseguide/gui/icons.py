"""Icons from resources/icons, through the one resource resolver."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QIcon

from .. import resources
from ..errors import CaseGuideError


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    try:
        return QIcon(str(resources.icon_path(name)))
    except CaseGuideError:
        return QIcon()  # a missing icon leaves the action's text, never a crash


def app_icon() -> QIcon:
    return icon("caseguide")
