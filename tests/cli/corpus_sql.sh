# ktrail sql on the corpus captures (issue 13 "The corpus"), as CSV: the
# syscalls counted by name; the slowest block I/O; the TCP connections
# with their states, resets and retransmits; the critical paths of the
# slowest syscalls and the segments of the slowest one.  The exports are
# built in a cache under $KT_TMP (XDG_CACHE_HOME), never in ~/.cache.
export XDG_CACHE_HOME=$KT_TMP/cache
S=corpus/scenarios
q() {
	echo "== $1: $2"
	"$KTRAIL" sql $S/$1.ktr "$2" --csv; echo "exit $?"
}
for s in sleep_pipe net_fail lock_convoy; do
	q $s "SELECT name, count(*) AS calls, sum(errno IS NOT NULL) AS failed,
		max(dur) AS max_ns FROM syscalls GROUP BY name
		ORDER BY calls DESC, name LIMIT 8"
done
for s in fsync_pipeline truth_fsync; do
	q $s "SELECT disk, op_name, bytes, dur, service_ns, pid FROM block_io
		ORDER BY dur DESC, id LIMIT 3"
done
for s in net_fail truth_tcp; do
	q $s "SELECT pid, saddr, sport, daddr, dport, first_state, last_state,
		established, resets, retransmits, dur FROM tcp_connections
		ORDER BY ts, sock"
done
for s in sleep_pipe net_fail fsync_pipeline; do
	q $s "SELECT c.tid, n.name AS syscall, c.dur, c.process_slowest,
		c.top_rank, c.root_kind, c.root_tid, c.root_ns, c.confidence,
		c.hops FROM critical_paths c JOIN syscall_names n
		ON n.nr = c.syscall_nr ORDER BY c.dur DESC, c.id LIMIT 5"
	q $s "SELECT s.seq, s.tid, s.depth, s.kind, s.state, s.cause, s.dur,
		s.weight FROM critical_path_segments s
		WHERE s.path_id = (SELECT id FROM critical_paths
			ORDER BY dur DESC, id LIMIT 1)
		ORDER BY s.seq LIMIT 12"
done
echo "cache: $(ls $KT_TMP/cache/ktrail | wc -l) exports"
