# Hand-made hostile captures (kt-test-tool hostile, tests/tool/hostile.c:
# decompression bombs, string ids out of range, index entries that
# overlap or point back, 2^32-1 counts, metadata 100,000 levels deep, a
# META block at its 64 MiB limit and over it), each read by every
# reading command in bounded time and memory: at most 10 s of CPU
# (ulimit -t) and 60 s in all (timeout), at most 1 GiB of address space
# (ulimit -v; under ASan, whose shadow needs terabytes of address space,
# a 1.5 GiB RSS limit instead).  Each command must exit 2 with exactly
# one line "ktrail CMD: FILE: REASON", or 0 where the file is valid
# (baseline, meta-limit) or the lie is in a frame the command does not
# read (info reads the header, index and metadata only).  Per case, the
# commands grouped by exit status and reason.
ROOT=$PWD
cd "$KT_TMP" || exit 1
"$KT_TOOL" hostile . > cases.txt || { echo "kt-test-tool hostile failed"; exit 1; }
if [ -n "${PFX:-}" ]; then
	export ASAN_OPTIONS="${ASAN_OPTIONS:-}:hard_rss_limit_mb=1536"
	VLIMIT=unlimited
else
	VLIMIT=1048576
fi
CMDS=("info" "replay" "stats X syscount" "timeline" "why X --pid 100 --slowest"
      "verify" "summary" "export X --json")
while IFS= read -r line; do
	f=${line%%:*}
	echo "$line"
	: > groups.txt
	for c in "${CMDS[@]}"; do
		set -- $c
		cmd=$1
		if [ "${2:-}" = X ]; then set -- "$cmd" "$f" "${@:3}"; else set -- "$cmd" "$f"; fi
		( ulimit -t 10; ulimit -v $VLIMIT; exec timeout 60 "$KTRAIL" "$@" ) >/dev/null 2>err.txt
		rc=$?
		n=$(wc -l < err.txt)
		msg=$(head -n 1 err.txt)
		case $rc:$n in
		0:0) why= ;;
		2:1) if [ "${msg#"ktrail $cmd: $f: "}" = "$msg" ]; then
			why=" BAD MESSAGE: $msg"
		     else
			why=" \"${msg#"ktrail $cmd: $f: "}\""
		     fi ;;
		*) why=" BAD ($n lines): $(head -c 300 err.txt | tr '\n' '|')" ;;
		esac
		echo "exit $rc$why|$cmd" >> groups.txt
	done
	# one line per (exit, reason), the commands in the order run
	awk -F'|' '{ if (!($1 in seen)) { seen[$1] = ++n; key[n] = $1 } \
		     cmds[$1] = cmds[$1] " " $2 } \
		   END { for (i = 1; i <= n; i++) print "  " key[i] ":" cmds[key[i]] }' groups.txt
	rm -f "$f"
done < cases.txt
