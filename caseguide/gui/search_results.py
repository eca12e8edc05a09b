"""Search results: title and a snippet with the matching words in bold."""

from __future__ import annotations

import html

from PySide6 import QtCore
from PySide6.QtCore import QModelIndex, QSize, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ..display import clean_text
from ..guides.model import KIND_LABELS, KINDS
from ..i18n import _, native_name, ngettext
from ..nations import LABELS as NATION_LABELS
from ..nations import NATIONS
from .accessibility import announce
from .plain import plain_tooltip

GUIDE_ROLE = 0x0100  # QtCore.Qt.ItemDataRole.UserRole, as a number: see toolbar.BUTTON_STYLE
HTML_ROLE = GUIDE_ROLE + 1
SNIPPET_ROLE = GUIDE_ROLE + 2  # whether the result's passage is shown yet
LINKS_BY_MOUSE_AND_KEYBOARD = 0x4 | 0x8  # Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard
NO_FOCUS = 0  # Qt::NoFocus
SPOKEN_SUMMARY_CHARS = 160  # a result is announced with this much of its guide's summary at most
ANNOUNCE_AFTER_MS = 700  # say how many were found once the results stop changing as a person types


def short_summary(text: str, limit: int = SPOKEN_SUMMARY_CHARS) -> str:
    """*text* cut at a word to about *limit* characters, with an ellipsis if anything was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


class _RichDelegate(QStyledItemDelegate):
    """Draws an item's HTML (title and snippet), wrapped to the list's width.

    Laying out rich text is the dear part, and the list asks for each item's size and picture many
    times over (every resize, every repaint), so each laid-out document is kept for its text, font
    and width.
    """

    CACHE_SIZE = 400

    def __init__(self, parent=None):
        super().__init__(parent)
        self._documents: dict[tuple, QTextDocument] = {}

    def _document(self, option, index) -> QTextDocument:
        text, width = index.data(HTML_ROLE), max(option.rect.width(), 120)
        key = (text, width, option.font.key())
        doc = self._documents.get(key)
        if doc is None:
            if len(self._documents) >= self.CACHE_SIZE:
                self._documents.clear()
            doc = self._documents[key] = QTextDocument()
            doc.setDefaultFont(option.font)
            doc.setDocumentMargin(6)
            doc.setHtml(text)
            doc.setTextWidth(width)
        return doc

    def forget(self) -> None:
        """Drop every kept document (the results were cleared: a shared PC's reset wipes them too)."""
        self._documents.clear()

    def paint(self, painter, option, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = option.state & QStyle.StateFlag.State_Selected
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(option.rect.topLeft())
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        width = option.rect.width() or (option.widget.viewport().width() if option.widget else 300)
        opt = QStyleOptionViewItem(option)
        opt.rect.setWidth(width)
        doc = self._document(opt, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 4)


class SearchResults(QWidget):
    """The results pane: filters, a heading that says what was found, and the list.

    A screen reader hears each result as its title, kind and a short summary (the matching
    passage is its description), and is told "3 guides found" once the results settle, while
    the focus stays in the search field.
    """

    guideChosen = Signal(str)
    filtersChanged = Signal()
    searchInstead = Signal(str)  # the words as typed, when a correction was shown
    announced = Signal(str)  # what a screen reader was told about the latest results

    def __init__(self, library=None, parent=None):
        super().__init__(parent)
        self._library = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        # The heading's text is its accessible name; its link ("search instead for") is reached with Tab.
        # (Through the property system: naming Qt's enums here, before the first paint, would build
        # their whole namespace in Python.) Links by mouse and keyboard; no focus until it has a link.
        self.heading.setProperty("textInteractionFlags", LINKS_BY_MOUSE_AND_KEYBOARD)
        self.heading.setProperty("focusPolicy", NO_FOCUS)
        self.heading.linkActivated.connect(lambda href: self.searchInstead.emit(href[len("instead:"):]))
        self.kind = QComboBox()
        self.topic = QComboBox()
        self.lang = QComboBox()
        self.nation = QComboBox()
        self.boxes = {"kind": self.kind, "topic": self.topic, "nation": self.nation, "lang": self.lang}
        for box in self.boxes.values():
            box.currentIndexChanged.connect(self.filtersChanged)
        if library is not None:
            self.set_library(library)
        self.list = QListWidget()
        self.delegate = _RichDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        # Laid out in one pass. Qt's batched layout (a screenful at a time, issue 26) left the list
        # blank: the items were there and sized, but never drawn nor hit by a click, on X and offscreen
        # alike (PySide6 6.11.3); the delegate's kept documents make the one pass cheap enough.
        self.list.itemActivated.connect(self._chosen)
        self.list.itemClicked.connect(self._chosen)
        filters = QGridLayout()  # two by two: they still leave the guide most of a small window
        filters.setContentsMargins(4, 4, 4, 0)
        for number, box in enumerate(self.boxes.values()):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(4)
            filters.addWidget(box, number // 2, number % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        self.heading.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)
        self._spoken = ""
        self._announce = QTimer(self, singleShot=True, interval=ANNOUNCE_AFTER_MS)
        self._announce.timeout.connect(self._say_found)
        self.retranslate()

    def retranslate(self) -> None:
        """Every word of the pane, in the interface's language now (results are searched again)."""
        self.kind.setAccessibleName(_("Filter by kind"))
        self.topic.setAccessibleName(_("Filter by topic"))
        self.lang.setAccessibleName(_("Filter by language"))
        self.nation.setAccessibleName(_("Filter by nation"))
        self.list.setAccessibleName(_("Search results"))
        self.list.setAccessibleDescription(_("Press Enter to open the selected guide."))
        if self._library is not None:
            chosen = self.filters()
            self.set_library(self._library)
            for key, box in self.boxes.items():
                box.blockSignals(True)
                box.setCurrentIndex(max(box.findData(chosen[key]), 0))
                box.blockSignals(False)

    def tab_order(self) -> list[QWidget]:
        """The pane's controls in the order Tab visits them."""
        return [*self.boxes.values(), self.heading, self.list]

    def focus_target(self) -> QWidget:
        """What F6 moves to in this pane: the list, or the first filter when nothing was found."""
        return self.list if self.list.count() else self.kind

    def set_library(self, library) -> None:
        """Fill the filters with the kinds, topics and languages the library has."""
        self._library = library
        for box, first in ((self.kind, _("All kinds")), (self.topic, _("All topics")),
                           (self.lang, _("All languages")), (self.nation, _("All nations"))):
            box.blockSignals(True)
            box.clear()
            box.addItem(first, "")
        for kind in KINDS:
            self.kind.addItem(_(KIND_LABELS[kind]), kind)
        for topic in sorted({t for g in library for t in g.topics}, key=library.topic_label):
            self.topic.addItem(library.topic_label(topic), topic)
        for lang in sorted({g.primary_language for g in library}):
            self.lang.addItem(native_name(lang), lang)  # each language in its own words
        self.lang.setVisible(self.lang.count() > 2)
        for nation in NATIONS:  # each nation's guides, with the UK-wide ones
            self.nation.addItem(_(NATION_LABELS[nation]), nation)
        for box in self.boxes.values():
            box.blockSignals(False)

    def filters(self) -> dict:
        return {key: box.currentData() or "" for key, box in self.boxes.items()}

    def reset_filters(self) -> None:
        for box in self.boxes.values():
            box.setCurrentIndex(0)

    def clear(self) -> None:
        """No results and no heading: what a new person should see."""
        self.list.clear()
        self.delegate.forget()
        self.heading.clear()
        self._set_heading_focus(False)
        self._announce.stop()
        self._spoken = ""

    def _set_heading_focus(self, has_link: bool) -> None:
        # Tab stops on the heading only while it holds a link.
        self.heading.setFocusPolicy(QtCore.Qt.FocusPolicy.TabFocus if has_link else QtCore.Qt.FocusPolicy.NoFocus)

    def _say_found(self) -> None:
        self.announced.emit(self._spoken)
        announce(self.heading, self._spoken)

    def _set_heading(self, text: str) -> None:
        self.heading.setTextFormat(QtCore.Qt.TextFormat.RichText)  # here, not when made: after the first paint
        self.heading.setText(text)

    def show_waiting(self) -> None:
        self._set_heading(html.escape(_("Searching…")))

    def show_results(self, found) -> None:
        """Show a search's results (a search.Results) and say what the search did: the words it
        corrected, and whether any guide has every word."""
        self.list.clear()
        self.delegate.forget()
        lines = []
        if found.corrected:
            searched = "".join(f"<b>{html.escape(text)}</b>" if changed else html.escape(text)
                               for text, changed in found.corrected_parts())
            instead = _("search instead for {words}").format(words=html.escape(found.original))
            lines.append(_("Showing results for {words}").format(words=searched) + " · "
                         f'<a href="instead:{html.escape(found.original, quote=True)}">{instead}</a>')
        hits = found.hits
        if not hits:
            lines.append(html.escape(_("No guides match “{words}”. Try fewer or different words.").format(
                words=found.query)))
        elif found.partial:
            lines.append(_("No guide matches all of: {words}").format(words=f"<b>{html.escape(found.query)}</b>"))
            lines.append(html.escape(ngettext("{n} guide with some of these words. Enter or click to open.",
                                              "{n} guides with some of these words. Enter or click to open.",
                                              len(hits)).format(n=len(hits))))
        else:
            lines.append(html.escape(ngettext("{n} guide found. Enter or click to open.",
                                              "{n} guides found. Enter or click to open.",
                                              len(hits)).format(n=len(hits))))
        self._set_heading("<br/>".join(lines))
        self._set_heading_focus(found.corrected)
        spoken = [_("Showing results for {words}").format(words=found.query) + "."] if found.corrected else []
        if not hits:
            spoken.append(_("No guides match {words}.").format(words=found.query))
        elif found.partial:
            spoken.append(_("No guide matches all of: {words}").format(words=found.query) + ". " + ngettext(
                "{n} guide with some of these words.", "{n} guides with some of these words.",
                len(hits)).format(n=len(hits)))
        else:
            spoken.append(ngettext("{n} guide found.", "{n} guides found.", len(hits)).format(n=len(hits)))
        self._spoken = " ".join(spoken)  # said once the results stop changing, without moving the focus
        self._announce.start()
        guides = self._library.guides if self._library is not None else {}
        for hit in hits:
            item = QListWidgetItem()
            item.setData(GUIDE_ROLE, hit.id)
            self._set_passage(item, hit)
            title = clean_text(hit.title)
            item.setText(title)  # also what typing a letter in the list jumps by
            # What a screen reader says: the title, the kind and a short summary; then the passage and
            # the words it lacks.
            guide = guides.get(hit.id)
            summary = short_summary(clean_text(guide.summary)) if guide is not None else ""
            kind = _(KIND_LABELS[hit.kind]) if hit.kind in KIND_LABELS else hit.kind
            item.setData(QtCore.Qt.ItemDataRole.AccessibleTextRole,
                         f"{title}. {kind}." + (f" {summary}" if summary else ""))
            item.setToolTip(plain_tooltip(hit.title))
            self.list.addItem(item)
        if hits:
            self.list.setCurrentRow(0)

    def add_snippets(self, found) -> None:
        """The same results as shown, now with every snippet (the search sends a screenful's first):
        each result still without one gets it, in place."""
        for row, hit in enumerate(found.hits):
            item = self.list.item(row)
            if item is None or item.data(GUIDE_ROLE) != hit.id:
                return  # not the results on screen
            if hit.snippet_html and not item.data(SNIPPET_ROLE):
                self._set_passage(item, hit)

    @staticmethod
    def _set_passage(item: QListWidgetItem, hit) -> None:
        """What the result shows under its title (the passage, the words it lacks), and says."""
        missing = ""
        if hit.missing:
            missing = "<br/><i>" + html.escape(_("Missing: {words}").format(words=", ".join(hit.missing))) + "</i>"
        item.setData(SNIPPET_ROLE, bool(hit.snippet_html))
        item.setData(HTML_ROLE, f"<b>{html.escape(hit.title)}</b><br/>"
                                f'<span style="font-size: small">{hit.snippet_html}{missing}</span>')
        item.setData(QtCore.Qt.ItemDataRole.AccessibleDescriptionRole, clean_text(hit.snippet)
                     + (" " + _("Missing: {words}").format(words=", ".join(hit.missing)) + "."
                        if hit.missing else ""))

    def selected_guide_ids(self) -> list[str]:
        rows = sorted(self.list.row(item) for item in self.list.selectedItems())
        return [self.list.item(row).data(GUIDE_ROLE) for row in rows]

    def first_guide(self) -> str | None:
        item = self.list.item(0)
        return item.data(GUIDE_ROLE) if item else None

    def _chosen(self, item) -> None:
        self.guideChosen.emit(item.data(GUIDE_ROLE))
