#!/bin/bash
# page/report: `ktrail report` as a person sees it, over the corpus.  For
# each case the HTML and the SVG report are written; then
#   - the HTML's first text is the root-cause sentence that `ktrail why`
#     prints first for the same span, its sections are there in order, it
#     holds no script and no external asset, its ids are unique and its
#     references resolve (pagecheck.py html)
#   - the SVG passes `xmllint --noout`, its first <text> is the sentence
#     (pagecheck.py svg)
#   - headless Chromium opens the HTML without a console message and its
#     screenshot (1280x900, what one sees first) is a PNG of that size
#     with the sentence's dark red in its top rows (pagecheck.py png)
#   - both files are under 2 MB
# One PASS/FAIL/SKIP line per case; SKIP when chromium or xmllint is
# missing (tests/deps.sh installs them).
#
#   tests/page/report.sh [CASE...]      (KTRAIL=... KT_PAGE_SHOTS=DIR: keep
#                                        the screenshots there)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${KTRAIL:=$top/ktrail}"
PFX=${PFX:-}
check=$top/tests/page/pagecheck.py
T=$(mktemp -d /tmp/kt-page.XXXXXX)
trap 'rm -rf "$T"' EXIT
# relative paths, as a person types them (they show in the pages)
cd "$top" || exit 1
S=corpus/scenarios
ids() { sed -n "s/^$2=//p" "$S/$1.ids" | head -1; }
tail1() { sed -n "s/^$2=//p" "$S/$1.ids" | tail -1; }

# name capture why-arguments (the report's --pid/--tid; none: the slowest)
cases=(
	"fsync $S/fsync_pipeline.ktr --pid $(ids fsync_pipeline front)"
	"convoy $S/lock_convoy.ktr --pid $(ids lock_convoy pid) --tid $(tail1 lock_convoy waiter)"
	"cpu $S/cpu_contention.ktr --pid $(ids cpu_contention pid) --tid $(ids cpu_contention latency)"
	"exit $S/exit_kill.ktr"
	"small corpus/synthetic/small.ktr"
)

chromium_shot() {       # HTML PNG LOG
	rm -rf "$T/profile"
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$T/profile" --enable-logging=stderr --v=0 \
		--hide-scrollbars --window-size=1280,900 \
		--screenshot="$2" "file://$1" >"$3" 2>&1
}

run_case() {
	local name=$1 cap=$2 why sentence bad= size
	shift 2
	local html=$T/$name.html svg=$T/$name.svg
	if ! "$KTRAIL" report "$cap" -o "$html" "$@" >"$T/out" 2>"$T/err" ||
	   ! "$KTRAIL" report "$cap" -o "$svg" "$@" >>"$T/out" 2>>"$T/err"; then
		echo "FAIL ${PFX}page/report_$name: ktrail report failed: $(head -2 "$T/err")"
		return
	fi
	# the span's command, as the page gives it, says the sentence first
	why=$(sed -n 's/.*Explained by <code>ktrail why \([^<]*\)<\/code>.*/\1/p' "$html" |
	      sed "s|^[^ ]*|$cap|")
	sentence=$(eval "\"\$KTRAIL\" why $why" | head -1)
	[ -n "$why" ] && [ -n "$sentence" ] || bad="no span or no sentence;"
	[ -z "$bad" ] && ! python3 "$check" html "$html" "$sentence" >"$T/p" &&
		bad="html: $(head -3 "$T/p" | tr '\n' ';')"
	[ -z "$bad" ] && ! xmllint --noout "$svg" 2>"$T/p" &&
		bad="svg not well-formed: $(head -2 "$T/p" | tr '\n' ';')"
	[ -z "$bad" ] && ! python3 "$check" svg "$svg" "$sentence" >"$T/p" &&
		bad="svg: $(head -3 "$T/p" | tr '\n' ';')"
	if [ -z "$bad" ]; then
		chromium_shot "$html" "$T/$name.png" "$T/chromium.log"
		if grep -q ':CONSOLE' "$T/chromium.log"; then
			bad="console: $(grep ':CONSOLE' "$T/chromium.log" | head -2 | tr '\n' ';')"
		elif [ ! -s "$T/$name.png" ]; then
			bad="no screenshot: $(grep -v -i dbus "$T/chromium.log" | tail -2 | tr '\n' ';')"
		elif ! python3 "$check" png "$T/$name.png" 1280 900 8b1a1a 8 64 >"$T/p"; then
			bad="screenshot: $(head -2 "$T/p" | tr '\n' ';')"
		fi
	fi
	for f in "$html" "$svg"; do
		size=$(stat -c %s "$f")
		[ "$size" -le $((2 * 1024 * 1024)) ] || bad="$bad $(basename "$f") is $size bytes;"
	done
	if [ -n "${KT_PAGE_SHOTS:-}" ] && [ -s "$T/$name.png" ]; then
		cp "$T/$name.png" "$KT_PAGE_SHOTS/report-$name.png"
	fi
	if [ -z "$bad" ]; then
		echo "PASS ${PFX}page/report_$name"
	else
		echo "FAIL ${PFX}page/report_$name: $bad"
	fi
}

missing=
command -v chromium >/dev/null || missing="chromium"
command -v xmllint >/dev/null || missing="$missing xmllint"
for c in "${cases[@]}"; do
	set -- $c
	[ $# -gt 0 ] || continue
	if [ $# -ge 1 ] && [ -n "${ONLY:-}" ] && [ "$1" != "$ONLY" ]; then
		continue
	fi
	if [ -n "$missing" ]; then
		echo "SKIP ${PFX}page/report_$1: not installed: $missing (tests/deps.sh)"
		continue
	fi
	run_case "$@"
done
