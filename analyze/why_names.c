// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * why_names.c - what `why` names its numbers with (why.h): the disks of
 * the capture and the objects behind the fds of every syscall it prints
 * (the span's, each wait's and each waker's), asked of the fd resolver
 * (fds.h) in one batch once the path is known.
 */
#include "why.h"
#include "fds.h"

int kt_why_names(struct kt_why *w, const struct kt_reader *r,
		 struct kt_err *err)
{
	const struct kt_cp_path *p = &w->path;
	struct kt_tlf_names *n = &w->names;
	int rc = kt_tlf_names_init(n, r);

	if (!rc)
		rc = kt_tlf_names_ask(n, w->span.pid, &w->span.sys);
	for (size_t i = 0; !rc && i < p->nhops; i++) {
		const struct kt_cp_hop *h = &p->hops[i];

		if (h->parent != KT_CP_NONE)
			rc = kt_tlf_names_ask(n, p->hops[h->parent].pid,
					      &h->wait_sys);
		if (!rc)
			rc = kt_tlf_names_ask(n, h->pid, &h->waker_sys);
	}
	for (size_t i = 0; !rc && i < p->nsegs; i++)
		if (kt_tl_is_wait(p->segs[i].state))
			rc = kt_tlf_names_ask(n, p->segs[i].pid, &p->segs[i].sys);
	return rc ? rc : kt_fdnames_answer(n->fds, r, err);
}
