"""The interface's languages: gettext catalogs shared by the core and the window.

Every word CaseGuide says goes through :func:`_` (or :func:`ngettext` for counts, :func:`N_` to mark a
word that is translated later, where it is shown). The catalogs are ``caseguide/locale/<code>/
LC_MESSAGES/caseguide.po``, reviewed as text, compiled to ``.mo`` when CaseGuide is installed (never
committed: see caseguide/_build.py) and read here through importlib.resources.

Two kinds of language are in play, and they are kept apart:

- the **interface language**, chosen by the ``ui.language`` setting (empty: the system's), or by a
  visitor for their own session: :func:`set_language` makes it the one :func:`_` uses;
- a **guide's language**, which decides the words printed on its handout (labels, dates, page
  numbers, the disclaimer): :func:`translator` gives a catalog for any language without changing the
  interface's.

Each catalog's header comment says whether a native speaker has reviewed it ("# Review status:
reviewed"); CaseGuide's own first translations are drafts ("# Review status: draft") until then.
"""

from __future__ import annotations

import functools
import gettext
import re
from dataclasses import asdict, dataclass
from importlib import resources as _resources
from pathlib import Path

DOMAIN = "caseguide"
SOURCE_LANGUAGE = "en"
# The languages Babel says are written right to left (tests/test_bundle_locales.py checks): used when
# Babel has no data for a code, as in the bundle, which carries Babel's data only for the interface's
# languages (build_installer.py).
_RTL = frozenset({"apc", "ar", "ary", "bal", "bgn", "bqi", "brh", "ckb", "dv", "fa", "he", "ks", "lrc", "mzn",
                  "nqo", "ps", "rhg", "sd", "sdh", "skr", "syr", "trw", "ug", "ur", "yi"})
_CODE_RE = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z0-9]{2,8})?$")
# The interface's languages in their own words, and whether they are written right to left: what
# Babel says (tests/test_i18n.py checks), kept here so that naming them (the language button, at
# start-up) does not load Babel's locale data, about 0.1 s. Any other code is asked of Babel.
KNOWN = {
    "ar": ("العربية", True), "ckb": ("کوردیی ناوەندی", True), "en": ("English", False),
    "fa": ("فارسی", True), "fr": ("Français", False), "sq": ("Shqip", False), "ti": ("ትግርኛ", False),
    "uk": ("Українська", False), "ur": ("اردو", True),
}


def N_(message: str) -> str:
    """Mark *message* for translation where it is shown, not here (module-level labels)."""
    return message


def _locale_dir() -> Path | None:
    try:
        folder = _resources.files("caseguide") / "locale"
    except ModuleNotFoundError:  # pragma: no cover - the package itself is missing
        return None
    return folder if isinstance(folder, Path) and folder.is_dir() else None


def normalise(code: str | None) -> str:
    """'ar-SY' -> 'ar', 'pt_BR' -> 'pt_BR' if there is a catalog for it, 'EN' -> 'en'; '' for nothing."""
    if not code:
        return ""
    code = code.replace("-", "_").split(".")[0].split("@")[0]
    base, _, region = code.partition("_")
    full = f"{base.lower()}_{region.upper()}" if region else base.lower()
    return full if full in available() else base.lower()


@functools.lru_cache(maxsize=None)
def available() -> tuple[str, ...]:
    """The interface languages: English, and every language with a catalog, sorted by code."""
    codes = {SOURCE_LANGUAGE}
    folder = _locale_dir()
    if folder is not None:
        codes |= {d.name for d in folder.iterdir()
                  if _CODE_RE.match(d.name) and (d / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()}
    return tuple(sorted(codes))


@functools.lru_cache(maxsize=None)
def translator(code: str) -> gettext.NullTranslations:
    """The catalog for *code* (English, the source language, for an unknown code or a missing one)."""
    code = normalise(code)
    folder = _locale_dir()
    if not code or code == SOURCE_LANGUAGE or folder is None:
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, localedir=str(folder), languages=[code])
    except OSError:  # no compiled catalog: the installation was not built properly, or no such language
        return gettext.NullTranslations()


_current: gettext.NullTranslations = gettext.NullTranslations()
_current_code = SOURCE_LANGUAGE


def set_language(code: str | None) -> str:
    """Make *code* the interface language (English if there is no catalog for it); returns the code used."""
    global _current, _current_code
    code = normalise(code)
    if code not in available():
        code = SOURCE_LANGUAGE
    _current, _current_code = translator(code), code
    return code


def current_language() -> str:
    return _current_code


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _current.pgettext(context, message)


def is_rtl(code: str) -> bool:
    """True if *code*'s script is written right to left."""
    code = normalise(code)
    if not code:
        return False
    if code in KNOWN:
        return KNOWN[code][1]
    try:
        from babel import Locale, UnknownLocaleError

        try:
            return Locale.parse(code).character_order == "right-to-left"
        except (UnknownLocaleError, ValueError, OSError):
            pass
    except ImportError:  # pragma: no cover - Babel is a dependency
        pass
    return code.split("_")[0] in _RTL


def native_name(code: str) -> str:
    """The language's name in that language ('العربية' for 'ar'). Where Babel has no data for it (the
    bundle carries only the interface's languages), its name in the interface's language, else in
    English ('German'); the code if Babel knows no name for it at all."""
    known = KNOWN.get(normalise(code) or code)
    if known is not None:
        return known[0]
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:  # pragma: no cover - Babel is a dependency
        return code
    try:
        name = Locale.parse(normalise(code) or code).get_display_name()
    except (UnknownLocaleError, ValueError, OSError):
        name = _name_in_interface(normalise(code) or code)
    return name[:1].upper() + name[1:] if name else code


def _name_in_interface(code: str) -> str:
    """*code*'s name in the interface's language or, failing that, in English; '' if neither knows it."""
    from babel import Locale, UnknownLocaleError

    for language in dict.fromkeys((current_language(), SOURCE_LANGUAGE)):
        try:
            names = Locale.parse(language).languages
        except (UnknownLocaleError, ValueError, OSError):
            continue
        name = names.get(code) or names.get(code.split("_")[0])
        if name:
            return name
    return ""


def choose(setting: str, system_preferences=()) -> str:
    """The interface language: the ``ui.language`` setting if it names one CaseGuide has, else the
    first of the system's preferred languages it has, else English."""
    for candidate in ([setting] if setting else []) + list(system_preferences):
        code = normalise(candidate)
        if code in available():
            return code
        if code and code.split("_")[0] in available():
            return code.split("_")[0]
    return SOURCE_LANGUAGE


def system_preferences() -> list[str]:
    """The system's preferred languages as the environment says (LANGUAGE, LC_ALL, LC_MESSAGES, LANG);
    the window adds Qt's own reading of the platform's settings, which also works on Windows."""
    import os

    found = []
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in os.environ.get(var, "").split(":"):
            if part and part not in ("C", "POSIX") and not part.startswith("C."):
                found.append(part)
    return found


@dataclass(frozen=True)
class LanguageInfo:
    code: str
    name: str  # the native name
    ui: bool  # an interface language (has a catalog, or is English)
    complete: float  # share of the interface's messages translated, 0 to 1
    reviewed: bool  # a native speaker has reviewed the catalog
    rtl: bool

    def as_dict(self) -> dict:
        return asdict(self)


def catalog_path(code: str) -> Path | None:
    folder = _locale_dir()
    path = folder / code / "LC_MESSAGES" / f"{DOMAIN}.po" if folder is not None else None
    return path if path is not None and path.is_file() else None


def language_info(code: str) -> LanguageInfo:
    """What :func:`available` knows of *code*, read from its catalog's messages and header."""
    if code == SOURCE_LANGUAGE:
        return LanguageInfo(code, native_name(code), True, 1.0, True, False)
    path = catalog_path(code)
    if path is None:
        return LanguageInfo(code, native_name(code), False, 0.0, False, is_rtl(code))
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=code)
    messages = [m for m in catalog if m.id]
    done = sum(1 for m in messages if not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string))
    status = re.search(r"Review status:\s*(\w+)", catalog.header_comment or "")
    reviewed = bool(status) and status.group(1).lower() == "reviewed"
    return LanguageInfo(code, native_name(code), True, round(done / len(messages), 3) if messages else 0.0,
                        bool(reviewed), is_rtl(code))
