// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * capture_edit.c - kt-test-tool drop_event IN OUT KIND N: copy the capture
 * IN to OUT (metadata, /proc snapshot and every event, through the writer)
 * without the Nth event (from 0, in time order) of kind KIND
 * ("sched_switch", "syscall", ...), and print the event left out:
 *
 *	dropped sched_switch #N at SECONDS cpu C: tid T (COMM) -> tid U
 *
 * so that a test can damage a real capture the way a lost event would
 * and check that `ktrail verify` names the CPU and the time.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format/format.h"
#include "tool.h"

static int kind_of(const char *name)
{
	for (unsigned k = 1; k < KT_KIND_MAX; k++)
		if (kt_kind_info(k) && !strcmp(kt_kind_info(k)->name, name))
			return (int)k;
	return -1;
}

/* kt_tool_copy_event - @ev into @w with its strings interned there. */
int kt_tool_copy_event(struct kt_writer *w, const struct kt_event *ev)
{
	const struct kt_kind_info *ki = kt_kind_info(ev->kind);
	struct kt_event c = *ev;

	for (unsigned i = 0; ki && i < ki->nfields; i++) {
		const struct kt_field *f = &ki->fields[i];
		const char *s;
		size_t n;
		__u32 h;

		if (f->type != KT_F_STR)
			continue;
		memcpy(&h, (const char *)ev + f->off, 4);
		s = kt_event_str(ev, h, &n);
		h = kt_writer_str(w, s, n);
		if (h == UINT32_MAX)
			return -ENOMEM;
		memcpy((char *)&c + f->off, &h, 4);
	}
	c.strs = NULL;
	return kt_writer_add(w, &c);
}

int kt_tool_snapshot_task(const struct kt_task *t, void *arg)
{
	return t->flags & KT_TASK_SNAPSHOT ? kt_writer_task(arg, t) : 0;
}

static void say(const struct kt_event *ev, unsigned long long nth,
		const struct kt_tasks *tasks)
{
	const struct kt_task *k = kt_tasks_find(tasks, ev->tid);

	printf("dropped %s #%llu at %llu.%09llu cpu %u: tid %u (%s)",
	       kt_kind_info(ev->kind)->name, nth,
	       (unsigned long long)(ev->ts / 1000000000),
	       (unsigned long long)(ev->ts % 1000000000), ev->cpu, ev->tid,
	       k ? k->comm : "?");
	if (ev->kind == KT_SCHED_SWITCH)
		printf(" -> tid %u", ev->sw.next_tid);
	putchar('\n');
}

KT_TOOL(drop_event, "IN OUT KIND N: copy IN without the Nth event of KIND")
{
	struct kt_reader *r = NULL;
	struct kt_writer *w = NULL;
	const struct kt_event *ev;
	struct kt_err err = { 0 };
	unsigned long long want, seen = 0;
	bool dropped = false;
	int kind, rc;

	if (argc != 5 || (kind = kind_of(argv[3])) < 0) {
		fprintf(stderr, "usage: kt-test-tool drop_event IN OUT KIND N\n");
		return 2;
	}
	want = strtoull(argv[4], NULL, 10);
	rc = kt_reader_open(&r, argv[1], 0, &err);
	if (!rc)
		rc = kt_writer_open(&w, argv[2], NULL, kt_reader_meta(r));
	if (!rc)
		rc = kt_tasks_foreach(kt_reader_tasks(r), kt_tool_snapshot_task, w);
	while (!rc && (rc = kt_reader_next(r, &ev, &err)) > 0) {
		rc = 0;
		if (ev->kind == kind && seen++ == want) {
			say(ev, want, kt_reader_tasks(r));
			dropped = true;
			continue;
		}
		rc = kt_tool_copy_event(w, ev);
	}
	if (!rc) {
		rc = kt_writer_close(w, NULL);
		w = NULL;
	}
	if (rc || !dropped) {
		if (err.msg[0])
			kt_err_print(stderr, "kt-test-tool drop_event", argv[1], &err);
		else if (rc)
			fprintf(stderr, "kt-test-tool drop_event: %s\n",
				strerror(-rc));
		else
			fprintf(stderr, "kt-test-tool drop_event: %s has %llu "
				"%s events\n", argv[1], seen, argv[3]);
		kt_writer_abort(w);
		kt_reader_close(r);
		return 1;
	}
	kt_reader_close(r);
	return 0;
}
