// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tasks.c - the task table: threads by stable id (utid) and by tid.
 *
 * Tasks live in a two-level array indexed by utid (pages of 1024 slots, so
 * a sparse keyframe costs memory by the tasks it has, not by its largest
 * utid) and an open-addressing map from tid to the newest utid with that
 * tid.  Map entries are replaced, never removed: an exited task stays
 * findable by tid until the tid is reused.
 */
#include <stdlib.h>
#include "format_int.h"

#define PAGE_SHIFT 10
#define PAGE_SLOTS (1u << PAGE_SHIFT)

struct tid_slot {
	__u32 tid;
	__u32 utid;             /* 0 = empty */
};

struct kt_tasks {
	struct kt_task ***pages;    /* pages[utid >> 10][utid & 1023] */
	__u32 npages;
	__u32 next_utid;
	__u32 count;
	struct tid_slot *map;
	__u32 map_cap;              /* power of two */
	__u32 map_used;
	void **old;                 /* replaced strings and tasks, freed last:
				     * pointers handed out stay valid for the
				     * life of the table */
	size_t nold, oldcap;
};

static char empty_str[1];


struct kt_tasks *kt_tasks_new(void)
{
	struct kt_tasks *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->next_utid = 1;
	return (struct kt_tasks *)t;
}

static void free_strs(struct kt_task *k)
{
	if (k->comm != empty_str)
		free((char *)k->comm);
	if (k->exe != empty_str)
		free((char *)k->exe);
	if (k->cmdline != empty_str)
		free((char *)k->cmdline);
	if (k->cgroup != empty_str)
		free((char *)k->cgroup);
}

void kt_tasks_free(struct kt_tasks *tt)
{
	struct kt_tasks *t = tt;

	if (!t)
		return;
	for (__u32 p = 0; p < t->npages; p++) {
		if (!t->pages[p])
			continue;
		for (__u32 i = 0; i < PAGE_SLOTS; i++) {
			if (t->pages[p][i]) {
				free_strs(t->pages[p][i]);
				free(t->pages[p][i]);
			}
		}
		free(t->pages[p]);
	}
	free(t->pages);
	free(t->map);
	for (size_t i = 0; i < t->nold; i++)
		free(t->old[i]);
	free(t->old);
	free(t);
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
	}
	return &t->pages[p][utid & (PAGE_SLOTS - 1)];
}

/* retire - keep @p until the table is freed. */
static int retire(struct kt_tasks *t, void *p)
{
	if (!p || p == empty_str)
		return 0;
	if (t->nold == t->oldcap) {
		size_t n = t->oldcap ? t->oldcap * 2 : 64;
		void **o = realloc(t->old, n * sizeof(*o));

		if (!o)
			return -ENOMEM;
		t->old = o;
		t->oldcap = n;
	}
	t->old[t->nold++] = p;
	return 0;
}

/* free_strs_later - retire the strings of a replaced task (retire() of
 * the task itself succeeded, so there is room: best effort beyond). */
static void free_strs_later(struct kt_tasks *t, struct kt_task *k)
{
	retire(t, (void *)k->comm);
	retire(t, (void *)k->exe);
	retire(t, (void *)k->cmdline);
	retire(t, (void *)k->cgroup);
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

/* dup_bytes - a NUL-terminated copy of @n bytes (the shared "" when empty). */
static char *dup_bytes(const char *s, size_t n)
{
	char *p;

	if (!s || !n)
		return empty_str;
	p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

/* set_str - replace the owned string *@dst by a copy of @s/@n. */
static int set_str(struct kt_tasks *t, const char **dst, const char *s,
		   size_t n)
{
	char *p = dup_bytes(s, n);

	if (!p)
		return -ENOMEM;
	if (t && retire(t, (void *)*dst)) {
		if (p != empty_str)
			free(p);
		return -ENOMEM;
	}
	*dst = p;
	return 0;
}

/* put_task - store a copy of @src under src->utid (replacing any task
 * there) and make it the newest task of its tid. */
static int put_task(struct kt_tasks *t, const struct kt_task *src,
		    struct kt_task **out)
{
	struct kt_task **slot, *k;
	int err = -ENOMEM;

	if (src->utid == 0 || src->utid >= KT_MAX_UTID)
		return -EINVAL;
	slot = slot_make(t, src->utid);
	if (!slot)
		return -ENOMEM;
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	*k = *src;
	k->comm = k->exe = k->cmdline = k->cgroup = NULL;
	if (set_str(NULL, &k->comm, src->comm, src->comm ? strlen(src->comm) : 0) ||
	    set_str(NULL, &k->exe, src->exe, src->exe ? strlen(src->exe) : 0) ||
	    set_str(NULL, &k->cmdline, src->cmdline, src->cmdline_len) ||
	    set_str(NULL, &k->cgroup, src->cgroup, src->cgroup ? strlen(src->cgroup) : 0))
		goto err_strs;
	if (!src->cmdline)
		k->cmdline_len = 0;
	/* the newest task of a tid is the one with the highest utid, whatever
	 * order the events were applied in */
	err = map_get(t, k->tid) > k->utid ? 0 : map_set(t, k->tid, k->utid);
	if (err)
		goto err_strs;
	if (*slot) {
		if (retire(t, *slot))
			goto err_strs;
		free_strs_later(t, *slot);
	} else {
		t->count++;
	}
	*slot = k;
	if (k->utid >= t->next_utid)
		t->next_utid = k->utid + 1;
	if (out)
		*out = k;
	return 0;
err_strs:
	free_strs(k);
	free(k);
	return err;
}

int kt_tasks_add(struct kt_tasks *tt, const struct kt_task *task)
{
	struct kt_tasks *t = tt;
	struct kt_task copy = *task;

	if (!copy.utid)
		copy.utid = t->next_utid;
	return put_task(t, &copy, NULL);
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

/* create - a new task for @tid, with utid @hint or the next free one; the
 * task @hint when it exists already (the writer said which one). */
static int create(struct kt_tasks *t, __u32 hint, __u32 tid, __u32 pid,
		  const struct kt_task *like, struct kt_task **out)
{
	struct kt_task n = { 0 };

	if (hint && (*out = slot_get(t, hint)))
		return 0;
	n.utid = hint && hint < KT_MAX_UTID ? hint : t->next_utid;
	n.tid = tid;
	n.pid = pid;
	if (like) {
		n.comm = like->comm;
		n.exe = like->exe;
		n.cmdline = like->cmdline;
		n.cmdline_len = like->cmdline_len;
		n.cgroup = like->cgroup;
		n.flags = like->flags & KT_TASK_KTHREAD;
	}
	return put_task(t, &n, out);
}

/* subject - the task of ev's tid, created when unknown. */
static int subject(struct kt_tasks *t, const struct kt_event *ev,
		   __u32 hint, struct kt_task **out)
{
	__u32 utid = hint ? hint : map_get(t, ev->tid);

	*out = utid ? slot_get(t, utid) : NULL;
	if (*out)
		return 0;
	return create(t, hint, ev->tid, ev->pid, NULL, out);
}

static int apply_fork(struct kt_tasks *t, const struct kt_event *ev,
		      __u32 subj_hint, __u32 child_hint, __u32 *utid)
{
	struct kt_task *parent, *child;
	const char *s;
	size_t n;
	__u32 putid;
	int err;

	err = subject(t, ev, subj_hint, &parent);
	if (err)
		return err;
	putid = parent->utid;
	err = create(t, child_hint, ev->fork.child_tid, ev->fork.child_pid,
		     parent, &child);
	if (err)
		return err;
	parent = slot_get(t, putid);
	child->ppid = ev->fork.flags & KT_FORK_THREAD ? parent->ppid : ev->pid;
	if (ev->fork.flags & KT_FORK_INSCOPE)
		child->flags |= KT_TASK_INSCOPE;
	child->start_ns = ev->ts;
	s = kt_event_str(ev, ev->fork.child_comm_str, &n);
	if (n)
		err = set_str(t, &child->comm, s, strnlen(s, n));
	*utid = putid;
	return err;
}

static int apply_exec(struct kt_tasks *t, const struct kt_event *ev,
		      __u32 hint, __u32 *utid)
{
	struct kt_task *k, *old;
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
	k->pid = ev->pid;
	s = kt_event_str(ev, ev->exec.filename_str, &n);
	if (n && (err = set_str(t, &k->exe, s, strnlen(s, n))))
		return err;
	s = kt_event_str(ev, ev->exec.argv_str, &n);
	if ((err = set_str(t, &k->cmdline, s, n)))
		return err;
	k->cmdline_len = n;
	s = kt_event_str(ev, ev->exec.comm_str, &n);
	if (n && (err = set_str(t, &k->comm, s, strnlen(s, n))))
		return err;
	*utid = k->utid;
	return 0;
}

int kt_tasks_apply_hint(struct kt_tasks *tt, const struct kt_event *ev,
			__u32 subj_utid, __u32 child_utid, __u32 *utid)
{
	struct kt_tasks *t = tt;
	struct kt_task *k;
	const char *s;
	size_t n;
	__u32 u;
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
		if (n)
			err = set_str(t, &k->comm, s, strnlen(s, n));
		*utid = k->utid;
		return err;
	case KT_PROC_EXIT:
		u = subj_utid ? subj_utid : map_get(t, ev->tid);
		k = u ? slot_get(t, u) : NULL;
		if (k) {
			k->end_ns = ev->ts;
			k->exit_code = ev->exit.exit_code;
			*utid = k->utid;
		}
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
	return put_task(arg, k, NULL);
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

/*
 * Keyframe body: next_utid u32, count u32, then per task (utid order):
 * varints utid tid pid ppid start_ns end_ns zigzag(exit_code) flags, then
 * comm exe cmdline cgroup each as varint length + bytes.
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
	err = kt_tasks_foreach(t, enc_one, &c);
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

int kt_tasks_decode(const unsigned char *p, size_t n, struct kt_tasks **out)
{
	const unsigned char *end = p + n;
	struct kt_tasks *t;
	__u32 next, cnt, l[4];
	const char *s[4];
	char *cs[4] = { NULL };
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
		err = -ENOMEM;
		for (int j = 0; j < 4; j++)
			if (!(cs[j] = dup_bytes(s[j], l[j])))
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
		err = put_task(t, &k, NULL);
		for (int j = 0; j < 4; j++) {
			if (cs[j] != empty_str)
				free(cs[j]);
			cs[j] = NULL;
		}
		if (err)
			goto err_free;
		err = -EBADMSG;
	}
	t->next_utid = next ? next : 1;
	*out = t;
	return 0;
err_free:
	for (int j = 0; j < 4; j++)
		if (cs[j] && cs[j] != empty_str)
			free(cs[j]);
	kt_tasks_free(t);
	return err;
}
