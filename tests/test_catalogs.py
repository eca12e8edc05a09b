"""The interface's catalogs: complete, and every translation keeps what the program fills in.

A translation that drops a {placeholder}, changes the HTML around a word, or loses the '&' that marks
a menu's keyboard letter breaks the window for everyone reading that language; a catalog that lacks
a message leaves English in the middle of it.
"""

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from caseguide import i18n
from caseguide.cli import main

CATALOGS = sorted(code for code in i18n.available() if code != "en")
PLACEHOLDER_RE = re.compile(r"\{[a-z_]+\}")
TAG_RE = re.compile(r"</?[a-z]+[^>]*>")


def messages(code):
    with open(i18n.catalog_path(code), "rb") as handle:
        catalog = read_po(handle, locale=code)
    return catalog, [m for m in catalog if m.id]


def test_at_least_six_languages_besides_english_arabic_and_farsi_among_them():
    assert {"ar", "fa"} <= set(CATALOGS) and len(CATALOGS) >= 6


@pytest.mark.parametrize("code", CATALOGS)
def test_every_message_is_translated_and_none_is_left_fuzzy(code):
    _catalog, found = messages(code)
    missing = [m.id for m in found if m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert missing == [], f"{code}: {len(missing)} untranslated, e.g. {missing[:3]}"


@pytest.mark.parametrize("code", CATALOGS)
def test_translations_keep_placeholders_markup_and_menu_letters(code):
    _catalog, found = messages(code)
    for message in found:
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in translations:
            if not text:
                continue
            assert set(PLACEHOLDER_RE.findall(text)) == set(PLACEHOLDER_RE.findall(source)), (code, source, text)
            assert sorted(TAG_RE.findall(text)) == sorted(TAG_RE.findall(source)), (code, source, text)
            if re.search(r"&[^&\s]", source):
                assert re.search(r"&[^&\s]", text), (code, source, text)
            if "%p%" in source:
                assert "%p%" in text, (code, source, text)


@pytest.mark.parametrize("code", CATALOGS)
def test_each_catalog_says_whether_a_native_speaker_reviewed_it(code):
    catalog, _found = messages(code)
    assert re.search(r"Review status:\s*(draft|reviewed)", catalog.header_comment)


def test_the_languages_command_reports_them_complete(capsys):
    import json
    assert main(["languages", "--json"]) == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert all(rows[code]["complete"] == 1.0 and rows[code]["ui"] for code in CATALOGS)
    assert rows["ar"]["rtl"] and rows["fa"]["rtl"] and not rows["uk"]["rtl"]


@pytest.mark.parametrize("code", CATALOGS)
def test_the_compiled_catalog_is_installed_and_used(code):
    assert i18n.translator(code).gettext("Search guides") != "Search guides"
    plural = i18n.translator(code).ngettext("{n} guide", "{n} guides", 21)
    assert "{n}" in plural


def test_every_word_marked_in_the_code_reaches_the_catalogs():
    """A word marked with _() that the extractor cannot see (on Python 3.11 it does not look inside
    f-strings) stays English in every language; every marked literal must be in the template."""
    with open(i18n.catalog_path("ar").parent.parent.parent / "caseguide.pot", "rb") as handle:
        template = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(handle) if m.id}
    package = Path(i18n.__file__).parent
    unseen = []
    for source in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            # _("..."), and _t(lang)("..."): a translator for another language, called at once
            marked = (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                      and node.func.id in ("_", "N_", "t", "ngettext"))
            at_once = (isinstance(node, ast.Call) and isinstance(node.func, ast.Call)
                       and isinstance(node.func.func, ast.Name) and node.func.func.id in ("_t", "translator"))
            if ((marked or at_once) and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                    and node.args[0].value not in template):
                unseen.append(f"{source.relative_to(package)}:{node.lineno}: {node.args[0].value!r}")
    assert unseen == [], "not in caseguide.pot (run scripts/dev.sh catalogs): " + "; ".join(unseen)


def test_a_checkout_whose_catalog_changed_after_install_gets_it_compiled_again(tmp_path):
    """A pull or a translator's file changes a .po after the editable install compiled it: dev.sh runs
    `python -m caseguide._build`, which compiles what is stale and nothing else."""
    import os
    import shutil

    from caseguide._build import compile_stale

    folder = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(i18n.catalog_path("fr"), folder / "caseguide.po")
    assert [p.name for p in compile_stale(tmp_path)] == ["caseguide.po"]
    assert (folder / "caseguide.mo").stat().st_size > 1000
    assert compile_stale(tmp_path) == []
    later = (folder / "caseguide.mo").stat().st_mtime + 10
    os.utime(folder / "caseguide.po", (later, later))
    assert len(compile_stale(tmp_path)) == 1
