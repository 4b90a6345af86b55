/* util.c - error reporting, strings and UTF-8 checks used by every module. */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "util/internal.h"

const char *pl_strerror(int code)
{
    switch (code) {
    case PL_OK: return "success";
    case PL_ENOMEM: return "out of memory";
    case PL_EIO: return "input/output error";
    case PL_EFORMAT: return "malformed input";
    case PL_EUNSUPPORTED: return "unsupported format";
    case PL_EENCODING: return "unusable character encoding";
    case PL_EUSAGE: return "bad usage";
    case PL_ELIMIT: return "input exceeds a limit";
    default: return "unknown error";
    }
}

/* A message cut to fit its buffer ends on a whole character: an
 * incomplete last sequence would make it invalid UTF-8 (a JSON record of
 * it unencodable). */
static void cut_whole(char *s, size_t written, size_t size)
{
    size_t n, j, need;
    if (written < size)
        return;
    n = strlen(s);
    for (j = n; j > 0 && n - j < 4; j--) {
        unsigned char c = (unsigned char)s[j - 1];
        if ((c & 0xC0) == 0x80)
            continue;
        need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (n - (j - 1) < need)
            s[j - 1] = '\0';
        return;
    }
}

int pl_sticky_fail(pl_sticky *s, int code, const char *fmt, ...)
{
    if (!s->code) {
        va_list ap;
        int w;
        va_start(ap, fmt);
        w = vsnprintf(s->err.msg, sizeof s->err.msg, fmt, ap);
        va_end(ap);
        cut_whole(s->err.msg, w < 0 ? 0 : (size_t)w, sizeof s->err.msg);
        s->code = s->err.code = code;
    }
    return s->code;
}

int pl_err(pl_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        int w;
        va_start(ap, fmt);
        err->code = code;
        w = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        cut_whole(err->msg, w < 0 ? 0 : (size_t)w, sizeof err->msg);
    }
    return code;
}

void pl_warnf(pl_warn_fn fn, void *ctx, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    int w;
    if (!fn)
        return;
    va_start(ap, fmt);
    w = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cut_whole(buf, w < 0 ? 0 : (size_t)w, sizeof buf);
    fn(ctx, buf);
}

char *pl_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *pl_strdup(const char *s)
{
    return pl_strndup(s, strlen(s));
}

int pl_strncasecmp(const char *a, const char *b, size_t n)
{
    for (; n; a++, b++, n--) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z') ca += 32;
        if (cb >= 'A' && cb <= 'Z') cb += 32;
        if (ca != cb || ca == 0)
            return ca - cb;
    }
    return 0;
}

int pl_strcasecmp(const char *a, const char *b)
{
    return pl_strncasecmp(a, b, SIZE_MAX);
}

int pl_strnatcasecmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            const char *x = a, *y = b;
            size_t nx, ny;
            while (*x == '0' && isdigit((unsigned char)x[1]))
                x++;
            while (*y == '0' && isdigit((unsigned char)y[1]))
                y++;
            for (a = x; isdigit((unsigned char)*a); a++)
                ;
            for (b = y; isdigit((unsigned char)*b); b++)
                ;
            nx = (size_t)(a - x);
            ny = (size_t)(b - y);
            if (nx != ny)
                return nx < ny ? -1 : 1;
            for (; x < a; x++, y++)
                if (*x != *y)
                    return *x < *y ? -1 : 1;
            continue;
        }
        {
            int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
            if (ca != cb)
                return ca < cb ? -1 : 1;
        }
        a++;
        b++;
    }
    return *a ? 1 : *b ? -1 : 0;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq_cp(const unsigned char *s, size_t n, unsigned *out)
{
    unsigned c = s[0];
    size_t len, i;
    unsigned cp;
    *out = c;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
    else return 0;
    if (n < len) return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    *out = cp;
    return len;
}

static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned cp;
    return utf8_seq_cp(s, n, &cp);
}

/* What a terminal or a renderer acts on instead of showing: C0 and C1
 * controls, DEL, the line and paragraph separators, and the marks and
 * embeddings that reorder text (a U+202E makes "gpj.exe" read "exe.jpg"). */
static int acts_on(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t pl_visible_next(const char *s, size_t n, char esc[12])
{
    unsigned cp;
    size_t k = utf8_seq_cp((const unsigned char *)s, n, &cp);
    esc[0] = '\0';
    if (!k) {
        snprintf(esc, 12, "\\x%02x", (unsigned char)s[0]);
        return 1;
    }
    if (acts_on(cp))
        snprintf(esc, 12, cp < 0x80 ? "\\x%02x" : "\\u%04x", cp);
    return k;
}

void pl_write_visible(FILE *out, const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        char esc[12];
        size_t k = pl_visible_next(s + i, n - i, esc);
        if (esc[0])
            fputs(esc, out);
        else
            fwrite(s + i, 1, k, out);
        i += k;
    }
}

void pl_visible_line(FILE *out, const char *prefix, const char *s)
{
    fputs(prefix, out);
    pl_write_visible(out, s);
    fputc('\n', out);
}

int pl_utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t k = utf8_seq(s + i, len - i);
        if (!k) return 0;
        i += k;
    }
    return 1;
}

char *pl_utf8_sanitize(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    char *d = malloc(len * 3 + 1), *o = d; /* each bad byte becomes 3 */
    size_t i = 0;
    if (!d)
        return NULL;
    while (i < len) {
        size_t k = utf8_seq(u + i, len - i);
        if (k) {
            memcpy(o, u + i, k);
            o += k;
            i += k;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    *o = '\0';
    return d;
}

size_t pl_utf8_prefix(const char *s, size_t max)
{
    return pl_utf8_prefix_n(s, strlen(s), max);
}

size_t pl_utf8_prefix_n(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    n = max;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

void pl_xml_escape(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default:
            /* a control character is no text: shown, as the terminal shows it */
            if (((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r') || *s == 0x7f)
                fprintf(out, "\\x%02x", (unsigned char)*s);
            else
                fputc(*s, out);
        }
    }
}

size_t pl_join_names(const char *const *names, size_t n, size_t max_shown, char *buf, size_t size)
{
    size_t i, j, distinct = 0, shown = 0, used = 0;
    char tail[48];
    if (!size)
        return 0;
    buf[0] = '\0';
    for (i = 0; i < n; i++) {
        for (j = 0; j < i && strcmp(names[j], names[i]) != 0; j++)
            ;
        distinct += j == i;
    }
    for (i = 0; i < n; i++) {
        size_t len = strlen(names[i]), rest;
        for (j = 0; j < i && strcmp(names[j], names[i]) != 0; j++)
            ;
        if (j < i)
            continue;
        if (max_shown && shown == max_shown)
            break;
        /* room for this name and, if any are left after it, the count */
        rest = distinct - shown - 1;
        tail[0] = '\0';
        if (rest)
            snprintf(tail, sizeof tail, " and %zu more", rest);
        if (used + (shown ? 2 : 0) + len + strlen(tail) + 1 > size && shown)
            break;
        if (used + (shown ? 2 : 0) + len + 1 > size)
            break;
        used += (size_t)snprintf(buf + used, size - used, "%s%s", shown ? ", " : "", names[i]);
        shown++;
    }
    if (shown < distinct) {
        snprintf(tail, sizeof tail, shown ? " and %zu more" : "%zu names", distinct - shown);
        if (used + strlen(tail) + 1 <= size)
            memcpy(buf + used, tail, strlen(tail) + 1);
    }
    return shown;
}

void pl_utf8_middle(const char *s, size_t keep, char *out, size_t size)
{
    size_t len = strlen(s), head, tail;
    if (len <= keep) {
        snprintf(out, size, "%s", s);
        return;
    }
    head = pl_utf8_prefix(s, keep / 2);
    tail = len - (keep - keep / 2);
    while (tail < len && ((unsigned char)s[tail] & 0xC0) == 0x80)
        tail++;
    snprintf(out, size, "%.*s...%s", (int)head, s, s + tail);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

const char *pl_machine_bare(const char *m)
{
    while (m && *m == '\\')
        m++;
    return m ? m : "";
}

int pl_is_pid(double v)
{
    return v >= 0 && v <= 4294967295.0 && v == floor(v);
}

void pl_sort_doubles(double *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_double);
}

int pl_grow(void *p, size_t *cap, size_t need, size_t size)
{
    void **pp = p, *np;
    size_t nc = *cap ? *cap : 8;
    if (need <= *cap)
        return 0;
    while (nc < need) {
        if (nc > SIZE_MAX / 2)
            return -1;
        nc *= 2;
    }
    if (size && nc > SIZE_MAX / size)
        return -1;
    if (!(np = realloc(*pp, nc * size)))
        return -1;
    *pp = np;
    *cap = nc;
    return 0;
}

void pl_format_double(double v, char *buf, size_t size)
{
    int prec;
    if (!buf || !size)
        return;
    for (prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        /* 17 significant digits always read back as v */
        if (prec == 17 || strtod(buf, NULL) == v)
            return;
    }
}

/* %g's text of the significant digits d (n of them, no trailing zeros)
 * of a number d1.d2... x 10^x, at precision prec, into out (40 bytes). */
static void g_text(int neg, const char *d, int n, int x, int prec, char *out)
{
    char *o = out;
    int i;
    if (neg)
        *o++ = '-';
    if (x < -4 || x >= prec) {
        *o++ = d[0];
        if (n > 1) {
            *o++ = '.';
            memcpy(o, d + 1, (size_t)(n - 1));
            o += n - 1;
        }
        {
            int e = x < 0 ? -x : x; /* at most 3 digits: |x| <= 400 */
            *o++ = 'e';
            *o++ = x < 0 ? '-' : '+';
            if (e >= 100)
                *o++ = (char)('0' + e / 100);
            *o++ = (char)('0' + e / 10 % 10);
            *o++ = (char)('0' + e % 10);
            *o = '\0';
        }
        return;
    }
    if (x < 0) {
        *o++ = '0';
        *o++ = '.';
        for (i = -1; i > x; i--)
            *o++ = '0';
        memcpy(o, d, (size_t)n);
        o += n;
    } else {
        for (i = 0; i <= x; i++)
            *o++ = i < n ? d[i] : '0';
        if (n > x + 1) {
            *o++ = '.';
            memcpy(o, d + x + 1, (size_t)(n - x - 1));
            o += n - x - 1;
        }
    }
    *o = '\0';
}

/* d (n digits) rounded to keep digits, the exponent x moved by a carry;
 * trailing zeros dropped. 0, or -1 when the digits cut off are 5 or 50
 * exactly: they are themselves rounded, so the way to round is unknown. */
static int round_digits(char *d, int *n, int keep, int *x)
{
    int i, up;
    if (*n <= keep)
        return 0;
    if (d[keep] == '5') {
        for (i = keep + 1; i < *n && d[i] == '0'; i++)
            ;
        if (i == *n)
            return -1;
    }
    up = d[keep] >= '5';
    *n = keep;
    for (i = keep - 1; up && i >= 0; i--) {
        if (d[i] == '9') {
            d[i] = '0';
        } else {
            d[i]++;
            up = 0;
        }
    }
    if (up) { /* 99...9 became 100...0 */
        memmove(d + 1, d, (size_t)*n);
        d[0] = '1';
        (*x)++;
    }
    while (*n > 1 && d[*n - 1] == '0')
        (*n)--;
    return 0;
}

/* pl_format_double of the number whose text at 17 significant digits is
 * s (as jansson writes a real), without printf: %.15g and %.16g are that
 * text rounded, and the shortest that reads back is taken. -1 when it
 * cannot be told this way (then pl_format_double does it). */
static int shortest_of_17(const char *s, double v, char *out)
{
    char a[24], c[24];
    int m = 0, intd = -1, z, n, x, neg = 0, cn, cx, prec;
    const char *p = s;
    if (v == 0 || !isfinite(v))
        return -1;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.' && intd < 0) {
            intd = m;
            continue;
        }
        if (*p < '0' || *p > '9' || m >= 20)
            return -1;
        a[m++] = *p;
    }
    if (intd < 0)
        intd = m;
    for (z = 0; z < m && a[z] == '0'; z++)
        ;
    if (z == m)
        return -1;
    /* a[z] is the first significant digit: its power of ten */
    x = intd - 1 - z;
    if (*p) {
        long e = strtol(p + 1, NULL, 10);
        if (e < -400 || e > 400)
            return -1;
        x += (int)e;
    }
    n = m - z;
    while (n > 1 && a[z + n - 1] == '0')
        n--;
    for (prec = 15; prec <= 17; prec++) {
        memcpy(c, a + z, (size_t)n);
        cn = n;
        cx = x;
        if (round_digits(c, &cn, prec, &cx) != 0)
            return -1;
        g_text(neg, c, cn, cx, prec, out);
        /* digits the 17-digit text already holds read back as v */
        if (n <= prec || strtod(out, NULL) == v)
            return 0;
    }
    return -1;
}

/* A JSON text is numbers, strings, and punctuation: a number starts with
 * '-' or a digit outside a string, and is a real when it has '.', 'e' or
 * 'E'. Strings are skipped escapes and all. */
char *pl_json_shortest_reals(char *text)
{
    size_t n = strlen(text), cap = n + 64, o = 0, i = 0;
    char *out = malloc(cap);
    if (!out) {
        free(text);
        return NULL;
    }
    while (i < n) {
        char c = text[i];
        if (c == '"') {
            size_t j = i + 1;
            while (j < n && text[j] != '"')
                j += text[j] == '\\' ? 2 : 1;
            j = j < n ? j + 1 : n;
            if (pl_grow(&out, &cap, o + (j - i) + 1, 1) != 0)
                goto oom;
            memcpy(out + o, text + i, j - i);
            o += j - i;
            i = j;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t j = i + 1, real = 0;
            char num[40];
            while (j < n && strchr("0123456789+-.eE", text[j])) {
                real |= text[j] == '.' || text[j] == 'e' || text[j] == 'E';
                j++;
            }
            if (real && j - i < sizeof num) {
                double v;
                char fast[40];
                memcpy(num, text + i, j - i);
                num[j - i] = '\0';
                v = strtod(num, NULL);
                if (shortest_of_17(num, v, fast) == 0)
                    memcpy(num, fast, strlen(fast) + 1);
                else
                    pl_format_double(v, num, sizeof num);
            } else {
                real = 0;
            }
            if (pl_grow(&out, &cap, o + (real ? strlen(num) : j - i) + 1, 1) != 0)
                goto oom;
            if (real) {
                memcpy(out + o, num, strlen(num));
                o += strlen(num);
            } else {
                memcpy(out + o, text + i, j - i);
                o += j - i;
            }
            i = j;
        } else {
            if (pl_grow(&out, &cap, o + 2, 1) != 0)
                goto oom;
            out[o++] = c;
            i++;
        }
    }
    out[o] = '\0';
    free(text);
    return out;
oom:
    free(out);
    free(text);
    return NULL;
}

int pl_append(char **buf, size_t *n, size_t *cap, const void *src, size_t len)
{
    if (len == 0) /* *buf may still be NULL */
        return 0;
    if (*n > SIZE_MAX - len || pl_grow(buf, cap, *n + len, 1) != 0)
        return -1;
    memcpy(*buf + *n, src, len);
    *n += len;
    return 0;
}

int pl_shell_word(char **buf, size_t *n, size_t *cap, const char *word)
{
    const char *s;
    int plain = *word != '\0';
    for (s = word; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+%@", *s))
            plain = 0;
    if (pl_append(buf, n, cap, " ", 1) != 0 || (!plain && pl_append(buf, n, cap, "'", 1) != 0))
        return -1;
    for (s = word; *s; s++) {
        int q = *s == '\'';
        if (pl_append(buf, n, cap, q ? "'\\''" : s, q ? 4 : 1) != 0)
            return -1;
    }
    return !plain && pl_append(buf, n, cap, "'", 1) != 0 ? -1 : 0;
}
