/* test_fleet.c - perfleak fleet on a generated fleet: FLEET_SERVERS
 * (default 200) whole-server logs drawn by tests/winmodel.c, each under
 * its own machine name, a few culprits recurring across them (eight
 * service names leak their heap or handles, drivers leak a pool), one
 * server logged on two nights, logs that cannot be read or judged and a
 * record cut off mid-line; analysed by pl_batch_run as `analyze -f jsonl`
 * does. The grouping is checked against the records themselves, read
 * here with jansson apart from the library's reader, against what the
 * model drew, and for the same report whatever order the records come
 * in. Then the reader's edges: case of names, counters skipped, hostile
 * names. */
#include <jansson.h>
#include <ctype.h>
#include <math.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "winmodel.h"
#include "perfleak/batch.h"
#include "perfleak/fleet.h"
#include "perfleak/report.h"

static size_t env_count(const char *name, size_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? (size_t)strtoul(v, NULL, 10) : dflt;
}

/* The model's logs all come from WEB07: each server gets its own name. */
static char *renamed(const char *text, size_t len, const char *name, size_t *out_len)
{
    static const char from[] = "\\\\WEB07\\";
    size_t fl = sizeof from - 1, nl = strlen(name) + 3, n = 0, cap = len * 2 + 64, i = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    while (i < len) {
        if (i + fl <= len && memcmp(text + i, from, fl) == 0) {
            if (n + nl + 1 > cap)
                out = realloc(out, cap *= 2);
            n += (size_t)sprintf(out + n, "\\\\%s\\", name);
            i += fl;
        } else {
            if (n + 2 > cap)
                out = realloc(out, cap *= 2);
            out[n++] = text[i++];
        }
    }
    *out_len = n;
    return out;
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

typedef struct drawn {
    char machine[32];
    wm_expect expect;
    size_t nexpect;
} drawn;

typedef struct fleet_fixture {
    char dir[64];
    char **paths;
    size_t npaths;
    drawn *d;        /* the model's truth, a server each */
    size_t nservers;
    char *records;   /* what pl_batch_run wrote */
    size_t len;
} fleet_fixture;

static const wm_leak MIX[] = {WM_HEALTHY, WM_HEALTHY, WM_HEALTHY, WM_HEAP, WM_HEALTHY, WM_HANDLES,
                              WM_HEALTHY, WM_POOL_PAGED, WM_HEAP, WM_HEALTHY, WM_THREADS, WM_POOL_NONPAGED};

static fleet_fixture *fx_make(void)
{
    fleet_fixture *fx = calloc(1, sizeof *fx);
    size_t n = env_count("FLEET_SERVERS", 200), i, k = 0;
    pl_batch_summary sum;
    pl_analysis_opts o;
    pl_error err;
    FILE *m;
    char path[128];
    assert_non_null(fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/perfleak-fleet-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    fx->paths = calloc(n + 8, sizeof *fx->paths);
    fx->d = calloc(n, sizeof *fx->d);
    fx->nservers = n;
    for (i = 0; i < n; i++) {
        wm_log l;
        wm_leak kind = MIX[(i * 7 + 3) % (sizeof MIX / sizeof MIX[0])];
        size_t len;
        char *text;
        assert_int_equal(wm_draw(9000 + i, kind, &l), 0);
        snprintf(fx->d[i].machine, sizeof fx->d[i].machine, "WEB%03zu", i + 1);
        fx->d[i].expect = l.expect;
        fx->d[i].nexpect = l.nexpect;
        text = renamed(l.text, l.len, fx->d[i].machine, &len);
        snprintf(path, sizeof path, "%s/web%03zu.csv", fx->dir, i + 1);
        write_file(path, text, len);
        fx->paths[k++] = strdup(path);
        if (i == 0) {
            /* the same server's next night: a healthy log of a later day
             * (the model's days are its seed's; the name makes it one) */
            wm_log l2;
            char *t2;
            size_t len2;
            assert_int_equal(wm_draw(7, WM_HEALTHY, &l2), 0);
            t2 = renamed(l2.text, l2.len, "web001", &len2);
            snprintf(path, sizeof path, "%s/web001-night2.csv", fx->dir);
            write_file(path, t2, len2);
            fx->paths[k++] = strdup(path);
            free(t2);
            wm_free(&l2);
        }
        if (i == 1) {
            /* a quarter of an hour of another server: read, nothing judged */
            size_t cut = 0, rows = 0, len3;
            char *t3;
            while (cut < l.len && rows < 16)
                rows += l.text[cut++] == '\n';
            t3 = renamed(l.text, cut, "WEB999", &len3);
            snprintf(path, sizeof path, "%s/web999-short.csv", fx->dir);
            write_file(path, t3, len3);
            fx->paths[k++] = strdup(path);
            free(t3);
        }
        free(text);
        wm_free(&l);
    }
    snprintf(path, sizeof path, "%s/empty.csv", fx->dir);
    write_file(path, "", 0);
    fx->paths[k++] = strdup(path);
    snprintf(path, sizeof path, "%s/not-perfmon.csv", fx->dir);
    write_file(path, "hello,world\r\n1,2\r\n", 18);
    fx->paths[k++] = strdup(path);
    snprintf(path, sizeof path, "%s/gone.blg", fx->dir);
    fx->paths[k++] = strdup(path);
    fx->npaths = k;
    m = open_memstream(&fx->records, &fx->len);
    pl_analysis_opts_init(&o);
    o.run_command = "perfleak analyze -f jsonl";
    assert_int_equal(pl_batch_run((const char *const *)fx->paths, k, &o, 0, m, &sum, &err), PL_OK);
    /* a run killed mid-record */
    fputs("{\"tool\":{\"name\":\"perfleak\"},\"logs\":[{\"file\":\"cut.csv\"", m);
    fclose(m);
    assert_int_equal(sum.logs, k);
    assert_int_equal(sum.failed, 3);
    return fx;
}

static void fx_free(fleet_fixture *fx)
{
    size_t i;
    for (i = 0; i < fx->npaths; i++) {
        unlink(fx->paths[i]);
        free(fx->paths[i]);
    }
    rmdir(fx->dir);
    free(fx->paths);
    free(fx->d);
    free(fx->records);
    free(fx);
}

static int setup(void **state)
{
    *state = fx_make();
    return 0;
}

static int teardown(void **state)
{
    fx_free(*state);
    return 0;
}

static pl_fleet *fleet_of(const char *text, size_t len, size_t min_servers)
{
    pl_fleet *f;
    pl_fleet_opts o = {min_servers};
    pl_error err;
    FILE *in = fmemopen((void *)text, len, "r");
    assert_non_null(in);
    assert_int_equal(pl_fleet_create(&f, &o, &err), PL_OK);
    assert_int_equal(pl_fleet_read(f, in, "records.jsonl", &err), PL_OK);
    fclose(in);
    assert_int_equal(pl_fleet_finish(f, &err), PL_OK);
    return f;
}

static void upper(const char *s, char *out, size_t size)
{
    size_t i;
    for (i = 0; s[i] && i + 1 < size; i++)
        out[i] = (char)toupper((unsigned char)s[i]);
    out[i] = 0;
}

static void lower(const char *s, char *out, size_t size)
{
    size_t i;
    for (i = 0; s[i] && i + 1 < size; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = 0;
}

/* The grouping as the records say it, worked out here from each record's
 * findings: "type|name|pool|kind" -> {MACHINE: 1}. */
static json_t *groups_of_records(const char *text, size_t *servers_with_findings, size_t *errors, size_t *unjudged)
{
    json_t *groups = json_object(), *with = json_object();
    const char *p = text;
    *errors = *unjudged = 0;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p), i, k;
        json_t *r = json_loadb(p, n, 0, NULL), *fs, *ms;
        p += n + (e != NULL);
        if (!r || json_object_get(r, "error")) {
            ++*errors;
            json_decref(r);
            continue;
        }
        if (!json_is_true(json_object_get(json_object_get(r, "summary"), "judged")))
            ++*unjudged;
        ms = json_object_get(r, "machines");
        for (i = 0; i < json_array_size(ms); i++) {
            json_t *mm = json_array_get(ms, i);
            char up[64];
            upper(json_string_value(json_object_get(mm, "name")), up, sizeof up);
            if (json_integer_value(json_object_get(mm, "findings")) > 0 ||
                json_integer_value(json_object_get(mm, "culprits")) > 0)
                json_object_set_new(with, up, json_true());
        }
        fs = json_object_get(r, "findings");
        for (i = 0; i < json_array_size(fs); i++) {
            json_t *c = json_object_get(json_array_get(fs, i), "culprit");
            json_t *kinds = json_object_get(json_array_get(fs, i), "kinds");
            const char *type = json_string_value(json_object_get(c, "type"));
            const char *name = json_string_value(json_object_get(c, "name"));
            const char *pool = json_string_value(json_object_get(c, "pool"));
            char up[64], lo[64], key[256];
            upper(json_string_value(json_object_get(c, "machine")), up, sizeof up);
            lower(name ? name : "", lo, sizeof lo);
            for (k = 0; k < json_array_size(kinds); k++) {
                json_t *set;
                snprintf(key, sizeof key, "%s|%s|%s|%s", type, lo, pool ? pool : "",
                         json_string_value(json_array_get(kinds, k)));
                if (!(set = json_object_get(groups, key))) {
                    json_object_set_new(groups, key, json_object());
                    set = json_object_get(groups, key);
                }
                json_object_set_new(set, up, json_true());
            }
        }
        json_decref(r);
    }
    *servers_with_findings = json_object_size(with);
    json_decref(with);
    return groups;
}

static void group_key(const pl_fleet_group *g, char *key, size_t size)
{
    char lo[64];
    static const char *const type[] = {"process", "kernel", "system"};
    lower(g->name ? g->name : "", lo, sizeof lo);
    snprintf(key, size, "%s|%s|%s|%s", type[g->type], lo,
             g->type == PL_CULPRIT_KERNEL ? (g->pool ? "nonpaged" : "paged") : "", pl_grows_name(g->kind));
}

/* Every group of two servers or more the records give is a recurring
 * culprit, with exactly their servers, and no other is. */
static void test_grouping_is_the_records(void **state)
{
    fleet_fixture *fx = *state;
    size_t with, errors, unjudged, i, k, recurring = 0;
    json_t *groups = groups_of_records(fx->records, &with, &errors, &unjudged), *set;
    pl_fleet *f = fleet_of(fx->records, fx->len, 2);
    const pl_fleet_totals *t = pl_fleet_get_totals(f);
    const char *key;
    char gk[256], up[64];
    json_object_foreach(groups, key, set)
        recurring += json_object_size(set) >= 2;
    assert_true(recurring >= 4); /* the mix recurs: heaps, handles, pools */
    assert_int_equal(pl_fleet_recurring_count(f), recurring);
    for (i = 0; i < pl_fleet_recurring_count(f); i++) {
        const pl_fleet_group *g = pl_fleet_recurring(f, i);
        group_key(g, gk, sizeof gk);
        set = json_object_get(groups, gk);
        assert_non_null(set);
        assert_int_equal(g->count, json_object_size(set));
        for (k = 0; k < g->count; k++) {
            upper(g->servers[k], up, sizeof up);
            assert_non_null(json_object_get(set, up));
            if (k)
                assert_true(strcmp(g->servers[k - 1], g->servers[k]) < 0); /* WEB009 before WEB010 */
        }
        if (i)
            assert_true(pl_fleet_recurring(f, i - 1)->count >= g->count);
        /* the median lies in the range, all three of the servers' rates */
        if (g->counter) {
            assert_true(g->min <= g->median && g->median <= g->max);
            assert_true(g->min > 0);
        }
        assert_true(g->first_seen != INT64_MAX);
    }
    assert_int_equal(t->with_findings, with);
    assert_int_equal(pl_fleet_findings_count(f), with);
    /* the three unreadable logs and the cut line; the short log */
    assert_int_equal(errors, 4);
    assert_int_equal(t->unreadable, 4);
    assert_int_equal(unjudged, 1);
    assert_int_equal(t->unjudged, 1);
    /* web001 and its second night are one server; WEB999's short log a
     * server of its own */
    assert_int_equal(t->servers, fx->nservers + 1);
    assert_int_equal(t->records, fx->npaths - 3);
    assert_int_equal(pl_fleet_status(f), 1);
    /* worst first: the soonest limit leads */
    for (i = 1; i < pl_fleet_findings_count(f); i++) {
        const pl_fleet_server *a = pl_fleet_with_findings(f, i - 1), *b = pl_fleet_with_findings(f, i);
        if (!isnan(b->hours_to_limit))
            assert_true(!isnan(a->hours_to_limit) && a->hours_to_limit <= b->hours_to_limit);
    }
    json_decref(groups);
    pl_fleet_free(f);
}

/* What the model drew leaking, the fleet names on that server: the
 * detector's recall over the fleet, as the winmodel tests hold it. */
static void test_model_culprits_found(void **state)
{
    fleet_fixture *fx = *state;
    pl_fleet *f = fleet_of(fx->records, fx->len, 1);
    size_t i, g, k, leaky = 0, found = 0;
    for (i = 0; i < fx->nservers; i++) {
        const wm_expect *e = &fx->d[i].expect;
        int hit = 0;
        if (!fx->d[i].nexpect)
            continue;
        leaky++;
        for (g = 0; g < pl_fleet_recurring_count(f) && !hit; g++) {
            const pl_fleet_group *gr = pl_fleet_recurring(f, g);
            if (gr->type != e->type || gr->kind != e->kind ||
                (e->type == PL_CULPRIT_PROCESS && strcasecmp(gr->name, e->name) != 0) ||
                (e->type == PL_CULPRIT_KERNEL && gr->pool != e->pool))
                continue;
            for (k = 0; k < gr->count; k++)
                hit |= strcasecmp(gr->servers[k], fx->d[i].machine) == 0;
        }
        found += hit;
    }
    assert_true(leaky >= fx->nservers / 3);
    if (found * 100 < leaky * 90)
        fail_msg("the fleet names %zu of the %zu leaks the model drew", found, leaky);
    pl_fleet_free(f);
}

/* The report is the same whatever order the records came in (parallel
 * runs return them as they finish). */
static void test_order_does_not_matter(void **state)
{
    fleet_fixture *fx = *state;
    char **lines = NULL, *shuffled, *a = NULL, *b = NULL;
    size_t n = 0, cap = 0, i, alen = 0, blen = 0, pos = 0;
    uint64_t x = 42;
    const char *p = fx->records;
    pl_fleet *f1, *f2;
    pl_error err;
    FILE *m;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) + 1 : strlen(p);
        if (n == cap)
            lines = realloc(lines, (cap = cap ? cap * 2 : 64) * sizeof *lines);
        lines[n++] = strndup(p, len);
        p += len;
    }
    /* the cut line stays last: it has no newline */
    for (i = n - 1; i > 1; i--) {
        size_t j;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        j = (size_t)(x >> 33) % i;
        char *t = lines[i - 1];
        lines[i - 1] = lines[j];
        lines[j] = t;
    }
    shuffled = malloc(fx->len + 1);
    for (i = 0; i < n; i++) {
        size_t l = strlen(lines[i]);
        memcpy(shuffled + pos, lines[i], l);
        pos += l;
        free(lines[i]);
    }
    free(lines);
    assert_int_equal(pos, fx->len);
    f1 = fleet_of(fx->records, fx->len, 2);
    f2 = fleet_of(shuffled, pos, 2);
    m = open_memstream(&a, &alen);
    assert_int_equal(pl_fleet_write(f1, PL_REPORT_JSON, m, &err), PL_OK);
    fclose(m);
    m = open_memstream(&b, &blen);
    assert_int_equal(pl_fleet_write(f2, PL_REPORT_JSON, m, &err), PL_OK);
    fclose(m);
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(shuffled);
    pl_fleet_free(f1);
    pl_fleet_free(f2);
}

/* A stand-alone record, as a test writes it. */
static const char *record(char *buf, size_t size, const char *machine, const char *name, double rate,
                          const char *end, int with_counters)
{
    snprintf(buf, size,
             "{\"tool\":{\"name\":\"perfleak\"},\"logs\":[{\"file\":\"%s.csv\",\"end\":\"%s\"}],"
             "\"machines\":[{\"name\":\"%s\",\"findings\":1,\"culprits\":1}],\"summary\":{\"judged\":true},"
             "\"findings\":[{\"culprit\":{\"type\":\"process\",\"name\":\"%s\",\"pid\":4,\"machine\":\"%s\"},"
             "\"kinds\":[\"memory\"],\"observed\":{\"start\":\"2026-03-02T00:00:00.000-08:00\"},"
             "\"onset\":\"2026-03-03T06:00:00.000-08:00\",\"growth_per_hour\":{\"Working Set\":1,"
             "\"Private Bytes\":%g},\"hours_to_limit\":null,\"summary\":\"%s: memory\"}]%s}\n",
             machine, end, machine, name, machine, rate, name,
             with_counters ? ",\"counters\":[{\"path\":\"x\",\"evidence\":{\"reason\":\"a \\\"counters\\\": [ ] in a string\"}}]" : "");
    return buf;
}

static void test_records_by_hand(void **state)
{
    char buf[2048];
    pl_fleet *f;
    pl_fleet_opts o = {2};
    pl_error err;
    const pl_fleet_group *g;
    (void)state;
    assert_int_equal(pl_fleet_create(&f, &o, &err), PL_OK);
    record(buf, sizeof buf, "web1", "w3wp", 100, "2026-03-04T00:00:00.000-08:00", 1);
    assert_int_equal(pl_fleet_add_line(f, buf, strlen(buf), "r", 1, &err), PL_OK);
    /* the same server, upper case, a later night: its rate is the later one */
    record(buf, sizeof buf, "WEB1", "W3WP", 300, "2026-03-05T00:00:00.000-08:00", 0);
    assert_int_equal(pl_fleet_add_line(f, buf, strlen(buf), "r", 2, &err), PL_OK);
    record(buf, sizeof buf, "web10", "w3wp", 200, "2026-03-04T00:00:00.000-08:00", 1);
    assert_int_equal(pl_fleet_add_line(f, buf, strlen(buf), "r", 3, &err), PL_OK);
    record(buf, sizeof buf, "web2", "w3wp", 500, "2026-03-04T00:00:00.000-08:00", 0);
    assert_int_equal(pl_fleet_add_line(f, buf, strlen(buf), "r", 4, &err), PL_OK);
    record(buf, sizeof buf, "db1", "sqlservr", 50, "2026-03-04T00:00:00.000-08:00", 0);
    assert_int_equal(pl_fleet_add_line(f, buf, strlen(buf), "r", 5, &err), PL_OK);
    assert_int_equal(pl_fleet_add_line(f, "\n", 1, "r", 6, &err), PL_OK);
    assert_int_equal(pl_fleet_add_line(f, "[1,2]\n", 6, "r", 7, &err), PL_OK);
    assert_int_equal(pl_fleet_add_line(f, "{\"log\":\"a.blg\",\"error\":\"a.blg: cut short\"}", 42, "r", 8, &err), PL_OK);
    assert_int_equal(pl_fleet_finish(f, &err), PL_OK);
    assert_int_equal(pl_fleet_add_line(f, buf, strlen(buf), "r", 9, &err), PL_EUSAGE);
    assert_int_equal(pl_fleet_get_totals(f)->servers, 4);
    assert_int_equal(pl_fleet_get_totals(f)->records, 5);
    assert_int_equal(pl_fleet_recurring_count(f), 1);
    g = pl_fleet_recurring(f, 0);
    assert_string_equal(g->name, "W3WP"); /* one spelling whatever the order: the first in sort order */
    assert_int_equal(g->count, 3);
    assert_string_equal(g->servers[0], "WEB1");
    assert_string_equal(g->servers[1], "web2");
    assert_string_equal(g->servers[2], "web10");
    assert_string_equal(g->counter, "Private Bytes");
    assert_true(g->rates[0] == 300 && g->rates[1] == 500 && g->rates[2] == 200);
    assert_true(g->median == 300 && g->min == 200 && g->max == 500);
    /* the onset, not the log's start; and in its own offset */
    assert_int_equal(g->first_offset, -480);
    assert_int_equal(pl_fleet_problem_count(f), 2);
    assert_string_equal(pl_fleet_problem_at(f, 0)->log, "a.blg");
    assert_string_equal(pl_fleet_problem_at(f, 0)->why, "cut short");
    assert_string_equal(pl_fleet_problem_at(f, 1)->log, "r:7");
    assert_non_null(strstr(pl_fleet_problem_at(f, 1)->why, "not a perfleak record"));
    assert_int_equal(pl_fleet_status(f), 1);
    {
        char text[512];
        pl_fleet_group_text(g, text, sizeof text);
        assert_non_null(strstr(text, "memory on 3 servers, Private Bytes 300 B/h median (200 to 500 B/h)"));
        assert_non_null(strstr(text, "growing since 2026-03-03 06:00 UTC-08:00"));
    }
    pl_fleet_free(f);
}

/* Nothing judged is no all-clear; nothing at all neither. */
static void test_status(void **state)
{
    pl_fleet *f;
    pl_error err;
    char tally[512];
    static const char healthy[] =
        "{\"logs\":[{\"file\":\"a.csv\"}],\"machines\":[{\"name\":\"A\",\"findings\":0,\"culprits\":0}],"
        "\"summary\":{\"judged\":true},\"findings\":[]}";
    static const char unjudged[] =
        "{\"logs\":[{\"file\":\"b.csv\"}],\"machines\":[{\"name\":\"B\",\"findings\":0,\"culprits\":0}],"
        "\"summary\":{\"judged\":false,\"nothing_judged_because\":\"the log covers only 25 s\"},\"findings\":[]}";
    (void)state;
    assert_int_equal(pl_fleet_create(&f, NULL, &err), PL_OK);
    assert_int_equal(pl_fleet_finish(f, &err), PL_OK);
    assert_int_equal(pl_fleet_status(f), 3);
    pl_fleet_free(f);
    assert_int_equal(pl_fleet_create(&f, NULL, &err), PL_OK);
    assert_int_equal(pl_fleet_add_line(f, healthy, strlen(healthy), "r", 1, &err), PL_OK);
    assert_int_equal(pl_fleet_finish(f, &err), PL_OK);
    assert_int_equal(pl_fleet_status(f), 0);
    pl_fleet_tally(f, tally, sizeof tally);
    assert_string_equal(tally, "No findings on the 1 server judged.");
    pl_fleet_free(f);
    assert_int_equal(pl_fleet_create(&f, NULL, &err), PL_OK);
    assert_int_equal(pl_fleet_add_line(f, healthy, strlen(healthy), "r", 1, &err), PL_OK);
    assert_int_equal(pl_fleet_add_line(f, unjudged, strlen(unjudged), "r", 2, &err), PL_OK);
    assert_int_equal(pl_fleet_finish(f, &err), PL_OK);
    assert_int_equal(pl_fleet_status(f), 3);
    pl_fleet_tally(f, tally, sizeof tally);
    assert_string_equal(tally, "No findings on the 1 server judged; 1 could not be judged: no all-clear for it.");
    assert_string_equal(pl_fleet_problem_at(f, 0)->server, "B");
    assert_string_equal(pl_fleet_problem_at(f, 0)->why, "the log covers only 25 s");
    pl_fleet_free(f);
}

/* A name from a stranger's log stays text in every format. */
static void test_hostile_names(void **state)
{
    char buf[2048], *out = NULL;
    size_t len = 0;
    pl_fleet *f;
    pl_error err;
    FILE *m;
    int fmt;
    (void)state;
    assert_int_equal(pl_fleet_create(&f, NULL, &err), PL_OK);
    record(buf, sizeof buf, "<b>A</b>\\u001b[31m", "x|y`<img src=x>", 1, "2026-03-04T00:00:00.000Z", 0);
    assert_int_equal(pl_fleet_add_line(f, buf, strlen(buf), "r", 1, &err), PL_OK);
    record(buf, sizeof buf, "B\\n# heading", "x|y`<img src=x>", 1, "2026-03-04T00:00:00.000Z", 0);
    assert_int_equal(pl_fleet_add_line(f, buf, strlen(buf), "r", 2, &err), PL_OK);
    assert_int_equal(pl_fleet_finish(f, &err), PL_OK);
    assert_int_equal(pl_fleet_recurring_count(f), 1);
    for (fmt = 0; fmt < 4; fmt++) {
        static const pl_report_format fmts[] = {PL_REPORT_TEXT, PL_REPORT_MARKDOWN, PL_REPORT_HTML, PL_REPORT_JSON};
        m = open_memstream(&out, &len);
        assert_int_equal(pl_fleet_write(f, fmts[fmt], m, &err), PL_OK);
        fclose(m);
        assert_null(strchr(out, '\x1b'));
        if (fmts[fmt] == PL_REPORT_TEXT || fmts[fmt] == PL_REPORT_MARKDOWN)
            assert_null(strstr(out, "\n# heading")); /* a line of its own */
        if (fmts[fmt] != PL_REPORT_JSON && fmts[fmt] != PL_REPORT_TEXT)
            assert_null(strstr(out, "<img"));
        if (fmts[fmt] == PL_REPORT_HTML)
            assert_null(strstr(out, "<b>A"));
        if (fmts[fmt] == PL_REPORT_JSON) {
            json_t *j = json_loads(out, 0, NULL);
            assert_non_null(j);
            json_decref(j);
        }
        free(out);
        out = NULL;
    }
    pl_fleet_free(f);
}

int main(void)
{
    const struct CMUnitTest by_hand[] = {
        cmocka_unit_test(test_records_by_hand),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_hostile_names),
    };
    /* the generated fleet is made once, for the tests that read it */
    const struct CMUnitTest generated[] = {
        cmocka_unit_test(test_grouping_is_the_records),
        cmocka_unit_test(test_model_culprits_found),
        cmocka_unit_test(test_order_does_not_matter),
    };
    int rc;
    tu_filter();
    rc = cmocka_run_group_tests_name("records", by_hand, NULL, NULL);
    rc |= cmocka_run_group_tests_name("generated fleet", generated, setup, teardown);
    return rc;
}
