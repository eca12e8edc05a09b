"""One schema for front matter (issue 24): every field declared once, and everything that lists a
guide's fields follows from it: the model, the catalogue, list --json, lint and the authors' page."""

import json

import pytest

from caseguide.cli import main
from caseguide.errors import GuideError
from caseguide.guides import catalogue, schema
from caseguide.guides.model import GuideInfo, parse_guide
from caseguide.library import Library
from caseguide.library.lint import lint
from caseguide.packs.loading import parse_pack

from ..conftest import REPO, guide_file

EVERY_FIELD = dict(id="every-field", title="Care in Wales", summary="What it covers.", kind="explainer",
                   topics="[health, data-rights]", language="cy", nations="[wales]", audience="caseworker",
                   reviewed="2026-12-07", review_due="2027-06-07", related="[other-guide]",
                   translation_of="other-guide")


@pytest.fixture
def pack(make_pack):
    return make_pack({"a.md": guide_file("Text.", **EVERY_FIELD), "b.md": guide_file("More.", id="other-guide")})


def test_the_authors_page_shows_every_field_as_the_schema_declares_it():
    page = (REPO / "docs" / "writing-guides.md").read_text(encoding="utf-8")
    assert schema.front_matter_example() in page
    for field in schema.FIELDS:
        assert f"\n{field.name}:" in schema.front_matter_example()


def test_every_listed_field_is_in_the_model_the_catalogue_and_list_json(pack, capsys):
    source = Library.discover(pack).packs[0]
    guide = next(g for g in parse_pack(source) if g.id == "every-field")
    info = guide.info
    assert {f.name for f in schema.FIELDS} <= set(type(guide).__dataclass_fields__)
    assert {f.name for f in schema.LISTED} <= set(GuideInfo.__dataclass_fields__)
    for field in schema.LISTED:
        assert getattr(info, field.name) == getattr(guide, field.name) != field.default
    # The catalogue keeps every listed field, and gives it back as it was.
    back = next(e for e in catalogue.decode(source, catalogue.encode(source, parse_pack(source)))
                if getattr(e, "id", "") == "every-field")
    assert back == info
    # list --json gives every listed field.
    assert main(["--library", str(pack), "list", "--json"]) == 0
    row = next(r for r in json.loads(capsys.readouterr().out) if r["id"] == "every-field")
    for field in schema.LISTED:
        assert row[field.name] == field.to_data(getattr(info, field.name))


def test_a_catalogue_made_with_other_fields_is_refused(pack):
    source = Library.discover(pack).packs[0]
    data = json.loads(catalogue.encode(source, parse_pack(source)))
    data["schema"] = "an older one"
    with pytest.raises(catalogue.CatalogueError):
        catalogue.decode(source, json.dumps(data).encode())
    data = json.loads(catalogue.encode(source, parse_pack(source)))
    del data["guides"][0]["nations"]  # a field dropped from an entry: never read as missing
    with pytest.raises(catalogue.CatalogueError, match="nations"):
        catalogue.decode(source, json.dumps(data).encode())


@pytest.mark.parametrize("nations, expected", [("[uk]", schema.NATIONS), ("uk", schema.NATIONS),
                                               ("[wales, england]", ("england", "wales")),
                                               ("[northern-ireland]", ("northern-ireland",))])
def test_nations_are_read_in_one_order_and_uk_is_all_four(nations, expected):
    assert parse_guide("g.md", guide_file(nations=nations).encode()).nations == expected


@pytest.mark.parametrize("nations, problem", [(None, "missing 'nations'"), ("[]", "must be a list"),
                                              ("[britain]", "'britain'; each must be one of"),
                                              ("[England]", "'England'")])
def test_a_guide_without_good_nations_is_refused(nations, problem):
    with pytest.raises(GuideError, match=problem):
        parse_guide("g.md", guide_file(nations=nations).encode())


def test_lint_refuses_a_guide_without_nations_and_names_a_misspelt_key(make_pack):
    root = make_pack({"a.md": guide_file(nations=None, id="no-nations"),
                      "b.md": guide_file(id="misspelt", nation="[wales]")})
    findings = lint([root]).findings
    assert any(f.level == "error" and "missing 'nations'" in f.message for f in findings)
    assert any(f.level == "warning" and "'nation' is not one CaseGuide knows" in f.message
               and "did you mean 'nations'" in f.message for f in findings)


@pytest.mark.parametrize("title, nations, warned", [
    ("Seeing a GP in England", "[scotland]", "title says 'England'"),
    ("Seeing a GP", "[scotland]", "only about Scotland"),
    ("Seeing a GP in England", "[england]", None),
    ("Seeing a GP in Scotland and England", "[england, scotland]", None),
    ("Seeing a GP", "[uk]", None),
])
def test_lint_warns_when_a_title_and_its_nations_disagree(make_pack, title, nations, warned):
    root = make_pack({"a.md": guide_file(title=f'"{title}"', nations=nations)})
    messages = [f.message for f in lint([root]).findings if f.level == "warning" and "title" in f.message]
    assert (any(warned in m for m in messages) if warned else messages == [])
