// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * source.c - event sources: the in-memory array (tests feed hand-built
 * streams through it) and the capture reader, behind one interface.
 */
#include <stdlib.h>
#include "format_int.h"

struct mem_source {
	struct kt_source s;
	const struct kt_event *evs;
	size_t n, i;
	const struct kt_strtab *strs;
	struct kt_tasks *tasks;
	struct kt_event cur;
};

static int mem_next(struct kt_source *s, const struct kt_event **ev,
		    struct kt_err *err)
{
	struct mem_source *m = (struct mem_source *)s;
	__u32 utid;
	int rc;

	if (m->i >= m->n)
		return 0;
	m->cur = m->evs[m->i++];
	if (!m->cur.strs)
		m->cur.strs = m->strs;
	rc = kt_tasks_apply(m->tasks, &m->cur, &utid);
	if (rc)
		return kt_errf(err, rc, ~0ULL, "out of memory");
	m->cur.utid = utid;
	*ev = &m->cur;
	return 1;
}

static const struct kt_tasks *mem_tasks(struct kt_source *s)
{
	return ((struct mem_source *)s)->tasks;
}

static void mem_free(struct kt_source *s)
{
	struct mem_source *m = (struct mem_source *)s;

	kt_tasks_free(m->tasks);
	free(m);
}

struct kt_source *kt_source_mem(const struct kt_event *evs, size_t n,
				const struct kt_strtab *strs,
				const struct kt_task *tasks, size_t ntasks)
{
	struct mem_source *m = calloc(1, sizeof(*m));

	if (!m)
		goto err;
	m->tasks = kt_tasks_new();
	if (!m->tasks)
		goto err_free;
	for (size_t i = 0; i < ntasks; i++)
		if (kt_tasks_add(m->tasks, &tasks[i]))
			goto err_free;
	m->s.next = mem_next;
	m->s.tasks = mem_tasks;
	m->s.free = mem_free;
	m->evs = evs;
	m->n = n;
	m->strs = strs;
	return &m->s;
err_free:
	mem_free(&m->s);
err:
	errno = ENOMEM;
	return NULL;
}
