// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why_print.c - `ktrail why` output for people: the root cause in words
 * (its sentence also for the pictures), the span, the wait chain, where
 * each nanosecond went, the attribution (which sums to the span
 * exactly).  The JSON object is why_json.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <jansson.h>
#include "why_int.h"
#include "names.h"
#include "timeline_fmt.h"
#include "fmt.h"

#define HOP_MIN_PERMILLE 10     /* text: hops under 1% are summarized */

#define thr kt_why_thr

/* The request that took the most of a DISK bucket. */
static const struct kt_cp_seg *largest_request(const struct kt_cp_path *p,
					       __u32 dev)
{
	const struct kt_cp_seg *best = NULL;
	__u64 best_ns = 0;

	for (size_t i = 0; i < p->nsegs; i++) {
		const struct kt_cp_seg *s = &p->segs[i];
		__u64 ns = 0;

		if (s->kind != KT_CP_DISK || s->blk.dev != dev)
			continue;
		for (size_t j = 0; j < p->nsegs; j++)
			if (p->segs[j].kind == KT_CP_DISK &&
			    p->segs[j].blk.dev == dev &&
			    p->segs[j].blk.issue_ts == s->blk.issue_ts &&
			    p->segs[j].blk.sector == s->blk.sector)
				ns += p->segs[j].end - p->segs[j].start;
		if (ns > best_ns) {
			best_ns = ns;
			best = s;
		}
	}
	return best;
}

/* "running 300.0 ms, runnable 900.0 ms[, waiting ...]" of a CPU stretch
 * or a range */
static void print_own_time(struct kt_out *o, const struct kt_why_span *s)
{
	char a[32], b[32], c[32];
	__u64 rest = s->end - s->start - s->run_ns - s->runnable_ns - s->wait_ns;

	kt_out_printf(o, "running %s, runnable %s",
		kt_tlf_dur(a, sizeof(a), s->run_ns),
		kt_tlf_dur(b, sizeof(b), s->runnable_ns));
	if (s->kind == KT_WHY_RANGE)
		kt_out_printf(o, ", waiting %s", kt_tlf_dur(c, sizeof(c), s->wait_ns));
	if (rest)
		kt_out_printf(o, ", not observed %s", kt_tlf_dur(c, sizeof(c), rest));
}

/* What the span is, without "why: " and its newline. */
static void span_sentence(struct kt_out *o, const struct kt_why *w)
{
	const struct kt_why_span *s = &w->span;
	char t[KT_TLF_MAX], sys[KT_TLF_MAX];

	thr(t, w, s->utid, s->tid);
	kt_tlf_sys(sys, sizeof(sys), &s->sys, s->pid, &w->names);
	switch (s->kind) {
	case KT_WHY_SYSCALL:
		kt_out_printf(o, "%s by %s (pid %u)", sys, t, s->pid);
		break;
	case KT_WHY_WAIT:
		kt_out_printf(o, "%s %s of %s (pid %u), in %s",
			kt_tl_state_name(s->state),
			s->state == KT_TL_BLOCKED ? "wait" : "interval", t,
			s->pid, sys);
		break;
	case KT_WHY_CPU:
		kt_out_printf(o, "a cpu stretch of %s (pid %u), no wait in it: ",
			t, s->pid);
		print_own_time(o, s);
		break;
	default:
		kt_out_printf(o, "%s (pid %u) over the range asked: ", t, s->pid);
		print_own_time(o, s);
	}
}

static void print_span(struct kt_out *o, const struct kt_why *w)
{
	const struct kt_why_span *s = &w->span;
	char t[KT_TLF_MAX], r[KT_TLF_MAX], a[32], b[32], d[32];

	kt_out_printf(o, "why: ");
	span_sentence(o, w);
	kt_out_printf(o, "\n");
	if (s->kind == KT_WHY_RANGE && s->chosen && s->nthreads > 1)
		kt_out_printf(o, "  thread chosen: %s, of the %u threads of pid %u in the range the one with the most time not running; --tid picks another\n",
			thr(t, w, s->utid, s->tid), s->nthreads, s->pid);
	kt_out_printf(o, "  from %s to %s: %s", kt_out_tstr(o, a, sizeof(a), s->start),
		kt_out_tstr(o, b, sizeof(b), s->end),
		kt_tlf_dur(d, sizeof(d), s->end - s->start));
	if (s->kind == KT_WHY_SYSCALL && !s->open)
		kt_out_printf(o, ", returned %s", kt_tlf_ret(r, sizeof(r),
			&s->sys, s->pid, &w->names));
	if (s->open && s->kind != KT_WHY_RANGE)
		kt_out_printf(o, " (still %s when the capture ended)",
			s->kind == KT_WHY_SYSCALL ? "running" : "going on");
	kt_out_printf(o, "\n");
}

static void print_chain(struct kt_out *o, const struct kt_why *w)
{
	const struct kt_cp_path *p = &w->path;
	char t[KT_TLF_MAX], ws[KT_TLF_MAX], rs[KT_TLF_MAX], d[32];
	__u64 span = p->end - p->start;
	size_t hidden = 0;

	kt_out_printf(o, "\nwait chain (who each wait was waiting for):\n");
	for (size_t i = 0; i < p->nhops; i++) {
		const struct kt_cp_hop *h = &p->hops[i];

		if (i && h->ns * 1000 < span * HOP_MIN_PERMILLE) {
			hidden++;
			continue;
		}
		kt_out_printf(o, "  #%-3zu %*s%-24s %10s", i, (int)h->depth * 2, "",
			thr(t, w, h->utid, h->tid),
			kt_tlf_dur(d, sizeof(d), h->ns));
		if (h->via == KT_CP_VIA_START) {
			kt_out_printf(o, "  the span's thread\n");
			continue;
		}
		kt_out_printf(o, "  ended #%u's wait in %s from %s", h->parent,
			kt_tlf_sys(rs, sizeof(rs), &h->wait_sys,
				   p->hops[h->parent].pid, &w->names),
			kt_tlf_sys(ws, sizeof(ws), &h->waker_sys, h->pid,
				   &w->names));
		if (h->weight < KT_CP_W_EXACT)
			kt_out_printf(o, " [inferred, weight %u.%02u: %s]",
				h->weight / 1000, h->weight % 1000 / 10,
				h->reason);
		kt_out_printf(o, "\n");
	}
	if (hidden)
		kt_out_printf(o, "  (%zu more hops under 1%% of the span; --json lists them)\n",
			hidden);
}

/* The network segment that weighs most. */
static const struct kt_cp_seg *largest_net(const struct kt_cp_path *p)
{
	const struct kt_cp_seg *best = NULL;

	for (size_t i = 0; i < p->nsegs; i++) {
		const struct kt_cp_seg *s = &p->segs[i];

		if (s->kind == KT_CP_NET &&
		    (!best || s->end - s->start > best->end - best->start))
			best = s;
	}
	return best;
}

static bool loopback(const struct kt_tl_tcp *t)
{
	const unsigned char *a = (const unsigned char *)t->daddr;
	static const unsigned char v6lo[16] = { [15] = 1 };

	return t->family == 2 ? a[0] == 127 : !memcmp(a, v6lo, sizeof(v6lo));
}

/* The network: a receive the capture does not match with a sender.  Name
 * the connection when the waiting thread owned one; a peer on this host
 * is not "outside". */
static const struct kt_tl_span *net_conn(const struct kt_why *w)
{
	const struct kt_cp_seg *s = largest_net(&w->path);
	const struct kt_tl_span *c = NULL;
	size_t n = 0;

	if (s)
		c = kt_cp_store_tcp_at(w->store, s->utid, s->tid, s->start, &n);
	return n == 1 ? c : NULL;
}

static void net_sentence(struct kt_out *o, const struct kt_why *w,
			 const char *d, const char *sd, unsigned pc)
{
	const struct kt_tl_span *c = net_conn(w);
	char t[2 * KT_TLF_MAX];

	if (c && loopback(&c->tcp))
		kt_out_printf(o, "the network from a peer on this host: %s waited "
			      "%s of %s (%u.%u%%) for data whose sender the capture "
			      "does not match", kt_why_tcp_tuple(t, sizeof(t), &c->tcp),
			      d, sd, pc / 10, pc % 10);
	else
		kt_out_printf(o, "the network: waiting for data from outside, %s of %s (%u.%u%%)",
			      d, sd, pc / 10, pc % 10);
}

static void net_details(struct kt_out *o, const struct kt_why *w)
{
	const struct kt_tl_span *c = net_conn(w);
	char t[2 * KT_TLF_MAX];

	if (c && !loopback(&c->tcp))
		kt_out_printf(o, "  on %s (netns %u)\n",
			      kt_why_tcp_tuple(t, sizeof(t), &c->tcp), c->tcp.netns);
}

/* TcpExt ListenOverflows at the end of the capture minus at its start
 * (metadata net.start / net.end), 0 when not recorded. */
static long long listen_overflows(const json_t *meta)
{
	const json_t *a = json_object_get(json_object_get(json_object_get(
		json_object_get(meta, "net"), "start"), "TcpExt"), "ListenOverflows");
	const json_t *b = json_object_get(json_object_get(json_object_get(
		json_object_get(meta, "net"), "end"), "TcpExt"), "ListenOverflows");

	return json_is_integer(a) && json_is_integer(b) ?
	       json_integer_value(b) - json_integer_value(a) : 0;
}

/* The retransmission-timeout segment of @r that weighs most. */
static const struct kt_cp_seg *largest_retrans(const struct kt_cp_path *p,
					       const struct kt_cp_attr *r)
{
	const struct kt_cp_seg *best = NULL;

	for (size_t i = 0; i < p->nsegs; i++) {
		const struct kt_cp_seg *s = &p->segs[i];

		if (s->kind == KT_CP_RETRANS && s->tid == r->tid &&
		    (!best || s->end - s->start > best->end - best->start))
			best = s;
	}
	return best;
}

/* A TCP retransmission timeout: which connection, when the kernel sent
 * again, and what the capture says of the other side. */
static void retrans_sentence(struct kt_out *o, const struct kt_why *w,
			     const struct kt_cp_attr *r, const char *d,
			     const char *sd, unsigned pc)
{
	const struct kt_cp_seg *s = largest_retrans(&w->path, r);
	bool syn = s && s->tcp.last_state == 2;     /* TCP_SYN_SENT */
	char t[2 * KT_TLF_MAX], a[32];

	if (!s)
		return;
	kt_out_printf(o, "%s retransmission timeout: %s waited %s of %s (%u.%u%%) "
		      "for an answer that did not come, ", syn ? "SYN" : "TCP",
		      kt_why_tcp_tuple(t, sizeof(t), &s->tcp), d, sd, pc / 10, pc % 10);
	/* a connect that timed out: the wait went on past the last SYN */
	if (s->end > s->tcp_ts) {
		kt_out_printf(o, "the kernel sending %s again (the last time "
			      "at %s) ", syn ? "its SYN" : "the data",
			      kt_out_tstr(o, a, sizeof(a), s->tcp_ts));
		kt_out_printf(o, "until it gave up at %s",
			      kt_out_tstr(o, a, sizeof(a), s->end));
		return;
	}
	kt_out_printf(o, "until the kernel sent %s again at %s",
		      syn ? "its SYN" : "the data",
		      kt_out_tstr(o, a, sizeof(a), s->tcp_ts));
}

static void retrans_details(struct kt_out *o, const struct kt_why *w,
			    const struct kt_cp_attr *r)
{
	const struct kt_cp_seg *s = largest_retrans(&w->path, r);
	bool syn = s && s->tcp.last_state == 2;     /* TCP_SYN_SENT */

	if (syn && s->tcp.acceptq_known)
		kt_out_printf(o, "  the listener on this host had %u connection%s "
			      "waiting in its accept queue (backlog %u) when the "
			      "SYN was sent again%s\n", s->tcp.acceptq,
			      s->tcp.acceptq == 1 ? "" : "s", s->tcp.acceptq_max,
			      s->tcp.acceptq > s->tcp.acceptq_max ?
			      ": full, it drops SYNs" :
			      "; while it holds more than the backlog the kernel "
			      "drops SYNs without an event");
	else if (syn)
		kt_out_printf(o, "  no answer from the server; the cause there is not "
			      "recorded (a listener out of the capture, or another "
			      "host)\n");
	if (syn && listen_overflows(w->meta))
		kt_out_printf(o, "  ListenOverflows grew by %lld during the capture "
			      "(SYNs dropped at a full accept queue, in the "
			      "recorder's network namespace)\n",
			      listen_overflows(w->meta));
}

/* CPU contention: runnable time, on one cpu or several, and what held
 * the cpus meanwhile. */
static void contention_sentence(struct kt_out *o, const struct kt_why *w,
				const struct kt_cp_attr *r, const char *d,
				const char *sd, unsigned pc)
{
	const struct kt_cp_path *p = &w->path;
	char x[32];

	if (r->cpu != KT_CP_ALL_CPUS) {
		kt_out_printf(o, "CPU contention on cpu %u: runnable %s of %s (%u.%u%%)",
			r->cpu, d, sd, pc / 10, pc % 10);
		return;
	}
	/* "on cpu 0 and cpu 1": the cpus by the time waited there */
	kt_out_printf(o, "CPU contention on");
	for (size_t i = 0, k = 0; i < p->nattr; i++)
		if (p->attr[i].kind == KT_CP_RUNNABLE)
			kt_out_printf(o, "%s cpu %u", k++ ? " and" : "",
				      p->attr[i].cpu);
	kt_out_printf(o, ": runnable %s of %s (%u.%u%%):", d, sd,
		      pc / 10, pc % 10);
	for (size_t i = 0, k = 0; i < p->nattr; i++)
		if (p->attr[i].kind == KT_CP_RUNNABLE)
			kt_out_printf(o, "%s %s on cpu %u", k++ ? "," : "",
				kt_tlf_dur(x, sizeof(x), p->attr[i].ns),
				p->attr[i].cpu);
}

/* Whether the capture follows some tasks only (-- CMD, -p, --cgroup):
 * its metadata's record.scope is not "host" (a capture that does not say
 * is taken as scoped). */
static bool scoped(const struct kt_why *w)
{
	const char *sc = json_string_value(json_object_get(
		json_object_get(w->meta, "record"), "scope"));

	return !sc || strcmp(sc, "host");
}

#define CONTENDERS_SHOWN 4
#define CONTENDERS_MAX 256      /* summed, to tell what no record shows */

/* Who held the cpus the span waited for: the four that held them
 * longest; and, when a tenth or more of the wait is no recorded task's
 * (a scoped recording does not follow the tasks out of its scope, whose
 * runs it sees only in part), how much that was. */
static void contention_details(struct kt_out *o, const struct kt_why *w,
			       const struct kt_cp_attr *r)
{
	struct kt_cp_attr c[CONTENDERS_MAX];
	char t[KT_TLF_MAX], x[32];
	size_t n = kt_cp_contenders(w->store, &w->path, r->cpu, c,
				    CONTENDERS_MAX);
	__u64 seen = 0, unseen;

	for (size_t i = 0; i < n; i++)
		seen += c[i].ns;
	unseen = r->ns > seen ? r->ns - seen : 0;
	if (unseen < r->ns / 10)
		unseen = 0;
	if (!n && !unseen)
		return;
	if (r->cpu != KT_CP_ALL_CPUS)
		kt_out_printf(o, "  cpu %u was running", r->cpu);
	else
		kt_out_printf(o, "  the cpus were running");
	for (size_t i = 0; i < n && i < CONTENDERS_SHOWN; i++) {
		kt_out_printf(o, "%s %s %s", i ? "," : "",
			thr(t, w, c[i].utid, c[i].tid),
			kt_tlf_dur(x, sizeof(x), c[i].ns));
		if (r->cpu == KT_CP_ALL_CPUS)
			kt_out_printf(o, " on cpu %u", c[i].cpu);
	}
	if (unseen)
		kt_out_printf(o, "%s tasks no record shows (%s) %s",
			      n ? "; and" : "", scoped(w) ?
			      "out of the recording's scope" : "switches lost",
			      kt_tlf_dur(x, sizeof(x), unseen));
	kt_out_printf(o, "\n");
}

/* What a capture recorded without some families cannot tell, after the
 * confidence: "; family syscall was not recorded (-e sched,proc): ..." */
static void blind_sentence(struct kt_out *o, const struct kt_why *w)
{
	const struct kt_cp_path *p = &w->path;
	const char *rec = json_string_value(json_object_get(
		json_object_get(w->meta, "record"), "families"));
	unsigned n = 0;

	if (!p->blind)
		return;
	for (unsigned f = 0; f < KT_FAM_MAX; f++)
		n += !!(p->blind & 1u << f);
	kt_out_printf(o, "; %s", n > 1 ? "families " : "family ");
	for (unsigned f = 0, i = 0; f < KT_FAM_MAX; f++)
		if (p->blind & 1u << f)
			kt_out_printf(o, "%s%s", i++ ? ", " : "",
				      kt_family_name(f));
	kt_out_printf(o, " %s not recorded (-e %s): ", n > 1 ? "were" : "was",
		      rec ? rec : "?");
	if (p->blind & (1u << KT_FAM_SYSCALL | 1u << KT_FAM_BLOCK))
		kt_out_printf(o, "a timer, a socket, a lock or a disk cannot be "
			      "told from an interrupt");
	else
		kt_out_printf(o, "a retransmit or a reset cannot be told from "
			      "data arriving");
	kt_out_printf(o, ", so inferred time counts half");
}

/* The confidence and what it rests on (docs/causal.md "Confidence"),
 * without its newline. */
static void confidence_sentence(struct kt_out *o, const struct kt_why *w)
{
	const struct kt_cp_path *p = &w->path;
	const struct kt_cp_attr *r = kt_cp_root(p);
	__u64 span = p->end - p->start;
	char d[32], e[32];
	unsigned pc = kt_why_pct10(p->kind_ns[KT_CP_UNKNOWN], span);

	kt_out_printf(o, "confidence %u.%02u: %s of its %s rest on records of the very tasks and requests",
		p->confidence / 1000, p->confidence % 1000 / 10,
		kt_tlf_dur(e, sizeof(e), p->root_evidence_ns),
		kt_tlf_dur(d, sizeof(d), r ? r->ns : 0));
	if (p->kind_ns[KT_CP_UNKNOWN])
		kt_out_printf(o, "; %s of the span (%u.%u%%) is unknown",
			kt_tlf_dur(d, sizeof(d), p->kind_ns[KT_CP_UNKNOWN]),
			pc / 10, pc % 10);
	else
		kt_out_printf(o, "; nothing in the span is unknown");
	blind_sentence(o, w);
}

/* The root cause in one sentence: the first line of the answer, without
 * its newline; nothing when there is no root. */
static void root_sentence(struct kt_out *o, const struct kt_why *w)
{
	const struct kt_cp_path *p = &w->path;
	const struct kt_cp_attr *r = kt_cp_root(p);
	const struct kt_cp_hop *h;
	char t[KT_TLF_MAX], x[KT_TLF_MAX], d[32], sd[32];
	__u64 span = p->end - p->start;
	unsigned pc;

	if (!r)
		return;
	pc = kt_why_pct10(r->ns, span);
	h = &p->hops[r->main_hop];
	kt_tlf_dur(d, sizeof(d), r->ns);
	kt_tlf_dur(sd, sizeof(sd), span);
	kt_out_printf(o, "root cause: ");
	switch (r->kind) {
	case KT_CP_DISK:
		kt_tlf_dev(x, sizeof(x), r->dev, &w->names);
		kt_out_printf(o, "disk I/O on %s, %s of %s (%u.%u%%)", x, d, sd,
			pc / 10, pc % 10);
		break;
	case KT_CP_RUN:
		thr(t, w, r->utid, r->tid);
		if (r->utid == p->utid && r->tid == p->tid)
			kt_out_printf(o, "its own work: %s was running", t);
		else if (h->wait_sys.nr == SYS_futex &&
			 h->waker_sys.nr == SYS_futex)
			kt_out_printf(o, "lock holder's work: %s ran while holding the lock (futex 0x%llx)",
				t, (unsigned long long)h->wait_sys.arg[0]);
		else if (r->pid != w->span.pid)
			kt_out_printf(o, "peer process's work: %s (pid %u) was running", t,
				r->pid);
		else
			kt_out_printf(o, "the work of %s", t);
		kt_out_printf(o, ", %s of %s (%u.%u%%)", d, sd, pc / 10, pc % 10);
		break;
	case KT_CP_RUNNABLE:
		contention_sentence(o, w, r, d, sd, pc);
		break;
	case KT_CP_TIMER:
		kt_out_printf(o, "a timer: sleeping until it expired, %s of %s (%u.%u%%)",
			d, sd, pc / 10, pc % 10);
		break;
	case KT_CP_NET:
		net_sentence(o, w, d, sd, pc);
		break;
	case KT_CP_RETRANS:
		retrans_sentence(o, w, r, d, sd, pc);
		break;
	case KT_CP_IRQ:
		kt_out_printf(o, "an interrupt from an unknown device%s, %s of %s (%u.%u%%)",
			p->blind & 1u << KT_FAM_SYSCALL ? " (or a timer, a "
			"socket or a lock: syscalls were not recorded)" : "",
			d, sd, pc / 10, pc % 10);
		break;
	default:
		kt_out_printf(o, "unknown: %s of %s (%u.%u%%) not explained by the capture "
			"(before it began, or events lost)", d, sd, pc / 10, pc % 10);
	}
}

/* What follows the sentence: the root's own details, the hops that
 * reached it, the next part, the confidence. */
static void root_details(struct kt_out *o, const struct kt_why *w)
{
	const struct kt_cp_path *p = &w->path;
	const struct kt_cp_attr *r = kt_cp_root(p);
	const struct kt_cp_seg *s;
	char t[KT_TLF_MAX], x[KT_TLF_MAX], d[32];
	__u64 span = p->end - p->start;
	unsigned pc;

	switch (r->kind) {
	case KT_CP_DISK:
		if ((s = largest_request(p, r->dev)))
			kt_out_printf(o, "  largest request: %s, %s\n",
				kt_tlf_blk(x, sizeof(x), &s->blk, &w->names),
				kt_why_blk_origin(t, sizeof(t), w, &s->blk));
		break;
	case KT_CP_RUNNABLE:
		contention_details(o, w, r);
		break;
	case KT_CP_NET:
		net_details(o, w);
		break;
	case KT_CP_RETRANS:
		retrans_details(o, w, r);
		break;
	}
	kt_why_print_through(o, w, r->main_hop);
	if (p->nattr > 1 && kt_why_pct10(p->attr[1].ns, span) >= 100) {
		char words[KT_TLF_MAX + 40];

		kt_why_attr_words(words, sizeof(words), w, &p->attr[1]);
		pc = kt_why_pct10(p->attr[1].ns, span);
		kt_out_printf(o, "  next: %s, %s (%u.%u%%)\n", words,
			kt_tlf_dur(d, sizeof(d), p->attr[1].ns), pc / 10, pc % 10);
	}
	kt_out_printf(o, "  ");
	confidence_sentence(o, w);
	kt_out_printf(o, "\n");
}

static void print_root(struct kt_out *o, const struct kt_why *w)
{
	if (!kt_cp_root(&w->path))
		return;
	root_sentence(o, w);
	kt_out_printf(o, "\n");
	root_details(o, w);
}

/* What @fn prints, as a string (malloc'd); NULL with errno ENOMEM. */
static char *sentence(const struct kt_why *w,
		      void (*fn)(struct kt_out *, const struct kt_why *))
{
	struct kt_out o;

	if (kt_out_init(&o, -1, 256)) {
		errno = ENOMEM;
		return NULL;
	}
	fn(&o, w);
	kt_out_ch(&o, 0);
	if (o.err) {
		kt_out_release(&o);
		errno = ENOMEM;
		return NULL;
	}
	return o.buf;
}

char *kt_why_root_sentence(const struct kt_why *w)
{
	return sentence(w, root_sentence);
}

char *kt_why_confidence_sentence(const struct kt_why *w)
{
	return sentence(w, confidence_sentence);
}

char *kt_why_span_sentence(const struct kt_why *w)
{
	return sentence(w, span_sentence);
}

int kt_why_print(struct kt_out *o, const struct kt_why *w, unsigned flags)
{
	int err;

	print_root(o, w);
	kt_out_printf(o, "\n");
	print_span(o, w);
	print_chain(o, w);
	kt_why_print_attr(o, w);
	err = kt_why_print_segments(o, w, flags & KT_WHY_ALL_SEGMENTS);
	return err ? err : o->err;
}
