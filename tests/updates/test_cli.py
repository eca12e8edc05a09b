"""The commands as staff and publishers type them: what they say, exit codes, never a traceback."""

from __future__ import annotations

import json

from caseguide.cli import main

from ..packs.helpers import library_state


def run(capsys, *argv):
    code = main(list(map(str, argv)))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_a_publisher_makes_and_publishes_a_feed(capsys, tmp_path, feed):
    d = tmp_path / "new"
    code, out, _ = run(capsys, "feed", "init", d, "--root-key", tmp_path / "r.key", "--targets-key",
                       tmp_path / "t.key", "--publisher", "Hope Network")
    assert code == 0 and "Keep safe, OFFLINE" in out and "fingerprint" in out
    code, out, _ = run(capsys, "feed", "add", d, feed.packs["extra"], "--targets-key", tmp_path / "t.key")
    assert code == 0 and "extra 1.0.0 (new)" in out and "feed publish" in out
    code, out, _ = run(capsys, "feed", "status", d)
    assert "not live yet" in out
    code, out, _ = run(capsys, "feed", "publish", d, "--expires-in-days", "90")
    assert code == 0 and "PCs accept it until" in out
    code, out, _ = run(capsys, "feed", "status", d, "--json")
    status = json.loads(out)
    assert status["packs"][0]["id"] == "extra" and not status["unpublished"] and status["publisher"] == "Hope Network"
    code, _, err = run(capsys, "feed", "add", d, feed.packs["extra"], "--targets-key", tmp_path / "t.key")
    assert code == 1 and "already has extra 1.0.0" in err


def test_staff_check_then_update_then_nothing_to_do(capsys, feed):
    source, root = feed.publish_dir, feed.root_file
    code, out, _ = run(capsys, "update", "--from", source, "--root", root, "--check")
    assert code == 0 and "would install extra 1.0.0" in out and "Nothing was changed" in out
    code, out, _ = run(capsys, "update", "--from", source, "--root", root)
    assert code == 0 and "Now trusting the feed of Hope Network" in out and "Installed for you: extra 1.0.0" in out
    code, out, _ = run(capsys, "update")
    assert code == 0 and "up to date" in out
    code, out, _ = run(capsys, "settings", "get", "updates.source")
    assert out.strip() == str(feed.publish_dir)


def test_a_refusal_is_one_line_and_exit_1(capsys, feed, tmp_path):
    before = library_state()
    code, _, err = run(capsys, "update", "--from", tmp_path, "--root", feed.root_file)
    assert code == 1 and err.startswith("caseguide: error: ") and "not a CaseGuide feed" in err
    assert library_state() == before
    code, _, err = run(capsys, "update", "--from", "ftp://example.org/feed", "--root", feed.root_file)
    assert code == 1 and "not ftp://" in err


def test_a_visitor_on_a_shared_pc_cannot_update(capsys, feed):
    run(capsys, "settings", "set", "shared.enabled", "true", "--system")
    code, _, err = run(capsys, "update", "--from", feed.publish_dir, "--root", feed.root_file)
    assert code == 1 and "shared PC" in err and "--system" in err
    code, _, err = run(capsys, "settings", "set", "updates.source", "https://evil.example/")
    assert code == 1 and "shared PC" in err
    code, out, _ = run(capsys, "update", "--from", feed.publish_dir, "--root", feed.root_file, "--system")
    assert code == 0 and "for every account on this PC" in out
