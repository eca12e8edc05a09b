"""What needs Qt: the window itself, handouts as PDF and pictures of the window (Qt is imported
only when one of them runs)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import CaseGuideError
from .context import command
from .types import size


def add_commands(commands, parser_class) -> None:
    p = command(commands, "handout", cmd_handout, help="write a PDF handout of one or several guides (no display needed)")
    p.add_argument("ids", metavar="ID", nargs="+")
    p.add_argument("-o", "--output", metavar="OUT.pdf", type=Path, required=True)
    p.add_argument("--large-print", action="store_true", help="a much bigger type size")
    p.add_argument("--paper", choices=("a4", "letter"), help="default: the handout.paper setting")
    p.add_argument("--client", action="store_true", help="leave out what is only for caseworkers")
    p.add_argument("--no-qr", dest="qr", action="store_false", default=None,
                   help="no QR codes of the sources' addresses (default: the handout.qr setting)")

    p = command(commands, "screenshot", cmd_screenshot, help="save a picture of the window (no display needed)")
    p.add_argument("out", metavar="OUT.png", type=Path)
    p.add_argument("--search", metavar="QUERY")
    p.add_argument("--open", metavar="ID", dest="open_id")
    p.add_argument("--size", type=size, default=(1280, 800), metavar="WxH")


def cmd_handout(args) -> int:
    from ..gui.handout_cli import make_handout
    pages, has_org = make_handout(args.library, args.ids, args.output, paper=args.paper,
                                  large_print=args.large_print, client=args.client, qr_codes=args.qr)
    print(f"Saved {args.output} ({pages} page{'s' if pages != 1 else ''}).")
    if not has_org:
        print("Tip: put your organisation's name and contact details on handouts with\n"
              "  caseguide settings set organisation.name \"...\"\n"
              "  caseguide settings set organisation.contact \"line 1\\nline 2\"", file=sys.stderr)
    return 0


def cmd_screenshot(args) -> int:
    from ..gui.screenshot import screenshot
    screenshot(args.library, args.out, size=args.size, search=args.search, open_id=args.open_id)
    print(f"Saved {args.out}")
    return 0


def display_problem(platform: str, environ) -> str | None:
    """Why the window cannot be shown here, or None. On Linux and the BSDs a window needs an X11 or
    Wayland display; Windows and macOS always have one, unless QT_QPA_PLATFORM asks Qt to draw
    nowhere a person can see (offscreen, minimal)."""
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if qpa in ("offscreen", "minimal"):
        return (f"QT_QPA_PLATFORM is {qpa}, which draws the window where no one can see it; unset it to "
                "open the window, or see the window with 'caseguide screenshot window.png'")
    if (platform not in ("win32", "cygwin", "darwin") and not qpa
            and not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY")):
        return ("there is no display to open the window on (no DISPLAY or WAYLAND_DISPLAY); "
                "run CaseGuide from a desktop session, or see the window with "
                "'caseguide screenshot window.png'")
    return None


def cmd_gui(args) -> int:
    import os
    problem = display_problem(sys.platform, os.environ)
    if problem:
        raise CaseGuideError(problem)
    from ..gui.app import run
    return run(args.library)
