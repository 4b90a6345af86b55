/* output.c - output files that cannot destroy an input or a device node:
 * the checks made before anything is read, and the one way every output
 * file is written (a temporary beside the target, renamed when complete;
 * anything but a regular file written in place). */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "perfleak/output.h"
#include "util/stage.h"
#include "util/internal.h"

/* The temporaries being written, for a signal handler to remove. This is
 * perfleak's one piece of process-wide state, and it has to be: a handler
 * reaches nothing else. A slot holds a path (heap, freed only after the
 * slot is cleared) or NULL; with more writers than slots the rest go
 * unregistered (and are then only removed on their own error paths). */
#define MAX_TEMPS 4096
static _Atomic(char *) temps[MAX_TEMPS];

static int temp_register(const char *path)
{
    char *copy = pl_strdup(path);
    int i;
    for (i = 0; copy && i < MAX_TEMPS; i++) {
        char *expected = NULL;
        if (atomic_compare_exchange_strong(&temps[i], &expected, copy))
            return i;
    }
    free(copy);
    return -1;
}

static void temp_unregister(int slot)
{
    if (slot >= 0)
        free(atomic_exchange(&temps[slot], NULL));
}

void pl_output_remove_temporaries(void)
{
    int i;
    for (i = 0; i < MAX_TEMPS; i++) {
        char *p = atomic_load(&temps[i]);
        if (p)
            unlink(p);
    }
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int pl_output_check(const char *out, const char *const *inputs, size_t n, int force,
                    pl_error *err)
{
    struct stat so, si;
    size_t i;
    if (strcmp(out, "-") == 0 || stat(out, &so) != 0)
        return PL_OK; /* standard output, or nothing there yet */
    for (i = 0; i < n; i++)
        if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &si) == 0 && same_file(&so, &si))
            return pl_err(err, PL_EUSAGE,
                          "%s: is the input %s; refusing to write over it (give another output)",
                          out, inputs[i]);
    if (S_ISREG(so.st_mode) && !force)
        return pl_err(err, PL_EUSAGE, "%s: already exists; replacing it must be asked for", out);
    return PL_OK;
}

/* Names perfleak writes into an output directory. */
static int own_name(const char *base)
{
    static const char *const fixed[] = {"report.json", "report.md", "report.html", "summary.png"};
    size_t i, n = strlen(base);
    for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(base, fixed[i]) == 0)
            return 1;
    return n > 4 && strcmp(base + n - 4, ".png") == 0 &&
           (strncmp(base, "leak-", 5) == 0 || strncmp(base, "counter-", 8) == 0 ||
            strncmp(base, "compare-", 8) == 0);
}

int pl_output_dir_check(const char *dir, const char *const *inputs, size_t n, pl_error *err)
{
    struct stat sd, sp;
    size_t i;
    if (stat(dir, &sd) != 0)
        return PL_OK; /* made anew: nothing of the user's inside */
    if (!S_ISDIR(sd.st_mode)) /* said before anything is read */
        return pl_err(err, PL_EUSAGE, "%s: exists and is not a directory; expected an output directory",
                      dir);
    for (i = 0; i < n; i++) {
        const char *in = inputs[i], *slash = strrchr(in, '/');
        char *parent;
        int inside;
        if (strcmp(in, "-") == 0 || !own_name(slash ? slash + 1 : in))
            continue;
        parent = slash ? pl_strndup(in, (size_t)(slash - in) + 1) : pl_strdup(".");
        if (!parent)
            return pl_err(err, PL_ENOMEM, "out of memory");
        inside = stat(parent, &sp) == 0 && same_file(&sd, &sp);
        free(parent);
        if (inside)
            return pl_err(err, PL_EUSAGE,
                          "%s: the input %s is a file perfleak writes there; refusing to write over it (give another -o)",
                          dir, in);
    }
    return PL_OK;
}

/* A writer's error as one naming the file it was writing ("report.md:
 * cannot write the report: No space left on device", "summary.png: out of
 * memory for a chart"): the writers know a FILE, not its name. */
static int name_error(const char *path, int rc, pl_error *err)
{
    /* a usage error (counters of two units on one chart) is not the file's;
     * anything else (out of memory, libplot not loadable) is what stopped
     * this file */
    if (rc != PL_OK && rc != PL_EUSAGE && !strstr(err->msg, path)) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%.*s: %.*s", (int)pl_utf8_prefix(path, 400), path,
                 (int)pl_utf8_prefix(err->msg, 600), err->msg);
        memcpy(err->msg, msg, sizeof msg);
    }
    return rc;
}

/* Runs write_fn on fd (always closed), then flushes it, and to the disk
 * when sync is set: a file about to be renamed into place must be whole
 * there first. Errors name path. */
static int write_fd(int fd, const char *path, int sync,
                    int (*write_fn)(void *ctx, FILE *f, pl_error *err), void *ctx, pl_error *err)
{
    FILE *f = fdopen(fd, "wb");
    int rc;
    if (!f) {
        rc = pl_err(err, PL_EIO, "%s: %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    if ((rc = write_fn(ctx, f, err)) != PL_OK) {
        fclose(f);
        return name_error(path, rc, err);
    }
    if (fflush(f) != 0 || ferror(f) || (sync && fsync(fileno(f)) != 0)) {
        rc = pl_err(err, PL_EIO, "%s: cannot write: %s", path, strerror(errno));
        fclose(f);
        return rc;
    }
    if (fclose(f) != 0)
        return pl_err(err, PL_EIO, "%s: cannot write: %s", path, strerror(errno));
    return PL_OK;
}

/* Writes into something that is not a regular file (a device, a FIFO),
 * which a rename would replace. */
static int write_in_place(const char *path, int (*write_fn)(void *ctx, FILE *f, pl_error *err),
                          void *ctx, pl_error *err)
{
    int fd = open(path, O_WRONLY | O_NOCTTY);
    if (fd < 0)
        return pl_err(err, PL_EIO, "%s: cannot open for writing: %s", path, strerror(errno));
    return write_fd(fd, path, 0, write_fn, ctx, err);
}

/* Twelve characters no other process can guess: a temporary's name must
 * not be one another user could have planted a link or a file at. */
static void random_suffix(char out[13])
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    unsigned char b[12];
    size_t k, got = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd >= 0) {
        ssize_t r;
        while (got < sizeof b && ((r = read(fd, b + got, sizeof b - got)) > 0 || (r < 0 && errno == EINTR)))
            got += r > 0 ? (size_t)r : 0;
        close(fd);
    }
    if (got < sizeof b) { /* no /dev/urandom: O_EXCL still refuses a planted name */
        struct timespec ts;
        unsigned long x;
        clock_gettime(CLOCK_REALTIME, &ts);
        x = (unsigned long)getpid() * 2654435761UL ^ (unsigned long)ts.tv_nsec ^
            ((unsigned long)ts.tv_sec << 20) ^ (unsigned long)(uintptr_t)out;
        for (k = 0; k < sizeof b; k++) {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            b[k] = (unsigned char)(x >> 33);
        }
    }
    for (k = 0; k < sizeof b; k++)
        out[k] = digits[b[k] % 36];
    out[12] = '\0';
}

/* A new temporary ".NAME.XXXXXXXXXXXX" beside target (relative to dirfd),
 * created with O_EXCL and O_NOFOLLOW (nothing already there is ever
 * opened) and mode (the umask applies, as to any new file). -1 with errno
 * set on failure. */
static int make_temp(int dirfd, const char *target, char *tmp, size_t size, mode_t mode)
{
    const char *slash = strrchr(target, '/');
    size_t dirlen = slash ? (size_t)(slash - target + 1) : 0;
    int tries, fd = -1;
    for (tries = 0; tries < 100 && fd < 0; tries++) {
        char suffix[13];
        random_suffix(suffix);
        if ((size_t)snprintf(tmp, size, "%.*s.%s.%s", (int)dirlen, target, target + dirlen, suffix) >= size) {
            errno = ENAMETOOLONG;
            return -1;
        }
        fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, mode);
        if (fd < 0 && errno != EEXIST)
            return -1;
    }
    return fd;
}

/* A file being written under a temporary name beside its target. */
typedef struct pending {
    int dirfd;     /* what target and tmp are relative to (AT_FDCWD or a set's folder) */
    char *target;  /* what it replaces (a link's target, for a single file's link) */
    char *tmp;
    int slot;      /* in the signal table, or -1 */
} pending;

static void pending_drop(pending *p)
{
    if (p->tmp) {
        unlinkat(p->dirfd, p->tmp, 0);
        temp_unregister(p->slot);
    }
    free(p->tmp);
    free(p->target);
    memset(p, 0, sizeof *p);
}

/* Writes target's content (target relative to dirfd, which is the folder
 * dir names, or AT_FDCWD with dir NULL) to a new temporary of mode and
 * leaves it complete and closed in *p, for a rename; target is the
 * caller's, taken over. path names the file in messages. On failure
 * nothing is left. */
static int write_pending(int dirfd, const char *dir, char *target, const char *path, mode_t mode,
                         int keep_mode, int (*write_fn)(void *ctx, FILE *f, pl_error *err),
                         void *ctx, pending *p, pl_error *err)
{
    size_t size;
    int fd, rc;
    memset(p, 0, sizeof *p);
    p->dirfd = dirfd;
    p->slot = -1;
    p->target = target;
    if (!p->target || !(p->tmp = malloc(size = strlen(p->target) + 24))) {
        pending_drop(p);
        return pl_err(err, PL_ENOMEM, "out of memory");
    }
    if ((fd = make_temp(dirfd, p->target, p->tmp, size, mode)) < 0) {
        rc = pl_err(err, PL_EIO, "%s: cannot create a temporary file beside it: %s", path,
                    strerror(errno));
        free(p->tmp);
        p->tmp = NULL;
        pending_drop(p);
        return rc;
    }
    if (dir) { /* the handler has no folder to be relative to */
        size_t n = strlen(dir) + strlen(p->tmp) + 2;
        char *full = malloc(n);
        if (full) {
            snprintf(full, n, "%s/%s", dir, p->tmp);
            p->slot = temp_register(full);
            free(full);
        }
    } else {
        p->slot = temp_register(p->tmp);
    }
    /* the old file's mode whatever the umask; a new one keeps what the
     * umask left of 0666 */
    if (keep_mode && fchmod(fd, mode) != 0) {
        rc = pl_err(err, PL_EIO, "%s: %s", path, strerror(errno));
        close(fd);
        pending_drop(p);
        return rc;
    }
    if ((rc = write_fd(fd, path, 1, write_fn, ctx, err)) != PL_OK)
        pending_drop(p);
    return rc;
}

/* rename never follows a link at the target: a link or a hard link there
 * is replaced as a name, and what it pointed at is untouched. */
static int pending_commit(pending *p, const char *path, pl_error *err)
{
    int rc = PL_OK;
    if (renameat(p->dirfd, p->tmp, p->dirfd, p->target) != 0) {
        rc = pl_err(err, PL_EIO, "%s: cannot rename the finished file into place: %s", path,
                    strerror(errno));
        pending_drop(p);
        return rc;
    }
    temp_unregister(p->slot);
    free(p->tmp);
    p->tmp = NULL;
    pending_drop(p);
    return rc;
}

int pl_write_atomic(const char *path, int (*write_fn)(void *ctx, FILE *f, pl_error *err),
                    void *ctx, pl_error *err)
{
    struct stat st;
    pending p;
    int rc, exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode))
        return write_in_place(path, write_fn, ctx, err);
    /* a file the user named: a link of theirs stays a link, and the file
     * it names is replaced */
    rc = write_pending(AT_FDCWD, NULL, exists ? realpath(path, NULL) : pl_strdup(path), path,
                       exists ? st.st_mode & 07777 : 0666, exists, write_fn, ctx, &p, err);
    if (rc != PL_OK)
        return rc;
    return pending_commit(&p, path, err);
}

/* ---------- a set of files in one directory ---------- */

struct pl_stage {
    char *dir;
    int dirfd;           /* held with flock: one writer of the set at a time */
    pthread_mutex_t mu;
    pending *files;
    char **names;
    size_t n, cap;
};

int pl_stage_create(pl_stage **out, const char *dir, pl_error *err)
{
    pl_stage *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s || !(s->dir = pl_strdup(dir))) {
        free(s);
        return pl_err(err, PL_ENOMEM, "out of memory");
    }
    if ((s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        int rc = pl_err(err, PL_EIO, "%s: cannot open the directory: %s", dir, strerror(errno));
        free(s->dir);
        free(s);
        return rc;
    }
    /* another perfleak writing this directory finishes first */
    while (flock(s->dirfd, LOCK_EX) != 0 && errno == EINTR)
        ;
    pthread_mutex_init(&s->mu, NULL);
    *out = s;
    return PL_OK;
}

int pl_stage_write(pl_stage *s, const char *name,
                   int (*write_fn)(void *ctx, FILE *f, pl_error *err), void *ctx, pl_error *err)
{
    size_t n = strlen(s->dir) + strlen(name) + 2;
    char *path, *nm;
    struct stat st;
    mode_t mode = 0666;
    pending p;
    int rc, keep = 0;
    if (!name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return pl_err(err, PL_EUSAGE, "%s: not a file name inside the output directory", name);
    path = malloc(n);
    nm = pl_strdup(name);
    if (!path || !nm) {
        free(path);
        free(nm);
        return pl_err(err, PL_ENOMEM, "out of memory");
    }
    snprintf(path, n, "%s/%s", s->dir, name);
    /* the name itself, never what a link there points at: a folder shared
     * with others may hold a link planted to a file outside it */
    if (fstatat(s->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISREG(st.st_mode) && st.st_nlink == 1) {
            mode = st.st_mode & 0777;
            keep = 1;
        } else if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
            /* perfleak's name on a folder, a FIFO, a device: not replaced */
            rc = pl_err(err, PL_EUSAGE, "%s: exists and is not a regular file or a link; not replaced",
                        path);
            free(path);
            free(nm);
            return rc;
        }
        /* a link, or a file with other names (a hard link): replaced as a
         * name by the rename, a new file of the default mode */
    }
    rc = write_pending(s->dirfd, s->dir, pl_strdup(name), path, mode, keep, write_fn, ctx, &p, err);
    free(path);
    if (rc != PL_OK) {
        free(nm);
        return rc;
    }
    pthread_mutex_lock(&s->mu);
    {
        size_t fcap = s->cap, ncap = s->cap;
        if (pl_grow(&s->files, &fcap, s->n + 1, sizeof *s->files) ||
            pl_grow(&s->names, &ncap, s->n + 1, sizeof *s->names)) {
            pthread_mutex_unlock(&s->mu);
            pending_drop(&p);
            free(nm);
            return pl_err(err, PL_ENOMEM, "out of memory");
        }
        /* both arrays grow alike; the smaller capacity is the one held */
        s->cap = fcap < ncap ? fcap : ncap;
    }
    s->files[s->n] = p;
    s->names[s->n++] = nm;
    pthread_mutex_unlock(&s->mu);
    return PL_OK;
}

static int staged(const pl_stage *s, const char *name)
{
    size_t i;
    for (i = 0; i < s->n; i++)
        if (strcmp(s->names[i], name) == 0)
            return 1;
    return 0;
}

#define MANIFEST ".perfleak-manifest"

/* The names the last set written here listed in its manifest, one a line
 * (NULL and 0 when there is none, as in a folder no perfleak of this kind
 * wrote: then nothing is taken for perfleak's). */
static char **read_manifest(int dirfd, size_t *n)
{
    int fd = openat(dirfd, MANIFEST, O_RDONLY | O_NOFOLLOW);
    FILE *f;
    char line[PATH_MAX + 2], **names = NULL;
    size_t cap = 0;
    *n = 0;
    if (fd < 0 || !(f = fdopen(fd, "r"))) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    while (fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "\n");
        line[len] = '\0';
        if (!len || line[0] == '#' || strchr(line, '/'))
            continue;
        if (pl_grow(&names, &cap, *n + 1, sizeof *names) != 0 || !(names[*n] = pl_strdup(line)))
            break;
        (*n)++;
    }
    fclose(f);
    return names;
}

/* The set's names as the manifest, written beside it and renamed over
 * it. 0, or -1 (the old manifest then stays: a later run still knows the
 * files it listed). */
static int write_manifest(const pl_stage *s)
{
    char tmp[64];
    int fd, ok = 1;
    size_t i;
    FILE *f;
    if ((fd = make_temp(s->dirfd, MANIFEST, tmp, sizeof tmp, 0666)) < 0)
        return -1;
    if (!(f = fdopen(fd, "w"))) {
        close(fd);
        unlinkat(s->dirfd, tmp, 0);
        return -1;
    }
    ok = fputs("# The files perfleak wrote here last. The next run into this folder\n"
               "# removes those of them it does not write again, and nothing else.\n", f) >= 0;
    for (i = 0; ok && i < s->n; i++)
        ok = fprintf(f, "%s\n", s->names[i]) >= 0;
    if (fclose(f) != 0 || !ok || renameat(s->dirfd, tmp, s->dirfd, MANIFEST) != 0) {
        unlinkat(s->dirfd, tmp, 0);
        return -1;
    }
    return 0;
}

int pl_stage_commit(pl_stage *s, pl_error *err)
{
    size_t i, nold = 0;
    int rc = PL_OK;
    char **old = read_manifest(s->dirfd, &nold);
    for (i = 0; i < s->n; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", s->dir, s->names[i]);
        if (rc == PL_OK)
            rc = pending_commit(&s->files[i], path, err);
        else
            pending_drop(&s->files[i]);
    }
    if (rc == PL_OK && write_manifest(s) == 0) {
        /* what the last run wrote and this one did not is not of this set
         * (a chart of a leak that is gone would mislead): removed when the
         * manifest lists it, and it is still a regular file of a name
         * perfleak gives; a file of the user's is in no manifest */
        for (i = 0; i < nold; i++) {
            struct stat st;
            if (!staged(s, old[i]) && own_name(old[i]) &&
                fstatat(s->dirfd, old[i], &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
                unlinkat(s->dirfd, old[i], 0);
        }
    }
    for (i = 0; i < nold; i++)
        free(old[i]);
    free(old);
    return rc;
}

void pl_stage_free(pl_stage *s)
{
    size_t i;
    if (!s)
        return;
    for (i = 0; i < s->n; i++) {
        pending_drop(&s->files[i]); /* what was not committed */
        free(s->names[i]);
    }
    free(s->files);
    free(s->names);
    pthread_mutex_destroy(&s->mu);
    if (s->dirfd >= 0)
        close(s->dirfd); /* releases the lock */
    free(s->dir);
    free(s);
}
