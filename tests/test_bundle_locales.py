"""The bundle carries Babel's locale data only for the interface's languages (build_installer.py):
a guide in any other language still renders, prints and names its language, falling back to English.

These tests point Babel at a folder holding just what the bundle keeps, so they run as the bundle does.
"""

import datetime as dt
import importlib.util
import shutil

import pytest

from caseguide import i18n
from caseguide.guides.handout import HandoutOptions, compose
from caseguide.guides.render import format_date, guide_page, guide_text
from caseguide.library import Library

from .conftest import REPO, guide_file


def _build_installer():
    spec = importlib.util.spec_from_file_location("build_installer", REPO / "build_installer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _forget_babel_data():
    from babel import localedata

    localedata._cache.clear()
    localedata.exists.cache_clear()
    localedata.locale_identifiers.cache_clear()


@pytest.fixture
def bundled_babel(tmp_path, monkeypatch):
    """Babel as the bundle has it: root, English and the interface's languages only."""
    from babel import localedata

    kept = _build_installer().babel_locales(i18n.available())
    folder = tmp_path / "locale-data"
    folder.mkdir()
    for name in kept:
        shutil.copy(f"{localedata._dirname}/{name}.dat", folder)
    monkeypatch.setattr(localedata, "_dirname", str(folder))
    _forget_babel_data()
    yield kept
    monkeypatch.undo()
    _forget_babel_data()
    i18n.set_language("en")


def test_the_bundle_keeps_only_the_interface_languages_and_what_they_inherit():
    kept = _build_installer().babel_locales(i18n.available())
    assert kept == set(i18n.available()) | {"root"}
    # a regional catalog would bring its parents: en_GB inherits from en_001, then en
    assert _build_installer().babel_locales(["en_GB"]) == {"en_GB", "en_001", "en", "root"}


def test_every_right_to_left_language_babel_knows_is_right_to_left_without_its_data():
    from babel import Locale
    from babel.localedata import locale_identifiers

    babel_rtl = {code for code in locale_identifiers()
                 if "_" not in code and Locale.parse(code).character_order == "right-to-left"}
    assert babel_rtl == set(i18n._RTL)


def test_a_language_whose_data_was_dropped_falls_back_to_english(bundled_babel):
    assert "de" not in bundled_babel and "he" not in bundled_babel
    assert format_date(dt.date(2026, 12, 1), "de") == "1 December 2026"
    assert format_date(dt.date(2026, 12, 1), "fr") == "1 décembre 2026"  # kept: still Babel's
    assert i18n.native_name("de") == "German"  # not its own name, Deutsch: that data is gone
    assert i18n.is_rtl("he") and not i18n.is_rtl("de")
    i18n.set_language("ar")
    assert i18n.native_name("de") == "الألمانية"  # in the interface's language where it knows one
    assert i18n.native_name("qqq") == "qqq"


def test_a_guide_in_such_a_language_renders_and_prints(bundled_babel, make_pack):
    pack = make_pack({
        "en.md": guide_file("Ask for your file.", id="access", title="Getting your file"),
        "de.md": guide_file("Fragen Sie nach Ihrer Akte.", id="access-de", title="Ihre Akte", language="de",
                            translation_of="access", reviewed="2026-12-01"),
        "he.md": guide_file("בקשו את התיק שלכם.", id="access-he", title="התיק שלכם", language="he",
                            translation_of="access"),
    })
    library = Library.discover(pack)
    german, english = library.get("access-de"), library.get("access")
    page = guide_page(german, library)
    assert "1 December 2026" in page  # its date, in English: there is no German catalog or data
    assert "Fragen Sie nach Ihrer Akte." in page
    assert "German" in guide_page(english, library) and "Hebrew" in guide_page(english, library)
    assert "1 December 2026" in guide_text(german, library)
    handout = compose([german, library.get("access-he")], library,
                      HandoutOptions(printed=dt.date(2026, 12, 7)))
    assert "7 December 2026" in handout and "Ihre Akte" in handout and "התיק שלכם" in handout
