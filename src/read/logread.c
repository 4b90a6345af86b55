/* logread.c - reading one log from a file or a buffer with the reader its
 * first bytes call for: PDH-CSV/TSV text or binary .blg (never chosen by
 * the file name, so a CSV renamed to .blg is still read). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "perfleak/import.h"
#include "util/internal.h"

typedef struct any_reader {
    pl_reader *text;
    pl_blg_reader *blg;
} any_reader;

static int open_reader(const char *name, const void *buf, size_t len, const pl_reader_opts *ro,
                       const pl_reader_sink *sink, any_reader *r, pl_error *err)
{
    pl_format f = pl_sniff(buf, len);
    const unsigned char *b = buf;
    memset(r, 0, sizeof *r);
    if (f == PL_FORMAT_UNKNOWN && len >= 7 && memcmp(b, "PDH-BIN", 7) == 0)
        return pl_err(err, PL_EUNSUPPORTED,
                      "%s: offset 0: unsupported format: a pre-Vista binary log (PDH-BIN); convert it with relog on Windows",
                      name);
    if (f == PL_FORMAT_UNKNOWN && memchr(b, 0, len < 512 ? len : 512))
        return pl_err(err, PL_EUNSUPPORTED,
                      "%s: offset 0: unsupported format: binary data that is neither a PDH-CSV/TSV log nor a Windows Vista-or-later .blg",
                      name);
    if (f == PL_FORMAT_BLG)
        return pl_blg_reader_create(&r->blg, name, ro, sink, err);
    return pl_reader_create(&r->text, name, ro, sink, err);
}

static int feed(any_reader *r, const void *buf, size_t len, pl_error *err)
{
    return r->blg ? pl_blg_reader_feed(r->blg, buf, len, err) : pl_reader_feed(r->text, buf, len, err);
}

static int finish(any_reader *r, pl_error *err)
{
    return r->blg ? pl_blg_reader_finish(r->blg, err) : pl_reader_finish(r->text, err);
}

static void release(any_reader *r)
{
    pl_blg_reader_free(r->blg);
    pl_reader_free(r->text);
}

/* An error from below the reader (the store out of memory) does not know
 * the file: every error of a read starts with it. */
static int named(const char *name, int rc, pl_error *err)
{
    size_t n = strlen(name);
    if (rc != PL_OK && err && !(strncmp(err->msg, name, n) == 0 && err->msg[n] == ':')) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        pl_err(err, rc, "%s: %s", name, msg);
    }
    return rc;
}

int pl_log_read_buffer(const char *name, const void *buf, size_t len, size_t chunk,
                       const pl_reader_opts *ro, const pl_reader_sink *sink, pl_error *err)
{
    any_reader r;
    const unsigned char *p = buf;
    size_t off = 0;
    int rc;
    if (len == 0)
        return pl_err(err, PL_EFORMAT, "%s: empty file; expected a Performance Monitor log", name);
    if ((rc = open_reader(name, buf, len, ro, sink, &r, err)) != PL_OK)
        return rc;
    if (!chunk)
        chunk = len;
    while (off < len && rc == PL_OK) {
        size_t k = len - off < chunk ? len - off : chunk;
        rc = feed(&r, p + off, k, err);
        off += k;
    }
    if (rc == PL_OK)
        rc = finish(&r, err);
    release(&r);
    return named(name, rc, err);
}

int pl_log_read_file(const char *path, size_t read_size, const pl_reader_opts *ro,
                     const pl_reader_sink *sink, pl_error *err)
{
    int is_stdin = strcmp(path, "-") == 0, rc;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return pl_err(err, PL_EIO, "%s: cannot open: %s", path, strerror(errno));
    rc = pl_log_read_stream(f, is_stdin ? "<stdin>" : path, read_size, ro, sink, err);
    if (!is_stdin)
        fclose(f);
    return rc;
}

static long file_read(void *ctx, void *buf, size_t n, pl_error *err)
{
    pl_file_source *fs = ctx;
    size_t k = fread(buf, 1, n, fs->f);
    if (k == 0 && ferror(fs->f)) {
        pl_err(err, PL_EIO, "%s: read error: %s", fs->name, strerror(errno));
        return -1;
    }
    return (long)k;
}

pl_source pl_source_of_file(pl_file_source *fs, FILE *f, const char *name)
{
    pl_source src = {file_read, fs, 0};
    struct stat sb;
    fs->f = f;
    fs->name = name;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode))
        src.total = (unsigned long long)sb.st_size;
    return src;
}

int pl_log_read_stream(FILE *f, const char *name, size_t read_size, const pl_reader_opts *ro,
                       const pl_reader_sink *sink, pl_error *err)
{
    pl_file_source fs;
    pl_source src = pl_source_of_file(&fs, f, name);
    return pl_log_read_source(name, &src, read_size, ro, sink, err);
}

int pl_log_read_source(const char *name, const pl_source *src, size_t read_size,
                       const pl_reader_opts *ro, const pl_reader_sink *sink, pl_error *err)
{
    size_t bufsize = read_size ? read_size : ((size_t)1 << 20);
    unsigned char *buf = NULL;
    any_reader r;
    int rc = PL_OK, first = 1;
    unsigned long long done = 0;
    memset(&r, 0, sizeof r);
    if (bufsize < 16)
        bufsize = 16;
    if (!(buf = malloc(bufsize))) {
        rc = pl_err(err, PL_ENOMEM, "%s: out of memory", name);
        goto done;
    }
    for (;;) {
        size_t room = 0, n;
        char *direct = r.text ? pl_reader_room(r.text, &room) : NULL;
        long got = src->read(src->ctx, direct ? direct : (char *)buf,
                             direct && room < bufsize ? room : bufsize, err);
        if (got < 0) {
            rc = err && err->code ? err->code : PL_EIO;
            break;
        }
        if ((n = (size_t)got) == 0)
            break;
        if (first) {
            first = 0;
            if ((rc = open_reader(name, buf, n, ro, sink, &r, err)) != PL_OK)
                break;
        }
        if ((rc = direct ? pl_reader_commit(r.text, n, err) : feed(&r, buf, n, err)) != PL_OK)
            break;
        done += n;
        if (ro->progress)
            ro->progress(ro->progress_ctx, name, done, src->total);
    }
    if (rc == PL_OK && first)
        rc = pl_err(err, PL_EFORMAT, "%s: empty file; expected a Performance Monitor log", name);
    else if (rc == PL_OK)
        rc = finish(&r, err);
done:
    release(&r);
    free(buf);
    return named(name, rc, err);
}
