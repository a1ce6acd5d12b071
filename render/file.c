// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* file.c - writing a picture or report whole (render.h). */
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

int kt_render_write(const char *path, const void *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	char tmp[PATH_MAX];
	int fd, err, n;

	/* a temporary file beside the target: rename(2) stays within one
	 * file system, and mkstemp makes it 0600 */
	if (slash)
		n = snprintf(tmp, sizeof(tmp), "%.*s/.%s.XXXXXX",
			     (int)(slash - path), path, slash + 1);
	else
		n = snprintf(tmp, sizeof(tmp), ".%s.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = write_all(fd, buf, len);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
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
