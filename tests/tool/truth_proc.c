// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * truth_proc.c - ground-truth workloads of issue 10 about processes
 * (tests/truth/README.md); each appends what it measured to TRUTH (format
 * in truth.h):
 *
 *   truth_exec TRUTH STATIC [N [K [SLEEP_MS [WAIT_MS]]]]
 *       class 3: a child P runs bash, which reads a file, waits WAIT_MS
 *       (1200: what follows comes after a frame boundary of the capture, as
 *       in a long recording) in a read with a timeout, runs STATIC (tests/
 *       truth/exec_static.c, comm kt-truth-exec) once as a child Q of its
 *       own with stdout redirected (bash forks, opens, execs), then execs
 *       STATIC itself (P becomes kt-truth-exec).  Each STATIC makes exactly
 *       N openat, N close and K getcpu calls, sleeps SLEEP_MS once and
 *       writes its own truth (role=child: exits 5; role=exec: exits 4).
 *       Truth here: the wrapper's pid ("task role=wrapper") and its exit.
 *   truth_oom TRUTH CGDIR [MB]
 *       class 5: a child joins the memory-limited cgroup CGDIR (made by the
 *       script) and touches up to MB (512) megabytes until the OOM killer
 *       ends it.  Truth: the victim, how it died (read before it is reaped,
 *       with its whole-life CPU and run-queue time), the cgroup's oom_kill
 *       counter before and after ("oom cgroup=/NAME kills=N").
 *   truth_exit TRUTH
 *       class 8: a parent P forks A, which execs "kt-test-tool truth_fail"
 *       (an openat that fails with ENOENT, then exit 3), and B, which
 *       waits; P reaps A (status 3), SIGKILLs B, reaps it and exits 3.
 *       Truth: the pids, the statuses P reaped, the kill, A's failure, and
 *       P's own exit status (this command itself exits 0).
 *   truth_fail FD PATH
 *       A's program: openat(PATH) must fail; writes "fail ..." to FD.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tool.h"
#include "truth.h"

/* "exit role=R pid=P code=C" or "... signal=S" for wait status ST */
static void put_exit(int out, const char *role, pid_t pid, int st)
{
	if (WIFEXITED(st))
		kt_truth_put(out, "exit role=%s pid=%d code=%d", role, pid,
			     WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		kt_truth_put(out, "exit role=%s pid=%d signal=%d", role, pid,
			     WTERMSIG(st));
}

/* ----------------------------------------------------------------- exec */

KT_TOOL(truth_exec, "TRUTH STATIC [N [K [SLEEP_MS [WAIT_MS]]]]: class 3, bash execs a static binary")
{
	long n = kt_truth_arg(argc, argv, 3, 5000);
	long k = kt_truth_arg(argc, argv, 4, 1000);
	long ms = kt_truth_arg(argc, argv, 5, 150);
	long wait_ms = kt_truth_arg(argc, argv, 6, 1200);
	char script[512];
	int out, st, never[2];
	pid_t pid;

	if (argc < 3)
		return 2;
	/* kept across the execs: the static binary writes its own truth */
	out = kt_truth_open(argv[1], false);
	/* bash waits on the read end; nobody writes, the parent holds the
	 * write end (close-on-exec) */
	if (out < 0 || pipe(never) || fcntl(never[1], F_SETFD, FD_CLOEXEC))
		return 1;
	kt_truth_main(out);
	snprintf(script, sizeof(script),
		 "read -r h < /proc/sys/kernel/hostname; read -t %ld.%03ld -u %d x; "
		 "exec %d<&-; "
		 "\"$0\" %d %ld %ld %ld child 5 >/dev/null; "
		 "exec \"$0\" %d %ld %ld %ld exec 4",
		 wait_ms / 1000, wait_ms % 1000, never[0], never[0],
		 out, n, k, ms, out, n, k, ms);
	pid = fork();
	if (pid == 0) {
		execl("/bin/bash", "bash", "-c", script, argv[2], (char *)NULL);
		_exit(127);
	}
	close(never[0]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 1;
	kt_truth_put(out, "task role=wrapper pid=%d tid=%d comm=bash", pid, pid);
	put_exit(out, "wrapper", pid, st);
	return kt_truth_failed();
}

/* ------------------------------------------------------------------ oom */

/* The cgroup's oom_kill counter: "oom_kill N" in memory.oom_control (v1)
 * or memory.events (v2); -1 when neither says. */
static long oom_kills(const char *dir)
{
	static const char *files[] = { "memory.oom_control", "memory.events" };
	char path[4096], line[256];
	long v = -1;

	for (size_t i = 0; i < 2 && v < 0; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "oom_kill ", 9))
				v = strtol(line + 9, NULL, 10);
		fclose(f);
	}
	return v;
}

static void oom_child(int out, const char *dir, long mb)
{
	char path[4096], pid_s[24];
	int fd, n;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	n = snprintf(pid_s, sizeof(pid_s), "%d", getpid());
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, pid_s, n) != n)
		_exit(99);
	close(fd);
	kt_truth_put(out, "task role=victim pid=%d tid=%d start=%llu", getpid(),
		     kt_truth_tid(), (unsigned long long)kt_truth_now());
	for (long i = 0; i < mb; i++) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		memset(p, 1, 1 << 20);
	}
	_exit(0);
}

/* run and wait of a dead, unreaped child from /proc/PID/schedstat */
static void put_death(int out, pid_t pid, __u64 at)
{
	unsigned long long run = 0, wait = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%llu %llu", &run, &wait) != 2)
			run = wait = 0;
		fclose(f);
	}
	kt_truth_put(out, "death role=victim pid=%d at=%llu run=%llu wait=%llu",
		     pid, (unsigned long long)at, run, wait);
}

KT_TOOL(truth_oom, "TRUTH CGDIR [MB]: class 5, an OOM kill in a memory cgroup")
{
	long mb = kt_truth_arg(argc, argv, 3, 512);
	const char *name;
	long k0, k1;
	siginfo_t si;
	int out, st;
	pid_t pid;

	if (argc < 3)
		return 2;
	out = kt_truth_open(argv[1], true);
	if (out < 0)
		return 1;
	kt_truth_main(out);
	name = strrchr(argv[2], '/');
	k0 = oom_kills(argv[2]);
	pid = fork();
	if (pid == 0)
		oom_child(out, argv[2], mb);
	if (pid < 0)
		return 1;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, pid, &si, WEXITED | WNOWAIT))
		return 1;
	put_death(out, pid, kt_truth_now());
	if (waitpid(pid, &st, 0) != pid)
		return 1;
	k1 = oom_kills(argv[2]);
	put_exit(out, "victim", pid, st);
	kt_truth_put(out, "oom cgroup=%s kills=%ld", name ? name : argv[2],
		     k0 >= 0 && k1 >= 0 ? k1 - k0 : -1);
	return kt_truth_failed();
}

/* ----------------------------------------------------------------- exit */

KT_TOOL(truth_fail, "FD PATH: openat PATH (must fail), then exit 3")
{
	long fd = kt_truth_arg(argc, argv, 1, -1);
	int r, e;

	if (argc != 3 || fd < 0)
		return 2;
	r = open(argv[2], O_RDONLY | O_CLOEXEC);
	e = errno;
	kt_truth_put((int)fd, "fail role=exited pid=%d tid=%d syscall=openat ret=%d errno=%d path=%s",
		     getpid(), kt_truth_tid(), r < 0 ? -e : r, r < 0 ? e : 0,
		     argv[2]);
	return 3;
}

static void exit_parent(int out, const char *truth)
{
	char fd_s[16], path[4096];
	int st;
	pid_t a, b;

	kt_truth_put(out, "task role=parent pid=%d tid=%d", getpid(), getpid());
	snprintf(fd_s, sizeof(fd_s), "%d", out);
	snprintf(path, sizeof(path), "%s.missing-%d", truth, getpid());
	a = fork();
	if (a == 0) {
		execl("/proc/self/exe", "kt-test-tool", "truth_fail", fd_s, path,
		      (char *)NULL);
		_exit(127);
	}
	b = fork();
	if (b == 0) {
		for (;;)
			pause();
	}
	kt_truth_put(out, "task role=exited pid=%d tid=%d", a, a);
	kt_truth_put(out, "task role=killed pid=%d tid=%d", b, b);
	if (waitpid(a, &st, 0) != a)
		_exit(1);
	put_exit(out, "exited", a, st);
	kt_truth_put(out, "kill role=parent sender=%d target=%d signal=%d ret=%d",
		     getpid(), b, SIGKILL, kill(b, SIGKILL));
	if (waitpid(b, &st, 0) != b)
		_exit(1);
	put_exit(out, "killed", b, st);
	_exit(3);
}

KT_TOOL(truth_exit, "TRUTH: class 8, a parent reaps 3, kills one child, exits 3")
{
	int out, st;
	pid_t p;

	if (argc != 2)
		return 2;
	/* not close-on-exec: truth_fail writes its failure to it */
	out = kt_truth_open(argv[1], false);
	if (out < 0)
		return 1;
	kt_truth_main(out);
	p = fork();
	if (p == 0)
		exit_parent(out, argv[1]);
	if (p < 0 || waitpid(p, &st, 0) != p)
		return 1;
	put_exit(out, "parent", p, st);
	return kt_truth_failed();
}
