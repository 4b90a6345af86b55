/* load.c - what analyze, counters and plot start with: the analysis the
 * options describe, with the logs read into it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli_internal.h"
#include "util/internal.h"

pl_analysis_opts *pl_cli_analysis_opts(pl_cli *cli)
{
    pl_analysis_opts *o = &cli->analysis;
    o->include = cli->include;
    o->n_include = cli->n_include;
    o->exclude = cli->exclude;
    o->n_exclude = cli->n_exclude;
    o->limits = cli->limits;
    o->n_limits = cli->n_limits;
    o->warn = pl_cli_warning;
    o->warn_ctx = &cli->warn;
    o->threads = cli->jobs;
    return o;
}

int pl_cli_done(pl_cli *cli, pl_analysis *a, int rc, const pl_error *err)
{
    if (rc != PL_OK)
        pl_cli_error(cli->err, err);
    pl_analysis_free(a);
    return rc == PL_OK ? EXIT_NO_LEAK : EXIT_TROUBLE;
}

/* The command line as a shell would take it back (pl_shell_word), for
 * the reports, leaving out the words in skip[0..nskip) (the logs of a
 * run whose records each name their own); the program is called perfleak
 * whatever path ran it. */
static char *command_line(int argc, char **argv, char *const *skip, size_t nskip)
{
    char *buf = NULL;
    size_t n = 0, cap = 0, k;
    int i;
    if (pl_append(&buf, &n, &cap, "perfleak", 8) != 0)
        return NULL;
    for (i = 1; i < argc; i++) {
        for (k = 0; k < nskip && skip[k] != argv[i]; k++)
            ;
        if (k == nskip && pl_shell_word(&buf, &n, &cap, argv[i]) != 0)
            goto oom;
    }
    if (pl_append(&buf, &n, &cap, "", 1) != 0)
        goto oom;
    return buf;
oom:
    free(buf);
    return NULL;
}

/* When the run happened: SOURCE_DATE_EPOCH when set (so that reports made
 * again are the same bytes, as reproducible builds do), else the clock. */
static long long run_time(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long t;
    if (e && *e) {
        errno = 0;
        t = strtoll(e, &end, 10);
        if (!*end && !errno && t > 0)
            return t;
    }
    return (long long)time(NULL);
}

int pl_cli_keep_command(pl_cli *cli, int argc, char **argv)
{
    free(cli->run_command);
    cli->argc_all = argc;
    cli->argv_all = argv;
    return (cli->run_command = command_line(argc, argv, NULL, 0)) ? 0 : -1;
}

int pl_cli_keep_options(pl_cli *cli, char *const *logs, size_t n)
{
    char *c = command_line(cli->argc_all, cli->argv_all, logs, n);
    if (!c)
        return -1;
    free(cli->run_command);
    cli->run_command = c;
    return 0;
}

void pl_cli_run_record(pl_cli *cli)
{
    cli->analysis.run_command = cli->run_command;
    cli->analysis.run_time = run_time();
}

int pl_cli_load(pl_cli *cli, char **logs, size_t n, pl_analysis **out, pl_error *err)
{
    pl_analysis_opts *o = pl_cli_analysis_opts(cli);
    size_t i;
    int rc;
    *out = NULL;
    pl_cli_progress_init(&cli->progress, cli->err, cli->warn.quiet);
    o->progress = pl_cli_progress_show;
    o->progress_ctx = &cli->progress;
    pl_cli_run_record(cli);
    if ((rc = pl_analysis_create(out, o, err)) != PL_OK)
        return rc;
    for (i = 0; i < n; i++) {
        rc = pl_analysis_read_file(*out, logs[i], err);
        pl_cli_progress_clear(&cli->progress);
        if (rc != PL_OK)
            return rc;
    }
    return PL_OK;
}
