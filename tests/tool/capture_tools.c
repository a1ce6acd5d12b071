// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * capture_tools.c - kt-test-tool subcommands for shell tests of the format:
 *   read FILE [--seek T] [--scan]   read every event (exit 2 on an error,
 *                                   printed like ktrail's)
 *   blocks FILE                     list the blocks: offset type length
 *   mangle IN OUT OP...             damage a copy: truncate=N, flip=OFF:BIT,
 *                                   set32=OFF:VALUE, recrc=BLOCKOFF (fix the
 *                                   checksums of the block there), recrc=0
 *                                   (the file header), recrc=-1 (trailer)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#include "format/format_int.h"
#include "tool.h"

KT_TOOL(read, "FILE [--seek T] [--scan]")
{
	const char *seek = NULL;
	struct kt_reader *r;
	const struct kt_event *ev;
	struct kt_err err;
	unsigned flags = 0;
	__u64 n = 0, last = 0, sum = 0, ts;
	int rc;

	if (argc < 2)
		return 2;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--scan"))
			flags |= KT_READ_SCAN;
		else if (!strcmp(argv[i], "--seek") && i + 1 < argc)
			seek = argv[++i];
	}
	if (kt_reader_open(&r, argv[1], flags, &err)) {
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
		return 2;
	}
	if (seek) {
		if (kt_time_parse(seek, kt_reader_meta(r), 0, &ts) ||
		    kt_reader_seek(r, ts, &err)) {
			kt_err_print(stderr, "kt-test-tool", argv[1], &err);
			kt_reader_close(r);
			return 2;
		}
	}
	while ((rc = kt_reader_next(r, &ev, &err)) == 1) {
		n++;
		last = ev->ts;
		sum = sum * 31 + ev->ts + ev->kind + ev->utid;
	}
	if (rc) {
		kt_err_print(stderr, "kt-test-tool", argv[1], &err);
		kt_reader_close(r);
		return 2;
	}
	printf("%llu events, last at %llu, checksum %016llx\n",
	       (unsigned long long)n, (unsigned long long)last,
	       (unsigned long long)sum);
	kt_reader_close(r);
	return 0;
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	unsigned char *p;

	if (!f || fstat(fileno(f), &sb))
		return NULL;
	p = malloc(sb.st_size + 1);
	if (p && fread(p, 1, sb.st_size, f) != (size_t)sb.st_size) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*n = sb.st_size;
	return p;
}

KT_TOOL(blocks, "FILE")
{
	static const char *const names[] = { "?", "meta", "tasks", "frame", "index" };
	unsigned char *p;
	size_t n, off = KT_HEADER_SIZE;

	if (argc != 2 || !(p = slurp(argv[1], &n)))
		return 2;
	while (off + KT_BLOCK_HDR_SIZE <= n) {
		__u32 type = kt_get32(p + off), len = kt_get32(p + off + 4);

		if (n - off == KT_TRAILER_SIZE && !memcmp(p + off, KT_TRAILER_MAGIC, 8))
			break;
		printf("%zu %s %u %u\n", off, type < 5 ? names[type] : "?", len,
		       kt_get32(p + off + 8));
		off += KT_BLOCK_HDR_SIZE + len;
	}
	printf("%zu trailer %zu\n", off, n - off);
	free(p);
	return 0;
}

KT_TOOL(mangle, "IN OUT truncate=N|flip=OFF:BIT|set32=OFF:V|recrc=OFF ...")
{
	unsigned char *p;
	size_t n;
	FILE *f;

	if (argc < 3 || !(p = slurp(argv[1], &n)))
		return 2;
	for (int i = 3; i < argc; i++) {
		unsigned long long a = 0, b = 0;
		long long o;

		if (sscanf(argv[i], "truncate=%llu", &a) == 1 && a <= n) {
			n = a;
		} else if (sscanf(argv[i], "flip=%llu:%llu", &a, &b) == 2 && a < n) {
			p[a] ^= 1u << (b & 7);
		} else if (sscanf(argv[i], "set32=%llu:%lli", &a, (long long *)&b) == 2 &&
			   a + 4 <= n) {
			kt_put32(p + a, (__u32)b);
		} else if (sscanf(argv[i], "recrc=%lld", &o) == 1) {
			if (o == 0) {
				kt_put32(p + 28, crc32(0, p, 28));
			} else if (o < 0) {
				kt_put32(p + n - 4, crc32(0, p + n - KT_TRAILER_SIZE, 28));
			} else if ((size_t)o + KT_BLOCK_HDR_SIZE <= n && o > 0) {
				__u32 cov = kt_get32(p + o + 8);

				if ((size_t)o + KT_BLOCK_HDR_SIZE + cov <= n)
					kt_put32(p + o + 12, crc32(0, p + o +
						 KT_BLOCK_HDR_SIZE, cov));
				kt_put32(p + o + 16, crc32(0, p + o, 16));
			}
		} else {
			fprintf(stderr, "mangle: bad operation '%s'\n", argv[i]);
			free(p);
			return 2;
		}
	}
	f = fopen(argv[2], "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		free(p);
		return 2;
	}
	free(p);
	return 0;
}

/* schema: the kinds and their columns as a Markdown table (docs/format.md). */
KT_TOOL(schema, "")
{
	static const char *const enc[] = { "", "uvarint", "zigzag", "delta",
					   "string id", "rel" };
	static const char *const type[] = { "", "u32", "s32", "u64", "s64",
					    "str" };

	(void)argc;
	(void)argv;
	printf("| kind | name | family | columns (name type encoding) |\n");
	printf("|---:|---|---|---|\n");
	for (unsigned k = 1; k < KT_KIND_MAX; k++) {
		const struct kt_kind_info *ki = kt_kind_info(k);

		printf("| %u | %s | %s | %s", k, ki->name,
		       kt_family_name(ki->family),
		       kt_kind_hidden(k) ? "_ts delta, _tid, _pid, _utid, "
					   "_child_utid; " : "");
		for (unsigned f = 0; f < ki->nfields; f++)
			printf("%s%s %s %s", f ? ", " : "", ki->fields[f].name,
			       type[ki->fields[f].type], enc[ki->fields[f].enc]);
		printf(" |\n");
	}
	return 0;
}
