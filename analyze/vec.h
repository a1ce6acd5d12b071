/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * vec.h - growing an array that is appended to one element at a time.
 */
#ifndef KT_VEC_H
#define KT_VEC_H

#include <stdlib.h>

/*
 * KT_GROW - make room for one more element in array @arr of @n elements
 * and capacity @cap (both lvalues; @cap doubles, from 16).  1 when there
 * is room, 0 when realloc failed (@arr, @n and @cap are then unchanged).
 */
#define KT_GROW(arr, n, cap)                                            \
	({                                                              \
		int ok_ = 1;                                            \
		if ((n) == (cap)) {                                     \
			size_t c_ = (cap) ? (cap) * 2 : 16;             \
			void *p_ = realloc((arr), c_ * sizeof(*(arr))); \
			if (p_) {                                       \
				(arr) = p_;                             \
				(cap) = c_;                             \
			} else {                                        \
				ok_ = 0;                                \
			}                                               \
		}                                                       \
		ok_;                                                    \
	})

#endif
