// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * unzstd.c - `kt-test-tool unzstd FILE`: every byte a capture holds, the
 * compressed ones decompressed.  Scans the raw file for zstd frames
 * (magic 28 b5 2f fd) wherever they are, without reading the format, and
 * writes the raw file followed by the content of every frame that
 * decodes: what `strings` should search to know that a secret is in no
 * column, string table, task table or metadata (tests/live/record_redact).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zstd.h>
#include "tool.h"

#define UNZSTD_MAX (1ULL << 31)      /* a frame larger than this is skipped */

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	unsigned char *p = NULL;

	if (!f)
		return NULL;
	if (!fstat(fileno(f), &sb) && (p = malloc(sb.st_size + 1)) &&
	    fread(p, 1, sb.st_size, f) != (size_t)sb.st_size) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*n = p ? (size_t)sb.st_size : 0;
	return p;
}

KT_TOOL(unzstd, "FILE: the raw bytes, then every zstd frame in them decompressed")
{
	static const unsigned char magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	unsigned char *p, *out;
	size_t n, off, csz, frames = 0;
	unsigned long long dsz;

	if (argc != 2 || !(p = slurp(argv[1], &n)))
		return 2;
	fwrite(p, 1, n, stdout);
	for (off = 0; off + 4 <= n; off++) {
		if (memcmp(p + off, magic, 4))
			continue;
		csz = ZSTD_findFrameCompressedSize(p + off, n - off);
		dsz = ZSTD_getFrameContentSize(p + off, n - off);
		if (ZSTD_isError(csz) || dsz == ZSTD_CONTENTSIZE_ERROR ||
		    dsz == ZSTD_CONTENTSIZE_UNKNOWN || dsz > UNZSTD_MAX)
			continue;
		out = malloc(dsz + 1);
		if (out && !ZSTD_isError(ZSTD_decompress(out, dsz, p + off, csz))) {
			fwrite(out, 1, dsz, stdout);
			frames++;
		}
		free(out);
	}
	fprintf(stderr, "unzstd: %zu frames\n", frames);
	free(p);
	return 0;
}
