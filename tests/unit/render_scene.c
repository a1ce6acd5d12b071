// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* render/: the scene, its dump, Cairo's SVG and PNG, whole-file writes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "kt_test.h"
#include "render/render.h"

static void small_scene(struct kt_scene *s)
{
	kt_scene_init(s, 200, 50);
	kt_scene_rect(s, "state:running", 10, 10, 80.25f, 12, 0x317d31, 0, NULL);
	kt_scene_rect(s, "state:unknown", 90.25f, 10, 20, 12, 0xf7efda,
		      KT_SI_CROSS, "missed");
	kt_scene_line(s, "arrow:wakeup", 50, 22, 50, 40, 0x404040, 1,
		      KT_SI_ARROW);
	kt_scene_text(s, "label", 195, 45, 11, 0, KT_SI_RIGHT, "pid %d", 42);
}

KT_TEST(render_scene_dump)
{
	struct kt_scene s;
	char *d;
	size_t n;

	small_scene(&s);
	KT_ASSERT(!s.err && s.n == 4, "items %zu", s.n);
	KT_ASSERT(!kt_scene_dump(&s, &d, &n), "dump");
	KT_ASSERT(!strcmp(d,
"scene 200.0 x 50.0 background #ffffff, 4 items\n"
"rect state:running 10.0 10.0 80.2 12.0 #317d31\n"
"rect state:unknown 90.2 10.0 20.0 12.0 #f7efda cross \"missed\"\n"
"line arrow:wakeup 50.0 22.0 0.0 18.0 size 1.0 #404040 arrow\n"
"text label 195.0 45.0 size 11.0 #000000 right \"pid 42\"\n"), "dump:\n%s", d);
	free(d);
	kt_scene_release(&s);
	KT_ASSERT(kt_rfmt_of("a/b.SVG") == KT_RF_SVG &&
		  kt_rfmt_of("x.png") == KT_RF_PNG &&
		  kt_rfmt_of("g.dot") == KT_RF_DOT &&
		  kt_rfmt_of("r.html") == KT_RF_HTML &&
		  kt_rfmt_of("x.jpg") == KT_RF_NONE && kt_rfmt_of("x") == KT_RF_NONE,
		  "formats by extension");
	return KT_PASS;
}

/* Cairo draws the scene: an SVG document of the scene's size in pixels,
 * a PNG of its size; the same scene twice gives the same bytes. */
KT_TEST(render_scene_draw)
{
	struct kt_scene s;
	char *a, *b;
	size_t na, nb;
	unsigned w, h;

	small_scene(&s);
	KT_ASSERT(!kt_scene_draw(&s, KT_RF_SVG, &a, &na), "svg");
	KT_ASSERT(na > 100 && strstr(a, "<svg") && strstr(a, "width=\"200px\"") &&
		  strstr(a, "height=\"50px\""), "an svg of 200x50 px");
	KT_ASSERT(!kt_scene_draw(&s, KT_RF_SVG, &b, &nb), "svg again");
	KT_ASSERT(na == nb && !memcmp(a, b, na), "deterministic svg");
	free(a);
	free(b);
	KT_ASSERT(!kt_scene_draw(&s, KT_RF_PNG, &a, &na), "png");
	KT_ASSERT(na > 24 && !memcmp(a, "\x89PNG\r\n\x1a\n", 8), "png magic");
	w = (unsigned)(unsigned char)a[16] << 24 | (unsigned char)a[17] << 16 |
	    (unsigned char)a[18] << 8 | (unsigned char)a[19];
	h = (unsigned)(unsigned char)a[20] << 24 | (unsigned char)a[21] << 16 |
	    (unsigned char)a[22] << 8 | (unsigned char)a[23];
	KT_ASSERT(w == 200 && h == 50, "png %ux%u", w, h);
	free(a);
	KT_ASSERT(kt_scene_draw(&s, KT_RF_DOT, &a, &na) == -EINVAL, "dot is not Cairo's");
	kt_scene_release(&s);
	return KT_PASS;
}

/* A picture is written whole, 0600, and replaces a symlink at the
 * target instead of writing through it. */
KT_TEST(render_write_whole)
{
	char path[512], target[512], buf[16];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/pic.svg", kt_test_tmpdir());
	snprintf(target, sizeof(target), "%s/victim", kt_test_tmpdir());
	fd = open(target, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	KT_ASSERT(fd >= 0 && write(fd, "keep", 4) == 4 && !close(fd), "victim");
	unlink(path);
	KT_ASSERT(!symlink(target, path), "symlink");
	KT_ASSERT(!kt_render_write(path, "<svg/>", 6), "write");
	KT_ASSERT(!lstat(path, &st) && S_ISREG(st.st_mode) &&
		  (st.st_mode & 0777) == 0600 && st.st_size == 6,
		  "a regular 0600 file replaced the link");
	fd = open(target, O_RDONLY);
	KT_ASSERT(fd >= 0 && read(fd, buf, sizeof(buf)) == 4 && !close(fd) &&
		  !memcmp(buf, "keep", 4), "the link's target is untouched");
	KT_ASSERT(kt_render_write("/nonexistent/dir/x.svg", "x", 1) == -ENOENT,
		  "a missing directory");
	return KT_PASS;
}
