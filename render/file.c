// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* file.c - writing a picture, report or export whole (render.h). */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include "render.h"

int kt_render_tmp_open(struct kt_render_tmp *t, const char *path)
{
	t->path = path;
	t->fd = kt_tmp_open(path, t->tmp, sizeof(t->tmp));
	return t->fd < 0 ? t->fd : 0;
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
	err = kt_write_all(t.fd, buf, len);
	if (err) {
		kt_render_tmp_abort(&t);
		return err;
	}
	return kt_render_tmp_commit(&t);
}
