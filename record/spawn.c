// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * spawn.c - `record -- CMD`: fork the command blocked on a pipe so that
 * its pid can be put in the kernel's scope before it runs, then let it
 * exec: it is recorded from its first instruction.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "record_int.h"

/* What the child reports on its error pipe when it cannot go on. */
enum { FAIL_EXEC, FAIL_USER };

static void child_fail(int errw, int stage)
{
	int e[2] = { stage, errno };

	if (write(errw, e, sizeof(e)) != sizeof(e))
		_exit(127);
	_exit(127);
}

static void child(int go, int errw, char *const *argv, const sigset_t *mask,
		  const struct kt_creds *cr)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	char b;

	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (read(go, &b, 1) != 1)       /* the recorder gave up */
		_exit(127);
	close(go);
	/* groups and gid while still privileged, the uid last */
	if (cr && (setgroups(cr->ngroups, cr->groups) || setgid(cr->gid) ||
		   setuid(cr->uid)))
		child_fail(errw, FAIL_USER);
	execvp(argv[0], argv);
	child_fail(errw, FAIL_EXEC);
}

int kt_user_lookup(const char *user, struct kt_creds *c, struct kt_err *err)
{
	struct passwd *pw;
	unsigned long v;
	char *end;
	int n = 32;

	memset(c, 0, sizeof(*c));
	errno = 0;
	pw = getpwnam(user);
	if (!pw && *user >= '0' && *user <= '9') {
		v = strtoul(user, &end, 10);
		if (!*end && v < UINT_MAX)
			pw = getpwuid((uid_t)v);
	}
	if (!pw)
		return kt_rec_fail(err, -ENOENT, KT_ERR_INPUT,
				   "-u '%s': no such user", user);
	c->uid = pw->pw_uid;
	c->gid = pw->pw_gid;
	for (;;) {
		gid_t *g = realloc(c->groups, n * sizeof(*g));

		if (!g) {
			kt_creds_release(c);
			return kt_rec_fail(err, -ENOMEM, KT_ERR_SYSTEM,
					   "out of memory");
		}
		c->groups = g;
		c->ngroups = n;
		if (getgrouplist(pw->pw_name, pw->pw_gid, c->groups,
				 &c->ngroups) >= 0)
			return 0;
		if (c->ngroups <= n)    /* no growth asked: give up on them */
			n *= 2;
		else
			n = c->ngroups;
		if (n > 65536) {
			kt_creds_release(c);
			return kt_rec_fail(err, -E2BIG, KT_ERR_SYSTEM,
					   "-u '%s': too many groups", user);
		}
	}
}

void kt_creds_release(struct kt_creds *c)
{
	free(c->groups);
	c->groups = NULL;
	c->ngroups = 0;
}

int kt_spawn(struct kt_child *c, char *const *argv, const sigset_t *mask,
	     const struct kt_creds *cr)
{
	int go[2], er[2], ret;

	c->pid = -1;
	c->failed_as_user = false;
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
		child(go[0], er[1], argv, mask, cr);
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
	int e[2] = { 0, 0 };

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
	if (n != sizeof(e))
		return 0;
	c->failed_as_user = e[0] == FAIL_USER;
	return -e[1];
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
