// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * requests.c - SIGUSR1s (flight dump requests) counted by a thread of
 * their own.  A standard signal is not queued: a second SIGUSR1 that
 * comes while the first is still pending is lost in the kernel.  Taken
 * by a handler of the recording thread, a request stayed pending as long
 * as that thread was in a system call that does not take signals (the
 * fsync of a dump, the BPF verifier, a write throttled by dirty pages),
 * and requests sent 0.3 s apart during a slow dump merged.  This thread
 * does nothing but wait in sigwaitinfo(), so a request is taken as soon
 * as it is scheduled; every other thread keeps SIGUSR1 blocked.  It is
 * stopped by a SIGUSR1 its own process sends it once the stop flag is
 * set (si_pid ours; a request from anyone else carries another pid, and
 * si_code cannot tell: this kernel says SI_USER for tgkill too).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>
#include "record_int.h"

static void *take(void *arg)
{
	struct kt_requests *q = arg;
	pid_t self = getpid();
	sigset_t set;
	siginfo_t si;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (;;) {
		if (sigwaitinfo(&set, &si) != SIGUSR1)
			continue;
		if (si.si_pid == self && atomic_load(&q->stop))
			break;
		atomic_fetch_add(&q->n, 1);
	}
	return NULL;
}

int kt_requests_start(struct kt_requests *q)
{
	atomic_init(&q->n, 0);
	atomic_init(&q->stop, false);
	q->running = false;
	if ((errno = pthread_create(&q->thread, NULL, take, q)))
		return -errno;
	q->running = true;
	return 0;
}

unsigned kt_requests_count(struct kt_requests *q)
{
	return atomic_load(&q->n);
}

unsigned kt_requests_stop(struct kt_requests *q)
{
	const struct timespec now = { 0 };
	sigset_t usr1;

	if (q->running) {
		atomic_store(&q->stop, true);
		pthread_kill(q->thread, SIGUSR1);
		pthread_join(q->thread, NULL);
		q->running = false;
	}
	/* those pending still (the caller blocks SIGUSR1): one each, the
	 * most the kernel kept of them */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	while (sigtimedwait(&usr1, NULL, &now) == SIGUSR1)
		atomic_fetch_add(&q->n, 1);
	return atomic_load(&q->n);
}
