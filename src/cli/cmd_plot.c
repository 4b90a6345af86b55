/* cmd_plot.c - perfleak plot: every counter --counter selects on one
 * chart, PNG or SVG by the file's extension. */
#include <stdlib.h>
#include <string.h>
#include "cli/cli_internal.h"
#include "perfleak/output.h"
#include "perfleak/report.h"
#include "util/internal.h"

typedef struct plot_job {
    const pl_analysis *a;
    size_t *idx;
    size_t n;
    pl_chart_format fmt;
} plot_job;

static int write_plot(void *ctx, FILE *f, pl_error *err)
{
    const plot_job *j = ctx;
    return pl_chart_counters(j->a, j->idx, j->n, j->fmt, f, err);
}

/* The format -o's extension asks for, in any case; -1 for one plot does
 * not write. "-" (standard output) is PNG. */
static int format_of(const char *file)
{
    const char *dot = strrchr(file, '.'), *slash = strrchr(file, '/');
    if (strcmp(file, "-") == 0)
        return PL_CHART_PNG;
    if (!dot || (slash && dot < slash))
        return -1;
    if (pl_strcasecmp(dot, ".png") == 0)
        return PL_CHART_PNG;
    if (pl_strcasecmp(dot, ".svg") == 0)
        return PL_CHART_SVG;
    return -1;
}

static int plot_file(const pl_analysis *a, const char *file, FILE *out, pl_error *err)
{
    size_t n = pl_analysis_counter_count(a), i;
    plot_job j;
    int rc;
    if (n == 0) {
        err->code = PL_EUSAGE;
        snprintf(err->msg, sizeof err->msg, "no counter matched --counter; see `perfleak counters`");
        return PL_EUSAGE;
    }
    j.a = a;
    j.n = n;
    j.fmt = (pl_chart_format)format_of(file);
    if (!(j.idx = malloc(n * sizeof *j.idx))) {
        err->code = PL_ENOMEM;
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return PL_ENOMEM;
    }
    for (i = 0; i < n; i++)
        j.idx[i] = i;
    if (strcmp(file, "-") == 0) {
        rc = write_plot(&j, out, err);
        if (rc == PL_OK && (fflush(out) != 0 || ferror(out)))
            rc = pl_err(err, PL_EIO, "standard output: cannot write the chart");
        else if (rc == PL_EIO)
            pl_cli_name_stdout(out, rc, err); /* the one line names where */
    } else {
        rc = pl_write_atomic(file, write_plot, &j, err);
    }
    free(j.idx);
    return rc;
}

int pl_cli_plot(pl_cli *cli, char **logs, size_t n)
{
    pl_analysis *a = NULL;
    pl_error err = {0, ""};
    int rc;
    if (cli->n_include == 0 || !cli->output) {
        fprintf(cli->err, "perfleak: plot needs --counter PATTERN and -o FILE.png (or .svg)\n");
        return EXIT_TROUBLE;
    }
    if (format_of(cli->output) < 0) {
        fprintf(cli->err, "perfleak: %s: plot writes PNG (.png) or SVG (.svg), or PNG to - "
                          "(standard output)\n", cli->output);
        return EXIT_TROUBLE;
    }
    if (cli->format == PL_REPORT_JSONL) {
        fprintf(cli->err, "perfleak: --format jsonl is for analyze without -o\n");
        return EXIT_TROUBLE;
    }
    /* before anything is read: an output must not be an input */
    if ((rc = pl_output_check(cli->output, (const char *const *)logs, n, cli->force, &err)) ==
            PL_OK &&
        (rc = pl_cli_load(cli, logs, n, &a, &err)) == PL_OK &&
        (rc = pl_analysis_detect(a, &err)) == PL_OK)
        rc = plot_file(a, cli->output, cli->out, &err);
    return pl_cli_done(cli, a, rc, &err);
}
