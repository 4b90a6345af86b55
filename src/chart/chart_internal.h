/* chart_internal.h - what the chart files share: the canvas (a libplot
 * plotter and the PNG/SVG around it), the palette, text in the Hershey
 * fonts, the axes and the plot area. Internal. */
#ifndef PL_CHART_INTERNAL_H
#define PL_CHART_INTERNAL_H

#include <stdio.h>
#include "perfleak/plot.h"
#include "perfleak/compare.h"
#include "chart/files.h"
#include "util/dynlib.h"

#define SS 2              /* supersampling factor for PNG */
#define CHART_W 1200
#define CHART_H 640

/* Okabe-Ito colours (safe for colour-blind readers), as 8-bit RGB; the
 * T_ ones are darker shades for text on white. */
typedef struct pl_rgb { int r, g, b; } pl_rgb;
extern const pl_rgb PL_C_BLUE, PL_C_BAND, PL_C_VERMILLION, PL_C_PURPLE, PL_C_GRID, PL_C_AXIS,
    PL_C_TEXT, PL_C_MUTED, PL_T_VERMILLION, PL_T_PURPLE, PL_T_GREEN, PL_T_ORANGE;
/* Colours for several series on one chart; past these, the same colours
 * again with another dash pattern (PL_SERIES_DASHES). */
#define PL_SERIES_NCOLOURS 8
#define PL_SERIES_NDASHES 4
extern const pl_rgb PL_SERIES_COLOURS[PL_SERIES_NCOLOURS];
extern const char *const PL_SERIES_DASHES[PL_SERIES_NDASHES];

/* A text to draw once the lines are drawn: in the real font over the
 * PNG's pixels, or as SVG text. */
typedef struct pl_canvas_text {
    double x, y;        /* logical pixels, y up, as libplot's */
    int hj, vj, bold;
    double size;
    pl_rgb k;
    char *s;            /* UTF-8 */
} pl_canvas_text;

typedef struct pl_fonts pl_fonts;

typedef struct pl_canvas {
    pl_libplot pl;
    plPlotter *p;
    plPlotterParams *params;
    pl_chart_format fmt;
    int w, h;
    FILE *out;       /* the caller's stream */
    FILE *mem;       /* PNM for PNG output, SVG for inline SVG */
    char *pnm;
    size_t pnm_len;
    pl_fonts *fonts;      /* NULL: libplot's Hershey fonts draw the text */
    int own_fonts;        /* opened for this canvas alone */
    int fonts_tried;      /* fonts given, or opened (or not found) once */
    pl_canvas_text *texts;
    size_t ntexts, captexts;
    int oom;              /* something drawn ran out of memory: closing says so */
    char title[256];      /* the SVG's <title> */
} pl_canvas;

/* A value scale in display units: ticks at nice steps (1, 2, 5 x 10^k). */
typedef struct pl_vscale {
    double lo, hi;      /* in counter units, after rounding to ticks */
    double step;        /* in counter units */
    double div;         /* counter units per display unit (e.g. 1024^2) */
    const char *suffix; /* " MB", "%", " handles" ... */
} pl_vscale;

/* Time ticks in the log's local time. */
typedef struct pl_tscale {
    double t0, t1;      /* seconds since the epoch, UTC */
    double step;        /* seconds */
    int offset;         /* minutes east of UTC */
    int elapsed;        /* labels as hours since t0, not as clock times */
} pl_tscale;

typedef struct pl_panel {
    double x0, y0, x1, y1;   /* plot area in logical pixels */
    pl_tscale ts;
    pl_vscale vs;
} pl_panel;

typedef struct pl_legend_item {
    const char *label;
    pl_rgb colour;
    int kind;   /* 0 band, 1 line, 2 dashed line, 3 dotted line, 4 line
                 * dashed as PL_SERIES_DASHES[dash] */
    int dash;
} pl_legend_item;

/* ---------- counter.c ---------- */

/* For a chart of counters idx[0..n): a title of what they share
 * ("services - 2 counters on SRV01", "Private Bytes: 9 counters") and, for
 * the first nlabels, a label of what tells each apart ("Working Set";
 * "w3wp#2"; "SRV02 Process(w3wp): Handle Count"). */
void pl_chart_several_names(const pl_analysis *a, const size_t *idx, size_t n, char *title,
                            size_t tsize, char (*labels)[96], size_t nlabels);

/* ---------- canvas.c ---------- */

/* The pen and fill colours. */
void pl_chart_pen(pl_canvas *c, pl_rgb k);
void pl_chart_fill(pl_canvas *c, pl_rgb k);

/* A w x h canvas drawing into out (PNG, SVG, or SVG inline in HTML), its
 * text in fonts (NULL: fonts opened for this canvas at its first text;
 * libplot's own when none can be found): PL_OK, or PL_ENOMEM /
 * PL_EUNSUPPORTED (libplot cannot be loaded) with err set; closing writes
 * the image: PL_OK, PL_ENOMEM or PL_EIO. */
int pl_chart_canvas_open(pl_canvas *c, pl_chart_format fmt, int w, int h, FILE *out, pl_fonts *fonts,
                         pl_error *err);

int pl_chart_canvas_close(pl_canvas *c, pl_error *err);

/* UTF-8 to the Latin-1 the Hershey fonts draw: Cyrillic is transliterated,
 * dashes become '-', and a character the fonts lack (a Chinese process
 * name) is written as its code point, "U+8FDB", which can be looked up,
 * rather than a '?' that cannot; the reports carry the name itself. */
void pl_chart_latin1(const char *s, char *out, size_t size);

/* s at (x, y), justified hj ('l', 'c', 'r') and vj ('b', 'c', 't'). */
void pl_chart_text(pl_canvas *c, double x, double y, int hj, int vj, double size, const char *font,
                   pl_rgb k, const char *s);

/* Width of s in logical pixels. */
double pl_chart_text_width(pl_canvas *c, double size, const char *font, const char *s);

/* What an SVG's <title> says (a screen reader's and a tooltip's text). */
void pl_chart_set_title(pl_canvas *c, const char *title);

/* Shortens s in place with "..." until it fits width. */
void pl_chart_fit(pl_canvas *c, double size, const char *font, char *s, double width);
/* As pl_chart_fit, with the "..." in the middle: for names, whose ends
 * tell them apart. */
void pl_chart_fit_middle(pl_canvas *c, double size, const char *font, char *s, double width);

/* ---------- files.c ---------- */

/* utf8 as a file name's part: lower-case ASCII letters and digits, other
 * runs as one '-', accents dropped, other scripts as "u30b5"; "" when
 * nothing is left. */
void pl_chart_slug(const char *utf8, char *slug, size_t size);

/* ---------- axes.c ---------- */

/* Ticks for lo..hi in unit, about nticks of them (at most 64). */
void pl_chart_value_scale(double lo, double hi, pl_unit unit, int nticks, pl_vscale *v);

/* The tick label at x ("250 MB"). */
void pl_chart_value_label(const pl_vscale *v, double x, char *buf, size_t size);

/* Time ticks for t0..t1 (seconds, UTC), at most maxticks. */
void pl_chart_time_scale(double t0, double t1, int offset, int maxticks, pl_tscale *ts);

/* utc_s as the calendar at offset minutes east of UTC. */
void pl_chart_civil(double utc_s, int offset, int *y, int *mo, int *d, int *h, int *mi, int *s);

/* The grid, axes and (labels) tick labels of p. */
void pl_chart_grid_and_axes(pl_canvas *c, const pl_panel *p, double fs, int labels);

/* ---------- counter.c ---------- */

/* A series as its mean line, and its min-max band. */
void pl_chart_draw_series(pl_canvas *c, const pl_panel *p, const pl_series *s, pl_rgb line, pl_rgb band,
                          double width);

void pl_chart_draw_series_band(pl_canvas *c, const pl_panel *p, const pl_series *s, pl_rgb band);

/* The trend over the judged regime, the onset and the projection. */
void pl_chart_draw_finding(pl_canvas *c, const pl_panel *p, const pl_counter *k, double fs, int notes);

/* "services - Private Bytes on SRV01" */
void pl_chart_title(const pl_counter *k, char *buf, size_t size);
/* prefix and k's title, no wider than width at size in font: a long
 * instance name is shortened in its middle first, so that the counter and
 * the machine stay ("w3wp_Defa...rtal_v2 - Private Bytes on WEB01"). */
void pl_chart_title_fit(pl_canvas *c, const pl_counter *k, const char *prefix, double size, const char *font,
                        double width, char *buf, size_t bsize);

/* The chart of counters idx[0..n) (one unit) to out, its text in fonts
 * (see pl_chart_canvas_open). PL_OK, PL_EUSAGE (different units), or the
 * canvas' codes. */
int pl_chart_full(const pl_analysis *a, const size_t *idx, size_t n, pl_chart_format fmt,
                  pl_fonts *fonts, FILE *out, pl_error *err);

/* The legend, right-aligned at x_right and no wider than width: items
 * from the first, then "+N more" for the rest of total (items beyond n
 * have no entry at all). */
void pl_chart_legend(pl_canvas *c, double x_right, double y, const pl_legend_item *it, size_t n,
                     size_t total, double fs, double width);

/* ---------- compare.c ---------- */

/* Comparison i's chart: its main counter in both captures on hours since
 * each began, with trends and rates. As pl_chart_full; PL_EUSAGE for no
 * such comparison. */
int pl_chart_compare_full(const pl_compare *c, size_t i, pl_chart_format fmt, pl_fonts *fonts, FILE *out,
                          pl_error *err);
/* The card of every comparison, a row each (the most urgent first). */
int pl_chart_compare_card(const pl_compare *c, pl_chart_format fmt, pl_fonts *fonts, FILE *out, pl_error *err);
/* perfleak fleet's summary card: a bar a recurring culprit. */
struct pl_fleet;
int pl_chart_fleet_card(const struct pl_fleet *f, pl_chart_format fmt, pl_fonts *fonts, FILE *out, pl_error *err);

/* ---------- summary.c ---------- */

/* summary.png's card to out. As pl_chart_full. */
int pl_chart_summary_card(const pl_result *r, pl_chart_format fmt, pl_fonts *fonts, FILE *out,
                          pl_error *err);

/* axes.c: a coordinate kept within a few plot areas of it: libplot turns its
 * coordinates into device integers, and one far outside (a value beyond
 * the scale) overflows them and crashes it. */
double pl_chart_clamp(double x, double a, double b);

/* A time (seconds) and a value as coordinates in p, clamped; a pl_time
 * as seconds. */
double pl_chart_px(const pl_panel *p, double t);
double pl_chart_py(const pl_panel *p, double v);
double pl_chart_secs(pl_time t);

#endif
