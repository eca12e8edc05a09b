"""Pack files crafted to cost time or memory are refused from a few bytes, before zipfile lists them."""

import os
import struct
import tracemalloc
import zipfile

import pytest

from caseguide.cli import main
from caseguide.packs import archive
from caseguide.packs.archive import PackRefused
from caseguide.packs.minisign import SecretKey
from caseguide.packs.trust import TrustedKey

from ..hostile import finishes, no_fifos, release_fifo


def many_entries_zip(path, entries: int) -> None:
    """A ZIP whose central directory really lists *entries* one-letter files (ZIP64 end records)."""
    record = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0) + b"a"
    directory = record * entries
    with open(path, "wb") as out:
        out.write(directory)
        zip64_at = out.tell()
        out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, entries, entries, len(directory), 0))
        out.write(struct.pack("<IIQI", 0x07064B50, 0, zip64_at, 1))
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))


def test_a_directory_of_300000_entries_is_refused_from_its_end_record(tmp_path):
    path = tmp_path / "many.cgpack"
    many_entries_zip(path, 300_000)
    assert len(zipfile.ZipFile(path).infolist()) == 300_000  # a real directory, as zipfile reads it
    tracemalloc.start()
    try:
        with pytest.raises(PackRefused, match="lists 300,000 files"):
            archive.verify(path, keys=[])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024  # listing them took 150 MB


@no_fifos
def test_a_fifo_or_a_device_given_as_a_pack_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.cgpack"
    os.mkfifo(fifo)
    try:
        with pytest.raises(PackRefused, match="not an ordinary file"):
            finishes(lambda: archive.verify(fifo, keys=[]), 10)
    finally:
        release_fifo(fifo)
    with pytest.raises(PackRefused, match="not an ordinary file"):
        archive.verify("/dev/zero", keys=[])


def test_a_signed_manifest_nested_100000_deep_is_refused_in_words(tmp_path, capsys):
    key = SecretKey.generate()
    raw = b'{"format": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    path = tmp_path / "deep.cgpack"
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr(archive.MANIFEST, raw)
        zipped.writestr(archive.SIGNATURE, key.sign(raw, "deep"))
    trusted = TrustedKey(key.public, "user", tmp_path / "k.pub")
    with pytest.raises(PackRefused, match="nests more than 32 levels"):
        archive.verify(path, keys=[trusted])
    (tmp_path / "k.pub").write_text(key.public.dump())
    assert main(["trust", "add", str(tmp_path / "k.pub")]) == 0
    assert main(["pack", "verify", str(path)]) == 1
    assert "nests more than 32 levels" in capsys.readouterr().err


def test_an_empty_member_name_and_an_unsupported_zip_feature_are_refused_not_crashes(tmp_path):
    """Both found by the fuzzer: IndexError from an empty name, NotImplementedError from zipfile."""
    import zipfile as zf

    from caseguide.packs import archive

    empty = tmp_path / "empty-name.cgpack"
    with zf.ZipFile(empty, "w") as z:
        z.writestr("manifest.json", b"{}")
    data = bytearray(empty.read_bytes())
    # The central directory's name "manifest.json" becomes a name of length 0.
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 28:cd + 30] = (0).to_bytes(2, "little")
    empty.write_bytes(bytes(data))
    with pytest.raises(archive.PackRefused):
        archive.verify(empty, [])

    newer = tmp_path / "version.cgpack"
    with zf.ZipFile(newer, "w") as z:
        z.writestr("manifest.json", b"{}")
        z.writestr("manifest.json.minisig", b"x")
    data = bytearray(newer.read_bytes())
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # "version needed to extract": 6.4
        start = 0
        while (at := data.find(header, start)) != -1:
            offset = 4 if header == b"PK\x03\x04" else 6
            data[at + offset:at + offset + 2] = (64).to_bytes(2, "little")
            start = at + 4
    newer.write_bytes(bytes(data))
    with pytest.raises(archive.PackRefused):
        archive.verify(newer, [])
