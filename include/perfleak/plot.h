/* plot.h - charts of counters and findings: one chart per counter (the
 * min-max band and mean of its buckets, the fitted trend over the judged
 * regime, the onset, the projection to a limit), several counters of one
 * unit on one chart, and a summary card of all findings. PNG is rendered
 * supersampled and scaled down, so lines and text are anti-aliased; SVG is
 * vector, for the HTML report. The same input gives byte-identical files. */
#ifndef PERFLEAK_PLOT_H
#define PERFLEAK_PLOT_H

#include <stdio.h>
#include "perfleak/analysis.h"
#include "perfleak/diagnose.h"
#include "perfleak/compare.h"
#include "perfleak/fleet.h"

typedef enum pl_chart_format {
    PL_CHART_PNG = 0,
    PL_CHART_SVG,
    PL_CHART_SVG_INLINE   /* an <svg> element sized in pixels, for HTML */
} pl_chart_format;

/* Chart of counter i of a (after pl_analysis_detect) into out, drawn in a
 * child process (libplot may exit on a failed allocation; perfleak must
 * not). PL_OK; PL_EUSAGE (no such counter, or counters of two units on
 * one chart); PL_ENOMEM; PL_EUNSUPPORTED (libplot cannot be loaded);
 * PL_EIO (out cannot be written, or the renderer died: err says how);
 * nothing is written to out on an error. The same for the two below. */
int pl_chart_counter(const pl_analysis *a, size_t i, pl_chart_format fmt, FILE *out,
                     pl_error *err);

/* Counters idx[0..n) on one chart; they must share a unit (PL_EUSAGE
 * otherwise). */
int pl_chart_counters(const pl_analysis *a, const size_t *idx, size_t n, pl_chart_format fmt,
                      FILE *out, pl_error *err);

/* The summary card of r (its diagnosis names the culprits; NULL: none):
 * machine, log span, one row per leak (worst first)
 * with a small chart and its numbers, healthy counters in one line. */
int pl_chart_summary(const pl_result *r, pl_chart_format fmt, FILE *out, pl_error *err);

/* File name (no directory) of counter i's chart, e.g.
 * "leak-01-services-private-bytes-srv01.png"; rank is its place in the
 * report order (1-based). Writes at most size bytes. */
void pl_chart_file_name(const pl_analysis *a, size_t i, size_t rank, const char *ext,
                        char *buf, size_t size);

/* perfleak compare's charts, each drawn in a child process as above.
 * Comparison i's: its culprit's main counter in both captures overlaid on
 * one "hours since start" axis, both trends drawn, the rates in the
 * legend. PL_EUSAGE when there is no comparison i. */
int pl_chart_compare(const pl_compare *c, size_t i, pl_chart_format fmt, FILE *out, pl_error *err);
/* The comparison's summary card: both captures' spans, then one row a
 * culprit (the most urgent twelve): a small overlay, the verdict, the
 * rates before and after. */
int pl_chart_compare_summary(const pl_compare *c, pl_chart_format fmt, FILE *out, pl_error *err);
/* File name of comparison i's chart, e.g.
 * "compare-01-ordersvc-private-bytes-web01.png" (i + 1 is its rank). */
/* perfleak fleet's summary card (a bar each recurring culprit, on how
 * many of the servers), drawn in a child process as above. */
int pl_chart_fleet(const pl_fleet *f, pl_chart_format fmt, FILE *out, pl_error *err);
void pl_chart_compare_file_name(const pl_compare *c, size_t i, const char *ext, char *buf, size_t size);

/* Which charts a report set gets. */
typedef enum pl_chart_set {
    PL_CHARTS_NONE,      /* no PNG (report.html still embeds its own) */
    PL_CHARTS_FINDINGS,  /* summary.png and one per finding */
    PL_CHARTS_ALL        /* summary.png and one per counter */
} pl_chart_set;


#endif
