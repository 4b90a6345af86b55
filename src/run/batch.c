/* batch.c - a run over many logs (analyze -f jsonl): one analysis per log
 * on a pool of threads; records are
 * written in the order the logs were given, each as soon as it and every
 * log before it are done, so output streams and memory stays bounded by
 * the logs finished out of order. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "perfleak/diagnose.h"
#include "perfleak/batch.h"
#include "perfleak/report.h"
#include "util/internal.h"
#include "util/pool.h"

typedef struct batch {
    const char *const *logs;
    size_t n, next;
    pl_analysis_opts o;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char **rec;          /* finished records, NULL until done */
    size_t *recn;
    unsigned char *owned; /* rec[i] is a buffer to free (not the "" of a done slot) */
    int *status;         /* 0 no leak, 1 leak, 2 unreadable, -1 out of memory */
} batch;

/* {"log": ..., "error": ...} for a log that could not be analysed, into
 * buf: both made valid UTF-8 first (a file name need not be, and a message
 * may quote the bytes that broke the log). 0, or -1 when out of memory. */
static int error_record(const char *log, const char *msg, char **buf, size_t *len)
{
    char *l = pl_utf8_sanitize(log, strlen(log)), *e = pl_utf8_sanitize(msg, strlen(msg));
    json_t *r = l && e ? json_pack("{s:s, s:s}", "log", l, "error", e) : NULL;
    char *text = r ? json_dumps(r, JSON_COMPACT) : NULL;
    free(l);
    free(e);
    json_decref(r);
    if (!text)
        return -1;
    *len = strlen(text);
    /* the line's newline in place of the terminator */
    text[*len] = '\n';
    *buf = text;
    (*len)++;
    return 0;
}

/* The record for one log, in a new buffer (*buf NULL when even that ran
 * out of memory): a log that fails, for want of memory too, is its error
 * record, and the next log goes on. 0 no leak, 1 leak, 2 error record,
 * 3 nothing judged, -1 no record at all. */
static int analyse_one(const batch *f, size_t i, char **buf, size_t *len)
{
    pl_analysis *a = NULL;
    pl_diagnosis *d = NULL;
    pl_error err = {0, ""};
    pl_analysis_opts o = f->o;
    char *command = NULL;
    size_t cn = 0, cc = 0;
    FILE *m = open_memstream(buf, len);
    int rc, status = 0;
    /* what ran for this record: the run's options and this log */
    if (o.run_command && (pl_append(&command, &cn, &cc, o.run_command, strlen(o.run_command)) != 0 ||
                          pl_shell_word(&command, &cn, &cc, f->logs[i]) != 0 ||
                          pl_append(&command, &cn, &cc, "", 1) != 0)) {
        free(command);
        command = NULL;
        if (m)
            fclose(m);
        m = NULL;
    }
    o.run_command = o.run_command ? command : NULL;
    if (!m) {
        *buf = NULL;
        rc = pl_err(&err, PL_ENOMEM, "%s: out of memory", f->logs[i]);
    } else {
        rc = pl_analysis_create(&a, &o, &err);
        if (rc == PL_OK)
            rc = pl_analysis_read_file(a, f->logs[i], &err);
        if (rc == PL_OK)
            rc = pl_analysis_detect(a, &err);
        if (rc == PL_OK)
            rc = pl_diagnose(a, &d, &err);
        if (rc == PL_OK) {
            pl_result r = {a, d};
            rc = pl_report_write(&r, PL_REPORT_JSONL, m, &err);
        }
        if (rc == PL_OK)
            status = pl_analysis_finding_count(a) || pl_diagnosis_count(d) ? 1 :
                     pl_analysis_judged_count(a) ? 0 : 3;
        pl_diagnosis_free(d);
        pl_analysis_free(a);
        if (fclose(m) != 0 && rc == PL_OK)
            rc = pl_err(&err, PL_ENOMEM, "%s: out of memory", f->logs[i]);
    }
    free(command);
    if (rc == PL_OK)
        return status;
    /* a record half written is dropped whole */
    free(*buf);
    *buf = NULL;
    *len = 0;
    if (rc == PL_ENOMEM && !strstr(err.msg, f->logs[i])) {
        /* pl_err cuts the whole on a character boundary */
        char was[sizeof err.msg];
        memcpy(was, err.msg, sizeof was);
        pl_err(&err, rc, "%s: %s", f->logs[i], was);
    }
    return error_record(f->logs[i], err.msg, buf, len) == 0 ? 2 : -1;
}

static void *worker(void *arg)
{
    batch *f = arg;
    for (;;) {
        size_t i, len = 0;
        char *buf = NULL;
        int st;
        pthread_mutex_lock(&f->mu);
        i = f->next < f->n ? f->next++ : f->n;
        pthread_mutex_unlock(&f->mu);
        if (i == f->n)
            return NULL;
        st = analyse_one(f, i, &buf, &len);
        pthread_mutex_lock(&f->mu);
        f->rec[i] = buf ? buf : (st = -1, (char *)"");
        f->recn[i] = buf ? len : 0;
        f->owned[i] = buf != NULL;
        f->status[i] = st;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
    }
}

int pl_batch_run(const char *const *logs, size_t n, const pl_analysis_opts *o, int jobs,
                 FILE *out, pl_batch_summary *sum, pl_error *err)
{
    batch f;
    pl_pool pool;
    size_t i;
    int rc = PL_OK;
    memset(sum, 0, sizeof *sum);
    memset(&f, 0, sizeof f);
    jobs = (int)pl_pool_threads(jobs, n ? n : 1);
    f.logs = logs;
    f.n = n;
    if (o)
        f.o = *o;
    else
        pl_analysis_opts_init(&f.o);
    /* Logs run side by side: each on one thread. */
    if (jobs > 1)
        f.o.threads = 1;
    f.rec = calloc(n ? n : 1, sizeof *f.rec);
    f.recn = calloc(n ? n : 1, sizeof *f.recn);
    f.status = calloc(n ? n : 1, sizeof *f.status);
    f.owned = calloc(n ? n : 1, sizeof *f.owned);
    if (!f.rec || !f.recn || !f.status || !f.owned) {
        rc = pl_err(err, PL_ENOMEM, "out of memory");
        goto done;
    }
    pthread_mutex_init(&f.mu, NULL);
    pthread_cond_init(&f.cv, NULL);
    if (!pl_pool_start(&pool, (size_t)jobs, worker, &f)) /* no thread: do the work here */
        worker(&f);
    /* Write each record once it and all before it are done. */
    for (i = 0; i < n; i++) {
        pthread_mutex_lock(&f.mu);
        while (!f.rec[i])
            pthread_cond_wait(&f.cv, &f.mu);
        pthread_mutex_unlock(&f.mu);
        if (f.status[i] < 0 && rc == PL_OK)
            rc = pl_err(err, PL_ENOMEM, "%s: out of memory", logs[i]);
        if (rc == PL_OK && fwrite(f.rec[i], 1, f.recn[i], out) != f.recn[i])
            rc = pl_err(err, PL_EIO, "cannot write the records");
        if (f.owned[i])
            free(f.rec[i]);
        f.rec[i] = (char *)"";
        sum->logs++;
        sum->leaky += f.status[i] == 1;
        sum->failed += f.status[i] == 2;
        sum->unjudged += f.status[i] == 3;
        if (rc == PL_OK)
            fflush(out);
    }
    pl_pool_join(&pool);
    pthread_cond_destroy(&f.cv);
    pthread_mutex_destroy(&f.mu);
done:
    free(f.rec);
    free(f.recn);
    free(f.status);
    free(f.owned);
    return rc;
}
