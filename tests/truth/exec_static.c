// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * exec_static.c - kt-truth-exec, the static binary of truth scenario 3
 * (class 3 of issue 10, identity across exec).  `kt-test-tool truth_exec`
 * runs bash, which runs this with FD N K SLEEP_MS ROLE CODE: it makes
 * exactly N openat and N close calls, K getcpu calls (a syscall neither
 * bash nor libc makes), sleeps SLEEP_MS once, appends its truth to FD as
 * role ROLE (with pwrite, so that its own counts stay exact) and exits
 * CODE.  Built static
 * (no loader: no openat of libraries), without the test tool's code.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static long arg(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return errno || end == s || *end || v < 0 ? -1 : v;
}

static void put(int fd, const char *line, int n)
{
	if (n > 0 && pwrite(fd, line, n, 0) != n)
		_exit(1);
}

int main(int argc, char **argv)
{
	long fd = argc == 7 ? arg(argv[1]) : -1, n = argc == 7 ? arg(argv[2]) : -1;
	long k = argc == 7 ? arg(argv[3]) : -1, ms = argc == 7 ? arg(argv[4]) : -1;
	long code = argc == 7 ? arg(argv[6]) : -1;
	const char *role = argc == 7 ? argv[5] : "";
	unsigned long long t0, t1;
	struct timespec d;
	char line[512];
	unsigned cpu;
	int pid = getpid();

	if (fd < 0 || n < 0 || k < 0 || ms < 0 || code < 0 || code > 255)
		return 2;
	for (long i = 0; i < n; i++) {
		int f = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (f < 0)
			return 1;
		close(f);
	}
	for (long i = 0; i < k; i++)
		syscall(SYS_getcpu, &cpu, NULL, NULL);
	d.tv_sec = ms / 1000;
	d.tv_nsec = ms % 1000 * 1000000;
	t0 = now_ns();
	clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL);
	t1 = now_ns();
	put((int)fd, line, snprintf(line, sizeof(line),
		"task role=%s pid=%d tid=%d comm=kt-truth-exec\n"
		"count role=%s tid=%d syscall=openat n=%ld\n"
		"count role=%s tid=%d syscall=close n=%ld\n"
		"count role=%s tid=%d syscall=getcpu n=%ld\n",
		role, pid, pid, role, pid, n, role, pid, n, role, pid, k));
	put((int)fd, line, snprintf(line, sizeof(line),
		"span role=%s_sleep tid=%d start=%llu end=%llu req=%ld\n"
		"exit role=%s pid=%d code=%ld\n", role, pid, t0, t1, ms * 1000000,
		role, pid, code));
	return (int)code;
}
