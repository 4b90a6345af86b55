/* fleet.c - the fleet's summary card: each recurring culprit as a bar of
 * the servers it is on, out of every server read, with its median growth,
 * so that "w3wp leaks on 37 of 500" is seen before it is read. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "chart/chart_internal.h"
#include "perfleak/fleet.h"
#include "perfleak/units.h"

#define FLEET_W 1200
#define FLEET_HEAD 130
#define FLEET_ROW 62
#define FLEET_FOOT 50
#define FLEET_MAX_ROWS 15
#define FLEET_BAR_X0 470
#define FLEET_BAR_X1 1040

static void bar(pl_canvas *cv, double x0, double y0, double x1, double y1, pl_rgb k)
{
    cv->pl.filltype(cv->p, 1);
    pl_chart_fill(cv, k);
    pl_chart_pen(cv, k);
    cv->pl.flinewidth(cv->p, 0.5);
    cv->pl.fmove(cv->p, x0, y0);
    cv->pl.fcont(cv->p, x1, y0);
    cv->pl.fcont(cv->p, x1, y1);
    cv->pl.fcont(cv->p, x0, y1);
    cv->pl.fcont(cv->p, x0, y0);
    cv->pl.endpath(cv->p);
    cv->pl.filltype(cv->p, 0);
}

static void row(pl_canvas *cv, const pl_fleet *f, size_t i, double top)
{
    const pl_fleet_group *g = pl_fleet_recurring(f, i);
    size_t servers = pl_fleet_get_totals(f)->servers;
    double share = servers ? (double)g->count / (double)servers : 0, x1;
    char name[200], buf[300], v[48];
    pl_fleet_group_name(g, name, sizeof name);
    if (g->type == PL_CULPRIT_PROCESS)
        snprintf(buf, sizeof buf, "%s - %s", name, pl_grows_name(g->kind));
    else
        snprintf(buf, sizeof buf, "%s", name); /* "kernel paged pool" says its kind */
    pl_chart_fit_middle(cv, 18, "HersheySans-Bold", buf, FLEET_BAR_X0 - 60);
    pl_chart_text(cv, 40, top - 20, 'l', 'c', 18, "HersheySans-Bold", PL_C_TEXT, buf);
    if (g->counter && !isnan(g->median)) {
        pl_format_value(g->median, g->unit, v, sizeof v);
        snprintf(buf, sizeof buf, "%s %s/h median", g->counter, v);
    } else {
        snprintf(buf, sizeof buf, "no growth rate given");
    }
    pl_chart_fit(cv, 14, "HersheySans", buf, FLEET_BAR_X0 - 60);
    pl_chart_text(cv, 40, top - 44, 'l', 'c', 14, "HersheySans", PL_C_MUTED, buf);
    bar(cv, FLEET_BAR_X0, top - 46, FLEET_BAR_X1, top - 16, PL_C_GRID);
    x1 = FLEET_BAR_X0 + (FLEET_BAR_X1 - FLEET_BAR_X0) * (share > 1 ? 1 : share);
    if (x1 < FLEET_BAR_X0 + 2)
        x1 = FLEET_BAR_X0 + 2;
    bar(cv, FLEET_BAR_X0, top - 46, x1, top - 16, g->type == PL_CULPRIT_PROCESS ? PL_C_VERMILLION : PL_C_PURPLE);
    snprintf(buf, sizeof buf, "%zu of %zu", g->count, servers);
    pl_chart_text(cv, FLEET_BAR_X1 + 12, top - 31, 'l', 'c', 17, "HersheySans-Bold", PL_C_TEXT, buf);
}

int pl_chart_fleet_card(const pl_fleet *f, pl_chart_format fmt, pl_fonts *fonts, FILE *out, pl_error *err)
{
    pl_canvas cv;
    size_t n = pl_fleet_recurring_count(f), rows = n < FLEET_MAX_ROWS ? n : FLEET_MAX_ROWS, i;
    int h = FLEET_HEAD + (int)(rows ? rows : 1) * FLEET_ROW + FLEET_FOOT, rc, status = pl_fleet_status(f);
    char buf[600];
    if ((rc = pl_chart_canvas_open(&cv, fmt, FLEET_W, h, out, fonts, err)) != PL_OK)
        return rc;
    pl_chart_set_title(&cv, "perfleak fleet: recurring culprits");
    snprintf(buf, sizeof buf, "perfleak fleet - %zu servers", pl_fleet_get_totals(f)->servers);
    pl_chart_text(&cv, 40, h - 42, 'l', 'c', 30, "HersheySans-Bold", PL_C_TEXT, buf);
    pl_fleet_tally(f, buf, sizeof buf);
    pl_chart_fit(&cv, 18, "HersheySans-Bold", buf, FLEET_W - 80);
    pl_chart_text(&cv, 40, h - 84, 'l', 'c', 18, "HersheySans-Bold",
                  status == 0 ? PL_T_GREEN : status == 1 ? PL_T_VERMILLION : PL_C_MUTED, buf);
    if (!rows)
        pl_chart_text(&cv, 40, h - FLEET_HEAD - 30, 'l', 'c', 18, "HersheySans", PL_C_MUTED,
                      "No culprit recurs on several servers.");
    for (i = 0; i < rows; i++) {
        double top = h - FLEET_HEAD - (double)i * FLEET_ROW;
        pl_chart_pen(&cv, PL_C_GRID);
        cv.pl.flinewidth(cv.p, 1);
        cv.pl.fline(cv.p, 40, top + 4, FLEET_W - 40, top + 4);
        row(&cv, f, i, top);
    }
    if (rows < n)
        snprintf(buf, sizeof buf, "and %zu more in report.html; bars: the servers each culprit leaks on", n - rows);
    else
        snprintf(buf, sizeof buf, "bars: the servers each culprit leaks on, of every server read");
    pl_chart_text(&cv, 40, 24, 'l', 'c', 14, "HersheySans", PL_C_MUTED, buf);
    pl_chart_text(&cv, FLEET_W - 40, 24, 'r', 'c', 14, "HersheySans", PL_C_MUTED, "perfleak " PL_VERSION);
    return pl_chart_canvas_close(&cv, err);
}
