/* files.h - the charts of a report set (see files.c). Internal: for
 * report.c's `-o DIR` and the HTML report. */
#ifndef PL_CHART_FILES_H
#define PL_CHART_FILES_H

#include "perfleak/plot.h"
#include "util/isolate.h"
#include "util/stage.h"

/* Data extents of counters idx[0..n) plus what the findings draw, in
 * seconds since 1970 and counter units: with with_limit, the limit, and
 * the time axis to the limit when the trend reaches it within 1.5 x the
 * log's span (else a tenth of the span further, for the arrow). The HTML
 * report's charts start from the same view. */
void pl_chart_extents(const pl_analysis *a, const size_t *idx, size_t n, int with_limit,
                      double *t0, double *t1, double *lo, double *hi);

/* A renderer: charts of one analysis drawn one after the other by one
 * child process (isolate.h), as pl_chart_counter and pl_chart_summary
 * draw them each in a child of its own. Not for two threads at once. */
typedef struct pl_fonts pl_fonts;
typedef struct pl_chart_renderer {
    pl_result res;    /* what it draws: the child reads its copy */
    pl_isolated iso;
    pl_fonts *fonts;  /* the child's, loaded at its first chart and kept for
                       * the rest (here only when no child could be had) */
} pl_chart_renderer;

/* No child is started until the first chart. */
void pl_chart_renderer_init(pl_chart_renderer *r, const pl_result *res);
/* Starts the child now, for a renderer a worker thread will use: call it
 * before the threads start (see pl_isolated_start). */
void pl_chart_renderer_start(pl_chart_renderer *r);
/* Counter i's chart, or the summary card, to out. Returns as
 * pl_chart_counter; a renderer that died is started again for the next
 * (one that pl_chart_renderer_start started fails the rest). */
int pl_chart_renderer_draw(pl_chart_renderer *r, size_t i, int summary, pl_chart_format fmt,
                           FILE *out, pl_error *err);
void pl_chart_renderer_clear(pl_chart_renderer *r);

/* Writes summary.png and the charts of set into the set stage (see
 * output.h), on up to -j threads (default one per core, at most 8).
 * PL_OK, or a chart's error naming its file (PL_ENOMEM, PL_EIO,
 * PL_EUNSUPPORTED when libplot cannot be loaded). */
int pl_charts_write_stage(const pl_result *res, pl_stage *stage, pl_chart_set set, pl_error *err);

/* Writes perfleak compare's summary.png and one chart per comparison into
 * the stage, drawn in turn in child processes. As pl_charts_write_stage. */
int pl_compare_charts_write_stage(const pl_compare *c, pl_stage *stage, pl_error *err);
/* Writes perfleak fleet's summary.png into the stage. As above. */
int pl_fleet_chart_write_stage(const pl_fleet *f, pl_stage *stage, pl_error *err);

#endif
