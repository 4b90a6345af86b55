/* servers.h - a deterministic labelled corpus of whole-server logs: a dozen
 * processes with ID Process, Private Bytes, Working Set, Virtual Bytes,
 * Handle Count, Thread Count and their pool bytes, and Memory totals made
 * from them (the kernel's own share added), one scenario each: leaks of a
 * process' heap, handles, threads or address space, a driver's pool, commit
 * explained by one process, a renumbered leaking namesake, a recycled
 * leaking application pool, several at once, and healthy servers that
 * look like leaks (warm-ups, cycles, a GC sawtooth, nightly restarts, a
 * renumbered healthy namesake). For the diagnosis' tests and
 * `make bench-accuracy`. */
#ifndef TESTS_SERVERS_H
#define TESTS_SERVERS_H

#include <stddef.h>
#include <stdint.h>
#include "perfleak/diagnose.h"

/* One culprit the scenario has: a process by name, a kernel pool, or the
 * system; kind is the PL_GROWS_ bit a right finding must name. */
typedef struct srv_expect {
    pl_culprit_type type;
    const char *name;   /* process: its name */
    int pool;           /* kernel: 0 paged, 1 nonpaged */
    unsigned kind;
    size_t restarts;    /* at least this many (a recycled pool) */
} srv_expect;

typedef struct srv_log {
    const char *scenario;
    char *text;         /* PDH-CSV */
    size_t len;
    srv_expect expect[4];
    size_t nexpect;     /* 0: a healthy server */
} srv_log;

size_t srv_scenario_count(void);
/* Writes scenario s with noise from seed. 0, or -1 when out of memory. */
int srv_make(size_t s, uint64_t seed, srv_log *out);
/* The same without the ID Process columns (no_pid 1). */
int srv_make_without_pid(size_t s, uint64_t seed, int no_pid, srv_log *out);
/* As srv_make, written with flags: SRV_NO_PID (no ID Process columns), or
 * SRV_V2 (the Process V2 object: one instance a process, "w3wp:6212", and
 * no ID Process column; nothing renumbered). */
enum { SRV_NO_PID = 1, SRV_V2 = 2 };
int srv_make_as(size_t s, uint64_t seed, int flags, srv_log *out);
void srv_free(srv_log *l);

/* Scores d against l's culprits: *tp right findings (culprit and kind),
 * *fp findings of no expected culprit (or with the wrong kind), *fn
 * expected culprits not found. */
void srv_score(const srv_log *l, const pl_diagnosis *d, size_t *tp, size_t *fp, size_t *fn);
/* The same for findings made some other way (a baseline). */
void srv_score_findings(const srv_log *l, const pl_culprit_finding *const *fs, size_t n,
                        size_t *tp, size_t *fp, size_t *fn);

#endif
