/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * syscall.bpf.h - every syscall as one completed record, paired in the
 * kernel: sys_enter keeps the enter time (and, for syscalls with recorded
 * arguments, the argument registers) in task storage; sys_exit emits one
 * KT_SYSCALL.  Strings and structs behind user pointers are read at exit,
 * when the kernel has already faulted them in; execve's path is the
 * exception (read at enter: the old memory is gone after a successful exec).
 *
 * This path runs twice per syscall on the whole host, so it does as little
 * as it can: one rodata byte says whether and how a syscall is recorded,
 * the state lives in a per-CPU slot (an inlined array lookup, where task
 * storage cost two lookups per syscall: 5 % of a syscall-heavy workload),
 * and syscalls without recorded arguments produce a 40-byte record.
 */
#ifndef KT_SYSCALL_BPF_H
#define KT_SYSCALL_BPF_H

/* Register slots saved at enter (x86-64 syscall ABI). */
enum { KT_DI, KT_SI, KT_DX, KT_R10, KT_R8 };

#define KT_S_IFMT 0170000

/* KT_FILE_ID of @fd in the current task's file table; 0 if none. */
static __always_inline __u64 kt_file_id(struct task_struct *t, __u64 fd)
{
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds, *f = NULL;
	struct inode *ino;

	if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return 0;
	ino = BPF_CORE_READ(f, f_inode);
	if (!ino)
		return 0;
	return KT_FILE_ID(BPF_CORE_READ(ino, i_mode) & KT_S_IFMT,
			  BPF_CORE_READ(ino, i_ino));
}

/* Classes whose arg0 is an fd and arg2 its file id. */
static __always_inline bool kt_sys_has_fd(__u32 cls)
{
	return cls >= KTR_SC_FD_COUNT && cls <= KTR_SC_FD;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(kt_sys_enter, struct pt_regs *regs, long id)
{
	__u64 pt = bpf_get_current_pid_tgid();
	struct ktr_sys_state *s;
	struct kt_exec_path *ep;
	struct task_struct *task;
	__u64 ts;
	__u8 cls;

	if ((__u64)id >= KTR_NR_MAX || !kt_cur_in_scope(pt))
		return 0;
	cls = sys_class[id];
	if (cls == KTR_SC_OFF)
		return 0;
	ts = bpf_ktime_get_ns();
	s = kt_sys_slot();
	if (!s)
		return 0;
	/* another task's syscall still here: the switch away from it ran
	 * no program (a switch gap), so it was never parked; it is lost */
	if (s->enter_ts && s->tid != (__u32)pt)
		kt_emit_lost(ts, s->tid, 0, KT_FAM_SYSCALL, KT_LOST_SWITCH_GAP,
			     s->enter_ts);
	task = bpf_get_current_task_btf();
	s->enter_ts = ts;
	s->tid = (__u32)pt;
	s->nr = id;
	s->cls = cls;
	s->flags = 0;
	s->nvcsw = task->nvcsw;
	if (cls == KTR_SC_NONE)
		return 0;
	s->regs[KT_DI] = regs->di;
	s->regs[KT_SI] = regs->si;
	s->regs[KT_DX] = regs->dx;
	s->regs[KT_R10] = regs->r10;
	s->regs[KT_R8] = regs->r8;
	/* close() has no fd left at exit to name what it closed */
	if (cls == KTR_SC_FD)
		s->file_id = kt_file_id(task, regs->di);
	if (cls == KTR_SC_EXECVE || cls == KTR_SC_EXECVEAT) {
		ep = bpf_task_storage_get(&exec_path, task, 0,
					  BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (ep && bpf_probe_read_user_str(ep->path, sizeof(ep->path),
			    (void *)s->regs[cls == KTR_SC_EXECVE ? KT_DI : KT_SI]) < 0)
			ep->path[0] = 0;
	}
	return 0;
}

/* Copy a syscall in progress between a CPU slot and a task's storage,
 * keeping the destination's name flag. */
static __always_inline void kt_sys_move(struct ktr_sys_state *dst,
					struct ktr_sys_state *src)
{
	__u8 named = dst->named;

	__builtin_memcpy(dst, src, sizeof(*dst));
	dst->named = named;
	src->enter_ts = 0;
}

/*
 * kt_sys_switch - at a context switch: park the syscall prev is in (its
 * CPU slot) in prev's storage, and bring back the one next left parked.
 * A failed storage allocation loses that syscall (counted).
 */
static __always_inline void kt_sys_switch(struct task_struct *prev,
					  struct task_struct *next)
{
	struct ktr_sys_state *v = kt_sys_slot(), *s;

	if (!v)
		return;
	if (v->enter_ts) {
		if (v->tid == prev->pid) {
			s = bpf_task_storage_get(&sys_state, prev, 0,
					BPF_LOCAL_STORAGE_GET_F_CREATE);
			if (s)
				kt_sys_move(s, v);
			else
				kt_drop(bpf_get_smp_processor_id(),
					KT_FAM_SYSCALL);
		}
		v->enter_ts = 0;
	}
	s = bpf_task_storage_get(&sys_state, next, 0, 0);
	if (s && s->enter_ts)
		kt_sys_move(v, s);
}

/*
 * kt_sys_unpark - at a syscall exit that finds the CPU slot without the
 * current task's syscall: the switch that put the task here ran no
 * program (a switch gap), so its syscall is still parked in its storage.
 * Bring it back (what the slot held instead is lost: counted).  Returns
 * the slot, or NULL when the task has no syscall parked (one entered
 * before recording began).
 */
static __always_inline struct ktr_sys_state *
kt_sys_unpark(struct ktr_sys_state *v, struct task_struct *task, __u32 tid)
{
	struct ktr_sys_state *s = bpf_task_storage_get(&sys_state, task, 0, 0);

	if (!s || !s->enter_ts || s->tid != tid)
		return NULL;
	if (v->enter_ts)
		kt_emit_lost(bpf_ktime_get_ns(), v->tid, 0, KT_FAM_SYSCALL,
			     KT_LOST_SWITCH_GAP, v->enter_ts);
	kt_sys_move(v, s);
	return v;
}

struct kt_timespec {
	__s64 sec;
	__s64 nsec;             /* usec for a timeval */
};

/* The timespec at user address @p in ns; ~0 when absent or unreadable. */
static __always_inline __u64 kt_user_ts_ns(__u64 p, __u64 unit)
{
	struct kt_timespec t;

	if (!p || bpf_probe_read_user(&t, sizeof(t), (void *)p))
		return ~0ULL;
	return t.sec * 1000000000ULL + t.nsec * unit;
}

static __always_inline __u64 kt_ms(__u64 ns)
{
	return ns == ~0ULL ? ~0ULL : ns / 1000000;
}

/* A sockaddr of @len bytes at user address @p into @dst; returns bytes. */
static __always_inline __u32 kt_sockaddr(char *dst, __u64 p, __u64 len)
{
	if (!p || (__s64)len <= 0)
		return 0;
	if (len > 128)
		len = 128;
	if (bpf_probe_read_user(dst, len, (void *)p))
		return 0;
	return len;
}

/* A NUL-terminated user path at @p into @dst; returns bytes without NUL. */
static __always_inline __u32 kt_upath(char *dst, __u64 p)
{
	long n;

	if (!p)
		return 0;
	n = bpf_probe_read_user_str(dst, KTR_PATH_MAX, (void *)p);
	return n > 0 ? n - 1 : 0;
}

/* The two fds pipe/pipe2/socketpair wrote at user address @p (fd0 in
 * the low half, as int[2] lies in memory), or ~0 when unreadable. */
static __always_inline __u64 kt_fd_pair(__u64 p)
{
	__u64 pair;

	if (!p || bpf_probe_read_user(&pair, sizeof(pair), (void *)p))
		return ~0ULL;
	return pair;
}

/* Decode the arguments of a class that has no string; @kf: the
 * KT_SYSCALL_* flags so far.  The file id is looked up once, for @fd:
 * arg0's when the syscall blocked or woke, a new pipe's or socket
 * pair's first fd always (they are rare, and name the object both fds
 * share). */
static __always_inline void kt_sys_args(struct ktr_syscall_ext *r,
					struct ktr_sys_state *s,
					struct task_struct *task, __u32 kf,
					long ret)
{
	__u64 *a = r->arg, *g = s->regs, fd = g[KT_DI], pair = ~0ULL;
	bool look = kf && kt_sys_has_fd(s->cls);

	a[0] = a[1] = a[2] = 0;
	switch (s->cls) {
	case KTR_SC_FD_COUNT:
		a[0] = g[KT_DI];
		a[1] = g[KT_DX];
		break;
	case KTR_SC_FD_VEC:
		a[0] = g[KT_DI];
		break;
	case KTR_SC_FD:
		a[0] = g[KT_DI];
		if (kf)
			a[2] = s->file_id;
		return;
	case KTR_SC_SENDFILE:
		a[0] = g[KT_DI];
		a[1] = g[KT_R10];
		break;
	case KTR_SC_SPLICE:
		a[0] = g[KT_DI];
		a[1] = g[KT_R8];
		break;
	case KTR_SC_FUTEX:
		a[0] = g[KT_DI];
		a[1] = g[KT_SI];
		a[2] = (__u32)g[KT_DX];
		break;
	case KTR_SC_NANOSLEEP:
		a[0] = kt_user_ts_ns(g[KT_DI], 1);
		break;
	case KTR_SC_CLOCK_NANOSLEEP:
		a[0] = kt_user_ts_ns(g[KT_DX], 1);
		break;
	case KTR_SC_POLL_MS_DX:
		a[1] = (__s64)(int)g[KT_DX];
		break;
	case KTR_SC_POLL_MS_R10:
		a[1] = (__s64)(int)g[KT_R10];
		break;
	case KTR_SC_POLL_TS_DX:
		a[1] = kt_ms(kt_user_ts_ns(g[KT_DX], 1));
		break;
	case KTR_SC_POLL_TS_R8:
		a[1] = kt_ms(kt_user_ts_ns(g[KT_R8], 1));
		break;
	case KTR_SC_POLL_TV_R8:
		a[1] = kt_ms(kt_user_ts_ns(g[KT_R8], 1000));
		break;
	case KTR_SC_KILL:
		a[0] = (__s64)(int)g[KT_DI];
		a[1] = g[KT_SI];
		break;
	case KTR_SC_TGKILL:
		a[0] = (__s64)(int)g[KT_SI];
		a[1] = g[KT_DX];
		break;
	case KTR_SC_WAIT4:
		a[0] = (__s64)(int)g[KT_DI];
		break;
	case KTR_SC_WAITID:
		a[0] = (__s64)(int)g[KT_SI];
		break;
	case KTR_SC_ARGS3:
		a[2] = g[KT_DX];
		/* fall through */
	case KTR_SC_ARGS2:
		a[1] = g[KT_SI];
		/* fall through */
	case KTR_SC_ARGS1:
		a[0] = g[KT_DI];
		break;
	case KTR_SC_PIPE2:
		a[1] = g[KT_SI];
		/* fall through */
	case KTR_SC_PIPE:
		if (!ret)
			pair = kt_fd_pair(g[KT_DI]);
		break;
	case KTR_SC_SOCKETPAIR:
		a[1] = (__u32)g[KT_SI] | g[KT_DI] << 32;
		if (!ret)
			pair = kt_fd_pair(g[KT_R10]);
		break;
	case KTR_SC_CLONE3:
		if (!g[KT_DI] || bpf_probe_read_user(&a[0], sizeof(a[0]),
						     (void *)g[KT_DI]))
			a[0] = 0;
		break;
	case KTR_SC_MMAP:
		a[0] = g[KT_DI];
		a[1] = g[KT_SI];
		a[2] = (__u32)g[KT_R8] | (g[KT_DX] & 0xff) << 32 |
		       (g[KT_R10] & 0xffffff) << 40;
		break;
	}
	if (pair != ~0ULL) {
		a[0] = pair;
		fd = (__u32)pair;
		look = true;
	}
	if (look)
		a[2] = kt_file_id(task, fd);
}

static __always_inline bool kt_sys_has_str(__u32 cls)
{
	return cls >= KTR_SC_OPENAT && cls <= KTR_SC_SOCKADDR_OUT ||
	       cls == KTR_SC_EXECVE || cls == KTR_SC_EXECVEAT ||
	       cls == KTR_SC_ACCEPT4 || cls == KTR_SC_MEMFD;
}

/* Decode the arguments and string of a class that has one; returns the
 * string length. */
static __always_inline __u32 kt_sys_str(struct ktr_syscall_ext *r,
					struct ktr_sys_state *s, long ret)
{
	struct kt_exec_path *ep;
	__u64 *a = r->arg, *g = s->regs;
	__u64 how[2];
	__u32 len = 0, n;

	a[0] = a[1] = a[2] = 0;
	switch (s->cls) {
	case KTR_SC_OPENAT:
		a[0] = (__s64)(int)g[KT_DI];
		a[1] = g[KT_DX];
		a[2] = g[KT_R10];
		len = kt_upath(r->str, g[KT_SI]);
		break;
	case KTR_SC_OPENAT2:
		a[0] = (__s64)(int)g[KT_DI];
		if (g[KT_DX] && !bpf_probe_read_user(how, sizeof(how),
						     (void *)g[KT_DX])) {
			a[1] = how[0];
			a[2] = how[1];
		}
		len = kt_upath(r->str, g[KT_SI]);
		break;
	case KTR_SC_OPEN:
		a[1] = g[KT_SI];
		a[2] = g[KT_DX];
		len = kt_upath(r->str, g[KT_DI]);
		break;
	case KTR_SC_PATH0:
		len = kt_upath(r->str, g[KT_DI]);
		break;
	case KTR_SC_PATH1:      /* *at(): record.more_args adds the dirfd */
		a[0] = (__s64)(int)g[KT_DI];
		len = kt_upath(r->str, g[KT_SI]);
		break;
	case KTR_SC_RENAME:
	case KTR_SC_RENAMEAT:
		/* fixed halves: record/ joins them as "old\0new" */
		kt_upath(r->str, g[s->cls == KTR_SC_RENAME ? KT_DI : KT_SI]);
		kt_upath(r->str + KTR_PATH_MAX,
			 g[s->cls == KTR_SC_RENAME ? KT_SI : KT_R10]);
		len = KTR_STR_MAX;
		break;
	case KTR_SC_SOCKADDR_IN:
		a[0] = (__s64)(int)g[KT_DI];
		len = kt_sockaddr(r->str, g[KT_SI], (__u32)g[KT_DX]);
		break;
	case KTR_SC_ACCEPT4:
		a[1] = g[KT_R10];
		/* fall through */
	case KTR_SC_SOCKADDR_OUT:
		a[0] = (__s64)(int)g[KT_DI];
		if (ret >= 0 && g[KT_SI] && g[KT_DX] &&
		    !bpf_probe_read_user(&n, sizeof(n), (void *)g[KT_DX]))
			len = kt_sockaddr(r->str, g[KT_SI], n);
		break;
	case KTR_SC_MEMFD:
		a[1] = g[KT_SI];
		len = kt_upath(r->str, g[KT_DI]);
		break;
	case KTR_SC_EXECVE:
	case KTR_SC_EXECVEAT:
		ep = bpf_task_storage_get(&exec_path,
					  bpf_get_current_task_btf(), 0, 0);
		if (ep) {
			long k = bpf_probe_read_kernel_str(r->str, KTR_PATH_MAX,
							   ep->path);
			len = k > 0 ? k - 1 : 0;
		}
		break;
	}
	return len;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(kt_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pt = bpf_get_current_pid_tgid(), now;
	struct task_struct *task;
	struct ktr_sys_state *s;
	struct ktr_syscall_ext *x;
	struct ktr_syscall *r;
	struct kt_out o;
	__u32 kf;

	s = kt_sys_slot();
	if (!s)
		return 0;
	task = bpf_get_current_task_btf();
	if (!s->enter_ts || s->tid != (__u32)pt)
		s = kt_sys_unpark(s, task, (__u32)pt);
	if (!s)
		return 0;
	now = bpf_ktime_get_ns();
	kf = s->flags;
	if (task->nvcsw != s->nvcsw)
		kf |= KT_SYSCALL_BLOCKED;
	if (s->cls == KTR_SC_NONE) {
		r = kt_reserve(&o, sizeof(*r), KT_FAM_SYSCALL);
		if (!r)
			goto done;
		kt_hdr(&r->h, now, (__u32)pt, pt >> 32, KT_SYSCALL);
		r->h.a16 = s->nr;
		r->h.a32 = kf << KTR_SYS_FLAG_SHIFT;
		r->dur = now - s->enter_ts;
		r->ret = ret;
		kt_submit(&o, r);
	} else if (!kt_sys_has_str(s->cls)) {
		x = kt_reserve(&o, offsetof(struct ktr_syscall_ext, str),
			       KT_FAM_SYSCALL);
		if (!x)
			goto done;
		kt_hdr(&x->s.h, now, (__u32)pt, pt >> 32, KT_SYSCALL);
		x->s.h.a16 = s->nr;
		x->s.h.a32 = KTR_SYS_ARGS | kf << KTR_SYS_FLAG_SHIFT;
		x->s.dur = now - s->enter_ts;
		x->s.ret = ret;
		kt_sys_args(x, s, task, kf, ret);
		kt_submit(&o, x);
	} else {
		x = kt_reserve(&o, sizeof(*x), KT_FAM_SYSCALL);
		if (!x)
			goto done;
		kt_hdr(&x->s.h, now, (__u32)pt, pt >> 32, KT_SYSCALL);
		x->s.h.a16 = s->nr;
		x->s.dur = now - s->enter_ts;
		x->s.ret = ret;
		x->s.h.a32 = KTR_SYS_ARGS | KTR_SYS_STR |
			     kf << KTR_SYS_FLAG_SHIFT | kt_sys_str(x, s, ret);
		kt_submit(&o, x);
	}
done:
	s->enter_ts = 0;
	return 0;
}

#endif /* KT_SYSCALL_BPF_H */
