/* time.c - PDH timestamps ("MM/DD/YYYY HH:MM:SS.fff", local time),
 * the time-zone header cell and ISO 8601 output. Calendar arithmetic is
 * done by hand so results never depend on the host's TZ or locale. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "perfleak/timestamp.h"
#include "util/internal.h"

static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

pl_time pl_time_from_civil(int y, int mo, int d, int h, int mi, int s)
{
    int64_t days = days_from_civil(y, mo, d);
    return ((days * 86400) + h * 3600 + mi * 60 + s) * PL_TICKS_PER_SEC;
}

pl_time pl_time_from_unix(long long s)
{
    return pl_time_from_civil(1970, 1, 1, 0, 0, 0) + (pl_time)s * PL_TICKS_PER_SEC;
}

pl_time pl_time_add_hours(pl_time t, double h)
{
    pl_time lo = pl_time_from_civil(1, 1, 1, 0, 0, 0), hi = pl_time_from_civil(9999, 12, 31, 0, 0, 0);
    double d = h * 3600.0 * (double)PL_TICKS_PER_SEC;
    if (isnan(h))
        return t;
    /* compared as doubles, so that no value out of range is converted;
     * within range, the ticks are added as integers (as they always were) */
    if ((double)t + d >= (double)hi)
        return hi;
    if ((double)t + d <= (double)lo)
        return lo;
    return t + (pl_time)d;
}

/* Reads exactly n digits. */
static int digits(const char *s, int n, int *out)
{
    int v = 0, i;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int pl_time_parse_pdh(const char *s, size_t len, pl_time *out)
{
    int mo, d, y, h, mi, sec, i;
    int64_t frac = 0, scale = PL_TICKS_PER_SEC;
    /* "MM/DD/YYYY HH:MM:SS" is 19 characters. */
    if (len < 19 || s[2] != '/' || s[5] != '/' || s[10] != ' ' ||
        s[13] != ':' || s[16] != ':')
        return -1;
    if (digits(s, 2, &mo) || digits(s + 3, 2, &d) || digits(s + 6, 4, &y) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) ||
        digits(s + 17, 2, &sec))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
        mi > 59 || sec > 59 || y < 1601)
        return -1;
    if (len > 19) {
        if (s[19] != '.' || len == 20 || len > 27)
            return -1;
        for (i = 20; i < (int)len; i++) {
            if (s[i] < '0' || s[i] > '9')
                return -1;
            scale /= 10;
            frac += (s[i] - '0') * scale;
        }
    }
    *out = pl_time_from_civil(y, mo, d, h, mi, sec) + frac;
    return 0;
}

/* Windows' Russian zones are named "RTZ n (...)" and lose their bias when
 * the localized tail is cut off; their offsets are fixed (no DST). */
static int guess_bias(const char *name, int *bias)
{
    static const struct { const char *prefix; int bias; } known[] = {
        {"RTZ 10", -660}, {"RTZ 11", -720}, {"RTZ 1", -120}, {"RTZ 2", -180},
        {"RTZ 3", -240}, {"RTZ 4", -300}, {"RTZ 5", -360}, {"RTZ 6", -420},
        {"RTZ 7", -480}, {"RTZ 8", -540}, {"RTZ 9", -600},
    };
    size_t i;
    for (i = 0; i < sizeof known / sizeof known[0]; i++) {
        size_t n = strlen(known[i].prefix);
        if (strncmp(name, known[i].prefix, n) == 0 &&
            (name[n] == '\0' || name[n] == ' ' || name[n] == '(')) {
            *bias = known[i].bias;
            return 1;
        }
    }
    return 0;
}

int pl_tz_parse(const char *cell, pl_tz *out)
{
    const char *r = cell, *end, *open;
    size_t n;
    memset(out, 0, sizeof *out);
    if (*r != '(')
        return -1;
    if (strncmp(r, "(PDH-", 5) == 0) {
        const char *close = strchr(r, ')');
        if (!close)
            return -1;
        n = (size_t)(close - r - 1);
        if (n >= 8 && strncmp(r + 1, "PDH-CSV", 7) == 0)
            strcpy(out->format, "PDH-CSV");
        else if (n >= 8 && strncmp(r + 1, "PDH-TSV", 7) == 0)
            strcpy(out->format, "PDH-TSV");
        else
            return -1;
        r = close + 1;
        while (*r == ' ')
            r++;
        if (*r == '\0')
            return 0;          /* marker only: zone unknown */
        if (*r != '(')
            return -1;
    }
    r++;                       /* past the '(' opening the zone name */
    end = r + strlen(r);
    /* Full form ends with ")(<bias>)". */
    if (end > r && end[-1] == ')' && (open = strrchr(r, '(')) != NULL &&
        open > r && open[-1] == ')') {
        const char *q = open + 1;
        int neg = 0, bias = 0, nd = 0;
        if (*q == '-' || *q == '+')
            neg = *q++ == '-';
        for (; q < end - 1 && *q >= '0' && *q <= '9' && nd < 5; q++, nd++)
            bias = bias * 10 + (*q - '0');
        if (nd > 0 && q == end - 1) {
            n = (size_t)(open - 1 - r);
            if (n >= sizeof out->name)
                n = sizeof out->name - 1;
            memcpy(out->name, r, n);
            /* Zones lie within UTC-12:00..UTC+14:00: a bias beyond a day
             * is damage, and is taken as no offset at all (the reader
             * warns) rather than shifting every time by days. */
            if (bias <= 24 * 60) {
                out->bias = neg ? -bias : bias;
                out->bias_known = 1;
            }
            return 0;
        }
    }
    /* Cut-off name: keep what there is, drop the dangling " (". */
    n = (size_t)(end - r);
    while (n > 0 && (r[n - 1] == '(' || r[n - 1] == ' ' || r[n - 1] == ')'))
        n--;
    if (n >= sizeof out->name)
        n = sizeof out->name - 1;
    memcpy(out->name, r, n);
    if (guess_bias(out->name, &out->bias))
        out->bias_known = 2;
    return 0;
}

void pl_time_split(pl_time utc, int offset_min, pl_civil *c)
{
    pl_time t = utc + (pl_time)offset_min * 60 * PL_TICKS_PER_SEC;
    int64_t secs = t / PL_TICKS_PER_SEC, rem = t % PL_TICKS_PER_SEC, days, sod;
    if (rem < 0) {
        rem += PL_TICKS_PER_SEC;
        secs--;
    }
    days = secs / 86400;
    sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days--;
    }
    civil_from_days(days, &c->year, &c->month, &c->day);
    c->hour = (int)(sod / 3600);
    c->minute = (int)(sod / 60 % 60);
    c->second = (int)(sod % 60);
    c->ms = (int)(rem / 10000);
}

void pl_time_format_iso(pl_time utc, int offset_min, char *buf, size_t size)
{
    int off = offset_min < 0 ? -offset_min : offset_min;
    pl_civil c;
    pl_time_split(utc, offset_min, &c);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02d:%02d", c.year, c.month,
             c.day, c.hour, c.minute, c.second, c.ms, offset_min < 0 ? '-' : '+', off / 60,
             off % 60);
}

void pl_time_format_short(pl_time utc, int offset_min, char *buf, size_t size)
{
    pl_civil c;
    pl_time_split(utc, offset_min, &c);
    snprintf(buf, size, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour, c.minute);
}

void pl_time_format_offset(int offset_min, char *buf, size_t size)
{
    int o = offset_min < 0 ? -offset_min : offset_min;
    snprintf(buf, size, "UTC%c%02d:%02d", offset_min < 0 ? '-' : '+', o / 60, o % 60);
}

void pl_time_format_span(pl_time t0, pl_time t1, int offset_min, char *buf, size_t size)
{
    pl_civil a, b;
    pl_time_split(t0, offset_min, &a);
    pl_time_split(t1, offset_min, &b);
    if (a.year == b.year && a.month == b.month && a.day == b.day && a.hour == b.hour &&
        a.minute == b.minute)
        /* within a minute: the seconds tell the ends apart */
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d to %02d:%02d:%02d", a.year, a.month, a.day,
                 a.hour, a.minute, a.second, b.hour, b.minute, b.second);
    else
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d to %04d-%02d-%02d %02d:%02d", a.year, a.month,
                 a.day, a.hour, a.minute, b.year, b.month, b.day, b.hour, b.minute);
}

void pl_time_format_pdh(pl_time utc, int offset_min, char *buf, size_t size)
{
    pl_civil c;
    pl_time_split(utc, offset_min, &c);
    snprintf(buf, size, "%02d/%02d/%04d %02d:%02d:%02d.%03d", c.month, c.day, c.year, c.hour,
             c.minute, c.second, c.ms);
}

int pl_parse_utc_offset(const char *s, int *minutes)
{
    int sign = 1, h = 0, m = 0, nd = 0;
    if ((s[0] == 'U' || s[0] == 'u') && (s[1] == 'T' || s[1] == 't') && (s[2] == 'C' || s[2] == 'c'))
        s += 3;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    while (*s >= '0' && *s <= '9' && nd < 4) {
        h = h * 10 + (*s++ - '0');
        nd++;
    }
    if (nd == 0)
        return -1;
    if (nd > 2) { /* "0800" */
        m = h % 100;
        h /= 100;
        if (nd == 3 && h > 9)
            return -1;
    } else if (*s == ':') {
        s++;
        if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'))
            return -1;
        m = (s[0] - '0') * 10 + (s[1] - '0');
        s += 2;
    }
    if (*s || h > 14 || m > 59 || (h == 14 && m))
        return -1;
    *minutes = sign * (h * 60 + m);
    return 0;
}

/* n digits at *p (1 to max of them), advancing *p. -1 when none. */
static int read_num(const char **p, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (n < max && **p >= '0' && **p <= '9') {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n ? n : -1;
}

int pl_time_parse_user(const char *s, pl_time *t, int *local)
{
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, sec = 0, off = 0, n;
    int64_t frac = 0, scale = PL_TICKS_PER_SEC;
    while (*p == ' ')
        p++;
    if ((n = read_num(&p, 4, &y)) == 4 && *p == '-') { /* ISO 8601 */
        p++;
        if (read_num(&p, 2, &mo) != 2 || *p++ != '-' || read_num(&p, 2, &d) != 2)
            return -1;
    } else if (n >= 1 && n <= 2 && *p == '/') { /* relog: M/D/YYYY */
        mo = y;
        p++;
        if (read_num(&p, 2, &d) < 1 || *p++ != '/' || read_num(&p, 4, &y) != 4)
            return -1;
    } else {
        return -1;
    }
    if (*p == 'T' || *p == ' ') {
        p++;
        if (read_num(&p, 2, &h) < 1 || *p++ != ':' || read_num(&p, 2, &mi) != 2)
            return -1;
        if (*p == ':') {
            p++;
            if (read_num(&p, 2, &sec) != 2)
                return -1;
            if (*p == '.' || *p == ',') {
                p++;
                if (*p < '0' || *p > '9')
                    return -1;
                while (*p >= '0' && *p <= '9') {
                    if (scale > 1) {
                        scale /= 10;
                        frac += (*p - '0') * scale;
                    }
                    p++;
                }
            }
        }
    }
    *local = 1;
    if (*p == 'Z') {
        p++;
        *local = 0;
    } else if (*p == '+' || *p == '-') {
        if (pl_parse_utc_offset(p, &off))
            return -1;
        p += strlen(p);
        *local = 0;
    }
    while (*p == ' ')
        p++;
    if (*p || y < 1601 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 59)
        return -1;
    *t = pl_time_from_civil(y, mo, d, h, mi, sec) + frac - (pl_time)off * 60 * PL_TICKS_PER_SEC;
    return 0;
}

/* One end of a window: PL_OK with *has set, or none when s is NULL. */
static int window_end(const char *s, const char *which, pl_time *t, int *local, int *has, pl_error *err)
{
    if (!s)
        return PL_OK;
    if (pl_time_parse_user(s, t, local))
        return pl_err(err, PL_EUSAGE,
                      "the window's %s takes a time like 2026-03-02 14:00, 2026-03-02T14:00+01:00 or 3/2/2026 14:00:00, got '%s'",
                      which, s);
    *has = 1;
    return PL_OK;
}

int pl_window_parse(pl_window *w, const char *begin, const char *end, pl_error *err)
{
    int rc;
    memset(w, 0, sizeof *w);
    pl_time slack;
    if ((rc = window_end(begin, "begin", &w->begin, &w->begin_local, &w->has_begin, err)) != PL_OK ||
        (rc = window_end(end, "end", &w->end, &w->end_local, &w->has_end, err)) != PL_OK)
        return rc;
    /* a window that holds nothing is the user's mistake, not a log too
     * short to judge; a time in the log's own zone and one with an offset
     * are apart by the zone's offset at most (UTC-12 to UTC+14) */
    slack = w->begin_local == w->end_local ? 0 : (pl_time)26 * 3600 * PL_TICKS_PER_SEC;
    if (w->has_begin && w->has_end && w->begin > w->end + slack)
        return pl_err(err, PL_EUSAGE, "the time window is empty: it begins at '%s', after it ends at '%s'",
                      begin, end);
    return PL_OK;
}

int pl_window_has(const pl_window *w, int bias, pl_time utc)
{
    pl_time b = (pl_time)bias * 60 * PL_TICKS_PER_SEC;
    if (w->has_begin && utc < w->begin + (w->begin_local ? b : 0))
        return 0;
    if (w->has_end && utc > w->end + (w->end_local ? b : 0))
        return 0;
    return 1;
}
