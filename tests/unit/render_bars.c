// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* render/bars.c: a latency distribution as a bar chart, from its scene. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kt_test.h"
#include "render/render.h"

static const struct kt_sitem *nth(const struct kt_scene *s, const char *role,
				  size_t k)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->items[i].role && !strcmp(s->items[i].role, role) && !k--)
			return &s->items[i];
	return NULL;
}

static size_t count(const struct kt_scene *s, const char *role)
{
	size_t n = 0;

	while (nth(s, role, n))
		n++;
	return n;
}

/* The whole scene of a small distribution: the golden of its layout. */
KT_TEST(render_bars_dump)
{
	__u64 slot[64] = { 0 };
	struct kt_bars b = { "block I/O latency", "requests", slot };
	struct kt_scene s;
	char *d;
	size_t n;

	slot[6] = 3;            /* 64-127 us */
	slot[7] = 1200;
	slot[9] = 1;            /* 512-1023 us, the slowest */
	KT_ASSERT(!kt_render_log2_bars(&b, 300, 200, &s), "build");
	KT_ASSERT(!kt_scene_dump(&s, &d, &n), "dump");
	KT_ASSERT(!strcmp(d,
"scene 300.0 x 200.0 background #ffffff, 25 items\n"
"text title 8.0 16.0 size 13.0 #1a1a1a bold \"block I/O latency\"\n"
"text subtitle 8.0 31.0 size 10.0 #555555 \"1,204 requests, the median from 128 µs to 256 µs\"\n"
"text subtitle 8.0 44.0 size 10.0 #555555 \"the slowest from 512 µs to 1.02 ms (in red)\"\n"
"line grid 48.0 56.0 226.0 0.0 size 1.0 #d0d0d0 dashed\n"
"line axis 48.0 166.0 226.0 0.0 size 1.0 #1a1a1a\n"
"line axis 48.0 56.0 0.0 110.0 size 1.0 #1a1a1a\n"
"text axis:max 44.0 60.0 size 9.0 #555555 right \"1,200\"\n"
"text axis:zero 44.0 169.0 size 9.0 #555555 right \"0\"\n"
"rect bar 49.0 163.0 54.5 3.0 #4a78b0 \"slot 6: 3\"\n"
"text count 76.2 160.0 size 9.0 #1a1a1a center \"3\"\n"
"rect bar 105.5 56.0 54.5 110.0 #4a78b0 \"slot 7: 1200\"\n"
"text count 132.8 53.0 size 9.0 #1a1a1a center \"1,200\"\n"
"rect bar:slowest 218.5 163.0 54.5 3.0 #c8553d \"slot 9: 1\"\n"
"text count 245.8 160.0 size 9.0 #1a1a1a center \"1\"\n"
"line tick 48.0 166.0 0.0 4.0 size 1.0 #1a1a1a\n"
"text edge 48.0 180.0 size 9.0 #1a1a1a center \"64 µs\"\n"
"line tick 104.5 166.0 0.0 4.0 size 1.0 #1a1a1a\n"
"text edge 104.5 180.0 size 9.0 #1a1a1a center \"128 µs\"\n"
"line tick 161.0 166.0 0.0 4.0 size 1.0 #1a1a1a\n"
"text edge 161.0 180.0 size 9.0 #1a1a1a center \"256 µs\"\n"
"line tick 217.5 166.0 0.0 4.0 size 1.0 #1a1a1a\n"
"text edge 217.5 180.0 size 9.0 #1a1a1a center \"512 µs\"\n"
"line tick 274.0 166.0 0.0 4.0 size 1.0 #1a1a1a\n"
"text edge 274.0 180.0 size 9.0 #1a1a1a center \"1.02 ms\"\n"
"text caption 274.0 196.0 size 9.0 #555555 right \"latency, log2 slots\"\n"),
		  "dump:\n%s", d);
	free(d);
	kt_scene_release(&s);
	return KT_PASS;
}

/* As a person reads it: the edge labels do not overlap however many
 * slots there are, and stay within the picture; the tallest bar reaches
 * the top of the plot; every slot that holds a value has a visible bar. */
KT_TEST(render_bars_readable)
{
	__u64 slot[64] = { 0 };
	struct kt_bars b = { "run-queue latency", "waits for a cpu", slot };
	struct kt_scene s;

	for (int i = 0; i <= 40; i++)
		slot[i] = i == 20 ? 1000000 : (i % 3 == 0) ? 1 + i : 0;
	KT_ASSERT(!kt_render_log2_bars(&b, 392, 236, &s), "build");
	for (size_t k = 1; nth(&s, "edge", k); k++) {
		const struct kt_sitem *a = nth(&s, "edge", k - 1);
		const struct kt_sitem *c = nth(&s, "edge", k);
		float wa = kt_scene_text_width(strlen(a->text), a->size);
		float wc = kt_scene_text_width(strlen(c->text), c->size);

		KT_ASSERT(a->x + wa / 2 + 4 <= c->x - wc / 2,
			  "labels %s at %.1f and %s at %.1f overlap", a->text,
			  a->x, c->text, c->x);
		KT_ASSERT(c->x + wc / 2 <= s.width, "label %s leaves the picture",
			  c->text);
	}
	KT_ASSERT(count(&s, "bar") + count(&s, "bar:slowest") == 15,
		  "%zu bars for 15 slots with values",
		  count(&s, "bar") + count(&s, "bar:slowest"));
	for (size_t k = 0; nth(&s, "bar", k); k++)
		KT_ASSERT(nth(&s, "bar", k)->h >= 3, "a bar of %.1f px",
			  nth(&s, "bar", k)->h);
	KT_ASSERT(nth(&s, "bar:slowest", 0)->h >= 3, "the slowest is visible");
	kt_scene_release(&s);

	memset(slot, 0, sizeof(slot));
	KT_ASSERT(!kt_render_log2_bars(&b, 392, 236, &s), "empty");
	KT_ASSERT(s.n == 2 && !strcmp(nth(&s, "empty", 0)->text,
				      "no waits for a cpu in the capture"),
		  "empty chart: %zu items", s.n);
	kt_scene_release(&s);
	return KT_PASS;
}
