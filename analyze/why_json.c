// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why_json.c - `ktrail why --json`: the span, the hops, every segment (ns
 * exact), the attribution, the time per kind, the root and the
 * confidence, as one JSON object.
 */
#include <errno.h>
#include <jansson.h>
#include "why_int.h"
#include "names.h"
#include "timeline_fmt.h"
#include "fmt.h"

#define thr kt_why_thr

static json_t *jsys(const struct kt_why *w, const struct kt_tl_sys *s,
		    __u32 pid)
{
	const char *name = kt_syscall_name(s->nr);
	json_t *j;

	if (s->nr == KT_TL_NOSYS)
		return json_null();
	j = json_pack("{s:s?, s:I, s:I, s:I, s:I, s:[I,I,I], s:I}",
		      "name", name, "nr", (json_int_t)s->nr,
		      "start", (json_int_t)s->start, "end", (json_int_t)s->end,
		      "ret", (json_int_t)s->ret, "args", (json_int_t)s->arg[0],
		      (json_int_t)s->arg[1], (json_int_t)s->arg[2],
		      "file_id", (json_int_t)kt_tl_sys_file_id(s));
	if (j)
		kt_tlf_json_files(j, s, pid, &w->names);
	return j;
}

static json_t *jthread(const struct kt_why *w, __u32 utid, __u32 tid,
		       __u32 pid)
{
	char t[KT_TLF_MAX];

	return json_pack("{s:I, s:I, s:I, s:s}", "utid", (json_int_t)utid,
			 "tid", (json_int_t)tid, "pid", (json_int_t)pid,
			 "name", thr(t, w, utid, tid));
}

static json_t *jblk(const struct kt_why *w, const struct kt_tl_blk *b)
{
	const char *disk = kt_disks_name(w->names.disks, b->dev);
	char dev[32], t[KT_TLF_MAX];

	kt_fmt_dev(dev, sizeof(dev), b->dev);
	return json_pack("{s:s, s:s*, s:s?, s:I, s:I, s:I, s:I, s:s}",
			 "dev", dev, "disk", disk, "op", kt_block_op_name(b->op),
			 "bytes", (json_int_t)b->bytes,
			 "sector", (json_int_t)b->sector,
			 "issue_ts", (json_int_t)b->issue_ts,
			 "complete_ts", (json_int_t)b->complete_ts,
			 "issuer", thr(t, w, b->issuer_utid, b->issuer_tid));
}

static json_t *jretrans(const struct kt_cp_seg *s)
{
	char a[64], b[64];

	kt_fmt_ipport(a, sizeof(a), s->tcp.family, s->tcp.saddr, s->tcp.sport);
	kt_fmt_ipport(b, sizeof(b), s->tcp.family, s->tcp.daddr, s->tcp.dport);
	return json_pack("{s:I, s:s, s:s, s:s?, s:I, s:o, s:o}",
			 "ts", (json_int_t)s->tcp_ts, "local", a, "remote", b,
			 "state", kt_tcp_state_name(s->tcp.last_state),
			 "netns", (json_int_t)s->tcp.netns,
			 "acceptq", s->tcp.acceptq_known ?
				    json_integer(s->tcp.acceptq) : json_null(),
			 "acceptq_max", s->tcp.acceptq_known ?
				    json_integer(s->tcp.acceptq_max) : json_null());
}

static json_t *jsegs(const struct kt_why *w)
{
	const struct kt_cp_path *p = &w->path;
	json_t *a = json_array();

	for (size_t i = 0; a && i < p->nsegs; i++) {
		const struct kt_cp_seg *s = &p->segs[i];
		json_t *o = json_pack("{s:I, s:I, s:I, s:o, s:s, s:s, s:s, s:I}",
				      "start", (json_int_t)s->start,
				      "end", (json_int_t)s->end,
				      "ns", (json_int_t)(s->end - s->start),
				      "thread", jthread(w, s->utid, s->tid, s->pid),
				      "kind", kt_cp_kind_name(s->kind),
				      "state", kt_tl_state_name(s->state),
				      "cause", kt_tl_cause_name(s->cause),
				      "hop", (json_int_t)s->hop);

		if (o)
			json_object_set_new(o, "weight",
					    json_real(s->weight / 1000.0));

		if (o && s->kind == KT_CP_RUN)
			json_object_set_new(o, "cpu", json_integer(s->cpu));
		if (o && s->kind == KT_CP_RUNNABLE)
			json_object_set_new(o, "cpu", json_integer(s->cpu));
		if (o && kt_tl_is_wait(s->state))
			json_object_set_new(o, "syscall", jsys(w, &s->sys, s->pid));
		if (o && s->kind == KT_CP_DISK)
			json_object_set_new(o, "request", jblk(w, &s->blk));
		if (o && s->kind == KT_CP_RETRANS)
			json_object_set_new(o, "retransmit", jretrans(s));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *jhops(const struct kt_why *w)
{
	const struct kt_cp_path *p = &w->path;
	json_t *a = json_array();
	static const char *const via[] = { "start", "wakeup", "network", "peer" };

	for (size_t i = 0; a && i < p->nhops; i++) {
		const struct kt_cp_hop *h = &p->hops[i];

		json_array_append_new(a, json_pack(
			"{s:I, s:I, s:o, s:I, s:I, s:I, s:s, s:f, s:s, s:I, s:o, s:o}",
			"hop", (json_int_t)i,
			"parent", h->parent == KT_CP_NONE ? (json_int_t)-1 :
							   (json_int_t)h->parent,
			"thread", jthread(w, h->utid, h->tid, h->pid),
			"start", (json_int_t)h->start, "end", (json_int_t)h->end,
			"ns", (json_int_t)h->ns, "via", via[h->via],
			"weight", h->weight / 1000.0, "reason", h->reason,
			"wake_ts", (json_int_t)h->wake_ts,
			"wait_syscall", jsys(w, &h->wait_sys,
				h->parent == KT_CP_NONE ? h->pid :
				p->hops[h->parent].pid),
			"waker_syscall", jsys(w, &h->waker_sys, h->pid)));
	}
	return a;
}

static json_t *jattr(const struct kt_why *w, const struct kt_cp_attr *a)
{
	json_t *o = json_pack("{s:s, s:I, s:I}", "kind", kt_cp_kind_name(a->kind),
			      "ns", (json_int_t)a->ns, "segments",
			      (json_int_t)a->segs);
	char dev[32];

	if (!o)
		return NULL;
	if (a->kind == KT_CP_RUN || a->kind == KT_CP_UNKNOWN ||
	    a->kind == KT_CP_RETRANS)
		json_object_set_new(o, "thread", jthread(w, a->utid, a->tid, a->pid));
	if (a->kind == KT_CP_RUNNABLE && a->cpu != KT_CP_ALL_CPUS)
		json_object_set_new(o, "cpu", json_integer(a->cpu));
	if (a->kind == KT_CP_RUNNABLE && a->cpu == KT_CP_ALL_CPUS)
		json_object_set_new(o, "cpu", json_string("all"));
	if (a->kind == KT_CP_DISK) {
		kt_fmt_dev(dev, sizeof(dev), a->dev);
		json_object_set_new(o, "dev", json_string(dev));
		if (kt_disks_name(w->names.disks, a->dev))
			json_object_set_new(o, "disk", json_string(
				kt_disks_name(w->names.disks, a->dev)));
	}
	return o;
}

static const char *span_kind_name(unsigned kind)
{
	static const char *const names[] = {
		[KT_WHY_SYSCALL] = "syscall", [KT_WHY_WAIT] = "wait",
		[KT_WHY_CPU] = "cpu", [KT_WHY_RANGE] = "range",
	};

	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

static json_t *jspan(const struct kt_why *w)
{
	const struct kt_why_span *s = &w->span;
	json_t *o;

	o = json_pack("{s:I, s:I, s:I, s:o, s:b, s:o, s:s?, s:b, s:s}",
		      "start", (json_int_t)s->start, "end", (json_int_t)s->end,
		      "ns", (json_int_t)(s->end - s->start),
		      "thread", jthread(w, s->utid, s->tid, s->pid),
		      "syscall_span", s->kind == KT_WHY_SYSCALL,
		      "syscall", jsys(w, &s->sys, s->pid),
		      "state", s->kind == KT_WHY_WAIT ?
			       kt_tl_state_name(s->state) : NULL,
		      "open", s->open, "kind", span_kind_name(s->kind));
	if (o && (s->kind == KT_WHY_CPU || s->kind == KT_WHY_RANGE)) {
		json_object_set_new(o, "running_ns", json_integer(s->run_ns));
		json_object_set_new(o, "runnable_ns",
				    json_integer(s->runnable_ns));
	}
	if (o && s->kind == KT_WHY_RANGE) {
		json_object_set_new(o, "waiting_ns", json_integer(s->wait_ns));
		json_object_set_new(o, "thread_chosen", json_boolean(s->chosen));
		json_object_set_new(o, "threads", json_integer(s->nthreads));
	}
	return o;
}

int kt_why_print_json(struct kt_out *o, const struct kt_why *w)
{
	const struct kt_cp_path *p = &w->path;
	const struct kt_cp_attr *r = kt_cp_root(p);
	json_t *root, *attr = json_array(), *kinds = json_object();

	for (size_t i = 0; attr && i < p->nattr; i++)
		json_array_append_new(attr, jattr(w, &p->attr[i]));
	for (unsigned k = 0; kinds && k < KT_CP_NKINDS; k++)
		json_object_set_new(kinds, kt_cp_kind_name(k),
				    json_integer(p->kind_ns[k]));
	root = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:f}",
			 "span", jspan(w),
			 "hops", jhops(w), "segments", jsegs(w),
			 "attribution", attr, "kind_ns", kinds,
			 "root", r ? jattr(w, r) : json_null(),
			 "confidence", p->confidence / 1000.0);
	if (!root)
		return -ENOMEM;
	json_object_set_new(root, "root_evidence_ns",
			    json_integer((json_int_t)p->root_evidence_ns));
	json_object_set_new(root, "unknown_ns",
			    json_integer((json_int_t)p->kind_ns[KT_CP_UNKNOWN]));
	if (p->blind) {         /* the families that would have told */
		json_t *b = json_array();

		for (unsigned f = 0; b && f < KT_FAM_MAX; f++)
			if (p->blind & 1u << f)
				json_array_append_new(b, json_string(
					kt_family_name(f)));
		json_object_set_new(root, "not_recorded", b);
	}
	kt_out_jansson(o, root, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
		       JSON_REAL_PRECISION(3));
	kt_out_ch(o, '\n');
	json_decref(root);
	return o->err;
}
