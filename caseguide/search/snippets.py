"""Search-result snippets: short windows of a guide's text around the words that matched.

Qt-free, like the rest of the core. The index stores each guide's body as plain text
(render.html_to_text); these functions cut it down to a fragment or two and mark the hits.
"""

from __future__ import annotations

import re

from ..guides.render import esc

_HL_START, _HL_END = "\x02", "\x03"
TEXT_WORD_RE = re.compile(r"\w+")

SNIPPET_CONTEXT = 50  # characters either side of a match
SNIPPET_SPAN = 120  # matches closer than this share a fragment


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


def make_snippet(text: str, stems: set[str], stem: Stemmer, fragments: int = 2) -> str:
    """Up to *fragments* windows of *text* around the words whose stems are in *stems*, marked.

    One pass over the text with a regular expression; the same result Whoosh's highlighter gives
    here, several times faster, because it neither re-runs the whole analyzer chain nor builds a
    token object per word.
    """
    matches = [(m.start(), m.end()) for m in TEXT_WORD_RE.finditer(text) if stem(m.group().lower()) in stems]
    if not matches:
        return ""
    groups: list[list[tuple[int, int]]] = [[matches[0]]]
    for match in matches[1:]:
        if match[1] - groups[-1][0][0] <= SNIPPET_SPAN:
            groups[-1].append(match)
        else:
            groups.append([match])
    best = sorted(sorted(groups, key=lambda g: (-len({text[a:b].lower() for a, b in g}), g[0][0]))[:fragments])
    merged: list[list[tuple[int, int]]] = []
    for group in best:  # windows that would overlap become one
        if merged and group[0][0] - SNIPPET_CONTEXT <= merged[-1][-1][1] + SNIPPET_CONTEXT:
            merged[-1] = merged[-1] + group
        else:
            merged.append(group)
    pieces = []
    for group in merged:
        start = max(0, group[0][0] - SNIPPET_CONTEXT)
        end = min(len(text), group[-1][1] + SNIPPET_CONTEXT)
        if start > 0:
            start = text.find(" ", start, group[0][0]) + 1 or start
        if end < len(text):
            cut = text.rfind(" ", group[-1][1], end)
            end = cut if cut > 0 else end
        out, position = [], start
        for a, b in group:
            out += [text[position:a], _HL_START, text[a:b], _HL_END]
            position = b
        out.append(text[position:end])
        pieces.append("".join(out).strip())
    return " … ".join(pieces)


_BULLET_RE = re.compile(r"(^|\n)[ \t]*(?:[-*\u2022]|\d+\.)[ \t]+")
_TRAILING_MARKER_RE = re.compile(r"\n[ \t]*(?:[-*\u2022]|\d+\.)?\s*$")  # a list item cut off at the end
_CELL_RE = re.compile(r"[ \t]*\|[ \t]*")
_LINE_BREAK_RE = re.compile(r"(?<![.!?:;,])[ \t]*\n\s*")


def snippet_forms(marked: str) -> tuple[str, str]:
    """Plain and HTML forms of a marked fragment, read as running text: list markers and table
    bars go, and a heading or list item that ends without punctuation is set off with a dot."""
    marked = _BULLET_RE.sub(r"\1", _TRAILING_MARKER_RE.sub("", marked.strip()))
    marked = _CELL_RE.sub(" \u2013 ", marked)
    marked = _LINE_BREAK_RE.sub(" \u00b7 ", marked)
    marked = " ".join(marked.split())
    plain = marked.replace(_HL_START, "").replace(_HL_END, "")
    rich = esc(marked).replace(_HL_START, "<b>").replace(_HL_END, "</b>")
    return plain, rich
