/* units.c - human-readable values and durations for reports and reasons. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "perfleak/units.h"

/* Three significant digits without an exponent. */
static void sig3(double v, char *buf, size_t size)
{
    /* Thresholds sit at the rounding boundaries, so 9.9996 prints as
     * "10.0", not "10.00". */
    double a = fabs(v);
    if (a >= 99.95 || a == 0)
        snprintf(buf, size, "%.0f", v);
    else if (a >= 9.995)
        snprintf(buf, size, "%.1f", v);
    else if (a >= 0.9995)
        snprintf(buf, size, "%.2f", v);
    else
        snprintf(buf, size, "%.3g", v);
}

const char *pl_unit_name(pl_unit u)
{
    switch (u) {
    case PL_UNIT_BYTES: return "bytes";
    case PL_UNIT_KB: return "KB";
    case PL_UNIT_MB: return "MB";
    case PL_UNIT_HANDLES: return "handles";
    case PL_UNIT_THREADS: return "threads";
    case PL_UNIT_PROCESSES: return "processes";
    case PL_UNIT_ENTRIES: return "entries";
    case PL_UNIT_OBJECTS: return "objects";
    case PL_UNIT_PERCENT: return "%";
    case PL_UNIT_PER_SEC: return "/s";
    case PL_UNIT_SECONDS: return "s";
    default: return "";
    }
}

int pl_unit_is_bytes(pl_unit u)
{
    return u == PL_UNIT_BYTES || u == PL_UNIT_KB || u == PL_UNIT_MB;
}

double pl_unit_bytes(pl_unit u)
{
    return u == PL_UNIT_MB ? 1048576.0 : u == PL_UNIT_KB ? 1024.0 : 1.0;
}

void pl_format_value(double v, pl_unit unit, char *buf, size_t size)
{
    char num[64];
    const char *name = pl_unit_name(unit);
    if (!isfinite(v)) {
        snprintf(buf, size, "n/a");
        return;
    }
    if (pl_unit_is_bytes(unit)) {
        static const char *const names[] = {"B", "KB", "MB", "GB", "TB", "PB"};
        double a;
        int i = 0;
        v *= pl_unit_bytes(unit);
        a = fabs(v);
        while (a >= 1024 && i < 5) {
            a /= 1024;
            v /= 1024;
            i++;
        }
        if (i == 0)
            snprintf(num, sizeof num, "%.0f", v);
        else
            sig3(v, num, sizeof num);
        snprintf(buf, size, "%s %s", num, names[i]);
        return;
    }
    sig3(v, num, sizeof num);
    if (unit == PL_UNIT_PERCENT)
        snprintf(buf, size, "%s%%", num);
    else if (unit != PL_UNIT_NONE && unit != PL_UNIT_PER_SEC)
        snprintf(buf, size, "%s %s", num, name);
    else
        snprintf(buf, size, "%s%s", num, name);
}

int pl_unit_is_count(pl_unit u)
{
    return u == PL_UNIT_HANDLES || u == PL_UNIT_THREADS || u == PL_UNIT_PROCESSES ||
           u == PL_UNIT_ENTRIES || u == PL_UNIT_OBJECTS;
}

void pl_format_amount(double v, pl_unit unit, char *buf, size_t size)
{
    if (pl_unit_is_count(unit) && isfinite(v) && fabs(v) < 1e15) {
        double r = round(v);
        snprintf(buf, size, "%.0f %s", r == 0 ? 0.0 : r, pl_unit_name(unit));
        return;
    }
    pl_format_value(v, unit, buf, size);
}

void pl_format_pct(double pct, int with_sign, char *buf, size_t size)
{
    /* what rounds to zero is zero, never "-0.0%" */
    if (fabs(pct) < 0.05)
        pct = 0;
    snprintf(buf, size, with_sign ? "%+.*f%%" : "%.*f%%", fabs(pct) < 9.95 ? 1 : 0, pct);
}

void pl_format_duration(double s, char *buf, size_t size)
{
    /* cut, never rounded up: 59 min 55 s shown as "60 min" beside "log
     * at least 1 h" would contradict itself */
    const double eps = 1e-9;
    if (s < 120)
        snprintf(buf, size, "%.0f s", floor(s + eps));
    else if (s < 7200)
        snprintf(buf, size, "%.0f min", floor(s / 60 + eps));
    else if (s < 72 * 3600.0)
        snprintf(buf, size, "%.1f h", floor(s / 360 + eps) / 10);
    else
        snprintf(buf, size, "%.1f days", floor(s / 8640 + eps) / 10);
}

int pl_parse_size(const char *s, double *out)
{
    static const char units[] = "KMGT";
    char *end;
    double v = strtod(s, &end), mul = 1;
    const char *u;
    if (end == s || !isfinite(v) || v < 0)
        return -1;
    while (*end == ' ')
        end++;
    if (*end && (u = strchr(units, *end & ~0x20)) != NULL) {
        int power = (int)(u - units + 1);
        end++;
        if ((end[0] & ~0x20) == 'I' && (end[1] & ~0x20) == 'B') { /* KiB: binary */
            mul = pow(1024.0, power);
            end += 2;
        } else if ((*end & ~0x20) == 'B') { /* KB as Windows counts bytes: 1024 */
            mul = pow(1024.0, power);
            end++;
        } else { /* 10k handles: a count, 10 000 */
            mul = pow(1000.0, power);
        }
    } else if ((*end & ~0x20) == 'B') {
        end++;
    }
    if (*end)
        return -1;
    *out = v * mul;
    return 0;
}

int pl_parse_duration(const char *s, double *seconds)
{
    static const struct { const char *name; double mul; } units[] = {
        {"", 1}, {"s", 1}, {"sec", 1}, {"m", 60}, {"min", 60}, {"h", 3600},
        {"hour", 3600}, {"hours", 3600}, {"d", 86400}, {"day", 86400}, {"days", 86400}};
    char *end;
    double v = strtod(s, &end);
    size_t i;
    if (end == s || !isfinite(v) || v < 0)
        return -1;
    while (*end == ' ')
        end++;
    for (i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].name) == 0) {
            *seconds = v * units[i].mul;
            return 0;
        }
    }
    return -1;
}

void pl_sample_count_text(size_t n, double interval_s, char *buf, size_t size)
{
    char iv[32];
    if (n < 2 || !(interval_s > 0)) {
        snprintf(buf, size, "%zu sample%s", n, n == 1 ? "" : "s");
        return;
    }
    /* a collector's timestamps jitter by milliseconds: 299.998 s is its
     * 5 min, not "4 min" */
    pl_format_duration(interval_s >= 1 ? round(interval_s) : interval_s, iv, sizeof iv);
    snprintf(buf, size, "%zu samples every %s", n, iv);
}

void pl_format_span_hours(double hours, char *buf, size_t size)
{
    if (hours >= 1 && hours == floor(hours))
        snprintf(buf, size, "%.0f h", hours);
    else
        pl_format_duration(hours * 3600, buf, size);
}

void pl_format_rate_interval(double lo, double hi, pl_unit unit, char *buf, size_t size)
{
    char l[48], h[48];
    const char *ul, *uh;
    pl_format_value(lo, unit, l, sizeof l);
    pl_format_value(hi, unit, h, sizeof h);
    ul = strchr(l, ' ');
    uh = strchr(h, ' ');
    if (ul && uh && strcmp(ul, uh) == 0)
        l[ul - l] = '\0';
    snprintf(buf, size, "%s to %s/h", l, h);
}
