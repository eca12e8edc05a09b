"""Packs belong to their signer: a trusted publisher cannot take over another's pack id, or the bundled one.

Every refusal must leave the installed library exactly as it was and name the publisher that owns
the id, so staff know whom to ask.
"""

import json

import pytest

from caseguide import paths
from caseguide.cli import main
from caseguide.errors import CaseGuideError
from caseguide.library import Library
from caseguide.library import install
from caseguide.packs import archive, trust
from caseguide.packs.archive import PackRefused
from caseguide.packs.minisign import SecretKey
from caseguide.packs.store import PackStore

from .helpers import library_state, manifest_for, pack_source, source_files, write_pack


class Publisher:
    def __init__(self, tmp_path, name, org, system=False):
        self.key = SecretKey.generate()
        self.tmp = tmp_path
        self.name = name
        self.org = org
        self.pub = tmp_path / f"{name}.pub"
        self.pub.write_text(self.key.public.dump())
        trust.add_key(self.pub, system=system)

    def pack(self, pack_id="extra", version="1.0.0", successors=(), guides=("extra-one",)):
        src = pack_source(self.tmp / f"{self.name}-{pack_id}-{version}", pack_id=pack_id, version=version,
                          guides=guides)
        toml = src / "pack.toml"
        toml.write_text(toml.read_text().replace('publisher = "Test Org"', f'publisher = "{self.org}"'))
        out = self.tmp / f"{self.name}-{pack_id}-{version}.cgpack"
        archive.build(src, self.key, out, successors=successors)
        return out


@pytest.fixture
def alice(tmp_path):
    return Publisher(tmp_path, "alice", "Alice Advice")


@pytest.fixture
def mallory(tmp_path):
    return Publisher(tmp_path, "mallory", "Mallory Media")


def installed_version(pack_id="extra"):
    pack = Library.discover().pack(pack_id)
    return pack.version if pack else None


def test_a_publisher_updates_its_own_pack(alice):
    install.install_file(alice.pack(version="1.0.0"))
    install.install_file(alice.pack(version="1.1.0"))
    assert installed_version() == "1.1.0"


@pytest.mark.parametrize("system", [False, True])
def test_another_trusted_publisher_cannot_replace_a_pack(alice, mallory, tmp_path, system):
    if system:
        trust.add_key(alice.pub, system=True)
        trust.add_key(mallory.pub, system=True)
    install.install_file(alice.pack(version="1.0.0"), system=system)
    before = library_state()
    with pytest.raises(PackRefused) as refused:
        install.install_file(mallory.pack(version="9.0.0"), system=system)
    message = str(refused.value)
    assert "belongs to Alice Advice" in message and alice.key.public.id in message
    assert alice.key.public.fingerprint in message and mallory.key.public.id in message
    assert "caseguide pack remove extra" in message
    assert library_state() == before and installed_version() == "1.0.0"
    with pytest.raises(PackRefused, match="belongs to Alice Advice"):
        install.verify_file(mallory.pack(version="9.0.1"), system=system)  # verify says the same


def test_staff_can_hand_an_id_to_a_new_publisher_by_removing_the_pack_first(alice, mallory):
    install.install_file(alice.pack())
    install.remove("extra")
    install.install_file(mallory.pack(version="2.0.0"))
    assert installed_version() == "2.0.0"


@pytest.mark.parametrize("pack_id", ["core"])
def test_the_bundled_library_id_is_reserved(alice, pack_id, capsys):
    before = library_state()
    assert main(["pack", "install", str(alice.pack(pack_id=pack_id, version="9999.0"))]) == 1
    err = capsys.readouterr().err
    assert f"the pack id '{pack_id}' is reserved for the guides that come with CaseGuide" in err
    assert library_state() == before
    assert Library.discover().pack("core").scope == "bundled"


def test_a_reserved_id_placed_in_the_store_by_other_means_is_skipped(alice, tmp_path):
    """A pack installed before ids were reserved (or by hand) no longer shadows the bundled library."""
    install.install_file(alice.pack())
    store = PackStore.for_scope(False)
    pointer = json.loads((store.root / "installed.json").read_text())
    entry = pointer["packs"].pop("extra")
    pack_toml = store.root / "store" / entry["folder"] / "pack.toml"
    pack_toml.write_text(pack_toml.read_text().replace('id = "extra"', 'id = "core"').replace(
        'version = "1.0.0"', 'version = "9999.0"'))
    pointer["packs"]["core"] = entry
    (store.root / "installed.json").write_text(json.dumps(pointer))
    library = Library.discover()
    assert library.pack("core").scope == "bundled"
    assert any("reserved for the guides that come with CaseGuide" in w for w in library.warnings)


def test_a_key_names_its_successor_and_the_new_key_takes_over(alice, tmp_path):
    new_key = Publisher(tmp_path, "alice-2027", "Alice Advice")
    install.install_file(alice.pack(version="1.0.0", successors=[new_key.key.public]))
    install.install_file(new_key.pack(version="2.0.0"))  # signed by the successor: accepted
    assert installed_version() == "2.0.0"
    entry = PackStore.for_scope(False).installed()["extra"]
    assert entry.signer == new_key.key.public.id and entry.successor_keys == []
    with pytest.raises(PackRefused, match="belongs to Alice Advice"):
        install.install_file(alice.pack(version="3.0.0"))  # the old key has handed over
    assert installed_version() == "2.0.0"


def test_a_successor_named_only_by_an_uninstalled_version_does_not_count(alice, mallory):
    install.install_file(alice.pack(version="1.0.0"))
    with pytest.raises(PackRefused, match="belongs to Alice Advice"):
        install.install_file(mallory.pack(version="2.0.0", successors=[mallory.key.public]))


def test_successor_keys_keep_the_manifest_at_format_1(alice, tmp_path):
    new_key = SecretKey.generate().public
    verified, _change = install.verify_file(alice.pack(successors=[new_key]))
    assert verified.manifest.successor_keys == [new_key.encoded]
    raw = archive.Manifest.to_json(verified.manifest)
    assert json.loads(raw)["format"] == 1 and json.loads(raw)["successor_keys"] == [new_key.encoded]
    plain = json.loads(archive.Manifest.to_json(install.verify_file(alice.pack(version="1.0.1"))[0].manifest))
    assert "successor_keys" not in plain  # packs that name none are as before


@pytest.mark.parametrize("bad", ["not a key", 7, ["RWQ" + "A" * 10]])
def test_a_manifest_with_a_bad_successor_list_is_refused(alice, tmp_path, bad):
    src = pack_source(tmp_path / "src")
    files = source_files(src)
    manifest = manifest_for(files)
    data = json.loads(manifest.to_json())
    data["successor_keys"] = bad
    manifest.to_json = lambda: json.dumps(data).encode()  # signed as written: only the reader can refuse it
    write_pack(tmp_path / "bad.cgpack", alice.key, files, manifest)
    with pytest.raises(PackRefused, match="successor"):
        install.verify_file(tmp_path / "bad.cgpack")


def test_a_different_key_claiming_a_trusted_id_is_refused_by_trust_add(alice, tmp_path, capsys):
    forged = SecretKey(alice.key.key_id, SecretKey.generate().secret)  # the same id, another key
    (tmp_path / "forged.pub").write_text(forged.public.dump())
    kept = (paths.user_trust_dir() / f"{alice.key.public.id}.pub").read_bytes()
    assert main(["trust", "add", str(tmp_path / "forged.pub")]) == 1
    err = capsys.readouterr().err
    assert f"a different key with the id {alice.key.public.id} is already trusted" in err
    assert alice.key.public.fingerprint in err and forged.public.fingerprint in err
    assert f"caseguide trust remove {alice.key.public.id}" in err
    assert (paths.user_trust_dir() / f"{alice.key.public.id}.pub").read_bytes() == kept
    with pytest.raises(CaseGuideError, match="already trusted machine-wide"):
        trust.add_key(alice.pub, system=True) and trust.add_key(tmp_path / "forged.pub")


def test_adding_the_same_key_twice_is_harmless(alice):
    again = trust.add_key(alice.pub)
    assert again.key.same_key(alice.key.public) and len(trust.trusted_keys()) == 1


def test_a_forged_key_placed_by_hand_beside_the_real_one_cannot_update_its_packs(alice, tmp_path):
    install.install_file(alice.pack(version="1.0.0"))
    forged = SecretKey(alice.key.key_id, SecretKey.generate().secret)
    (paths.user_trust_dir() / "zz-forged.pub").write_text(forged.public.dump())  # trust add would refuse
    src = pack_source(tmp_path / "forged-src", version="2.0.0")
    archive.build(src, forged, tmp_path / "forged.cgpack")
    before = library_state()
    with pytest.raises(PackRefused, match="belongs to Alice Advice"):
        install.install_file(tmp_path / "forged.cgpack")
    assert library_state() == before
    install.install_file(alice.pack(version="2.0.0"))  # the real key still verifies among the two


def test_a_personal_copy_signed_by_another_key_does_not_shadow_the_machine_wide_pack(alice, mallory, caplog):
    trust.add_key(alice.pub, system=True)
    install.install_file(alice.pack(version="1.0.0"), system=True)
    install.install_file(mallory.pack(pack_id="mine", version="1.0.0", guides=("mine-one",)))
    # Put Mallory's pack in the personal store under Alice's id, as if installed before owners existed.
    store = PackStore.for_scope(False)
    pointer = json.loads((store.root / "installed.json").read_text())
    entry = pointer["packs"].pop("mine")
    pack_toml = store.root / "store" / entry["folder"] / "pack.toml"
    pack_toml.write_text(pack_toml.read_text().replace('id = "mine"', 'id = "extra"').replace(
        'version = "1.0.0"', 'version = "5.0.0"'))
    pointer["packs"]["extra"] = entry
    (store.root / "installed.json").write_text(json.dumps(pointer))
    assert Library.discover().pack("extra").scope == "system"
    assert "your own copy of pack extra is not used" in caplog.text and "Alice Advice" in caplog.text


def test_a_pack_installed_before_owners_were_kept_is_owned_by_its_key_id(alice, mallory):
    install.install_file(alice.pack(version="1.0.0"))
    store = PackStore.for_scope(False)
    pointer = json.loads((store.root / "installed.json").read_text())
    for field in ("signer_key", "successor_keys", "publisher"):
        del pointer["packs"]["extra"][field]
    (store.root / "installed.json").write_text(json.dumps(pointer))
    with pytest.raises(PackRefused, match=f"key {alice.key.public.id}"):
        install.install_file(mallory.pack(version="2.0.0"))
    install.install_file(alice.pack(version="2.0.0"))
    assert PackStore.for_scope(False).installed()["extra"].signer_key == alice.key.public.encoded


def test_trust_list_shows_fingerprints_and_the_packs_each_key_owns(alice, mallory, capsys):
    install.install_file(alice.pack())
    assert main(["trust", "list", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[alice.key.public.id]["packs"] == ["extra"]
    assert rows[alice.key.public.id]["fingerprint"] == alice.key.public.fingerprint
    assert rows[mallory.key.public.id]["packs"] == []
    assert set(rows[alice.key.public.id]) >= {"id", "scope", "comment", "path", "fingerprint", "packs"}
    assert main(["trust", "list"]) == 0
    out = capsys.readouterr().out
    assert f"fingerprint {alice.key.public.fingerprint}" in out and "owns: extra" in out
    assert "owns: no installed packs" in out


# Issue 22: a publisher could attach its guide to another publisher's as a "translation", and the
# original's page and handout then said "Also in: ..." and linked the stranger's page.
def _translation_packs(tmp_path, original_toml=""):
    from ..conftest import guide_file

    original = tmp_path / "original"
    (original / "guides").mkdir(parents=True)
    (original / "pack.toml").write_text('id = "orig"\nversion = "1.0"\ntitle = "Originals"\npublisher = "A"\n'
                                        f'languages = ["en"]\n{original_toml}', encoding="utf-8")
    (original / "guides" / "access.md").write_text(guide_file("Ask for your file.", id="access"), encoding="utf-8")
    stranger = tmp_path / "stranger"
    (stranger / "guides").mkdir(parents=True)
    (stranger / "pack.toml").write_text('id = "stranger"\nversion = "1.0"\ntitle = "Theirs"\npublisher = "B"\n'
                                        'languages = ["ar"]\n', encoding="utf-8")
    (stranger / "guides" / "access-ar.md").write_text(guide_file("اطلب ملفك.", id="access-ar", language="ar",
                                                                 translation_of="access"), encoding="utf-8")
    return original, stranger


def _install_both(tmp_path, original, stranger, key_a, key_b):
    from caseguide.library import install
    from caseguide.packs import archive

    archive.build(original, key_a, tmp_path / "orig.cgpack")
    archive.build(stranger, key_b, tmp_path / "stranger.cgpack")
    install.install_file(tmp_path / "orig.cgpack")
    return install.install_file(tmp_path / "stranger.cgpack")


def _trusted(tmp_path, name):
    from caseguide.packs import trust
    from caseguide.packs.minisign import SecretKey

    secret = SecretKey.generate()
    pub = tmp_path / f"{name}.pub"
    pub.write_text(secret.public.dump())
    trust.add_key(pub)
    return secret


def test_another_publishers_translation_is_not_linked_and_install_says_why(tmp_path, capsys):
    import json

    from caseguide.cli import main
    from caseguide.guides.handout import HandoutOptions, compose
    from caseguide.library import Library
    from caseguide.guides.render import guide_page

    original, stranger = _translation_packs(tmp_path)
    change = _install_both(tmp_path, original, stranger, _trusted(tmp_path, "a"), _trusted(tmp_path, "b"))
    assert any("access-ar: it is not linked as a translation of 'access'" in n and "translation_packs" in n
               for n in change.notes)
    library = Library.discover()
    access = library.get("access")
    assert library.translations(access) == [] and library.translations(library.get("access-ar")) == []
    assert "access-ar" not in guide_page(access, library)
    assert "العربية" not in compose([access], library, HandoutOptions())
    assert main(["list", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["access"]["translations"] == [] and rows["access-ar"]["translations"] == []


def test_the_same_publishers_translation_is_linked(tmp_path):
    from caseguide.library import Library

    original, stranger = _translation_packs(tmp_path)
    key = _trusted(tmp_path, "a")
    change = _install_both(tmp_path, original, stranger, key, key)
    assert change.notes == []
    library = Library.discover()
    assert [g.id for g in library.translations(library.get("access"))] == ["access-ar"]


def test_a_translation_the_originals_pack_lists_is_linked(tmp_path):
    from caseguide.library import Library

    original, stranger = _translation_packs(tmp_path, 'translation_packs = ["stranger"]\n')
    change = _install_both(tmp_path, original, stranger, _trusted(tmp_path, "a"), _trusted(tmp_path, "b"))
    assert change.notes == []
    library = Library.discover()
    assert [g.id for g in library.translations(library.get("access"))] == ["access-ar"]


def test_lint_says_a_translation_in_another_pack_is_linked_only_if_its_publisher_allows(tmp_path):
    from caseguide.library.lint import lint

    original, stranger = _translation_packs(tmp_path)
    warnings = [f.message for f in lint([original, stranger]).findings if f.level == "warning"]
    assert any("translates 'access' of the pack 'orig'" in m and "translation_packs" in m for m in warnings)
    original, stranger = _translation_packs(tmp_path / "listed", 'translation_packs = ["stranger"]\n')
    assert not any("translation_packs" in f.message for f in lint([original, stranger]).findings)
