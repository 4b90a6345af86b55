/* test_blg.c - the .blg reader: counter-type formulas, each record type
 * (single, wildcard, whole-object split over events), every chunk size,
 * damaged and unsupported input, and the real logs, including the
 * conversion of ps-CounterSamples.blg against Windows' own CSV and TSV. */
#include <math.h>
#include "testutil.h"
#include "perfleak/analysis.h"
#include "analysis/rowsort.h"
#include "perfleak/import.h"
#include "perfleak/convert.h"
#include "read/blg.h"
#include "blgwrite.h"

/* ---------- a sink that records everything ---------- */

typedef struct cap {
    char **paths;
    size_t ncols;
    size_t header_calls, column_calls;
    pl_time *t;
    double *v;   /* rows x cap_cols, NaN-padded */
    size_t rows, cap_rows, cap_cols;
    char warnings[4096];
    char tzname[128];
    int bias;
} cap;

#define CAP_COLS 2048

static void cap_warn(void *ctx, const char *msg)
{
    cap *c = ctx;
    size_t n = strlen(c->warnings);
    snprintf(c->warnings + n, sizeof c->warnings - n, "%s\n", msg);
}

static void cap_paths(cap *c, pl_log_header *h)
{
    size_t i;
    for (i = c->ncols; i < h->ncols; i++) {
        c->paths = realloc(c->paths, (i + 1) * sizeof *c->paths);
        c->paths[i] = strdup(h->paths[i]);
    }
    c->ncols = h->ncols;
}

static int cap_header(void *ctx, pl_log_header *h, pl_error *err)
{
    cap *c = ctx;
    (void)err;
    c->header_calls++;
    snprintf(c->tzname, sizeof c->tzname, "%s", h->tz->name);
    c->bias = h->tz->bias;
    cap_paths(c, h);
    return PL_OK;
}

static int cap_columns(void *ctx, pl_log_header *h, size_t first, pl_error *err)
{
    cap *c = ctx;
    (void)err;
    assert_int_equal(first, c->ncols);
    c->column_calls++;
    cap_paths(c, h);
    return PL_OK;
}

static int cap_row(void *ctx, pl_time t, const double *v, size_t n, pl_error *err)
{
    cap *c = ctx;
    size_t i;
    (void)err;
    assert_int_equal(n, c->ncols);
    if (c->rows == c->cap_rows) {
        c->cap_rows = c->cap_rows ? c->cap_rows * 2 : 16;
        c->t = realloc(c->t, c->cap_rows * sizeof *c->t);
        c->v = realloc(c->v, c->cap_rows * CAP_COLS * sizeof *c->v);
    }
    c->t[c->rows] = t;
    for (i = 0; i < CAP_COLS; i++)
        c->v[c->rows * CAP_COLS + i] = i < n ? v[i] : NAN;
    c->rows++;
    return PL_OK;
}

static void cap_free(cap *c)
{
    size_t i;
    for (i = 0; i < c->ncols; i++)
        free(c->paths[i]);
    free(c->paths);
    free(c->t);
    free(c->v);
    memset(c, 0, sizeof *c);
}

static double val(const cap *c, size_t row, size_t col)
{
    return c->v[row * CAP_COLS + col];
}

static long col_of(const cap *c, const char *path)
{
    size_t i;
    for (i = 0; i < c->ncols; i++)
        if (strcmp(c->paths[i], path) == 0)
            return (long)i;
    return -1;
}

static int read_buf(const void *buf, size_t len, size_t chunk, cap *c, pl_error *err)
{
    pl_reader_opts ro = {NULL, cap_warn, c, 1, NULL, NULL, 0, 0};
    pl_reader_sink s = {c, cap_header, cap_row, cap_columns, NULL, NULL};
    return pl_log_read_buffer("t.blg", buf, len, chunk, &ro, &s, err);
}

/* ---------- counter types ---------- */

static void test_cook_formulas(void **state)
{
    pl_blg_raw p = {1000, 10000000, 1}, c = {1600, 30000000, 4};
    double v;
    (void)state;
    /* Raw gauges: the value itself, no previous sample needed. */
    assert_int_equal(pl_blg_cook(0x00010100, &c, NULL, 0, &v), 1);
    assert_true(v == 1600);
    assert_int_equal(pl_blg_cook(0x00010000, &c, NULL, 0, &v), 1);
    /* Fraction: 100 F / S. */
    assert_int_equal(pl_blg_cook(0x20020400, &c, NULL, 0, &v), 1);
    assert_true(fabs(v - 100.0 * 1600 / 30000000) < 1e-12);
    /* Rates need a previous sample; ΔF / (ΔS / TB). */
    assert_int_equal(pl_blg_cook(0x10410400, &c, NULL, 10000000, &v), 0);
    assert_int_equal(pl_blg_cook(0x10410400, &c, &p, 10000000, &v), 1);
    assert_true(fabs(v - 600.0 / 2.0) < 1e-9);
    assert_int_equal(pl_blg_cook(0x10410500, &c, &p, 10000000, &v), 1);
    assert_true(fabs(v - 300.0) < 1e-9);
    /* Timers: 100 ΔF/ΔS, inverse 100 (1 - ΔF/ΔS), capped to 0..100. */
    {
        pl_blg_raw a = {0, 0, 1}, b = {5000000, 20000000, 1};
        assert_int_equal(pl_blg_cook(0x20510500, &b, &a, 10000000, &v), 1);
        assert_true(fabs(v - 25.0) < 1e-12);
        assert_int_equal(pl_blg_cook(0x21510500, &b, &a, 10000000, &v), 1);
        assert_true(fabs(v - 75.0) < 1e-12);
        assert_int_equal(pl_blg_cook(0x20570500, &b, &a, 10000000, &v), 1);
        assert_true(fabs(v - 25.0) < 1e-12);
        b.first = 30000000; /* more busy time than elapsed: capped */
        assert_int_equal(pl_blg_cook(0x20510500, &b, &a, 10000000, &v), 1);
        assert_true(v == 100.0);
        assert_int_equal(pl_blg_cook(0x21510500, &b, &a, 10000000, &v), 1);
        assert_true(v == 0.0);
        /* Multi timer: divided by the multi count (e.g. 4 processors). */
        b.first = 8000000;
        b.multi = 4;
        assert_int_equal(pl_blg_cook(0x22510500, &b, &a, 10000000, &v), 1);
        assert_true(fabs(v - 10.0) < 1e-12);
    }
    /* Averages: ΔF/ΔS (bulk), (ΔF/TB)/ΔS (timer). */
    {
        pl_blg_raw a = {1000, 10, 1}, b = {5000, 30, 1};
        assert_int_equal(pl_blg_cook(0x40020500, &b, &a, 0, &v), 1);
        assert_true(fabs(v - 200.0) < 1e-12);
        assert_int_equal(pl_blg_cook(0x30020400, &b, &a, 1000, &v), 1);
        assert_true(fabs(v - 0.2) < 1e-12);
        /* Queue length over 100 ns time. */
        assert_int_equal(pl_blg_cook(0x00550500, &b, &a, 10000000, &v), 1);
        assert_true(fabs(v - 200.0) < 1e-12);
        /* Delta and sample fraction. */
        assert_int_equal(pl_blg_cook(0x00400500, &b, &a, 0, &v), 1);
        assert_true(v == 4000);
        assert_int_equal(pl_blg_cook(0x20C20400, &b, &a, 0, &v), 1);
        assert_true(fabs(v - 20000.0) < 1e-9);
    }
    /* Elapsed time: (S - F) / TB. */
    {
        pl_blg_raw e = {1000, 61000, 1};
        assert_int_equal(pl_blg_cook(0x30240500, &e, NULL, 1000, &v), 1);
        assert_true(v == 60.0);
    }
    /* 32-bit counters wrap. */
    {
        pl_blg_raw a = {0xFFFFFF00LL, 0, 1}, b = {0x100, 10000000, 1};
        assert_int_equal(pl_blg_cook(0x10410400, &b, &a, 10000000, &v), 1);
        assert_true(v == 512.0);
    }
    /* The clock did not advance, or a rate went backwards: blank. */
    assert_int_equal(pl_blg_cook(0x10410500, &p, &p, 10000000, &v), 0);
    {
        pl_blg_raw a = {5000, 0, 1}, b = {1000, 10, 1};
        assert_int_equal(pl_blg_cook(0x10410500, &b, &a, 10, &v), 0);
    }
    /* Huge clocks keep full precision (differences taken in integers). */
    {
        pl_blg_raw a = {4903144765625LL, 131246703908743382LL, 1},
                   b = {4903168515625LL, 131246703938773618LL, 1};
        assert_int_equal(pl_blg_cook(0x21510500, &b, &a, 10000000, &v), 1);
        assert_true(fabs(v - 20.913042441624498) < 1e-12);
    }
    /* Kinds. */
    assert_int_equal(pl_blg_type_kind(0x40030403), PL_BLG_BASE);
    assert_int_equal(pl_blg_type_kind(0x00000B00), PL_BLG_NOVALUE);
    assert_int_equal(pl_blg_type_kind(0x40000200), PL_BLG_NOVALUE);
    assert_int_equal(pl_blg_type_kind(0x00090400), PL_BLG_UNKNOWN);
    assert_int_equal(pl_blg_cook(0x00090400, &c, &p, 1, &v), -1);
    assert_int_equal(pl_blg_type_needs_prev(0x00010100), 0);
    assert_int_equal(pl_blg_type_needs_prev(0x10410500), 1);
}

static void test_utf16(void **state)
{
    static const unsigned char s[] = {'a', 0, 0x20, 0x04, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xD8, 'b', 0, 0, 0};
    size_t used = 0;
    char *u = pl_utf16le_to_utf8(s, sizeof s, &used);
    (void)state;
    assert_non_null(u);
    /* a, U+0420 (Р), U+1F600 from a surrogate pair, lone surrogate -> U+FFFD, b */
    assert_string_equal(u, "a\xD0\xA0\xF0\x9F\x98\x80\xEF\xBF\xBD" "b");
    assert_int_equal(used, sizeof s);
    free(u);
    assert_null(pl_utf16le_to_utf8(s, 6, NULL)); /* no NUL within reach */
    assert_string_equal(pl_tzres_name(212), "Pacific Standard Time");
    assert_null(pl_tzres_name(99999));
}

/* ---------- a synthetic log with every record type ---------- */

#define FT0 132000000000000000LL /* 2019-04-17 18:40:00 local time */
#define SEC 10000000LL

static void test_record_types(void **state)
{
    tb_log l;
    cap c = {0};
    pl_error err;
    long avail, faults, app, app1, late, ws, ws1, lsass, pid;
    (void)state;
    tb_example_log(&l, 4096, 200, 0);
    assert_int_equal(read_buf(l.out.p, l.out.n, 0, &c, &err), PL_OK);
    assert_int_equal(c.header_calls, 1);
    assert_int_equal(c.column_calls, 1); /* "app#1" and "late" appear later */
    assert_int_equal(c.rows, 4);
    assert_string_equal(c.tzname, "Pacific Standard Time");
    assert_int_equal(c.bias, 480);
    /* Local FILETIME + bias = UTC. */
    assert_true(c.t[0] == (pl_time)(FT0 - 116444736000000000LL) + 480 * 60 * SEC);
    assert_true(c.t[3] - c.t[0] == 45 * SEC);
    avail = col_of(&c, "\\\\SRV\\Memory\\Available Bytes");
    faults = col_of(&c, "\\\\SRV\\Memory\\Page Faults/sec");
    app = col_of(&c, "\\\\SRV\\Process(app)\\Private Bytes");
    app1 = col_of(&c, "\\\\SRV\\Process(app#1)\\Private Bytes");
    late = col_of(&c, "\\\\SRV\\Process(late)\\Private Bytes");
    ws = col_of(&c, "\\\\SRV\\Process(svchost)\\Working Set");
    ws1 = col_of(&c, "\\\\SRV\\Process(svchost#1)\\Working Set");
    lsass = col_of(&c, "\\\\SRV\\Process(lsass)\\Working Set");
    pid = col_of(&c, "\\\\SRV\\Process(lsass)\\ID Process");
    assert_true(avail == 0 && faults == 1 && app == 2);
    assert_true(app1 > 0 && late > 0 && ws > 0 && ws1 > 0 && lsass > 0 && pid > 0);
    /* Single raw counter. */
    assert_true(val(&c, 0, (size_t)avail) == 4000000000.0);
    assert_true(val(&c, 3, (size_t)avail) == 3999999997.0);
    /* Rate: blank first; sample 2 had an error status (blank, and sample
     * 3 has no previous value). */
    assert_true(isnan(val(&c, 0, (size_t)faults)));
    assert_true(fabs(val(&c, 1, (size_t)faults) - 100.0 / 15.0) < 1e-9);
    assert_true(isnan(val(&c, 2, (size_t)faults)));
    assert_true(isnan(val(&c, 3, (size_t)faults)));
    assert_non_null(strstr(c.warnings, "1 value(s) logged with an error status"));
    /* Wildcard: instances appear; namesakes numbered. */
    assert_true(val(&c, 2, (size_t)app) == 1002000.0);
    assert_true(isnan(val(&c, 0, (size_t)app1)));
    assert_true(val(&c, 1, (size_t)app1) == 5000.0);
    assert_true(val(&c, 3, (size_t)late) == 7003.0);
    /* Whole-object, split over events: names from the table, machine from
     * the data block, namesakes numbered. */
    assert_true(val(&c, 0, (size_t)ws) == 100.0);
    assert_true(val(&c, 3, (size_t)ws1) == 203.0);
    assert_true(val(&c, 1, (size_t)lsass) == 301.0);
    assert_true(val(&c, 0, (size_t)pid) == 13.0);
    assert_null(strstr(c.warnings, "damaged"));
    cap_free(&c);
    tb_free(&l.out);
}

/* Serialises what a read produced, to compare reads. */
static char *digest(const cap *c)
{
    size_t cap_ = 1 << 16, n = 0, i, j;
    char *s = malloc(cap_);
    for (i = 0; i < c->ncols; i++)
        n += (size_t)snprintf(s + n, cap_ - n, "%s|", c->paths[i]);
    for (i = 0; i < c->rows; i++) {
        n += (size_t)snprintf(s + n, cap_ - n, "\n%lld", (long long)c->t[i]);
        for (j = 0; j < c->ncols; j++)
            n += (size_t)snprintf(s + n, cap_ - n, ",%.17g", val(c, i, j));
    }
    return s;
}

static void test_every_chunk_size(void **state)
{
    tb_log l;
    cap whole = {0};
    pl_error err;
    char *ref;
    size_t chunk;
    (void)state;
    tb_example_log(&l, 4096, 100, 0);
    assert_int_equal(read_buf(l.out.p, l.out.n, 0, &whole, &err), PL_OK);
    ref = digest(&whole);
    for (chunk = 1; chunk <= l.out.n; chunk++) {
        cap c = {0};
        char *d;
        assert_int_equal(read_buf(l.out.p, l.out.n, chunk, &c, &err), PL_OK);
        d = digest(&c);
        if (strcmp(d, ref) != 0)
            fail_msg("chunk size %zu gives a different result", chunk);
        assert_string_equal(c.warnings, whole.warnings);
        free(d);
        cap_free(&c);
    }
    free(ref);
    cap_free(&whole);
    tb_free(&l.out);
}

static void test_truncated_and_damaged(void **state)
{
    tb_log l;
    cap c = {0};
    pl_error err;
    size_t cut;
    (void)state;
    tb_example_log(&l, 4096, 100000, 0);
    /* Cut inside the last sample: the samples before it are read. */
    for (cut = l.out.n - 4; cut > 0 && memcmp(l.out.p + cut, "BL\x03\x00", 4) != 0; cut--)
        ;
    cut += 20;
    if (read_buf(l.out.p, cut, 0, &c, &err) != PL_OK)
        fail_msg("%s", err.msg);
    assert_non_null(strstr(c.warnings, "ends inside a buffer"));
    assert_int_equal(c.rows, 3);
    cap_free(&c);
    /* A damaged sub-record: the sample is skipped with a warning, the
     * rest is read. */
    {
        unsigned char *p = l.out.p;
        size_t i, hits = 0;
        for (i = 0; i + 4 <= l.out.n; i++)
            if (memcmp(p + i, "BL\x03\x02", 4) == 0 && ++hits == 2)
                p[i + 3] = 9;
        assert_int_equal(read_buf(p, l.out.n, 0, &c, &err), PL_OK);
        assert_non_null(strstr(c.warnings, "damaged record(s)"));
        assert_int_equal(c.rows, 4);
        cap_free(&c);
    }
    /* A header and nothing else. */
    {
        tb_log h;
        tb_log_init(&h, 4096, 0, NULL);
        tb_log_end(&h);
        assert_int_equal(read_buf(h.out.p, h.out.n, 0, &c, &err), PL_EFORMAT);
        assert_non_null(strstr(err.msg, "no counter catalog"));
        cap_free(&c);
        tb_free(&h.out);
    }
    /* A header cut short. */
    assert_int_equal(read_buf(l.out.p, 40, 0, &c, &err), PL_EFORMAT);
    assert_non_null(strstr(err.msg, "t.blg: offset 40: the file ends inside the first buffer header"));
    cap_free(&c);
    /* Not a log-file header event: unsupported. */
    l.out.p[0x4B] = 0;
    assert_int_equal(read_buf(l.out.p, l.out.n, 0, &c, &err), PL_EUNSUPPORTED);
    assert_non_null(strstr(err.msg, "t.blg: offset 0x48: unsupported format"));
    cap_free(&c);
    tb_free(&l.out);
    /* Pre-Vista and random bytes. */
    assert_int_equal(read_buf("PDH-BIN\0\x01\x02", 10, 0, &c, &err), PL_EUNSUPPORTED);
    assert_non_null(strstr(err.msg, "pre-Vista"));
    assert_int_equal(read_buf("\x7f\x45\x4c\x46\x02\x01\x01\x00", 8, 0, &c, &err), PL_EUNSUPPORTED);
    assert_non_null(strstr(err.msg, "t.blg: offset 0: unsupported format"));
    cap_free(&c);
}

/* A whole-object record whose counter definitions fill it exactly, last
 * in its sample: there is no counter block to read, and the four bytes
 * after the definitions are past the record (read once by mistake). The
 * sample is damaged, the others stand. */
static void test_object_ends_at_definitions(void **state)
{
    tb_log l;
    tb_bytes cat = {0}, names = {0};
    static const uint32_t idx[] = {230, 180};
    static const char *const nm[] = {"Process", "Working Set"};
    static const uint32_t cn[] = {180}, ct[] = {0x00010100};
    cap c = {0};
    pl_error err;
    int k;
    (void)state;
    tb_log_init(&l, 4096, 480, NULL);
    tb_names(&names, "\\\\SRV", idx, nm, 2);
    tb_log_event(&l, 36, 132000000000000000LL, 1, 1, names.p, names.n);
    tb_cat_begin(&cat);
    tb_cat_entry(&cat, 0x10, 0x10, 0, "", "Process", NULL, NULL, 0, "*");
    tb_log_event(&l, 32, 132000000000000000LL, 1, 1, cat.p, cat.n);
    for (k = 0; k < 4; k++) {
        int64_t ft = 132000000000000000LL + k * 150000000LL, v = 1000 + k;
        tb_bytes s = {0};
        tb_object o = {230, 1, cn, ct, -1, NULL, &v, k * 1000, 1000, ft, "SRV"};
        tb_sample_begin(&s);
        tb_sub_object(&s, &o);
        if (k == 3) {
            /* cut the object after its definitions, and pad them so that
             * the sample's event ends its 4 KiB buffer: the reader holds
             * one buffer in a block of that size, so a read past the
             * record is one past the allocation */
            size_t blk = 16, obj = blk + (size_t)(s.p[blk + 24] | s.p[blk + 25] << 8), room;
            uint32_t deflen = (uint32_t)(s.p[obj + 4] | s.p[obj + 5] << 8);
            s.n = obj + deflen;
            room = l.pos + 0x48 + s.n > l.bufsize ? l.bufsize - 0x48 : l.bufsize - l.pos;
            tb_put(&s, NULL, room - 0x48 - s.n);
            deflen = (uint32_t)(s.n - obj);
            tb_set32(&s, obj, deflen);
            tb_set32(&s, obj + 4, deflen);
            tb_set32(&s, blk + 20, (uint32_t)(s.n - blk));
            tb_set32(&s, 12, (uint32_t)(s.n - 8));
        }
        tb_sample_end(&s);
        tb_log_sample(&l, ft, &s, 100000);
        tb_free(&s);
    }
    tb_log_end(&l);
    {
        size_t end = l.out.n;
        unsigned char *exact;
        exact = malloc(end);
        assert_non_null(exact);
        memcpy(exact, l.out.p, end);
        assert_int_equal(read_buf(exact, end, 0, &c, &err), PL_OK);
        free(exact);
    }
    /* the sample's time stays, its value is blank */
    assert_int_equal(c.rows, 4);
    assert_int_equal(c.ncols, 1);
    for (k = 0; k < 3; k++)
        assert_true(c.v[(size_t)k * CAP_COLS] == 1000 + k);
    assert_true(isnan(c.v[3 * CAP_COLS]));
    assert_non_null(strstr(c.warnings, "damaged record"));
    cap_free(&c);
    tb_free(&l.out);
    tb_free(&cat);
    tb_free(&names);
}

static void test_unknown_type_and_two_machines(void **state)
{
    tb_log l;
    tb_bytes cat = {0}, s = {0};
    cap c = {0};
    pl_error err;
    (void)state;
    tb_log_init(&l, 4096, 0, "UTC-ish Zone");
    tb_cat_begin(&cat);
    tb_cat_entry(&cat, 0, 0x00090400, 1, "\\\\A", "Odd", NULL, NULL, 0, "Strange");
    tb_cat_entry(&cat, 0, 0x00010100, 1, "\\\\A", "Memory", NULL, NULL, 0, "Pool Paged Bytes");
    tb_cat_entry(&cat, 0, 0x00010100, 1, "\\\\B", "Memory", NULL, NULL, 0, "Pool Paged Bytes");
    tb_log_event(&l, 32, FT0, 1, 1, cat.p, cat.n);
    tb_sample_begin(&s);
    tb_sub_single(&s, 0, FT0, 1, 2, 1);
    tb_sub_single(&s, 0, FT0, 111, 0, 1);
    tb_sub_single(&s, 0, FT0, 222, 0, 1);
    tb_sample_end(&s);
    tb_log_sample(&l, FT0, &s, 100000);
    tb_log_end(&l);
    assert_int_equal(read_buf(l.out.p, l.out.n, 0, &c, &err), PL_OK);
    assert_non_null(strstr(c.warnings, "counter \\Odd\\Strange has counter type 0x00090400"));
    assert_int_equal(c.ncols, 2);
    assert_string_equal(c.paths[0], "\\\\A\\Memory\\Pool Paged Bytes");
    assert_string_equal(c.paths[1], "\\\\B\\Memory\\Pool Paged Bytes");
    assert_true(val(&c, 0, 0) == 111 && val(&c, 0, 1) == 222);
    assert_string_equal(c.tzname, "UTC-ish Zone");
    cap_free(&c);
    tb_free(&cat);
    tb_free(&s);
    tb_free(&l.out);
}

/* A wrapped circular log: the reader says so, convert writes it in time
 * order. */
/* What convert writes for the log at path, with delim between cells;
 * its length goes to *len when len is not NULL. */
static char *converted_text(const char *path, char delim, size_t *out_len)
{
    pl_convert_opts o;
    const char *logs[1];
    pl_error err;
    FILE *out = tmpfile();
    size_t len;
    char *text;
    assert_non_null(out);
    pl_convert_opts_init(&o);
    o.delimiter = delim;
    logs[0] = path;
    assert_int_equal(pl_convert(logs, 1, &o, out, &err), PL_OK);
    len = (size_t)ftell(out);
    rewind(out);
    text = calloc(1, len + 1);
    assert_int_equal(fread(text, 1, len, out), len);
    fclose(out);
    if (out_len)
        *out_len = len;
    return text;
}

static void test_circular_convert_sorted(void **state)
{
    tb_log l;
    cap c = {0};
    pl_error err;
    char path[] = "/tmp/perfleak-blg-XXXXXX", *text;
    int fd = mkstemp(path);
    FILE *f;
    (void)state;
    tb_example_log(&l, 4096, 100000, 1);
    assert_true(fd >= 0);
    f = fdopen(fd, "wb");
    fwrite(l.out.p, 1, l.out.n, f);
    fclose(f);
    assert_int_equal(read_buf(l.out.p, l.out.n, 0, &c, &err), PL_OK);
    assert_non_null(strstr(c.warnings, "time went backwards"));
    cap_free(&c);
    text = converted_text(path, ',', NULL);
    /* Header, then times ascending (FT0 is 2019-04-17 18:40:00 local). */
    assert_non_null(strstr(text, "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\",\"\\\\SRV\\Memory\\Available Bytes\""));
    {
        const char *a = strstr(text, "\"04/17/2019 18:40:00.000\""),
                   *b = strstr(text, "\"04/17/2019 18:40:15.000\""),
                   *d = strstr(text, "\"04/17/2019 18:40:45.000\"");
        assert_non_null(a);
        assert_non_null(b);
        assert_non_null(d);
        assert_true(a < b && b < d);
    }
    assert_non_null(strstr(text, "\r\n"));
    free(text);
    remove(path);
    tb_free(&l.out);
}

/* ---------- the real logs ---------- */

static int read_real(const char *rel, cap *c, pl_error *err)
{
    char path[1024];
    pl_reader_opts ro = {NULL, cap_warn, c, 1, NULL, NULL, 0, 0};
    pl_reader_sink s = {c, cap_header, cap_row, cap_columns, NULL, NULL};
    snprintf(path, sizeof path, "%s/%s", tu_shared_dir(), rel);
    return pl_log_read_file(path, 0, &ro, &s, err);
}

static int have_blg(void)
{
    char path[1024];
    FILE *f;
    snprintf(path, sizeof path, "%s/blg/ps-CounterSamples.blg", tu_shared_dir());
    if (!(f = fopen(path, "rb")))
        return 0;
    fclose(f);
    return 1;
}

#define NEED_DATA() do { if (!have_blg()) { print_message("no %s: skipped\n", tu_shared_dir()); skip(); } } while (0)

/* convert's output, read back, equals Windows' own export of the log. */
static void check_convert_equals(const char *ref_rel, char delim)
{
    char blg[1024], ref[1024], *mine, *theirs;
    pl_error err;
    size_t len, rlen = 0, i, j;
    cap a = {0}, b = {0};
    pl_reader_opts ro = {NULL, NULL, NULL, 1, NULL, NULL, 0, 0};
    pl_reader_sink sa = {&a, cap_header, cap_row, cap_columns, NULL, NULL};
    snprintf(blg, sizeof blg, "%s/blg/ps-CounterSamples.blg", tu_shared_dir());
    snprintf(ref, sizeof ref, "%s/%s", tu_shared_dir(), ref_rel);
    mine = converted_text(blg, delim, &len);
    theirs = tu_read_file(ref, &rlen);
    assert_non_null(theirs);
    /* The same header line, byte for byte. */
    assert_true(memcmp(mine, theirs, (size_t)(strchr(theirs, '\n') - theirs)) == 0);
    assert_int_equal(pl_log_read_buffer("mine", mine, len, 0, &ro, &sa, &err), PL_OK);
    {
        pl_reader_sink sb = {&b, cap_header, cap_row, cap_columns, NULL, NULL};
        assert_int_equal(pl_log_read_buffer("theirs", theirs, rlen, 0, &ro, &sb, &err), PL_OK);
    }
    assert_int_equal(a.ncols, b.ncols);
    assert_int_equal(a.rows, b.rows);
    assert_int_equal(a.rows, 25);
    for (i = 0; i < a.ncols; i++)
        assert_string_equal(a.paths[i], b.paths[i]);
    for (i = 0; i < a.rows; i++) {
        assert_true(a.t[i] == b.t[i]);
        for (j = 0; j < a.ncols; j++) {
            double x = val(&a, i, j), y = val(&b, i, j);
            assert_int_equal(isnan(x), isnan(y));
            if (!isnan(y) && fabs(x - y) > 1e-6 * fabs(y))
                fail_msg("row %zu column %zu: %.17g, Windows wrote %.17g", i, j, x, y);
        }
    }
    cap_free(&a);
    cap_free(&b);
    free(mine);
    free(theirs);
}

static void test_real_ps_counter_samples(void **state)
{
    (void)state;
    NEED_DATA();
    check_convert_equals("blg/ps-CounterSamples.csv", ',');
    check_convert_equals("blg/ps-CounterSamples.tsv", '\t');
}

static void test_real_bad_counter_samples(void **state)
{
    cap c = {0};
    pl_error err;
    size_t i, j, machines = 0, values = 0;
    (void)state;
    NEED_DATA();
    assert_int_equal(read_real("blg/ps-BadCounterSamples.blg", &c, &err), PL_OK);
    assert_int_equal(c.rows, 275);
    assert_int_equal(c.ncols, 26);
    assert_string_equal(c.tzname, "SA Eastern Standard Time");
    for (i = 0; i < c.ncols; i++) {
        int dup = 0;
        for (j = 0; j < i; j++)
            if (strncmp(c.paths[i], c.paths[j], 13) == 0)
                dup = 1;
        machines += !dup;
        assert_non_null(strstr(c.paths[i], "\\Processor(_Total)\\% Processor Time"));
    }
    assert_int_equal(machines, 26);
    for (i = 1; i < c.rows; i++)
        for (j = 0; j < c.ncols; j++)
            if (!isnan(val(&c, i, j))) {
                assert_true(val(&c, i, j) >= 0 && val(&c, i, j) <= 100);
                values++;
            }
    assert_true(values > 26 * 250);
    cap_free(&c);
}

static void test_real_pal_sample_log(void **state)
{
    cap c = {0};
    pl_error err;
    long pb, ws, pool;
    size_t i, objects = 0;
    static const char *const objs[] = {"\\LogicalDisk(", "\\TCPv4\\", "\\Memory\\", "\\Network Interface(",
                                       "\\PhysicalDisk(", "\\Process(", "\\Processor(", "\\System\\"};
    (void)state;
    NEED_DATA();
    assert_int_equal(read_real("blg/pal-SampleLog.blg", &c, &err), PL_OK);
    assert_int_equal(c.rows, 11);
    assert_string_equal(c.tzname, "Eastern Standard Time");
    for (i = 0; i < 8; i++) {
        size_t k;
        for (k = 0; k < c.ncols; k++)
            if (strstr(c.paths[k], objs[i])) {
                objects++;
                break;
            }
    }
    assert_int_equal(objects, 8);
    pb = col_of(&c, "\\\\ZACH-PC\\Process(explorer)\\Private Bytes");
    ws = col_of(&c, "\\\\ZACH-PC\\Process(svchost#2)\\Working Set");
    pool = col_of(&c, "\\\\ZACH-PC\\Memory\\Pool Paged Bytes");
    assert_true(pb >= 0 && ws >= 0 && pool >= 0);
    for (i = 0; i < c.rows; i++) {
        assert_true(val(&c, i, (size_t)pb) > 1e6 && val(&c, i, (size_t)pb) < 1e9);
        assert_true(val(&c, i, (size_t)ws) > 1e5 && val(&c, i, (size_t)ws) < 1e9);
        assert_true(val(&c, i, (size_t)pool) > 1e7 && val(&c, i, (size_t)pool) < 1e9);
    }
    cap_free(&c);
}

/* convert keeps a path repeated in one header as two columns (it kept the
 * later one only), and writes times before 1970 (it refused them). */
static void test_convert_keeps_repeats_and_old_times(void **state)
{
    static const char log[] =
        "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\H\\Memory\\Committed Bytes\",\"\\\\H\\Memory\\Committed Bytes\"\r\n"
        "\"01/02/1965 09:00:00.000\",\"1\",\" \"\r\n"
        "\"01/02/1965 09:00:15.000\",\"2\",\"7\"\r\n";
    char path[] = "/tmp/perfleak-conv-XXXXXX", *text;
    int fd = mkstemp(path);
    FILE *f;
    (void)state;
    assert_true(fd >= 0);
    f = fdopen(fd, "wb");
    fputs(log, f);
    fclose(f);
    text = converted_text(path, ',', NULL);
    assert_string_equal(text, log);
    free(text);
    remove(path);
}

/* Name tables are indexed directly: their slots are bounded by the bytes
 * of name records read (64 Ki plus 8 a byte), so one name at index
 * 1 000 000 for each of 300 machines (8 MB each before) is left out, with
 * one warning; a small table with indexes up to 1500 is kept whole (300,
 * not 301 or more, left out). */
static void test_sparse_name_tables(void **state)
{
    tb_log l;
    tb_bytes names = {0};
    cap c = {0};
    pl_error err;
    static const uint32_t far[] = {1000000}, dense[] = {2, 4, 6, 1500};
    static const char *const one[] = {"Far"}, *const four[] = {"A", "B", "C", "D"};
    char machine[32];
    int i;
    (void)state;
    tb_log_init(&l, 65536, 480, NULL);
    for (i = 0; i < 300; i++) {
        snprintf(machine, sizeof machine, "\\\\M%d", i);
        names.n = 0;
        tb_names(&names, machine, far, one, 1);
        tb_log_event(&l, 36, 132000000000000000LL, 1, 1, names.p, names.n);
    }
    names.n = 0;
    tb_names(&names, "\\\\DENSE", dense, four, 4);
    tb_log_event(&l, 36, 132000000000000000LL, 1, 1, names.p, names.n);
    {
        tb_bytes cat = {0}, smp = {0};
        tb_cat_begin(&cat);
        tb_cat_entry(&cat, 0, 0x00010100, 10000000, "\\\\SRV", "Memory", NULL, NULL, 0, "Available Bytes");
        tb_log_event(&l, 32, 132000000000000000LL, 1, 1, cat.p, cat.n);
        tb_sample_begin(&smp);
        tb_sub_single(&smp, 0, 132000000000000000LL, 4000000000LL, 0, 1);
        tb_sample_end(&smp);
        tb_log_sample(&l, 132000000000000000LL, &smp, 100000);
        tb_free(&cat);
        tb_free(&smp);
    }
    tb_log_end(&l);
    if (read_buf(l.out.p, l.out.n, 0, &c, &err) != PL_OK)
        fail_msg("%s", err.msg);
    if (!strstr(c.warnings, "t.blg: 300 counter name(s) with an index far beyond what the name tables hold were left out"))
        fail_msg("warnings: %s", c.warnings);
    assert_int_equal(c.rows, 1);
    cap_free(&c);
    tb_free(&names);
    tb_free(&l.out);
}

static int check_sorted_row(void *ctx, pl_time t, const double *v, pl_error *err)
{
    struct { pl_time last; uint64_t last_seq; size_t n; int ok; } *s = ctx;
    (void)err;
    if (v[0] != (double)t || (s->n && (t < s->last || (t == s->last && (uint64_t)v[1] <= s->last_seq))))
        s->ok = 0;
    s->last = t;
    s->last_seq = (uint64_t)v[1];
    s->n++;
    return PL_OK;
}

/* The bounded sort behind convert: with a chunk of 4 rows, 1000 rows in
 * a shuffled order come back sorted by time, equal times in the order
 * they came, every value intact. */
static void test_rowsort_spills(void **state)
{
    pl_rowsort *rs;
    pl_error err;
    struct { pl_time last; uint64_t last_seq; size_t n; int ok; } seen = {0, 0, 0, 1};
    size_t i;
    (void)state;
    assert_int_equal(pl_rowsort_create(&rs, 2, 4 * (16 + 2 * sizeof(double)), &err), PL_OK);
    for (i = 0; i < 1000; i++) {
        /* times 0..99 ten times over, out of order; value 0 says which
         * time, value 1 the order of arrival */
        double v[2];
        pl_time t = (pl_time)((i * 37) % 100);
        v[0] = (double)t;
        v[1] = (double)i;
        assert_int_equal(pl_rowsort_add(rs, t, v, &err), PL_OK);
    }
    assert_int_equal(pl_rowsort_each(rs, check_sorted_row, &seen, &err), PL_OK);
    assert_int_equal(seen.n, 1000);
    assert_true(seen.ok);
    pl_rowsort_free(rs);
}

/* Many instances once, then samples of one: each sample costs what it
 * holds (a 100 000-instance log took 53.6 s, now 2.6 s), and the rows
 * that do not name a column count as its missing values, also those
 * before it first appeared (as in the log converted to CSV). */
static void test_sparse_samples(void **state)
{
    enum { NINST = 3000, NSAMP = 400 };
    static char names[NINST][16];
    static tb_item items[NINST];
    const char *all[] = {"*"};
    tb_log l;
    tb_bytes cat = {0};
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    size_t i;
    int k;
    (void)state;
    tb_log_init(&l, 1 << 20, 480, NULL);
    tb_cat_begin(&cat);
    tb_cat_entry(&cat, 1, 0x00010100, 10000000, "\\\\SRV", "Process", NULL, "*", 0, "Private Bytes");
    tb_log_event(&l, 32, 132000000000000000LL, 1, 1, cat.p, cat.n);
    for (i = 0; i < NINST; i++) {
        snprintf(names[i], sizeof names[i], "p%zu", i);
        items[i].name = names[i];
        items[i].first = 1000 + (int64_t)i;
        items[i].second = 0;
    }
    for (k = 0; k < NSAMP; k++) {
        tb_bytes smp = {0};
        int64_t ft = 132000000000000000LL + (int64_t)k * 15 * 10000000LL;
        tb_sample_begin(&smp);
        /* all of them in the second sample; then p0 always, p7 from 100 */
        if (k == 0) {
            tb_sub_wildcard(&smp, ft, items, 1);
        } else if (k == 1) {
            tb_sub_wildcard(&smp, ft, items, NINST);
        } else {
            tb_item two[2];
            two[0] = items[0];
            two[1] = items[7];
            tb_sub_wildcard(&smp, ft, two, k >= 100 ? 2 : 1);
        }
        tb_sample_end(&smp);
        tb_log_sample(&l, ft, &smp, 60000);
        tb_free(&smp);
    }
    tb_log_end(&l);
    pl_analysis_opts_init(&o);
    o.include = all;
    o.n_include = 1;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    if (pl_analysis_read_buffer(a, "wide.blg", l.out.p, l.out.n, 0, &err) != PL_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(pl_analysis_counter_count(a), NINST);
    for (i = 0; i < NINST; i++) {
        const pl_counter *c = pl_analysis_counter(a, i);
        const pl_series_stats *st = pl_series_get_stats(pl_store_series(pl_analysis_store(a), c->series));
        size_t want = i == 0 ? NSAMP : i == 7 ? NSAMP - 99 : 1;
        /* samples + missing: every row of the log, p1..p2999 appearing in
         * the second */
        if (st->samples != want || st->samples + st->missing != NSAMP)
            fail_msg("%s: %zu samples, %zu missing", c->path, st->samples, st->missing);
    }
    pl_analysis_free(a);
    tb_free(&cat);
    tb_free(&l.out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cook_formulas),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_record_types),
        cmocka_unit_test(test_every_chunk_size),
        cmocka_unit_test(test_truncated_and_damaged),
        cmocka_unit_test(test_object_ends_at_definitions),
        cmocka_unit_test(test_unknown_type_and_two_machines),
        cmocka_unit_test(test_circular_convert_sorted),
        cmocka_unit_test(test_real_ps_counter_samples),
        cmocka_unit_test(test_real_bad_counter_samples),
        cmocka_unit_test(test_real_pal_sample_log),
        cmocka_unit_test(test_convert_keeps_repeats_and_old_times),
        cmocka_unit_test(test_sparse_name_tables),
        cmocka_unit_test(test_rowsort_spills),
        cmocka_unit_test(test_sparse_samples),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
