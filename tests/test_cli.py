"""The command line contract: names, output, exit codes, and no Qt for reading commands."""

import json
import os
import shutil
import subprocess
import sys
import sysconfig

import pytest

from caseguide.cli import display_problem, main

from .conftest import REPO, guide_file


@pytest.fixture
def pack(make_pack):
    return make_pack({
        "a.md": guide_file("Hospitals may charge. [See B](b.md).", id="guide-a", title="Hospital charges"),
        "b.md": guide_file("Steps to follow.", id="guide-b", title="Guide B", kind="walkthrough"),
    })


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("CaseGuide ")


def test_list_json_has_the_promised_fields(capsys, pack):
    code, out, _ = run(capsys, "--library", pack, "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {r["id"] for r in rows} == {"guide-a", "guide-b"}
    for row in rows:
        assert {"id", "title", "kind", "language", "pack", "reviewed"} <= row.keys()
        assert row["pack"] == "test" and row["reviewed"] == "2026-11-01"


def test_list_text(capsys, pack):
    code, out, _ = run(capsys, "--library", pack, "list")
    assert code == 0 and "guide-a" in out and "Hospital charges" in out


def test_show_text_and_html(capsys, pack):
    code, out, _ = run(capsys, "--library", pack, "show", "guide-a")
    assert code == 0
    assert out.startswith("Hospital charges\n")
    assert "Last reviewed 1 November 2026" in out
    assert "https://www.gov.uk/guidance/paying-an-nhs-debt" in out
    code, out, _ = run(capsys, "--library", pack, "show", "guide-a", "--format", "html")
    assert code == 0 and "<h1>Hospital charges</h1>" in out and 'href="guide:guide-b"' in out


def test_unknown_id_exits_1_naming_it(capsys, pack):
    code, out, err = run(capsys, "--library", pack, "show", "no-such-id")
    assert code == 1 and out == ""
    assert "no-such-id" in err and "Traceback" not in err


def test_search_json_best_first(capsys, pack):
    code, out, _ = run(capsys, "--library", pack, "search", "charging", "--json")
    assert code == 0
    hits = json.loads(out)
    assert hits[0]["id"] == "guide-a"
    assert {"id", "title", "score", "snippet"} <= hits[0].keys()


def test_search_words_need_no_quotes_and_filters_work(capsys, pack):
    code, out, _ = run(capsys, "--library", pack, "search", "steps", "follow", "--kind", "walkthrough",
                       "--limit", "1", "--json")
    assert code == 0 and [h["id"] for h in json.loads(out)] == ["guide-b"]
    code, out, _ = run(capsys, "--library", pack, "search", "steps", "--lang", "ar", "--json")
    assert json.loads(out) == []


def test_search_with_no_hits_says_so(capsys, pack):
    code, out, _ = run(capsys, "--library", pack, "search", "xylophone")
    assert code == 0 and "No guides match" in out


def test_index_and_rebuild(capsys, pack):
    code, out, _ = run(capsys, "--library", pack, "index")
    assert code == 0 and "2 guides in 1 pack" in out
    code, out, _ = run(capsys, "--library", pack, "index", "--rebuild")
    assert code == 0


@pytest.mark.parametrize("argv", [
    ["frobnicate"], ["search"], ["search", "x", "--limit", "0"], ["search", "x", "--limit", "many"],
    ["search", "x", "--kind", "novel"], ["search", "x", "--lang", "english!"], ["show"],
    ["show", "x", "--format", "pdf"], ["screenshot", "x.png", "--size", "big"], ["--bogus"],
])
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_a_library_folder_that_is_not_there_exits_1(capsys, tmp_path):
    code, _, err = run(capsys, "--library", tmp_path / "nope", "list")
    assert code == 1 and "is not a folder" in err


def test_bad_guides_are_warned_about_on_stderr_and_json_stays_clean(capsys, make_pack):
    root = make_pack({"good.md": guide_file(), "bad.md": "---\nid: [\n---\n"})
    code, out, err = run(capsys, "--library", root, "list", "--json")
    assert code == 0 and len(json.loads(out)) == 1
    assert "bad.md" in err and "warning" in err


@pytest.mark.parametrize("command", [["list"], ["show", "guide-a"], ["search", "charges"], ["index"]])
def test_reading_commands_never_import_qt(pack, command):
    code = (
        "import sys\n"
        "from caseguide.cli import main\n"
        f"rc = main({['--library', str(pack), *command]!r})\n"
        "assert 'PySide6' not in sys.modules, 'PySide6 was imported'\n"
        "sys.exit(rc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr


def test_the_console_script_is_installed():
    exe = shutil.which("caseguide", path=sysconfig.get_path("scripts"))  # Scripts\caseguide.exe on Windows
    assert exe, f"no caseguide in {sysconfig.get_path('scripts')}"
    result = subprocess.run([exe, "--version"], capture_output=True, text=True, stdin=subprocess.PIPE)
    assert result.returncode == 0 and result.stdout.startswith("CaseGuide")


def test_arabic_comes_out_of_a_pipe_intact_whatever_the_code_page(make_pack):
    title, body = "حقوقك في المستشفى", "يمكن للمستشفى أن يطلب منك دفع رسوم العلاج."
    root = make_pack({"ar.md": guide_file(body, id="rights-ar", title=title, language="ar")})
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if os.name != "nt":  # a pipe on Windows gets the ANSI code page, cp1252 in Britain: the same here
        env["PYTHONIOENCODING"] = "cp1252"
    for command in (["show", "rights-ar"], ["search", "المستشفى"], ["list"]):
        result = subprocess.run([sys.executable, "-m", "caseguide", "--library", str(root), *command],
                                capture_output=True, stdin=subprocess.PIPE, env=env)
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        out = result.stdout.decode("utf-8")
        assert title in out, out
    assert body in subprocess.run([sys.executable, "-m", "caseguide", "--library", str(root), "show", "rights-ar"],
                                  capture_output=True, stdin=subprocess.PIPE, env=env).stdout.decode("utf-8")


@pytest.mark.parametrize("platform, environ, problem", [
    ("linux", {}, "no display"),
    ("linux", {"DISPLAY": ":0"}, None),
    ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, None),
    ("freebsd14", {}, "no display"),
    ("win32", {}, None),  # Windows and macOS always have a display
    ("darwin", {}, None),
    ("win32", {"QT_QPA_PLATFORM": "offscreen"}, "QT_QPA_PLATFORM is offscreen"),
    ("linux", {"DISPLAY": ":0", "QT_QPA_PLATFORM": "minimal"}, "QT_QPA_PLATFORM is minimal"),
    ("win32", {"QT_QPA_PLATFORM": "windows:darkmode=2"}, None),
])
def test_whether_the_window_can_be_shown_depends_on_the_platform(platform, environ, problem):
    found = display_problem(platform, environ)
    assert (found is None) if problem is None else (problem in found and "caseguide screenshot" in found)


def test_opening_the_window_without_a_display_explains_instead_of_crashing(capsys, monkeypatch):
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    expected = "no display"
    if display_problem(sys.platform, {}) is None:  # Windows, macOS: no display is missing; Qt set to draw offscreen
        monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
        expected = "offscreen"
    code, _, err = run(capsys)
    assert code == 1 and expected in err and "caseguide screenshot" in err


def test_search_corrects_typos_and_json_holds_the_corrected_hits(capsys, pack):
    code, out, _ = run(capsys, "--library", pack, "search", "hospitl", "chargs", "--json")
    assert code == 0 and json.loads(out)[0]["id"] == "guide-a"
    code, out, _ = run(capsys, "--library", pack, "search", "hospitl")
    assert "Showing results for: hospital  (you typed: hospitl)" in out  # the nearest word in the library


@pytest.mark.parametrize("argv, meant", [
    (["serch", "charges"], "search"), (["lsit"], "list"), (["pack", "instal", "x.cgpack"], "install"),
    (["trust", "lst"], "list"), (["settings", "gett"], "get"), (["search", "x", "--kind", "right"], "rights"),
])
def test_a_misspelt_command_suggests_the_nearest(capsys, argv, meant):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert f"did you mean {meant}?" in capsys.readouterr().err


def test_an_unknown_guide_id_suggests_the_nearest_ids(capsys, make_pack):
    root = make_pack({
        "a.md": guide_file(id="nhs-charges-and-debt", title="NHS charges"),
        "b.md": guide_file(id="gp-registration", title="GP"),
    })
    code, _, err = run(capsys, "--library", root, "show", "nhs-charges")  # the start of an id
    assert code == 1 and "did you mean nhs-charges-and-debt?" in err
    code, _, err = run(capsys, "--library", root, "show", "gp-registraton")  # a typo
    assert code == 1 and "did you mean gp-registration?" in err
    code, _, err = run(capsys, "--library", root, "handout", "nhs-charge", "-o", "x.pdf")
    assert code == 1 and "did you mean nhs-charges-and-debt?" in err


@pytest.mark.parametrize("action", ["install", "verify"])
def test_a_pack_file_that_is_not_there_is_named_before_trust(capsys, tmp_path, action):
    # No publisher is trusted: the message must still be about the file the person typed.
    code, _, err = run(capsys, "pack", action, tmp_path / "missing.cgpack")
    assert code == 1 and "missing.cgpack does not exist" in err and "trusted" not in err
    code, _, err = run(capsys, "pack", action, tmp_path)
    assert code == 1 and "is a folder" in err and "trusted" not in err


@pytest.mark.skipif(os.name != "posix", reason="chmod 0 makes a file unreadable only on POSIX")
@pytest.mark.skipif(os.name == "posix" and os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_pack_file_says_so(capsys, tmp_path):
    pack_file = tmp_path / "locked.cgpack"
    pack_file.write_bytes(b"PK")
    pack_file.chmod(0)
    code, _, err = run(capsys, "pack", "install", pack_file)
    assert code == 1 and "cannot be read" in err and "trusted" not in err


def test_settings_values_print_plainly(capsys):
    from caseguide import settings

    settings.set_value("shared.enabled", "true", system=True)
    settings.set_value("organisation.contact", "1 High St\\nLondon", system=True)  # a shared PC: machine-wide
    code, out, _ = run(capsys, "settings", "get", "shared.enabled")
    assert (code, out) == (0, "true\n")
    code, out, _ = run(capsys, "settings", "get", "organisation.contact")
    assert out == "1 High St\nLondon\n"
    code, out, _ = run(capsys, "settings", "get")
    assert "'" not in out and "((" not in out


@pytest.mark.parametrize("argv", [["settings"], ["settings", "list"]])
def test_settings_alone_lists_every_setting_its_value_and_where_it_comes_from(capsys, argv):
    from caseguide import settings

    settings.set_value("handout.paper", "letter", system=True, lock=True)
    settings.set_value("organisation.name", "Hope Centre")
    code, out, _ = run(capsys, *argv)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Setting", "Value", "From"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == set(settings.KEYS)
    assert rows["organisation.name"].split()[1:] == ["Hope", "Centre", "your", "own"]
    assert rows["handout.paper"].split()[1:] == ["letter", "set", "by", "your", "organisation", "(locked)"]
    assert rows["shared.enabled"].split()[1:] == ["false", "default"]
    code, out, _ = run(capsys, *argv, "--json")
    by_key = {row["key"]: row for row in json.loads(out)}
    assert by_key["handout.paper"] == {"key": "handout.paper", "value": "letter",
                                       "from": "set by your organisation (locked)"}
    assert by_key["shared.idle_reset_seconds"]["value"] == 300
