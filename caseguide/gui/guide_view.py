"""The reading view: a QTextBrowser that loads nothing it should not.

Links are never followed by Qt itself: the window decides what each click
means. Resources load only through :meth:`GuideView.loadResource`, which hands
out image files from inside the current guide's own pack (via the core's
checks) and small inline images, and nothing else: no network, no other files.
"""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QImage, QPalette, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from ..guides.markup import data_image_bytes
from ..guides.render import STYLESHEET
from ..i18n import _
from .accessibility import LinkIndex
from .style import luminance

MIN_ZOOM, MAX_ZOOM = -4, 12
READING_WIDTH = 860  # pixels of text per line at normal size: about 90 characters
MIN_MARGIN = 20


def load_resource(library, pack_id: str | None, kind, url: QUrl) -> QImage:
    """The one gate for anything a guide's HTML asks Qt to load.

    Images inside the pack *pack_id* (any pack the library holds if None: a
    handout's own HTML names each image's pack) through the core's checks, and
    small inline images; for everything else an empty image, which Qt takes
    as an answer, so it never goes looking itself.
    """
    if kind != QTextDocument.ResourceType.ImageResource:
        return QImage()  # stylesheets, other documents: nothing
    text = url.toString()
    if text.startswith("data:"):
        data = data_image_bytes(text)
        return QImage.fromData(data) if data else QImage()
    if library is None:
        return QImage()
    owner = pack_id if pack_id is not None else text.partition(":")[2].partition("/")[0]
    data = library.read_image(text, owner) if owner else None
    return QImage.fromData(data) if data else QImage()


class SafeDocument(QTextDocument):
    """A QTextDocument (for printing) that loads resources only through :func:`load_resource`."""

    def __init__(self, library=None, parent=None):
        super().__init__(parent)
        self._library = library

    def loadResource(self, kind, url: QUrl):
        return load_resource(self._library, None, kind, url)


def paper(palette: QPalette) -> QPalette:
    """The reading view's colours: a light page whatever the theme, because a guide's own colours
    (grey notes, blue links, a pale yellow warning box) are chosen to be read on white."""
    if luminance(palette.color(QPalette.ColorRole.Base)) >= 0.5:
        return palette
    palette = palette.__copy__()  # not QPalette(palette): see style.readable_palette
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Base, QColor("#ffffff"))
        palette.setColor(group, QPalette.ColorRole.Text, QColor("#000000"))
        palette.setColor(group, QPalette.ColorRole.Link, QColor("#0b57a4"))
    return palette


class GuideView(QTextBrowser):
    linkActivated = Signal(QUrl)

    def __init__(self, library, parent=None, shared: bool = False):
        super().__init__(parent)
        self._library = library
        self._shared = shared
        self._pack_id = ""
        self.zoom_steps = 0
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDefaultStyleSheet(STYLESHEET)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.setPalette(paper(self.palette()))
        self.retranslate()
        self.anchorClicked.connect(self.linkActivated)
        self.links = LinkIndex(self, self.describe_link)

    def retranslate(self) -> None:
        self.setAccessibleName(_("Guide"))
        self.setAccessibleDescription(_("Tab moves from link to link; Enter follows a link."))

    def describe_link(self, href: str) -> tuple[str, str]:
        """Where a link goes, for a screen reader: ("guide", its title), ("website", the address)..."""
        url = QUrl(href)
        scheme = url.scheme().lower()
        if scheme == "guide":
            guide = self._library.guides.get(url.path()) if self._library is not None else None
            return (_("guide"), guide.title) if guide is not None else (_("guide not in this library"), "")
        if scheme in ("http", "https"):
            # as the website box shows it: encoded, so what is read out is what would open
            return _("website"), url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        if scheme == "mailto":
            return _("email address"), url.path()
        if scheme == "tel":
            return _("phone number"), url.path()
        if not scheme and url.hasFragment():
            return _("part of this page"), ""
        return "", ""

    def set_library(self, library) -> None:
        self._library = library

    def show_page(self, html: str, pack_id: str = "") -> None:
        """Show core-made, sanitized HTML; *pack_id* is the pack its images may come from."""
        self._pack_id = pack_id
        self.document().clear()
        self.setHtml(html)
        self.links.page_changed()
        self._fit_margin()
        self.verticalScrollBar().setValue(0)

    def loadResource(self, kind, url: QUrl):
        return load_resource(self._library, self._pack_id, kind, url)

    def context_menu(self, position):
        """Qt's menu for the reading view; on a shared PC without "Copy Link Location": a visitor copies
        only what they selected themselves (End session empties the clipboard for the next person)."""
        menu = self.createStandardContextMenu(position)
        if self._shared:
            for action in menu.actions():
                if action.objectName() == "link-copy":
                    menu.removeAction(action)
        return menu

    def contextMenuEvent(self, event) -> None:
        menu = self.context_menu(event.pos())
        menu.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        moved = super().focusNextPrevChild(next)  # Tab goes to the next link, then out of the view
        self.links.focus_moved()
        return moved

    def _fit_margin(self) -> None:
        # Keep lines to a comfortable length on wide screens: centre the text column.
        spare = self.viewport().width() - READING_WIDTH * (1 + 0.1 * self.zoom_steps)
        self.document().setDocumentMargin(max(MIN_MARGIN, int(spare / 2)))

    def resizeEvent(self, event) -> None:
        self._fit_margin()
        super().resizeEvent(event)

    # Zoom: text size only, so layout reflows -------------------------------

    def zoom_by(self, steps: int) -> None:
        target = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom_steps + steps))
        delta = target - self.zoom_steps
        if delta > 0:
            self.zoomIn(delta)
        elif delta < 0:
            self.zoomOut(-delta)
        self.zoom_steps = target
        self._fit_margin()

    def reset_zoom(self) -> None:
        self.zoom_by(-self.zoom_steps)
