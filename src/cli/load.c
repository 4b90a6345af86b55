/* load.c - what analyze, counters and plot start with: the analysis the
 * options describe, with the logs read into it. */
#include "cli/cli_internal.h"

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

int pl_cli_load(pl_cli *cli, char **logs, size_t n, pl_analysis **out, pl_error *err)
{
    pl_analysis_opts *o = pl_cli_analysis_opts(cli);
    size_t i;
    int rc;
    *out = NULL;
    pl_cli_progress_init(&cli->progress, cli->err, cli->warn.quiet);
    o->progress = pl_cli_progress_show;
    o->progress_ctx = &cli->progress;
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
