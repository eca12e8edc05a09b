"""Reading commands: list, show, search, index, lint and languages. None of them imports Qt."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..guides.model import KINDS
from ..nations import NATIONS
from . import context
from .context import command
from .output import emit_json
from .types import language, positive_int


def add_commands(commands, parser_class) -> None:
    p = command(commands, "list", cmd_list, help="list every guide")
    p.add_argument("--nation", choices=NATIONS, help="only guides about this nation's law (UK-wide ones too)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = command(commands, "show", cmd_show, help="print one guide")
    p.add_argument("id", metavar="ID")
    p.add_argument("--format", choices=("text", "html"), default="text")

    p = command(commands, "search", cmd_search, help="search the guides")
    p.add_argument("query", metavar="QUERY", nargs="+")
    p.add_argument("--limit", type=positive_int, default=10, metavar="N")
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--lang", type=language, metavar="L")
    p.add_argument("--nation", choices=NATIONS, help="only guides about this nation's law (UK-wide ones too)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = command(commands, "languages", cmd_languages, help="the interface's languages, and how complete each one is")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = command(commands, "index", cmd_index, help="build the search index if it is out of date")
    p.add_argument("--rebuild", action="store_true", help="rebuild it from scratch")

    p = command(commands, "lint", cmd_lint, help="check pack source folders (default: the bundled content/)")
    p.add_argument("paths", metavar="PATH", nargs="*", type=Path)
    p.add_argument("--json", action="store_true", help="print a JSON report")


def cmd_list(args) -> int:
    library = context.library(args)
    guides = sorted((g for g in library if g.covers(args.nation or "")), key=lambda g: (g.kind, g.title.lower()))
    if args.json:
        from ..guides import schema
        rows = [{  # every listed front-matter field (guides.schema), and what the library knows of it
            **schema.to_data(g), "translation_of": g.translation_of or None, "pack": g.pack,
            "overdue": g.is_overdue(),
            "translations": [{"id": t.id, "language": t.language} for t in library.translations(g)],
            "path": str(g.path),
        } for g in guides]
        emit_json(rows)
        return 0
    if not guides:
        print("The library has no guides.")
        return 0
    width = max(len(g.id) for g in guides)
    for g in guides:
        flag = "  (review overdue)" if g.is_overdue() else ""
        print(f"{g.id:<{width}}  {g.kind:<11}  {g.language:<5}  {g.reviewed}  {g.title}{flag}")
    return 0


def cmd_show(args) -> int:
    from ..guides.render import guide_page, guide_text
    library = context.library(args)
    guide = library.open(args.id, context.shared(args))
    if args.format == "html":
        print(guide_page(guide, library, shared=context.shared(args),
                         nation=context.current_settings(args).get("organisation.nation")))
    else:
        sys.stdout.write(guide_text(guide, library))
    return 0


def _open_index(library, rebuild=False):
    from ..search.query import SearchIndex
    index = SearchIndex(library).open(rebuild=rebuild)
    for notice in index.notices:
        print(f"caseguide: note: {notice}", file=sys.stderr)
    return index


def cmd_search(args) -> int:
    library = context.library(args)
    query = " ".join(args.query)
    prefer = context.current_settings(args).get("organisation.nation")  # the centre's nation's guides first
    results = _open_index(library).forgiving_search(query, limit=args.limit, kind=args.kind, lang=args.lang,
                                                    nation=args.nation, prefer=prefer)
    hits = results.hits
    if args.json:  # the hits of the corrected search, when a correction was made
        emit_json([h.as_dict() for h in hits])
        return 0
    if results.corrected:
        print(f"Showing results for: {results.query}  (you typed: {results.original})\n")
    if not hits:
        print("No guides match. Try fewer or different words.")
        return 0
    for number, hit in enumerate(hits, start=1):
        print(f"{number}. {hit.title}  [{hit.id}]\n   {hit.snippet}\n")
    return 0


def cmd_languages(args) -> int:
    from .. import i18n
    rows = [i18n.language_info(code) for code in i18n.available()]
    if args.json:
        emit_json([r.as_dict() for r in rows])
        return 0
    for r in rows:
        state = "reviewed" if r.reviewed else "draft, not yet reviewed by a native speaker"
        print(f"{r.code:<5}  {r.name:<20}  {round(r.complete * 100):>3}% translated  "
              f"{'right to left  ' if r.rtl else ''}{state}")
    return 0


def cmd_index(args) -> int:
    library = context.library(args)
    started = time.perf_counter()
    index = _open_index(library, rebuild=args.rebuild)
    seconds = time.perf_counter() - started
    where = ("in memory (on a shared PC it is never kept on disk)" if library.machine_only
             else "in memory" if index.in_memory else f"in {index.cache_dir}")
    print(f"Index ready: {len(library)} guides in {len(library.packs)} "
          f"pack{'s' if len(library.packs) != 1 else ''}, {where} ({seconds:.1f} s).")
    return 0


def cmd_lint(args) -> int:
    from .. import resources
    from ..library.lint import MIN_EASE, MIN_WORDS, lint
    report = lint(args.paths or [resources.bundled_content_dir()])
    if args.json:
        emit_json(report.as_dict())
        return 1 if report.errors else 0
    for finding in report.findings:
        print(finding)
    if report.guides:
        print(f"\n{'words':>6}  {'ease':>5}  guide")
        for stats in sorted(report.guides, key=lambda g: g.id):
            ease = "-" if stats.reading_ease is None else f"{stats.reading_ease:.0f}"
            low = stats.words < MIN_WORDS or (stats.reading_ease is not None and stats.reading_ease < MIN_EASE)
            print(f"{stats.words:>6}  {ease:>5}  {stats.id}{'  <-' if low else ''}")
    print(f"\n{len(report.guides)} guides checked: {report.errors} error{'s' if report.errors != 1 else ''}, "
          f"{report.warnings} warning{'s' if report.warnings != 1 else ''}.")
    return 1 if report.errors else 0
