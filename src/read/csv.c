/* import_csv.c - streaming reader for PDH-CSV and PDH-TSV logs.
 *
 * Two stages, both fed incrementally so any chunking gives the same rows:
 *   bytes --decode (BOM / UTF-8 check / code-page guess, iconv)--> UTF-8
 *   UTF-8 --libcsv--> header cells, then rows of (timestamp, values).
 * The delimiter is sniffed from the text after the first quoted cell, the
 * format never from the file name. */
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <csv.h>
#include "perfleak/import.h"
#include "perfleak/path.h"
#include "util/internal.h"
#include "util/dynlib.h"

/* The largest magnitude a counter can hold (2^64): a larger value in a
 * log is damage, not data, and would overflow sums and scales. */
#define PL_MAX_VALUE 18446744073709551616.0

/* Limits that keep hostile input from exhausting memory. */
#define PL_MAX_HEADER_BYTES ((size_t)64 << 20)
#define PL_MAX_FIELD_BYTES ((size_t)16 << 20)
#define PL_MAX_COLUMNS ((size_t)200000)
#define OBUF_SIZE ((size_t)64 << 10)

enum dec_state { DEC_SNIFF, DEC_PASS, DEC_ICONV };

struct pl_reader {
    char *name;
    pl_reader_sink sink;
    char *encoding_opt;
    pl_warn_fn warn;
    void *warn_ctx;
    int failed;
    pl_error ferr;
    int finished;

    /* decode stage */
    enum dec_state dec;
    iconv_t cd;
    int ascii_compat;      /* bytes < 0x80 always stand for themselves */
    size_t unit;           /* code unit size: 2 for UTF-16, else 1 */
    unsigned char carry[16];
    size_t ncarry;
    unsigned char *raw;    /* bytes held back until the encoding is known */
    size_t nraw, capraw;
    char enc_name[64];
    int enc_guessed;
    char *obuf;
    size_t invalid_seqs;

    /* csv stage */
    int csv_started;
    char delim;
    int utc_offset_set;    /* --utc-offset given: minutes east of UTC */
    int utc_offset;
    int decimal_comma;     /* ';' between cells: "1,5" is 1.5 */
    char *pre;             /* decoded text held until the delimiter is known */
    size_t npre, cappre;
    struct csv_parser csv;
    int csv_inited;

    /* header */
    int in_header;
    char **hdr;
    size_t nhdr, caphdr;
    pl_tz tz;
    size_t ncols;          /* cells after the time, the description's included */
    size_t ndesc;          /* 1 when the last of them is a description */
    unsigned char *select;

    /* current row */
    size_t records;        /* completed records, header included */
    size_t field;
    int time_ok;
    pl_time row_time;
    double *vals;
    size_t rows;           /* rows handed to the sink */

    /* repairs, reported once at the end */
    size_t bad_ts, bad_ts_line;
    char bad_ts_text[64];
    size_t short_rows, short_line, long_rows, long_line;
    size_t bad_values, bad_value_line, bad_value_col;
    char bad_value_text[64];
    size_t huge_values, huge_value_line, huge_value_col;
    char huge_value_text[64];
    size_t dropped_last;   /* line of a cut-off last row, 0 if none */
    size_t backwards, backwards_line; /* rows earlier than the row before */
    pl_time prev_time;
    char last_byte;        /* last character handed to libcsv */
    /* fast path: whole lines of the regular shape bypass libcsv */
    char *tail;            /* a line not yet ended by '\n' */
    size_t ntail, captail;
    const char **cell;     /* ncols + 1 cell starts and lengths */
    size_t *cell_len;

    /* parallel: after the header, text is cut into blocks of whole
     * lines; blocks are parsed on two threads at once and stored strictly
     * in order, one at a time, by whichever thread is free */
    int threads;
    int par_on, par_off;   /* block mode running / not to be tried */
    int th_started, th_stop;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct block *blk;
    int fill;              /* block being filled, -1 none */
    size_t next_seq, store_seq;
    int storing;
    struct block *offered; /* a block whose last third of columns waits to be stored */
    int offer_state;       /* 0 waiting, 1 taken, 2 done */
    int offer_rc;
    pl_error offer_err;
    char *pcarry;          /* text after a full block's last line end */
    size_t npcarry, cappcarry;
};

static int fail(pl_reader *r, pl_error *err, int code, const char *fmt, ...)
    PL_PRINTF(4, 5);

/* Records a sticky error; every later call reports it again. */
static int fail(pl_reader *r, pl_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    if (!r->failed) {
        char msg[900];
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        r->failed = code;
        r->ferr.code = code;
        snprintf(r->ferr.msg, sizeof r->ferr.msg, "%s", msg);
    }
    if (err && err != &r->ferr)
        *err = r->ferr;
    return r->failed;
}

static size_t cur_line(const pl_reader *r)
{
    return r->records + 1;
}

/* ---------- numbers ---------- */

/* 1 when the 8 bytes at p are all ASCII digits. */
static int digits8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return ((v & UINT64_C(0xF0F0F0F0F0F0F0F0)) |
            (((v + UINT64_C(0x0606060606060606)) & UINT64_C(0xF0F0F0F0F0F0F0F0)) >> 4)) ==
           UINT64_C(0x3333333333333333);
}

/* The number the 8 digits at p spell (first digit most significant). */
static uint64_t value8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    v -= UINT64_C(0x3030303030303030);
    v = (v * 10 + (v >> 8)) & UINT64_C(0x00FF00FF00FF00FF);
    v = (v * 100 + (v >> 16)) & UINT64_C(0x0000FFFF0000FFFF);
    return (v * 10000 + (v >> 32)) & UINT64_C(0xFFFFFFFF);
}

#ifdef __SIZEOF_INT128__
/* floor(2^(127+e) / 10^f) for f = 0..27, with e = ceil(log2(10^f)) so that
 * the top bit is set: written by tools/gen_recip10, and make check makes
 * sure it still is. */
static const struct {
    uint64_t hi, lo;
    int e;
} recip10[] = {
    {0x8000000000000000u, 0x0000000000000000u, 0},
    {0xccccccccccccccccu, 0xccccccccccccccccu, 4},
    {0xa3d70a3d70a3d70au, 0x3d70a3d70a3d70a3u, 7},
    {0x83126e978d4fdf3bu, 0x645a1cac083126e9u, 10},
    {0xd1b71758e219652bu, 0xd3c36113404ea4a8u, 14},
    {0xa7c5ac471b478423u, 0x0fcf80dc33721d53u, 17},
    {0x8637bd05af6c69b5u, 0xa63f9a49c2c1b10fu, 20},
    {0xd6bf94d5e57a42bcu, 0x3d32907604691b4cu, 24},
    {0xabcc77118461cefcu, 0xfdc20d2b36ba7c3du, 27},
    {0x89705f4136b4a597u, 0x31680a88f8953030u, 30},
    {0xdbe6fecebdedd5beu, 0xb573440e5a884d1bu, 34},
    {0xafebff0bcb24aafeu, 0xf78f69a51539d748u, 37},
    {0x8cbccc096f5088cbu, 0xf93f87b7442e45d3u, 40},
    {0xe12e13424bb40e13u, 0x2865a5f206b06fb9u, 44},
    {0xb424dc35095cd80fu, 0x538484c19ef38c94u, 47},
    {0x901d7cf73ab0acd9u, 0x0f9d37014bf60a10u, 50},
    {0xe69594bec44de15bu, 0x4c2ebe687989a9b3u, 54},
    {0xb877aa3236a4b449u, 0x09befeb9fad487c2u, 57},
    {0x9392ee8e921d5d07u, 0x3aff322e62439fcfu, 60},
    {0xec1e4a7db69561a5u, 0x2b31e9e3d06c32e5u, 64},
    {0xbce5086492111aeau, 0x88f4bb1ca6bcf584u, 67},
    {0x971da05074da7beeu, 0xd3f6fc16ebca5e03u, 70},
    {0xf1c90080baf72cb1u, 0x5324c68b12dd6338u, 74},
    {0xc16d9a0095928a27u, 0x75b7053c0f178293u, 77},
    {0x9abe14cd44753b52u, 0xc4926a9672793542u, 80},
    {0xf79687aed3eec551u, 0x3a83ddbd83f52204u, 84},
    {0xc612062576589ddau, 0x95364afe032a819du, 87},
    {0x9e74d1b791e07e48u, 0x775ea264cf55347du, 90},
};

/* m / 5^f over 2^f, exact, when 5^f divides m; else 0. Out of line, to
 * keep the hot path short: exact_quotient only comes here when its
 * product lands on or next to a rounding boundary (binary fractions, and
 * about once in 2^60 otherwise). */
static __attribute__((noinline)) int binary_fraction(uint64_t m, int f, double *out)
{
    static const uint64_t pow5[] = {
        UINT64_C(1), UINT64_C(5), UINT64_C(25), UINT64_C(125), UINT64_C(625), UINT64_C(3125),
        UINT64_C(15625), UINT64_C(78125), UINT64_C(390625), UINT64_C(1953125),
        UINT64_C(9765625), UINT64_C(48828125), UINT64_C(244140625), UINT64_C(1220703125),
        UINT64_C(6103515625), UINT64_C(30517578125), UINT64_C(152587890625),
        UINT64_C(762939453125), UINT64_C(3814697265625), UINT64_C(19073486328125),
        UINT64_C(95367431640625), UINT64_C(476837158203125), UINT64_C(2384185791015625),
        UINT64_C(11920928955078125), UINT64_C(59604644775390625),
        UINT64_C(298023223876953125), UINT64_C(1490116119384765625),
        UINT64_C(7450580596923828125)};
    uint64_t bits;
    double p2;
    if (m % pow5[f] != 0)
        return 0;
    bits = (uint64_t)(1023 - f) << 52;
    memcpy(&p2, &bits, sizeof p2); /* 2^-f */
    *out = (double)(m / pow5[f]) * p2;
    return 1;
}

/* m / 10^f correctly rounded, for 0 < m < 2^64 and f <= 27, with
 * integer multiplication; 0 when the product cannot tell (then strtod
 * decides, about once in 2^60).
 * M = m << s has its top bit set; b = floor(M * R / 2^64) is below the
 * exact X = M * 2^(127+e) / 10^f / 2^64 by less than 2 (R is rounded
 * down, and the low 64 bits of the product are dropped). After shifting
 * b left by n (0 or 1) so that its top word `top` has the top bit set,
 * X (shifted too) lies in [top:mid, top:mid + 4). The 11 bits of top
 * below a double's 53 decide the rounding, unless X may reach the next
 * rounding boundary (the low 10 bits all ones and mid within 4 of
 * wrapping) or b sits exactly on a halfway point. X can only be on a
 * boundary itself when it is a binary fraction, that is when 5^f
 * divides m; then it is m / 5^f over 2^f, rounded by the conversion to
 * double. Otherwise X is past b, so a b on a halfway point rounds up. */
static inline int exact_quotient(uint64_t m, int f, double *out)
{
    unsigned s = (unsigned)__builtin_clzll(m), n;
    uint64_t M = m << s, top, mid;
    unsigned __int128 lo = (unsigned __int128)M * recip10[f].lo;
    unsigned __int128 b = (unsigned __int128)M * recip10[f].hi + (uint64_t)(lo >> 64);
    uint64_t bits;
    double p2;
    int reach;
    top = (uint64_t)(b >> 64);
    mid = (uint64_t)b;
    n = (unsigned)(~top >> 63); /* no branch: the bit is as good as random */
    top = (top << n) | ((mid >> 63) & n);
    mid <<= n;
    reach = mid > UINT64_MAX - 4 && (top & 0x3FF) == 0x3FF;
    if (reach || ((top & 0x7FF) == 0x400 && mid == 0)) {
        if (binary_fraction(m, f, out))
            return 1;
        if (reach)
            return 0;
    }
    bits = (uint64_t)(12 - (int)n - (int)s - recip10[f].e + 1023) << 52;
    memcpy(&p2, &bits, sizeof p2); /* 2^(12 - n - s - e), a normal double */
    /* below 2^53 + 1, so the signed conversion (one instruction) is exact */
    *out = (double)(int64_t)((top >> 11) + ((top >> 10) & 1)) * p2;
    return 1;
}
#endif

/* m / 10^f correctly rounded, or 0 when strtod must decide. Inlined, as
 * fast_number is: the double comes back in a register rather than through
 * memory, which the next cell would wait for (2 ms of 75 on the bench log). */
static inline __attribute__((always_inline)) int quotient(uint64_t m, int f, double *out)
{
    static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    /* both exact as doubles: one correctly rounded division */
    if (m <= (UINT64_C(1) << 53) && f <= 22) {
        *out = (double)m / p10[f];
        return 1;
    }
    if (m == 0) {
        *out = 0;
        return 1;
    }
#ifdef __SIZEOF_INT128__
    if (f <= 27)
        return exact_quotient(m, f, out);
#endif
    return 0;
}

/* The exact fast path for the shape PDH writes, [-]digits[.digits], read
 * from p up to the first byte that is not part of it (before e). Returns
 * that byte's address with *out set, or NULL when the number needs
 * strtod. Up to 19 significant digits are exact; relog writes up to 20
 * or 21, and then the digits past the 19th are dropped: the value lies
 * between m and m + 1 (over 10^frac), and when both round to the same
 * double that double is the answer. */
static inline __attribute__((always_inline)) const char *fast_number(const char *p, const char *e, double *out)
{
    /* m holds at most 19 significant digits (m < 10^19): eight more may
     * go in while m < 10^11, one more while m < 10^18 */
    const uint64_t room8 = UINT64_C(100000000000), room1 = UINT64_C(1000000000000000000);
    const char *q = p;
    uint64_t m = 0;
    int frac = 0, neg = 0, any = 0, cut = 0;
    double v, v1;
    if (q < e && *q == '-') {
        neg = 1;
        q++;
    }
    /* Eight digits at a time while they last (the usual 17-digit values
     * take three steps), then one at a time. */
    while (e - q >= 8 && m < room8 && digits8(q)) {
        m = m * 100000000 + value8(q);
        q += 8;
        any = 1;
    }
    for (; q < e && *q >= '0' && *q <= '9'; q++, any = 1) {
        if (m >= room1) return NULL;
        m = m * 10 + (uint64_t)(*q - '0');
    }
    if (q < e && *q == '.') {
        q++;
        while (e - q >= 8 && m < room8 && frac <= 19 && digits8(q)) {
            m = m * 100000000 + value8(q);
            frac += 8;
            q += 8;
            any = 1;
        }
        for (; q < e && *q >= '0' && *q <= '9'; q++, any = 1) {
            if (m >= room1 || frac >= 27) {
                cut = 1;
                continue;
            }
            m = m * 10 + (uint64_t)(*q - '0');
            frac++;
        }
    }
    if (!any)
        return NULL;
    if (!quotient(m, frac, &v) || (cut && (!quotient(m + 1, frac, &v1) || v1 != v)))
        return NULL;
    *out = neg ? -v : v;
    return q;
}

int pl_parse_value_fast(const char *s, size_t len, double *out)
{
    return fast_number(s, s + len, out) == s + len;
}

int pl_parse_value(const char *s, size_t len, double *out)
{
    const char *p = s, *e = s + len;
    char buf[128], *end;
    double v = 0;
    while (p < e && *p == ' ')
        p++;
    while (e > p && e[-1] == ' ')
        e--;
    if (p == e)
        return 0;
    if (fast_number(p, e, &v) == e) {
        *out = v;
        return 1;
    }
    if ((size_t)(e - p) >= sizeof buf)
        return -1;
    if (!((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == '.'))
        return -1;              /* refuses "inf", "nan", "1.#INF" */
    memcpy(buf, p, (size_t)(e - p));
    buf[e - p] = '\0';
    if (strpbrk(buf, "xXnNiI#"))
        return -1;              /* hex floats, "-nan", "-inf" */
    errno = 0;
    v = strtod(buf, &end);
    if (end != buf + (e - p) || end == buf || !isfinite(v))
        return -1;
    *out = v;
    return 1;
}

/* ---------- csv stage ---------- */

static int space_only(unsigned char c)
{
    return c == ' ';
}

/* libcsv grows its field buffer without bound; this caps one cell. */
static void *limited_realloc(void *p, size_t n)
{
    if (n > PL_MAX_FIELD_BYTES + 1)
        return NULL;
    return realloc(p, n);
}

static int header_done(pl_reader *r)
{
    pl_log_header h;
    size_t i;
    int rc;
    if (pl_tz_parse(r->hdr[0], &r->tz) != 0)
        return fail(r, NULL, PL_EFORMAT,
                    "%s:1: not a Performance Monitor log: expected a first header cell like \"(PDH-CSV 4.0) (Pacific Standard Time)(480)\", got \"%.60s\"",
                    r->name, r->hdr[0]);
    if (r->nhdr < 2)
        return fail(r, NULL, PL_EFORMAT,
                    "%s:1: expected counter paths after the time-zone cell, found none",
                    r->name);
    for (i = 1; i < r->nhdr; i++) {
        pl_path p;
        pl_error perr;
        /* A Data Collector Set with a description writes it as one last
         * header cell (quotes and all), and every row then ends with " ". */
        int last = i + 1 == r->nhdr && i >= 2;
        char *clean = pl_utf8_sanitize(r->hdr[i], strlen(r->hdr[i]));
        if (!clean)
            return fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
        free(r->hdr[i]);
        r->hdr[i] = clean;
        if (pl_path_parse(clean, &p, &perr) != PL_OK) {
            if (perr.code == PL_ENOMEM)
                return fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
            if (last) {
                r->ndesc = 1;
                pl_warnf(r->warn, r->warn_ctx,
                         "%s:1: column %zu is not a counter path but text (a data collector set's description: \"%.*s...\"); it and its cells were skipped",
                         r->name, i + 1, (int)pl_utf8_prefix(clean, 40), clean);
                break;
            }
            return fail(r, NULL, PL_EFORMAT,
                        "%s:1: column %zu: not a Performance Monitor log: %s",
                        r->name, i + 1, perr.msg);
        }
        pl_path_clear(&p);
    }
    if (!r->tz.format[0])
        strcpy(r->tz.format, r->delim == '\t' ? "PDH-TSV" : "PDH-CSV");
    if (r->tz.bias_known == 2)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:1: the header's time zone \"%s\" was cut off with its UTC offset; assuming UTC%c%02d:%02d from its name",
                 r->name, r->tz.name, r->tz.bias > 0 ? '-' : '+', abs(r->tz.bias) / 60, abs(r->tz.bias) % 60);
    if (r->utc_offset_set) {
        r->tz.bias = -r->utc_offset;
        r->tz.bias_known = 3;
    } else if (!r->tz.bias_known)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:1: the header gives no UTC offset%s%s%s; times are taken as UTC+00:00 (give the server's with --utc-offset, e.g. --utc-offset +09:00)",
                 r->name, r->tz.name[0] ? " for time zone \"" : "",
                 r->tz.name, r->tz.name[0] ? "\"" : "");
    r->ncols = r->nhdr - 1;
    r->select = malloc(r->ncols);
    r->vals = malloc(r->ncols * sizeof *r->vals);
    r->cell = malloc((r->ncols + 1) * sizeof *r->cell);
    r->cell_len = malloc((r->ncols + 1) * sizeof *r->cell_len);
    if (!r->select || !r->vals || !r->cell || !r->cell_len)
        return fail(r, NULL, PL_ENOMEM, "%s: out of memory for %zu columns",
                    r->name, r->ncols);
    memset(r->select, 1, r->ncols);
    if (r->ndesc)
        r->select[r->ncols - 1] = 0;
    for (i = 0; i < r->ncols; i++)
        r->vals[i] = NAN;
    h.name = r->name;
    h.tz = &r->tz;
    h.encoding = r->enc_name;
    h.encoding_guessed = r->enc_guessed;
    h.delimiter = r->delim;
    h.ncols = r->ncols - r->ndesc;
    h.paths = (const char *const *)(r->hdr + 1);
    h.select = r->select;
    rc = r->sink.header ? r->sink.header(r->sink.ctx, &h, &r->ferr) : PL_OK;
    if (rc != PL_OK) {
        r->failed = rc;
        r->ferr.code = rc;
        return rc;
    }
    /* The paths were copied by whoever needed them. */
    for (i = 0; i < r->nhdr; i++)
        free(r->hdr[i]);
    free(r->hdr);
    r->hdr = NULL;
    r->nhdr = r->caphdr = 0;
    return PL_OK;
}

static int grow(char **buf, size_t *cap, size_t need);
static int append(char **buf, size_t *n, size_t *cap, const void *src, size_t len);

/* One data cell (the header's cells go to on_field). */
static void take_field(pl_reader *r, const char *f, size_t len)
{
    if (r->field == 0) {
        r->time_ok = pl_time_parse_pdh(f, len, &r->row_time) == 0;
        if (!r->time_ok && r->bad_ts++ == 0) {
            r->bad_ts_line = cur_line(r);
            snprintf(r->bad_ts_text, sizeof r->bad_ts_text, "%.*s", (int)(len < 40 ? len : 40), f);
        }
    } else if (r->field <= r->ncols && r->select[r->field - 1]) {
        double v;
        char dc[64];
        int k;
        const char *comma = r->decimal_comma ? memchr(f, ',', len) : NULL;
        if (comma && len < sizeof dc && !memchr(f, '.', len) &&
            !memchr(comma + 1, ',', len - (size_t)(comma - f) - 1)) {
            /* "1,5" from a ';'-separated re-save: one comma, no point */
            memcpy(dc, f, len);
            dc[comma - f] = '.';
            f = dc;
        }
        k = pl_parse_value(f, len, &v);
        if (k == 1 && fabs(v) > PL_MAX_VALUE) {
            if (r->huge_values++ == 0) {
                r->huge_value_line = cur_line(r);
                r->huge_value_col = r->field + 1;
                snprintf(r->huge_value_text, sizeof r->huge_value_text, "%.*s",
                         (int)(len < 40 ? len : 40), f);
            }
        } else if (k == 1) {
            r->vals[r->field - 1] = v;
        } else if (k < 0 && r->bad_values++ == 0) {
            r->bad_value_line = cur_line(r);
            r->bad_value_col = r->field + 1;
            snprintf(r->bad_value_text, sizeof r->bad_value_text, "%.*s", (int)(len < 40 ? len : 40), f);
        }
    }
    r->field++;
}

static void on_field(void *s, size_t len, void *data)
{
    pl_reader *r = data;
    const char *f = s ? (const char *)s : "";
    if (r->failed)
        return;
    if (r->in_header) {
        /* The time cell plus at most PL_MAX_COLUMNS counters. */
        if (r->nhdr > PL_MAX_COLUMNS) {
            fail(r, NULL, PL_ELIMIT,
                 "%s:1: more than %zu columns in the header; expected a log of at most that many counters",
                 r->name, PL_MAX_COLUMNS);
            return;
        }
        if (r->nhdr == r->caphdr) {
            size_t nc = r->caphdr ? r->caphdr * 2 : 64;
            char **nh;
            nh = realloc(r->hdr, nc * sizeof *nh);
            if (!nh) {
                fail(r, NULL, PL_ENOMEM, "%s:1: out of memory reading the header", r->name);
                return;
            }
            r->hdr = nh;
            r->caphdr = nc;
        }
        if (!(r->hdr[r->nhdr] = pl_strndup(f, len))) {
            fail(r, NULL, PL_ENOMEM, "%s:1: out of memory reading the header", r->name);
            return;
        }
        r->nhdr++;
        return;
    }
    take_field(r, f, len);
}

/* A row's local time (as the log writes it) as UTC. */
static pl_time to_utc(const pl_reader *r, pl_time local)
{
    return local + (pl_time)r->tz.bias * 60 * PL_TICKS_PER_SEC;
}

/* One parsed row to the sink, at its UTC time. */
static void deliver_row(pl_reader *r, pl_time local, const double *v)
{
    int rc;
    if (!r->sink.row)
        return;
    rc = r->sink.row(r->sink.ctx, to_utc(r, local), v, r->ncols - r->ndesc, &r->ferr);
    if (rc != PL_OK) {
        r->failed = rc;
        r->ferr.code = rc;
    }
}

static void end_record(pl_reader *r, int c)
{
    size_t i, cells = r->field;
    r->field = 0;
    if (c == -1 && (cells != r->ncols + 1 || r->last_byte != '"')) {
        /* A last row cut short (no line end, and not ending in a closed
         * quote with every cell): the log was still being written. */
        r->dropped_last = cur_line(r);
    } else if (r->time_ok) {
        if (cells < r->ncols + 1 && r->short_rows++ == 0)
            r->short_line = cur_line(r);
        if (cells > r->ncols + 1 && r->long_rows++ == 0)
            r->long_line = cur_line(r);
        if (r->rows && r->row_time < r->prev_time && r->backwards++ == 0)
            r->backwards_line = cur_line(r);
        r->prev_time = r->row_time;
        deliver_row(r, r->row_time, r->vals);
        r->rows++;
    }
    for (i = 0; i < r->ncols; i++)
        r->vals[i] = NAN;
    r->records++;
}

static void on_record(int c, void *data)
{
    pl_reader *r = data;
    if (r->failed)
        return;
    if (r->in_header) {
        r->in_header = 0;
        r->records++;
        header_done(r);
        return;
    }
    end_record(r, c);
}

static int csv_feed_lib(pl_reader *r, const char *buf, size_t n)
{
    if (n)
        r->last_byte = buf[n - 1];
    if (n && csv_parse(&r->csv, buf, n, on_field, on_record, r) != n) {
        int e = csv_error(&r->csv);
        if (e == CSV_ENOMEM || e == CSV_ETOOBIG)
            return fail(r, NULL, PL_ELIMIT,
                        "%s:%zu: a cell longer than %zu MiB; expected a Performance Monitor log",
                        r->name, cur_line(r), PL_MAX_FIELD_BYTES >> 20);
        return fail(r, NULL, PL_EFORMAT, "%s:%zu: %s", r->name, cur_line(r),
                    csv_strerror(e));
    }
    return r->failed;
}

/* Splits a whole line (ending in '\n') of exactly ncols + 1 quoted cells
 * without quotes inside, as every PDH writer writes rows, into cell and
 * cell_len, as libcsv would give them. Returns 0 for any other shape,
 * which libcsv then parses. */
static int split_line(const pl_reader *r, const char *s, size_t len, const char **cell,
                      size_t *cell_len)
{
    const char *e = s + len - 1, *p = s;
    size_t k = 0, want = r->ncols + 1;
    if (e > s && e[-1] == '\r')
        e--;
    while (p < e) {
        const char *q;
        if (*p != '"' || k == want || !(q = memchr(p + 1, '"', (size_t)(e - p - 1))))
            return 0;
        if ((size_t)(q - p - 1) > PL_MAX_FIELD_BYTES)
            return 0; /* libcsv refuses it, with the message */
        cell[k] = p + 1;
        cell_len[k++] = (size_t)(q - p - 1);
        p = q + 1;
        if (p == e)
            break;
        if (*p != r->delim || ++p == e)
            return 0;
    }
    return k == want;
}

/* A regular line taken directly (else 0: libcsv parses it). */
static int fast_line(pl_reader *r, const char *s, size_t len)
{
    size_t k;
    if (!split_line(r, s, len, r->cell, r->cell_len))
        return 0;
    for (k = 0; k < r->ncols + 1 && !r->failed; k++)
        take_field(r, r->cell[k], r->cell_len[k]);
    end_record(r, '\n');
    return 1;
}

/* At a row boundary: neither libcsv nor we are inside a row. */
static int at_row_start(const pl_reader *r)
{
    return !r->in_header && r->cell && r->csv.pstate == 0 && r->field == 0;
}

/* Longest line held back for the fast path; longer ones go to libcsv. */
#define MAX_TAIL ((size_t)1 << 20)

static int csv_feed_seq(pl_reader *r, const char *buf, size_t n)
{
    while (n && !r->failed) {
        const char *nl;
        size_t k;
        if (!r->ntail && !at_row_start(r)) {
            /* libcsv is in a row (or the header): give it up to the line end. */
            nl = memchr(buf, '\n', n);
            k = nl ? (size_t)(nl - buf) + 1 : n;
            csv_feed_lib(r, buf, k);
            buf += k;
            n -= k;
            continue;
        }
        nl = memchr(buf, '\n', n);
        if (!nl) {
            if (r->ntail + n > MAX_TAIL) {
                csv_feed_lib(r, r->tail, r->ntail);
                r->ntail = 0;
                csv_feed_lib(r, buf, n);
            } else if (append(&r->tail, &r->ntail, &r->captail, buf, n)) {
                return fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
            }
            return r->failed;
        }
        k = (size_t)(nl - buf) + 1;
        if (r->ntail) {
            if (append(&r->tail, &r->ntail, &r->captail, buf, k))
                return fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
            if (!fast_line(r, r->tail, r->ntail))
                csv_feed_lib(r, r->tail, r->ntail);
            r->ntail = 0;
        } else if (!fast_line(r, buf, k)) {
            csv_feed_lib(r, buf, k);
        }
        buf += k;
        n -= k;
    }
    return r->failed;
}

/* ---------- block mode: parsing on two threads ---------- */

#define NBLOCKS 4
#define BLOCK_TEXT ((size_t)512 << 10)
#define BLOCK_MAX ((size_t)32 << 20) /* a block without a line end is cut here */

enum { B_EMPTY, B_FILLING, B_FILLED, B_PARSING, B_PARSED, B_STORING };

typedef struct block {
    char *text;
    size_t n, cap;
    int state;
    size_t seq;
    pl_time *t;            /* local times of the parsed rows */
    double *v;             /* ncols values per parsed row */
    size_t rows, caprows;
    size_t clean;          /* text bytes the parsed rows cover */
} block;

/* Parses one line of the regular shape into t and v (no reader state is
 * touched: this runs beside the storing thread). 0 for anything that
 * would need a repair or a warning: the sequential path does those. */
static int clean_line(const pl_reader *r, const char *s, size_t len, pl_time *t, double *v)
{
    /* split_line's shape, with the numbers read as the cells are found:
     * a value that ends at its closing quote needs no memchr */
    const char *e = s + len - 1, *p = s, *q;
    size_t k;
    if (e > s && e[-1] == '\r')
        e--;
    if (p >= e || *p != '"' || !(q = memchr(p + 1, '"', (size_t)(e - p - 1))) ||
        (size_t)(q - p - 1) > PL_MAX_FIELD_BYTES || pl_time_parse_pdh(p + 1, (size_t)(q - p - 1), t) != 0)
        return 0;
    p = q + 1;
    for (k = 0; k < r->ncols; k++) {
        double x = NAN;
        const char *n;
        if (p >= e || *p != r->delim || ++p >= e || *p != '"')
            return 0;
        p++;
        if (r->select[k] && (n = fast_number(p, e, &x)) != NULL && n < e && *n == '"') {
            q = n;
        } else {
            x = NAN;
            if (!(q = memchr(p, '"', (size_t)(e - p))) || (size_t)(q - p) > PL_MAX_FIELD_BYTES ||
                (r->select[k] && pl_parse_value(p, (size_t)(q - p), &x) < 0))
                return 0;
        }
        if (fabs(x) > PL_MAX_VALUE)
            return 0; /* the general path sets it aside, with its warning */
        v[k] = x;
        p = q + 1;
    }
    return p == e;
}

static void parse_block(const pl_reader *r, block *b)
{
    size_t off = 0;
    b->rows = 0;
    while (off < b->n) {
        const char *s = b->text + off, *nl = memchr(s, '\n', b->n - off);
        size_t len;
        if (!nl)
            break;
        len = (size_t)(nl - s) + 1;
        if (b->rows == b->caprows) {
            size_t nc = b->caprows ? b->caprows * 2 : 64;
            pl_time *nt = realloc(b->t, nc * sizeof *nt);
            double *nv;
            if (nt)
                b->t = nt;
            nv = nt ? realloc(b->v, nc * (r->ncols ? r->ncols : 1) * sizeof *nv) : NULL;
            if (!nv)
                break; /* the sequential path takes the rest */
            b->v = nv;
            b->caprows = nc;
        }
        if (!clean_line(r, s, len, &b->t[b->rows], b->v + b->rows * r->ncols))
            break;
        b->rows++;
        off += len;
    }
    b->clean = off;
}

/* A row stored from a block, counted as the sequential path counts it:
 * its line number, and whether time went backwards. */
static void count_row(pl_reader *r, pl_time local)
{
    r->row_time = local;
    if (r->rows && r->row_time < r->prev_time && r->backwards++ == 0)
        r->backwards_line = cur_line(r);
    r->prev_time = r->row_time;
    r->rows++;
    r->records++;
}

/* The first column of the part of a stored block's columns offered to
 * the other thread. The storing thread keeps two thirds: the other one
 * usually comes to its part late, from a block it was parsing, and with
 * halves the storing thread waited 4-7 ms a run for it. On the 104 MB
 * bench log: 70.1 against 71.3 ms on a calm machine, 81.5 against 85.5
 * in a slow spell (30 interleaved runs each). */
static size_t offer_from(const pl_reader *r)
{
    return r->ncols * 2 / 3;
}

/* Stores the offered part of the columns of the block being stored, with
 * r->mu held (released while storing), on whichever thread gets to it. */
static void store_offered(pl_reader *r)
{
    block *b = r->offered;
    r->offer_state = 1;
    pthread_mutex_unlock(&r->mu);
    r->offer_rc = r->sink.rows(r->sink.ctx, b->t, b->v, b->rows, r->ncols, offer_from(r), r->ncols - r->ndesc, 0,
                               &r->offer_err);
    pthread_mutex_lock(&r->mu);
    r->offer_state = 2;
    pthread_cond_broadcast(&r->cv);
}

/* Stores a parsed block: its clean rows as the sequential path would have
 * (line numbers, order checks), then the rest sequentially. */
static void store_block(pl_reader *r, block *b)
{
    size_t i;
    if (r->failed)
        return;
    if (!at_row_start(r) || r->ntail) {
        csv_feed_seq(r, b->text, b->n);
        return;
    }
    if (r->sink.rows && r->ncols >= 64) {
        /* Line numbers and time order row by row, then the values by
         * column, on both threads. */
        int rc;
        for (i = 0; i < b->rows; i++) {
            count_row(r, b->t[i]);
            b->t[i] = to_utc(r, b->t[i]);
        }
        pthread_mutex_lock(&r->mu);
        r->offered = b;
        r->offer_state = 0;
        r->offer_rc = PL_OK;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        rc = r->sink.rows(r->sink.ctx, b->t, b->v, b->rows, r->ncols, 0, offer_from(r), 1, &r->ferr);
        pthread_mutex_lock(&r->mu);
        if (r->offer_state == 0) /* nobody took it: store it here */
            store_offered(r);
        while (r->offer_state != 2)
            pthread_cond_wait(&r->cv, &r->mu);
        r->offered = NULL;
        if (rc == PL_OK && r->offer_rc != PL_OK) {
            rc = r->offer_rc;
            r->ferr = r->offer_err;
        }
        pthread_mutex_unlock(&r->mu);
        if (rc != PL_OK) {
            r->failed = rc;
            r->ferr.code = rc;
        }
    } else {
        for (i = 0; i < b->rows && !r->failed; i++) {
            deliver_row(r, b->t[i], b->v + i * r->ncols);
            count_row(r, b->t[i]);
        }
    }
    if (b->clean < b->n && !r->failed)
        csv_feed_seq(r, b->text + b->clean, b->n - b->clean);
}

/* One piece of work, with r->mu held (released while working): store the
 * next block in order if it is parsed, else parse a filled block.
 * Returns 0 when there was nothing to do. */
static int do_work(pl_reader *r)
{
    int i, pick = -1;
    if (r->offered && r->offer_state == 0) {
        store_offered(r);
        return 1;
    }
    if (!r->storing)
        for (i = 0; i < NBLOCKS; i++)
            if (r->blk[i].state == B_PARSED && r->blk[i].seq == r->store_seq) {
                block *b = &r->blk[i];
                b->state = B_STORING;
                r->storing = 1;
                pthread_mutex_unlock(&r->mu);
                store_block(r, b);
                pthread_mutex_lock(&r->mu);
                b->state = B_EMPTY;
                b->n = 0;
                r->store_seq++;
                r->storing = 0;
                pthread_cond_broadcast(&r->cv);
                return 1;
            }
    for (i = 0; i < NBLOCKS; i++)
        if (r->blk[i].state == B_FILLED && (pick < 0 || r->blk[i].seq < r->blk[pick].seq))
            pick = i;
    if (pick < 0)
        return 0;
    r->blk[pick].state = B_PARSING;
    pthread_mutex_unlock(&r->mu);
    parse_block(r, &r->blk[pick]);
    pthread_mutex_lock(&r->mu);
    r->blk[pick].state = B_PARSED;
    pthread_cond_broadcast(&r->cv);
    return 1;
}

static void *par_thread(void *arg)
{
    pl_reader *r = arg;
    pthread_mutex_lock(&r->mu);
    while (!r->th_stop)
        if (!do_work(r))
            pthread_cond_wait(&r->cv, &r->mu);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static void free_blocks(pl_reader *r)
{
    int i;
    if (!r->blk)
        return;
    for (i = 0; i < NBLOCKS; i++) {
        free(r->blk[i].text);
        free(r->blk[i].t);
        free(r->blk[i].v);
    }
    free(r->blk);
    r->blk = NULL;
}

/* Ends the second thread once it has finished what it is doing. */
static void stop_thread(pl_reader *r)
{
    if (!r->th_started)
        return;
    pthread_mutex_lock(&r->mu);
    r->th_stop = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->th, NULL);
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
    r->th_started = 0;
}

static int par_start(pl_reader *r)
{
    int i;
    if (!(r->blk = calloc(NBLOCKS, sizeof *r->blk)))
        return -1;
    for (i = 0; i < NBLOCKS; i++) {
        block *b = &r->blk[i];
        b->cap = BLOCK_TEXT + 4096;
        if (!(b->text = malloc(b->cap)))
            return -1;
    }
    if (pthread_mutex_init(&r->mu, NULL))
        return -1;
    if (pthread_cond_init(&r->cv, NULL)) {
        pthread_mutex_destroy(&r->mu);
        return -1;
    }
    if (pthread_create(&r->th, NULL, par_thread, r)) {
        pthread_cond_destroy(&r->cv);
        pthread_mutex_destroy(&r->mu);
        return -1;
    }
    r->th_started = 1;
    r->fill = -1;
    r->par_on = 1;
    return 0;
}

static const char *last_nl(const char *s, size_t n)
{
    while (n--)
        if (s[n] == '\n')
            return s + n;
    return NULL;
}

/* Hands the block being filled on; its text after the last line end (all
 * of a block without one below BLOCK_MAX stays) goes to carry. */
static void submit_fill(pl_reader *r, int whole)
{
    block *b = &r->blk[r->fill];
    size_t keep = b->n;
    if (!whole) {
        const char *nl = b->n ? last_nl(b->text, b->n) : NULL;
        keep = nl ? (size_t)(nl - b->text) + 1 : b->n;
        r->npcarry = 0;
        if (keep < b->n && append(&r->pcarry, &r->npcarry, &r->cappcarry, b->text + keep, b->n - keep))
            keep = b->n; /* no room to carry: the block takes it all */
    }
    b->n = keep;
    pthread_mutex_lock(&r->mu);
    b->state = B_FILLED;
    r->fill = -1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

/* Takes an empty block to fill, working (or waiting) until there is one. */
static int take_block(pl_reader *r)
{
    int i, got = -1;
    pthread_mutex_lock(&r->mu);
    while (got < 0) {
        for (i = 0; i < NBLOCKS && got < 0; i++)
            if (r->blk[i].state == B_EMPTY)
                got = i;
        if (got < 0 && !do_work(r))
            pthread_cond_wait(&r->cv, &r->mu);
    }
    r->blk[got].state = B_FILLING;
    r->blk[got].seq = r->next_seq++;
    r->blk[got].n = 0;
    pthread_mutex_unlock(&r->mu);
    r->fill = got;
    return append(&r->blk[got].text, &r->blk[got].n, &r->blk[got].cap, r->pcarry, r->npcarry);
}

static int par_failed(pl_reader *r)
{
    int f;
    pthread_mutex_lock(&r->mu);
    f = r->failed;
    pthread_mutex_unlock(&r->mu);
    return f;
}

/* The block to fill next, taken if none is: NULL when out of memory or
 * when the second thread has failed. *room: what it takes before it is
 * full (a line longer than a block goes on 64 KiB at a time). */
static block *filling(pl_reader *r, size_t *room)
{
    block *b;
    if (par_failed(r))
        return NULL;
    if (r->fill < 0) {
        if (take_block(r)) {
            fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
            return NULL;
        }
        r->npcarry = 0;
    }
    b = &r->blk[r->fill];
    *room = b->n < BLOCK_TEXT ? BLOCK_TEXT - b->n : 65536;
    return b;
}

/* k bytes have been added to the block being filled: hands it on once it
 * is full and holds a line end (or has reached BLOCK_MAX). */
static void filled(pl_reader *r, block *b, size_t k)
{
    if (b->n >= BLOCK_TEXT && (memchr(b->text + b->n - k, '\n', k) || b->n >= BLOCK_MAX))
        submit_fill(r, b->n >= BLOCK_MAX && !last_nl(b->text, b->n));
}

static int block_feed(pl_reader *r, const char *buf, size_t n)
{
    while (n) {
        size_t room, k;
        block *b = filling(r, &room);
        if (!b)
            return r->failed;
        k = n < room ? n : room;
        if (append(&b->text, &b->n, &b->cap, buf, k))
            return fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
        buf += k;
        n -= k;
        filled(r, b, k);
    }
    return PL_OK;
}

char *pl_reader_room(pl_reader *r, size_t *len)
{
    block *b;
    size_t room;
    if (r->failed || r->finished || !r->par_on || r->dec != DEC_PASS || !(b = filling(r, &room)))
        return NULL;
    if (grow(&b->text, &b->cap, b->n + room))
        return NULL; /* fed the usual way, which says it is out of memory */
    *len = room;
    return b->text + b->n;
}

int pl_reader_commit(pl_reader *r, size_t n, pl_error *err)
{
    block *b = &r->blk[r->fill];
    b->n += n;
    filled(r, b, n);
    if (r->failed)
        return fail(r, err, r->failed, "%s", r->ferr.msg);
    return PL_OK;
}

/* Ends block mode: the last block, then every block stored, then the
 * second thread stopped. */
static void par_finish(pl_reader *r)
{
    if (!r->par_on)
        return;
    if (r->fill < 0 && r->npcarry && !take_block(r))
        r->npcarry = 0;
    if (r->fill >= 0)
        submit_fill(r, 1);
    pthread_mutex_lock(&r->mu);
    while (r->store_seq < r->next_seq)
        if (!do_work(r))
            pthread_cond_wait(&r->cv, &r->mu);
    pthread_mutex_unlock(&r->mu);
    stop_thread(r);
    r->par_on = 0;
    r->par_off = 1;
}

/* Text after decoding: in block mode once the header is read and two
 * threads are allowed, else line by line here. */
static int csv_feed(pl_reader *r, const char *buf, size_t n)
{
    if (!r->par_on && !r->par_off && r->threads >= 2) {
        /* The header goes the sequential way a line at a time, so that
         * block mode takes over at the first row rather than after the
         * first buffer (a megabyte of rows read on one thread). */
        while (n && !at_row_start(r) && !r->failed) {
            const char *nl = memchr(buf, '\n', n);
            size_t k = nl ? (size_t)(nl - buf) + 1 : n;
            csv_feed_seq(r, buf, k);
            buf += k;
            n -= k;
        }
        if (!n || r->failed)
            return r->failed;
        if (par_start(r) != 0) {
            r->par_off = 1; /* no second thread: one is enough */
            free_blocks(r);
        } else if (r->ntail) {
            /* The line held back for the fast path starts the first block. */
            size_t k = r->ntail;
            r->ntail = 0;
            if (block_feed(r, r->tail, k) != PL_OK)
                return r->failed;
        }
    }
    if (r->par_on)
        return block_feed(r, buf, n);
    return csv_feed_seq(r, buf, n);
}

/* Decides the delimiter from the text after the first cell. PDH writes
 * that cell quoted; a spreadsheet re-save of a PDH log writes it bare, and
 * where the locale's list separator is ';' with decimal commas. */
static int csv_start(pl_reader *r, int final)
{
    size_t i;
    int bare;
    if (r->npre == 0)
        return final ? fail(r, NULL, PL_EFORMAT,
                            "%s: empty file; expected a Performance Monitor log", r->name)
                     : PL_OK;
    bare = r->pre[0] == '(';
    if ((r->pre[0] != '"' && !bare) || (!bare && r->npre > 1 && r->pre[1] != '(')) {
        size_t k;
        char got[48];
        for (k = 0; k < r->npre && k + 1 < sizeof got && r->pre[k] != '\n' && r->pre[k] != '\r'; k++)
            got[k] = (unsigned char)r->pre[k] < 0x20 ? '?' : r->pre[k];
        got[k] = '\0';
        return fail(r, NULL, PL_EFORMAT,
                    "%s:1: not a Performance Monitor log: expected a header starting with \"(PDH-CSV 4.0)\", got \"%s\"",
                    r->name, got);
    }
    if (bare) {
        for (i = 1; i < r->npre && !strchr(",\t;\r\n", r->pre[i]); i++)
            ;
        i--; /* as if the cell's closing quote stood at i */
    } else {
        for (i = 1; i < r->npre && r->pre[i] != '"'; i++)
            ;
    }
    if (i + 1 >= r->npre) {
        if (!final && r->npre < PL_MAX_HEADER_BYTES)
            return PL_OK;       /* wait for more text */
        return fail(r, NULL, PL_EFORMAT,
                    "%s:1: not a Performance Monitor log: the first header cell never ends",
                    r->name);
    }
    if (r->pre[i + 1] == ',' || r->pre[i + 1] == '\t' || r->pre[i + 1] == ';') {
        r->delim = r->pre[i + 1];
    } else if (r->pre[i + 1] == '\r' || r->pre[i + 1] == '\n') {
        return fail(r, NULL, PL_EFORMAT,
                    "%s:1: expected counter paths after the time-zone cell, found none",
                    r->name);
    } else {
        return fail(r, NULL, PL_EFORMAT,
                    "%s:1: not a Performance Monitor log: expected ',', ';' or a tab after the first header cell, got '%c'",
                    r->name, (unsigned char)r->pre[i + 1] < 0x20 ? '?' : r->pre[i + 1]);
    }
    r->decimal_comma = r->delim == ';';
    if (bare || r->decimal_comma)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:1: not as Windows writes it but re-saved by a spreadsheet (%s%s%s); read as a PDH log, though values it rounded (\"2.20E+12\") stay rounded",
                 r->name, bare ? "cells without quotes" : "",
                 bare && r->decimal_comma ? ", " : "",
                 r->decimal_comma ? "';' between cells, decimal commas" : "");
    if (csv_init(&r->csv, CSV_APPEND_NULL) != 0)
        return fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
    r->csv_inited = 1;
    csv_set_delim(&r->csv, (unsigned char)r->delim);
    csv_set_space_func(&r->csv, space_only);
    /* libcsv's own line ends (CR, LF) are ours: no per-byte callback. */
    csv_set_realloc_func(&r->csv, limited_realloc);
    /* libcsv grows a cell's buffer by this much at a time: large steps keep
     * a huge cell from costing a quadratic number of copies. */
    csv_set_blk_size(&r->csv, (size_t)1 << 20);
    csv_set_free_func(&r->csv, free);
    r->csv_started = 1;
    csv_feed(r, r->pre, r->npre);
    free(r->pre);
    r->pre = NULL;
    r->npre = r->cappre = 0;
    return r->failed;
}

/* Makes room for need bytes in *buf, doubling its capacity as often as
 * that takes. -1 when out of memory (*buf unchanged). */
static int grow(char **buf, size_t *cap, size_t need)
{
    if (need > *cap) {
        size_t nc = *cap ? *cap : 4096;
        char *nb;
        while (nc < need)
            nc *= 2;
        nb = realloc(*buf, nc);
        if (!nb)
            return -1;
        *buf = nb;
        *cap = nc;
    }
    return 0;
}

static int append(char **buf, size_t *n, size_t *cap, const void *src, size_t len)
{
    if (len == 0) /* *buf may still be NULL */
        return 0;
    if (grow(buf, cap, *n + len))
        return -1;
    memcpy(*buf + *n, src, len);
    *n += len;
    return 0;
}

/* Hands decoded UTF-8 to the csv stage. */
static int emit(pl_reader *r, const char *buf, size_t n)
{
    if (r->failed)
        return r->failed;
    if (r->csv_started)
        return csv_feed(r, buf, n);
    if (append(&r->pre, &r->npre, &r->cappre, buf, n))
        return fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
    return csv_start(r, 0);
}

/* ---------- decode stage ---------- */

/* Maps what uchardet says to the code page a Windows machine would have
 * written: PDH writes in the ANSI code page, never ISO-8859 or KOI8. */
static const char *windows_codepage(const char *cs)
{
    static const struct { const char *from, *to; } map[] = {
        {"WINDOWS-1250", "WINDOWS-1250"}, {"ISO-8859-2", "WINDOWS-1250"},
        {"WINDOWS-1251", "WINDOWS-1251"}, {"ISO-8859-5", "WINDOWS-1251"},
        {"KOI8-R", "WINDOWS-1251"}, {"IBM866", "WINDOWS-1251"},
        {"IBM855", "WINDOWS-1251"}, {"MAC-CYRILLIC", "WINDOWS-1251"},
        {"X-MAC-CYRILLIC", "WINDOWS-1251"}, {"WINDOWS-1252", "WINDOWS-1252"},
        {"ISO-8859-1", "WINDOWS-1252"}, {"ISO-8859-15", "WINDOWS-1252"},
        {"WINDOWS-1253", "WINDOWS-1253"}, {"ISO-8859-7", "WINDOWS-1253"},
        {"WINDOWS-1254", "WINDOWS-1254"}, {"ISO-8859-9", "WINDOWS-1254"},
        {"WINDOWS-1255", "WINDOWS-1255"}, {"ISO-8859-8", "WINDOWS-1255"},
        {"WINDOWS-1256", "WINDOWS-1256"}, {"ISO-8859-6", "WINDOWS-1256"},
        {"WINDOWS-1257", "WINDOWS-1257"}, {"ISO-8859-13", "WINDOWS-1257"},
        {"ISO-8859-4", "WINDOWS-1257"}, {"WINDOWS-1258", "WINDOWS-1258"},
        {"TIS-620", "CP874"}, {"ISO-8859-11", "CP874"},
        {"SHIFT_JIS", "CP932"}, {"EUC-JP", "CP932"}, {"ISO-2022-JP", "CP932"},
        {"GB18030", "CP936"}, {"GB2312", "CP936"}, {"HZ-GB-2312", "CP936"},
        {"EUC-KR", "CP949"}, {"UHC", "CP949"}, {"ISO-2022-KR", "CP949"},
        {"BIG5", "CP950"}, {"EUC-TW", "CP950"},
    };
    size_t i;
    for (i = 0; i < sizeof map / sizeof map[0]; i++)
        if (pl_strcasecmp(cs, map[i].from) == 0)
            return map[i].to;
    return NULL;
}

static int open_iconv(pl_reader *r, const char *enc)
{
    r->cd = iconv_open("UTF-8", enc);
    if (r->cd == (iconv_t)-1)
        return fail(r, NULL, PL_EENCODING,
                    "%s: unknown character encoding \"%s\"; expected an iconv name such as WINDOWS-1251, CP932 or UTF-16LE",
                    r->name, enc);
    snprintf(r->enc_name, sizeof r->enc_name, "%s", enc);
    r->unit = (pl_strcasecmp(enc, "UTF-16LE") == 0 || pl_strcasecmp(enc, "UTF-16BE") == 0 ||
               pl_strcasecmp(enc, "UTF-16") == 0 || pl_strcasecmp(enc, "UCS-2") == 0 ||
               pl_strcasecmp(enc, "UCS-2LE") == 0) ? 2 : 1;
    /* Stateful and wide encodings must always go through iconv. */
    r->ascii_compat = r->unit == 1 && pl_strcasecmp(enc, "UTF-7") != 0 &&
                      strncmp(enc, "ISO-2022", 8) != 0 && strncmp(enc, "UTF-32", 6) != 0 &&
                      strncmp(enc, "UCS-4", 5) != 0 && strncmp(enc, "HZ", 2) != 0;
    r->dec = DEC_ICONV;
    return PL_OK;
}

/* Converts as much of in as iconv can; returns bytes consumed. Incomplete
 * trailing sequences are left unconsumed unless final. */
static size_t convert(pl_reader *r, const unsigned char *in, size_t n, int final)
{
    char *ip = (char *)(uintptr_t)in;
    size_t left = n;
    while (left > 0 && !r->failed) {
        char *op = r->obuf;
        size_t oleft = OBUF_SIZE;
        size_t rc = iconv(r->cd, &ip, &left, &op, &oleft);
        int e = errno;
        if (op > r->obuf)
            emit(r, r->obuf, (size_t)(op - r->obuf));
        if (rc != (size_t)-1)
            break;
        if (e == E2BIG)
            continue;
        if (e == EINVAL && !final)
            break;
        /* Invalid or truncated sequence: one replacement character and skip
         * one code unit, so one bad byte never loses the rest of the log. */
        r->invalid_seqs++;
        emit(r, "\xEF\xBF\xBD", 3);
        {
            size_t skip = left < r->unit ? left : r->unit;
            ip += skip;
            left -= skip;
        }
    }
    return n - left;
}

static int decode(pl_reader *r, const unsigned char *in, size_t n, int final)
{
    static const unsigned char none[1];
    if (!in) /* finishing: no bytes */
        in = none;
    if (r->dec == DEC_PASS)
        return emit(r, (const char *)in, n);
    while (r->ncarry && (n || final) && !r->failed) {
        /* Complete the sequence cut at the previous chunk's end. */
        unsigned char tmp[32];
        size_t take = n < sizeof tmp - r->ncarry ? n : sizeof tmp - r->ncarry;
        size_t used, had = r->ncarry;
        if (take > 8)
            take = 8;
        memcpy(tmp, r->carry, had);
        memcpy(tmp + had, in, take);
        used = convert(r, tmp, had + take, final && take == n);
        if (used >= had) {
            r->ncarry = 0;
            in += used - had;
            n -= used - had;
        } else if (take == n) {
            memcpy(r->carry, tmp, had + take);
            r->ncarry = had + take;
            if (r->ncarry > 8) /* never a valid sequence */
                r->ncarry = 0;
            return r->failed;
        } else {
            r->ncarry = 0; /* cannot happen for real encodings */
        }
    }
    if (!n || r->failed)
        return r->failed;
    if (r->ascii_compat) {
        size_t i;
        for (i = 0; i < n && in[i] < 0x80; i++)
            ;
        if (i == n)
            return emit(r, (const char *)in, n);
    }
    {
        size_t used = convert(r, in, n, final);
        if (used < n && !r->failed) {
            size_t rest = n - used;
            if (rest > sizeof r->carry)
                rest = sizeof r->carry;
            memcpy(r->carry, in + used, rest);
            r->ncarry = rest;
        }
    }
    return r->failed;
}

/* Picks the encoding once enough bytes are held back (or the input ends),
 * then sends the held bytes on. */
static int decide(pl_reader *r, int final)
{
    const unsigned char *b = r->raw;
    size_t n = r->nraw, skip = 0;
    const char *enc = NULL;
    if (n < 4 && !final)
        return PL_OK;
    if (r->encoding_opt) {
        enc = r->encoding_opt;
        if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0 && pl_strcasecmp(enc, "UTF-8") == 0)
            skip = 3;
        else if (n >= 2 && memcmp(b, "\xFF\xFE", 2) == 0 && pl_strcasecmp(enc, "UTF-16LE") == 0)
            skip = 2;
    } else if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
        enc = "UTF-8";
        skip = 3;
    } else if (n >= 2 && memcmp(b, "\xFF\xFE", 2) == 0) {
        enc = "UTF-16LE";
        skip = 2;
    } else if (n >= 2 && memcmp(b, "\xFE\xFF", 2) == 0) {
        enc = "UTF-16BE";
        skip = 2;
    } else if (n >= 2 && b[0] && !b[1]) {
        enc = "UTF-16LE";
    } else if (n >= 2 && !b[0] && b[1]) {
        enc = "UTF-16BE";
    } else {
        /* 8-bit: judge the header line, where the localized names are. */
        const unsigned char *nl = memchr(b, '\n', n);
        size_t hl = nl ? (size_t)(nl - b) : n;
        if (!nl && !final) {
            if (n > PL_MAX_HEADER_BYTES)
                return fail(r, NULL, PL_ELIMIT,
                            "%s:1: header line longer than %zu MiB; expected a Performance Monitor log",
                            r->name, PL_MAX_HEADER_BYTES >> 20);
            return PL_OK;
        }
        if (pl_utf8_valid(b, hl)) {
            enc = "UTF-8";
        } else {
            pl_libuchardet ucd;
            uchardet_t u;
            const char *cs, *cp;
            pl_error lerr;
            if (pl_libuchardet_open(&ucd, &lerr) != PL_OK)
                return fail(r, NULL, PL_EENCODING, "%s:1: the header is not UTF-8, and %s; name the code page with --encoding",
                            r->name, lerr.msg);
            if (!(u = ucd.create())) {
                pl_libuchardet_close(&ucd);
                return fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
            }
            ucd.handle_data(u, (const char *)b, hl);
            ucd.data_end(u);
            cs = ucd.get_charset(u);
            cp = cs ? windows_codepage(cs) : NULL;
            enc = cp ? cp : "WINDOWS-1252";
            r->enc_guessed = 1;
            ucd.destroy(u);
            pl_libuchardet_close(&ucd);
        }
    }
    if (pl_strcasecmp(enc, "UTF-8") == 0 && !r->enc_guessed) {
        snprintf(r->enc_name, sizeof r->enc_name, "UTF-8");
        r->dec = DEC_PASS;
    } else if (open_iconv(r, enc) != PL_OK) {
        return r->failed;
    }
    decode(r, b + skip, n - skip, final);
    free(r->raw);
    r->raw = NULL;
    r->nraw = r->capraw = 0;
    return r->failed;
}

/* ---------- public ---------- */

int pl_reader_create(pl_reader **out, const char *name,
                     const pl_reader_opts *opts, const pl_reader_sink *sink,
                     pl_error *err)
{
    pl_reader *r = calloc(1, sizeof *r);
    *out = NULL;
    if (!r)
        return pl_err(err, PL_ENOMEM, "%s: out of memory", name);
    r->cd = (iconv_t)-1;
    r->in_header = 1;
    r->unit = 1;
    r->name = pl_strdup(name);
    r->obuf = malloc(OBUF_SIZE);
    if (opts && opts->encoding && opts->encoding[0])
        r->encoding_opt = pl_strdup(opts->encoding);
    if (opts && opts->utc_offset_set) {
        r->utc_offset_set = 1;
        r->utc_offset = opts->utc_offset;
    }
    if (!r->name || !r->obuf || (opts && opts->encoding && opts->encoding[0] && !r->encoding_opt)) {
        pl_reader_free(r);
        return pl_err(err, PL_ENOMEM, "%s: out of memory", name);
    }
    if (opts) {
        r->warn = opts->warn;
        r->warn_ctx = opts->warn_ctx;
        r->threads = opts->threads;
    }
    if (sink)
        r->sink = *sink;
    *out = r;
    return PL_OK;
}

int pl_reader_feed(pl_reader *r, const void *buf, size_t len, pl_error *err)
{
    if (!r->failed && r->finished)
        fail(r, NULL, PL_EUSAGE, "%s: data fed after the end", r->name);
    if (!r->failed && len) {
        if (r->dec == DEC_SNIFF) {
            if (append((char **)&r->raw, &r->nraw, &r->capraw, buf, len))
                fail(r, NULL, PL_ENOMEM, "%s: out of memory", r->name);
            else
                decide(r, 0);
        } else {
            decode(r, buf, len, 0);
        }
    }
    if (r->failed)
        return fail(r, err, r->failed, "%s", r->ferr.msg);
    return PL_OK;
}

static void report_repairs(pl_reader *r)
{
    if (r->invalid_seqs)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s: %zu byte sequence(s) invalid in %s were replaced by U+FFFD (override the encoding with --encoding)",
                 r->name, r->invalid_seqs, r->enc_name);
    if (r->bad_ts)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: %zu row(s) without a timestamp like \"09/16/2021 07:51:58.569\" were skipped (first: \"%s\")",
                 r->name, r->bad_ts_line, r->bad_ts, r->bad_ts_text);
    if (r->short_rows)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: %zu row(s) had fewer than %zu cells; the missing values were left blank",
                 r->name, r->short_line, r->short_rows, r->ncols + 1);
    if (r->long_rows)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: %zu row(s) had more than %zu cells; the extra cells were ignored",
                 r->name, r->long_line, r->long_rows, r->ncols + 1);
    if (r->bad_values)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: column %zu: %zu value(s) that are not numbers (first: \"%s\") were treated as missing",
                 r->name, r->bad_value_line, r->bad_value_col, r->bad_values,
                 r->bad_value_text);
    if (r->huge_values)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: column %zu: %zu value(s) beyond what a counter can hold (2^64; first: \"%s\") were treated as missing",
                 r->name, r->huge_value_line, r->huge_value_col, r->huge_values,
                 r->huge_value_text);
    if (r->backwards)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: time went backwards %zu time(s) (segments out of order?); samples are ordered by time",
                 r->name, r->backwards_line, r->backwards);
    if (r->dropped_last)
        pl_warnf(r->warn, r->warn_ctx,
                 "%s:%zu: the last row is incomplete (log still being written?) and was ignored",
                 r->name, r->dropped_last);
}

int pl_reader_finish(pl_reader *r, pl_error *err)
{
    if (r->failed || r->finished)
        goto out;
    r->finished = 1;
    if (r->dec == DEC_SNIFF) {
        if (r->nraw == 0) {
            fail(r, NULL, PL_EFORMAT, "%s: empty file; expected a Performance Monitor log", r->name);
            goto out;
        }
        decide(r, 1);
    } else if (r->dec == DEC_ICONV) {
        decode(r, NULL, 0, 1);
    }
    if (r->failed)
        goto out;
    if (r->dec == DEC_ICONV && r->ncarry) {
        r->invalid_seqs++;
        emit(r, "\xEF\xBF\xBD", 3);
        r->ncarry = 0;
    }
    if (!r->csv_started && !r->failed)
        csv_start(r, 1);
    if (r->failed)
        goto out;
    par_finish(r);
    if (r->ntail) { /* the last line, without its line end */
        csv_feed_lib(r, r->tail, r->ntail);
        r->ntail = 0;
    }
    if (r->failed)
        goto out;
    csv_fini(&r->csv, on_field, on_record, r);
    if (r->failed)
        goto out;
    if (r->in_header) {
        fail(r, NULL, PL_EFORMAT, "%s:1: the header line is incomplete; expected a Performance Monitor log", r->name);
        goto out;
    }
    if (r->rows == 0 && r->bad_ts) {
        fail(r, NULL, PL_EFORMAT,
             "%s:%zu: expected a timestamp like \"09/16/2021 07:51:58.569\", got \"%s\" (no row had a readable time)",
             r->name, r->bad_ts_line, r->bad_ts_text);
        goto out;
    }
    report_repairs(r);
    if (r->rows == 0)
        pl_warnf(r->warn, r->warn_ctx, "%s: the log has a header but no samples", r->name);
out:
    if (r->failed)
        return fail(r, err, r->failed, "%s", r->ferr.msg);
    return PL_OK;
}

size_t pl_reader_rows(const pl_reader *r)
{
    return r->rows;
}

void pl_reader_free(pl_reader *r)
{
    size_t i;
    if (!r)
        return;
    if (r->csv_inited)
        csv_free(&r->csv);
    if (r->cd != (iconv_t)-1)
        iconv_close(r->cd);
    for (i = 0; i < r->nhdr; i++)
        free(r->hdr[i]);
    free(r->hdr);
    free(r->raw);
    free(r->pre);
    free(r->obuf);
    free(r->select);
    stop_thread(r); /* abandoned: it stops after its current work */
    free_blocks(r);
    free(r->pcarry);
    free(r->vals);
    free(r->tail);
    free((void *)r->cell);
    free(r->cell_len);
    free(r->encoding_opt);
    free(r->name);
    free(r);
}

pl_format pl_sniff(const void *buf, size_t len)
{
    const unsigned char *b = buf;
    if (len < 4)
        return PL_FORMAT_NEED_MORE;
    /* An event-trace log starts with its buffer size (a multiple of 4 KiB
     * below 16 MiB) and has the header event's 0xC0 flag byte further on. */
    {
        uint32_t size = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
                        (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
        if (size >= 0x1000 && size <= 0x1000000 && size % 0x1000 == 0)
            return PL_FORMAT_BLG;
    }
    if (len >= 8 && memcmp(b, "PDH-BIN", 7) == 0)
        return PL_FORMAT_UNKNOWN;
    if (b[0] == '"' || (b[0] == 0xEF && b[1] == 0xBB) || (b[0] == 0xFF && b[1] == 0xFE) ||
        (b[0] == 0xFE && b[1] == 0xFF) || (b[0] == '"' && b[1] == 0) || (b[0] == 0 && b[1] == '"'))
        return PL_FORMAT_TEXT;
    return PL_FORMAT_UNKNOWN;
}
