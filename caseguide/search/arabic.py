"""Searching Arabic-script text (Arabic, Farsi, Urdu, Kurdish Sorani, Pashto) the way people type it.

People type without diacritics, with whichever alef or hamza form their keyboard gives, with the
Arabic or the Persian yeh and kaf, with or without the zero-width non-joiner Farsi uses inside words
(می‌خواهم / میخواهم), and with Arabic-Indic or Western digits. The index and the query are both
folded to one form before they are split into words, so any of these finds the guide.
"""

from __future__ import annotations

import re

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, Tokenizer
from whoosh.lang import NoStemmer, stemmer_for_language

ARABIC_SCRIPT_LANGUAGES = frozenset({"ar", "fa", "ur", "ckb", "ps", "ku", "sd", "ug"})

_DROP_RE = re.compile(
    "[\u064b-\u065f\u0670"  # harakat, tanwin, shadda, sukun, superscript alef: the diacritics
    "\u0640"  # tatweel, the stretching stroke
    "\u200c\u200d\u200e\u200f\u061c]"  # zero-width (non-)joiner, direction marks, Arabic letter mark
)
_FOLD = str.maketrans({
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  # أ إ آ ٱ -> ا
    "\u0624": "\u0648",  # ؤ -> و
    "\u0626": "\u064a", "\u0649": "\u064a", "\u06cc": "\u064a", "\u06d0": "\u064a",  # ئ ى ی ې -> ي
    "\u06a9": "\u0643", "\u06aa": "\u0643",  # ک ڪ -> ك
    "\u0629": "\u0647", "\u06c0": "\u0647", "\u06d5": "\u0647",  # ة ۀ ە -> ه
    "\u06c1": "\u0647", "\u06be": "\u0647",  # Urdu heh goal, heh doachashmee -> ه
    **{chr(0x0660 + n): str(n) for n in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + n): str(n) for n in range(10)},  # Extended (Persian, Urdu) digits
})


def fold(text: str) -> str:
    """*text* in the one form search compares: no diacritics or tatweel, one alef, yeh, kaf and heh,
    no zero-width joiners, Western digits."""
    return _DROP_RE.sub("", text).translate(_FOLD)


class FoldingTokenizer(Tokenizer):
    """Whoosh's word tokenizer, run on the folded text (folding first keeps a word whole: a diacritic
    or a zero-width non-joiner would otherwise split it in two)."""

    def __init__(self):
        self.words = RegexTokenizer()

    def __eq__(self, other):
        return isinstance(other, FoldingTokenizer)

    def __call__(self, value, **kwargs):
        return self.words(fold(value), **kwargs)


def analyzer(lang: str):
    """The analyzer for an Arabic-script language: folded, lower-cased, and stemmed where Whoosh has a
    stemmer (Arabic)."""
    chain = FoldingTokenizer() | LowercaseFilter()
    try:
        stem = stemmer_for_language(lang)
    except (NoStemmer, KeyError):
        return chain
    return chain | StemFilter(stemfn=stem, lang=lang)
