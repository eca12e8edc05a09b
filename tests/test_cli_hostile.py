"""The command line with hostile input: one line and exit 1, never a traceback or a hang, and
nothing from content reaches the terminal as a control sequence."""

import os
import stat
import subprocess
import sys

import pytest

from caseguide.cli import main

from .conftest import REPO, guide_file
from .hostile import finishes, no_fifos, release_fifo


def run(capsys, *argv):
    code = main([a if isinstance(a, str) else os.fsdecode(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def noisy_pack(make_pack):
    return make_pack({"a.md": guide_file("Ring \x07 the \x1b[5m bell.", id="guide-a",
                                         title='"Hospital \\e]0;pwned\\a charges \\e[2J\\a"')})


@pytest.mark.parametrize("command", [["list"], ["list", "--json"], ["search", "hospital"], ["show", "guide-a"]])
def test_escape_and_bell_characters_in_content_never_reach_the_terminal(capsys, noisy_pack, command):
    code, out, err = run(capsys, "--library", str(noisy_pack), *command)
    assert code == 0, err
    assert "Hospital" in out
    assert not any(c in out + err for c in "\x1b\x07\x9b")


def folders_deep(root, depth: int) -> str:
    """*depth* real folders one inside the next (deeper than a path may be long), and that path."""
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("a", dir_fd=fd)
            inner = os.open("a", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)
    return os.path.join(root, *["a"] * depth)


def remove_folders_deep(root, depth: int) -> None:
    """Remove what :func:`folders_deep` made, bottom up (pytest's own clean-up would recurse too deep)."""
    fds = [os.open(root, os.O_RDONLY)]
    try:
        for _ in range(depth - 1):
            fds.append(os.open("a", os.O_RDONLY, dir_fd=fds[-1]))
        while fds:
            os.rmdir("a", dir_fd=fds[-1])
            os.close(fds.pop())
    finally:
        for fd in fds:
            os.close(fd)


@pytest.fixture
def deep_folders(tmp_path):
    yield folders_deep(tmp_path, 2000)
    remove_folders_deep(tmp_path, 2000)


@pytest.mark.skipif(os.name == "nt", reason="the folders are made and removed through open folders (dir_fd), "
                                         "which Windows does not have")
def test_a_path_2000_folders_deep_is_an_error_message(capsys, deep_folders):
    deep = deep_folders
    for command in (["--library", deep, "list"], ["lint", deep], ["trust", "add", deep + "/k.pub"],
                    ["pack", "build", deep, "--key", "k.key", "-o", "x.cgpack"]):
        code, out, err = run(capsys, *command)
        assert code == 1 and "error" in out + err, command
        assert "Traceback" not in err


def test_keygen_with_an_empty_name_says_what_to_give(capsys, tmp_path, monkeypatch):
    (tmp_path / "keys").mkdir()
    monkeypatch.chdir(tmp_path / "keys")
    code, _out, err = run(capsys, "pack", "keygen", "")
    assert code == 1 and "give the key pair a NAME" in err
    assert list((tmp_path / "keys").iterdir()) == []


@pytest.mark.skipif(os.name == "nt", reason="Windows file names are always text (UTF-16): a name that is "
                                         "not valid text cannot be made there")
def test_an_output_name_that_is_not_utf8_is_refused_in_words(capsys, tmp_path, noisy_pack):
    out = os.path.join(os.fsencode(tmp_path), b"\xff-handout.pdf")
    code, _out, err = run(capsys, "--library", str(noisy_pack), "handout", "guide-a", "-o", out)
    assert code == 1 and "not valid text" in err
    assert os.listdir(tmp_path) == [p for p in os.listdir(tmp_path) if p != os.fsdecode(b"\xff-handout.pdf")]


@no_fifos
def test_a_fifo_or_dev_zero_given_as_input_is_refused_at_once(capsys, tmp_path):
    fifo = tmp_path / "key.pub"
    os.mkfifo(fifo)
    try:
        code, _out, err = finishes(lambda: run(capsys, "trust", "add", str(fifo)), 10)
    finally:
        release_fifo(fifo)
    assert code == 1 and "not an ordinary file" in err
    code, _out, err = run(capsys, "trust", "add", "/dev/zero")
    assert code == 1 and "not an ordinary file" in err


@no_fifos
def test_an_output_that_is_a_fifo_is_refused_not_replaced(tmp_path):
    from caseguide.errors import CaseGuideError
    from caseguide.fsutil import atomic_write

    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    with pytest.raises(CaseGuideError, match="not an ordinary file"):
        atomic_write(fifo, b"data")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.slow
def test_a_150000_row_table_is_refused_and_the_largest_allowed_one_paginates(make_pack, tmp_path):
    rows = "| a | b |\n|---|---|\n"
    root = make_pack({"huge.md": guide_file(rows + "| x | y |\n" * 150_000, id="huge"),
                      "big.md": guide_file(rows + "| x | y |\n" * 1_000, id="big")})
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")

    def handout(guide_id):
        return subprocess.run([sys.executable, "-m", "caseguide", "--library", str(root), "handout", guide_id,
                               "-o", str(tmp_path / f"{guide_id}.pdf")],
                              capture_output=True, text=True, env=env, cwd=REPO, timeout=300)

    huge = handout("huge")
    assert huge.returncode == 1 and "no guide with the id 'huge'" in huge.stderr
    assert "huge.md" in huge.stderr and "table of more than 1,000 rows" in huge.stderr
    big = handout("big")
    assert big.returncode == 0, big.stderr
    pages = int(big.stdout.split("(")[1].split()[0])
    assert pages >= 10
