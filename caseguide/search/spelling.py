"""The library's own words, for correcting and completing what a person types.

A :class:`Vocabulary` holds the words of one index section (as written, not stemmed) with the
number of guides each is in. It answers in well under a millisecond, so every search can check
every word: Whoosh's own corrector walks an automaton over the term file and took 20 to 130 ms a
word here, which is why correction used to wait until a search found almost nothing.
"""

from __future__ import annotations

import bisect
from collections import defaultdict

MAX_WORD = 40  # longer "words" (codes, addresses run together) are never suggested


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance, counting a swap of two neighbours as one edit (Damerau); with *limit*,
    any distance over it is given as limit + 1, found sooner."""
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        if limit is not None and min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Vocabulary:
    """Words and how many guides have each; suggestions by edit distance, completions by prefix."""

    def __init__(self, frequencies: dict[str, int]):
        self.frequencies = {w: n for w, n in frequencies.items() if 0 < len(w) <= MAX_WORD}
        self.sorted = sorted(self.frequencies)
        # Candidates for a word: those with its first letter, and those with its second and third
        # (so a slip on the first letter is still caught).
        self._by_first: dict[str, list[str]] = defaultdict(list)
        self._by_next: dict[str, list[str]] = defaultdict(list)
        for word in self.sorted:
            self._by_first[word[0]].append(word)
            if len(word) >= 3:
                self._by_next[word[1:3]].append(word)

    def __contains__(self, word: str) -> bool:
        return word in self.frequencies

    def __len__(self) -> int:
        return len(self.frequencies)

    def near(self, word: str, maxdist: int) -> list[tuple[int, str]]:
        """(distance, word) for the words within *maxdist* edits of *word*, closest and then most
        common first; *word* itself is left out."""
        word = word.lower()
        candidates = set(self._by_first.get(word[:1], ()))
        if len(word) >= 3:
            candidates.update(self._by_next.get(word[1:3], ()))
        found = []
        for other in candidates:
            if other == word or abs(len(other) - len(word)) > maxdist:
                continue
            distance = edit_distance(word, other, maxdist)
            if distance <= maxdist:
                found.append((distance, other))
        found.sort(key=lambda item: (item[0], -self.frequencies[item[1]], item[1]))
        return found

    def complete(self, prefix: str) -> str | None:
        """The most common word that starts with *prefix* and is longer than it, or None."""
        prefix = prefix.lower()
        start = bisect.bisect_right(self.sorted, prefix)
        best = None
        for word in self.sorted[start:]:
            if not word.startswith(prefix):
                break
            if best is None or (self.frequencies[word], -len(word)) > (self.frequencies[best], -len(best)):
                best = word
        return best
