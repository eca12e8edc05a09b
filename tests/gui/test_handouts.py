"""Printing and saving handouts from the window."""

import re
import unicodedata

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintPreviewDialog

from caseguide import settings

pytestmark = pytest.mark.gui


def pdf_text(path):
    raw = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    return re.sub(r"[ \t]+", " ", unicodedata.normalize("NFKC", raw))


def test_ctrl_p_opens_a_print_preview_without_blocking(qtbot, window):
    window.open_guide("guide-a")
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = window.handouts.preview
    assert isinstance(preview, QPrintPreviewDialog) and preview.isVisible()
    # open(), not exec(): the call came back at once, and the preview blocks only its own window
    assert preview.windowModality() == Qt.WindowModality.WindowModal
    preview.close()


def preview_widget(preview):
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    return preview.findChild(QPrintPreviewWidget)


@pytest.mark.parametrize("focus", ["guide", "search with suggestions"])
def test_the_first_ctrl_p_opens_a_big_readable_preview(qtbot, window, focus):
    from PySide6.QtGui import QAction
    from PySide6.QtPrintSupport import QPrintPreviewWidget
    from PySide6.QtWidgets import QApplication, QComboBox

    assert window._handouts is None  # the first print of this window: nothing is loaded yet
    window.open_guide("guide-a")
    if focus == "guide":
        window.view.setFocus()
        target = window.view
    else:
        window.search_field.setFocus()
        qtbot.keyClicks(window.search_field, "Hosp")
        qtbot.waitUntil(lambda: window.completer.popup().isVisible())
        target = window.completer.popup()  # where the keys go while suggestions show
    qtbot.keyClick(target, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.handouts.preview is not None and window.handouts.preview.isVisible())
    preview = window.handouts.preview
    area = window.screen().availableGeometry()
    assert preview.width() >= 0.85 * area.width() and preview.height() >= 0.85 * area.height()
    assert preview.width() <= area.width() and preview.height() <= area.height()
    pages = preview_widget(preview)
    assert pages.zoomMode() == QPrintPreviewWidget.ZoomMode.FitToWidth
    assert preview.findChild(QAction, "fitWidthAction").isChecked()  # the toolbar shows it
    assert pages.pageCount() >= 1
    zoom_box = preview.findChild(QComboBox)
    assert zoom_box is not None and zoom_box.isVisible()
    before = pages.zoomFactor()
    pages.zoomIn()
    assert pages.zoomFactor() > before
    assert QApplication.activeModalWidget() in (preview, None)
    preview.close()


def test_export_the_open_guide(qtbot, open_window, gui_library, tmp_path):
    settings.set_value("organisation.name", "Hope Centre")  # set before CaseGuide starts, as staff do
    window = open_window(gui_library)
    window.open_guide("guide-a")
    out = tmp_path / "a.pdf"
    with qtbot.waitSignal(window.handouts.saved, timeout=20000) as saved:
        window.handouts.save_pdf(window.handout_guides(), out)
    assert saved.args == [str(out), 1]
    text = pdf_text(out)
    assert "Hospital charges" in text and "Hope Centre" in text and "Page 1 of 1" in text
    assert "Saved" in window.statusBar().currentMessage()


def test_several_selected_guides_make_one_handout(qtbot, window, tmp_path):
    tree = window.tree
    items = [tree.topLevelItem(0).child(0).child(n) for n in range(2)]
    for item in items:
        item.setSelected(True)
    guides = window.handout_guides()
    assert {g.id for g in guides} == {"guide-a", "guide-b"}
    out = tmp_path / "both.pdf"
    with qtbot.waitSignal(window.handouts.saved, timeout=20000):
        window.handouts.save_pdf(guides, out)
    text = pdf_text(out)
    assert "Your guides" in text and "Hospital charges" in text and "Registering with a GP" in text


def test_no_organisation_offers_to_add_it(qtbot, window, tmp_path):
    window.open_guide("guide-a")
    with qtbot.waitSignal(window.handouts.saved, timeout=20000):
        window.handouts.save_pdf(window.handout_guides(), tmp_path / "a.pdf")
    qtbot.waitUntil(lambda: getattr(window.handouts, "offer_box", None) is not None)
    box = window.handouts.offer_box
    assert box.isVisible()
    [add] = [b for b in box.buttons() if b.text() == "Add details…"]
    add.click()
    qtbot.waitUntil(lambda: getattr(window, "preferences_dialog", None) is not None)
    dialog = window.preferences_dialog
    dialog.name.setText("Hope Centre")
    dialog.contact.setPlainText("1 High St\nLondon")
    dialog.save()
    assert settings.Settings().get("organisation.contact") == "1 High St\nLondon"


def test_preferences_show_locked_settings_as_locked(qtbot, open_window, gui_library):
    settings.set_value("handout.paper", "letter", system=True, lock=True)  # deployed by staff beforehand
    window = open_window(gui_library)
    window.show_preferences()
    dialog = window.preferences_dialog
    assert not dialog.paper.isEnabled() and dialog.paper.currentData() == "letter"
    assert dialog.name.isEnabled()
    dialog.close()


def test_preferences_turn_the_handouts_qr_codes_off_and_on(qtbot, window):
    window.show_preferences()
    dialog = window.preferences_dialog
    assert dialog.qr.isChecked() and window.handouts.options().qr  # on unless turned off
    dialog.qr.setChecked(False)
    dialog.save()
    assert settings.Settings().get("handout.qr") is False
    assert window.handouts.options().qr is False  # the next handout has none


def test_a_locked_qr_setting_shows_as_locked(qtbot, open_window, gui_library):
    settings.set_value("handout.qr", False, system=True, lock=True)
    window = open_window(gui_library)
    window.show_preferences()
    dialog = window.preferences_dialog
    assert not dialog.qr.isEnabled() and not dialog.qr.isChecked()
    dialog.close()


def test_printing_the_home_page_says_what_to_do(window):
    window.go_home()
    window.tree.clearSelection()
    window.print_handout()
    assert "Open a guide" in window.statusBar().currentMessage()
    assert window.handouts.preview is None


def test_staff_can_turn_on_shared_mode_in_preferences(qtbot, window):
    window.show_preferences()
    dialog = window.preferences_dialog
    assert not dialog.shared.isChecked()
    dialog.shared.setChecked(True)
    dialog.save()
    assert settings.Settings().shared_mode  # machine-wide, takes effect at the next start


def test_without_rights_the_switch_says_so(qtbot, window, monkeypatch):
    from caseguide.errors import CaseGuideError

    def refuse(*args, **kwargs):
        raise CaseGuideError("you do not have the rights to change machine-wide files")

    monkeypatch.setattr(settings, "set_value", refuse)
    window.show_preferences()
    dialog = window.preferences_dialog
    dialog.shared.setChecked(True)
    dialog.save()
    assert "Not saved" in dialog.problem.text() and "rights" in dialog.problem.text()
    assert dialog.isVisible()
    dialog.close()


@pytest.mark.parametrize("where", ["handout", "reading view"])
def test_addresses_and_the_apps_english_keep_their_order_in_a_right_to_left_guide(qapp, make_pack, where):
    from PySide6.QtGui import QTextDocument

    from caseguide.guides.handout import HandoutOptions, compose
    from caseguide.library import Library
    from caseguide.guides.render import guide_page

    from ..conftest import guide_file

    url = "https://ico.org.uk/for-the-public/"  # a trailing slash is what bidi reordering moves
    # Pashto: written right to left, and CaseGuide has no catalog for it, so its own words stay English
    library = Library.discover(make_pack({"ar.md": guide_file(
        "يمكنك طلب نسخة من معلوماتك الشخصية.", id="arabic", title="طلب البيانات", language="ps",
        sources=f"\n  - title: ICO\n    url: {url}")}))
    guide = library.get("arabic")
    html = compose([guide], library, HandoutOptions()) if where == "handout" else guide_page(guide, library)
    doc = QTextDocument()
    doc.setHtml(html)

    def direction_of(text):
        block = doc.find(text).block()
        assert block.isValid(), text
        return block.textDirection()

    assert direction_of("معلوماتك") == Qt.LayoutDirection.RightToLeft
    assert direction_of(url) == Qt.LayoutDirection.LeftToRight
    assert direction_of("Last reviewed") == Qt.LayoutDirection.LeftToRight
    if where == "handout":
        assert direction_of("not legal advice") == Qt.LayoutDirection.LeftToRight
