"""Links to websites: shown first, opened only when the person says so (never on a shared PC)."""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QLabel, QMessageBox

from .. import APP_NAME
from ..display import isolated
from ..i18n import _
from .accessibility import name_message_icon

EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")


def speak_address(box: QMessageBox, address: str, choices: str) -> None:
    """What a screen reader says of the box, after its title and text: the whole address once (the line
    that shows it is read as "The address is ..."), then what each button does (the box's description),
    whatever has the focus."""
    shown = box.findChild(QLabel, "qt_msgbox_informativelabel")
    if shown is not None:
        shown.setAccessibleName(_("The address is {address}.").format(address=address))
    box.setAccessibleDescription(choices)


def external_link_dialog(parent, url: QUrl, shared: bool, copied=lambda: None) -> QMessageBox:
    """A non-modal box (call .open()) that shows the address of *url*.

    Normally it offers to open the address in the system browser or copy it (then calls *copied*).
    In shared mode the address is only shown, to write down: nothing is opened, and nothing is put
    on the clipboard for the next person to find.
    """
    # The address exactly as it will be opened: fully encoded, so direction controls and look-alike
    # letters show as what they are (%E2%80%AE, xn--...), and isolated, so the sentence around it or
    # a right-to-left window cannot reorder it.
    address = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    if not url.isValid() or not address:
        box = QMessageBox(QMessageBox.Icon.Warning, _("Not a website address") + f" – {APP_NAME}",
                          _("This link's address is not a valid website address, so CaseGuide does not open it."),
                          parent=parent)
        name_message_icon(box)
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        return box
    shown = isolated(address)
    site = isolated(url.host(QUrl.ComponentFormattingOption.FullyEncoded) or address)
    if shared:
        box = QMessageBox(QMessageBox.Icon.Information, _("Website address") + f" – {APP_NAME}",
                          _("This link goes to the website {site}. On this shared computer CaseGuide does not "
                            "open websites. Write the address down to visit it later:").format(site=site),
                          parent=parent)
        box.setInformativeText(shown)
        box.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        speak_address(box, address, _("Press Enter to go back to the guide."))
        name_message_icon(box)
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        return box
    box = QMessageBox(QMessageBox.Icon.Question, _("Open a web page?") + f" – {APP_NAME}",
                      _("This link goes to the website {site}. It will open in your web browser, "
                        "which needs an internet connection.").format(site=site), parent=parent)
    box.setInformativeText(shown)
    box.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    speak_address(box, address, _("Open in browser opens it, Copy address copies it, Cancel goes back to the guide."))
    name_message_icon(box)
    open_button = box.addButton(_("Open in browser"), QMessageBox.ButtonRole.AcceptRole)
    copy_button = box.addButton(_("Copy address"), QMessageBox.ButtonRole.ActionRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)

    def done(_result):
        clicked = box.clickedButton()
        if clicked is open_button:
            QDesktopServices.openUrl(QUrl.fromEncoded(address.encode("ascii")))  # what was shown
        elif clicked is copy_button:
            QGuiApplication.clipboard().setText(address)
            copied()

    box.finished.connect(done)
    return box
