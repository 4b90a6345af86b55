/* analysis.c - an analysis' life: its options, its warnings, the record
 * of the run, and freeing it all. Reading logs into it is ingest.c's,
 * judging judge.c's, answering questions about it results.c's. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis_internal.h"
#include "detect/stats.h"
#include "perfleak/import.h"
#include "perfleak/units.h"
#include "perfleak/counters.h"
#include "util/internal.h"

static char **copy_patterns(const char *const *p, size_t n)
{
    char **c = calloc(n ? n : 1, sizeof *c);
    size_t i;
    if (!c)
        return NULL;
    for (i = 0; i < n; i++) {
        if (!(c[i] = pl_strdup(p[i]))) {
            while (i--)
                free(c[i]);
            free(c);
            return NULL;
        }
    }
    return c;
}

/* Every warning goes to the caller as it comes and is kept for the
 * reports, split into the log it names, its line or offset, and text. */
static void record_warning(void *ctx, const char *msg)
{
    pl_analysis *a = ctx;
    const char *file = a->in.cur ? a->in.cur->file : NULL, *p = msg;
    pl_warning w;
    size_t fl;
    if (a->user_warn)
        a->user_warn(a->user_warn_ctx, msg);
    if (a->nwarnings >= PL_MAX_WARNINGS) {
        a->warnings_dropped++;
        return;
    }
    memset(&w, 0, sizeof w);
    if (file && (fl = strlen(file)) && strncmp(p, file, fl) == 0 && p[fl] == ':' &&
        (p[fl + 1] == ' ' || (p[fl + 1] >= '0' && p[fl + 1] <= '9'))) {
        char *end;
        p += fl + 1;
        if (*p >= '0' && *p <= '9') { /* "FILE:LINE: text", as the text readers say it */
            w.line = strtoull(p, &end, 10);
            if (*end == ':') {
                p = end + 1 + (end[1] == ' ');
            } else {
                w.line = 0;
                p = msg + fl + 1;
            }
        }
        p += *p == ' ';
        if (w.line) {
            /* done */
        } else if (strncmp(p, "line ", 5) == 0 && p[5] >= '0' && p[5] <= '9') {
            w.line = strtoull(p + 5, &end, 10);
            if (end[0] == ':' && end[1] == ' ')
                p = end + 2;
            else
                w.line = 0;
        } else if (strncmp(p, "offset 0x", 9) == 0) {
            w.offset = strtoull(p + 9, &end, 16);
            if (end[0] == ':' && end[1] == ' ') {
                w.has_offset = 1;
                p = end + 2;
            }
        }
        if (!(w.file = pl_strdup(file))) {
            a->warn_oom = 1;
            return;
        }
    } else {
        file = NULL;
    }
    if (!(w.text = pl_strdup(p)) ||
        pl_grow(&a->warnings, &a->capwarnings, a->nwarnings + 1, sizeof *a->warnings) != 0) {
        free((char *)(uintptr_t)w.file);
        free((char *)(uintptr_t)w.text);
        a->warn_oom = 1; /* a report without it would be silently short */
        return;
    }
    a->warnings[a->nwarnings++] = w;
}

void pl_analysis_opts_init(pl_analysis_opts *o)
{
    memset(o, 0, sizeof *o);
    pl_detect_opts_init(&o->detect);
}

int pl_analysis_create(pl_analysis **out, const pl_analysis_opts *opts, pl_error *err)
{
    pl_analysis *a = calloc(1, sizeof *a);
    size_t i;
    int rc;
    *out = NULL;
    if (!a)
        return pl_err(err, PL_ENOMEM, "out of memory");
    if (opts)
        a->opts = *opts;
    else
        pl_analysis_opts_init(&a->opts);
    a->user_warn = a->opts.warn;
    a->user_warn_ctx = a->opts.warn_ctx;
    a->opts.warn = record_warning;
    a->opts.warn_ctx = a;
    a->include = copy_patterns(a->opts.include, a->opts.n_include);
    a->exclude = copy_patterns(a->opts.exclude, a->opts.n_exclude);
    a->opts.encoding = a->opts.encoding ? pl_strdup(a->opts.encoding) : NULL;
    a->limit_pat = copy_patterns(a->opts.limits, a->opts.n_limits);
    a->limit_val = calloc(a->opts.n_limits ? a->opts.n_limits : 1, sizeof *a->limit_val);
    if (!a->include || !a->exclude || !a->limit_pat || !a->limit_val ||
        (opts && opts->encoding && !a->opts.encoding)) {
        pl_analysis_free(a);
        return pl_err(err, PL_ENOMEM, "out of memory");
    }
    for (i = 0; i < a->opts.n_limits; i++) {
        char *eq = strrchr(a->limit_pat[i], '=');
        if (!eq || eq == a->limit_pat[i] || pl_parse_size(eq + 1, &a->limit_val[i])) {
            rc = pl_err(err, PL_EUSAGE,
                        "a limit takes COUNTER=VALUE, e.g. 'Memory\\Pool Paged Bytes=2GB', got '%s'",
                        a->opts.limits[i]);
            pl_analysis_free(a);
            return rc;
        }
        *eq = '\0';
    }
    if ((rc = pl_window_parse(&a->window, a->opts.begin, a->opts.end, err)) != PL_OK) {
        pl_analysis_free(a);
        return rc;
    }
    a->opts.begin = a->opts.end = NULL; /* the caller's strings: not kept */
    if ((rc = pl_analysis_set_run(a, a->opts.run_command, a->opts.run_time, err)) != PL_OK) {
        pl_analysis_free(a);
        return rc;
    }
    a->opts.run_command = NULL;
    a->sel.include = (const char *const *)a->include;
    a->sel.n_include = a->opts.n_include;
    a->sel.exclude = (const char *const *)a->exclude;
    a->sel.n_exclude = a->opts.n_exclude;
    if ((rc = pl_store_create(&a->store, a->opts.max_buckets, err)) != PL_OK) {
        pl_analysis_free(a);
        return rc;
    }
    *out = a;
    return PL_OK;
}

int pl_analysis_set_run(pl_analysis *a, const char *command, long long unix_time, pl_error *err)
{
    char *c = NULL;
    if (command && !(c = pl_utf8_sanitize(command, strlen(command))))
        return pl_err(err, PL_ENOMEM, "out of memory");
    free(a->run_command);
    a->run_command = c;
    a->run_time = unix_time;
    return PL_OK;
}

const char *pl_analysis_run_command(const pl_analysis *a)
{
    return a->run_command;
}

long long pl_analysis_run_time(const pl_analysis *a)
{
    return a->run_time;
}

void pl_analysis_free(pl_analysis *a)
{
    size_t i;
    if (!a)
        return;
    for (i = 0; a->include && i < a->opts.n_include; i++)
        free(a->include[i]);
    for (i = 0; a->exclude && i < a->opts.n_exclude; i++)
        free(a->exclude[i]);
    for (i = 0; a->limit_pat && i < a->opts.n_limits; i++)
        free(a->limit_pat[i]);
    free(a->include);
    free(a->exclude);
    free(a->limit_pat);
    free(a->limit_val);
    free((char *)(uintptr_t)a->opts.encoding);
    free(a->run_command);
    for (i = 0; i < a->nlogs; i++)
        pl_log_info_clear(&a->logs[i]);
    free(a->logs);
    for (i = 0; i < a->ncounters; i++) {
        free(a->counters[i].path);
        free(a->counters[i].path_en);
        free(a->counters[i].label);
        pl_path_clear(&a->counters[i].parts);
    }
    free(a->counters);
    for (i = 0; i < a->nwarnings; i++) {
        free((char *)(uintptr_t)a->warnings[i].file);
        free((char *)(uintptr_t)a->warnings[i].text);
    }
    free(a->warnings);
    pl_strmap_clear(&a->by_path);
    pl_strmap_clear(&a->commit_limit);
    pl_strmap_clear(&a->process_id);
    free(a->pid_of);
    pl_strmap_clear(&a->seen_paths);
    pl_strmap_clear(&a->left_out);
    pl_strmap_clear(&a->app_pools);
    pl_store_free(a->store);
    pl_ingest_clear(a);
    free(a);
}

