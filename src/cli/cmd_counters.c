/* cmd_counters.c - perfleak counters: every counter of the logs with its
 * samples, first and last time, minimum, maximum and last value. */
#include "cli/cli_internal.h"
#include "perfleak/report.h"

int pl_cli_counters(pl_cli *cli, char **logs, size_t n)
{
    pl_analysis *a = NULL;
    pl_error err = {0, ""};
    int rc;
    pl_report_format fmt = cli->format < 0 ? PL_REPORT_TEXT : (pl_report_format)cli->format;
    if (fmt == PL_REPORT_MARKDOWN || fmt == PL_REPORT_HTML) {
        fprintf(cli->err, "perfleak: counters writes text or json\n");
        return EXIT_TROUBLE;
    }
    if (fmt == PL_REPORT_JSONL) {
        fprintf(cli->err, "perfleak: --format jsonl is for analyze without -o\n");
        return EXIT_TROUBLE;
    }
    /* a listing shows every counter */
    if (cli->n_include == 0 && pl_cli_push(&cli->include, &cli->n_include, &cli->cap_include, "*")) {
        fprintf(cli->err, "perfleak: out of memory\n");
        return EXIT_TROUBLE;
    }
    if ((rc = pl_cli_load(cli, logs, n, &a, &err)) == PL_OK &&
        (rc = pl_counters_write(a, fmt, cli->out, &err)) != PL_OK)
        pl_cli_name_stdout(cli->out, rc, &err);
    return pl_cli_done(cli, a, rc, &err);
}
