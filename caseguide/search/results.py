"""What a search gives back: :class:`Results` and its :class:`Hit` s.

Whoosh-free, so the window's search thread can answer before the engine is loaded.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .plan import WORD_RE


@dataclass
class Results:
    """What a search found, and which words it searched for."""

    hits: list
    query: str  # what was searched: the person's words, or the corrected ones
    original: str  # what the person typed
    corrected: bool = False
    fuzzy: bool = False
    corrections: dict = field(default_factory=dict)  # word typed (lower case) -> word searched
    concepts: list = field(default_factory=list)  # the topic words searched for, as typed
    partial: bool = False  # no guide matches all of the concepts: the hits are the closest
    # Hits whose snippets are still to be made (SearchIndex.complete), by hit id: where each is, and
    # what was searched. Empty once every hit has its snippet.
    later: dict = field(default_factory=dict, repr=False, compare=False)

    def corrected_parts(self) -> list[tuple[str, bool]]:
        """What was searched, as pieces of text, each True where it is a word that was corrected:
        "setled status" gives [("settled", True), (" status", False)]."""
        parts: list[tuple[str, bool]] = []
        position = 0
        for match in WORD_RE.finditer(self.original):
            new = self.corrections.get(match.group(0).lower())
            if new is not None:
                parts += [(self.original[position:match.start()], False), (new, True)]
                position = match.end()
        parts.append((self.original[position:], False))
        return [(text, changed) for text, changed in parts if text]


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
    matched: tuple = ()  # the query's topic words this guide has
    missing: tuple = ()  # the query's topic words it lacks
    nations: tuple = ()  # where the guide's content applies

    def as_dict(self) -> dict:
        return asdict(self)
