"""Rendering: Markdown to safe HTML a QTextBrowser shows, and to text."""

import base64
import datetime as dt

import pytest

from caseguide.library import Library
from caseguide.guides.home import home_page
from caseguide.guides.markup import sanitize
from caseguide.guides.render import guide_page, guide_text, html_to_text, render_body

from ..conftest import guide_file


@pytest.fixture
def library(make_pack):
    root = make_pack({
        "guides/a.md": guide_file(
            """\
            Intro with a [link to B](b.md#steps), a [guide link](guide:guide-b) and
            an [outside link](https://www.gov.uk/register-with-a-gp).

            ![A diagram](../images/diagram.png)

            ## Background {.caseworker}

            | Date | Event |
            |------|-------|
            | 2018 | Withdrawn |
            """, id="guide-a", title="Guide A", related="[guide-b]"),
        "guides/b.md": guide_file("## Steps\n\n1. One\n2. Two\n", id="guide-b", title="Guide B",
                                  kind="walkthrough", reviewed="2020-01-01", review_due="2021-01-01"),
        "images/diagram.png": b"\x89PNG\r\n\x1a\n",
    })
    return Library.discover(root)


HOSTILE = [
    ('<script>alert("x")</script><p>ok</p>', ["<script", "alert"]),
    ('<p onclick="steal()" onmouseover="x()">hi</p>', ["onclick", "onmouseover", "steal"]),
    ('<a href="javascript:alert(1)">click</a>', ["javascript:"]),
    ('<a href="JaVaScRiPt:alert(1)">click</a>', ["alert"]),
    ('<a href="vbscript:msgbox">x</a>', ["vbscript"]),
    ('<a href="data:text/html,<script>x</script>">x</a>', ["data:"]),
    ('<a href="file:///etc/passwd">x</a>', ["file:", "passwd"]),
    ('<img src="https://tracker.example/pixel.png">', ["tracker.example"]),
    ('<img src="//tracker.example/pixel.png">', ["tracker.example"]),
    ('<img src="file:///etc/passwd">', ["passwd"]),
    ('<iframe src="https://evil.example"></iframe>', ["iframe", "evil"]),
    ('<style>body{background:url(https://x.example/a)}</style>', ["x.example", "<style"]),
    ('<p style="background:url(https://x.example/a)">s</p>', ["style=", "x.example"]),
    ('<form action="https://x.example"><input name="pin"></form>', ["<form", "<input"]),
    ('<object data="x.swf"></object><embed src="y">', ["<object", "<embed"]),
    ('<link rel="stylesheet" href="https://x.example/s.css">', ["<link", "x.example"]),
    ('<svg><script>x()</script></svg>', ["<svg", "x()"]),
    ('<img src="x.png" width="99999" height="99999">', ["99999"]),
]


@pytest.mark.parametrize("dirty,banned", HOSTILE)
def test_sanitizer_removes_what_could_run_or_load(dirty, banned):
    clean = sanitize(dirty).lower()
    for word in banned:
        assert word.lower() not in clean


def test_sanitizer_keeps_ordinary_content():
    clean = sanitize('<h2 id="x">T</h2><p><strong>b</strong> <a href="https://a.example/p?q=1">l</a></p>'
                     '<ul><li>i</li></ul><table><tr><td>c</td></tr></table>')
    assert '<h2 id="x">T</h2>' in clean
    assert '<a href="https://a.example/p?q=1">l</a>' in clean
    assert "<li>i</li>" in clean and "<td>c</td>" in clean


def test_a_dropped_link_leaves_its_text_but_no_link():
    assert sanitize('<p><a href="javascript:x()">click me</a></p>') == "<p>click me</p>"


def test_data_images_only_small_and_only_images():
    small = "data:image/png;base64," + base64.b64encode(b"\x89PNG" + b"\0" * 100).decode()
    big = "data:image/png;base64," + base64.b64encode(b"\0" * (300 * 1024)).decode()
    assert small in sanitize(f'<img src="{small}">')
    assert "data:" not in sanitize(f'<img src="{big}">')
    assert "data:" not in sanitize('<img src="data:text/html;base64,PHNjcmlwdD4=">')


def test_relative_guide_links_become_guide_urls(library):
    html = render_body(library.get("guide-a"), library)
    assert 'href="guide:guide-b#steps"' in html
    assert 'href="guide:guide-b"' in html
    assert 'href="https://www.gov.uk/register-with-a-gp"' in html


def test_images_inside_the_pack_become_pack_urls(library):
    html = render_body(library.get("guide-a"), library)
    assert 'src="pack:test/images/diagram.png"' in html


def test_images_escaping_the_pack_are_dropped(make_pack):
    root = make_pack({"g/a.md": guide_file("![x](../../outside.png) ![y](/etc/x.png) ![z](C:\\x.png)")})
    library = Library.discover(root)
    html = render_body(library.get("sample-guide"), library)
    assert "outside.png" not in html and "/etc/" not in html and "C:" not in html


def test_headings_get_anchors_and_caseworker_sections_are_labelled(library):
    html = render_body(library.get("guide-a"), library)
    assert 'class="caseworker"' in html
    assert "(for caseworkers)" in html
    b = render_body(library.get("guide-b"), library)
    assert '<h2 id="steps">Steps</h2>' in b


def test_body_h1_headings_are_shifted_below_the_title():
    from caseguide.guides.markup import markdown_to_html
    assert "<h2" in markdown_to_html("# Top\n\ntext") and "<h1" not in markdown_to_html("# Top\n\ntext")


def test_guide_page_has_title_summary_review_date_and_sources(library):
    guide = library.get("guide-a")
    page = guide_page(guide, library, today=dt.date(2026, 11, 23))
    assert "<h1>Guide A</h1>" in page
    assert "What a sample guide is for." in page
    assert "Last reviewed 1 November 2026" in page
    assert "Review overdue" not in page
    assert ">https://www.gov.uk/guidance/paying-an-nhs-debt</a>" in page
    assert "Related guides" in page and "Guide B" in page


def test_overdue_guides_say_so_in_words(library):
    page = guide_page(library.get("guide-b"), library, today=dt.date(2026, 11, 23))
    assert "Review overdue" in page
    assert "due for review on 1 January 2021" in page


def test_front_matter_text_is_escaped(make_pack):
    root = make_pack({"a.md": guide_file(title='"<img src=x onerror=alert(1)>"')})
    library = Library.discover(root)
    page = guide_page(library.get("sample-guide"), library)
    assert "<img src=x" not in page and "&lt;img" in page


def test_rtl_guides_are_marked_right_to_left(make_pack):
    root = make_pack({"a.md": guide_file("مرحبا", language="ar")})
    library = Library.discover(root)
    assert '<div dir="rtl" lang="ar">' in guide_page(library.get("sample-guide"), library)


def test_home_page_introduces_each_section_and_lists_guides(library):
    home = home_page(library, today=dt.date(2026, 11, 23))
    for heading in ("Know your rights", "Privacy walkthroughs", "Data-sharing explainers"):
        assert heading in home
    assert 'href="guide:guide-a"' in home
    assert "review overdue" in home  # guide-b


def test_a_big_library_home_page_lists_some_of_each_kind_and_says_how_many_more(make_pack):
    from caseguide.guides.home import HOME_LIST_MAX

    root = make_pack({f"g{n:03}.md": guide_file(id=f"guide-{n:03}", title=f"Guide {n:03}")
                      for n in range(HOME_LIST_MAX + 12)})
    home = home_page(Library.discover(root))
    assert home.count('href="guide:') == HOME_LIST_MAX
    assert 'href="guide:guide-000"' in home and "And 12 more" in home


def test_the_home_page_before_the_guides_are_listed():
    home = home_page(None)
    assert "Quick exit" in home and "Listing the guides" in home and "guide:" not in home


def test_text_output_keeps_lists_links_and_sources(library):
    text = guide_text(library.get("guide-a"), library, today=dt.date(2026, 11, 23))
    assert text.startswith("Guide A\n")
    assert "Last reviewed 1 November 2026" in text
    assert "outside link <https://www.gov.uk/register-with-a-gp>" in text
    assert "Sources" in text and "https://www.gov.uk/guidance/paying-an-nhs-debt" in text
    steps = guide_text(library.get("guide-b"), library)
    assert "1. One\n2. Two" in steps
    assert "REVIEW OVERDUE" in steps


def test_text_output_strips_terminal_control_characters():
    assert "\x1b" not in html_to_text("<p>\x1b[31mred\x1b[0m</p>")


def test_an_image_whose_source_was_removed_becomes_its_description():
    assert sanitize('<p><img src="https://x.example/a.png" alt="A map"></p>') == "<p>[image: A map]</p>"
    assert sanitize('<p><img src="https://x.example/a.png"></p>') == "<p></p>"
