/* canvas.c - charts with GNU libplot: the canvas and its text.
 *
 * libplot's bitmap drivers do not anti-alias, so a PNG is drawn with the
 * PNM driver at SS times its size and box-filtered down, then written with
 * libpng (no time chunk, so files are reproducible). SVG comes straight
 * from libplot's SVG driver. Everything is drawn in logical pixels with y
 * upwards; libplot scales to the device. Text goes through Latin-1, the
 * encoding of libplot's Hershey fonts. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include <setjmp.h>
#include "chart/chart_internal.h"
#include "chart/fonts.h"
#include "perfleak/units.h"
#include "util/internal.h"

/* Okabe-Ito colours (safe for colour-blind readers), as 8-bit RGB. */
const pl_rgb PL_C_BLUE = {0x00, 0x72, 0xB2}, PL_C_BAND = {0xCC, 0xE8, 0xF8},
                 PL_C_VERMILLION = {0xD5, 0x5E, 0x00}, PL_C_PURPLE = {0xCC, 0x79, 0xA7},
                 PL_C_GRID = {0xE4, 0xE4, 0xE4},
                 PL_C_AXIS = {0x44, 0x44, 0x44}, PL_C_TEXT = {0x1A, 0x1A, 0x1A},
                 PL_C_MUTED = {0x66, 0x66, 0x66},
                 /* darker shades of the palette for text on white */
                 PL_T_VERMILLION = {0xB3, 0x47, 0x00}, PL_T_PURPLE = {0x9E, 0x4A, 0x7D},
                 PL_T_GREEN = {0x00, 0x7A, 0x58}, PL_T_ORANGE = {0x9A, 0x62, 0x00};
const pl_rgb PL_SERIES_COLOURS[PL_SERIES_NCOLOURS] = {
    {0x00, 0x72, 0xB2}, {0xD5, 0x5E, 0x00}, {0x00, 0x9E, 0x73}, {0xCC, 0x79, 0xA7},
    {0xE6, 0x9F, 0x00}, {0x56, 0xB4, 0xE9}, {0x22, 0x22, 0x22}, {0x8C, 0x56, 0x4B}};
const char *const PL_SERIES_DASHES[PL_SERIES_NDASHES] = {"solid", "shortdashed", "dotted",
                                                          "dotdashed"};

/* ---------- canvas: a plotter plus what PNG output needs ---------- */


void pl_chart_pen(pl_canvas *c, pl_rgb k)
{
    c->pl.pencolor(c->p, k.r * 257, k.g * 257, k.b * 257);
}

void pl_chart_fill(pl_canvas *c, pl_rgb k)
{
    c->pl.fillcolor(c->p, k.r * 257, k.g * 257, k.b * 257);
}

int pl_chart_canvas_open(pl_canvas *c, pl_chart_format fmt, int w, int h, FILE *out, pl_fonts *fonts,
                         pl_error *err)
{
    char size[32];
    int rc;
    memset(c, 0, sizeof *c);
    c->fmt = fmt;
    c->w = w;
    c->h = h;
    c->out = out;
    c->fonts = fonts;
    c->fonts_tried = fonts != NULL; /* else opened at the first text */
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

/* libplot's sizes were chosen for its Hershey fonts; DejaVu Sans at this
 * share of them takes about the same room. */
#define FONT_SCALE 0.86

static int font_bold(const char *font)
{
    return strstr(font, "Bold") != NULL;
}

/* The canvas' fonts, opened for it at its first text when none were
 * given. No font at all is no reason to refuse a chart: libplot's own
 * Hershey fonts draw its text then; out of memory is (closing says so). */
static pl_fonts *canvas_fonts(pl_canvas *c)
{
    if (!c->fonts_tried) {
        pl_error ferr;
        c->fonts_tried = 1;
        if (pl_fonts_open(&c->fonts, &ferr) == PL_ENOMEM)
            c->oom = 1;
        c->own_fonts = c->fonts != NULL;
    }
    return c->fonts;
}

/* Where text t starts on its baseline, in logical pixels with y down, as
 * libplot would justify it: by its width, and by the capitals' middle
 * ('c'), the top of the ascent ('t') or the bottom of the descent ('b'). */
static void text_origin(pl_canvas *c, const pl_canvas_text *t, double *x, double *y)
{
    double px = t->size * FONT_SCALE, w = pl_fonts_width(c->fonts, t->bold, px, t->s);
    pl_font_metrics m = pl_fonts_metrics(c->fonts, t->bold, px);
    *x = t->hj == 'c' ? t->x - w / 2 : t->hj == 'r' ? t->x - w : t->x;
    *y = c->h - (t->vj == 'c' ? t->y - m.cap / 2 : t->vj == 't' ? t->y - m.ascent :
                 t->vj == 'b' ? t->y + m.descent : t->y);
}

static void texts_free(pl_canvas *c)
{
    size_t i;
    for (i = 0; i < c->ntexts; i++)
        free(c->texts[i].s);
    free(c->texts);
    c->texts = NULL;
    c->ntexts = c->captexts = 0;
    if (c->own_fonts)
        pl_fonts_close(c->fonts);
    c->fonts = NULL;
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

static int write_png(pl_canvas *c, pl_error *err)
{
    const unsigned char *q = (const unsigned char *)c->pnm, *end = q + c->pnm_len;
    long w, h, mx;
    unsigned char *row = NULL, *volatile rgb = NULL; /* volatile: survives libpng's longjmp */
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
    if (c->fonts && c->ntexts) {
        /* the text goes over the lines in colour: a grey image becomes RGB;
         * an RGB one, in c->pnm, is ours to draw on */
        unsigned char *img = (unsigned char *)c->pnm + (q - (const unsigned char *)c->pnm);
        size_t i, npx = (size_t)w * (size_t)h;
        if (bpp == 1) {
            if (!(rgb = malloc(npx * 3)))
                return pl_err(err, PL_ENOMEM, "out of memory drawing a chart's text");
            for (i = 0; i < npx; i++)
                rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = img[i];
            img = rgb;
            bpp = 3;
        }
        for (i = 0; i < c->ntexts; i++) {
            const pl_canvas_text *t = &c->texts[i];
            double tx, ty;
            text_origin(c, t, &tx, &ty);
            pl_fonts_draw(c->fonts, img, (int)w, (int)h, tx * SS, ty * SS, t->bold, t->size * FONT_SCALE * SS,
                          t->k.r, t->k.g, t->k.b, t->s);
        }
        q = img;
    }
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
    free(rgb);
    return rc;
}

/* libplot's SVG is a unit square stretched to its page: it gets the
 * chart's size in pixels instead, and as an element in HTML no prolog; a
 * title saying what it shows, and its text as text (in UTF-8, which the
 * prolog then says), in a group scaled back to pixels. */
static int write_svg(pl_canvas *c, pl_error *err)
{
    const char *svg = c->pnm ? strstr(c->pnm, "<svg") : NULL, *w, *h, *end, *close, *p, *t;
    size_t i;
    if (!svg || !(w = strstr(svg, " width=\"")) || !(h = strstr(svg, " height=\"")) ||
        !(end = strchr(svg, '>')) || w > end || h > end)
        return pl_err(err, PL_EIO, "the chart renderer produced no SVG");
    for (close = NULL, p = svg; (p = strstr(p, "</svg>")) != NULL; p++)
        close = p;
    if (!close)
        return pl_err(err, PL_EIO, "the chart renderer produced no SVG");
    if (c->fmt == PL_CHART_SVG) {
        static const char latin1[] = "encoding=\"ISO-8859-1\"";
        const char *enc = strstr(c->pnm, latin1);
        if (c->fonts && enc && enc < svg) {
            fwrite(c->pnm, 1, (size_t)(enc - c->pnm), c->out);
            fputs("encoding=\"UTF-8\"", c->out);
            enc += sizeof latin1 - 1;
            fwrite(enc, 1, (size_t)(w - enc), c->out);
        } else {
            fwrite(c->pnm, 1, (size_t)(w - c->pnm), c->out);
        }
    } else {
        fwrite(svg, 1, (size_t)(w - svg), c->out);
    }
    fprintf(c->out, " width=\"%d\" height=\"%d\" role=\"img\"", c->w, c->h);
    h = strchr(h + 9, '"');
    p = h ? h + 1 : end;
    t = strstr(p, "<title>SVG drawing</title>");
    if (c->title[0] && t && t < close) {
        fwrite(p, 1, (size_t)(t - p), c->out);
        fputs("<title>", c->out);
        pl_xml_escape(c->out, c->title);
        fputs("</title>", c->out);
        p = t + strlen("<title>SVG drawing</title>");
    }
    fwrite(p, 1, (size_t)(close - p), c->out);
    if (c->fonts && c->ntexts) {
        fprintf(c->out, "<g transform=\"scale(%.9g %.9g)\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n",
                1.0 / c->w, 1.0 / c->h);
        for (i = 0; i < c->ntexts; i++) {
            const pl_canvas_text *x = &c->texts[i];
            double ox, oy;
            text_origin(c, x, &ox, &oy);
            /* placed where the PNG has it, by the same measure */
            fprintf(c->out, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\" fill=\"#%02x%02x%02x\"%s>", ox, oy,
                    x->size * FONT_SCALE, x->k.r, x->k.g, x->k.b, x->bold ? " font-weight=\"bold\"" : "");
            pl_xml_escape(c->out, x->s);
            fputs("</text>\n", c->out);
        }
        fputs("</g>\n", c->out);
    }
    fputs(close, c->out);
    return PL_OK;
}

int pl_chart_canvas_close(pl_canvas *c, pl_error *err)
{
    int rc = PL_OK;
    if (c->pl.closepl(c->p) < 0)
        rc = pl_err(err, PL_EIO, "cannot finish the chart");
    if (c->oom && rc == PL_OK)
        rc = pl_err(err, PL_ENOMEM, "out of memory drawing a chart");
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
    texts_free(c);
    if (rc == PL_OK && (fflush(c->out) != 0 || ferror(c->out)))
        rc = pl_err(err, PL_EIO, "cannot write the chart: %s", strerror(errno));
    return rc;
}

/* ---------- text ---------- */

/* UTF-8 to the Latin-1 the Hershey fonts draw: Cyrillic is transliterated,
 * dashes become '-', and a character the fonts lack (a Chinese process
 * name) is written as its code point, "U+8FDB", which can be looked up,
 * rather than a '?' that cannot; the reports carry the name itself. */
void pl_chart_latin1(const char *s, char *out, size_t size)
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

void pl_chart_text(pl_canvas *c, double x, double y, int hj, int vj, double size, const char *font,
                   pl_rgb k, const char *s)
{
    char buf[512];
    if (canvas_fonts(c)) {
        /* kept, and drawn over the lines when the canvas closes */
        pl_canvas_text *t;
        char *copy;
        if (c->oom || pl_grow(&c->texts, &c->captexts, c->ntexts + 1, sizeof *c->texts) != 0 ||
            !(copy = pl_strdup(s))) {
            c->oom = 1;
            return;
        }
        t = &c->texts[c->ntexts++];
        t->x = x;
        t->y = y;
        t->hj = hj;
        t->vj = vj;
        t->bold = font_bold(font);
        t->size = size;
        t->k = k;
        t->s = copy;
        return;
    }
    pl_chart_latin1(s, buf, sizeof buf);
    c->pl.fontname(c->p, font);
    c->pl.ffontsize(c->p, size);
    /* Hershey glyphs are strokes drawn with the pen: a width in step with
     * the size keeps small text dark enough to read when scaled down */
    c->pl.flinewidth(c->p, size * (font_bold(font) ? 0.11 : 0.085));
    pl_chart_pen(c, k);
    c->pl.fmove(c->p, x, y);
    c->pl.alabel(c->p, hj, vj, buf);
}

double pl_chart_text_width(pl_canvas *c, double size, const char *font, const char *s)
{
    char buf[512];
    if (canvas_fonts(c))
        return pl_fonts_width(c->fonts, font_bold(font), size * FONT_SCALE, s);
    pl_chart_latin1(s, buf, sizeof buf);
    c->pl.fontname(c->p, font);
    c->pl.ffontsize(c->p, size);
    return c->pl.flabelwidth(c->p, buf);
}

void pl_chart_set_title(pl_canvas *c, const char *title)
{
    snprintf(c->title, sizeof c->title, "%s", title);
}

/* Shortens s in place with "..." in its middle until it fits width, so
 * that a name keeps its start and its end ("\\SRV01\Process(w3...)\Private
 * Bytes"). */
void pl_chart_fit_middle(pl_canvas *c, double size, const char *font, char *s, double width)
{
    size_t n = strlen(s), keep;
    char *tmp;
    if (pl_chart_text_width(c, size, font, s) <= width || n < 8)
        return;
    if (!(tmp = malloc(n + 4))) {
        pl_chart_fit(c, size, font, s, width);
        return;
    }
    /* fewer and fewer bytes around the middle, down to six kept */
    for (keep = n - 1;; keep--) {
        pl_utf8_middle(s, keep, tmp, n + 4);
        if (keep == 6 || pl_chart_text_width(c, size, font, tmp) <= width)
            break;
    }
    memcpy(s, tmp, strlen(tmp) + 1);
    free(tmp);
}

/* Shortens s in place with "..." until it fits width. */
void pl_chart_fit(pl_canvas *c, double size, const char *font, char *s, double width)
{
    size_t n = strlen(s);
    if (pl_chart_text_width(c, size, font, s) <= width)
        return;
    while (n > 4) {
        n--;
        while (n > 4 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* never cut a UTF-8 sequence */
        memcpy(s + n, "...", 4);
        if (pl_chart_text_width(c, size, font, s) <= width)
            return;
    }
}
