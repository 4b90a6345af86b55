/* isolate.c - functions run in a child process, their output sent back.
 *
 * libplot ends the process with status 1 when one of its allocations
 * fails ("libxmi: out of memory"), and has crashed on coordinates near the
 * limits of a double. Neither may take perfleak with it: charts are drawn
 * in a child, which sends back its code, its message and the bytes, and
 * the parent turns any other end into one error. A session's child serves
 * request after request (a fork a chart cost 6 ms of page faults each:
 * 1.3 s for a report of 100 leaks). A child forked while other threads
 * run inherits whatever locks they held (a sanitizer's allocator, which
 * fork does not reset; fontconfig's), so sessions that threads use are
 * started before the threads are (pl_isolated_start). The child closes
 * every descriptor but its own socket and the standard three, so that no
 * child keeps another session's socket open. */
#define _GNU_SOURCE /* close_range */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "util/internal.h"
#include "util/isolate.h"

#define CHILD_FD 3

typedef struct reply_head {
    int32_t code;
    uint32_t msg_len;
    uint64_t data_len;
} reply_head;

/* Everything, or -1 (never SIGPIPE: the other end may be gone). */
static int send_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Exactly n bytes: 1, or 0 at the end of the stream, -1 on an error. */
static int recv_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, p + got, n - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return k == 0 && got == 0 ? 0 : -1;
        got += (size_t)k;
    }
    return 1;
}

static void serve_one(pl_isolated *s, const void *req)
{
    char *data = NULL;
    size_t len = 0;
    pl_error e;
    reply_head h;
    FILE *m;
    memset(&e, 0, sizeof e);
    alarm(s->timeout_s);
    m = open_memstream(&data, &len);
    if (!m) {
        h.code = pl_err(&e, PL_ENOMEM, "out of memory for a chart");
    } else {
        h.code = s->fn(s->ctx, req, m, &e);
        if (fclose(m) != 0 && h.code == PL_OK)
            h.code = pl_err(&e, PL_ENOMEM, "out of memory for a chart");
    }
    alarm(0);
    if (h.code != PL_OK)
        len = 0;
    h.msg_len = h.code == PL_OK ? 0 : (uint32_t)strnlen(e.msg, sizeof e.msg);
    h.data_len = len;
    if (send_all(CHILD_FD, &h, sizeof h) != 0 || send_all(CHILD_FD, e.msg, h.msg_len) != 0 ||
        send_all(CHILD_FD, data ? data : "", len) != 0)
        _exit(3);
    free(data);
}

static void child(pl_isolated *s, int fd)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    void *req = malloc(s->req_size ? s->req_size : 1);
    size_t i;
    /* the parent removes its temporaries; the child only stops */
    for (i = 0; i < sizeof sigs / sizeof *sigs; i++)
        signal(sigs[i], SIG_DFL);
    if (fd != CHILD_FD && (dup2(fd, CHILD_FD) < 0 || close(fd) != 0))
        _exit(3);
    close_range(CHILD_FD + 1, ~0U, 0);
    if (!req)
        _exit(1);
    for (;;) {
        int got = s->req_size ? recv_all(CHILD_FD, req, s->req_size) : 1;
        if (got == 0) { /* the session ended */
            if (s->child_end)
                s->child_end(s->ctx);
            free(req);
            _exit(0);
        }
        if (got < 0)
            _exit(3);
        serve_one(s, req);
        if (!s->req_size) { /* a one-shot session */
            if (s->child_end)
                s->child_end(s->ctx);
            free(req);
            _exit(0);
        }
    }
}

/* What ended the child, for the one error line. */
static int child_failed(int status, unsigned timeout_s, pl_error *err)
{
    if (status == -1)
        return pl_err(err, PL_EIO, "the chart renderer was lost");
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
        return pl_err(err, PL_EIO, "the chart renderer ran over %u s and was stopped", timeout_s);
    if (WIFSIGNALED(status))
        return pl_err(err, PL_EIO, "the chart renderer (libplot) crashed (signal %d)",
                      WTERMSIG(status));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
        return pl_err(err, PL_EIO, "the chart renderer (libplot) ran out of memory");
    return pl_err(err, PL_EIO, "the chart renderer (libplot) failed (status %d)",
                  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static int reap(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}

void pl_isolated_init(pl_isolated *s, pl_isolated_fn fn, void *ctx, size_t req_size,
                      unsigned timeout_s)
{
    s->fn = fn;
    s->ctx = ctx;
    s->req_size = req_size;
    s->timeout_s = timeout_s;
    s->pid = 0;
    s->fd = -1;
    s->once = 0;
    s->child_end = NULL;
}

void pl_isolated_on_end(pl_isolated *s, void (*end)(void *ctx))
{
    s->child_end = end;
}

/* 0 with a child serving, -1 when none can be had. */
static int start(pl_isolated *s, FILE *out)
{
    int fds[2];
    pid_t pid;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
        return -1;
    fflush(out); /* nothing buffered is written twice by the child (NULL: every stream) */
    if ((pid = fork()) < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        child(s, fds[1]);
    }
    close(fds[1]);
    s->pid = pid;
    s->fd = fds[0];
    return 0;
}

/* The child is gone: why, and the next call starts another. */
static int lost(pl_isolated *s, pl_error *err)
{
    int status;
    close(s->fd);
    s->fd = -1;
    status = reap(s->pid);
    s->pid = 0;
    return child_failed(status, s->timeout_s, err);
}

void pl_isolated_start(pl_isolated *s)
{
    if (!s->pid)
        start(s, NULL);
    s->once = 1 + (s->pid == 0); /* 2: none could be had, run here */
}

int pl_isolated_call(pl_isolated *s, const void *req, FILE *out, pl_error *err)
{
    reply_head h;
    char *msg = NULL, *data = NULL;
    int rc = PL_OK;
    if (!s->pid && s->once == 1)
        return pl_err(err, PL_EIO, "the chart renderer ended with an earlier chart");
    if (!s->pid && (s->once == 2 || start(s, out) != 0))
        return s->fn(s->ctx, req, out, err);
    if (s->req_size && send_all(s->fd, req, s->req_size) != 0)
        return lost(s, err);
    if (recv_all(s->fd, &h, sizeof h) != 1)
        return lost(s, err);
    if (h.msg_len >= sizeof err->msg || h.data_len > SIZE_MAX - 1 ||
        !(msg = malloc(h.msg_len + 1)) || !(data = malloc(h.data_len ? h.data_len : 1))) {
        free(msg);
        kill(s->pid, SIGKILL);
        lost(s, err);
        return pl_err(err, PL_ENOMEM, "out of memory reading a chart");
    }
    if ((h.msg_len && recv_all(s->fd, msg, h.msg_len) != 1) ||
        (h.data_len && recv_all(s->fd, data, h.data_len) != 1)) {
        free(msg);
        free(data);
        return lost(s, err);
    }
    if (h.code != PL_OK)
        rc = pl_err(err, h.code, "%.*s", (int)h.msg_len, msg);
    else if (h.data_len && fwrite(data, 1, h.data_len, out) != h.data_len)
        rc = pl_err(err, PL_EIO, "cannot write the chart: %s", strerror(errno));
    free(msg);
    free(data);
    if (!s->req_size) /* a one-shot child exits after its reply */
        pl_isolated_clear(s);
    return rc;
}

void pl_isolated_clear(pl_isolated *s)
{
    if (!s->pid)
        return;
    close(s->fd);
    reap(s->pid);
    s->fd = -1;
    s->pid = 0;
}

typedef struct one_shot {
    int (*fn)(void *ctx, FILE *out, pl_error *err);
    void *ctx;
} one_shot;

static int run_one_shot(void *ctx, const void *req, FILE *out, pl_error *err)
{
    const one_shot *o = ctx;
    (void)req;
    return o->fn(o->ctx, out, err);
}

int pl_isolated_write(int (*fn)(void *ctx, FILE *out, pl_error *err), void *ctx, FILE *out,
                      unsigned timeout_s, pl_error *err)
{
    one_shot o = {fn, ctx};
    pl_isolated s;
    int rc;
    pl_isolated_init(&s, run_one_shot, &o, 0, timeout_s);
    rc = pl_isolated_call(&s, NULL, out, err);
    pl_isolated_clear(&s);
    return rc;
}
