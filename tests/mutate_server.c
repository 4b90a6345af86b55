/* mutate_server.c - writes a deterministic mutant of a whole-server PDH-CSV
 * log (tests/winmodel.c draws them) for tests/mutate.sh: the damage that
 * reaches the diagnosis rather than the reader. ID Process columns
 * changed over a stretch of rows (0, negative, missing, fractional, 2^63,
 * 2^64 - 1, a new ID every row, another column's IDs), two ID columns
 * swapped, the #n numbering of namesakes shuffled in the header, and
 * timestamps repeated or shifted back and forth. One to three of them.
 *   mutate_server SEED IN OUT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "splitmix.h"

/* A line cut into its comma-separated fields (quotes kept). */
typedef struct line {
    char **f;
    size_t n, cap;
} line;

static void add_field(line *l, const char *s, size_t len)
{
    if (l->n == l->cap && !(l->f = realloc(l->f, (l->cap = l->cap ? 2 * l->cap : 64) * sizeof *l->f)))
        exit(2);
    if (!(l->f[l->n] = malloc(len + 1)))
        exit(2);
    memcpy(l->f[l->n], s, len);
    l->f[l->n++][len] = '\0';
}

static void split(const char *s, size_t len, line *l)
{
    size_t i, start = 0;
    int q = 0;
    for (i = 0; i <= len; i++) {
        if (i < len && s[i] == '"')
            q = !q;
        if (i == len || (s[i] == ',' && !q)) {
            add_field(l, s + start, i - start);
            start = i + 1;
        }
    }
}

static void set(line *l, size_t k, const char *v)
{
    char *n = malloc(strlen(v) + 3);
    if (!n)
        exit(2);
    sprintf(n, "\"%s\"", v);
    free(l->f[k]);
    l->f[k] = n;
}

int main(int argc, char **argv)
{
    static const char *const odd[] = {"0", "-4", "", "12.5", "9223372036854775808", "18446744073709551615", " "};
    rng r;
    FILE *f;
    char *text = NULL, *p;
    size_t n = 0, cap = 1 << 20, k, nl = 0, capl = 0, *ids = NULL, nid = 0, ops, op, i, j;
    line *ls = NULL;
    if (argc != 4)
        return 2;
    r.s = strtoull(argv[1], NULL, 10) * 0x9E3779B97F4A7C15ULL + 7;
    if (!(f = fopen(argv[2], "rb")) || !(text = malloc(cap)))
        return 2;
    while ((k = fread(text + n, 1, cap - n, f)) > 0)
        if ((n += k) == cap && !(text = realloc(text, cap *= 2)))
            return 2;
    fclose(f);
    for (p = text; p < text + n;) {
        char *e = memchr(p, '\n', (size_t)(text + n - p));
        size_t len = e ? (size_t)(e - p) : (size_t)(text + n - p);
        if (len && p[len - 1] == '\r')
            len--;
        if (nl == capl && !(ls = realloc(ls, (capl = capl ? 2 * capl : 1024) * sizeof *ls)))
            return 2;
        memset(&ls[nl], 0, sizeof ls[nl]);
        split(p, len, &ls[nl++]);
        p = e ? e + 1 : text + n;
    }
    if (nl < 3)
        return 2;
    for (k = 1; k < ls[0].n; k++)
        if (strstr(ls[0].f[k], "\\ID Process\"")) {
            if (!(ids = realloc(ids, (nid + 1) * sizeof *ids)))
                return 2;
            ids[nid++] = k;
        }
    ops = 1 + rng_next(&r) % 3;
    for (op = 0; op < ops; op++) {
        size_t r0 = 1 + rng_next(&r) % (nl - 1), r1 = r0 + 1 + rng_next(&r) % (nl - r0);
        switch (rng_next(&r) % 5) {
        case 0: /* an ID column odd over rows r0..r1 */
            if (!nid)
                break;
            k = ids[rng_next(&r) % nid];
            {
                size_t what = rng_next(&r) % (sizeof odd / sizeof odd[0] + 2);
                for (i = r0; i < r1; i++) {
                    char v[32];
                    if (k >= ls[i].n)
                        continue;
                    if (what < sizeof odd / sizeof odd[0])
                        set(&ls[i], k, odd[what]);
                    else if (what == sizeof odd / sizeof odd[0]) { /* churn: a new ID each row */
                        snprintf(v, sizeof v, "%llu", (unsigned long long)(4 * (1 + rng_next(&r) % 60000)));
                        set(&ls[i], k, v);
                    } else { /* another process' IDs */
                        size_t o = ids[rng_next(&r) % nid];
                        if (o < ls[i].n) {
                            char *c = strdup(ls[i].f[o]);
                            if (!c)
                                return 2;
                            free(ls[i].f[k]);
                            ls[i].f[k] = c;
                        }
                    }
                }
            }
            break;
        case 1: /* two ID columns swapped from r0 on */
            if (nid < 2)
                break;
            {
                size_t a = ids[rng_next(&r) % nid], b = ids[rng_next(&r) % nid];
                for (i = r0; i < nl; i++)
                    if (a < ls[i].n && b < ls[i].n) {
                        char *t = ls[i].f[a];
                        ls[i].f[a] = ls[i].f[b];
                        ls[i].f[b] = t;
                    }
            }
            break;
        case 2: /* namesakes renumbered: two columns' instances trade places in the header */
            {
                size_t a = 1 + rng_next(&r) % (ls[0].n - 1), b = 1 + rng_next(&r) % (ls[0].n - 1);
                char *t = ls[0].f[a];
                ls[0].f[a] = ls[0].f[b];
                ls[0].f[b] = t;
            }
            break;
        case 3: /* timestamps repeated: rows r0..r1 all at r0's time */
            for (i = r0 + 1; i < r1; i++) {
                char *c = strdup(ls[r0].f[0]);
                if (!c)
                    return 2;
                free(ls[i].f[0]);
                ls[i].f[0] = c;
            }
            break;
        default: /* a stretch moved in time: its rows take the times of rows further on or back */
            {
                size_t shift = 1 + rng_next(&r) % (nl / 4 + 1);
                int back = (int)(rng_next(&r) % 2);
                for (i = r0; i < r1; i++) {
                    size_t src = back ? (i > shift + 1 ? i - shift : 1) : (i + shift < nl ? i + shift : nl - 1);
                    char *c = strdup(ls[src].f[0]);
                    if (!c)
                        return 2;
                    free(ls[i].f[0]);
                    ls[i].f[0] = c;
                }
            }
            break;
        }
    }
    if (!(f = fopen(argv[3], "wb")))
        return 2;
    for (i = 0; i < nl; i++) {
        for (j = 0; j < ls[i].n; j++) {
            fprintf(f, "%s%s", j ? "," : "", ls[i].f[j]);
            free(ls[i].f[j]);
        }
        fputs("\r\n", f);
        free(ls[i].f);
    }
    free(ls);
    free(ids);
    free(text);
    return fclose(f) == 0 ? 0 : 2;
}
