/* blg_value.c - from raw counter samples to the values Performance
 * Monitor displays, for the PERF_* counter types of winperf.h, and the
 * UTF-16 strings of .blg files. Formulas follow the public counter-type
 * documentation: F is the counter's value, S its second value (a time
 * stamp or a base), TB the frequency of S's clock, Δ the change since the
 * previous sample. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "read/blg.h"

/* Bits of a counter type (winperf.h). */
#define SIZE_MASK      0x00000300u
#define SIZE_DWORD     0x00000000u
#define SIZE_ZERO      0x00000200u
#define TYPE_MASK      0x00000C00u
#define TYPE_COUNTER   0x00000400u
#define TYPE_TEXT      0x00000800u
#define SUBTYPE_MASK   0x000F0000u
#define SUBTYPE_BASE   0x00030000u
#define SUBTYPE_HISTO  0x00060000u

/* The counter types with a known formula. */
enum {
    RAWCOUNT_HEX = 0x00000000u, LARGE_RAWCOUNT_HEX = 0x00000100u,
    RAWCOUNT = 0x00010000u, LARGE_RAWCOUNT = 0x00010100u,
    DEC_1000_RAW = 0x00020000u, LARGE_DEC_1000_RAW = 0x00020100u,
    COUNTER_COUNTER = 0x10410400u, BULK_COUNT = 0x10410500u,
    SAMPLE_COUNTER = 0x00410400u,
    COUNTER_DELTA = 0x00400400u, LARGE_DELTA = 0x00400500u,
    COUNTER_TIMER = 0x20410500u, COUNTER_TIMER_INV = 0x21410500u,
    NSEC_TIMER = 0x20510500u, NSEC_TIMER_INV = 0x21510500u,
    OBJ_TIME_TIMER = 0x20610500u,
    PRECISION_SYSTEM_TIMER = 0x20470500u, PRECISION_100NS_TIMER = 0x20570500u,
    PRECISION_OBJECT_TIMER = 0x20670500u,
    MULTI_TIMER = 0x22410500u, MULTI_TIMER_INV = 0x23410500u,
    NSEC_MULTI_TIMER = 0x22510500u, NSEC_MULTI_TIMER_INV = 0x23510500u,
    RAW_FRACTION = 0x20020400u, LARGE_RAW_FRACTION = 0x20020500u,
    SAMPLE_FRACTION = 0x20C20400u,
    AVERAGE_TIMER = 0x30020400u, AVERAGE_BULK = 0x40020500u,
    QUEUELEN = 0x00450400u, LARGE_QUEUELEN = 0x00450500u,
    NS_QUEUELEN = 0x00550500u, OBJ_TIME_QUEUELEN = 0x00650500u,
    ELAPSED_TIME = 0x30240500u
};

int pl_blg_type_kind(uint32_t t)
{
    if ((t & TYPE_MASK) == TYPE_COUNTER && (t & SUBTYPE_MASK) == SUBTYPE_BASE)
        return PL_BLG_BASE;
    if ((t & TYPE_MASK) == TYPE_TEXT || (t & SIZE_MASK) == SIZE_ZERO ||
        (t & SUBTYPE_MASK) == SUBTYPE_HISTO || (t & 0x80000000u))
        return PL_BLG_NOVALUE;
    switch (t) {
    case RAWCOUNT_HEX: case LARGE_RAWCOUNT_HEX: case RAWCOUNT: case LARGE_RAWCOUNT:
    case DEC_1000_RAW: case LARGE_DEC_1000_RAW:
    case COUNTER_COUNTER: case BULK_COUNT: case SAMPLE_COUNTER:
    case COUNTER_DELTA: case LARGE_DELTA:
    case COUNTER_TIMER: case COUNTER_TIMER_INV: case NSEC_TIMER: case NSEC_TIMER_INV:
    case OBJ_TIME_TIMER: case PRECISION_SYSTEM_TIMER: case PRECISION_100NS_TIMER:
    case PRECISION_OBJECT_TIMER: case MULTI_TIMER: case MULTI_TIMER_INV:
    case NSEC_MULTI_TIMER: case NSEC_MULTI_TIMER_INV:
    case RAW_FRACTION: case LARGE_RAW_FRACTION: case SAMPLE_FRACTION:
    case AVERAGE_TIMER: case AVERAGE_BULK:
    case QUEUELEN: case LARGE_QUEUELEN: case NS_QUEUELEN: case OBJ_TIME_QUEUELEN:
    case ELAPSED_TIME:
        return PL_BLG_VALUE;
    default:
        return PL_BLG_UNKNOWN;
    }
}

int pl_blg_type_needs_prev(uint32_t t)
{
    switch (t) {
    case RAWCOUNT_HEX: case LARGE_RAWCOUNT_HEX: case RAWCOUNT: case LARGE_RAWCOUNT:
    case DEC_1000_RAW: case LARGE_DEC_1000_RAW:
    case RAW_FRACTION: case LARGE_RAW_FRACTION: case ELAPSED_TIME:
        return 0;
    default:
        return 1;
    }
}

/* The change of the counter's value; 32-bit counters wrap. */
static double delta_first(uint32_t t, const pl_blg_raw *c, const pl_blg_raw *p)
{
    int64_t d = (int64_t)((uint64_t)c->first - (uint64_t)p->first);
    if ((t & SIZE_MASK) == SIZE_DWORD && d < 0 && c->first >= 0 && c->first <= 0xFFFFFFFFLL &&
        p->first >= 0 && p->first <= 0xFFFFFFFFLL)
        d += (int64_t)1 << 32;
    return (double)d;
}

static double clamp_pct(double v)
{
    /* PDH caps timer percentages to 0..100 by default (PDH_FMT_NOCAP100
     * unset); relog shows the capped value. */
    return v < 0 ? 0 : v > 100 ? 100 : v;
}

int pl_blg_cook(uint32_t t, const pl_blg_raw *c, const pl_blg_raw *p, int64_t tb,
                double *out)
{
    double dF, dS, v;
    if (pl_blg_type_kind(t) != PL_BLG_VALUE)
        return -1;
    switch (t) {
    case RAWCOUNT_HEX: case LARGE_RAWCOUNT_HEX: case RAWCOUNT: case LARGE_RAWCOUNT:
        *out = (double)c->first;
        return 1;
    case DEC_1000_RAW: case LARGE_DEC_1000_RAW:
        *out = (double)c->first / 1000.0;
        return 1;
    case RAW_FRACTION: case LARGE_RAW_FRACTION:
        if (c->second == 0)
            return 0;
        *out = 100.0 * (double)c->first / (double)c->second;
        return 1;
    case ELAPSED_TIME:
        if (tb <= 0 || c->second < c->first)
            return 0;
        *out = (double)(c->second - c->first) / (double)tb;
        return 1;
    default:
        break;
    }
    if (!p)
        return 0;
    dF = delta_first(t, c, p);
    /* Differences in integers first: the clocks exceed a double's 53 bits. */
    dS = (double)(int64_t)((uint64_t)c->second - (uint64_t)p->second);
    switch (t) {
    case COUNTER_DELTA: case LARGE_DELTA:
        *out = dF;
        return 1;
    default:
        break;
    }
    if (dS <= 0)
        return 0;
    switch (t) {
    case COUNTER_COUNTER: case BULK_COUNT: case SAMPLE_COUNTER:
        if (tb <= 0 || dF < 0)
            return 0;
        v = dF / (dS / (double)tb);
        break;
    case COUNTER_TIMER: case NSEC_TIMER: case OBJ_TIME_TIMER:
    case PRECISION_SYSTEM_TIMER: case PRECISION_100NS_TIMER: case PRECISION_OBJECT_TIMER:
        v = clamp_pct(100.0 * dF / dS);
        break;
    case COUNTER_TIMER_INV: case NSEC_TIMER_INV:
        v = clamp_pct(100.0 * (1.0 - dF / dS));
        break;
    case MULTI_TIMER: case NSEC_MULTI_TIMER:
        if (c->multi == 0)
            return 0;
        v = 100.0 * (dF / dS) / (double)c->multi;
        break;
    case MULTI_TIMER_INV: case NSEC_MULTI_TIMER_INV:
        v = 100.0 * ((double)c->multi - dF / dS);
        break;
    case SAMPLE_FRACTION:
        v = 100.0 * dF / dS;
        break;
    case AVERAGE_TIMER:
        if (tb <= 0)
            return 0;
        v = (dF / (double)tb) / dS;
        break;
    case AVERAGE_BULK: case QUEUELEN: case LARGE_QUEUELEN: case NS_QUEUELEN:
    case OBJ_TIME_QUEUELEN:
        v = dF / dS;
        break;
    default:
        return -1;
    }
    if (!isfinite(v) || v < 0)
        return 0;
    *out = v;
    return 1;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t pl_utf16le_len(const unsigned char *p, size_t max)
{
    size_t n = 0;
    while (n + 1 < max && (p[n] | p[n + 1]))
        n += 2;
    return n + 1 < max ? n + 2 : 0;
}

char *pl_utf16le_to_utf8(const unsigned char *p, size_t max, size_t *used)
{
    size_t n = 0, i, o = 0;
    char *s;
    while (n + 1 < max && (p[n] | p[n + 1]))
        n += 2;
    if (n + 1 >= max)
        return NULL;
    /* Each UTF-16 unit becomes at most 3 bytes (a pair: 4 for 2 units). */
    if (!(s = malloc(n / 2 * 3 + 1)))
        return NULL;
    for (i = 0; i < n; i += 2) {
        uint32_t u = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8;
        if (u >= 0xD800 && u < 0xDC00 && i + 3 < n) {
            uint32_t l = (uint32_t)p[i + 2] | (uint32_t)p[i + 3] << 8;
            if (l >= 0xDC00 && l < 0xE000) {
                o += put_utf8(s + o, 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00));
                i += 2;
                continue;
            }
        }
        if (u >= 0xD800 && u < 0xE000)
            u = 0xFFFD;
        o += put_utf8(s + o, u);
    }
    s[o] = '\0';
    if (used)
        *used = n + 2;
    return s;
}
