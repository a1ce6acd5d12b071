// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * disks.c - block devices by name (names.h): the capture's host.disks
 * ("MAJOR:MINOR" -> "vda", read from /proc/partitions when recording
 * started), so that a dev prints as "vda (254:0)" and, in captures
 * recorded before the table existed, as "254:0".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "analyze/names.h"

struct kt_disk {
	__u32 dev;              /* major << 20 | minor */
	char *name;
};

struct kt_disks {
	struct kt_disk *v;      /* sorted by dev */
	size_t n;
};

static int cmp_dev(const void *a, const void *b)
{
	const struct kt_disk *x = a, *y = b;

	return (x->dev > y->dev) - (x->dev < y->dev);
}

struct kt_disks *kt_disks_new(const struct json_t *meta)
{
	const json_t *d = json_object_get(json_object_get(meta, "host"), "disks");
	struct kt_disks *ds = calloc(1, sizeof(*ds));
	const char *key;
	unsigned maj, min;
	json_t *v;
	char end;

	if (!ds)
		return NULL;
	if (!json_is_object(d) || !json_object_size(d))
		return ds;
	ds->v = calloc(json_object_size(d), sizeof(*ds->v));
	if (!ds->v)
		goto fail;
	json_object_foreach((json_t *)d, key, v) {
		const char *name = json_string_value(v);

		if (!name || !name[0] ||
		    sscanf(key, "%u:%u%c", &maj, &min, &end) != 2 ||
		    maj >= 1U << 12 || min >= 1U << 20)
			continue;
		ds->v[ds->n].dev = maj << 20 | min;
		ds->v[ds->n].name = strdup(name);
		if (!ds->v[ds->n++].name)
			goto fail;
	}
	qsort(ds->v, ds->n, sizeof(*ds->v), cmp_dev);
	return ds;
fail:
	kt_disks_free(ds);
	errno = ENOMEM;
	return NULL;
}

void kt_disks_free(struct kt_disks *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].name);
	free(d->v);
	free(d);
}

const char *kt_disks_name(const struct kt_disks *d, __u32 dev)
{
	struct kt_disk key = { .dev = dev }, *x;

	if (!d || !d->n)
		return NULL;
	x = bsearch(&key, d->v, d->n, sizeof(*d->v), cmp_dev);
	return x ? x->name : NULL;
}

size_t kt_fmt_disk(char *buf, size_t sz, const struct kt_disks *d, __u32 dev,
		   bool compact)
{
	const char *name = kt_disks_name(d, dev);
	int n;

	if (!name)
		return kt_fmt_dev(buf, sz, dev);
	n = snprintf(buf, sz, compact ? "%s(%u:%u)" : "%s (%u:%u)", name,
		     dev >> 20, dev & 0xfffff);
	return n < 0 ? 0 : (size_t)n < sz ? (size_t)n : sz - 1;
}
