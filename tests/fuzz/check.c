// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * check.c - libFuzzer target for the rules file of `ktrail check`: the
 * input is the file, loaded as cli/check.c loads it; the rules it parses
 * are asked whether a capture can answer them, run on a small capture
 * (fuzz_capture) and printed as text and JSON.  Bad rules must give an
 * error, never a crash, a leak or a hang.
 */
#include <unistd.h>
#include <jansson.h>
#include "analyze/check.h"
#include "analyze/fmt.h"
#include "tests/fuzz/fuzz.h"

static int discard(void *arg, const char *buf, size_t len)
{
	(void)arg;
	(void)buf;
	(void)len;
	return 0;
}

static void print(const struct kt_check *c)
{
	struct kt_out o;

	if (kt_out_init_sink(&o, discard, NULL, 4096))
		return;
	kt_check_print(&o, c);
	kt_check_print_json(&o, c);
	kt_out_flush(&o);
	kt_out_release(&o);
}

static void missing(const struct kt_check *c)
{
	static const char *const fams[] = { "sched,proc", "all", "syscall",
					    "tcp", "" };
	char why[320];

	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		json_t *m = json_pack("{s:{s:s}}", "record", "families",
				      fams[i]);

		kt_check_missing(c, m, why, sizeof(why));
		json_decref(m);
	}
	kt_check_missing(c, NULL, why, sizeof(why));
}

static void run(struct kt_check *c)
{
	static int fd = -1;
	struct kt_reader *r;
	struct kt_err err;

	if (fd < 0)
		fd = fuzz_capture(NULL, NULL);
	if (fd < 0 || kt_reader_open_fd(&r, fd, "fuzz", 0, &err))
		return;
	kt_check_run(r, c, &err);
	kt_reader_close(r);
}

KT_FUZZ_TARGET(check)
{
	struct kt_check c;
	json_error_t jerr;
	json_t *root;
	char why[320];

	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
			  &jerr);
	if (!root)
		return 0;
	if (!kt_check_parse(root, &c, why, sizeof(why))) {
		missing(&c);
		run(&c);
		print(&c);
	}
	kt_check_release(&c);
	json_decref(root);
	return 0;
}
