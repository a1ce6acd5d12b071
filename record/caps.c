// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * caps.c - the capabilities a recording needs, checked with capget(2)
 * before anything is loaded: CAP_BPF and CAP_PERFMON always (bpf.c), and
 * only for what uses them CAP_NET_RAW (--pcap) and CAP_SETUID plus
 * CAP_SETGID (-u).  CAP_SYS_PTRACE is optional: without it the /proc
 * snapshots cannot read the exe, open fds and working directory of other
 * users' processes, and the metadata says so (record.missing) instead of
 * the recording failing.  docs/record.md "Privileges".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include "record_int.h"

static int caps_effective(__u64 *eff)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		return -errno;
	*eff = (__u64)d[1].effective << 32 | d[0].effective;
	return 0;
}

#define HAS(eff, c) (((eff) >> (c)) & 1)

int kt_caps_check(const struct kt_record_opts *o, unsigned *missing,
		  struct kt_err *err)
{
	__u64 eff = 0;
	int ret;

	*missing = 0;
	ret = kt_bpf_caps(err);
	if (ret)
		return ret;
	ret = caps_effective(&eff);
	if (ret)
		return kt_rec_fail(err, ret, KT_ERR_SYSTEM, "capget: %s",
				   strerror(-ret));
	if (o->pcap_iface && !HAS(eff, CAP_NET_RAW))
		return kt_rec_fail(err, -EPERM, KT_ERR_SYSTEM,
				   "--pcap: missing capability CAP_NET_RAW (capturing packets needs it)");
	if (o->user && (!HAS(eff, CAP_SETUID) || !HAS(eff, CAP_SETGID)))
		return kt_rec_fail(err, -EPERM, KT_ERR_SYSTEM,
				   "-u: missing capability %s (running a command as another user needs CAP_SETUID and CAP_SETGID)",
				   !HAS(eff, CAP_SETUID) && !HAS(eff, CAP_SETGID) ?
				   "CAP_SETUID and CAP_SETGID" :
				   !HAS(eff, CAP_SETUID) ? "CAP_SETUID" : "CAP_SETGID");
	if (!HAS(eff, CAP_SYS_PTRACE))
		*missing |= KT_MISSING_PTRACE;
	return 0;
}

json_t *kt_caps_missing_json(unsigned missing, long denied)
{
	json_t *a = json_array();
	char line[256];

	if (a && (missing & KT_MISSING_PTRACE)) {
		if (denied)
			snprintf(line, sizeof(line),
				 "CAP_SYS_PTRACE: the exe, open fds and working directory of other users' processes are left out (%ld process%s at start)",
				 denied, denied == 1 ? "" : "es");
		else
			snprintf(line, sizeof(line),
				 "CAP_SYS_PTRACE: the exe, open fds and working directory of other users' processes would be left out (none in scope at start)");
		if (json_array_append_new(a, json_string(line))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}
