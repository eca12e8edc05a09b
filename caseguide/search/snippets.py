"""Search-result snippets: the whole sentence (or two) of a guide that best answers the query.

Qt-free, like the rest of the core. The index stores each guide's body as plain text
(render.html_to_text): blocks between blank lines, list items on lines of their own. A snippet is
one sentence, or two neighbouring sentences of one paragraph, whichever covers the most of the
query's words, with those words marked; it is never pieced together from separate places, so it
reads as the guide says it. Only a sentence too long for a result line is cut, at a word, with "…".
"""

from __future__ import annotations

import re
from array import array

from ..guides.markup import esc

_HL_START, _HL_END = "\x02", "\x03"
TEXT_WORD_RE = re.compile(r"\w+")

MAX_SNIPPET = 260  # characters: about three lines of a result at the usual width
MIN_SUBSTANCE = 20  # characters: a shorter sentence ("A&E.") is a lead-in, not an answer
_ITEM_RE = re.compile(r"^[ \t]*(?:[-*\u2022]|\d+\.)[ \t]+")
# A sentence ends at . ! or ? (and any closing quote or bracket) before a space and a capital,
# a digit or an opening quote; "e.g. this" and "St. Mary's" are rare enough in guides to accept.
_SENTENCE_END_RE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]]))\s+(?=[\"'“‘(\[]?[A-Z0-9\u0600-\u06ff])")
_CELL_RE = re.compile(r"[ \t]*\|[ \t]*")
_ITEM_IN_RE = re.compile(r"\n\s*(?:[-*\u2022]|\d+\.)[ \t]+")
_PROSE_ENDS = frozenset(".!?:;\"'”’)")


class Stemmer:
    """The index's own analyzer applied to one word at a time, remembered: snippets need it for
    every word of every hit's text, and a library's words repeat."""

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self.cache: dict[str, str | None] = {}

    def __call__(self, word: str) -> str | None:
        try:
            return self.cache[word]
        except KeyError:
            tokens = [t.text for t in self.analyzer(word)]
            stem = self.cache[word] = tokens[0] if tokens else None
            if len(self.cache) > 200_000:
                self.cache.clear()
            return stem


HEADING, ITEM, SENTENCE = 0, 1, 2  # kinds of unit, in the order a snippet prefers them


def sentences(text: str) -> list[tuple[int, int, int, int]]:
    """(start, end, line, kind) for each sentence, list item, table row and heading of *text*;
    *line* is where its line starts. See :func:`line_units`."""
    units, start = [], 0
    while start <= len(text):
        units += line_units(text, start)
        end = text.find("\n", start)
        if end < 0:
            break
        start = end + 1
    return units


def line_units(text: str, offset: int) -> list[tuple[int, int, int, int]]:
    """The units of the line of *text* that starts at *offset*.

    A line that ends in punctuation is prose, split into sentences; a list item or table row is
    one unit, or its sentences; any other line is a heading. Only units of one line (a paragraph,
    an item) are ever shown together, and an introduction with the item after it."""
    stop = text.find("\n", offset)
    line = text[offset:stop if stop >= 0 else len(text)]
    marker = _ITEM_RE.match(line)
    body = line[marker.end() if marker else 0:].rstrip()
    if not body.strip():
        return []
    start = offset + (marker.end() if marker else len(line) - len(line.lstrip()))
    end = offset + len(body) + (marker.end() if marker else 0)
    if "|" in body and not marker:
        return [(start, end, offset, ITEM)]  # a table row
    if body[-1:] not in _PROSE_ENDS:
        return [(start, end, offset, ITEM if marker else HEADING)]
    units, position = [], start
    for piece in _SENTENCE_END_RE.split(text[start:end]):
        at = text.find(piece, position)
        units.append((at, at + len(piece), offset, ITEM if marker else SENTENCE))
        position = at + len(piece)
    return units


def encode_units(text: str) -> bytes:
    """:func:`sentences` of *text*, packed: worked out once when a guide is indexed and kept with it,
    so a search never splits a guide into sentences."""
    return array("I", [n for unit in sentences(text) for n in unit]).tobytes()


def decode_units(data: bytes) -> list[tuple[int, int, int, int]]:
    numbers = array("I")
    numbers.frombytes(data)
    return list(zip(numbers[0::4], numbers[1::4], numbers[2::4], numbers[3::4]))


def _units_near(text: str, matches, units=None) -> list[tuple[int, int, int, int]]:
    """The units of the lines that hold *matches*, and of the line after each: all a snippet can
    be made of. *units* are the text's :func:`sentences`, where the index kept them; without them
    only those lines are split."""
    starts = {text.rfind("\n", 0, a) + 1 for a, _, _ in matches}
    for line_start in list(starts):
        following = text.find("\n", line_start)
        while following >= 0:
            following += 1
            end = text.find("\n", following)
            if text[following:end if end >= 0 else len(text)].strip():
                starts.add(following)
                break
            following = end
    if units is not None:
        return [unit for unit in units if unit[2] in starts]
    return sorted(unit for line_start in starts for unit in line_units(text, line_start))


class Marker:
    """Finds a query's concepts in a guide's text.

    *wanted* holds, per concept, its members as tuples of stems; a member of several words matches
    only where its words stand together (stop words between them allowed, as the index allows).
    Made once per search and used for each hit: a regular expression finds the few words that
    could have a wanted stem (a stem keeps the start of its word), and only those are stemmed,
    which is a tenth of the work of stemming every word of every hit.
    """

    def __init__(self, wanted: list[list[tuple[str, ...]]], stem: Stemmer, suffixes_only: bool = False):
        self.stem = stem
        self.single: dict[str, int] = {}
        self.phrases: list[tuple[tuple[str, ...], int, re.Pattern]] = []
        for number, members in enumerate(wanted):
            for member in members:
                if len(member) == 1:
                    self.single.setdefault(member[0], number)
                else:
                    words = [rf"\w*?{re.escape(_start(s))}\w*" for s in member]
                    pattern = re.compile(r"\b" + r"(?:\W+\w+){0,2}?\W+".join(words), re.IGNORECASE)
                    self.phrases.append((member, number, pattern))
        starts = sorted({_start(s) for s in self.single}, key=len, reverse=True)
        # A stemmer that changes only endings (English's) keeps the start of the word; others
        # (Arabic's) may take letters off the front too.
        before = "" if suffixes_only else r"\w*?"
        self.words = (re.compile(rf"\b{before}(?:" + "|".join(map(re.escape, starts)) + r")\w*", re.IGNORECASE)
                      if starts else None)

    def __call__(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, concept number) for every place in *text* a concept's member occurs."""
        found = set()
        if self.words is not None:
            for m in self.words.finditer(text):
                number = self.single.get(self.stem(m.group().lower()))
                if number is not None:
                    found.add((m.start(), m.end(), number))
        for member, number, pattern in self.phrases:
            for m in pattern.finditer(text):
                words = list(TEXT_WORD_RE.finditer(m.group()))
                content = [w for w in words if self.stem(w.group().lower()) is not None]
                if tuple(self.stem(w.group().lower()) for w in content) == member:
                    found.update((m.start() + w.start(), m.start() + w.end(), number) for w in content)
        return sorted(found)


def _start(stem: str) -> str:
    """What every word with *stem* starts with: stemmers change only a word's ending, and may turn
    its last letter (the y of "happy" in "happi"), so all but the last of a stem that long."""
    return stem[:-1] if len(stem) > 3 else stem


def make_snippet(text: str, marker: Marker, units: bytes | None = None) -> str:
    """The sentence or two of *text* that covers most of the query's concepts, its matches marked;
    "" if none of them occurs. *units*: the text's :func:`encode_units`, if the index kept them."""
    matches = marker(text)
    if not matches:
        return ""
    units = _units_near(text, matches, decode_units(units) if units else None)
    if not units:
        return ""

    def concepts_in(start, end):
        return {n for a, b, n in matches if a >= start and b <= end}

    best = None
    for i, (start, end, line, kind) in enumerate(units):
        candidates = [(start, end)]
        if i + 1 < len(units) and units[i + 1][1] - start <= MAX_SNIPPET:
            after = units[i + 1]
            if kind != HEADING and after[2] == line:
                candidates.append((start, after[1]))  # two sentences of one paragraph or item
            elif text[start:end].endswith(":") and after[3] == ITEM:
                candidates.append((start, after[1]))  # "It does not hide it from:" and the first item
        for a, b in candidates:
            covered = concepts_in(a, b)
            if not covered:
                continue
            # Most concepts; then a sentence over a list line over a heading; then a sentence
            # with something to say ("A&E." alone has not, nor "This is:" without what it is);
            # then one sentence rather than two;
            # then the earliest (guides put the point first).
            substantial = b - a >= MIN_SUBSTANCE and not text[a:b].endswith(":")
            key = (len(covered), kind, substantial, b == end, -a)
            if best is None or key > best[0]:
                best = (key, a, b)
    if best is None:
        return ""
    _, start, end = best
    return _mark(text, start, end, sorted({(a, b) for a, b, _ in matches if a >= start and b <= end}))


def _mark(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """text[start:end] with *spans* marked, cut at words to MAX_SNIPPET around the first span."""
    prefix = suffix = ""
    if end - start > MAX_SNIPPET:
        first = spans[0][0]
        cut_start = max(start, min(first - MAX_SNIPPET // 3, end - MAX_SNIPPET))
        if cut_start > start:
            cut_start = text.find(" ", cut_start, first) + 1 or cut_start
            prefix = "… "
        cut_end = cut_start + MAX_SNIPPET
        if cut_end < end:
            space = text.rfind(" ", max(cut_start, spans[0][1]), cut_end)
            cut_end = space if space > 0 else cut_end
            suffix = " …"
        start, end = cut_start, min(end, cut_end)
    out, position = [prefix], start
    for a, b in spans:
        if a < position or b > end:
            continue  # outside the cut, or the same word matched for a second concept
        out += [text[position:a], _HL_START, text[a:b], _HL_END]
        position = b
    out.append(text[position:end])
    out.append(suffix)
    return "".join(out)


def snippet_forms(marked: str) -> tuple[str, str]:
    """Plain and HTML forms of a marked snippet, as one line of running text (a table row's
    cells are set apart with a dash)."""
    marked = _ITEM_IN_RE.sub(" ", marked.strip())  # an introduction and its first list item
    marked = _CELL_RE.sub(" \u2013 ", marked)
    marked = " ".join(marked.split())
    plain = marked.replace(_HL_START, "").replace(_HL_END, "")
    rich = esc(marked).replace(_HL_START, "<b>").replace(_HL_END, "</b>")
    return plain, rich
