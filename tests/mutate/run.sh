#!/bin/bash
# Mutation check of the analysis rules: plant one deliberate bug at a time
# (a line FILE|SED SCRIPT|NAME of tests/mutate/mutations), rebuild,
# run the unit and CLI tests, and expect at least one failure.  A mutation
# the tests do not catch means a rule without a test; a mutation whose sed
# script changes nothing is stale (the code moved): both fail the run.
#
#   tests/mutate/run.sh [NAME_REGEX]
#
# Works on a scratch copy of the checkout (MUTATE_DIR, default
# /tmp/kt-mutate.HASH, one per checkout: two checkouts sharing a copy mix
# their objects, as the copy keeps the files' times and make rebuilds only
# what is newer), so the tree and its build are left alone; the copy's
# build is incremental, so each mutation recompiles one file.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=${MUTATE_DIR:-/tmp/kt-mutate.$(printf '%s' "$top" | cksum | cut -d' ' -f1)}
pat=${1:-.}
list=$top/tests/mutate/mutations

mkdir -p "$dir"
# the copy's build/ is kept between runs: only what changed is rebuilt
# (tar keeps the files' times, so make sees what is new)
mkdir -p "$dir/src"
find "$dir/src" -mindepth 1 -maxdepth 1 ! -name build -exec rm -rf {} +
(cd "$top" && git ls-files -co --exclude-standard -z |
	tar --null -T - -cf -) | tar -C "$dir/src" -xf - || exit 2
cd "$dir/src" || exit 2
make -s -j2 WERROR= test-bins >/dev/null 2>&1 || { echo "FAIL mutate: the unmutated copy does not build"; exit 1; }

caught=0 missed=0 stale=0
while IFS= read -r line; do
	case $line in ''|'#'*) continue ;; esac
	# FILE|SCRIPT|NAME: the script may hold '|' itself
	file=${line%%|*} rest=${line#*|}
	name=${rest##*|} script=${rest%|*}
	echo "$name" | grep -qE "$pat" || continue
	cp "$file" "$dir/orig"
	sed -i -e "$script" "$file"
	if cmp -s "$file" "$dir/orig"; then
		echo "FAIL mutate/$name: stale, '$script' changes nothing in $file"
		stale=$((stale + 1))
		continue
	fi
	if ! make -s -j2 WERROR= test-bins >"$dir/make.log" 2>&1; then
		echo "FAIL mutate/$name: the mutant does not build (fix the mutation)"
		tail -3 "$dir/make.log" | sed 's/^/    /'
		stale=$((stale + 1))
	elif out=$( (build/test-unit; KTRAIL=$PWD/ktrail KT_TOOL=$PWD/build/kt-test-tool tests/cli/run.sh) 2>/dev/null) &&
	     ! printf '%s\n' "$out" | grep -q '^FAIL '; then
		echo "FAIL mutate/$name: no test caught it ($file)"
		missed=$((missed + 1))
	else
		echo "PASS mutate/$name: caught by $(printf '%s\n' "$out" | grep '^FAIL ' | head -1 | cut -d: -f1 | cut -d' ' -f2)"
		caught=$((caught + 1))
	fi
	cp "$dir/orig" "$file"
done <"$list"
make -s -j2 WERROR= test-bins >/dev/null 2>&1
echo "$caught caught, $missed missed, $stale stale"
[ $missed -eq 0 ] && [ $stale -eq 0 ]
