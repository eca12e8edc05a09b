"""A visitor on a shared PC, as a real, unprivileged account, tries to change what the next one sees.

The other tests run as whoever runs the suite (root here, which may write anywhere), so they cannot
show what the operating system refuses a visitor. Here staff set the PC up as root, with the real
commands, in folders laid out as on a PC (machine-wide ones owned by root, 0755); then every
command runs as a throwaway account with no rights (setpriv), with a shell's worth of tricks: its
own settings, packs and keys, by command and by hand, and writes to the machine-wide folders. At
the end the machine-wide files are byte for byte what staff left, and what the visitor's account
sees (guides, search, handouts) is what staff installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

from caseguide.packs import archive
from caseguide.packs.minisign import SecretKey

from .conftest import REPO
from .packs.helpers import pack_source

VISITOR = "caseguide-visitor"
SCAM = "07700 900999"
STAFF_CONTACT = "Hope Centre, 020 7946 0000"

pytestmark = [
    pytest.mark.skipif(os.name != "posix", reason="the visitor is a POSIX account (useradd, setpriv); Windows "
                                                  "accounts and their access lists are not made here"),
    pytest.mark.skipif(os.name == "posix" and os.geteuid() != 0,
                       reason="acting as another account needs root (these tests run as root in CI)")]


def _visitor_account() -> pwd.struct_passwd:  # noqa: F821 - pwd is POSIX only, imported here
    """The throwaway account: a locked system user with no home and no shell, made once and kept
    (another test run on the same machine may be using it at the same moment)."""
    import pwd
    try:
        return pwd.getpwnam(VISITOR)
    except KeyError:
        pass
    if not shutil.which("useradd"):
        pytest.skip("no useradd on this machine to make a visitor account")
    made = subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                           "--shell", "/usr/sbin/nologin", "--comment", "CaseGuide test visitor", VISITOR],
                          capture_output=True, text=True)
    try:
        return pwd.getpwnam(VISITOR)
    except KeyError:
        pytest.skip(f"could not make a visitor account: {made.stderr.strip()}")


class Machine:
    """A PC's folders under one world-readable temporary folder, and a way to run caseguide as staff or visitor."""

    def __init__(self, base: Path, account: pwd.struct_passwd):  # noqa: F821
        self.base = base
        self.account = account
        self.site_data, self.site_config = base / "site-data", base / "site-config"
        self.home = base / "home"
        self.staff_home = base / "staff-home"
        for folder in (self.site_data, self.site_config, self.staff_home):
            folder.mkdir(mode=0o755)
            folder.chmod(0o755)
        self.home.mkdir(mode=0o700)
        self.files = base / "files"  # what the visitor brings: readable by them
        self.files.mkdir(mode=0o755)
        self.files.chmod(0o755)
        self.python = self._python()

    def env(self, home: Path) -> dict:
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8",
                "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CONFIG_HOME": str(home / ".config"),
                "XDG_CACHE_HOME": str(home / ".cache"), "XDG_STATE_HOME": str(home / ".local/state"),
                "XDG_DATA_DIRS": str(self.site_data), "XDG_CONFIG_DIRS": str(self.site_config),
                "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}

    def _as_visitor(self, argv):
        return ["setpriv", f"--reuid={self.account.pw_uid}", f"--regid={self.account.pw_gid}", "--clear-groups",
                "--", *argv]

    def _python(self) -> list[str]:
        """A Python the visitor may run, that imports this checkout's caseguide and its packages."""
        site = sysconfig.get_paths()["purelib"]
        boot = (f"import site, sys; site.addsitedir({site!r}); sys.path.insert(0, {str(REPO)!r}); "
                "from caseguide.cli import main; sys.argv[0] = 'caseguide'; sys.exit(main())")
        minor = f"python{sys.version_info.major}.{sys.version_info.minor}"
        for python in dict.fromkeys([sys.executable, shutil.which(minor), f"/usr/bin/{minor}"]):
            if not python or not os.path.exists(python):
                continue
            tried = subprocess.run(self._as_visitor([python, "-c", boot, "--version"]), capture_output=True,
                                   text=True, env=self.env(self.home), cwd="/")
            if tried.returncode == 0:
                return [python, "-c", boot]
        pytest.skip("no Python here that an unprivileged account can run with this checkout's packages "
                    f"(tried {sys.executable} and {minor}; the checkout and its .venv must be readable by others)")

    def staff(self, *args) -> subprocess.CompletedProcess:
        return subprocess.run([*self.python, *args], capture_output=True, text=True, env=self.env(self.staff_home),
                              cwd=str(self.base))

    def visitor(self, *args) -> subprocess.CompletedProcess:
        return subprocess.run(self._as_visitor([*self.python, *args]), capture_output=True, text=True,
                              env=self.env(self.home), cwd=str(self.home))

    def give_to_visitor(self) -> None:
        for path in [self.home, *self.home.rglob("*")]:
            os.lchown(path, self.account.pw_uid, self.account.pw_gid)

    def machine_wide_files(self) -> dict:
        found = {}
        for top in (self.site_data, self.site_config):
            for path in sorted(top.rglob("*")):
                info = path.lstat()
                data = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
                found[str(path)] = (oct(info.st_mode), info.st_uid, data)
        return found


@pytest.fixture(scope="module")
def machine(tmp_path_factory):
    if not shutil.which("setpriv"):
        pytest.skip("setpriv (util-linux) is needed to run commands as the visitor")
    account = _visitor_account()
    base = Path(tempfile.mkdtemp(prefix="caseguide-visitor-", dir="/tmp"))
    base.chmod(0o755)  # the visitor must reach the machine-wide folders, as on a real PC
    try:
        pc = Machine(base, account)
        staff_key = SecretKey.generate()
        (pc.files / "staff.pub").write_text(staff_key.public.dump())
        archive.build(pack_source(tmp_path_factory.mktemp("staff-src"), pack_id="hope-centre",
                                  guides=("hope-centre-drop-in",)), staff_key, pc.files / "hope.cgpack")
        for args in (["settings", "set", "shared.enabled", "true", "--system"],
                     ["settings", "set", "organisation.name", "Hope Centre", "--system"],
                     ["settings", "set", "organisation.contact", STAFF_CONTACT, "--system"],
                     ["trust", "add", str(pc.files / "staff.pub"), "--system"],
                     ["pack", "install", str(pc.files / "hope.cgpack"), "--system"]):
            done = pc.staff(*args)
            assert done.returncode == 0, (args, done.stderr)

        visitor_key = SecretKey.generate()
        (pc.files / "visitor.pub").write_text(visitor_key.public.dump())
        archive.build(pack_source(tmp_path_factory.mktemp("visitor-src"), pack_id="hope-centre", version="9.0",
                                  guides=("hope-centre-drop-in",), words="pay a fee to"),
                      visitor_key, pc.files / "fake.cgpack")
        for path in pc.files.iterdir():
            path.chmod(0o644)
        pc.staff_state = pc.machine_wide_files()
        yield pc
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_the_visitor_really_has_no_rights_over_the_machine_wide_folders(machine):
    probe = machine.visitor("settings", "set", "organisation.contact", SCAM, "--system")
    assert probe.returncode == 1
    assert "you do not have the rights to change machine-wide files" in probe.stderr
    assert "run this as administrator" in probe.stderr


@pytest.mark.parametrize("args, says", [
    (["settings", "set", "organisation.contact", f"Call {SCAM}"], "settings are managed by your organisation"),
    (["trust", "add", "{files}/visitor.pub"], "guides are managed by your organisation"),
    (["pack", "install", "{files}/fake.cgpack"], "guides are managed by your organisation"),
    (["trust", "add", "{files}/visitor.pub", "--system"], "you do not have the rights"),
    (["pack", "install", "{files}/fake.cgpack", "--system"], "you do not have the rights"),
    (["pack", "remove", "hope-centre", "--system"], "you do not have the rights"),
])
def test_what_a_visitor_tries_from_a_terminal_is_refused(machine, args, says):
    done = machine.visitor(*[a.format(files=machine.files) for a in args])
    assert done.returncode == 1, done.stdout
    assert says in done.stderr
    assert "Traceback" not in done.stderr
    assert machine.machine_wide_files() == machine.staff_state


def test_what_a_visitor_leaves_under_the_account_by_hand_changes_nothing_the_next_one_sees(machine):
    # Everything CaseGuide would read per user, written as a visitor with a file manager would.
    config, data = machine.home / ".config/caseguide", machine.home / ".local/share/caseguide"
    (config / "trusted-keys").mkdir(parents=True)
    shutil.copy(machine.files / "visitor.pub", config / "trusted-keys" / "visitor.pub")
    (config / "settings.json").write_text(json.dumps({"format": 1, "settings": {
        "organisation.name": "Scam Advice Ltd", "organisation.contact": f"Call {SCAM}",
        "quick_exit.action": "hide", "shared.enabled": False}}))
    store = data / "packs"
    pack_source(store / "store" / "hope-centre-fake", pack_id="hope-centre", version="99.0",
                guides=("hope-centre-drop-in",), words=f"ring {SCAM}")
    (store / "installed.json").write_text(json.dumps({"format": 1, "packs": {
        "hope-centre": {"folder": "hope-centre-fake", "version": "99.0", "signer": "0000000000000000"}}}))
    machine.give_to_visitor()

    listed = machine.visitor("list", "--json")
    assert listed.returncode == 0, listed.stderr
    packs = {(g["pack"], g["path"].startswith(str(machine.site_data))) for g in json.loads(listed.stdout)}
    assert packs == {("core", False), ("hope-centre", True)}  # the staff's copy, not the visitor's
    found = machine.visitor("search", "ring", SCAM, "--json")
    assert found.returncode == 0 and SCAM not in found.stdout
    got = machine.visitor("settings", "get", "organisation.contact")
    assert got.stdout.strip() == STAFF_CONTACT
    assert machine.visitor("settings", "get", "shared.enabled").stdout.strip() == "true"

    if shutil.which("pdftotext"):
        pdf = machine.home / "handout.pdf"
        made = machine.visitor("handout", "hope-centre-drop-in", "-o", str(pdf))
        assert made.returncode == 0, made.stderr
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Hope Centre" in text and "020 7946 0000" in text and SCAM not in text
        assert "Scam Advice" not in text
    assert machine.machine_wide_files() == machine.staff_state


PAYLOAD = '''
import os, pickle, sys, time
tmp, marker, how = sys.argv[1], sys.argv[2], sys.argv[3]

class Run:
    def __reduce__(self):
        return (os.system, (f"touch {marker}",))

planted = os.path.join(tmp, "MAIN.tmp")  # the name Whoosh's in-memory writer used to spill to
if how == "file":  # a file where the writer wants its folder: the build failed for everyone after
    with open(planted, "w") as f:
        f.write("left by a visitor")
else:  # a folder of the visitor's own, so the writer's files land where the visitor may swap them
    os.makedirs(planted, exist_ok=True)
    os.chmod(planted, 0o777)
print("planted", flush=True)
while True:  # swap every file anyone writes where this account can reach, for a pickle
    for top, folders, files in os.walk(tmp):
        for name in files:
            path = os.path.join(top, name)
            if path != planted:
                try:
                    with open(path, "wb") as out:
                        pickle.dump(Run(), out)
                except OSError:
                    pass
    time.sleep(0.005)
'''


@pytest.mark.parametrize("how", ["file", "folder"])
def test_a_visitor_planting_in_the_temporary_folder_neither_stops_nor_hijacks_staffs_index(machine, how, tmp_path):
    """Issue 22: another account left a file, or a folder of its own, in the shared temporary folder,
    which stopped every later in-memory index, and could swap what Whoosh wrote there for a pickle
    that ran inside staff's `caseguide index`. Three builds run at once while the visitor keeps at it."""
    tmp = machine.base / f"tmp-{how}"
    tmp.mkdir(mode=0o1777)
    tmp.chmod(0o1777)
    marker = machine.base / "files" / f"hijacked-{how}"
    env = dict(machine.env(machine.home), TMPDIR=str(tmp))
    visitor = subprocess.Popen(machine._as_visitor([sys.executable, "-c", PAYLOAD, str(tmp), str(marker), how]),
                               stdout=subprocess.PIPE, text=True, env=env, cwd="/")
    try:
        assert visitor.stdout.readline().strip() == "planted"
        staff_env = dict(machine.env(machine.staff_home), TMPDIR=str(tmp))
        builds = [subprocess.Popen([*machine.python, "index"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, env=staff_env, cwd=str(machine.base)) for _ in range(3)]
        errors = [b.communicate(timeout=120)[1] for b in builds]
        found = subprocess.run([*machine.python, "search", "drop", "in", "--json"], capture_output=True, text=True,
                               env=staff_env, cwd=str(machine.base))
    finally:
        visitor.kill()
        visitor.communicate()
    assert [b.returncode for b in builds] == [0, 0, 0], errors
    assert found.returncode == 0 and json.loads(found.stdout)[0]["id"] == "hope-centre-drop-in", found.stderr
    assert not marker.exists(), "the visitor's pickle ran inside staff's index build"
    assert [p.name for p in tmp.iterdir() if p.name.startswith("caseguide-")] == []  # each removed its own
