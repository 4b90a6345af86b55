/* report_internal.h - what the report formats share: the verdict counts,
 * the counters in report order, the sentences and table cells every
 * format words the same way, and each format's writer. Internal. */
#ifndef PL_REPORT_INTERNAL_H
#define PL_REPORT_INTERNAL_H

#include <stdio.h>
#include <jansson.h>
#include "perfleak/diagnose.h"
#include "perfleak/plot.h"
#include "perfleak/report.h"

typedef struct pl_report_summary {
    size_t counters, leaks, running_out, ok, insufficient, suspect, not_applicable;
    size_t findings; /* leaks + running_out: first in report order */
    size_t shown;    /* findings + suspect: the blocks a report shows */
    size_t culprits; /* the diagnosis' findings, set by the format */
} pl_report_summary;

/* The cells every tabular report shows for one counter; empty where the
 * verdict has no such figure. */
typedef struct pl_report_cells {
    char growth[96], rate[64], onset[48], eta[192];
    char conf[96];  /* the rate's 95 % interval: "5.38 to 5.46 MB/h" */
} pl_report_cells;

/* Several machines in one analysis: every report has a section for each,
 * in the order they first appear. A machine is named without its leading
 * backslashes; NULL stands for every one (a single-machine report). */
typedef struct pl_report_ctx pl_report_ctx;
typedef struct pl_report_machines {
    const char **names;
    size_t n;
} pl_report_machines;

/* What every report starts from: the verdict counts, the counters in
 * report order, the time zone to show, and the culprits. */
struct pl_report_ctx {
    pl_report_summary s;
    size_t *order;
    int off;
    pl_report_machines m;   /* n > 1: a section a machine */
    const pl_diagnosis *d;  /* the result's (NULL: no culprits) */
};

/* Counts of each verdict among a's counters. */
pl_report_summary pl_report_summarize(const pl_analysis *a);

/* What a report calls a counter's verdict in its headings. */
const char *pl_report_verdict_heading(const pl_finding *f);

/* "file: SRV01, 2026-03-02 00:00 to 2026-03-05 00:00 (UTC-08:00), 2160
 * samples every 2 min" */
void pl_report_log_line(const pl_log_info *l, char *buf, size_t size);

/* A finding's growth, "+390 MB (+3890%)", and rate, "5.42 MB/h". */
void pl_report_growth_text(const pl_counter *c, char *buf, size_t size);
void pl_report_rate_text(const pl_counter *c, char *buf, size_t size);

/* "16.0 GB (Memory\Commit Limit) in 3.2 days, 2.1 days at the fastest" */
void pl_report_eta_text(const pl_analysis *a, const pl_counter *c, char *buf, size_t size);

/* The table cells of c's finding, times at offset off. */
/* The table cells of c; the onset cell says "first sample" when the
 * growth was there from the log's start. */
void pl_report_finding_cells(const pl_analysis *a, const pl_counter *c, pl_report_cells *out);
/* How it grew, the part of the detector's reason after its figures
 * ("steadily, no levelling off"); the whole reason when it has none. */
void pl_report_how_text(const pl_finding *f, char *buf, size_t size);
/* A finding in one line, every figure once: "+390 MB (+3943%) at 5.42 MB/h
 * from the first sample, trend 9.90 MB -> 400 MB in 72.0 h (samples 10.2
 * MB -> 398 MB): steadily, no levelling off" (the trend's levels are
 * fitted; the samples are as logged). */
void pl_report_finding_line(const pl_analysis *a, const pl_counter *c, char *buf, size_t size);
/* "perfleak 0.1.0, run 2026-12-02 09:30 UTC" (the time when it is known). */
void pl_report_run_text(const pl_analysis *a, char *buf, size_t size);

/* "2 leaks among 35 counters (33 ok, 0 with too little data)." or, when
 * nothing could be judged, "Nothing could be judged: the log covers only
 * 25 s; ..." (never "No leak found": that would read as an all-clear). */
void pl_report_summary_sentence(const pl_analysis *a, const pl_report_summary *s,
                                const char *em, char *buf, size_t size);

/* "2 counters of Process(_Total) and Process(Idle) left out, ...", so that
 * a log of 276 processes showing 274 counters says why; 0 when none. */
int pl_report_left_out_sentence(const pl_analysis *a, char *buf, size_t size);
/* "FILE, line N: TEXT" (or offset 0x...), or TEXT of a warning of no log:
 * a caveat as the reports list it. */
void pl_report_warning_line(const pl_warning *w, char *buf, size_t size);

/* 1 when c's machine (or f's) is m, or m is NULL. */
int pl_report_on_machine(const pl_counter *c, const char *m);
int pl_report_culprit_on(const pl_culprit_finding *f, const char *m);
/* 1 when machine m has a culprit or a finding (or a suspect) to show: a
 * machine with nothing gets no section. */
int pl_report_machine_has(const pl_analysis *a, const pl_report_ctx *c, const char *m);
/* "SRV01 (UTC-08:00)": a section's heading. */
void pl_report_machine_heading(const pl_analysis *a, const char *m, char *buf, size_t size);

/* Fills c for r, pointing at its diagnosis; release it with
 * pl_report_ctx_clear. PL_OK, or PL_ENOMEM (c then holds nothing). */
int pl_report_ctx_init(const pl_result *r, pl_report_ctx *c, pl_error *err);
void pl_report_ctx_clear(pl_report_ctx *c);

/* A culprit's rates ("Private Bytes +5.42 MB/h, Handle Count +12/h"),
 * the rest of its figures ("over 72.0 h; accounts for 91% of the growth
 * of Committed Bytes; restarted 6 times, about every 6.0 h, near 560 MB"),
 * and all of them in one line ("2 culprits: w3wp (PID 200): memory; ..."
 * or "" when there are none). */
void pl_report_culprit_rates(const pl_culprit_finding *f, char *buf, size_t size);

void pl_report_culprit_details(const pl_culprit_finding *f, char *buf, size_t size);
void pl_report_culprits_sentence(const pl_diagnosis *d, char *buf, size_t size);
/* "Charts are drawn for the 50 most urgent of the 9 843 findings; the
 * rest are in the table, and report.json lists every one." (counters
 * instead of findings when all are charted). */
void pl_report_charts_left_out(size_t drawn, size_t of, int counters, char *buf, size_t size);
/* "The 50 most urgent culprits are shown; report.json lists all 9843." */
void pl_report_culprits_left_out(size_t shown, size_t of, char *buf, size_t size);

/* The formats: each writes a whole report to out; PL_OK, PL_ENOMEM, or
 * PL_EIO when out cannot be written (charts: Markdown links the PNGs of
 * `-o DIR`; with_findings 0: the counters listing's JSON; flags:
 * jansson's, JSON_COMPACT for JSON Lines). */
int pl_report_text(const pl_result *r, FILE *out, pl_error *err);
int pl_report_dump_json_flags(const pl_result *r, int with_findings, FILE *out,
                              size_t flags, pl_error *err);
int pl_report_dump_json(const pl_result *r, int with_findings, FILE *out, pl_error *err);
int pl_report_markdown(const pl_result *r, FILE *out, pl_chart_set charts, pl_error *err);
int pl_report_html(const pl_result *r, FILE *out, pl_error *err);

/* json.c's pieces for the other JSON documents (compare): a log as
 * report.json gives it, a string made valid UTF-8, a number (integral
 * ones as integers, NaN as null), a time in ISO 8601 at off. */
json_t *pl_report_json_log(const pl_log_info *l);
json_t *pl_report_jstr(const char *s);
json_t *pl_report_jnum(double v);
json_t *pl_report_jtime(pl_time t, int off);
/* markdown.c's escaping: s as literal Markdown text (no markup from it). */
void pl_report_md_text(FILE *out, const char *s);

/* rc, or PL_EIO when what was written to out cannot be flushed: the end
 * of each report writer. */
int pl_report_flushed(FILE *out, int rc, pl_error *err);

/* mkdir -p for -o DIR: creates missing parents; an existing
 * non-directory is refused. PL_OK, PL_EIO naming the path, PL_ENOMEM. */
int pl_report_make_dir(const char *dir, pl_error *err);

/* The set of -o DIR (report.h): report.json, report.md and report.html,
 * each written by write_fn(obj, fmt) as it reads inside DIR (Markdown
 * linking the pictures beside it), then what charts_fn (NULL: none)
 * writes into the stage, committed as one. */
struct pl_stage;
typedef int (*pl_report_dir_writer)(const void *obj, pl_report_format fmt, FILE *out, pl_error *err);
int pl_report_write_set(const char *dir, pl_report_dir_writer write_fn, const void *obj,
                        int (*charts_fn)(const void *obj, struct pl_stage *stage, pl_error *err), pl_error *err);

#endif
