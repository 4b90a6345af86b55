/* pool.c - starting and joining the threads of a job (see pool.h). */
#include <unistd.h>
#include "util/pool.h"

size_t pl_pool_threads(int requested, size_t cap)
{
    size_t n;
    if (requested > 0) {
        n = (size_t)requested;
    } else {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n = cores > 0 ? (size_t)cores : 1;
    }
    if (cap && n > cap)
        n = cap;
    return n < 1 ? 1 : n > PL_POOL_MAX ? PL_POOL_MAX : n;
}

size_t pl_pool_start(pl_pool *p, size_t n, void *(*fn)(void *ctx), void *ctx)
{
    p->n = 0;
    if (n > PL_POOL_MAX)
        n = PL_POOL_MAX;
    while (p->n < n && pthread_create(&p->th[p->n], NULL, fn, ctx) == 0)
        p->n++;
    return p->n;
}

void pl_pool_join(pl_pool *p)
{
    size_t i;
    for (i = 0; i < p->n; i++)
        pthread_join(p->th[i], NULL);
    p->n = 0;
}

void pl_pool_run(size_t threads, void *(*fn)(void *ctx), void *ctx)
{
    pl_pool p;
    pl_pool_start(&p, threads > 1 ? threads - 1 : 0, fn, ctx);
    fn(ctx);
    pl_pool_join(&p);
}

void pl_pool_job_init(pl_pool_job *j)
{
    pthread_mutex_init(&j->lock, NULL);
    j->rc = PL_OK;
}

void pl_pool_job_fail(pl_pool_job *j, int rc, const pl_error *err)
{
    if (rc == PL_OK)
        return;
    pthread_mutex_lock(&j->lock);
    if (j->rc == PL_OK) {
        j->rc = rc;
        j->err = *err;
    }
    pthread_mutex_unlock(&j->lock);
}

int pl_pool_job_failed(const pl_pool_job *j)
{
    return j->rc != PL_OK;
}

int pl_pool_job_clear(pl_pool_job *j, pl_error *err)
{
    pthread_mutex_destroy(&j->lock);
    if (j->rc != PL_OK && err)
        *err = j->err;
    return j->rc;
}
