/* cmd_compare.c - perfleak compare BEFORE... vs AFTER...: did the fix
 * work. Each side is read, judged and diagnosed as analyze does; the
 * culprits are set against each other (compare.h). */
#include <string.h>
#include "cli/cli_internal.h"
#include "perfleak/compare.h"
#include "perfleak/report.h"

/* One side: its logs read, judged and diagnosed. */
static int side(pl_cli *cli, char **logs, size_t n, pl_analysis **a, pl_diagnosis **d, pl_error *err)
{
    int rc = pl_cli_load(cli, logs, n, a, err);
    if (rc == PL_OK)
        rc = pl_analysis_detect(*a, err);
    if (rc == PL_OK)
        rc = pl_diagnose(*a, d, err);
    return rc;
}

int pl_cli_compare(pl_cli *cli, char **logs, size_t n)
{
    pl_analysis *a[2] = {NULL, NULL};
    pl_diagnosis *d[2] = {NULL, NULL};
    pl_compare *c = NULL;
    pl_error err = {0, ""};
    size_t sep = n, i;
    int rc = PL_OK, status = EXIT_TROUBLE;
    pl_report_format fmt = cli->format < 0 ? PL_REPORT_TEXT : (pl_report_format)cli->format;
    /* BEFORE... vs AFTER...; two logs alone are one each */
    for (i = 0; i < n; i++)
        if (strcmp(logs[i], "vs") == 0)
            sep = i;
    if (sep == n && n == 2)
        sep = 1;
    else if (sep == n || sep == 0 || sep + 1 == n) {
        fprintf(cli->err, "perfleak: compare takes BEFORE AFTER, or BEFORE... vs AFTER...\n");
        return EXIT_TROUBLE;
    }
    if (fmt == PL_REPORT_HTML) {
        fprintf(cli->err, "perfleak: compare writes text, json or markdown\n");
        return EXIT_TROUBLE;
    }
    if ((rc = side(cli, logs, sep, &a[0], &d[0], &err)) == PL_OK)
        rc = side(cli, logs + sep + (strcmp(logs[sep], "vs") == 0), n - sep - (strcmp(logs[sep], "vs") == 0),
                  &a[1], &d[1], &err);
    if (rc == PL_OK) {
        pl_result before = {a[0], d[0]}, after = {a[1], d[1]};
        rc = pl_compare_create(&c, &before, &after, &err);
    }
    if (rc == PL_OK && (rc = pl_compare_write(c, fmt, cli->out, &err)) != PL_OK)
        pl_cli_name_stdout(cli->out, rc, &err);
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
