// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* kt-test-tool: dispatch to a registered subcommand (see tool.h). */
#include <stdio.h>
#include <string.h>
#include "tool.h"

static struct kt_tool_cmd *cmds;

void kt_tool_register(struct kt_tool_cmd *c)
{
	struct kt_tool_cmd **p = &cmds;

	while (*p && strcmp((*p)->name, c->name) < 0)
		p = &(*p)->next;
	c->next = *p;
	*p = c;
}

int main(int argc, char **argv)
{
	if (argc >= 2)
		for (struct kt_tool_cmd *c = cmds; c; c = c->next)
			if (!strcmp(c->name, argv[1]))
				return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "usage: kt-test-tool <command> [args]\ncommands:\n");
	for (struct kt_tool_cmd *c = cmds; c; c = c->next)
		fprintf(stderr, "  %s %s\n", c->name, c->usage);
	return 2;
}
