// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * picture.c - kt-test-tool png_info: decode a PNG whole (Cairo's reader,
 * libpng underneath) and print its size, so that the shell tests check a
 * picture as a viewer opens it, not only its header.
 */
#include <stdio.h>
#include <cairo.h>
#include "tool.h"

KT_TOOL(png_info, "FILE.png")
{
	cairo_surface_t *sf;
	cairo_status_t st;
	unsigned long ink = 0;
	int w, h, stride;
	unsigned char *px;

	if (argc != 2) {
		fprintf(stderr, "usage: kt-test-tool png_info FILE.png\n");
		return 2;
	}
	sf = cairo_image_surface_create_from_png(argv[1]);
	st = cairo_surface_status(sf);
	if (st) {
		fprintf(stderr, "png_info: %s: %s\n", argv[1],
			cairo_status_to_string(st));
		cairo_surface_destroy(sf);
		return 1;
	}
	cairo_surface_flush(sf);
	w = cairo_image_surface_get_width(sf);
	h = cairo_image_surface_get_height(sf);
	stride = cairo_image_surface_get_stride(sf);
	px = cairo_image_surface_get_data(sf);
	/* pixels that are not the white background: a blank picture fails */
	for (int y = 0; px && y < h; y++)
		for (int x = 0; x < w; x++)
			ink += (((unsigned *)(px + (size_t)y * stride))[x] &
				0xffffff) != 0xffffff;
	printf("png %dx%d, %s\n", w, h, ink > (unsigned long)w ? "drawn" : "blank");
	cairo_surface_destroy(sf);
	return 0;
}
