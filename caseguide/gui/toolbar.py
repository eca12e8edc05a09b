"""The window's toolbar: navigation, search, zoom, print, and Quick exit always in reach."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLineEdit, QSizePolicy, QToolBar, QToolButton, QWidget

from ..i18n import _

SEARCH_FIELD_WIDTH = {False: 260, True: 120}  # by whether the toolbar is compact
SEARCH_FIELD_NARROWEST = 60  # when even compact buttons do not fit (wider fonts, bigger text)
WIDGET_SIZE_MAX = 16777215  # QWIDGETSIZE_MAX: no maximum
# Qt::ToolButtonIconOnly and Qt::ToolButtonTextBesideIcon, set through Qt's property system: naming
# Qt.ToolButtonStyle would build Qt's whole namespace of enums in Python before the first paint.
BUTTON_STYLE = {True: 0, False: 2}
TAB_FOCUS = 0x1  # Qt::TabFocus, set through the property system for the same reason


class MainToolBar(QToolBar):
    """Buttons with their names beside their icons while there is room.

    Quick exit (and End session on a shared PC) must never fall into the overflow menu, however
    narrow the window or big the text: when the bar would overflow, the other buttons show only
    their icons (their names stay in tooltips and for screen readers) and the search field gives up
    some width.

    Its buttons take the keyboard focus with Tab (Qt's toolbars leave them out), in the order
    they are shown; :meth:`buttons` lists them for the window's Tab order and for F6.
    """

    def __init__(self, actions: dict, search_field: QLineEdit, shared: bool, parent=None, language_button=None):
        super().__init__(_("Navigation"), parent)
        self.setObjectName("navigation")
        self.setMovable(False)
        self.setProperty("toolButtonStyle", BUTTON_STYLE[False])
        self.search_field = search_field
        self.language_button = language_button
        search_field.setMinimumWidth(SEARCH_FIELD_WIDTH[False])
        for name in ("back", "forward", "home"):
            self.addAction(actions[name])
        self.addSeparator()
        self.addWidget(search_field)
        self.addSeparator()
        self.addAction(actions["zoom_out"])
        self.addAction(actions["zoom_in"])
        self.addSeparator()
        self.addAction(actions["print"])
        if language_button is not None:
            self.addSeparator()
            self.addWidget(language_button)  # named in its language: never shrunk to an icon
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(spacer)
        if shared:
            self.addAction(actions["end_session"])
        self.addAction(actions["quick_exit"])
        quick = self.widgetForAction(actions["quick_exit"])
        quick.setObjectName("quickExitButton")
        # The focus ring lies over its red border, so with the focus it also turns solid red (white
        # on red, 8.8:1): unmistakable, and still red.
        quick.setStyleSheet("QToolButton#quickExitButton { font-weight: bold; border: 2px solid #8a1c1c;"
                            " border-radius: 4px; padding: 2px 8px; }"
                            " QToolButton#quickExitButton:focus { background: #8a1c1c; color: white; }")
        keep = {self.widgetForAction(actions[name]) for name in ("quick_exit", "end_session")} | {language_button}
        self._shrinkable = [w for w in map(self.widgetForAction, self.actions())
                            if isinstance(w, QToolButton) and w not in keep]
        for button in self.buttons():
            button.setProperty("focusPolicy", TAB_FOCUS)
        # The overflow button (shown only if the bar ever overflows) and the search field's clear
        # button have no names of their own.
        self.compact = False
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Navigation"))
        self.setAccessibleName(_("Navigation"))
        for button in self.findChildren(QToolButton):
            if button.objectName() == "qt_toolbar_ext_button":
                button.setAccessibleName(_("More toolbar buttons"))
        for button in self.search_field.findChildren(QToolButton):
            button.setAccessibleName(_("Clear the search"))
        self.fit()

    def buttons(self) -> list[QWidget]:
        """The toolbar's controls in the order they are shown (the search field among them)."""
        return [w for w in map(self.widgetForAction, self.actions())
                if isinstance(w, QToolButton) or w is self.search_field]

    def _apply(self, compact: bool) -> None:
        if self.language_button is not None:
            self.language_button.set_compact(compact)
        for button in self._shrinkable:
            button.setProperty("toolButtonStyle", BUTTON_STYLE[compact])
        self.search_field.setMinimumWidth(SEARCH_FIELD_WIDTH[compact])
        self.search_field.setMaximumWidth(WIDGET_SIZE_MAX)
        self.compact = compact

    def _overflow(self) -> int:
        return self.layout().sizeHint().width() - self.contentsRect().width()

    def fit(self) -> None:
        if self.compact:
            self._apply(False)
        if self._overflow() > 0:
            self._apply(True)
            over = self._overflow()
            if over > 0:  # Windows' fonts, bigger text: the search field gives up what is still missing
                width = max(SEARCH_FIELD_NARROWEST, self.search_field.sizeHint().width() - over)
                self.search_field.setMinimumWidth(width)
                self.search_field.setMaximumWidth(width)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit()
