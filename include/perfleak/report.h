/* report.h - what perfleak tells people and programs: text for the
 * terminal, JSON for automation, Markdown for tickets, self-contained HTML;
 * and the counters listing. Output files are written to a temporary name
 * and renamed, so a failed run never leaves a half-written report. */
#ifndef PERFLEAK_REPORT_H
#define PERFLEAK_REPORT_H

#include <stdio.h>
#include "perfleak/analysis.h"
#include "perfleak/units.h"
#include "perfleak/plot.h"
#include "perfleak/diagnose.h"
#include "perfleak/compare.h"

typedef enum pl_report_format {
    PL_REPORT_TEXT = 0,
    PL_REPORT_JSON,
    PL_REPORT_MARKDOWN,
    PL_REPORT_HTML,
    PL_REPORT_JSONL  /* the JSON report on one line (one record per log) */
} pl_report_format;

/* "text", "json", "jsonl", "markdown" (or "md"), "html"; -1 when unknown. */
int pl_report_format_parse(const char *name);

/* The next step the diagnosis chose for f (f->next), in the words every
 * report gives it; truncated to size. */
void pl_report_next_step(const pl_culprit_finding *f, char *buf, size_t size);

/* Writes the findings report of r (its analysis detected, its diagnosis
 * made: NULL names no culprit). Returns PL_OK, PL_EIO or PL_ENOMEM. */
int pl_report_write(const pl_result *r, pl_report_format fmt, FILE *out,
                    pl_error *err);

/* Writes the per-counter listing (perfleak counters): text or JSON.
 * PL_OK, PL_EIO or PL_ENOMEM. */
int pl_counters_write(const pl_analysis *a, pl_report_format fmt, FILE *out,
                      pl_error *err);

/* Writes report.json, report.md, report.html and, as charts says, the PNG
 * charts
 * into dir, creating dir when missing and refusing a path that is not a
 * directory: as one set, so that a failure leaves
 * the old set, and charts of an earlier run the new one lacks are removed.
 * Nothing else in dir is touched. report.html always embeds its charts.
 * PL_OK; PL_EUSAGE (empty dir, or a file there that is not a regular one);
 * PL_EIO naming what could not be made or written; PL_ENOMEM; a chart's
 * error (see plot.h). On any error the old set is as it was. */
int pl_report_write_dir(const pl_result *r, const char *dir, pl_chart_set charts, pl_error *err);

/* perfleak compare's report (compare.h): text (a line a culprit, its
 * verdict first), Markdown for a ticket, JSON ("before", "after": the
 * logs of each side as in report.json; "comparisons", most urgent first;
 * "status"), or one self-contained HTML page (the verdicts, then each
 * culprit with its overlay chart). PL_OK, PL_EIO, PL_ENOMEM, or a chart's
 * error (plot.h). */
int pl_compare_write(const pl_compare *c, pl_report_format fmt, FILE *out, pl_error *err);

/* perfleak compare -o DIR: report.json, report.md, report.html,
 * summary.png (the verdicts' card) and compare-NN-*.png (each overlay),
 * as one set, as pl_report_write_dir writes analyze's. */
int pl_compare_write_dir(const pl_compare *c, const char *dir, pl_error *err);

/* perfleak fleet's report (fleet.h, after pl_fleet_finish): text, JSON
 * (JSONL writes the same document), Markdown or one HTML page with the
 * card inline. PL_OK; PL_EIO when out cannot be written; PL_ENOMEM. */
int pl_fleet_write(const pl_fleet *f, pl_report_format fmt, FILE *out, pl_error *err);
/* perfleak fleet -o DIR: report.json, report.md, report.html and
 * summary.png, all or none, as pl_report_write_dir. */
int pl_fleet_write_dir(const pl_fleet *f, const char *dir, pl_error *err);

#endif
