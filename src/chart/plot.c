/* plot.c - charts with GNU libplot.
 *
 * libplot's bitmap drivers do not anti-alias, so a PNG is drawn with the
 * PNM driver at SS times its size and box-filtered down, then written with
 * libpng (no time chunk, so files are reproducible). SVG comes straight
 * from libplot's SVG driver. Everything is drawn in logical pixels with y
 * upwards; libplot scales to the device. Text goes through Latin-1, the
 * encoding of libplot's Hershey fonts. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>
#include "perfleak/plot.h"
#include "perfleak/output.h"
#include "perfleak/units.h"
#include "util/internal.h"
#include "util/dynlib.h"
#include "util/isolate.h"
#include "util/pool.h"

#define SS 2              /* supersampling factor for PNG */
#define CHART_W 1200
#define CHART_H 640

/* Okabe-Ito colours (safe for colour-blind readers), as 8-bit RGB. */
typedef struct rgb { int r, g, b; } rgb;
static const rgb C_BLUE = {0x00, 0x72, 0xB2}, C_BAND = {0xCC, 0xE8, 0xF8},
                 C_VERMILLION = {0xD5, 0x5E, 0x00}, C_PURPLE = {0xCC, 0x79, 0xA7},
                 C_GRID = {0xE4, 0xE4, 0xE4},
                 C_AXIS = {0x44, 0x44, 0x44}, C_TEXT = {0x1A, 0x1A, 0x1A},
                 C_MUTED = {0x66, 0x66, 0x66},
                 /* darker shades of the palette for text on white */
                 T_VERMILLION = {0xB3, 0x47, 0x00}, T_PURPLE = {0x9E, 0x4A, 0x7D},
                 T_GREEN = {0x00, 0x7A, 0x58}, T_ORANGE = {0x9A, 0x62, 0x00};
static const rgb SERIES_COLOURS[] = {{0x00, 0x72, 0xB2}, {0xD5, 0x5E, 0x00},
                                     {0x00, 0x9E, 0x73}, {0xCC, 0x79, 0xA7},
                                     {0xE6, 0x9F, 0x00}, {0x56, 0xB4, 0xE9}};

/* ---------- canvas: a plotter plus what PNG output needs ---------- */

typedef struct canvas {
    pl_libplot pl;
    plPlotter *p;
    plPlotterParams *params;
    pl_chart_format fmt;
    int w, h;
    FILE *out;       /* the caller's stream */
    FILE *mem;       /* PNM for PNG output, SVG for inline SVG */
    char *pnm;
    size_t pnm_len;
} canvas;

static void pen(canvas *c, rgb k)
{
    c->pl.pencolor(c->p, k.r * 257, k.g * 257, k.b * 257);
}

static void fill(canvas *c, rgb k)
{
    c->pl.fillcolor(c->p, k.r * 257, k.g * 257, k.b * 257);
}

static int canvas_open(canvas *c, pl_chart_format fmt, int w, int h, FILE *out, pl_error *err)
{
    char size[32];
    int rc;
    memset(c, 0, sizeof *c);
    c->fmt = fmt;
    c->w = w;
    c->h = h;
    c->out = out;
    if ((rc = pl_libplot_open(&c->pl, err)) != PL_OK)
        return rc;
    {
        /* libplot ends the process when one of its allocations fails
         * (status 1, which reads as "leak found"): room for the largest
         * of them, the supersampled bitmap, is asked for first, so that a
         * plain shortage is an error here instead (it cannot rule out a
         * failure later, inside libplot) */
        size_t need = fmt == PL_CHART_PNG ? (size_t)w * SS * (size_t)h * SS * 3 + ((size_t)4 << 20)
                                          : (size_t)4 << 20;
        void *probe = malloc(need);
        if (!probe) {
            pl_libplot_close(&c->pl);
            return pl_err(err, PL_ENOMEM, "out of memory for a chart (%zu MB needed)", need >> 20);
        }
        free(probe);
    }
    c->params = c->pl.newplparams();
    if (!c->params) {
        pl_libplot_close(&c->pl);
        return pl_err(err, PL_ENOMEM, "out of memory for a chart");
    }
    snprintf(size, sizeof size, "%dx%d", w * SS, h * SS);
    {
        c->mem = open_memstream(&c->pnm, &c->pnm_len);
        if (!c->mem) {
            c->pl.deleteplparams(c->params);
            pl_libplot_close(&c->pl);
            return pl_err(err, PL_ENOMEM, "out of memory for a chart");
        }
    }
    c->pl.setplparam(c->params, "BITMAPSIZE", size);
    c->p = c->pl.newpl(fmt == PL_CHART_PNG ? "pnm" : "svg", NULL, c->mem ? c->mem : out, NULL,
                       c->params);
    if (!c->p || c->pl.openpl(c->p) < 0) {
        if (c->p)
            c->pl.deletepl(c->p);
        if (c->mem)
            fclose(c->mem);
        free(c->pnm);
        c->pl.deleteplparams(c->params);
        pl_libplot_close(&c->pl);
        return pl_err(err, PL_ENOMEM, "cannot start a %s chart", fmt == PL_CHART_PNG ? "PNG" : "SVG");
    }
    c->pl.fspace(c->p, 0, 0, w, h);
    c->pl.erase(c->p);
    c->pl.joinmod(c->p, "round");
    c->pl.capmod(c->p, "round");
    c->pl.fontname(c->p, "HersheySans");
    return PL_OK;
}

/* Reads one number of a PNM header, skipping blanks and # comments. */
static long pnm_number(const unsigned char **q, const unsigned char *end)
{
    long v = 0;
    for (;;) {
        while (*q < end && (**q == ' ' || **q == '\n' || **q == '\r' || **q == '\t'))
            (*q)++;
        if (*q < end && **q == '#') {
            while (*q < end && **q != '\n')
                (*q)++;
            continue;
        }
        break;
    }
    while (*q < end && **q >= '0' && **q <= '9')
        v = v * 10 + (*(*q)++ - '0');
    return v;
}

static int write_png(canvas *c, pl_error *err)
{
    const unsigned char *q = (const unsigned char *)c->pnm, *end = q + c->pnm_len;
    long w, h, mx;
    unsigned char *row = NULL;
    png_structp ps = NULL;
    png_infop pi = NULL;
    int x, y, k;
    size_t bpp; /* libplot writes PGM (P5) when every colour drawn is grey */
    volatile int rc = PL_OK; /* survives libpng's longjmp */
    if (c->pnm_len < 2 || q[0] != 'P' || (q[1] != '6' && q[1] != '5'))
        return pl_err(err, PL_EIO, "the chart renderer produced no image (out of memory?)");
    bpp = q[1] == '6' ? 3 : 1;
    q += 2;
    w = pnm_number(&q, end);
    h = pnm_number(&q, end);
    mx = pnm_number(&q, end);
    q++;
    if (w != (long)c->w * SS || h != (long)c->h * SS || mx != 255 || end - q < w * h * (long)bpp)
        return pl_err(err, PL_EIO, "the chart renderer stopped short (out of memory?): an image of the wrong size");
    row = malloc((size_t)c->w * 3);
    ps = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    pi = ps ? png_create_info_struct(ps) : NULL;
    if (!row || !ps || !pi) {
        rc = pl_err(err, PL_ENOMEM, "out of memory writing a PNG");
        goto done;
    }
    if (setjmp(png_jmpbuf(ps))) {
        rc = pl_err(err, PL_EIO, "cannot write the PNG: %s", strerror(errno));
        goto done;
    }
    png_init_io(ps, c->out);
    png_set_compression_level(ps, 4);
    /* charts are mostly flat colour: no filter is smallest, and fastest */
    png_set_filter(ps, 0, PNG_FILTER_NONE);
    png_set_IHDR(ps, pi, (png_uint_32)c->w, (png_uint_32)c->h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(ps, pi);
    for (y = 0; y < c->h; y++) {
        const unsigned char *r0 = q + (size_t)(y * SS) * (size_t)w * bpp;
        for (x = 0; x < c->w; x++) {
            for (k = 0; k < 3; k++) {
                int s = 0, dy, dx;
                size_t ch = bpp == 3 ? (size_t)k : 0;
                for (dy = 0; dy < SS; dy++)
                    for (dx = 0; dx < SS; dx++)
                        s += r0[((size_t)dy * (size_t)w + (size_t)(x * SS + dx)) * bpp + ch];
                row[x * 3 + k] = (unsigned char)((s + SS * SS / 2) / (SS * SS));
            }
        }
        png_write_row(ps, row);
    }
    png_write_end(ps, pi);
done:
    png_destroy_write_struct(ps ? &ps : NULL, pi ? &pi : NULL);
    free(row);
    return rc;
}

/* libplot's SVG is a unit square stretched to its page: it gets the
 * chart's size in pixels instead, and as an element in HTML no prolog. */
static int write_svg(canvas *c, pl_error *err)
{
    const char *svg = c->pnm ? strstr(c->pnm, "<svg") : NULL, *w, *h, *end;
    if (!svg || !(w = strstr(svg, " width=\"")) || !(h = strstr(svg, " height=\"")) ||
        !(end = strchr(svg, '>')) || w > end || h > end)
        return pl_err(err, PL_EIO, "the chart renderer produced no SVG");
    if (c->fmt == PL_CHART_SVG)
        fwrite(c->pnm, 1, (size_t)(w - c->pnm), c->out);
    else
        fwrite(svg, 1, (size_t)(w - svg), c->out);
    fprintf(c->out, " width=\"%d\" height=\"%d\" role=\"img\"", c->w, c->h);
    h = strchr(h + 9, '"');
    fputs(h ? h + 1 : end, c->out);
    return PL_OK;
}

static int canvas_close(canvas *c, pl_error *err)
{
    int rc = PL_OK;
    if (c->pl.closepl(c->p) < 0)
        rc = pl_err(err, PL_EIO, "cannot finish the chart");
    c->pl.deletepl(c->p);
    c->pl.deleteplparams(c->params);
    pl_libplot_close(&c->pl);
    if (c->mem) {
        if (fclose(c->mem) != 0 && rc == PL_OK)
            rc = pl_err(err, PL_ENOMEM, "out of memory rendering a chart");
        if (rc == PL_OK)
            rc = c->fmt == PL_CHART_PNG ? write_png(c, err) : write_svg(c, err);
        free(c->pnm);
    }
    if (rc == PL_OK && (fflush(c->out) != 0 || ferror(c->out)))
        rc = pl_err(err, PL_EIO, "cannot write the chart: %s", strerror(errno));
    return rc;
}

/* ---------- text ---------- */

/* UTF-8 to the Latin-1 the Hershey fonts draw: Cyrillic is transliterated,
 * dashes become '-', and a character the fonts lack (a Chinese process
 * name) is written as its code point, "U+8FDB", which can be looked up,
 * rather than a '?' that cannot; the reports carry the name itself. */
static void latin1(const char *s, char *out, size_t size)
{
    static const char *const cyr[64] = {
        "A", "B", "V", "G", "D", "E", "Zh", "Z", "I", "Y", "K", "L", "M", "N", "O", "P",
        "R", "S", "T", "U", "F", "Kh", "Ts", "Ch", "Sh", "Shch", "", "Y", "", "E", "Yu", "Ya",
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
        "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"};
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    int coded = 0; /* the last thing written was a code point */
    while (*u && o + 5 < size) {
        unsigned cp;
        int len;
        if (*u < 0x80) { cp = *u; len = 1; }
        else if ((*u & 0xE0) == 0xC0 && (u[1] & 0xC0) == 0x80) { cp = (unsigned)(*u & 0x1F) << 6 | (u[1] & 0x3F); len = 2; }
        else if ((*u & 0xF0) == 0xE0 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
            cp = (unsigned)(*u & 0x0F) << 12 | (unsigned)(u[1] & 0x3F) << 6 | (u[2] & 0x3F); len = 3;
        } else { cp = '?'; len = 1; while (u[len] && (u[len] & 0xC0) == 0x80) len++; }
        u += len;
        if (cp >= 0x20 && !(cp < 0x7F || (cp >= 0xA0 && cp <= 0xFF) || (cp >= 0x401 && cp <= 0x451) ||
                            cp == 0x2013 || cp == 0x2014 || cp == 0x2212)) {
            if (o + (coded ? 8 : 7) + 5 >= size)
                break;
            o += (size_t)snprintf(out + o, size - o, "%sU+%04X", coded ? " " : "", cp);
            coded = 1;
            continue;
        }
        coded = 0;
        if (cp >= 0x20 && cp < 0x7F) {
            out[o++] = (char)cp;
        } else if (cp >= 0xA0 && cp <= 0xFF) {
            out[o++] = (char)cp;
        } else if (cp >= 0x410 && cp <= 0x44F) {
            const char *t = cyr[cp - 0x410];
            while (*t && o + 5 < size)
                out[o++] = *t++;
        } else if (cp == 0x401 || cp == 0x451) {
            out[o++] = cp == 0x401 ? 'E' : 'e';
        } else if (cp == 0x2013 || cp == 0x2014 || cp == 0x2212) {
            out[o++] = '-';
        }
    }
    out[o] = '\0';
}

static void text(canvas *c, double x, double y, int hj, int vj, double size, const char *font,
                 rgb k, const char *s)
{
    char buf[512];
    latin1(s, buf, sizeof buf);
    c->pl.fontname(c->p, font);
    c->pl.ffontsize(c->p, size);
    /* Hershey glyphs are strokes drawn with the pen: a width in step with
     * the size keeps small text dark enough to read when scaled down */
    c->pl.flinewidth(c->p, size * (strstr(font, "Bold") ? 0.11 : 0.085));
    pen(c, k);
    c->pl.fmove(c->p, x, y);
    c->pl.alabel(c->p, hj, vj, buf);
}

static double text_width(canvas *c, double size, const char *font, const char *s)
{
    char buf[512];
    latin1(s, buf, sizeof buf);
    c->pl.fontname(c->p, font);
    c->pl.ffontsize(c->p, size);
    return c->pl.flabelwidth(c->p, buf);
}

/* Shortens s in place with "..." until it fits width. */
static void fit(canvas *c, double size, const char *font, char *s, double width)
{
    size_t n = strlen(s);
    if (text_width(c, size, font, s) <= width)
        return;
    while (n > 4) {
        n--;
        while (n > 4 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* never cut a UTF-8 sequence */
        memcpy(s + n, "...", 4);
        if (text_width(c, size, font, s) <= width)
            return;
    }
}

/* ---------- axes ---------- */

#define MAX_TICKS 64 /* on any axis: the scales ask for about ten */

/* A value scale in display units: ticks at nice steps (1, 2, 5 x 10^k). */
typedef struct vscale {
    double lo, hi;      /* in counter units, after rounding to ticks */
    double step;        /* in counter units */
    double div;         /* counter units per display unit (e.g. 1024^2) */
    const char *suffix; /* " MB", "%", " handles" ... */
} vscale;

static void value_scale(double lo, double hi, const char *unit, int nticks, vscale *v)
{
    static const char *const names[] = {" B", " KB", " MB", " GB", " TB", " PB"};
    double range, raw, mag, norm, mx = fmax(fabs(lo), fabs(hi));
    int k = 0;
    v->div = 1;
    v->suffix = "";
    if (unit && (strcmp(unit, "bytes") == 0 || strcmp(unit, "KB") == 0 ||
                 strcmp(unit, "MB") == 0)) {
        double base = strcmp(unit, "MB") == 0 ? 1048576.0 : strcmp(unit, "KB") == 0 ? 1024.0 : 1;
        double b = mx * base;
        while (b >= 1024 && k < 5) {
            b /= 1024;
            k++;
        }
        v->div = pow(1024.0, k) / base;
        v->suffix = names[k];
    } else if (unit && strcmp(unit, "%") == 0) {
        v->suffix = "%";
    } else if (unit && strcmp(unit, "/s") == 0) {
        v->suffix = "/s";
    }
    if (!(hi > lo)) {
        double pad = lo != 0 ? fabs(lo) * 0.1 : 1;
        lo -= pad;
        hi += pad;
    }
    range = (hi - lo) / v->div;
    if (!isfinite(range) || !(range > 0)) {
        /* no scale spans that: a unit scale keeps the loops finite */
        lo = 0;
        hi = 1;
        range = 1;
        v->div = 1;
    }
    raw = range / nticks;
    mag = pow(10, floor(log10(raw)));
    norm = raw / mag;
    v->step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag * v->div;
    v->lo = floor(lo / v->step) * v->step;
    v->hi = ceil(hi / v->step) * v->step;
    if (v->hi - v->lo < v->step)
        v->hi = v->lo + v->step;
}

static void value_label(const vscale *v, double x, char *buf, size_t size)
{
    double d = x / v->div, st = v->step / v->div;
    int dec = st >= 1 ? 0 : (int)ceil(-log10(st) - 1e-9);
    if (dec > 6)
        dec = 6;
    if (fabs(d) < st * 1e-6)
        d = 0;
    snprintf(buf, size, "%.*f%s", dec, d, v->suffix);
}

/* Time ticks in the log's local time. */
typedef struct tscale {
    double t0, t1;      /* seconds since the epoch, UTC */
    double step;        /* seconds */
    int offset;         /* minutes east of UTC */
} tscale;

static void time_scale(double t0, double t1, int offset, int maxticks, tscale *ts)
{
    static const double steps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
                                   7200, 10800, 21600, 43200, 86400, 172800, 604800,
                                   1209600, 2592000, 7776000, 31536000};
    size_t i;
    ts->t0 = t0;
    ts->t1 = t1 > t0 ? t1 : t0 + 60;
    ts->offset = offset;
    ts->step = steps[sizeof steps / sizeof steps[0] - 1];
    for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if ((ts->t1 - ts->t0) / steps[i] <= maxticks) {
            ts->step = steps[i];
            break;
        }
    }
}

static void civil(double utc_s, int offset, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
    pl_civil c;
    pl_time_split((pl_time)floor(utc_s) * PL_TICKS_PER_SEC, offset, &c);
    *y = c.year;
    *mo = c.month;
    *d = c.day;
    *h = c.hour;
    *mi = c.minute;
    *s = c.second;
}

/* ---------- drawing a counter ---------- */

typedef struct panel {
    double x0, y0, x1, y1;   /* plot area in logical pixels */
    tscale ts;
    vscale vs;
} panel;

/* A coordinate kept within a few plot areas of it: libplot turns its
 * coordinates into device integers, and one far outside (a value beyond
 * the scale) overflows them and crashes it. */
static double clamp_coord(double x, double a, double b)
{
    double m = 4 * (b - a);
    if (!(x == x))
        return a;
    return x < a - m ? a - m : x > b + m ? b + m : x;
}

static double px(const panel *p, double t)
{
    return clamp_coord(p->x0 + (t - p->ts.t0) / (p->ts.t1 - p->ts.t0) * (p->x1 - p->x0), p->x0, p->x1);
}

static double py(const panel *p, double v)
{
    return clamp_coord(p->y0 + (v - p->vs.lo) / (p->vs.hi - p->vs.lo) * (p->y1 - p->y0), p->y0, p->y1);
}

static double secs(pl_time t)
{
    return (double)t / PL_TICKS_PER_SEC;
}

static void grid_and_axes(canvas *c, const panel *p, double fs, int labels)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    double v, t, off = p->ts.offset * 60.0;
    char buf[64];
    int last_day = -1, i;
    c->pl.flinewidth(c->p, 1);
    /* bounded whatever the scale: a tick count, not a sum, ends the loop */
    for (i = 0, v = p->vs.lo; i < MAX_TICKS && v <= p->vs.hi + p->vs.step * 0.01;
         i++, v = p->vs.lo + (double)i * p->vs.step) {
        pen(c, C_GRID);
        c->pl.fline(c->p, p->x0, py(p, v), p->x1, py(p, v));
        if (labels) {
            value_label(&p->vs, v, buf, sizeof buf);
            text(c, p->x0 - 8, py(p, v), 'r', 'c', fs, "HersheySans", C_AXIS, buf);
        }
    }
    /* first tick: the first multiple of the step in local time */
    t = ceil((p->ts.t0 - 1 + off) / p->ts.step) * p->ts.step - off;
    if (t < p->ts.t0 - 1)
        t += p->ts.step;
    for (i = 0; i < MAX_TICKS && t <= p->ts.t1 + 1e-6; i++, t += p->ts.step) {
        int y, mo, d, h, mi, s;
        double x = px(p, t);
        pen(c, C_GRID);
        c->pl.fline(c->p, x, p->y0, x, p->y1);
        if (!labels)
            continue;
        pen(c, C_AXIS);
        c->pl.fline(c->p, x, p->y0, x, p->y0 - 5);
        civil(t, p->ts.offset, &y, &mo, &d, &h, &mi, &s);
        if (p->ts.step >= 86400)
            snprintf(buf, sizeof buf, "%s %d", mon[mo - 1], d);
        else if (p->ts.step >= 60)
            snprintf(buf, sizeof buf, "%02d:%02d", h, mi);
        else
            snprintf(buf, sizeof buf, "%02d:%02d:%02d", h, mi, s);
        text(c, x, p->y0 - 9, 'c', 't', fs, "HersheySans", C_AXIS, buf);
        if (p->ts.step < 86400 && d != last_day) {
            snprintf(buf, sizeof buf, "%s %d, %d", mon[mo - 1], d, y);
            /* the date goes under the day's first tick */
            text(c, x, p->y0 - 9 - fs * 1.5, 'c', 't', fs, "HersheySans", C_MUTED, buf);
        }
        last_day = d;
    }
    pen(c, C_AXIS);
    c->pl.fline(c->p, p->x0, p->y0, p->x1, p->y0);
}

/* The min-max band and the mean line of a series, broken at gaps. */
static void draw_series_parts(canvas *c, const panel *p, const pl_series *s, rgb line, rgb band,
                              double width, int parts)
{
    const pl_bucket *b = pl_series_buckets(s);
    size_t nb = pl_series_bucket_count(s), i, j, start, n = 0;
    double typical, *gaps;
    if (!nb)
        return;
    /* A gap is a pause longer than five typical bucket spacings. */
    gaps = malloc(nb * sizeof *gaps);
    for (i = 1, j = 0; gaps && i < nb; i++) {
        if (b[i].n && b[i - 1].n)
            gaps[j++] = secs(b[i].t0 - b[i - 1].t0);
    }
    typical = 0;
    if (gaps && j) {
        size_t k, m = j / 2;
        /* median by partial selection sort is enough for a drawing aid */
        for (k = 0; k <= m; k++) {
            size_t best = k, q;
            for (q = k + 1; q < j; q++)
                if (gaps[q] < gaps[best]) best = q;
            { double tmp = gaps[k]; gaps[k] = gaps[best]; gaps[best] = tmp; }
        }
        typical = gaps[m];
    }
    free(gaps);
    for (start = 0; start < nb;) {
        size_t end;
        while (start < nb && !b[start].n)
            start++;
        if (start >= nb)
            break;
        for (end = start + 1; end < nb; end++) {
            if (!b[end].n)
                continue;
            if (typical > 0 && secs(b[end].t0 - b[end - 1].t1) > 5 * typical)
                break;
        }
        /* band */
        if (parts & 1) {
        c->pl.filltype(c->p, 1);
        fill(c, band);
        pen(c, band);
        c->pl.flinewidth(c->p, 0.5);
        n = 0;
        for (i = start; i < end; i++) {
            if (!b[i].n)
                continue;
            if (n++ == 0)
                c->pl.fmove(c->p, px(p, secs(b[i].t0)), py(p, b[i].max));
            c->pl.fcont(c->p, px(p, secs(b[i].t0)), py(p, b[i].max));
            if (b[i].t1 != b[i].t0)
                c->pl.fcont(c->p, px(p, secs(b[i].t1)), py(p, b[i].max));
        }
        for (i = end; i-- > start;) {
            if (!b[i].n)
                continue;
            if (b[i].t1 != b[i].t0)
                c->pl.fcont(c->p, px(p, secs(b[i].t1)), py(p, b[i].min));
            c->pl.fcont(c->p, px(p, secs(b[i].t0)), py(p, b[i].min));
        }
        c->pl.endpath(c->p);
        c->pl.filltype(c->p, 0);
        }
        if (!(parts & 2)) {
            start = end;
            continue;
        }
        /* mean */
        pen(c, line);
        c->pl.flinewidth(c->p, width);
        n = 0;
        for (i = start; i < end; i++) {
            double x, y;
            if (!b[i].n)
                continue;
            x = px(p, secs(b[i].t0 + (b[i].t1 - b[i].t0) / 2));
            y = py(p, b[i].sum / b[i].n);
            if (n++ == 0)
                c->pl.fmove(c->p, x, y);
            else
                c->pl.fcont(c->p, x, y);
        }
        if (n == 1) {
            /* a lone sample shows as a dot */
            c->pl.endpath(c->p);
            c->pl.filltype(c->p, 1);
            fill(c, line);
            for (i = start; i < end; i++)
                if (b[i].n)
                    c->pl.fcircle(c->p, px(p, secs(b[i].t0)), py(p, b[i].sum / b[i].n), width * 1.5);
            c->pl.filltype(c->p, 0);
        } else {
            c->pl.endpath(c->p);
        }
        start = end;
    }
}

static void draw_series(canvas *c, const panel *p, const pl_series *s, rgb line, rgb band,
                        double width)
{
    draw_series_parts(c, p, s, line, band, width, 2);
}

static void draw_series_band(canvas *c, const panel *p, const pl_series *s, rgb band)
{
    draw_series_parts(c, p, s, band, band, 1, 1);
}

/* The trend over the judged regime, the onset and the projection. */
static void draw_finding(canvas *c, const panel *p, const pl_counter *k, double fs, int notes)
{
    const pl_finding *f = &k->finding;
    double xs, xe, ys, ye;
    char buf[128];
    if (!pl_verdict_is_finding(f->verdict))
        return;
    xs = secs(f->regime_start);
    xe = secs(f->regime_end);
    ys = f->start_level;
    ye = f->end_level;
    if (!isnan(f->limit) && notes) {
        char lim[48];
        pen(c, C_PURPLE);
        c->pl.flinewidth(c->p, 2);
        c->pl.linemod(c->p, "shortdashed");
        c->pl.fline(c->p, p->x0, py(p, f->limit), p->x1, py(p, f->limit));
        c->pl.linemod(c->p, "solid");
        pl_format_value(f->limit, k->unit, lim, sizeof lim);
        snprintf(buf, sizeof buf, "limit %s (%s)", lim, f->limit_source);
        text(c, p->x0 + 6, py(p, f->limit) + 6, 'l', 'b', fs, "HersheySans", T_PURPLE, buf);
        if (!isnan(f->eta_h) && f->eta_h > 0) {
            /* the projection runs to the limit or to the chart's edge */
            double te = xe + f->eta_h * 3600, tx = fmin(te, p->ts.t1);
            double yx = ye + f->slope_per_hour * (tx - xe) / 3600;
            pen(c, C_VERMILLION);
            c->pl.linemod(c->p, "dotted");
            c->pl.fline(c->p, px(p, xe), py(p, ye), px(p, tx), py(p, yx));
            c->pl.linemod(c->p, "solid");
            if (te <= p->ts.t1) {
                c->pl.filltype(c->p, 1);
                fill(c, C_PURPLE);
                pen(c, C_PURPLE);
                c->pl.fcircle(c->p, px(p, te), py(p, f->limit), 5);
                c->pl.filltype(c->p, 0);
            }
        }
    }
    pen(c, C_VERMILLION);
    c->pl.flinewidth(c->p, notes ? 3 : 2);
    c->pl.linemod(c->p, "longdashed");
    c->pl.fline(c->p, px(p, xs), py(p, ys), px(p, xe), py(p, ye));
    c->pl.linemod(c->p, "solid");
}

static void draw_onset(canvas *c, const panel *p, const pl_counter *k, pl_time first,
                       pl_time last, int offset, double fs)
{
    const pl_finding *f = &k->finding;
    char when[32], buf[64];
    double x;
    if (!pl_verdict_is_finding(f->verdict) || f->onset - first <= (last - first) / 50)
        return;
    x = px(p, secs(f->onset));
    pen(c, C_AXIS);
    c->pl.flinewidth(c->p, 1.5);
    c->pl.linemod(c->p, "dotted");
    c->pl.fline(c->p, x, p->y0, x, p->y1);
    c->pl.linemod(c->p, "solid");
    pl_time_format_short(f->onset, offset, when, sizeof when);
    snprintf(buf, sizeof buf, "onset %s", when);
    text(c, x + 6, p->y1 - 6, 'l', 't', fs, "HersheySans", C_AXIS, buf);
}

/* Data extents of counters idx[0..n) plus what the findings draw. */
static void extents(const pl_analysis *a, const size_t *idx, size_t n, int with_limit,
                    double *t0, double *t1, double *lo, double *hi)
{
    size_t i;
    *t0 = INFINITY;
    *t1 = -INFINITY;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (i = 0; i < n; i++) {
        const pl_counter *k = pl_analysis_counter(a, idx[i]);
        const pl_series_stats *st = pl_series_get_stats(pl_store_series(pl_analysis_store(a), k->series));
        const pl_finding *f = &k->finding;
        if (!st->samples)
            continue;
        *t0 = fmin(*t0, secs(st->first_t));
        *t1 = fmax(*t1, secs(st->last_t));
        *lo = fmin(*lo, st->min);
        *hi = fmax(*hi, st->max);
        if (pl_verdict_is_finding(f->verdict)) {
            *lo = fmin(*lo, fmin(f->start_level, f->end_level));
            *hi = fmax(*hi, fmax(f->start_level, f->end_level));
            if (with_limit && !isnan(f->limit)) {
                double span = secs(st->last_t) - secs(st->first_t);
                /* show the limit, and its arrival when it comes within
                 * half the log's span again */
                *hi = fmax(*hi, f->limit);
                if (!isnan(f->eta_h) && f->eta_h * 3600 <= 0.5 * span)
                    *t1 = fmax(*t1, secs(f->regime_end) + f->eta_h * 3600);
                else if (!isnan(f->eta_h))
                    *t1 = fmax(*t1, secs(st->last_t) + 0.1 * span);
            }
        }
    }
    if (!isfinite(*t0)) {
        *t0 = 0;
        *t1 = 60;
        *lo = 0;
        *hi = 1;
    }
}

/* "parent/instance#n" as the log writes it, or "" without an instance. */
static void instance_label(const pl_path *p, char *inst, size_t size)
{
    inst[0] = '\0';
    if (p->instance)
        snprintf(inst, size, "%s%s%s", p->parent ? p->parent : "", p->parent ? "/" : "",
                 p->instance);
    if (p->index >= 0 && p->instance)
        snprintf(inst + strlen(inst), size - strlen(inst), "#%d", p->index);
}

/* "services - Private Bytes on SRV01" */
static void chart_title(const pl_counter *k, char *buf, size_t size)
{
    const pl_path *p = &k->parts;
    char inst[160];
    instance_label(p, inst, sizeof inst);
    snprintf(buf, size, "%s%s%s%s%s%s", p->instance ? inst : (p->object ? p->object : ""), " - ",
             p->counter ? p->counter : k->path, p->machine ? " on " : "",
             p->machine ? p->machine : "", "");
}

static void subtitle(const pl_counter *k, int offset, char *buf, size_t size, rgb *colour)
{
    const pl_finding *f = &k->finding;
    char g[48], r[48], on[32];
    if (pl_verdict_is_finding(f->verdict)) {
        int leak = f->verdict == PL_VERDICT_LEAK;
        pl_format_value(f->growth, k->unit, g, sizeof g);
        pl_format_value(f->slope_per_hour, k->unit, r, sizeof r);
        pl_time_format_short(f->onset, offset, on, sizeof on);
        snprintf(buf, size, "%s: %s%s (%+.0f%%) at %s/h since %s", leak ? "LEAK" : "RUNNING OUT",
                 leak ? "+" : "", g, f->growth_pct, r, on);
        *colour = T_VERMILLION;
    } else if (f->verdict == PL_VERDICT_OK) {
        snprintf(buf, size, "ok: %s", f->reason);
        *colour = T_GREEN;
    } else {
        snprintf(buf, size, "insufficient data: %s", f->reason);
        *colour = C_MUTED;
    }
}

typedef struct legend_item {
    const char *label;
    rgb colour;
    int kind;   /* 0 band, 1 line, 2 dashed line, 3 dotted line */
} legend_item;

static void legend(canvas *c, double x_right, double y, const legend_item *it, size_t n, double fs)
{
    double x = x_right, w;
    size_t i;
    for (i = n; i-- > 0;) {
        w = text_width(c, fs, "HersheySans", it[i].label);
        x -= w;
        text(c, x, y, 'l', 'c', fs, "HersheySans", C_AXIS, it[i].label);
        x -= 34;
        if (it[i].kind == 0) {
            c->pl.filltype(c->p, 1);
            fill(c, it[i].colour);
            pen(c, it[i].colour);
            c->pl.fbox(c->p, x, y - 6, x + 26, y + 6);
            c->pl.filltype(c->p, 0);
        } else {
            pen(c, it[i].colour);
            c->pl.flinewidth(c->p, it[i].kind == 1 ? 2 : 2.5);
            c->pl.linemod(c->p, it[i].kind == 2 ? "longdashed" : it[i].kind == 3 ? "dotted" : "solid");
            c->pl.fline(c->p, x, y, x + 26, y);
            c->pl.linemod(c->p, "solid");
        }
        x -= 22;
    }
}

static int full_chart(const pl_analysis *a, const size_t *idx, size_t n, pl_chart_format fmt,
                      FILE *out, pl_error *err)
{
    canvas c;
    panel p;
    double t0, t1, lo, hi;
    int off = pl_analysis_display_offset(a), rc;
    size_t i;
    char title[256], sub[512];
    rgb subcol = C_TEXT;
    legend_item items[8];
    char labels[6][64]; /* legend texts: they must outlive the legend call */
    size_t nitems = 0;
    const pl_counter *k0 = pl_analysis_counter(a, idx[0]);
    for (i = 1; i < n; i++)
        if (strcmp(pl_analysis_counter(a, idx[i])->unit, k0->unit) != 0)
            return pl_err(err, PL_EUSAGE,
                          "%s and %s have different units; chart them separately",
                          k0->path, pl_analysis_counter(a, idx[i])->path);
    if ((rc = canvas_open(&c, fmt, CHART_W, CHART_H, out, err)) != PL_OK)
        return rc;
    extents(a, idx, n, n == 1, &t0, &t1, &lo, &hi);
    p.x0 = 100;
    p.x1 = CHART_W - 30;
    p.y0 = 80;
    p.y1 = CHART_H - 120;
    value_scale(lo, hi, k0->unit, 6, &p.vs);
    time_scale(t0, t1, off, 9, &p.ts);
    grid_and_axes(&c, &p, 13, 1);
    if (n == 1) {
        const pl_series *s = pl_store_series(pl_analysis_store(a), k0->series);
        const pl_series_stats *st = pl_series_get_stats(s);
        draw_onset(&c, &p, k0, st->first_t, st->last_t, off, 13);
        draw_series_band(&c, &p, s, C_BAND);
        draw_finding(&c, &p, k0, 13, 1);
        draw_series(&c, &p, s, C_BLUE, C_BAND, 1.6);
        chart_title(k0, title, sizeof title);
        subtitle(k0, off, sub, sizeof sub, &subcol);
        /* the band only exists once samples share buckets */
        if (!pl_series_is_exact(s))
            items[nitems++] = (legend_item){"min-max", C_BAND, 0};
        items[nitems++] = (legend_item){pl_series_is_exact(s) ? "samples" : "mean", C_BLUE, 1};
        if (pl_verdict_is_finding(k0->finding.verdict)) {
            items[nitems++] = (legend_item){"trend", C_VERMILLION, 2};
            /* zero, for free memory running out, is the axis' floor, not a
             * line the chart draws */
            if (!isnan(k0->finding.limit) && k0->finding.verdict != PL_VERDICT_RUNNING_OUT)
                items[nitems++] = (legend_item){"limit", C_PURPLE, 3};
        }
    } else {
        size_t shown = n < 6 ? n : 6;
        for (i = 0; i < n; i++) {
            const pl_counter *k = pl_analysis_counter(a, idx[i]);
            rgb col = SERIES_COLOURS[i % 6];
            rgb band = {255 - (255 - col.r) / 5, 255 - (255 - col.g) / 5, 255 - (255 - col.b) / 5};
            draw_series_parts(&c, &p, pl_store_series(pl_analysis_store(a), k->series), col, band, 2, 3);
        }
        snprintf(title, sizeof title, "%zu counters", n);
        if (k0->parts.counter)
            snprintf(title, sizeof title, "%s: %zu counters", k0->parts.counter, n);
        snprintf(sub, sizeof sub, "%s", pl_analysis_log_count(a) ? pl_analysis_log(a, 0)->file : "");
        subcol = C_MUTED;
        for (i = 0; i < shown; i++) {
            const pl_counter *k = pl_analysis_counter(a, idx[i]);
            instance_label(&k->parts, labels[i], sizeof labels[i]);
            if (!labels[i][0])
                snprintf(labels[i], sizeof labels[i], "%s", k->parts.counter ? k->parts.counter : k->path);
            items[nitems++] = (legend_item){labels[i], SERIES_COLOURS[i % 6], 1};
        }
    }
    fit(&c, 22, "HersheySans-Bold", title, p.x1 - p.x0);
    fit(&c, 15, "HersheySans-Bold", sub, p.x1 - p.x0);
    text(&c, p.x0, CHART_H - 30, 'l', 'c', 22, "HersheySans-Bold", C_TEXT, title);
    text(&c, p.x0, CHART_H - 58, 'l', 'c', 15, "HersheySans-Bold", subcol, sub);
    legend(&c, p.x1, CHART_H - 92, items, nitems, 13);
    return canvas_close(&c, err);
}

/* A chart drawn in a child process (isolate.h): libplot may exit or crash
 * there, never here. A chart takes well under a second; a minute is a
 * renderer gone astray. */
#define CHART_TIMEOUT_S 60

typedef struct drawing {
    const pl_analysis *a;
    const size_t *idx;
    size_t n;
    pl_chart_format fmt;
} drawing;

static int draw_full(void *ctx, FILE *out, pl_error *err)
{
    const drawing *d = ctx;
    return full_chart(d->a, d->idx, d->n, d->fmt, out, err);
}

static int summary_chart(const pl_analysis *a, pl_chart_format fmt, FILE *out, pl_error *err);

static int draw_summary(void *ctx, FILE *out, pl_error *err)
{
    const drawing *d = ctx;
    return summary_chart(d->a, d->fmt, out, err);
}

int pl_chart_counter(const pl_analysis *a, size_t i, pl_chart_format fmt, FILE *out, pl_error *err)
{
    drawing d = {a, &i, 1, fmt};
    if (i >= pl_analysis_counter_count(a))
        return pl_err(err, PL_EUSAGE, "no counter %zu to chart", i);
    return pl_isolated_write(draw_full, &d, out, CHART_TIMEOUT_S, err);
}

int pl_chart_counters(const pl_analysis *a, const size_t *idx, size_t n, pl_chart_format fmt,
                      FILE *out, pl_error *err)
{
    drawing d = {a, idx, n, fmt};
    if (n == 0)
        return pl_err(err, PL_EUSAGE, "no counter to chart");
    return pl_isolated_write(draw_full, &d, out, CHART_TIMEOUT_S, err);
}

int pl_chart_summary(const pl_analysis *a, pl_chart_format fmt, FILE *out, pl_error *err)
{
    drawing d = {a, NULL, 0, fmt};
    return pl_isolated_write(draw_summary, &d, out, CHART_TIMEOUT_S, err);
}

/* ---------- summary card ---------- */

#define SUM_W 1200
#define SUM_HEAD 160
#define SUM_ROW 150
#define SUM_FOOT 60
#define SUM_MAX_ROWS 10

static int summary_chart(const pl_analysis *a, pl_chart_format fmt, FILE *out, pl_error *err)
{
    canvas c;
    size_t *order = NULL, i, leaks = pl_analysis_finding_count(a), rows, n = pl_analysis_counter_count(a);
    size_t ok = 0, insufficient = 0, suspects = 0;
    char why[400];
    int nothing = pl_analysis_nothing_judged(a, why, sizeof why);
    int off = pl_analysis_display_offset(a), rc, h;
    char buf[768], line[512];
    double y;
    if ((rc = pl_analysis_order(a, &order, err)) != PL_OK)
        return rc;
    for (i = 0; i < n; i++) {
        const pl_finding *f = &pl_analysis_counter(a, i)->finding;
        ok += f->verdict == PL_VERDICT_OK;
        insufficient += f->verdict == PL_VERDICT_INSUFFICIENT;
        suspects += f->suspect != 0;
    }
    rows = leaks < SUM_MAX_ROWS ? leaks : SUM_MAX_ROWS;
    h = SUM_HEAD + (int)rows * SUM_ROW + SUM_FOOT + (rows == 0 ? 40 : 0) + (nothing ? 32 : 0);
    if ((rc = canvas_open(&c, fmt, SUM_W, h, out, err)) != PL_OK) {
        free(order);
        return rc;
    }
    /* header: what, where, when */
    {
        const pl_log_info *l = pl_analysis_log_count(a) ? pl_analysis_log(a, 0) : NULL;
        char machines[256] = "", s0[32] = "", s1[32] = "", iv[64] = "", offs[16];
        size_t j, used = 0, samples = 0;
        pl_time t0 = 0, t1 = 0;
        for (j = 0; j < pl_analysis_log_count(a); j++) {
            const pl_log_info *lj = pl_analysis_log(a, j);
            size_t m;
            for (m = 0; m < lj->n_machines && used + 2 < sizeof machines; m++)
                if (!strstr(machines, lj->machines[m]))
                    used += (size_t)snprintf(machines + used, sizeof machines - used, "%s%s",
                                             used ? ", " : "", lj->machines[m]);
            if (lj->rows) {
                if (!samples || lj->start < t0) t0 = lj->start;
                if (!samples || lj->end > t1) t1 = lj->end;
                samples += lj->rows;
            }
        }
        if (used >= sizeof machines)
            used = sizeof machines - 1;
        snprintf(buf, sizeof buf, "perfleak report%s%s", used ? " - " : "", machines);
        text(&c, 40, h - 45, 'l', 'c', 32, "HersheySans-Bold", C_TEXT, buf);
        snprintf(offs, sizeof offs, "UTC%c%02d:%02d", off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
        if (samples) {
            pl_time_format_short(t0, off, s0, sizeof s0);
            pl_time_format_short(t1, off, s1, sizeof s1);
            pl_sample_count_text(samples, l ? l->interval_s : 0, iv, sizeof iv);
            snprintf(buf, sizeof buf, "%s to %s (%s), %s, %zu log%s, %zu counters analysed",
                     s0, s1, offs, iv, pl_analysis_log_count(a),
                     pl_analysis_log_count(a) == 1 ? "" : "s", n);
        } else {
            snprintf(buf, sizeof buf, "no samples");
        }
        fit(&c, 18, "HersheySans", buf, SUM_W - 80);
        text(&c, 40, h - 82, 'l', 'c', 18, "HersheySans", C_MUTED, buf);
        if (leaks) {
            size_t nl = pl_analysis_leak_count(a), ro = leaks - nl;
            if (nl && ro)
                snprintf(buf, sizeof buf, "%zu leak%s found, %zu counter%s running out", nl,
                         nl == 1 ? "" : "s", ro, ro == 1 ? "" : "s");
            else if (nl)
                snprintf(buf, sizeof buf, "%zu leak%s found", nl, nl == 1 ? "" : "s");
            else
                snprintf(buf, sizeof buf, "No leak; %zu counter%s running out", ro, ro == 1 ? "" : "s");
        }
        else if (nothing)
            snprintf(buf, sizeof buf, "Nothing could be judged");
        else
            snprintf(buf, sizeof buf, "No leak found");
        text(&c, 40, h - 118, 'l', 'c', 26, "HersheySans-Bold",
             leaks ? T_VERMILLION : nothing ? T_ORANGE : T_GREEN, buf);
    }
    /* one row per leak, worst first */
    y = h - SUM_HEAD;
    for (i = 0; i < rows; i++) {
        const pl_counter *k = pl_analysis_counter(a, order[i]);
        const pl_series *s = pl_store_series(pl_analysis_store(a), k->series);
        const pl_finding *f = &k->finding;
        panel p;
        double t0, t1, lo, hi;
        char g[48], r[48], on[32], lo_s[48], hi_s[48];
        pen(&c, C_GRID);
        c.pl.flinewidth(c.p, 1);
        c.pl.fline(c.p, 40, y, SUM_W - 40, y);
        extents(a, &order[i], 1, 0, &t0, &t1, &lo, &hi);
        p.x0 = 40;
        p.x1 = 560;
        p.y0 = y - SUM_ROW + 18;
        p.y1 = y - 14;
        value_scale(lo, hi, k->unit, 3, &p.vs);
        p.vs.lo = lo - (hi - lo) * 0.05;
        p.vs.hi = hi + (hi - lo) * 0.05 + (hi == lo);
        time_scale(t0, t1, off, 6, &p.ts);
        grid_and_axes(&c, &p, 11, 0);
        draw_series_band(&c, &p, s, C_BAND);
        draw_finding(&c, &p, k, 11, 0);
        draw_series(&c, &p, s, C_BLUE, C_BAND, 1.2);
        chart_title(k, line, sizeof line);
        snprintf(buf, sizeof buf, "%zu. %s", i + 1, line);
        fit(&c, 22, "HersheySans-Bold", buf, SUM_W - 40 - 590);
        text(&c, 590, y - 28, 'l', 'c', 22, "HersheySans-Bold", C_TEXT, buf);
        pl_format_value(f->growth, k->unit, g, sizeof g);
        pl_format_value(f->slope_per_hour, k->unit, r, sizeof r);
        pl_time_format_short(f->onset, off, on, sizeof on);
        pl_format_value(f->start_level, k->unit, lo_s, sizeof lo_s);
        pl_format_value(f->end_level, k->unit, hi_s, sizeof hi_s);
        snprintf(buf, sizeof buf, "%s%s (%+.0f%%) at %s/h", f->growth >= 0 ? "+" : "", g,
                 f->growth_pct, r);
        text(&c, 590, y - 60, 'l', 'c', 21, "HersheySans-Bold", T_VERMILLION, buf);
        snprintf(buf, sizeof buf, "since %s, %s -> %s, confidence %.0f%%", on, lo_s, hi_s,
                 100 * f->confidence);
        fit(&c, 17, "HersheySans", buf, SUM_W - 40 - 590);
        text(&c, 590, y - 90, 'l', 'c', 17, "HersheySans", C_TEXT, buf);
        if (!isnan(f->eta_h)) {
            char lim[48], e[32], e2[32];
            pl_limit_text(f, k->unit, lim, sizeof lim);
            pl_format_duration(f->eta_h * 3600, e, sizeof e);
            pl_format_duration(f->eta_h_early * 3600, e2, sizeof e2);
            if (f->eta_h > 0)
                snprintf(buf, sizeof buf, "reaches %s in %s (%s at the fastest)", lim, e, e2);
            else
                snprintf(buf, sizeof buf, "already at its limit of %s", lim);
            fit(&c, 17, "HersheySans", buf, SUM_W - 40 - 590);
            text(&c, 590, y - 118, 'l', 'c', 17, "HersheySans", T_PURPLE, buf);
        } else {
            snprintf(buf, sizeof buf, "%s", f->lives > 2 ? "across restarts or collections" :
                                           f->period_h > 0 ? "under a repeating cycle" : "");
            text(&c, 590, y - 118, 'l', 'c', 17, "HersheySans", C_MUTED, buf);
        }
        y -= SUM_ROW;
    }
    pen(&c, C_GRID);
    c.pl.fline(c.p, 40, y, SUM_W - 40, y);
    if (leaks > rows)
        snprintf(line, sizeof line, "... and %zu more leaks (see report.html). ", leaks - rows);
    else
        line[0] = '\0';
    if (nothing) {
        why[0] = (char)(why[0] >= 'a' && why[0] <= 'z' ? why[0] - 32 : why[0]);
        if (suspects)
            snprintf(buf, sizeof buf, "%s; %zu counter%s grew as a leak does (suspect%s: see report.html).",
                     why, suspects, suspects == 1 ? "" : "s", suspects == 1 ? "" : "s");
        else
            snprintf(buf, sizeof buf, "%s.", why);
        fit(&c, 17, "HersheySans", buf, SUM_W - 80);
        text(&c, 40, y - 30, 'l', 'c', 17, "HersheySans", C_TEXT, buf);
        y -= 30;
    }
    snprintf(buf, sizeof buf, "%s%zu %scounter%s ok, %zu with too little data, %zu that cannot leak.  perfleak %s",
             line, ok, leaks ? "other " : "", ok == 1 ? "" : "s", insufficient,
             n - ok - insufficient - leaks, PL_VERSION);
    text(&c, 40, y - 30, 'l', 'c', 17, "HersheySans", C_MUTED, buf);
    free(order);
    return canvas_close(&c, err);
}

/* ---------- files ---------- */

void pl_chart_file_name(const pl_analysis *a, size_t i, size_t rank, const char *ext, char *buf,
                        size_t size)
{
    const pl_counter *k = pl_analysis_counter(a, i);
    char utf8[256], title[256], slug[64];
    size_t o = 0, j;
    int dash = 0;
    chart_title(k, utf8, sizeof utf8);
    latin1(utf8, title, sizeof title); /* Cyrillic names stay readable */
    for (j = 0; title[j] && o + 1 < sizeof slug; j++) {
        unsigned char ch = (unsigned char)title[j];
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            slug[o++] = (char)ch;
            dash = 0;
        } else if (ch >= 'A' && ch <= 'Z') {
            slug[o++] = (char)(ch + 32);
            dash = 0;
        } else if (!dash && o > 0) {
            slug[o++] = '-';
            dash = 1;
        }
    }
    while (o > 0 && slug[o - 1] == '-')
        o--;
    slug[o] = '\0';
    snprintf(buf, size, "%s-%02zu-%s.%s",
             pl_verdict_is_finding(k->finding.verdict) ? "leak" : "counter", rank,
             o ? slug : "counter", ext);
}

typedef struct chart_job {
    const pl_analysis *a;
    size_t i;
    int summary;
} chart_job;

static int write_chart_job(void *ctx, FILE *f, pl_error *err)
{
    const chart_job *j = ctx;
    if (j->summary)
        return pl_chart_summary(j->a, PL_CHART_PNG, f, err);
    return pl_chart_counter(j->a, j->i, PL_CHART_PNG, f, err);
}

/* The charts of one directory, shared by the worker threads: each takes
 * the next index under the lock; files are independent, so the result
 * does not depend on which thread drew what. */
typedef struct chart_batch {
    const pl_analysis *a;
    pl_stage *stage;
    size_t *order;     /* report order */
    size_t *which;     /* positions in order to draw; SIZE_MAX = summary */
    size_t n, next;
    pthread_mutex_t lock;
    int rc;
    pl_error err;
} chart_batch;

static void *chart_worker(void *arg)
{
    chart_batch *b = arg;
    for (;;) {
        size_t k, pos;
        char name[256];
        chart_job job;
        pl_error err;
        int rc;
        pthread_mutex_lock(&b->lock);
        k = b->rc == PL_OK && b->next < b->n ? b->next++ : SIZE_MAX;
        pthread_mutex_unlock(&b->lock);
        if (k == SIZE_MAX)
            return NULL;
        pos = b->which[k];
        job.a = b->a;
        job.summary = pos == SIZE_MAX;
        job.i = job.summary ? 0 : b->order[pos];
        if (job.summary)
            snprintf(name, sizeof name, "summary.png");
        else
            pl_chart_file_name(b->a, job.i, pos + 1, "png", name, sizeof name);
        rc = pl_stage_write(b->stage, name, write_chart_job, &job, &err);
        if (rc != PL_OK) {
            pthread_mutex_lock(&b->lock);
            if (b->rc == PL_OK) {
                b->rc = rc;
                b->err = err;
            }
            pthread_mutex_unlock(&b->lock);
        }
    }
}

int pl_charts_write_stage(const pl_analysis *a, pl_stage *stage, int all, pl_error *err)
{
    size_t n = pl_analysis_counter_count(a), i, nthreads;
    chart_batch b;
    int rc;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.stage = stage;
    if ((rc = pl_analysis_order(a, &b.order, err)) != PL_OK)
        return rc;
    if (!(b.which = malloc((n + 1) * sizeof *b.which))) {
        free(b.order);
        return pl_err(err, PL_ENOMEM, "out of memory");
    }
    b.which[b.n++] = SIZE_MAX; /* the summary card first */
    for (i = 0; i < n; i++)
        if (all || pl_verdict_is_finding(pl_analysis_counter(a, b.order[i])->finding.verdict))
            b.which[b.n++] = i;
    pthread_mutex_init(&b.lock, NULL);
    /* a chart is a process of its own (isolate.h): one a core, at most 8 */
    nthreads = pl_pool_threads(pl_analysis_jobs(a), 8);
    pl_pool_run(nthreads < b.n ? nthreads : b.n, chart_worker, &b);
    pthread_mutex_destroy(&b.lock);
    if (b.rc != PL_OK && err)
        *err = b.err;
    free(b.order);
    free(b.which);
    return b.rc;
}
