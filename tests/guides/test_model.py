"""Front matter: what a valid guide is, and what each mistake says."""

import datetime as dt
from pathlib import Path

import pytest

from caseguide.errors import GuideError
from caseguide.guides.model import parse_guide

from ..conftest import guide_file

P = Path("guides/sample.md")


def parse(text: str | bytes):
    return parse_guide(P, text.encode() if isinstance(text, str) else text, pack="test")


def error_of(text) -> GuideError:
    with pytest.raises(GuideError) as info:
        parse(text)
    return info.value


def test_a_complete_guide_is_read():
    guide = parse(guide_file("## Hello\n\nBody text.", audience="caseworker", related="[other-guide]"))
    assert guide.id == "sample-guide"
    assert guide.title == "A sample guide"
    assert guide.kind == "rights" and guide.kind_label == "Know your rights"
    assert guide.topics == ("health",)
    assert guide.reviewed == dt.date(2026, 11, 1)
    assert guide.review_due == dt.date(2027, 5, 1)
    assert guide.sources[0].url == "https://www.gov.uk/guidance/paying-an-nhs-debt"
    assert guide.audience == "caseworker"
    assert guide.related == ("other-guide",)
    assert guide.body.strip().startswith("## Hello")
    assert guide.pack == "test"


def test_audience_defaults_to_client_and_unknown_fields_are_kept():
    guide = parse(guide_file(index="3"))
    assert guide.audience == "client"
    assert guide.extra == {"index": 3}


def test_windows_line_endings_and_a_byte_order_mark_are_fine():
    text = "\ufeff" + guide_file("Line one.\n").replace("\n", "\r\n")
    assert parse(text).title == "A sample guide"


def test_overdue_is_judged_against_review_due():
    guide = parse(guide_file())
    assert not guide.is_overdue(dt.date(2027, 5, 1))
    assert guide.is_overdue(dt.date(2027, 5, 2))


def test_rtl_languages():
    assert parse(guide_file(language="ar")).is_rtl
    assert parse(guide_file(language="fa-IR")).is_rtl
    assert not parse(guide_file(language="en-GB")).is_rtl


@pytest.mark.parametrize("field", ["id", "title", "summary", "kind", "topics", "language",
                                   "reviewed", "review_due", "sources"])
def test_each_required_field_is_named_when_missing(field):
    err = error_of(guide_file(**{field: None}))
    assert f"missing '{field}'" in str(err)
    assert str(P) in str(err)


def test_broken_yaml_names_the_file_and_line():
    text = "---\nid: x\ntitle: [not closed\nsummary: s\n---\nbody"
    err = error_of(text)
    assert "not valid YAML" in err.reason
    assert err.line in (3, 4, 5)
    assert f"{P}:{err.line}" in str(err)


def test_invalid_utf8_names_the_line():
    text = guide_file("First line.\nSecond line.\n")
    err = error_of(text.encode() + b"caf\xe9 au lait\n")
    assert "UTF-8" in err.reason
    assert err.line == text.count("\n") + 1


@pytest.mark.parametrize("text,expected", [
    ("no front matter at all", "first line must be '---'"),
    ("---\nid: x\n", "not closed"),
    ("---\n- a list\n---\n", "key: value"),
])
def test_front_matter_shape(text, expected):
    assert expected in str(error_of(text))


@pytest.mark.parametrize("fields,expected", [
    ({"kind": "howto"}, "kind 'howto' must be one of"),
    ({"id": "Bad_ID"}, "lowercase"),
    ({"language": "english!"}, "not a language tag"),
    ({"audience": "everyone"}, "audience 'everyone'"),
    ({"reviewed": "23/11/2026"}, "YYYY-MM-DD"),
    ({"review_due": "2026-01-01"}, "before 'reviewed'"),
    ({"topics": "[Health Care]"}, "not a valid topic slug"),
    ({"sources": "\n  - title: X\n    url: javascript:alert(1)"}, "https://"),
    ({"sources": "\n  - url: https://example.org"}, "no 'title'"),
    ({"title": "123"}, "'title' must be non-empty text"),
])
def test_bad_values_say_what_is_wrong(fields, expected):
    assert expected in str(error_of(guide_file(**fields)))


def test_huge_files_are_refused_without_parsing():
    err = error_of(guide_file("x" * (3 * 1024 * 1024)))
    assert "larger than" in err.reason


def test_yaml_tags_that_build_objects_are_refused():
    err = error_of(guide_file(title="!!python/object/apply:os.system ['true']"))
    assert "not valid YAML" in err.reason
