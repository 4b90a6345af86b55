/* cmd_analyze.c - perfleak analyze: judge the counters and report, to
 * standard output and, with -o DIR, as a set of files; with -f jsonl,
 * each log on its own, a JSON record per line. */
#include "cli/cli_internal.h"
#include "perfleak/diagnose.h"
#include "perfleak/batch.h"
#include "perfleak/output.h"
#include "perfleak/report.h"

static int fleet(pl_cli *cli, char **logs, size_t n)
{
    pl_batch_summary sum;
    pl_error err = {0, ""};
    pl_analysis_opts *o = pl_cli_analysis_opts(cli);
    if (cli->output) {
        fprintf(cli->err, "perfleak: --format jsonl is for analyze without -o\n");
        return EXIT_TROUBLE;
    }
    o->progress = NULL; /* several logs at once: no single line to draw */
    /* each record names its own log, not every other of the run: 10 000
     * logs would write their paths 10 000 times */
    if (pl_cli_keep_options(cli, logs, n) != 0) {
        fprintf(cli->err, "perfleak: out of memory\n");
        return EXIT_TROUBLE;
    }
    pl_cli_run_record(cli);
    if (pl_batch_run((const char *const *)logs, n, o, cli->jobs, cli->out, &sum, &err) != PL_OK) {
        pl_cli_error(cli->err, &err);
        return EXIT_TROUBLE;
    }
    return sum.failed ? EXIT_TROUBLE : sum.leaky ? EXIT_LEAK :
           sum.unjudged ? EXIT_NOTHING_JUDGED : EXIT_NO_LEAK;
}

int pl_cli_analyze(pl_cli *cli, char **logs, size_t n)
{
    pl_analysis *a = NULL;
    pl_diagnosis *d = NULL;
    pl_result r;
    pl_error err = {0, ""}, dir_err = {0, ""};
    int rc, dir_rc = PL_OK, status = EXIT_TROUBLE;
    pl_report_format fmt = cli->format < 0 ? PL_REPORT_TEXT : (pl_report_format)cli->format;
    if (fmt == PL_REPORT_JSONL)
        return fleet(cli, logs, n);
    /* before anything is read: an output must not be an input */
    if (cli->output && (rc = pl_output_dir_check(cli->output, (const char *const *)logs, n,
                                                 &err)) != PL_OK)
        goto fail;
    if ((rc = pl_cli_load(cli, logs, n, &a, &err)) != PL_OK)
        goto fail;
    if ((rc = pl_analysis_detect(a, &err)) != PL_OK || (rc = pl_diagnose(a, &d, &err)) != PL_OK)
        goto fail;
    r.analysis = a;
    r.diagnosis = d;
    /* A folder that cannot be written (full, read-only) loses the files,
     * not the findings: they still go to standard output, then the error. */
    if (cli->output)
        dir_rc = pl_report_write_dir(&r, cli->output, cli->charts, &dir_err);
    if ((rc = fmt == PL_REPORT_TEXT ? pl_cli_write_text(cli, &r, &err)
                                    : pl_report_write(&r, fmt, cli->out, &err)) != PL_OK) {
        pl_cli_name_stdout(cli->out, rc, &err);
        if (dir_rc != PL_OK)
            pl_cli_error(cli->err, &dir_err);
        goto fail;
    }
    if (dir_rc != PL_OK) {
        err = dir_err;
        goto fail;
    }
    status = pl_analysis_finding_count(a) || pl_diagnosis_count(d) ? EXIT_LEAK :
             pl_analysis_judged_count(a) ? EXIT_NO_LEAK : EXIT_NOTHING_JUDGED;
    goto done;
fail:
    pl_cli_error(cli->err, &err);
done:
    pl_diagnosis_free(d);
    pl_analysis_free(a);
    return status;
}
