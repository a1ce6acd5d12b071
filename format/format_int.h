/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * format_int.h - internals of format/ shared by its files: little-endian
 * and varint helpers, on-disk constants, column encodings and the internal
 * entry points between writer, reader, tasks and recovery.  Not part of the
 * interface: nothing outside format/ (and its tests) includes it.
 */
#ifndef KT_FORMAT_INT_H
#define KT_FORMAT_INT_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include "format.h"

/* ------------------------------------------------------- on-disk layout */

#define KT_MAGIC "\x89KTRAIL\n"          /* 8 bytes, file header */
#define KT_TRAILER_MAGIC "KTINDEX\n"     /* 8 bytes, trailer */
#define KT_HEADER_SIZE 32
#define KT_TRAILER_SIZE 32
#define KT_BLOCK_HDR_SIZE 20

enum kt_block_type {
	KT_BLK_META = 1,
	KT_BLK_TASKS = 2,
	KT_BLK_FRAME = 3,
	KT_BLK_INDEX = 4,
};

/* Column codecs */
enum { KT_CODEC_RAW = 0, KT_CODEC_ZSTD = 1 };

/* Column encodings (struct kt_field.enc) */
enum kt_colenc {
	KT_ENC_UV = 1,      /* unsigned LEB128 varint */
	KT_ENC_SV = 2,      /* zigzag varint of the sign-extended value */
	KT_ENC_DELTA = 3,   /* zigzag varint of v - previous v in the column */
	KT_ENC_STR = 4,     /* varint frame-local string id, 0 = none */
	KT_ENC_REL = 5,     /* zigzag varint of v - previous field of the event */
};

/* Global columns of a frame, in directory order. */
enum {
	KT_GCOL_KIND = 0,
	KT_GCOL_TS = 1,
	KT_GCOL_TID = 2,
	KT_GCOL_PID = 3,
	KT_GCOL_CPU = 4,
	KT_GCOL_STRLEN = 5,
	KT_GCOL_STRDATA = 6,
	KT_NGCOL = 7,
};

/*
 * Proc kinds carry hidden columns before their payload columns, so that a
 * seeking reader can bring its task table forward from a keyframe without
 * decompressing the global columns: the event's ts (delta from the frame's
 * min_ts), tid, pid, the subject's utid after the event and (fork) the
 * child's utid.
 */
enum { KT_HCOL_TS, KT_HCOL_TID, KT_HCOL_PID, KT_HCOL_UTID, KT_HCOL_CUTID,
       KT_NHCOL };

/* The tid column stores tid - the previous tid on the same cpu (the
 * running thread keeps producing events); cpus from KT_TIDCTX_CPUS up store
 * the tid itself. */
#define KT_TIDCTX_CPUS 1024

/* Sanity caps, checked before anything is allocated. */
#define KT_MAX_FRAME_EVENTS (1u << 22)
#define KT_MAX_COL_RAW (256u << 20)      /* one column, decompressed */
#define KT_MAX_FRAME_RAW (1024u << 20)   /* all columns of a frame */
#define KT_MAX_BLOCK (1024u << 20)       /* any block payload */
#define KT_MAX_META (64u << 20)
#define KT_MAX_OPEN_FRAMES 64
#define KT_MAX_OPEN_RAW (2ULL << 30)    /* the frames open at once, decoded */
#define KT_MAX_UTID (1u << 30)
#define KT_COL_ENT_SIZE 13               /* codec u8, raw, stored, crc */
#define KT_FRAME_HDR_FIXED 36

static inline int kt_kind_is_proc(unsigned kind)
{
	return kind >= KT_PROC_FORK && kind <= KT_PROC_COMM;
}

static inline unsigned kt_kind_hidden(unsigned kind)
{
	return kt_kind_is_proc(kind) ? KT_NHCOL : 0;
}

#define KT_PROC_KINDS (KT_KIND_BIT(KT_PROC_FORK) | KT_KIND_BIT(KT_PROC_EXEC) | \
		       KT_KIND_BIT(KT_PROC_EXIT) | KT_KIND_BIT(KT_PROC_COMM))

/*
 * kt_crc_bad - a stored checksum does not match.  Fuzzing builds accept
 * every checksum while kt_fuzz_lax_crc is set (the fuzz target sets it for
 * half of its inputs), so that the fuzzer gets past them to the parsers
 * and still covers the paths of bad checksums; the corpus replay in
 * `make check` runs with checksums on.
 */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
extern int kt_fuzz_lax_crc;
#define kt_crc_bad(stored, computed) (!kt_fuzz_lax_crc && (stored) != (computed))
#else
#define kt_crc_bad(stored, computed) ((stored) != (computed))
#endif

/* ------------------------------------------------------ little endian */

static inline void kt_put16(unsigned char *p, __u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void kt_put32(unsigned char *p, __u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline void kt_put64(unsigned char *p, __u64 v)
{
	kt_put32(p, (__u32)v);
	kt_put32(p + 4, (__u32)(v >> 32));
}

static inline __u16 kt_get16(const unsigned char *p)
{
	return (__u16)(p[0] | p[1] << 8);
}

static inline __u32 kt_get32(const unsigned char *p)
{
	return (__u32)p[0] | (__u32)p[1] << 8 | (__u32)p[2] << 16 |
	       (__u32)p[3] << 24;
}

static inline __u64 kt_get64(const unsigned char *p)
{
	return kt_get32(p) | (__u64)kt_get32(p + 4) << 32;
}

/* ------------------------------------------------------------ varints */

static inline __u64 kt_zz(__s64 v)
{
	return ((__u64)v << 1) ^ (__u64)(v >> 63);
}

static inline __s64 kt_unzz(__u64 v)
{
	return (__s64)(v >> 1) ^ -(__s64)(v & 1);
}

/* Writes at most 10 bytes; returns the new end. */
static inline unsigned char *kt_put_uv(unsigned char *p, __u64 v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

/*
 * Reads one varint.  The caller guarantees a terminator byte (< 0x80) ahead
 * (columns are validated for their terminator count before decoding), so
 * there is no end check here; bits beyond 64 are dropped.
 */
static inline __u64 kt_get_uv(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	__u64 v;
	unsigned shift;

	if (p[0] < 0x80) {
		*pp = p + 1;
		return p[0];
	}
	if (p[1] < 0x80) {
		*pp = p + 2;
		return (p[0] & 0x7f) | (__u64)p[1] << 7;
	}
	v = (p[0] & 0x7f) | (__u64)(p[1] & 0x7f) << 7;
	p += 2;
	shift = 14;
	while (*p >= 0x80) {
		if (shift < 64)
			v |= (__u64)(*p & 0x7f) << shift;
		shift += 7;
		p++;
	}
	if (shift < 64)
		v |= (__u64)*p << shift;
	*pp = p + 1;
	return v;
}

/* A bounds-checked varint read for headers: 0 or -EBADMSG. */
static inline int kt_get_uv_checked(const unsigned char **pp,
				    const unsigned char *end, __u64 *v)
{
	const unsigned char *p = *pp;
	unsigned shift = 0;

	*v = 0;
	while (p < end) {
		if (shift < 64)
			*v |= (__u64)(*p & 0x7f) << shift;
		shift += 7;
		if (*p++ < 0x80) {
			*pp = p;
			return 0;
		}
	}
	return -EBADMSG;
}

/* --------------------------------------------------------- byte buffers */

struct kt_buf {
	unsigned char *p;
	size_t len, cap;
};

int kt_buf_grow(struct kt_buf *b, size_t more);
int kt_buf_put(struct kt_buf *b, const void *p, size_t n);
void kt_buf_release(struct kt_buf *b);

/* --------------------------------------------------------------- errors */

/* kt_errf - the reader's errors: kt_err_set() on an input. */
#define kt_errf(e, code, off, ...) \
	kt_err_set(e, code, KT_ERR_INPUT, off, __VA_ARGS__)

/* ------------------------------------------------ clock anchors (log) */

/* A dropped anchor lies within this of the interpolation between the kept
 * ones: ten times an anchor's own uncertainty (its reads bracket the
 * realtime read within about 100 ns), far below what wall-clock times are
 * compared with (log lines, other hosts). */
#define KT_ANCHOR_TOL_NS 1000

/*
 * kt_anchor_log - the anchors of the KT_CLOCK_SYNC events a writer is
 * given, thinned as they come (clock.c says how) so that the end metadata
 * holds every anchor that interpolation needs and a steady clock costs
 * two.  Zero-initialized is empty.
 */
struct kt_anchor_log {
	struct kt_anchor *a;    /* kept, the last one starts the segment */
	size_t n, cap;
	struct kt_anchor prev;  /* the newest anchor, when not kept */
	bool pending;
	__u64 floor;            /* pruned before this instant (0: never) */
	/* slopes of realtime - mono from a[n-1] that pass within the
	 * tolerance of every anchor since: lo_num/lo_den .. hi_num/hi_den
	 * (a denominator 0: no bound yet) */
	__s64 lo_num, hi_num;
	__u64 lo_den, hi_den;
};

/* kt_anchor_of - the anchor a KT_CLOCK_SYNC event carries. */
static inline struct kt_anchor kt_anchor_of(const struct kt_event *ev)
{
	struct kt_anchor a = { ev->ts, (__s64)ev->clk.realtime_ns,
			       ev->clk.boottime_ns };

	return a;
}

/* kt_anchor_log_add - log one anchor.  Returns 0 or -ENOMEM. */
int kt_anchor_log_add(struct kt_anchor_log *l, const struct kt_anchor *a);
/* kt_anchor_log_prune - forget anchors no instant at or after @ts needs
 * (flight mode: before the oldest frame kept). */
void kt_anchor_log_prune(struct kt_anchor_log *l, __u64 ts);
/* kt_anchor_log_merge - set clock.anchors of @meta to its own anchors
 * (those from before a prune dropped) and the logged ones, sorted;
 * nothing when the log is empty.  Returns 0 or -ENOMEM. */
int kt_anchor_log_merge(const struct kt_anchor_log *l, json_t *meta);
void kt_anchor_log_release(struct kt_anchor_log *l);

/* ------------------------------------------------------ tasks, internal */

/* Interned strings (strpool.c): one NUL-terminated copy per distinct byte
 * string, valid until kt_strpool_release().  Zero-initialize to start. */
struct kt_strpool {
	struct kt_pstr **tab;   /* open addressing, at most half full */
	__u32 cap, n;           /* slots, strings */
	struct kt_pchunk *chunks;
	char *cur;              /* free room in the newest chunk */
	size_t left;
	size_t bytes;           /* held: chunks and table */
	size_t str_bytes;       /* the strings' own bytes, NULs included */
};

/* kt_strpool_intern - the pool's copy of @n bytes at @s (a shared "" when
 * @n is 0), NUL-terminated after the n bytes; NULL with errno set
 * (ENOMEM) on failure. */
const char *kt_strpool_intern(struct kt_strpool *p, const char *s, size_t n);
void kt_strpool_release(struct kt_strpool *p);

/* kt_tasks_apply_hint - kt_tasks_apply, but a task it creates takes the
 * utid the writer recorded (@subj_utid for the subject, @child_utid for a
 * fork child) when non-zero, so that every reader agrees with the writer. */
int kt_tasks_apply_hint(struct kt_tasks *t, const struct kt_event *ev,
			__u32 subj_utid, __u32 child_utid, __u32 *utid);
__u32 kt_tasks_next_utid(const struct kt_tasks *t);
void kt_tasks_set_next_utid(struct kt_tasks *t, __u32 next);
/* kt_tasks_dup - a copy of @t (its own strings), or NULL. */
struct kt_tasks *kt_tasks_dup(const struct kt_tasks *t);
/* kt_tasks_encode - serialize live tasks (and those ended at or after
 * @since) into @b (uncompressed keyframe body). */
int kt_tasks_encode(const struct kt_tasks *t, __u64 since, struct kt_buf *b);
/* kt_tasks_decode - a table from a keyframe body; -EBADMSG if corrupt. */
int kt_tasks_decode(const unsigned char *p, size_t n, struct kt_tasks **out);

/* ------------------------------------------------------- frame encoding */

/* The writer's string table: handle h names bytes[off[h-1]], len[h-1]. */
struct kt_wstrs {
	struct kt_buf bytes;
	__u32 *off, *len;
	__u32 n, cap;
	__u32 *hash;            /* open addressing: handle, 0 = empty */
	__u32 hcap;
};

__u32 kt_wstrs_intern(struct kt_wstrs *s, const void *p, size_t n);
void kt_wstrs_clear(struct kt_wstrs *s);
void kt_wstrs_release(struct kt_wstrs *s);

/* What a frame holds, for the index. */
struct kt_frame_sum {
	__u64 min_ts, max_ts;
	__u32 events;
	__u64 lost;
	__u64 kind_mask;
	__u32 kind_count[KT_KIND_MAX];
	__u64 raw_bytes;
};

struct kt_enc;
struct kt_enc *kt_enc_new(int level);
void kt_enc_free(struct kt_enc *e);
/*
 * kt_enc_frame - sort @evs (@n > 0; stable by ts, in place), apply the proc
 * events to @tasks in that order, and append the whole FRAME block (block
 * header included) to @out.  Returns 0 or a negative errno.
 */
int kt_enc_frame(struct kt_enc *e, struct kt_event *evs, size_t n,
		 const struct kt_wstrs *strs, struct kt_tasks *tasks,
		 struct kt_buf *out, struct kt_frame_sum *sum);

/* kt_block_put - append a block header + @n payload bytes to @out, the
 * first @covered of them under the payload CRC. */
int kt_block_put(struct kt_buf *out, __u32 type, const void *payload,
		 size_t n, size_t covered);
/* kt_block_hdr - write a block header for a payload already in place
 * right after it at @hdr. */
void kt_block_hdr(unsigned char *hdr, __u32 type, __u32 len, __u32 covered);

/* ------------------------------------------------------ file assembly */

/* Index entries (docs/format.md "Index"). */
struct kt_fent {
	__u64 off, len;         /* block offset and size, header included */
	__u64 min_ts, max_ts;
	__u64 lost;
	__u64 kind_mask;
	__u32 events;
	__u32 keyframe;         /* last keyframe before it, or KT_NO_KF */
};
#define KT_NO_KF 0xffffffffu
#define KT_FENT_SIZE 56

struct kt_kent {
	__u64 off, len, ts;
};
#define KT_KENT_SIZE 24

/* An output file being assembled: blocks appended, index remembered. */
struct kt_fileout {
	int fd;
	bool sync;
	__u64 off;
	struct kt_fent *frames;
	size_t nframes, fcap;
	struct kt_kent *kfs;
	size_t nkfs, kcap;
	__u64 totals[KT_KIND_MAX];
	__u64 start_meta_off, end_meta_off;
};

/* kt_fo_header - write the file header and the start metadata block. */
int kt_fo_header(struct kt_fileout *fo, const json_t *meta);
/* kt_fo_keyframe, kt_fo_frame - append a block and index it (@blk NULL:
 * only index the @len bytes at the current offset, already in the file). */
int kt_fo_keyframe(struct kt_fileout *fo, const void *blk, size_t len,
		   __u64 ts);
int kt_fo_frame(struct kt_fileout *fo, const void *blk, size_t len,
		const struct kt_frame_sum *sum);
/* kt_fo_finish - end metadata (NULL: none), index and trailer. */
int kt_fo_finish(struct kt_fileout *fo, const json_t *end_meta);
void kt_fo_release(struct kt_fileout *fo);
/* kt_meta_merge - merge @src into @dst, objects recursively. */
int kt_meta_merge(json_t *dst, const json_t *src);
/* kt_keyframe_block - a TASKS block of @t (tasks ended since @since
 * included) stamped @ts, appended to @out. */
int kt_keyframe_block(const struct kt_tasks *t, __u64 since, __u64 ts,
		      int level, struct kt_buf *out);

/* -------------------------------------------------------------- reading */

struct kt_colent {
	__u8 codec;
	__u32 raw, stored, crc;
	__u64 off;              /* file offset of the stored bytes */
	const unsigned char *data; /* stored bytes, when the block is loaded */
};

struct kt_kgroup {
	__u32 kind;
	__u32 ncols;
	__u32 count;
	struct kt_colent *cols;
};

/* A parsed frame header (docs/format.md "Frames"). */
struct kt_fhdr {
	__u64 min_ts, max_ts, lost;
	__u32 nevents, nstr;
	__u32 nglobal, nkinds;
	struct kt_colent g[KT_NGCOL];
	struct kt_kgroup *groups;       /* nkinds, owned */
	struct kt_colent *colmem;       /* every column entry, owned */
	struct kt_kgroup *bykind[KT_KIND_MAX]; /* known kinds present */
};

/* kt_block_check - validate the 20-byte block header at @h for a block at
 * file offset @off in a file of @size bytes; fills type/len/covered. */
int kt_block_check(const unsigned char *h, __u64 off, __u64 size,
		   __u32 *type, __u32 *len, __u32 *covered, struct kt_err *err);
/*
 * kt_fhdr_parse - parse the frame header @p (@covered bytes, the CRC
 * already checked) of a FRAME block whose payload (@plen bytes) starts at
 * file offset @poff; @payload, when not NULL, is the whole payload in
 * memory and column entries get their data pointers.
 */
int kt_fhdr_parse(const unsigned char *p, __u32 covered, __u32 plen,
		  __u64 poff, const unsigned char *payload,
		  struct kt_fhdr *fh, struct kt_err *err);
void kt_fhdr_release(struct kt_fhdr *fh);
/* kt_col_load - check and decompress column @c into @dst (c->raw bytes +
 * 16 zero bytes of padding); @rows >= 0 also checks that it holds exactly
 * @rows varints. */
int kt_col_load(void *dctx, const struct kt_colent *c, long long rows,
		unsigned char *dst, struct kt_err *err);

#endif /* KT_FORMAT_INT_H */
