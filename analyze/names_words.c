// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * names_words.c - words of names.h that are not about one event: a
 * command line as a shell reads it, and what a cause of lost events
 * means.
 */
#include <string.h>
#include <jansson.h>
#include "names.h"

/* A word a POSIX shell reads as itself, unquoted. */
static bool shell_plain(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789_@%+=:,./-", *s))
			return false;
	return true;
}

size_t kt_fmt_shell_word(char *buf, size_t sz, const char *s)
{
	size_t n = 0;

#define PUT(c) do { if (n + 1 < sz) buf[n] = (c); n++; } while (0)
	if (shell_plain(s)) {
		for (; *s; s++)
			PUT(*s);
	} else {
		PUT('\'');
		for (; *s; s++) {
			if (*s == '\'') {       /* ' ends, \' , ' again */
				PUT('\''); PUT('\\'); PUT('\''); PUT('\'');
			} else {
				PUT(*s);
			}
		}
		PUT('\'');
	}
#undef PUT
	if (sz)
		buf[n < sz ? n : sz - 1] = 0;
	return n < sz ? n : sz - 1;
}

size_t kt_fmt_shell_argv(char *buf, size_t sz, const struct json_t *argv)
{
	size_t used = 0, i;
	json_t *a;

	if (sz)
		buf[0] = 0;
	json_array_foreach((json_t *)argv, i, a) {
		if (!json_is_string(a) || used + 2 >= sz)
			continue;
		if (i)
			buf[used++] = ' ';
		used += kt_fmt_shell_word(buf + used, sz - used,
					  json_string_value(a));
	}
	return used;
}

const char *kt_lost_cause_help(const char *cause)
{
	static const char *const help[][2] = {
		{ "ring_full", "a ring buffer was full (a larger -m helps)" },
		{ "recursion", "program runs the kernel skipped (nested on a CPU)" },
		{ "switch_gap", "context switches the kernel ran no recorder for" },
		{ "filtered", "switches dropped before their task joined the scope" },
		{ "pcap", "packets dropped by libpcap or the kernel" },
	};

	for (size_t i = 0; i < sizeof(help) / sizeof(help[0]); i++)
		if (!strcmp(help[i][0], cause))
			return help[i][1];
	return "";
}
