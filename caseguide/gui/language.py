"""Choosing the interface's language: the toolbar's language button, and what a change does to Qt.

A person (a visitor on a shared PC too) picks a language for their own session with the button;
Preferences and the machine-wide ``ui.language`` setting choose the one CaseGuide starts in.
Right-to-left languages mirror the whole window: that is Qt's layout direction, set here.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QToolButton

from .. import i18n
from ..i18n import _

_qt_translator: QTranslator | None = None
_mirrored = False  # the layout direction was set right to left
INSTANT_POPUP = 2  # QToolButton::InstantPopup


def system_languages() -> list[str]:
    """The platform's preferred languages, as Qt reads them (Windows' settings too), then the
    environment's."""
    return [name.replace("-", "_") for name in QLocale.system().uiLanguages()] + i18n.system_preferences()


def starting_language(settings) -> str:
    """The language CaseGuide starts in: the ``ui.language`` setting, else the system's."""
    return i18n.choose(settings.get("ui.language"), system_languages())


def apply(code: str) -> str:
    """Make *code* the interface language of the whole app: CaseGuide's words, Qt's own (the buttons
    of standard dialogs, where Qt has a catalog) and the layout direction. Returns the code used."""
    global _qt_translator
    code = i18n.set_language(code)
    app = QApplication.instance()
    if app is None:
        return code
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if code != i18n.SOURCE_LANGUAGE:
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{code}", folder):
            app.installTranslator(translator)
            _qt_translator = translator
    global _mirrored
    rtl = i18n.is_rtl(code)
    if rtl or _mirrored:  # (an English start never names Qt's enums: see toolbar.BUTTON_STYLE)
        from PySide6.QtCore import Qt

        QGuiApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        _mirrored = rtl
    return code


class LanguageButton(QToolButton):
    """A toolbar button named by the language in use, in its own words ("العربية"), whose menu lists
    every interface language in its own words; ``chosen(code)`` says which was picked."""

    chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("languageButton")
        self.setProperty("popupMode", INSTANT_POPUP)
        self.menu_ = QMenu(self)
        self.group = QActionGroup(self)
        for code in i18n.available():  # (language_info would read every catalog: a tenth of a second)
            action = QAction(i18n.native_name(code), self.menu_)
            action.setCheckable(True)
            action.setData(code)
            if i18n.is_rtl(code):
                action.setProperty("caseguide_rtl", True)
            self.group.addAction(action)
            self.menu_.addAction(action)
        self.group.triggered.connect(lambda action: self.chosen.emit(action.data()))
        self.setMenu(self.menu_)
        self.compact = False
        self.retranslate()

    def set_compact(self, compact: bool) -> None:
        """In a narrow toolbar, the language's code ("AR") instead of its name."""
        self.compact = compact
        self.retranslate()

    def retranslate(self) -> None:
        code = i18n.current_language()
        self.setText(code.split("_")[0].upper() if self.compact else i18n.native_name(code))
        self.setAccessibleName(_("Language: {name}").format(name=i18n.native_name(code)))
        self.setToolTip(_("Choose the language CaseGuide speaks, for this session"))
        for action in self.group.actions():
            action.setChecked(action.data() == code)
