"""Words that mean the same thing to a search: abbreviations and people's own words.

A pack may hold a ``synonyms.toml``::

    groups = [
      ["brp", "biometric residence permit"],
      ["gp", "doctor", "surgery"],
    ]

Each group is a set of words and phrases that should find each other. At query
time a member found in the query stands for the whole group (see
:mod:`caseguide.search.plan`), so "BRP expired" also finds "biometric residence
permit" (and its highlights).
"""

from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path

from ..errors import CaseGuideError
from ..fsutil import read_small_file
from ..limits import check_depth

log = logging.getLogger(__name__)

FILE_NAME = "synonyms.toml"
MAX_BYTES = 64 * 1024
MAX_MEMBER = 60
# Every search runs the query through one pattern of all the members, and a member widens to its
# whole group: without these a pack's synonyms file could make every search slow (10,000 groups
# took 0.9 s to compile and 24 ms a query; 3,000 chained groups merged into one of 3,001 words).
MAX_GROUPS = 500  # in one file
MAX_MEMBERS = 2_000  # in the whole library
MAX_GROUP_SIZE = 16  # after groups that share a member are merged


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


class Synonyms:
    def __init__(self, groups=()):
        self._groups: dict[str, set[str]] = {}
        self._pattern = None
        skipped = sum(not self.add(group) for group in groups)
        if skipped:
            log.warning("ignored %d synonym group%s: the library may have at most %d words in groups of at most %d",
                        skipped, "s" if skipped != 1 else "", MAX_MEMBERS, MAX_GROUP_SIZE)

    def add(self, group) -> bool:
        """Add *group*, merged with any group it shares a member with; False (and nothing added) if
        that would pass MAX_GROUP_SIZE or MAX_MEMBERS."""
        members = {_normal(m) for m in group if _normal(m)}
        merged = set(members)
        for member in members:
            merged |= self._groups.get(member, set())
        if len(merged) > MAX_GROUP_SIZE or len(self._groups) + len(merged - self._groups.keys()) > MAX_MEMBERS:
            return False
        for member in merged:
            self._groups[member] = merged
        self._pattern = None
        return True

    def __len__(self) -> int:
        return len({id(g) for g in self._groups.values()})

    def group(self, member: str) -> set[str]:
        return self._groups.get(_normal(member), set())

    def _members_pattern(self) -> re.Pattern:
        if self._pattern is None:
            members = sorted(self._groups, key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<![\w&])(" + "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in members) + r")(?![\w&])",
                re.IGNORECASE)
        return self._pattern

    def spans(self, query: str) -> list[tuple[int, int, set[str]]]:
        """(start, end, group) for each member found in *query*, in order, longest first where
        two overlap."""
        if not self._groups:
            return []
        return [(m.start(), m.end(), self._groups[_normal(m.group(1))])
                for m in self._members_pattern().finditer(query)]


def load_pack_synonyms(root: Path) -> list[list[str]]:
    """The groups in *root*/synonyms.toml; a bad file is ignored with a warning, never fatal."""
    path = root / FILE_NAME
    try:
        raw = read_small_file(path, MAX_BYTES, "a synonyms file", optional=True)
        if raw is None:
            return []
        text = raw.decode("utf-8")
        check_depth(text, str(path))
        data = tomllib.loads(text)
        groups = data.get("groups", [])
        if isinstance(groups, list) and len(groups) > MAX_GROUPS:
            raise ValueError(f"it has more than {MAX_GROUPS} groups")
        if not isinstance(groups, list) or not all(
            isinstance(g, list) and len(g) >= 2 and all(isinstance(m, str) and 0 < len(m) <= MAX_MEMBER
                                                        and '"' not in m for m in g)
            for g in groups
        ):
            raise ValueError("'groups' must be a list of lists of two or more short words or phrases")
    except (CaseGuideError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        log.warning("ignored %s: %s", path, exc)
        return []
    return groups
