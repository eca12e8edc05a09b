"""One pass over a query's postings: each guide's BM25F score, as Whoosh computes it, and which of
the query's concepts it has.

Ranking needs, for every guide that matches any concept, its score and how many concepts it
covers. Whoosh's searcher walks a tree of union matchers in Python, guide by guide, and a filter
(the guides of one coverage) does not let it skip any: a query of three words took two such walks
and 20 µs a guide each. Here each term's postings are read a block at a time (Whoosh's own
blocks, its own BM25F formula) and added up in one loop, so every guide costs a dictionary update
per term it has; coverage comes from the same loop. What never changes while an index is open is
worked out once: each guide's length part of BM25F for each field (from the lengths Whoosh
stored when it indexed the guide), and each term's scores, kept for the next keystroke.

A term in a segment with deletions, a phrase and a weighting other than BM25F go through Whoosh's
own matchers (slower, the same scores): published indexes have neither deletions nor another
weighting, and phrases come only from synonyms and hyphenated words.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.query import Term
from whoosh.scoring import BM25F

TERM_CACHE_POSTINGS = 300_000  # postings kept between searches: about 3.6 MB at most


class PackScorer:
    """Scores for one pack's index (a Whoosh searcher that stays open while the index is)."""

    def __init__(self, searcher):
        self.searcher = searcher
        weighting = searcher.weighting
        # Only Whoosh's plain BM25F (no per-field B) is computed here; anything else goes through Whoosh.
        self._fast = type(weighting) is BM25F and not weighting._field_B
        self._B, self._K1 = (weighting.B, weighting.K1) if self._fast else (0.0, 0.0)
        self._segments = searcher.subsearchers or [(searcher, 0)]
        if any(sub.reader().has_deletions() for sub, _ in self._segments):
            self._fast = False
        self._norms: dict[str, list] = {}
        self._terms: OrderedDict = OrderedDict()  # (field, text) -> (ids, scores)
        self._cached = 0

    def _norm(self, field: str, sub, offset: int) -> list:
        """K1 * ((1 - B) + B * length / average length) for every guide of one segment, in order:
        the part of BM25F that depends only on the guide."""
        key = f"{offset}\0{field}"
        norms = self._norms.get(key)
        if norms is None:
            reader = sub.reader()
            avgfl = self.searcher.avg_field_length(field) or 1
            B, K1 = self._B, self._K1
            length = reader.doc_field_length
            # (None for a guide without the field, which then has no postings in it to score.)
            norms = self._norms[key] = [K1 * ((1 - B) + B * (length(d, field, 1) or 1) / avgfl)
                                        for d in range(reader.doc_count_all())]
        return norms

    def term(self, field: str, text: str) -> tuple:
        """(guide numbers, scores) of one term in one field, as Whoosh's BM25F scores them."""
        return self._remembered((field, text), lambda ids, scores: self._read_term(field, text, ids, scores)
                                if self._fast else self.walk(Term(field, text), ids, scores))

    def phrase(self, query) -> tuple:
        """(guide numbers, scores) of a Whoosh Phrase query, through Whoosh's matchers."""
        return self._remembered(("\0phrase", repr(query)), lambda ids, scores: self.walk(query, ids, scores))

    def _remembered(self, key, read) -> tuple:
        found = self._terms.get(key)
        if found is not None:
            self._terms.move_to_end(key)
            return found
        ids, scores = array("I"), array("d")
        read(ids, scores)
        found = self._terms[key] = (ids, scores)
        self._cached += len(ids)
        while self._cached > TERM_CACHE_POSTINGS and len(self._terms) > 1:
            _, (old, _scores) = self._terms.popitem(last=False)
            self._cached -= len(old)
        return found

    def _read_term(self, field: str, text: str, ids: array, scores: array) -> None:
        parent = self.searcher
        if not parent.schema[field].scorable:
            self.walk(Term(field, text), ids, scores)
            return
        if (field, text) not in parent.reader():
            return
        idf, k1_1 = parent.idf(field, text), self._K1 + 1
        # Whoosh's bm25(), in the same floating-point steps, so the scores are Whoosh's to the bit.
        for sub, offset in self._segments:
            reader = sub.reader()
            if (field, text) not in reader:
                continue
            norms = self._norm(field, sub, offset)
            matcher = reader.postings(field, text)
            if type(matcher) is W3LeafMatcher:
                while matcher.is_active():  # a block at a time: Whoosh's own arrays
                    matcher._read_ids()
                    matcher._read_weights()
                    block = matcher._ids
                    for doc, tf in zip(block, matcher._weights):
                        ids.append(doc + offset)
                        scores.append(idf * ((tf * k1_1) / (tf + norms[doc])))
                    matcher._next_block()
            else:  # a short list Whoosh keeps inside the term's entry
                while matcher.is_active():
                    doc, tf = matcher.id(), matcher.weight()
                    ids.append(doc + offset)
                    scores.append(idf * ((tf * k1_1) / (tf + norms[doc])))
                    matcher.next()

    def walk(self, query, ids: array, scores: array) -> None:
        """Any Whoosh query's matches and scores, through Whoosh's own matchers."""
        for sub, offset in self._segments:
            matcher = query.matcher(sub)
            while matcher.is_active():
                ids.append(matcher.id() + offset)
                scores.append(matcher.score())
                matcher.next()


def accumulate(postings_by_concept) -> tuple[dict, dict]:
    """({guide: summed score}, {guide: bit mask of the concepts it has}) from, per concept, the
    (ids, scores) of each of its terms: one loop over every posting, nothing else."""
    totals: dict[int, float] = {}
    covers: dict[int, int] = {}
    get_total, get_cover = totals.get, covers.get
    for number, postings in enumerate(postings_by_concept):
        bit = 1 << number
        for ids, scores in postings:
            for doc, score in zip(ids, scores):
                totals[doc] = get_total(doc, 0.0) + score
                covers[doc] = get_cover(doc, 0) | bit
    return totals, covers
