"""Preferences: the organisation's details and paper size for handouts (the same settings as the CLI)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from .. import APP_NAME, i18n, settings
from ..errors import CaseGuideError
from ..i18n import N_, _
from ..nations import LABELS as NATION_LABELS
from ..nations import NATIONS
from .accessibility import announce

LOCKED_NOTE = N_("Set by your organisation for everyone on this PC.")


class PreferencesDialog(QDialog):
    saved = Signal()

    def __init__(self, current_settings, parent=None):
        """*current_settings* is the app's one Settings: read here, and reloaded once saved."""
        super().__init__(parent)
        self.setWindowTitle(_("Preferences") + f" – {APP_NAME}")
        self.current = current_settings
        self.name = QLineEdit(self.current.get("organisation.name"))
        self.name.setAccessibleName(_("Organisation name"))
        self.contact = QPlainTextEdit(self.current.get("organisation.contact"))
        self.contact.setAccessibleName(_("Organisation contact details"))
        self.contact.setTabChangesFocus(True)
        self.contact.setMinimumHeight(90)
        self.paper = QComboBox()
        self.paper.setAccessibleName(_("Paper size"))
        self.paper.addItem(_("A4"), "a4")
        self.paper.addItem(_("Letter"), "letter")
        self.paper.setCurrentIndex(self.paper.findData(self.current.get("handout.paper")))
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language CaseGuide starts in"))
        self.language.addItem(_("The computer's language"), "")
        for code in i18n.available():
            self.language.addItem(i18n.native_name(code), code)
        self.language.setCurrentIndex(max(self.language.findData(self.current.get("ui.language")), 0))
        self.nation = QComboBox()
        self.nation.setAccessibleName(_("The nation whose law your organisation works under"))
        self.nation.addItem(_("Not set"), "")
        for nation in NATIONS:
            self.nation.addItem(_(NATION_LABELS[nation]), nation)
        self.nation.setCurrentIndex(max(self.nation.findData(self.current.get("organisation.nation")), 0))
        self.nation.setToolTip(_("Guides for this nation come first; a guide about another nation's law says so "
                                 "when it is opened and printed."))
        # QR codes on handouts (handout.qr)
        self.qr = QCheckBox(_("&QR codes of the sources' addresses on handouts"))
        self.qr.setAccessibleName(_("QR codes of the sources' addresses on handouts"))
        self.qr.setChecked(self.current.get("handout.qr"))
        self.qr.setToolTip(_("A phone's camera reads a code to open the source. Large print makes them larger."))
        self.fields = {"organisation.name": self.name, "organisation.contact": self.contact,
                       "organisation.nation": self.nation, "handout.paper": self.paper, "ui.language": self.language,
                       "handout.qr": self.qr}
        self.shared = QCheckBox(_("&Shared-PC mode, for everyone on this PC (staff with administrator rights)"))
        self.shared.setAccessibleName(_("Shared-PC mode for everyone on this PC"))
        self.shared.setChecked(self.current.shared_mode)
        self.shared.setToolTip(_("Visitors' searches and reading are never kept, the window starts afresh after a "
                               "few minutes without use, and packs and preferences are for staff only. "
                               "Takes effect when CaseGuide next starts."))

        form = QFormLayout()
        form.addRow(_("Organisation &name:"), self.name)
        form.addRow(_("&Contact details:"), self.contact)
        form.addRow(_("Na&tion:"), self.nation)
        form.addRow(_("&Paper size:"), self.paper)
        form.addRow("", self.qr)
        form.addRow(_("&Language:"), self.language)
        form.addRow("", self.shared)
        for key, widget in self.fields.items():
            if self.current.is_locked(key):
                widget.setEnabled(False)
                widget.setToolTip(_(LOCKED_NOTE))
                widget.setAccessibleDescription(_(LOCKED_NOTE))
        intro = QLabel(_("Handouts carry your organisation's name and contact details, so a client knows "
                       "who to call. They are saved for your account only."))
        intro.setWordWrap(True)
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def _values(self) -> dict:
        return {"organisation.name": self.name.text(), "organisation.contact": self.contact.toPlainText(),
                "organisation.nation": self.nation.currentData(), "handout.paper": self.paper.currentData(),
                "ui.language": self.language.currentData(), "handout.qr": self.qr.isChecked()}

    def save(self) -> None:
        try:
            for key, value in self._values().items():
                if self.fields[key].isEnabled() and value != self.current.get(key):
                    settings.set_value(key, value)
            if self.shared.isChecked() != self.current.shared_mode:
                settings.set_value("shared.enabled", self.shared.isChecked(), system=True)
        except CaseGuideError as exc:
            self.problem.setText("<b>" + html.escape(_("Not saved.")) + "</b> " + html.escape(str(exc)))
            announce(self.problem, _("Not saved.") + f" {exc}")
            return
        finally:
            self.current.reload()  # what was saved (or half-saved) is what everyone sees
        self.saved.emit()
        self.accept()
