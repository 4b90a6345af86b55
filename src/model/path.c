/* path.c - splitting counter paths into machine, object, parent, instance,
 * #index and counter, and matching them against user patterns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "perfleak/path.h"
#include "util/internal.h"
#include "model/l10n.h"

void pl_path_clear(pl_path *p)
{
    if (!p)
        return;
    free(p->machine);
    free(p->object);
    free(p->parent);
    free(p->instance);
    free(p->counter);
    free(p->object_local);
    free(p->counter_local);
    memset(p, 0, sizeof *p);
    p->index = -1;
}

static int set_part(char **dst, const char *s, size_t n)
{
    *dst = pl_strndup(s, n);
    return *dst ? 0 : -1;
}

/* Splits "parent/instance#n" (already without parentheses). */
static int parse_instance(const char *s, size_t n, pl_path *out)
{
    const char *slash = memchr(s, '/', n);
    const char *inst = s;
    size_t ilen = n, k;
    if (slash) {
        if (set_part(&out->parent, s, (size_t)(slash - s)))
            return -1;
        inst = slash + 1;
        ilen = n - (size_t)(inst - s);
    }
    /* A trailing "#digits" is relog's numbering of duplicate names. */
    for (k = ilen; k > 0 && inst[k - 1] >= '0' && inst[k - 1] <= '9'; k--)
        ;
    if (k > 0 && k < ilen && inst[k - 1] == '#' && ilen - k <= 6) {
        out->index = atoi(inst + k);
        ilen = k - 1;
    }
    return set_part(&out->instance, inst, ilen);
}

/* *name becomes english; the log's name moves to *local. */
static int to_english(char **name, char **local, const char *english)
{
    char *e = pl_strdup(english);
    if (!e)
        return -1;
    *local = *name;
    *name = e;
    return 0;
}

/* Known translations of the object and counter become their English
 * names; the log's names are kept beside them. */
static int translate(pl_path *p)
{
    const char *lang = NULL, *obj = pl_l10n_object(p->object, &lang), *ctr;
    const char *canon = obj ? obj : pl_strcasecmp(p->object, "Process") == 0 ? "Process" :
                        pl_strcasecmp(p->object, "Memory") == 0 ? "Memory" : NULL;
    if (!canon)
        return 0;
    ctr = pl_l10n_counter(canon, p->counter, &lang);
    if ((obj && to_english(&p->object, &p->object_local, obj)) ||
        (ctr && to_english(&p->counter, &p->counter_local, ctr)))
        return -1;
    if (obj || ctr)
        p->lang = lang;
    return 0;
}

char *pl_path_english(const pl_path *p, int *oom)
{
    size_t n;
    char *s, idx[16] = "";
    *oom = 0;
    if (!p->object_local && !p->counter_local)
        return NULL;
    n = strlen(p->object) + strlen(p->counter) + 32 + (p->machine ? strlen(p->machine) : 0) +
        (p->parent ? strlen(p->parent) : 0) + (p->instance ? strlen(p->instance) : 0);
    if (!(s = malloc(n))) {
        *oom = 1;
        return NULL;
    }
    if (p->index >= 0)
        snprintf(idx, sizeof idx, "#%d", p->index);
    snprintf(s, n, "%s%s%s%s%s%s%s%s%s%s\\%s", p->machine ? "\\\\" : "", p->machine ? p->machine : "",
             p->machine ? "\\" : "", p->object, p->instance ? "(" : "",
             p->parent && p->instance ? p->parent : "", p->parent && p->instance ? "/" : "",
             p->instance ? p->instance : "", p->instance ? idx : "", p->instance ? ")" : "",
             p->counter);
    return s;
}

int pl_path_parse(const char *s, pl_path *out, pl_error *err)
{
    const char *rest = s, *end = s + strlen(s), *cut = NULL, *p, *open;
    int depth = 0;
    memset(out, 0, sizeof *out);
    out->index = -1;
    if (s[0] == '\\' && s[1] == '\\') {
        const char *m = strchr(s + 2, '\\');
        if (!m || m == s + 2)
            return pl_err(err, PL_EFORMAT,
                          "expected a counter path like \\\\MACHINE\\Object(Instance)\\Counter, got \"%.*s\"", (int)pl_utf8_prefix(s, 200), s);
        if (set_part(&out->machine, s + 2, (size_t)(m - s - 2)))
            goto nomem;
        rest = m + 1;
    }
    /* The counter follows the last backslash outside parentheses: instance
     * names may themselves hold backslashes or slashes. */
    for (p = rest; p < end; p++) {
        if (*p == '(') depth++;
        else if (*p == ')' && depth > 0) depth--;
        else if (*p == '\\' && depth == 0) cut = p;
    }
    if (!cut && depth > 0) {
        /* An instance name with an unbalanced "(" (Windows allows it:
         * "Process(a(b)"): the counter follows the last backslash after a
         * ")", else the last one. */
        for (p = end; !cut && p-- > rest;)
            if (*p == '\\' && p > rest && p[-1] == ')')
                cut = p;
        for (p = end; !cut && p-- > rest;)
            if (*p == '\\')
                cut = p;
    }
    if (!cut || cut == rest || cut + 1 == end) {
        pl_path_clear(out);
        return pl_err(err, PL_EFORMAT,
                      "expected a counter path like \\\\MACHINE\\Object(Instance)\\Counter, got \"%.*s\"", (int)pl_utf8_prefix(s, 200), s);
    }
    if (set_part(&out->counter, cut + 1, (size_t)(end - cut - 1)))
        goto nomem;
    open = memchr(rest, '(', (size_t)(cut - rest));
    if (open && cut[-1] == ')' && open > rest) {
        if (set_part(&out->object, rest, (size_t)(open - rest)) ||
            parse_instance(open + 1, (size_t)(cut - 1 - open - 1), out))
            goto nomem;
    } else if (set_part(&out->object, rest, (size_t)(cut - rest))) {
        goto nomem;
    }
    if (translate(out))
        goto nomem;
    return PL_OK;
nomem:
    pl_path_clear(out);
    return pl_err(err, PL_ENOMEM, "out of memory parsing a counter path");
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int pl_glob_match(const char *pat, const char *txt)
{
    /* Iterative matcher with one backtrack point: linear in practice and
     * never recursive, so hostile patterns cannot blow the stack. */
    const char *star = NULL, *resume = NULL;
    while (*txt) {
        if (*pat == '*') {
            star = pat++;
            resume = txt;
        } else if (*pat == '?' || (*pat && lower((unsigned char)*pat) == lower((unsigned char)*txt))) {
            pat++;
            txt++;
        } else if (star) {
            pat = star + 1;
            txt = ++resume;
        } else {
            return 0;
        }
    }
    while (*pat == '*')
        pat++;
    return *pat == '\0';
}

const char *pl_path_without_machine(const char *path)
{
    if (path[0] == '\\' && path[1] == '\\') {
        const char *m = strchr(path + 2, '\\');
        if (m)
            return m + 1;
    }
    return path;
}

int pl_path_match(const char *pattern, const char *path)
{
    if (pattern[0] == '\\' && pattern[1] == '\\')
        return pl_glob_match(pattern, path);
    return pl_glob_match(pattern, pl_path_without_machine(path));
}

char *pl_path_instance_key(const pl_path *p)
{
    const char *m = p->machine ? p->machine : "", *pa = p->parent ? p->parent : "",
               *in = p->instance ? p->instance : "";
    size_t n = strlen(m) + strlen(pa) + strlen(in) + 24;
    char *k = malloc(n);
    if (k)
        snprintf(k, n, "%s\x1F%s\x1F%s\x1F%d", m, pa, in, p->index);
    return k;
}
