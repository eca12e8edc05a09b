"""The window in a visitor's language: switched in place, right to left where the language is written so,
back to the usual language when the session ends; guides' other versions a click away; handouts
labelled in the guide's language."""

import datetime as dt
import html
import re
import unicodedata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from caseguide import i18n, settings
from caseguide.guides.handout import HandoutOptions, compose
from caseguide.library import Library
from caseguide.gui.icons import icon

from ..conftest import guide_file

pytestmark = pytest.mark.gui


def ar(message: str) -> str:
    return i18n.translator("ar").gettext(message)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    from caseguide.gui import language
    language.apply("en")


@pytest.fixture
def translated_library(make_pack):
    root = make_pack({
        "en.md": guide_file("Ask the Home Office for your file. It is free.", id="access", title="Getting your file"),
        "ar.md": guide_file("اطلب ملفك من وزارة الداخلية. هذا مجاني.", id="access-ar", title="الحصول على ملفك",
                            summary="كيف تطلب ملفك.", language="ar", translation_of="access",
                            sources="\n  - title: وزارة الداخلية\n    url: https://www.gov.uk/guidance/paying-an-nhs-debt"),
        "fa.md": guide_file("پرونده خود را از وزارت کشور بخواهید.", id="access-fa", title="گرفتن پرونده",
                            language="fa", translation_of="access"),
    })
    return Library.discover(root)


def test_a_visitor_switches_the_whole_window_to_arabic_and_back(qtbot, window):
    window.set_language("ar")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.search_field.placeholderText() == ar("Search guides (Ctrl+F)") != "Search guides (Ctrl+F)"
    assert window.actions_by_name["quick_exit"].text() == ar("Quick e&xit")
    assert window.menuBar().actions()[0].text() == ar("&File")
    assert ar("Know your rights") in window.view.toPlainText()  # the home page
    quick = window.toolbar.widgetForAction(window.actions_by_name["quick_exit"])
    assert quick.isVisible()  # Quick exit still in reach, on the mirrored side
    back, forward = window.actions_by_name["back"], window.actions_by_name["forward"]
    assert back.icon().cacheKey() == icon("go-forward").cacheKey()  # Back points right, the way Arabic reads
    assert forward.icon().cacheKey() == icon("go-back").cacheKey()
    window.set_language("en")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.search_field.placeholderText() == "Search guides (Ctrl+F)"
    assert back.icon().cacheKey() == icon("go-back").cacheKey()


def test_the_language_button_lists_every_language_in_its_own_words(qtbot, window):
    names = [a.text() for a in window.language_button.menu().actions()]
    assert "العربية" in names and "فارسی" in names and "English" in names
    [farsi] = [a for a in window.language_button.menu().actions() if a.data() == "fa"]
    farsi.trigger()
    assert i18n.current_language() == "fa"
    # the button names the language in its own words; on a narrow window, by its code
    assert window.language_button.text() in ("فارسی", "FA")
    assert "فارسی" in window.language_button.accessibleName()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_end_session_goes_back_to_the_language_staff_chose(qtbot, open_window, gui_library, monkeypatch):
    settings.set_value("shared.enabled", "true", system=True)
    settings.set_value("ui.language", "en", system=True)
    monkeypatch.setattr(QApplication.instance(), "quit", lambda: None)
    window = open_window(gui_library)
    window.set_language("fa")
    window.reset_session()
    assert i18n.current_language() == "en"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_staff_can_start_caseguide_in_arabic_for_everyone(qtbot, open_window, gui_library):
    settings.set_value("ui.language", "ar", system=True)
    window = open_window(gui_library)
    assert i18n.current_language() == "ar" and window.start_language == "ar"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_a_guides_other_versions_are_linked_and_open_in_place(qtbot, open_window, translated_library):
    window = open_window(translated_library)
    window.open_guide("access")
    text = window.view.toPlainText()
    assert "Also in:" in text and "العربية" in text and "فارسی" in text
    window.follow_link(window.view.document().baseUrl().fromUserInput("guide:access-ar"))
    assert window.windowTitle().startswith("الحصول على ملفك")
    assert ar("Also in:") in window.view.toPlainText()  # the Arabic version's page speaks Arabic


def test_an_arabic_guides_handout_carries_no_english(translated_library):
    page = compose([translated_library.get("access-ar")], translated_library,
                   HandoutOptions(organisation="Hope Centre", printed=dt.date(2026, 12, 1)))
    words = re.sub(r"https?://\S+", " ", re.sub(r"<[^>]+>", " ", page.split("</style>", 1)[1]))  # addresses stay
    words = html.unescape(words)
    guide = translated_library.get("access-ar")  # its id and pack's name are identifiers, quoted to ask for a copy
    words = words.replace(guide.id, " ").replace(guide.pack, " ")
    # the organisation's own name, and "English" naming the guide's English version ("Also in: English")
    english = [w for w in re.findall(r"[A-Za-z]{3,}", words) if w not in ("Hope", "Centre", "English")]
    assert english == [], english  # no "Sources", "Printed", "Last reviewed", no English disclaimer
    assert ar("Sources") in words and ar("Printed {date}").split("{")[0].strip() in words


def test_an_arabic_guides_pdf_pages_are_numbered_in_arabic(qtbot, translated_library, tmp_path):
    from pypdf import PdfReader

    from caseguide.gui.printing import write_pdf

    guide = translated_library.get("access-ar")
    html = compose([guide], translated_library, HandoutOptions())
    out = tmp_path / "ar.pdf"
    write_pdf(html, out, "a4", 11, guide.title, translated_library)
    text = unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in PdfReader(out).pages))
    assert "Page 1 of" not in text
    assert not re.search(r"\b(Sources|Printed|Last reviewed|general information)\b", text)


def test_a_handout_names_the_guides_other_languages_so_a_client_can_ask_for_one(translated_library):
    html = compose([translated_library.get("access")], translated_library, HandoutOptions())
    text = re.sub(r"<[^>]+>", "", html)
    assert "Also in:" in text and "العربية" in text and "فارسی" in text
    assert 'href="guide:' not in html  # paper has no links
