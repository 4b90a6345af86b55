/* fleet.c - the records of `analyze -f jsonl` over many servers, read as
 * a stream (fleet.h): each culprit joined with its namesakes on other
 * servers, each server's latest word, and every log that said nothing.
 * A record is parsed without its "counters" array, the bulk of a
 * whole-server record that no fleet figure needs, and freed before the
 * next; what stays is a name a server and a few figures a culprit. */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "perfleak/fleet.h"
#include "perfleak/timestamp.h"
#include "util/internal.h"
#include "util/strmap.h"

/* The counters whose growth a kind's rates are of, the likeliest first;
 * a group takes the one most of its servers report. */
#define FL_PREF 4
static const struct {
    unsigned kind;
    const char *names[FL_PREF];
} FL_COUNTERS[] = {
    {PL_GROWS_MEMORY, {"Private Bytes", "Working Set - Private", "Working Set", "Page File Bytes"}},
    {PL_GROWS_HANDLES, {"Handle Count"}},
    {PL_GROWS_THREADS, {"Thread Count"}},
    {PL_GROWS_ADDRESS_SPACE, {"Virtual Bytes"}},
    {PL_GROWS_POOL_PAGED, {"Pool Paged Bytes"}},
    {PL_GROWS_POOL_NONPAGED, {"Pool Nonpaged Bytes"}},
    {PL_GROWS_COMMIT, {"Committed Bytes"}},
};

typedef struct fl_server {
    pl_fleet_server pub;
    char *name, *summary, *log;
    pl_time at;     /* the end of the record pub describes */
    int has;        /* a record had findings on it */
    int judged;     /* a record of it was judged */
} fl_server;

/* One server in one group: the figures of its latest record naming it. */
typedef struct fl_member {
    size_t server;
    double rate[FL_PREF];
    pl_time onset, at;
    int off;
} fl_member;

typedef struct fl_group {
    pl_fleet_group pub;
    char *name;
    fl_member *m;
    size_t n, cap;
    const char **names; /* made by pl_fleet_finish */
    double *rates;
    pl_time *onsets;
    int *offsets;
} fl_group;

typedef struct fl_problem {
    pl_fleet_problem pub;
    char *log, *server, *why;
} fl_problem;

struct pl_fleet {
    size_t min_servers;
    pl_fleet_totals t;
    size_t judged;            /* records judged */
    size_t judged_servers;    /* servers with a record judged */
    pl_strmap server_ids, group_ids, member_ids;
    fl_server *servers;
    size_t nservers, scap;
    fl_group *groups;
    size_t ngroups, gcap;
    fl_problem *problems;
    size_t nproblems, pcap;
    size_t *recurring, nrecurring;
    size_t *worst, nworst;
    char *scratch;            /* a record without its counters */
    size_t scratch_cap;
    int finished;
};

int pl_fleet_create(pl_fleet **out, const pl_fleet_opts *o, pl_error *err)
{
    pl_fleet *f = calloc(1, sizeof *f);
    *out = NULL;
    if (!f)
        return pl_err(err, PL_ENOMEM, "out of memory");
    f->min_servers = o && o->min_servers ? o->min_servers : 2;
    *out = f;
    return PL_OK;
}

void pl_fleet_free(pl_fleet *f)
{
    size_t i;
    if (!f)
        return;
    for (i = 0; i < f->nservers; i++) {
        free(f->servers[i].name);
        free(f->servers[i].summary);
        free(f->servers[i].log);
    }
    for (i = 0; i < f->ngroups; i++) {
        fl_group *g = &f->groups[i];
        free(g->name);
        free(g->m);
        free(g->names);
        free(g->rates);
        free(g->onsets);
        free(g->offsets);
    }
    for (i = 0; i < f->nproblems; i++) {
        free(f->problems[i].log);
        free(f->problems[i].server);
        free(f->problems[i].why);
    }
    pl_strmap_clear(&f->server_ids);
    pl_strmap_clear(&f->group_ids);
    pl_strmap_clear(&f->member_ids);
    free(f->servers);
    free(f->groups);
    free(f->problems);
    free(f->recurring);
    free(f->worst);
    free(f->scratch);
    free(f);
}

static int oom(pl_error *err)
{
    return pl_err(err, PL_ENOMEM, "out of memory");
}

/* ---- reading a record ---- */

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

/* Just past the JSON value at s[i] (a scalar ends where its container's
 * ',' ']' or '}' is), or SIZE_MAX when the text ends inside it. */
static size_t skip_value(const char *s, size_t n, size_t i)
{
    size_t depth = 0;
    int in_str = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"' && (in_str = 0, depth == 0))
                return i + 1;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            if (depth == 0)
                return i;
            if (--depth == 0)
                return i + 1;
        } else if (c == ',' && depth == 0) {
            return i;
        }
    }
    return depth || in_str ? SIZE_MAX : i;
}

/* Where the top-level "counters" value of the object in s lies; 0 when
 * there is none or the text is no object (jansson then says what it is). */
static int find_counters(const char *s, size_t n, size_t *v0, size_t *v1)
{
    size_t i = skip_ws(s, n, 0), k0, k1;
    if (i >= n || s[i] != '{')
        return 0;
    for (i = skip_ws(s, n, i + 1); i < n && s[i] == '"'; i = skip_ws(s, n, i + 1)) {
        k0 = i;
        if ((k1 = skip_value(s, n, i)) == SIZE_MAX)
            return 0;
        i = skip_ws(s, n, k1);
        if (i >= n || s[i] != ':')
            return 0;
        i = skip_ws(s, n, i + 1);
        *v0 = i;
        if ((*v1 = skip_value(s, n, i)) == SIZE_MAX || *v1 == i)
            return 0;
        if (k1 - k0 == 10 && memcmp(s + k0, "\"counters\"", 10) == 0)
            return 1;
        i = skip_ws(s, n, *v1);
        if (i >= n || s[i] != ',')
            return 0;
    }
    return 0;
}

static const char *jstring(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static double jreal(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* An ISO 8601 time as a record writes it, and the offset it was shown in;
 * 0 when s is none. */
static int parse_time(const char *s, pl_time *t, int *off)
{
    int local = 0;
    size_t n;
    if (!s || pl_time_parse_user(s, t, &local) != 0)
        return 0;
    n = strlen(s);
    *off = 0;
    if (!local && n > 6 && (s[n - 6] == '+' || s[n - 6] == '-'))
        pl_parse_utc_offset(s + n - 6, off);
    return 1;
}

static unsigned kind_bit(const char *name)
{
    unsigned bit;
    for (bit = 1; name && bit <= PL_GROWS_COMMIT; bit <<= 1)
        if (strcmp(pl_grows_name(bit), name) == 0)
            return bit;
    return 0;
}

static size_t pref_row(unsigned kind)
{
    size_t i;
    for (i = 0; i < sizeof FL_COUNTERS / sizeof FL_COUNTERS[0]; i++)
        if (FL_COUNTERS[i].kind == kind)
            return i;
    return 0;
}

/* The server named name (Windows names ignore case), added when new;
 * SIZE_MAX when out of memory. */
static size_t server_id(pl_fleet *f, const char *name)
{
    char key[512];
    size_t i, id;
    for (i = 0; name[i] && i + 1 < sizeof key; i++)
        key[i] = (char)toupper((unsigned char)name[i]);
    key[i] = 0;
    if (pl_strmap_get(&f->server_ids, key, &id)) {
        /* "web01" and "WEB01" are one server: it is called by the spelling
         * that sorts first, whichever record came first */
        if (strcmp(name, f->servers[id].name) < 0) {
            char *n = pl_strdup(name);
            if (!n)
                return SIZE_MAX;
            free(f->servers[id].name);
            f->servers[id].name = n;
        }
        return id;
    }
    if (pl_grow(&f->servers, &f->scap, f->nservers + 1, sizeof *f->servers) != 0)
        return SIZE_MAX;
    memset(&f->servers[f->nservers], 0, sizeof *f->servers);
    if (!(f->servers[f->nservers].name = pl_strdup(name)))
        return SIZE_MAX;
    if (pl_strmap_put(&f->server_ids, key, f->nservers) != 0) {
        free(f->servers[f->nservers].name);
        return SIZE_MAX;
    }
    f->servers[f->nservers].pub.hours_to_limit = NAN;
    f->t.servers++;
    return f->nservers++;
}

static int add_problem(pl_fleet *f, const char *log, const char *server, const char *why, int unjudged,
                       pl_error *err)
{
    fl_problem *p;
    if (pl_grow(&f->problems, &f->pcap, f->nproblems + 1, sizeof *f->problems) != 0)
        return oom(err);
    p = &f->problems[f->nproblems];
    memset(p, 0, sizeof *p);
    /* an error record's message names its log first: said once */
    if (log && why && *log) {
        size_t n = strlen(log);
        if (strncmp(why, log, n) == 0 && (why[n] == ':' || why[n] == ',') && why[n + 1] == ' ')
            why += n + 2;
    }
    p->log = pl_strdup(log ? log : "");
    p->server = server ? pl_strdup(server) : NULL;
    p->why = pl_strdup(why ? why : "");
    if (!p->log || !p->why || (server && !p->server)) {
        free(p->log);
        free(p->server);
        free(p->why);
        return oom(err);
    }
    p->pub.unjudged = unjudged;
    f->nproblems++;
    if (unjudged)
        f->t.unjudged++;
    else
        f->t.unreadable++;
    return PL_OK;
}

/* The group of a culprit and kind; SIZE_MAX when out of memory. */
static size_t group_id(pl_fleet *f, pl_culprit_type type, const char *name, int pool, unsigned kind)
{
    char key[600];
    size_t i, n, id;
    fl_group *g;
    n = (size_t)snprintf(key, sizeof key, "%d\x1f%d\x1f%u\x1f", (int)type, pool, kind);
    for (i = 0; type == PL_CULPRIT_PROCESS && name[i] && n + 1 < sizeof key; i++)
        key[n++] = (char)tolower((unsigned char)name[i]);
    key[n] = 0;
    if (pl_strmap_get(&f->group_ids, key, &id)) {
        g = &f->groups[id];
        if (g->name && strcmp(name, g->name) < 0) { /* as for servers: one spelling, whatever the order */
            char *spelling = pl_strdup(name);
            if (!spelling)
                return SIZE_MAX;
            free(g->name);
            g->name = spelling;
            g->pub.name = spelling;
        }
        return id;
    }
    if (pl_grow(&f->groups, &f->gcap, f->ngroups + 1, sizeof *f->groups) != 0)
        return SIZE_MAX;
    g = &f->groups[f->ngroups];
    memset(g, 0, sizeof *g);
    if (type == PL_CULPRIT_PROCESS && !(g->name = pl_strdup(name)))
        return SIZE_MAX;
    if (pl_strmap_put(&f->group_ids, key, f->ngroups) != 0) {
        free(g->name);
        return SIZE_MAX;
    }
    g->pub.type = type;
    g->pub.name = g->name;
    g->pub.pool = pool;
    g->pub.kind = kind;
    return f->ngroups++;
}

/* The record's own span's end: when its logs end, so that the latest of
 * a server's records speaks for it whatever order they came in. */
static pl_time record_end(json_t *logs)
{
    pl_time end = INT64_MIN, t;
    size_t i;
    int off;
    for (i = 0; i < json_array_size(logs); i++)
        if (parse_time(jstring(json_array_get(logs, i), "end"), &t, &off) && t > end)
            end = t;
    return end;
}

static int add_member(pl_fleet *f, size_t gid, size_t sid, json_t *finding, pl_time at, pl_error *err)
{
    fl_group *g = &f->groups[gid];
    fl_member *m;
    json_t *rates = json_object_get(finding, "growth_per_hour");
    json_t *obs = json_object_get(finding, "observed");
    size_t row = pref_row(g->pub.kind), mid, k;
    char key[48];
    pl_time onset;
    int off = 0, have_onset;
    snprintf(key, sizeof key, "%zu\x1f%zu", gid, sid);
    if (!pl_strmap_get(&f->member_ids, key, &mid)) {
        if (pl_grow(&g->m, &g->cap, g->n + 1, sizeof *g->m) != 0 || pl_strmap_put(&f->member_ids, key, g->n) != 0)
            return oom(err);
        mid = g->n++;
        m = &g->m[mid];
        m->server = sid;
        m->onset = INT64_MAX;
        m->at = INT64_MIN;
        for (k = 0; k < FL_PREF; k++)
            m->rate[k] = NAN;
    }
    m = &g->m[mid];
    have_onset = parse_time(jstring(finding, "onset"), &onset, &off) ||
                 parse_time(jstring(obs, "start"), &onset, &off);
    if (have_onset && onset < m->onset) {
        m->onset = onset;
        m->off = off;
    }
    if (at >= m->at) {
        m->at = at;
        for (k = 0; k < FL_PREF; k++) {
            const char *c = FL_COUNTERS[row].names[k];
            m->rate[k] = c ? jreal(rates, c) : NAN;
        }
    }
    return PL_OK;
}

/* The machine a finding is on: its culprit's, else the record's only one,
 * else its log (a record always names something). */
static const char *finding_machine(json_t *culprit, json_t *machines, const char *log)
{
    const char *m = jstring(culprit, "machine");
    if (m && *m)
        return m;
    if (json_array_size(machines) == 1 && (m = jstring(json_array_get(machines, 0), "name")) && *m)
        return m;
    return log;
}

static int add_findings(pl_fleet *f, json_t *findings, json_t *machines, const char *log, pl_time at,
                        pl_error *err)
{
    size_t i, k;
    for (i = 0; i < json_array_size(findings); i++) {
        json_t *fd = json_array_get(findings, i), *c = json_object_get(fd, "culprit");
        json_t *kinds = json_object_get(fd, "kinds");
        const char *type = jstring(c, "type"), *name = jstring(c, "name"), *pool = jstring(c, "pool");
        pl_culprit_type t;
        size_t sid;
        if (!type)
            continue;
        if (strcmp(type, "process") == 0 && name)
            t = PL_CULPRIT_PROCESS;
        else if (strcmp(type, "kernel") == 0 && pool)
            t = PL_CULPRIT_KERNEL;
        else if (strcmp(type, "system") == 0)
            t = PL_CULPRIT_SYSTEM;
        else
            continue;
        f->t.culprits++;
        if ((sid = server_id(f, finding_machine(c, machines, log))) == SIZE_MAX)
            return oom(err);
        for (k = 0; k < json_array_size(kinds); k++) {
            unsigned bit = kind_bit(json_string_value(json_array_get(kinds, k)));
            size_t gid;
            if (!bit)
                continue;
            gid = group_id(f, t, t == PL_CULPRIT_PROCESS ? name : "",
                           t == PL_CULPRIT_KERNEL && strcmp(pool, "nonpaged") == 0, bit);
            if (gid == SIZE_MAX)
                return oom(err);
            if (add_member(f, gid, sid, fd, at, err) != PL_OK)
                return PL_ENOMEM;
        }
    }
    return PL_OK;
}

/* A server's row from this record when it is the latest with findings. */
static int update_server(pl_fleet *f, size_t sid, json_t *mach, json_t *findings, const char *log, pl_time at,
                         pl_error *err)
{
    fl_server *s = &f->servers[sid];
    double nf = jreal(mach, "findings"), nc = jreal(mach, "culprits"), eta = NAN;
    char *sum = NULL, *lg;
    size_t len = 0, cap = 0, i;
    s->pub.records++;
    if (!(nf > 0 || nc > 0))
        return PL_OK;
    s->pub.with_findings++;
    if (s->has && (at < s->at || (at == s->at && s->log && strcmp(log, s->log) <= 0)))
        return PL_OK;
    for (i = 0; i < json_array_size(findings); i++) {
        json_t *fd = json_array_get(findings, i), *c = json_object_get(fd, "culprit");
        const char *m = finding_machine(c, NULL, ""), *text = jstring(fd, "summary");
        double h = jreal(fd, "hours_to_limit");
        if (*m && pl_strcasecmp(m, s->name) != 0)
            continue;
        if (!isnan(h) && (isnan(eta) || h < eta))
            eta = h;
        if (text && ((len && pl_append(&sum, &len, &cap, "; ", 2) != 0) ||
                     pl_append(&sum, &len, &cap, text, strlen(text)) != 0)) {
            free(sum);
            return oom(err);
        }
    }
    if (pl_append(&sum, &len, &cap, "", 1) != 0 || !(lg = pl_strdup(log))) {
        free(sum);
        return oom(err);
    }
    free(s->summary);
    free(s->log);
    s->summary = sum;
    s->log = lg;
    s->at = at;
    s->has = 1;
    s->pub.findings = nf > 0 ? (size_t)nf : 0;
    s->pub.culprits = nc > 0 ? (size_t)nc : 0;
    s->pub.hours_to_limit = eta;
    return PL_OK;
}

/* The machines of a record in one string, "WEB01, WEB02". */
static char *machine_list(json_t *machines)
{
    char *buf = NULL;
    size_t len = 0, cap = 0, i;
    for (i = 0; i < json_array_size(machines); i++) {
        const char *m = jstring(json_array_get(machines, i), "name");
        if (!m)
            continue;
        if ((len && pl_append(&buf, &len, &cap, ", ", 2) != 0) || pl_append(&buf, &len, &cap, m, strlen(m)) != 0) {
            free(buf);
            return NULL;
        }
    }
    if (pl_append(&buf, &len, &cap, "", 1) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int add_record(pl_fleet *f, json_t *r, const char *where, pl_error *err)
{
    json_t *logs = json_object_get(r, "logs"), *summary = json_object_get(r, "summary");
    json_t *machines = json_object_get(r, "machines"), *findings = json_object_get(r, "findings");
    const char *log = jstring(json_array_get(logs, 0), "file");
    pl_time at;
    size_t i;
    int rc, judged;
    if (jstring(r, "error"))
        return add_problem(f, jstring(r, "log") ? jstring(r, "log") : where, NULL, jstring(r, "error"), 0, err);
    if (!json_is_array(logs) || !json_is_object(summary) || !json_is_array(machines) || !log ||
        (findings && !json_is_array(findings)))
        return add_problem(f, where, NULL, "not a perfleak record (no logs, machines and summary)", 0, err);
    f->t.records++;
    at = record_end(logs);
    judged = json_is_true(json_object_get(summary, "judged"));
    for (i = 0; i < json_array_size(machines); i++) {
        json_t *m = json_array_get(machines, i);
        const char *name = jstring(m, "name");
        size_t sid;
        if (!name)
            continue;
        if ((sid = server_id(f, *name ? name : log)) == SIZE_MAX)
            return oom(err);
        if ((rc = update_server(f, sid, m, findings, log, at, err)) != PL_OK)
            return rc;
        if (judged && !f->servers[sid].judged) {
            f->servers[sid].judged = 1;
            f->judged_servers++;
        }
    }
    if (!judged) {
        const char *why = jstring(summary, "nothing_judged_because");
        char *who = machine_list(machines);
        if (!who)
            return oom(err);
        rc = add_problem(f, log, *who ? who : NULL, why ? why : "nothing could be judged", 1, err);
        free(who);
        return rc;
    }
    f->judged++;
    return add_findings(f, findings, machines, log, at, err);
}

int pl_fleet_add_line(pl_fleet *f, const char *line, size_t len, const char *source, size_t lineno,
                      pl_error *err)
{
    char where[600], why[256];
    size_t v0, v1, i;
    json_error_t je;
    json_t *r;
    const char *text = line;
    int rc;
    if (f->finished)
        return pl_err(err, PL_EUSAGE, "the fleet is finished");
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
        ;
    if (i == len)
        return PL_OK;
    snprintf(where, sizeof where, "%s:%zu", source ? source : "-", lineno);
    if (find_counters(line, len, &v0, &v1)) {
        size_t n = v0 + 2 + (len - v1);
        if (pl_grow(&f->scratch, &f->scratch_cap, n, 1) != 0)
            return oom(err);
        memcpy(f->scratch, line, v0);
        memcpy(f->scratch + v0, "[]", 2);
        memcpy(f->scratch + v0 + 2, line + v1, len - v1);
        text = f->scratch;
        len = n;
    }
    if (!(r = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je)) || !json_is_object(r)) {
        if (r)
            snprintf(why, sizeof why, "not a perfleak record (a JSON %s, not an object)",
                     json_is_array(r) ? "array" : "value");
        else
            snprintf(why, sizeof why, "not a perfleak record (column %d: %s)", je.column, je.text);
        json_decref(r);
        return add_problem(f, where, NULL, why, 0, err);
    }
    rc = add_record(f, r, where, err);
    json_decref(r);
    return rc;
}

int pl_fleet_read(pl_fleet *f, FILE *in, const char *source, pl_error *err)
{
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int rc = PL_OK;
    errno = 0;
    while (rc == PL_OK && (n = getline(&line, &cap, in)) >= 0)
        rc = pl_fleet_add_line(f, line, (size_t)n, source, ++lineno, err);
    if (rc == PL_OK && ferror(in))
        rc = errno == ENOMEM ? oom(err)
                             : pl_err(err, PL_EIO, "%s: cannot read: %s", source ? source : "-",
                                      strerror(errno ? errno : EIO));
    free(line);
    return rc;
}

/* ---- ordering ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One comparison context for qsort, which has none: the arrays are sorted
 * through index records that carry what they compare. */
typedef struct fl_ix {
    size_t i;
    const pl_fleet *f;
    const fl_group *g;
} fl_ix;

static int cmp_member(const void *a, const void *b)
{
    const fl_ix *x = a, *y = b;
    const fl_server *s = x->f->servers;
    int c = pl_strnatcasecmp(s[x->g->m[x->i].server].name, s[y->g->m[y->i].server].name);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static int cmp_recurring(const void *a, const void *b)
{
    const fl_ix *x = a, *y = b;
    const pl_fleet_group *g = &x->f->groups[x->i].pub, *h = &y->f->groups[y->i].pub;
    int c;
    if (g->count != h->count)
        return g->count > h->count ? -1 : 1;
    if (g->type != h->type)
        return g->type < h->type ? -1 : 1;
    if (g->kind != h->kind)
        return g->kind < h->kind ? -1 : 1;
    if ((c = pl_strnatcasecmp(g->name ? g->name : "", h->name ? h->name : "")) != 0)
        return c;
    return g->pool - h->pool;
}

static int cmp_worst(const void *a, const void *b)
{
    const fl_ix *x = a, *y = b;
    const pl_fleet_server *s = &x->f->servers[x->i].pub, *t = &y->f->servers[y->i].pub;
    int sn = isnan(s->hours_to_limit), tn = isnan(t->hours_to_limit);
    if (sn != tn)
        return sn - tn;
    if (!sn && s->hours_to_limit != t->hours_to_limit)
        return s->hours_to_limit < t->hours_to_limit ? -1 : 1;
    if (s->culprits != t->culprits)
        return s->culprits > t->culprits ? -1 : 1;
    if (s->findings != t->findings)
        return s->findings > t->findings ? -1 : 1;
    return pl_strnatcasecmp(s->name, t->name);
}

static int cmp_problem(const void *a, const void *b)
{
    const fl_problem *p = a, *q = b;
    int c;
    if (p->pub.unjudged != q->pub.unjudged)
        return p->pub.unjudged - q->pub.unjudged;
    c = strcmp(p->log, q->log);
    return c ? c : strcmp(p->why, q->why);
}

/* A group's servers in natural order, the counter most of them report
 * and its rates' median and range. */
static int finish_group(pl_fleet *f, fl_group *g)
{
    size_t row = pref_row(g->pub.kind), best = 0, bestn = 0, k, i, nr = 0;
    fl_ix *ix = malloc((g->n ? g->n : 1) * sizeof *ix);
    double *sorted = malloc((g->n ? g->n : 1) * sizeof *sorted);
    g->names = malloc((g->n ? g->n : 1) * sizeof *g->names);
    g->rates = malloc((g->n ? g->n : 1) * sizeof *g->rates);
    g->onsets = malloc((g->n ? g->n : 1) * sizeof *g->onsets);
    g->offsets = malloc((g->n ? g->n : 1) * sizeof *g->offsets);
    if (!ix || !sorted || !g->names || !g->rates || !g->onsets || !g->offsets) {
        free(ix);
        free(sorted);
        return -1;
    }
    for (k = 0; k < FL_PREF && FL_COUNTERS[row].names[k]; k++) {
        size_t n = 0;
        for (i = 0; i < g->n; i++)
            n += !isnan(g->m[i].rate[k]);
        if (n > bestn) {
            bestn = n;
            best = k;
        }
    }
    for (i = 0; i < g->n; i++) {
        ix[i].i = i;
        ix[i].f = f;
        ix[i].g = g;
    }
    qsort(ix, g->n, sizeof *ix, cmp_member);
    g->pub.first_seen = INT64_MAX;
    for (i = 0; i < g->n; i++) {
        const fl_member *m = &g->m[ix[i].i];
        g->names[i] = f->servers[m->server].name;
        g->rates[i] = bestn ? m->rate[best] : NAN;
        g->onsets[i] = m->onset;
        g->offsets[i] = m->off;
        if (!isnan(g->rates[i]))
            sorted[nr++] = g->rates[i];
        if (m->onset != INT64_MAX && m->onset < g->pub.first_seen) {
            g->pub.first_seen = m->onset;
            g->pub.first_offset = m->off;
        }
    }
    qsort(sorted, nr, sizeof *sorted, cmp_double);
    g->pub.counter = bestn ? FL_COUNTERS[row].names[best] : NULL;
    g->pub.unit = !g->pub.counter                            ? PL_UNIT_NONE
                  : strcmp(g->pub.counter, "Handle Count") == 0 ? PL_UNIT_HANDLES
                  : strcmp(g->pub.counter, "Thread Count") == 0 ? PL_UNIT_THREADS
                                                                : PL_UNIT_BYTES;
    g->pub.count = g->n;
    g->pub.servers = g->names;
    g->pub.rates = g->rates;
    g->pub.onsets = g->onsets;
    g->pub.offsets = g->offsets;
    g->pub.median = nr ? (nr % 2 ? sorted[nr / 2] : (sorted[nr / 2 - 1] + sorted[nr / 2]) / 2) : NAN;
    g->pub.min = nr ? sorted[0] : NAN;
    g->pub.max = nr ? sorted[nr - 1] : NAN;
    free(ix);
    free(sorted);
    return 0;
}

/* Sorts indexes 0..n-1 of whatever cmp looks at through f. */
static size_t *sorted_ix(pl_fleet *f, const size_t *pick, size_t n, int (*cmp)(const void *, const void *))
{
    fl_ix *ix = malloc((n ? n : 1) * sizeof *ix);
    size_t *out = malloc((n ? n : 1) * sizeof *out), i;
    if (!ix || !out) {
        free(ix);
        free(out);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        ix[i].i = pick[i];
        ix[i].f = f;
        ix[i].g = NULL;
    }
    qsort(ix, n, sizeof *ix, cmp);
    for (i = 0; i < n; i++)
        out[i] = ix[i].i;
    free(ix);
    return out;
}

int pl_fleet_finish(pl_fleet *f, pl_error *err)
{
    size_t i, n = 0, *pick;
    if (f->finished)
        return PL_OK;
    for (i = 0; i < f->ngroups; i++)
        if (finish_group(f, &f->groups[i]) != 0)
            return oom(err);
    if (!(pick = malloc((f->ngroups > f->nservers ? f->ngroups : f->nservers) * sizeof *pick + 1)))
        return oom(err);
    for (i = 0; i < f->ngroups; i++)
        if (f->groups[i].n >= f->min_servers)
            pick[n++] = i;
    if (!(f->recurring = sorted_ix(f, pick, n, cmp_recurring))) {
        free(pick);
        return oom(err);
    }
    f->nrecurring = n;
    for (i = n = 0; i < f->nservers; i++) {
        fl_server *s = &f->servers[i];
        s->pub.name = s->name;
        s->pub.summary = s->summary ? s->summary : "";
        s->pub.log = s->log;
        if (s->has)
            pick[n++] = i;
    }
    f->t.with_findings = n;
    f->worst = sorted_ix(f, pick, n, cmp_worst);
    free(pick);
    if (!f->worst)
        return oom(err);
    f->nworst = n;
    if (f->nproblems > 1) /* none: no array to sort, and qsort takes none */
        qsort(f->problems, f->nproblems, sizeof *f->problems, cmp_problem);
    for (i = 0; i < f->nproblems; i++) {
        f->problems[i].pub.log = f->problems[i].log;
        f->problems[i].pub.server = f->problems[i].server;
        f->problems[i].pub.why = f->problems[i].why;
    }
    /* nothing but the result is kept: the keys were for reading */
    pl_strmap_clear(&f->member_ids);
    free(f->scratch);
    f->scratch = NULL;
    f->scratch_cap = 0;
    f->finished = 1;
    return PL_OK;
}

const pl_fleet_totals *pl_fleet_get_totals(const pl_fleet *f)
{
    return &f->t;
}

size_t pl_fleet_recurring_count(const pl_fleet *f)
{
    return f->finished ? f->nrecurring : 0;
}

const pl_fleet_group *pl_fleet_recurring(const pl_fleet *f, size_t i)
{
    return f->finished && i < f->nrecurring ? &f->groups[f->recurring[i]].pub : NULL;
}

size_t pl_fleet_findings_count(const pl_fleet *f)
{
    return f->finished ? f->nworst : 0;
}

const pl_fleet_server *pl_fleet_with_findings(const pl_fleet *f, size_t i)
{
    return f->finished && i < f->nworst ? &f->servers[f->worst[i]].pub : NULL;
}

size_t pl_fleet_problem_count(const pl_fleet *f)
{
    return f->finished ? f->nproblems : 0;
}

const pl_fleet_problem *pl_fleet_problem_at(const pl_fleet *f, size_t i)
{
    return f->finished && i < f->nproblems ? &f->problems[i].pub : NULL;
}

int pl_fleet_status(const pl_fleet *f)
{
    if (f->t.with_findings)
        return 1;
    if (!f->judged || f->t.unreadable || f->t.unjudged)
        return 3;
    return 0;
}

/* ---- what every format says ---- */

size_t pl_fleet_min_servers(const pl_fleet *f)
{
    return f->min_servers;
}

void pl_fleet_group_name(const pl_fleet_group *g, char *buf, size_t size)
{
    if (g->type == PL_CULPRIT_PROCESS) {
        char *clean = pl_utf8_sanitize(g->name ? g->name : "", strlen(g->name ? g->name : ""));
        snprintf(buf, size, "%s", clean ? clean : "?");
        free(clean);
    } else if (g->type == PL_CULPRIT_KERNEL) {
        snprintf(buf, size, "kernel %s pool", g->pool ? "nonpaged" : "paged");
    } else {
        snprintf(buf, size, "system commit");
    }
}

void pl_fleet_group_text(const pl_fleet_group *g, char *buf, size_t size)
{
    char med[48], range[96], since[48] = "", off[24];
    size_t n = 0;
    n += (size_t)snprintf(buf, size, "%s on %zu servers", pl_grows_name(g->kind), g->count);
    if (n < size && g->counter && !isnan(g->median)) {
        pl_format_value(g->median, g->unit, med, sizeof med);
        pl_format_rate_interval(g->min, g->max, g->unit, range, sizeof range);
        n += (size_t)snprintf(buf + n, size - n, ", %s %s/h median (%s)", g->counter, med, range);
    }
    if (n < size && g->first_seen != INT64_MAX) {
        pl_time_format_short(g->first_seen, g->first_offset, since, sizeof since);
        pl_time_format_offset(g->first_offset, off, sizeof off);
        snprintf(buf + n, size - n, ", growing since %s %s", since, off);
    }
}

void pl_fleet_tally(const pl_fleet *f, char *buf, size_t size)
{
    const pl_fleet_totals *t = &f->t;
    size_t n, judged_servers = f->judged_servers;
    if (!t->records && !t->unreadable) {
        snprintf(buf, size, "No records: nothing was judged.");
        return;
    }
    if (t->with_findings && f->nrecurring)
        n = (size_t)snprintf(buf, size, "%zu of %zu server%s with findings; %zu culprit%s recur%s on %zu servers or more",
                             t->with_findings, t->servers, t->servers == 1 ? "" : "s", f->nrecurring,
                             f->nrecurring == 1 ? "" : "s", f->nrecurring == 1 ? "s" : "", f->min_servers);
    else if (t->with_findings)
        n = (size_t)snprintf(buf, size, "%zu of %zu server%s with findings; no culprit recurs on %zu servers or more",
                             t->with_findings, t->servers, t->servers == 1 ? "" : "s", f->min_servers);
    else if (f->judged)
        n = (size_t)snprintf(buf, size, "No findings on the %zu server%s judged", judged_servers,
                             judged_servers == 1 ? "" : "s");
    else
        n = (size_t)snprintf(buf, size, "Nothing could be judged");
    if (n < size && (t->unreadable || t->unjudged)) {
        n += (size_t)snprintf(buf + n, size - n, "; ");
        if (n < size && t->unreadable)
            n += (size_t)snprintf(buf + n, size - n, "%zu log%s could not be read%s", t->unreadable,
                                  t->unreadable == 1 ? "" : "s", t->unjudged ? ", " : "");
        if (n < size && t->unjudged)
            n += (size_t)snprintf(buf + n, size - n, "%zu could not be judged", t->unjudged);
        if (n < size && !t->with_findings)
            n += (size_t)snprintf(buf + n, size - n, ": no all-clear for %s", t->unreadable + t->unjudged == 1 ? "it" : "them");
    }
    if (n < size)
        snprintf(buf + n, size - n, ".");
}
