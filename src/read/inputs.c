/* inputs.c - the logs a file, a directory or an archive holds (see
 * inputs.h). Every file is looked at through its first bytes: a log is
 * handed over as a stream, an archive or compressed file is read with
 * libarchive (loaded only then) member by member, straight from the
 * archive into the reader; nothing is written to the file system. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perfleak/inputs.h"
#include "perfleak/units.h"
#include "util/dynlib.h"
#include "util/internal.h"

#define HEAD 4096            /* bytes looked at to tell what a file is */
#define NAMES_LISTED 10      /* skipped files named in the warning */
#define MAX_DEPTH 32         /* directories within directories */

/* One walk over one path. */
typedef struct walk {
    pl_input_fn fn;
    void *ctx;
    const pl_input_opts *o;
    unsigned long long max_expand;
    int ratio;               /* the compression-ratio check is on */
    pl_libarchive lib;
    int lib_open;
    size_t logs;             /* logs handed over */
    const char *root;        /* the input named: skipped files are listed from it */
    size_t skipped;          /* files that are no log */
    char *names;             /* the first NAMES_LISTED of them, ", " between */
    size_t nnames, capnames;
} walk;

/* A source that gives a head read ahead, then the rest from inner. */
typedef struct head_source {
    unsigned char head[HEAD];
    size_t nhead, pos;
    const pl_source *inner;
} head_source;

static long head_read(void *ctx, void *buf, size_t n, pl_error *err)
{
    head_source *h = ctx;
    if (h->pos < h->nhead) {
        size_t k = h->nhead - h->pos < n ? h->nhead - h->pos : n;
        memcpy(buf, h->head + h->pos, k);
        h->pos += k;
        return (long)k;
    }
    return h->inner->read(h->inner->ctx, buf, n, err);
}

/* Reads the head (up to HEAD bytes, less at the end). 0, or -1 with err. */
static int fill_head(head_source *h, const pl_source *inner, pl_error *err)
{
    h->inner = inner;
    h->nhead = h->pos = 0;
    while (h->nhead < HEAD) {
        long k = inner->read(inner->ctx, h->head + h->nhead, HEAD - h->nhead, err);
        if (k < 0)
            return -1;
        if (k == 0)
            break;
        h->nhead += (size_t)k;
    }
    return 0;
}

int pl_is_perfmon_log(const void *head, size_t n)
{
    const unsigned char *b = head;
    char start[16];
    size_t i, k = 0;
    if (pl_sniff(head, n) == PL_FORMAT_BLG)
        return 1;
    /* the first characters as ASCII: zero bytes (UTF-16 either way) and
     * byte order marks dropped, then blanks and a quote; a PDH header
     * begins "(PDH-CSV 4.0)" in every language */
    for (i = 0; i < n && i < 256 && k + 1 < sizeof start; i++) {
        if (b[i] == 0 || b[i] >= 0x80 || (k == 0 && (b[i] == ' ' || b[i] == '"')))
            continue;
        start[k++] = (char)b[i];
    }
    start[k] = '\0';
    return strncmp(start, "(PDH-CSV", 8) == 0 || strncmp(start, "(PDH-TSV", 8) == 0;
}

/* An archive or a compressed stream libarchive reads, by its magic. */
static int archive_magic(const unsigned char *b, size_t n)
{
    static const struct { const char *m; size_t len; } magic[] = {
        {"PK\x03\x04", 4}, {"PK\x05\x06", 4},   /* zip, an empty zip */
        {"\x1f\x8b", 2},                         /* gzip */
        {"BZh", 3},                              /* bzip2 */
        {"\xfd" "7zXZ\x00", 6},                  /* xz */
        {"\x28\xb5\x2f\xfd", 4},                 /* zstd */
        {"7z\xbc\xaf\x27\x1c", 6},               /* 7-Zip */
        {"MSCF", 4},                             /* cab */
        {"\x04\x22\x4d\x18", 4},                 /* lz4 */
    };
    size_t i;
    for (i = 0; i < sizeof magic / sizeof magic[0]; i++)
        if (n >= magic[i].len && memcmp(b, magic[i].m, magic[i].len) == 0)
            return 1;
    return n >= 262 && memcmp(b + 257, "ustar", 5) == 0; /* tar */
}

static int skip(walk *w, const char *label, pl_error *err)
{
    size_t rl = strlen(w->root);
    /* named from the input: "PerfLogs/notes.txt", not its whole path */
    if (strncmp(label, w->root, rl) == 0 && label[rl] == ':' && label[rl + 1])
        label += rl + 1;
    w->skipped++;
    if (w->skipped > NAMES_LISTED)
        return PL_OK;
    if ((w->nnames && pl_append(&w->names, &w->nnames, &w->capnames, ", ", 2) != 0) ||
        pl_append(&w->names, &w->nnames, &w->capnames, label, strlen(label)) != 0 ||
        pl_append(&w->names, &w->nnames, &w->capnames, "", 1) != 0)
        return pl_err(err, PL_ENOMEM, "%s: out of memory", label);
    w->nnames--; /* the terminator stays, not counted */
    return PL_OK;
}

static int hand_over(walk *w, const char *label, head_source *h, pl_error *err)
{
    pl_source s = {head_read, h, h->inner->total};
    w->logs++;
    return w->fn(w->ctx, label, &s, err);
}

/* ---------- archives ---------- */

/* libarchive's message for a, in one line: its line ends (some messages
 * end with one) become "; " and trailing blanks go. */
static const char *arc_why(pl_libarchive *lib, struct archive *a, const char *none, char *buf, size_t size)
{
    const char *why = lib->error_string(a);
    size_t i, k = 0;
    if (!why || !why[0])
        return none;
    for (i = 0; why[i] && k + 3 < size; i++) {
        if (why[i] == '\n' || why[i] == '\r') {
            if (k && why[i + 1] && why[i + 1] != '\n' && why[i + 1] != '\r') {
                buf[k++] = ';';
                buf[k++] = ' ';
            }
        } else {
            buf[k++] = why[i];
        }
    }
    while (k && (buf[k - 1] == ' ' || buf[k - 1] == ';'))
        k--;
    buf[k] = '\0';
    return k ? buf : none;
}

/* A member of an archive as a source, with the expansion limits. */
typedef struct member {
    walk *w;
    struct archive *a;
    const char *label;
    unsigned long long produced;
    long long consumed0;     /* the archive's input bytes when it began */
} member;

static long member_read(void *ctx, void *buf, size_t n, pl_error *err)
{
    member *m = ctx;
    pl_libarchive *lib = &m->w->lib;
    la_ssize_t k = lib->read_data(m->a, buf, n);
    char lim[32];
    if (k < 0) {
        char wb[512];
        pl_err(err, PL_EFORMAT, "%s: the archive is damaged %llu bytes into this member (byte %lld of the archive): %s",
               m->label, m->produced, (long long)lib->filter_bytes(m->a, -1),
               arc_why(lib, m->a, "unreadable data", wb, sizeof wb));
        return -1;
    }
    m->produced += (unsigned long long)k;
    if (m->produced > m->w->max_expand) {
        pl_format_value((double)m->w->max_expand, PL_UNIT_BYTES, lim, sizeof lim);
        pl_err(err, PL_ELIMIT, "%s: expands beyond %s and was stopped (a compression bomb?); a larger expansion limit can be given",
               m->label, lim);
        return -1;
    }
    if (m->w->ratio && m->produced > PL_RATIO_AFTER) {
        long long in = lib->filter_bytes(m->a, -1) - m->consumed0;
        if ((double)m->produced > PL_MAX_RATIO * (double)(in > 0 ? in : 1)) {
            pl_format_value((double)m->produced, PL_UNIT_BYTES, lim, sizeof lim);
            pl_err(err, PL_ELIMIT, "%s: expands more than %.0f times its compressed size and was stopped at %s (a compression bomb?); a larger expansion limit can be given",
                   m->label, PL_MAX_RATIO, lim);
            return -1;
        }
    }
    return (long)k;
}

/* An archive read from a source (one inside another), for libarchive. */
typedef struct nested {
    const pl_source *src;
    pl_error err;            /* the source's failure, said instead of libarchive's */
    int failed;
    unsigned char buf[1 << 16];
} nested;

static la_ssize_t nested_read(struct archive *a, void *ctx, const void **out)
{
    nested *ns = ctx;
    long k = ns->src->read(ns->src->ctx, ns->buf, sizeof ns->buf, &ns->err);
    (void)a;
    *out = ns->buf;
    if (k < 0) {
        ns->failed = 1;
        return -1;
    }
    return (la_ssize_t)k;
}

static int read_archive(walk *w, const char *label, int fd, const pl_source *src, int depth,
                        pl_error *err);

/* One member: a log, an archive one level in, or a file skipped. */
static int read_member(walk *w, struct archive *a, const char *label, int depth, int raw, pl_error *err)
{
    member m = {w, a, label, 0, w->lib.filter_bytes(a, -1)};
    pl_source ms = {member_read, &m, 0};
    head_source *h = malloc(sizeof *h);
    int rc;
    if (!h)
        return pl_err(err, PL_ENOMEM, "%s: out of memory", label);
    if (fill_head(h, &ms, err) != 0)
        rc = err->code;
    else if (pl_is_perfmon_log(h->head, h->nhead))
        rc = hand_over(w, label, h, err);
    else if (depth == 0 && !raw && archive_magic(h->head, h->nhead)) {
        pl_source hs = {head_read, h, 0};
        rc = read_archive(w, label, -1, &hs, depth + 1, err);
    } else
        rc = skip(w, label, err);
    free(h);
    return rc;
}

/* The members of an archive read from fd (seekable: a zip's central
 * directory is used) or from src. */
static int read_archive(walk *w, const char *label, int fd, const pl_source *src, int depth,
                        pl_error *err)
{
    pl_libarchive *lib = &w->lib;
    struct archive *a;
    nested *ns = NULL;
    char *mlabel = NULL;
    size_t members = 0;
    int rc = PL_OK, r;
    if (!w->lib_open) {
        if ((rc = pl_libarchive_open(lib, err)) != PL_OK)
            return rc;
        w->lib_open = 1;
    }
    if (!(a = lib->read_new()))
        return pl_err(err, PL_ENOMEM, "%s: out of memory", label);
    lib->support_filter_all(a);
    lib->support_tar(a);
    lib->support_zip(a);
    lib->support_7zip(a);
    lib->support_cab(a);
    lib->support_empty(a);
    lib->support_raw(a); /* a single compressed file: one member */
    if (fd >= 0) {
        r = lib->read_open_fd(a, fd, 1 << 16);
    } else if (!(ns = malloc(sizeof *ns))) {
        lib->read_free(a);
        return pl_err(err, PL_ENOMEM, "%s: out of memory", label);
    } else {
        ns->src = src;
        ns->failed = 0;
        r = lib->read_open(a, ns, NULL, nested_read, NULL);
    }
    if (r != ARCHIVE_OK) {
        char wb[512];
        rc = ns && ns->failed ? (*err = ns->err, ns->err.code)
                              : pl_err(err, PL_EFORMAT, "%s: cannot be read as an archive: %s", label,
                                       arc_why(lib, a, "unknown format", wb, sizeof wb));
        goto done;
    }
    for (;;) {
        struct archive_entry *e;
        const char *name;
        int raw;
        size_t ln;
        r = lib->next_header(a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN) {
            char wb[512];
            if (ns && ns->failed)
                rc = (*err = ns->err, ns->err.code);
            else
                rc = pl_err(err, PL_EFORMAT, "%s: the archive is damaged after %zu member%s (at byte %lld): %s",
                            label, members, members == 1 ? "" : "s", (long long)lib->filter_bytes(a, -1),
                            arc_why(lib, a, "unreadable header", wb, sizeof wb));
            break;
        }
        members++;
        raw = lib->format(a) == ARCHIVE_FORMAT_RAW;
        if (!raw && lib->entry_filetype(e) != AE_IFREG)
            continue; /* folders, links, devices: nothing to read */
        name = lib->entry_pathname(e);
        ln = strlen(label) + (name ? strlen(name) : 1) + 2;
        free(mlabel);
        if (!(mlabel = malloc(ln))) {
            rc = pl_err(err, PL_ENOMEM, "%s: out of memory", label);
            break;
        }
        /* the name is a label, never a path anything is written to */
        if (raw)
            snprintf(mlabel, ln, "%s", label);
        else
            snprintf(mlabel, ln, "%s:%s", label, name ? name : "?");
        if ((rc = read_member(w, a, mlabel, depth, raw, err)) != PL_OK)
            break;
        if (ns && ns->failed) {
            rc = (*err = ns->err, ns->err.code);
            break;
        }
    }
done:
    free(mlabel);
    lib->read_free(a);
    free(ns);
    return rc;
}

/* ---------- files and directories ---------- */

/* A file: a log (or, named by the user, whatever it is: its reader says),
 * an archive, or a file skipped. */
static int read_file(walk *w, FILE *f, const char *label, int named, pl_error *err)
{
    pl_file_source fs;
    pl_source src = pl_source_of_file(&fs, f, label);
    head_source *h;
    struct stat sb;
    int regular = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode), rc;
    if (!(h = malloc(sizeof *h)))
        return pl_err(err, PL_ENOMEM, "%s: out of memory", label);
    if (fill_head(h, &src, err) != 0) {
        rc = err->code;
    } else if (pl_is_perfmon_log(h->head, h->nhead)) {
        rc = hand_over(w, label, h, err);
    } else if (archive_magic(h->head, h->nhead)) {
        size_t before = w->logs;
        pl_source hs = {head_read, h, 0};
        /* a file can be read again from its start: the seekable readers
         * (a zip's central directory) then work */
        if (regular && lseek(fileno(f), 0, SEEK_SET) == 0)
            rc = read_archive(w, label, fileno(f), NULL, 0, err);
        else
            rc = read_archive(w, label, -1, &hs, 0, err);
        if (rc == PL_OK && named && w->logs == before)
            rc = pl_err(err, PL_EFORMAT, "%s: no Performance Monitor log in this archive", label);
    } else if (named) {
        rc = hand_over(w, label, h, err);
    } else {
        rc = skip(w, label, err);
    }
    free(h);
    return rc;
}

static int cmp_names(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static int read_dir(walk *w, const char *dir, int depth, pl_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL, *path = NULL;
    size_t n = 0, cap = 0, i, dl = strlen(dir);
    int rc = PL_OK;
    if (!d)
        return pl_err(err, PL_EIO, "%s: cannot open the directory: %s", dir, strerror(errno));
    while ((e = readdir(d))) {
        char *copy;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (pl_grow(&names, &cap, n + 1, sizeof *names) != 0 || !(copy = pl_strdup(e->d_name))) {
            rc = pl_err(err, PL_ENOMEM, "%s: out of memory", dir);
            break;
        }
        names[n++] = copy;
    }
    closedir(d);
    if (rc == PL_OK)
        qsort(names, n, sizeof *names, cmp_names);
    for (i = 0; i < n && rc == PL_OK; i++) {
        size_t pl = dl + strlen(names[i]) + 2;
        struct stat sb;
        free(path);
        if (!(path = malloc(pl))) {
            rc = pl_err(err, PL_ENOMEM, "%s: out of memory", dir);
            break;
        }
        snprintf(path, pl, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", names[i]);
        if (lstat(path, &sb) != 0)
            continue; /* gone since it was listed */
        if (S_ISDIR(sb.st_mode)) {
            rc = depth < MAX_DEPTH ? read_dir(w, path, depth + 1, err) : skip(w, path, err);
        } else if (S_ISREG(sb.st_mode) || (S_ISLNK(sb.st_mode) && stat(path, &sb) == 0 && S_ISREG(sb.st_mode))) {
            /* a link to a folder is not followed: no loops */
            FILE *f = fopen(path, "rb");
            if (!f) {
                rc = pl_err(err, PL_EIO, "%s: cannot open: %s", path, strerror(errno));
                break;
            }
            rc = read_file(w, f, path, 0, err);
            fclose(f);
        }
    }
    free(path);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static void walk_init(walk *w, const pl_input_opts *o, pl_input_fn fn, void *ctx)
{
    static const pl_input_opts none = {0, NULL, NULL};
    memset(w, 0, sizeof *w);
    w->fn = fn;
    w->ctx = ctx;
    w->o = o ? o : &none;
    w->max_expand = w->o->max_expand ? w->o->max_expand : PL_MAX_EXPAND_DEFAULT;
    w->ratio = !w->o->max_expand;
}

/* The skipped files said once; the walk's resources freed. */
static int walk_end(walk *w, const char *path, int rc)
{
    if (w->skipped) {
        char more[48] = "";
        if (w->skipped > NAMES_LISTED)
            snprintf(more, sizeof more, " and %zu more", w->skipped - NAMES_LISTED);
        pl_warnf(w->o->warn, w->o->warn_ctx, "%s: skipped %zu file%s that %s: %s%s", path, w->skipped,
                 w->skipped == 1 ? "" : "s",
                 w->skipped == 1 ? "is not a Performance Monitor log" : "are not Performance Monitor logs",
                 w->names ? w->names : "", more);
    }
    free(w->names);
    if (w->lib_open)
        pl_libarchive_close(&w->lib);
    return rc;
}

int pl_inputs_read_stream(FILE *f, const char *label, const pl_input_opts *o, pl_input_fn fn,
                          void *ctx, pl_error *err)
{
    walk w;
    walk_init(&w, o, fn, ctx);
    w.root = label;
    return walk_end(&w, label, read_file(&w, f, label, 1, err));
}

int pl_inputs_read(const char *path, const pl_input_opts *o, pl_input_fn fn, void *ctx, pl_error *err)
{
    walk w;
    struct stat sb;
    int rc;
    walk_init(&w, o, fn, ctx);
    w.root = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (strcmp(path, "-") == 0) {
        rc = read_file(&w, stdin, "<stdin>", 1, err);
    } else if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        rc = read_dir(&w, path, 0, err);
        if (rc == PL_OK && w.logs == 0)
            rc = pl_err(err, PL_EFORMAT, "%s: no Performance Monitor log in this directory", path);
    } else {
        FILE *f = fopen(path, "rb");
        if (!f)
            return pl_err(err, PL_EIO, "%s: cannot open: %s", path, strerror(errno));
        rc = read_file(&w, f, path, 1, err);
        fclose(f);
    }
    return walk_end(&w, w.root, rc);
}
