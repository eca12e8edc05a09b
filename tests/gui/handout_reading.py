"""Reading a printed handout back as its reader would: the words a person sees on each page (from
the laid-out document), the words the PDF's text layer holds on each page (poppler's pdftotext, as
copy-and-paste, PDF search and screen readers get them), and the QR codes a phone reads from the
pages (poppler's pdftoppm renders them, zbar's zbarimg decodes them)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QTextCursor

from caseguide.guides.handout import compose, footer_text, handout_html_language
from caseguide.gui import printing

TOOLS = ("pdftotext", "pdftoppm", "zbarimg")
OBJECT = "\ufffc"  # the character Qt puts where a QR code's room is
NUMBERED = range(-8, -3)  # QTextListFormat's numbered styles (decimal, alpha, roman): markers are text


def need_tools() -> None:
    """The tools are test dependencies (scripts/dev.sh installs them); the Windows lane has none."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing and sys.platform == "win32":
        pytest.skip(f"{', '.join(missing)} not installed (poppler and zbar are Linux test tools)")
    assert not missing, f"{', '.join(missing)} missing: run scripts/dev.sh test, which installs poppler-utils and zbar-tools"


def tokens(text: str) -> list[str]:
    """The words of *text* as a reader compares them: ligatures and Arabic presentation forms undone
    (NFKC), direction marks dropped, split into runs of letters and digits (so "1999," and "1999" are
    one word, and an address is its parts wherever a line wraps it)."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf" and c != OBJECT)
    return re.findall(r"\w+", text)


def letters(page_tokens: list[str]) -> Counter:
    return Counter("".join(page_tokens))


def write_and_lay_out(guides, library, options, out: Path):
    """Write the handout's PDF to *out* as the window and `caseguide handout` do, and lay it out again
    exactly as printing does; returns (document, page height, pages, html, keep-alive)."""
    html = compose(guides, library, options)
    title = guides[0].title
    pages = printing.write_pdf(html, out, options.paper, options.base_pt, title, library)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = printing.pdf_writer(buffer, options.paper, title)
    document, page_height = printing.layout_handout(html, writer, options.base_pt, library)
    assert document.pageCount() == pages
    return document, page_height, pages, html, (writer, buffer)


def _line_words(block) -> list[tuple[int, list[str]]]:
    """(line number, words) of each of *block*'s lines, a numbered list item's number on its first."""
    layout, text = block.layout(), block.text()
    out = []
    for n in range(layout.lineCount()):
        line = layout.lineAt(n)
        words = tokens(text[line.textStart():line.textStart() + line.textLength()])
        if n == 0 and block.textList() is not None and block.textList().format().style().value in NUMBERED:
            words = tokens(block.textList().itemText(block)) + words
        out.append((n, words))
    return out


def visible_words(document, page_height: float, pages: int, lang: str) -> list[list[str]]:
    """Each page's words as a person sees them, in reading order: every laid-out line on the page it
    lies on, a table's header rows again on each page it runs on to (Qt repeats them there), and the
    page's footer."""
    found: list[list[str]] = [[] for _ in range(pages)]
    headered: dict[int, set[int]] = {}  # a table (by its first position) -> the pages its header is on
    block = document.begin()
    while block.isValid():
        top = document.documentLayout().blockBoundingRect(block).top()
        table = QTextCursor(block).currentTable()
        header_rows = table.format().headerRowCount() if table is not None else 0
        for n, words in _line_words(block):
            page = int((top + block.layout().lineAt(n).y()) // page_height)
            if header_rows:
                seen = headered.setdefault(table.firstPosition(), set())
                if table.cellAt(block.position()).row() < header_rows:
                    seen.add(page)
                elif page not in seen:
                    seen.add(page)
                    found[page] += _header_words(document, table, header_rows)
            found[page] += words
        block = block.next()
    for page in range(pages):
        found[page] += tokens(footer_text(page + 1, pages, lang))
    return found


def _header_words(document, table, rows: int) -> list[str]:
    words = []
    block = document.findBlock(table.firstPosition())
    while block.isValid() and table.cellAt(block.position()).isValid() \
            and table.cellAt(block.position()).row() < rows:
        words += [w for _n, line in _line_words(block) for w in line]
        block = block.next()
    return words


def pdf_words(path: Path, pages: int, raw: bool = True) -> list[list[str]]:
    """Each page's words in the PDF's text layer: with *raw*, in the order the PDF holds them (what a
    screen reader and copy-and-paste follow); else in poppler's reading order, which joins the
    letters of Arabic words that raw order gives one by one."""
    out = []
    for page in range(1, pages + 1):
        result = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), *(["-raw"] if raw else []),
                                 "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
        out.append(tokens(result.stdout))
    return out


def page_differences(seen: list[list[str]], held: list[list[str]], by_letters: bool = False) -> dict:
    """{page: (words seen but not in the PDF, words in the PDF but not seen)} for pages that differ,
    and for pages with the same words in another order, {page: "order"}; compared letter by letter
    with *by_letters* (for right-to-left text, whose word breaks pdftotext does not keep)."""
    problems = {}
    for page, (a, b) in enumerate(zip(seen, held), start=1):
        count_a, count_b = (letters(a), letters(b)) if by_letters else (Counter(a), Counter(b))
        if count_a != count_b:
            problems[page] = (dict(count_a - count_b), dict(count_b - count_a))
        elif not by_letters and a != b:
            problems[page] = "order"
    return problems


def render(path: Path, dpi: int, folder: Path, gray: bool = False) -> list[Path]:
    """Each page of the PDF as an image at *dpi* (PNG, or PGM with *gray*), as a printer prints it."""
    prefix = folder / path.stem
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray" if gray else "-png", str(path), str(prefix)], check=True)
    return sorted(folder.glob(f"{path.stem}-*.{'pgm' if gray else 'png'}"))


def decode(image: Path) -> list[str]:
    """Every QR code zbar reads in *image*, as its text (zbarimg exits 4 when it finds none)."""
    result = subprocess.run(["zbarimg", "--raw", "-q", "--nodbus", "-Sdisable", "-Sqrcode.enable", str(image)],
                            capture_output=True, text=True)
    assert result.returncode in (0, 4), result.stderr
    return [line for line in result.stdout.splitlines() if line]


def decode_each(images: list[Path]) -> dict[str, list[str]]:
    """What zbar reads in each image, by the image's name (one zbarimg for them all)."""
    import xml.etree.ElementTree as ElementTree

    result = subprocess.run(["zbarimg", "--xml", "-q", "--nodbus", "-Sdisable", "-Sqrcode.enable",
                             *map(str, images)], capture_output=True, text=True)
    assert result.returncode in (0, 4), result.stderr
    space = {"z": "http://zbar.sourceforge.net/2008/barcode"}
    found = {}
    for source in ElementTree.fromstring(result.stdout).findall("z:source", space):
        found[Path(source.get("href")).name] = [data.text for data in source.iterfind(".//z:data", space)]
    return found


def handout_language(html: str) -> str:
    return handout_html_language(html)
