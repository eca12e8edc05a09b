""""Did you mean ...?": the nearest names to one a person mistyped (commands, guide ids, settings)."""

from __future__ import annotations

import difflib


def nearest(word: str, choices, n: int = 3) -> list[str]:
    """The *choices* a mistyped *word* most likely meant, best first: those that begin with it (or,
    for three letters or more, that it begins with), then the closest spellings (difflib)."""
    choices = [c for c in choices if isinstance(c, str)]
    low = word.lower()
    prefixed = [c for c in choices
                if c.lower().startswith(low) or (len(low) >= 3 and low.startswith(c.lower()))]
    close = difflib.get_close_matches(low, choices, n=n, cutoff=0.6)
    return list(dict.fromkeys(sorted(prefixed, key=len) + close))[:n]


def did_you_mean(guesses: list[str]) -> str:
    """'did you mean a or b? ' (with the space), or nothing when there is no guess."""
    return f"did you mean {' or '.join(guesses)}? " if guesses else ""
