"""What a search looks for: the query's words grouped into concepts, without its stop words.

A person types "can my landlord check my status". The words that say what it is about are
*landlord*, *check* and *status*; "can" and "my" would match nearly every guide and say nothing.
Each remaining word (or a synonym phrase such as "right to rent") is one :class:`Concept`, with
every way of writing it that the synonyms give. Ranking counts how many concepts a guide covers,
and the results say which ones no guide covers.

Qt-free and Whoosh-free: the plan is words; :mod:`caseguide.search.query` turns it into queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Words that carry no topic: Whoosh's English stop list (the index drops these itself) and the
# question words, pronouns and helping verbs people put round what they mean.
STOP_WORDS = frozenset("""
a an and are as at be by can for from have if in is it may not of on or tbd that the this to us we
when will with yet you your
i i'm im me my mine myself our ours he she him her his hers they them their theirs its it's
do does did doing done am was were been being has had having would should could might must shall
what which who whom whose why how where whether there here
about into onto over under than then so too very just also any some all each every no please
""".split())

# A word: letters and digits, with the marks and joiners that belong inside one (Arabic vowel
# marks, the Persian zero-width non-joiner of "می‌خواهم"), and an apostrophe, hyphen, dot or
# ampersand between two letters ("someone's", "covid-19", "a&e").
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d"
WORD_RE = re.compile(rf"[^\W_](?:[^\W_]|[{_MARKS}]|['’\-.&](?=[^\W_]))*")
MAX_CONCEPTS = 12  # a pasted paragraph is searched for its first twelve topic words


@dataclass(frozen=True)
class Concept:
    """One thing the query asks about: *label* as the person typed it, *members* every way of
    writing it (each a phrase of one or more words: the typed words first, then synonyms)."""

    label: str
    members: tuple[str, ...]
    typed: tuple[str, ...] = field(default=(), compare=False)  # the words typed for it, lower case


@dataclass(frozen=True)
class Plan:
    query: str  # the whole query, tidied
    concepts: tuple[Concept, ...]

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.concepts]


def is_stop_word(word: str) -> bool:
    return word.lower().replace("’", "'") in STOP_WORDS or len(word) < 2 and not word.isdigit()


def make_plan(query: str, synonyms=None) -> Plan:
    """The concepts of *query*: synonym phrases first (longest wins), then each other word that is
    not a stop word; a concept typed twice counts once. A query of nothing but stop words ("what",
    or "can my" on the way to "can my landlord") is searched for them all the same."""
    query = " ".join(query.split())[:500]
    spans = synonyms.spans(query) if synonyms is not None else []
    concepts: list[Concept] = []
    seen: set[str] = set()
    position = 0

    def add(label: str, members, typed) -> None:
        key = " ".join(sorted(m.lower() for m in members))
        if key not in seen and len(concepts) < MAX_CONCEPTS:
            seen.add(key)
            concepts.append(Concept(label, tuple(members), tuple(typed)))

    def words_between(start: int, end: int, keep_stop_words: bool = False) -> None:
        for match in WORD_RE.finditer(query, start, end):
            word = match.group(0)
            if keep_stop_words or not is_stop_word(word):
                add(word, (word.lower(),), (word.lower(),))

    for start, end, group in spans:
        words_between(position, start)
        typed = query[start:end]
        normal = " ".join(typed.lower().split())
        members = [normal] + sorted(m for m in group if m != normal)
        add(typed, members, [w.lower() for w in WORD_RE.findall(typed)])
        position = end
    words_between(position, len(query))
    if not concepts:
        words_between(0, len(query), keep_stop_words=True)
    return Plan(query, tuple(concepts))
