"""The four UK nations, whose laws differ: what a guide's `nations` and the organisation.nation
setting name, what each is called, and the words in a search that name one."""

from __future__ import annotations

import re

from .i18n import N_

NATIONS = ("england", "scotland", "wales", "northern-ireland")
ALL = "uk"  # in a guide's front matter: all four

LABELS = {  # English; marked for translation where they are shown: _(LABELS[nation])
    "england": N_("England"),
    "scotland": N_("Scotland"),
    "wales": N_("Wales"),
    "northern-ireland": N_("Northern Ireland"),
}

# A search that names a nation ("hospital bill Wales", "Scottish legal aid") asks about its rules.
_NAMED = [("northern-ireland", r"northern\s+ireland|northern\s+irish"), ("scotland", r"scotland|scottish"),
          ("wales", r"wales|welsh"), ("england", r"england")]
_NAMED_RE = re.compile(r"\b(?:" + "|".join(f"(?P<{n.replace('-', '_')}>{p})" for n, p in _NAMED) + r")\b",
                       re.IGNORECASE)


def named_in(text: str) -> str:
    """The nation *text* names, if it names exactly one; else ""."""
    found = {match.lastgroup.replace("_", "-") for match in _NAMED_RE.finditer(text)}
    return found.pop() if len(found) == 1 else ""
