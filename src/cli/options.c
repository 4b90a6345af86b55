/* options.c - the one option table: every option once, with the commands
 * that take it; each command's getopt table is made from it, so an
 * option a command does not take is unknown to it, as before. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli_internal.h"
#include "perfleak/report.h"
#include "perfleak/timestamp.h"
#include "perfleak/units.h"
#include "util/internal.h"

enum { OPT_BUCKETS = 256, OPT_METHOD, OPT_CHARTS, OPT_MIN_SPAN, OPT_UTC_OFFSET, OPT_FORCE,
       OPT_COLOR, OPT_COUNTER_FILE, OPT_ENCODING, OPT_END, OPT_LIST,
       OPT_MAX_CHARTS, OPT_MAX_EXPAND, OPT_BEFORE_BEGIN, OPT_BEFORE_END, OPT_AFTER_BEGIN,
       OPT_AFTER_END, OPT_MIN_SERVERS };

typedef struct option_spec {
    const char *name;  /* long name */
    int has_arg;
    int val;           /* the short option, or OPT_ above 255 */
    unsigned cmds;     /* CMD_ bits of the commands that take it */
} option_spec;

/* cmds: the commands that take the option. Every option is known to
 * every command's parser, so that one given to a command it does not
 * apply to is refused by name ("counters does not take --output")
 * rather than ignored or called unknown. */
static const option_spec OPTIONS[] = {
    {"counter", 1, 'c', CMD_ALL},
    {"counter-file", 1, OPT_COUNTER_FILE, CMD_ALL}, /* relog's -cf */
    {"exclude", 1, 'x', CMD_ALL},
    {"format", 1, 'f', CMD_ANALYZE | CMD_COUNTERS | CMD_CONVERT | CMD_COMPARE | CMD_FLEET},
    {"output", 1, 'o', CMD_ANALYZE | CMD_PLOT | CMD_CONVERT | CMD_COMPARE | CMD_FLEET},
    /* convert takes relog's -b, -e and -t: there -e is the window's end,
     * and the encoding has its long name only */
    {"encoding", 1, 'e', CMD_ANALYSIS},
    {"encoding", 1, OPT_ENCODING, CMD_CONVERT},
    {"begin", 1, 'b', CMD_ALL},
    {"end", 1, 'e', CMD_CONVERT},
    {"end", 1, OPT_END, CMD_ANALYSIS},
    /* compare: a window for one side only */
    {"before-begin", 1, OPT_BEFORE_BEGIN, CMD_COMPARE},
    {"before-end", 1, OPT_BEFORE_END, CMD_COMPARE},
    {"after-begin", 1, OPT_AFTER_BEGIN, CMD_COMPARE},
    {"after-end", 1, OPT_AFTER_END, CMD_COMPARE},
    {"every", 1, 't', CMD_CONVERT},
    {"list", 0, OPT_LIST, CMD_CONVERT}, /* relog's -q (here -q is --quiet) */
    {"quiet", 0, 'q', CMD_EVERY},
    {"min-servers", 1, OPT_MIN_SERVERS, CMD_FLEET},
    {"buckets", 1, OPT_BUCKETS, CMD_ANALYSIS},
    {"max-expand", 1, OPT_MAX_EXPAND, CMD_ALL},
    {"limit", 1, 'l', CMD_ANALYZE | CMD_PLOT | CMD_COMPARE},
    {"method", 1, OPT_METHOD, CMD_ANALYZE | CMD_PLOT | CMD_COMPARE},
    {"charts", 1, OPT_CHARTS, CMD_ANALYZE},
    {"max-charts", 1, OPT_MAX_CHARTS, CMD_ANALYZE},
    {"min-span", 1, OPT_MIN_SPAN, CMD_ANALYZE | CMD_PLOT | CMD_COMPARE},
    {"utc-offset", 1, OPT_UTC_OFFSET, CMD_ANALYSIS},
    {"force", 0, OPT_FORCE, CMD_PLOT},
    {"force", 0, 'y', CMD_CONVERT},  /* and relog's -y */
    {"jobs", 1, 'j', CMD_ANALYSIS},
    {"color", 1, OPT_COLOR, CMD_ANALYZE},
    {"help", 0, 'h', CMD_EVERY},
    {"version", 0, 'V', CMD_EVERY},
};

#define NOPTIONS (sizeof OPTIONS / sizeof *OPTIONS)

/* The getopt tables: optstring ("c:f:...") and longopts, every option;
 * the command's own first, so that a name two entries share (--force:
 * plot's, convert's -y) is the command's. */
static void tables(unsigned cmd, char *shorts, struct option *longs, char *takes_arg)
{
    size_t i, ns = 0, nl = 0, na = 0, pass;
    for (pass = 0; pass < 2; pass++)
    for (i = 0; i < NOPTIONS; i++) {
        const option_spec *o = &OPTIONS[i];
        int own = (o->cmds & cmd) != 0;
        if (own != (pass == 0))
            continue;
        if (pass && o->val < 256 && strchr(shorts, o->val))
            continue;
        longs[nl].name = o->name;
        longs[nl].has_arg = o->has_arg ? required_argument : no_argument;
        longs[nl].flag = NULL;
        longs[nl].val = o->val;
        nl++;
        if (o->val < 256 && !strchr(shorts, o->val)) {
            shorts[ns++] = (char)o->val;
            if (o->has_arg) {
                shorts[ns++] = ':';
                takes_arg[na++] = (char)o->val;
            }
            shorts[ns] = takes_arg[na] = '\0';
        }
    }
    memset(&longs[nl], 0, sizeof longs[nl]);
}

int pl_cli_push(const char ***list, size_t *n, size_t *cap, const char *s)
{
    if (pl_grow((void *)list, cap, *n + 1, sizeof **list) != 0)
        return -1;
    (*list)[(*n)++] = s;
    return 0;
}

/* getopt's complaint, in our words: takes_arg lists the short options
 * that need an argument. */
static void bad_option(FILE *errout, char **argv, const char *takes_arg)
{
    if (optopt && optopt < 256 && strchr(takes_arg, optopt))
        fprintf(errout, "perfleak: option '-%c' needs an argument\n", optopt);
    else
        fprintf(errout, "perfleak: unknown option '%s'\n", argv[optind - 1]);
    fprintf(errout, "Try 'perfleak --help' for more information.\n");
}

/* --counter-file FILE (relog's -cf): a pattern a line, blank lines and
 * lines starting with # left out. The patterns live as long as cli. */
static int counter_file(pl_cli *cli, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char line[4096];
    size_t n = 0;
    if (!f) {
        fprintf(cli->err, "perfleak: %s: cannot open: %s\n", path, strerror(errno));
        return EXIT_TROUBLE;
    }
    while (fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "\r\n");
        char *p, *copy;
        n++;
        if (line[len] == '\0' && !feof(f)) {
            fprintf(cli->err, "perfleak: %s:%zu: a pattern longer than %zu bytes\n", path, n,
                    sizeof line - 2);
            if (f != stdin)
                fclose(f);
            return EXIT_TROUBLE;
        }
        line[len] = '\0';
        for (p = line; *p == ' ' || *p == '\t'; p++)
            ;
        if (!*p || *p == '#')
            continue;
        if (!(copy = pl_strdup(p)) || pl_cli_push(&cli->owned, &cli->n_owned, &cli->cap_owned, copy) ||
            pl_cli_push(&cli->include, &cli->n_include, &cli->cap_include, copy)) {
            free(copy);
            fputs("perfleak: out of memory\n", cli->err);
            if (f != stdin)
                fclose(f);
            return EXIT_TROUBLE;
        }
    }
    if (f != stdin)
        fclose(f);
    return 0;
}

/* One option: 0 taken, else the exit status. */
/* A window's end, TIME, for --NAME: checked here, to name the option;
 * kept in *to. */
static int window_time(pl_cli *cli, const char *name, const char **to, const char *arg)
{
    pl_time t;
    int local;
    if (pl_time_parse_user(arg, &t, &local)) {
        fprintf(cli->err,
                "perfleak: --%s takes a time like 2026-03-02 14:00, 2026-03-02T14:00+01:00 or 3/2/2026 14:00:00, got '%s'\n",
                name, arg);
        return EXIT_TROUBLE;
    }
    *to = arg;
    return 0;
}

/* --begin (begin set) or --end TIME. */
static int window_end(pl_cli *cli, int begin, const char *arg)
{
    return begin ? window_time(cli, "begin", &cli->analysis.begin, arg)
                 : window_time(cli, "end", &cli->analysis.end, arg);
}

/* A whole number in [lo, hi] (no sign, no trailing text): 0, or the
 * one-line complaint "perfleak: OPT takes WHAT, got 'ARG'" and 2. */
static int count_arg(FILE *e, const char *opt, const char *what, const char *arg, unsigned long lo,
                     unsigned long hi, unsigned long *v)
{
    char *end;
    *v = strtoul(arg, &end, 10);
    if (*end || end == arg || arg[0] == '-' || *v < lo || *v > hi) {
        fprintf(e, "perfleak: %s takes %s, got '%s'\n", opt, what, arg);
        return EXIT_TROUBLE;
    }
    return 0;
}

/* One of n words, its value into *v: 0, or the complaint and 2. */
static int word_arg(FILE *e, const char *opt, const char *const *words, const int *values, size_t n,
                    const char *list, const char *arg, int *v)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(arg, words[i]) == 0) {
            *v = values[i];
            return 0;
        }
    fprintf(e, "perfleak: %s takes %s, got '%s'\n", opt, list, arg);
    return EXIT_TROUBLE;
}

static int take_list(pl_cli *cli, const char ***list, size_t *n, size_t *cap, const char *arg)
{
    if (pl_cli_push(list, n, cap, arg) == 0)
        return 0;
    fputs("perfleak: out of memory\n", cli->err);
    return EXIT_TROUBLE;
}

static int take_format(pl_cli *cli, const char *arg)
{
    if (cli->cmd == CMD_CONVERT) {
        if (strcmp(arg, "csv") == 0 || strcmp(arg, "tsv") == 0) {
            cli->delimiter = arg[0] == 't' ? '\t' : ',';
            return 0;
        }
        fprintf(cli->err, "perfleak: convert writes csv or tsv, got '%s'\n", arg);
        return EXIT_TROUBLE;
    }
    if ((cli->format = pl_report_format_parse(arg)) < 0) {
        fprintf(cli->err, "perfleak: unknown format '%s'; expected text, json, markdown or html\n", arg);
        return EXIT_TROUBLE;
    }
    return 0;
}

static int take_method(pl_cli *cli, const char *arg)
{
    int m = pl_method_parse(arg);
    if (m < 0) {
        fprintf(cli->err, "perfleak: unknown method '%s'; expected robust, least-squares, mann-kendall or pal\n", arg);
        return EXIT_TROUBLE;
    }
    cli->analysis.detect.method = (pl_method)m;
    if (m != PL_METHOD_ROBUST)
        cli->analysis.detect.min_growth_pct = 10;
    return 0;
}

/* The options that take a number, a word or a duration. */
static int take_value(pl_cli *cli, int c, const char *arg)
{
    static const char *const colors[] = {"auto", "always", "never"};
    static const int color_v[] = {-1, 1, 0};
    static const char *const charts[] = {"none", "leaks", "all"};
    static const int charts_v[] = {PL_CHARTS_NONE, PL_CHARTS_FINDINGS, PL_CHARTS_ALL};
    FILE *e = cli->err;
    unsigned long v;
    int w, rc;
    double sec;
    switch (c) {
    case 't':
        if ((rc = count_arg(e, "-t", "a number of rows, 1 or more (every Nth is written)", arg, 1,
                            1000000000UL, &v)) == 0)
            cli->every = v;
        return rc;
    case OPT_MIN_SERVERS:
        if ((rc = count_arg(e, "--min-servers", "a number of servers, 1 or more", arg, 1, 1000000000UL, &v)) == 0)
            cli->min_servers = (size_t)v;
        return rc;
    case OPT_MAX_CHARTS:
        if (strcmp(arg, "all") == 0) {
            cli->analysis.max_charts = SIZE_MAX;
            return 0;
        }
        if ((rc = count_arg(e, "--max-charts", "a number from 1 to 1000000 or all", arg, 1, 1000000, &v)) == 0)
            cli->analysis.max_charts = (size_t)v;
        return rc;
    case 'j':
        if ((rc = count_arg(e, "--jobs", "a number from 1 to 1024", arg, 1, 1024, &v)) == 0)
            cli->jobs = (int)v;
        return rc;
    case OPT_BUCKETS:
        if ((rc = count_arg(e, "--buckets", "a number from 16 to 1000000", arg, 16, 1000000, &v)) == 0)
            cli->analysis.max_buckets = v;
        return rc;
    case OPT_COLOR:
        if ((rc = word_arg(e, "--color", colors, color_v, 3, "auto, always or never", arg, &w)) == 0)
            cli->color = w;
        return rc;
    case OPT_CHARTS:
        cli->charts_given = 1;
        if ((rc = word_arg(e, "--charts", charts, charts_v, 3, "leaks, all or none", arg, &w)) == 0)
            cli->charts = (pl_chart_set)w;
        return rc;
    case OPT_MAX_EXPAND:
        if (pl_parse_size(arg, &sec) || !(sec >= 1) || sec > 1e18) {
            fprintf(e, "perfleak: --max-expand takes a size like 64GB or 1TiB, got '%s'\n", arg);
            return EXIT_TROUBLE;
        }
        cli->analysis.max_expand = (unsigned long long)sec;
        return 0;
    case OPT_MIN_SPAN:
        if (pl_parse_duration(arg, &sec) || sec > 3650 * 86400.0) {
            fprintf(e, "perfleak: --min-span takes a duration like 1h, 30min, 2d or 0, got '%s'\n", arg);
            return EXIT_TROUBLE;
        }
        cli->analysis.detect.min_span_h = sec / 3600;
        return 0;
    case OPT_UTC_OFFSET:
        if (pl_parse_utc_offset(arg, &cli->analysis.utc_offset)) {
            fprintf(e, "perfleak: --utc-offset takes an offset like +09:00 or -0800, got '%s'\n", arg);
            return EXIT_TROUBLE;
        }
        cli->analysis.utc_offset_set = 1;
        return 0;
    default:
        return EXIT_TROUBLE;
    }
}

static int take(pl_cli *cli, int c, const char *arg)
{
    switch (c) {
    case 'c': return take_list(cli, &cli->include, &cli->n_include, &cli->cap_include, arg);
    case 'x': return take_list(cli, &cli->exclude, &cli->n_exclude, &cli->cap_exclude, arg);
    case 'l': return take_list(cli, &cli->limits, &cli->n_limits, &cli->cap_limits, arg);
    case OPT_COUNTER_FILE: return counter_file(cli, arg);
    case 'f': return take_format(cli, arg);
    case OPT_METHOD: return take_method(cli, arg);
    case 'o': cli->output = arg; return 0;
    case 'e':
        if (cli->cmd != CMD_CONVERT) {
            cli->analysis.encoding = arg;
            return 0;
        }
        return window_end(cli, 0, arg); /* convert's -e is relog's end */
    case OPT_END: return window_end(cli, 0, arg);
    case 'b': return window_end(cli, 1, arg);
    case OPT_BEFORE_BEGIN: return window_time(cli, "before-begin", &cli->side_begin[0], arg);
    case OPT_BEFORE_END: return window_time(cli, "before-end", &cli->side_end[0], arg);
    case OPT_AFTER_BEGIN: return window_time(cli, "after-begin", &cli->side_begin[1], arg);
    case OPT_AFTER_END: return window_time(cli, "after-end", &cli->side_end[1], arg);
    case OPT_ENCODING: cli->analysis.encoding = arg; return 0;
    case OPT_LIST: cli->list = 1; return 0;
    case 'q': cli->warn.quiet = 1; return 0;
    case 'y':
    case OPT_FORCE: cli->force = 1; return 0;
    case 'h':
        pl_cli_usage(cli->out);
        return pl_cli_flushed(cli);
    case 'V':
        fprintf(cli->out, "perfleak %s\n", PL_VERSION);
        return pl_cli_flushed(cli);
    default:
        return take_value(cli, c, arg);
    }
}

/* 1 when the option that getopt returned as val, under longindex (or a
 * short one when longindex < 0), applies to cmd; name gets its name. */
static int applies(unsigned cmd, int val, int longindex, const struct option *longs,
                   const char **name)
{
    /* a short option is the command's when any entry with that letter is
     * (convert's -e is --end, the others' --encoding) */
    size_t i;
    *name = longindex >= 0 ? longs[longindex].name : NULL;
    for (i = 0; i < NOPTIONS; i++)
        if (OPTIONS[i].val == val && (!*name || longindex < 0 || strcmp(OPTIONS[i].name, *name) == 0)) {
            if (!*name)
                *name = OPTIONS[i].name;
            if (OPTIONS[i].cmds & cmd) {
                *name = OPTIONS[i].name;
                return 1;
            }
        }
    return 0;
}

int pl_cli_parse(pl_cli *cli, int argc, char **argv, int *first)
{
    char shorts[2 * NOPTIONS + 1] = "", takes_arg[NOPTIONS + 1] = "";
    struct option longs[NOPTIONS + 1];
    int c, li;
    pl_analysis_opts_init(&cli->analysis);
    cli->format = -1;
    cli->delimiter = ',';
    cli->charts = PL_CHARTS_FINDINGS;
    cli->color = -1;
    cli->warn.f = cli->err;
    cli->warn.quiet = 0;
    tables(cli->cmd, shorts, longs, takes_arg);
    {
        /* relog's -cf FILE is --counter-file FILE (getopt would read -c f) */
        static char cf[] = "--counter-file";
        int i;
        for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
            if (strcmp(argv[i], "-cf") == 0)
                argv[i] = cf;
    }
    optind = 0; /* GNU: full reinitialisation, so tests can call us again */
    opterr = 0;
    while ((li = -1, c = getopt_long(argc, argv, shorts, longs, &li)) != -1) {
        int status;
        const char *name;
        if (c == '?' || c == ':') {
            bad_option(cli->err, argv, takes_arg);
            return EXIT_TROUBLE;
        }
        if (!applies(cli->cmd, c, li, longs, &name)) {
            if (li >= 0)
                fprintf(cli->err, "perfleak: %s does not take --%s\n", cli->cmd_name, name);
            else
                fprintf(cli->err, "perfleak: %s does not take -%c\n", cli->cmd_name, c);
            fprintf(cli->err, "Try 'perfleak help %s' for the options it takes.\n", cli->cmd_name);
            return EXIT_TROUBLE;
        }
        if ((status = take(cli, c, optarg)) != 0 || c == 'h' || c == 'V')
            return status;
    }
    if (cli->charts_given && !cli->output) {
        fprintf(cli->err, "perfleak: --charts is for the charts written with -o DIR\n");
        return EXIT_TROUBLE;
    }
    *first = optind;
    return -1;
}

void pl_cli_clear(pl_cli *cli)
{
    size_t i;
    for (i = 0; i < cli->n_owned; i++)
        free((void *)cli->owned[i]);
    free((void *)cli->owned);
    free((void *)cli->include);
    free((void *)cli->exclude);
    free((void *)cli->limits);
    free(cli->run_command);
}

void pl_cli_options_of(unsigned cmd, FILE *f)
{
    size_t i, j;
    for (i = 0; i < NOPTIONS; i++) {
        if (!(OPTIONS[i].cmds & cmd))
            continue;
        for (j = 0; j < i && !((OPTIONS[j].cmds & cmd) && strcmp(OPTIONS[j].name, OPTIONS[i].name) == 0); j++)
            ;
        if (j < i)
            continue;
        if (OPTIONS[i].val < 256)
            fprintf(f, "  -%c, --%s%s\n", OPTIONS[i].val, OPTIONS[i].name, OPTIONS[i].has_arg ? " ARG" : "");
        else
            fprintf(f, "      --%s%s\n", OPTIONS[i].name, OPTIONS[i].has_arg ? " ARG" : "");
    }
}
