"""Handout pages as printed: read from the laid-out document, block by block and page by page, for
every bundled guide in normal and large print. No heading is left at the foot of a page with its
text overleaf, no source's address is split across two pages nor parted from its QR code, and the
organisation's contact block stays whole, never breaking a line inside a postcode or a phone number."""

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QTextCursor

from caseguide import i18n
from caseguide.guides.handout import HandoutOptions, compose
from caseguide.library import Library
from caseguide.gui import printing
from caseguide.gui.page_breaks import table_lines

pytestmark = pytest.mark.gui

CONTACT = "Hope Centre, 12 Example Street, Tower Hamlets, London E1 6AN\nAdvice line 020 7946 0000"


def laid_out(guides, library, options):
    """The handout laid out exactly as printing lays it out for a PDF."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = printing.pdf_writer(buffer, options.paper, "test")
    document, page_height = printing.layout_handout(compose(guides, library, options), writer, options.base_pt,
                                                    library)
    return document, page_height, (writer, buffer)


def lines_of(document, block):
    """(page, text) of each laid-out line of *block*."""
    top = document.documentLayout().blockBoundingRect(block).top()
    layout, text = block.layout(), block.text()
    return [(top + layout.lineAt(n).y(),
             text[layout.lineAt(n).textStart():layout.lineAt(n).textStart() + layout.lineAt(n).textLength()])
            for n in range(layout.lineCount())]


def pages(document, page_height):
    """Every block with text, in order: (text, heading level, [(page, line text)...])."""
    found = []
    document.pageCount()  # as printing does before it paints: the whole layout finished
    block = document.begin()
    while block.isValid():
        if block.text().strip():
            lines = [(int(y // page_height), line) for y, line in lines_of(document, block)]
            found.append((block.text(), block.blockFormat().headingLevel(), lines))
        block = block.next()
    return found


# The Sources heading in every language a handout can be labelled in (an Arabic guide's says المصادر).
SOURCES_HEADINGS = {i18n.translator(code).gettext("Sources") for code in i18n.available()}


def parted(document, page_height):
    """What a reader of the printed pages would call broken, as a list of descriptions."""
    problems = []
    blocks = pages(document, page_height)
    for n, (text, level, lines) in enumerate(blocks):
        if level:
            following = [line for _t, lvl, ls in blocks[n + 1:] if not lvl for line in ls][:2]
            if following and following[-1][0] > lines[-1][0]:
                problems.append(f"heading {text!r} at the foot of page {lines[-1][0] + 1}, its text overleaf")
    in_sources = False
    for n, (text, level, lines) in enumerate(blocks):
        if level:
            in_sources = text in SOURCES_HEADINGS
            continue
        if in_sources and "://" in text and lines[0][0] != lines[-1][0]:
            problems.append(f"source {text[:40]!r} split over pages {lines[0][0] + 1} and {lines[-1][0] + 1}")
        if in_sources and text.startswith("http") and blocks[n - 1][2][-1][0] != lines[0][0]:
            problems.append(f"source address {text[:40]!r} parted from its title")
    for code in document.codes:  # a source's number, title, address and QR code: one table, one page
        cursor = QTextCursor(document)
        cursor.setPosition(code.position)
        spread = sorted({int(y // page_height) + 1 for y in table_lines(document, cursor.currentTable())})
        if len(spread) > 1:
            problems.append(f"source {code.url[:40]!r} and its QR code split over pages {spread}")
    return problems


def bundled_options():
    return [HandoutOptions(large_print=large, organisation="Hope Centre Advice", contact=CONTACT)
            for large in (False, True)]


@pytest.fixture(scope="module")
def bundled():
    return Library.discover()


def test_no_heading_is_stranded_and_no_address_split_in_any_bundled_guide(qapp, bundled):
    problems = {}
    for guide in sorted((bundled.get(g.id) for g in bundled), key=lambda g: g.id):
        for options in bundled_options():
            document, page_height, _keep = laid_out([guide], bundled, options)
            found = parted(document, page_height)
            if found:
                problems[f"{guide.id} ({'large' if options.large_print else 'normal'} print)"] = found
    assert problems == {}


def test_the_check_finds_what_qts_own_page_breaks_leave(qapp, bundled, monkeypatch):
    """Without CaseGuide's own page breaks, Qt leaves headings stranded in bundled guides: the check
    above can see them (so its passing means something)."""
    monkeypatch.setattr(printing, "keep_together", lambda document, page_height: 0)
    stranded = 0
    for guide in (bundled.get(g.id) for g in bundled):
        for options in bundled_options():
            document, page_height, _keep = laid_out([guide], bundled, options)
            stranded += sum(1 for p in parted(document, page_height) if p.startswith("heading"))
    assert stranded > 0


@pytest.mark.parametrize("large_print", [False, True])
def test_the_contact_block_never_breaks_a_postcode_or_phone_number(qapp, bundled, large_print):
    guide = bundled.get("gp-registration" if "gp-registration" in bundled.guides else next(iter(bundled)).id)
    broken = []
    for words in range(1, 16):  # the postcode and the number fall at every place along a line
        contact = f"{'Unit ' * words}12 Example Street, London SW1A 1AA, phone 020 7946 0000 or 0300 123 4567"
        options = HandoutOptions(large_print=large_print, organisation="Hope Centre", contact=contact)
        document, page_height, _keep = laid_out([guide], bundled, options)
        [contact_block] = [b for b in pages(document, page_height) if "Example Street" in b[0]]
        line_texts = [line.replace("\u00a0", " ") for _page, line in contact_block[2]]
        for whole in ("SW1A 1AA", "020 7946 0000", "0300 123 4567"):
            if not any(whole in line for line in line_texts):
                broken.append((words, whole, line_texts))
        assert len({page for page, _line in contact_block[2]}) == 1  # the block on one page
    assert broken == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_sources_keep_their_address_wherever_the_page_ends(qapp, make_pack, monkeypatch, language):
    """A guide whose Sources list runs over a page end, at every length of text before it: each
    source stays with its address, in a left-to-right and a right-to-left guide."""
    from ..conftest import guide_file

    word = "معلومات" if language == "ar" else "information"
    sources = "".join(f"\n  - title: Source number {n} with a longer title\n"
                      f"    url: https://www.example.org/guidance/a-long-address-{n}/that-wraps-onto/another-line"
                      for n in range(12))

    def problems_with(paragraphs):
        body = "\n\n".join(f"{word} " * 40 for _ in range(paragraphs))
        library = Library.discover(make_pack({"g.md": guide_file(body, id="g", language=language,
                                                                 sources=sources)}))
        document, page_height, _keep = laid_out([library.get("g")], library, HandoutOptions())
        return parted(document, page_height)

    # Every length of text before the list, so the list's start moves down the page a line at a time
    # (with every other length, Windows' fonts happened to part none even without keep_together).
    found = {n: problems_with(n) for n in range(12)}
    assert {n: p for n, p in found.items() if p} == {}
    monkeypatch.setattr(printing, "keep_together", lambda document, page_height: 0)
    assert any(problems_with(n) for n in range(12))  # Qt alone parts some of them
