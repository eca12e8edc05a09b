"""Searching: ranking, stemming, snippets, filters, synonyms and spelling correction."""

import pytest

from caseguide.library import Library
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
    assert hit.snippet == "banks check new accounts"  # a list line, not the heading above it
    [hit] = SearchIndex(Library.discover(root)).open().exact_search("quarter")
    assert hit.snippet == "2018 – banks check every quarter"  # a table row, its cells set apart


SENTENCES = ("Hospitals in England may charge some visitors. "
             "A practice should not refuse to register you because you cannot show proof of address. "
             "Ask the practice manager if the receptionist says no. "
             "Emergency care is free for everyone, whatever their immigration status.")


def test_a_snippet_is_the_whole_sentence_around_the_best_match(make_pack):
    root = make_pack({"a.md": guide_file(SENTENCES, id="gp", title="Registering")})
    index = SearchIndex(Library.discover(root)).open()
    [hit] = index.exact_search("proof of address")
    assert hit.snippet == ("A practice should not refuse to register you because you cannot show "
                           "proof of address.")
    assert "<b>proof</b> of <b>address</b>" in hit.snippet_html
    # The sentence with more of the words wins over an earlier one with fewer.
    [hit] = index.exact_search("emergency immigration hospitals")
    assert hit.snippet == "Emergency care is free for everyone, whatever their immigration status."
    for mark in ("…", "·", "..."):
        assert mark not in hit.snippet


def test_two_sentences_only_when_together_they_cover_more(make_pack):
    root = make_pack({"a.md": guide_file(SENTENCES, id="gp", title="Registering")})
    [hit] = SearchIndex(Library.discover(root)).open().exact_search("refuse receptionist")
    assert hit.snippet == ("A practice should not refuse to register you because you cannot show proof of "
                           "address. Ask the practice manager if the receptionist says no.")


def test_a_list_introduction_comes_with_its_first_item_and_items_are_split_into_sentences(make_pack):
    body = ("Private browsing does not hide what you do from:\n\n- the people who run the network\n"
            "- the websites you visit\n\nSome care is free:\n\n- A&E. Care in the emergency department "
            "is free. A ward is not.\n")
    root = make_pack({"a.md": guide_file(body, id="x", title="X")})
    index = SearchIndex(Library.discover(root)).open()
    [hit] = index.exact_search("hide")
    assert hit.snippet == "Private browsing does not hide what you do from: the people who run the network"
    [hit] = index.exact_search("emergency department")
    assert hit.snippet == "Care in the emergency department is free."


def test_only_a_sentence_too_long_for_a_result_is_cut(make_pack):
    long = "The rules " + "and the exceptions " * 30 + "cover upfront charging in hospitals."
    root = make_pack({"a.md": guide_file(f"Short first sentence. {long} Short last one.", id="x", title="X")})
    [hit] = SearchIndex(Library.discover(root)).open().exact_search("upfront")
    assert hit.snippet.startswith("… ") and hit.snippet.endswith("cover upfront charging in hospitals.")
    assert len(hit.snippet) <= 270


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


@pytest.fixture
def status_index(make_pack):
    """Five guides say "status"; one of them is about settled status."""
    files = {f"s{n}.md": guide_file(f"Your immigration status may be checked. Topic {n}.", id=f"status-{n}",
                                    title=f"Status checks {n}") for n in range(4)}
    files["settled.md"] = guide_file("Settled status lets you stay. Apply for settled status online.",
                                     id="settled", title="Settled status")
    return SearchIndex(Library.discover(make_pack(files))).open()


def test_an_unknown_word_is_corrected_even_when_the_others_find_plenty(status_index):
    assert len(status_index.exact_search("status")) == 5  # "setled status" would find all five
    found = status_index.forgiving_search("setled status")
    assert found.corrected and found.corrections == {"setled": "settled"}
    assert found.query == "settled status" and found.original == "setled status"
    assert ids(found.hits) == ["settled"]
    assert "<b>Settled</b> <b>status</b>" in found.hits[0].snippet_html


def test_a_word_still_being_typed_is_completed_from_the_library(status_index):
    found = status_index.forgiving_search("settled stat")
    assert found.corrections == {"stat": "status"} and ids(found.hits) == ["settled"]
    # Only the last word can be unfinished: elsewhere the closest word wins ("stay", one letter away).
    assert status_index.forgiving_search("stat settled").corrections == {"stat": "stay"}


def test_guides_with_more_of_the_words_rank_first(make_pack):
    root = make_pack({
        "a.md": guide_file("Landlord. " * 30, id="landlords", title="Landlords and landlord rules"),
        "b.md": guide_file("A landlord may check your status with a share code.", id="checks", title="Checks"),
    })
    hits = SearchIndex(Library.discover(root)).open().exact_search("landlord status")
    assert ids(hits) == ["checks"]  # the other has only one of the two words: not shown at all
    hits = SearchIndex(Library.discover(root)).open().exact_search("landlord share code status")
    assert ids(hits)[0] == "checks" and hits[0].missing == ()


def test_stop_and_question_words_do_not_make_every_guide_match(make_pack):
    root = make_pack({
        f"g{n}.md": guide_file(f"Can my friend help me? My phone {n} is my own.", id=f"g{n}", title=f"Guide {n}")
        for n in range(5)
    } | {"rent.md": guide_file("Can my landlord check my status? Yes: a right to rent check.",
                               id="rent", title="Renting")})
    index = SearchIndex(Library.discover(root)).open()
    assert ids(index.exact_search("can my landlord check my status")) == ["rent"]


def test_when_no_guide_has_every_word_the_closest_are_shown_and_it_says_so(index):
    found = index.forgiving_search("hospital charges section 95")
    assert found.partial and not found.corrected
    assert found.concepts == ["hospital", "charges", "section", "95"]
    assert ids(found.hits)[0] == "hospital-charging"
    assert found.hits[0].missing == ("section", "95")
    assert not index.forgiving_search("hospital charges").partial


def test_known_words_and_other_forms_are_never_corrected(index):
    assert index.correct("charges") is None  # "charging" is indexed: same stem
    assert index.correct("hospital") is None
    assert not index.forgiving_search("hospital charges").corrected


def test_run_together_words_are_split(make_pack):
    root = make_pack({"a.md": guide_file("Pre settled status lasts five years.", id="pss", title="Status")})
    index = SearchIndex(Library.discover(root)).open()
    assert index.correct("presettled") == "pre settled"


def test_fuzzy_matching_for_long_words(index, monkeypatch):
    monkeypatch.setattr(SearchIndex, "corrections", lambda self, query, lang=None: {})  # no corrector: fuzzy only
    found = index.forgiving_search("locaton")  # one edit from "location"
    assert found.fuzzy and ids(found.hits) == ["android"]


def test_nonsense_finds_nothing_and_says_so(index):
    found = index.forgiving_search("qqqqzzzz")
    assert found.hits == [] and not found.corrected


def test_topic_filter(index):
    assert ids(index.exact_search("location turn", topic="phones")) == ["android"]
    assert ids(index.exact_search("location turn", topic="health")) == []


def test_what_other_guides_call_a_guide_counts_for_it_not_for_them(make_pack):
    # Issue 26: "data sharing" found the guide whose summary had both words in separate places
    # ahead of the guide about data sharing, which other guides name so when they link to it.
    fillers = {f"filler{n}.md": guide_file(f"Hospitals and doctors, part {n}. Charges and exemptions.",
                                           id=f"filler-{n}", title=f"Health care {n}") for n in range(8)}
    root = make_pack({
        **fillers,
        "about.md": guide_file("NHS Digital gave patients' addresses to the Home Office. The data went "
                               "there for years before anyone was sharing the details in public.",
                               id="nhs-agreement", title="NHS patient data and the Home Office",
                               summary="How the Home Office used an agreement to ask for patients' details."),
        "elsewhere.md": guide_file("Tracing data was kept for years. To learn about an older agreement, "
                                   "read [NHS and Home Office data sharing](guide:nhs-agreement).",
                                   id="tracing", title="Contact tracing",
                                   summary="What tracing data was kept and for how long, and whether anyone was sharing it with the Home Office."),
        "other.md": guide_file("Read [the NHS agreement](guide:nhs-agreement) and "
                               "[NHS and Home Office data sharing](guide:nhs-agreement#start).", id="other",
                               title="Other", summary="Something else."),
    })
    index = SearchIndex(Library.discover(root)).open()
    assert [h.id for h in index.exact_search("data sharing")][0] == "nhs-agreement"
    assert [h.id for h in index.exact_search("patient data")][0] == "nhs-agreement"


def test_plain_body_and_links_names_each_guide_linked_to():
    from pathlib import Path

    from caseguide.guides.model import parse_guide
    from caseguide.guides.render import plain_body_and_links

    guide = parse_guide(Path("sample-guide.md"), guide_file("See [our guide on *banks*](guide:banks#checks), "
                                        "[a website](https://example.org) and [this](#top).").encode())
    text, links = plain_body_and_links(guide)
    assert links == [("banks", "our guide on banks")]
    assert text == "See our guide on banks, a website and this."


def test_snippets_left_for_later_are_the_same_once_made(make_pack):
    # The window asks for a screenful of snippets first and the rest when it is idle (issue 26).
    root = make_pack({f"g{n}.md": guide_file(f"Intro {n}. Hospital charges apply to visitors number {n}. "
                                             "Some care is free.", id=f"g{n}", title=f"Charges {n}")
                      for n in range(8)})
    index = SearchIndex(Library.discover(root)).open()
    whole = index.forgiving_search("hospital charges", limit=8)
    first = index.forgiving_search("hospital charges", limit=8, snippets=3)
    assert [h.id for h in first.hits] == [h.id for h in whole.hits]
    assert all(h.snippet for h in first.hits[:3]) and not any(h.snippet for h in first.hits[3:])
    done = index.complete(first)
    assert done.hits == whole.hits and done.later == {}
    assert index.complete(done) is done
