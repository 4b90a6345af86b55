/* text.c - the report on a terminal: findings first, one block each.
 * Every line that holds a name from the log is written through
 * pl_visible_line: an escape sequence in a machine name must not clear
 * the screen or print a fake verdict over a real one. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_internal.h"
#include "perfleak/units.h"
#include "util/internal.h"

#define MAX_SUSPECTS_SHOWN 10

int pl_report_text(const pl_result *r, FILE *out, pl_error *err)
{
    const pl_analysis *a = r->analysis;
    pl_report_ctx rx;
    const pl_diagnosis *d;
    size_t i;
    int rc;
    char line[1024];
    if ((rc = pl_report_ctx_init(r, &rx, err)) != PL_OK)
        return rc;
    d = rx.d;
    for (i = 0; i < pl_analysis_log_count(a); i++) {
        pl_report_log_line(pl_analysis_log(a, i), line, sizeof line);
        pl_visible_line(out, "log  ", line);
    }
    fputc('\n', out);
    /* culprits first: what the per-counter lines below add up to */
    for (i = 0; i < pl_diagnosis_count(d); i++) {
        const pl_culprit_finding *f = pl_diagnosis_finding(d, i);
        char rates[512], more[512], next[640];
        pl_report_culprit_rates(f, rates, sizeof rates);
        pl_report_culprit_details(f, more, sizeof more);
        pl_report_next_step(f, next, sizeof next);
        char both[1040];
        snprintf(both, sizeof both, "%s%s%s", rates, rates[0] ? ", " : "", more);
        pl_visible_line(out, "CULPRIT ", f->summary);
        pl_visible_line(out, "     ", both);
        pl_visible_line(out, "     next: ", next);
    }
    if (pl_diagnosis_count(d))
        fputc('\n', out);
    for (i = 0; i < rx.s.shown; i++) {
        const pl_counter *c = pl_analysis_counter(a, rx.order[i]);
        const pl_finding *f = &c->finding;
        char one[768];
        if (f->suspect) {
            /* a long list of suspects in a short log would bury the summary */
            if (i == rx.s.findings + MAX_SUSPECTS_SHOWN) {
                fprintf(out, "... and %zu more suspects (-f json lists them)\n",
                        rx.s.shown - i);
                break;
            }
            pl_visible_line(out, "SUSPECT ", c->label);
            pl_visible_line(out, "     ", f->reason);
            continue;
        }
        pl_report_finding_line(a, c, one, sizeof one);
        fprintf(out, "%s ", pl_report_verdict_heading(f));
        pl_visible_line(out, "", c->label);
        pl_visible_line(out, "     ", one);
        pl_report_eta_text(a, c, line, sizeof line);
        if (line[0])
            pl_visible_line(out, f->verdict == PL_VERDICT_RUNNING_OUT ? "     reaches " : "     limit ", line);
    }
    if (rx.s.shown)
        fputc('\n', out);
    pl_report_summary_sentence(a, &rx.s, "", line, sizeof line);
    pl_visible_line(out, "", line);
    pl_report_culprits_sentence(d, line, sizeof line);
    if (line[0])
        pl_visible_line(out, "", line);
    if (pl_report_left_out_sentence(a, line, sizeof line))
        pl_visible_line(out, "", line);
    pl_report_ctx_clear(&rx);
    return PL_OK;
}
