// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * dump.c - kt-test-tool views of a capture through the reader, for the
 * live recording tests (which must not depend on replay):
 *   dump FILE     one line per event: "ts cpu tid pid kind name=value ..."
 *                 with every payload field of the kind's schema; strings
 *                 are printed with non-printable bytes as \xNN
 *   meta FILE     the metadata object as JSON
 *   tasks FILE    the task table after the last event: "tid pid ppid comm"
 */
#include <stdio.h>
#include <string.h>
#include "format/format.h"
#include "tool.h"

static void put_str(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c > 32 && c < 127 && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static void put_field(const struct kt_event *ev, const struct kt_field *f)
{
	const char *p = (const char *)ev + f->off;
	__u32 u32;
	__s32 s32;
	__u64 u64;
	__s64 s64;
	const char *s;
	size_t n;

	printf(" %s=", f->name);
	switch (f->type) {
	case KT_F_U32:
		memcpy(&u32, p, 4);
		printf("%u", u32);
		break;
	case KT_F_S32:
		memcpy(&s32, p, 4);
		printf("%d", s32);
		break;
	case KT_F_U64:
		memcpy(&u64, p, 8);
		printf("%llu", (unsigned long long)u64);
		break;
	case KT_F_S64:
		memcpy(&s64, p, 8);
		printf("%lld", (long long)s64);
		break;
	case KT_F_STR:
		memcpy(&u32, p, 4);
		s = kt_event_str(ev, u32, &n);
		put_str(s, n);
		break;
	}
}

static int open_reader(const char *path, struct kt_reader **r)
{
	struct kt_err err;
	int ret = kt_reader_open(r, path, 0, &err);

	if (ret)
		kt_err_print(stderr, "kt-test-tool", path, &err);
	return ret;
}

KT_TOOL(dump, "FILE: every event, one line each")
{
	const struct kt_event *ev;
	const struct kt_kind_info *ki;
	struct kt_reader *r;
	struct kt_err err;
	int ret;

	if (argc != 2 || open_reader(argv[1], &r))
		return 2;
	while ((ret = kt_reader_next(r, &ev, &err)) == 1) {
		ki = kt_kind_info(ev->kind);
		printf("%llu %u %u %u %s", (unsigned long long)ev->ts, ev->cpu,
		       ev->tid, ev->pid, ki ? ki->name : "?");
		for (unsigned i = 0; ki && i < ki->nfields; i++)
			put_field(ev, &ki->fields[i]);
		putchar('\n');
	}
	if (ret < 0)
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
	kt_reader_close(r);
	return ret < 0 ? 2 : 0;
}

KT_TOOL(meta, "FILE: the metadata as JSON")
{
	struct kt_reader *r;

	if (argc != 2 || open_reader(argv[1], &r))
		return 2;
	json_dumpf(kt_reader_meta(r), stdout, JSON_SORT_KEYS | JSON_INDENT(1));
	putchar('\n');
	kt_reader_close(r);
	return 0;
}

static int put_task(const struct kt_task *t, void *arg)
{
	const bool *snapshot_only = arg;

	if (*snapshot_only && !(t->flags & KT_TASK_SNAPSHOT))
		return 0;
	printf("%u %u %u ", t->tid, t->pid, t->ppid);
	put_str(t->comm, strlen(t->comm));
	putchar('\n');
	return 0;
}

KT_TOOL(tasks, "FILE [--snapshot]: the task table after the last event "
	"(--snapshot: only the tasks known from the /proc snapshot)")
{
	const struct kt_event *ev;
	struct kt_reader *r;
	struct kt_err err;
	bool snapshot_only = argc == 3 && !strcmp(argv[2], "--snapshot");
	int ret;

	if ((argc != 2 && !snapshot_only) || open_reader(argv[1], &r))
		return 2;
	while ((ret = kt_reader_next(r, &ev, &err)) == 1)
		;
	if (ret < 0)
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
	else
		kt_tasks_foreach(kt_reader_tasks(r), put_task,
				 &snapshot_only);
	kt_reader_close(r);
	return ret < 0 ? 2 : 0;
}
