"""Moving around the window without a mouse: the parts F6 cycles through, and the Tab order."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6 import QtCore
from PySide6.QtWidgets import QApplication, QWidget


class Region:
    """One part of the window: *area* is the widget that holds it; *target()* takes the focus."""

    def __init__(self, name: str, area: Callable[[], QWidget], target: Callable[[], QWidget | None]):
        self.name, self.area, self.target = name, area, target

    def contains(self, widget: QWidget | None) -> bool:
        area = self.area()
        return widget is not None and (widget is area or area.isAncestorOf(widget))


class RegionCycler:
    """F6 and Shift+F6: from whichever part has the focus to the next (or previous) one, round.

    Regions are tried in order to find where the focus is, so a region inside another (the search
    box inside the toolbar) comes first in *regions* and is skipped over when it is not the target.
    The order of moving is *order* (names), as a person sees the window.
    """

    def __init__(self, regions: Sequence[Region], order: Sequence[str]):
        self.regions = {r.name: r for r in regions}
        self.lookup = list(regions)
        self.order = list(order)

    def current(self) -> str | None:
        focus = QApplication.focusWidget()
        for region in self.lookup:
            if region.contains(focus):
                return region.name
        return None

    def move(self, step: int = 1) -> str | None:
        """Focus the next region that can take the focus; returns its name."""
        here = self.current()
        start = self.order.index(here) if here in self.order else (-1 if step > 0 else 0)
        for n in range(1, len(self.order) + 1):
            name = self.order[(start + step * n) % len(self.order)]
            widget = self.regions[name].target()
            if widget is not None and widget.isVisible() and widget.isEnabled():
                widget.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason if step > 0 else QtCore.Qt.FocusReason.BacktabFocusReason)
                return name
        return None


def first_focusable(widgets: Sequence[QWidget]) -> QWidget | None:
    """The first of *widgets* a person can move to now (shown and enabled)."""
    return next((w for w in widgets if w.isVisible() and w.isEnabled()
                 and w.focusPolicy() != QtCore.Qt.FocusPolicy.NoFocus), None)


def chain_tab_order(widgets: Sequence[QWidget]) -> None:
    """Tab visits *widgets* in this order (hidden or disabled ones are skipped by Qt)."""
    for before, after in zip(widgets, widgets[1:]):
        QWidget.setTabOrder(before, after)
