// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * picture.c - checks of the pictures as files, for the shell tests:
 * png_size decodes a PNG whole (every row, through Cairo's libpng
 * reader), so that a truncated or corrupt file fails, and prints its
 * size.
 */
#include <stdio.h>
#include <cairo.h>
#include "tool.h"

KT_TOOL(png_size, "FILE: decode the PNG whole; print WIDTH HEIGHT")
{
	cairo_surface_t *s;
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: kt-test-tool png_size FILE\n");
		return 2;
	}
	s = cairo_image_surface_create_from_png(argv[1]);
	if (cairo_surface_status(s)) {
		fprintf(stderr, "png_size: %s: %s\n", argv[1],
			cairo_status_to_string(cairo_surface_status(s)));
		rc = 1;
	} else {
		printf("%d %d\n", cairo_image_surface_get_width(s),
		       cairo_image_surface_get_height(s));
	}
	cairo_surface_destroy(s);
	return rc;
}
