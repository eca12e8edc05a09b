#!/usr/bin/env bash
# Set up everything CaseGuide needs on a Debian-like Linux machine, then run it.
#
#   scripts/dev.sh run [ARGS...]   open CaseGuide with the bundled library
#   scripts/dev.sh test [ARGS...]  run the whole test suite (ARGS go to pytest)
#   scripts/dev.sh setup           only set up
#   scripts/dev.sh lock [--upgrade] refresh requirements.lock from pyproject.toml (see docs/development.md)
#   scripts/dev.sh catalogs        gather the interface's words into caseguide/locale/caseguide.pot and
#                                  bring every language's .po up to date with them (see docs/languages.md)
#
# Python packages come only from requirements.lock, each file checked against its hash
# (pip --require-hashes), so every machine runs exactly the set the suite was run with.
# Each step is skipped when it is already done, so running it again is quick.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
PYTHON=${PYTHON:-python3}
# The shared libraries Qt's offscreen and X11 (xcb) platforms load, and fonts for every script the
# interface speaks: DejaVu for Latin, Cyrillic and Arabic script (Arabic, Farsi, Sorani), Amiri for
# the letters of Urdu DejaVu lacks,
# Abyssinica for the Ge'ez script of Tigrinya. (Windows has fonts for all of them already.)
QT_DEBS="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libx11-xcb1 fonts-dejavu-core
fonts-hosny-amiri fonts-sil-abyssinica"
# Only the tests need these: the reference minisign tool, to prove packs interoperate with it;
# a virtual screen and a robot keyboard, to drive the real window once end to end; a D-Bus
# session and the AT-SPI accessibility bus with its Python client, to read the window as a
# screen reader does (tests/a11y, run with the system Python); zbar's zbarimg and poppler's
# pdftoppm and pdftotext, to read printed handouts back as a phone and a PDF reader do; the Orca
# screen reader and speech-dispatcher (its silent "dummy" voice), to hear what it says
# (tests/a11y/test_speech.py).
TEST_DEBS="minisign xvfb xdotool dbus at-spi2-core python3-pyatspi gir1.2-atspi-2.0 zbar-tools poppler-utils orca speech-dispatcher"

# pip says this about find-links folders that a machine's pip.conf names but lacks; it is not ours.
quiet_pip() { "$VENV/bin/python" -m pip "$@" 2>&1 | grep -v "^WARNING: Location '.*' is ignored" || true; }

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_debs() {
    command -v dpkg-query >/dev/null || { say "not a Debian-like system: install Qt's libraries yourself"; return; }
    local missing=()
    for deb in $QT_DEBS "$@"; do
        dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "ok installed" || missing+=("$deb")
    done
    "$PYTHON" -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
    [ ${#missing[@]} -eq 0 ] && return
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { say "please install as root: ${missing[*]}"; exit 1; }
        sudo=sudo
    fi
    say "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python() {
    [ -x "$VENV/bin/python" ] || { say "creating the virtual environment $VENV"; "$PYTHON" -m venv "$VENV"; }
    local stamp="$VENV/.caseguide-$(cat pyproject.toml requirements.lock | sha256sum | cut -c1-16)"
    if [ ! -e "$stamp" ]; then
        say "installing the locked Python packages (requirements.lock) and CaseGuide"
        quiet_pip install -q --require-hashes --no-deps -r requirements.lock
        # CaseGuide itself, editable, built with the locked setuptools: nothing unlocked is fetched.
        PYTHONWARNINGS=ignore quiet_pip install -q --no-deps --no-build-isolation -e .
        local extras
        extras=$("$VENV/bin/python" scripts/lock.py extras)
        if [ -n "$extras" ]; then
            say "removing packages the lock does not name: $(echo $extras)"
            # shellcheck disable=SC2086
            quiet_pip uninstall -q -y $extras
        fi
        "$VENV/bin/python" scripts/lock.py check
        rm -f "$VENV"/.caseguide-*
        touch "$stamp"
    fi
    # The interface's catalogs, compiled again when a .po is newer than its .mo (after a pull).
    "$VENV/bin/python" -m caseguide._build >&2
}

# Refresh the lock: resolve pyproject.toml's dependencies (with the test and build extras) for every
# platform and Python CaseGuide supports, with the hash of every file. Keeps today's pins where they
# still fit; --upgrade moves everything to the newest releases allowed.
refresh_lock() {
    local tools=build/lock-tools
    [ -x "$tools/bin/uv" ] || { "$PYTHON" -m venv "$tools"; "$tools/bin/python" -m pip install -q --require-hashes \
        -r scripts/lock-tools.txt 2>&1 | grep -v "^WARNING: Location '.*' is ignored" || true; }
    "$tools/bin/uv" pip compile pyproject.toml --extra test --extra build --universal --generate-hashes \
        --python-version 3.11 --quiet "$@" -o requirements.lock
    say "requirements.lock refreshed: review 'git diff requirements.lock', then run 'scripts/dev.sh test'"
}

command=${1:-run}
shift || true
case "$command" in
    setup)
        install_debs
        install_python
        ;;
    run)
        install_debs
        install_python
        if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != offscreen ]; then
            say "no display here: saving a picture of the window to caseguide-window.png instead"
            exec "$VENV/bin/caseguide" screenshot caseguide-window.png "$@"
        fi
        exec "$VENV/bin/caseguide" "$@"
        ;;
    test)
        install_debs $TEST_DEBS
        install_python
        export QT_QPA_PLATFORM=offscreen
        exec "$VENV/bin/python" -m pytest "$@"
        ;;
    lock)
        refresh_lock "$@"
        ;;
    catalogs)
        install_python
        "$VENV/bin/python" scripts/catalogs.py "$@"
        ;;
    *)
        echo "usage: scripts/dev.sh run|test|setup|lock|catalogs [ARGS...]" >&2
        exit 2
        ;;
esac
