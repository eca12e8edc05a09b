"""Searching the library: exactly as typed, or forgivingly (spelling corrected, then fuzzy).

:meth:`SearchIndex.exact_search` searches the words as typed, widened only by synonyms;
:meth:`SearchIndex.forgiving_search` is what a person gets: when few guides match and a word is
unknown to the library, it searches the closest real words instead and says so, then tries fuzzy
matching. The indexes themselves come from :mod:`caseguide.search.index`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from whoosh import qparser
from whoosh.query import And, Term

from .. import paths
from ..guides.model import primary_subtag
from .index import IndexCache
from .snippets import TEXT_WORD_RE, Stemmer, make_snippet, snippet_forms
from .synonyms import Synonyms, load_pack_synonyms

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_FUZZY_WORD_RE = re.compile(r"(?<![\w\"])[^\W\d_]{5,}(?![\w\"~])")


@dataclass
class Results:
    """What a search found, and which words it searched for."""

    hits: list
    query: str  # what was searched: the person's words, or the corrected ones
    original: str  # what the person typed
    corrected: bool = False
    fuzzy: bool = False


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    kind: str
    language: str
    pack: str
    score: float
    snippet: str  # plain text
    snippet_html: str  # escaped, matches in <b>

    def as_dict(self) -> dict:
        return asdict(self)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, counting a swap of two neighbours as one edit (Damerau)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


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
        self._searchers: dict[str, object] = {}
        self._parsers: dict[tuple[str, str], qparser.QueryParser] = {}
        self._stemmers: dict[str, Stemmer] = {}
        self._filters: dict[tuple, set] = {}
        self.synonyms = Synonyms(group for pack in library.packs for group in load_pack_synonyms(pack.root))

    # Building ---------------------------------------------------------------

    def open(self, rebuild: bool = False, progress=None) -> SearchIndex:
        """Make every pack's index ready. *progress(done, total)* is told as packs are indexed."""
        self.close()
        self._indexes = self.cache.open(self.library, rebuild, progress)
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
        self._indexes.clear()
        self._parsers.clear()
        self._filters.clear()

    # Searching --------------------------------------------------------------

    def _searcher(self, pack_id):
        searcher = self._searchers.get(pack_id)
        if searcher is None:
            searcher = self._searchers[pack_id] = self._indexes[pack_id].searcher()
        return searcher

    def _filter(self, pack_id, lang, kind, topic):
        """The documents a search may return, as a set: worked out once per index and filter,
        since a published index never changes (Whoosh would rebuild it on every query)."""
        key = (pack_id, lang, kind, topic)
        docs = self._filters.get(key)
        if docs is None:
            terms = [Term("lang", lang)] + ([Term("kind", kind)] if kind else []) + \
                    ([Term("topic_ids", topic)] if topic else [])
            docs = self._filters[key] = set(self._searcher(pack_id).docs_for_query(And(terms)))
        return docs

    def warm_up(self, max_docs: int = 200) -> None:
        """Do now, before anyone types, what the first search would otherwise pay for: the stems of
        the words snippets are cut from, and one search to build the parser and filter caches."""
        title = ""
        for pack_id, schema, lang in self._groups(None):
            stemmer = self._stemmer(schema, lang)
            for n, fields in enumerate(self._searcher(pack_id).all_stored_fields()):
                if n >= max_docs:
                    break
                title = title or fields.get(f"title_{lang}", "")
                for word in TEXT_WORD_RE.findall(fields.get(f"body_{lang}", "")):
                    stemmer(word.lower())
        if title:
            self.exact_search(title, limit=1)  # Whoosh compiles its parser's patterns on first use

    def _stemmer(self, schema, lang) -> Stemmer:
        stemmer = self._stemmers.get(lang)
        if stemmer is None:
            stemmer = self._stemmers[lang] = Stemmer(schema[f"body_{lang}"].analyzer)
        return stemmer

    def _parser(self, pack_id, schema, lang) -> qparser.QueryParser:
        key = (pack_id, lang)
        parser = self._parsers.get(key)
        if parser is None:
            fields = [f"title_{lang}", f"summary_{lang}", f"body_{lang}", "topics"]
            parser = qparser.MultifieldParser(fields, schema, group=qparser.OrGroup.factory(0.9))
            # People type words, not query syntax: no field:, wildcards, ranges or boosts.
            for plugin in (qparser.FieldsPlugin, qparser.WildcardPlugin, qparser.RangePlugin,
                           qparser.BoostPlugin):
                parser.remove_plugin_class(plugin)
            self._parsers[key] = parser
        return parser

    def _groups(self, lang: str | None):
        """(pack id, schema, language) for every index section a search should look in."""
        want = primary_subtag(lang) if lang else None
        for pack_id, ix in self._indexes.items():
            for name in sorted(ix.schema.names()):
                if name.startswith("body_") and (want is None or name[len("body_"):] == want):
                    yield pack_id, ix.schema, name[len("body_"):]

    def exact_search(self, query: str, limit: int = 10, kind: str | None = None, lang: str | None = None,
               topic: str | None = None, fuzzy: bool = False) -> list[Hit]:
        """Ranked hits for *query* as typed (synonyms applied), best first."""
        query = " ".join(query.split())[:500]
        if not query:
            return []
        expanded = self.synonyms.expand(query)
        if fuzzy:
            expanded = _FUZZY_WORD_RE.sub(lambda m: self._near_words(m.group(0), lang), expanded)
        hits: list[Hit] = []
        for pack_id, schema, lang_code in self._groups(lang):
            hits += self._search_one(pack_id, schema, lang_code, expanded, limit, kind, topic)
        hits.sort(key=lambda h: (-h.score, h.title.lower()))
        return hits[:limit]

    def forgiving_search(self, query: str, limit: int = 10, kind: str | None = None, lang: str | None = None,
             topic: str | None = None) -> Results:
        """Search forgivingly: misspelt words are corrected from the library's own words.

        When a word is unknown to the index (not even as another form of a known
        word) and a close real word exists, the corrected query is searched and
        :attr:`Results.corrected` says so; if that still finds nothing, longer
        words are matched fuzzily.
        """
        original = " ".join(query.split())[:500]
        hits = self.exact_search(original, limit, kind, lang, topic)
        if len(hits) >= 3:  # enough found: no spelling to question (the usual case, as you type)
            return Results(hits, original, original)
        corrected = self.correct(original, lang)
        if corrected:
            better = self.exact_search(corrected, limit, kind, lang, topic)
            if better:
                return Results(better, corrected, original, corrected=True)
        if not hits and _FUZZY_WORD_RE.search(original):
            fuzzy_hits = self.exact_search(corrected or original, limit, kind, lang, topic, fuzzy=True)
            if fuzzy_hits:
                return Results(fuzzy_hits, corrected or original, original, corrected=bool(corrected), fuzzy=True)
        return Results(hits, original, original)

    def correct(self, query: str, lang: str | None = None) -> str | None:
        """The query with each unknown word replaced by the closest word in the library, or None."""
        words = _WORD_RE.findall(query)
        if not words:
            return None
        replacements = {}
        for word in {w.lower() for w in words}:
            if len(word) < 3 or word.isdigit() or self.synonyms.group(word) or self._known(word, lang):
                continue
            suggestion = self._suggest(word, lang)
            if suggestion and suggestion != word:
                replacements[word] = suggestion
        if not replacements:
            return None
        return _WORD_RE.sub(lambda m: replacements.get(m.group(0).lower(), m.group(0)), query)

    def _known(self, word: str, lang: str | None) -> bool:
        for pack_id, schema, lang_code in self._groups(lang):
            reader = self._searcher(pack_id).reader()
            for field in (f"title_{lang_code}", f"body_{lang_code}"):
                terms = [t.text for t in schema[field].analyzer(word)]
                if not terms:
                    return True  # a stop word: nothing to correct
                if all((field, t) in reader for t in terms):
                    return True
        return False

    def _near_words(self, word: str, lang: str | None, most: int = 8) -> str:
        """*word* or the library's words within one edit (two from six letters), as a query group."""
        maxdist = 2 if len(word) >= 6 else 1
        near = set()
        for pack_id, _schema, lang_code in self._groups(lang):
            reader = self._searcher(pack_id).reader()
            for field in (f"title_{lang_code}", f"body_{lang_code}"):
                near.update(reader.terms_within(field, word.lower(), maxdist, prefix=1))
        near.discard(word.lower())
        if not near:
            return word
        return "(" + " OR ".join([word] + sorted(near, key=lambda w: (edit_distance(word, w), w))[:most]) + ")"

    def _suggest(self, word: str, lang: str | None) -> str | None:
        """The closest word in the library (by edit distance, then how common it is), or two
        known words the typed one runs together ("presettled" -> "pre settled")."""
        found: dict[str, int] = {}
        maxdist = 1 if len(word) <= 4 else 2
        for pack_id, _schema, lang_code in self._groups(lang):
            searcher = self._searcher(pack_id)
            for field in (f"title_{lang_code}", f"body_{lang_code}"):
                for rank, suggestion in enumerate(searcher.corrector(field).suggest(word, limit=5,
                                                                                   maxdist=maxdist)):
                    found[suggestion] = min(found.get(suggestion, 99), rank)
        if found:
            return min(found, key=lambda s: (edit_distance(word, s), found[s], s))
        for cut in range(2, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if self._known(left, lang) and self._known(right, lang) and len(right) >= 3:
                return f"{left} {right}"
        return None

    def _search_one(self, pack_id, schema, lang, query, limit, kind, topic=None) -> list[Hit]:
        parsed = self._parser(pack_id, schema, lang).parse(query)
        searcher = self._searcher(pack_id)
        results = searcher.search(parsed, limit=limit, filter=self._filter(pack_id, lang, kind, topic))
        stems = {text.decode("utf-8") if isinstance(text, bytes) else text
                 for field, text in parsed.iter_all_terms() if field in (f"body_{lang}", f"summary_{lang}")}
        stemmer = self._stemmer(schema, lang)
        found = []
        for hit in results:
            marked = (make_snippet(hit.get(f"body_{lang}", ""), stems, stemmer)
                      or make_snippet(hit.get(f"summary_{lang}", ""), stems, stemmer)
                      or hit.get(f"summary_{lang}", ""))
            plain, rich = snippet_forms(marked)
            found.append(Hit(
                id=hit["id"], title=hit[f"title_{lang}"], kind=hit["kind"], language=hit["language"],
                pack=hit["pack"], score=round(float(hit.score), 4), snippet=plain, snippet_html=rich,
            ))
        return found
