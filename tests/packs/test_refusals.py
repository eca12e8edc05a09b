"""Every pack that must be refused is refused, with a reason, and the library is left exactly as it was."""

import time
import zipfile

import pytest

from caseguide.errors import CaseGuideError
from caseguide.library import Library
from caseguide.library import install
from caseguide.packs import archive
from caseguide.packs.minisign import SecretKey

from .helpers import library_state, manifest_for, pack_source, source_files, write_pack


@pytest.fixture
def installed(key, source, tmp_path):
    """A library with pack 'extra' 1.0.0 already installed, so refusals can be seen not to touch it."""
    archive.build(source, key, tmp_path / "v1.cgpack")
    install.install_file(tmp_path / "v1.cgpack")
    return library_state()


def refused(path, expected, **kwargs):
    before = library_state()
    with pytest.raises(CaseGuideError) as info:
        install.install_file(path, **kwargs)
    assert expected in str(info.value), str(info.value)
    assert library_state() == before, "a refused pack changed the library"
    with pytest.raises(CaseGuideError):
        install.verify_file(path, **kwargs)
    return str(info.value)


def files_v2(tmp_path):
    return source_files(pack_source(tmp_path / "v2src", version="2.0.0"))


def test_not_a_zip(installed, tmp_path):
    bogus = tmp_path / "notes.cgpack"
    bogus.write_text("hello")
    refused(bogus, "not a ZIP archive")


def test_no_signature(installed, key, tmp_path):
    refused(write_pack(tmp_path / "p.cgpack", key, files_v2(tmp_path), sign=False), "not signed")


def test_manifest_changed_after_signing(installed, key, tmp_path):
    refused(write_pack(tmp_path / "p.cgpack", key, files_v2(tmp_path), tamper_manifest=True),
            "signature does not verify")


def test_untrusted_key(installed, tmp_path):
    stranger = SecretKey.generate()
    message = refused(write_pack(tmp_path / "p.cgpack", stranger, files_v2(tmp_path)), "not a trusted publisher")
    assert stranger.public.id in message and "caseguide trust add" in message


def test_file_not_in_manifest(installed, key, tmp_path):
    files = files_v2(tmp_path)
    manifest = manifest_for(files, version="2.0.0")
    files["guides/sneaky.md"] = b"extra"
    refused(write_pack(tmp_path / "p.cgpack", key, files, manifest), "does not list")


def test_file_missing(installed, key, tmp_path):
    files = files_v2(tmp_path)
    manifest = manifest_for({**files, "guides/gone.md": b"x"}, version="2.0.0")
    refused(write_pack(tmp_path / "p.cgpack", key, files, manifest), "missing")


def test_wrong_hash(installed, key, tmp_path):
    files = files_v2(tmp_path)
    manifest = manifest_for(files, version="2.0.0")
    name = "guides/extra-one.md"
    files[name] = files[name].replace(b"free", b"FREE")  # same size, other bytes
    refused(write_pack(tmp_path / "p.cgpack", key, files, manifest), "does not match its signed manifest")


def test_wrong_size(installed, key, tmp_path):
    files = files_v2(tmp_path)
    manifest = manifest_for(files, version="2.0.0")
    files["guides/extra-one.md"] += b"\nmore"
    refused(write_pack(tmp_path / "p.cgpack", key, files, manifest), "not the size")


@pytest.mark.parametrize("name,what", [
    ("/etc/cron.d/evil", "absolute path"),
    ("../../escape.md", "'..'"),
    ("guides/../../escape.md", "'..'"),
    ("guides\\evil.md", "backslash"),
    ("C:evil.md", "absolute path"),
    ("C:/Windows/evil.md", "absolute path"),
])
def test_hostile_paths(installed, key, tmp_path, name, what):
    files = files_v2(tmp_path)
    files[name] = b"x"
    refused(write_pack(tmp_path / "p.cgpack", key, files, manifest_for(files, version="2.0.0")), what)


def test_duplicate_name(installed, key, tmp_path):
    files = files_v2(tmp_path)
    with pytest.warns(UserWarning):  # zipfile itself warns about the duplicate
        path = write_pack(tmp_path / "p.cgpack", key, files, manifest_for(files, version="2.0.0"),
                          extra_members=[("guides/extra-one.md", b"second copy")])
    refused(path, "twice")


def test_case_colliding_names(installed, key, tmp_path):
    files = files_v2(tmp_path)
    files["guides/Extra-One.md"] = files["guides/extra-one.md"]
    refused(write_pack(tmp_path / "p.cgpack", key, files, manifest_for(files, version="2.0.0")),
            "differing only in case")


def test_symlink(installed, key, tmp_path):
    files = files_v2(tmp_path)
    refused(write_pack(tmp_path / "p.cgpack", key, files, manifest_for(files, version="2.0.0"),
                       symlinks=[("guides/link.md", "/etc/passwd")]), "symbolic link")


def test_too_many_files(installed, key, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_FILES", 3)
    files = files_v2(tmp_path)
    files.update({f"img/{n}.png": b"x" for n in range(5)})
    refused(write_pack(tmp_path / "p.cgpack", key, files, manifest_for(files, version="2.0.0")), "more than 3 files")


def test_too_many_bytes(installed, key, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 10_000)
    files = files_v2(tmp_path)
    files["img/big.png"] = bytes(range(256)) * 100
    refused(write_pack(tmp_path / "p.cgpack", key, files, manifest_for(files, version="2.0.0")), "unpacks to more")


@pytest.mark.slow
def test_a_one_gigabyte_zip_bomb_is_refused_in_seconds_without_filling_the_disk(installed, key, tmp_path):
    bomb = tmp_path / "bomb.cgpack"
    files = files_v2(tmp_path)
    write_pack(bomb, key, files, manifest_for(files, version="2.0.0"))
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zipped:
        with zipped.open("img/zeros.png", "w", force_zip64=True) as member:
            block = bytes(16 * 1024 * 1024)
            for _ in range(64):  # 1 GiB of zeros, about 1 MB compressed
                member.write(block)
    assert bomb.stat().st_size < 8 * 1024 * 1024
    started = time.perf_counter()
    refused(bomb, "")
    assert time.perf_counter() - started < 10
    assert library_state() == installed


def test_bad_pack_toml(installed, key, tmp_path):
    files = files_v2(tmp_path)
    files["pack.toml"] = b'id = "extra"\nversion = "two"\n'
    refused(write_pack(tmp_path / "p.cgpack", key, files, manifest_for(files, version="2.0.0")), "pack.toml")


def test_manifest_and_pack_toml_disagree(installed, key, tmp_path):
    files = files_v2(tmp_path)
    refused(write_pack(tmp_path / "p.cgpack", key, files, manifest_for(files, version="9.0.0")), "disagree")


def test_invalid_guides(installed, key, tmp_path):
    files = files_v2(tmp_path)
    files["guides/broken.md"] = b"---\ntitle: [oops\n---\n"
    message = refused(write_pack(tmp_path / "p.cgpack", key, files, manifest_for(files, version="2.0.0")),
                      "not valid")
    assert "guides/broken.md" in message


@pytest.mark.parametrize("version,word", [("1.0.0", "same version"), ("0.9", "older version")])
def test_rollback_is_refused_unless_allowed(installed, key, tmp_path, version, word):
    old = archive.build(pack_source(tmp_path / "old", version=version), key, tmp_path / "old.cgpack")
    assert old.version == version
    refused(tmp_path / "old.cgpack", word)
    change = install.install_file(tmp_path / "old.cgpack", allow_downgrade=True)
    assert change.previous == "1.0.0" and change.version == version


def test_guide_id_colliding_with_another_pack(installed, key, tmp_path):
    core_id = next(g.id for g in Library.discover() if g.pack == "core")
    src = pack_source(tmp_path / "clash", pack_id="other", guides=(core_id,))
    archive.build(src, key, tmp_path / "clash.cgpack")
    refused(tmp_path / "clash.cgpack", f"{core_id} in core")


def test_a_pack_needing_a_newer_app(installed, key, tmp_path):
    files = files_v2(tmp_path)
    refused(write_pack(tmp_path / "p.cgpack", key, files,
                       manifest_for(files, version="2.0.0", min_app_version="99.0")), "needs CaseGuide 99.0")


def test_no_trusted_publishers_at_all(tmp_path):
    path = tmp_path / "p.cgpack"
    src = pack_source(tmp_path / "s")
    archive.build(src, SecretKey.generate(), path)
    refused(path, "no trusted publishers")


def test_machine_wide_installs_trust_only_machine_wide_keys(installed, tmp_path, key):
    archive.build(pack_source(tmp_path / "s", version="3.0"), key, tmp_path / "p.cgpack")
    refused(tmp_path / "p.cgpack", "no machine-wide trusted publishers", system=True)
