"""Each source on a printed handout has a QR code of its address beside it, which a phone reads.

The pages are rendered from the PDF as a printer would print them (pdftoppm) and the codes read
back with zbar's zbarimg, as a phone's camera app reads them: for a bundled English guide whose
sources include legislation.gov.uk and a 210-character GOV.UK address, and an Arabic guide, in
normal and large print. Every source's address must read back, on the page its source is printed
on, and nothing else; each code's modules must print at the size guides/qr.py reasons out, on the
side of the page the guide's direction puts it."""

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor

from caseguide import settings
from caseguide.cli import main
from caseguide.guides import qr
from caseguide.guides.handout import HandoutOptions
from caseguide.gui import printing, qr_codes
from caseguide.library import Library

from ..conftest import guide_file
from .handout_reading import decode, decode_each, need_tools, render, write_and_lay_out

pytestmark = pytest.mark.gui

ENGLISH = "evisas-and-share-codes"  # eleven sources: legislation.gov.uk, GOV.UK (one of 210 characters), others
ARABIC_SOURCES = [
    ("قانون الهجرة واللجوء 1999، المادة 84", "https://www.legislation.gov.uk/ukpga/1999/33/section/84"),
    ("الخدمة الصحية الوطنية: التسجيل لدى طبيب عام",
     "https://www.nhs.uk/nhs-services/gps/how-to-register-with-a-gp-surgery/"),
    ("لوائح الخدمة الصحية الوطنية (رسوم الزوار من الخارج) 2015",
     "https://www.legislation.gov.uk/uksi/2015/238/regulation/9/made"),
    ("قانون الجنسية والهجرة واللجوء 2002، الجدول 3",
     "https://www.legislation.gov.uk/ukpga/2002/41/schedule/3"),
]
PHONE_DPI = 100  # a rendering this coarse puts only 3.1 pixels on a 0.8 mm module, as a phone at arm's length does


@pytest.fixture(scope="module")
def bundled():
    return Library.discover()


@pytest.fixture
def arabic(make_pack):
    sources = "".join(f'\n  - title: "{title}"\n    url: {url}' for title, url in ARABIC_SOURCES)
    body = "## ما يعنيه هذا لك\n\n" + "\n\n".join(["يمكنك طلب نسخة من معلوماتك الشخصية. " * 12] * 5)
    return Library.discover(make_pack({"ar.md": guide_file(body, id="ar-guide", title="الحصول على ملفك",
                                                           language="ar", sources=sources)}))


def guide_and_library(which, bundled, arabic):
    return (bundled.get(ENGLISH), bundled) if which == "en" else (arabic.get("ar-guide"), arabic)


def source_pages(document, page_height, codes):
    """The page each code's source (its number, title and address) is printed on, by address."""
    pages = {}
    for code in codes:
        table = QTextCursor(document)
        table.setPosition(code.position)
        first = document.findBlock(table.currentTable().firstPosition())
        top = document.documentLayout().blockBoundingRect(first).top() + first.layout().lineAt(0).y()
        pages.setdefault(code.url, []).append(int(top // page_height))
    return pages


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("which", ["en", "ar"])
def test_every_sources_code_reads_back_as_its_address_on_its_page(qapp, bundled, arabic, tmp_path, which, large):
    need_tools()
    guide, library = guide_and_library(which, bundled, arabic)
    out = tmp_path / "handout.pdf"
    document, page_height, pages, _html, _keep = write_and_lay_out([guide], library, HandoutOptions(large_print=large),
                                                                   out)
    read = {n: decode(image) for n, image in enumerate(render(out, PHONE_DPI, tmp_path))}
    addresses = sorted(source.url for source in guide.sources)
    assert sorted(url for urls in read.values() for url in urls) == addresses  # each once, nothing else
    where = source_pages(document, page_height, document.codes)
    assert {url: [n for n, urls in read.items() if url in urls] for url in addresses} == where


def dark_box(image: Path, left: int, top: int, right: int, bottom: int):
    """The smallest box holding every dark pixel of a grey PGM *image* inside the given box."""
    data = image.read_bytes()
    fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    width = int(fields.group(1))
    pixels = data[fields.end():]
    xs, ys = [], []
    for y in range(max(top, 0), bottom):
        row = pixels[y * width + max(left, 0):y * width + min(right, width)]
        dark = [x for x, value in enumerate(row) if value < 128]
        if dark:
            xs += [dark[0], dark[-1]]
            ys.append(y)
    return (max(left, 0) + min(xs), min(ys), max(left, 0) + max(xs) + 1, max(ys) + 1) if xs else None


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("which", ["en", "ar"])
def test_codes_print_at_their_module_size_on_the_guides_end_side(qapp, bundled, arabic, tmp_path, which, large):
    """Measured on a rendering at the PDF's own resolution (300 dpi): every module is 0.8 mm (1.0 mm in
    large print), and the code stands at the end of its source's line: on the right of the page in
    an English guide, mirrored to the left in an Arabic one."""
    need_tools()
    guide, library = guide_and_library(which, bundled, arabic)
    out = tmp_path / "handout.pdf"
    document, page_height, pages, _html, (writer, _buffer) = write_and_lay_out(
        [guide], library, HandoutOptions(large_print=large), out)
    images = render(out, printing.PDF_DPI, tmp_path, gray=True)
    paper = writer.pageLayout().paintRectPixels(printing.PDF_DPI)
    page_width = writer.pageLayout().fullRectPixels(printing.PDF_DPI).width()
    pixels_per_mm = printing.PDF_DPI / 25.4
    measured = {}
    for code in document.codes:
        room = qr_codes.room(document, code)
        page = int(room.top() // page_height)
        top = room.top() - printing.body_top(page, page_height) + paper.top()
        box = dark_box(images[page], int(room.left() + paper.left()) - 2, int(top) - 2,
                       int(room.right() + paper.left()) + 3, int(top + room.height()) + 3)
        assert box is not None, code.url
        modules = len(qr.modules(code.url))
        side = ((box[2] - box[0]) + (box[3] - box[1])) / 2
        measured[code.url] = round(side / pixels_per_mm / modules, 3)
        centre = (box[0] + box[2]) / 2
        assert (centre < page_width / 2) if which == "ar" else (centre > page_width / 2), code.url
    module = qr.LARGE_MODULE_MM if large else qr.MODULE_MM
    assert measured and all(abs(size - module) <= 0.02 for size in measured.values()), measured


def test_turned_off_the_handout_has_no_codes_and_still_every_address(qapp, bundled, tmp_path):
    need_tools()
    guide = bundled.get(ENGLISH)
    out = tmp_path / "handout.pdf"
    document, _height, pages, html, _keep = write_and_lay_out([guide], bundled, HandoutOptions(qr=False), out)
    assert document.codes == [] and "caseguide-qr:" not in html
    assert [url for image in render(out, PHONE_DPI, tmp_path) for url in decode(image)] == []
    text = re.sub(r"\s+", "", document.toPlainText())
    assert all(source.url in text for source in guide.sources)


def test_the_setting_and_the_command_line_turn_them_off(qapp, bundled, tmp_path, capsys):
    need_tools()

    def codes_in(name, *args):
        out = tmp_path / name
        assert main(["handout", ENGLISH, "-o", str(out), *args]) == 0
        capsys.readouterr()
        folder = tmp_path / name.replace(".pdf", "")
        folder.mkdir()
        return [url for image in render(out, PHONE_DPI, folder) for url in decode(image)]

    assert len(codes_in("on.pdf")) == len(bundled.get(ENGLISH).sources)  # on unless turned off
    assert codes_in("flag.pdf", "--no-qr") == []
    settings.set_value("handout.qr", False)
    assert codes_in("setting.pdf") == []


def test_only_the_guides_own_source_addresses_become_codes(qapp, make_pack, tmp_path):
    """A guide's text cannot make a code (its images and links go through the reading view's checks),
    and an address too long for a code of MAX_VERSION is printed in full without one."""
    need_tools()
    long_url = "https://www.legislation.gov.uk/ukpga/2002/41/contents?" + "&x=" .join(["view=plain"] * 40)
    body = ('Read ![code](caseguide-qr:https://evil.example/) or <img src="caseguide-qr:https://evil.example/two">'
            ' and [this](caseguide-qr:https://evil.example/three).\n')
    sources = (f"\n  - title: Act\n    url: https://www.legislation.gov.uk/ukpga/2002/41/section/54"
               f"\n  - title: Too long\n    url: {long_url}")
    library = Library.discover(make_pack({"g.md": guide_file(body, id="g", sources=sources)}))
    guide = library.get("g")
    assert not qr.encodable(long_url) and qr.encodable(guide.sources[0].url)
    out = tmp_path / "g.pdf"
    document, _height, _pages, _html, _keep = write_and_lay_out([guide], library, HandoutOptions(), out)
    assert [url for image in render(out, PHONE_DPI, tmp_path) for url in decode(image)] == [guide.sources[0].url]
    assert long_url.replace("&", "") in re.sub(r"\s+|&", "", document.toPlainText())


def test_every_bundled_sources_code_is_drawn_readably(qapp, bundled, tmp_path):
    """Every address the bundled guides cite, drawn as the handout draws it (gui/qr_codes.py) with
    modules of 4.7 pixels (not a whole number, as 0.8 mm is not at 300 dpi), reads back as itself: a
    drawing fault that spoils some codes and not others (a simplified path lost modules of some)
    shows here. One code an image: zbar pairs up the finder patterns of codes set out in a grid."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    need_tools()
    urls = sorted({source.url for info in bundled for source in bundled.get(info.id).sources})
    assert all(qr.encodable(url) for url in urls)
    module, images = 4.7, []
    for n, url in enumerate(urls):
        side = (len(qr.modules(url)) + 2 * qr.QUIET_MODULES) * module
        image = QImage(round(side) + 8, round(side) + 8, QImage.Format.Format_Grayscale8)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        qr_codes.draw(painter, qr_codes.Code(url, 0, side), QRectF(4, 4, side, side))
        painter.end()
        images.append(tmp_path / f"code-{n}.png")
        image.save(str(images[-1]))
    read = decode_each(images)
    assert {url: read.get(image.name) for url, image in zip(urls, images) if read.get(image.name) != [url]} == {}
