/* markdown.c - the report as Markdown, for a ticket. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "perfleak/plot.h"
#include "report/report_internal.h"
#include "perfleak/units.h"
#include "util/internal.h"

/* Text from a log outside code: every character CommonMark or a table
 * acts on within a line is escaped (a name cannot open a link, an image,
 * emphasis, a code span or a cell), '<' and '&' become entities (no raw
 * HTML, no autolink), and controls and newlines are visible escapes: a
 * name never ends a line, so nothing it holds starts one (a heading, a
 * list, a block). */
static void md_escape(FILE *out, const char *s);

void pl_report_md_text(FILE *out, const char *s)
{
    md_escape(out, s);
}

static void md_escape(FILE *out, const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        char esc[12];
        size_t k = pl_visible_next(s + i, n - i, esc);
        if (esc[0]) {
            fputc('\\', out); /* "\x1b": the backslash shown, not acted on */
            fputs(esc, out);
        } else if (s[i] == '<') {
            fputs("&lt;", out);
        } else if (s[i] == '&') {
            fputs("&amp;", out);
        } else if (k == 1 && strchr("\\`*_[]!|~", s[i])) {
            fputc('\\', out);
            fputc(s[i], out);
        } else {
            fwrite(s + i, 1, k, out);
        }
        i += k;
    }
}

/* s as a code span: fenced by one backtick more than the longest run in
 * it, padded when it starts or ends with one; in a table cell a '|' is
 * escaped (tables split cells on it even inside code). Controls are
 * visible escapes, which code shows as written. */
static void md_code(FILE *out, const char *s, int in_table)
{
    size_t n = strlen(s), i = 0, run = 0, longest = 0, j;
    int pad;
    for (j = 0; j < n; j++) {
        run = s[j] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    pad = n && (s[0] == '`' || s[n - 1] == '`' || s[0] == ' ');
    for (j = 0; j <= longest; j++)
        fputc('`', out);
    if (pad)
        fputc(' ', out);
    while (i < n) {
        char esc[12];
        size_t k = pl_visible_next(s + i, n - i, esc);
        if (esc[0])
            fputs(esc, out);
        else if (in_table && s[i] == '|')
            fputs("\\|", out);
        else
            fwrite(s + i, 1, k, out);
        i += k;
    }
    if (pad)
        fputc(' ', out);
    for (j = 0; j <= longest; j++)
        fputc('`', out);
}

/* One culprit of the list, numbered n. */
static void md_culprit(FILE *out, const pl_culprit_finding *f, size_t n)
{
    char rates[512], more[512], next[640];
    size_t j;
    pl_report_culprit_rates(f, rates, sizeof rates);
    pl_report_culprit_details(f, more, sizeof more);
    pl_report_next_step(f, next, sizeof next);
    fprintf(out, "%zu. **", n);
    md_escape(out, f->summary);
    fprintf(out, "**: ");
    md_escape(out, rates);
    fprintf(out, "%s", rates[0] ? ", " : "");
    md_escape(out, more);
    fprintf(out, ".  \n   Evidence:");
    for (j = 0; j < f->ncounters; j++) {
        fprintf(out, "%s ", j ? "," : "");
        md_code(out, f->counters[j], 0);
    }
    fprintf(out, ".  \n   Next step: ");
    md_escape(out, next);
    fprintf(out, "\n");
}

/* The counter table's header. */
static void md_table_head(FILE *out)
{
    fprintf(out, "\n| Verdict | Counter | Growth | Rate | Rate, 95 %% interval | Since | Limit | Why |\n");
    fprintf(out, "|---|---|---|---|---|---|---|---|\n");
}

/* Rows of the counter table at most: report.md is pasted into tickets,
 * and a ticket of 100 000 rows is none; report.html and report.json hold
 * every counter. */
#define MD_MAX_ROWS 1000

int pl_report_markdown(const pl_result *r, FILE *out, pl_chart_set charts, pl_error *err)
{
    const pl_analysis *a = r->analysis;
    pl_report_ctx rx;
    const pl_diagnosis *d;
    size_t i, charted, left, sec, rows;
    int rc;
    char line[1024];
    if ((rc = pl_report_ctx_init(r, &rx, err)) != PL_OK)
        return rc;
    d = rx.d;
    pl_report_summary_sentence(a, &rx.s, "**", line, sizeof line);
    fprintf(out, "# perfleak report\n\n%s\n\n", line);
    if (pl_analysis_warning_count(a)) {
        /* what the reading had to guess or leave out, before any finding */
        fprintf(out, "## Caveats\n\n");
        for (i = 0; i < pl_analysis_warning_count(a); i++) {
            char w[1200];
            pl_report_warning_line(pl_analysis_warning(a, i), w, sizeof w);
            fprintf(out, "- ");
            md_escape(out, w);
            fputc('\n', out);
        }
        if (pl_analysis_warnings_dropped(a))
            fprintf(out, "- and %zu more warnings\n", pl_analysis_warnings_dropped(a));
        fputc('\n', out);
    }
    if (pl_diagnosis_count(d))
        fprintf(out, "## Culprits\n\n");
    /* the most urgent culprits, as many as report.html shows; a section a
     * machine when there are several */
    for (sec = 0, i = 0; sec < (rx.m.n > 1 ? rx.m.n : 1); sec++) {
        const char *m = rx.m.n > 1 ? rx.m.names[sec] : NULL;
        size_t k, shown = 0;
        for (k = 0; k < pl_diagnosis_count(d) && i < pl_analysis_max_charts(a); k++) {
            const pl_culprit_finding *f = pl_diagnosis_finding(d, k);
            if (!pl_report_culprit_on(f, m))
                continue;
            if (m && shown++ == 0) {
                pl_report_machine_heading(a, m, line, sizeof line);
                fprintf(out, "%s### ", i ? "\n" : "");
                md_escape(out, line);
                fputs("\n\n", out);
            }
            md_culprit(out, f, ++i);
        }
    }
    if (pl_diagnosis_count(d) > i) {
        pl_report_culprits_left_out(i, pl_diagnosis_count(d), line, sizeof line);
        fprintf(out, "\n%s\n", line);
    }
    if (pl_diagnosis_count(d))
        fprintf(out, "\n## Counters\n\n");
    if (pl_report_left_out_sentence(a, line, sizeof line))
        fprintf(out, "%s\n\n", line);
    if (charts != PL_CHARTS_NONE)
        fprintf(out, "![summary of the findings](summary.png)\n\n");
    fprintf(out, "Logs:\n\n");
    for (i = 0; i < pl_analysis_log_count(a); i++) {
        pl_report_log_line(pl_analysis_log(a, i), line, sizeof line);
        fprintf(out, "- ");
        md_escape(out, line);
        fputc('\n', out);
    }
    for (sec = 0, rows = 0; sec < (rx.m.n > 1 ? rx.m.n : 1); sec++) {
        const char *m = rx.m.n > 1 ? rx.m.names[sec] : NULL;
        size_t shown = 0;
        for (i = 0; i < rx.s.counters && rows < MD_MAX_ROWS; i++) {
            const pl_counter *c = pl_analysis_counter(a, rx.order[i]);
            const pl_finding *f = &c->finding;
            pl_report_cells k;
            if (!pl_report_on_machine(c, m))
                continue;
            if (shown++ == 0) {
                if (m) {
                    pl_report_machine_heading(a, m, line, sizeof line);
                    fputs("\n### ", out);
                    md_escape(out, line);
                    fputc('\n', out);
                }
                md_table_head(out);
            }
            rows++;
            pl_report_finding_cells(a, c, &k);
            fprintf(out, "| %s | ", f->verdict == PL_VERDICT_LEAK ? "**leak**" :
                                     f->verdict == PL_VERDICT_RUNNING_OUT ? "**running-out**" :
                                     f->suspect ? "insufficient-data (**suspect**)" : pl_verdict_name(f->verdict));
            md_code(out, c->label, 1);
            fprintf(out, " | %s | %s | %s | %s | ", k.growth, k.rate, k.conf, k.onset);
            md_escape(out, k.eta);
            fputs(" | ", out);
            md_escape(out, f->reason);
            fprintf(out, " |\n");
        }
    }
    if (rows == 0)
        md_table_head(out);
    if (rx.s.counters > MD_MAX_ROWS)
        fprintf(out, "\nThe %d most urgent of the %zu counters are listed; report.html and report.json "
                     "list every one.\n", MD_MAX_ROWS, rx.s.counters);
    /* the same charts as the files of -o DIR: the most urgent, up to the cap */
    for (i = 0, left = 0, charted = 0; charts != PL_CHARTS_NONE && i < rx.s.counters; i++) {
        const pl_counter *c = pl_analysis_counter(a, rx.order[i]);
        char name[256];
        if (charts != PL_CHARTS_ALL && !pl_verdict_is_finding(c->finding.verdict))
            continue;
        if (charted == pl_analysis_max_charts(a)) {
            left++;
            continue;
        }
        pl_chart_file_name(a, rx.order[i], i + 1, "png", name, sizeof name);
        fprintf(out, "%s### %zu. ", charted++ == 0 ? "\n## Charts\n\n" : "", i + 1);
        md_code(out, c->label, 0);
        fprintf(out, "\n\n![chart of %s](%s)\n\n", pl_verdict_name(c->finding.verdict), name);
    }
    if (left) {
        pl_report_charts_left_out(charted, charted + left, charts == PL_CHARTS_ALL, line, sizeof line);
        fprintf(out, "%s\n", line);
    }
    pl_report_run_text(a, line, sizeof line);
    fprintf(out, "\n_%s, detector: %s_", line,
            rx.s.counters ? pl_analysis_counter(a, 0)->finding.method : "robust");
    if (pl_analysis_run_command(a)) {
        fputs("\n\n", out);
        md_code(out, pl_analysis_run_command(a), 0);
    }
    fputc('\n', out);
    pl_report_ctx_clear(&rx);
    return PL_OK;
}
