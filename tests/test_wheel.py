"""A wheel built from the repository carries the whole bundled library and the icons.

`pip wheel .`, then `pip install` of that wheel into a new virtual environment, must give a
`caseguide` that lists every bundled guide, searches them and finds its icons: what `pipx install`
or any non-editable install gives a person. The new environment borrows the locked dependencies
(PySide6 and the rest) from this one through a path line, so the test needs no network; CaseGuide
itself comes only from the wheel, which the test checks.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from caseguide.library import Library

from .conftest import REPO

pytestmark = pytest.mark.slow


def run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, stdin=subprocess.PIPE, **kwargs)
    assert result.returncode == 0, f"{args}: {result.stdout[-2000:]}{result.stderr[-2000:]}"
    return result.stdout


def new_environment(folder: Path) -> tuple[Path, Path]:
    """(python, scripts folder) of a new, empty Python environment in *folder*: a venv, or where this
    is python.org's embeddable Windows Python (the Windows lane's), which has no venv module, a copy
    of the interpreter with a site-packages of its own, which is all a venv is there."""
    pth = Path(sys.executable).with_name(f"python{sys.version_info.major}{sys.version_info.minor}._pth")
    if importlib.util.find_spec("venv") is not None or not pth.exists():
        run([sys.executable, "-m", "venv", str(folder)])
        scripts = Path(sysconfig.get_path("scripts", vars={"base": str(folder), "platbase": str(folder)}))
        return scripts / ("python.exe" if os.name == "nt" else "python"), scripts
    folder.mkdir()
    for part in Path(sys.executable).parent.iterdir():
        if part.is_file():
            shutil.copy2(part, folder / part.name)
    (folder / "Lib" / "site-packages").mkdir(parents=True)
    return folder / "python.exe", folder / "Scripts"


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp), str(REPO)])
    wheel = next(tmp.glob("caseguide-*.whl"))
    venv = tmp / "venv"
    python, scripts = new_environment(venv)
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).strip())
    (site / "locked-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    # --ignore-installed: the copied embeddable Python is no venv, and pip there would uninstall the
    # checkout's editable CaseGuide, which it sees through the path line, before installing the wheel.
    run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "-q", str(wheel)])
    return wheel, python, scripts / ("caseguide.exe" if os.name == "nt" else "caseguide")


def test_the_wheel_holds_the_library_and_icons(installed_wheel):
    wheel, _python, _cli = installed_wheel
    names = set(zipfile.ZipFile(wheel).namelist())
    guides = {p.relative_to(REPO).as_posix() for p in (REPO / "content").rglob("*.md")}
    assert guides, "the repository has no guides"
    assert {"caseguide/_content/" + g[len("content/"):] for g in guides} <= names
    assert "caseguide/_content/core/pack.toml" in names
    assert "caseguide/_icons/quick-exit.svg" in names
    assert "caseguide/locale/ar/LC_MESSAGES/caseguide.mo" in names  # compiled as the wheel was built
    assert {"caseguide/updates/client.py", "caseguide/updates/fetch.py"} <= names  # caseguide update


def test_an_installed_wheel_lists_and_searches_every_bundled_guide(installed_wheel, tmp_path):
    _wheel, python, cli = installed_wheel
    env = {**os.environ, "CASEGUIDE_BASEDIR": str(tmp_path / "base")}
    env.pop("PYTHONPATH", None)
    where = run([str(python), "-c", "import caseguide, caseguide.resources as r; "
                 "print(caseguide.__file__); print(r.bundled_content_dir()); print(r.icon_path('caseguide'))"],
                env=env, cwd=tmp_path).splitlines()
    assert all(not Path(p).resolve().is_relative_to(REPO) for p in where), where  # not the checkout's files

    listed = json.loads(run([str(cli), "list", "--json"], env=env, cwd=tmp_path))
    expected = {g.id for g in Library.discover(REPO / "content")}
    assert {g["id"] for g in listed} == expected
    hits = json.loads(run([str(cli), "search", "settled", "status", "--json"], env=env, cwd=tmp_path))
    assert hits and hits[0]["pack"] == "core"


def test_an_installed_wheel_updates_from_a_folder_feed(installed_wheel, tmp_path):
    from caseguide.packs import archive, trust
    from caseguide.packs.minisign import SecretKey
    from caseguide.updates import publisher

    from .packs.helpers import pack_source

    _wheel, _python, cli = installed_wheel
    key = SecretKey.generate()
    (tmp_path / "org.pub").write_text(key.public.dump())
    trust.add_key(tmp_path / "org.pub")  # in this test's folders, which the wheel's caseguide uses too
    archive.build(pack_source(tmp_path / "src", pack_id="wheel-feed"), key, tmp_path / "p.cgpack")
    publisher.init(tmp_path / "feed", [tmp_path / "root.key"], tmp_path / "targets.key")
    publisher.add(tmp_path / "feed", tmp_path / "p.cgpack", tmp_path / "targets.key")
    publisher.publish(tmp_path / "feed")
    env = {**os.environ}
    env.pop("PYTHONPATH", None)
    feed = ["--from", str(tmp_path / "feed" / "publish"), "--root", str(tmp_path / "feed" / "publish" / "metadata" /
                                                                           "root.json")]
    out = run([str(cli), "update", "--check", *feed], env=env, cwd=tmp_path)
    assert "would install wheel-feed 1.0.0" in out
    out = run([str(cli), "update", *feed], env=env, cwd=tmp_path)
    assert "Installed for you: wheel-feed 1.0.0" in out
