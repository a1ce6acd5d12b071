#!/bin/bash
# Loss is never silent.  A lock convoy (kt-test-tool lock_convoy), recorded
# with `-- CMD` three times and host-wide once: on every CPU the task a
# switch puts on is the one the next switch takes off, or the capture says
# it is not (a KT_LOST of cause switch_gap there: this kernel runs no BPF
# program while some tasks are current, so their switches never reach the
# recorder); kt-test-tool switchcheck finds no hole the capture does not
# report.  The end metadata accounts for every loss by cause (per CPU, and
# per program for skipped runs), the totals agree with the KT_LOST records
# of the stream, and `info` shows the causes.
. "$(dirname "$0")/lib/record.bash"
kt_init record_loss loss_cmd_continuity loss_host_continuity loss_causes_meta loss_records_agree loss_info_causes
bad=
for i in 1 2 3; do
	"$KTRAIL" record -q -o "$T/c$i.ktr" -- "$KT_TOOL" lock_convoy 3 50 >/dev/null 2>"$T/err"
	rc=$?
	sc=$("$KT_TOOL" switchcheck "$T/c$i.ktr" 2>&1); src=$?
	[ $rc = 0 ] && [ $src = 0 ] || { bad="run $i: record exited $rc, switchcheck $src: $(echo "$sc" | head -2 | tr '\n' ' ')"; break; }
done
[ -z "$bad" ] && kt_pass loss_cmd_continuity || kt_fail loss_cmd_continuity "$bad"

"$KTRAIL" record -q -o "$T/h.ktr" -e sched -d 1.5 2>"$T/herr" & R=$!
sleep 0.3
"$KT_TOOL" lock_convoy 3 50 >/dev/null
wait $R; rc=$?
sc=$("$KT_TOOL" switchcheck "$T/h.ktr" 2>&1); src=$?
[ $rc = 0 ] && [ $src = 0 ] && echo "$sc" | grep -q "scope host" && kt_pass loss_host_continuity ||
	kt_fail loss_host_continuity "record exited $rc, switchcheck $src: $(echo "$sc" | head -3 | tr '\n' ' ')"

# every cause is there, with a total; per CPU where the kernel counts per
# CPU, per program for skipped runs (the loaded programs, sched_switch
# among them); and the causes add up to lost.total
m=$("$KT_TOOL" meta "$T/h.ktr" | python3 -c '
import json, sys
m = json.load(sys.stdin)
l = m["lost"]; c = l["causes"]; n = m["host"]["cpus"]
want = ["ring_full", "recursion", "switch_gap", "filtered", "pcap"]
miss = [k for k in want if k not in c or not isinstance(c[k].get("total"), int)]
cpus = [k for k in ("ring_full", "switch_gap", "filtered") if len(c.get(k, {}).get("per_cpu", [])) != n]
prog = c.get("recursion", {}).get("per_prog", {})
tot = sum(c[k]["total"] for k in want if k in c)
pc = sum(l["per_cpu"])
if miss or cpus or "kt_sched_switch" not in prog or tot != l["total"] or pc != c["ring_full"]["total"] + c["switch_gap"]["total"] + c["filtered"]["total"]:
    print("causes missing %s, per_cpu wrong %s, programs %s, causes sum %d vs total %d, per_cpu sum %d" % (miss, cpus, sorted(prog), tot, l["total"], pc))' 2>&1)
[ -z "$m" ] && kt_pass loss_causes_meta || kt_fail loss_causes_meta "$m"

# the KT_LOST records of the stream are the metadata's switch gaps, each
# placed on its CPU after the switch it starts from
kt_dump "$T/h.ktr" >"$T/dump" 2>&1
g=$(awk '$5 == "lost" && / cause=2 /' "$T/dump" | wc -l)
badg=$(awk '$5 == "lost" && / cause=2 / { for (i = 6; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } if (f["since"] == 0 || f["since"] > $1 || f["count"] != 1) print }' "$T/dump" | head -1)
mg=$(kt_meta "$T/h.ktr" lost.causes.switch_gap.total)
[ "$g" = "$mg" ] && [ -z "$badg" ] && kt_pass loss_records_agree ||
	kt_fail loss_records_agree "$g switch_gap records, metadata says $mg; bad record: '$badg'"

"$KTRAIL" info "$T/h.ktr" >"$T/info" 2>&1
if [ "$mg" = 0 ]; then
	grep -q "^lost: *0$" "$T/info" && kt_pass loss_info_causes || kt_fail loss_info_causes "no gaps but info says: $(grep -A3 '^lost' "$T/info")"
else
	grep -qE "^  cause switch_gap +$mg " "$T/info" && grep -q "^lost: *$mg events" "$T/info" && kt_pass loss_info_causes ||
		kt_fail loss_info_causes "$mg switch gaps; info says: $(sed -n '/^lost/,/^size/p' "$T/info" | tr '\n' ' ')"
fi
