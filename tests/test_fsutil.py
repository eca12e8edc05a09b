"""Reading small files that came from outside: every failure is a message naming the file."""

import pytest

from caseguide.errors import CaseGuideError, PackError
from caseguide.fsutil import read_small_file


def test_reads_a_small_file(tmp_path):
    (tmp_path / "k.pub").write_bytes(b"untrusted comment: x\nRWQ\n")
    assert read_small_file(tmp_path / "k.pub", 100, "a key") == b"untrusted comment: x\nRWQ\n"


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"x" * 101), "is too large to be a key"),
    (lambda p: p.mkdir(), "is a folder, not a key"),
    (lambda p: None, "does not exist"),
])
def test_refusals_name_the_file_and_the_reason(tmp_path, make, message):
    path = tmp_path / "k.pub"
    make(path)
    with pytest.raises(CaseGuideError, match=message) as caught:
        read_small_file(path, 100, "a key")
    assert str(path) in str(caught.value)


def test_the_caller_chooses_the_error_and_the_missing_message(tmp_path):
    with pytest.raises(PackError, match="has no pack.toml"):
        read_small_file(tmp_path / "pack.toml", 100, "a pack.toml", PackError, missing="it has no pack.toml")


def test_a_file_exactly_at_the_limit_is_accepted(tmp_path):
    (tmp_path / "f").write_bytes(b"y" * 100)
    assert len(read_small_file(tmp_path / "f", 100, "a key")) == 100
