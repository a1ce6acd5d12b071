#!/bin/bash
# tests/bench/kill.sh - `make bench`: the SIGKILL trials of
# tests/live/record_kill.sh at full length (KILL_TRIALS, default 24: 6 of
# each load, killed at random times 0..1.5 s after the first frame), with
# one line of figures per trial (events and markers kept, markers
# expected before the last flush and missing, the last flush's age at the
# kill) and a summary.  KILL_SEED replays a run.  Needs root (BPF).
cd "$(dirname "$0")/../.." || exit 1
export KILL_TRIALS=${KILL_TRIALS:-24}
out=$(mktemp /tmp/kt-bench-kill.XXXXXX)
trap 'rm -f "$out"' EXIT
bash tests/live/record_kill.sh | tee "$out"
rc=${PIPESTATUS[0]}
awk '/^trial / { n++; for (i = 1; i <= NF; i++) {
		if ($i == "missing;") miss += $(i - 1)
		if ($i == "expected") want += $(i - 1)
		if ($i == "flush") { a = $(i + 1); if (a > max) max = a; sum += a } } }
	END { if (n) printf "kill: %d trials, %d markers expected before the last flush, %d missing; last flush %.0f ms before the kill on average, %d at most\n", n, want, miss, sum / n, max }' "$out"
grep -q '^SKIP' "$out" && exit 0
exit $rc
