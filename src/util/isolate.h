/* isolate.h - running code we cannot trust with the process (libplot) in a
 * child process, and getting back what it wrote. Internal. */
#ifndef PL_ISOLATE_H
#define PL_ISOLATE_H

#include <stdio.h>
#include <sys/types.h>
#include "perfleak/perfleak.h"

/* What runs in the child: writes to out what request req (req_size bytes,
 * see pl_isolated_init) asks for; PL_OK or a code with err set. ctx and
 * everything it points to are the child's copy of the caller's memory at
 * the time the child started. */
typedef int (*pl_isolated_fn)(void *ctx, const void *req, FILE *out, pl_error *err);

/* A session: one child process that serves requests one at a time, so
 * that a batch of charts pays for one fork, not one each. */
typedef struct pl_isolated {
    pl_isolated_fn fn;
    void *ctx;
    size_t req_size;
    unsigned timeout_s;
    pid_t pid;   /* 0: no child yet, or the last one died */
    int fd;      /* our end of the socket pair */
    int once;    /* started by pl_isolated_start: never forked again */
    void (*child_end)(void *ctx); /* run in the child when the session ends */
} pl_isolated;

/* Nothing is started until the first call. */
void pl_isolated_init(pl_isolated *s, pl_isolated_fn fn, void *ctx, size_t req_size,
                      unsigned timeout_s);

/* end(ctx) runs in the child when the session ends well (its socket
 * closed), to release what the child kept between requests (fonts);
 * memory of a child that dies is the kernel's to reclaim. */
void pl_isolated_on_end(pl_isolated *s, void (*end)(void *ctx));

/* Starts the child now, for a session that worker threads will use:
 * call it before they exist, and the session forks no more (a lost child
 * fails the calls after it). A child forked while another thread holds a
 * lock waits for it forever: glibc resets its allocator's lock at fork,
 * but a sanitizer's allocator, fontconfig and POSIX promise nothing.
 * Where no child can be had, calls run fn in this process. */
void pl_isolated_start(pl_isolated *s);

/* Has the child run fn(ctx, req) and writes what it wrote to out. The
 * child has the signals INT/TERM/HUP at their defaults and at most
 * timeout_s seconds a request: if it ends the process (libplot exits on a
 * failed allocation), dies of a signal or runs over, nothing is written to
 * out and PL_EIO says how the renderer ended (the next call starts a new
 * child, unless pl_isolated_start started this one). Where no child can be had (fork or socketpair fail), fn runs in
 * this process. Returns PL_OK, fn's code, PL_ENOMEM, or PL_EIO (also when
 * out cannot be written). */
int pl_isolated_call(pl_isolated *s, const void *req, FILE *out, pl_error *err);

/* Ends the child (it exits when its socket closes) and waits for it. */
void pl_isolated_clear(pl_isolated *s);

/* One call in a session of its own: fn(ctx) with no request. */
int pl_isolated_write(int (*fn)(void *ctx, FILE *out, pl_error *err), void *ctx, FILE *out,
                      unsigned timeout_s, pl_error *err);

#endif
