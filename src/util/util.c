/* util.c - error reporting, strings and UTF-8 checks used by every module. */
#include <stdio.h>
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

int pl_err(pl_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void pl_warnf(pl_warn_fn fn, void *ctx, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    if (!fn)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
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

int pl_strcasecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z') ca += 32;
        if (cb >= 'A' && cb <= 'Z') cb += 32;
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len, i;
    unsigned cp;
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
    return len;
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
    size_t n = strlen(s);
    if (n <= max)
        return n;
    n = max;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
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
                memcpy(num, text + i, j - i);
                num[j - i] = '\0';
                pl_format_double(strtod(num, NULL), num, sizeof num);
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
