"""The ``caseguide`` command.

With no arguments it opens the window. The reading commands (list, show,
search, index) never import Qt, so they are fast and work on a machine with no
display. Exit codes: 0 done; 1 the operation could not be done (the message on
stderr says what and why); 2 the command line was wrong.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from pathlib import Path

from . import APP_NAME, __version__
from .errors import CaseGuideError
from .guide import KINDS, LANGUAGE_RE

log = logging.getLogger("caseguide")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: one line and the hint, exit 2
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive_int(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to 1000")
    return int(text)


def _language(text: str) -> str:
    if not LANGUAGE_RE.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a language tag such as en or ar")
    return text


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{2,5})x(\d{2,5})", text)
    if not match or not all(200 <= int(n) <= 8000 for n in match.groups()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 1280x800 (200 to 8000 pixels)")
    return int(match.group(1)), int(match.group(2))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="caseguide",
        description=f"{APP_NAME}: offline guides on data rights, privacy and immigration data sharing. "
                    "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--library", metavar="DIR", type=Path,
                        help="read the pack source folder DIR (or the packs inside it) "
                             "instead of the bundled and installed packs")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = commands.add_parser("list", help="list every guide")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = commands.add_parser("show", help="print one guide")
    p.add_argument("id", metavar="ID")
    p.add_argument("--format", choices=("text", "html"), default="text")

    p = commands.add_parser("search", help="search the guides")
    p.add_argument("query", metavar="QUERY", nargs="+")
    p.add_argument("--limit", type=_positive_int, default=10, metavar="N")
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--lang", type=_language, metavar="L")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = commands.add_parser("index", help="build the search index if it is out of date")
    p.add_argument("--rebuild", action="store_true", help="rebuild it from scratch")

    p = commands.add_parser("lint", help="check pack source folders (default: the bundled content/)")
    p.add_argument("paths", metavar="PATH", nargs="*", type=Path)
    p.add_argument("--json", action="store_true", help="print a JSON report")

    p = commands.add_parser("screenshot", help="save a picture of the window (no display needed)")
    p.add_argument("out", metavar="OUT.png", type=Path)
    p.add_argument("--search", metavar="QUERY")
    p.add_argument("--open", metavar="ID", dest="open_id")
    p.add_argument("--size", type=_size, default=(1280, 800), metavar="WxH")
    return parser


# Commands ---------------------------------------------------------------------

def _library(args):
    from .library import Library
    return Library.discover(args.library)


def cmd_list(args) -> int:
    library = _library(args)
    guides = sorted(library, key=lambda g: (g.kind, g.title.lower()))
    if args.json:
        rows = [{
            "id": g.id, "title": g.title, "summary": g.summary, "kind": g.kind,
            "topics": list(g.topics), "language": g.language, "audience": g.audience,
            "pack": g.pack, "reviewed": g.reviewed.isoformat(),
            "review_due": g.review_due.isoformat(), "overdue": g.is_overdue(),
            "path": str(g.path),
        } for g in guides]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
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
    from .render import guide_page, guide_text
    library = _library(args)
    guide = library.get(args.id)
    if args.format == "html":
        print(guide_page(guide, library))
    else:
        sys.stdout.write(guide_text(guide, library))
    return 0


def _open_index(library, rebuild=False):
    from .search import SearchIndex
    index = SearchIndex(library).open(rebuild=rebuild)
    for notice in index.notices:
        print(f"caseguide: note: {notice}", file=sys.stderr)
    return index


def cmd_search(args) -> int:
    library = _library(args)
    query = " ".join(args.query)
    hits = _open_index(library).search(query, limit=args.limit, kind=args.kind, lang=args.lang)
    if args.json:
        print(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("No guides match. Try fewer or different words.")
        return 0
    for number, hit in enumerate(hits, start=1):
        print(f"{number}. {hit.title}  [{hit.id}]\n   {hit.snippet}\n")
    return 0


def cmd_index(args) -> int:
    library = _library(args)
    started = time.perf_counter()
    index = _open_index(library, rebuild=args.rebuild)
    seconds = time.perf_counter() - started
    where = "in memory" if index.in_memory else f"in {index.cache_dir}"
    print(f"Index ready: {len(library)} guides in {len(library.packs)} "
          f"pack{'s' if len(library.packs) != 1 else ''}, {where} ({seconds:.1f} s).")
    return 0


def cmd_lint(args) -> int:
    from . import resources
    from .lint import MIN_EASE, MIN_WORDS, lint
    report = lint(args.paths or [resources.bundled_content_dir()])
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
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


def cmd_screenshot(args) -> int:
    from .gui.screenshot import screenshot
    screenshot(args.library, args.out, size=args.size, search=args.search, open_id=args.open_id)
    print(f"Saved {args.out}")
    return 0


def cmd_gui(args) -> int:
    from .gui.app import run
    return run(args.library)


COMMANDS = {"list": cmd_list, "show": cmd_show, "search": cmd_search, "index": cmd_index,
            "lint": cmd_lint, "screenshot": cmd_screenshot, None: cmd_gui}


class _LogFormatter(logging.Formatter):
    def format(self, record):
        return f"caseguide: {record.levelname.lower()}: {record.getMessage()}"


def _setup_logging() -> None:
    """Problems go to stderr. Nothing a person searched, read or typed is ever logged."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LogFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    _setup_logging()
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except CaseGuideError as exc:
        print(f"caseguide: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `caseguide list | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
