"""Build CaseGuide as a one-folder bundle that runs on a PC with no Python.

    python build_installer.py [--skip-smoke-test]

Steps, each failing loudly:
0. check that this Python holds exactly the locked dependency set (requirements.lock, which
   scripts/dev.sh setup installs with --require-hashes): the bundle carries what the suite tested;
1. render the app icon (resources/icons/caseguide.svg) to PNG sizes, a Windows .ico and a macOS .icns;
2. run PyInstaller (one-folder: it starts several times faster than one-file and trips antivirus less)
   with the bundled content/ and resources/icons/, only the Qt modules the app uses, and no UPX;
3. smoke-test the built executable in a clean environment, offscreen: --version, list, search, a
   screenshot of the window, a handout PDF (its QR codes need segno), and a feed made by the bundle
   in a folder that `caseguide update --check` and `caseguide update` read (the signed-feed code and
   TUF are in the bundle); then, where Xvfb and xdotool are installed, open its real window and type
   a few hundred searches into it, opening each best match and going back, as a person would (driven
   from outside, so no test code ships in the product);
4. pack dist/caseguide/ into an archive to hand out (tar.gz on Linux and macOS, zip on Windows).

PyInstaller does not cross-compile: run this on each platform you ship for (see docs/windows.md and docs/installing.md).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
BUILD = ROOT / "build" / "installer"
DIST = ROOT / "dist"
NAME = "caseguide"
GUI_NAME = "caseguidew" if sys.platform == "win32" else "CaseGuide"  # the windowed program (Windows, macOS)
WATCHDOG_NAME = "caseguide-quickexit"  # Quick exit while the window is busy (caseguide.gui.quick_exit_watch)
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
BUDGET_MB = 150  # issue 26; it was 224 MB before Babel, Qt and debug symbols were trimmed

# Qt modules CaseGuide does not use: left out of the bundle (the app never networks, has no QML/web).
QT_EXCLUDES = [
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuick3D",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebChannel", "PySide6.QtWebSockets",
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets",
    "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtDBus",
    "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools", "PySide6.QtXml", "PySide6.QtConcurrent",
    "PySide6.QtStateMachine", "PySide6.QtCharts", "PySide6.QtDataVisualization", "PySide6.QtBluetooth",
    "PySide6.QtPositioning", "PySide6.QtSerialPort", "PySide6.QtSensors", "PySide6.QtSpatialAudio",
    "PySide6.Qt3DCore", "PySide6.QtGraphs", "PySide6.QtHttpServer", "PySide6.QtNetworkAuth",
]
# Qt plugins, each with why CaseGuide never loads it (build_installer's smoke test runs without them).
DROP_PLUGINS = [
    "platforms/*vnc*",  # a VNC server platform: it links Qt's network library, which then goes too
    "platforms/*linuxfb*", "platforms/*eglfs*", "platforms/*vkkhrdisplay*", "platforms/*minimalegl*",
    "egldeviceintegrations",  # platforms for devices with no window system (kiosks, embedded boards)
    "platforms/*qminimal.*",  # draws nowhere and has no fonts; the smoke test and screenshots use offscreen
    "platforms/*direct2d*",  # Windows: an experimental platform; Qt's default is qwindows
    "generic",  # evdev input for the linuxfb and eglfs platforms above; TUIO touch over UDP (network)
    "platforminputcontexts/*virtualkeyboard*",  # Windows: Qt's on-screen keyboard is Qt Quick, not bundled
    "imageformats/*icns*", "imageformats/*tga*", "imageformats/*tiff*", "imageformats/*wbmp*",
    "imageformats/*pdf*",  # guides' images are PNG, JPEG, GIF or WebP (library.IMAGE_SUFFIXES); icons SVG
    # Linux: the GTK 3 theme. It brings GTK and 35 libraries of the build machine's (19 MB) into the
    # bundle, to load beside the desktop's own GTK modules; without it Qt uses its own GNOME theme and
    # its own file dialog, which speaks the language a visitor chose (a GTK dialog speaks the system's).
    "platformthemes/*gtk3*",
    # Wayland: the platform, xdg-shell and the window decorations stay (CaseGuide runs natively on a
    # Wayland desktop); these are for OpenGL windows, compositors' server buffers and non-desktop shells.
    "wayland-graphics-integration-client", "wayland-shell-integration/*ivi-shell*",
    "wayland-shell-integration/*fullscreen-shell*", "wayland-shell-integration/*qt-shell*",
    "wayland-shell-integration/*wl-shell*",
    "xcbglintegrations",  # OpenGL on X11: CaseGuide's widgets paint with the CPU (no QtOpenGL module)
]
# Libraries left without a user once those plugins went (and the network library, see above).
DROP_LIBS = ["libQt6Network.so*", "libQt6EglFSDeviceIntegration.so*", "libQt6EglFsKmsSupport.so*",
             "Qt6Network.dll",
             "opengl32sw.dll",  # Windows: Mesa's software OpenGL (20 MB), for OpenGL with no GPU driver
             "libQt6OpenGL.so*", "Qt6OpenGL.dll"]  # only the OpenGL plugins above used it
# Qt's own words (standard dialogs' buttons): CaseGuide loads qtbase_<code>.qm for its interface
# language only (caseguide/gui/language.py), so every other catalog and every other module's goes.
KEEP_QT_TRANSLATIONS = "qtbase_{code}.qm"
PY_EXCLUDES = ["tkinter", "unittest", "pydoc", "test", "pytest", "pytestqt", "pypdf", "PyInstaller"]
WATCHDOG_EXCLUDES = ["PySide6", "shiboken6", "whoosh", "yaml", "markdown", "nh3", "nacl", "platformdirs"]


class BuildError(Exception):
    pass


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


def version() -> str:
    text = (ROOT / "caseguide" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if not match:
        raise BuildError("caseguide/__init__.py has no __version__")
    return match.group(1)


def check_lock(allow_unlocked: bool) -> None:
    """Refuse to build from anything but the locked set (scripts/lock.py compares them)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("caseguide_lock", ROOT / "scripts" / "lock.py")
    lock = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lock)
    problems = lock.differences()
    if not problems:
        say(f"dependencies: exactly the locked set ({len(lock.locked())} packages)")
        return
    listed = "\n  ".join(problems)
    if allow_unlocked:
        say(f"WARNING: building from packages that are not the locked set (--unlocked):\n  {listed}")
        return
    raise BuildError(f"this Python's packages are not the locked set:\n  {listed}\n"
                     "Run 'scripts/dev.sh setup' and build with .venv/bin/python (or pass --unlocked to "
                     "experiment; never for a release)")


# Icons ----------------------------------------------------------------------------------

def render_icons(out: Path) -> dict[int, bytes]:
    """PNG bytes of the app icon at each size, rendered from the SVG with Qt."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([NAME])
    renderer = QSvgRenderer(str(ROOT / "resources" / "icons" / "caseguide.svg"))
    if not renderer.isValid():
        raise BuildError("resources/icons/caseguide.svg is not a valid SVG")
    out.mkdir(parents=True, exist_ok=True)
    pngs = {}
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        pngs[size] = bytes(data)
        (out / f"caseguide-{size}.png").write_bytes(pngs[size])
    return pngs


def write_ico(pngs: dict[int, bytes], path: Path) -> None:
    """A Windows .ico holding PNG images (supported since Windows Vista)."""
    sizes = [s for s in sorted(pngs) if s <= 256]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        blobs += data
    path.write_bytes(header + entries + blobs)


def write_icns(pngs: dict[int, bytes], path: Path) -> None:
    """A macOS .icns holding PNG images."""
    types = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}
    body = b"".join(kind + struct.pack(">I", len(pngs[size]) + 8) + pngs[size]
                    for size, kind in types.items() if size in pngs)
    path.write_bytes(b"icns" + struct.pack(">I", len(body) + 8) + body)


def windows_version_file(ver: str, path: Path, filename: str) -> None:
    numbers = (list(map(int, re.findall(r"\d+", ver))) + [0, 0, 0, 0])[:4]
    tup = tuple(numbers)
    path.write_text(f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(filevers={tup}, prodvers={tup}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080904B0', [
      StringStruct('CompanyName', 'CaseGuide'),
      StringStruct('FileDescription', 'CaseGuide: offline guides for people supporting migrants'),
      StringStruct('FileVersion', '{ver}'),
      StringStruct('InternalName', 'caseguide'),
      StringStruct('OriginalFilename', '{filename}'),
      StringStruct('ProductName', 'CaseGuide'),
      StringStruct('ProductVersion', '{ver}')])]),
    VarFileInfo([VarStruct('Translation', [2057, 1200])])
  ]
)
""", encoding="utf-8")


# Building -------------------------------------------------------------------------------

SPEC = """# Generated by build_installer.py: edit that, not this.
import sys
block_cipher = None
a = Analysis(
    [{entry!r}],
    pathex=[{root!r}],
    # The data packages, where the installed package has them (see pyproject.toml): their __init__.py
    # comes along as a file, and importlib.resources finds them there as in a wheel.
    datas=[({content!r}, "caseguide/_content"), ({icons!r}, "caseguide/_icons"),
           ({locale!r}, "caseguide/locale")],  # the interface's catalogs (.mo compiled by the install)
    hiddenimports={hidden!r},
    excludes={excludes!r},
    noarchive=False,
)
pyz = PYZ(a.pure)
common = dict(debug=False, bootloader_ignore_signals=False, strip=False, upx=False, icon={icon!r})
# One console program for the command line (and, on Linux, the window too) ...
cli = EXE(pyz, a.scripts, [], exclude_binaries=True, name="caseguide", console=True,
          version={version_file!r}, **common)
targets = [cli]
# ... and on Windows and macOS a windowed one, so opening CaseGuide shows no console. Windows file
# names ignore case, so there it cannot be CaseGuide.exe beside caseguide.exe: it is caseguidew.exe,
# as pythonw.exe is to python.exe.
if sys.platform in ("win32", "darwin"):
    gui = EXE(pyz, a.scripts, [], exclude_binaries=True, name={gui_name!r}, console=False,
              version={gui_version_file!r}, **common)
    targets.append(gui)
# ... and the Quick exit watchdog, a program of its own with no Qt at all: in the same executable,
# PyInstaller's PySide6 run-time hook would load QtCore first (a quarter of a second, 20 MB more).
w = Analysis([{watchdog_entry!r}], pathex=[{root!r}], excludes={watchdog_excludes!r}, noarchive=False)
watchdog = EXE(PYZ(w.pure), w.scripts, [], exclude_binaries=True, name={watchdog_name!r},
               console=sys.platform not in ("win32", "darwin"), version={watchdog_version_file!r}, **common)
targets.append(watchdog)
# strip: on Linux the libraries' debug symbols go (a Python built from source, as pyenv's, carries
# 17 MB of them in libpython alone); Windows DLLs carry none, and stripping them is not advised.
coll = COLLECT(*targets, a.binaries, a.datas, w.binaries, w.datas, strip={strip!r}, upx=False, name="caseguide")
if sys.platform == "darwin":
    app = BUNDLE(coll, name="CaseGuide.app", icon={icon!r}, bundle_identifier="org.caseguide.CaseGuide",
                 version={ver!r})
"""


def build(ver: str, icon_dir: Path) -> Path:
    entry = BUILD / "caseguide_main.py"
    entry.write_text("import sys\nfrom caseguide.cli import main\nsys.exit(main())\n", encoding="utf-8")
    watchdog_entry = BUILD / "caseguide_quickexit.py"
    watchdog_entry.write_text("import sys\nfrom caseguide.session.watchdog import main\nsys.exit(main())\n",
                              encoding="utf-8")
    icon = {"win32": icon_dir / "caseguide.ico", "darwin": icon_dir / "caseguide.icns"}.get(
        sys.platform, icon_dir / "caseguide-256.png")
    version_file = gui_version_file = watchdog_version_file = None
    if sys.platform == "win32":
        version_file, gui_version_file = BUILD / "version_info.txt", BUILD / "version_info_gui.txt"
        watchdog_version_file = BUILD / "version_info_quickexit.txt"
        windows_version_file(ver, version_file, f"{NAME}.exe")
        windows_version_file(ver, gui_version_file, f"{GUI_NAME}.exe")
        windows_version_file(ver, watchdog_version_file, f"{WATCHDOG_NAME}.exe")
    spec = BUILD / "caseguide.spec"
    spec.write_text(SPEC.format(
        entry=str(entry), watchdog_entry=str(watchdog_entry), watchdog_name=WATCHDOG_NAME, root=str(ROOT), content=str(ROOT / "content"), icons=str(ROOT / "resources" / "icons"),
        locale=str(ROOT / "caseguide" / "locale"),
        hidden=["whoosh.codec.whoosh3", "whoosh.filedb.filestore", "whoosh.lang.snowball", "_cffi_backend",
                "caseguide.gui.app", "caseguide.gui.screenshot", "caseguide.gui.handout_cli",
                # caseguide feed / update (imported inside the commands; tuf's Ed25519 is PyNaCl's)
                "caseguide.updates.client", "caseguide.updates.publisher", "caseguide.updates.rotation",
                "nacl.signing",
                # handouts' QR codes (caseguide.guides.qr imports it only when a handout is made)
                "segno"],
        excludes=QT_EXCLUDES + PY_EXCLUDES, icon=str(icon), gui_name=GUI_NAME,
        version_file=str(version_file) if version_file else None,
        gui_version_file=str(gui_version_file) if gui_version_file else None,
        watchdog_version_file=str(watchdog_version_file) if watchdog_version_file else None,
        watchdog_excludes=QT_EXCLUDES + PY_EXCLUDES + WATCHDOG_EXCLUDES, ver=ver,
        strip=sys.platform.startswith("linux")), encoding="utf-8")
    say("running PyInstaller")
    result = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                             "--distpath", str(DIST), "--workpath", str(BUILD / "work"), str(spec)])
    if result.returncode != 0:
        raise BuildError("PyInstaller failed (its messages are above)")
    folder = DIST / NAME
    if not folder.is_dir():
        raise BuildError(f"PyInstaller did not make {folder}")
    return folder


def interface_languages() -> tuple[str, ...]:
    """English and every language with a catalog: what the window can speak (caseguide.i18n)."""
    from caseguide import i18n

    return i18n.available()


def babel_locales(codes) -> set[str]:
    """The Babel locales *codes* need: each one, its parents as Babel finds them (en_GB's is en_001,
    then en) and root, which every locale inherits from. CaseGuide asks Babel only about interface
    languages (dates and language names on pages and handouts; caseguide.i18n falls back to English
    for any other language a guide declares); the other ~1,100 locales are 34 MB."""
    from babel.core import get_global

    exceptions = get_global("parent_exceptions")
    keep = {"root"}
    for code in codes:
        while code and code != "root":
            keep.add(code)
            code = exceptions.get(code) or "_".join(code.split("_")[:-1])
    return keep


def elf_files(folder: Path) -> dict[Path, list[str]]:
    """Each Linux library and program in *folder* and the libraries it links (objdump's NEEDED
    entries; PyInstaller needs objdump on Linux anyway)."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.read_bytes()[:4] == b"\x7fELF":
            out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True, check=True).stdout
            found[path] = re.findall(r"^\s+NEEDED\s+(\S+)", out, re.MULTILINE)
    return found


def prune(folder: Path) -> list[str]:
    """Delete what CaseGuide never loads (the lists above); returns what went, for the build's log."""
    dropped = []

    def drop(path: Path) -> None:
        dropped.append(str(path.relative_to(folder)))
        shutil.rmtree(path) if path.is_dir() else path.unlink()

    # Qt's plugins are in PySide6/Qt/plugins on Linux and macOS, PySide6/plugins on Windows.
    plugins = next((p for p in folder.rglob("plugins") if p.parent.name in ("Qt", "PySide6")), None)
    if plugins is None:
        raise BuildError(f"no Qt plugins folder in {folder}")
    going = list(dict.fromkeys(path for pattern in DROP_PLUGINS for path in plugins.glob(pattern)))
    going += [path for pattern in DROP_LIBS for path in folder.rglob(pattern)]
    elves = elf_files(folder) if sys.platform.startswith("linux") else {}
    orphans = {lib for path in going for p in ([path, *path.rglob("*")]) if p in elves for lib in elves[p]}
    for path in going:
        drop(path)
    # Linux: the libraries PyInstaller brought only for what just went (the GTK theme brings GTK, ATK,
    # Pango, cairo and 30 more), which nothing left in the bundle links.
    while orphans:
        name = orphans.pop()
        left = {p: libs for p, libs in elves.items() if p.exists()}
        for path in [p for p in left if p.name == name and not any(name in libs for libs in left.values())]:
            orphans |= set(elves[path])
            drop(path)
    for link in [p for p in folder.rglob("*") if p.is_symlink() and not p.exists()]:
        link.unlink()  # (PyInstaller's links to a library that went)
    codes = interface_languages()
    translations = next((p for p in folder.rglob("translations") if p.parent.name in ("Qt", "PySide6")), None)
    if translations is not None:
        keep = {KEEP_QT_TRANSLATIONS.format(code=code) for code in codes}
        for path in translations.glob("*.qm"):
            if path.name not in keep:
                drop(path)
    locale_data = next(folder.rglob("babel/locale-data"), None)
    if locale_data is None:
        raise BuildError(f"no babel/locale-data in {folder}")
    keep = {f"{name}.dat" for name in babel_locales(codes)}
    missing = keep - {p.name for p in locale_data.iterdir()}
    if missing:
        raise BuildError(f"Babel has no locale data for {sorted(missing)}")
    for path in locale_data.glob("*.dat"):
        if path.name not in keep:
            drop(path)
    return dropped


def executable_name(name: str) -> str:
    return f"{name}.exe" if sys.platform == "win32" else name


def executable(folder: Path) -> Path:
    return folder / executable_name(NAME)


def run_watchdog(exe: Path, env: dict, tmp: Path) -> tuple[str, float]:
    """The Quick exit watchdog program, as the window starts it: pipes for its input and output (a
    windowed program on Windows must use them), no display here. Its first line, and how long it took."""
    if not exe.is_file():
        raise BuildError(f"the bundle has no {exe.name}")
    started = time.perf_counter()
    result = subprocess.run([str(exe)], env=env, capture_output=True, text=True, timeout=60, cwd=tmp,
                            stdin=subprocess.PIPE)
    if result.returncode != 0:
        raise BuildError(f"smoke test: {exe.name} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout, time.perf_counter() - started


# Checking --------------------------------------------------------------------------------

def smoke_test(folder: Path) -> dict:
    """Run the built program as a PC with no Python would: clean environment, offscreen."""
    exe = executable(folder)
    with tempfile.TemporaryDirectory(prefix="caseguide-smoke-") as tmp:
        tmp = Path(tmp)
        env = {"PATH": "/usr/bin:/bin" if os.name != "nt" else os.environ.get("SystemRoot", "") + r"\System32",
               "HOME": str(tmp), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
        if os.name == "nt":
            # platformdirs asks Windows for the known folders and ignores these variables, so the
            # program would build its index in the real account's cache: CaseGuide's own override too
            env.update(USERPROFILE=str(tmp), APPDATA=str(tmp / "AppData"), LOCALAPPDATA=str(tmp / "Local"),
                       SystemRoot=os.environ.get("SystemRoot", r"C:\Windows"), CASEGUIDE_BASEDIR=str(tmp / "base"))
        else:
            env.update({k: str(tmp / k.lower()) for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                                                          "XDG_DATA_DIRS", "XDG_CONFIG_DIRS")})

        def run(*args, timeout=120):
            started = time.perf_counter()
            result = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True,
                                    timeout=timeout, cwd=tmp, stdin=subprocess.PIPE)
            if result.returncode != 0:
                raise BuildError(f"smoke test 'caseguide {' '.join(args)}' failed ({result.returncode}):\n"
                                 f"{result.stdout}\n{result.stderr}")
            return result.stdout, time.perf_counter() - started

        out, _ = run("--version")
        say(f"smoke test: {out.strip()}")
        out, _ = run("list", "--json")
        guides = json.loads(out)
        if not guides:
            raise BuildError("smoke test: the bundled library is empty")
        out, _ = run("search", "data", "--json")
        if not json.loads(out):
            raise BuildError("smoke test: searching the bundled library found nothing")
        out, watchdog_seconds = run_watchdog(folder / executable_name(WATCHDOG_NAME), env, tmp)
        expected = "ready WindowsScreen" if sys.platform == "win32" else "unavailable no X display"
        if not out.startswith(expected):
            raise BuildError(f"smoke test: the Quick exit watchdog said {out!r}, not {expected!r}...")
        say(f"smoke test: the Quick exit watchdog starts ({out.strip()}) in {watchdog_seconds:.2f} s")
        shot = tmp / "window.png"
        _, seconds = run("screenshot", str(shot), "--search", "data")
        if not shot.is_file() or shot.stat().st_size < 10_000:
            raise BuildError("smoke test: the window screenshot is missing or empty")
        shutil.copy(shot, BUILD / "smoke-window.png")
        handout = tmp / "handout.pdf"  # a guide with sources: their QR codes need segno in the bundle
        with_sources = next((g["id"] for g in guides if g["id"] == "gp-registration"), guides[0]["id"])
        run("handout", with_sources, "-o", str(handout))
        if not handout.is_file() or handout.stat().st_size < 10_000:
            raise BuildError("smoke test: the handout PDF is missing or empty")
        say(f"smoke test: caseguide handout {with_sources} made a PDF with its sources' QR codes")
        update_seconds = feed_smoke_test(run, tmp)
        if sys.platform == "win32":
            windowed_smoke_test(folder, env, tmp, guides[0]["id"])
        say(f"smoke test passed: {len(guides)} guides listed and searched; window rendered in {seconds:.1f} s "
            f"(saved as {BUILD / 'smoke-window.png'})")
        report = {"guides": len(guides), "screenshot_seconds": round(seconds, 2),
                  "watchdog_start_seconds": round(watchdog_seconds, 2), "update_seconds": update_seconds}
        report.update(window_soak(exe, env, tmp, [g["title"] for g in guides]))
        return report


SMOKE_GUIDE = """---
id: smoke-feed-guide
title: A guide that came from a feed
summary: What the smoke test's feed carries.
kind: rights
topics: [health]
language: en
nations: [uk]
reviewed: 2026-11-01
review_due: 2027-05-01
sources:
  - title: GOV.UK
    url: https://www.gov.uk/
---
Intro.

## What this means for you

- You can ask.

## The steps

""" + "You can ask for your file. It is free. The reply comes in a month. " * 30 + """

## When to get advice

Talk to a regulated adviser.
"""


def feed_smoke_test(run, tmp: Path) -> float:
    """The bundle as publisher and as PC: make a signed pack and a feed in a folder (a USB stick),
    then `caseguide update --check` and `caseguide update` from it. Returns the update's seconds."""
    src = tmp / "feed-src"
    (src / "guides").mkdir(parents=True)
    (src / "pack.toml").write_text('id = "smoke-feed"\nversion = "1.0.0"\ntitle = "Smoke feed"\n'
                                   'publisher = "Smoke Org"\nlanguages = ["en"]\n[topics]\nhealth = "Health"\n',
                                   encoding="utf-8")
    (src / "guides" / "smoke-feed-guide.md").write_text(SMOKE_GUIDE, encoding="utf-8")
    run("pack", "keygen", str(tmp / "org"))
    run("trust", "add", str(tmp / "org.pub"))
    run("pack", "build", str(src), "--key", str(tmp / "org.key"), "-o", str(tmp / "smoke.cgpack"))
    feed = tmp / "feed"
    run("feed", "init", str(feed), "--root-key", str(tmp / "root.key"), "--targets-key", str(tmp / "targets.key"),
        "--publisher", "Smoke Network")
    run("feed", "add", str(feed), str(tmp / "smoke.cgpack"), "--targets-key", str(tmp / "targets.key"))
    run("feed", "publish", str(feed), "--expires-in-days", "90")
    root = feed / "publish" / "metadata" / "root.json"
    out, _ = run("update", "--check", "--from", str(feed / "publish"), "--root", str(root))
    if "would install smoke-feed 1.0.0" not in out:
        raise BuildError(f"smoke test: 'caseguide update --check' did not see the feed's pack:\n{out}")
    out, seconds = run("update", "--from", str(feed / "publish"), "--root", str(root))
    if "Installed for you: smoke-feed 1.0.0" not in out:
        raise BuildError(f"smoke test: 'caseguide update' did not install the feed's pack:\n{out}")
    listed, _ = run("list", "--json")
    if "smoke-feed-guide" not in {g["id"] for g in json.loads(listed)}:
        raise BuildError("smoke test: the guide from the feed is not in the library after the update")
    say(f"smoke test: caseguide update --check and update from a folder feed ({seconds:.1f} s)")
    return round(seconds, 2)


def pe_subsystem(exe: Path) -> int:
    """2 for a Windows GUI program (no console), 3 for a console one."""
    data = exe.read_bytes()[:4096]
    header = struct.unpack_from("<I", data, 0x3C)[0]
    if data[header:header + 4] != b"PE\0\0":
        raise BuildError(f"{exe} is not a Windows program")
    return struct.unpack_from("<H", data, header + 0x5C)[0]


def windowed_smoke_test(folder: Path, env: dict, tmp: Path, guide_id: str) -> None:
    """Windows: the console program really is one, and the windowed one (the Start menu's) starts
    CaseGuide and draws its window: it has no console to print to, so the picture is the proof."""
    cli, gui = executable(folder), folder / f"{GUI_NAME}.exe"
    if pe_subsystem(cli) != 3 or not gui.is_file() or pe_subsystem(gui) != 2:
        raise BuildError(f"the bundle needs a console {cli.name} and a windowed {gui.name}")
    shot = tmp / "windowed.png"
    result = subprocess.run([str(gui), "screenshot", str(shot), "--open", guide_id], env=env,
                            capture_output=True, text=True, timeout=120, cwd=tmp, stdin=subprocess.PIPE)
    if result.returncode != 0 or not shot.is_file() or shot.stat().st_size < 10_000:
        raise BuildError(f"smoke test: {gui.name} drew no window ({result.returncode}):\n{result.stderr}")
    say(f"smoke test: {gui.name} (windowed) drew the window; {cli.name} is the console program")


SOAK_SEARCHES = 200
SOAK_QUERIES = ["hospital charges", "settled status", "share code", "subject access", "whatsapp",
                "gp registration", "data sharing", "right to rent", "phone", "complain"]


def window_soak(exe: Path, env: dict, tmp: Path, titles: list[str]) -> dict:
    """The bundle's real window under a virtual X screen, typed into from outside with xdotool:
    SOAK_SEARCHES searches, each opening its best match (Enter) and going back (Alt+Left). The
    program must answer every one and quit cleanly (Ctrl+Q) at the end. Linux with Xvfb and
    xdotool only; elsewhere it says it was skipped."""
    if not (sys.platform.startswith("linux") and shutil.which("Xvfb") and shutil.which("xdotool")):
        say("window soak skipped: it needs Linux with Xvfb and xdotool")
        return {"window_soak": "skipped"}
    from tests.xvfb import virtual_screen  # a free display, chosen by Xvfb itself

    screen = contextlib.ExitStack()
    display = screen.enter_context(virtual_screen())
    genv = {**env, "DISPLAY": display}
    genv.pop("QT_QPA_PLATFORM", None)
    app = None

    def xdo(*args) -> str:
        done = subprocess.run(["xdotool", *args], env=genv, capture_output=True, text=True, timeout=30)
        return done.stdout.strip()

    def wait(predicate, what: str, seconds: float = 20.0):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if app is not None and app.poll() is not None:
                raise BuildError(f"window soak: CaseGuide exited ({app.returncode}) while waiting for {what}:\n"
                                 f"{app.communicate()[1][-3000:]}")
            value = predicate()
            if value:
                return value
            time.sleep(0.02)
        raise BuildError(f"window soak: timed out waiting for {what}")

    try:
        started = time.perf_counter()
        app = subprocess.Popen([str(exe)], env=genv, cwd=tmp, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        window = wait(lambda: xdo("search", "--name", "^CaseGuide$"), "the window").splitlines()[0]
        wait(lambda: watchdogs(app.pid), "the window's Quick exit watchdog")
        xdo("windowfocus", "--sync", window)
        wait(lambda: xdo("getwindowfocus") == window, "the window to take the keyboard")

        def title_once_opened() -> str:
            title = xdo("getwindowname", window)
            return title if title != "CaseGuide" else ""

        for n in range(SOAK_SEARCHES):
            query = SOAK_QUERIES[n % len(SOAK_QUERIES)]
            # Keys go to the focused window, as a person's do (XTEST, not events sent to the window).
            xdo("key", "ctrl+f", "type", "--delay", "1", query)
            xdo("key", "Return")
            try:
                opened = wait(title_once_opened, f"search {n + 1} to open a guide", seconds=10)
            except BuildError:
                if app.poll() is not None:
                    raise
                # On a loaded machine a key can arrive before the window is ready for it; a person
                # would press Enter again. Once, then it fails.
                xdo("key", "Escape", "ctrl+f", "type", "--delay", "1", query)
                xdo("key", "Return")
                opened = wait(title_once_opened, f"search {n + 1} to open a guide (typed twice)")
            if not any(opened.startswith(title) for title in titles):
                raise BuildError(f"window soak: search {n + 1} opened {opened!r}, not a guide")
            xdo("key", "alt+Left")
            wait(lambda: xdo("getwindowname", window) == "CaseGuide", f"going back after search {n + 1}")
        seconds = time.perf_counter() - started
        xdo("key", "ctrl+q")
        code = app.wait(timeout=30)
        err = app.communicate()[1]
        if code != 0 or "Traceback" in err or "Fatal Python error" in err:
            raise BuildError(f"window soak: CaseGuide ended badly ({code}):\n{err[-3000:]}")
        say(f"window soak passed: {SOAK_SEARCHES} searches typed into the real window, each opening a guide "
            f"and going back, in {seconds:.0f} s; quit cleanly")
        return {"window_soak": SOAK_SEARCHES, "window_soak_seconds": round(seconds, 1)}
    finally:
        if app is not None and app.poll() is None:
            app.kill()
        screen.close()


def watchdogs(pid: int) -> list[int]:
    """The Quick exit watchdogs process *pid* started (Linux's /proc)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(c) for c in children
                if Path(f"/proc/{c}/cmdline").read_bytes().split(b"\0")[0].endswith(WATCHDOG_NAME.encode())]
    except OSError:
        return []


def size_report(folder: Path) -> tuple[float, list[tuple[str, float]]]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files) / 2**20
    largest = sorted(((str(p.relative_to(folder)), p.stat().st_size / 2**20) for p in files),
                     key=lambda item: -item[1])[:8]
    return total, largest


def archive(folder: Path, ver: str) -> Path:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    stem = f"caseguide-{ver}-{system}-{platform.machine().lower()}"
    if sys.platform == "win32":
        out = DIST / f"{stem}.zip"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(folder.rglob("*")):
                z.write(path, Path(NAME) / path.relative_to(folder))
    else:
        out = DIST / f"{stem}.tar.gz"
        with tarfile.open(out, "w:gz") as tar:
            tar.add(folder, arcname=NAME)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-smoke-test", action="store_true", help="build only (not for releases)")
    parser.add_argument("--unlocked", action="store_true",
                        help="build even if this Python's packages are not the locked set (not for releases)")
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        check_lock(args.unlocked)
        ver = version()
        say(f"building CaseGuide {ver} for {sys.platform}")
        shutil.rmtree(BUILD, ignore_errors=True)
        shutil.rmtree(DIST / NAME, ignore_errors=True)
        BUILD.mkdir(parents=True)
        say("rendering icons")
        icon_dir = BUILD / "icons"
        pngs = render_icons(icon_dir)
        write_ico(pngs, icon_dir / "caseguide.ico")
        write_icns(pngs, icon_dir / "caseguide.icns")
        folder = build(ver, icon_dir)
        dropped = prune(folder)
        say(f"left out {len(dropped)} files CaseGuide never loads (see DROP_PLUGINS, DROP_LIBS and prune)")
        shutil.copytree(icon_dir, folder / "icons", dirs_exist_ok=True)  # for .desktop files and installers
        if sys.platform.startswith("linux"):
            for name in ("caseguide.desktop", "install.sh"):
                shutil.copy(ROOT / "packaging" / "linux" / name, folder / name)
        report = {} if args.skip_smoke_test else smoke_test(folder)
        total, largest = size_report(folder)
        say(f"bundle: {folder} is {total:.0f} MB unpacked (budget {BUDGET_MB} MB); largest files:")
        for name, mb in largest:
            print(f"      {mb:6.1f} MB  {name}")
        if total > BUDGET_MB:
            raise BuildError(f"the bundle is {total:.0f} MB, over the {BUDGET_MB} MB budget")
        out = archive(folder, ver)
        say(f"archive: {out} ({out.stat().st_size / 2**20:.0f} MB); built in {time.perf_counter() - started:.0f} s")
        (BUILD / "report.json").write_text(json.dumps({
            "version": ver, "unpacked_mb": round(total, 1), "archive": str(out),
            "archive_mb": round(out.stat().st_size / 2**20, 1), "largest": largest, **report}, indent=2))
    except BuildError as exc:
        print(f"build_installer: FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
