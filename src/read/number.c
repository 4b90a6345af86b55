/* number.c - a log's value as a double: the exact scan of number.h, and
 * strtod for the shapes it leaves (long mantissas, exponents). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "read/number.h"

int pl_parse_value_fast(const char *s, size_t len, double *out)
{
    return pl_number_scan(s, s + len, out) == s + len;
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
    if (pl_number_scan(p, e, &v) == e) {
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
