/* progress.c - "perfleak: reading big.blg: 42% (420 of 1000 MB)" on a
 * terminal, for a log that takes more than a second. */
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli_internal.h"
#include "util/internal.h"

void pl_cli_progress_init(pl_cli_progress *p, FILE *f, int quiet)
{
    memset(p, 0, sizeof *p);
    p->f = f;
    p->tty = !quiet && isatty(fileno(f));
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void pl_cli_progress_show(void *ctx, const char *name, unsigned long long done,
                          unsigned long long total)
{
    pl_cli_progress *p = ctx;
    double t = now_s();
    if (!p->tty)
        return;
    if (p->name != name) {
        p->name = name;
        p->start = t;
        p->last = 0;
    }
    if (t - p->start < 1.0 || t - p->last < 0.2)
        return;
    p->last = t;
    p->shown = 1;
    fputs("\rperfleak: reading ", p->f);
    pl_write_visible(p->f, name);
    if (total)
        fprintf(p->f, ": %3.0f%% (%.0f of %.0f MB)\033[K", 100.0 * (double)done / (double)total,
                (double)done / 1e6, (double)total / 1e6);
    else
        fprintf(p->f, ": %.0f MB\033[K", (double)done / 1e6);
    fflush(p->f);
}

void pl_cli_progress_clear(pl_cli_progress *p)
{
    if (p->shown)
        fputs("\r\033[K", p->f);
    p->shown = 0;
}
