/* cmd_convert.c - perfleak convert: relog's CSV/TSV export, to standard
 * output or -o OUT. */
#include <string.h>
#include "cli/cli_internal.h"
#include "perfleak/convert.h"
#include "perfleak/output.h"

typedef struct convert_job {
    const char *const *logs;
    size_t n;
    const pl_convert_opts *o;
} convert_job;

static int write_convert(void *ctx, FILE *f, pl_error *err)
{
    const convert_job *j = ctx;
    return pl_convert(j->logs, j->n, j->o, f, err);
}

int pl_cli_convert(pl_cli *cli, char **logs, size_t n)
{
    pl_convert_opts o;
    pl_error err = {0, ""};
    const char *file = cli->output;
    convert_job j;
    int rc;
    pl_convert_opts_init(&o);
    o.delimiter = cli->delimiter;
    o.encoding = cli->analysis.encoding;
    o.begin = cli->analysis.begin;
    o.end = cli->analysis.end;
    o.every = cli->every;
    o.max_expand = cli->analysis.max_expand;
    o.include = cli->include;
    o.n_include = cli->n_include;
    o.exclude = cli->exclude;
    o.n_exclude = cli->n_exclude;
    o.warn = pl_cli_warning;
    o.warn_ctx = &cli->warn;
    o.out_name = file && strcmp(file, "-") != 0 ? file : NULL;
    pl_cli_progress_init(&cli->progress, cli->err, cli->warn.quiet);
    o.progress = pl_cli_progress_show;
    o.progress_ctx = &cli->progress;
    j.logs = (const char *const *)logs;
    j.n = n;
    j.o = &o;
    if (cli->list) {
        /* relog -q: what a conversion would take, nothing written */
        if (cli->output) {
            fputs("perfleak: --list writes no log; -o has nothing to take\n", cli->err);
            return EXIT_TROUBLE;
        }
        if ((rc = pl_convert_list(j.logs, j.n, &o, cli->out, &err)) != PL_OK) {
            pl_cli_error(cli->err, &err);
            return EXIT_TROUBLE;
        }
        return pl_cli_flushed(cli);
    }
    if (file && (rc = pl_output_check(file, j.logs, j.n, cli->force, &err)) != PL_OK) {
        pl_cli_error(cli->err, &err);
        return EXIT_TROUBLE;
    }
    rc = o.out_name ? pl_write_atomic(file, write_convert, &j, &err)
                    : pl_convert(j.logs, j.n, &o, cli->out, &err);
    pl_cli_progress_clear(&cli->progress);
    if (rc != PL_OK) {
        pl_cli_error(cli->err, &err);
        return EXIT_TROUBLE;
    }
    return EXIT_NO_LEAK;
}
