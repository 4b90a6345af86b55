/* axes.c - value and time scales that cannot run away, the plot area,
 * and the grid with its labels. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chart/chart_internal.h"
#include "perfleak/units.h"
#include "util/internal.h"

#define MAX_TICKS 64 /* on any axis: the scales ask for about ten */


void pl_chart_value_scale(double lo, double hi, pl_unit unit, int nticks, pl_vscale *v)
{
    static const char *const names[] = {" B", " KB", " MB", " GB", " TB", " PB"};
    double range, raw, mag, norm, mx = fmax(fabs(lo), fabs(hi));
    int k = 0;
    v->div = 1;
    v->suffix = "";
    if (pl_unit_is_bytes(unit)) {
        double base = pl_unit_bytes(unit);
        double b = mx * base;
        while (b >= 1024 && k < 5) {
            b /= 1024;
            k++;
        }
        v->div = pow(1024.0, k) / base;
        v->suffix = names[k];
    } else if (unit == PL_UNIT_PERCENT) {
        v->suffix = "%";
    } else if (unit == PL_UNIT_PER_SEC) {
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

void pl_chart_value_label(const pl_vscale *v, double x, char *buf, size_t size)
{
    double d = x / v->div, st = v->step / v->div;
    int dec = st >= 1 ? 0 : (int)ceil(-log10(st) - 1e-9);
    if (dec > 6)
        dec = 6;
    if (fabs(d) < st * 1e-6)
        d = 0;
    snprintf(buf, size, "%.*f%s", dec, d, v->suffix);
}


void pl_chart_time_scale(double t0, double t1, int offset, int maxticks, pl_tscale *ts)
{
    static const double steps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
                                   7200, 10800, 21600, 43200, 86400, 172800, 604800,
                                   1209600, 2592000, 7776000, 31536000};
    size_t i;
    ts->t0 = t0;
    ts->t1 = t1 > t0 ? t1 : t0 + 60;
    ts->offset = offset;
    ts->elapsed = 0;
    ts->step = steps[sizeof steps / sizeof steps[0] - 1];
    for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if ((ts->t1 - ts->t0) / steps[i] <= maxticks) {
            ts->step = steps[i];
            break;
        }
    }
}

void pl_chart_civil(double utc_s, int offset, int *y, int *mo, int *d, int *h, int *mi, int *s)
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

/* A coordinate kept within a few plot areas of it: libplot turns its
 * coordinates into device integers, and one far outside (a value beyond
 * the scale) overflows them and crashes it. */
double pl_chart_clamp(double x, double a, double b)
{
    double m = 4 * (b - a);
    if (!(x == x))
        return a;
    return x < a - m ? a - m : x > b + m ? b + m : x;
}

double pl_chart_px(const pl_panel *p, double t)
{
    return pl_chart_clamp(p->x0 + (t - p->ts.t0) / (p->ts.t1 - p->ts.t0) * (p->x1 - p->x0), p->x0, p->x1);
}

double pl_chart_py(const pl_panel *p, double v)
{
    return pl_chart_clamp(p->y0 + (v - p->vs.lo) / (p->vs.hi - p->vs.lo) * (p->y1 - p->y0), p->y0, p->y1);
}

double pl_chart_secs(pl_time t)
{
    return (double)t / PL_TICKS_PER_SEC;
}

void pl_chart_grid_and_axes(pl_canvas *c, const pl_panel *p, double fs, int labels)
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
        pl_chart_pen(c, PL_C_GRID);
        c->pl.fline(c->p, p->x0, pl_chart_py(p, v), p->x1, pl_chart_py(p, v));
        if (labels) {
            pl_chart_value_label(&p->vs, v, buf, sizeof buf);
            pl_chart_text(c, p->x0 - 8, pl_chart_py(p, v), 'r', 'c', fs, "HersheySans", PL_C_AXIS, buf);
        }
    }
    /* first tick: the first multiple of the step in local time, or the
     * start itself when the axis counts hours from it */
    t = p->ts.elapsed ? p->ts.t0 : ceil((p->ts.t0 - 1 + off) / p->ts.step) * p->ts.step - off;
    if (t < p->ts.t0 - 1)
        t += p->ts.step;
    for (i = 0; i < MAX_TICKS && t <= p->ts.t1 + 1e-6; i++, t += p->ts.step) {
        int y, mo, d, h, mi, s;
        double x = pl_chart_px(p, t);
        pl_chart_pen(c, PL_C_GRID);
        c->pl.fline(c->p, x, p->y0, x, p->y1);
        if (!labels)
            continue;
        pl_chart_pen(c, PL_C_AXIS);
        c->pl.fline(c->p, x, p->y0, x, p->y0 - 5);
        if (p->ts.elapsed) {
            double hours = (t - p->ts.t0) / 3600;
            if (p->ts.step >= 3600)
                snprintf(buf, sizeof buf, "%.0f h", hours);
            else
                snprintf(buf, sizeof buf, "%d:%02d", (int)floor(hours + 1e-9),
                         (int)floor(fmod(t - p->ts.t0, 3600) / 60 + 1e-9));
            pl_chart_text(c, x, p->y0 - 9, 'c', 't', fs, "HersheySans", PL_C_AXIS, buf);
            continue;
        }
        pl_chart_civil(t, p->ts.offset, &y, &mo, &d, &h, &mi, &s);
        if (p->ts.step >= 86400)
            snprintf(buf, sizeof buf, "%s %d", mon[mo - 1], d);
        else if (p->ts.step >= 60)
            snprintf(buf, sizeof buf, "%02d:%02d", h, mi);
        else
            snprintf(buf, sizeof buf, "%02d:%02d:%02d", h, mi, s);
        pl_chart_text(c, x, p->y0 - 9, 'c', 't', fs, "HersheySans", PL_C_AXIS, buf);
        if (p->ts.step < 86400 && d != last_day) {
            snprintf(buf, sizeof buf, "%s %d, %d", mon[mo - 1], d, y);
            /* the date goes under the day's first tick */
            pl_chart_text(c, x, p->y0 - 9 - fs * 1.5, 'c', 't', fs, "HersheySans", PL_C_MUTED, buf);
        }
        last_day = d;
    }
    if (labels && p->ts.elapsed) {
        pl_chart_text(c, p->x1, p->y0 - 9 - fs * 1.6, 'r', 't', fs, "HersheySans", PL_C_MUTED,
                      "hours since each capture began");
    } else if (labels) {
        /* the times are the log's: say whose, at the axis' right end */
        pl_time_format_offset(p->ts.offset, buf, sizeof buf);
        pl_chart_text(c, p->x1, p->y0 - 9 - fs * 3, 'r', 't', fs, "HersheySans", PL_C_MUTED, buf);
    }
    pl_chart_pen(c, PL_C_AXIS);
    c->pl.fline(c->p, p->x0, p->y0, p->x1, p->y0);
}
