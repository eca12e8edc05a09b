"""Pack files (``.cgpack``): build and sign them, and check one before anything is installed.

A pack file is a ZIP archive of a pack source folder, plus ``manifest.json``
(what the pack is, and every file's path, size and SHA-256) and
``manifest.json.minisig``, a minisign signature of the manifest. Checking
happens in this order, so that nothing untrusted is written anywhere but a
private staging folder, and a zip bomb is refused from its directory alone:

1. the archive's structure: names, count, declared sizes and ratios;
2. the signature, by a trusted key;
3. the manifest, and that it lists exactly the archive's files;
4. extraction, counting bytes and hashing as it goes;
5. pack.toml and every guide, as the library would read them.

Whether the signer may install this pack id at all (the id's owner) is decided by
:mod:`caseguide.packs.owners`, against what is installed.

The manifest may name ``successor_keys``: minisign public keys (the base64 line)
that may sign this pack's later versions instead of the key that signs this
one, so a publisher can move to a new key. It is optional and the format stays
1: a CaseGuide that does not know the field ignores it.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..display import clean_text
from ..errors import CaseGuideError, PackError
from ..fsutil import FILE_MODE, NOFOLLOW, make_safe_dirs, replacing
from .loading import load_guides
from ..limits import parse_json
from .minisign import PublicKey, SecretKey, Signature, SignatureError
from .source import parse_version, read_pack_source

FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.minisig"
RESERVED = {MANIFEST, SIGNATURE}

MAX_ARCHIVE_BYTES = 512 * 1024 * 1024
MAX_FILES = 5000
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 1024 * 1024
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
# The central directory, checked from the archive's end record before it is listed: files and the
# folders they sit in, at about 46 bytes each plus a name of up to a few hundred.
MAX_ENTRIES = 2 * MAX_FILES + len(RESERVED)
MAX_CENTRAL_DIRECTORY_BYTES = MAX_ENTRIES * 512
EOCD_SEARCH = 22 + 65535  # the end record and the longest comment a ZIP may have
MAX_SUCCESSORS = 8
CHUNK = 1024 * 1024

_DRIVE_RE = re.compile(r"^[A-Za-z]:")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class PackRefused(PackError):
    """A pack file that must not be installed, with the reason in words."""


@dataclass
class Manifest:
    id: str
    version: str
    title: str
    publisher: str
    created: str
    languages: list[str]
    min_app_version: str
    files: dict[str, tuple[int, str]]  # path -> (size, sha256)
    format: int = FORMAT
    successor_keys: list[str] = field(default_factory=list)  # minisign public keys, base64 lines

    def to_json(self) -> bytes:
        data = {
            "format": self.format, "id": self.id, "version": self.version, "title": self.title,
            "publisher": self.publisher, "created": self.created, "languages": self.languages,
            "min_app_version": self.min_app_version,
            "files": [{"path": p, "size": s, "sha256": h} for p, (s, h) in sorted(self.files.items())],
        }
        if self.successor_keys:
            data["successor_keys"] = list(self.successor_keys)
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = parse_json(raw, "the pack's manifest", PackRefused)
        except PackRefused as exc:
            raise PackRefused(f"{exc}; the pack is refused") from None
        if not isinstance(data, dict):
            raise PackRefused("the pack's manifest is not a JSON object")
        if data.get("format") != FORMAT:
            raise PackRefused(f"the pack uses format {data.get('format')!r}; this CaseGuide reads format "
                              f"{FORMAT}. Install a newer CaseGuide, or ask the publisher for an older pack")
        text = {k: data.get(k) for k in ("id", "version", "title", "publisher", "created", "min_app_version")}
        if not all(isinstance(v, str) and v for v in text.values()):
            raise PackRefused("the pack's manifest is missing its id, version, title, publisher, "
                              "created date or min_app_version")
        languages = data.get("languages", [])
        entries = data.get("files")
        if not isinstance(languages, list) or not isinstance(entries, list):
            raise PackRefused("the pack's manifest has no list of files")
        files = {}
        for entry in entries:
            if not (isinstance(entry, dict) and isinstance(entry.get("path"), str)
                    and isinstance(entry.get("size"), int) and entry["size"] >= 0
                    and isinstance(entry.get("sha256"), str) and _SHA256_RE.match(entry["sha256"])):
                raise PackRefused("the pack's manifest has a file entry without a path, size and SHA-256")
            if entry["path"] in files:
                raise PackRefused(f"the pack's manifest lists {entry['path']!r} twice")
            files[entry["path"]] = (entry["size"], entry["sha256"])
        for name in ("title", "publisher"):  # shown to whoever decides whether to install it
            text[name] = " ".join(clean_text(text[name]).split()) or "(no name)"
        return cls(files=files, languages=[str(x) for x in languages],
                   successor_keys=_successor_keys(data.get("successor_keys", [])), **text)


def _successor_keys(value) -> list[str]:
    """The manifest's successor_keys, each checked to be a public key; as base64 lines."""
    if not isinstance(value, list) or len(value) > MAX_SUCCESSORS:
        raise PackRefused(f"the pack's manifest has a bad successor_keys list (at most {MAX_SUCCESSORS} "
                          "public keys)")
    keys = []
    for line in value:
        try:
            keys.append(PublicKey.parse(line).encoded)
        except (AttributeError, TypeError, SignatureError):
            raise PackRefused("the pack's manifest names a successor key that is not a minisign "
                              "public key") from None
    return keys


def check_member_name(name: str) -> str | None:
    """Why *name* may not be a path in a pack, or None if it is fine."""
    if not name or "\x00" in name:
        return "an empty name"
    if "\\" in name:
        return "a backslash"
    if name.startswith("/") or _DRIVE_RE.match(name):
        return "an absolute path"
    parts = name.rstrip("/").split("/")
    if any(part in ("..", ".") for part in parts) or any(part == "" for part in parts):
        return "'..' or an empty folder name"
    if any(ord(c) < 32 for c in name):
        return "a control character"
    return None


# Building -----------------------------------------------------------------------

def source_files(src: Path) -> list[Path]:
    """Every file a pack built from *src* carries: no hidden files, no links."""
    files = []
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_symlink():
            raise PackError(f"{path} is a symbolic link; packs hold only ordinary files")
        if path.is_file():
            if rel.as_posix() in RESERVED:
                raise PackError(f"{path}: the name {rel.as_posix()} is reserved for the pack's manifest")
            files.append(path)
    return files


def build(src: Path, key: SecretKey, out: Path, successors=()) -> Manifest:
    """Pack and sign *src* into *out* (written to a temporary file, then renamed). *successors*
    (PublicKeys) may sign the pack's later versions instead of *key*."""
    pack = read_pack_source(src)
    files = {}
    total = 0
    for path in source_files(src):
        data = path.read_bytes()
        total += len(data)
        if len(data) > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
            raise PackError(f"{path} makes the pack larger than CaseGuide accepts "
                            f"({MAX_FILE_BYTES // 2**20} MB a file, {MAX_TOTAL_BYTES // 2**20} MB in all)")
        files[path.relative_to(src).as_posix()] = (len(data), hashlib.sha256(data).hexdigest())
    if len(files) > MAX_FILES:
        raise PackError(f"{src} has more than {MAX_FILES} files")
    manifest = Manifest(
        id=pack.id, version=pack.version, title=pack.title, publisher=pack.publisher,
        created=_dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        languages=list(pack.languages), min_app_version=__version__, files=files,
        successor_keys=[k.encoded for k in successors],
    )
    manifest_bytes = manifest.to_json()
    signature = key.sign(manifest_bytes, f"CaseGuide pack {pack.id} {pack.version} created {manifest.created}")
    out = Path(out)
    try:
        with replacing(out) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            zipped.writestr(MANIFEST, manifest_bytes)
            zipped.writestr(SIGNATURE, signature)
            for rel in sorted(files):
                zipped.write(src / rel, rel)
    except OSError as exc:
        raise CaseGuideError(f"cannot write {out} ({exc.strerror})") from None
    return manifest


# Checking ---------------------------------------------------------------------------

@dataclass
class VerifiedPack:
    manifest: Manifest
    key_id: str
    key_scope: str
    trusted_comment: str
    signer: PublicKey | None = None  # the trusted key whose signature verified
    root: Path | None = None  # the extracted pack source, once extracted
    guides: list = field(default_factory=list)  # its guides, parsed once while checking

    @property
    def guide_ids(self) -> list[str]:
        return [guide.id for guide in self.guides]


def _not_a_zip(path: Path) -> PackRefused:
    return PackRefused(f"{path.name} is not a CaseGuide pack: it is not a ZIP archive. "
                       "Check that it is the .cgpack file the publisher sent, and that it "
                       "copied completely")


def _central_directory(handle, size: int) -> tuple[int, int]:
    """(entries, bytes) of the archive's central directory, as its end record says: read from the
    last 64 KiB before zipfile lists anything, so an archive that claims millions of entries is
    refused from those few bytes (zipfile would spend seconds and gigabytes listing them)."""
    tail_size = min(size, EOCD_SEARCH)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return -1, -1
    _disk, _cd_disk, _here, entries, cd_size, _cd_offset, _comment = struct.unpack("<4HIIH", tail[at + 4:at + 22])
    if at >= 20 and tail[at - 20:at - 16] == b"PK\x06\x07":  # a ZIP64 end record, found through its locator
        (zip64_at,) = struct.unpack("<Q", tail[at - 12:at - 4])
        if 0 <= zip64_at <= size - 56:
            handle.seek(zip64_at)
            record = handle.read(56)
            if record[:4] == b"PK\x06\x06":
                entries, cd_size = struct.unpack("<QQ", record[32:48])
    return entries, cd_size


@contextlib.contextmanager
def _open(path: Path):
    """The pack file as a ZipFile, once its type, size and directory's size have been checked."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)  # without waiting: a FIFO given as a pack is refused, not waited on
    except FileNotFoundError:
        raise PackRefused(f"{path} does not exist") from None
    except IsADirectoryError:
        raise PackRefused(f"{path} is a folder, not a pack file") from None
    except OSError as exc:
        raise PackRefused(f"{path} cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise PackRefused(f"{path} is a folder, not a pack file")
        if not stat.S_ISREG(info.st_mode):
            raise PackRefused(f"{path} is not an ordinary file (it is a device, a pipe or a socket), "
                              "so it cannot be a pack")
        if info.st_size > MAX_ARCHIVE_BYTES:
            raise PackRefused(f"{path} is larger than any pack CaseGuide accepts")
        try:
            entries, cd_size = _central_directory(handle, info.st_size)
        except (OSError, struct.error):
            raise _not_a_zip(path) from None
        if entries < 0:
            raise _not_a_zip(path)
        if entries > MAX_ENTRIES or cd_size > MAX_CENTRAL_DIRECTORY_BYTES:
            raise PackRefused(f"the pack lists {entries:,} files in {cd_size:,} bytes of directory; CaseGuide "
                              f"accepts at most {MAX_FILES:,} files, so it is refused without unpacking it")
        try:
            handle.seek(0)
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError):
            raise _not_a_zip(path) from None
        with archive:
            yield archive


def _check_structure(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    for info in archive.infolist():  # names first: an empty one would break is_dir() below
        problem = check_member_name(info.filename)
        if problem:
            raise PackRefused(f"the pack holds a file named {info.filename!r} with {problem}; "
                              "it may be an attack, and is refused")
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_FILES + len(RESERVED):
        raise PackRefused(f"the pack holds more than {MAX_FILES} files; CaseGuide refuses it")
    seen: dict[str, str] = {}
    total = 0
    for info in archive.infolist():
        # As stored: on Windows zipfile turns backslashes into slashes in .filename.
        problem = check_member_name(info.orig_filename)
        if problem:
            raise PackRefused(f"the pack holds a file named {info.orig_filename!r} with {problem}; "
                              "it may be an attack, and is refused")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise PackRefused(f"the pack holds a symbolic link ({info.filename}); it is refused")
        if info.flag_bits & 0x1:
            raise PackRefused("the pack holds encrypted files; it is refused")
        if info.is_dir():
            continue
        folded = info.filename.casefold()
        if folded in seen:
            what = "twice" if seen[folded] == info.filename else f"twice, differing only in case ({seen[folded]})"
            raise PackRefused(f"the pack holds {info.filename!r} {what}; it is refused")
        seen[folded] = info.filename
        total += info.file_size
        if info.file_size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
            raise PackRefused(f"the pack unpacks to more than CaseGuide accepts ({MAX_FILE_BYTES // 2**20} MB "
                              f"a file, {MAX_TOTAL_BYTES // 2**20} MB in all); it is refused")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackRefused(f"{info.filename} in the pack compresses {info.file_size // max(info.compress_size, 1)}"
                              " times over, which is what a zip bomb does; the pack is refused")
    return members


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise PackRefused(f"the pack has no {name}: it is not signed. Ask the publisher for a signed "
                          "pack (caseguide pack build)") from None
    if info.file_size > limit:
        raise PackRefused(f"the pack's {name} is too large")
    try:
        with archive.open(info) as handle:
            return handle.read(limit + 1)[: limit + 1]
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, zlib.error, EOFError) as exc:
        raise PackRefused(f"the pack is damaged ({exc})") from None


def check_signature(archive: zipfile.ZipFile, keys) -> tuple[Manifest, bytes, object, Signature]:
    manifest_bytes = _read_member(archive, MANIFEST, MAX_MANIFEST_BYTES)
    signature_bytes = _read_member(archive, SIGNATURE, 4096)
    try:
        signature = Signature.parse(signature_bytes.decode("utf-8"))
    except (UnicodeDecodeError, SignatureError) as exc:
        raise PackRefused(f"the pack's signature is damaged: {exc}") from None
    # Looked up by id, then checked against each candidate's full public key: an id proves nothing.
    candidates = [k for k in keys if k.key.key_id == signature.key_id]
    if not candidates:
        raise PackRefused(
            f"the pack is signed by key {signature.key_id_text}, which is not a trusted publisher here. "
            "If you trust the publisher, get their .pub file from them directly and run "
            "'caseguide trust add FILE.pub' (add --system for every account), then try again")
    problem = None
    for key in candidates:
        try:
            signature.verify(manifest_bytes, key.key)
        except SignatureError as exc:
            problem = exc
            continue
        return Manifest.from_json(manifest_bytes), manifest_bytes, key, signature
    raise PackRefused(f"the pack's signature does not verify: {problem}")


def verify(path: Path, keys, extract_to: Path | None = None) -> VerifiedPack:
    """Check the pack at *path* against the trusted *keys*; extract it into *extract_to* if given.

    Raises PackRefused with the reason. *extract_to* must be a new, empty, private folder.
    """
    path = Path(path)
    with _open(path) as archive:
        members = _check_structure(archive)
        manifest, _raw, key, signature = check_signature(archive, keys)
        names = {m.filename for m in members} - RESERVED
        listed = set(manifest.files)
        if names - listed:
            raise PackRefused(f"the pack holds files its signed manifest does not list "
                              f"({', '.join(sorted(names - listed)[:5])}); it was changed after signing")
        if listed - names:
            raise PackRefused(f"files listed in the pack's manifest are missing "
                              f"({', '.join(sorted(listed - names)[:5])}); the pack is incomplete")
        for name in listed:
            problem = check_member_name(name)
            if problem:
                raise PackRefused(f"the manifest names {name!r} with {problem}; it is refused")
            if archive.getinfo(name).file_size != manifest.files[name][0]:
                raise PackRefused(f"{name} in the pack is not the size its signed manifest says; "
                                  "the pack was changed after signing, or is damaged")
        try:
            needed = parse_version(manifest.min_app_version)
            current = parse_version(__version__)
        except ValueError:
            raise PackRefused("the pack's manifest has a bad min_app_version") from None
        if needed > current:
            raise PackRefused(f"the pack needs CaseGuide {manifest.min_app_version} or newer; this is "
                              f"{__version__}. Update CaseGuide first")
        result = VerifiedPack(manifest, key.id, key.scope, clean_text(signature.trusted_comment), key.key)
        if extract_to is not None:
            _extract(archive, manifest, Path(extract_to))
            result.root = Path(extract_to)
            _check_content(result)
    return result


def _extract(archive: zipfile.ZipFile, manifest: Manifest, root: Path) -> None:
    """Unpack into the new folder *root*: folders 0755 and files 0644 whatever the umask (an
    installed pack is read by every account, and changed by none), never writing through a link."""
    for name, (size, sha256) in sorted(manifest.files.items()):
        target = root.joinpath(*name.split("/"))
        make_safe_dirs(target.parent, root.parent)
        digest = hashlib.sha256()
        written = 0
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | getattr(os, "O_BINARY", 0),
                         FILE_MODE)
            if os.name == "posix":
                os.fchmod(fd, FILE_MODE)
            with archive.open(name) as source, os.fdopen(fd, "wb") as out:
                while chunk := source.read(CHUNK):
                    written += len(chunk)
                    if written > size:
                        raise PackRefused(f"{name} in the pack is larger than its signed manifest says; "
                                          "the pack is refused")
                    digest.update(chunk)
                    out.write(chunk)
        except (zipfile.BadZipFile, NotImplementedError, ValueError, zlib.error, EOFError) as exc:
            raise PackRefused(f"the pack is damaged ({name}: {exc})") from None
        if written != size or digest.hexdigest() != sha256:
            raise PackRefused(f"{name} in the pack does not match its signed manifest; the pack was "
                              "changed after signing, or is damaged")


def _check_content(result: VerifiedPack) -> None:
    try:
        pack = read_pack_source(result.root, "staging")
    except PackError as exc:
        raise PackRefused(f"the pack's pack.toml is not usable: {str(exc).split(': ', 1)[-1]}") from None
    manifest = result.manifest
    if (pack.id, pack.version) != (manifest.id, manifest.version):
        raise PackRefused("the pack's pack.toml and its signed manifest disagree about its id or version")
    guides, loaded = load_guides([pack])
    problems = []
    for problem in loaded:
        rel = problem.path.relative_to(result.root).as_posix()
        if problem.duplicate_of is not None:
            problems.append(f"{rel}: id {problem.guide_id!r} is used twice")
        else:
            problems.append(f"{rel}{':' + str(problem.line) if problem.line else ''}: {problem.reason}")
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise PackRefused(f"guides in the pack are not valid, so it is refused: {shown}")
    result.guides = list(guides.values())
