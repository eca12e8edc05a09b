"""Settings: a person's own, and the machine-wide ones an organisation deploys.

Two JSON files, the user's (``settings.json`` in the user config folder) and
the machine-wide one (in the site config folder)::

    {"format": 1, "settings": {"organisation.name": "Hope Centre"}, "locked": ["organisation.name"]}

A value is looked up in this order: the machine-wide value if that key is
locked there; else the user's value; else the machine-wide value; else the
default. Keys under ``shared.`` are only ever read from the machine-wide
file: a visitor on a shared PC cannot turn shared mode off.

On a shared PC (``shared.enabled`` set machine-wide) the user's file is not
read at all: every visitor uses the same account, so whatever one of them
wrote there would reach the next. Everything then comes from the machine-wide
file, which only staff can write.

Every value is checked against the key's type on the way in and on the way
out, so a hand-edited or damaged file gives a warning and the default, never a
crash.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .errors import CaseGuideError
from .nations import NATIONS
from .fsutil import atomic_write, make_safe_dirs, no_rights, read_small_file
from .limits import parse_json

log = logging.getLogger(__name__)

FILE_NAME = "settings.json"
MAX_FILE_BYTES = 256 * 1024


@dataclass(frozen=True)
class Key:
    name: str
    kind: str  # text | multiline | choice | bool | int | language
    default: object
    help: str
    choices: tuple = ()
    minimum: int = 0
    maximum: int = 0
    max_length: int = 200
    machine_only: bool = False

    def parse(self, value):
        """A value from a file or the command line, checked; raises ValueError saying what is wanted."""
        if self.kind in ("text", "multiline"):
            if not isinstance(value, str):
                raise ValueError("it must be text")
            value = value.replace("\r\n", "\n").replace("\\n", "\n") if self.kind == "multiline" else value
            if self.kind == "text" and "\n" in value:
                raise ValueError("it must be one line")
            value = "\n".join(line.rstrip() for line in value.strip().split("\n"))
            if len(value) > self.max_length:
                raise ValueError(f"it must be at most {self.max_length} characters")
            if any(ord(c) < 32 and c != "\n" for c in value):
                raise ValueError("it must not hold control characters")
            return value
        if self.kind == "choice":
            if value not in self.choices:
                raise ValueError(f"it must be one of: {', '.join(self.choices)}")
            return value
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            words = {"true": True, "yes": True, "on": True, "1": True,
                     "false": False, "no": False, "off": False, "0": False}
            if isinstance(value, str) and value.strip().lower() in words:
                return words[value.strip().lower()]
            raise ValueError("it must be true or false")
        if self.kind == "int":
            if isinstance(value, bool):
                raise ValueError("it must be a whole number")
            if isinstance(value, float) and not value.is_integer():
                raise ValueError("it must be a whole number")
            try:
                number = int(value)
            except (TypeError, ValueError, OverflowError):
                raise ValueError("it must be a whole number") from None
            if not self.minimum <= number <= self.maximum:
                raise ValueError(f"it must be from {self.minimum} to {self.maximum}")
            return number
        if self.kind == "language":
            from . import i18n

            if not isinstance(value, str):
                raise ValueError("it must be a language code")
            code = value.strip()
            if code and i18n.normalise(code) not in i18n.available():
                raise ValueError(f"it must be empty (the system's language) or one of: "
                                 f"{', '.join(i18n.available())}")
            return i18n.normalise(code)
        raise AssertionError(self.kind)


KEYS = {k.name: k for k in [
    Key("organisation.name", "text", "", "Your organisation's name, printed on handouts."),
    Key("organisation.contact", "multiline", "", "Address, phone, opening hours: printed on handouts "
        "(several lines; on the command line write \\n between lines).", max_length=1000),
    Key("organisation.nation", "choice", "", "The UK nation whose law the organisation's centres work under: "
        "england, scotland, wales or northern-ireland (empty: not set). Guides for it come first, and a guide "
        "about another nation's law says so when opened and printed.",
        choices=("", *NATIONS)),
    Key("handout.paper", "choice", "a4", "Paper size for handouts.", choices=("a4", "letter")),
    Key("handout.qr", "bool", True, "Print a QR code of each source's address beside it on handouts, so a "
        "phone can open it."),
    Key("shared.enabled", "bool", False, "Shared-PC mode: nothing a visitor does is kept. Machine-wide only.",
        machine_only=True),
    Key("shared.idle_reset_seconds", "int", 300, "In shared mode, start afresh after this many seconds "
        "with no use. Machine-wide only.", minimum=30, maximum=86400, machine_only=True),
    Key("ui.language", "language", "", "The interface's language, as a code such as ar or fa (run 'caseguide "
        "languages'). Empty: follow the system's language. On a shared PC a visitor can change it for "
        "their own session; End session goes back to this."),
    Key("quick_exit.action", "choice", "", "After Quick exit: quit, or hide and keep running. Empty means "
        "quit in shared mode and hide otherwise.", choices=("", "quit", "hide")),
    # Updates from a publisher's feed (caseguide update; caseguide/updates/)
    Key("updates.source", "text", "", "The feed 'caseguide update' reads: a web address (https://...) or a "
        "folder (a file share, a USB stick). 'caseguide update --from' sets it.", max_length=1000),
    Key("updates.warn_after_days", "int", 30, "The window warns when the guides were last updated from their "
        "feed more than this many days ago.", minimum=1, maximum=3650),
]}


def _file(system: bool) -> Path:
    return (paths.site_config_dir() if system else paths.user_config_dir()) / FILE_NAME


def _read(system: bool) -> tuple[dict, set]:
    path = _file(system)
    try:
        raw = read_small_file(path, MAX_FILE_BYTES, "a settings file", optional=True)
    except CaseGuideError as exc:
        log.warning("%s; using defaults", exc)
        return {}, set()
    if raw is None:
        return {}, set()
    try:
        data = parse_json(raw, str(path))
        if not isinstance(data, dict):
            raise CaseGuideError("it is not a settings file")
        values, locked = data.get("settings", {}), data.get("locked", [])
        if not isinstance(values, dict) or not isinstance(locked, list):
            raise CaseGuideError("it is not a settings file")
    except CaseGuideError as exc:
        log.warning("%s is damaged (%s); using defaults until it is fixed or set again", path, exc)
        return {}, set()
    checked = {}
    for name, value in values.items():
        key = KEYS.get(name)
        if key is None:
            continue  # a setting from a newer or older CaseGuide: left alone
        try:
            checked[name] = key.parse(value)
        except ValueError as exc:
            log.warning("%s: %s is not used: %s", path, name, exc)
    return checked, {n for n in locked if isinstance(n, str)}


class Settings:
    """The effective settings, read once; call :meth:`reload` to see changes on disk."""

    def __init__(self):
        self.reload()

    def reload(self) -> None:
        self._site, self._locked = _read(system=True)
        # On a shared PC the user's file is a visitor's to write, so it is not read at all.
        self._user = {} if self._site.get("shared.enabled") else _read(system=False)[0]

    def _lookup(self, name: str) -> tuple[object, str]:
        """(value, where it came from: organisation, own or default), in the docstring's order."""
        key = _key(name)
        if name in self._site and (name in self._locked or key.machine_only):
            return self._site[name], "organisation"
        if name in self._user and not key.machine_only:
            return self._user[name], "own"
        if name in self._site:
            return self._site[name], "organisation"
        return key.default, "default"

    def get(self, name: str):
        return self._lookup(name)[0]

    def is_locked(self, name: str) -> bool:
        """True if a person's own setting for *name* would be ignored (always, on a shared PC)."""
        key = _key(name)
        return key.machine_only or self.shared_mode or (name in self._locked and name in self._site)

    def origin(self, name: str) -> str:
        """Where the value of *name* comes from: "organisation" (the machine-wide file), "own" (the
        person's own file) or "default"."""
        return self._lookup(name)[1]

    def source(self, name: str) -> str:
        """Where the value of *name* comes from, in words for ``settings get``."""
        origin = self.origin(name)
        if origin == "organisation":
            locked = " (locked)" if name in self._locked and not _key(name).machine_only else ""
            return ("set by your organisation for this shared PC" if self.shared_mode
                    else f"set by your organisation{locked}")
        return "your own" if origin == "own" else "default"

    def machine_wide(self, name: str):
        """The machine-wide file's value for *name* (or the default), whatever a person set."""
        return self._site.get(name, _key(name).default)

    @property
    def shared_mode(self) -> bool:
        return bool(self._site.get("shared.enabled", False))


SHARED_SETTINGS = ("this is a shared PC: its settings are managed by your organisation, and settings "
                   "saved for this account are not used. A member of staff can change them for everyone "
                   "as the PC's administrator, with --system")


def _key(name: str) -> Key:
    try:
        return KEYS[name]
    except KeyError:
        raise CaseGuideError(f"there is no setting {name!r}; the settings are: {', '.join(KEYS)}") from None


def set_value(name: str, value, system: bool = False, lock: bool = False) -> object:
    """Check and store one setting; returns the stored value. Raises CaseGuideError saying what is wrong."""
    key = _key(name)
    if key.machine_only and not system:
        raise CaseGuideError(f"{name} is a machine-wide setting: set it with --system, as the PC's "
                             "administrator")
    if lock and not system:
        raise CaseGuideError("only machine-wide settings can be locked: add --system")
    if not system and _read(system=True)[0].get("shared.enabled"):
        raise CaseGuideError(SHARED_SETTINGS)
    try:
        parsed = key.parse(value)
    except ValueError as exc:
        raise CaseGuideError(f"{value!r} is not a valid {name}: {exc}") from None
    site, site_locked = _read(system=True)
    if not system and name in site and name in site_locked:
        raise CaseGuideError(f"{name} is set and locked machine-wide by your organisation; ask whoever "
                             "looks after this PC to change it")
    values, locked = _read(system)
    values[name] = parsed
    if lock:
        locked.add(name)
    _write(system, values, locked)
    return parsed


def unset_value(name: str, system: bool = False) -> None:
    _key(name)
    values, locked = _read(system)
    values.pop(name, None)
    locked.discard(name)
    _write(system, values, locked)


def _write(system: bool, values: dict, locked: set) -> None:
    path = _file(system)
    data = {"format": 1, "settings": values, "locked": sorted(locked)}
    try:
        make_safe_dirs(path.parent, path.parent)
        atomic_write(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    except PermissionError:
        raise no_rights(path.parent, system) from None
    except OSError as exc:
        raise CaseGuideError(f"cannot save settings in {path} ({exc.strerror}); nothing was changed") from None


def format_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
