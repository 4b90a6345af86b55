/* fonts.h - chart text in a real font: DejaVu Sans (found through
 * fontconfig) drawn by FreeType, with fontconfig's choice of a fallback
 * font for characters it lacks (a Japanese or Chinese instance name), so
 * that names are text, not code points, and "lsass" does not read as
 * "Isass" as it did in libplot's Hershey fonts. Internal. */
#ifndef PL_FONTS_H
#define PL_FONTS_H

#include "perfleak/perfleak.h"

typedef struct pl_fonts pl_fonts;

/* Loads the regular and bold faces. PL_OK; PL_EUNSUPPORTED when no font
 * can be found (the charts then fall back to libplot's own); PL_ENOMEM. */
int pl_fonts_open(pl_fonts **out, pl_error *err);
void pl_fonts_close(pl_fonts *f);

/* Vertical metrics of a face at px pixels an em, in pixels: how far the
 * capitals rise above the baseline, and the ascent and descent (both
 * positive). */
typedef struct pl_font_metrics {
    double cap, ascent, descent;
} pl_font_metrics;
pl_font_metrics pl_fonts_metrics(pl_fonts *f, int bold, double px);

/* The advance of UTF-8 s at px pixels an em (unhinted, unkerned: the
 * same at every scale, so a PNG drawn at twice the size and its SVG
 * measure alike). */
double pl_fonts_width(pl_fonts *f, int bold, double px, const char *s);

/* Draws s with its baseline starting at (x, y) (pixels, y down) onto an
 * RGB image of w x h, in colour r, g, b, anti-aliased. */
void pl_fonts_draw(pl_fonts *f, unsigned char *rgb, int w, int h, double x, double y, int bold,
                   double px, int r, int g, int b, const char *s);

#endif
