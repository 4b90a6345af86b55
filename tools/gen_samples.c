/* gen_samples.c - writes the bundled sample logs in samples/ deterministically
 * (fixed seeds, integer-exact noise), shaped like Performance Monitor's own
 * PDH-CSV exports: quoted cells, CRLF, "(PDH-CSV 4.0) (zone)(bias)" header.
 *
 *   gen_samples DIR     writes DIR/srv01-services-leak.csv, srv02-pool-paged.csv,
 *                       srv03-healthy.csv, srv01-after-fix.csv
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "splitmix.h"

#define MB (1024.0 * 1024.0)
#define MAXCOL 64
#define PI 3.14159265358979323846

typedef enum shape {
    FLAT, LEAK, WARMUP, DAILY, SAWTOOTH, SPIKES, STEPBACK, CONST, PID
} shape;

typedef struct column {
    const char *path;
    shape kind;
    double base, amount, noise; /* level, shape size, noise (fraction of level) */
    double period_h;            /* warm-up time, cycle or sawtooth period */
    double value;               /* state for sawtooth */
} column;

typedef struct log_spec {
    const char *file, *zone;
    int bias, year, month, day;
    int rows, interval_s;
    uint64_t seed;
    column col[MAXCOL];
    int ncol;
} log_spec;

static double value_at(column *c, double h, double total_h, rng *r)
{
    double v = c->base, n;
    switch (c->kind) {
    case CONST:
    case PID:
        return c->base;
    case FLAT:
        break;
    case LEAK:
        v += c->amount * h / total_h;
        break;
    case WARMUP:
        v += c->amount * (1.0 - exp(-3.0 * h / c->period_h));
        break;
    case DAILY:
        /* busy by day (peak 14:00), quiet at night */
        v += c->amount * 0.5 * (1.0 + sin(2.0 * PI * (h - 8.0) / 24.0));
        break;
    case SAWTOOTH: {
        double phase = fmod(h, c->period_h) / c->period_h;
        v += c->amount * phase;
        break;
    }
    case SPIKES:
        if (rng_uniform(r) < 0.004)
            v += c->amount * (0.5 + rng_uniform(r));
        break;
    case STEPBACK:
        /* grows for a while then releases what it took, over and over */
        v += c->amount * fmin(fmod(h, c->period_h), c->period_h / 2) / (c->period_h / 2) *
             (fmod(h, c->period_h) < c->period_h * 0.9);
        break;
    }
    /* noise in proportion to the current level, as real counters wobble */
    n = c->noise * v * rng_gauss(r);
    return v + n < 0 ? 0 : v + n;
}

static void add(log_spec *s, const char *path, shape k, double base, double amount,
                double noise, double period_h)
{
    column *c = &s->col[s->ncol++];
    c->path = path;
    c->kind = k;
    c->base = base;
    c->amount = amount;
    c->noise = noise;
    c->period_h = period_h;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

static int write_log(const char *dir, log_spec *s)
{
    char path[1024];
    FILE *f;
    rng r = {s->seed};
    double total_h = (double)(s->rows - 1) * s->interval_s / 3600.0;
    int i, j;
    snprintf(path, sizeof path, "%s/%s", dir, s->file);
    if (!(f = fopen(path, "wb"))) {
        perror(path);
        return -1;
    }
    fprintf(f, "\"(PDH-CSV 4.0) (%s)(%d)\"", s->zone, s->bias);
    for (j = 0; j < s->ncol; j++)
        fprintf(f, ",\"%s\"", s->col[j].path);
    fputs("\r\n", f);
    for (i = 0; i < s->rows; i++) {
        long secs = (long)i * s->interval_s;
        int ms = (int)(rng_next(&r) % 40) + 3; /* the logger's jitter */
        int y = s->year, mo = s->month, d = s->day + (int)(secs / 86400);
        double h = (double)secs / 3600.0;
        while (d > days_in_month(y, mo)) {
            d -= days_in_month(y, mo);
            if (++mo > 12) {
                mo = 1;
                y++;
            }
        }
        fprintf(f, "\"%02d/%02d/%04d %02ld:%02ld:%02ld.%03d\"", mo, d, y, secs / 3600 % 24,
                secs / 60 % 60, secs % 60, ms);
        for (j = 0; j < s->ncol; j++)
            fprintf(f, ",\"%.0f\"", value_at(&s->col[j], h, total_h, &r));
        fputs("\r\n", f);
    }
    if (fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

/* A process: Private Bytes, Working Set, Handle Count, Thread Count, ID. */
static void process(log_spec *s, const char *paths[5], shape k, double pb, double amount,
                    double noise, double period_h, double handles, double threads, double pid)
{
    add(s, paths[0], k, pb, amount, noise, period_h);
    add(s, paths[1], k, pb * 1.15, amount * 1.05, noise, period_h);
    add(s, paths[2], FLAT, handles, 0, 0.01, 0);
    add(s, paths[3], FLAT, threads, 0, 0.02, 0);
    add(s, paths[4], PID, pid, 0, 0, 0);
}

#define PROC(host, name) { \
    "\\\\" host "\\Process(" name ")\\Private Bytes", \
    "\\\\" host "\\Process(" name ")\\Working Set", \
    "\\\\" host "\\Process(" name ")\\Handle Count", \
    "\\\\" host "\\Process(" name ")\\Thread Count", \
    "\\\\" host "\\Process(" name ")\\ID Process" }

/* SRV01's processes and memory counters: services.exe leaking 390 MB over
 * the log, or level once fixed; pid: each process' ID Process. */
static void srv01(log_spec *s, int fixed, const double pid[8])
{
    const char *svc[] = PROC("SRV01", "services"), *sql[] = PROC("SRV01", "sqlservr"),
               *w3[] = PROC("SRV01", "w3wp"), *rpt[] = PROC("SRV01", "ReportSvc"),
               *av[] = PROC("SRV01", "MsMpEng"), *ls[] = PROC("SRV01", "lsass"),
               *sv0[] = PROC("SRV01", "svchost"), *sv1[] = PROC("SRV01", "svchost#1");
    double leak = fixed ? 0 : 390 * MB;
    process(s, svc, fixed ? FLAT : LEAK, 10 * MB, leak, 0.01, 0, fixed ? 510 : 520, 11, pid[0]);
    process(s, sql, WARMUP, 200 * MB, 1000 * MB, 0.01, 3, 1400, 60, pid[1]);
    process(s, w3, DAILY, 300 * MB, 160 * MB, 0.02, 0, 900, 35, pid[2]);
    process(s, rpt, SAWTOOTH, 100 * MB, 200 * MB, 0.01, 0.7, 610, 24, pid[3]);
    process(s, av, FLAT, 150 * MB, 0, 0.02, 0, 700, 40, pid[4]);
    process(s, ls, FLAT, 20 * MB, 0, 0.01, 0, 1500, 9, pid[5]);
    process(s, sv0, SPIKES, 30 * MB, 60 * MB, 0.01, 0, 800, 20, pid[6]);
    process(s, sv1, FLAT, 12 * MB, 0, 0.01, 0, 350, 8, pid[7]);
    add(s, "\\\\SRV01\\Process(_Total)\\Private Bytes", fixed ? FLAT : LEAK, 2100 * MB, leak, 0.01, 0);
    add(s, "\\\\SRV01\\Memory\\Available MBytes", fixed ? FLAT : LEAK, 9800, fixed ? 0 : -400, 0.002, 0);
    add(s, "\\\\SRV01\\Memory\\Committed Bytes", DAILY, 5200 * MB, 300 * MB, 0.01, 0);
    add(s, "\\\\SRV01\\Memory\\Commit Limit", CONST, 16384 * MB, 0, 0, 0);
    add(s, "\\\\SRV01\\Memory\\Pool Paged Bytes", FLAT, 310 * MB, 0, 0.01, 0);
    add(s, "\\\\SRV01\\Memory\\Pool Nonpaged Bytes", FLAT, 140 * MB, 0, 0.01, 0);
}

int main(int argc, char **argv)
{
    static log_spec a, b, c, d;
    const char *dir = argc > 1 ? argv[1] : "samples";

    /* 1: services.exe leaking 10 MB -> 400 MB over three days among healthy
     * processes (a warm-up, a daily cycle, a GC sawtooth, flat ones). */
    {
        static const double pids[] = {684, 2212, 5120, 3348, 3012, 712, 960, 1044};
        a.file = "srv01-services-leak.csv";
        a.zone = "Pacific Standard Time";
        a.bias = 480;
        a.year = 2026; a.month = 3; a.day = 2;
        a.rows = 2160; a.interval_s = 120; a.seed = 1;
        srv01(&a, 0, pids);
    }
    /* 2: a driver leaking paged pool: Pool Paged Bytes creeps up for two days
     * while every process stays level. */
    {
        const char *sp[] = PROC("SRV02", "spoolsv"), *ex[] = PROC("SRV02", "explorer"),
                   *sv[] = PROC("SRV02", "svchost");
        b.file = "srv02-pool-paged.csv";
        b.zone = "Eastern Standard Time";
        b.bias = 300;
        b.year = 2026; b.month = 1; b.day = 30;
        b.rows = 576; b.interval_s = 300; b.seed = 2;
        process(&b, sp, FLAT, 18 * MB, 0, 0.01, 0, 420, 12, 2280);
        process(&b, ex, DAILY, 60 * MB, 30 * MB, 0.02, 0, 1300, 50, 4410);
        process(&b, sv, FLAT, 40 * MB, 0, 0.01, 0, 900, 30, 1100);
        add(&b, "\\\\SRV02\\Memory\\Pool Paged Bytes", LEAK, 180 * MB, 340 * MB, 0.01, 0);
        add(&b, "\\\\SRV02\\Memory\\Pool Nonpaged Bytes", FLAT, 90 * MB, 0, 0.01, 0);
        add(&b, "\\\\SRV02\\Memory\\Available MBytes", LEAK, 3500, -340, 0.003, 0);
        add(&b, "\\\\SRV02\\Memory\\Committed Bytes", FLAT, 2900 * MB, 0, 0.01, 0);
        add(&b, "\\\\SRV02\\Memory\\Commit Limit", CONST, 8192 * MB, 0, 0, 0);
    }
    /* 3: a healthy server: warm-ups, cycles, sawtooth, spikes, grow-and-release. */
    {
        const char *iis[] = PROC("SRV03", "w3wp"), *sql[] = PROC("SRV03", "sqlservr"),
                   *app[] = PROC("SRV03", "OrderSvc"), *bk[] = PROC("SRV03", "BackupAgent"),
                   *sv[] = PROC("SRV03", "svchost");
        c.file = "srv03-healthy.csv";
        c.zone = "W. Europe Standard Time";
        c.bias = -60;
        c.year = 2026; c.month = 5; c.day = 11;
        c.rows = 2880; c.interval_s = 60; c.seed = 3;
        process(&c, iis, DAILY, 250 * MB, 180 * MB, 0.02, 0, 1100, 45, 6100);
        process(&c, sql, WARMUP, 300 * MB, 2200 * MB, 0.005, 2, 1800, 70, 2004);
        process(&c, app, SAWTOOTH, 150 * MB, 120 * MB, 0.01, 0.4, 700, 30, 4480);
        process(&c, bk, STEPBACK, 40 * MB, 300 * MB, 0.01, 12, 300, 15, 3360);
        process(&c, sv, SPIKES, 35 * MB, 80 * MB, 0.01, 0, 650, 22, 1020);
        add(&c, "\\\\SRV03\\Memory\\Pool Paged Bytes", FLAT, 260 * MB, 0, 0.01, 0);
        add(&c, "\\\\SRV03\\Memory\\Pool Nonpaged Bytes", FLAT, 120 * MB, 0, 0.01, 0);
        add(&c, "\\\\SRV03\\Memory\\Available MBytes", DAILY, 11000, -900, 0.002, 0);
        add(&c, "\\\\SRV03\\Memory\\Committed Bytes", DAILY, 6100 * MB, 800 * MB, 0.01, 0);
        add(&c, "\\\\SRV03\\Memory\\Commit Limit", CONST, 24576 * MB, 0, 0, 0);
    }
    /* 4: SRV01 again after the hotfix and a reboot (new PIDs), captured
     * for two days every 5 minutes by a collector set to Eastern time:
     * services.exe stays level; the rest behave as before. perfleak
     * compare srv01-services-leak.csv srv01-after-fix.csv says "gone". */
    {
        static const double pids[] = {672, 2340, 4876, 3512, 3104, 708, 948, 1032};
        d.file = "srv01-after-fix.csv";
        d.zone = "Eastern Standard Time";
        d.bias = 300;
        d.year = 2026; d.month = 3; d.day = 16;
        d.rows = 576; d.interval_s = 300; d.seed = 4;
        srv01(&d, 1, pids);
    }
    return write_log(dir, &a) || write_log(dir, &b) || write_log(dir, &c) || write_log(dir, &d) ? 1 : 0;
}
