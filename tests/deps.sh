#!/bin/bash
# Install the Debian packages ktrail needs to build and test, only those that
# are missing (apt-get update runs only when something is).  The pictures
# are drawn in DejaVu Sans (fonts-dejavu-core); tests/page checks SVGs
# with xmllint (libxml2-utils) and opens reports in headless Chromium.  Extra packages
# can be named as arguments (tests/bench uses this for the peer recorders).
set -euo pipefail
PKGS=(make gcc clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev libpcap-dev
      libzstd-dev libsqlite3-dev libgraphviz-dev libcairo2-dev libjansson-dev
      pkg-config libclang-rt-14-dev linux-libc-dev iproute2 util-linux
      libcap2-bin procps e2fsprogs python3
      fonts-dejavu-core libxml2-utils chromium "$@")
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "ktrail: missing Debian packages: ${missing[*]} (run as root, or apt-get install them)" >&2
	exit 2
fi
echo "  DEPS     apt-get install ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${missing[@]}" >/dev/null
