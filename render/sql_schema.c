// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sql_schema.c - the tables, lookup tables, views and indexes of the
 * SQLite export (docs/sql.md documents every one; keep them in step).
 *
 * Where Perfetto's trace processor has the table (process, thread,
 * thread_state, sched_slice, slice, flow, thread_track), the name and
 * its key columns are Perfetto's; ktrail's own tables keep ktrail names.
 * One table per event kind, ev_<kind>, is generated from the schema
 * (format/event.h): every field a column under its `replay --json`
 * name.  Times are INTEGER nanoseconds on the capture clock; the views
 * add seconds from the capture's first event (ts_s) and the wall clock
 * (wall_ns, and wall as ISO-8601) through the clock anchors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export_int.h"
#include "analyze/names.h"
#include "analyze/replay.h"

/* The tables written while reading, in enum kt_sq_table order: CREATE
 * and the INSERT that fills them. */
static const struct {
	const char *create;
	const char *insert;
} tables[KT_SQ_NTABLES] = {
	[KT_SQ_THREAD_STATE] = {
		"CREATE TABLE thread_state(id INTEGER PRIMARY KEY, "
		"ts INTEGER NOT NULL, dur INTEGER NOT NULL, cpu INTEGER, "
		"utid INTEGER, tid INTEGER, pid INTEGER, state TEXT, "
		"io_wait INTEGER, waker_utid INTEGER, waker_tid INTEGER, "
		"irq_context INTEGER, state_name TEXT, cause TEXT, "
		"syscall_nr INTEGER, cut_start INTEGER, cut_end INTEGER)",
		"INSERT INTO thread_state VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
		"?,?,?)" },
	[KT_SQ_SCHED_SLICE] = {
		"CREATE TABLE sched_slice(id INTEGER PRIMARY KEY, "
		"ts INTEGER NOT NULL, dur INTEGER NOT NULL, cpu INTEGER, "
		"utid INTEGER, tid INTEGER, pid INTEGER, end_state TEXT, "
		"priority INTEGER)",
		"INSERT INTO sched_slice VALUES(?,?,?,?,?,?,?,?,?)" },
	[KT_SQ_THREAD_NAMES] = {
		"CREATE TABLE thread_names(utid INTEGER, tid INTEGER, "
		"ts INTEGER, name TEXT, how TEXT)",
		"INSERT INTO thread_names VALUES(?,?,?,?,?)" },
	[KT_SQ_TCP] = {
		"CREATE TABLE tcp_connections(id INTEGER PRIMARY KEY, "
		"ts INTEGER NOT NULL, dur INTEGER NOT NULL, utid INTEGER, "
		"tid INTEGER, pid INTEGER, sock INTEGER, family INTEGER, "
		"saddr TEXT, sport INTEGER, daddr TEXT, dport INTEGER, "
		"netns INTEGER, first_state TEXT, last_state TEXT, "
		"established INTEGER, resets INTEGER, retransmits INTEGER, "
		"cut_start INTEGER, cut_end INTEGER, tx_bytes INTEGER, "
		"rx_bytes INTEGER)",
		"INSERT INTO tcp_connections VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,"
		"?,?,?,?,?,?,?,?,?)" },
	[KT_SQ_SIGNALS] = {
		"CREATE TABLE signals(id INTEGER PRIMARY KEY, "
		"ts INTEGER NOT NULL, dur INTEGER NOT NULL, utid INTEGER, "
		"tid INTEGER, pid INTEGER, signo INTEGER, code INTEGER, "
		"result INTEGER, sender_utid INTEGER, sender_tid INTEGER, "
		"sender_pid INTEGER, by_kernel INTEGER, context INTEGER, "
		"delivered INTEGER)",
		"INSERT INTO signals VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" },
	[KT_SQ_PROCESS] = {
		"CREATE TABLE process(upid INTEGER PRIMARY KEY, pid INTEGER, "
		"name TEXT, start_ts INTEGER, end_ts INTEGER, "
		"parent_upid INTEGER, ppid INTEGER, cmdline TEXT, exe TEXT, "
		"cgroup TEXT, exit_code INTEGER, exit_status TEXT, "
		"kthread INTEGER)",
		"INSERT INTO process VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)" },
	[KT_SQ_THREAD] = {
		"CREATE TABLE thread(utid INTEGER PRIMARY KEY, tid INTEGER, "
		"name TEXT, start_ts INTEGER, end_ts INTEGER, upid INTEGER, "
		"is_main_thread INTEGER, exit_code INTEGER, kthread INTEGER, "
		"in_snapshot INTEGER)",
		"INSERT INTO thread VALUES(?,?,?,?,?,?,?,?,?,?)" },
	[KT_SQ_LOST] = {
		"CREATE TABLE lost(cpu INTEGER, family TEXT, cause TEXT, "
		"count INTEGER, records INTEGER, first_ts INTEGER, "
		"last_ts INTEGER)",
		"INSERT INTO lost VALUES(?,?,?,?,?,?,?)" },
	[KT_SQ_NODES] = {
		"CREATE TABLE causal_nodes(id INTEGER PRIMARY KEY, kind TEXT, "
		"label TEXT, detail TEXT, utid INTEGER, tid INTEGER, "
		"pid INTEGER, first_ts INTEGER, last_ts INTEGER)",
		"INSERT INTO causal_nodes VALUES(?,?,?,?,?,?,?,?,?)" },
	[KT_SQ_EDGES] = {
		"CREATE TABLE causal_edges(id INTEGER PRIMARY KEY, "
		"src INTEGER, dst INTEGER, via INTEGER, kind TEXT, "
		"label TEXT, first_ts INTEGER, last_ts INTEGER, "
		"count INTEGER, bytes INTEGER, latency_ns INTEGER, "
		"value INTEGER, confidence INTEGER, reason TEXT)",
		"INSERT INTO causal_edges VALUES(?,?,?,?,?,?,?,?,?,?,?,?,"
		"?,?)" },
	[KT_SQ_PATHS] = {
		"CREATE TABLE critical_paths(id INTEGER PRIMARY KEY, "
		"ts INTEGER NOT NULL, dur INTEGER NOT NULL, utid INTEGER, "
		"tid INTEGER, pid INTEGER, syscall_nr INTEGER, "
		"syscall_id INTEGER, process_slowest INTEGER, "
		"top_rank INTEGER, root_kind TEXT, root_utid INTEGER, "
		"root_tid INTEGER, root_pid INTEGER, root_cpu INTEGER, "
		"root_dev INTEGER, root_ns INTEGER, confidence INTEGER, "
		"unknown_ns INTEGER, hops INTEGER)",
		"INSERT INTO critical_paths VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,"
		"?,?,?,?,?,?,?)" },
	[KT_SQ_SEGMENTS] = {
		"CREATE TABLE critical_path_segments(path_id INTEGER, "
		"seq INTEGER, ts INTEGER NOT NULL, dur INTEGER NOT NULL, "
		"utid INTEGER, tid INTEGER, pid INTEGER, hop INTEGER, "
		"depth INTEGER, kind TEXT, state TEXT, cause TEXT, "
		"cpu INTEGER, weight INTEGER, syscall_nr INTEGER, "
		"dev INTEGER, PRIMARY KEY(path_id, seq)) WITHOUT ROWID",
		"INSERT INTO critical_path_segments VALUES(?,?,?,?,?,?,?,?,?,"
		"?,?,?,?,?,?,?)" },
	[KT_SQ_META] = {
		"CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID",
		"INSERT INTO meta VALUES(?,?)" },
};

/* Tables filled at the end by SQL, and the lookup tables. */
static const char other_tables[] =
	"CREATE TABLE flow(id INTEGER PRIMARY KEY, slice_out INTEGER, "
	"slice_in INTEGER, ts INTEGER, waker_utid INTEGER, "
	"wakee_utid INTEGER);"
	"CREATE TABLE syscall_names(nr INTEGER PRIMARY KEY, name TEXT, "
	"args TEXT, idle INTEGER);"
	"CREATE TABLE errno_names(errno INTEGER PRIMARY KEY, name TEXT, "
	"description TEXT);"
	"CREATE TABLE signal_names(signo INTEGER PRIMARY KEY, name TEXT);"
	"CREATE TABLE tcp_state_names(state INTEGER PRIMARY KEY, name TEXT);"
	"CREATE TABLE block_op_names(op INTEGER PRIMARY KEY, name TEXT);"
	"CREATE TABLE log2_buckets(bucket INTEGER PRIMARY KEY, "
	"lo INTEGER, hi INTEGER);"
	"CREATE TABLE wall_clock(mono_lo INTEGER PRIMARY KEY, "
	"a_mono INTEGER, a_real INTEGER, span INTEGER, drift INTEGER, "
	"q INTEGER, r INTEGER);";

/* The column type of a schema field: strings are TEXT, except those
 * that may hold bytes (packet data; a syscall's str, a raw sockaddr for
 * connect/bind/accept), which get no type: SQLite keeps each value as
 * TEXT or BLOB as bound. */
static const char *field_type(unsigned kind, const struct kt_field *f)
{
	if (f->type != KT_F_STR)
		return "INTEGER";
	return kind == KT_NET_PACKET || kind == KT_SYSCALL ? "" : "TEXT";
}

/* CREATE TABLE ev_<kind> and its INSERT, into @c and @i. */
static int kind_sql(unsigned k, char *c, size_t cn, char *i, size_t in)
{
	const struct kt_kind_info *ki = kt_kind_info(k);
	size_t cl, il;
	int n;

	n = snprintf(c, cn, "CREATE TABLE ev_%s(id INTEGER PRIMARY KEY, "
		     "ts INTEGER NOT NULL, cpu INTEGER, tid INTEGER, "
		     "pid INTEGER, utid INTEGER", ki->name);
	cl = (size_t)n;
	n = snprintf(i, in, "INSERT INTO ev_%s VALUES(?,?,?,?,?,?", ki->name);
	il = (size_t)n;
	for (__u32 f = 0; f < ki->nfields && cl < cn && il < in; f++) {
		const char *t = field_type(k, &ki->fields[f]);

		cl += snprintf(c + cl, cn - cl, ", %s%s%s",
			       kt_replay_field_key(k, &ki->fields[f]),
			       *t ? " " : "", t);
		il += snprintf(i + il, in - il, ",?");
	}
	if (k == KT_SYSCALL && cl < cn && il < in) {
		cl += snprintf(c + cl, cn - cl, ", path TEXT");
		il += snprintf(i + il, in - il, ",?");
	}
	if (cl + 2 > cn || il + 2 > in)
		return -ENAMETOOLONG;
	memcpy(c + cl, ")", 2);
	memcpy(i + il, ")", 2);
	return 0;
}

int kt_sq_schema(struct kt_sq *sq)
{
	char c[2048], i[1024];
	int rc = 0;

	for (unsigned t = 0; !rc && t < KT_SQ_NTABLES; t++)
		rc = kt_sq_exec(sq, tables[t].create);
	if (!rc)
		rc = kt_sq_exec(sq, other_tables);
	for (unsigned k = 1; !rc && k < KT_KIND_MAX; k++) {
		rc = kind_sql(k, c, sizeof(c), i, sizeof(i));
		if (!rc)
			rc = kt_sq_exec(sq, c);
	}
	return rc;
}

int kt_sq_prepare(struct kt_sq *sq)
{
	char c[2048], i[1024];
	int rc = 0;

	for (unsigned t = 0; !rc && t < KT_SQ_NTABLES; t++)
		rc = kt_sq_ins_prepare(sq, &sq->tab[t], tables[t].insert, true);
	for (unsigned k = 1; !rc && k < KT_KIND_MAX; k++) {
		rc = kind_sql(k, c, sizeof(c), i, sizeof(i));
		if (!rc)
			rc = kt_sq_ins_prepare(sq, &sq->ev[k], i, true);
	}
	return rc;
}

int kt_sq_flush_all(struct kt_sq *sq)
{
	int rc = 0;

	for (unsigned t = 0; !rc && t < KT_SQ_NTABLES; t++)
		rc = kt_sq_flush(sq, &sq->tab[t]);
	for (unsigned k = 1; !rc && k < KT_KIND_MAX; k++)
		rc = kt_sq_flush(sq, &sq->ev[k]);
	return rc;
}

void kt_sq_finalize(struct kt_sq *sq)
{
	for (unsigned t = 0; t < KT_SQ_NTABLES; t++)
		kt_sq_ins_release(&sq->tab[t]);
	for (unsigned k = 0; k < KT_KIND_MAX; k++)
		kt_sq_ins_release(&sq->ev[k]);
}

/* ------------------------------------------------------------- lookups */

static const char *const sysargs_names[] = {
	[KT_SYSARGS_NONE] = "none", [KT_SYSARGS_FD_BYTES] = "fd_bytes",
	[KT_SYSARGS_FD] = "fd", [KT_SYSARGS_OPENAT] = "openat",
	[KT_SYSARGS_OPEN] = "open", [KT_SYSARGS_PATH] = "path",
	[KT_SYSARGS_RENAME] = "rename", [KT_SYSARGS_SOCKADDR] = "sockaddr",
	[KT_SYSARGS_ACCEPT] = "accept", [KT_SYSARGS_FUTEX] = "futex",
	[KT_SYSARGS_SLEEP] = "sleep", [KT_SYSARGS_TIMEOUT] = "timeout",
	[KT_SYSARGS_KILL] = "kill", [KT_SYSARGS_WAIT] = "wait",
	[KT_SYSARGS_CLONE] = "clone",
};

/* One lookup row of (integer, text[, text[, integer]]). */
static int lookup_row(struct kt_sq *sq, struct kt_sq_ins *ins, __s64 k,
		      const char *a, const char *b, int n)
{
	kt_sq_int(ins, k);
	kt_sq_cstr(ins, a);
	if (n > 2)
		kt_sq_cstr(ins, b);
	return kt_sq_row(sq, ins);
}

static int syscall_names(struct kt_sq *sq)
{
	struct kt_sq_ins ins;
	int rc;

	rc = kt_sq_ins_prepare(sq, &ins, "INSERT INTO syscall_names "
			       "VALUES(?,?,?,?)", true);
	for (unsigned nr = 0; !rc && nr < 1024; nr++) {
		const char *n = kt_syscall_name(nr);
		unsigned a = kt_syscall_args(nr);

		if (!n)
			continue;
		kt_sq_int(&ins, nr);
		kt_sq_cstr(&ins, n);
		kt_sq_cstr(&ins, a < sizeof(sysargs_names) /
			   sizeof(sysargs_names[0]) ? sysargs_names[a] : NULL);
		kt_sq_int(&ins, kt_export_idle_wait(nr));
		rc = kt_sq_row(sq, &ins);
	}
	if (!rc)
		rc = kt_sq_flush(sq, &ins);
	kt_sq_ins_release(&ins);
	return rc;
}

static int errno_names(struct kt_sq *sq)
{
	struct kt_sq_ins ins;
	int rc;

	rc = kt_sq_ins_prepare(sq, &ins, "INSERT INTO errno_names "
			       "VALUES(?,?,?)", true);
	for (int e = 1; !rc && e < 4096; e++)
		if (kt_errno_name(e))
			rc = lookup_row(sq, &ins, e, kt_errno_name(e),
					kt_errno_desc(e), 3);
	if (!rc)
		rc = kt_sq_flush(sq, &ins);
	kt_sq_ins_release(&ins);
	return rc;
}

/* signals, TCP states, block operations: (number, name) */
static int name_table(struct kt_sq *sq, const char *insert,
		      const char *(*name)(unsigned), unsigned max)
{
	struct kt_sq_ins ins;
	int rc;

	rc = kt_sq_ins_prepare(sq, &ins, insert, true);
	for (unsigned v = 0; !rc && v < max; v++)
		if (name(v))
			rc = lookup_row(sq, &ins, v, name(v), NULL, 2);
	if (!rc)
		rc = kt_sq_flush(sq, &ins);
	kt_sq_ins_release(&ins);
	return rc;
}

static const char *block_op(unsigned op)
{
	return kt_block_op_name(op);
}

/* log2 buckets as bcc prints them: [0, 1], [2, 3], [4, 7], ... */
static int buckets(struct kt_sq *sq)
{
	struct kt_sq_ins ins;
	int rc;

	rc = kt_sq_ins_prepare(sq, &ins, "INSERT INTO log2_buckets "
			       "VALUES(?,?,?)", true);
	for (int b = 0; !rc && b < 63; b++) {
		kt_sq_int(&ins, b);
		kt_sq_int(&ins, b ? 1LL << b : 0);
		kt_sq_int(&ins, (__s64)((2ULL << b) - 1));
		rc = kt_sq_row(sq, &ins);
	}
	if (!rc)
		rc = kt_sq_flush(sq, &ins);
	kt_sq_ins_release(&ins);
	return rc;
}

int kt_sq_lookups(struct kt_sq *sq)
{
	int rc = syscall_names(sq);

	if (!rc)
		rc = errno_names(sq);
	if (!rc)
		rc = name_table(sq, "INSERT INTO signal_names VALUES(?,?)",
				kt_signal_name, 65);
	if (!rc)
		rc = name_table(sq, "INSERT INTO tcp_state_names VALUES(?,?)",
				kt_tcp_state_name, 32);
	if (!rc)
		rc = name_table(sq, "INSERT INTO block_op_names VALUES(?,?)",
				block_op, 256);
	if (!rc)
		rc = buckets(sq);
	return rc;
}

/* --------------------------------------------------------------- views */

/* The time columns of a view for the column expression @x: seconds from
 * the capture's first event, and the wall clock through the anchors'
 * piecewise-linear map: kt_anchors_to_wall's a.real + d + floor(d *
 * drift / span) (d = x - a.mono), exact in 64 bits because wall_clock
 * splits a piece where d * drift could overflow and carries the part of
 * the quotient before the split (q, and the remainder r): floor(d *
 * drift / span) = q + floor((r + e * drift) / span), e = x - mono_lo. */
#define START "(SELECT value FROM meta WHERE key = 'first_ts')"
#define WALL_N(x) "(c.r + (" x " - c.mono_lo) * c.drift)"
#define WALL_NS(x) \
	"(SELECT c.a_real + (" x " - c.a_mono) + c.q + (" WALL_N(x) " - " \
	"((" WALL_N(x) " % c.span) + c.span) % c.span) / c.span " \
	"FROM wall_clock c WHERE c.mono_lo <= " x \
	" ORDER BY c.mono_lo DESC LIMIT 1)"
#define WALL_ISO(w) \
	"strftime('%Y-%m-%dT%H:%M:%S', " w " / 1000000000, 'unixepoch') " \
	"|| printf('.%09dZ', " w " % 1000000000)"
#define TIME_COLS(x) \
	"(" x " - " START ") / 1e9 AS ts_s, " WALL_NS(x) " AS wall_ns, " \
	WALL_ISO(WALL_NS(x)) " AS wall"

static const char views[] =
	"CREATE VIEW sched AS SELECT * FROM sched_slice;"
	"CREATE VIEW thread_track AS SELECT utid AS id, utid, name "
	"FROM thread;"
	/* syscalls: names, errnos, fds and paths decoded */
	"CREATE VIEW syscalls AS SELECT s.id AS id, s.ts AS ts, "
	"s.ts + s.dur AS end_ts, s.dur AS dur, s.cpu AS cpu, s.utid AS utid, "
	"s.tid AS tid, s.pid AS pid, s.nr AS nr, n.name AS name, "
	"s.ret AS ret, e.errno AS errno, e.name AS errno_name, "
	"CASE WHEN n.args IN ('fd', 'fd_bytes', 'sockaddr', 'accept') "
	"THEN s.arg0 END AS fd, "
	"CASE WHEN n.args = 'fd_bytes' THEN s.arg1 END AS requested, "
	"s.path AS path, "
	"CASE WHEN n.args IN ('fd', 'fd_bytes') AND s.arg2 != 0 THEN "
	"CASE (s.arg2 >> 60) & 15 WHEN 1 THEN 'pipe' WHEN 2 THEN 'chr' "
	"WHEN 4 THEN 'dir' WHEN 6 THEN 'blk' WHEN 8 THEN 'file' "
	"WHEN 10 THEN 'link' WHEN 12 THEN 'socket' ELSE 'anon' END "
	"|| ':[' || (s.arg2 & 1152921504606846975) || ']' END AS file, "
	"s.flags AS flags, (s.flags & 1) != 0 AS unfinished, "
	"(s.flags & 2) != 0 AS blocked, (s.flags & 12) != 0 AS woke, "
	"s.arg0 AS arg0, s.arg1 AS arg1, s.arg2 AS arg2, s.str AS str, "
	TIME_COLS("s.ts") " FROM ev_syscall s "
	"LEFT JOIN syscall_names n ON n.nr = s.nr "
	"LEFT JOIN errno_names e ON s.ret BETWEEN -4095 AND -1 AND "
	"(s.flags & 1) = 0 AND e.errno = -s.ret;"
	/* block_io: the requests, issue to completion */
	"CREATE VIEW block_io AS SELECT b.id AS id, b.ts AS ts, "
	"b.ts + b.service_ns AS end_ts, b.service_ns AS dur, b.utid AS utid, "
	"b.tid AS tid, b.pid AS pid, b.dev AS dev, "
	"(b.dev >> 20) || ':' || (b.dev & 1048575) AS disk, "
	"b.op AS op, o.name AS op_name, b.sector AS sector, "
	"b.bytes AS bytes, b.error AS error, e.name AS error_name, "
	"b.queue_ns AS queue_ns, b.service_ns AS service_ns, "
	"b.cpu AS complete_cpu, b.issue_cpu AS issue_cpu, "
	"b.flags AS flags, " TIME_COLS("b.ts") " FROM ev_block_rq b "
	"LEFT JOIN block_op_names o ON o.op = b.op & 255 "
	"LEFT JOIN errno_names e ON e.errno = -b.error;"
	/* slice: every span, Perfetto's generic table */
	"CREATE VIEW slice AS "
	"SELECT id, ts, dur, utid AS track_id, 'syscall' AS category, "
	"coalesce(name, 'syscall_' || nr) AS name, utid, tid, pid, "
	"ts_s, wall_ns, wall FROM syscalls "
	"UNION ALL SELECT id, ts, dur, utid, 'block', "
	"coalesce(op_name, 'op_' || op) || ' ' || disk, utid, tid, pid, "
	"ts_s, wall_ns, wall FROM block_io "
	"UNION ALL SELECT t.id, t.ts, t.dur, t.utid, 'tcp', "
	"t.saddr || ':' || t.sport || ' -> ' || t.daddr || ':' || t.dport, "
	"t.utid, t.tid, t.pid, " TIME_COLS("t.ts") " FROM tcp_connections t "
	"UNION ALL SELECT g.id, g.ts, g.dur, g.utid, 'signal', "
	"coalesce(n.name, 'signal ' || g.signo), g.utid, g.tid, g.pid, "
	TIME_COLS("g.ts") " FROM signals g "
	"LEFT JOIN signal_names n ON n.signo = g.signo;"
	/* thread_states: thread_state with names and times */
	"CREATE VIEW thread_states AS SELECT t.id AS id, t.ts AS ts, "
	"t.dur AS dur, t.cpu AS cpu, t.utid AS utid, t.tid AS tid, "
	"t.pid AS pid, th.name AS comm, t.state AS state, "
	"t.state_name AS state_name, t.cause AS cause, "
	"n.name AS syscall, t.waker_utid AS waker_utid, "
	"t.waker_tid AS waker_tid, t.io_wait AS io_wait, "
	"t.cut_start AS cut_start, t.cut_end AS cut_end, "
	TIME_COLS("t.ts") " FROM thread_state t "
	"LEFT JOIN thread th ON th.utid = t.utid "
	"LEFT JOIN syscall_names n ON n.nr = t.syscall_nr;"
	/* the questions asked most */
	"CREATE VIEW slow_syscalls AS SELECT s.* FROM syscalls s "
	"JOIN syscall_names n ON n.nr = s.nr "
	"WHERE s.dur >= 1000000 AND n.idle = 0 ORDER BY s.dur DESC, s.id;"
	"CREATE VIEW errors_by_syscall AS SELECT name AS syscall, "
	"errno_name, errno, count(*) AS count, "
	"count(DISTINCT pid) AS processes, min(ts) AS first_ts, "
	"max(ts) AS last_ts FROM syscalls WHERE errno IS NOT NULL "
	"GROUP BY nr, errno ORDER BY count DESC, syscall, errno;"
	"CREATE VIEW runqlat_hist AS SELECT b.lo AS usecs_lo, "
	"b.hi AS usecs_hi, count(*) AS count FROM thread_state t "
	"JOIN log2_buckets b ON t.dur / 1000 BETWEEN b.lo AND b.hi "
	"WHERE t.state IN ('R', 'R+') AND t.cut_start = 0 AND t.cut_end = 0 "
	"GROUP BY b.bucket ORDER BY b.bucket;"
	"CREATE VIEW offcpu_by_reason AS SELECT t.pid AS pid, t.tid AS tid, "
	"t.utid AS utid, th.name AS comm, "
	"CASE t.state WHEN 'R+' THEN 'preempted' ELSE t.state_name END "
	"AS reason, n.name AS syscall, count(*) AS count, "
	"sum(t.dur) AS total_ns, max(t.dur) AS max_ns FROM thread_state t "
	"LEFT JOIN thread th ON th.utid = t.utid "
	"LEFT JOIN syscall_names n ON n.nr = t.syscall_nr "
	"WHERE t.state IN ('R', 'R+', 'D', 'S', 'T') "
	"GROUP BY t.utid, t.tid, reason, t.syscall_nr "
	"ORDER BY total_ns DESC, t.tid, reason, syscall;";

/* events: every ev_<kind> table's common columns in one view */
static int events_view(struct kt_sq *sq)
{
	size_t cap = 8192, len = 0;
	char *s = malloc(cap);
	int rc;

	if (!s)
		return kt_sq_fail(sq, SQLITE_NOMEM, "out of memory");
	len = (size_t)snprintf(s, cap, "CREATE VIEW events AS SELECT id, ts, "
			       "end_ts, kind, cpu, tid, pid, utid, %s FROM (",
			       TIME_COLS("ts"));
	for (unsigned k = 1; k < KT_KIND_MAX && len < cap; k++) {
		const struct kt_kind_info *ki = kt_kind_info(k);
		const char *end = k == KT_SYSCALL ? "ts + dur" :
				  k == KT_BLOCK_RQ ? "ts + service_ns" : "NULL";

		len += (size_t)snprintf(s + len, cap - len,
					"%sSELECT id, ts, %s AS end_ts, '%s' "
					"AS kind, cpu, tid, pid, utid "
					"FROM ev_%s",
					k > 1 ? " UNION ALL " : "", end,
					ki->name, ki->name);
	}
	if (len + 2 > cap) {
		free(s);
		return kt_sq_fail(sq, SQLITE_TOOBIG, "events view too long");
	}
	memcpy(s + len, ")", 2);
	rc = kt_sq_exec(sq, s);
	free(s);
	return rc;
}

int kt_sq_views(struct kt_sq *sq)
{
	int rc = kt_sq_exec(sq, views);

	return rc ? rc : events_view(sq);
}

/* ------------------------------------------------------------ indexes */

static const char indexes[] =
	"CREATE INDEX ev_syscall_utid_ts ON ev_syscall(utid, ts);"
	"CREATE INDEX ev_block_rq_utid_ts ON ev_block_rq(utid, ts);"
	"CREATE INDEX thread_state_utid_ts ON thread_state(utid, ts);"
	"CREATE INDEX sched_slice_utid_ts ON sched_slice(utid, ts);"
	"CREATE INDEX sched_slice_cpu_ts ON sched_slice(cpu, ts);"
	"CREATE INDEX thread_names_utid ON thread_names(utid, ts);"
	"CREATE INDEX thread_upid ON thread(upid);"
	"CREATE INDEX process_pid ON process(pid);"
	"CREATE INDEX tcp_connections_utid ON tcp_connections(utid, ts);"
	"CREATE INDEX causal_edges_src ON causal_edges(src);"
	"CREATE INDEX causal_edges_dst ON causal_edges(dst);";

/* flow: a task-context wakeup of a thread waiting in a syscall, from the
 * waker's syscall then to the wakee's (slice ids: ev_syscall ids).  Needs
 * the (utid, ts) index of ev_syscall. */
static const char flows[] =
	"INSERT INTO flow(slice_out, slice_in, ts, waker_utid, wakee_utid) "
	"SELECT o.id, i.id, w.ts, w.waker_utid, w.utid FROM "
	"(SELECT t.ts AS ts, t.utid AS utid, t.waker_utid AS waker_utid, "
	"(SELECT s.id FROM ev_syscall s WHERE s.utid = t.waker_utid AND "
	"s.ts <= t.ts ORDER BY s.ts DESC LIMIT 1) AS out_id, "
	"(SELECT s.id FROM ev_syscall s WHERE s.utid = t.utid AND "
	"s.ts <= t.ts ORDER BY s.ts DESC LIMIT 1) AS in_id "
	"FROM thread_state t WHERE t.state = 'R' AND t.cause = 'woken' AND "
	"t.waker_utid IS NOT NULL AND t.utid IS NOT NULL) w "
	"JOIN ev_syscall o ON o.id = w.out_id AND o.ts + o.dur >= w.ts "
	"JOIN ev_syscall i ON i.id = w.in_id AND i.ts + i.dur >= w.ts "
	"ORDER BY w.ts, w.utid;";

int kt_sq_indexes(struct kt_sq *sq)
{
	int rc = kt_sq_exec(sq, indexes);

	if (!rc)
		rc = kt_sq_exec(sq, flows);
	if (!rc)
		sq->rows += (__u64)sqlite3_changes(sq->db);
	return rc;
}
