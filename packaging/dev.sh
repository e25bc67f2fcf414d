#!/bin/sh
# One entry point for the README's Quick start and for CI.
#   sh packaging/dev.sh run [FILE]   install LinkWriter into .venv and open FILE (default: the sample post)
#   sh packaging/dev.sh test         install LinkWriter with its test tools and run the whole suite headless
#   sh packaging/dev.sh bundle       build the one-folder app with PyInstaller and smoke-test the binary
# Works on a fresh Debian/Ubuntu with python3 >= 3.10: installs the few system packages Qt and the
# venv need when it can (as root), and says which ones to install when it cannot.
set -eu
cd "$(dirname "$0")/.."
VENV=${LINKWRITER_VENV:-.venv}
PY=${PYTHON:-python3}

need_apt=""
"$PY" -c 'import venv, ensurepip' 2>/dev/null || need_apt="$need_apt python3-venv"
for lib in libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 libGL.so.1; do
    ldconfig -p 2>/dev/null | grep -q "$lib" || need_apt="$need_apt $(echo "$lib" | sed \
        -e 's/libEGL.so.1/libegl1/' -e 's/libxkbcommon.so.0/libxkbcommon0/' \
        -e 's/libfontconfig.so.1/libfontconfig1/' -e 's/libdbus-1.so.3/libdbus-1-3/' -e 's/libGL.so.1/libgl1/')"
done
if [ -n "$need_apt" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need_apt >/dev/null
    else
        echo "linkwriter: please install these system packages first:$need_apt" >&2
        exit 2
    fi
fi

# Optional system tools some tests use: installed as root, otherwise those tests skip and say why.
# (appstreamcli and desktop-file-validate check the Linux desktop files, flatpak-builder reads the
# Flatpak manifest; none of them is needed to build or run LinkWriter.)
optional_tools() {
    missing=""
    command -v appstreamcli >/dev/null || missing="$missing appstream"
    command -v desktop-file-validate >/dev/null || missing="$missing desktop-file-utils"
    command -v flatpak-builder >/dev/null || missing="$missing flatpak-builder"
    [ -n "$missing" ] || return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq || true
        for pkg in $missing; do
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" \
                >/dev/null 2>&1 || echo "linkwriter: could not install $pkg; its tests will skip" >&2
        done
    else
        echo "linkwriter: not installing$missing (needs root and apt-get);" \
             "the tests that need them will skip" >&2
    fi
}

[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null

case "${1:-run}" in
run)
    shift 2>/dev/null || true
    "$VENV/bin/python" -m pip install -q .
    exec "$VENV/bin/linkwriter" "${@:-resources/sample-post.md}"
    ;;
test)
    optional_tools
    "$VENV/bin/python" -m pip install -q -e '.[test]'
    export QT_QPA_PLATFORM=offscreen
    exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider
    ;;
bundle)
    # PyInstaller needs Python as a shared library (Debian's python3 keeps it in libpython3.X)
    # and binutils (objdump; strip, which the spec uses on Linux).
    need=""
    pylib=$("$VENV/bin/python" -c 'import sys, sysconfig
shared = sysconfig.get_config_var("Py_ENABLE_SHARED")
print("" if shared else "libpython%d.%d" % sys.version_info[:2])')
    if [ -n "$pylib" ] && ! ldconfig -p 2>/dev/null | grep -q "$pylib.so"; then
        need="$need $pylib"
    fi
    { command -v strip && command -v objdump; } >/dev/null || need="$need binutils"
    if [ -n "$need" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                --no-install-recommends $need >/dev/null
        else
            echo "linkwriter: please install these system packages first:$need" >&2
            exit 2
        fi
    fi
    "$VENV/bin/python" -m pip install -q -e '.[test,package]'
    export QT_QPA_PLATFORM=offscreen LINKWRITER_BUILD_BUNDLE=1
    exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests/test_pyinstaller.py
    ;;
*)
    echo "usage: sh packaging/dev.sh run [FILE] | test | bundle" >&2
    exit 2
    ;;
esac
