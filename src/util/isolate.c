/* isolate.c - a function run in a child process, its output piped back.
 *
 * libplot ends the process with status 1 when one of its allocations
 * fails ("libxmi: out of memory"), and has crashed on coordinates near the
 * limits of a double. Neither may take perfleak with it: a chart is drawn
 * in a child, which sends back its code, its message and the bytes, and
 * the parent turns any other end into one error. The child only runs the
 * renderer and _exit()s, so forking from a threaded caller is safe: it
 * touches no lock another thread may hold except malloc's, which fork
 * resets. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "util/internal.h"
#include "util/isolate.h"

/* Everything, or -1. */
static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

typedef struct reply_head {
    int32_t code;
    uint32_t msg_len;
    uint64_t data_len;
} reply_head;

static void child(int fd, int (*fn)(void *, FILE *, pl_error *), void *ctx, unsigned timeout_s)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    char *data = NULL;
    size_t len = 0, i;
    pl_error e;
    reply_head h;
    FILE *m;
    /* the parent removes its temporaries; the child only stops */
    for (i = 0; i < sizeof sigs / sizeof *sigs; i++)
        signal(sigs[i], SIG_DFL);
    alarm(timeout_s);
    memset(&e, 0, sizeof e);
    m = open_memstream(&data, &len);
    if (!m) {
        h.code = pl_err(&e, PL_ENOMEM, "out of memory for a chart");
    } else {
        h.code = fn(ctx, m, &e);
        if (fclose(m) != 0 && h.code == PL_OK)
            h.code = pl_err(&e, PL_ENOMEM, "out of memory for a chart");
    }
    if (h.code != PL_OK)
        len = 0;
    h.msg_len = h.code == PL_OK ? 0 : (uint32_t)strnlen(e.msg, sizeof e.msg);
    h.data_len = len;
    if (write_all(fd, &h, sizeof h) != 0 || write_all(fd, e.msg, h.msg_len) != 0 ||
        write_all(fd, data ? data : "", len) != 0)
        _exit(3);
    _exit(0);
}

/* What ended the child, for the one error line. */
static int child_failed(int status, unsigned timeout_s, pl_error *err)
{
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

int pl_isolated_write(int (*fn)(void *ctx, FILE *out, pl_error *err), void *ctx, FILE *out,
                      unsigned timeout_s, pl_error *err)
{
    int fds[2], status, rc = PL_OK;
    char *buf = NULL;
    size_t cap = 0, len = 0;
    reply_head h;
    pid_t pid;
    if (pipe(fds) != 0)
        return fn(ctx, out, err);
    fflush(out); /* nothing buffered is written twice by the child */
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return fn(ctx, out, err);
    }
    if (pid == 0) {
        close(fds[0]);
        child(fds[1], fn, ctx, timeout_s);
    }
    close(fds[1]);
    for (;;) {
        ssize_t k;
        if (pl_grow(&buf, &cap, len + 65536, 1) != 0) {
            rc = pl_err(err, PL_ENOMEM, "out of memory reading a chart");
            kill(pid, SIGKILL);
            break;
        }
        k = read(fds[0], buf + len, cap - len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        len += (size_t)k;
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            status = -1;
            break;
        }
    if (rc == PL_OK) {
        if (status != 0 || len < sizeof h) {
            rc = status == -1 ? pl_err(err, PL_EIO, "the chart renderer was lost")
                              : child_failed(status, timeout_s, err);
        } else {
            memcpy(&h, buf, sizeof h);
            if (h.msg_len > sizeof err->msg - 1 || len - sizeof h < h.msg_len ||
                len - sizeof h - h.msg_len != h.data_len) {
                rc = pl_err(err, PL_EIO, "the chart renderer stopped short");
            } else if (h.code != PL_OK) {
                rc = pl_err(err, h.code, "%.*s", (int)h.msg_len, buf + sizeof h);
            } else if (h.data_len &&
                       fwrite(buf + sizeof h + h.msg_len, 1, h.data_len, out) != h.data_len) {
                rc = pl_err(err, PL_EIO, "cannot write the chart: %s", strerror(errno));
            }
        }
    }
    free(buf);
    return rc;
}
