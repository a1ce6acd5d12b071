/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * render_int.h - private to render/: the colours the pictures share
 * (../shared/RENDER-NOTES.md §1: the recommended palette, Trace
 * Compass's critical-path colours where it has none).
 */
#ifndef KT_RENDER_INT_H
#define KT_RENDER_INT_H

#include "render/render.h"

#define KT_COL_TEXT 0x202020
#define KT_COL_MUTED 0x555555
#define KT_COL_PATH 0xdc143c    /* the critical path, the culprit */
#define KT_COL_CULPRIT_BG 0xfff1b8
#define KT_COL_HANDOFF 0x404040 /* wakeup arrows, hand-offs */

/* kt_col_cp - the fill of a critical-path kind (critpath.h) */
static inline __u32 kt_col_cp(unsigned kind)
{
	static const __u32 col[KT_CP_NKINDS] = {
		[KT_CP_RUN] = 0x317d31, [KT_CP_RUNNABLE] = 0x99ba36,
		[KT_CP_DISK] = 0xff7300, [KT_CP_TIMER] = 0x336699,
		[KT_CP_NET] = 0xff9bff, [KT_CP_IRQ] = 0xffdc00,
		[KT_CP_UNKNOWN] = 0xf7efda, [KT_CP_RETRANS] = 0xc71585,
	};

	return kind < KT_CP_NKINDS ? col[kind] : 0x9e9e9e;
}

#endif /* KT_RENDER_INT_H */
