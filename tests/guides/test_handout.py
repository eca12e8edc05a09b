"""Handouts: compose in the core, write PDFs headless, and read back what a client would see."""

import datetime as dt
import re
import unicodedata

import pytest
from pypdf import PdfReader

from caseguide import settings
from caseguide.cli import main
from caseguide.guides.handout import HandoutOptions, compose, strip_caseworker_sections
from caseguide.library import Library

from ..conftest import guide_file

LONG = "## What this means for you\n\n- You can ask.\n\n" + "You can ask for a copy of your file. " * 120


@pytest.fixture
def library_dir(make_pack):
    return make_pack({
        "a.md": guide_file(LONG + "\n\n## Legal history {.caseworker}\n\nSecret caseworker detail.\n\n"
                                  "## When to get advice\n\nAsk a regulated adviser.\n",
                           id="guide-a", title="Getting your file"),
        "b.md": guide_file(LONG, id="guide-b", title="Second guide", reviewed="2020-01-01",
                           review_due="2021-01-01"),
        "cw.md": guide_file(LONG, id="cw-only", title="Case law notes", audience="caseworker"),
        "ar.md": guide_file("يمكنك طلب نسخة من معلوماتك الشخصية.\n\n" * 20, id="arabic", title="طلب البيانات",
                            language="ar"),
    })


def pdf(tmp_path, capsys, library_dir, *args, name="out.pdf"):
    out = tmp_path / name
    code = main(["--library", str(library_dir), "handout", *args, "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    reader = PdfReader(out)
    text = "\n".join(page_text(page) for page in reader.pages)
    return reader, text, captured


def squash(text: str) -> str:
    """Without white space: a wrapped address, or a heading pypdf splits between glyphs, reads whole."""
    return re.sub(r"\s+", "", text)


def page_text(page) -> str:
    """A page's words as a reader sees them: ligatures undone, tabs as spaces, no break hints."""
    text = unicodedata.normalize("NFKC", page.extract_text()).replace("\u200b", "")
    return re.sub(r"[ \t]+", " ", text)


@pytest.fixture
def organisation():
    settings.set_value("organisation.name", "Hope Migrant Support Centre")
    settings.set_value("organisation.contact", "12 High Street\\nAdvice line 020 7946 0000")


def test_a_one_guide_handout_has_what_a_client_needs(tmp_path, capsys, library_dir, organisation):
    reader, text, _ = pdf(tmp_path, capsys, library_dir, "guide-a")
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert "Getting your file" in text
    assert "Hope Migrant Support Centre" in text and "Advice line 020 7946 0000" in text
    today = dt.date.today()
    assert f"Printed {today.day} " in text and str(today.year) in text
    assert "Last reviewed 1 November 2026" in text
    assert "https://www.gov.uk/guidance/paying-an-nhs-debt" in squash(text)  # sources printed in full
    pages = len(reader.pages)
    assert pages >= 2
    for n in range(1, pages + 1):
        assert f"Page {n} of {pages}" in text
    assert "Secret caseworker detail" in text  # the full version keeps caseworker sections
    assert reader.metadata.title == "Getting your file"


def test_letter_paper_from_the_option_and_from_settings(tmp_path, capsys, library_dir):
    reader, _, _ = pdf(tmp_path, capsys, library_dir, "guide-a", "--paper", "letter")
    assert (round(float(reader.pages[0].mediabox.width)), round(float(reader.pages[0].mediabox.height))) == (612, 792)
    settings.set_value("handout.paper", "letter")
    reader, _, _ = pdf(tmp_path, capsys, library_dir, "guide-a", name="b.pdf")
    assert round(float(reader.pages[0].mediabox.width)) == 612


def test_large_print_takes_more_pages(tmp_path, capsys, library_dir):
    normal, _, _ = pdf(tmp_path, capsys, library_dir, "guide-a")
    large, _, _ = pdf(tmp_path, capsys, library_dir, "guide-a", "--large-print", name="large.pdf")
    assert len(large.pages) > len(normal.pages)


def test_overdue_guides_carry_a_visible_note(tmp_path, capsys, library_dir):
    _, text, _ = pdf(tmp_path, capsys, library_dir, "guide-b")
    assert "Check for changes" in text and "due for review on 1 January 2021" in text


def test_several_guides_get_a_contents_list_and_each_title(tmp_path, capsys, library_dir):
    reader, text, _ = pdf(tmp_path, capsys, library_dir, "guide-a", "guide-b")
    assert "Your guides" in page_text(reader.pages[0])
    assert "Getting your file" in text and "Second guide" in text


def test_client_version_leaves_out_caseworker_parts(tmp_path, capsys, library_dir):
    _, text, _ = pdf(tmp_path, capsys, library_dir, "guide-a", "cw-only", "--client")
    assert "Secret caseworker detail" not in text and "Legal history" not in text
    assert "Case law notes" not in text
    assert squash("When to get advice") in squash(text)  # the section after it is kept
    code = main(["--library", str(library_dir), "handout", "cw-only", "--client", "-o", str(tmp_path / "x.pdf")])
    assert code == 1 and "caseworkers" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_right_to_left_text_is_in_the_pdf(tmp_path, capsys, library_dir):
    _, text, _ = pdf(tmp_path, capsys, library_dir, "arabic")
    assert "معلوماتك" in text or "معلوماتك"[::-1] in text
    html = compose([Library.discover(library_dir).get("arabic")], Library.discover(library_dir), HandoutOptions())
    assert 'dir="rtl"' in html


def test_no_organisation_still_makes_the_handout_and_says_how_to_add_it(tmp_path, capsys, library_dir):
    _, text, captured = pdf(tmp_path, capsys, library_dir, "guide-a")
    assert "Getting your file" in text and "Printed" in text
    assert "organisation.name" in captured.err


def test_unknown_id_or_unwritable_path_leaves_no_file(tmp_path, capsys, library_dir):
    out = tmp_path / "h.pdf"
    assert main(["--library", str(library_dir), "handout", "guide-a", "nope", "-o", str(out)]) == 1
    assert "'nope'" in capsys.readouterr().err and not out.exists()
    assert main(["--library", str(library_dir), "handout", "guide-a", "-o", str(tmp_path / "no" / "h.pdf")]) == 1
    assert "does not exist" in capsys.readouterr().err
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code = main(["--library", str(library_dir), "handout", "guide-a", "-o", str(locked / "h.pdf")])
        if code == 1:  # as root the folder is writable anyway
            assert "cannot save" in capsys.readouterr().err
        assert [p.name for p in locked.iterdir() if p.name != "h.pdf"] == []  # no partial file
    finally:
        locked.chmod(0o700)


def test_strip_caseworker_sections_keeps_what_follows():
    html = '<p>a</p><h2 class="caseworker" id="x">CW</h2><p>secret</p><h3>sub</h3><p>more</p><h2>Back</h2><p>b</p>'
    assert strip_caseworker_sections(html) == "<p>a</p><h2>Back</h2><p>b</p>"


def test_pack_images_print_and_remote_ones_become_words(tmp_path, capsys, make_pack):
    from ..gui.conftest import png_bytes  # a real PNG, made with Qt

    root = make_pack({
        "g/a.md": guide_file("![A chart of charges](../img/chart.png)\n\n![tracker](https://t.example/p.png)\n",
                             id="pics", title="Pictures"),
        "img/chart.png": png_bytes(200, 100),
    })
    reader, text, _ = pdf(tmp_path, capsys, root, "pics")
    images = [name for page in reader.pages
              for name, obj in page["/Resources"].get("/XObject", {}).items()
              if obj.get_object().get("/Subtype") == "/Image"]
    assert len(images) == 1  # the pack's chart, and nothing fetched from anywhere
    assert "[image: tracker]" in text


def test_the_handout_says_whose_organisation_details_it_carries(tmp_path, capsys, library_dir):
    """A person's own details override an unlocked machine-wide one (outside shared mode), so the
    page says which it is: a client can tell the organisation's number from one typed in by whoever printed."""
    settings.set_value("organisation.name", "Hope Centre", system=True)
    settings.set_value("organisation.contact", "020 7946 0000", system=True)
    _, text, _ = pdf(tmp_path, capsys, library_dir, "guide-a", name="org.pdf")
    assert "These details were set by the organisation for this computer." in " ".join(text.split())
    settings.set_value("organisation.contact", "Call 07700 900999")
    _, text, _ = pdf(tmp_path, capsys, library_dir, "guide-a", name="mixed.pdf")
    assert "Call 07700 900999" in text and "020 7946 0000" not in text
    assert ("Name set by the organisation for this computer; contact details entered by the person who "
            "printed this.") in " ".join(text.split())
    settings.set_value("organisation.name", "My own name")
    _, text, _ = pdf(tmp_path, capsys, library_dir, "guide-a", name="own.pdf")
    assert "These details were entered by the person who printed this." in " ".join(text.split())


def test_no_details_means_no_note_about_them(tmp_path, capsys, library_dir):
    _, text, _ = pdf(tmp_path, capsys, library_dir, "guide-a")
    assert "These details were" not in text and "set by the organisation" not in text
