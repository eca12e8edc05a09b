"""Searching: ranking, stemming, snippets, filters, synonyms and spelling correction."""

import pytest

from caseguide.guides.library import Library
from caseguide.search.query import SearchIndex

from ..conftest import guide_file


@pytest.fixture
def pack(make_pack):
    return make_pack({
        "charges.md": guide_file(
            "Hospitals in England may ask for payment before non-urgent treatment. "
            "This is called upfront charging. Some care is always free.",
            id="hospital-charging", title="Hospital charging", kind="rights"),
        "mention.md": guide_file(
            "This guide is about registering with a doctor. Hospital charges are covered elsewhere. "
            + "Registration needs no papers. " * 20,
            id="gp", title="Registering with a GP", kind="rights"),
        "phone.md": guide_file("Turn off location for apps you do not trust.",
                               id="android", title="Android permissions", kind="walkthrough",
                               topics="[phones]"),
        "ar.md": guide_file("يمكنك طلب نسخة من معلوماتك الشخصية من وزارة الداخلية.",
                            id="arabic-sar", title="طلب الوصول إلى البيانات", language="ar"),
    })


@pytest.fixture
def index(pack):
    return SearchIndex(Library.discover(pack)).open()


def ids(hits):
    return [h.id for h in hits]


def test_stemming_finds_other_forms(index):
    assert "hospital-charging" in ids(index.exact_search("charges"))
    assert "hospital-charging" in ids(index.exact_search("charged"))


def test_title_outweighs_body(index):
    hits = index.exact_search("hospital charges")
    assert ids(hits)[0] == "hospital-charging"
    assert "gp" in ids(hits)  # the body mention still counts, lower down
    assert hits[0].score > hits[ids(hits).index("gp")].score


def test_snippets_highlight_the_matching_words(index):
    [hit] = [h for h in index.exact_search("upfront") if h.id == "hospital-charging"]
    assert "<b>upfront</b>" in hit.snippet_html
    assert "upfront charging" in hit.snippet and "<b>" not in hit.snippet


def test_snippets_read_as_running_text_without_markdown_marks(make_pack):
    body = ("## Bank checks\n\nSome intro words here.\n\n"
            "- banks check new accounts\n- banks check existing accounts\n\n"
            "| When | What |\n|---|---|\n| 2018 | banks check every quarter |\n")
    root = make_pack({"a.md": guide_file(body, id="banks", title="Money")})
    [hit] = SearchIndex(Library.discover(root)).open().exact_search("banks")
    assert "|" not in hit.snippet and "- " not in hit.snippet
    assert "banks check new accounts · banks check existing accounts" in hit.snippet
    assert "2018 – banks check every quarter" in hit.snippet
    assert hit.snippet.count("banks check new accounts") == 1  # overlapping windows merged


def test_snippet_text_is_escaped(make_pack):
    root = make_pack({"a.md": guide_file("Use the &lt;script&gt; words `<b>` safely. Payment info.")})
    [hit] = SearchIndex(Library.discover(root)).open().exact_search("payment")
    assert "<script" not in hit.snippet_html


def test_filters_by_kind_and_language(index):
    assert ids(index.exact_search("location", kind="rights")) == []
    assert ids(index.exact_search("location", kind="walkthrough")) == ["android"]
    assert ids(index.exact_search("معلوماتك", lang="ar")) == ["arabic-sar"]
    assert ids(index.exact_search("معلوماتك", lang="en")) == []


def test_arabic_text_is_searchable_with_its_own_analyzer(index):
    assert "arabic-sar" in ids(index.exact_search("الشخصية"))


def test_query_syntax_is_not_needed_or_harmful(index):
    for query in ["title:android", "hosp*", "[a TO z]", "(((", "charges^100", '"', "AND OR NOT"]:
        index.exact_search(query)  # never raises
    assert index.exact_search("   ") == []


def test_synonyms_from_the_pack_widen_a_query(make_pack):
    root = make_pack({
        "brp.md": guide_file("Your biometric residence permit expired at the end of 2024.",
                             id="evisas", title="eVisas"),
        "other.md": guide_file("Nothing to do with cards.", id="other", title="Other"),
        "synonyms.toml": 'groups = [["brp", "biometric residence permit"]]\n',
    })
    hits = SearchIndex(Library.discover(root)).open().exact_search("BRP expired")
    assert ids(hits)[0] == "evisas"
    assert "<b>biometric</b>" in hits[0].snippet_html


def test_a_bad_synonyms_file_is_ignored_not_fatal(make_pack, caplog):
    root = make_pack({"a.md": guide_file("Charges apply."), "synonyms.toml": "groups = 'oops'"})
    index = SearchIndex(Library.discover(root)).open()
    assert ids(index.exact_search("charges")) == ["sample-guide"]
    assert "synonyms.toml" in caplog.text


def test_misspelt_words_are_corrected_from_the_librarys_own_words(index):
    found = index.forgiving_search("hospitl chargin")
    assert found.corrected and found.query == "hospital charging"
    assert [h.id for h in found.hits][0] == "hospital-charging"
    assert found.original == "hospitl chargin"


def test_known_words_and_other_forms_are_never_corrected(index):
    assert index.correct("charges") is None  # "charging" is indexed: same stem
    assert index.correct("hospital") is None
    assert not index.forgiving_search("hospital charges").corrected


def test_run_together_words_are_split(make_pack):
    root = make_pack({"a.md": guide_file("Pre settled status lasts five years.", id="pss", title="Status")})
    index = SearchIndex(Library.discover(root)).open()
    assert index.correct("presettled") == "pre settled"


def test_fuzzy_matching_for_long_words(index, monkeypatch):
    monkeypatch.setattr(SearchIndex, "correct", lambda self, query, lang=None: None)  # no corrector: fuzzy only
    found = index.forgiving_search("locaton")  # one edit from "location"
    assert found.fuzzy and ids(found.hits) == ["android"]


def test_nonsense_finds_nothing_and_says_so(index):
    found = index.forgiving_search("qqqqzzzz")
    assert found.hits == [] and not found.corrected


def test_topic_filter(index):
    assert ids(index.exact_search("location turn", topic="phones")) == ["android"]
    assert ids(index.exact_search("location turn", topic="health")) == []


def test_edit_distance():
    from caseguide.search.query import edit_distance
    assert edit_distance("staus", "status") == 1
    assert edit_distance("staus", "start") == 2
    assert edit_distance("acess", "access") == 1
    assert edit_distance("hte", "the") == 1  # a swap is one edit
