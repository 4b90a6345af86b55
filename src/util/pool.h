/* pool.h - perfleak's threads, in one place: how many a job gets (-j, or
 * the machine's cores) and starting and joining them. Every stage that
 * works in parallel (the CSV pipeline, judging, the JSON halves, charts,
 * fleet logs) goes through here. Workers take their own work from the
 * job (an index under a lock or atomic), so results never depend on how
 * many threads started. Internal. */
#ifndef PL_UTIL_POOL_H
#define PL_UTIL_POOL_H

#include <pthread.h>
#include <stddef.h>
#include "perfleak/perfleak.h"

#define PL_POOL_MAX 64

typedef struct pl_pool {
    pthread_t th[PL_POOL_MAX];
    size_t n;
} pl_pool;

/* Threads for a job: requested (-j) when above 0, else the cores online;
 * at most cap (what the job can use; 0: no cap), and always 1 to
 * PL_POOL_MAX. The one place perfleak asks how many cores there are. */
size_t pl_pool_threads(int requested, size_t cap);

/* Starts up to n threads (at most PL_POOL_MAX) running fn(ctx); returns
 * how many started (0 when none could be: the caller then does the work
 * itself). */
size_t pl_pool_start(pl_pool *p, size_t n, void *(*fn)(void *ctx), void *ctx);
/* Waits for every thread pl_pool_start started. */
void pl_pool_join(pl_pool *p);

/* fn(ctx) on threads threads, the caller's among them; returns when all
 * have returned. */
void pl_pool_run(size_t threads, void *(*fn)(void *ctx), void *ctx);

/* What the threads of one job share besides its work: a lock for the
 * job's own state, and the first error, which ends every thread's share. */
typedef struct pl_pool_job {
    pthread_mutex_t lock;
    int rc;
    pl_error err;
} pl_pool_job;

void pl_pool_job_init(pl_pool_job *j);
/* Keeps rc and err when they are the job's first error (rc != PL_OK). */
void pl_pool_job_fail(pl_pool_job *j, int rc, const pl_error *err);
/* 1 once an error was kept (read under j->lock or after the threads). */
int pl_pool_job_failed(const pl_pool_job *j);
/* After the threads: the job's code, with its error in err (when not
 * NULL); the lock is destroyed. */
int pl_pool_job_clear(pl_pool_job *j, pl_error *err);

#endif
