/* pieces.c - what every report format says the same way: the verdict
 * counts, a log's line, a finding's growth, rate and time to its limit,
 * the summary sentence. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_internal.h"
#include "perfleak/units.h"
#include "util/internal.h"


pl_report_summary pl_report_summarize(const pl_analysis *a)
{
    pl_report_summary s;
    size_t i;
    memset(&s, 0, sizeof s);
    s.counters = pl_analysis_counter_count(a);
    for (i = 0; i < s.counters; i++) {
        const pl_finding *f = &pl_analysis_counter(a, i)->finding;
        switch (f->verdict) {
        case PL_VERDICT_LEAK: s.leaks++; break;
        case PL_VERDICT_RUNNING_OUT: s.running_out++; break;
        case PL_VERDICT_OK: s.ok++; break;
        case PL_VERDICT_NOT_APPLICABLE: s.not_applicable++; break;
        default: s.insufficient++; s.suspect += f->suspect != 0; break;
        }
    }
    s.findings = s.leaks + s.running_out;
    s.shown = s.findings + s.suspect;
    return s;
}

/* What a report calls a counter's verdict in its headings. */
const char *pl_report_verdict_heading(const pl_finding *f)
{
    if (f->verdict == PL_VERDICT_LEAK) return "LEAK";
    if (f->verdict == PL_VERDICT_RUNNING_OUT) return "RUNNING OUT";
    if (f->suspect) return "SUSPECT";
    return "";
}

/* "file: SRV01, 2026-03-02 00:00 to 2026-03-05 00:00 (UTC-08:00), 2160
 * samples every 2 min" */
void pl_report_log_line(const pl_log_info *l, char *buf, size_t size)
{
    char span[64], off[16], iv[64], mach[256] = "";
    int o = -l->tz.bias, used;
    /* whole names only, and how many more ("..., s14185420 and 18 more") */
    pl_join_names((const char *const *)l->machines, l->n_machines, 8, mach, sizeof mach);
    used = mach[0] != '\0';
    pl_time_format_offset(o, off, sizeof off);
    if (l->rows == 0) {
        snprintf(buf, size, "%s: %s%sno samples", l->file, mach, used ? ", " : "");
        return;
    }
    pl_time_format_span(l->start, l->end, o, span, sizeof span);
    pl_sample_count_text(l->rows, l->interval_s, iv, sizeof iv);
    snprintf(buf, size, "%s: %s%s%s (%s%s), %s", l->file,
             mach, used ? ", " : "", span, off, l->tz.bias_known ? "" : ", assumed", iv);
}

void pl_report_growth_text(const pl_counter *c, char *buf, size_t size)
{
    char g[40], p[24];
    pl_format_amount(c->finding.growth, c->unit, g, sizeof g);
    /* the sign of what is shown: a fall that rounds to 0 is "+0" */
    if (isnan(c->finding.growth_pct)) {
        snprintf(buf, size, "%s%s", g[0] == '-' ? "" : "+", g);
    } else {
        pl_format_pct(c->finding.growth_pct, 1, p, sizeof p);
        snprintf(buf, size, "%s%s (%s)", g[0] == '-' ? "" : "+", g, p);
    }
}

void pl_report_finding_line(const pl_analysis *a, const pl_counter *c, char *buf, size_t size)
{
    const pl_finding *f = &c->finding;
    const pl_series_stats *st = pl_series_get_stats(pl_store_series(pl_analysis_store(a), c->series));
    char g[96], r[64], on[48], lo[64], hi[64], dur[32], how[400], first[64], last[64], samples[160];
    pl_report_growth_text(c, g, sizeof g);
    pl_report_rate_text(c, r, sizeof r);
    pl_analysis_onset_text(a, c, on, sizeof on);
    pl_format_amount(f->start_level, c->unit, lo, sizeof lo);
    pl_format_amount(f->end_level, c->unit, hi, sizeof hi);
    pl_format_duration((double)(f->regime_end - f->onset) / PL_TICKS_PER_SEC, dur, sizeof dur);
    pl_report_how_text(f, how, sizeof how);
    pl_format_amount(st->last_value, c->unit, last, sizeof last);
    /* every figure once: what it grew by, how fast, from when, the trend's
     * levels (fitted, and said to be) beside the samples themselves, so
     * that "28 -> 37 threads" is never read as what was logged, and how */
    if (pl_analysis_onset_is_start(a, c)) {
        pl_format_amount(st->first_value, c->unit, first, sizeof first);
        snprintf(samples, sizeof samples, "samples %s -> %s", first, last);
    } else {
        snprintf(samples, sizeof samples, "last sample %s", last);
    }
    snprintf(buf, size, "%s at %s %s, trend %s -> %s in %s (%s): %s", g, r, on, lo, hi, dur, samples,
             how);
}

void pl_report_run_text(const pl_analysis *a, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "perfleak %s", PL_VERSION);
    if (pl_analysis_run_time(a) > 0 && n < size) {
        pl_civil cv;
        pl_time_split(pl_time_from_unix(pl_analysis_run_time(a)), 0, &cv);
        snprintf(buf + n, size - n, ", run %04d-%02d-%02d %02d:%02d UTC", cv.year, cv.month, cv.day,
                 cv.hour, cv.minute);
    }
}

void pl_report_how_text(const pl_finding *f, char *buf, size_t size)
{
    /* the detector's reason is "grew X (P) over D at R/h, HOW": the line
     * that has the figures takes HOW only */
    const char *h = strstr(f->reason, "/h, ");
    int figures = strncmp(f->reason, "grew ", 5) == 0 || strncmp(f->reason, "fell ", 5) == 0;
    snprintf(buf, size, "%s", h && figures ? h + 4 : f->reason);
}

void pl_report_rate_text(const pl_counter *c, char *buf, size_t size)
{
    char r[40];
    pl_format_value(c->finding.slope_per_hour, c->unit, r, sizeof r);
    snprintf(buf, size, "%s/h", r);
}


/* "16.0 GB (Memory\Commit Limit) on 2026-03-07 14:00, in 3.2 days (2.1
 * days at the fastest)": the date the trend reaches it, counted from the
 * last sample judged, in the log's time (off minutes east of UTC). */
void pl_report_eta_text(const pl_analysis *a, const pl_counter *c, char *buf, size_t size)
{
    const pl_finding *f = &c->finding;
    char lim[40], e[32], e2[32], when[48], when2[48];
    buf[0] = '\0';
    if (isnan(f->eta_h))
        return;
    pl_limit_text(f, c->unit, lim, sizeof lim);
    if (f->eta_h <= 0) {
        snprintf(buf, size, "%s (%s) reached", lim, f->limit_source);
        return;
    }
    pl_format_duration(f->eta_h * 3600, e, sizeof e);
    pl_format_duration(f->eta_h_early * 3600, e2, sizeof e2);
    pl_analysis_time_text(a, c, pl_finding_limit_at(f, 0), when, sizeof when);
    pl_analysis_time_text(a, c, pl_finding_limit_at(f, 1), when2, sizeof when2);
    if (f->verdict == PL_VERDICT_RUNNING_OUT) /* "zero (zero)" says nothing twice */
        snprintf(buf, size, "%s on %s, in %s (%s, in %s, at the fastest)", lim, when, e, when2, e2);
    else
        snprintf(buf, size, "%s (%s) on %s, in %s (%s, in %s, at the fastest)", lim, f->limit_source,
                 when, e, when2, e2);
}

void pl_report_finding_cells(const pl_analysis *a, const pl_counter *c, pl_report_cells *out)
{
    const pl_finding *f = &c->finding;
    memset(out, 0, sizeof *out);
    /* every judged counter shows how much and how fast it grew, as its
     * reason says; only a finding has an onset and a limit */
    if (pl_verdict_is_judged(f->verdict) && isfinite(f->growth) && isfinite(f->slope_per_hour)) {
        pl_report_growth_text(c, out->growth, sizeof out->growth);
        pl_report_rate_text(c, out->rate, sizeof out->rate);
    }
    if (pl_verdict_is_finding(f->verdict)) {
        pl_analysis_time_text(a, c, f->onset, out->onset, sizeof out->onset);
        pl_report_eta_text(a, c, out->eta, sizeof out->eta);
        if (pl_analysis_onset_is_start(a, c))
            snprintf(out->onset, sizeof out->onset, "first sample");
    }
    /* what the evidence allows, in the counter's unit, instead of a
     * "confidence" a reader cannot act on: an interval that holds zero is
     * no evidence of growth */
    if (pl_verdict_is_judged(f->verdict) && isfinite(f->slope_lo) && isfinite(f->slope_hi)) {
        pl_format_rate_interval(f->slope_lo, f->slope_hi, c->unit, out->conf, sizeof out->conf);
    }
}

/* "2 leaks among 35 counters (33 ok, 0 with too little data)." or, when
 * nothing could be judged, "Nothing could be judged: the log covers only
 * 25 s; ..." (never "No leak found": that would read as an all-clear). */
void pl_report_summary_sentence(const pl_analysis *a, const pl_report_summary *s,
                                const char *em, char *buf, size_t size)
{
    const char *end = em[0] == '*' ? "**" : em[0] ? "</span>" : "";
    const char *plain = em[0] == '<' ? "<span>" : em;
    char head[128], tail[160] = "", why[400];
    size_t n;
    if (pl_analysis_nothing_judged(a, why, sizeof why)) {
        n = (size_t)snprintf(buf, size, "%sNothing could be judged%s: %s",
                             em[0] == '<' ? "<span class=\"nothing\">" : em, em[0] ? end : "", why);
        if (s->not_applicable)
            snprintf(tail, sizeof tail, ", %zu that cannot leak", s->not_applicable);
        if (s->counters && n < size)
            snprintf(buf + n, size - n, " (%zu counter%s: %zu with too little data%s%s).",
                     s->counters, s->counters == 1 ? "" : "s", s->insufficient, tail,
                     s->suspect ? "; the suspects, growing as a leak does, come first" : "");
        else if (n < size)
            snprintf(buf + n, size - n, ".");
        return;
    }
    if (s->leaks && s->running_out)
        snprintf(head, sizeof head, "%s%zu leak%s and %zu counter%s running out%s", em, s->leaks,
                 s->leaks == 1 ? "" : "s", s->running_out, s->running_out == 1 ? "" : "s", end);
    else if (s->leaks)
        snprintf(head, sizeof head, "%s%zu leak%s%s", em, s->leaks, s->leaks == 1 ? "" : "s", end);
    else if (s->running_out)
        snprintf(head, sizeof head, "%sNo leak, %zu counter%s running out%s", em, s->running_out,
                 s->running_out == 1 ? "" : "s", end);
    else if (s->culprits) /* restarts hid it from each counter */
        snprintf(head, sizeof head, "%sNo counter leaks on its own%s", plain, em[0] ? end : "");
    else
        snprintf(head, sizeof head, "%sNo leak found%s", plain, em[0] ? end : "");
    if (s->not_applicable)
        snprintf(tail, sizeof tail, ", %zu that cannot leak", s->not_applicable);
    snprintf(buf, size, "%s among %zu counter%s (%zu ok, %zu with too little data%s).", head,
             s->counters, s->counters == 1 ? "" : "s", s->ok, s->insufficient, tail);
}

/* "2 counters of Process(_Total) and Process(Idle) left out, ...", so that
 * a log of 276 processes showing 274 counters says why; 0 when none. */
int pl_report_left_out_sentence(const pl_analysis *a, char *buf, size_t size)
{
    size_t n = pl_analysis_aggregates_left_out(a);
    if (!n)
        return 0;
    snprintf(buf, size, "%zu counter%s of Process(_Total) and Process(Idle) left out, as by "
                        "default (a --counter pattern takes them).",
             n, n == 1 ? "" : "s");
    return 1;
}


void pl_report_warning_line(const pl_warning *w, char *buf, size_t size)
{
    char where[96] = "";
    if (w->line)
        snprintf(where, sizeof where, ", line %llu", w->line);
    else if (w->has_offset)
        snprintf(where, sizeof where, ", offset 0x%llx", w->offset);
    if (w->file)
        snprintf(buf, size, "%s%s: %s", w->file, where, w->text);
    else
        snprintf(buf, size, "%s", w->text);
}

int pl_report_ctx_init(const pl_result *r, pl_report_ctx *c, pl_error *err)
{
    const pl_analysis *a = r->analysis;
    int rc;
    memset(c, 0, sizeof *c);
    c->d = r->diagnosis;
    if ((rc = pl_analysis_order(a, &c->order, err)) != PL_OK) {
        memset(c, 0, sizeof *c);
        return rc;
    }
    if ((rc = pl_analysis_machines(a, &c->m.names, &c->m.n, err)) != PL_OK) {
        free(c->order);
        memset(c, 0, sizeof *c);
        return rc;
    }
    c->s = pl_report_summarize(a);
    c->s.culprits = pl_diagnosis_count(c->d);
    c->off = pl_analysis_display_offset(a);
    return PL_OK;
}

void pl_report_ctx_clear(pl_report_ctx *c)
{
    free(c->order);
    free(c->m.names);
    memset(c, 0, sizeof *c);
}

int pl_report_on_machine(const pl_counter *c, const char *m)
{
    return !m || strcmp(pl_machine_bare(c->parts.machine), pl_machine_bare(m)) == 0;
}

int pl_report_culprit_on(const pl_culprit_finding *f, const char *m)
{
    return !m || strcmp(pl_machine_bare(f->machine), pl_machine_bare(m)) == 0;
}

int pl_report_machine_has(const pl_analysis *a, const pl_report_ctx *c, const char *m)
{
    size_t i;
    for (i = 0; i < pl_diagnosis_count(c->d); i++)
        if (pl_report_culprit_on(pl_diagnosis_finding(c->d, i), m))
            return 1;
    for (i = 0; i < c->s.shown; i++)
        if (pl_report_on_machine(pl_analysis_counter(a, c->order[i]), m))
            return 1;
    return 0;
}

void pl_report_machine_heading(const pl_analysis *a, const char *m, char *buf, size_t size)
{
    char o[16];
    pl_time_format_offset(pl_analysis_machine_offset(a, m), o, sizeof o);
    snprintf(buf, size, "%s (%s)", pl_machine_bare(m)[0] ? pl_machine_bare(m) : "the local machine", o);
}

void pl_report_culprit_rates(const pl_culprit_finding *f, char *buf, size_t size)
{
    size_t i, o = 0;
    buf[0] = '\0';
    for (i = 0; i < f->nrates && o < size; i++) {
        char v[48];
        pl_format_value(f->rates[i].per_hour, f->rates[i].unit, v, sizeof v);
        o += (size_t)snprintf(buf + o, size - o, "%s%s %s%s/h", i ? ", " : "", f->rates[i].counter,
                              f->rates[i].per_hour >= 0 ? "+" : "", v);
    }
}

void pl_report_culprit_details(const pl_culprit_finding *f, char *buf, size_t size)
{
    char d[32];
    size_t i, o;
    pl_format_duration((double)(f->end - f->start) / PL_TICKS_PER_SEC, d, sizeof d);
    o = (size_t)snprintf(buf, size, "over %s", d);
    for (i = 0; i < f->nexplains && o < size; i++) {
        const char *name = strrchr(f->explains[i].counter, '\\');
        name = name ? name + 1 : f->explains[i].counter;
        if (isnan(f->explains[i].percent))
            o += (size_t)snprintf(buf + o, size - o, "; grows %s", name);
        else
            o += (size_t)snprintf(buf + o, size - o, "; accounts for %.0f%% of the growth of %s",
                                  f->explains[i].percent, name);
    }
    if (f->restarts && o < size) {
        char c[32];
        pl_format_value(f->ceiling, PL_UNIT_BYTES, c, sizeof c);
        o += (size_t)snprintf(buf + o, size - o, "; restarted %zu time%s, about every %.1f h, near %s",
                              f->restarts, f->restarts == 1 ? "" : "s", f->restart_every_h, c);
    }
    if (!isnan(f->eta_h) && o < size) {
        pl_format_duration(f->eta_h * 3600, d, sizeof d);
        snprintf(buf + o, size - o, "; reaches its limit in %s", d);
    }
}

void pl_report_culprits_sentence(const pl_diagnosis *d, char *buf, size_t size)
{
    size_t n = pl_diagnosis_count(d), i, o;
    if (!n) {
        buf[0] = '\0';
        return;
    }
    o = (size_t)snprintf(buf, size, "%zu culprit%s: ", n, n == 1 ? "" : "s");
    /* whole summaries while they fit with room for the count of the rest
     * (a summary cut short could end inside a character) */
    for (i = 0; i < n && o < size; i++) {
        const char *sm = pl_diagnosis_finding(d, i)->summary;
        size_t need = (i ? 2 : 0) + strlen(sm) + (i + 1 < n ? sizeof "; and 18446744073709551615 more." : 2);
        if (o + need > size)
            break;
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? "; " : "", sm);
    }
    if (i < n && o < size)
        snprintf(buf + o, size - o, "%s%zu more.", i ? "; and " : "", n - i);
    else if (o < size)
        snprintf(buf + o, size - o, ".");
}

void pl_report_next_step(const pl_culprit_finding *f, char *buf, size_t size)
{
    char rate[48] = "", every[32], ceiling[32];
    if (f->nrates)
        pl_format_value(f->rates[0].per_hour, f->rates[0].unit, rate, sizeof rate);
    switch (f->next) {
    case PL_NEXT_POOLMON:
        snprintf(buf, size,
                 "Pool %s Bytes grows %s/h and no logged process accounts for it: a driver "
                 "leaks. Run poolmon -b (sorted by bytes) twice an hour apart to find the tag "
                 "that grows, then findstr /m /l /s <tag> %%SystemRoot%%\\System32\\drivers\\*.sys "
                 "to find its driver; update or remove that driver.",
                 f->pool ? "Nonpaged" : "Paged", rate);
        return;
    case PL_NEXT_LOG_EVERY_PROCESS:
        snprintf(buf, size,
                 "Committed Bytes grows %s/h and the processes logged do not account for it: log "
                 "Process(*)\\Private Bytes for every process (the leak may be in one not logged), "
                 "and check the kernel's share with poolmon and RAMMap.",
                 rate);
        return;
    case PL_NEXT_RECYCLING:
        snprintf(every, sizeof every, "%.1f h", f->restart_every_h);
        pl_format_value(f->ceiling, PL_UNIT_BYTES, ceiling, sizeof ceiling);
        snprintf(buf, size,
                 "%s grows in every life and is restarted %zu times, about every %s, near %s: "
                 "the restarts (an IIS application pool recycled at its private memory limit, "
                 "Application Pools > Recycling) hide a leak in the application. Capture it "
                 "before a restart: a DebugDiag memory leak rule, or UMDH snapshots an hour apart.",
                 f->name, f->restarts, every, ceiling);
        return;
    case PL_NEXT_UMDH:
        snprintf(buf, size,
                 "The heap of %s grows %s/h: enable user-mode stack traces (gflags /i %s.exe +ust), "
                 "take two UMDH snapshots an hour apart and compare them, or let a DebugDiag memory "
                 "leak rule track it.",
                 f->name, rate, f->name);
        break;
    case PL_NEXT_HANDLE_TRACE:
        snprintf(buf, size,
                 "%s leaks handles: see which type grows (handle.exe -s -p %ld, or Process "
                 "Explorer's handle view), then enable handle tracing (WinDbg !htrace -enable, or "
                 "Application Verifier's Handles check) to find the code that opens them.",
                 f->name, f->pid);
        break;
    case PL_NEXT_THREAD_DUMPS:
        snprintf(buf, size,
                 "%s starts threads it never ends: take two dumps an hour apart (procdump -ma %ld) "
                 "and compare the new threads' stacks.",
                 f->name, f->pid);
        break;
    case PL_NEXT_VMMAP:
        snprintf(buf, size,
                 "Virtual Bytes of %s grows while its private memory does not: address space is "
                 "reserved and not freed (thread stacks, mapped files, a fragmented heap); VMMap "
                 "shows which; a 32-bit process fails when it runs out.",
                 f->name);
        break;
    case PL_NEXT_OWN_POOL:
        snprintf(buf, size,
                 "%s's own pool charge grows: see which handle type it holds more of (handle.exe "
                 "-s -p %ld) and trace them (WinDbg !htrace).",
                 f->name, f->pid);
        break;
    default:
        snprintf(buf, size,
                 "%s accounts for the growth of Committed Bytes: capture its heap with UMDH or "
                 "DebugDiag.",
                 f->name);
        break;
    }
    if (f->handles_feed_pool) {
        size_t o = strlen(buf);
        snprintf(buf + o, o < size ? size - o : 0, " Its handles are what grows the paged pool.");
    }
}

void pl_report_charts_left_out(size_t drawn, size_t of, int counters, char *buf, size_t size)
{
    const char *what = counters ? "counters" : "findings";
    snprintf(buf, size,
             "Charts are drawn for the %zu most urgent of the %zu %s; the rest are in the table, "
             "and report.json lists every one.", drawn, of, what);
}

void pl_report_culprits_left_out(size_t shown, size_t of, char *buf, size_t size)
{
    snprintf(buf, size, "The %zu most urgent culprits are shown; report.json lists all %zu.", shown, of);
}
