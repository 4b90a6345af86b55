/* cmd_compare.c - perfleak compare BEFORE... vs AFTER...: did the fix
 * work. Each side is read, judged and diagnosed as analyze does, in its
 * own window when one is given; the culprits are set against each other
 * (compare.h), said on standard output and, with -o DIR, as files. */
#include <string.h>
#include "cli/cli_internal.h"
#include "perfleak/compare.h"
#include "perfleak/output.h"
#include "perfleak/report.h"

/* One side (0 before, 1 after): its logs read in its window, judged and
 * diagnosed. */
static int side(pl_cli *cli, int which, char **logs, size_t n, pl_analysis **a, pl_diagnosis **d, pl_error *err)
{
    const char *begin = cli->analysis.begin, *end = cli->analysis.end;
    int rc;
    if (cli->side_begin[which])
        cli->analysis.begin = cli->side_begin[which];
    if (cli->side_end[which])
        cli->analysis.end = cli->side_end[which];
    rc = pl_cli_load(cli, logs, n, a, err);
    cli->analysis.begin = begin;
    cli->analysis.end = end;
    if (rc == PL_OK)
        rc = pl_analysis_detect(*a, err);
    if (rc == PL_OK)
        rc = pl_diagnose(*a, d, err);
    return rc;
}

/* Where BEFORE ends and AFTER starts: "vs" between them, or two logs
 * alone; 0 when the command line has neither. */
static int split(char **logs, size_t n, size_t *nb, size_t *first_after)
{
    size_t i, sep = n;
    for (i = 0; i < n; i++)
        if (strcmp(logs[i], "vs") == 0)
            sep = i;
    if (sep < n && sep > 0 && sep + 1 < n) {
        *nb = sep;
        *first_after = sep + 1;
        return 1;
    }
    if (sep == n && n == 2) {
        *nb = 1;
        *first_after = 1;
        return 1;
    }
    return 0;
}

int pl_cli_compare(pl_cli *cli, char **logs, size_t n)
{
    pl_analysis *a[2] = {NULL, NULL};
    pl_diagnosis *d[2] = {NULL, NULL};
    pl_compare *c = NULL;
    pl_error err = {0, ""}, dir_err = {0, ""};
    size_t nb = 0, fa = 0, i;
    int rc = PL_OK, dir_rc = PL_OK, status = EXIT_TROUBLE;
    pl_report_format fmt = cli->format < 0 ? PL_REPORT_TEXT : (pl_report_format)cli->format;
    if (!split(logs, n, &nb, &fa)) {
        fprintf(cli->err, "perfleak: compare takes BEFORE AFTER, or BEFORE... vs AFTER...\n");
        return EXIT_TROUBLE;
    }
    if (fmt == PL_REPORT_JSONL) {
        fprintf(cli->err, "perfleak: compare writes text, json, markdown or html\n");
        return EXIT_TROUBLE;
    }
    /* before anything is read: an output must not be an input */
    if (cli->output && (rc = pl_output_dir_check(cli->output, (const char *const *)logs, n, &err)) != PL_OK) {
        pl_cli_error(cli->err, &err);
        return EXIT_TROUBLE;
    }
    if ((rc = side(cli, 0, logs, nb, &a[0], &d[0], &err)) == PL_OK)
        rc = side(cli, 1, logs + fa, n - fa, &a[1], &d[1], &err);
    if (rc == PL_OK) {
        pl_result before = {a[0], d[0]}, after = {a[1], d[1]};
        rc = pl_compare_create(&c, &before, &after, &err);
    }
    /* as analyze: a folder that cannot be written loses the files, not
     * the verdicts */
    if (rc == PL_OK && cli->output)
        dir_rc = pl_compare_write_dir(c, cli->output, &dir_err);
    if (rc == PL_OK && (rc = pl_compare_write(c, fmt, cli->out, &err)) != PL_OK)
        pl_cli_name_stdout(cli->out, rc, &err);
    rc = pl_cli_dir_outcome(cli, rc, &err, dir_rc, &dir_err);
    if (rc == PL_OK)
        status = pl_compare_status(c);
    else
        pl_cli_error(cli->err, &err);
    pl_compare_free(c);
    for (i = 0; i < 2; i++) {
        pl_diagnosis_free(d[i]);
        pl_analysis_free(a[i]);
    }
    return status;
}
