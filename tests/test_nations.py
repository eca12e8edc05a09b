"""Right in every UK nation (issue 23), as the command line and the pages show it: guides say which
nations they are about, a centre's nation comes first, and a guide about another nation's law says
so and points to the right one."""

import json

import pytest

from caseguide import settings
from caseguide.cli import main
from caseguide.guides.handout import HandoutOptions, compose
from caseguide.guides.render import guide_page, guide_text
from caseguide.library import Library
from caseguide.search.query import SearchIndex

from .conftest import guide_file


@pytest.fixture
def library(make_pack):
    return Library.discover(make_pack({
        "england.md": guide_file("Hospitals may charge overseas visitors for hospital care.", id="charges-england",
                                 title='"Hospital charges in England"', nations="[england]", topics="[health]",
                                 related="[charges-scotland, charges-wales]"),
        "scotland.md": guide_file("Hospitals in Scotland may charge overseas visitors for hospital care.",
                                  id="charges-scotland", title='"Hospital charges in Scotland"', nations="[scotland]",
                                  topics="[health]", related="[charges-england]"),
        "wales.md": guide_file("The hospital may charge visitors.", id="charges-wales", title='"Hospital care in Wales"',
                               nations="[wales]", topics="[phones]"),  # no topic shared: not a nation version
        "uk.md": guide_file("Your data and your rights to it, and hospital records.", id="data-rights",
                            title="Data rights", nations="[uk]"),
    }))


def test_list_and_search_filter_by_nation_and_give_nations_in_json(library, capsys):
    root = str(library.folder)
    assert main(["--library", root, "list", "--nation", "scotland", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted(r["id"] for r in rows) == ["charges-scotland", "data-rights"]  # and the UK-wide one
    assert {r["id"]: r["nations"] for r in rows}["data-rights"] == ["england", "scotland", "wales", "northern-ireland"]
    assert main(["--library", root, "search", "hospital", "--nation", "wales", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in hits] and all("wales" in h["nations"] for h in hits)
    with pytest.raises(SystemExit) as refused:
        main(["--library", root, "list", "--nation", "wales-ish"])
    assert refused.value.code == 2 and "did you mean wales?" in capsys.readouterr().err


def test_the_centres_nation_comes_first_in_search_and_a_named_nation_first_of_all(library, capsys):
    index = SearchIndex(library).open()
    first = [h.id for h in index.forgiving_search("hospital charges", limit=5).hits][0]
    assert [h.id for h in index.forgiving_search("hospital charges", prefer="scotland").hits][0] == "charges-scotland"
    assert [h.id for h in index.forgiving_search("hospital charges", prefer="england").hits][0] == "charges-england"
    # A nation the person names counts before the centre's: a Glasgow centre asking about Wales.
    assert [h.id for h in index.forgiving_search("hospital Wales", prefer="scotland").hits][0] == "charges-wales"
    assert first in {"charges-england", "charges-scotland"}
    settings.set_value("organisation.nation", "scotland", system=True)
    assert main(["--library", str(library.folder), "search", "hospital", "charges", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == "charges-scotland"


def test_a_guide_about_another_nation_says_so_and_links_the_right_one(library):
    england = library.get("charges-england")
    page = guide_page(england, library, nation="scotland")
    assert "This guide is about the law in England." in page
    assert "The rules in Scotland are different: see" in page and 'href="guide:charges-scotland"' in page
    # No guide for Wales shares its topic: the note says to ask, and links nothing.
    wales_page = guide_page(england, library, nation="wales")
    assert "The rules in Wales are different: ask an adviser who knows them." in wales_page
    assert "charges-wales" not in wales_page.split("Related guides")[0]
    # Not for a centre in England, and not for a UK-wide guide anywhere.
    assert "are different" not in guide_page(england, library, nation="england")
    assert "are different" not in guide_page(library.get("data-rights"), library, nation="wales")
    assert "are different" not in guide_page(england, library)  # no nation set


def test_every_handout_says_which_nations_it_is_about_and_the_note_is_on_page_one(library):
    england = library.get("charges-england")
    plain = compose([england], library, HandoutOptions())
    assert "This guide is about the law in England." in plain and "are different" not in plain
    noted = compose([england], library, HandoutOptions(nation="scotland"))
    before_body = noted.split("Hospitals may charge")[0]  # at the top, before the guide's own text
    assert "The rules in Scotland are different: see \u201cHospital charges in Scotland\u201d." in before_body
    assert "guide:" not in before_body  # paper has no links
    uk = compose([library.get("data-rights")], library, HandoutOptions(nation="wales"))
    assert "about the law in all of the UK." in uk
    assert "This guide is about the law in England." in guide_text(england, library)


def test_an_arabic_guide_says_it_in_arabic(make_pack):
    library = Library.discover(make_pack({
        "ar.md": guide_file("نص عن المستشفيات.", id="ar-england", title="رسوم المستشفى", language="ar",
                            nations="[england]"),
    }))
    page = guide_page(library.get("ar-england"), library, nation="scotland")
    assert "This guide is about the law" not in page and "Scotland" not in page  # words from the Arabic catalog
    assert 'dir="rtl"' in page
