"""Numbers and addresses on a right-to-left handout print as `caseguide show` gives them (issue 22).

In an Arabic paragraph Unicode's bidi rules lay the groups of a phone number out right to left, and
a guide's own direction override or mark can reorder one on purpose: staff would check the number
in `show` and the client would get another. Each number below is read off the laid-out handout,
character by character, by where Qt draws it (left to right is the order a reader reads digits in).
"""

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QTextLayout

from caseguide.guides.handout import HandoutOptions, compose
from caseguide.library import Library
from caseguide.guides.render import guide_page, guide_text
from caseguide.gui import printing
from caseguide.gui.guide_view import SafeDocument

from ..conftest import guide_file

pytestmark = pytest.mark.gui

RLO, PDF, RLM, LRE, RLI, PDI = "\u202e", "\u202c", "\u200f", "\u202a", "\u2067", "\u2069"
PHONE = "0808 2000 247"
NUMBERS = [PHONE, "0300 123 1113", "020 7946 0000", "+44 20 7946 0000", "2026-10-01"]
ADDRESSES = ["https://ico.org.uk/make-a-complaint/", "help@example.org.uk"]

BODY = f"""
اتصل بخط المساعدة على الرقم {PHONE} في أي وقت.

إذا كتب أحدهم الرقم هكذا: {RLO}0300 123 1113{PDF} فهو الرقم نفسه.

وهذا رقم آخر مع علامة: 020{RLM} 7946 {RLM}0000، أو من الخارج {LRE}+44 20 7946 0000{PDF}.

| الخدمة | الرقم |
|---|---|
| المكتب | {RLI}2026-10-01{PDI} |

اكتب إلى https://ico.org.uk/make-a-complaint/ أو [راسلنا](mailto:help@example.org.uk) على help@example.org.uk.
"""

SOURCES = "\n  - title: \"ICO 0303 123 1113\"\n    url: https://ico.org.uk/make-a-complaint/"


@pytest.fixture
def arabic(make_pack):
    library = Library.discover(make_pack({"ar.md": guide_file(BODY, id="arabic", title="خط المساعدة",
                                                              language="ar", sources=SOURCES)}))
    return library, library.get("arabic")


def reading_order(document, wanted: str) -> list[str]:
    """Each place *wanted* is in *document*'s text, as its characters are drawn on the page from
    left to right: where Qt places each one's glyph (line by line, then by x)."""
    document.pageCount()  # the whole layout, as printing does
    found = []
    block = document.begin()
    while block.isValid():
        text = block.text()
        layout = block.layout()
        placed = {}  # position in the block's text -> (line, x) of its glyph
        flags = QTextLayout.GlyphRunRetrievalFlag
        for run in layout.glyphRuns(0, len(text), flags.RetrieveStringIndexes | flags.RetrieveGlyphPositions):
            for index, point in zip(run.stringIndexes(), run.positions()):
                line = layout.lineForTextPosition(index)
                placed[index] = (line.lineNumber(), line.x() + point.x())
        drawn = [i for i in range(len(text)) if i in placed]
        visible = "".join(text[i] for i in drawn).replace("\u00a0", " ")  # a no-break space reads as one
        start = visible.find(wanted)
        while start >= 0:
            positions = drawn[start:start + len(wanted)]
            found.append("".join(text[i] for i in sorted(positions, key=lambda i: placed[i])).replace("\u00a0", " "))
            start = visible.find(wanted, start + 1)
        block = block.next()
    return found


def handout_document(library, guide, large=False):
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = printing.pdf_writer(buffer, "a4", "test")
    options = HandoutOptions(organisation="مركز الأمل", contact="Hope Centre, London E1 6AN\n020 7946 0000",
                             large_print=large)
    document, _page_height = printing.layout_handout(compose([guide], library, options), writer, options.base_pt,
                                                     library)
    return document, (writer, buffer)


def test_show_gives_each_number_as_written(arabic):
    library, guide = arabic
    shown = guide_text(guide, library)
    for wanted in NUMBERS + ADDRESSES:
        assert wanted in shown
    assert not set(shown) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


@pytest.mark.parametrize("large", [False, True])
def test_every_number_and_address_on_the_handout_reads_as_in_show(qapp, arabic, large):
    library, guide = arabic
    document, _keep = handout_document(library, guide, large)
    for wanted in NUMBERS + ADDRESSES:
        orders = reading_order(document, wanted)
        assert orders, f"{wanted} is not on the handout"
        assert orders == [wanted] * len(orders), f"{wanted} prints as {orders}"


def test_every_number_in_the_reading_view_reads_as_in_show(qapp, arabic):
    library, guide = arabic
    document = SafeDocument(library)
    document.setTextWidth(700)
    document.setHtml(guide_page(guide, library))
    for wanted in NUMBERS + ADDRESSES:
        orders = reading_order(document, wanted)
        assert orders and orders == [wanted] * len(orders), f"{wanted} reads as {orders}"


def test_no_direction_override_of_the_guides_own_reaches_the_page(arabic):
    library, guide = arabic
    for html in (guide_page(guide, library), compose([guide], library, HandoutOptions())):
        assert not set(html) & {RLO, PDF, LRE, "\u202b", "\u202d"}
        # the only isolates are CaseGuide's own, each opened and closed round a number or an address
        assert html.count("\u2066") == html.count(PDI) > 0 and RLI not in html
