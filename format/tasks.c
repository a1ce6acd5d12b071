// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tasks.c - the task table: threads by stable id (utid) and by tid.
 *
 * Tasks live in slabs of KT_SLAB_TASKS (a task costs its struct, not a
 * heap block), reached through a two-level array indexed by utid (pages of
 * 1024 pointers, so a sparse keyframe costs memory by the tasks it has, not
 * by its largest utid), and an open-addressing map from tid to the newest
 * utid with that tid.  Map entries are replaced, never removed: an exited
 * task stays findable by tid until the tid is reused.  A task is updated
 * in place, also when kt_tasks_add() replaces it, and its strings are
 * interned (strpool.c): a replaced string stays valid, and a thousand
 * tasks running one program share its name, image and command line.
 *
 * Proc events may be applied out of time order: the writer applies them in
 * arrival order, and events from one CPU's ring reach it a frame later than
 * those of another; a seek applies a keyframe and then frames in file
 * order.  So that every order gives the table the time-ordered reading
 * gives, updates are last-writer-wins by event time (a task remembers when
 * its name and its image were set), and a fork adopts the task that events
 * of its child created before the fork itself arrived (docs/format.md
 * "Task table").
 */
#include <stdlib.h>
#include "format_int.h"

#define PAGE_SHIFT 10
#define PAGE_SLOTS (1u << PAGE_SHIFT)
#define KT_SLAB_TASKS 256

struct tid_slot {
	__u32 tid;
	__u32 utid;             /* 0 = empty */
};

/* A task with what the table needs to apply events in any order; slots
 * point at .k, the first member. */
struct tent {
	struct kt_task k;
	__u64 seen_ns;          /* made by an exec/comm of a tid with no fork
				 * applied yet, at this time; 0 otherwise */
	__u64 name_ns;          /* time of the event that set comm */
	__u64 exec_ns;          /* time of the event that set exe, cmdline */
};

struct tslab {
	struct tslab *next;
	__u32 used;
	struct tent t[KT_SLAB_TASKS];
};

struct kt_tasks {
	struct kt_task ***pages;    /* pages[utid >> 10][utid & 1023] */
	__u32 npages;
	__u32 npages_made;          /* pages allocated */
	__u32 next_utid;
	__u32 count;
	struct tid_slot *map;
	__u32 map_cap;              /* power of two */
	__u32 map_used;
	struct tslab *slabs;        /* newest first; tasks are never freed
				     * before the table */
	__u32 nslabs;
	struct kt_strpool strs;     /* every string a task points at */
	const json_t *hosts;        /* merge.hosts of the capture (borrowed from
				     * its reader's metadata), NULL: one host */
};

static struct tent *tent_of(const struct kt_task *k)
{
	return (struct tent *)k;
}


void kt_tasks_set_hosts(struct kt_tasks *t, const json_t *meta)
{
	const json_t *h = json_object_get(json_object_get(meta, "merge"),
					  "hosts");

	if (t)
		t->hosts = json_is_array(h) && json_array_size(h) ? h : NULL;
}

const char *kt_tasks_host(const struct kt_tasks *t, __u32 tid, __u32 *host_tid)
{
	const json_t *id;

	if (!t || !t->hosts || !tid)
		return NULL;
	id = json_object_get(json_array_get(t->hosts, tid >> KT_HOST_TID_BITS),
			     "id");
	if (!json_is_string(id))
		return NULL;
	*host_tid = tid & ((1u << KT_HOST_TID_BITS) - 1);
	return json_string_value(id);
}

struct kt_tasks *kt_tasks_new(void)
{
	struct kt_tasks *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->next_utid = 1;
	return (struct kt_tasks *)t;
}

void kt_tasks_free(struct kt_tasks *t)
{
	struct tslab *sl, *next;

	if (!t)
		return;
	for (__u32 p = 0; p < t->npages; p++)
		free(t->pages[p]);
	free(t->pages);
	free(t->map);
	for (sl = t->slabs; sl; sl = next) {
		next = sl->next;
		free(sl);
	}
	kt_strpool_release(&t->strs);
	free(t);
}

void kt_tasks_stats(const struct kt_tasks *t, struct kt_tasks_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->tasks = t->count;
	st->strings = t->strs.n;
	st->string_bytes = t->strs.str_bytes;
	st->bytes = sizeof(*t) + t->npages * sizeof(*t->pages) +
		    (size_t)t->npages_made * PAGE_SLOTS * sizeof(**t->pages) +
		    (size_t)t->map_cap * sizeof(*t->map) +
		    (size_t)t->nslabs * sizeof(struct tslab) + t->strs.bytes;
}

static struct kt_task *slot_get(const struct kt_tasks *t, __u32 utid)
{
	__u32 p = utid >> PAGE_SHIFT;

	if (p >= t->npages || !t->pages[p])
		return NULL;
	return t->pages[p][utid & (PAGE_SLOTS - 1)];
}

static struct kt_task **slot_make(struct kt_tasks *t, __u32 utid)
{
	__u32 p = utid >> PAGE_SHIFT;

	if (p >= t->npages) {
		__u32 n = t->npages ? t->npages : 4;
		struct kt_task ***np;

		while (n <= p)
			n *= 2;
		np = realloc(t->pages, n * sizeof(*np));
		if (!np)
			return NULL;
		memset(np + t->npages, 0, (n - t->npages) * sizeof(*np));
		t->pages = np;
		t->npages = n;
	}
	if (!t->pages[p]) {
		t->pages[p] = calloc(PAGE_SLOTS, sizeof(struct kt_task *));
		if (!t->pages[p])
			return NULL;
		t->npages_made++;
	}
	return &t->pages[p][utid & (PAGE_SLOTS - 1)];
}

static __u32 tid_hash(__u32 tid)
{
	return tid * 2654435761u;
}

static int map_set(struct kt_tasks *t, __u32 tid, __u32 utid)
{
	__u32 i;

	if ((t->map_used + 1) * 2 > t->map_cap) {
		__u32 ncap = t->map_cap ? t->map_cap * 2 : 256;
		struct tid_slot *nm = calloc(ncap, sizeof(*nm));

		if (!nm)
			return -ENOMEM;
		for (__u32 j = 0; j < t->map_cap; j++) {
			if (!t->map[j].utid)
				continue;
			i = tid_hash(t->map[j].tid) & (ncap - 1);
			while (nm[i].utid)
				i = (i + 1) & (ncap - 1);
			nm[i] = t->map[j];
		}
		free(t->map);
		t->map = nm;
		t->map_cap = ncap;
	}
	i = tid_hash(tid) & (t->map_cap - 1);
	while (t->map[i].utid && t->map[i].tid != tid)
		i = (i + 1) & (t->map_cap - 1);
	if (!t->map[i].utid)
		t->map_used++;
	t->map[i].tid = tid;
	t->map[i].utid = utid;
	return 0;
}

static __u32 map_get(const struct kt_tasks *t, __u32 tid)
{
	__u32 i;

	if (!t->map_cap)
		return 0;
	i = tid_hash(tid) & (t->map_cap - 1);
	while (t->map[i].utid) {
		if (t->map[i].tid == tid)
			return t->map[i].utid;
		i = (i + 1) & (t->map_cap - 1);
	}
	return 0;
}

/* set_str - point *@dst at the interned copy of @s/@n (the old string
 * stays in the pool: pointers handed out stay valid). */
static int set_str(struct kt_tasks *t, const char **dst, const char *s,
		   size_t n)
{
	const char *p = kt_strpool_intern(&t->strs, s, n);

	if (!p)
		return -ENOMEM;
	*dst = p;
	return 0;
}

/* tent_new - a zeroed task from the newest slab, or NULL. */
static struct tent *tent_new(struct kt_tasks *t)
{
	struct tslab *sl = t->slabs;

	if (!sl || sl->used == KT_SLAB_TASKS) {
		sl = malloc(sizeof(*sl));
		if (!sl)
			return NULL;
		sl->used = 0;
		sl->next = t->slabs;
		t->slabs = sl;
		t->nslabs++;
	}
	memset(&sl->t[sl->used], 0, sizeof(sl->t[0]));
	return &sl->t[sl->used++];
}

/* put_task - store a copy of @src under src->utid (replacing any task
 * there, in place) and make it the newest task of its tid. */
static int put_task(struct kt_tasks *t, const struct kt_task *src,
		    const struct tent *times, struct kt_task **out)
{
	struct kt_task **slot, k = *src;
	struct tent *te;
	int err;

	if (src->utid == 0 || src->utid >= KT_MAX_UTID)
		return -EINVAL;
	slot = slot_make(t, src->utid);
	if (!slot)
		return -ENOMEM;
	if (!src->cmdline)
		k.cmdline_len = 0;
	if (set_str(t, &k.comm, src->comm, src->comm ? strlen(src->comm) : 0) ||
	    set_str(t, &k.exe, src->exe, src->exe ? strlen(src->exe) : 0) ||
	    set_str(t, &k.cmdline, src->cmdline, k.cmdline_len) ||
	    set_str(t, &k.cgroup, src->cgroup, src->cgroup ? strlen(src->cgroup) : 0))
		return -ENOMEM;
	te = *slot ? tent_of(*slot) : tent_new(t);
	if (!te)
		return -ENOMEM;
	/* the newest task of a tid is the one with the highest utid, whatever
	 * order the events were applied in */
	err = map_get(t, k.tid) > k.utid ? 0 : map_set(t, k.tid, k.utid);
	if (err) {
		if (!*slot)
			t->slabs->used--;       /* tent_new's, unused */
		return err;
	}
	if (!*slot)
		t->count++;
	te->k = k;
	te->seen_ns = times ? times->seen_ns : 0;
	te->name_ns = times ? times->name_ns : 0;
	te->exec_ns = times ? times->exec_ns : 0;
	*slot = &te->k;
	if (k.utid >= t->next_utid)
		t->next_utid = k.utid + 1;
	if (out)
		*out = &te->k;
	return 0;
}

int kt_tasks_add(struct kt_tasks *tt, const struct kt_task *task)
{
	struct kt_tasks *t = tt;
	struct kt_task copy = *task;

	if (!copy.utid)
		copy.utid = t->next_utid;
	return put_task(t, &copy, NULL, NULL);
}

const struct kt_task *kt_tasks_find(const struct kt_tasks *tt, __u32 tid)
{
	const struct kt_tasks *t = tt;
	__u32 utid = map_get(t, tid);

	return utid ? slot_get(t, utid) : NULL;
}

const struct kt_task *kt_tasks_get(const struct kt_tasks *tt, __u32 utid)
{
	return slot_get(tt, utid);
}

int kt_tasks_foreach(const struct kt_tasks *tt,
		     int (*fn)(const struct kt_task *task, void *arg), void *arg)
{
	const struct kt_tasks *t = tt;
	int rc;

	for (__u32 p = 0; p < t->npages; p++) {
		if (!t->pages[p])
			continue;
		for (__u32 i = 0; i < PAGE_SLOTS; i++) {
			if (!t->pages[p][i])
				continue;
			rc = fn(t->pages[p][i], arg);
			if (rc)
				return rc;
		}
	}
	return 0;
}

__u32 kt_tasks_count(const struct kt_tasks *tt)
{
	return (tt)->count;
}

__u32 kt_tasks_next_utid(const struct kt_tasks *tt)
{
	return (tt)->next_utid;
}

void kt_tasks_set_next_utid(struct kt_tasks *tt, __u32 next)
{
	struct kt_tasks *t = tt;

	if (next > t->next_utid && next <= KT_MAX_UTID)
		t->next_utid = next;
}

/* create - a new task for @tid with utid @hint, or the next free one;
 * @seen: the time of the event that made it when that is not a fork. */
static int create(struct kt_tasks *t, __u32 hint, __u32 tid, __u32 pid,
		  __u64 seen, struct kt_task **out)
{
	struct kt_task n = { 0 };
	struct tent times = { .seen_ns = seen };

	n.utid = hint && hint < KT_MAX_UTID ? hint : t->next_utid;
	n.tid = tid;
	n.pid = pid;
	return put_task(t, &n, &times, out);
}

/* subject - the task of ev's tid (the writer's @hint when given), created
 * when unknown. */
static int subject(struct kt_tasks *t, const struct kt_event *ev,
		   __u32 hint, struct kt_task **out)
{
	__u32 utid = hint ? hint : map_get(t, ev->tid);

	*out = utid ? slot_get(t, utid) : NULL;
	if (*out)
		return 0;
	return create(t, hint, ev->tid, ev->pid, ev->ts, out);
}

/* Within this distance of a fork, a live task of the /proc snapshot with
 * the child's tid started at the fork: /proc start times count in 10 ms
 * ticks, and the snapshot is taken after the programs are attached, so a
 * task forked meanwhile is in both. */
#define KT_SNAP_START_SLACK 20000000ULL

/* adoptable - whether @k, the task of the fork child's tid, is the child
 * itself: made by the child's own events that were applied before its
 * fork (they came earlier from another CPU's ring), or the snapshot's
 * record of a child forked while the snapshot was taken. */
static bool adoptable(const struct kt_task *k, __u64 fork_ts)
{
	const struct tent *te = tent_of(k);

	if (te->seen_ns)
		return te->seen_ns >= fork_ts &&
		       (!k->end_ns || k->end_ns >= fork_ts);
	return (k->flags & KT_TASK_SNAPSHOT) && !k->end_ns && k->start_ns &&
	       k->start_ns + KT_SNAP_START_SLACK >= fork_ts &&
	       fork_ts + KT_SNAP_START_SLACK >= k->start_ns;
}

/* fork_child - the child of fork @ev: the task the writer named (@hint),
 * an adoptable one, or a new one. */
static int fork_child(struct kt_tasks *t, const struct kt_event *ev,
		      __u32 hint, struct kt_task **out)
{
	__u32 u = hint ? hint : map_get(t, ev->fork.child_tid);

	*out = u ? slot_get(t, u) : NULL;
	if (*out && (hint || adoptable(*out, ev->ts)))
		return 0;
	return create(t, hint, ev->fork.child_tid, ev->fork.child_pid, 0, out);
}

/* set_newer - set the string *@dst (of @k) from @s/@n when the event at
 * @ts is not older than what set it (*@at); n == 0 keeps the string. */
static int set_newer(struct kt_tasks *t, const char **dst, __u64 *at,
		     __u64 ts, const char *s, size_t n)
{
	if (ts < *at)
		return 0;
	*at = ts;
	return n ? set_str(t, dst, s, n) : 0;
}

static int apply_fork(struct kt_tasks *t, const struct kt_event *ev,
		      __u32 subj_hint, __u32 child_hint, __u32 *utid)
{
	struct kt_task *parent, *child;
	struct tent *ct;
	const char *s;
	size_t n;
	__u32 putid;
	int err;

	err = subject(t, ev, subj_hint, &parent);
	if (err)
		return err;
	putid = parent->utid;
	err = fork_child(t, ev, child_hint, &child);
	if (err)
		return err;
	parent = slot_get(t, putid);
	ct = tent_of(child);
	ct->seen_ns = 0;
	child->pid = ev->fork.child_pid;
	child->ppid = ev->fork.flags & KT_FORK_THREAD ? parent->ppid : ev->pid;
	if (ev->fork.flags & KT_FORK_INSCOPE)
		child->flags |= KT_TASK_INSCOPE;
	child->start_ns = ev->ts;
	child->flags |= parent->flags & KT_TASK_KTHREAD;
	if (!*child->cgroup)
		err = set_str(t, &child->cgroup, parent->cgroup,
			      strlen(parent->cgroup));
	/* the child's name and image at the fork are its parent's, unless
	 * events after the fork (applied first) renamed it */
	s = kt_event_str(ev, ev->fork.child_comm_str, &n);
	n = strnlen(s, n);
	if (!n) {
		s = parent->comm;
		n = strlen(s);
	}
	if (!err)
		err = set_newer(t, &child->comm, &ct->name_ns, ev->ts, s, n);
	if (!err && ev->ts >= ct->exec_ns) {
		child->cmdline_len = parent->cmdline_len;
		err = set_newer(t, &child->exe, &ct->exec_ns, ev->ts,
				parent->exe, strlen(parent->exe)) ?:
		      set_str(t, &child->cmdline, parent->cmdline,
			      parent->cmdline_len);
	}
	*utid = putid;
	return err;
}

static int apply_exec(struct kt_tasks *t, const struct kt_event *ev,
		      __u32 hint, __u32 *utid)
{
	struct kt_task *k, *old;
	struct tent *te;
	const char *s;
	size_t n;
	__u32 oldu;
	int err;

	if (ev->exec.old_tid && ev->exec.old_tid != ev->tid) {
		/* a non-leader thread exec'd and took over the leader's tid:
		 * the thread it was is gone */
		oldu = map_get(t, ev->exec.old_tid);
		old = oldu ? slot_get(t, oldu) : NULL;
		if (old && !old->end_ns)
			old->end_ns = ev->ts;
	}
	err = subject(t, ev, hint, &k);
	if (err)
		return err;
	te = tent_of(k);
	k->pid = ev->pid;
	*utid = k->utid;
	if (ev->ts >= te->exec_ns) {
		s = kt_event_str(ev, ev->exec.filename_str, &n);
		if (n && (err = set_str(t, &k->exe, s, strnlen(s, n))))
			return err;
		s = kt_event_str(ev, ev->exec.argv_str, &n);
		if ((err = set_str(t, &k->cmdline, s, n)))
			return err;
		k->cmdline_len = n;
		te->exec_ns = ev->ts;
	}
	s = kt_event_str(ev, ev->exec.comm_str, &n);
	return set_newer(t, &k->comm, &te->name_ns, ev->ts, s, strnlen(s, n));
}

int kt_tasks_apply_hint(struct kt_tasks *tt, const struct kt_event *ev,
			__u32 subj_utid, __u32 child_utid, __u32 *utid)
{
	struct kt_tasks *t = tt;
	struct kt_task *k;
	const char *s;
	size_t n;
	int err = 0;

	*utid = 0;
	switch (ev->kind) {
	case KT_PROC_FORK:
		return apply_fork(t, ev, subj_utid, child_utid, utid);
	case KT_PROC_EXEC:
		return apply_exec(t, ev, subj_utid, utid);
	case KT_PROC_COMM:
		err = subject(t, ev, subj_utid, &k);
		if (err)
			return err;
		s = kt_event_str(ev, ev->comm.comm_str, &n);
		*utid = k->utid;
		return set_newer(t, &k->comm, &tent_of(k)->name_ns, ev->ts, s,
				 strnlen(s, n));
	case KT_PROC_EXIT:
		/* an unknown tid's exit makes its task too: the fork that
		 * comes later (from another CPU's ring) adopts it */
		err = subject(t, ev, subj_utid, &k);
		if (err)
			return err;
		k->end_ns = ev->ts;
		k->exit_code = ev->exit.exit_code;
		*utid = k->utid;
		return 0;
	default:
		*utid = map_get(t, ev->tid);
		return 0;
	}
}

int kt_tasks_apply(struct kt_tasks *t, const struct kt_event *ev,
		   __u32 *utid)
{
	return kt_tasks_apply_hint(t, ev, 0, 0, utid);
}

static int dup_one(const struct kt_task *k, void *arg)
{
	return put_task(arg, k, tent_of(k), NULL);
}

struct kt_tasks *kt_tasks_dup(const struct kt_tasks *src)
{
	struct kt_tasks *t = kt_tasks_new();

	if (!t)
		return NULL;
	if (kt_tasks_foreach(src, dup_one, t)) {
		kt_tasks_free(t);
		return NULL;
	}
	t->next_utid = src->next_utid;
	/* foreach visits in utid order, so a reused tid maps to the newest */
	return t;
}

/* ------------------------------------------------------------ keyframes */

#define KT_KF_TIMES 1           /* tag of the times section */

struct enc_ctx {
	struct kt_buf *b;
	__u64 since;
	__u32 n;
};

static int put_uv(struct kt_buf *b, __u64 v)
{
	int err = kt_buf_grow(b, 10);

	if (err)
		return err;
	b->len = kt_put_uv(b->p + b->len, v) - b->p;
	return 0;
}

static int put_str(struct kt_buf *b, const char *s, size_t n)
{
	return put_uv(b, n) ?: kt_buf_put(b, s, n);
}

static int enc_one(const struct kt_task *k, void *arg)
{
	struct enc_ctx *c = arg;
	struct kt_buf *b = c->b;

	if (k->end_ns && k->end_ns < c->since)
		return 0;
	c->n++;
	return put_uv(b, k->utid) ?: put_uv(b, k->tid) ?: put_uv(b, k->pid) ?:
	       put_uv(b, k->ppid) ?: put_uv(b, k->start_ns) ?:
	       put_uv(b, k->end_ns) ?: put_uv(b, kt_zz(k->exit_code)) ?:
	       put_uv(b, k->flags) ?: put_str(b, k->comm, strlen(k->comm)) ?:
	       put_str(b, k->exe, strlen(k->exe)) ?:
	       put_str(b, k->cmdline, k->cmdline_len) ?:
	       put_str(b, k->cgroup, strlen(k->cgroup));
}

static int enc_times(const struct kt_task *k, void *arg)
{
	struct enc_ctx *c = arg;
	const struct tent *te = tent_of(k);

	if (k->end_ns && k->end_ns < c->since)
		return 0;
	return put_uv(c->b, te->name_ns) ?: put_uv(c->b, te->exec_ns) ?:
	       put_uv(c->b, te->seen_ns);
}

/*
 * Keyframe body: next_utid u32, count u32, then per task (utid order):
 * varints utid tid pid ppid start_ns end_ns zigzag(exit_code) flags, then
 * comm exe cmdline cgroup each as varint length + bytes.  Then the times
 * section: varint 1, and per task in the same order varints name_ns
 * exec_ns seen_ns (struct tent), so that a reader applies the late events
 * after a keyframe as the writer did.  Readers ignore what follows the
 * tasks when they do not know it (files without the section read zeros).
 */
int kt_tasks_encode(const struct kt_tasks *t, __u64 since, struct kt_buf *b)
{
	struct enc_ctx c = { b, since, 0 };
	size_t start = b->len;
	int err;

	err = kt_buf_grow(b, 8);
	if (err)
		return err;
	b->len += 8;
	err = kt_tasks_foreach(t, enc_one, &c) ?: put_uv(b, KT_KF_TIMES) ?:
	      kt_tasks_foreach(t, enc_times, &c);
	if (err)
		return err;
	kt_put32(b->p + start, kt_tasks_next_utid(t));
	kt_put32(b->p + start + 4, c.n);
	return 0;
}

static int get_str(const unsigned char **p, const unsigned char *end,
		   const char **s, __u32 *len)
{
	__u64 n;

	if (kt_get_uv_checked(p, end, &n) || n > (__u64)(end - *p))
		return -EBADMSG;
	*s = (const char *)*p;
	*len = n;
	*p += n;
	return 0;
}

struct dec_ctx {
	const unsigned char *p, *end;
};

static int dec_times(const struct kt_task *k, void *arg)
{
	struct dec_ctx *c = arg;
	struct tent *te = tent_of(k);

	return kt_get_uv_checked(&c->p, c->end, &te->name_ns) ||
	       kt_get_uv_checked(&c->p, c->end, &te->exec_ns) ||
	       kt_get_uv_checked(&c->p, c->end, &te->seen_ns) ? -EBADMSG : 0;
}

/* decode_times - the times section after the tasks; an unknown tag is
 * from a newer writer and ignored. */
static int decode_times(struct kt_tasks *t, const unsigned char *p,
			const unsigned char *end)
{
	struct dec_ctx c = { p, end };
	__u64 tag;

	if (kt_get_uv_checked(&c.p, end, &tag))
		return -EBADMSG;
	if (tag != KT_KF_TIMES)
		return 0;
	return kt_tasks_foreach(t, dec_times, &c);
}

int kt_tasks_decode(const unsigned char *p, size_t n, struct kt_tasks **out)
{
	const unsigned char *end = p + n;
	struct kt_tasks *t;
	__u32 next, cnt, l[4];
	const char *s[4], *cs[4];
	__u64 v[8];
	int err = -EBADMSG;

	if (n < 8)
		return -EBADMSG;
	next = kt_get32(p);
	cnt = kt_get32(p + 4);
	p += 8;
	/* each task takes at least 12 bytes */
	if (cnt > n / 12 || next > KT_MAX_UTID)
		return -EBADMSG;
	t = kt_tasks_new();
	if (!t)
		return -ENOMEM;
	for (__u32 i = 0; i < cnt; i++) {
		struct kt_task k = { 0 };

		for (int j = 0; j < 8; j++)
			if (kt_get_uv_checked(&p, end, &v[j]))
				goto err_free;
		for (int j = 0; j < 4; j++)
			if (get_str(&p, end, &s[j], &l[j]))
				goto err_free;
		if (!v[0] || v[0] >= next)
			goto err_free;
		/* a name ends at its first NUL, as strlen() reads it */
		err = -ENOMEM;
		for (int j = 0; j < 4; j++)
			if (j != 2 && !(cs[j] = kt_strpool_intern(&t->strs, s[j],
						strnlen(s[j], l[j]))))
				goto err_free;
		k.utid = v[0];
		k.tid = v[1];
		k.pid = v[2];
		k.ppid = v[3];
		k.start_ns = v[4];
		k.end_ns = v[5];
		k.exit_code = (__s32)kt_unzz(v[6]);
		k.flags = v[7];
		k.comm = cs[0];
		k.exe = cs[1];
		k.cmdline = s[2];
		k.cmdline_len = l[2];
		k.cgroup = cs[3];
		err = put_task(t, &k, NULL, NULL);
		if (err)
			goto err_free;
		err = -EBADMSG;
	}
	if (p < end && decode_times(t, p, end))
		goto err_free;
	t->next_utid = next ? next : 1;
	*out = t;
	return 0;
err_free:
	kt_tasks_free(t);
	return err;
}
