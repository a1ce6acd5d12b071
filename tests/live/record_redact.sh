#!/bin/bash
# record --redact: a command run with a secret argument on a secret path
# leaves neither in the capture, wherever a reader could look (replay,
# info and export --json, the metadata, every event, the task table through export
# --sqlite, the raw bytes with every zstd frame decompressed: the
# snapshot's task table too); without --redact the same search finds
# them (the search can fail).  --redact payload keeps packet headers only.
. "$(dirname "$0")/lib/record.bash"
kt_init record_redact redact_control redact_args redact_paths redact_meta \
	redact_host redact_payload
S=$T/alice-secret-dir
mkdir -p "$S"
echo data >"$S/hunter2-file.txt"
cat >"$T/work.sh" <<'EOS'
cat "$1" >/dev/null
/bin/echo "$2" >/dev/null
ls "$(dirname "$1")" >/dev/null
EOS
CMD=(sh "$T/work.sh" "$S/hunter2-file.txt" "--password=SECRETTOKEN-42")

# every text a reader can get out of capture $1, into $2
everything() {
	{
		"$KTRAIL" replay --json "$1"
		"$KTRAIL" info --json "$1"
		"$KTRAIL" export "$1" --json
		"$KT_TOOL" meta "$1"
		"$KT_TOOL" dump "$1"
		rm -f "$1.db"
		"$KTRAIL" export "$1" --sqlite "$1.db" && sqlite3 "$1.db" .dump
		"$KT_TOOL" unzstd "$1" | strings -a
	} >"$2" 2>&1
}

# which of the secrets (args: the argument; paths: the path's names) $1 holds
found() {
	local w out=
	for w in SECRETTOKEN-42 alice-secret-dir hunter2-file; do
		grep -q -- "$w" "$1" && out="$out $w"
	done
	echo "${out# }"
}

# rec OUT OPTIONS...: record CMD from the secret directory, with the
# secret file open on fd 7: the command's cwd and fds are in proc.fds
rec() {
	local out=$1
	shift
	( cd "$S" && exec 7<"$S/hunter2-file.txt" &&
		"$KTRAIL" record -q "$@" -o "$out" -- "${CMD[@]}" )
}

rec "$T/plain.ktr" 2>"$T/err0"
everything "$T/plain.ktr" "$T/plain.txt"
f=$(found "$T/plain.txt")
fds=$(kt_meta "$T/plain.ktr" proc.fds | grep -o 'alice-secret-dir[^"]*' | sort -u | tr '\n' ' ')
[ "$f" = "SECRETTOKEN-42 alice-secret-dir hunter2-file" ] &&
	[ "$fds" = "alice-secret-dir alice-secret-dir/hunter2-file.txt " ] &&
	kt_pass redact_control "without --redact the search finds: $f (proc.fds: $fds)" ||
	kt_fail redact_control "without --redact the search found only '$f', proc.fds '$fds' ($(head -2 "$T/err0"))"

# args only: the argument is gone, the paths stay (they are not args)
rec "$T/args.ktr" --redact args 2>"$T/err1"
rc=$?
everything "$T/args.ktr" "$T/args.txt"
f=$(found "$T/args.txt")
execs=$(kt_dump "$T/args.ktr" | awk '$5 == "proc_exec" { for (i = 6; i <= NF; i++) if ($i ~ /^argv=/) print $i }' | LC_ALL=C sort -u | tr '\n' ' ')
if [ $rc = 0 ] && [ "$f" = "alice-secret-dir hunter2-file" ] &&
	[ "$execs" = 'argv=/bin/echo\x00 argv=cat\x00 argv=dirname\x00 argv=ls\x00 argv=sh\x00 ' ]; then
	kt_pass redact_args "exec argv: $execs"
else
	kt_fail redact_args "exit $rc; found '$f' (want only the path names); exec argv: $execs; $(head -2 "$T/err1")"
fi

# args and paths (as two options): nothing of either, and the paths keep
# their depth: $S/hunter2-file.txt opened by cat as one star per name
rec "$T/both.ktr" --redact args --redact paths 2>"$T/err2"
rc=$?
everything "$T/both.ktr" "$T/both.txt"
f=$(found "$T/both.txt")
depth=$(echo "$S/hunter2-file.txt" | tr -cd / | wc -c)
want=$(printf '/*%.0s' $(seq "$depth"))
openat=$(kt_dump "$T/both.ktr" | awk -v nr="$(kt_sysnr openat)" '$5 == "syscall" && $6 == "nr=" nr' | grep -c -F "str=$want ")
tasks=$(sqlite3 "$T/both.ktr.db" "select count(*) from process where cmdline like '%SECRETTOKEN%' or cmdline like '%alice-secret%'" 2>&1)
# proc.fds: the command's cwd and fd 7, one star per name
fd7=$(kt_meta "$T/both.ktr" proc.fds | python3 -c '
import json, sys
p = json.load(sys.stdin)["pids"]
print(" ".join(sorted(set(v["cwd"] + "|" + t for v in p.values() for fd, fl, t, *so in v["fds"] if fd == 7))))')
if [ $rc = 0 ] && [ -z "$f" ] && [ "$openat" -ge 1 ] && [ "$tasks" = 0 ] &&
	[ "$fd7" = "${want%/\*}|$want" ]; then
	kt_pass redact_paths "no secret anywhere; $openat openat of '$want'; proc.fds cwd|fd 7: $fd7"
else
	kt_fail redact_paths "exit $rc; found '$f'; openat of '$want': $openat; task rows with a secret: $tasks; proc.fds cwd|fd 7 '$fd7'; $(head -2 "$T/err2")"
fi

meta=$(kt_meta "$T/both.ktr" record.redact)
argv=$(kt_meta "$T/both.ktr" record.argv)
case "$meta|$argv" in
'["args", "paths"]|'*'"--", "sh"]')
	kt_pass redact_meta "record.redact $meta" ;;
*)
	kt_fail redact_meta "record.redact '$meta', record.argv '$argv'" ;;
esac

# the whole host: a process that was running before the start is in the
# snapshot with argv[0] only
sh -c 'sleep 3' kt-redact-HOSTSECRET-1 HOSTSECRET-2 & H=$!
sleep 0.2
"$KTRAIL" record -q --redact args -o "$T/host.ktr" -d 0.5 -e proc 2>"$T/err3"
rc=$?
kill $H 2>/dev/null
wait $H 2>/dev/null
"$KT_TOOL" unzstd "$T/host.ktr" 2>/dev/null | strings -a >"$T/host.txt"
n=$(grep -c HOSTSECRET "$T/host.txt")
# and the same without --redact finds it (the process is in the snapshot)
sh -c 'sleep 3' kt-redact-HOSTSECRET-1 HOSTSECRET-2 & H=$!
sleep 0.2
"$KTRAIL" record -q -o "$T/host0.ktr" -d 0.5 -e proc 2>>"$T/err3"
kill $H 2>/dev/null
wait $H 2>/dev/null
n0=$("$KT_TOOL" unzstd "$T/host0.ktr" 2>/dev/null | strings -a | grep -c HOSTSECRET)
[ $rc = 0 ] && [ "$n" = 0 ] && [ "$n0" -ge 1 ] &&
	kt_pass redact_host "argv beyond argv[0] of a running process: in $n0 strings without --redact, none with it" ||
	kt_fail redact_host "exit $rc; HOSTSECRET in $n strings with --redact args, $n0 without; $(head -1 "$T/err3")"

# payload: a TCP exchange on lo; the secret sent is in no packet, and
# data packets keep exactly their headers (caplen < len)
PORT=45711
cat >"$T/tcp.py" <<EOP
import socket, threading
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", $PORT)); srv.listen(1)
def echo():
    c, _ = srv.accept()
    c.sendall(c.recv(100)); c.close()
t = threading.Thread(target=echo); t.start()
s = socket.create_connection(("127.0.0.1", $PORT))
s.sendall(b"PAYLOAD-SECRET-7781"); s.recv(100); s.close(); t.join()
EOP
for mode in plain redact; do
	opt=()
	[ $mode = redact ] && opt=(--redact payload)
	"$KTRAIL" record -q "${opt[@]}" -o "$T/p-$mode.ktr" -e proc --pcap lo \
		--pcap-filter "tcp port $PORT" -- python3 "$T/tcp.py" 2>"$T/perr-$mode"
	kt_dump "$T/p-$mode.ktr" | grep ' net_packet ' >"$T/p-$mode.txt"
done
plain=$(grep -c PAYLOAD-SECRET "$T/p-plain.txt")
red=$(grep -c PAYLOAD-SECRET "$T/p-redact.txt")
# in the redacted capture, every packet keeps 14 + 20 + its TCP header
bad=$(awk '{ for (i = 6; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } if (f["caplen"] < 54 || f["caplen"] > 74) print f["caplen"] }' "$T/p-redact.txt" | head -3 | tr '\n' ' ')
short=$(awk '{ for (i = 6; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } if (f["caplen"] < f["len"]) n++ } END { print n + 0 }' "$T/p-redact.txt")
if [ "$plain" -ge 1 ] && [ "$red" = 0 ] && [ -z "$bad" ] && [ "$short" -ge 2 ] &&
	[ "$(kt_meta "$T/p-redact.ktr" record.redact)" = '["payload"]' ]; then
	kt_pass redact_payload "$(wc -l <"$T/p-redact.txt") packets, $short cut after their headers"
else
	kt_fail redact_payload "secret in $plain plain / $red redacted packets; caplens out of 54..74: '$bad'; cut: $short; $(head -1 "$T/perr-redact")"
fi
