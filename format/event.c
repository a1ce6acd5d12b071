// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * event.c - the schema of every event kind: its name, family and payload
 * fields in column order, with the encoding each field's column uses on
 * disk (docs/format.md "Columns").  Readers and writers are driven by this
 * table; adding a field means appending it here (a new minor version).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "format_int.h"

#define F(n, field, t, e) { n, offsetof(struct kt_event, field), t, e }
#define U32(n, fld) F(n, fld, KT_F_U32, KT_ENC_UV)
#define S32(n, fld) F(n, fld, KT_F_S32, KT_ENC_SV)
#define U64(n, fld) F(n, fld, KT_F_U64, KT_ENC_UV)
#define S64(n, fld) F(n, fld, KT_F_S64, KT_ENC_SV)
#define STR(n, fld) F(n, fld, KT_F_STR, KT_ENC_STR)
/* a pid next to its tid: usually equal, so store the difference */
#define REL32(n, fld) F(n, fld, KT_F_U32, KT_ENC_REL)
/* addresses, sectors, cookies: close to the previous one of the column */
#define DELTA64(n, fld) F(n, fld, KT_F_U64, KT_ENC_DELTA)

static const struct kt_field f_switch[] = {
	U32("prev_state", sw.prev_state),
	U32("next_tid", sw.next_tid),
	REL32("next_pid", sw.next_pid),
	U32("prev_prio", sw.prev_prio),
	U32("next_prio", sw.next_prio),
};

static const struct kt_field f_waking[] = {
	U32("target_tid", wake.target_tid),
	REL32("target_pid", wake.target_pid),
	U32("target_cpu", wake.target_cpu),
	U32("target_prio", wake.target_prio),
	U32("context", wake.context),
};

static const struct kt_field f_migrate[] = {
	U32("target_tid", mig.target_tid),
	REL32("target_pid", mig.target_pid),
	U32("orig_cpu", mig.orig_cpu),
	U32("dest_cpu", mig.dest_cpu),
};

static const struct kt_field f_fork[] = {
	U32("child_tid", fork.child_tid),
	REL32("child_pid", fork.child_pid),
	U32("flags", fork.flags),
	STR("child_comm", fork.child_comm_str),
};

static const struct kt_field f_exec[] = {
	U32("old_tid", exec.old_tid),
	U32("flags", exec.flags),
	STR("filename", exec.filename_str),
	STR("argv", exec.argv_str),
	STR("comm", exec.comm_str),
};

static const struct kt_field f_exit[] = {
	S32("exit_code", exit.exit_code),
	U32("flags", exit.flags),
};

static const struct kt_field f_comm[] = {
	STR("comm", comm.comm_str),
};

static const struct kt_field f_syscall[] = {
	U32("nr", sys.nr),
	U64("dur", sys.dur),
	S64("ret", sys.ret),
	U64("arg0", sys.arg[0]),
	U64("arg1", sys.arg[1]),
	U64("arg2", sys.arg[2]),
	STR("str", sys.str),
	U32("flags", sys.flags),
};

static const struct kt_field f_tcp[] = {
	DELTA64("sock", tcp.sock),
	U64("saddr0", tcp.saddr[0]),
	U64("saddr1", tcp.saddr[1]),
	U64("daddr0", tcp.daddr[0]),
	U64("daddr1", tcp.daddr[1]),
	U32("family", tcp.family),
	U32("sport", tcp.sport),
	U32("dport", tcp.dport),
	U32("netns", tcp.netns),
	U32("oldstate", tcp.oldstate),
	U32("newstate", tcp.newstate),
	U32("flags", tcp.flags),
	U32("context", tcp.context),
	/* format 1.1 */
	U32("owner_tid", tcp.owner_tid),
	REL32("owner_pid", tcp.owner_pid),
	U32("acceptq", tcp.acceptq),
	U32("acceptq_max", tcp.acceptq_max),
	/* format 1.3 */
	U64("tx_bytes", tcp.tx_bytes),
	U64("rx_bytes", tcp.rx_bytes),
};

static const struct kt_field f_block[] = {
	U32("dev", blk.dev),
	U32("op", blk.op),
	DELTA64("sector", blk.sector),
	U32("bytes", blk.bytes),
	S32("error", blk.error),
	U64("queue_ns", blk.queue_ns),
	U64("service_ns", blk.service_ns),
	U32("issue_cpu", blk.issue_cpu),
	U32("flags", blk.flags),
};

static const struct kt_field f_signal[] = {
	U32("target_tid", sig.target_tid),
	REL32("target_pid", sig.target_pid),
	U32("signo", sig.signo),
	S32("code", sig.code),
	S32("result", sig.result),
	U32("context", sig.context),
};

static const struct kt_field f_oom[] = {
	U32("victim_tid", oom.victim_tid),
	REL32("victim_pid", oom.victim_pid),
	STR("memcg", oom.memcg_str),
	STR("victim_comm", oom.victim_comm_str),
	U64("total_vm_kb", oom.total_vm_kb),
	U64("anon_rss_kb", oom.anon_rss_kb),
	U64("file_rss_kb", oom.file_rss_kb),
	U64("shmem_rss_kb", oom.shmem_rss_kb),
	S32("oom_score_adj", oom.oom_score_adj),
};

static const struct kt_field f_fault[] = {
	DELTA64("addr", fault.addr),
	DELTA64("ip", fault.ip),
	U32("flags", fault.flags),
	U32("period", fault.period),
};

static const struct kt_field f_rss[] = {
	U32("member", rss.member),
	S64("bytes", rss.bytes),
};

static const struct kt_field f_packet[] = {
	U32("ifindex", pkt.ifindex),
	U32("len", pkt.len),
	U32("caplen", pkt.caplen),
	STR("data", pkt.data_str),
	U32("linktype", pkt.linktype),
	U32("flags", pkt.flags),
};

static const struct kt_field f_marker[] = {
	STR("text", mark.text_str),
	U64("value", mark.value),
};

static const struct kt_field f_lost[] = {
	U32("family", lost.family),
	U64("count", lost.count),
	/* format 1.1 */
	U32("cause", lost.cause),
	U64("since", lost.since),
};

static const struct kt_field f_clock[] = {
	DELTA64("realtime_ns", clk.realtime_ns),
	DELTA64("boottime_ns", clk.boottime_ns),
};

#define K(kind, n, fam, f) \
	[kind] = { n, fam, sizeof(f) / sizeof(f[0]), f }

static const struct kt_kind_info kinds[KT_KIND_MAX] = {
	K(KT_SCHED_SWITCH, "sched_switch", KT_FAM_SCHED, f_switch),
	K(KT_SCHED_WAKING, "sched_waking", KT_FAM_SCHED, f_waking),
	K(KT_SCHED_WAKEUP_NEW, "sched_wakeup_new", KT_FAM_SCHED, f_waking),
	K(KT_SCHED_MIGRATE, "sched_migrate", KT_FAM_SCHED, f_migrate),
	K(KT_PROC_FORK, "proc_fork", KT_FAM_PROC, f_fork),
	K(KT_PROC_EXEC, "proc_exec", KT_FAM_PROC, f_exec),
	K(KT_PROC_EXIT, "proc_exit", KT_FAM_PROC, f_exit),
	K(KT_PROC_COMM, "proc_comm", KT_FAM_PROC, f_comm),
	K(KT_SYSCALL, "syscall", KT_FAM_SYSCALL, f_syscall),
	K(KT_TCP_STATE, "tcp_state", KT_FAM_TCP, f_tcp),
	K(KT_TCP_RETRANS, "tcp_retrans", KT_FAM_TCP, f_tcp),
	K(KT_TCP_RESET, "tcp_reset", KT_FAM_TCP, f_tcp),
	K(KT_BLOCK_RQ, "block_rq", KT_FAM_BLOCK, f_block),
	K(KT_SIGNAL_GEN, "signal_generate", KT_FAM_SIGNAL, f_signal),
	K(KT_SIGNAL_DELIVER, "signal_deliver", KT_FAM_SIGNAL, f_signal),
	K(KT_OOM_VICTIM, "oom_victim", KT_FAM_OOM, f_oom),
	K(KT_PAGE_FAULT, "page_fault", KT_FAM_FAULT, f_fault),
	K(KT_RSS, "rss", KT_FAM_MEM, f_rss),
	K(KT_NET_PACKET, "net_packet", KT_FAM_NET, f_packet),
	K(KT_MARKER, "marker", KT_FAM_META, f_marker),
	K(KT_LOST, "lost", KT_FAM_META, f_lost),
	K(KT_CLOCK_SYNC, "clock_sync", KT_FAM_META, f_clock),
};

static const char *const families[KT_FAM_MAX] = {
	[KT_FAM_SCHED] = "sched",
	[KT_FAM_PROC] = "proc",
	[KT_FAM_SYSCALL] = "syscall",
	[KT_FAM_TCP] = "tcp",
	[KT_FAM_BLOCK] = "block",
	[KT_FAM_SIGNAL] = "signal",
	[KT_FAM_OOM] = "oom",
	[KT_FAM_FAULT] = "fault",
	[KT_FAM_MEM] = "mem",
	[KT_FAM_NET] = "net",
	[KT_FAM_META] = "meta",
};

const struct kt_kind_info *kt_kind_info(unsigned kind)
{
	if (kind == KT_NONE || kind >= KT_KIND_MAX)
		return NULL;
	return &kinds[kind];
}

const char *kt_family_name(unsigned fam)
{
	return fam < KT_FAM_MAX ? families[fam] : NULL;
}

const char *kt_lost_cause_name(unsigned cause)
{
	static const char *const names[KT_LOST_CAUSES] = {
		[KT_LOST_RING] = "ring_full",
		[KT_LOST_RECURSION] = "recursion",
		[KT_LOST_SWITCH_GAP] = "switch_gap",
		[KT_LOST_FILTERED] = "filtered",
		[KT_LOST_PCAP] = "pcap",
	};

	return cause < KT_LOST_CAUSES ? names[cause] : NULL;
}

static __u64 family_mask(unsigned fam)
{
	__u64 m = 0;

	for (unsigned k = 1; k < KT_KIND_MAX; k++)
		if (kinds[k].family == fam)
			m |= KT_KIND_BIT(k);
	return m;
}

int kt_families_parse(const char *list, __u64 *kind_mask, char *bad,
		      size_t badsz)
{
	const char *p = list, *end;
	__u64 mask = 0;
	size_t n;
	unsigned f;

	if (bad && badsz)
		bad[0] = 0;
	for (;;) {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 3 && !strncmp(p, "all", 3)) {
			for (f = 0; f < KT_FAM_MAX; f++)
				mask |= family_mask(f);
		} else {
			for (f = 0; f < KT_FAM_MAX; f++)
				if (strlen(families[f]) == n &&
				    !strncmp(p, families[f], n))
					break;
			if (f == KT_FAM_MAX) {
				if (bad && badsz)
					snprintf(bad, badsz, "%.*s", (int)n, p);
				return -EINVAL;
			}
			mask |= family_mask(f);
		}
		if (!end)
			break;
		p = end + 1;
	}
	*kind_mask = mask;
	return 0;
}

const char *kt_event_str(const struct kt_event *ev, __u32 h, size_t *len)
{
	const struct kt_strtab *st = ev->strs;

	if (!st || h == 0 || h > st->n) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = st->len[h - 1];
	return st->ptr[h - 1];
}
