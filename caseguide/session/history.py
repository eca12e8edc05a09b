"""Back and forward, like a web browser: a list of places and a cursor."""

from __future__ import annotations

from dataclasses import dataclass

HOME = "home"


@dataclass
class Place:
    target: str  # "home" or a guide id
    scroll: int = 0


class History:
    def __init__(self, limit: int = 200):
        self._places: list[Place] = []
        self._cursor = -1
        self._limit = limit

    @property
    def current(self) -> Place | None:
        return self._places[self._cursor] if self._cursor >= 0 else None

    def visit(self, target: str) -> None:
        """Go somewhere new: forward history is dropped, as in a browser."""
        if self.current is not None and self.current.target == target:
            return
        del self._places[self._cursor + 1:]
        self._places.append(Place(target))
        if len(self._places) > self._limit:
            del self._places[0]
        self._cursor = len(self._places) - 1

    def can_go_back(self) -> bool:
        return self._cursor > 0

    def can_go_forward(self) -> bool:
        return self._cursor < len(self._places) - 1

    def back(self) -> Place | None:
        if not self.can_go_back():
            return None
        self._cursor -= 1
        return self.current

    def forward(self) -> Place | None:
        if not self.can_go_forward():
            return None
        self._cursor += 1
        return self.current

    def clear(self) -> None:
        self._places.clear()
        self._cursor = -1
