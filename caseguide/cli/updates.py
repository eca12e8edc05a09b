"""Updates from a feed (issue 25): `caseguide feed ...` for publishers, `caseguide update` for PCs.
Everything else is in caseguide/updates/ (only its fetch.py touches the network)."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import context
from .context import command
from .output import emit_json
from .packs import _password
from .types import positive_int


def _days_arg(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 400:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days from 1 to 400")
    return int(text)


def add_commands(commands, parser_class) -> None:
    feed = command(commands, "feed", cmd_feed, help="publish packs as a signed update feed (TUF): for publishers")
    cmds = feed.add_subparsers(dest="feed_command", metavar="ACTION", parser_class=parser_class, required=True)
    p = cmds.add_parser("init", help="make a new feed in DIR, with its keys")
    p.add_argument("dir", metavar="DIR", type=Path)
    p.add_argument("--root-key", metavar="FILE", type=Path, action="append", required=True,
                   help="a root key file (made if it does not exist; keep it offline). Repeat for several")
    p.add_argument("--threshold", type=positive_int, default=1, metavar="N",
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
    p.add_argument("--threshold", type=positive_int, metavar="N")
    p.add_argument("--targets-key", metavar="FILE", type=Path, help="a new targets key; the packs are re-signed")
    p.add_argument("--new-online-keys", action="store_true", help="new snapshot and timestamp keys")
    p.add_argument("--password", action="store_true", help="protect new key files with a password")
    p.add_argument("--expires-in-days", type=_days_arg, default=30, metavar="N")

    p = command(commands, "update", cmd_update, help="bring the guides up to date from the organisation's feed")
    p.add_argument("--from", dest="source", metavar="URL|FOLDER",
                   help="the feed (a web address, or a folder: a file share, a USB stick); saved as updates.source")
    p.add_argument("--root", metavar="ROOT.json", type=Path,
                   help="the feed's root metadata, from the publisher by a channel you trust (the first time)")
    p.add_argument("--system", action="store_true", help="the machine-wide library (administrator)")
    p.add_argument("--check", action="store_true", help="say what would change, and change nothing")


def _kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size < 10 * 2**20 else f"{size / 2**20:,.1f} MB"


def cmd_feed(args) -> int:
    from ..updates import publisher, rotation
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
        emit_json({"publisher": status.publisher, "versions": status.versions,
                   "expires": {r: e.isoformat() for r, e in status.expires.items()},
                   "packs": [p.__dict__ for p in status.packs], "unpublished": status.unpublished,
                   "root_threshold": status.root_threshold, "root_keys": status.root_keys,
                   "fingerprint": status.fingerprint, "notes": status.notes})
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
    from ..search.query import prepare_index
    from ..updates import client
    result = client.update(context.current_settings(args), system=args.system, source=args.source, root=args.root,
                           check=args.check, prepare=prepare_index,
                           catalogues=context.catalogues(args))
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
