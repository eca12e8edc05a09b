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
from .display import terminal_text
from .errors import CaseGuideError
from .guides.model import KINDS, LANGUAGE_RE
from .suggest import did_you_mean, nearest


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: one line and the hint, exit 2
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")

    def _check_value(self, action, value):
        # A misspelt command, action or choice gets "did you mean ...?", not only the list.
        if action.choices is None or value in action.choices:
            return
        options = [str(c) for c in action.choices]
        hint = did_you_mean(nearest(str(value), options, n=1))
        raise argparse.ArgumentError(action, f"invalid choice {value!r}: {hint}"
                                             f"(choose from {', '.join(options)})")


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

    p = commands.add_parser("languages", help="the interface's languages, and how complete each one is")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = commands.add_parser("index", help="build the search index if it is out of date")
    p.add_argument("--rebuild", action="store_true", help="rebuild it from scratch")

    p = commands.add_parser("lint", help="check pack source folders (default: the bundled content/)")
    p.add_argument("paths", metavar="PATH", nargs="*", type=Path)
    p.add_argument("--json", action="store_true", help="print a JSON report")

    pack = commands.add_parser("pack", help="build, check, install and remove content packs")
    pack_cmds = pack.add_subparsers(dest="pack_command", metavar="ACTION", parser_class=_Parser, required=True)
    p = pack_cmds.add_parser("keygen", help="make a signing key pair: NAME.key (secret) and NAME.pub")
    p.add_argument("name", metavar="NAME", type=Path)
    p.add_argument("--password", action="store_true",
                   help="protect the secret key with a password (asked for, or from CASEGUIDE_KEY_PASSWORD)")
    p = pack_cmds.add_parser("build", help="lint, pack and sign a pack source folder")
    p.add_argument("src", metavar="SRC_DIR", type=Path)
    p.add_argument("--key", metavar="NAME.key", type=Path, required=True)
    p.add_argument("-o", "--output", metavar="FILE.cgpack", type=Path, required=True)
    p.add_argument("--successor", metavar="NEXT.pub", type=Path, action="append", default=[],
                   help="a new key of yours that may sign this pack's later versions (to move to a new key)")
    p = pack_cmds.add_parser("verify", help="check a pack as install would, changing nothing")
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("--system", action="store_true", help="check against the machine-wide trust list")
    p = pack_cmds.add_parser("install", help="install a pack for you (or machine-wide with --system)")
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("--system", action="store_true", help="for every account on this PC (administrator)")
    p.add_argument("--allow-downgrade", action="store_true",
                   help="allow replacing a pack with an older or equal version")
    p = pack_cmds.add_parser("list", help="the packs CaseGuide reads")
    p.add_argument("--json", action="store_true")
    p = pack_cmds.add_parser("remove", help="remove an installed pack")
    p.add_argument("id", metavar="ID")
    p.add_argument("--system", action="store_true", help="a machine-wide pack (administrator)")

    trust = commands.add_parser("trust", help="the publishers whose packs may be installed")
    trust_cmds = trust.add_subparsers(dest="trust_command", metavar="ACTION", parser_class=_Parser,
                                      required=True)
    p = trust_cmds.add_parser("add", help="trust a publisher's public key (NAME.pub)")
    p.add_argument("pub", metavar="NAME.pub", type=Path)
    p.add_argument("--system", action="store_true", help="for every account on this PC (administrator)")
    p = trust_cmds.add_parser("list", help="trusted publishers' keys")
    p.add_argument("--json", action="store_true")
    p = trust_cmds.add_parser("remove", help="stop trusting a key")
    p.add_argument("key_id", metavar="KEYID")
    p.add_argument("--system", action="store_true", help="a machine-wide key (administrator)")

    p = commands.add_parser("handout", help="write a PDF handout of one or several guides (no display needed)")
    p.add_argument("ids", metavar="ID", nargs="+")
    p.add_argument("-o", "--output", metavar="OUT.pdf", type=Path, required=True)
    p.add_argument("--large-print", action="store_true", help="a much bigger type size")
    p.add_argument("--paper", choices=("a4", "letter"), help="default: the handout.paper setting")
    p.add_argument("--client", action="store_true", help="leave out what is only for caseworkers")

    settings = commands.add_parser("settings", help="read or change settings")
    settings.add_argument("--json", action="store_true", help="with no ACTION: every setting as JSON")
    settings_cmds = settings.add_subparsers(dest="settings_command", metavar="ACTION", parser_class=_Parser)
    p = settings_cmds.add_parser("list", help="every setting, its value and where it comes from (the default)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = settings_cmds.add_parser("get", help="show a setting's value (or all of them)")
    p.add_argument("key", metavar="KEY", nargs="?")
    p.add_argument("--system", action="store_true", help="the machine-wide value only")
    p.add_argument("--json", action="store_true", help="without KEY: every setting as JSON")
    p = settings_cmds.add_parser("set", help="change a setting")
    p.add_argument("key", metavar="KEY")
    p.add_argument("value", metavar="VALUE")
    p.add_argument("--system", action="store_true", help="machine-wide, for every account (administrator)")
    p.add_argument("--lock", action="store_true", help="with --system: people cannot override it")
    p = settings_cmds.add_parser("unset", help="go back to the default (or the machine-wide value)")
    p.add_argument("key", metavar="KEY")
    p.add_argument("--system", action="store_true")

    p = commands.add_parser("screenshot", help="save a picture of the window (no display needed)")
    p.add_argument("out", metavar="OUT.png", type=Path)
    p.add_argument("--search", metavar="QUERY")
    p.add_argument("--open", metavar="ID", dest="open_id")
    p.add_argument("--size", type=_size, default=(1280, 800), metavar="WxH")
    _add_update_parsers(commands)  # feed and update: the block "Updates from a feed" below
    return parser


# Commands ---------------------------------------------------------------------

def _settings(args):
    """The settings, read once per command."""
    if getattr(args, "current_settings", None) is None:
        from .settings import Settings
        args.current_settings = Settings()
    return args.current_settings


def _shared(args) -> bool:
    """True on a shared PC: then only what staff installed machine-wide is read."""
    return _settings(args).shared_mode


SHARED_NOTE = "This is a shared PC: only what your organisation installed for everyone is used."


def _library(args):
    from .guides.library import Library
    return Library.discover(args.library, machine_only=_shared(args))


def cmd_list(args) -> int:
    library = _library(args)
    guides = sorted(library, key=lambda g: (g.kind, g.title.lower()))
    if args.json:
        rows = [{
            "id": g.id, "title": g.title, "summary": g.summary, "kind": g.kind,
            "topics": list(g.topics), "language": g.language, "audience": g.audience,
            "pack": g.pack, "reviewed": g.reviewed.isoformat(),
            "review_due": g.review_due.isoformat(), "overdue": g.is_overdue(),
            "translation_of": g.translation_of or None,
            "translations": [{"id": t.id, "language": t.language} for t in library.translations(g)],
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
    from .guides.render import guide_page, guide_text
    library = _library(args)
    guide = library.get(args.id)
    if args.format == "html":
        print(guide_page(guide, library))
    else:
        sys.stdout.write(guide_text(guide, library))
    return 0


def _open_index(library, rebuild=False):
    from .search.query import SearchIndex
    index = SearchIndex(library).open(rebuild=rebuild)
    for notice in index.notices:
        print(f"caseguide: note: {notice}", file=sys.stderr)
    return index


def cmd_search(args) -> int:
    library = _library(args)
    query = " ".join(args.query)
    results = _open_index(library).forgiving_search(query, limit=args.limit, kind=args.kind, lang=args.lang)
    hits = results.hits
    if args.json:  # the hits of the corrected search, when a correction was made
        print(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2))
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
    from . import i18n
    rows = [i18n.language_info(code) for code in i18n.available()]
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        state = "reviewed" if r.reviewed else "draft, not yet reviewed by a native speaker"
        print(f"{r.code:<5}  {r.name:<20}  {round(r.complete * 100):>3}% translated  "
              f"{'right to left  ' if r.rtl else ''}{state}")
    return 0


def cmd_index(args) -> int:
    library = _library(args)
    started = time.perf_counter()
    index = _open_index(library, rebuild=args.rebuild)
    seconds = time.perf_counter() - started
    where = ("in memory (on a shared PC it is never kept on disk)" if library.machine_only
             else "in memory" if index.in_memory else f"in {index.cache_dir}")
    print(f"Index ready: {len(library)} guides in {len(library.packs)} "
          f"pack{'s' if len(library.packs) != 1 else ''}, {where} ({seconds:.1f} s).")
    return 0


def cmd_lint(args) -> int:
    from . import resources
    from .guides.lint import MIN_EASE, MIN_WORDS, lint
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


def _password(prompt_twice: bool) -> str:
    import getpass
    import os
    from_env = os.environ.get("CASEGUIDE_KEY_PASSWORD")
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise CaseGuideError("the key needs a password: set CASEGUIDE_KEY_PASSWORD, or run this in a terminal")
    first = getpass.getpass("Password for the secret key: ")
    if prompt_twice and getpass.getpass("The same password again: ") != first:
        raise CaseGuideError("the two passwords differ; nothing was written")
    if prompt_twice and not first:
        raise CaseGuideError("the password is empty; leave out --password for a key without one")
    return first


def cmd_pack(args) -> int:
    from .packs import install
    action = args.pack_command
    if action == "keygen":
        return _pack_keygen(args)
    if action == "build":
        return _pack_build(args)
    shared = _shared(args)
    if action == "verify":
        verified, change = install.verify_file(args.file, system=args.system, shared=shared)
        m = verified.manifest
        print(f"OK: {m.title} ({m.id} {m.version}) from {m.publisher}, {len(verified.guide_ids)} guides.")
        print(f"Signed by trusted key {verified.key_id} ({verified.key_scope}): {verified.trusted_comment}")
        if m.successor_keys:
            print(f"It names {len(m.successor_keys)} successor key{'s' if len(m.successor_keys) != 1 else ''} "
                  "that may sign its later versions.")
        print(f"Installing it would change: {change.describe()}.")
        return 0
    if action == "install":
        change = install.install_file(args.file, system=args.system, allow_downgrade=args.allow_downgrade,
                                      shared=shared)
        where = "for every account on this PC" if args.system else "for you"
        print(f"Installed {where}: {change.describe()}.")
        return 0
    if action == "remove":
        gone = install.remove(args.id, system=args.system, shared=shared)
        print(f"Removed {gone.id} {gone.version} ({gone.scope}).")
        return 0
    rows = install.list_packs(shared=shared)
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if shared:
        print(SHARED_NOTE)
    for r in rows:
        print(f"{r.id:<20} {r.version:<12} {r.scope:<8} {r.guides:>4} guides  {r.title} ({r.publisher})"
              f"{'  installed ' + r.installed if r.installed and r.installed != 'bundled' else ''}")
    return 0


def _pack_keygen(args) -> int:
    from .fsutil import atomic_write
    from .packs.minisign import SecretKey
    if args.name.name in ("", ".", "..") or str(args.name).endswith(("/", "\\")):
        raise CaseGuideError("give the key pair a NAME, such as 'ourorg' (this makes ourorg.key and ourorg.pub)")
    key_path, pub_path = args.name.with_name(args.name.name + ".key"), args.name.with_name(args.name.name + ".pub")
    for path in (key_path, pub_path):
        if path.exists():
            raise CaseGuideError(f"{path} already exists; choose another NAME (keys are never overwritten)")
    if not key_path.parent.is_dir():
        raise CaseGuideError(f"the folder {key_path.parent} does not exist")
    password = _password(prompt_twice=True) if args.password else None
    key = SecretKey.generate()
    try:
        atomic_write(key_path, key.dump(password).encode(), mode=0o600)
        atomic_write(pub_path, key.public.dump().encode())
    except OSError as exc:
        raise CaseGuideError(f"cannot write the key files ({exc.strerror})") from None
    print(f"Wrote {key_path} (secret: keep it safe, never share it) and {pub_path} (give this to "
          f"organisations, who run 'caseguide trust add {pub_path.name}'). Key id {key.public.id}, "
          f"fingerprint {key.public.fingerprint}: tell organisations the fingerprint another way (by phone), "
          "so they can check the .pub file is yours.")
    return 0


def _pack_build(args) -> int:
    from .fsutil import read_small_file
    from .guides.lint import lint
    from .packs import SUFFIX, archive
    from .packs.minisign import SecretKey, SignatureError
    from .packs.trust import MAX_KEY_FILE
    if not (args.src / "pack.toml").is_file():
        raise CaseGuideError(f"{args.src} is not a pack source folder: it has no pack.toml")
    if args.output.suffix != SUFFIX:
        raise CaseGuideError(f"the output file must end in {SUFFIX}")
    report = lint([args.src])
    if report.errors:
        for finding in report.findings:
            if finding.level == "error":
                print(finding, file=sys.stderr)
        raise CaseGuideError(f"{args.src} has {report.errors} lint error{'s' if report.errors != 1 else ''} "
                             "(above); fix them and build again. No pack was written")
    try:
        text = read_small_file(args.key, MAX_KEY_FILE, "a secret key file").decode("utf-8")
    except UnicodeDecodeError:
        raise CaseGuideError(f"{args.key} is not a secret key file (it is not text)") from None
    try:
        key = SecretKey.parse(text, password=lambda: _password(prompt_twice=False))
    except SignatureError as exc:
        raise CaseGuideError(f"{args.key}: {exc}") from None
    from .packs.trust import read_public_key
    successors = [read_public_key(path) for path in args.successor]
    if any(next_key.same_key(key.public) for next_key in successors):
        raise CaseGuideError("a --successor key is the signing key itself; name your new key")
    manifest = archive.build(args.src, key, args.output, successors=successors)
    print(f"Built {args.output}: {manifest.id} {manifest.version}, {len(manifest.files)} files, "
          f"signed by key {key.public.id}. {report.warnings} lint warning"
          f"{'s' if report.warnings != 1 else ''}.")
    return 0


def cmd_trust(args) -> int:
    from .packs import trust
    action = args.trust_command
    shared = _shared(args)
    if action == "add":
        added = trust.add_key(args.pub, system=args.system, shared=shared)
        print(f"Now trusting key {added.id} ({added.scope}), fingerprint {added.key.fingerprint}. "
              "Packs it signs can be installed; it may update only packs it installed first.")
        return 0
    if action == "remove":
        trust.remove_key(args.key_id, system=args.system, shared=shared)
        print(f"No longer trusting key {args.key_id.upper()}.")
        return 0
    from .packs.owners import packs_owned
    keys = trust.trusted_keys(system_only=shared)
    owned = {id(k): packs_owned(k.key, system_only=shared) for k in keys}
    if args.json:
        print(json.dumps([{"id": k.id, "scope": k.scope, "comment": k.key.comment, "path": str(k.path),
                           "fingerprint": k.key.fingerprint, "public_key": k.key.encoded, "packs": owned[id(k)]}
                          for k in keys], indent=2))
        return 0
    if shared:
        print(SHARED_NOTE)
    if not keys:
        print("No trusted publishers yet. Add one with 'caseguide trust add NAME.pub"
              f"{' --system' if shared else ''}'.")
    for k in keys:
        print(f"{k.id}  {k.scope:<6}  {k.key.comment}\n    fingerprint {k.key.fingerprint}\n"
              f"    owns: {', '.join(owned[id(k)]) or 'no installed packs'}")
    return 0


def _plain(value) -> str:
    """A setting's value as a person reads it: no quotes; lines joined with \\n, as it is typed."""
    from .settings import format_value
    return format_value(value).replace("\n", "\\n")


def cmd_settings(args) -> int:
    from . import settings
    action = args.settings_command
    if action == "set":
        value = settings.set_value(args.key, args.value, system=args.system, lock=args.lock)
        where = (" (machine-wide, locked)" if args.lock else " (machine-wide)") if args.system else ""
        print(f"{args.key} = {_plain(value)}{where}")
        return 0
    if action == "unset":
        settings.unset_value(args.key, system=args.system)
        return 0
    current = _settings(args)
    system = action == "get" and args.system
    if action == "get" and args.key:
        if args.key not in settings.KEYS:
            raise CaseGuideError(f"there is no setting {args.key!r}; "
                                 f"{did_you_mean(nearest(args.key, list(settings.KEYS)))}"
                                 "'caseguide settings list' shows every setting")
        value = current.machine_wide(args.key) if system else current.get(args.key)
        print(settings.format_value(value))
        return 0
    if current.shared_mode and not args.json:
        print(f"{SHARED_NOTE} Settings saved for this account are not read.")
    rows = []
    for name in settings.KEYS:
        if system:
            value, source = current.machine_wide(name), "machine-wide"
        else:
            value, source = current.get(name), current.source(name)
        rows.append((name, value, source))
    if args.json:
        print(json.dumps([{"key": n, "value": v, "from": f} for n, v, f in rows], ensure_ascii=False, indent=2))
        return 0
    table = [("Setting", "Value", "From")] + [(n, _plain(v) or "(empty)", f) for n, v, f in rows]
    widths = [max(len(row[c]) for row in table) for c in range(2)]
    for n, v, f in table:
        print(f"{n:<{widths[0]}}  {v:<{widths[1]}}  {f}".rstrip())
    return 0


def cmd_handout(args) -> int:
    from .gui.handout_cli import make_handout
    pages, has_org = make_handout(args.library, args.ids, args.output, paper=args.paper,
                                  large_print=args.large_print, client=args.client)
    print(f"Saved {args.output} ({pages} page{'s' if pages != 1 else ''}).")
    if not has_org:
        print("Tip: put your organisation's name and contact details on handouts with\n"
              "  caseguide settings set organisation.name \"...\"\n"
              "  caseguide settings set organisation.contact \"line 1\\nline 2\"", file=sys.stderr)
    return 0


def cmd_screenshot(args) -> int:
    from .gui.screenshot import screenshot
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
    from .gui.app import run
    return run(args.library)


COMMANDS = {"list": cmd_list, "show": cmd_show, "search": cmd_search, "index": cmd_index, "languages": cmd_languages,
            "lint": cmd_lint, "pack": cmd_pack, "trust": cmd_trust, "settings": cmd_settings, "handout": cmd_handout, "screenshot": cmd_screenshot,
            None: cmd_gui}


# Updates from a feed (issue 25): `caseguide feed ...` for publishers, `caseguide update` for PCs -------
# Parser and commands together; everything else is in caseguide/updates/ (only its fetch.py networks).

def _days_arg(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 400:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days from 1 to 400")
    return int(text)


def _add_update_parsers(commands) -> None:
    feed = commands.add_parser("feed", help="publish packs as a signed update feed (TUF): for publishers")
    cmds = feed.add_subparsers(dest="feed_command", metavar="ACTION", parser_class=_Parser, required=True)
    p = cmds.add_parser("init", help="make a new feed in DIR, with its keys")
    p.add_argument("dir", metavar="DIR", type=Path)
    p.add_argument("--root-key", metavar="FILE", type=Path, action="append", required=True,
                   help="a root key file (made if it does not exist; keep it offline). Repeat for several")
    p.add_argument("--threshold", type=_positive_int, default=1, metavar="N",
                   help="how many of the root keys must sign a change of keys (default 1)")
    p.add_argument("--targets-key", metavar="FILE", type=Path, required=True,
                   help="the key that signs the list of packs (made if it does not exist; keep it offline)")
    p.add_argument("--publisher", metavar="NAME", default="", help="your organisation's name, shown on each PC")
    p.add_argument("--password", action="store_true", help="protect new key files with a password")
    p.add_argument("--expires-in-days", type=_days_arg, default=30, metavar="N",
                   help="how long PCs accept this publication (default 30)")
    p = cmds.add_parser("add", help="add a pack, or a newer version of one (live at the next publish)")
    p.add_argument("dir", metavar="DIR", type=Path)
    p.add_argument("pack", metavar="PACK.cgpack", type=Path)
    p.add_argument("--targets-key", metavar="FILE", type=Path, required=True)
    p = cmds.add_parser("remove", help="take a pack out of the feed (live at the next publish)")
    p.add_argument("dir", metavar="DIR", type=Path)
    p.add_argument("pack_id", metavar="PACK_ID")
    p.add_argument("--targets-key", metavar="FILE", type=Path, required=True)
    p = cmds.add_parser("publish", help="re-sign the snapshot and timestamp: makes changes live, renews expiry")
    p.add_argument("dir", metavar="DIR", type=Path)
    p.add_argument("--expires-in-days", type=_days_arg, default=30, metavar="N",
                   help="how long PCs accept it (default 30; longer for a feed carried on USB sticks)")
    p = cmds.add_parser("status", help="the feed's packs, versions and expiry dates")
    p.add_argument("dir", metavar="DIR", type=Path)
    p.add_argument("--json", action="store_true")
    p = cmds.add_parser("rotate", help="a new root version: new keys, threshold or expiry, signed by the old root")
    p.add_argument("dir", metavar="DIR", type=Path)
    p.add_argument("--old-root-key", metavar="FILE", type=Path, action="append", required=True,
                   help="a current root key file (as many as the current threshold)")
    p.add_argument("--root-key", metavar="FILE", type=Path, action="append", default=[],
                   help="the new root's keys (default: keep the current ones); made if they do not exist")
    p.add_argument("--threshold", type=_positive_int, metavar="N")
    p.add_argument("--targets-key", metavar="FILE", type=Path, help="a new targets key; the packs are re-signed")
    p.add_argument("--new-online-keys", action="store_true", help="new snapshot and timestamp keys")
    p.add_argument("--password", action="store_true", help="protect new key files with a password")
    p.add_argument("--expires-in-days", type=_days_arg, default=30, metavar="N")

    p = commands.add_parser("update", help="bring the guides up to date from the organisation's feed")
    p.add_argument("--from", dest="source", metavar="URL|FOLDER",
                   help="the feed (a web address, or a folder: a file share, a USB stick); saved as updates.source")
    p.add_argument("--root", metavar="ROOT.json", type=Path,
                   help="the feed's root metadata, from the publisher by a channel you trust (the first time)")
    p.add_argument("--system", action="store_true", help="the machine-wide library (administrator)")
    p.add_argument("--check", action="store_true", help="say what would change, and change nothing")


def _kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size < 10 * 2**20 else f"{size / 2**20:,.1f} MB"


def cmd_feed(args) -> int:
    from .updates import publisher, rotation
    action = args.feed_command

    def password():
        return _password(prompt_twice=False)

    if action == "init":
        new_password = _password(prompt_twice=True) if args.password else None
        made = publisher.init(args.dir, args.root_key, args.targets_key, threshold=args.threshold,
                              publisher=args.publisher, password=password, new_password=new_password,
                              publish_days=args.expires_in_days)
        print(f"Made the feed in {args.dir}. Copy {made.folder.publish} (all of it, as it is) to a web host, a "
              "file share or a USB stick.")
        if made.new_keys:
            print(f"New key files: {', '.join(map(str, made.new_keys))}.")
        print(f"Keep safe, OFFLINE (a USB stick in a drawer, not on the web host): the root key file(s) "
              f"{', '.join(map(str, args.root_key))} and the targets key {args.targets_key}; without them you "
              f"cannot change the feed's packs or keys. Keep {made.folder.online_keys} private and never publish it.")
        print(f"Give each centre {made.root_file} by a channel you trust, and tell them its fingerprint by phone: "
              f"{made.fingerprint}. They run: caseguide update --from ADDRESS --root root.json --system")
        return 0
    if action == "add":
        manifest, old = publisher.add(args.dir, args.pack, args.targets_key, password=password)
        what = f"{manifest.id} {old} -> {manifest.version}" if old else f"{manifest.id} {manifest.version} (new)"
        print(f"Added {what} to the feed. Run 'caseguide feed publish {args.dir}' to make it live.")
        return 0
    if action == "remove":
        version = publisher.remove(args.dir, args.pack_id, args.targets_key, password=password)
        print(f"Removed {args.pack_id} {version} from the feed; PCs that installed it from the feed remove it. "
              f"Run 'caseguide feed publish {args.dir}' to make it live.")
        return 0
    if action == "publish":
        stamp = publisher.publish(args.dir, args.expires_in_days)
        print(f"Published version {stamp.version}: PCs accept it until {stamp.expires:%Y-%m-%d %H:%M} UTC. Copy "
              f"{args.dir / 'publish'} to where the feed is served, and publish again before then.")
        return 0
    if action == "rotate":
        new_password = _password(prompt_twice=True) if args.password else None
        done = rotation.rotate(args.dir, args.old_root_key, root_keys=args.root_key or None,
                               threshold=args.threshold, targets_key=args.targets_key,
                               new_online_keys=args.new_online_keys, publish_days=args.expires_in_days,
                               password=password, new_password=new_password)
        print(f"Made root version {done.version} ({', '.join(done.changed)}), signed by the old root and the new "
              f"keys, and published it. Its fingerprint: {done.fingerprint}. PCs move to it by themselves at their "
              f"next update.{' New key files: ' + ', '.join(map(str, done.new_keys)) + '.' if done.new_keys else ''}")
        return 0
    status = publisher.status(args.dir)
    if args.json:
        print(json.dumps({"publisher": status.publisher, "versions": status.versions,
                          "expires": {r: e.isoformat() for r, e in status.expires.items()},
                          "packs": [p.__dict__ for p in status.packs], "unpublished": status.unpublished,
                          "root_threshold": status.root_threshold, "root_keys": status.root_keys,
                          "fingerprint": status.fingerprint, "notes": status.notes}, indent=2))
        return 0
    print(f"Feed {args.dir}{' of ' + status.publisher if status.publisher else ''}: root fingerprint "
          f"{status.fingerprint}, {status.root_threshold} of {status.root_keys} root key"
          f"{'s' if status.root_keys != 1 else ''} to change keys.")
    for role in ("root", "targets", "snapshot", "timestamp"):
        print(f"  {role:<9} version {status.versions[role]:<4} expires {status.expires[role]:%Y-%m-%d %H:%M} UTC")
    print(f"{len(status.packs)} pack{'s' if len(status.packs) != 1 else ''}:")
    for p in status.packs:
        print(f"  {p.id:<20} {p.version:<12} {_kb(p.size):>9}  {p.title}")
    for note in status.notes:
        print(note)
    return 0


def cmd_update(args) -> int:
    from .updates import client
    result = client.update(_settings(args), system=args.system, source=args.source, root=args.root,
                           check=args.check)
    plan = result.plan
    who = f" ({plan.publisher})" if plan.publisher else ""
    if plan.first_time:
        print(f"Now trusting the feed{' of ' + plan.publisher if plan.publisher else ''} whose root metadata "
              f"is {args.root}.")
    until = f", signed until {plan.expires:%Y-%m-%d}" if plan.expires else ""
    if args.check:
        print(f"The feed at {plan.source.text}{who}{until}:")
        for pack in plan.install:
            print(f"  would install {pack.id} {pack.version} ({_kb(pack.length)})")
        for pack_id, version in plan.remove:
            print(f"  would remove {pack_id} {version} (no longer in the feed)")
        for pack, here in plan.newer_here:
            print(f"  {pack.id}: this PC has {here}, newer than the feed's {pack.version}; left as it is")
        print(f"{'Nothing would change' if not plan.changes_anything else 'Nothing was changed'}; "
              f"{len(plan.current)} pack{'s' if len(plan.current) != 1 else ''} already current. "
              f"({result.requests} requests, {_kb(result.bytes_received)}.)")
        return 0
    where = "for every account on this PC" if args.system else "for you"
    if not plan.changes_anything:
        print(f"The guides are up to date with the feed at {plan.source.text}{who}{until}.")
    for change in result.changes:
        print(f"Installed {where}: {change.describe()}.")
    for pack_id in result.removed:
        print(f"Removed {pack_id}: the feed no longer has it.")
    print(f"({result.requests} requests, {_kb(result.bytes_received)}, {result.seconds:.1f} s.)")
    return 0


COMMANDS.update({"feed": cmd_feed, "update": cmd_update})
# End of "Updates from a feed" -----------------------------------------------------------------------


class _LogFormatter(logging.Formatter):
    def format(self, record):
        return f"caseguide: {record.levelname.lower()}: {terminal_text(record.getMessage())}"


class _TerminalSafe:
    """Standard output or error, with terminal escape sequences and spoofing characters taken out of
    everything written (titles, snippets and pack names come from outside), and a file name that is
    not valid text written with backslashes instead of failing."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        text = terminal_text(text)
        try:
            return self._stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(self._stream, "encoding", None) or "utf-8"
            return self._stream.write(text.encode(encoding, "backslashreplace").decode(encoding))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _shorten(text: str, most: int = 300) -> str:
    return text if len(text) <= most else f"{text[:most // 2]}…{text[-most // 2:]}"


def _os_problem(exc: OSError) -> str:
    where = f"{_shorten(str(exc.filename))}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}"


def _setup_logging() -> None:
    """Problems go to stderr. Nothing a person searched, read or typed is ever logged."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LogFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)


def _utf8_output() -> None:
    """Write UTF-8, whatever the console's code page: on Windows a pipe or file otherwise gets
    cp1252 (or the OEM code page), which has no Arabic or Farsi letters at all."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure") and \
                (stream.encoding or "").replace("-", "").lower() != "utf8":
            stream.reconfigure(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    _utf8_output()
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalSafe(sys.stdout), _TerminalSafe(sys.stderr)
    try:
        _setup_logging()
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _run(argv) -> int:
    """The command, and every problem as one line and exit 1: never a traceback, whatever the input."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except CaseGuideError as exc:
        problem = str(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `caseguide list | head`
        sys.stderr.close()
        return 0
    except OSError as exc:  # a path too long or too deep, a disk that fails: said, not a traceback
        problem = _os_problem(exc)
    except RecursionError:
        problem = "the input nests too deeply for CaseGuide to read"
    except Exception as exc:  # noqa: BLE001 - a bug: said in one line (CASEGUIDE_DEBUG=1 for the traceback)
        import os
        if os.environ.get("CASEGUIDE_DEBUG"):
            raise
        problem = (f"something went wrong inside CaseGuide (a bug, not something you did): "
                   f"{type(exc).__name__}: {_shorten(str(exc))}")
    print(f"caseguide: error: {problem}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
