/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * record_int.h - internals of record/ shared by its files: the BPF side
 * (bpf.c), the conversion of ring records into events (convert.c), the
 * syscall table (syscalls.c), the /proc snapshot (snapshot.c), metadata
 * and clocks (meta.c), the command (spawn.c) and packets (pcap.c).  The
 * session (session.c) ties them together.
 */
#ifndef KT_RECORD_INT_H
#define KT_RECORD_INT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <jansson.h>
#include "format/event.h"
#include "bpf/events.h"
#include "record.h"

struct kt_writer;

/* kt_rec_fail - fill @err: kt_err_set() without a byte offset.  Returns
 * @code. */
#define kt_rec_fail(err, code, what, ...) \
	kt_err_set(err, code, what, ~0ULL, __VA_ARGS__)

/* ------------------------------------------------------------ syscalls */

/* kt_sys_name - the name of syscall @nr on this architecture, or NULL. */
const char *kt_sys_name(__u32 nr);
/* kt_sys_nr - the number of syscall @name (@len bytes), or -ENOENT. */
int kt_sys_nr(const char *name, size_t len);
/* kt_sys_class_table - fill @tab with the enum ktr_sysclass of every
 * syscall number; with @list, syscalls not named are KTR_SC_OFF.
 * Returns 0 or -EINVAL (unknown name). */
int kt_sys_class_table(__u8 tab[KTR_NR_MAX], const char *list);

/* -------------------------------------------------------------- redact */

/* kt_redact_json - the metadata value record.redact: the names of the
 * KT_REDACT_* bits of @mask.  New reference, NULL on ENOMEM. */
json_t *kt_redact_json(unsigned mask);

/* kt_redact_path - @n bytes of path @p with every component but "." and
 * ".." replaced by a star, into @out (at least @n bytes; may be @p).
 * Returns the bytes written (at most @n). */
size_t kt_redact_path(const char *p, size_t n, char *out);

/* kt_redact_argv - a NUL-separated argument list of @n bytes, redacted
 * as @mask says (KT_REDACT_ARGS: argv[0] only; KT_REDACT_PATHS: every
 * argument holding a '/' as a path), into @out (at least @n bytes; may
 * be @v).  Returns the bytes written (at most @n). */
size_t kt_redact_argv(const char *v, size_t n, unsigned mask, char *out);

/* kt_redact_sockaddr - a raw struct sockaddr of @n bytes with a unix
 * socket's path redacted (an abstract name becomes a star), into @out
 * (at least @n bytes; may be @sa).  Returns the bytes written. */
size_t kt_redact_sockaddr(const void *sa, size_t n, void *out);

/* kt_redact_headers - how many of the @caplen bytes of a packet of pcap
 * link type @linktype are headers (link, IPv4/IPv6 with extension
 * headers, TCP/UDP/ICMP): the bytes --redact payload keeps.  0 for a
 * link type it does not know. */
__u32 kt_redact_headers(__u32 linktype, const unsigned char *d,
			__u32 caplen);

/* ------------------------------------------------------------- convert */

struct kt_conv {
	/* intern @len bytes at @s, return a string handle (UINT32_MAX on
	 * ENOMEM); kt_writer_str() in a recording */
	__u32 (*intern)(void *ctx, const void *s, size_t len);
	void *ctx;
	const __u8 *sys_class;  /* KTR_NR_MAX entries, as loaded */
	unsigned redact;        /* KT_REDACT_*: applied before interning */
};

/*
 * kt_convert - turn one ring record of @size bytes from CPU @cpu into
 * @ev.  Returns 1, or -EBADMSG for a record that does not parse (a bug,
 * never expected), or -ENOMEM when interning a string failed.
 */
int kt_convert(const struct kt_conv *c, const void *rec, size_t size,
	       __u32 cpu, struct kt_event *ev);

/* kt_norm_state - the kernel's prev_state argument of sched_switch
 * (with KTR_SW_PREEMPT) as an enum kt_task_state | KT_STATE_* flags. */
__u32 kt_norm_state(__u32 raw);

/* kt_blk_errno - a blk_status_t as a negative errno (0 = success). */
__s32 kt_blk_errno(__u32 status);

/* ---------------------------------------------------------------- caps */

#define KT_MISSING_PTRACE 0x1   /* no CAP_SYS_PTRACE: other users' exe,
				 * fds and cwd are not in the snapshots */

/* kt_caps_check - the capabilities @o needs (CAP_BPF and CAP_PERFMON,
 * CAP_NET_RAW with --pcap, CAP_SETUID and CAP_SETGID with -u): 0, or
 * -EPERM with @err naming the one missing.  @missing: the optional ones
 * missing (KT_MISSING_*). */
int kt_caps_check(const struct kt_record_opts *o, unsigned *missing,
		  struct kt_err *err);

/* kt_caps_missing_json - the metadata value record.missing: one line per
 * KT_MISSING_* bit of @missing saying what the capture lacks; @denied
 * processes were refused.  New reference, NULL on ENOMEM. */
json_t *kt_caps_missing_json(unsigned missing, long denied);

/* ----------------------------------------------------------------- bpf */

struct kt_bpf;

struct kt_bpf_cfg {
	__u64 kind_mask;        /* kinds wanted */
	__u32 self_tgid;
	__u32 scope;            /* enum ktr_scope */
	bool follow;
	int cgroup_fd;          /* KTR_SCOPE_CGROUP: open cgroup v2 dir */
	const __u8 *sys_class;  /* KTR_NR_MAX entries */
	__u64 ring_bytes;       /* per CPU */
	__u32 fault_period;
	__u64 rss_interval_ns;
	FILE *warn;             /* one line per disabled family */
};

/* ring record callback: @cpu is the ring's CPU; non-zero stops draining */
typedef int (*kt_ring_fn)(void *ctx, __u32 cpu, const void *rec,
			  size_t size);

/* kt_bpf_caps - 0 when this process may load and attach the programs,
 * else -EPERM with @err naming the missing capability. */
int kt_bpf_caps(struct kt_err *err);

/*
 * kt_bpf_open - open the object, drop programs whose tracepoint this
 * kernel lacks (warning once per family on cfg->warn), set rodata, size
 * the rings and load.  Returns 0 or a negative errno with @err filled
 * (KT_ERR_SYSTEM: the kernel rejected a program or map).
 */
int kt_bpf_open(struct kt_bpf **out, const struct kt_bpf_cfg *cfg,
		struct kt_err *err);

/* kt_bpf_kinds - the kinds that will be recorded (cfg->kind_mask minus
 * families this kernel cannot trace). */
__u64 kt_bpf_kinds(const struct kt_bpf *b);

/* kt_bpf_scope_add - put thread group @tgid in scope.  Returns 0 or a
 * negative errno. */
int kt_bpf_scope_add(struct kt_bpf *b, __u32 tgid);

/* kt_bpf_in_scope - whether thread group @tgid is in the scope_pids map. */
bool kt_bpf_in_scope(struct kt_bpf *b, __u32 tgid);

/* kt_bpf_attach - attach every loaded program; create the rings and
 * route their records to @fn.  Returns 0 or a negative errno with @err
 * naming the program (KT_ERR_SYSTEM). */
int kt_bpf_attach(struct kt_bpf *b, kt_ring_fn fn, void *ctx,
		  struct kt_err *err);

/* kt_bpf_epoll_fd - readable when a ring asked for a wakeup. */
int kt_bpf_epoll_fd(const struct kt_bpf *b);

struct kt_clock;
/* kt_bpf_consume - drain every ring, in turn from the one after the ring
 * the last drain stopped in; @start: the clocks read before it began.
 * Returns records consumed or a negative errno (the ring callback's: it
 * can cut a drain short). */
long kt_bpf_consume(struct kt_bpf *b, const struct kt_clock *start);
/* kt_bpf_drained - the oldest of the CPUs' last emptying drain starts:
 * every record committed before @out->mono_ns on any CPU has been handed
 * out (all zero until every ring was emptied once). */
void kt_bpf_drained(const struct kt_bpf *b, struct kt_clock *out);

/* kt_bpf_detach - stop every program (the rings keep what they hold). */
void kt_bpf_detach(struct kt_bpf *b);

__u32 kt_bpf_ncpus(const struct kt_bpf *b);

/* kt_bpf_quiesce - after kt_bpf_detach: wait until no program is still
 * running (an RCU grace period), so that the rings and counters read next
 * are final. */
void kt_bpf_quiesce(const struct kt_bpf *b);

/* kt_bpf_attempts - records the programs tried to emit so far on @cpu,
 * per family, lost or not (@out has KT_FAM_MAX entries). */
void kt_bpf_attempts(const struct kt_bpf *b, __u32 cpu, __u64 *out);

/* kt_bpf_lost - events lost so far on @cpu, per family (@out has
 * KT_FAM_MAX entries). */
void kt_bpf_lost(const struct kt_bpf *b, __u32 cpu, __u64 *out);

/* kt_bpf_misses - runs of a program skipped because it was already
 * running on that CPU (a tracepoint hit from an interrupt that nested
 * inside the same program), per family (@out has KT_FAM_MAX entries). */
void kt_bpf_misses(const struct kt_bpf *b, __u64 *out);

/* kt_bpf_misses_foreach - call @fn with the skipped runs of every loaded
 * program (bpf_prog_info.recursion_misses) and the family they count in. */
void kt_bpf_misses_foreach(const struct kt_bpf *b,
			   void (*fn)(void *ctx, const char *prog, __u32 fam,
				      __u64 misses),
			   void *ctx);

/* kt_bpf_iter_listeners - run the tcp iterator once: every TCP listener
 * of every network namespace joins the listeners map (owner unknown).
 * Returns 0, -EOPNOTSUPP when the program is not loaded (no TCP, or a
 * kernel without the iterator), or a negative errno. */
int kt_bpf_iter_listeners(struct kt_bpf *b);

/* kt_bpf_listeners_foreach - call @fn on every entry of the listeners
 * map (@key: netns inode << 16 | port). */
void kt_bpf_listeners_foreach(const struct kt_bpf *b,
			      void (*fn)(void *ctx, __u64 key,
					 const struct ktr_listener *l),
			      void *ctx);

/* kt_bpf_listener_owner - set the owner of the listener at @key when it is
 * still the one with @cookie and has none.  Returns 0 or a negative
 * errno. */
int kt_bpf_listener_owner(struct kt_bpf *b, __u64 key, __u64 cookie,
			  const struct ktr_owner *ow);

/* kt_bpf_inflight_foreach - call @fn on every block request still in
 * flight. */
void kt_bpf_inflight_foreach(const struct kt_bpf *b,
			     void (*fn)(void *ctx, const struct ktr_inflight *f),
			     void *ctx);

/* kt_bpf_sys_slots - every CPU's slot: the syscall its running task is
 * in (enter_ts != 0, tid).  @out (n entries) is the caller's to free.
 * Returns 0 or a negative errno. */
int kt_bpf_sys_slots(const struct kt_bpf *b, struct ktr_sys_state **out,
		     __u32 *n);

/* kt_bpf_sys_state - the syscall thread @tid left parked when it went off
 * its CPU (st->enter_ts != 0), read through a pidfd.  Returns 0, or a
 * negative errno (-ENOENT: none). */
int kt_bpf_sys_state(const struct kt_bpf *b, pid_t tid,
		     struct ktr_sys_state *st);

/* kt_bpf_close - detach, free the rings and the object.  Accepts NULL. */
void kt_bpf_close(struct kt_bpf *b);

/* ------------------------------------------------------------ snapshot */

/* kt_snapshot - add every thread in /proc whose thread group @keep
 * accepts (all when @keep is NULL), and every kernel thread, to @w
 * (kt_writer_task), start times converted with @boot_to_mono
 * (CLOCK_MONOTONIC - CLOCK_BOOTTIME), exe and cmdline redacted as
 * @redact (KT_REDACT_*) says.  @denied: the processes whose exe the
 * kernel refused (other users', without CAP_SYS_PTRACE).  Returns the
 * number of threads or a negative errno. */
long kt_snapshot(struct kt_writer *w, __s64 boot_to_mono,
		 bool (*keep)(void *ctx, pid_t tgid), void *keep_ctx,
		 unsigned redact, long *denied);

/* kt_fd_snapshot - the open fds of every process that @keep accepts (all
 * when NULL) but ours: the value of the metadata key proc.fds
 * (docs/format.md), a new reference; NULL on ENOMEM or without /proc.
 * With KT_REDACT_PATHS in @redact, the paths (fd targets, working
 * directories, unix socket paths) are redacted. */
json_t *kt_fd_snapshot(bool (*keep)(void *ctx, pid_t tgid), void *keep_ctx,
		       unsigned redact);

/* kt_for_each_tid - call @fn for every thread of /proc (pid, tid). */
void kt_for_each_tid(void (*fn)(void *ctx, pid_t pid, pid_t tid), void *ctx);

/* ----------------------------------------------------------- listeners */

/* kt_listeners_start - register the TCP listeners that exist at start
 * (kt_bpf_iter_listeners) and name their owners from /proc/PID/fd: the
 * first thread group holding the listener's socket, in scope when
 * @in_scope says so.  Returns the number of listeners given an owner,
 * or a negative errno (-EOPNOTSUPP: no iterator). */
int kt_listeners_start(struct kt_bpf *b,
		       bool (*in_scope)(void *ctx, pid_t tgid), void *ctx);

/* --------------------------------------------------------------- scope */

/* kt_cgroup_open - open --cgroup @path (a cgroup v2 directory, or a path
 * below the cgroup2 mount); v1 hierarchies are refused.  Returns 0 and the
 * directory in @fd, or a negative errno with @err filled. */
int kt_cgroup_open(const char *path, int *fd, struct kt_err *err);

/* kt_cgroup_procs - call @fn on every thread group in the cgroup and its
 * descendants. */
void kt_cgroup_procs(int cgfd, int (*fn)(void *ctx, __u32 tgid), void *ctx);

/* kt_pids_check - -ESRCH with @err filled when a pid does not exist. */
int kt_pids_check(const pid_t *pids, size_t n, struct kt_err *err);

/* kt_pids_descendants - call @fn on every live descendant of @pids. */
void kt_pids_descendants(const pid_t *pids, size_t n,
			 int (*fn)(void *ctx, __u32 tgid), void *ctx);

/* -------------------------------------------------------------- clocks */

struct kt_clock {
	__u64 mono_ns;          /* the capture clock (bpf_ktime_get_ns) */
	__u64 real_ns;
	__u64 boot_ns;
};

/* kt_clock_now - one anchor: realtime and boottime read between two
 * monotonic reads, the closest of a few tries. */
void kt_clock_now(struct kt_clock *c);

__u64 kt_mono_ns(void);

/* kt_clock_json - {"monotonic_ns", "realtime_ns", "boottime_ns"}. */
json_t *kt_clock_json(const struct kt_clock *c);

/* ---------------------------------------------------------------- meta */

/* kt_meta_start - the metadata written at open (host, kernel, boot id,
 * cpus, argv, families, scope, buffers, clock anchor).  New reference. */
json_t *kt_meta_start(const struct kt_record_opts *o, __u64 kinds,
		      const struct kt_clock *anchor, __u32 ncpus);

/* kt_meta_end - add to end metadata @m what is read at stop (net.end).
 * Returns 0 or -ENOMEM. */
int kt_meta_end(json_t *m);

/* kt_sys_disks - {"MAJOR:MINOR": "name"} of /proc/partitions (empty when
 * unreadable).  New reference, NULL on ENOMEM. */
json_t *kt_sys_disks(void);

/* kt_sys_netstat - {"TcpExt": {counter: value}} of /proc/net/netstat
 * (empty when unreadable).  New reference, NULL on ENOMEM. */
json_t *kt_sys_netstat(void);

/* ---------------------------------------------------------------- spawn */

/* Who -u makes the command: resolved before the fork. */
struct kt_creds {
	uid_t uid;
	gid_t gid;
	gid_t *groups;          /* supplementary groups (owned) */
	int ngroups;
};

/* kt_user_lookup - resolve -u @user (a name, or a number without a
 * name): its uid, primary group and supplementary groups (as
 * initgroups(3) would set them).  Returns 0, or -ENOENT (KT_ERR_INPUT)
 * or -ENOMEM with @err filled. */
int kt_user_lookup(const char *user, struct kt_creds *c, struct kt_err *err);

/* kt_creds_release - free what kt_user_lookup() allocated. */
void kt_creds_release(struct kt_creds *c);

struct kt_child {
	pid_t pid;
	bool failed_as_user;    /* kt_spawn_go() failed becoming the user */
	int go_fd;              /* write end: one byte lets the child exec */
	int err_fd;             /* read end: errno if exec failed, EOF if ok */
	int pidfd;              /* readable when the child exits */
};

/* kt_spawn - fork @argv's child blocked before exec, with @mask as its
 * signal mask; with @cr, it takes those groups, gid and uid just before
 * its exec.  Returns 0 or a negative errno. */
int kt_spawn(struct kt_child *c, char *const *argv, const sigset_t *mask,
	     const struct kt_creds *cr);

/* kt_spawn_go - let the child exec.  Returns 0, or the negative errno of
 * a failed exec, or of a failed change of user (c->failed_as_user); the
 * child has then exited 127. */
int kt_spawn_go(struct kt_child *c);

void kt_spawn_close(struct kt_child *c);

/* ----------------------------------------------------------------- pcap */

struct kt_pcap;

struct kt_packet {
	__u64 real_ns;          /* CLOCK_REALTIME stamp from the kernel */
	__u32 len;
	__u32 caplen;
	const unsigned char *data;
};

/* kt_pcap_start - capture on @iface in a thread of its own.  Returns 0 or
 * a negative errno with @err filled. */
int kt_pcap_start(struct kt_pcap **out, const char *iface, __u32 snaplen,
		  const char *filter, struct kt_err *err);

/* kt_pcap_drain - call @fn on every packet queued so far. */
int kt_pcap_drain(struct kt_pcap *p,
		  int (*fn)(void *ctx, const struct kt_packet *pkt), void *ctx);

/* kt_pcap_info - interface index, link type, and packets dropped by the
 * kernel or the interface so far. */
void kt_pcap_info(struct kt_pcap *p, __u32 *ifindex, __u32 *linktype,
		  __u64 *dropped);

/* kt_pcap_stop - stop capturing (the queue can still be drained). */
void kt_pcap_stop(struct kt_pcap *p);

/* kt_pcap_free - stop and free.  Accepts NULL. */
void kt_pcap_free(struct kt_pcap *p);

/* requests.c: SIGUSR1s counted by a thread that only waits for them
 * (SIGUSR1 blocked in the caller before kt_requests_start, so in every
 * thread it creates after, and until after kt_requests_stop). */
#include <pthread.h>
#include <stdatomic.h>
struct kt_requests {
	pthread_t thread;
	atomic_uint n;
	atomic_bool stop;
	bool running;
};
/* kt_requests_start - the thread; 0 or a negative errno. */
int kt_requests_start(struct kt_requests *q);
/* kt_requests_count - the requests taken so far. */
unsigned kt_requests_count(struct kt_requests *q);
/* kt_requests_stop - end the thread (if it runs) and take those still
 * pending; returns the count of every request taken. */
unsigned kt_requests_stop(struct kt_requests *q);

/* ------------------------------------------------------------- session */

#include <sys/resource.h>

/* The capture file of a recording (output.c). */
struct kt_output {
	int fd;                 /* until the writer takes it; -1 after */
	bool claimed;           /* created by us */
	dev_t dev;
	ino_t ino;
};

/* kt_output_claim - create @o->out (O_CREAT|O_EXCL|O_NOFOLLOW, 0600),
 * after moving an existing one to OUT.old (@o->keep_old) or removing it
 * (@o->force; a symbolic link is removed, not its target).  An existing
 * file otherwise: -EEXIST, KT_ERR_INPUT.  Returns 0 or a negative errno
 * with @err filled. */
int kt_output_claim(struct kt_output *out, const struct kt_record_opts *o,
		    struct kt_err *err);
/* kt_output_take - the fd, now the caller's (the writer's). */
int kt_output_take(struct kt_output *out);
/* kt_output_release - close what was not taken; unless @keep, remove the
 * file when it is still the one we created (a recording that failed
 * before its writer started, a flight recorder that never dumped). */
void kt_output_release(struct kt_output *out, const char *path, bool keep);

/* What wrote a flight dump: the first trigger since the last dump. */
struct kt_trig {
	unsigned kind;          /* KT_TRIG_*, 0 = none yet */
	__u32 pid, tid;         /* the process that exited, the OOM victim,
				 * the signal's target, the command */
	__u32 sender;           /* signal: the sending process */
	__s32 code;             /* exit: its status; -1 = none */
	__u32 signo;            /* exit: the killing signal; signal: its
				 * number; end: the stop signal; 0 = none */
	__u64 ts;               /* the event's time, 0 = none */
	const char *reason;     /* end: "command", "duration", "signal" */
	unsigned requests;      /* request: the SIGUSR1s this dump serves */
};

/* kt_trig_json - @t as the flight.trigger object (new reference). */
json_t *kt_trig_json(const struct kt_trig *t);

struct kt_session;

/* trigger.c: kt_trig_fire - trigger @kind (KT_TRIG_*) seen in @ev: the
 * dump at the next tick; the first since the last dump names it.
 * kt_trig_request - @n SIGUSR1 requests name the next dump; kt_trig_end -
 * the end of the recording names the last (@stop_signal: the signal that
 * stopped it, 0 none). */
void kt_trig_fire(struct kt_session *s, unsigned kind,
		  const struct kt_event *ev);
void kt_trig_request(struct kt_session *s, unsigned n);
void kt_trig_end(struct kt_session *s, int stop_signal);

/* The state of one recording (session.c), read by report.c. */
struct kt_session {
	const struct kt_record_opts *o;
	struct kt_writer *w;
	struct kt_bpf *b;
	struct kt_pcap *pcap;
	__u32 pcap_ifindex, pcap_linktype;
	struct kt_child child;
	struct kt_creds creds;  /* -u */
	bool have_child;
	bool child_exited;
	int child_status;
	int cgroup_fd;
	struct kt_output out;
	bool writing;           /* the writer started the capture */
	__u8 sys_class[KTR_NR_MAX];
	struct kt_conv conv;
	__u64 kinds;            /* what is actually recorded */
	unsigned missing;       /* KT_MISSING_* */
	long denied;            /* processes the snapshot could not read */
	json_t *fds;            /* proc.fds, the fds open at start (owned;
				 * NULL without syscall records) */
	int werr;               /* first writer error, from the ring callback */
	__u64 drain_until;      /* a drain yields after this time (0: drain
				 * to the end) */
	__u64 drain_n;
	bool yielded;
	/* clocks */
	struct kt_clock start, anchor;
	__u64 stop_ns;
	/* counts */
	__u64 kind_events[KT_KIND_MAX];
	__u64 events;
	__u64 *lost_seen;       /* [cpu * KT_FAM_MAX + fam], ring overflows
				 * reported so far */
	__u64 *lost_placed;     /* [cpu * KT_LOST_CAUSES + cause]: KT_LOST
				 * records the BPF side put in the rings */
	__u64 lost_fam[KT_FAM_MAX];     /* every cause */
	__u64 lost_cause[KT_LOST_CAUSES];
	__u64 misses_seen[KT_FAM_MAX];
	__u64 pcap_lost_seen;
	__u64 unfinished, incomplete;
	__u64 bad_records;      /* ring records that did not parse (a bug) */
	bool stopped;           /* stopped cleanly: every record drained and
				 * every loss reported (attempts are final) */
	/* flight */
	unsigned trig_fired;    /* KT_TRIG_* seen since the last dump */
	struct kt_trig trig;    /* the first of them */
	struct kt_requests req; /* the SIGUSR1s counted */
	unsigned req_seen;      /* ... taken from its count */
	unsigned req_pending;   /* ... not served by a dump yet */
	unsigned req_served;
	unsigned dumps;
	/* progress */
	bool tty;
	__u64 last_tick_ns;
	__u64 last_events, last_bytes;
	struct rusage last_ru;
	bool progress_shown;
};

/* flight.c (--flight; SIGUSR1 requests are counted without it too) */
/* kt_flight_tick - at a tick: a dump for the first trigger fired since
 * the last dump, then one for the requests pending (without --flight:
 * say they are not served). */
int kt_flight_tick(struct kt_session *s);
/* kt_flight_finish - the last dumps: a trigger's and the requests' still
 * due, then the end's (@stop_signal as for kt_trig_end). */
int kt_flight_finish(struct kt_session *s, int stop_signal);
/* kt_flight_unserved - say (stderr, even with -q) the requests pending
 * that no dump served and the @late ones that came after the last. */
void kt_flight_unserved(struct kt_session *s, unsigned late);

/* report.c */
/* kt_report_lost - turn new kernel-side losses into KT_LOST events. */
int kt_report_lost(struct kt_session *s, __u64 now);
/* kt_report_placed - account a KT_LOST record that came from a ring. */
void kt_report_placed(struct kt_session *s, const struct kt_event *ev);
/* kt_report_progress - the one-second progress line (TTY only). */
void kt_report_progress(struct kt_session *s, __u64 now);
/* kt_report_end_meta - stop time, clocks, counts and losses (new ref). */
json_t *kt_report_end_meta(struct kt_session *s);
/* The size of a capture as `info` gives it. */
struct kt_rec_size {
	__u64 file;             /* bytes of the file */
	__u64 frames;           /* bytes of its frames: bytes/event counts
				 * these, as info does */
};

/* kt_report_summary - the summary, and the loss warning (always). */
void kt_report_summary(struct kt_session *s, const char *path,
		       const struct kt_rec_size *sz);

#endif /* KT_RECORD_INT_H */
