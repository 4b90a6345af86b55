/* diagnose_internal.h - what the diagnosis' files share: a process as
 * its ID's buckets per counter (identity.c), what its judged series say
 * (tracks.c), the findings made of them (findings.c), its lives chained
 * into a service (lives.c) and its share of a system counter's growth
 * (attribution.c); diagnose.c runs them in that order. */
#ifndef PL_DIAGNOSE_INTERNAL_H
#define PL_DIAGNOSE_INTERNAL_H

#include "perfleak/diagnose.h"
#include "perfleak/units.h"
#include "util/strmap.h"

/* The Process counters followed, by their English names. */
enum { C_PRIVATE, C_WS_PRIVATE, C_WS, C_PAGEFILE, C_VIRTUAL, C_HANDLES, C_THREADS,
       C_POOL_PAGED, C_POOL_NONPAGED, NCTR };
extern const char *const PL_DIAG_CTR_NAME[NCTR];
extern const pl_unit PL_DIAG_CTR_UNIT[NCTR];


typedef struct pbucket {
    pl_time t0, t1;
    double mean, max;
} pbucket;

/* One counter of one process: a whole column of the analysis (src, the
 * usual case: nothing is copied and the analysis' verdict stands), or
 * buckets gathered from the columns the process sat in (b). */
typedef struct track {
    const pl_series *src;   /* the column's series, when it is all this */
    size_t src_col;
    pbucket *b;
    size_t n, cap;          /* buckets held (src: its non-empty ones) */
    size_t cols[4];         /* analysis counters that fed it */
    size_t ncols;
    size_t series;          /* in the diagnosis' store, once built */
    int built;
    const pl_finding *f;    /* the verdict: the analysis' or own */
    pl_finding *own;        /* judged here (stitched, or a life) */
} track;

typedef struct proc {
    const char *machine;
    char name[128];
    long pid;
    int by_name;
    track t[NCTR];
    pl_time start, end;
    struct proc *next_life, *prev_life;
    int claimed;            /* part of a finding already */
    size_t fi;              /* that finding's index, or SIZE_MAX */
} proc;

struct pl_diagnosis {
    pl_culprit_finding *f;
    size_t n, cap;
    size_t nproc, nproc_pid;
};

typedef struct work {
    const pl_analysis *a;
    pl_store *store;
    proc **p;
    size_t np, capp;
    pl_strmap by_key;         /* "machine\x1Fname\x1Fpid\x1Fby_name" -> index in p */
    struct syscounter { const char *machine, *counter; size_t ci; } *sys; /* Memory's */
    size_t nsys, capsys;
    pl_time bucket_ticks;     /* the widest bucket a Process counter has */
    pl_detect_opts opts;      /* the analysis': for a process and a service */
    pl_detect_opts life_opts; /* for one life of a service: hours, not days */
    pl_finding short_life;    /* the verdict of a life too short to judge */
} work;

/* identity.c */
int pl_diag_collect(work *w);
size_t pl_diag_tb_len(const track *t);
int pl_diag_tb_get(const track *t, size_t j, pbucket *out);

/* tracks.c */
int pl_diag_leaks(const track *t);
int pl_diag_judged(const track *t);
/* The memory counter judged for p: Private Bytes when it has data, else
 * Page File Bytes, Working Set - Private, Working Set; -1 for none. */
int pl_diag_memory_track(const proc *p);
/* The median of v, which it sorts; NaN for none. */
double pl_diag_median(double *v, size_t n);

/* lives.c */
/* PL_OK, or PL_ENOMEM. */
int pl_diag_chain_lives(work *w);
/* The level t ends at (the median of its last tenth of buckets); NaN
 * when it has none. */
double pl_diag_end_level(const track *t);
/* 1 when counter k of life p ends above where the life before it
 * levelled off (always 1 for a first life). */
int pl_diag_beyond_previous(const proc *p, int k);
/* What a process' own counters say grows (PL_GROWS_ bits). */
unsigned pl_diag_own_kinds(const proc *p);
/* A chain of lives whose most lives leak: one finding for the service
 * (1), none (0), or -1 out of memory. */
int pl_diag_service_finding(pl_diagnosis *d, const pl_analysis *a, proc *first,
                            double min_span_h);

/* attribution.c */
int pl_diag_attribute(pl_diagnosis *d, work *w, const char *m, const char *counter, int ctr,
                      unsigned kind, pl_culprit_type rest);

/* findings.c */
pl_culprit_finding *pl_diag_new_finding(pl_diagnosis *d, pl_culprit_type type,
                                        const char *machine);
pl_culprit_finding *pl_diag_process_finding(pl_diagnosis *d, const pl_analysis *a, proc *p,
                                            unsigned kinds);
pl_culprit_finding *pl_diag_finding_of(pl_diagnosis *d, const proc *p);
void pl_diag_add_evidence(pl_culprit_finding *f, const pl_analysis *a, size_t ci);
void pl_diag_add_rate(pl_culprit_finding *f, int k, double per_hour, double level);
void pl_diag_process_evidence(pl_culprit_finding *f, const pl_analysis *a, const proc *p);

#endif
