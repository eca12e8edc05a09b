#!/bin/sh
# Install a CaseGuide bundle for every account on a Linux PC. Run as root, from the folder holding
# the unpacked archive:  sudo sh caseguide/install.sh   (or give the archive's path as $1).
set -eu
SRC=${1:-$(dirname "$0")}
[ -x "$SRC/caseguide" ] || { echo "usage: sudo sh install.sh [UNPACKED_CASEGUIDE_FOLDER]" >&2; exit 2; }
rm -rf /opt/caseguide.new
cp -a "$SRC" /opt/caseguide.new
rm -rf /opt/caseguide.old
[ -d /opt/caseguide ] && mv /opt/caseguide /opt/caseguide.old
mv /opt/caseguide.new /opt/caseguide
rm -rf /opt/caseguide.old
ln -sf /opt/caseguide/caseguide /usr/local/bin/caseguide
for size in 16 24 32 48 64 128 256 512; do
    dir=/usr/share/icons/hicolor/${size}x${size}/apps
    mkdir -p "$dir"
    cp /opt/caseguide/icons/caseguide-$size.png "$dir/caseguide.png"
done
cp /opt/caseguide/caseguide.desktop /usr/share/applications/caseguide.desktop 2>/dev/null || true
command -v update-desktop-database >/dev/null && update-desktop-database -q || true
echo "CaseGuide is installed in /opt/caseguide; 'caseguide' is on the PATH."
