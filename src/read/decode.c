/* decode.c - a text log's bytes to UTF-8 (see decode.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "read/decode.h"
#include "util/dynlib.h"
#include "util/internal.h"

#define OBUF_SIZE ((size_t)64 << 10)

static int emit_text(pl_decoder *d, const char *text, size_t n)
{
    int rc;
    if (d->st.code)
        return d->st.code;
    if ((rc = d->emit(d->ctx, text, n)) != PL_OK) {
        d->st.code = d->st.err.code = rc;
        d->st.err.msg[0] = '\0';
    }
    return d->st.code;
}

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

static int open_iconv(pl_decoder *d, const char *enc)
{
    d->cd = iconv_open("UTF-8", enc);
    if (d->cd == (iconv_t)-1)
        return pl_sticky_fail(&d->st, PL_EENCODING,
                    "%s: unknown character encoding \"%s\"; expected an iconv name such as WINDOWS-1251, CP932 or UTF-16LE",
                    d->name, enc);
    snprintf(d->enc_name, sizeof d->enc_name, "%s", enc);
    d->unit = (pl_strcasecmp(enc, "UTF-16LE") == 0 || pl_strcasecmp(enc, "UTF-16BE") == 0 ||
               pl_strcasecmp(enc, "UTF-16") == 0 || pl_strcasecmp(enc, "UCS-2") == 0 ||
               pl_strcasecmp(enc, "UCS-2LE") == 0) ? 2 : 1;
    /* Stateful and wide encodings must always go through iconv. */
    d->ascii_compat = d->unit == 1 && pl_strcasecmp(enc, "UTF-7") != 0 &&
                      strncmp(enc, "ISO-2022", 8) != 0 && strncmp(enc, "UTF-32", 6) != 0 &&
                      strncmp(enc, "UCS-4", 5) != 0 && strncmp(enc, "HZ", 2) != 0;
    d->dec = PL_DEC_ICONV;
    return PL_OK;
}

/* Converts as much of in as iconv can; returns bytes consumed. Incomplete
 * trailing sequences are left unconsumed unless final. */
static size_t convert(pl_decoder *d, const unsigned char *in, size_t n, int final)
{
    char *ip = (char *)(uintptr_t)in;
    size_t left = n;
    while (left > 0 && !d->st.code) {
        char *op = d->obuf;
        size_t oleft = OBUF_SIZE;
        size_t rc = iconv(d->cd, &ip, &left, &op, &oleft);
        int e = errno;
        if (op > d->obuf)
            emit_text(d, d->obuf, (size_t)(op - d->obuf));
        if (rc != (size_t)-1)
            break;
        if (e == E2BIG)
            continue;
        if (e == EINVAL && !final)
            break;
        /* Invalid or truncated sequence: one replacement character and skip
         * one code unit, so one bad byte never loses the rest of the log. */
        d->invalid_seqs++;
        emit_text(d, "\xEF\xBF\xBD", 3);
        {
            size_t skip = left < d->unit ? left : d->unit;
            ip += skip;
            left -= skip;
        }
    }
    return n - left;
}

static int decode(pl_decoder *d, const unsigned char *in, size_t n, int final)
{
    static const unsigned char none[1];
    if (!in) /* finishing: no bytes */
        in = none;
    if (d->dec == PL_DEC_PASS)
        return emit_text(d, (const char *)in, n);
    while (d->ncarry && (n || final) && !d->st.code) {
        /* Complete the sequence cut at the previous chunk's end. */
        unsigned char tmp[32];
        size_t take = n < sizeof tmp - d->ncarry ? n : sizeof tmp - d->ncarry;
        size_t used, had = d->ncarry;
        if (take > 8)
            take = 8;
        memcpy(tmp, d->carry, had);
        memcpy(tmp + had, in, take);
        used = convert(d, tmp, had + take, final && take == n);
        if (used >= had) {
            d->ncarry = 0;
            in += used - had;
            n -= used - had;
        } else if (take == n) {
            memcpy(d->carry, tmp, had + take);
            d->ncarry = had + take;
            if (d->ncarry > 8) /* never a valid sequence */
                d->ncarry = 0;
            return d->st.code;
        } else {
            d->ncarry = 0; /* cannot happen for real encodings */
        }
    }
    if (!n || d->st.code)
        return d->st.code;
    if (d->ascii_compat) {
        size_t i;
        for (i = 0; i < n && in[i] < 0x80; i++)
            ;
        if (i == n)
            return emit_text(d, (const char *)in, n);
    }
    {
        size_t used = convert(d, in, n, final);
        if (used < n && !d->st.code) {
            size_t rest = n - used;
            if (rest > sizeof d->carry)
                rest = sizeof d->carry;
            memcpy(d->carry, in + used, rest);
            d->ncarry = rest;
        }
    }
    return d->st.code;
}

/* Picks the encoding once enough bytes are held back (or the input ends),
 * then sends the held bytes on. */
static int decide(pl_decoder *d, int final)
{
    const unsigned char *b = d->raw;
    size_t n = d->nraw, skip = 0;
    const char *enc = NULL;
    if (n < 4 && !final)
        return PL_OK;
    if (d->forced) {
        enc = d->forced;
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
                return pl_sticky_fail(&d->st, PL_ELIMIT,
                            "%s:1: header line longer than %zu MiB; expected a Performance Monitor log",
                            d->name, PL_MAX_HEADER_BYTES >> 20);
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
                return pl_sticky_fail(&d->st, PL_EENCODING, "%s:1: the header is not UTF-8, and %s; name the code page",
                            d->name, lerr.msg);
            if (!(u = ucd.create())) {
                pl_libuchardet_close(&ucd);
                return pl_sticky_fail(&d->st, PL_ENOMEM, "%s: out of memory", d->name);
            }
            ucd.handle_data(u, (const char *)b, hl);
            ucd.data_end(u);
            cs = ucd.get_charset(u);
            cp = cs ? windows_codepage(cs) : NULL;
            enc = cp ? cp : "WINDOWS-1252";
            d->enc_guessed = 1;
            ucd.destroy(u);
            pl_libuchardet_close(&ucd);
        }
    }
    if (pl_strcasecmp(enc, "UTF-8") == 0 && !d->enc_guessed) {
        snprintf(d->enc_name, sizeof d->enc_name, "UTF-8");
        d->dec = PL_DEC_PASS;
    } else if (open_iconv(d, enc) != PL_OK) {
        return d->st.code;
    }
    decode(d, b + skip, n - skip, final);
    free(d->raw);
    d->raw = NULL;
    d->nraw = d->capraw = 0;
    return d->st.code;
}


int pl_decoder_init(pl_decoder *d, const char *name, const char *forced, pl_decode_emit emit,
                    void *ctx)
{
    memset(d, 0, sizeof *d);
    d->name = name;
    d->forced = forced && forced[0] ? forced : NULL;
    d->emit = emit;
    d->ctx = ctx;
    d->cd = (iconv_t)-1;
    d->unit = 1;
    if (!(d->obuf = malloc(OBUF_SIZE)))
        return PL_ENOMEM;
    return PL_OK;
}

int pl_decoder_feed(pl_decoder *d, const void *buf, size_t len)
{
    if (d->st.code || !len)
        return d->st.code;
    if (d->dec != PL_DEC_SNIFF)
        return decode(d, buf, len, 0);
    if (pl_grow(&d->raw, &d->capraw, d->nraw + len, 1) != 0)
        return pl_sticky_fail(&d->st, PL_ENOMEM, "%s: out of memory", d->name);
    memcpy(d->raw + d->nraw, buf, len);
    d->nraw += len;
    return decide(d, 0);
}

int pl_decoder_finish(pl_decoder *d)
{
    if (d->st.code)
        return d->st.code;
    if (d->dec == PL_DEC_SNIFF) {
        if (d->nraw == 0)
            return pl_sticky_fail(&d->st, PL_EFORMAT, "%s: empty file; expected a Performance Monitor log", d->name);
        decide(d, 1);
    } else if (d->dec == PL_DEC_ICONV) {
        decode(d, NULL, 0, 1);
    }
    if (!d->st.code && d->dec == PL_DEC_ICONV && d->ncarry) {
        d->invalid_seqs++;
        d->ncarry = 0;
        emit_text(d, "\xEF\xBF\xBD", 3);
    }
    return d->st.code;
}

void pl_decoder_clear(pl_decoder *d)
{
    if (d->cd != (iconv_t)-1)
        iconv_close(d->cd);
    free(d->raw);
    free(d->obuf);
    d->cd = (iconv_t)-1;
    d->raw = NULL;
    d->obuf = NULL;
}
