// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* why: picking the span from a written capture. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include "kt_test.h"
#include "format/format.h"
#include "analyze/why.h"

static int write_events(const char *path, const struct kt_event *ev, size_t n)
{
	struct kt_writer *w;
	int err = kt_writer_open(&w, path, NULL, NULL);

	for (size_t i = 0; !err && i < n; i++)
		err = kt_writer_add(w, &ev[i]);
	if (!err)
		return kt_writer_close(w, NULL);
	kt_writer_abort(w);
	return err;
}

static struct kt_event sys_ev(__u64 end, __u32 tid, __u32 nr, __u64 dur)
{
	struct kt_event e = { .ts = end, .tid = tid, .pid = tid,
			      .kind = KT_SYSCALL };

	e.sys.nr = nr;
	e.sys.dur = dur;
	e.sys.flags = KT_SYSCALL_BLOCKED;
	return e;
}

/* --slowest prefers a span the capture saw begin: a longer read that
 * began before the first event is only partly observed, and is picked
 * only when nothing else matches. */
KT_TEST(causal_why_slowest_seen_begin)
{
	struct kt_event ev[3];
	struct kt_why_opts o = { .pid = 7, .sys_nr = -1 };
	struct kt_why_span sp;
	struct kt_reader *r;
	struct kt_err err;
	char path[256];

	snprintf(path, sizeof(path), "%s/why_pick.ktr", kt_test_tmpdir());
	ev[0] = sys_ev(1000, 9, SYS_getppid, 10);
	ev[1] = sys_ev(5000, 7, SYS_read, 4500);        /* began at 500 */
	ev[2] = sys_ev(9000, 7, SYS_fsync, 3000);       /* 6000 .. 9000 */
	KT_ASSERT(!write_events(path, ev, 3), "write");
	KT_ASSERT(!kt_reader_open(&r, path, 0, &err), "open: %s", err.msg);
	KT_ASSERT(!kt_why_pick(r, &o, &sp, &err), "pick");
	KT_ASSERT(sp.sys.nr == SYS_fsync && sp.start == 6000 && sp.end == 9000,
		  "picked nr %u [%llu, %llu)", sp.sys.nr,
		  (unsigned long long)sp.start, (unsigned long long)sp.end);
	/* alone, the partly seen one is the answer */
	o.sys_nr = SYS_read;
	KT_ASSERT(!kt_why_pick(r, &o, &sp, &err), "pick read");
	KT_ASSERT(sp.sys.nr == SYS_read && sp.start == 500, "partial read");
	kt_reader_close(r);
	return KT_PASS;
}
