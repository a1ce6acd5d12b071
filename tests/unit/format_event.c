// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Schema table, families, strings, time parsing, error lines. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "kt_test.h"
#include "format/format_int.h"

/* Every kind has a schema whose fields lie in the payload union, do not
 * overlap, and have an encoding that fits their type. */
KT_TEST(format_schema_fields)
{
	size_t lo = offsetof(struct kt_event, raw);
	size_t hi = lo + sizeof(((struct kt_event *)0)->raw);

	for (unsigned k = 1; k < KT_KIND_MAX; k++) {
		const struct kt_kind_info *ki = kt_kind_info(k);
		unsigned char used[sizeof(struct kt_event)] = { 0 };

		KT_ASSERT(ki && ki->name && ki->nfields, "kind %u", k);
		KT_ASSERT(kt_family_name(ki->family), "kind %s family", ki->name);
		for (unsigned i = 0; i < ki->nfields; i++) {
			const struct kt_field *f = &ki->fields[i];
			size_t sz = kt_ftype_size(f->type);

			KT_ASSERT(f->off >= lo && f->off + sz <= hi,
				  "%s.%s outside payload", ki->name, f->name);
			for (size_t b = f->off; b < f->off + sz; b++) {
				KT_ASSERT(!used[b], "%s.%s overlaps", ki->name,
					  f->name);
				used[b] = 1;
			}
			KT_ASSERT((f->enc == KT_ENC_STR) == (f->type == KT_F_STR),
				  "%s.%s encoding", ki->name, f->name);
			KT_ASSERT(f->enc != KT_ENC_REL || i > 0, "%s.%s rel",
				  ki->name, f->name);
		}
	}
	KT_ASSERT(!kt_kind_info(0) && !kt_kind_info(KT_KIND_MAX), "bounds");
	KT_ASSERT(!strcmp(kt_kind_info(KT_SYSCALL)->name, "syscall"), "name");
	return KT_PASS;
}

/* The schema covers every named member: setting each field through the
 * schema reaches the struct member of the same meaning. */
KT_TEST(format_schema_members)
{
	struct kt_event ev;
	const struct kt_kind_info *ki = kt_kind_info(KT_SYSCALL);

	memset(&ev, 0, sizeof(ev));
	for (unsigned i = 0; i < ki->nfields; i++)
		kt_field_set(&ev, &ki->fields[i], 100 + i);
	KT_ASSERT(ev.sys.nr == 100 && ev.sys.dur == 101 && ev.sys.ret == 102 &&
		  ev.sys.arg[0] == 103 && ev.sys.arg[2] == 105 &&
		  ev.sys.str == 106 && ev.sys.flags == 107, "syscall members");
	/* struct sizes minus padding equal the schema's bytes */
	ki = kt_kind_info(KT_TCP_STATE);
	{
		size_t sum = 0;

		for (unsigned i = 0; i < ki->nfields; i++)
			sum += kt_ftype_size(ki->fields[i].type);
		KT_ASSERT(sum == sizeof(struct kt_tcp), "tcp %zu", sum);
	}
	ki = kt_kind_info(KT_BLOCK_RQ);
	{
		size_t sum = 0;

		for (unsigned i = 0; i < ki->nfields; i++)
			sum += kt_ftype_size(ki->fields[i].type);
		KT_ASSERT(sum == sizeof(struct kt_block_rq), "block %zu", sum);
	}
	return KT_PASS;
}

/* field_bytes_only - @ev differs from all zero only in [off, off+n). */
static int field_bytes_only(const struct kt_event *ev, size_t off, size_t n)
{
	const unsigned char *p = (const unsigned char *)ev;

	for (size_t b = 0; b < sizeof(*ev); b++)
		if ((b < off || b >= off + n) && p[b])
			return 0;
	return 1;
}

/* The public accessor reads and writes every field of every kind at its
 * own bytes, with its type: 32-bit fields zero-extended unless signed,
 * signed fields sign-extended.  The bytes are put and checked with
 * memcpy, independently of the accessor. */
KT_TEST(format_field_access)
{
	static const __u64 pat64 = 0xfedcba9876543210ULL; /* negative as s64 */
	static const __u32 pat32 = 0x87654321u;           /* negative as s32 */
	unsigned nsigned = 0;

	for (unsigned k = 1; k < KT_KIND_MAX; k++) {
		const struct kt_kind_info *ki = kt_kind_info(k);

		for (unsigned i = 0; i < ki->nfields; i++) {
			const struct kt_field *f = &ki->fields[i];
			size_t sz = kt_ftype_size(f->type);
			struct kt_event ev;
			struct kt_value v;
			__u64 want;

			memset(&ev, 0, sizeof(ev));
			memcpy((char *)&ev + f->off, sz == 8 ? (const void *)&pat64 :
			       (const void *)&pat32, sz);
			v = kt_field_get(&ev, f);
			want = sz == 8 ? pat64 : f->type == KT_F_S32 ?
			       (__u64)(__s64)(__s32)pat32 : pat32;
			KT_ASSERT(v.type == f->type && v.u == want,
				  "%s.%s: got %#llx", ki->name, f->name,
				  (unsigned long long)v.u);
			if (kt_ftype_signed(f->type)) {
				KT_ASSERT(v.s < 0, "%s.%s: %lld not negative",
					  ki->name, f->name, (long long)v.s);
				nsigned++;
			} else {
				KT_ASSERT(sz == 8 || v.u <= UINT32_MAX,
					  "%s.%s: sign-extended", ki->name,
					  f->name);
			}
			memset(&ev, 0, sizeof(ev));
			kt_field_set(&ev, f, want);
			KT_ASSERT(field_bytes_only(&ev, f->off, sz) &&
				  !memcmp((char *)&ev + f->off, sz == 8 ?
					  (const void *)&pat64 :
					  (const void *)&pat32, sz),
				  "%s.%s: set", ki->name, f->name);
		}
	}
	/* proc_exit.exit_code, syscall.ret, block_rq.error, code and result
	 * of both signal kinds, oom_victim.oom_score_adj, rss.bytes */
	KT_ASSERT(nsigned == 9, "signed fields: %u", nsigned);
	return KT_PASS;
}

/* Negative values of the signed members, stored as the structs type
 * them, come back negative through the schema field of the same name. */
KT_TEST(format_field_signed)
{
#define M(k, n, m, v) { k, n, offsetof(struct kt_event, m), \
			sizeof(((struct kt_event *)0)->m), v }
	static const struct {
		unsigned kind;
		const char *name;
		size_t off, size;
		__s64 v;
	} c[] = {
		M(KT_PROC_EXIT, "exit_code", exit.exit_code, -5),
		M(KT_SYSCALL, "ret", sys.ret, -11),
		M(KT_BLOCK_RQ, "error", blk.error, -5),
		M(KT_SIGNAL_GEN, "code", sig.code, -6),
		M(KT_SIGNAL_DELIVER, "result", sig.result, -1),
		M(KT_OOM_VICTIM, "oom_score_adj", oom.oom_score_adj, -1000),
		M(KT_RSS, "bytes", rss.bytes, -4096),
	};
#undef M
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const struct kt_kind_info *ki = kt_kind_info(c[i].kind);
		const struct kt_field *f = NULL;
		struct kt_event ev = { .kind = c[i].kind };
		__s32 v32 = (__s32)c[i].v;

		for (unsigned j = 0; j < ki->nfields; j++)
			if (!strcmp(ki->fields[j].name, c[i].name))
				f = &ki->fields[j];
		KT_ASSERT(f && f->off == c[i].off, "%s.%s", ki->name, c[i].name);
		memcpy((char *)&ev + c[i].off, c[i].size == 8 ?
		       (const void *)&c[i].v : (const void *)&v32, c[i].size);
		KT_ASSERT(kt_field_get(&ev, f).s == c[i].v, "%s.%s: %lld",
			  ki->name, c[i].name, (long long)kt_field_get(&ev, f).s);
	}
	return KT_PASS;
}

KT_TEST(format_families_parse)
{
	char bad[32];
	__u64 m;

	KT_ASSERT(kt_families_parse("sched", &m, bad, sizeof(bad)) == 0, "sched");
	KT_ASSERT(m == (KT_KIND_BIT(1) | KT_KIND_BIT(2) | KT_KIND_BIT(3) |
			KT_KIND_BIT(4)), "sched mask %llx", (unsigned long long)m);
	KT_ASSERT(kt_families_parse("proc,syscall", &m, bad, sizeof(bad)) == 0,
		  "two");
	KT_ASSERT(m == (KT_PROC_KINDS | KT_KIND_BIT(KT_SYSCALL)), "two mask");
	KT_ASSERT(kt_families_parse("all", &m, bad, sizeof(bad)) == 0, "all");
	KT_ASSERT(m == ((1ULL << KT_KIND_MAX) - 2), "all mask");
	KT_ASSERT(kt_families_parse("sched,bogus", &m, bad, sizeof(bad)) ==
		  -EINVAL && !strcmp(bad, "bogus"), "bad '%s'", bad);
	KT_ASSERT(kt_families_parse("", &m, bad, sizeof(bad)) == -EINVAL &&
		  !strcmp(bad, ""), "empty");
	KT_ASSERT(!strcmp(kt_family_name(KT_FAM_NET), "net") &&
		  !kt_family_name(KT_FAM_MAX), "names");
	return KT_PASS;
}

KT_TEST(format_event_str)
{
	static const char *const ptr[] = { "bash", "a\0b" };
	static const __u32 len[] = { 4, 3 };
	struct kt_strtab st = { ptr, len, 2 };
	struct kt_event ev = { .strs = &st };
	size_t n;

	KT_ASSERT(!strcmp(kt_event_str(&ev, 1, &n), "bash") && n == 4, "1");
	KT_ASSERT(!memcmp(kt_event_str(&ev, 2, &n), "a\0b", 3) && n == 3, "2");
	KT_ASSERT(!strcmp(kt_event_str(&ev, 0, &n), "") && n == 0, "0");
	KT_ASSERT(!strcmp(kt_event_str(&ev, 3, &n), "") && n == 0, "3");
	ev.strs = NULL;
	KT_ASSERT(!strcmp(kt_event_str(&ev, 1, NULL), ""), "no table");
	return KT_PASS;
}

KT_TEST(format_varint)
{
	static const __u64 vals[] = { 0, 1, 127, 128, 16383, 16384,
				      (1ULL << 35) - 1, UINT64_MAX - 1,
				      UINT64_MAX };
	unsigned char buf[16];
	const unsigned char *p;

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		unsigned char *e = kt_put_uv(buf, vals[i]);
		__u64 v;

		p = buf;
		KT_ASSERT(kt_get_uv(&p) == vals[i] && p == e, "uv %zu", i);
		p = buf;
		KT_ASSERT(!kt_get_uv_checked(&p, e, &v) && v == vals[i], "chk");
		p = buf;
		KT_ASSERT(kt_get_uv_checked(&p, e - 1, &v) == -EBADMSG, "short");
		KT_ASSERT(kt_unzz(kt_zz((__s64)vals[i])) == (__s64)vals[i], "zz");
	}
	KT_ASSERT(kt_zz(-1) == 1 && kt_zz(1) == 2 && kt_zz(INT64_MIN) == UINT64_MAX,
		  "zigzag");
	return KT_PASS;
}

KT_TEST(format_duration_parse)
{
	static const struct { const char *s; __u64 ns; } ok[] = {
		{ "100ms", 100000000 }, { "2s", 2000000000 },
		{ "1.5m", 90000000000ULL }, { "500us", 500000 }, { "42ns", 42 },
		{ "3", 3000000000ULL }, { "1.000000001s", 1000000001 },
		{ "0.5", 500000000 }, { ".25s", 250000000 }, { "2h", 7200000000000ULL },
		{ "1min", 60000000000ULL }, { "18446744073709551615ns", UINT64_MAX },
	};
	static const char *const bad[] = { "", "s", "1x", "-1s", "1.2.3",
					   "99999999999h", "1 s", NULL };
	__u64 ns;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		KT_ASSERT(kt_duration_parse(ok[i].s, &ns) == 0 && ns == ok[i].ns,
			  "'%s' -> %llu", ok[i].s, (unsigned long long)ns);
	for (size_t i = 0; bad[i]; i++)
		KT_ASSERT(kt_duration_parse(bad[i], &ns) == -EINVAL, "'%s'", bad[i]);
	return KT_PASS;
}

KT_TEST(format_id_parse)
{
	static const char *const bad[] = { "", "0", "-1", "+1", " 1", "1 ",
					   "1x", "4294967296", "0x10",
					   "18446744073709551616", NULL };
	__u32 v;

	KT_ASSERT(!kt_id_parse("1", &v) && v == 1, "1");
	KT_ASSERT(!kt_id_parse("4294967295", &v) && v == UINT32_MAX, "max");
	KT_ASSERT(!kt_id_parse("007", &v) && v == 7, "leading zeros");
	for (size_t i = 0; bad[i]; i++)
		KT_ASSERT(kt_id_parse(bad[i], &v) == -EINVAL, "'%s'", bad[i]);
	KT_ASSERT(kt_id_parse(NULL, &v) == -EINVAL, "NULL");
	return KT_PASS;
}

KT_TEST(format_time_parse)
{
	json_t *meta = json_pack(
		"{s:{s:[{s:I,s:I,s:I},{s:I,s:I,s:I}]}}", "clock", "anchors",
		"mono_ns", (json_int_t)1000000000000LL, "realtime_ns",
		(json_int_t)1795428000000000000LL, "boottime_ns", (json_int_t)0,
		"mono_ns", (json_int_t)1100000000000LL, "realtime_ns",
		(json_int_t)1795428100000000001LL, "boottime_ns", (json_int_t)0);
	__u64 ts;

	KT_ASSERT(meta, "json");
	KT_ASSERT(!kt_time_parse("+1.5s", meta, 1000, &ts) && ts == 1500001000,
		  "+1.5s");
	KT_ASSERT(!kt_time_parse("+200ms", meta, 5, &ts) && ts == 200000005, "ms");
	KT_ASSERT(!kt_time_parse("12.25", meta, 5, &ts) && ts == 12250000000ULL,
		  "12.25");
	KT_ASSERT(!kt_time_parse("12345ns", meta, 5, &ts) && ts == 12345, "ns");
	/* 1795428000 = 2026-11-23T10:00:00Z */
	KT_ASSERT(!kt_time_parse("2026-11-23T10:00:00.5Z", meta, 0, &ts) &&
		  ts == 1000500000000ULL, "iso z: %llu", (unsigned long long)ts);
	KT_ASSERT(!kt_time_parse("2026-11-23T12:00:00+02:00", meta, 0, &ts) &&
		  ts == 1000000000000ULL, "iso offset");
	/* interpolated between the anchors (the second is one ns ahead):
	 * the first instant whose wall time is at or after 10:01:40 is the
	 * second anchor, the instant before it is still short of it */
	KT_ASSERT(!kt_time_parse("2026-11-23T10:01:40Z", meta, 0, &ts) &&
		  ts == 1100000000000ULL, "second anchor: %llu",
		  (unsigned long long)ts);
	KT_ASSERT(!kt_time_parse("2026-11-23T10:00:50Z", meta, 0, &ts) &&
		  ts == 1050000000000ULL, "midway: %llu", (unsigned long long)ts);
	/* ns since the epoch hold 1677..2262: outside, not a time (UBSan
	 * found the product overflowing) */
	KT_ASSERT(kt_time_parse("6026-11-23T10:00:00Z", meta, 0, &ts) == -EINVAL,
		  "year 6026");
	KT_ASSERT(kt_time_parse("1600-01-01T00:00:00Z", meta, 0, &ts) == -EINVAL,
		  "year 1600");
	setenv("TZ", "UTC", 1);
	tzset();
	KT_ASSERT(!kt_time_parse("2026-11-23T10:00:01", meta, 0, &ts) &&
		  ts == 1001000000000ULL, "local");
	KT_ASSERT(kt_time_parse("2026-13-23T07:20:00Z", meta, 0, &ts) == -EINVAL,
		  "month");
	KT_ASSERT(kt_time_parse("2026-11-23T07:20:00Q", meta, 0, &ts) == -EINVAL,
		  "zone");
	KT_ASSERT(kt_time_parse("2026-11-23T07:20:00Z", NULL, 0, &ts) == -ENOENT,
		  "no anchors");
	KT_ASSERT(kt_time_parse("1970-01-01T00:00:00Z", meta, 0, &ts) == -EINVAL,
		  "before capture clock zero");
	KT_ASSERT(kt_time_parse("+x", meta, 0, &ts) == -EINVAL, "+x");
	KT_ASSERT(kt_time_parse("", meta, 0, &ts) == -EINVAL, "empty");
	json_decref(meta);
	return KT_PASS;
}

KT_TEST(format_err_print)
{
	struct kt_err e;
	char buf[512];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	KT_ASSERT(f, "fmemopen");
	kt_errf(&e, -EBADMSG, 4096, "frame checksum mismatch");
	KT_ASSERT(e.what == KT_ERR_INPUT, "the reader's errors are input");
	kt_err_print(f, "ktrail info", "x.ktr", &e);
	kt_errf(&e, -ENOENT, ~0ULL, "no such file");
	kt_err_print(f, "ktrail stats", "y.ktr", &e);
	kt_err_set(&e, -ENOSPC, KT_ERR_OUTPUT, ~0ULL, "%s", "");
	kt_err_print(f, "ktrail recover", "z.ktr", &e);
	kt_err_set(&e, -EPERM, KT_ERR_SYSTEM, ~0ULL, "missing capability %s",
		   "CAP_BPF");
	kt_err_print(f, "ktrail record", NULL, &e);
	fclose(f);
	KT_ASSERT(!strcmp(buf, "ktrail info: x.ktr: at byte 4096: frame "
			  "checksum mismatch\n"
			  "ktrail stats: y.ktr: no such file\n"
			  "ktrail recover: z.ktr: No space left on device\n"
			  "ktrail record: missing capability CAP_BPF\n"),
		  "got '%s'", buf);
	KT_ASSERT(kt_err_set(NULL, -EIO, KT_ERR_OUTPUT, 0, "x") == -EIO,
		  "NULL record");
	return KT_PASS;
}
