/* servers.c - the whole-server corpus (see servers.h). Each scenario is a
 * list of processes (a name, an ID, a life, and how each counter moves),
 * and the log is what Perfmon would write of them every two minutes for
 * 40 hours: instances of one name numbered by age (w3wp, w3wp#1), a
 * column left blank while no process fills it, and Memory's pools and
 * Committed Bytes the kernel's share plus the processes'. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "servers.h"
#include "splitmix.h"

#define STEP_MIN 2
#define HOURS 40.0
#define MB (1024.0 * 1024.0)
#define MAXP 64
#define NCTR 8

static const char *const CTRS[NCTR] = {"ID Process", "Private Bytes", "Working Set",
                                       "Virtual Bytes", "Handle Count", "Thread Count",
                                       "Pool Paged Bytes", "Pool Nonpaged Bytes"};

typedef struct sproc {
    const char *name;
    long pid;
    double start_h, end_h;       /* end_h < 0: runs to the end */
    double priv, priv_rate;      /* bytes, bytes an hour */
    double ws_share;             /* Working Set as a share of private; 0: 0.8 */
    int ws_flat;                 /* the working set trimmed: flat */
    double virt, virt_rate;
    double hnd, hnd_rate, thr, thr_rate;
    double pp, pp_rate, np, np_rate;
    double warm_h;               /* rises from half its level over warm_h */
    double cycle;                /* daily cycle, share of the level */
    double saw_h, saw;           /* GC sawtooth: period, share of the level */
} sproc;

typedef struct scenario_def {
    const char *name;
    srv_expect expect[4];
    size_t nexpect;
} scenario_def;

enum {
    S_HEAP, S_HEAP_TRIMMED, S_HANDLES_POOL, S_THREADS, S_ADDRESS, S_DRIVER, S_COMMIT,
    S_RENUMBERED, S_RECYCLED, S_SEVERAL, S_WARMUP, S_CYCLES, S_SAWTOOTH, S_NIGHTLY,
    S_RENUMBERED_OK, S_QUIET, S_SLOW, S_RECYCLED_SCHEDULE, S_COMMIT_UNLOGGED, S_LATE_RESTART,
    NSCENARIOS
};

static const scenario_def SCENARIOS[NSCENARIOS] = {
    {"heap leak", {{PL_CULPRIT_PROCESS, "OrderSvc", 0, PL_GROWS_MEMORY, 0}}, 1},
    {"heap leak, working set trimmed", {{PL_CULPRIT_PROCESS, "OrderSvc", 0, PL_GROWS_MEMORY, 0}}, 1},
    {"handle leak feeding the paged pool", {{PL_CULPRIT_PROCESS, "spoolsv", 0, PL_GROWS_HANDLES, 0}}, 1},
    {"thread leak", {{PL_CULPRIT_PROCESS, "BackupAgent", 0, PL_GROWS_THREADS, 0}}, 1},
    {"address-space growth", {{PL_CULPRIT_PROCESS, "legacy32", 0, PL_GROWS_ADDRESS_SPACE, 0}}, 1},
    {"driver pool leak", {{PL_CULPRIT_KERNEL, NULL, 1, PL_GROWS_POOL_NONPAGED, 0}}, 1},
    {"commit growth explained by one process",
     {{PL_CULPRIT_PROCESS, "sqlservr", 0, PL_GROWS_MEMORY, 0}}, 1},
    {"renumbered leaking namesake", {{PL_CULPRIT_PROCESS, "w3wp", 0, PL_GROWS_MEMORY, 0}}, 1},
    {"recycled leaking application pool", {{PL_CULPRIT_PROCESS, "w3wp", 0, PL_GROWS_MEMORY, 2}}, 1},
    {"two process leaks and a driver",
     {{PL_CULPRIT_PROCESS, "OrderSvc", 0, PL_GROWS_MEMORY, 0},
      {PL_CULPRIT_PROCESS, "lsass", 0, PL_GROWS_HANDLES, 0},
      {PL_CULPRIT_KERNEL, NULL, 1, PL_GROWS_POOL_NONPAGED, 0}}, 3},
    {"healthy: warm-ups", {{0}}, 0},
    {"healthy: daily cycles", {{0}}, 0},
    {"healthy: GC sawtooth", {{0}}, 0},
    {"healthy: nightly restarts to the same plateau", {{0}}, 0},
    {"healthy: renumbered namesake", {{0}}, 0},
    {"healthy: quiet server", {{0}}, 0},
    {"slow heap leak (20% in 40 h)", {{PL_CULPRIT_PROCESS, "OrderSvc", 0, PL_GROWS_MEMORY, 0}}, 1},
    {"leaking pool recycled every 8 h", {{PL_CULPRIT_PROCESS, "w3wp", 0, PL_GROWS_MEMORY, 2}}, 1},
    {"commit growth no logged process explains", {{PL_CULPRIT_SYSTEM, NULL, 0, PL_GROWS_COMMIT, 0}}, 1},
    {"healthy: restarted near the end, still warming up", {{0}}, 0},
};

size_t srv_scenario_count(void)
{
    return NSCENARIOS;
}

static sproc base(const char *name, long pid, double priv_mb, double hnd, double thr)
{
    sproc p;
    memset(&p, 0, sizeof p);
    p.name = name;
    p.pid = pid;
    p.end_h = -1;
    p.priv = priv_mb * MB;
    p.virt = priv_mb * MB * 3 + 200 * MB;
    p.hnd = hnd;
    p.thr = thr;
    p.pp = hnd * 900;
    p.np = thr * 4000 + 20000;
    return p;
}

/* The healthy processes every server has. */
static size_t common(sproc *ps)
{
    size_t n = 0;
    ps[n++] = base("svchost", 812, 40, 650, 22);
    ps[n++] = base("svchost", 1036, 95, 1400, 45);
    ps[n++] = base("svchost", 1290, 22, 380, 12);
    ps[n++] = base("lsass", 664, 18, 1100, 9);
    ps[n++] = base("services", 640, 8, 280, 6);
    ps[n++] = base("spoolsv", 1780, 12, 420, 11);
    ps[n++] = base("sqlservr", 2204, 1800, 1800, 70);
    ps[n++] = base("explorer", 3312, 60, 900, 30);
    ps[n++] = base("MsMpEng", 2540, 210, 700, 40);
    ps[n++] = base("OrderSvc", 4480, 160, 600, 28);
    /* what every real server also has: short-lived processes of one name
     * that grow while they work (WMI providers), and a process that
     * starts in the middle, warms up and ends (Windows Update) */
    {
        double t = 1.5;
        long pid = 9100;
        while (t < HOURS - 1 && n < MAXP - 4) {
            ps[n] = base("WmiPrvSE", pid, 12, 300, 10);
            ps[n].start_h = t;
            ps[n].end_h = t + 0.4 + 0.1 * (double)(pid % 3);
            ps[n].priv_rate = 20 * MB;
            ps[n].hnd_rate = 200;
            t += 2.5 + 0.5 * (double)(pid % 5);
            pid += 44;
            n++;
        }
    }
    ps[n] = base("TiWorker", 9800, 250, 900, 20);
    ps[n].start_h = 10;
    ps[n].end_h = 16;
    ps[n++].warm_h = 2;
    return n;
}

/* One of the common processes (the table names only those). */
static sproc *find(sproc *ps, size_t n, const char *name)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(ps[i].name, name) == 0)
            return &ps[i];
    abort();
}

/* A service restarted every life_h hours (first_h for its first life),
 * each life a new process that warms up over warm_h and grows rate bytes
 * an hour; the last one runs to the end. */
static size_t lives(sproc *ps, size_t n, const char *name, long pid, double priv_mb,
                    double rate, double warm_h, double first_h, double life_h)
{
    double t = 0;
    while (t < HOURS && n < MAXP) {
        ps[n] = base(name, pid, priv_mb, 900, 40);
        ps[n].start_h = t;
        ps[n].priv_rate = rate;
        ps[n].warm_h = warm_h;
        ps[n].end_h = t + (t == 0 ? first_h : life_h);
        t = ps[n].end_h + 1.0 / 30;
        pid += 36;
        n++;
    }
    ps[n - 1].end_h = -1;
    return n;
}

/* The processes of scenario s, with the kernel's own pool and commit. */
static size_t build(size_t s, sproc *ps, double *knp_rate, double *kpp_rate, double *kcommit_rate)
{
    size_t n = common(ps);
    sproc *p;
    *knp_rate = *kpp_rate = *kcommit_rate = 0;
    switch (s) {
    case S_HEAP:
        find(ps, n, "OrderSvc")->priv_rate = 6 * MB;
        break;
    case S_HEAP_TRIMMED:
        p = find(ps, n, "OrderSvc");
        p->priv_rate = 6 * MB;
        p->ws_flat = 1;
        break;
    case S_HANDLES_POOL:
        p = find(ps, n, "spoolsv");
        p->hnd_rate = 220;
        p->pp_rate = 220 * 4096;
        break;
    case S_THREADS:
        ps[n] = base("BackupAgent", 5012, 45, 300, 18);
        ps[n++].thr_rate = 5;
        break;
    case S_ADDRESS:
        ps[n] = base("legacy32", 5120, 300, 500, 25);
        ps[n++].virt_rate = 35 * MB;
        break;
    case S_DRIVER: /* enough to move Committed Bytes too */
        *knp_rate = 20 * MB;
        break;
    case S_COMMIT:
        find(ps, n, "sqlservr")->priv_rate = 40 * MB;
        break;
    case S_RENUMBERED:
        ps[n] = base("w3wp", 6100, 250, 900, 40);
        ps[n++].end_h = 16.6;
        ps[n] = base("w3wp", 6212, 180, 800, 38);
        ps[n++].priv_rate = 5 * MB;
        break;
    case S_RECYCLED: /* recycled at a private memory limit of 560 MB */
        n = lives(ps, n, "w3wp", 7000, 200, 60 * MB, 0.3, 6, 6);
        break;
    case S_SEVERAL:
        find(ps, n, "OrderSvc")->priv_rate = 6 * MB;
        find(ps, n, "lsass")->hnd_rate = 150;
        *knp_rate = 3 * MB;
        break;
    case S_WARMUP:
        find(ps, n, "sqlservr")->warm_h = 3;
        find(ps, n, "MsMpEng")->warm_h = 1.5;
        ps[n] = base("w3wp", 6100, 350, 900, 40);
        ps[n++].warm_h = 2;
        break;
    case S_CYCLES:
        find(ps, n, "sqlservr")->cycle = 0.12;
        ps[n] = base("w3wp", 6100, 350, 900, 40);
        ps[n++].cycle = 0.25;
        find(ps, n, "OrderSvc")->cycle = 0.2;
        break;
    case S_SAWTOOTH:
        ps[n] = base("w3wp", 6100, 300, 900, 40);
        ps[n].saw_h = 0.7;
        ps[n++].saw = 0.6;
        break;
    case S_NIGHTLY: /* restarted at 02:00, warming up to the same plateau */
        n = lives(ps, n, "ReportSvc", 8100, 400, 0, 1.0, 2, 24);
        break;
    case S_SLOW:
        find(ps, n, "OrderSvc")->priv_rate = 0.8 * MB;
        break;
    case S_RECYCLED_SCHEDULE: /* recycled every 8 h */
        n = lives(ps, n, "w3wp", 7000, 220, 15 * MB, 0.3, 8, 8);
        break;
    case S_LATE_RESTART:
        ps[n] = base("ReportSvc", 8100, 400, 700, 30);
        ps[n++].end_h = 36.5;
        ps[n] = base("ReportSvc", 8152, 400, 700, 30);
        ps[n].start_h = 36.55;
        ps[n++].warm_h = 4; /* still rising when the log ends */
        break;
    case S_COMMIT_UNLOGGED: /* a process the collector did not log */
        *kcommit_rate = 60 * MB;
        break;
    case S_RENUMBERED_OK:
        ps[n] = base("w3wp", 6100, 250, 900, 40);
        ps[n++].end_h = 20;
        ps[n] = base("w3wp", 6212, 180, 800, 38);
        n++;
        break;
    default:
        break;
    }
    return n;
}

/* A process' value of counter k at hour t of the log, with noise. */
static double value(const sproc *p, int k, double t, rng *r)
{
    double tau = t - p->start_h, warm = 1, cyc, saw = 0, lvl, noise = 1 + 0.006 * rng_gauss(r);
    if (p->warm_h > 0 && tau < p->warm_h)
        warm = 0.5 + 0.5 * tau / p->warm_h;
    cyc = 1 + p->cycle * sin(2 * 3.14159265358979 * t / 24.0);
    if (p->saw_h > 0)
        saw = p->saw * fmod(tau, p->saw_h) / p->saw_h;
    switch (k) {
    case 0:
        return (double)p->pid;
    case 1:
        lvl = (p->priv * warm * cyc * (1 + saw) + p->priv_rate * tau) * noise;
        return lvl;
    case 2: {
        double share = p->ws_share > 0 ? p->ws_share : 0.8;
        if (p->ws_flat)
            return p->priv * share * warm * cyc * noise;
        return (p->priv * warm * cyc * (1 + saw) + p->priv_rate * tau) * share * noise;
    }
    case 3:
        return (p->virt + p->virt_rate * tau + p->priv_rate * tau) * (1 + 0.001 * rng_gauss(r));
    case 4:
        return floor(p->hnd * warm + p->hnd_rate * tau + 6 * rng_gauss(r));
    case 5:
        return floor(p->thr + p->thr_rate * tau + 1.2 * rng_gauss(r));
    case 6:
        return (p->pp * warm + p->pp_rate * tau) * noise;
    default:
        return (p->np + p->np_rate * tau) * noise;
    }
}

static int alive(const sproc *p, double t)
{
    return t >= p->start_h && (p->end_h < 0 || t < p->end_h);
}

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static int put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int put(buf *b, const char *fmt, ...)
{
    va_list ap;
    int k;
    for (;;) {
        va_start(ap, fmt);
        k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        if (k < 0)
            return -1;
        if ((size_t)k < b->cap - b->n) {
            b->n += (size_t)k;
            return 0;
        }
        {
            size_t nc = b->cap ? b->cap * 2 : 1 << 20;
            char *np;
            while (nc - b->n <= (size_t)k)
                nc *= 2;
            if (!(np = realloc(b->p, nc)))
                return -1;
            b->p = np;
            b->cap = nc;
        }
    }
}

/* The names in first-seen order and how many of each live at once. */
static size_t slots(const sproc *ps, size_t n, const char **names, size_t *nslots)
{
    size_t nn = 0, i, j;
    for (i = 0; i < n; i++) {
        for (j = 0; j < nn && strcmp(names[j], ps[i].name) != 0; j++)
            ;
        if (j == nn) {
            names[nn] = ps[i].name;
            nslots[nn++] = 0;
        }
    }
    for (j = 0; j < nn; j++) {
        double t;
        for (t = 0; t < HOURS; t += STEP_MIN / 60.0) {
            size_t k = 0;
            for (i = 0; i < n; i++)
                k += strcmp(ps[i].name, names[j]) == 0 && alive(&ps[i], t);
            if (k > nslots[j])
                nslots[j] = k;
        }
    }
    return nn;
}

int srv_make(size_t s, uint64_t seed, srv_log *out)
{
    return srv_make_without_pid(s, seed, 0, out);
}

int srv_make_without_pid(size_t s, uint64_t seed, int no_pid, srv_log *out)
{
    return srv_make_as(s, seed, no_pid ? SRV_NO_PID : 0, out);
}

int srv_make_as(size_t s, uint64_t seed, int flags, srv_log *out)
{
    int no_pid = (flags & (SRV_NO_PID | SRV_V2)) != 0, v2 = (flags & SRV_V2) != 0;
    sproc ps[MAXP];
    const char *names[MAXP];
    size_t nslots[MAXP], n, nn, i, j, row, rows = (size_t)(HOURS * 60 / STEP_MIN);
    double knp_rate, kpp_rate, kcommit_rate;
    rng r;
    buf b = {NULL, 0, 0};
    int k;
    memset(out, 0, sizeof *out);
    if (s >= NSCENARIOS)
        return -1;
    r.s = seed * 1000003u + s * 7919u + 17;
    n = build(s, ps, &knp_rate, &kpp_rate, &kcommit_rate);
    nn = slots(ps, n, names, nslots);
    out->scenario = SCENARIOS[s].name;
    memcpy(out->expect, SCENARIOS[s].expect, sizeof out->expect);
    out->nexpect = SCENARIOS[s].nexpect;
    if (put(&b, "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\"") != 0)
        goto oom;
    for (j = 0; v2 && j < n; j++) /* Process V2: one instance a process, "name:PID" */
        for (k = no_pid; k < NCTR; k++)
            if (put(&b, ",\"\\\\SRV\\Process V2(%s:%ld)\\%s\"", ps[j].name, ps[j].pid, CTRS[k]) != 0)
                goto oom;
    for (j = 0; !v2 && j < nn; j++)
        for (i = 0; i < nslots[j]; i++)
            for (k = no_pid; k < NCTR; k++) {
                char inst[80];
                if (i)
                    snprintf(inst, sizeof inst, "%s#%zu", names[j], i);
                else
                    snprintf(inst, sizeof inst, "%s", names[j]);
                if (put(&b, ",\"\\\\SRV\\Process(%s)\\%s\"", inst, CTRS[k]) != 0)
                    goto oom;
            }
    if (put(&b, ",\"\\\\SRV\\Memory\\Pool Paged Bytes\",\"\\\\SRV\\Memory\\Pool Nonpaged Bytes\","
                "\"\\\\SRV\\Memory\\Committed Bytes\",\"\\\\SRV\\Memory\\Commit Limit\","
                "\"\\\\SRV\\Memory\\Available MBytes\"\r\n") != 0)
        goto oom;
    for (row = 0; row < rows; row++) {
        double t = row * STEP_MIN / 60.0, pp = 180 * MB, np = 110 * MB, commit = 3.2e9, kpool;
        int minute = (int)(row * STEP_MIN);
        pp += kpp_rate * t;
        np += knp_rate * t;
        kpool = pp + np;
        commit += kcommit_rate * t;
        pp *= 1 + 0.002 * rng_gauss(&r);
        np *= 1 + 0.002 * rng_gauss(&r);
        commit *= 1 + 0.002 * rng_gauss(&r);
        if (put(&b, "\"11/%02d/2026 %02d:%02d:00.000\"", 2 + minute / 1440, minute / 60 % 24,
                minute % 60) != 0)
            goto oom;
        for (j = 0; v2 && j < n; j++)
            for (k = no_pid; k < NCTR; k++) {
                if (alive(&ps[j], t)) {
                    double v = value(&ps[j], k, t, &r);
                    commit += k == 1 ? v : 0;
                    pp += k == 6 ? v : 0;
                    np += k == 7 ? v : 0;
                    if (put(&b, ",\"%.0f\"", v) != 0)
                        goto oom;
                } else if (put(&b, ",\" \"") != 0) {
                    goto oom;
                }
            }
        for (j = 0; !v2 && j < nn; j++) {
            const sproc *live[MAXP];
            size_t nl = 0;
            for (i = 0; i < n; i++) /* by age: the oldest is the unnumbered one */
                if (strcmp(ps[i].name, names[j]) == 0 && alive(&ps[i], t))
                    live[nl++] = &ps[i];
            for (i = 0; i < nslots[j]; i++)
                for (k = no_pid; k < NCTR; k++) {
                    if (i < nl) {
                        double v = value(live[i], k, t, &r);
                        if (k == 1)
                            commit += v;
                        if (k == 6)
                            pp += v;
                        if (k == 7)
                            np += v;
                        if (put(&b, ",\"%.0f\"", v) != 0)
                            goto oom;
                    } else if (put(&b, ",\" \"") != 0) {
                        goto oom;
                    }
                }
        }
        commit += pp + np - kpool; /* the processes' pool charge */
        commit += kpool;           /* pool pages are committed memory too */
        if (put(&b, ",\"%.0f\",\"%.0f\",\"%.0f\",\"34359738368\",\"%.0f\"\r\n", pp, np, commit,
                (17179869184.0 - commit * 0.6) / MB) != 0)
            goto oom;
    }
    out->text = b.p;
    out->len = b.n;
    return 0;
oom:
    free(b.p);
    return -1;
}

void srv_free(srv_log *l)
{
    free(l->text);
    l->text = NULL;
}

static int same_culprit(const srv_expect *e, const pl_culprit_finding *f)
{
    if (e->type != f->type)
        return 0;
    if (e->type == PL_CULPRIT_PROCESS)
        return strcmp(e->name, f->name) == 0;
    if (e->type == PL_CULPRIT_KERNEL)
        return e->pool == f->pool;
    return 1;
}

void srv_score(const srv_log *l, const pl_diagnosis *d, size_t *tp, size_t *fp, size_t *fn)
{
    const pl_culprit_finding *fs[64];
    size_t i, n = pl_diagnosis_count(d);
    for (i = 0; i < n && i < 64; i++)
        fs[i] = pl_diagnosis_finding(d, i);
    srv_score_findings(l, fs, i, tp, fp, fn);
}

void srv_score_findings(const srv_log *l, const pl_culprit_finding *const *fs, size_t n,
                        size_t *tp, size_t *fp, size_t *fn)
{
    int used[4] = {0};
    size_t i, j;
    *tp = *fp = *fn = 0;
    for (i = 0; i < n; i++) {
        const pl_culprit_finding *f = fs[i];
        int hit = 0;
        for (j = 0; j < l->nexpect && !hit; j++)
            if (!used[j] && same_culprit(&l->expect[j], f) && (f->kinds & l->expect[j].kind) &&
                f->restarts >= l->expect[j].restarts) {
                used[j] = 1;
                hit = 1;
            }
        if (hit)
            (*tp)++;
        else
            (*fp)++;
    }
    for (j = 0; j < l->nexpect; j++)
        *fn += !used[j];
}
