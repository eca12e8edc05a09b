"""Colours that are readable, and the contrast arithmetic the focus ring (focus_ring) uses.

:func:`readable_palette` moves any text colour with less than 4.5:1 contrast against its
background (Fusion's white on light blue for a selected row has 3.7:1; its placeholder text
4.0:1). It is applied before the window's first paint; the focus ring, whose Qt classes cost
start-up time, is added just after it (issue 26).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette


def luminance(color: QColor) -> float:
    """Relative luminance (WCAG 2.2) of an sRGB colour."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def over(color: QColor, background: QColor) -> QColor:
    """*color* as it shows on *background* (a see-through colour blended with it)."""
    a = color.alphaF()
    if a >= 1.0:
        return color.__copy__()  # not QColor(color), which builds Qt's enum namespace
    return QColor.fromRgbF(*(a * c + (1 - a) * b for c, b in zip(
        (color.redF(), color.greenF(), color.blueF()), (background.redF(), background.greenF(), background.blueF()))))


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


TEXT_CONTRAST = 4.5
R = QPalette.ColorRole
# Text colours and what they are read against (WCAG 2.2 AA: 4.5:1 for text).
TEXT_PAIRS = [(R.WindowText, R.Window), (R.Text, R.Base), (R.Text, R.AlternateBase), (R.ButtonText, R.Button),
              (R.HighlightedText, R.Highlight), (R.PlaceholderText, R.Base), (R.Link, R.Base),
              (R.ToolTipText, R.ToolTipBase)]


def readable(color: QColor, background: QColor, ratio: float = TEXT_CONTRAST) -> QColor:
    """*color*, moved away from *background* (darker on a light one, lighter on a dark one) until
    they have *ratio* contrast; unchanged if they already do."""
    toward_dark = luminance(background) >= 0.18
    color = over(color, background)
    for _ in range(50):
        if contrast(color, background) >= ratio:
            return color
        h, s, l_, a = color.getHslF()
        color = QColor.fromHslF(max(h, 0.0), s, max(0.0, l_ - 0.03) if toward_dark else min(1.0, l_ + 0.03), 1.0)
    return QColor("black") if toward_dark else QColor("white")


def readable_palette(palette: QPalette) -> QPalette:
    """*palette* with every text colour readable against its background, in the active and inactive
    groups (disabled controls are exempt). For selected text and alternate rows the background is
    the one moved (the selection is darkened behind white text), since the text must stay as it is."""
    palette = palette.__copy__()  # not QPalette(palette): that builds Qt's enum namespace before the first paint
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for text_role, background_role in TEXT_PAIRS:
            text, background = palette.color(group, text_role), palette.color(group, background_role)
            if contrast(over(text, background), background) >= TEXT_CONTRAST:
                continue
            if text_role == R.HighlightedText or background_role == R.AlternateBase:
                # The text must stay as it is (white on the selection; the same text on every row).
                palette.setColor(group, background_role, readable(background, text))
            else:
                palette.setColor(group, text_role, readable(text, background))
    return palette


_palette_done = False


def install(app) -> None:
    """Give *app* readable colours, once."""
    global _palette_done
    if not _palette_done:
        app.setPalette(readable_palette(app.palette()))
        _palette_done = True
