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
      libcap2-bin procps e2fsprogs python3 strace passwd binutils
      fonts-dejavu-core libxml2-utils chromium sqlite3 tshark nodejs "$@")
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "ktrail: missing Debian packages: ${missing[*]} (run as root, or apt-get install them)" >&2
		exit 2
	fi
	echo "  DEPS     apt-get install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq "${missing[@]}" >/dev/null
	# Debian's nodejs comes without npm (its own package); some builds
	# of nodejs bundle it and conflict with Debian's npm
	command -v npm >/dev/null || apt-get install -y -qq npm >/dev/null
fi

# DuckDB for the fleet test (tests/cli/export_duckdb.sh): not packaged in
# Debian, but @duckdb/node-api installs from npm with its binary as an
# optional dependency; pinned, into build/duckdb (git-ignored).  Its
# libduckdb needs glibc 2.25 at most: Debian 12 has 2.36.
DUCKDB_NODE_API=1.4.4-r.1
dd=$(cd "$(dirname "$0")/.." && pwd)/build/duckdb
if [ ! -f "$dd/node_modules/@duckdb/node-api/package.json" ] ||
   ! grep -q "\"version\": \"$DUCKDB_NODE_API\"" "$dd/node_modules/@duckdb/node-api/package.json"; then
	echo "  DEPS     npm install @duckdb/node-api@$DUCKDB_NODE_API (build/duckdb)"
	mkdir -p "$dd"
	npm install --prefix "$dd" --no-audit --no-fund --no-save --silent \
		"@duckdb/node-api@$DUCKDB_NODE_API" >/dev/null ||
		{ echo "ktrail: npm install @duckdb/node-api failed" >&2; exit 2; }
fi
