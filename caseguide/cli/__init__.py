"""The ``caseguide`` command.

With no arguments it opens the window. The reading commands (list, show, search, index) never
import Qt, so they are fast and work on a machine with no display. Exit codes: 0 done; 1 the
operation could not be done (the message on stderr says what and why); 2 the command line was
wrong.

The parser is here; each group of commands is a module of its own, with its part of the parser
(guides: list, show, search, index, lint, languages; packs: pack, trust; config: settings; updates:
feed, update; window: the window, handout, screenshot). output.py is how anything is printed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import APP_NAME, __version__
from ..errors import CaseGuideError
from . import config, guides, packs, updates, window
from .output import TerminalSafe, emit_json, os_problem, setup_logging, shorten, utf8_output
from .types import Parser
from .window import display_problem

__all__ = ["build_parser", "display_problem", "emit_json", "main"]

GROUPS = (guides, packs, config, updates, window)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="caseguide",
        description=f"{APP_NAME}: offline guides on data rights, privacy and immigration data sharing. "
                    "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--library", metavar="DIR", type=Path,
                        help="read the pack source folder DIR (or the packs inside it) "
                             "instead of the bundled and installed packs")
    parser.set_defaults(run=window.cmd_gui)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for group in GROUPS:
        group.add_commands(commands, Parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .. import paths

    utf8_output()
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafe(sys.stdout), TerminalSafe(sys.stderr)
    try:
        setup_logging()
        with paths.temporary_files():  # no temporary file of ours, or of a library's, in a shared folder
            return _run(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _run(argv) -> int:
    """The command, and every problem as one line and exit 1: never a traceback, whatever the input."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CaseGuideError as exc:
        problem = str(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `caseguide list | head`
        sys.stderr.close()
        return 0
    except OSError as exc:  # a path too long or too deep, a disk that fails: said, not a traceback
        problem = os_problem(exc)
    except RecursionError:
        problem = "the input nests too deeply for CaseGuide to read"
    except Exception as exc:  # noqa: BLE001 - a bug: said in one line (CASEGUIDE_DEBUG=1 for the traceback)
        import os
        if os.environ.get("CASEGUIDE_DEBUG"):
            raise
        problem = (f"something went wrong inside CaseGuide (a bug, not something you did): "
                   f"{type(exc).__name__}: {shorten(str(exc))}")
    print(f"caseguide: error: {problem}", file=sys.stderr)
    return 1
