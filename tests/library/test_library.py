"""Finding packs, loading guides, skipping bad ones, and the image gate."""

import os

import pytest

from caseguide.errors import CaseGuideError, UnknownGuideError
from caseguide.library import Library
from caseguide.library.library import MAX_IMAGE_BYTES

from ..conftest import guide_file


def test_bundled_library_loads_cleanly():
    library = Library.discover()
    assert [p.id for p in library.packs] == ["core"]
    assert library.warnings == []
    assert len(library) >= 6
    assert {g.kind for g in library} == {"rights", "walkthrough", "explainer"}


def test_a_bad_guide_is_skipped_with_one_warning_and_the_rest_load(make_pack):
    root = make_pack({
        "good.md": guide_file(id="good"),
        "broken.md": "---\ntitle: [oops\n---\n",
        "missing.md": guide_file(id="missing", summary=None),
        "latin1.md": guide_file(id="latin").encode() + b"\xe9",
    })
    library = Library.discover(root)
    assert list(library.guides) == ["good"]
    assert len(library.warnings) == 3
    joined = "\n".join(library.warnings)
    assert "broken.md:" in joined and "missing.md" in joined and "latin1.md:" in joined


def test_duplicate_ids_keep_the_first_and_name_both_files(make_pack):
    root = make_pack({"a.md": guide_file(title="First"), "b.md": guide_file(title="Second")})
    library = Library.discover(root)
    assert library.get("sample-guide").title == "First"
    [warning] = library.warnings
    assert "b.md" in warning and "a.md" in warning and "sample-guide" in warning


def test_unknown_id_names_the_id(make_pack):
    library = Library.discover(make_pack({"a.md": guide_file()}))
    with pytest.raises(UnknownGuideError, match="no-such-guide"):
        library.get("no-such-guide")


def test_a_bad_pack_toml_is_skipped_with_a_warning(tmp_path, make_pack):
    folder = tmp_path / "packs"
    make_pack({"a.md": guide_file()}, root=folder / "good")
    bad = folder / "bad"
    bad.mkdir()
    (bad / "pack.toml").write_text('id = "bad"\nversion = "one"\n')
    library = Library.discover(folder)
    assert [p.id for p in library.packs] == ["test"]
    assert "version 'one'" in library.warnings[0]


def test_not_a_pack_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CaseGuideError, match="holds no pack"):
        Library.discover(tmp_path)


def test_hidden_files_and_symlinked_guides_are_not_read(make_pack, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(guide_file(id="outside"))
    root = make_pack({"a.md": guide_file(id="inside"), ".hidden/b.md": guide_file(id="hidden")})
    os.symlink(outside, root / "link.md")
    assert list(Library.discover(root).guides) == ["inside"]


class TestImageGate:
    @pytest.fixture
    def setup(self, make_pack, tmp_path):
        (tmp_path / "secret.png").write_bytes(b"secret")
        root = make_pack({"a.md": guide_file(), "img/ok.png": b"png-bytes",
                          "img/big.png": b"0" * (MAX_IMAGE_BYTES + 1), "notes.txt": b"text"})
        os.symlink(tmp_path / "secret.png", root / "img" / "escape.png")
        return Library.discover(root)

    def test_an_image_inside_the_pack_loads(self, setup):
        assert setup.read_image("pack:test/img/ok.png", "test") == b"png-bytes"

    @pytest.mark.parametrize("url", [
        "pack:test/../secret.png", "pack:test/img/../../secret.png", "pack:test/img/escape.png",
        "pack:test/img/big.png", "pack:test/notes.txt", "pack:test/img/missing.png",
        "pack:other/img/ok.png", "file:///etc/passwd", "https://example.org/x.png",
    ])
    def test_everything_else_loads_nothing(self, setup, url):
        assert setup.read_image(url, "test") is None

    def test_images_only_from_the_guides_own_pack(self, setup):
        assert setup.read_image("pack:test/img/ok.png", "another-pack") is None
