"""The one-pass scorer gives Whoosh's own BM25F scores and coverage, and a search reads each term once."""

import random

import pytest
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Or, Phrase, Term
from whoosh.searching import Searcher

from caseguide.library import Library
from caseguide.search import scoring
from caseguide.search.index import make_schema
from caseguide.search.query import SearchIndex

from ..conftest import guide_file

WORDS = ("hospital charges debt doctor register status settled share code landlord rent phone data "
         "sharing home office file request access tax bank account police report crime").split()


def _text(r: random.Random, n: int) -> str:
    return " ".join(r.choice(WORDS) for _ in range(n))


def _index(segments: int = 1, docs: int = 120):
    """A Whoosh index of CaseGuide's schema holding random guide-like text, in *segments* commits."""
    r = random.Random(5)
    ix = RamStorage().create_index(make_schema(["en"]))
    per = docs // segments
    for s in range(segments):
        writer = ix.writer()
        for n in range(per):
            writer.add_document(id=f"g{s}-{n}", pack="p", kind="rights", language="en", lang="en",
                                topics=r.choice(["data sharing", "health", "phones"]),
                                title_en=_text(r, r.randint(2, 6)), summary_en=_text(r, r.randint(5, 15)),
                                body_en=_text(r, r.randint(20, 200)))
        writer.commit(merge=False)
    return ix


def _queries(searcher):
    fields = ("title_en", "summary_en", "body_en", "topics")
    return [[Term(f, w) for f in fields for w in ("hospit", "charg")],
            [Term(f, w) for f in fields for w in ("phone",)],
            [Term(f, "data") for f in fields] + [Phrase("body_en", ["home", "offic"])],
            [Term(f, w) for f in fields for w in ("nosuchword", "bank")]]


def _ours(scorer, parts):
    postings = [scorer.phrase(q) if isinstance(q, Phrase) else scorer.term(q.fieldname, q.text) for q in parts]
    totals, _covers = scoring.accumulate([postings])
    return totals


@pytest.mark.parametrize("segments", [1, 3])
def test_scores_are_whooshs_own(segments):
    ix = _index(segments)
    with ix.searcher() as searcher:
        assert len(searcher.subsearchers or [searcher]) == segments
        scorer = scoring.PackScorer(searcher)
        for parts in _queries(searcher):
            theirs = {hit.docnum: hit.score for hit in searcher.search(Or(parts), limit=None)}
            ours = _ours(scorer, parts)
            assert set(ours) == set(theirs)
            assert all(ours[d] == pytest.approx(theirs[d], rel=1e-12) for d in theirs)


def test_the_fast_path_and_whooshs_matchers_agree():
    ix = _index(1)
    with ix.searcher() as searcher:
        fast = scoring.PackScorer(searcher)
        slow = scoring.PackScorer(searcher)
        slow._fast = False  # what a segment with deletions or another weighting gets
        for parts in _queries(searcher):
            a, b = _ours(fast, parts), _ours(slow, parts)
            assert set(a) == set(b) and all(a[d] == pytest.approx(b[d], rel=1e-12) for d in a)


def test_coverage_says_which_concepts_each_guide_has():
    ix = _index(1)
    with ix.searcher() as searcher:
        scorer = scoring.PackScorer(searcher)
        concepts = [("hospit",), ("phone",), ("bank",)]
        postings = [[scorer.term("body_en", w) for w in c] for c in concepts]
        _totals, covers = scoring.accumulate(postings)
        for number, (word,) in enumerate(concepts):
            having = set(searcher.docs_for_query(Term("body_en", word)))
            assert {d for d, mask in covers.items() if mask >> number & 1} == having


def test_a_search_reads_each_term_once_and_runs_no_whoosh_search(make_pack, monkeypatch):
    # Before issue 26 a query of three words ran two Whoosh searches (one per coverage) after
    # reading each concept's guides: every posting was walked three times.
    root = make_pack({f"g{n}.md": guide_file(f"Hospital charges and debt. Doctor number {n}. " * (n % 4 + 1),
                                             id=f"g{n}", title=f"Guide {n} about charges") for n in range(12)})
    index = SearchIndex(Library.discover(root)).open()
    reads = []
    original = scoring.PackScorer._read_term
    monkeypatch.setattr(scoring.PackScorer, "_read_term",
                        lambda self, field, text, *rest: (reads.append((field, text)), original(self, field, text, *rest)))
    monkeypatch.setattr(Searcher, "search", lambda *a, **k: pytest.fail("a Whoosh search ran"))
    found = index.exact_search("hospital charges doctor")
    assert found and len(reads) == len(set(reads))
    assert {("body_en", "hospit"), ("body_en", "charg"), ("body_en", "doctor")} <= set(reads)
    reads.clear()
    assert [h.id for h in index.exact_search("hospital charges doctor")] == [h.id for h in found]
    assert reads == []  # the next keystroke's search reads nothing again
