"""On a shared PC only machine-wide state counts: what a visitor writes under the account is not read.

Every visitor uses the same account, so each case first puts something where a visitor could (the
user's settings, packs, trusted keys, search index cache), then turns shared mode on as staff do,
and checks that the window's and the command line's view is exactly what staff installed.
"""

import json
import shutil

import pytest
from whoosh import index as whoosh_index

from caseguide import paths, resources, settings
from caseguide.cli import main
from caseguide.guides.handout import options_from_settings
from caseguide.library import Library
from caseguide.library import install
from caseguide.packs import archive, trust
from caseguide.packs.minisign import SecretKey
from caseguide.search.query import SearchIndex

from .packs.helpers import pack_source


def share_this_pc():
    settings.set_value("shared.enabled", "true", system=True)


@pytest.fixture
def visitor_key(tmp_path):
    secret = SecretKey.generate()
    (tmp_path / "visitor.pub").write_text(secret.public.dump())
    return secret


@pytest.fixture
def visitor_pack(visitor_key, tmp_path):
    """A pack a visitor installed for 'themselves' while shared mode was off (or by hand)."""
    trust.add_key(tmp_path / "visitor.pub")
    archive.build(pack_source(tmp_path / "v", pack_id="fake-advice", guides=("fake-advice-guide",)),
                  visitor_key, tmp_path / "fake.cgpack")
    install.install_file(tmp_path / "fake.cgpack")
    assert "fake-advice" in {p.id for p in Library.discover().packs}  # it counts outside shared mode
    return tmp_path / "fake.cgpack"


def test_a_visitors_own_settings_are_not_read(capsys):
    settings.set_value("organisation.name", "Hope Centre", system=True)
    settings.set_value("organisation.contact", "020 7946 0000", system=True)
    settings.set_value("organisation.name", "Scam Advice Ltd")
    settings.set_value("organisation.contact", "Call 07700 900999")
    settings.set_value("quick_exit.action", "hide")
    assert settings.Settings().get("organisation.contact") == "Call 07700 900999"  # not shared: theirs
    share_this_pc()
    current = settings.Settings()
    options = options_from_settings(current)
    assert (options.organisation, options.contact) == ("Hope Centre", "020 7946 0000")
    assert current.get("quick_exit.action") == ""  # the shared-mode default: quit
    assert current.is_locked("organisation.name")
    assert main(["settings", "get"]) == 0
    out = capsys.readouterr().out
    assert "only what your organisation installed for everyone is used" in out
    [row] = [line for line in out.splitlines() if line.startswith("organisation.name ")]
    assert row.split()[1:] == ["Hope", "Centre", "set", "by", "your", "organisation", "for", "this", "shared", "PC"]


def test_a_hand_edited_settings_file_is_not_read_either():
    share_this_pc()
    user_file = paths.user_config_dir() / "settings.json"
    user_file.parent.mkdir(parents=True, exist_ok=True)
    user_file.write_text(json.dumps({"format": 1, "settings": {"organisation.contact": "Call 07700 900999",
                                                               "handout.paper": "letter"}}))
    current = settings.Settings()
    assert current.get("organisation.contact") == "" and current.get("handout.paper") == "a4"


def test_changing_your_own_settings_on_a_shared_pc_says_who_manages_them(capsys):
    share_this_pc()
    before = sorted(paths.user_config_dir().rglob("*"))
    assert main(["settings", "set", "organisation.contact", "Call 07700 900999"]) == 1
    err = capsys.readouterr().err
    assert "this is a shared PC: its settings are managed by your organisation" in err and "--system" in err
    assert sorted(paths.user_config_dir().rglob("*")) == before
    assert main(["settings", "set", "organisation.contact", "020 7946 0000", "--system"]) == 0  # staff can


def test_a_visitors_packs_and_keys_are_not_read(visitor_pack, visitor_key, capsys):
    share_this_pc()
    library = Library.discover(machine_only=True)
    assert {p.id for p in library.packs} == {"core"}
    assert main(["list", "--json"]) == 0
    assert {g["pack"] for g in json.loads(capsys.readouterr().out)} == {"core"}
    assert main(["search", "fake", "advice", "guide", "--json"]) == 0
    assert all(hit["pack"] == "core" for hit in json.loads(capsys.readouterr().out))
    assert main(["pack", "list"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("This is a shared PC") and "fake-advice" not in out
    assert main(["trust", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # the visitor's key is not a trusted publisher here


def test_a_hand_placed_pack_in_the_users_data_folder_is_ignored(tmp_path, capsys):
    share_this_pc()
    packs = paths.user_packs_dir()
    pack_source(packs / "store" / "planted-1", pack_id="planted", guides=("planted-guide",))
    pack_source(packs / "bare", pack_id="bare", guides=("bare-guide",))  # not even in a pointer
    (packs / "installed.json").write_text(json.dumps(
        {"format": 1, "packs": {"planted": {"folder": "planted-1", "version": "9.0"}}}))
    assert main(["list", "--json"]) == 0
    assert {g["pack"] for g in json.loads(capsys.readouterr().out)} == {"core"}


def test_installing_for_yourself_on_a_shared_pc_is_refused_with_what_to_do(visitor_key, tmp_path, capsys):
    share_this_pc()
    archive.build(pack_source(tmp_path / "v", pack_id="fake-advice"), visitor_key, tmp_path / "fake.cgpack")
    for argv in (["pack", "install", str(tmp_path / "fake.cgpack")],
                 ["pack", "verify", str(tmp_path / "fake.cgpack")],
                 ["trust", "add", str(tmp_path / "visitor.pub")],
                 ["pack", "remove", "core"]):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert "this is a shared PC: its guides are managed by your organisation" in err, argv
        assert "with --system" in err
    assert not paths.user_packs_dir().exists() and not paths.user_trust_dir().exists()


def test_staff_install_for_everyone_on_a_shared_pc(tmp_path, capsys):
    share_this_pc()
    staff = SecretKey.generate()
    (tmp_path / "staff.pub").write_text(staff.public.dump())
    assert main(["trust", "add", str(tmp_path / "staff.pub"), "--system"]) == 0
    archive.build(pack_source(tmp_path / "s", guides=("extra-one",)), staff, tmp_path / "extra.cgpack")
    assert main(["pack", "install", str(tmp_path / "extra.cgpack"), "--system"]) == 0
    assert not paths.index_cache_dir().exists()  # no index on disk for a shared PC, not even staff's
    capsys.readouterr()
    assert main(["list", "--json"]) == 0
    assert "extra-one" in {g["id"] for g in json.loads(capsys.readouterr().out)}


def plant_index_entry(library):
    """What a visitor could do with the user's cache: add a guide of their own to the cached index."""
    SearchIndex(library).open()  # a genuine index, in the user's cache
    [built] = list((paths.index_cache_dir()).glob("v*/core/*"))
    ix = whoosh_index.open_dir(str(built))
    writer = ix.writer()
    writer.add_document(id="nhs-free-treatment", pack="core", kind="rights", language="en", lang="en",
                        title_en="Ring 07700 900999 for free treatment",
                        summary_en="Ring 07700 900999", body_en="zanzibarscam " * 20)
    writer.commit()


def test_the_search_index_cache_is_not_trusted_on_a_shared_pc(capsys):
    plant_index_entry(Library.discover())
    # Outside shared mode the cache is this user's own, and is read (which is why shared mode must not):
    assert SearchIndex(Library.discover()).open().exact_search("zanzibarscam")
    share_this_pc()
    assert main(["search", "zanzibarscam", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["index"]) == 0
    assert "in memory (on a shared PC it is never kept on disk)" in capsys.readouterr().out


def test_the_bundled_library_and_staff_packs_still_work_in_shared_mode(capsys):
    share_this_pc()
    shutil.rmtree(paths.user_cache_dir(), ignore_errors=True)
    assert main(["search", "GP", "registration", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == "gp-registration"
    assert not paths.user_cache_dir().exists()
    assert (resources.bundled_content_dir() / "core" / "pack.toml").is_file()
