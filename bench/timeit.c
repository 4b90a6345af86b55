/* timeit.c - times a command for make bench: RUNS runs one after another,
 * each forked and waited for with wait4, and prints the median wall time
 * in seconds, the peak RSS (KiB) and the CPU time (user and system,
 * seconds) of that run. The clock starts just
 * before the fork and stops when wait4 returns, so no shell, date or
 * GNU time process start-up is counted against the command (they cost a
 * few milliseconds, which matter beside perfleak's 70).
 *   timeit RUNS ERRFILE CMD ARG...
 * stdout of CMD goes to /dev/null, its stderr to ERRFILE. With TIMEIT_ALL
 * set, every run's time is printed on stderr too. Exit status 1
 * is accepted (perfleak exits 1 when it finds a leak); anything else
 * fails the measurement with CMD's stderr. */
#define _DEFAULT_SOURCE /* wait4 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct run {
    double secs, cpu;
    long rss_kib;
} run;

static int by_secs(const void *a, const void *b)
{
    double x = ((const run *)a)->secs, y = ((const run *)b)->secs;
    return (x > y) - (x < y);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    int runs, i;
    run *r;
    if (argc < 4 || (runs = atoi(argv[1])) < 1) {
        fprintf(stderr, "usage: timeit RUNS ERRFILE CMD ARG...\n");
        return 2;
    }
    if (!(r = calloc((size_t)runs, sizeof *r)))
        return 2;
    for (i = 0; i < runs; i++) {
        struct rusage ru;
        int st;
        double t0 = now();
        pid_t pid = fork();
        if (pid < 0) {
            perror("timeit: fork");
            return 2;
        }
        if (pid == 0) {
            int out = open("/dev/null", O_WRONLY), err = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
                _exit(126);
            execvp(argv[3], argv + 3);
            _exit(127);
        }
        if (wait4(pid, &st, 0, &ru) < 0) {
            perror("timeit: wait4");
            return 2;
        }
        r[i].secs = now() - t0;
        r[i].rss_kib = ru.ru_maxrss;
        r[i].cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
                   (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
        if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) {
            fprintf(stderr, "timeit: %s failed (status %d); its stderr is in %s\n", argv[3],
                    WIFEXITED(st) ? WEXITSTATUS(st) : -1, argv[2]);
            return 1;
        }
    }
    qsort(r, (size_t)runs, sizeof *r, by_secs);
    if (getenv("TIMEIT_ALL")) { /* every run, for a closer look */
        for (i = 0; i < runs; i++)
            fprintf(stderr, "%.3f ", r[i].secs);
        fprintf(stderr, "%s\n", argv[3]);
    }
    printf("%.3f %ld %.3f\n", r[(runs - 1) / 2].secs, r[(runs - 1) / 2].rss_kib, r[(runs - 1) / 2].cpu);
    free(r);
    return 0;
}
