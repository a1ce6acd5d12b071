// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * spawn.c - `record -- CMD`: fork the command blocked on a pipe so that
 * its pid can be put in the kernel's scope before it runs, then let it
 * exec: it is recorded from its first instruction.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "record_int.h"

static void child(int go, int errw, char *const *argv, const sigset_t *mask)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	char b;
	int e;

	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (read(go, &b, 1) != 1)       /* the recorder gave up */
		_exit(127);
	close(go);
	execvp(argv[0], argv);
	e = errno;
	if (write(errw, &e, sizeof(e)) != sizeof(e))
		_exit(127);
	_exit(127);
}

int kt_spawn(struct kt_child *c, char *const *argv, const sigset_t *mask)
{
	int go[2], er[2], ret;

	c->pid = -1;
	c->go_fd = c->err_fd = c->pidfd = -1;
	if (pipe2(go, O_CLOEXEC))
		return -errno;
	if (pipe2(er, O_CLOEXEC)) {
		ret = -errno;
		goto err_go;
	}
	c->pid = fork();
	if (c->pid < 0) {
		ret = -errno;
		goto err_er;
	}
	if (c->pid == 0) {
		close(go[1]);
		close(er[0]);
		child(go[0], er[1], argv, mask);
	}
	close(go[0]);
	close(er[1]);
	c->go_fd = go[1];
	c->err_fd = er[0];
	c->pidfd = syscall(SYS_pidfd_open, c->pid, 0);
	if (c->pidfd < 0) {
		ret = -errno;
		kt_spawn_close(c);
		return ret;
	}
	return 0;

err_er:
	close(er[0]);
	close(er[1]);
err_go:
	close(go[0]);
	close(go[1]);
	return ret;
}

int kt_spawn_go(struct kt_child *c)
{
	ssize_t n;
	int e = 0;

	if (write(c->go_fd, "g", 1) != 1)
		return -errno;
	close(c->go_fd);
	c->go_fd = -1;
	/* EOF: the exec succeeded and closed the pipe */
	do
		n = read(c->err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(c->err_fd);
	c->err_fd = -1;
	return n == sizeof(e) ? -e : 0;
}

void kt_spawn_close(struct kt_child *c)
{
	if (c->go_fd >= 0)
		close(c->go_fd);    /* an unreleased child exits 127 */
	if (c->err_fd >= 0)
		close(c->err_fd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->go_fd = c->err_fd = c->pidfd = -1;
}

int kt_wait_status_exit(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 0;
}
