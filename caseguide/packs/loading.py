"""A pack's guides, read file by file: the one loop the library, lint and pack checks share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import GuideError
from ..guides.model import Guide, LoadProblem, load_guide

if TYPE_CHECKING:
    from .source import PackSource  # the window lists its library before tomllib is imported


def parse_pack(pack: PackSource) -> list[Guide | LoadProblem]:
    """Each guide file of *pack* parsed, in file order: a Guide, or the problem that stopped it."""
    results: list[Guide | LoadProblem] = []
    for path in pack.guide_files():
        try:
            results.append(load_guide(path, pack.id))
        except GuideError as exc:
            results.append(LoadProblem(exc.path, exc.reason, exc.line))
    return results


def load_guides(packs, parsed: dict | None = None, read=parse_pack) -> tuple[dict, list[LoadProblem]]:
    """Every valid guide of *packs*, by id, in pack order; and what could not be loaded.

    The one loop for the library, lint and pack checks: the first file to claim an id keeps it.
    *parsed* maps pack folders to :func:`parse_pack` results already made (an installed pack's
    folder never changes), and is filled in, by *read(pack)*, for the others.
    """
    parsed = {} if parsed is None else parsed
    guides: dict = {}
    problems: list[LoadProblem] = []
    for pack in packs:
        results = parsed.get(pack.root)
        if results is None:
            results = parsed[pack.root] = read(pack)
        for result in results:
            if isinstance(result, LoadProblem):
                problems.append(result)
            elif result.id in guides:
                problems.append(LoadProblem(result.path, guide_id=result.id, duplicate_of=guides[result.id].path))
            else:
                guides[result.id] = result
    return guides, problems


