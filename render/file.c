// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* file.c - writing a picture, report or export whole (render.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "render.h"

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int kt_render_tmp_open(struct kt_render_tmp *t, const char *path)
{
	const char *slash = strrchr(path, '/');
	int n = kt_out_special(path);

	t->fd = -1;
	t->path = path;
	t->tmp[0] = 0;
	if (n) {                /* /dev/null, a FIFO: written into */
		t->fd = n < 0 ? n : kt_out_open_special(path);
		return t->fd < 0 ? t->fd : 0;
	}
	/* a temporary file beside the target: rename(2) stays within one
	 * file system, and mkstemp makes it 0600 */
	if (slash)
		n = snprintf(t->tmp, sizeof(t->tmp), "%.*s/.%s.XXXXXX",
			     (int)(slash - path), path, slash + 1);
	else
		n = snprintf(t->tmp, sizeof(t->tmp), ".%s.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(t->tmp))
		return -ENAMETOOLONG;
	t->fd = mkostemp(t->tmp, O_CLOEXEC);
	return t->fd < 0 ? -errno : 0;
}

int kt_render_tmp_commit(struct kt_render_tmp *t)
{
	int err = 0;

	if (t->fd < 0)
		return -EBADF;
	err = kt_fsync(t->fd);
	if (close(t->fd) && !err)
		err = -errno;
	t->fd = -1;
	if (!err && t->tmp[0] && rename(t->tmp, t->path))
		err = -errno;
	if (err && t->tmp[0])
		unlink(t->tmp);
	return err;
}

int kt_scene_write(const struct kt_scene *s, enum kt_rfmt fmt,
		   const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	int err;

	if (fmt == KT_RF_SCENE)
		err = s->err ? s->err : kt_scene_dump(s, &buf, &len);
	else
		err = kt_scene_draw(s, fmt, &buf, &len);
	if (!err)
		err = kt_render_write(path, buf, len);
	free(buf);
	return err;
}

void kt_render_tmp_abort(struct kt_render_tmp *t)
{
	if (t->fd < 0)
		return;
	close(t->fd);
	t->fd = -1;
	if (t->tmp[0])
		unlink(t->tmp);
}

int kt_render_write(const char *path, const void *buf, size_t len)
{
	struct kt_render_tmp t;
	int err;

	err = kt_render_tmp_open(&t, path);
	if (err)
		return err;
	err = write_all(t.fd, buf, len);
	if (err) {
		kt_render_tmp_abort(&t);
		return err;
	}
	return kt_render_tmp_commit(&t);
}
