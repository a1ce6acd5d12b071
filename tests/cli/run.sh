#!/bin/bash
# CLI golden tests.  Each case is tests/cli/NAME.sh, run from the top of the
# checkout with $KTRAIL (the binary under test) and $KT_TOOL in the
# environment; beside it NAME.exit (expected exit status), NAME.stdout and
# NAME.stderr (expected output, exact).  UPDATE=1 rewrites the expectations
# from what the cases print now; read the diff before committing it.
#
#   tests/cli/run.sh [NAME...]
set -u
cd "$(dirname "$0")/../.."
: "${KTRAIL:=$PWD/ktrail}" "${KT_TOOL:=$PWD/build/kt-test-tool}"
export KTRAIL KT_TOOL
TMP=$(mktemp -d /tmp/kt-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(tests/cli/*.sh)
for c in "${cases[@]}"; do
	c=${c%.sh}; c=tests/cli/$(basename "$c")
	name=$(basename "$c")
	[ "$name" = run ] && continue
	KT_TMP=$TMP/$name; mkdir -p "$KT_TMP"; export KT_TMP
	bash "$c.sh" >"$TMP/out" 2>"$TMP/err"
	echo $? >"$TMP/exit"
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$TMP/out" "$c.stdout"; cp "$TMP/err" "$c.stderr"; cp "$TMP/exit" "$c.exit"
		echo "PASS cli/$name: updated"
		continue
	fi
	bad=
	for k in exit stdout stderr; do
		if [ ! -e "$c.$k" ]; then bad="$bad missing $name.$k;"; continue; fi
		src=$TMP/${k/stdout/out}; src=${src/stderr/err}
		if ! cmp -s "$src" "$c.$k"; then
			bad="$bad $k differs;"
			diff -u "$c.$k" "$src" | head -20 | sed 's/^/    /' >&2
		fi
	done
	if [ -z "$bad" ]; then echo "PASS cli/$name"; else echo "FAIL cli/$name:$bad"; fi
done
