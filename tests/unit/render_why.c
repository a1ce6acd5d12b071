// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The why picture (render.h, kt_why_scene): its first text is the
 * answer's first line, the culprit's lane comes first and is
 * highlighted, the lanes follow the path; and its size stays bounded
 * however many segments the path has (time summed per pixel, lanes past
 * the cap folded, at most one hand-off line a pixel).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "causal_util.h"
#include "render/render.h"

#define DISK (254u << 20)

/* fsync: db (1) waits for jbd2 (9), which waits for its journal write */
static void fsync_stream(struct cs *s)
{
	cs_init(s);
	cs_task(s, 1, 1, "db");
	cs_task(s, 9, 9, "jbd2/vda-8");
	cs_switch(s, 0, 0, 0, 0, 1);
	cs_switch(s, 0, 1, 0, 9, 0);
	cs_switch(s, 1, 1, 9, KT_STATE_SLEEPING, 0);
	cs_wake(s, 90, 0, 1, 9, KT_CTX_TASK);
	cs_switch(s, 95, 1, 0, 0, 9);
	cs_switch(s, 100, 0, 1, KT_STATE_DISK, 0);
	cs_switch(s, 200, 1, 9, KT_STATE_DISK, 0);
	cs_blk(s, 795, 1, 9, DISK, 123456, 12288, 590);
	cs_wake(s, 800, 1, 0, 9, KT_CTX_HARDIRQ);
	cs_switch(s, 810, 1, 0, 0, 9);
	cs_wake(s, 900, 1, 9, 1, KT_CTX_TASK);
	cs_switch(s, 950, 0, 0, 0, 1);
	cs_sys(s, 1000, 0, 1, SYS_fsync, 950, 0, 5, KT_FILE_ID(S_IFREG, 77),
	       KT_SYSCALL_BLOCKED);
}

/* a lock: the waiter (1) waits for the holder (2) */
static void lock_stream(struct cs *s)
{
	cs_init(s);
	cs_task(s, 1, 7, "waiter");
	cs_task(s, 2, 7, "holder");
	cs_switch(s, 0, 0, 0, 0, 1);
	cs_switch(s, 0, 1, 0, 0, 2);
	cs_switch(s, 100, 0, 1, KT_STATE_SLEEPING, 0);
	cs_wake(s, 500, 1, 2, 1, KT_CTX_TASK);
	cs_sys(s, 505, 1, 2, SYS_futex, 10, 1, 0x7000, 0, KT_SYSCALL_WOKE);
	cs_switch(s, 520, 0, 0, 0, 1);
	cs_sys(s, 530, 0, 1, SYS_futex, 440, 0, 0x7000, 0, KT_SYSCALL_BLOCKED);
}

/* the slowest span of @pid in the stream's capture, explained */
static int explain(struct cs *s, const char *name, __u32 pid,
		   struct kt_reader **r, struct kt_why *w)
{
	struct kt_why_opts o = { .pid = pid, .sys_nr = -1 };
	struct kt_why_span sp;
	struct kt_err err;
	char path[256];
	int rc;

	snprintf(path, sizeof(path), "%s/%s.ktr", kt_test_tmpdir(), name);
	*r = NULL;
	rc = cs_write(s, path, 0);
	if (!rc)
		rc = kt_reader_open(r, path, 0, &err);
	if (!rc)
		rc = kt_why_pick(*r, &o, &sp, &err);
	if (!rc)
		rc = kt_why_explain(*r, &sp, w, &err);
	return rc;
}

/* the @n-th item whose role starts with @prefix, or NULL */
static const struct kt_sitem *nth(const struct kt_scene *s, const char *prefix,
				  size_t n)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->items[i].role && !strncmp(s->items[i].role, prefix,
						 strlen(prefix)) && !n--)
			return &s->items[i];
	return NULL;
}

/* the @n-th lane (its background: role lane or lane:culprit), or NULL */
static const struct kt_sitem *lane(const struct kt_scene *s, size_t n)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->items[i].type == KT_SI_RECT &&
		    (!strcmp(s->items[i].role, "lane") ||
		     !strcmp(s->items[i].role, "lane:culprit")) && !n--)
			return &s->items[i];
	return NULL;
}

static size_t count(const struct kt_scene *s, const char *role)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += s->items[i].role && !strcmp(s->items[i].role, role);
	return n;
}

/* what a picture must say first: the root-cause sentence as its first
 * text; the culprit's lane @culprit first, outlined, labelled bold; then
 * the lanes @rest (NULL-terminated) in that order */
static int check_head(const struct kt_why *w, const struct kt_scene *s,
		      const char *culprit, const char *const *rest)
{
	char *root = kt_why_root_sentence(w);
	const struct kt_sitem *t = nth(s, "", 0), *l = lane(s, 0);
	const struct kt_sitem *h = l ? l + 1 : NULL, *lab = l ? l + 2 : NULL;
	size_t i;

	KT_ASSERT(root && !strncmp(root, "root cause: ", 12), "root sentence");
	KT_ASSERT(t && t->type == KT_SI_TEXT && !strcmp(t->role, "root") &&
		  !strcmp(t->text, root), "the first item is the sentence: %s",
		  t ? t->text : "none");
	free(root);
	KT_ASSERT(l && l->type == KT_SI_RECT && !strcmp(l->role, "lane:culprit") &&
		  !strcmp(l->text, culprit), "the first lane: %s %s",
		  l ? l->role : "-", l && l->text ? l->text : "-");
	KT_ASSERT(!strcmp(h->role, "highlight") && (h->flags & KT_SI_OUTLINE) &&
		  h->x == l->x && h->y == l->y && h->w == l->w && h->h == l->h,
		  "outlined: %s", h->role);
	KT_ASSERT(lab->type == KT_SI_TEXT && (lab->flags & KT_SI_BOLD) &&
		  strstr(lab->text, culprit) && strstr(lab->text, "root cause"),
		  "its label: %s", lab->text);
	KT_ASSERT(count(s, "lane:culprit") == 1 && count(s, "highlight") == 1,
		  "one culprit");
	for (i = 0; rest[i]; i++) {
		l = lane(s, i + 1);
		KT_ASSERT(l && !strcmp(l->role, "lane") && !strcmp(l->text, rest[i]),
			  "lane %zu: %s, want %s", i + 1, l ? l->text : "none",
			  rest[i]);
	}
	l = lane(s, i + 1);
	KT_ASSERT(!l, "no other lane: %s", l->text);
	return KT_PASS;
}

/* fsync: the disk is the culprit; then db (the span's thread), jbd2 (as
 * the path met it), the cpu waits; a legend names the disk's colour. */
KT_TEST(render_why_scene_disk)
{
	static const char *const rest[] = {
		"db/1", "jbd2/vda-8/9", "waiting for a cpu", NULL
	};
	struct kt_reader *r;
	struct kt_scene s;
	struct kt_why w;
	struct cs cs;
	bool legend = false;

	fsync_stream(&cs);
	KT_ASSERT(!explain(&cs, "why_disk", 1, &r, &w), "explain");
	KT_ASSERT(!kt_why_scene(&w, &s), "scene");
	if (check_head(&w, &s, "disk 254:0", rest) != KT_PASS)
		return KT_FAIL;
	for (size_t i = 0; i < s.n; i++)
		legend |= !strcmp(s.items[i].role, "legend") &&
			  !strcmp(s.items[i].text, "disk I/O");
	KT_ASSERT(legend, "the disk's colour in the legend");
	KT_ASSERT(nth(&s, "attr:disk", 0) && nth(&s, "seg:disk", 0) &&
		  nth(&s, "seg:disk", 0)->color == nth(&s, "attr:disk", 0)->color,
		  "the disk's segments and its part of the attribution");
	kt_scene_release(&s);
	kt_why_release(&w);
	kt_reader_close(r);
	cs_release(&cs);
	return KT_PASS;
}

/* the lock: the holder, who is not the span's thread, comes first */
KT_TEST(render_why_scene_lock)
{
	static const char *const rest[] = { "waiter/1", "waiting for a cpu", NULL };
	struct kt_reader *r;
	struct kt_scene s;
	struct kt_why w;
	struct cs cs;

	lock_stream(&cs);
	KT_ASSERT(!explain(&cs, "why_lock", 7, &r, &w), "explain");
	KT_ASSERT(!kt_why_scene(&w, &s), "scene");
	if (check_head(&w, &s, "holder/2", rest) != KT_PASS)
		return KT_FAIL;
	kt_scene_release(&s);
	kt_why_release(&w);
	kt_reader_close(r);
	cs_release(&cs);
	return KT_PASS;
}

#define NTHREADS 20
#define NSEGS 200000

/* A path that hops among 20 threads every 10 ns for 2 ms: 200 000
 * segments, 20 lanes.  Thread 1 runs 20 ns a turn: the root. */
static int big_path(struct kt_why *w)
{
	struct kt_cp_path *p = &w->path;
	__u64 t = 1000;

	memset(w, 0, sizeof(*w));
	p->segs = calloc(NSEGS, sizeof(*p->segs));
	p->hops = calloc(1, sizeof(*p->hops));
	p->attr = calloc(NTHREADS, sizeof(*p->attr));
	if (!p->segs || !p->hops || !p->attr)
		return -ENOMEM;
	p->start = t;
	p->utid = p->tid = 1;
	for (size_t i = 0; i < NSEGS; i++) {
		struct kt_cp_seg *s = &p->segs[i];
		__u32 tid = i % NTHREADS + 1;

		s->start = t;
		s->end = t += tid == 1 ? 20 : 10;
		s->utid = s->tid = s->pid = tid;
		s->kind = KT_CP_RUN;
		s->weight = KT_CP_W_EXACT;
		p->attr[tid - 1].ns += s->end - s->start;
	}
	p->end = t;
	p->nsegs = NSEGS;
	p->nhops = 1;
	p->hops[0] = (struct kt_cp_hop){ .parent = KT_CP_NONE, .utid = 1,
					 .tid = 1, .pid = 1, .start = p->start,
					 .end = p->end, .ns = p->end - p->start };
	for (__u32 k = 0; k < NTHREADS; k++) {
		p->attr[k].kind = KT_CP_RUN;
		p->attr[k].utid = p->attr[k].tid = p->attr[k].pid = k + 1;
		p->attr[k].segs = NSEGS / NTHREADS;
	}
	p->nattr = NTHREADS;
	p->kind_ns[KT_CP_RUN] = p->end - p->start;
	p->confidence = KT_CP_W_EXACT;
	p->root_evidence_ns = p->attr[0].ns * KT_CP_W_EXACT / 1000;
	w->span = (struct kt_why_span){ .start = p->start, .end = p->end,
					.utid = 1, .tid = 1, .pid = 1,
					.kind = KT_WHY_SYSCALL };
	w->span.sys.nr = SYS_read;
	return 0;
}

/* The scene does not grow with the segments: a lane's time is one run
 * of pixels, the lanes past the cap fold into one, one hand-off line a
 * pixel column; the root's lane first. */
KT_TEST(render_why_scene_bounded)
{
	struct kt_scene s;
	struct kt_why w;
	const struct kt_sitem *l;
	size_t lanes = 0, runs = 0, lines = 0;

	KT_ASSERT(!big_path(&w), "path");
	KT_ASSERT(!kt_why_scene(&w, &s), "scene");
	for (size_t i = 0; i < s.n; i++) {
		const struct kt_sitem *it = &s.items[i];

		lanes += it->type == KT_SI_RECT && (!strcmp(it->role, "lane") ||
						   !strcmp(it->role, "lane:culprit"));
		runs += !strncmp(it->role, "seg:", 4);
		lines += !strncmp(it->role, "handoff", 7);
	}
	l = lane(&s, 0);
	KT_ASSERT(l && !strcmp(l->role, "lane:culprit") && !strcmp(l->text, "?/1"),
		  "the root's lane first");
	KT_ASSERT(lanes == 14, "%zu lanes (13 and the folded ones)", lanes);
	KT_ASSERT(!strcmp(lane(&s, 13)->text, "+7 more lanes"),
		  "the last lane: %s", lane(&s, 13)->text);
	KT_ASSERT(runs == 14, "%zu runs: one a lane", runs);
	KT_ASSERT(lines <= s.width, "%zu hand-off lines, %.0f px", lines, s.width);
	KT_ASSERT(s.n < 100 + s.width, "%zu items, %.0f px wide", s.n, s.width);
	kt_scene_release(&s);
	kt_cp_path_release(&w.path);
	return KT_PASS;
}
