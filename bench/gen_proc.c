/* gen_proc.c - writes the log a data collector of Process(*)\* writes on a
 * busy server, for benchmarks, deterministically: PROCESSES instances of
 * the Process object's 28 counters (ID Process among them), SAMPLES
 * samples 15 s apart. One process in ten comes and goes (three hours
 * running, three hours gone, a new ID Process each time), one in 25 leaks
 * private bytes and one in 40 handles. As PDH-CSV on stdout (a process
 * not running has blank cells) or as a .blg whose every sample is one
 * whole-object record of the processes running then.
 *   gen_proc PROCESSES SAMPLES csv > log.csv
 *   gen_proc PROCESSES SAMPLES blg log.blg */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "blgwrite.h"
#include "pdhtime.h"
#include "splitmix.h"

#define NC 28

/* The Process object's counters with their name-table indexes and types:
 * byte and count gauges (PERF_COUNTER_LARGE_RAWCOUNT), rates
 * (PERF_COUNTER_BULK_COUNT) and processor times (PERF_100NSEC_TIMER). */
enum { GAUGE, RATE, TIMER };
static const struct {
    const char *name;
    uint32_t idx;
    int kind;
} counters[NC] = {
    {"% Processor Time", 6, TIMER},       {"% User Time", 142, TIMER},
    {"% Privileged Time", 144, TIMER},    {"Virtual Bytes Peak", 172, GAUGE},
    {"Virtual Bytes", 174, GAUGE},        {"Page Faults/sec", 28, RATE},
    {"Working Set Peak", 178, GAUGE},     {"Working Set", 180, GAUGE},
    {"Page File Bytes Peak", 182, GAUGE}, {"Page File Bytes", 184, GAUGE},
    {"Private Bytes", 186, GAUGE},        {"Thread Count", 680, GAUGE},
    {"Priority Base", 682, GAUGE},        {"Elapsed Time", 684, GAUGE},
    {"ID Process", 784, GAUGE},           {"Creating Process ID", 1410, GAUGE},
    {"Pool Paged Bytes", 56, GAUGE},      {"Pool Nonpaged Bytes", 58, GAUGE},
    {"Handle Count", 952, GAUGE},         {"IO Read Operations/sec", 1412, RATE},
    {"IO Write Operations/sec", 1414, RATE}, {"IO Data Operations/sec", 1416, RATE},
    {"IO Other Operations/sec", 1418, RATE}, {"IO Read Bytes/sec", 1420, RATE},
    {"IO Write Bytes/sec", 1422, RATE},   {"IO Data Bytes/sec", 1424, RATE},
    {"IO Other Bytes/sec", 1426, RATE},   {"Working Set - Private", 1478, GAUGE},
};

static const uint32_t TYPES[] = {0x00010100, 0x10410500, 0x20510500};

/* Whether process p runs at sample s, and which of its lives it is in. */
static int running(long p, long s, long *life)
{
    long phase = s + p * 37;
    *life = p % 10 == 9 ? phase / 720 : 0;
    return p % 10 != 9 || phase / 720 % 2 == 0;
}

static void name_of(long p, char *buf, size_t n)
{
    static const char *const base[] = {"svchost", "w3wp", "dllhost", "sqlservr", "app"};
    snprintf(buf, n, "%s%03ld", base[p % 5], p);
}

/* The 28 values of process p at sample s: gauges as they are, rates and
 * times as the running totals the log keeps (PDH takes differences). */
static void values(long p, long s, long life, rng *r, const double *total, double *v)
{
    double noise = (double)(rng_next(r) % 1000) / 1000.0;
    double priv = 5e7 + 1e6 * (double)(p % 50) + 2e6 * noise + (p % 25 == 0 ? 4000.0 * (double)s : 0);
    int k;
    for (k = 0; k < NC; k++) {
        const char *n = counters[k].name;
        if (counters[k].kind != GAUGE)
            v[k] = total[k];
        else if (!strcmp(n, "Private Bytes") || !strcmp(n, "Page File Bytes") ||
                 !strcmp(n, "Page File Bytes Peak"))
            v[k] = priv;
        else if (!strcmp(n, "Working Set") || !strcmp(n, "Working Set Peak"))
            v[k] = priv * 1.2;
        else if (!strcmp(n, "Working Set - Private"))
            v[k] = priv * 0.9;
        else if (!strcmp(n, "Virtual Bytes") || !strcmp(n, "Virtual Bytes Peak"))
            v[k] = 2.2e12 + 1e9 * (double)(p % 7);
        else if (!strcmp(n, "Thread Count"))
            v[k] = 20 + p % 30 + (double)(rng_next(r) % 3);
        else if (!strcmp(n, "Priority Base"))
            v[k] = 8;
        else if (!strcmp(n, "Elapsed Time"))
            v[k] = (double)(s % 720) * 15;
        else if (!strcmp(n, "ID Process"))
            v[k] = (double)(4 * (100 + p) + 40000 * life);
        else if (!strcmp(n, "Creating Process ID"))
            v[k] = 668;
        else if (!strcmp(n, "Pool Paged Bytes"))
            v[k] = 2e5 + 1e3 * (double)(p % 13);
        else if (!strcmp(n, "Pool Nonpaged Bytes"))
            v[k] = 3e4 + 1e2 * (double)(p % 11);
        else if (!strcmp(n, "Handle Count"))
            v[k] = 300 + p % 200 + (double)(rng_next(r) % 5) + (p % 40 == 7 ? (double)s / 20 : 0);
        else
            v[k] = 0;
    }
}

static void csv(long np, long ns)
{
    static char buf[1 << 20];
    double *total = calloc((size_t)np * NC, sizeof *total), v[NC];
    long p, s;
    int k;
    rng r = {7};
    char name[32];
    if (!total)
        exit(1);
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    printf("\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\"");
    for (p = 0; p < np; p++) {
        name_of(p, name, sizeof name);
        for (k = 0; k < NC; k++)
            printf(",\"\\\\BENCH01\\Process(%s)\\%s\"", name, counters[k].name);
    }
    printf("\r\n");
    for (s = 0; s < ns; s++) {
        pdh_time_cell(s, &r);
        for (p = 0; p < np; p++) {
            long life;
            if (!running(p, s, &life)) {
                for (k = 0; k < NC; k++)
                    printf(",\" \"");
                continue;
            }
            values(p, s, life, &r, total + p * NC, v);
            for (k = 0; k < NC; k++) {
                if (counters[k].kind == GAUGE)
                    printf(",\"%.0f\"", v[k]);
                else /* what PDH shows for a rate: per second, 6 places */
                    printf(",\"%.6f\"", s ? (double)(rng_next(&r) % 100000) / 1000.0 : 0.0);
            }
        }
        printf("\r\n");
    }
    free(total);
    if (fflush(stdout))
        exit(1);
}

static void blg(long np, long ns, const char *path)
{
    tb_log l;
    tb_bytes cat = {0}, names = {0};
    uint32_t idx[NC + 1], types[NC], cidx[NC];
    const char *nm[NC + 1];
    char (*inst)[32] = malloc((size_t)np * sizeof *inst);
    const char **iname = malloc((size_t)np * sizeof *iname);
    int64_t *vals = malloc((size_t)np * NC * sizeof *vals);
    double *total = calloc((size_t)np * NC, sizeof *total), v[NC];
    const int64_t ft0 = 134170560000000000LL; /* as gen_blg: a March 2026 day */
    rng r = {7};
    long p, s;
    int k;
    FILE *f;
    if (!inst || !iname || !vals || !total)
        exit(1);
    idx[0] = 230;
    nm[0] = "Process";
    for (k = 0; k < NC; k++) {
        idx[k + 1] = cidx[k] = counters[k].idx;
        nm[k + 1] = counters[k].name;
        types[k] = TYPES[counters[k].kind];
    }
    tb_log_init(&l, 0x10000, 480, NULL);
    tb_names(&names, "\\\\BENCH01", idx, nm, NC + 1);
    tb_log_event(&l, 36, ft0, 1, 1, names.p, names.n);
    tb_cat_begin(&cat);
    tb_cat_entry(&cat, 0x10, 0x10, 0, "", "Process", NULL, "*", 0, "*");
    tb_log_event(&l, 32, ft0, 1, 1, cat.p, cat.n);
    for (p = 0; p < np; p++)
        name_of(p, inst[p], sizeof inst[p]);
    for (s = 0; s < ns; s++) {
        tb_bytes smp = {0};
        tb_object o;
        int64_t ft = ft0 + (int64_t)s * 150000000LL;
        int32_t n = 0;
        for (p = 0; p < np; p++) {
            long life;
            /* running totals: a rate's counter grows by its rate times 15 s,
             * a processor time by up to the 15 s of one core */
            for (k = 0; k < NC; k++)
                if (counters[k].kind == RATE)
                    total[p * NC + k] += (double)(rng_next(&r) % 100000) / 1000.0 * 15;
                else if (counters[k].kind == TIMER)
                    total[p * NC + k] += (double)(rng_next(&r) % 150000000);
            if (!running(p, s, &life))
                continue;
            values(p, s, life, &r, total + p * NC, v);
            iname[n] = inst[p];
            for (k = 0; k < NC; k++)
                vals[(size_t)n * NC + k] = (int64_t)v[k];
            n++;
        }
        memset(&o, 0, sizeof o);
        o.obj = 230;
        o.ncounters = NC;
        o.names = cidx;
        o.types = types;
        o.ninst = n;
        o.inst = iname;
        o.values = vals;
        o.perf_time = (int64_t)s * 150000000LL;
        o.perf_freq = 10000000;
        o.perf_time100ns = ft;
        o.system = "BENCH01";
        tb_sample_begin(&smp);
        tb_sub_object(&smp, &o);
        tb_sample_end(&smp);
        tb_log_sample(&l, ft, &smp, 8000);
        tb_free(&smp);
    }
    tb_log_end(&l);
    if (!(f = fopen(path, "wb")) || fwrite(l.out.p, 1, l.out.n, f) != l.out.n || fclose(f)) {
        perror(path);
        exit(1);
    }
    tb_free(&cat);
    tb_free(&names);
    tb_free(&l.out);
    free(inst);
    free(iname);
    free(vals);
    free(total);
}

int main(int argc, char **argv)
{
    long np, ns;
    if (argc < 4 || (np = atol(argv[1])) <= 0 || (ns = atol(argv[2])) <= 0 ||
        (strcmp(argv[3], "csv") && (strcmp(argv[3], "blg") || argc != 5))) {
        fprintf(stderr, "usage: gen_proc PROCESSES SAMPLES csv > log.csv\n"
                        "       gen_proc PROCESSES SAMPLES blg log.blg\n");
        return 2;
    }
    if (!strcmp(argv[3], "csv"))
        csv(np, ns);
    else
        blg(np, ns, argv[4]);
    return 0;
}
