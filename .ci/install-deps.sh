#!/bin/sh
# Installs, idempotently, the Debian packages arcade needs beyond Go: the
# X11/GL development libraries that building the Ebiten viewer (cgo) needs,
# and Xvfb for the viewer's tests. Installs nothing when all are present.
set -eu

packages="gcc libc6-dev libgl-dev libxrandr-dev libxcursor-dev libxinerama-dev libxi-dev libxxf86vm-dev xvfb xauth libgl1-mesa-dri"

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "setup: missing Debian packages:$missing; run this as root or install sudo" >&2
	exit 1
fi
echo "setup: installing Debian packages:$missing (apt-get${sudo:+ via sudo})" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
echo "setup: done" >&2
