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

#endif /* KT_TOOL_H */
