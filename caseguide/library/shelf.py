"""A caseworker's shelf: guides pinned to the home page, and what changed since they last looked.

Never used on a shared PC: there the window makes no Shelf, so this file is neither read nor
written. It lives in the per-user data folder (``paths.shelf_file()``) and holds exactly::

    {"format": 1,
     "pinned": ["gp-registration", ...],                 # guides pinned, in the order pinned
     "known": {"gp-registration": "2026-11-23", ...},    # every guide's id and reviewed date, as last looked at
     "changed": {"evisa-problems": "added", ...}}        # added or updated since, not opened or dismissed yet

Nothing about searches, no times of use, no list of what was read. A guide counts as updated when
its reviewed date moves (publishers set it when they change a guide). The file is checked on the
way in (size, types, counts, ids); a damaged one is set aside for an empty shelf, and says so.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import CaseGuideError
from ..fsutil import atomic_write, read_small_file
from ..guides.model import ID_RE

log = logging.getLogger(__name__)

FORMAT = 1
MAX_FILE_BYTES = 512 * 1024
MAX_PINNED = 200
MAX_GUIDES = 20_000
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CHANGES = ("added", "updated")


class ShelfDamaged(ValueError):
    pass


def _ids(value, limit: int) -> list[str]:
    if not isinstance(value, list) or len(value) > limit:
        raise ShelfDamaged("its list of pinned guides is not a list of guide ids")
    if not all(isinstance(i, str) and ID_RE.match(i) for i in value):
        raise ShelfDamaged("a pinned guide is not a guide id")
    return list(dict.fromkeys(value))


def _mapping(value, allowed, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or len(value) > MAX_GUIDES:
        raise ShelfDamaged(f"its {what} is not a table of guide ids")
    for key, item in value.items():
        if not (isinstance(key, str) and ID_RE.match(key) and isinstance(item, str) and allowed(item)):
            raise ShelfDamaged(f"its {what} holds something that is not a guide id and its value")
    return dict(value)


def parse(raw: bytes) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """(pinned, known, changed) from the file's bytes; raises ShelfDamaged saying what is wrong."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deep
        raise ShelfDamaged("it is not JSON text") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ShelfDamaged(f"it is not a format {FORMAT} shelf file")
    return (_ids(data.get("pinned", []), MAX_PINNED),
            _mapping(data.get("known", {}), _DATE_RE.match, "list of guides"),
            _mapping(data.get("changed", {}), CHANGES.__contains__, "list of changes"))


def stamp(guide) -> str:
    return guide.reviewed.isoformat()


@dataclass
class Shelf:
    path: Path
    pinned: list[str] = field(default_factory=list)
    known: dict[str, str] = field(default_factory=dict)
    changed: dict[str, str] = field(default_factory=dict)
    problem: str = ""  # what was wrong with the file, when it could not be used

    @classmethod
    def load(cls, path: Path | None = None) -> Shelf:
        path = Path(path) if path is not None else paths.shelf_file()
        try:
            raw = read_small_file(path, MAX_FILE_BYTES, "a CaseGuide shelf file", optional=True)
            if raw is None:
                return cls(path)
            pinned, known, changed = parse(raw)
        except (CaseGuideError, ShelfDamaged) as exc:
            log.warning("%s could not be used (%s); pinned guides start empty", path, exc)
            return cls(path, problem="Your pinned guides could not be read (the file that keeps them is "
                                     "damaged), so none are shown. Pin them again to keep them.")
        return cls(path, pinned, known, changed)

    def save(self) -> None:
        """Write the shelf whole or not at all; raises CaseGuideError if it cannot be written."""
        data = {"format": FORMAT, "pinned": self.pinned, "known": self.known, "changed": self.changed}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"),
                         mode=0o600)
        except OSError as exc:
            raise CaseGuideError(f"your pinned guides could not be saved in {self.path} "
                                 f"({exc.strerror or exc})") from None
        self.problem = ""

    # Pins -------------------------------------------------------------------------

    def is_pinned(self, guide_id: str) -> bool:
        return guide_id in self.pinned

    def pin(self, guide_id: str) -> None:
        if guide_id not in self.pinned and len(self.pinned) < MAX_PINNED:
            self.pinned.append(guide_id)
            self.save()

    def unpin(self, guide_id: str) -> None:
        if guide_id in self.pinned:
            self.pinned.remove(guide_id)
            self.save()

    # Changes ----------------------------------------------------------------------

    def notice(self, library) -> bool:
        """Compare *library* with the one last looked at: guides added, or whose reviewed date moved,
        join the changes. The first time there is nothing to compare with, so nothing is "new".
        Returns True if the shelf changed (and was saved)."""
        now = {g.id: stamp(g) for g in library}
        if not self.known:
            if not now:
                return False
            self.known = now
            self.save()
            return True
        changed = dict(self.changed)
        for guide_id, when in now.items():
            if guide_id not in self.known:
                changed[guide_id] = "added"
            elif self.known[guide_id] != when:
                changed.setdefault(guide_id, "updated")
        changed = {i: c for i, c in changed.items() if i in now}  # a guide that has gone is not news
        if changed == self.changed and now == self.known:
            return False
        self.changed, self.known = changed, now
        self.save()
        return True

    def looked_at(self, guide_id: str) -> None:
        """The person opened *guide_id*: it leaves the changes."""
        if self.changed.pop(guide_id, None) is not None:
            self.save()

    def dismiss(self) -> None:
        if self.changed:
            self.changed.clear()
            self.save()
