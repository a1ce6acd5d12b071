// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * strpool.c - interned strings for the task table: one NUL-terminated copy
 * per distinct byte string, kept until the pool is released.
 *
 * A fork/exec storm names tens of thousands of threads with a handful of
 * names, images, command lines and cgroups; a copy per task (and per
 * rename, since pointers handed out must stay valid) made the table grow
 * by about a kilobyte a thread.  Here a string costs its bytes, a NUL, an
 * 8-byte header and the padding to 8 bytes, once; a task pays a pointer.
 *
 * Strings are packed into chunks of KT_POOL_CHUNK bytes (one chunk of its
 * own for a string larger than a quarter of that), and found again through
 * an open-addressing table of pointers to their headers, at most half full.
 * Nothing is ever removed, so a pointer returned stays valid until
 * kt_strpool_release().
 */
#include <stdlib.h>
#include "format_int.h"

#define KT_POOL_CHUNK 16384

struct kt_pstr {
	__u32 hash;
	__u32 len;              /* bytes, without the NUL added */
	char s[];
};

struct kt_pchunk {
	struct kt_pchunk *next;
	size_t size;            /* bytes allocated, header included */
	char data[] __attribute__((aligned(8)));
};

static char pool_empty[1];

/* pool_hash - FNV-1a over @n bytes. */
static __u32 pool_hash(const char *s, size_t n)
{
	__u32 h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int pool_grow(struct kt_strpool *p)
{
	__u32 ncap = p->cap ? p->cap * 2 : 256, i;
	struct kt_pstr **nt = calloc(ncap, sizeof(*nt));

	if (!nt)
		return -ENOMEM;
	for (__u32 j = 0; j < p->cap; j++) {
		if (!p->tab[j])
			continue;
		i = p->tab[j]->hash & (ncap - 1);
		while (nt[i])
			i = (i + 1) & (ncap - 1);
		nt[i] = p->tab[j];
	}
	p->bytes += (size_t)(ncap - p->cap) * sizeof(*nt);
	free(p->tab);
	p->tab = nt;
	p->cap = ncap;
	return 0;
}

/* pool_alloc - @size bytes (a multiple of 8) from the current chunk, or
 * from a new one. */
static void *pool_alloc(struct kt_strpool *p, size_t size)
{
	struct kt_pchunk *c;
	size_t csize = sizeof(*c) + (size > KT_POOL_CHUNK / 4 ? size :
				     KT_POOL_CHUNK - sizeof(*c));
	void *r;

	if (size <= p->left) {
		r = p->cur;
		p->cur += size;
		p->left -= size;
		return r;
	}
	c = malloc(csize);
	if (!c)
		return NULL;
	c->size = csize;
	c->next = p->chunks;
	p->chunks = c;
	p->bytes += csize;
	if (size > KT_POOL_CHUNK / 4)
		return c->data;         /* the current chunk keeps its room */
	p->cur = c->data + size;
	p->left = csize - sizeof(*c) - size;
	return c->data;
}

const char *kt_strpool_intern(struct kt_strpool *p, const char *s, size_t n)
{
	struct kt_pstr *e;
	__u32 h, i;

	if (!s || !n)
		return pool_empty;
	if (n > UINT32_MAX - 16) {
		errno = EOVERFLOW;
		return NULL;
	}
	if ((p->n + 1) * 2 > p->cap && pool_grow(p))
		return NULL;
	h = pool_hash(s, n);
	i = h & (p->cap - 1);
	for (; (e = p->tab[i]); i = (i + 1) & (p->cap - 1))
		if (e->hash == h && e->len == n && !memcmp(e->s, s, n))
			return e->s;
	e = pool_alloc(p, (sizeof(*e) + n + 1 + 7) & ~(size_t)7);
	if (!e)
		return NULL;
	e->hash = h;
	e->len = n;
	memcpy(e->s, s, n);
	e->s[n] = 0;
	p->tab[i] = e;
	p->n++;
	p->str_bytes += n + 1;
	return e->s;
}

void kt_strpool_release(struct kt_strpool *p)
{
	struct kt_pchunk *c, *next;

	for (c = p->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(p->tab);
	memset(p, 0, sizeof(*p));
}
