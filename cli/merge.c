// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * merge.c - `ktrail merge A.ktr B.ktr ... -o ALL.ktr`: captures of
 * several hosts joined into one (analyze/merge.h, docs/merge.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "cli/capture.h"
#include "analyze/merge.h"

static const char usage[] =
	"ktrail merge FILE FILE... -o OUT [--host-id ID,ID...] [--force] [--allow-partial]";

static const char help[] =
"NAME\n"
"    ktrail merge - join captures of several hosts into one\n"
"\n"
"SYNOPSIS\n"
"    ktrail merge FILE FILE... -o OUT [--host-id ID,ID...] [--force]\n"
"                 [--allow-partial]\n"
"\n"
"DESCRIPTION\n"
"    Writes OUT, one capture holding every FILE, each as a host named by\n"
"    its metadata's host.id (`record --host-id`; a capture without one\n"
"    by its hostname and boot id).  OUT is a normal capture: info, why,\n"
"    graph, replay and the others read it, and `info` lists its hosts.\n"
"\n"
"    Clocks: the first FILE is the reference, its capture clock the\n"
"    merged one.  A capture of the same boot (host.boot_id: network\n"
"    namespaces or containers of one kernel) shares that clock: offset\n"
"    0, uncertainty 0.  Another boot's times are moved by the offset of\n"
"    the two captures' clock anchors at the same wall-clock time; the\n"
"    uncertainty is half the spread of that offset over the anchors of\n"
"    both captures plus 1 us per side (an anchor's own).  The wall\n"
"    clocks of two machines agree only as well as their time sync\n"
"    (NTP, PTP) keeps them, which no capture records: that error comes\n"
"    on top.  A warning says when the uncertainty exceeds 1 ms.\n"
"\n"
"    Identities: the i-th FILE's (from 0) tids and pids become\n"
"    i << 22 | tid, its cpus follow the previous files' cpus, and the\n"
"    file ids of another boot's captures carry the host in their inode\n"
"    bits (i << 50).  Analyses print a thread of a merged capture as\n"
"    HOST:comm/tid, with the tid as its host knew it.  Each source's\n"
"    lost events stay counted (lost.total is their sum); the clock\n"
"    anchors of all but the reference are dropped (OUT's wall clock is\n"
"    the reference's).\n"
"\n"
"    TCP connections whose two ends were recorded on two hosts are\n"
"    paired by their 4-tuple (one's local address and port are the\n"
"    other's remote): `why` follows a read on one end to the write on\n"
"    the other, and `graph` draws the edge.\n"
"\n"
"OPTIONS\n"
"    -o, --output OUT\n"
"        The merged capture.  An existing OUT is refused (exit 2).\n"
"    --host-id ID,ID...\n"
"        Name the hosts in FILE order, overriding their metadata (an empty\n"
"        ID keeps a capture's own): captures recorded without distinct\n"
"        --host-id on one machine (\"client,server\").\n"
"    --force\n"
"        Replace an existing OUT.\n"
"    --allow-partial\n"
"        Merge a capture that was not finalized or is cut short (read up\n"
"        to its last intact frame); refused otherwise.\n"
"    -h, --help\n"
"        This manual.\n"
"\n"
"EXIT STATUS\n"
"    0 success; 2 usage error, a FILE missing, unreadable, partial (see\n"
"    --allow-partial), without clock anchors, or with the host id of an\n"
"    earlier FILE, or OUT exists; 3 out of memory, or OUT could not be\n"
"    written (docs/cli.md)\n"
"\n"
"EXAMPLES\n"
"    ktrail record --host-id web -o web.ktr -d 30s    # on web\n"
"    ktrail record --host-id db -o db.ktr -d 30s      # on db\n"
"    ktrail merge web.ktr db.ktr -o all.ktr\n"
"    ktrail info all.ktr\n"
"    ktrail why all.ktr --pid $((1 << 22 | 1234))   # pid 1234 of db\n";

struct merge_args {
	const char *out;
	char *ids_arg;          /* --host-id, split in place into ids */
	const char **ids;       /* owned; NULL without --host-id */
	bool force, partial;
	char **in;
	size_t n;
};

/* --host-id ID,ID...: one per FILE at most, each empty or valid */
static int parse_ids(struct merge_args *a)
{
	char *p = a->ids_arg, *comma;
	size_t i = 0;

	a->ids = calloc(a->n, sizeof(*a->ids));
	if (!a->ids)
		return kt_fail("merge", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
	for (;; i++) {
		comma = strchr(p, ',');
		if (comma)
			*comma = 0;
		if (i >= a->n)
			return kt_usage_error("merge", usage, "--host-id: more "
					      "ids than the %zu FILEs", a->n);
		if (*p && !kt_host_id_valid(p))
			return kt_usage_error("merge", usage, "--host-id '%s': "
				"not a host id (1 to %d of A-Z a-z 0-9 . _ -)",
				p, KT_HOST_ID_MAX);
		a->ids[i] = *p ? p : NULL;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static int parse(int argc, char **argv, struct merge_args *a)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "host-id", required_argument, NULL, 'i' },
		{ "allow-partial", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, ":o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': a->out = optarg; break;
		case 'f': a->force = true; break;
		case 'i': a->ids_arg = optarg; break;
		case 'p': a->partial = true; break;
		case 'h': return -1;
		default:
			return kt_opt_error("merge", usage, argv, c);
		}
	}
	a->in = argv + optind;
	a->n = (size_t)(argc - optind);
	if (!a->n)
		return kt_usage_error("merge", usage, "missing FILE");
	if (!a->out)
		return kt_usage_error("merge", usage, "missing -o OUT");
	if (!a->out[0])
		return kt_usage_error("merge", usage, "-o '': not a file name");
	return a->ids_arg ? parse_ids(a) : 0;
}

/* OUT must be a regular file, none of the inputs, and new unless
 * --force */
static int check_out(const struct merge_args *a)
{
	struct stat so, si;

	if (stat(a->out, &so))
		return 0;
	if (!S_ISREG(so.st_mode)) {     /* /dev/null: never truncated */
		kt_msg("merge", a->out, "not a regular file: a capture is a "
		       "file of its own");
		return KT_EXIT_USAGE;
	}
	for (size_t i = 0; i < a->n; i++)
		if (!stat(a->in[i], &si) && si.st_dev == so.st_dev &&
		    si.st_ino == so.st_ino) {
			kt_msg("merge", a->out, "is also an input: refused");
			return KT_EXIT_USAGE;
		}
	if (!a->force) {
		kt_msg("merge", a->out, "exists: refused (--force replaces it)");
		return KT_EXIT_USAGE;
	}
	return 0;
}

/* a capture read whole, or with --allow-partial one that is not */
static int open_one(const struct merge_args *a, const char *path,
		    struct kt_reader **r)
{
	struct kt_info info;
	int rc = kt_cli_open_whole("merge", path, a->partial, r);

	if (rc)
		return rc;
	kt_reader_info(*r, &info);
	if (!a->partial && (!info.finalized || !info.indexed)) {
		kt_msg("merge", path, "a partial capture (%s): refused without "
		       "--allow-partial", !info.finalized ? "not finalized: the "
		       "recording did not end" : "no index");
		kt_reader_close(*r);
		*r = NULL;
		return KT_EXIT_USAGE;
	}
	return 0;
}

static void summary(const struct merge_args *a,
		    const struct kt_merge_host *h,
		    const struct kt_merge_stats *st)
{
	printf("%s: %zu hosts, %llu events, %llu TCP connection%s paired "
	       "across hosts\n", a->out, a->n,
	       (unsigned long long)st->events, (unsigned long long)st->peers,
	       st->peers == 1 ? "" : "s");
	for (size_t i = 0; i < a->n; i++)
		printf("  %-20s %-24s tid %u<<22  cpus %u..%u  offset %+lld ns "
		       "+/- %llu ns\n", h[i].id, h[i].source,
		       h[i].tid_base >> KT_MERGE_TID_BITS, h[i].cpu_base,
		       h[i].cpu_base + h[i].cpus - 1,
		       (long long)h[i].offset_ns,
		       (unsigned long long)h[i].uncertainty_ns);
}

int cmd_merge(int argc, char **argv)
{
	struct merge_args a = { 0 };
	struct kt_reader **r = NULL;
	struct kt_merge_host *h = NULL;
	struct kt_merge_stats st;
	struct kt_err err = { 0 };
	size_t bad = 0, opened = 0;
	int rc;

	rc = parse(argc, argv, &a);
	if (rc) {
		free(a.ids);
		return rc < 0 ? kt_help(help) : rc;
	}
	if ((rc = check_out(&a)))
		goto out;
	r = calloc(a.n, sizeof(*r));
	h = calloc(a.n, sizeof(*h));
	if (!r || !h) {
		rc = kt_fail("merge", NULL, -ENOMEM, KT_ERR_SYSTEM, NULL);
		goto out;
	}
	for (; opened < a.n; opened++)
		if ((rc = open_one(&a, a.in[opened], &r[opened])))
			goto out;
	rc = kt_merge_plan(h, r, (const char *const *)a.in, a.ids, a.n, &bad,
			   &err);
	if (rc) {
		rc = kt_fail("merge", bad < a.n ? a.in[bad] : NULL, rc,
			     KT_ERR_INPUT, &err);
		goto out;
	}
	for (size_t i = 1; i < a.n; i++)
		if (h[i].uncertainty_ns > KT_MERGE_WARN_NS)
			kt_msg("merge", a.in[i], "warning: its clock is aligned "
			       "with %s's to within %.3f ms only", a.in[0],
			       h[i].uncertainty_ns / 1e6);
	if (a.force)
		unlink(a.out);
	rc = kt_merge_write(a.out, r, h, a.n, &st, &err);
	if (rc) {
		rc = kt_fail("merge", err.what == KT_ERR_OUTPUT ? a.out : NULL,
			     rc, err.what, &err);
		unlink(a.out);
		goto out;
	}
	summary(&a, h, &st);
	rc = KT_EXIT_OK;
out:
	for (size_t i = 0; i < opened; i++)
		kt_reader_close(r[i]);
	free(r);
	free(h);
	free(a.ids);
	return rc;
}
