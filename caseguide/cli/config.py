"""caseguide settings: list, get, set and unset, per person or machine-wide."""

from __future__ import annotations

from ..errors import CaseGuideError
from ..suggest import did_you_mean, nearest
from . import context
from .context import SHARED_NOTE, command
from .output import emit_json


def add_commands(commands, parser_class) -> None:
    settings = command(commands, "settings", cmd_settings, help="read or change settings")
    settings.add_argument("--json", action="store_true", help="with no ACTION: every setting as JSON")
    settings_cmds = settings.add_subparsers(dest="settings_command", metavar="ACTION", parser_class=parser_class)
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


def _plain(value) -> str:
    """A setting's value as a person reads it: no quotes; lines joined with \\n, as it is typed."""
    from ..settings import format_value
    return format_value(value).replace("\n", "\\n")


def cmd_settings(args) -> int:
    from .. import settings
    action = args.settings_command
    if action == "set":
        value = settings.set_value(args.key, args.value, system=args.system, lock=args.lock)
        where = (" (machine-wide, locked)" if args.lock else " (machine-wide)") if args.system else ""
        print(f"{args.key} = {_plain(value)}{where}")
        return 0
    if action == "unset":
        settings.unset_value(args.key, system=args.system)
        return 0
    current = context.current_settings(args)
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
        emit_json([{"key": n, "value": v, "from": f} for n, v, f in rows])
        return 0
    table = [("Setting", "Value", "From")] + [(n, _plain(v) or "(empty)", f) for n, v, f in rows]
    widths = [max(len(row[c]) for row in table) for c in range(2)]
    for n, v, f in table:
        print(f"{n:<{widths[0]}}  {v:<{widths[1]}}  {f}".rstrip())
    return 0
