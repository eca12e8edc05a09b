"""Hostile files: every reader refuses what is too big, too deep, not a file or not valid, promptly,
with a message, and loads the rest."""

import logging
import os
import tracemalloc

import pytest

from caseguide import paths
from caseguide.errors import CaseGuideError, GuideError
from caseguide.fsutil import read_small_file
from caseguide.library import Library
from caseguide.guides.model import parse_guide
from caseguide.guides.markup import markdown_to_html, sanitize
from caseguide.guides.render import html_to_text
from caseguide.limits import parse_json
from caseguide.packs.store import PackStore
from caseguide.settings import Settings

from .conftest import guide_file
from .hostile import finishes, no_fifos, release_fifo


def site_settings_file():
    path = paths.site_config_dir() / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize("raw", [
    '{"format": 1, "settings": {"shared.idle_reset_seconds": Infinity}}',
    '{"format": 1, "settings": {"shared.idle_reset_seconds": 1e400}}',
    '{"format": 1, "settings": {"shared.idle_reset_seconds": NaN}}',
    '{"format": 1, "settings": ' + "[" * 100_000 + "]" * 100_000 + "}",
])
def test_settings_with_infinity_or_deep_nesting_give_the_defaults_and_a_warning(raw, caplog):
    site_settings_file().write_text(raw)
    with caplog.at_level(logging.WARNING):
        current = Settings()
    assert current.get("shared.idle_reset_seconds") == 300
    assert current.get("shared.enabled") is False
    assert caplog.records  # said once, not silently


@no_fifos
def test_a_fifo_as_the_settings_file_is_refused_not_waited_on(caplog):
    path = site_settings_file()
    os.mkfifo(path)
    try:
        with caplog.at_level(logging.WARNING):
            current = finishes(Settings, 10)
    finally:
        release_fifo(path)
    assert current.get("handout.paper") == "a4"
    assert "not an ordinary file" in caplog.text


def test_dev_zero_and_a_gigabyte_are_refused_before_they_are_read(tmp_path):
    with pytest.raises(CaseGuideError, match="not an ordinary file"):
        read_small_file("/dev/zero", 1024, "a settings file")
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as out:
        out.truncate(1024 ** 3)  # a gigabyte, sparse
    tracemalloc.start()
    try:
        with pytest.raises(CaseGuideError, match="too large"):
            read_small_file(huge, 256 * 1024, "a settings file")
        assert tracemalloc.get_traced_memory()[1] < 1024 * 1024
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("raw", ['{"packs": ' + "[" * 50_000 + "]" * 50_000 + "}", '{"packs": {"x": NaN}}'])
def test_a_damaged_pointer_file_reads_as_no_packs(raw, caplog):
    store = PackStore.for_scope(False)
    store.root.mkdir(parents=True, exist_ok=True)
    (store.root / "installed.json").write_text(raw)
    with caplog.at_level(logging.WARNING):
        assert store.installed() == {}
    assert "damaged" in caplog.text


def test_parse_json_refuses_what_python_would_accept():
    for raw in (b"NaN", b"[-Infinity]", b"1e999", b"[" * 40 + b"]" * 40, b"\xff"):
        with pytest.raises(CaseGuideError):
            parse_json(raw, "it")
    assert parse_json(b'{"a": [1, 2.5, "x"]}', "it") == {"a": [1, 2.5, "x"]}


def test_one_impossible_date_skips_that_guide_and_the_rest_loads(make_pack):
    root = make_pack({
        "good.md": guide_file(id="good-one"),
        "bad.md": guide_file(id="bad-one", reviewed="2027-02-30"),
    })
    library = Library.discover(root)
    assert [g.id for g in library] == ["good-one"]
    assert len(library.warnings) == 1
    assert "bad.md" in library.warnings[0] and "'reviewed' must be a date" in library.warnings[0]


def test_a_gigabyte_guide_is_skipped_without_being_read(make_pack):
    root = make_pack({"good.md": guide_file(id="good-one")})
    with open(root / "huge.md", "wb") as out:
        out.write(guide_file(id="huge-one").encode())
        out.truncate(1024 ** 3)
    tracemalloc.start()
    try:
        library = Library.discover(root)
        assert [g.id for g in library] == ["good-one"]
        assert tracemalloc.get_traced_memory()[1] < 32 * 1024 * 1024
    finally:
        tracemalloc.stop()
    assert "huge.md" in library.warnings[0] and "larger than 2 MB" in library.warnings[0]


PATHOLOGICAL = {
    "8,000 '['": ("[" * 8000, "without their"),
    "'[a](' 4,000 times": ("[a](" * 4000, "without their"),
    "lists nested 450 deep": ("".join("    " * i + "- a\n" for i in range(450)), "nests"),
    "quotes nested 2,000 deep": ("> " * 2000 + "a\n", "nests"),
    "a 1.5 MB line": ("word " * 300_000, "line longer"),
    "a 150,000-row table": ("| a | b |\n|---|---|\n" + "| x | y |\n" * 150_000, "table"),
    "a 30,000-item list": ("".join(f"- item {i}\n" for i in range(30_000)), "list"),
    # each within the limits of one table or list, too much for one page together (Qt lays a page out
    # on the window's thread: 20,000 cells froze it for 3 s)
    "three tables of 2,000 cells": ("Text.\n\n".join(["| a | b |\n|---|---|\n" + "| x | y |\n" * 1000] * 3),
                                    "tables have more than"),
    "six lists of 1,000 items": ("".join(["".join(f"- item {i}\n" for i in range(1000)) + "\nText.\n\n"] * 6),
                                 "lists have more than"),
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_markdown_is_refused_on_load_and_rendered_as_text_in_a_moment(name):
    body, reason = PATHOLOGICAL[name]
    with pytest.raises(GuideError, match=reason):
        parse_guide("x.md", guide_file(body).encode())
    # Rendering the same text directly (as for a preview) is linear: plain paragraphs, of the same
    # text (a paragraph too long for Qt to lay out at once comes in pieces).
    html = finishes(lambda: sanitize(markdown_to_html(body)), 5)
    shown = "".join(finishes(lambda: html_to_text(html), 5).split())
    assert shown[:1000] == "".join(body.split())[:1000]


def test_markdown_within_the_limits_still_renders_as_markdown():
    body = ("A [link](https://www.gov.uk/) and [another](https://ico.org.uk/ \"title\").\n\n"
            + "".join(f"- item {i}\n" for i in range(1000)) + "\n| a | b |\n|---|---|\n" + "| x | y |\n" * 1000)
    html = sanitize(markdown_to_html(body))
    assert '<a href="https://www.gov.uk/">link</a>' in html
    assert html.count("<li>") == 1000 and html.count("<tr>") == 1001


# Raw HTML: python-markdown passes it through and the sanitizer keeps tables and lists, so the limits
# count the document Qt will lay out, not the Markdown (issue 22: a guide of under 1 KB of nested
# HTML tables froze the window for good).
def _nested(open_tag: str, close_tag: str, depth: int, inner: str = "x") -> str:
    return (open_tag + "\n") * depth + inner + ("\n" + close_tag) * depth


RAW_HTML = {
    "HTML tables nested 24 deep, under 1 KB": (_nested("<table><tr><td>", "</td></tr></table>", 24),
                                               "nests tables"),
    "HTML lists nested 3,000 deep": (_nested("<ul><li>", "</li></ul>", 3000), "nests lists"),
    "HTML quotes nested 100 deep": (_nested("<blockquote>", "</blockquote>", 100), "nests lists or quotes"),
    "an HTML list of 2,000 items": ("<ol>\n" + "<li>a</li>\n" * 2000 + "</ol>", "list of more than"),
    "HTML lists of 6,000 items in all": (("<ul>\n" + "<li>a</li>\n" * 1000 + "</ul>\n\n") * 6,
                                         "lists have more than"),
    "an HTML table of 5,000 cells": ("<table>\n" + ("<tr>" + "<td>a</td>" * 50 + "</tr>\n") * 100 + "</table>",
                                     "cells"),
    "a table of 2,100 cells inside another": ("<table><tr><td>\n<table>\n" + ("<tr>" + "<td>a</td>" * 21 + "</tr>\n")
                                              * 100 + "</table>\n</td></tr></table>", "cells"),
    "cells spanning 100 columns each": ("<table>\n" + ("<tr>" + '<td colspan="100">a</td>' * 5 + "</tr>\n")
                                        * 10 + "</table>", "cells"),
    "HTML tables and Markdown lists mixed": ("- a\n" * 900 + "\n" + "<ul>\n" + "<li>b</li>\n" * 900 + "</ul>\n\n"
                                             + ("- c\n" * 900 + "\n<p>x</p>\n\n") * 4, "lists have more than"),
}


@pytest.mark.parametrize("name", RAW_HTML)
def test_raw_html_past_the_limits_is_refused_on_load(name):
    body, reason = RAW_HTML[name]
    with pytest.raises(GuideError, match=reason):
        finishes(lambda: parse_guide("x.md", guide_file(body).encode()), 10)


@pytest.mark.parametrize("name", RAW_HTML)
def test_raw_html_past_the_limits_is_shown_as_text_when_it_reaches_the_page(name):
    from caseguide.guides.markup import safe_body
    from caseguide.limits import layout_problem

    body, _reason = RAW_HTML[name]
    shown = finishes(lambda: safe_body(body), 10)  # as if a guide had come from somewhere else
    assert layout_problem(shown) is None
    assert "<table" not in shown and "<li>" not in shown


def test_raw_html_within_the_limits_still_lays_out_as_html():
    body = ("<table><tr><td>a</td><td>" + "<table><tr><td>inner</td></tr></table>" + "</td></tr></table>\n\n"
            + "<ul>\n" + "<li>item</li>\n" * 900 + "</ul>")
    guide = parse_guide("x.md", guide_file(body).encode())
    from caseguide.guides.render import render_body

    html = render_body(guide)
    assert html.count("<table") == 2 and html.count("<li>") == 900


def test_a_cell_may_not_span_a_huge_grid():
    html = sanitize('<table><tr><td colspan="50000" rowspan="7">a</td></tr></table>')
    assert "colspan" not in html and 'rowspan="7"' in html
