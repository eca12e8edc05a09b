"""A handout PDF's text layer holds each word a page shows, once, in reading order, and nothing that
is not visible on that page: what copy-and-paste, PDF search and a screen reader reading the PDF
find. (On 2026-12-07 the eVisa handout's page 2 held, below its last visible line, the "Sources"
heading that is printed on page 3, and at its top the last line of page 1: Qt drew every line near
a page's edge on both pages and only clipped them.)

Each page's words are read from the PDF with pdftotext and compared with the words of the laid-out
lines that lie on that page (tests/gui/handout_reading.py), for every bundled guide in normal and
large print, and for a right-to-left guide letter by letter."""

import pytest

from caseguide.guides.handout import HandoutOptions
from caseguide.library import Library

from ..conftest import guide_file
from .handout_reading import need_tools, page_differences, pdf_words, tokens, visible_words, write_and_lay_out

pytestmark = pytest.mark.gui

ARABIC_SOURCES = "".join(
    f'\n  - title: "{title}"\n    url: {url}' for title, url in [
        ("قانون الهجرة واللجوء 1999، المادة 84", "https://www.legislation.gov.uk/ukpga/1999/33/section/84"),
        ("الخدمة الصحية الوطنية: التسجيل لدى طبيب عام",
         "https://www.nhs.uk/nhs-services/gps/how-to-register-with-a-gp-surgery/"),
        ("لوائح الخدمة الصحية الوطنية (رسوم الزوار من الخارج) 2015",
         "https://www.legislation.gov.uk/uksi/2015/238/regulation/9/made"),
    ])


@pytest.fixture(scope="module")
def bundled():
    return Library.discover()


def options(large_print):
    return HandoutOptions(large_print=large_print, organisation="Hope Centre Advice",
                          contact="12 Example Street, London E1 6AN\nAdvice line 020 7946 0000")


def differences(guide, library, opts, out, by_letters=False):
    need_tools()
    document, page_height, pages, html, _keep = write_and_lay_out([guide], library, opts, out)
    from .handout_reading import handout_language
    seen = visible_words(document, page_height, pages, handout_language(html))
    held = pdf_words(out, pages, raw=not by_letters)
    return page_differences(seen, held, by_letters), (document, page_height, pages)


def headings(document) -> set[tuple[str, ...]]:
    """The words of every heading in the handout."""
    found = set()
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() and tokens(block.text()):
            found.add(tuple(tokens(block.text())))
        block = block.next()
    return found


def runs(words: list[str], heading: tuple[str, ...]) -> int:
    """How many times *heading*'s words stand together in *words*."""
    size = len(heading)
    return sum(1 for n in range(len(words) - size + 1) if tuple(words[n:n + size]) == heading)


@pytest.mark.slow
def test_every_page_of_every_bundled_guide_holds_its_own_words_once(qapp, bundled, tmp_path):
    problems = {}
    for guide in sorted((bundled.get(g.id) for g in bundled), key=lambda g: g.id):
        for large in (False, True):
            found, _layout = differences(guide, bundled, options(large), tmp_path / f"{guide.id}-{large}.pdf")
            if found:
                problems[f"{guide.id} ({'large' if large else 'normal'} print)"] = found
    assert problems == {}


@pytest.mark.slow
@pytest.mark.parametrize("large", [False, True])
def test_no_heading_is_in_the_text_of_a_page_it_is_not_printed_on(qapp, bundled, tmp_path, large):
    """Each heading's words stand together in a page's text as often as the page shows them (the
    eVisa handout's page 2 held a "Sources" that only page 3 shows)."""
    from .handout_reading import handout_language

    need_tools()
    problems = {}
    for guide in sorted((bundled.get(g.id) for g in bundled), key=lambda g: g.id):
        out = tmp_path / f"{guide.id}.pdf"
        document, page_height, pages, html, _keep = write_and_lay_out([guide], bundled, options(large), out)
        seen = visible_words(document, page_height, pages, handout_language(html))
        held = pdf_words(out, pages)
        for heading in headings(document):
            shown = [runs(words, heading) for words in seen]
            found = [runs(words, heading) for words in held]
            if shown != found:
                problems[f"{guide.id}: {' '.join(heading)}"] = {"printed on pages": shown, "in the text of": found}
    assert problems == {}


@pytest.mark.parametrize("large", [False, True])
def test_a_right_to_left_guides_pages_hold_their_own_letters_once(qapp, make_pack, tmp_path, large):
    """pdftotext does not keep an Arabic line's word breaks where Latin words or digits meet it, so
    each page's letters are compared: a line drawn twice, or a hidden one, still adds letters."""
    body = "## ما يعنيه هذا لك\n\n" + "\n\n".join(["يمكنك طلب نسخة من معلوماتك الشخصية. " * 12] * 7)
    library = Library.discover(make_pack({"ar.md": guide_file(body, id="ar-guide", title="الحصول على ملفك",
                                                              language="ar", sources=ARABIC_SOURCES)}))
    found, (_document, _height, pages) = differences(library.get("ar-guide"), library, options(large),
                                                     tmp_path / "ar.pdf", by_letters=True)
    assert pages >= 2 and found == {}


def test_numbered_steps_and_table_rows_running_over_a_page_end_are_held_once(qapp, make_pack, tmp_path):
    """A numbered step's number is text: it must be on its own page only, wherever the page ends
    in the step; a table's header row is printed again on the page its rows run on to, and only there."""
    rows = "".join(f"| {n} March 2024 | A long description of what happened on this day, long enough to wrap. |\n"
                   for n in range(1, 29))
    problems = {}
    for words in range(0, 40, 3):  # the steps' ends fall at every place along a page's last lines
        body = ("intro " * (60 + words * 5) + "\n\n"
                + "".join(f"{n}. " + "step words " * (12 + words) + "\n" for n in range(1, 12))
                + "\n\n| Date | What happened |\n|---|---|\n" + rows)
        library = Library.discover(make_pack({f"g{words}.md": guide_file(body, id=f"g{words}")}))
        found, _layout = differences(library.get(f"g{words}"), library, options(False), tmp_path / f"g{words}.pdf")
        if found:
            problems[words] = found
    assert problems == {}
