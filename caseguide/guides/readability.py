"""Word counts and Flesch reading ease for English text.

The syllable count is the usual vowel-group heuristic: good enough to tell
plain English (60 and over) from dense prose (under 50), which is all the lint
needs. Other languages get a word count only.
"""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END_RE = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n|\n(?=\s*(?:[-*]|\d+\.)\s)")
_VOWELS_RE = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    word = word.lower().replace("’", "'").split("'")[0]
    if len(word) <= 3:
        return 1
    count = len(_VOWELS_RE.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        count -= 1
    if word.endswith(("ed", "es")) and not word.endswith(("ted", "ded", "ses", "zes", "ces", "ges")):
        count -= 1 if count > 1 else 0
    return max(count, 1)


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def word_count(text: str) -> int:
    return len(text.split())


def reading_ease(text: str) -> float | None:
    """Flesch reading ease of English *text*; None if there is too little to judge."""
    found = words(text)
    if len(found) < 20:
        return None
    sentences = [s for s in _SENTENCE_END_RE.split(text) if s and words(s)]
    n_sentences = max(len(sentences), 1)
    n_syllables = sum(syllables(w) for w in found)
    return round(206.835 - 1.015 * len(found) / n_sentences - 84.6 * n_syllables / len(found), 1)
