#!/bin/sh
# man.sh - the man pages of ktrail and of each command, generated from
# their --help text (mk/help2roff.awk) into OUTDIR: ktrail.1 and
# ktrail-COMMAND.1 for every command `ktrail --help` lists.
#
#   mk/man.sh ./ktrail OUTDIR
set -eu
bin=$1 out=$2
top=$(dirname "$0")
awk_=$top/help2roff.awk
version=$("$bin" --version | sed 's/^ktrail //')
cmds=$("$bin" --help | awk '/^commands:/ { c = 1; next } c && /^  [a-z]/ { print $1 }')
mkdir -p "$out"
see=
for c in $cmds; do
	see="$see${see:+,
}.BR ktrail\\-$c (1)"
done
"$bin" --help | awk -v page=ktrail -v version="$version" \
	-v summary="a flight recorder for Linux hosts: record kernel events, explain what happened" \
	-v see="$see" -f "$awk_" >"$out/ktrail.1.tmp"
mv "$out/ktrail.1.tmp" "$out/ktrail.1"
for c in $cmds; do
	"$bin" "$c" --help | awk -v page="ktrail-$c" -v version="$version" \
		-v see=".BR ktrail (1)" -f "$awk_" >"$out/ktrail-$c.1.tmp"
	mv "$out/ktrail-$c.1.tmp" "$out/ktrail-$c.1"
done
