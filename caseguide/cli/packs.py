"""Content packs and publishers: pack keygen, build, verify, install, list and remove; trust."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import CaseGuideError
from . import context
from .context import SHARED_NOTE, command
from .output import emit_json


def add_commands(commands, parser_class) -> None:
    pack = command(commands, "pack", cmd_pack, help="build, check, install and remove content packs")
    pack_cmds = pack.add_subparsers(dest="pack_command", metavar="ACTION", parser_class=parser_class, required=True)
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

    trust = command(commands, "trust", cmd_trust, help="the publishers whose packs may be installed")
    trust_cmds = trust.add_subparsers(dest="trust_command", metavar="ACTION", parser_class=parser_class,
                                      required=True)
    p = trust_cmds.add_parser("add", help="trust a publisher's public key (NAME.pub)")
    p.add_argument("pub", metavar="NAME.pub", type=Path)
    p.add_argument("--system", action="store_true", help="for every account on this PC (administrator)")
    p = trust_cmds.add_parser("list", help="trusted publishers' keys")
    p.add_argument("--json", action="store_true")
    p = trust_cmds.add_parser("remove", help="stop trusting a key")
    p.add_argument("key_id", metavar="KEYID")
    p.add_argument("--system", action="store_true", help="a machine-wide key (administrator)")


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
    from ..library import install
    action = args.pack_command
    if action == "keygen":
        return _pack_keygen(args)
    if action == "build":
        return _pack_build(args)
    shared = context.shared(args)
    if action == "verify":
        verified, change = install.verify_file(args.file, system=args.system, shared=shared,
                                               catalogues=context.catalogues(args))
        m = verified.manifest
        print(f"OK: {m.title} ({m.id} {m.version}) from {m.publisher}, {len(verified.guide_ids)} guides.")
        print(f"Signed by trusted key {verified.key_id} ({verified.key_scope}): {verified.trusted_comment}")
        if m.successor_keys:
            print(f"It names {len(m.successor_keys)} successor key{'s' if len(m.successor_keys) != 1 else ''} "
                  "that may sign its later versions.")
        print(f"Installing it would change: {change.describe()}.")
        for note in change.notes:
            print(f"Note: {note}.")
        return 0
    if action == "install":
        from ..search.query import prepare_index
        change = install.install_file(args.file, system=args.system, allow_downgrade=args.allow_downgrade,
                                      prepare=prepare_index, catalogues=context.catalogues(args),
                                      shared=shared)
        where = "for every account on this PC" if args.system else "for you"
        print(f"Installed {where}: {change.describe()}.")
        for note in change.notes:
            print(f"Note: {note}.")
        return 0
    if action == "remove":
        gone = install.remove(args.id, system=args.system, shared=shared)
        print(f"Removed {gone.id} {gone.version} ({gone.scope}).")
        return 0
    rows = install.list_packs(shared=shared)
    if args.json:
        emit_json([r.as_dict() for r in rows])
        return 0
    if shared:
        print(SHARED_NOTE)
    for r in rows:
        print(f"{r.id:<20} {r.version:<12} {r.scope:<8} {r.guides:>4} guides  {r.title} ({r.publisher})"
              f"{'  installed ' + r.installed if r.installed and r.installed != 'bundled' else ''}")
    return 0


def _pack_keygen(args) -> int:
    from ..fsutil import atomic_write
    from ..packs.minisign import SecretKey
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
    from ..fsutil import read_small_file
    from ..library.lint import lint
    from ..packs import SUFFIX, archive
    from ..packs.minisign import SecretKey, SignatureError
    from ..packs.trust import MAX_KEY_FILE
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
    from ..packs.trust import read_public_key
    successors = [read_public_key(path) for path in args.successor]
    if any(next_key.same_key(key.public) for next_key in successors):
        raise CaseGuideError("a --successor key is the signing key itself; name your new key")
    manifest = archive.build(args.src, key, args.output, successors=successors)
    print(f"Built {args.output}: {manifest.id} {manifest.version}, {len(manifest.files)} files, "
          f"signed by key {key.public.id}. {report.warnings} lint warning"
          f"{'s' if report.warnings != 1 else ''}.")
    return 0


def cmd_trust(args) -> int:
    from ..packs import trust
    action = args.trust_command
    shared = context.shared(args)
    if action == "add":
        added = trust.add_key(args.pub, system=args.system, shared=shared)
        print(f"Now trusting key {added.id} ({added.scope}), fingerprint {added.key.fingerprint}. "
              "Packs it signs can be installed; it may update only packs it installed first.")
        return 0
    if action == "remove":
        trust.remove_key(args.key_id, system=args.system, shared=shared)
        print(f"No longer trusting key {args.key_id.upper()}.")
        return 0
    from ..packs.owners import packs_owned
    keys = trust.trusted_keys(system_only=shared)
    owned = {id(k): packs_owned(k.key, system_only=shared) for k in keys}
    if args.json:
        emit_json([{"id": k.id, "scope": k.scope, "comment": k.key.comment, "path": str(k.path),
                    "fingerprint": k.key.fingerprint, "public_key": k.key.encoded, "packs": owned[id(k)]}
                   for k in keys])
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
