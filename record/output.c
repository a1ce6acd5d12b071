// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * output.c - the capture file of a recording, claimed before anything is
 * loaded: created under the name the user gave, with O_EXCL and
 * O_NOFOLLOW, mode 0600.  Never a temporary file renamed at the end: a
 * recorder killed with SIGKILL leaves its capture where the user looks
 * for it, for `ktrail recover`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "record_int.h"

/* make_room - what stands at @o->out: moved to OUT.old (keep_old: record
 * without -o, as perf does with perf.data), removed (force: unlink, which
 * removes a symbolic link and never its target), or left for O_EXCL to
 * refuse; a device, FIFO or socket is refused, whatever the options. */
static int make_room(const struct kt_record_opts *o, struct kt_err *err)
{
	char old[4096];
	struct stat st;

	if (lstat(o->out, &st))
		return 0;
	if (S_ISDIR(st.st_mode))
		return kt_rec_fail(err, -EISDIR, KT_ERR_OUTPUT, "%s: %s", o->out,
				   strerror(EISDIR));
	/* /dev/null, a FIFO: never moved or removed, even with --force */
	if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
		return kt_rec_fail(err, -EINVAL, KT_ERR_INPUT, "%s: not a "
				   "regular file: a capture is a file of its own "
				   "(read back, recovered)", o->out);
	if (o->keep_old) {
		if ((size_t)snprintf(old, sizeof(old), "%s.old", o->out) >=
		    sizeof(old))
			return kt_rec_fail(err, -ENAMETOOLONG, KT_ERR_OUTPUT,
					   "%s: %s", o->out, strerror(ENAMETOOLONG));
		if (rename(o->out, old))
			return kt_rec_fail(err, -errno, KT_ERR_OUTPUT,
					   "%s: cannot rename it to %s: %s",
					   o->out, old, strerror(errno));
		return 0;
	}
	if (o->force && unlink(o->out) && errno != ENOENT)
		return kt_rec_fail(err, -errno, KT_ERR_OUTPUT,
				   "%s: cannot remove it (--force): %s", o->out,
				   strerror(errno));
	return 0;
}

int kt_output_claim(struct kt_output *out, const struct kt_record_opts *o,
		    struct kt_err *err)
{
	struct stat st;
	int ret;

	out->fd = -1;
	out->claimed = false;
	ret = make_room(o, err);
	if (ret)
		return ret;
	out->fd = open(o->out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		       O_NONBLOCK | O_CLOEXEC, 0600);
	if (out->fd < 0 && errno == EEXIST)
		return kt_rec_fail(err, -EEXIST, KT_ERR_INPUT,
				   "%s: exists: give another -o, or --force to "
				   "replace it", o->out);
	if (out->fd < 0)
		return kt_rec_fail(err, -errno, KT_ERR_OUTPUT, "%s: %s", o->out,
				   strerror(errno));
	/* O_NONBLOCK only kept a FIFO from blocking the open: O_EXCL made
	 * a regular file */
	if (fcntl(out->fd, F_SETFL, 0) || fchmod(out->fd, 0600) ||
	    fstat(out->fd, &st)) {
		ret = kt_rec_fail(err, -errno, KT_ERR_OUTPUT, "%s: %s", o->out,
				  strerror(errno));
		close(out->fd);
		unlink(o->out);
		out->fd = -1;
		return ret;
	}
	out->dev = st.st_dev;
	out->ino = st.st_ino;
	out->claimed = true;
	return 0;
}

int kt_output_take(struct kt_output *out)
{
	int fd = out->fd;

	out->fd = -1;
	return fd;
}

void kt_output_release(struct kt_output *out, const char *path, bool keep)
{
	struct stat st;

	if (out->fd >= 0)
		close(out->fd);
	out->fd = -1;
	/* no capture was started in it: remove it, if it is still the one
	 * we created */
	if (out->claimed && !keep && !lstat(path, &st) &&
	    st.st_dev == out->dev && st.st_ino == out->ino)
		unlink(path);
	out->claimed = false;
}
