#!/bin/sh
# Make an installed LinkWriter (pip, pipx or the PyInstaller folder) show up in the desktop's
# application menu and in "Open with" for Markdown files: installs the .desktop entry, the
# AppStream metainfo and the icons for the current user.
#   sh packaging/linux/install-desktop-files.sh [DATA_DIR]     from a source checkout
#   sh linkwriter/install-desktop-files.sh [DATA_DIR]          from the PyInstaller folder
# DATA_DIR defaults to $XDG_DATA_HOME or ~/.local/share. The launcher is the PyInstaller folder's
# own linkwriter-gui, else the one on PATH; set LINKWRITER_GUI=/path/to/linkwriter-gui to choose.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
id=io.github.linkwriter.LinkWriter
data=${1:-${XDG_DATA_HOME:-$HOME/.local/share}}
if [ -d "$here/_internal/linkwriter/resources/icons" ]; then  # the PyInstaller folder
    icons="$here/_internal/linkwriter/resources/icons"
    gui=${LINKWRITER_GUI:-$here/linkwriter-gui}
else  # packaging/linux/ in a checkout
    icons="$here/../../resources/icons"
    gui=${LINKWRITER_GUI:-$(command -v linkwriter-gui || true)}
fi
if [ -z "$gui" ]; then
    echo "install-desktop-files: linkwriter-gui is not on PATH; install LinkWriter first" \
         "or set LINKWRITER_GUI" >&2
    exit 2
fi
case "$gui" in *[[:space:]]*|*\"*|*\\*|*%*)
    echo "install-desktop-files: please use a launcher path without spaces, quotes or %: $gui" >&2
    exit 2
esac

mkdir -p "$data/applications" "$data/metainfo"
sed "s|^Exec=linkwriter-gui |Exec=$gui |" "$here/$id.desktop" > "$data/applications/$id.desktop"
cp "$here/$id.metainfo.xml" "$data/metainfo/$id.metainfo.xml"
mkdir -p "$data/icons/hicolor/scalable/apps"
cp "$icons/linkwriter.svg" "$data/icons/hicolor/scalable/apps/$id.svg"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
    cp "$icons/linkwriter-$size.png" "$data/icons/hicolor/${size}x${size}/apps/$id.png"
done
# Refresh the desktop's caches when the tools are there; the files work without them too.
if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$data/applications" || true
fi
if command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q -t "$data/icons/hicolor" 2>/dev/null || true
fi
echo "install-desktop-files: installed $id for $gui into $data"
