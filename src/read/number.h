/* number.h - exact decimal conversion of a log's values.
 *
 * The scan is here, as inline functions, rather than in number.c: it is
 * the inner loop of both CSV paths (one call per cell), and a call across
 * files would cost a fifth of a narrow log's read time. number.c has the
 * public entry with its strtod fallback. Internal. */
#ifndef PL_READ_NUMBER_H
#define PL_READ_NUMBER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* s[0..len) as a counter value, spaces around it allowed: 1 and *out
 * set; 0 for a blank cell; -1 for anything that is not a finite number
 * (inf, nan, 1.#INF, hex floats, trailing text, beyond a double). */
int pl_parse_value(const char *s, size_t len, double *out);

/* The exact fast path alone: 1 when it read all of s[0..len) (with *out
 * set), 0 when the number is left to strtod. For tests that the usual
 * shapes do not fall back. */
int pl_parse_value_fast(const char *s, size_t len, double *out);

/* 1 when the 8 bytes at p are all ASCII digits. */
static inline int digits8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return ((v & UINT64_C(0xF0F0F0F0F0F0F0F0)) |
            (((v + UINT64_C(0x0606060606060606)) & UINT64_C(0xF0F0F0F0F0F0F0F0)) >> 4)) ==
           UINT64_C(0x3333333333333333);
}

/* The number the 8 digits at p spell (first digit most significant). */
static inline uint64_t value8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    v -= UINT64_C(0x3030303030303030);
    v = (v * 10 + (v >> 8)) & UINT64_C(0x00FF00FF00FF00FF);
    v = (v * 100 + (v >> 16)) & UINT64_C(0x0000FFFF0000FFFF);
    return (v * 10000 + (v >> 32)) & UINT64_C(0xFFFFFFFF);
}

#ifdef __SIZEOF_INT128__
#include "read/number_table.h"

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
 * pl_number_scan is: the double comes back in a register rather than through
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
static inline __attribute__((always_inline)) const char *pl_number_scan(const char *p, const char *e, double *out)
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

#endif
