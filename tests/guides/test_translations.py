"""Translated guides are linked: translation_of in front matter, both ways in the library, checked by lint."""

import json

import pytest

from caseguide.cli import main
from caseguide.errors import GuideError
from caseguide.library import Library
from caseguide.library.lint import lint
from caseguide.guides.model import parse_guide

from ..conftest import guide_file


@pytest.fixture
def pack(make_pack):
    return make_pack({
        "en.md": guide_file("Ask for your file.", id="access", title="Getting your file"),
        "ar.md": guide_file("اطلب ملفك.", id="access-ar", title="الحصول على ملفك", language="ar",
                            translation_of="access"),
        "fa.md": guide_file("پرونده خود را بخواهید.", id="access-fa", title="گرفتن پرونده", language="fa",
                            translation_of="access"),
    })


def test_each_version_lists_the_others(pack):
    library = Library.discover(pack)
    assert [(g.id, g.language) for g in library.translations(library.get("access"))] == \
        [("access-ar", "ar"), ("access-fa", "fa")]
    assert [g.id for g in library.translations(library.get("access-fa"))] == ["access", "access-ar"]


def test_list_json_gives_each_guide_its_translations(pack, capsys):
    assert main(["--library", str(pack), "list", "--json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["access"]["translations"] == [{"id": "access-ar", "language": "ar"},
                                              {"id": "access-fa", "language": "fa"}]
    assert rows["access-ar"]["translation_of"] == "access"
    assert rows["access-ar"]["translations"] == [{"id": "access", "language": "en"},
                                                 {"id": "access-fa", "language": "fa"}]


@pytest.mark.parametrize("value, problem", [("Not An Id", "must be a guide id"), ("sample-guide", "the guide itself")])
def test_a_bad_translation_of_is_a_guide_error(tmp_path, value, problem):
    with pytest.raises(GuideError, match=problem):
        parse_guide(tmp_path / "g.md", guide_file(translation_of=value).encode())


def test_lint_checks_the_original_exists_and_shares_kind_and_topics(make_pack):
    root = make_pack({
        "en.md": guide_file("Text.", id="original", title="Original"),
        "ar.md": guide_file("نص.", id="ar-version", title="عربي", language="ar", translation_of="original",
                            kind="explainer", topics="[phones]"),
        "fa.md": guide_file("متن.", id="fa-version", title="فارسی", language="fa", translation_of="nowhere"),
        "ur.md": guide_file("متن.", id="ur-version", title="اردو", language="ur", translation_of="ar-version",
                            kind="explainer", topics="[phones]"),
    })
    messages = [f.message for f in lint([root]).findings if f.level == "error"]
    assert any("a rights guide: a translation keeps its kind" in m for m in messages)
    assert any("whose topics are ['health']" in m for m in messages)
    assert any("'nowhere', which is not a guide" in m for m in messages)
    assert any("itself a translation (of 'original')" in m for m in messages)
