"""Text from outside shown by Qt as text, never as markup."""

from __future__ import annotations

import html

from ..display import clean_text


def plain_tooltip(text: str) -> str:
    """A tooltip that shows *text* as it is: Qt renders any tooltip that looks like HTML as HTML, so
    a guide titled '<img src=...>' or '<b>' would otherwise be drawn, not read."""
    return f"<p>{html.escape(clean_text(text))}</p>" if text else ""
