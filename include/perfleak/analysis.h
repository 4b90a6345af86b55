/* analysis.h - the whole job as one object: read logs (merged on time),
 * keep the selected counters in a bounded store, judge each one. The CLI
 * is a thin layer over these calls. */
#ifndef PERFLEAK_ANALYSIS_H
#define PERFLEAK_ANALYSIS_H

#include "perfleak/perfleak.h"
#include "perfleak/path.h"
#include "perfleak/store.h"
#include "perfleak/detect.h"
#include "perfleak/timestamp.h"
#include "perfleak/counters.h"

/* Charts a report set draws by default: a ticket reader looks at the
 * first few, and 100 000 findings must not make 100 000 files. */
#define PL_MAX_CHARTS_DEFAULT 50

typedef struct pl_analysis_opts {
    const char *const *include; /* counter patterns; none: the default set */
    size_t n_include;
    const char *const *exclude; /* patterns removed from the selection */
    size_t n_exclude;
    const char *const *limits;  /* "PATTERN=VALUE": the limit a counter grows to */
    size_t n_limits;
    const char *encoding;       /* NULL: detect */
    int utc_offset_set;         /* text logs: times are at utc_offset minutes */
    int utc_offset;             /* east of UTC, whatever the header says */
    const char *begin, *end;    /* the time window (pl_time_parse_user):
                                 * rows outside it are left out; NULL: open */
    size_t max_buckets;         /* 0: default */
    size_t read_size;           /* bytes per read; 0: 1 MiB */
    unsigned long long max_expand; /* an archive member's limit (inputs.h); 0: the default */
    size_t max_charts;          /* charts of counters a report set draws, the
                                 * most urgent first (0: PL_MAX_CHARTS_DEFAULT,
                                 * SIZE_MAX: all); report.json lists every one */
    int threads;                /* threads at most (-j): 1 does everything on
                                 * one; 0 leaves it to the machine (two for a
                                 * log, a core each for charts) */
    /* What the reports record of the run (see pl_analysis_set_run): the
     * command line (NULL: none) and when, in Unix seconds (0: not said). */
    const char *run_command;
    long long run_time;
    pl_detect_opts detect;
    pl_warn_fn warn;
    void *warn_ctx;
    /* Reading progress, as in pl_reader_opts; may be NULL. */
    void (*progress)(void *ctx, const char *name, unsigned long long done,
                     unsigned long long total);
    void *progress_ctx;
} pl_analysis_opts;

/* Sets the defaults (default counter set, detector defaults). */
void pl_analysis_opts_init(pl_analysis_opts *opts);

/* One log file as read. */
typedef struct pl_log_info {
    char *file;
    char *format;        /* "PDH-CSV", "PDH-TSV" */
    char *encoding;
    int encoding_guessed;
    pl_tz tz;
    char **machines;     /* distinct machines in its paths */
    size_t n_machines, cap_machines;
    size_t columns;
    size_t rows;
    pl_time start, end;  /* UTC; start > end when no rows */
    double interval_s;   /* median spacing of the first rows */
} pl_log_info;

/* One analysed counter. */
typedef struct pl_counter {
    char *path;          /* exactly as in the header, UTF-8 */
    char *path_en;       /* with English names when the log's are translated, else NULL */
    char *label;         /* what reports show: the path, or the English path
                          * with the log's name beside it:
                          * "\\H\Process(a)\Working Set (Рабочий набор)" */
    pl_path parts;
    int occurrence;      /* 1, or n for the n-th repeat within one header */
    pl_unit unit;        /* as pl_counter_unit */
    pl_kind kind;        /* what it counts: only PL_KIND_HELD can leak */
    size_t series;       /* id in the store */
    pl_finding finding;  /* after pl_analysis_detect */
} pl_counter;

typedef struct pl_analysis pl_analysis;

/* opts NULL: the defaults. PL_OK; PL_EUSAGE for a limit that is not
 * COUNTER=VALUE or a window end that is no time; PL_ENOMEM. */
int pl_analysis_create(pl_analysis **out, const pl_analysis_opts *opts,
                       pl_error *err);
void pl_analysis_free(pl_analysis *a);

/* What the reports record of the run: the command line as typed (NULL:
 * none; kept as valid UTF-8) and when it ran, in seconds since 1970 UTC (0:
 * not said). The library never reads the clock itself, so a report can be
 * made again byte for byte. PL_OK, or PL_ENOMEM (the old record stays). */
int pl_analysis_set_run(pl_analysis *a, const char *command, long long unix_time, pl_error *err);
const char *pl_analysis_run_command(const pl_analysis *a);
long long pl_analysis_run_time(const pl_analysis *a);

/* Reads a log file, or every log a directory, an archive or a compressed
 * file holds (inputs.h: each is a log of its own, named
 * "case.zip:PerfLogs/.../DataCollector01.blg"); "-" reads standard input.
 * PL_OK, or the reader's error naming the file (and line or offset):
 * PL_EIO, PL_EFORMAT, PL_EUNSUPPORTED, PL_EENCODING, PL_ELIMIT, PL_ENOMEM.
 * After an error the analysis holds the logs read before, and may read
 * another. */
int pl_analysis_read_file(pl_analysis *a, const char *path, pl_error *err);
/* Reads a log held in memory, fed in pieces of chunk bytes (0: all at
 * once); name is used in messages. Returns as pl_analysis_read_file. */
int pl_analysis_read_buffer(pl_analysis *a, const char *name, const void *buf,
                            size_t len, size_t chunk, pl_error *err);

/* Judges every counter read so far, and for leaks with a known limit
 * (Memory\Commit Limit for Committed Bytes, or opts.limits) estimates when
 * it will be reached. PL_OK, or PL_ENOMEM. */
int pl_analysis_detect(pl_analysis *a, pl_error *err);

/* A warning the reading or the judging gave (also passed to opts.warn as
 * it came), for the reports: the log it is about (NULL: none), its line
 * (0: none) or byte offset (has_offset), and the text after those. */
typedef struct pl_warning {
    const char *file;
    unsigned long long line, offset;
    int has_offset;
    const char *text;
} pl_warning;

#define PL_MAX_WARNINGS 64 /* kept; the rest are counted */

/* The warnings kept, in the order they came; pl_analysis_warnings_dropped
 * counts those past PL_MAX_WARNINGS. */
size_t pl_analysis_warning_count(const pl_analysis *a);
const pl_warning *pl_analysis_warning(const pl_analysis *a, size_t i);
size_t pl_analysis_warnings_dropped(const pl_analysis *a);

size_t pl_analysis_log_count(const pl_analysis *a);
const pl_log_info *pl_analysis_log(const pl_analysis *a, size_t i);
size_t pl_analysis_counter_count(const pl_analysis *a);
/* Counters of the default set left out because their instance is _Total
 * or Idle (0 when patterns were given). */
size_t pl_analysis_aggregates_left_out(const pl_analysis *a);
const pl_counter *pl_analysis_counter(const pl_analysis *a, size_t i);
const pl_store *pl_analysis_store(const pl_analysis *a);
/* Offset (minutes east of UTC) reports show times in: the first log's. */
int pl_analysis_display_offset(const pl_analysis *a);
/* The offset of the first log that names machine (leading backslashes
 * ignored; NULL or "" the unnamed local one), else the first log's: a
 * machine's times are shown in its own offset. */
int pl_analysis_machine_offset(const pl_analysis *a, const char *machine);
/* The IIS application pool of worker process pid on machine (leading
 * backslashes ignored), as the log's W3SVC_W3WP or WAS_W3WP instance
 * names ("4236_ShopPool") tell it; NULL when they do not. Points into a. */
const char *pl_analysis_app_pool(const pl_analysis *a, const char *machine, long pid);
/* The offset of c's machine. */
int pl_analysis_counter_offset(const pl_analysis *a, const pl_counter *c);
/* 1 when the logs are of more than one UTC offset: every time shown
 * then says which ("2026-03-04 10:00 (UTC-08:00)"). */
int pl_analysis_mixed_offsets(const pl_analysis *a);
/* t at c's machine's offset, "2026-03-04 10:00", labelled with the
 * offset when the logs have several. */
void pl_analysis_time_text(const pl_analysis *a, const pl_counter *c, pl_time t, char *buf, size_t size);
/* The first and last sample of all logs and how many rows they have: 1,
 * or 0 (t0, t1 untouched) when no log has a row. */
int pl_analysis_span(const pl_analysis *a, pl_time *t0, pl_time *t1, size_t *rows);
/* The distinct machines of all logs, in the order they first appear, in a
 * new array (*names[i] point into a; free the array): PL_OK, or
 * PL_ENOMEM. */
int pl_analysis_machines(const pl_analysis *a, const char ***names, size_t *n, pl_error *err);
/* Number of counters judged a leak. */
size_t pl_analysis_leak_count(const pl_analysis *a);
/* Number of counters with a finding: a leak or free memory running out. */
size_t pl_analysis_finding_count(const pl_analysis *a);
/* Number of counters judged at all (leak, running-out or ok): 0 means
 * nothing could be judged, which is no all-clear. */
size_t pl_analysis_judged_count(const pl_analysis *a);
/* When nothing could be judged (no counter selected, or none with enough
 * data of a kind that can leak): 1, with why in words ("the log covers
 * only 25 s; log at least 1 h to judge"). 0 otherwise. */
int pl_analysis_nothing_judged(const pl_analysis *a, char *why, size_t size);
/* Span from the first to the last row of every log read, in seconds
 * (0 when there are no rows). */
double pl_analysis_span_s(const pl_analysis *a);
/* Threads reading and judging a log may use: opts.threads when set, else
 * 2 when the machine has two cores or more, else 1. */
int pl_analysis_threads(const pl_analysis *a);
/* The ID Process series of c's instance (the same machine, object and
 * instance), or NULL when the log has none; c is one of a's counters,
 * and a has been through pl_analysis_detect (NULL before). Cannot fail. */
const pl_series *pl_analysis_process_id(const pl_analysis *a, const pl_counter *c);
/* The detection options the analysis judges with. */
const pl_detect_opts *pl_analysis_detect_opts(const pl_analysis *a);

/* opts.threads as given: the most threads any step may use, 0 when it is
 * left to the machine. */
int pl_analysis_jobs(const pl_analysis *a);
/* How many counters' charts a report set draws at most (opts.max_charts,
 * its default filled in); never 0. */
size_t pl_analysis_max_charts(const pl_analysis *a);

/* Whether c's finding grew from its first sample: its onset is within
 * the first hundredth of its span (then reports say "from the first
 * sample", not an onset at the log's start). */
int pl_analysis_onset_is_start(const pl_analysis *a, const pl_counter *c);
/* "since 2026-03-02 14:10" (at c's machine's offset, as
 * pl_analysis_time_text), or "from the first sample", as every report and
 * chart says it. */
void pl_analysis_onset_text(const pl_analysis *a, const pl_counter *c, char *buf, size_t size);

/* Counter indexes ordered for a report: findings (leaks, running-out),
 * most urgent first (the soonest to reach its limit, those without one
 * after; then the fastest growth per hour relative to its level), then
 * suspects (too short to judge, but growing as a leak does) by relative
 * change, then the rest in log order. Caller frees the array. PL_OK, or
 * PL_ENOMEM. */
int pl_analysis_order(const pl_analysis *a, size_t **order, pl_error *err);

#endif
