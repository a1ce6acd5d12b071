// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * opens.c - the workload of tests/live/identity_exec.sh, built there with
 * gcc -static (no dynamic loader, so every openat after the exec is one of
 * these): open and close /dev/null N times, then print its own truth on
 * stdout: "pid P opens N" with the opens that succeeded.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000, ok = 0;

	for (long i = 0; i < n; i++) {
		int fd = open("/dev/null", O_RDONLY);

		if (fd >= 0) {
			ok++;
			close(fd);
		}
	}
	printf("pid %d opens %ld\n", (int)getpid(), ok);
	return 0;
}
