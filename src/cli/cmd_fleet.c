/* cmd_fleet.c - perfleak fleet RECORDS...: the records `analyze -f jsonl`
 * wrote for many servers (on one machine or spread over many by GNU
 * Parallel, tools/fleet-run) read as one stream, "-" for standard input,
 * and said as the fleet report (fleet.h), on standard output and, with
 * -o DIR, as files. A line that is no record is reported and read past:
 * one killed run must not hide the others. */
#include <errno.h>
#include <string.h>
#include "cli/cli_internal.h"
#include "perfleak/fleet.h"
#include "perfleak/output.h"
#include "perfleak/report.h"
#include "util/internal.h"

static int read_one(pl_fleet *f, const char *path, FILE *stdin_f, pl_error *err)
{
    FILE *in = strcmp(path, "-") == 0 ? stdin_f : fopen(path, "rb");
    int rc;
    if (!in)
        return pl_err(err, PL_EIO, "%s: cannot open: %s", path, strerror(errno));
    rc = pl_fleet_read(f, in, strcmp(path, "-") == 0 ? "(standard input)" : path, err);
    if (in != stdin_f)
        fclose(in);
    return rc;
}

int pl_cli_fleet(pl_cli *cli, char **records, size_t n)
{
    pl_fleet *f = NULL;
    pl_fleet_opts o = {cli->min_servers};
    pl_error err = {0, ""}, dir_err = {0, ""};
    pl_report_format fmt = cli->format < 0 ? PL_REPORT_TEXT : (pl_report_format)cli->format;
    size_t i;
    int rc, dir_rc = PL_OK, status = EXIT_TROUBLE;
    if (fmt == PL_REPORT_JSONL) {
        fprintf(cli->err, "perfleak: fleet writes text, json, markdown or html\n");
        return EXIT_TROUBLE;
    }
    if (cli->output && (rc = pl_output_dir_check(cli->output, (const char *const *)records, n, &err)) != PL_OK) {
        pl_cli_error(cli->err, &err);
        return EXIT_TROUBLE;
    }
    rc = pl_fleet_create(&f, &o, &err);
    for (i = 0; rc == PL_OK && i < n; i++)
        rc = read_one(f, records[i], stdin, &err);
    if (rc == PL_OK)
        rc = pl_fleet_finish(f, &err);
    if (rc == PL_OK && cli->output)
        dir_rc = pl_fleet_write_dir(f, cli->output, &dir_err);
    if (rc == PL_OK && (rc = pl_fleet_write(f, fmt, cli->out, &err)) != PL_OK)
        pl_cli_name_stdout(cli->out, rc, &err);
    rc = pl_cli_dir_outcome(cli, rc, &err, dir_rc, &dir_err);
    if (rc == PL_OK) {
        const pl_fleet_totals *t = pl_fleet_get_totals(f);
        status = pl_fleet_status(f);
        if (!cli->warn.quiet && t->unreadable)
            fprintf(cli->err, "perfleak: %zu of the logs or lines could not be read; the report lists them\n",
                    t->unreadable);
    } else {
        pl_cli_error(cli->err, &err);
    }
    pl_fleet_free(f);
    return status;
}
