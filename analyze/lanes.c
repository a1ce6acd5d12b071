// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lanes.c - a window's timeline as per-thread lanes (see lanes.h):
 * collect what overlaps the window, clip the intervals, find the names
 * of their fds, sort (xsort.h: in memory, or in runs on disk), and hand
 * out lane by lane.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "lanes.h"
#include "fds.h"
#include "map.h"
#include "names.h"
#include "xsort.h"

#define MAX_FDS 3       /* fd questions of a syscall: its fd, or two made */

/* An item as sorted: the item, what its fds named, the names' bytes. */
struct lrec {
	struct kt_lane_item it;
	__u32 nfd;
	__u32 names;            /* bytes after fd[nfd], NUL-terminated names */
	struct kt_fdanswer fd[];
};

/* a lane while gathered: its first interval's and first span's pids */
struct lacc {
	struct kt_lane ln;
	__u32 iv_pid, sp_pid;
	__u64 sp_first;
	__u8 sp_kind;
};

struct kt_lanes_int {
	struct kt_lanes_opts o;
	struct kt_lanes *l;
	struct kt_xsort *xs;
	struct kt_map acc;              /* tid << 32 | utid -> struct lacc */
	struct kt_fdnames *follow;      /* the build's names */
	struct kt_tlf_names names;      /* the disks, the answers of an item */
	bool fd_args;
	__u64 since;
	size_t lane;                    /* handing out: the current lane */
	struct kt_fdanswer ans[MAX_FDS];
	struct lrec *rec;               /* the record being made */
	char nbuf[MAX_FDS * PATH_MAX];  /* its names */
};

static __u64 item_start(const struct kt_lane_item *it)
{
	return it->is_span ? it->sp.start : it->iv.start;
}

/* by thread (tid, then utid), intervals before spans, then by time; spans
 * starting together by kind; the sort keeps the order they came in for
 * the rest */
static int cmp_item(const void *a, const void *b)
{
	const struct kt_lane_item *x = a, *y = b;
	__u64 sx = item_start(x), sy = item_start(y);

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->utid != y->utid)
		return x->utid < y->utid ? -1 : 1;
	if (x->is_span != y->is_span)
		return x->is_span - y->is_span;
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return x->is_span ? (int)x->sp.kind - (int)y->sp.kind : 0;
}

static bool selected(const struct kt_lanes_int *c, __u32 pid, __u32 tid,
		     __u64 start, __u64 end)
{
	if ((c->o.pid && pid != c->o.pid) || (c->o.tid && tid != c->o.tid))
		return false;
	return end >= c->l->w.from && start <= c->l->w.to;
}

/* ------------------------------------------------------------ gather */

/* kt_tlf_names_each: what fd @fd of @pid named at @ts, into the record
 * (its name into c->nbuf) */
static int answer(void *arg, __u32 pid, __s32 fd, __u64 ts)
{
	struct kt_lanes_int *c = arg;
	struct lrec *rec = c->rec;
	struct kt_fdanswer *a;
	struct kt_fd f;
	size_t n;
	int rc;

	if (fd < 0 || rec->nfd == MAX_FDS)
		return 0;
	rc = kt_fdnames_get(c->follow, pid, fd, ts, &f);
	if (rc == -ENOMEM)
		return rc;
	if (rc)
		return 0;       /* not known, or the names stopped */
	n = f.name ? strnlen(f.name, PATH_MAX - 1) : 0;
	memcpy(c->nbuf + rec->names, f.name ? f.name : "", n);
	c->nbuf[rec->names + n] = 0;
	rec->names += (__u32)n + 1;
	a = &rec->fd[rec->nfd++];
	a->pid = pid;
	a->fd = fd;
	a->ts = ts;
	a->what = f;
	a->what.name = NULL;
	return 0;
}

/* the item in c->rec, with its names, to the sort */
static int add(struct kt_lanes_int *c)
{
	struct lrec *rec = c->rec;
	const struct kt_tl_sys *s = NULL;
	__u32 pid = 0;
	size_t len;
	int rc;

	rec->nfd = 0;
	rec->names = 0;
	if (c->follow && !rec->it.is_span && kt_tl_is_wait(rec->it.iv.state)) {
		s = &rec->it.iv.sys;
		pid = rec->it.iv.pid;
	} else if (c->follow && rec->it.is_span &&
		   rec->it.sp.kind == KT_SPAN_SYSCALL) {
		s = &rec->it.sp.sys;
		pid = rec->it.sp.pid;
	}
	if (s && (rc = kt_tlf_names_each(pid, s, answer, c)))
		return rc;
	len = sizeof(*rec) + rec->nfd * sizeof(rec->fd[0]);
	memcpy((char *)rec + len, c->nbuf, rec->names);
	return kt_xsort_add(c->xs, rec, len + rec->names);
}

/* the item's lane: counts, extent, the pid of its first item */
static int account(struct kt_lanes_int *c, const struct kt_lane_item *it)
{
	bool created;
	struct lacc *a = kt_map_put(&c->acc, (__u64)it->tid << 32 | it->utid,
				    &created);

	if (!a)
		return -ENOMEM;
	if (created) {
		a->ln.utid = it->utid;
		a->ln.tid = it->tid;
		a->ln.lo = ~0ULL;
	}
	c->l->nitems++;
	if (it->is_span) {
		if (!a->ln.nsp++ || it->sp.start < a->sp_first ||
		    (it->sp.start == a->sp_first && it->sp.kind < a->sp_kind)) {
			a->sp_first = it->sp.start;
			a->sp_kind = it->sp.kind;
			a->sp_pid = it->sp.pid;
		}
		return 0;
	}
	if (!a->ln.niv++ || it->iv.start < a->ln.lo)
		a->iv_pid = it->iv.pid;
	if (it->iv.start < a->ln.lo)
		a->ln.lo = it->iv.start;
	if (it->iv.end > a->ln.hi)
		a->ln.hi = it->iv.end;
	return 0;
}

/* an interval counts when it overlaps (from, to) by at least 1 ns */
static int on_iv(const struct kt_tl_interval *iv, void *arg)
{
	struct kt_lanes_int *c = arg;
	const struct kt_window *w = &c->l->w;
	struct kt_lane_item *it = &c->rec->it;
	int rc;

	if (!selected(c, iv->pid, iv->tid, iv->start, iv->end) ||
	    iv->end <= w->from || iv->start >= w->to)
		return 0;
	memset(it, 0, sizeof(*it));
	it->utid = iv->utid;
	it->tid = iv->tid;
	it->is_span = false;
	it->iv = *iv;
	if (it->iv.start < w->from)
		it->iv.start = w->from;
	if (it->iv.end > w->to)
		it->iv.end = w->to;
	rc = account(c, it);
	return rc ? rc : add(c);
}

/* a span counts when it touches [from, to]; spans of no thread (a TCP
 * connection nobody drove) have no lane */
static int on_sp(const struct kt_tl_span *sp, void *arg)
{
	struct kt_lanes_int *c = arg;
	struct kt_lane_item *it = &c->rec->it;
	int rc;

	if (!sp->tid || !selected(c, sp->pid, sp->tid, sp->start, sp->end))
		return 0;
	memset(it, 0, sizeof(*it));
	it->utid = sp->utid;
	it->tid = sp->tid;
	it->is_span = true;
	it->sp = *sp;
	it->sp.ev = NULL;
	rc = account(c, it);
	return rc ? rc : add(c);
}

static int cmp_lane(const void *a, const void *b)
{
	const struct kt_lane *x = *(const struct kt_lane * const *)a;
	const struct kt_lane *y = *(const struct kt_lane * const *)b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return (x->utid > y->utid) - (x->utid < y->utid);
}

/* the gathered lanes, in order, into l->lanes */
static int lanes_out(struct kt_lanes_int *c)
{
	struct kt_lanes *l = c->l;
	size_t n;
	void **v = kt_map_sorted(&c->acc, &n, cmp_lane);

	if (!v)
		return n ? -ENOMEM : 0;
	l->lanes = calloc(n, sizeof(*l->lanes));
	if (!l->lanes) {
		free(v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct lacc *a = v[i];
		struct kt_lane *ln = &l->lanes[i];

		*ln = a->ln;
		ln->pid = ln->niv ? a->iv_pid : a->sp_pid;
		if (!ln->niv)
			ln->lo = 0;
	}
	l->nlanes = n;
	free(v);
	kt_map_release(&c->acc);
	return 0;
}

/* the names of the build: a follow reader from the horizon before the
 * reach (or the capture's start), and the disks */
static int names_open(struct kt_lanes_int *c, struct kt_reader *r,
		      struct kt_err *err)
{
	struct kt_info info;
	__u64 start, stop;
	int rc;

	c->names.disks = kt_disks_new(kt_reader_meta(r));
	c->names.fds = kt_fdnames_batch();
	if (!c->names.disks || !c->names.fds)
		return -ENOMEM;
	if (!c->o.names)
		return 0;
	rc = kt_fdnames_follow(&c->follow, r, err);
	if (rc)
		return rc;
	kt_reader_info(r, &info);
	kt_window_reach(&c->l->w, &info, &start, &stop);
	if (!c->o.fd_history)
		rc = kt_fdnames_limit(c->follow, start, KT_FDS_HISTORY_BYTES, err);
	c->fd_args = kt_fdnames_fd_args(c->follow);
	c->since = kt_fdnames_since(c->follow);
	return rc;
}

int kt_lanes_build(struct kt_reader *r, const struct kt_window *w,
		   const struct kt_lanes_opts *o, struct kt_lanes *l,
		   struct kt_err *err)
{
	static const struct kt_tl_ops ops = { .interval = on_iv, .span = on_sp };
	struct kt_xsort_opts xo = { .cmp = cmp_item };
	struct kt_lanes_int *c;
	int rc;

	memset(l, 0, sizeof(*l));
	l->w = *w;
	c = l->in = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->o = *o;
	c->l = l;
	kt_map_init(&c->acc, sizeof(struct lacc));
	xo.mem = o->mem ? o->mem : KT_LANES_MEM;
	c->xs = kt_xsort_new(&xo);
	c->rec = malloc(KT_XSORT_MAX_REC);
	if (!c->xs || !c->rec)
		return errno == EINVAL ? -EINVAL : -ENOMEM;
	rc = names_open(c, r, err);
	if (!rc)
		rc = kt_window_timeline(r, w, &ops, c, err);
	kt_fdnames_free(c->follow);
	c->follow = NULL;
	if (!rc)
		rc = kt_xsort_finish(c->xs);
	return rc ? rc : lanes_out(c);
}

/* ------------------------------------------------------------ hand out */

int kt_lanes_next(struct kt_lanes *l, const struct kt_lane_item **it,
		  size_t *lane, const struct kt_tlf_names **nm)
{
	struct kt_lanes_int *c = l->in;
	const struct lrec *rec;
	const char *name;
	const void *p;
	size_t len;
	int rc;

	rc = kt_xsort_next(c->xs, &p, &len);
	if (rc <= 0)
		return rc;
	rec = p;
	while (c->lane < l->nlanes &&
	       (l->lanes[c->lane].tid != rec->it.tid ||
		l->lanes[c->lane].utid != rec->it.utid))
		c->lane++;
	if (c->lane == l->nlanes)
		return -EIO;    /* an item of no lane: the sort went wrong */
	name = (const char *)&rec->fd[rec->nfd];
	for (__u32 i = 0; i < rec->nfd; i++) {
		c->ans[i] = rec->fd[i];
		c->ans[i].what.name = name;
		name += strlen(name) + 1;
	}
	if (kt_fdnames_preset(c->names.fds, c->fd_args, c->ans, rec->nfd))
		return -ENOMEM;
	*it = &rec->it;
	*lane = c->lane;
	*nm = &c->names;
	return 1;
}

__u64 kt_lanes_fd_since(const struct kt_lanes *l)
{
	return l->in ? l->in->since : 0;
}

const char *kt_lanes_tmpdir(const struct kt_lanes *l)
{
	return l->in && l->in->xs ? kt_xsort_dir(l->in->xs) : "/tmp";
}

__u64 kt_lanes_spilled(const struct kt_lanes *l)
{
	struct kt_xsort_stats st = { 0 };

	if (l->in && l->in->xs)
		kt_xsort_stats(l->in->xs, &st);
	return st.spilled;
}

void kt_lanes_release(struct kt_lanes *l)
{
	struct kt_lanes_int *c = l->in;

	if (c) {
		kt_xsort_free(c->xs);
		kt_map_release(&c->acc);
		kt_fdnames_free(c->follow);
		kt_tlf_names_release(&c->names);
		free(c->rec);
		free(c);
	}
	free(l->lanes);
	memset(l, 0, sizeof(*l));
}
