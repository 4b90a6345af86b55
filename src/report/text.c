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

/* The culprits and findings of machine m (NULL: all); *suspects counts
 * the suspects shown (at most MAX_SUSPECTS_SHOWN a section). */
static void text_section(FILE *out, const pl_analysis *a, const pl_report_ctx *rx, const char *m,
                         size_t *suspects)
{
    const pl_diagnosis *d = rx->d;
    size_t i, shown = 0;
    char line[1024];
    /* culprits first: what the per-counter lines below add up to */
    for (i = 0; i < pl_diagnosis_count(d); i++) {
        const pl_culprit_finding *f = pl_diagnosis_finding(d, i);
        char rates[512], more[512], next[640], both[1040];
        if (!pl_report_culprit_on(f, m))
            continue;
        pl_report_culprit_rates(f, rates, sizeof rates);
        pl_report_culprit_details(f, more, sizeof more);
        pl_report_next_step(f, next, sizeof next);
        snprintf(both, sizeof both, "%s%s%s", rates, rates[0] ? ", " : "", more);
        pl_visible_line(out, "CULPRIT ", f->summary);
        pl_visible_line(out, "     ", both);
        pl_visible_line(out, "     next: ", next);
        shown++;
    }
    if (shown)
        fputc('\n', out);
    for (i = 0, shown = 0; i < rx->s.shown; i++) {
        const pl_counter *c = pl_analysis_counter(a, rx->order[i]);
        const pl_finding *f = &c->finding;
        char one[768];
        if (!pl_report_on_machine(c, m))
            continue;
        if (f->suspect) {
            /* a long list of suspects in a short log would bury the summary */
            if ((*suspects)++ == MAX_SUSPECTS_SHOWN) {
                size_t left = 0, k;
                for (k = i; k < rx->s.shown; k++)
                    left += pl_report_on_machine(pl_analysis_counter(a, rx->order[k]), m);
                fprintf(out, "... and %zu more suspects (-f json lists them)\n", left);
                break;
            }
            pl_visible_line(out, "SUSPECT ", c->label);
            pl_visible_line(out, "     ", f->reason);
            shown++;
            continue;
        }
        pl_report_finding_line(a, c, one, sizeof one);
        fprintf(out, "%s ", pl_report_verdict_heading(f));
        pl_visible_line(out, "", c->label);
        pl_visible_line(out, "     ", one);
        pl_report_eta_text(a, c, line, sizeof line);
        if (line[0])
            pl_visible_line(out, f->verdict == PL_VERDICT_RUNNING_OUT ? "     reaches " : "     limit ", line);
        shown++;
    }
    if (shown)
        fputc('\n', out);
}

int pl_report_text(const pl_result *r, FILE *out, pl_error *err)
{
    const pl_analysis *a = r->analysis;
    pl_report_ctx rx;
    const pl_diagnosis *d;
    size_t i, suspects = 0;
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
    if (rx.m.n > 1) {
        /* a section a machine, each in its own time zone */
        for (i = 0; i < rx.m.n; i++) {
            if (!pl_report_machine_has(a, &rx, rx.m.names[i]))
                continue;
            pl_report_machine_heading(a, rx.m.names[i], line, sizeof line);
            pl_visible_line(out, "SERVER ", line);
            suspects = 0;
            text_section(out, a, &rx, rx.m.names[i], &suspects);
        }
    } else {
        text_section(out, a, &rx, NULL, &suspects);
    }
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
