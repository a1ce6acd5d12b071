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
enum kt_enc {
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

/* Sanity caps, checked before anything is allocated. */
#define KT_MAX_FRAME_EVENTS (1u << 22)
#define KT_MAX_COL_RAW (256u << 20)      /* one column, decompressed */
#define KT_MAX_FRAME_RAW (1024u << 20)   /* all columns of a frame */
#define KT_MAX_BLOCK (1024u << 20)       /* any block payload */
#define KT_MAX_META (64u << 20)
#define KT_MAX_OPEN_FRAMES 64
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

int kt_errf(struct kt_err *e, int code, __u64 off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ------------------------------------------------------- field access */

__u64 kt_field_get(const struct kt_event *ev, const struct kt_field *f);
void kt_field_set(struct kt_event *ev, const struct kt_field *f, __u64 v);

/* ------------------------------------------------------ tasks, internal */

/* kt_tasks_apply_hint - kt_tasks_apply, but a task it creates takes the
 * utid the writer recorded (@subj_utid for the subject, @child_utid for a
 * fork child) when non-zero, so that every reader agrees with the writer. */
int kt_tasks_apply_hint(struct kt_tasks *t, const struct kt_event *ev,
			__u32 subj_utid, __u32 child_utid, __u32 *utid);
__u32 kt_tasks_next_utid(const struct kt_tasks *t);
void kt_tasks_set_next_utid(struct kt_tasks *t, __u32 next);
/* kt_tasks_clear_ended - drop tasks that ended before @ts from the tid map
 * and the table (keyframes hold live tasks only). */
struct kt_tasks *kt_tasks_dup(const struct kt_tasks *t);
/* kt_tasks_encode - serialize live tasks (and those ended at or after
 * @since) into @b (uncompressed keyframe body). */
int kt_tasks_encode(const struct kt_tasks *t, __u64 since, struct kt_buf *b);
/* kt_tasks_decode - a table from a keyframe body; -EBADMSG if corrupt. */
int kt_tasks_decode(const unsigned char *p, size_t n, struct kt_tasks **out);

#endif /* KT_FORMAT_INT_H */
