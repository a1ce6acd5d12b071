// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sysinfo.c - host state the metadata keeps beside the events: the names
 * of the block devices (so that a request's dev reads "vda (254:0)"), and
 * the kernel's TCP counters at start and end (a SYN dropped at a full
 * accept queue leaves no event, only ListenOverflows/ListenDrops).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "record_int.h"

/*
 * /proc/partitions: "major minor #blocks name" after two header lines.
 * Every disk and partition, keyed "MAJOR:MINOR" as the kernel's dev_t
 * splits (format/event.h: dev = major << 20 | minor).
 */
json_t *kt_sys_disks(void)
{
	FILE *f = fopen("/proc/partitions", "re");
	json_t *o = json_object();
	unsigned maj, min;
	unsigned long long blocks;
	char line[256], name[64], key[32];

	if (!f || !o) {
		if (f)
			fclose(f);
		return o;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%u %u %llu %63s", &maj, &min, &blocks,
			   name) != 4)
			continue;
		snprintf(key, sizeof(key), "%u:%u", maj, min);
		json_object_set_new(o, key, json_string(name));
	}
	fclose(f);
	return o;
}

/* One "Prefix: a b c" header line and its "Prefix: 1 2 3" value line
 * into @out as {"a": 1, ...}. */
static void netstat_pair(char *names, char *values, json_t *out)
{
	char *ns = NULL, *vs = NULL, *n, *v, *end;
	unsigned long long x;

	n = strtok_r(names, " \n", &ns);
	v = strtok_r(values, " \n", &vs);
	/* skip the "TcpExt:" prefixes */
	n = strtok_r(NULL, " \n", &ns);
	v = strtok_r(NULL, " \n", &vs);
	for (; n && v; n = strtok_r(NULL, " \n", &ns),
		       v = strtok_r(NULL, " \n", &vs)) {
		x = strtoull(v, &end, 10);
		if (*end)
			continue;
		json_object_set_new(out, n, json_integer((json_int_t)x));
	}
}

/*
 * /proc/net/netstat of the recorder's network namespace: {"TcpExt":
 * {"ListenOverflows": N, ...}}, every counter of the TcpExt lines.
 */
json_t *kt_sys_netstat(void)
{
	FILE *f = fopen("/proc/net/netstat", "re");
	json_t *o = json_object(), *tcp;
	char names[8192], values[8192];

	if (!f || !o) {
		if (f)
			fclose(f);
		return o;
	}
	while (fgets(names, sizeof(names), f) &&
	       fgets(values, sizeof(values), f)) {
		if (strncmp(names, "TcpExt:", 7) || strncmp(values, "TcpExt:", 7))
			continue;
		tcp = json_object();
		netstat_pair(names, values, tcp);
		json_object_set_new(o, "TcpExt", tcp);
	}
	fclose(f);
	return o;
}
