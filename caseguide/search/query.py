"""Searching the library: exactly as typed, or forgivingly (spelling corrected, then fuzzy).

A query becomes a :class:`~caseguide.search.plan.Plan`: its topic words, each widened by the
synonyms, stop and question words left out. A guide that covers more of those words ranks above
one that covers fewer unless its Whoosh (BM25F) score is far lower (:mod:`~caseguide.search.ranking`); guides
that miss a word the best ones have are shown only if they come close. When no guide covers them
all, :attr:`Results.partial` says so and the closest are shown.

:meth:`SearchIndex.exact_search` searches the words as typed; :meth:`SearchIndex.forgiving_search`
is what a person gets: a word the library does not know is replaced by the closest word it does
know (and :attr:`Results.corrections` says which), then longer words are matched fuzzily if still
nothing is found. The indexes themselves come from :mod:`caseguide.search.index`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

from whoosh.query import And, Phrase, Term

from .. import paths
from ..guides.model import primary_subtag
from ..nations import named_in
from .index import IndexCache
from . import ranking
from .plan import WORD_RE, Concept, Plan, make_plan
from .results import Hit, Results
from .scoring import PackScorer, accumulate
from .snippets import TEXT_WORD_RE, Marker, Stemmer, make_snippet, snippet_forms
from .spelling import Vocabulary
from .synonyms import Synonyms, load_pack_synonyms

_FUZZY_MIN = 5  # words this long (or longer) may match fuzzily when nothing else is found
_SEARCH_FIELDS = ("title", "summary", "body", "names")


class SearchIndex:
    """Open (building where needed) the index of every pack in *library*, and search it."""

    def __init__(self, library, cache_dir: Path | None = None, memory_only: bool | None = None):
        """*memory_only* (by default: whether *library* is a shared PC's) never touches the cache."""
        self.library = library
        if memory_only is None:
            memory_only = getattr(library, "machine_only", False)
        self.cache = IndexCache(cache_dir if cache_dir is not None else paths.index_cache_dir(), memory_only)
        self.cache_dir = self.cache.cache_dir
        self._indexes: dict[str, object] = {}
        self._schemas: dict[str, object] = {}
        self._searchers: dict[str, object] = {}
        self._scorers: dict[str, PackScorer] = {}
        self._stemmers: dict[str, Stemmer] = {}
        self._filters: dict[tuple, set | None] = {}
        self._analysis: dict[tuple, tuple] = {}
        self._vocabularies: dict[tuple[str, str], Vocabulary] = {}
        self.synonyms = Synonyms(group for pack in library.packs for group in load_pack_synonyms(pack.root))

    # Building ---------------------------------------------------------------

    def open(self, rebuild: bool = False, progress=None) -> SearchIndex:
        """Make every pack's index ready. *progress(done, total)* is told as packs are indexed."""
        self.close()
        self._indexes = self.cache.open(self.library, rebuild, progress)
        # Whoosh reads the schema from the index's table of contents each time it is asked for it.
        self._schemas = {pack_id: ix.schema for pack_id, ix in self._indexes.items()}
        return self

    @property
    def in_memory(self) -> bool:
        return self.cache.in_memory

    @property
    def notices(self) -> list[str]:
        return self.cache.notices

    def close(self) -> None:
        for searcher in self._searchers.values():
            searcher.close()
        self._searchers.clear()
        self._scorers.clear()
        self._indexes.clear()
        self._schemas.clear()
        self._filters.clear()
        self._analysis.clear()
        self._vocabularies.clear()

    # Searching --------------------------------------------------------------

    def _searcher(self, pack_id):
        searcher = self._searchers.get(pack_id)
        if searcher is None:
            searcher = self._searchers[pack_id] = self._indexes[pack_id].searcher()
        return searcher

    def _scorer(self, pack_id) -> PackScorer:
        scorer = self._scorers.get(pack_id)
        if scorer is None:
            scorer = self._scorers[pack_id] = PackScorer(self._searcher(pack_id))
        return scorer

    def _filter(self, pack_id, lang, kind, topic, nation=None) -> set | None:
        """The documents a search may return, as a set, or None for every one of the index: worked
        out once per index and filter, since a published index never changes."""
        key = (pack_id, lang, kind, topic, nation)
        if key not in self._filters:
            terms = [Term("lang", lang)] + ([Term("kind", kind)] if kind else []) + \
                    ([Term("topic_ids", topic)] if topic else []) + ([Term("nations", nation)] if nation else [])
            searcher = self._searcher(pack_id)
            docs = set(searcher.docs_for_query(And(terms)))
            self._filters[key] = None if len(docs) == searcher.doc_count_all() else docs
        return self._filters[key]

    def warm_up(self, max_docs: int = 200) -> None:
        """Do now, before anyone types, what the first search would otherwise pay for: the words
        spelling is checked against, the stems of the words snippets are cut from, and one search
        to fill the filter caches."""
        title = ""
        for pack_id, schema, lang in self._groups(None):
            self._vocabulary(pack_id, schema, lang)
            stemmer = self._stemmer(schema, lang)
            for n, fields in enumerate(self._searcher(pack_id).all_stored_fields()):
                if n >= max_docs:
                    break
                title = title or fields.get(f"title_{lang}", "")
                for word in TEXT_WORD_RE.findall(fields.get(f"body_{lang}", "")):
                    stemmer(word.lower())
        if title:
            self.forgiving_search(title, limit=1)

    def _stemmer(self, schema, lang) -> Stemmer:
        stemmer = self._stemmers.get(lang)
        if stemmer is None:
            stemmer = self._stemmers[lang] = Stemmer(schema[f"body_{lang}"].analyzer)
        return stemmer

    def _groups(self, lang: str | None):
        """(pack id, schema, language) for every index section a search should look in."""
        want = primary_subtag(lang) if lang else None
        for pack_id, schema in self._schemas.items():
            for name in sorted(schema.names()):
                if name.startswith("body_") and (want is None or name[len("body_"):] == want):
                    yield pack_id, schema, name[len("body_"):]

    @staticmethod
    def _terms(schema, field_name: str, text: str) -> list[str]:
        return list(schema[field_name].process_text(text, mode="query"))

    def _analysed(self, schema, field_name: str, text: str) -> tuple[str, ...]:
        """:meth:`_terms`, remembered: as-you-type asks for the same words again and again."""
        key = (id(schema), field_name, text)
        terms = self._analysis.get(key)
        if terms is None:
            if len(self._analysis) > 20_000:
                self._analysis.clear()
            terms = self._analysis[key] = tuple(self._terms(schema, field_name, text))
        return terms

    def _concept_postings(self, pack_id, schema, lang: str, concept: Concept) -> list[tuple]:
        """(guide numbers, scores) of each term of one concept: any of its members, in any searched
        field (a member that is several words, as a phrase)."""
        scorer = self._scorer(pack_id)
        postings = []
        for member in concept.members:
            for name in [f"{f}_{lang}" for f in _SEARCH_FIELDS] + ["topics"]:
                terms = self._analysed(schema, name, member)
                if len(terms) == 1:
                    postings.append(scorer.term(name, terms[0]))
                elif terms:
                    postings.append(scorer.phrase(Phrase(name, list(terms))))
        return postings

    def plan(self, query: str) -> Plan:
        """What *query* asks about, with this library's synonyms."""
        return make_plan(query, self.synonyms)

    def exact_search(self, query: str, limit: int = 10, kind: str | None = None, lang: str | None = None,
                     topic: str | None = None, nation: str | None = None, prefer: str = "") -> list[Hit]:
        """Ranked hits for *query* as typed (synonyms applied), best first."""
        return self.search_plan(self.plan(query), limit, kind, lang, topic, nation, prefer or named_in(query)).hits

    def search_plan(self, plan: Plan, limit: int = 10, kind: str | None = None, lang: str | None = None,
                    topic: str | None = None, nation: str | None = None, prefer: str = "",
                    snippets: int | None = None) -> Results:
        """Search for the concepts of *plan*: guides covering more of them first. *nation* keeps
        only guides about that nation; *prefer* puts them first (see ranking.OTHER_NATION). Only
        the first *snippets* hits (by default all) get their snippets now; :meth:`complete` makes
        the rest (the window shows a screenful first).

        One pass over the concepts' postings (:mod:`caseguide.search.scoring`) gives every
        matching guide's score and the concepts it has; only the guides shown are read."""
        results = Results([], plan.query, plan.query, concepts=plan.labels)
        if not plan.concepts:
            return results
        wanted = len(plan.concepts)
        sections = []  # (pack id, schema, language, {guide: score}, {guide: concepts}, {guide: bit mask})
        for pack_id, schema, lang_code in self._groups(lang):
            allowed = self._filter(pack_id, lang_code, kind, topic, nation)
            if allowed is not None and not allowed:
                continue
            totals, covers = accumulate(self._concept_postings(pack_id, schema, lang_code, c)
                                        for c in plan.concepts)
            counts = {doc: mask.bit_count() for doc, mask in covers.items() if allowed is None or doc in allowed}
            sections.append((pack_id, schema, lang_code, totals, counts, covers))
        best, ranked = ranking.rank([(s[3], s[4]) for s in sections], wanted,
                                    [self._filter(s[0], s[2], None, None, prefer) if prefer else None
                                     for s in sections])
        if not best:
            return results
        results.partial = best < wanted
        stored: dict[tuple, dict] = {}  # (section number, guide number) -> its stored fields, read once

        def fields_of(number: int, doc: int) -> dict:
            if (number, doc) not in stored:
                stored[number, doc] = self._searcher(sections[number][0]).stored_fields(doc)
            return stored[number, doc]

        if wanted >= 2:
            ranked = ranking.favour_named(ranked, self._named(plan, sections, fields_of),
                                          max(limit, ranking.NAMED_POOL))
        shown = []
        for score, coverage, number, doc in ranking.top(ranked, limit):
            fields = fields_of(number, doc)
            shown.append((score, coverage, fields.get(f"title_{sections[number][2]}", "").lower(), fields, number, doc))
        shown.sort(key=lambda s: (-s[0], -s[1], s[2]))
        markers: dict[str, Marker] = {}
        for n, (_score, _coverage, _title, fields, number, doc) in enumerate(shown[:limit]):
            pack_id, schema, lang_code, totals, _counts, covers = sections[number]
            now = snippets is None or n < snippets
            hit = self._hit(plan, fields, totals[doc], covers[doc], schema, lang_code, markers if now else None)
            if not now:
                results.later[hit.id] = (pack_id, doc, lang_code, plan)
            results.hits.append(hit)
        return results

    def complete(self, results: Results) -> Results:
        """*results* with the snippets :meth:`search_plan` left for later made."""
        if not results.later:
            return results
        markers: dict[str, Marker] = {}
        hits = []
        for hit in results.hits:
            place = results.later.get(hit.id)
            if place is not None and place[0] in self._schemas:
                pack_id, doc, lang_code, plan = place
                fields = self._searcher(pack_id).stored_fields(doc)
                plain, rich = self._snippet(plan, fields, self._schemas[pack_id], lang_code, markers)
                hit = dataclasses.replace(hit, snippet=plain, snippet_html=rich)
            hits.append(hit)
        return dataclasses.replace(results, hits=hits, later={})

    def _named(self, plan: Plan, sections: list, fields_of):
        """named(section number, guide number): whether the guide's title, or what other guides call
        it, has the query's words together (for ranking.favour_named)."""
        markers: dict[int, Marker | None] = {}

        def named(number: int, doc: int) -> bool:
            _pack_id, schema, lang_code, *_rest = sections[number]
            if number not in markers:
                phrase = tuple(stem for c in plan.concepts
                               for stem in (self._snippet_terms(schema, lang_code, c) or [()])[0])
                markers[number] = (Marker([[phrase]], self._stemmer(schema, lang_code),
                                          suffixes_only=lang_code == "en") if len(phrase) >= 2 else None)
            marker = markers[number]
            fields = fields_of(number, doc) if marker is not None else {}
            return marker is not None and any(marker(fields.get(f"{name}_{lang_code}", "")) for name in ("title", "names"))

        return named

    def _snippet(self, plan: Plan, fields: dict, schema, lang: str, markers: dict) -> tuple[str, str]:
        marker = markers.get(lang)
        if marker is None:
            wanted = [self._snippet_terms(schema, lang, c) for c in plan.concepts]
            marker = markers[lang] = Marker(wanted, self._stemmer(schema, lang), suffixes_only=lang == "en")
        marked = (make_snippet(fields.get(f"body_{lang}", ""), marker, fields.get(f"units_{lang}"))
                  or make_snippet(fields.get(f"summary_{lang}", ""), marker)
                  or fields.get(f"summary_{lang}", ""))
        return snippet_forms(marked)

    def _hit(self, plan: Plan, fields: dict, score: float, mask: int, schema, lang: str,
             markers: dict | None) -> Hit:
        """The hit for one guide's *fields*; without *markers*, its snippet is left for later."""
        plain, rich = self._snippet(plan, fields, schema, lang, markers) if markers is not None else ("", "")
        return Hit(
            id=fields["id"], title=fields[f"title_{lang}"], kind=fields["kind"], language=fields["language"],
            pack=fields["pack"], score=round(float(score), 4), snippet=plain, snippet_html=rich,
            matched=tuple(c.label for n, c in enumerate(plan.concepts) if mask >> n & 1),
            missing=tuple(c.label for n, c in enumerate(plan.concepts) if not mask >> n & 1),
            nations=tuple(fields.get("nations", "").split()),
        )

    def _snippet_terms(self, schema, lang, concept: Concept) -> list[tuple[str, ...]]:
        """Each member of *concept* as the body field's stems: what a snippet marks."""
        return [tuple(t) for t in (self._terms(schema, f"body_{lang}", m) for m in concept.members) if t]

    # Forgiving search -------------------------------------------------------

    def forgiving_search(self, query: str, limit: int = 10, kind: str | None = None, lang: str | None = None,
                         topic: str | None = None, nation: str | None = None, prefer: str = "",
                         snippets: int | None = None) -> Results:
        """Search forgivingly: misspelt words are corrected from the library's own words.

        A word is corrected when the index does not know it (not even as another form of a known
        word) and a close real word exists, however many guides the other words find; the corrected
        query is searched and :attr:`Results.corrections` says what changed. If that still finds
        nothing, longer words are matched fuzzily. *snippets*: as for :meth:`search_plan`.
        """
        original = " ".join(query.split())[:500]
        prefer = named_in(original) or prefer  # a nation the person names counts before the centre's
        corrections = self.corrections(original, lang)
        if corrections:
            corrected = _replace_words(original, corrections)
            better = self.search_plan(self.plan(corrected), limit, kind, lang, topic, nation, prefer, snippets)
            if better.hits:
                better.original, better.corrected, better.corrections = original, True, corrections
                return better
        plan = self.plan(original)
        found = self.search_plan(plan, limit, kind, lang, topic, nation, prefer, snippets)
        if not found.hits and any(len(w) >= _FUZZY_MIN for c in plan.concepts for w in c.typed):
            fuzzy = self.search_plan(self._fuzzy_plan(plan, lang), limit, kind, lang, topic, nation, prefer, snippets)
            if fuzzy.hits:
                fuzzy.fuzzy = True
                return fuzzy
        return found

    def corrections(self, query: str, lang: str | None = None) -> dict[str, str]:
        """{unknown word: the closest word the library has} for the words of *query* that need it.

        The last word may still be being typed, so a word the library has that starts with it
        ("sett" -> "settlement") comes before one a letter or two away."""
        plan = self.plan(query)
        words = [m.group(0).lower() for m in WORD_RE.finditer(query)]
        last = words[-1] if words else ""
        found = {}
        for concept in plan.concepts:
            if len(concept.typed) != 1 or len(concept.members) != 1:
                continue  # a synonym: known by definition
            word = concept.typed[0]
            if len(word) < 3 or any(ch.isdigit() for ch in word) or word in found or self._known(word, lang):
                continue
            suggestion = (self._complete(word, lang) if word == last else None) or self._suggest(word, lang)
            if suggestion and suggestion != word:
                found[word] = suggestion
        return found

    def correct(self, query: str, lang: str | None = None) -> str | None:
        """The query with each unknown word replaced by the closest word in the library, or None."""
        corrections = self.corrections(query, lang)
        return _replace_words(query, corrections) if corrections else None

    def _known(self, word: str, lang: str | None) -> bool:
        for pack_id, schema, lang_code in self._groups(lang):
            reader = self._searcher(pack_id).reader()
            for name in (f"title_{lang_code}", f"body_{lang_code}"):
                terms = self._terms(schema, name, word)
                if not terms:
                    return True  # a stop word: nothing to correct
                if all((name, t) in reader for t in terms):
                    return True
        return False

    def _vocabulary(self, pack_id: str, schema, lang: str) -> Vocabulary:
        """The words (as written) of one index section's titles and bodies, with their guide counts."""
        vocabulary = self._vocabularies.get((pack_id, lang))
        if vocabulary is None:
            reader = self._searcher(pack_id).reader()
            counts: Counter = Counter()
            for name in (f"title_{lang}", f"body_{lang}"):
                spelling = schema[name].spelling_fieldname(name)
                if spelling in schema.names() or spelling == name:
                    for term, info in reader.iter_field(spelling):
                        counts[term.decode("utf-8") if isinstance(term, bytes) else term] += info.doc_frequency()
            vocabulary = self._vocabularies[(pack_id, lang)] = Vocabulary(counts)
        return vocabulary

    def _vocabularies_for(self, lang: str | None):
        return [self._vocabulary(pack_id, schema, lang_code) for pack_id, schema, lang_code in self._groups(lang)]

    def _complete(self, prefix: str, lang: str | None) -> str | None:
        """The library's most common word that starts with *prefix* (four letters or more)."""
        if len(prefix) < 4:
            return None
        counts: Counter = Counter()
        for vocabulary in self._vocabularies_for(lang):
            word = vocabulary.complete(prefix)
            if word:
                counts[word] += vocabulary.frequencies[word]
        return min(counts, key=lambda w: (-counts[w], len(w), w)) if counts else None

    def _fuzzy_plan(self, plan: Plan, lang: str | None) -> Plan:
        """*plan* with the library's words near each longer typed word added to its concept."""
        concepts = []
        for concept in plan.concepts:
            near = [w for word in concept.typed if len(word) >= _FUZZY_MIN for w in self._near_words(word, lang)]
            concepts.append(Concept(concept.label, concept.members + tuple(near), concept.typed))
        return Plan(plan.query, tuple(concepts))

    def _near_words(self, word: str, lang: str | None, most: int = 8, maxdist: int | None = None) -> list[str]:
        """The library's words within *maxdist* edits of *word* (by default one, two from six
        letters), closest and then most common first."""
        if maxdist is None:
            maxdist = 2 if len(word) >= 6 else 1
        near: dict[str, tuple] = {}
        for vocabulary in self._vocabularies_for(lang):
            for distance, other in vocabulary.near(word, maxdist):
                near[other] = min(near.get(other, (99,)), (distance, -vocabulary.frequencies[other]))
        return sorted(near, key=lambda w: (near[w], w))[:most]

    def _suggest(self, word: str, lang: str | None) -> str | None:
        """The closest word in the library (by edit distance, then how common it is), or two
        known words the typed one runs together ("presettled" -> "pre settled")."""
        near = self._near_words(word, lang, most=1, maxdist=1 if len(word) <= 4 else 2)
        if near:
            return near[0]
        for cut in range(2, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if self._known(left, lang) and self._known(right, lang) and len(right) >= 3:
                return f"{left} {right}"
        return None


def prepare_index(library) -> None:
    """Build (or find) the search index of *library*'s packs now: what an install asks for before it
    switches, so search agrees with the pack list at once (library.install takes it as *prepare*)."""
    SearchIndex(library).open()


def _replace_words(query: str, replacements: dict[str, str]) -> str:
    return WORD_RE.sub(lambda m: replacements.get(m.group(0).lower(), m.group(0)), query)
