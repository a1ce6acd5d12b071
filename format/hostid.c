// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hostid.c - the name of the host a capture was recorded on (metadata
 * host.id, docs/format.md): what `record --host-id` checks and what a
 * capture without one is called (hostname plus the boot id's start), so
 * that `ktrail merge` can tell captures apart.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "format_int.h"

bool kt_host_id_valid(const char *id)
{
	size_t n = strlen(id);

	if (!n || n > KT_HOST_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

/* the characters of @s that a host id may hold, at most @max */
static size_t copy_valid(char *out, size_t max, const char *s)
{
	size_t o = 0;

	for (; s && *s && o < max; s++)
		if (kt_host_id_valid((char[]){ *s, 0 }))
			out[o++] = *s;
	return o;
}

int kt_host_id_default(char *buf, size_t n, const char *hostname,
		       const char *boot_id)
{
	char id[KT_HOST_ID_MAX + 1];
	size_t o = copy_valid(id, KT_HOST_ID_MAX - 9, hostname);

	if (!o)
		o = copy_valid(id, KT_HOST_ID_MAX - 9, "host");
	if (boot_id && copy_valid(id + o + 1, 8, boot_id)) {
		id[o] = '-';
		o += 1 + copy_valid(id + o + 1, 8, boot_id);
	}
	id[o] = 0;
	if (o >= n)
		return -ENOSPC;
	memcpy(buf, id, o + 1);
	return 0;
}

static const char *str_of(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int kt_host_id_of(const json_t *meta, char *buf, size_t n)
{
	const json_t *host = json_object_get(meta, "host");
	const char *id = str_of(host, "id");

	if (id && kt_host_id_valid(id)) {
		if (strlen(id) >= n)
			return -ENOSPC;
		memcpy(buf, id, strlen(id) + 1);
		return 0;
	}
	return kt_host_id_default(buf, n, str_of(host, "hostname"),
				  str_of(host, "boot_id"));
}
