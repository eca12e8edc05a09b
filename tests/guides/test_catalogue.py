"""The catalogue cached with each pack's index: the library listed without reading every guide
file, each file read when its guide is opened, and a damaged or crafted catalogue never trusted."""

import json
import os

import pytest

import caseguide.library.library as library_module
from caseguide import paths
from caseguide.errors import GuideError
from caseguide.guides import catalogue
from caseguide.library import Library
from caseguide.packs.loading import parse_pack
from caseguide.search.cache import CATALOGUE_NAME, CatalogueCache, fingerprint, pack_folder
from caseguide.search.query import SearchIndex

from ..conftest import guide_file


@pytest.fixture
def pack(make_pack):
    return make_pack({
        "guides/a.md": guide_file("Hospitals may charge for some care.", id="guide-a", title="Hospital charges",
                                  topics="[health]", audience="caseworker", related="[guide-b]"),
        "guides/b.md": guide_file("You can register with a GP.", id="guide-b", title="Registering with a GP",
                                  language="ar"),
        "guides/broken.md": "---\ntitle: [oops\n---\n",
    })


def cached_library(pack):
    return Library.discover(pack, catalogues=CatalogueCache(paths.index_cache_dir()))


@pytest.fixture
def parsed(monkeypatch):
    """The names of the guide files parsed from now on."""
    import caseguide.packs.loading as loading

    names = []
    real = library_module.load_guide
    for module in (library_module, loading):  # a guide opened, and a pack's files read
        monkeypatch.setattr(module, "load_guide", lambda path, pack="": names.append(path.name) or real(path, pack))
    return names


def test_encode_and_decode_give_the_same_list(pack):
    source = Library.discover(pack).packs[0]
    results = parse_pack(source)
    entries = catalogue.decode(source, catalogue.encode(source, results))
    assert [e.id for e in entries if hasattr(e, "id") and hasattr(e, "title")] == ["guide-a", "guide-b"]
    assert [e.info for e in results if hasattr(e, "body")] == [e for e in entries if hasattr(e, "title")]
    [problem] = [e for e in entries if not hasattr(e, "title")]
    assert problem.path.name == "broken.md" and "YAML" in problem.reason


def test_a_library_is_listed_from_the_catalogue_and_a_guide_read_when_opened(pack, parsed):
    SearchIndex(Library.discover(pack)).open()  # builds the index, and the catalogue with it
    parsed.clear()
    library = cached_library(pack)
    assert [g.title for g in library] == ["Hospital charges", "Registering with a GP"]
    assert library.guides["guide-a"].audience == "caseworker" and library.guides["guide-b"].is_rtl
    assert len(library.warnings) == 1 and "broken.md" in library.warnings[0]  # problems are listed too
    assert parsed == []  # no guide file was read to list them
    assert "Hospitals may charge" in library.get("guide-a").body
    assert parsed == ["a.md"]
    library.get("guide-a")
    assert parsed == ["a.md"]  # once


def test_no_catalogue_yet_means_the_files_are_read(pack, parsed):
    library = cached_library(pack)
    assert list(library.guides) == ["guide-a", "guide-b"]
    assert sorted(parsed) == ["a.md", "b.md", "broken.md"]
    assert library.catalogues_refused == set()


def damage(pack, text):
    source = Library.discover(pack).packs[0]
    (pack_folder(paths.index_cache_dir(), source) / CATALOGUE_NAME).write_text(text, encoding="utf-8")


def entries(pack):
    source = Library.discover(pack).packs[0]
    return json.loads((pack_folder(paths.index_cache_dir(), source) / CATALOGUE_NAME).read_text(encoding="utf-8"))


@pytest.mark.parametrize("change", [
    lambda data: "not json {",
    lambda data: json.dumps({**data, "format": 99}),
    lambda data: json.dumps({**data, "version": "0.1"}),
    lambda data: json.dumps({**data, "guides": [{**data["guides"][0], "path": "../../elsewhere/x.md"}]}),
    lambda data: json.dumps({**data, "guides": [{**data["guides"][0], "path": "/etc/passwd.md"}]}),
    lambda data: json.dumps({**data, "guides": [{**data["guides"][0], "id": "Not An Id"}]}),
    lambda data: json.dumps({**data, "guides": [{**data["guides"][0], "kind": "advert"}]}),
    lambda data: json.dumps({**data, "guides": [{**data["guides"][0], "title": "x" * 5000}]}),
    lambda data: json.dumps({**data, "guides": [{**data["guides"][0], "reviewed": "yesterday"}]}),
    lambda data: json.dumps({**data, "guides": [{**data["guides"][0], "topics": "health"}]}),
    lambda data: json.dumps({**data, "guides": {"not": "a list"}}),
    lambda data: "[" * 100_000,
], ids=["garbage", "format", "version", "escaping-path", "absolute-path", "bad-id", "bad-kind", "long-title",
        "bad-date", "topics-not-a-list", "guides-not-a-list", "deep"])
def test_a_damaged_catalogue_is_refused_the_files_read_and_the_cache_rebuilt(pack, parsed, change, caplog):
    SearchIndex(Library.discover(pack)).open()
    damage(pack, change(entries(pack)))
    parsed.clear()
    library = cached_library(pack)
    assert [g.title for g in library] == ["Hospital charges", "Registering with a GP"]
    assert sorted(parsed) == ["a.md", "b.md", "broken.md"]
    assert library.catalogues_refused == {"test"} and "cannot be used" in caplog.text
    SearchIndex(library).open()  # the index is rebuilt, with a good catalogue
    parsed.clear()
    assert list(cached_library(pack).guides) == ["guide-a", "guide-b"] and parsed == []


def test_a_catalogue_too_large_is_not_even_read(pack, monkeypatch):
    SearchIndex(Library.discover(pack)).open()
    monkeypatch.setattr(catalogue, "MAX_BYTES", 100)
    library = cached_library(pack)
    assert len(library) == 2 and library.catalogues_refused == {"test"}


def test_a_catalogue_that_names_another_guides_file_cannot_open_it(pack):
    SearchIndex(Library.discover(pack)).open()
    data = entries(pack)
    data["guides"][0]["path"] = "guides/b.md"  # guide-a's entry pointing at guide-b's file
    damage(pack, json.dumps(data))
    library = cached_library(pack)
    with pytest.raises(GuideError, match="now holds the guide 'guide-b'"):
        library.get("guide-a")


def test_a_catalogue_in_a_folder_others_can_write_is_refused(pack):
    if not hasattr(os, "getuid"):
        pytest.skip("folder modes are POSIX")
    SearchIndex(Library.discover(pack)).open()
    folder = pack_folder(paths.index_cache_dir(), Library.discover(pack).packs[0])
    os.chmod(folder, 0o777)
    library = cached_library(pack)
    assert len(library) == 2 and library.catalogues_refused == {"test"}


def test_an_installed_pack_is_fingerprinted_by_its_folder_not_file_by_file(pack):
    source = Library.discover(pack).packs[0]
    local = fingerprint(source)
    (pack / "guides" / "a.md").write_text(guide_file("Changed.", id="guide-a"), encoding="utf-8")
    assert fingerprint(source) != local  # a folder that can change: every file counts
    installed = source.__class__(**{**source.__dict__, "scope": "user"})
    before = fingerprint(installed)
    (pack / "guides" / "b.md").write_text(guide_file("Changed.", id="guide-b"), encoding="utf-8")
    assert fingerprint(installed) == before  # written once by its install: its identity is enough
