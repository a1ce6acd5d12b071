// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The external merge sort (analyze/xsort.h): every record out once, in
 * order, ties in the order added, whether it spilled or not, through
 * several merge levels, in the memory it was given. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "kt_test.h"
#include "analyze/xsort.h"

struct trec {
	__u32 key;              /* sorted by key only: ties are many */
	__u32 id;               /* order added */
	char fill[];            /* 0 .. 300 bytes of (id & 0xff) */
};

static int cmp_key(const void *a, const void *b)
{
	const struct trec *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

/* @n records with keys in [0, @keys) through a sort of @mem bytes and
 * @fanin; OUT @st */
static int run(size_t n, unsigned keys, size_t mem, unsigned fanin,
	       struct kt_xsort_stats *st)
{
	struct kt_xsort_opts o = { .mem = mem, .fanin = fanin, .cmp = cmp_key,
				   .dir = kt_test_tmpdir() };
	struct kt_xsort *x = kt_xsort_new(&o);
	char buf[sizeof(struct trec) + 300];
	struct trec *t = (struct trec *)buf;
	const void *rec;
	__u32 last_key = 0, last_id = 0;
	size_t len, got = 0;
	unsigned seed = 7;
	int rc = 0;

	if (!x)
		return -errno;
	for (size_t i = 0; !rc && i < n; i++) {
		size_t fill = (size_t)rand_r(&seed) % 301;

		t->key = (__u32)rand_r(&seed) % keys;
		t->id = (__u32)i;
		memset(t->fill, (int)(i & 0xff), fill);
		rc = kt_xsort_add(x, t, sizeof(*t) + fill);
	}
	if (!rc)
		rc = kt_xsort_finish(x);
	while (!rc && (rc = kt_xsort_next(x, &rec, &len)) > 0) {
		const struct trec *r = rec;

		rc = 0;
		if (got && (r->key < last_key ||
			    (r->key == last_key && r->id <= last_id)))
			rc = -EDOM;     /* out of order, or a tie reordered */
		for (size_t k = 0; !rc && k < len - sizeof(*r); k++)
			if ((unsigned char)r->fill[k] != (r->id & 0xff))
				rc = -EBADMSG;
		last_key = r->key;
		last_id = r->id;
		got++;
	}
	kt_xsort_stats(x, st);
	kt_xsort_free(x);
	if (!rc && got != n)
		rc = -ERANGE;
	return rc;
}

KT_TEST(xsort_in_memory)
{
	struct kt_xsort_stats st;
	int rc = run(2000, 50, 4u << 20, 0, &st);

	KT_ASSERT(rc == 0, "rc %d", rc);
	KT_ASSERT(st.runs == 0 && st.spilled == 0, "%llu runs",
		  (unsigned long long)st.runs);
	return KT_PASS;
}

KT_TEST(xsort_spills_and_merges)
{
	struct kt_xsort_stats st;
	/* ~3.5 MB of records through 64 KB: about 60 runs, merged 4 at a
	 * time: three levels */
	int rc = run(20000, 500, KT_XSORT_MIN_MEM, 4, &st);

	KT_ASSERT(rc == 0, "rc %d", rc);
	KT_ASSERT(st.runs > 60, "%llu runs", (unsigned long long)st.runs);
	KT_ASSERT(st.spilled > 2 * 20000 * 150, "%llu bytes spilled",
		  (unsigned long long)st.spilled);
	/* the budget, and at the merge 4 read buffers and a write buffer */
	KT_ASSERT(st.peak <= KT_XSORT_MIN_MEM + 4 * KT_XSORT_BUF + (256u << 10),
		  "peak %llu", (unsigned long long)st.peak);
	/* the default fan-in: one level */
	rc = run(20000, 3, KT_XSORT_MIN_MEM, 0, &st);
	KT_ASSERT(rc == 0, "rc %d (3 keys, fan-in 64)", rc);
	return KT_PASS;
}

KT_TEST(xsort_bad_input)
{
	struct kt_xsort_opts o = { .mem = KT_XSORT_MIN_MEM - 1, .cmp = cmp_key };
	struct kt_xsort *x;
	char big[KT_XSORT_MAX_REC + 1] = { 0 };
	const void *rec;
	size_t len;

	KT_ASSERT(!kt_xsort_new(&o) && errno == EINVAL, "a budget too small");
	o.mem = KT_XSORT_MIN_MEM;
	o.dir = "/nonexistent/ktrail-test";
	x = kt_xsort_new(&o);
	KT_ASSERT(x, "new");
	KT_ASSERT(kt_xsort_add(x, big, sizeof(big)) == -EINVAL, "a record too large");
	/* a spill into a directory that is not there says so */
	int rc = 0;
	for (int i = 0; !rc && i < 100; i++)
		rc = kt_xsort_add(x, big, 4096);
	KT_ASSERT(rc == -ENOENT, "spill to a missing directory: %d", rc);
	KT_ASSERT(!strcmp(kt_xsort_dir(x), "/nonexistent/ktrail-test"), "dir");
	kt_xsort_free(x);
	/* empty */
	o.dir = NULL;
	x = kt_xsort_new(&o);
	KT_ASSERT(x && kt_xsort_finish(x) == 0 && kt_xsort_next(x, &rec, &len) == 0,
		  "an empty sort");
	kt_xsort_free(x);
	return KT_PASS;
}
