"""The interface's languages: one gettext system for the core and the window."""

import json

from caseguide import i18n
from caseguide.cli import main


def test_english_is_always_there_and_unknown_languages_fall_back_to_it():
    assert "en" in i18n.available()
    assert i18n.set_language("xx-YY") == "en"
    assert i18n._("Search guides") == "Search guides"
    assert i18n.ngettext("{n} guide", "{n} guides", 2) == "{n} guides"
    assert i18n.choose("", ["xx_YY.UTF-8"]) == "en"


def test_codes_are_normalised_from_what_systems_say():
    assert i18n.normalise("EN") == "en"
    assert i18n.normalise("ar_SY.UTF-8") == "ar"
    assert i18n.normalise("") == ""


def test_right_to_left_and_native_names_come_from_the_locale_data():
    assert i18n.is_rtl("ar") and i18n.is_rtl("fa") and i18n.is_rtl("ur") and i18n.is_rtl("ckb")
    assert not i18n.is_rtl("uk") and not i18n.is_rtl("en")
    assert i18n.native_name("ar") == "العربية"
    assert i18n.native_name("fa") == "فارسی"


def test_the_interface_languages_names_kept_without_babel_are_babels_own(monkeypatch):
    # i18n.KNOWN saves the window's start loading Babel's locale data (issue 26); it must say what
    # Babel says, and name every interface language.
    assert set(i18n.KNOWN) >= set(i18n.available())
    monkeypatch.setattr(i18n, "KNOWN", {})
    babel = {code: (i18n.native_name(code), i18n.is_rtl(code)) for code in i18n.available()}
    monkeypatch.undo()
    assert {code: i18n.KNOWN[code] for code in i18n.available()} == babel
    assert i18n.native_name("pl") == "Polski"  # any other language is asked of Babel


def test_the_languages_command_lists_each_interface_language(capsys):
    assert main(["languages", "--json"]) == 0
    rows = {row["code"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["en"] == {"code": "en", "name": "English", "ui": True, "complete": 1.0, "reviewed": True,
                          "rtl": False}
    assert set(rows) == set(i18n.available())
