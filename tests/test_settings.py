"""Settings: types, machine-wide locks, damaged files, and the CLI."""

import json

import pytest

from caseguide import paths, settings
from caseguide.cli import main
from caseguide.errors import CaseGuideError


def test_defaults_and_user_values():
    assert settings.Settings().get("handout.paper") == "a4"
    settings.set_value("handout.paper", "letter")
    assert settings.Settings().get("handout.paper") == "letter"


def test_multiline_contact_from_the_command_line(capsys):
    assert main(["settings", "set", "organisation.contact", "1 High St\\nLondon"]) == 0
    capsys.readouterr()
    assert main(["settings", "get", "organisation.contact"]) == 0
    assert capsys.readouterr().out == "1 High St\nLondon\n"


@pytest.mark.parametrize("key,value,expected", [
    ("handout.paper", "a5", "one of: a4, letter"),
    ("organisation.name", "two\nlines", "one line"),
    ("organisation.name", "x" * 300, "at most 200"),
    ("shared.idle_reset_seconds", "5", "from 30 to 86400"),
    ("shared.idle_reset_seconds", "soon", "whole number"),
    ("nonsense.key", "1", "there is no setting"),
])
def test_bad_values_are_refused_and_nothing_changes(key, value, expected):
    before = sorted(paths.user_config_dir().rglob("*"))
    with pytest.raises(CaseGuideError, match=expected):
        settings.set_value(key, value, system=key.startswith("shared."))
    assert sorted(paths.user_config_dir().rglob("*")) == before


def test_machine_wide_values_are_defaults_unless_locked():
    settings.set_value("organisation.name", "Org Wide", system=True)
    assert settings.Settings().get("organisation.name") == "Org Wide"
    settings.set_value("organisation.name", "Mine")
    assert settings.Settings().get("organisation.name") == "Mine"
    settings.set_value("organisation.name", "Org Wide", system=True, lock=True)
    assert settings.Settings().get("organisation.name") == "Org Wide"
    with pytest.raises(CaseGuideError, match="locked machine-wide"):
        settings.set_value("organisation.name", "Mine again")


def test_shared_mode_is_machine_wide_only_and_a_visitor_cannot_turn_it_off():
    with pytest.raises(CaseGuideError, match="machine-wide setting"):
        settings.set_value("shared.enabled", "true")
    settings.set_value("shared.enabled", "true", system=True)
    user_file = paths.user_config_dir() / "settings.json"
    user_file.parent.mkdir(parents=True, exist_ok=True)
    user_file.write_text(json.dumps({"settings": {"shared.enabled": False}}))  # edited by hand
    assert settings.Settings().shared_mode is True


@pytest.mark.parametrize("content", [b"{not json", b"[]", b'{"settings": {"handout.paper": "a0"}}',
                                     b"\xff\xfe", b'{"settings": []}'])
def test_a_damaged_file_gives_defaults_and_a_warning(content, caplog):
    path = paths.user_config_dir() / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert settings.Settings().get("handout.paper") == "a4"
    assert "settings.json" in caplog.text


def test_cli_usage_and_errors(capsys):
    assert main(["settings", "set", "handout.paper", "a5"]) == 1
    assert "a5" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["settings", "frob"])
    assert info.value.code == 2
