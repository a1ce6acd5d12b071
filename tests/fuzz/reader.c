// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * reader.c - libFuzzer target for the capture reader: open the input (with
 * the index and by a scan), read the summary and metadata, iterate, seek
 * to a few times with and without filters, and recover it.  Bad input
 * must give an error, never a crash, a leak or a hang.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "format/format.h"
#include "tests/fuzz/fuzz.h"

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
extern int kt_fuzz_lax_crc;
#endif

static void iterate(struct kt_reader *r, long max)
{
	const struct kt_event *ev;
	struct kt_err err;
	size_t n;

	while (max-- > 0 && kt_reader_next(r, &ev, &err) == 1) {
		/* touch everything a consumer would */
		kt_event_str(ev, ev->raw[0] & 0xffffffff, &n);
		kt_tasks_find(kt_reader_tasks(r), ev->tid);
	}
}

static void read_one(int fd, unsigned flags)
{
	struct kt_reader *r;
	struct kt_info info;
	struct kt_err err;

	if (kt_reader_open_fd(&r, fd, "fuzz", flags, &err))
		return;
	kt_reader_info(r, &info);
	kt_reader_damage(r, &err);
	kt_reader_meta(r);
	kt_tasks_count(kt_reader_tasks(r));
	iterate(r, 100000);
	if (!kt_reader_seek(r, info.first_ts + (info.last_ts - info.first_ts) / 2,
			    &err))
		iterate(r, 1000);
	kt_reader_filter(r, KT_KIND_BIT(KT_SYSCALL), 0, 0);
	if (!kt_reader_seek(r, info.last_ts, &err))
		iterate(r, 1000);
	kt_reader_filter(r, 0, 1, 0);
	if (!kt_reader_seek(r, 0, &err))
		iterate(r, 1000);
	kt_reader_close(r);
}

KT_FUZZ_TARGET(reader)
{
	struct kt_recover_report rep;
	struct kt_err err;
	char path[64];
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return 0;
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/* checksums ignored for inputs whose last byte is even: the fuzzer
	 * gets past them, and still meets the paths of bad checksums */
	kt_fuzz_lax_crc = size && !(data[size - 1] & 1);
#endif
	if (write(fd, data, size) == (ssize_t)size) {
		read_one(fd, 0);
		read_one(fd, KT_READ_SCAN);
		read_one(fd, KT_READ_PARTIAL);
		read_one(fd, KT_READ_SCAN | KT_READ_PARTIAL);
		/* in place, on the memfd */
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (!kt_recover(path, NULL, &rep, &err))
			read_one(fd, 0);
	}
	close(fd);
	return 0;
}
