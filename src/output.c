/* output.c - output files that cannot destroy an input or a device node:
 * the checks made before anything is read, and the one way every output
 * file is written (a temporary beside the target, renamed when complete;
 * anything but a regular file written in place). */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "perfleak/output.h"
#include "internal.h"

/* The temporaries being written, for a signal handler to remove. This is
 * perfleak's one piece of process-wide state, and it has to be: a handler
 * reaches nothing else. A slot is 0 free, 1 being filled, 2 a path to
 * remove; with more writers than slots the rest go unregistered (and are
 * then only removed on their own error paths). */
#define MAX_TEMPS 64
static struct temp_slot {
    atomic_int state;
    char path[PATH_MAX];
} temps[MAX_TEMPS];

static int temp_register(const char *path)
{
    int i;
    for (i = 0; i < MAX_TEMPS; i++) {
        int expected = 0;
        if (strlen(path) < sizeof temps[i].path &&
            atomic_compare_exchange_strong(&temps[i].state, &expected, 1)) {
            strcpy(temps[i].path, path);
            atomic_store(&temps[i].state, 2);
            return i;
        }
    }
    return -1;
}

static void temp_unregister(int slot)
{
    if (slot >= 0)
        atomic_store(&temps[slot].state, 0);
}

void pl_output_remove_temporaries(void)
{
    int i;
    for (i = 0; i < MAX_TEMPS; i++)
        if (atomic_load(&temps[i].state) == 2)
            unlink(temps[i].path);
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
        return pl_err(err, PL_EUSAGE, "%s: already exists; give --force to replace it", out);
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
           (strncmp(base, "leak-", 5) == 0 || strncmp(base, "counter-", 8) == 0);
}

int pl_output_dir_check(const char *dir, const char *const *inputs, size_t n, pl_error *err)
{
    struct stat sd, sp;
    size_t i;
    if (stat(dir, &sd) != 0)
        return PL_OK; /* made anew: nothing of the user's inside */
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

/* Writes into something that is not a regular file (a device, a FIFO),
 * which a rename would replace. */
static int write_in_place(const char *path, int (*write_fn)(void *ctx, FILE *f, pl_error *err),
                          void *ctx, pl_error *err)
{
    int fd = open(path, O_WRONLY | O_NOCTTY), rc;
    FILE *f;
    if (fd < 0)
        return pl_err(err, PL_EIO, "%s: cannot open for writing: %s", path, strerror(errno));
    if (!(f = fdopen(fd, "wb"))) {
        rc = pl_err(err, PL_EIO, "%s: %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    if ((rc = write_fn(ctx, f, err)) != PL_OK) {
        fclose(f);
        return rc;
    }
    if (fflush(f) != 0 || ferror(f)) {
        rc = pl_err(err, PL_EIO, "%s: cannot write: %s", path, strerror(errno));
        fclose(f);
        return rc;
    }
    if (fclose(f) != 0)
        return pl_err(err, PL_EIO, "%s: cannot write: %s", path, strerror(errno));
    return PL_OK;
}

/* A temporary ".NAME.XXXXXX" beside target, created with mode (the
 * umask applies, as to any new file). -1 with errno set on failure. */
static int make_temp(const char *target, char *tmp, size_t size, mode_t mode)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    const char *slash = strrchr(target, '/');
    size_t dirlen = slash ? (size_t)(slash - target + 1) : 0;
    unsigned long x = (unsigned long)getpid() * 2654435761UL ^ (unsigned long)(uintptr_t)tmp;
    int tries, fd = -1, k;
    for (tries = 0; tries < 100 && fd < 0; tries++) {
        char suffix[7];
        x = x * 6364136223846793005UL + 1442695040888963407UL + (unsigned long)tries;
        for (k = 0; k < 6; k++)
            suffix[k] = digits[(x >> (k * 5 + 7)) % 36];
        suffix[6] = '\0';
        if ((size_t)snprintf(tmp, size, "%.*s.%s.%s", (int)dirlen, target, target + dirlen, suffix) >= size) {
            errno = ENAMETOOLONG;
            return -1;
        }
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY, mode);
        if (fd < 0 && errno != EEXIST)
            return -1;
    }
    return fd;
}

int pl_write_atomic(const char *path, int (*write_fn)(void *ctx, FILE *f, pl_error *err),
                    void *ctx, pl_error *err)
{
    struct stat st;
    char *target = NULL, *tmp = NULL;
    mode_t mode = 0666;
    FILE *f = NULL;
    int fd, rc, slot, exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode))
        return write_in_place(path, write_fn, ctx, err);
    if (exists) {
        /* a link stays a link: the file it names is replaced */
        target = realpath(path, NULL);
        mode = st.st_mode & 07777;
    } else {
        target = pl_strdup(path);
    }
    if (!target || !(tmp = malloc(strlen(target) + 16))) {
        free(target);
        return pl_err(err, PL_ENOMEM, "out of memory");
    }
    if ((fd = make_temp(target, tmp, strlen(target) + 16, mode)) < 0) {
        rc = pl_err(err, PL_EIO, "%s: cannot create a temporary file beside it: %s", path,
                    strerror(errno));
        free(tmp);
        free(target);
        return rc;
    }
    slot = temp_register(tmp);
    /* the old file's mode whatever the umask; a new one keeps what the
     * umask left of 0666 */
    if ((exists && fchmod(fd, mode) != 0) || !(f = fdopen(fd, "wb"))) {
        rc = pl_err(err, PL_EIO, "%s: %s", path, strerror(errno));
        close(fd);
        goto fail;
    }
    if ((rc = write_fn(ctx, f, err)) != PL_OK)
        goto fail;
    if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
        rc = pl_err(err, PL_EIO, "%s: cannot write: %s", path, strerror(errno));
        goto fail;
    }
    if (fclose(f) != 0) {
        f = NULL;
        rc = pl_err(err, PL_EIO, "%s: cannot write: %s", path, strerror(errno));
        goto fail;
    }
    f = NULL;
    if (rename(tmp, target) != 0) {
        rc = pl_err(err, PL_EIO, "%s: cannot rename the finished file into place: %s", path,
                    strerror(errno));
        goto fail;
    }
    temp_unregister(slot);
    free(tmp);
    free(target);
    return PL_OK;
fail:
    if (f)
        fclose(f);
    unlink(tmp);
    temp_unregister(slot);
    free(tmp);
    free(target);
    return rc;
}
