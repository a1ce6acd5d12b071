/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * tool.h - kt-test-tool, the helper binary that shell tests drive: workloads
 * whose truth is known exactly (perf's tests/workloads), generators of
 * synthetic captures, and views into internals (git's t/helper).
 * Register a subcommand with KT_TOOL(name, "usage line"); it gets argv
 * after the subcommand name and returns the process exit status.
 */
#ifndef KT_TOOL_H
#define KT_TOOL_H

struct kt_tool_cmd {
	const char *name;
	const char *usage;
	int (*fn)(int argc, char **argv);
	struct kt_tool_cmd *next;
};

void kt_tool_register(struct kt_tool_cmd *c);

#define KT_TOOL(n, use)                                                 \
	static int kt_tool_fn_##n(int argc, char **argv);               \
	static struct kt_tool_cmd kt_tool_##n = { #n, use, kt_tool_fn_##n, NULL }; \
	__attribute__((constructor)) static void kt_tool_reg_##n(void)  \
	{                                                               \
		kt_tool_register(&kt_tool_##n);                         \
	}                                                               \
	static int kt_tool_fn_##n(int argc, char **argv)

struct kt_writer;
struct kt_event;
struct kt_task;
/* kt_tool_copy_event - @ev into @w with its strings interned there
 * (capture_edit.c).  Returns kt_writer_add's result. */
int kt_tool_copy_event(struct kt_writer *w, const struct kt_event *ev);
/* kt_tool_snapshot_task - kt_tasks_foreach callback: the snapshot tasks
 * into the writer @arg. */
int kt_tool_snapshot_task(const struct kt_task *t, void *arg);

#endif /* KT_TOOL_H */
