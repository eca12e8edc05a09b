"""A handout's first page says, in the guide's language and in plain view, how current it is and
where it came from, so a client, a friend or a volunteer can later ask for a newer copy; the PDF
says its title and language in its metadata."""

import re
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from caseguide.guides.handout import HandoutOptions, compose, document_title
from caseguide.guides.render import format_date, nations_text
from caseguide.gui import printing
from caseguide.library import Library

from ..conftest import guide_file
from .handout_reading import need_tools

pytestmark = pytest.mark.gui


def pages_text(path):
    """Each page's text as a reader copies it: ligatures and presentation forms undone, no
    direction marks, white space as single spaces."""
    out = []
    for page in PdfReader(path).pages:
        text = unicodedata.normalize("NFKC", page.extract_text())
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
        out.append(re.sub(r"\s+", " ", text))
    return out


def write(guides, library, tmp_path, **options):
    out = tmp_path / "handout.pdf"
    printing.write_pdf(compose(guides, library, HandoutOptions(**options)), out, "a4", 11, document_title(guides),
                       library)
    return out


@pytest.fixture(scope="module")
def bundled():
    return Library.discover()


def test_the_first_page_says_when_to_ask_for_a_newer_copy_and_which_guide_it_is(qapp, bundled, tmp_path):
    guide = bundled.get("gp-registration")
    version = bundled.pack(guide.pack).version
    first, *rest = pages_text(write([guide], bundled, tmp_path))
    for line in (f"Last reviewed {format_date(guide.reviewed)}",
                 f"This guide is about the law in {nations_text(guide.nations, 'en')}.",
                 f"Ask for a newer copy after {format_date(guide.review_due)}.",
                 f"Guide gp-registration, from pack core version {version}."):
        assert line in first
        assert not any(line in page for page in rest)  # said once, where a client looks first


def test_the_note_about_another_nations_law_stays_beside_it(qapp, bundled, tmp_path):
    guide = bundled.get("gp-registration")  # about England's law
    first = pages_text(write([guide], bundled, tmp_path, nation="scotland"))[0]
    assert "Ask for a newer copy after" in first
    assert "The rules in Scotland are different" in first


def test_an_arabic_guides_first_page_gives_its_dates_in_arabic(qapp, make_pack, tmp_path):
    library = Library.discover(make_pack({"ar.md": guide_file(
        "يمكنك طلب نسخة من معلوماتك الشخصية.", id="ar-guide", title="الحصول على ملفك", language="ar",
        nations="[england, wales]")}, version="2.1.0"))
    guide = library.get("ar-guide")
    need_tools()  # pypdf gives Arabic in the order it is drawn; poppler's pdftotext in reading order
    out = write([guide], library, tmp_path)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", str(out), "-"],
                          capture_output=True, text=True, check=True).stdout
    squashed = re.sub(r"\s", "", "".join(c for c in unicodedata.normalize("NFKC", text)
                                         if unicodedata.category(c) != "Cf"))
    # a date's parts, each whole (pdftotext orders a day and a year round an Arabic month as it likes)
    for words in (*format_date(guide.reviewed, "ar").split(), *format_date(guide.review_due, "ar").split(),
                  nations_text(guide.nations, "ar").replace(" ", ""), "ar-guide", "2.1.0"):
        assert words in squashed, words
    assert "نوفمبر" in squashed and "مايو" in squashed  # reviewed 1 November 2026, due 1 May 2027


def test_a_handout_of_several_guides_says_on_its_contents_page_when_to_ask_for_each(qapp, bundled, tmp_path):
    guides = [bundled.get("gp-registration"), bundled.get("evisas-and-share-codes")]
    first = pages_text(write(guides, bundled, tmp_path))[0]
    for guide in guides:
        assert f"{guide.title} Ask for a newer copy after {format_date(guide.review_due)}." in first


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_pdf_says_its_title_and_language(qapp, make_pack, tmp_path, language):
    """The document information's title and the XMP metadata's dc:title and dc:language, which PDF
    readers show as the document's properties (see gui/pdf_metadata.py for what Qt cannot write)."""
    title = "الحصول على ملفك" if language == "ar" else "Getting your file"
    library = Library.discover(make_pack({"g.md": guide_file("Text.", id="g", title=title, language=language)}))
    reader = PdfReader(write([library.get("g")], library, tmp_path))
    assert reader.metadata.title == title
    xmp = reader.xmp_metadata
    assert xmp.dc_language == [language]
    assert xmp.dc_title == {"x-default": title, language: title}
    assert xmp.xmp_creator_tool.startswith("CaseGuide")
