"""Text from outside made safe to show: nothing in it can reorder, hide or fake what a person reads.

A guide's title, a pack's publisher or a link's address is written by someone else. Unicode's
direction controls (U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates) can make
"https://www.gov.uk/..." out of the characters of another address, zero-width characters can hide
words, and a terminal obeys escape sequences. These functions take out what can spoof and keep what
real text needs: ZWNJ (U+200C) and ZWJ (U+200D) stay, because Arabic, Farsi and Urdu words need them,
and the direction marks LRM, RLM and ALM stay in text that has right-to-left letters, where they
place punctuation and numbers, but go from text that has none, where they can only mislead.
"""

from __future__ import annotations

import re

# Embeddings, overrides and isolates; zero-width space, word joiner and invisible operators; the
# byte order mark; interlinear annotations; and the invisible "tag" characters.
_SPOOFING = "\u202a-\u202e\u2066-\u2069\u200b\u2060-\u2064\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
_MARKS = "\u200e\u200f\u061c"  # LRM, RLM, ALM
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 but tab and newline, DEL, C1
_SPOOF_RE = re.compile(f"[{_SPOOFING}{_CONTROLS}]")
_MARKS_RE = re.compile(f"[{_MARKS}]")
_LINE_BREAKS_RE = re.compile("[\u2028\u2029]")
# Letters of the scripts written right to left (Hebrew, Arabic, Syriac, Thaana, NKo... and the
# Arabic presentation forms).
_RTL_RE = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
_URL_UNSAFE_RE = re.compile(f"[{_SPOOFING}{_MARKS}{_CONTROLS}\\s\u00ad\u034f\u115f\u1160\u17b4\u17b5"
                            "\u180b-\u180e\u200c\u200d\u3164\uffa0]")
# Terminal escape sequences: CSI (ESC [ ... final byte) whole, any other escape's first two
# characters; what is left of an OSC string is inert text once its ESC is gone.
_ESCAPE_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b.?|\x9b[0-?]*[ -/]*[@-~]", re.DOTALL)

LRI, PDI = "\u2066", "\u2069"


def has_rtl(text: str) -> bool:
    return bool(_RTL_RE.search(text))


def clean_text(text: str) -> str:
    """*text* with every character that can spoof what is shown taken out (see the module)."""
    text = _SPOOF_RE.sub("", _LINE_BREAKS_RE.sub(" ", text))
    if not has_rtl(text):
        text = _MARKS_RE.sub("", text)
    return text


def safe_url(url: str) -> str:
    """*url* with every invisible, direction or control character percent-encoded: the same address
    to a browser, and what a person reads is what will open."""
    return _URL_UNSAFE_RE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), url)


def isolated(text: str) -> str:
    """*text* as a left-to-right island (LRI ... PDI) that the text around it cannot reorder: for an
    address shown inside a sentence or a right-to-left window."""
    return f"{LRI}{text}{PDI}"


def terminal_text(text: str) -> str:
    """*text* safe to print on a terminal: escape sequences and control characters (other than
    newline and tab) removed, and spoofing characters as :func:`clean_text` takes them out."""
    return clean_text(_ESCAPE_RE.sub("", text).replace("\r\n", "\n")) if text else text
