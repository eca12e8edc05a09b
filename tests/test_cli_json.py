"""`--json` is exactly the data (issue 22): the terminal filter used to edit it, so that a control
character in a path or a lint message moved values between keys (a guide reported under another
pack, a hit given another guide's id). Every command's output, parsed, must equal what the core
says, whatever the characters, and hold nothing that a terminal would act on."""

import json
import os
import re

import pytest

from caseguide import i18n
from caseguide.cli import main
from caseguide.library import Library
from caseguide.library.lint import lint
from caseguide.library import install
from caseguide.packs import minisign, trust
from caseguide.search.query import SearchIndex

from .conftest import guide_file

# What the terminal filter used to act on: a C1 CSI followed by a quote, a comma and a key is taken
# for an escape sequence ("\x9b", "p...), and so are ESC, direction overrides and line separators.
HOSTILE = "\x9b\x1b[2J\u202e\u2028\x07"
UNSAFE = re.compile(r"[^\x20-\x7e\n]")  # anything but printable ASCII and newlines


def run_json(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr().out
    assert not UNSAFE.search(out), f"raw {UNSAFE.search(out).group()!r} in the output"
    return code, json.loads(out)


@pytest.fixture
def hostile_pack(make_pack, tmp_path):
    if os.name == "nt":
        pytest.skip("Windows file names may not hold control characters")
    root = tmp_path / f"packs{HOSTILE}" / "one"
    make_pack({"a.md": guide_file("Hospitals may charge.", id="guide-a", title="Hospital charges"),
               "b.md": guide_file("Hospital steps to follow.", id="guide-b", title="Guide B", kind="walkthrough"),
               "bad.md": guide_file("x", id="Bad Id")}, pack_id="first", root=root)
    return root


def test_list_json_is_exactly_the_library(capsys, hostile_pack):
    code, rows = run_json(capsys, "--library", hostile_pack, "list", "--json")
    library = Library.discover(hostile_pack)
    assert code == 0
    assert [(r["id"], r["pack"], r["path"], r["title"]) for r in rows] == \
        [(g.id, g.pack, str(g.path), g.title) for g in sorted(library, key=lambda g: (g.kind, g.title.lower()))]
    assert all(HOSTILE in r["path"] for r in rows)


def test_search_json_is_exactly_the_hits(capsys, hostile_pack):
    code, hits = run_json(capsys, "--library", hostile_pack, "search", "hospital", "--json")
    expected = SearchIndex(Library.discover(hostile_pack)).open().forgiving_search("hospital", limit=10).hits
    assert code == 0 and hits == [json.loads(json.dumps(h.as_dict())) for h in expected]


def test_lint_json_is_exactly_the_report(capsys, hostile_pack):
    code, report = run_json(capsys, "lint", hostile_pack, "--json")
    assert code == 1  # the bad id
    assert report == json.loads(json.dumps(lint([hostile_pack]).as_dict()))
    assert any(HOSTILE in finding["path"] for finding in report["findings"])


def test_settings_list_json_has_every_key_and_value(capsys):
    contact = "Hope Centre\n12 Example Street\u202e \u0627\u0644\u0623\u0645\u0644"
    assert main(["settings", "set", "organisation.contact", contact]) == 0
    capsys.readouterr()
    code, rows = run_json(capsys, "settings", "list", "--json")
    from caseguide import settings

    assert code == 0 and [r["key"] for r in rows] == list(settings.KEYS)
    assert {r["key"]: r["value"] for r in rows}["organisation.contact"] == settings.Settings().get("organisation.contact")


def test_trust_and_pack_lists_and_languages_are_exactly_the_data(capsys, tmp_path):
    key = minisign.SecretKey.generate()
    pub = tmp_path / "p.pub"
    pub.write_text(f"untrusted comment: Publisher {HOSTILE}\n{key.public.encoded}\n", encoding="utf-8")
    assert main(["trust", "add", str(pub)]) == 0
    capsys.readouterr()
    code, keys = run_json(capsys, "trust", "list", "--json")
    assert code == 0 and [(k["id"], k["comment"]) for k in keys] == \
        [(k.id, k.key.comment) for k in trust.trusted_keys()]
    code, packs = run_json(capsys, "pack", "list", "--json")
    assert code == 0 and packs == [r.as_dict() for r in install.list_packs()]
    code, languages = run_json(capsys, "languages", "--json")
    assert code == 0 and languages == [json.loads(json.dumps(i18n.language_info(c).as_dict())) for c in i18n.available()]
