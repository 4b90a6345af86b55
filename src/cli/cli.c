/* cli.c - the command table and pl_cli_main: which command argv names,
 * its options (options.c), then the command's own file. Nothing here
 * that a test could not do with library calls. */
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/cli_internal.h"
#include "util/internal.h"

typedef struct command {
    const char *name;
    unsigned cmd;
    int (*run)(pl_cli *cli, char **logs, size_t n);
    const char *no_log; /* after "perfleak: no log given" */
} command;

#define ANALYSIS_USAGE(c) "Usage: perfleak " c " [OPTIONS] LOG...\nTry 'perfleak --help' for more information.\n"

static const command COMMANDS[] = {
    {"analyze", CMD_ANALYZE, pl_cli_analyze, ANALYSIS_USAGE("analyze")},
    {"analyse", CMD_ANALYZE, pl_cli_analyze, ANALYSIS_USAGE("analyze")},
    {"counters", CMD_COUNTERS, pl_cli_counters, ANALYSIS_USAGE("counters")},
    {"plot", CMD_PLOT, pl_cli_plot, ANALYSIS_USAGE("plot")},
    {"convert", CMD_CONVERT, pl_cli_convert,
     "Usage: perfleak convert [-f csv|tsv] [-c PATTERN] [-o OUT] LOG...\n"},
    {"compare", CMD_COMPARE, pl_cli_compare,
     "Usage: perfleak compare [OPTIONS] BEFORE AFTER\n       perfleak compare [OPTIONS] BEFORE... vs AFTER...\n"},
    {"fleet", CMD_FLEET, pl_cli_fleet,
     "Usage: perfleak fleet [OPTIONS] RECORDS.jsonl... (- for standard input)\n"},
};

#define NCOMMANDS (sizeof COMMANDS / sizeof *COMMANDS)

/* Edits (insert, delete, replace) from a to b, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j, row[64], prev;
    if (la >= 63 || lb >= 63)
        return 99;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t cur = row[j], best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

/* A word that is neither a command nor a file, where a command goes:
 * a mistyped command ("analyse" is one), not a log. */
static int mistyped(const char *w)
{
    return w[0] && w[0] != '-' && !strpbrk(w, "./\\") && access(w, F_OK) != 0;
}

static int help(FILE *out, FILE *errout, const char *topic)
{
    size_t i;
    pl_cli cli;
    memset(&cli, 0, sizeof cli);
    cli.out = out;
    cli.err = errout;
    if (!topic) {
        pl_cli_usage(out);
        return pl_cli_flushed(&cli);
    }
    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(topic, COMMANDS[i].name) == 0) {
            fprintf(out, "%.*s\n\nOptions of %s:\n", (int)strcspn(COMMANDS[i].no_log, "\n"),
                    COMMANDS[i].no_log, COMMANDS[i].name);
            pl_cli_options_of(COMMANDS[i].cmd, out);
            fprintf(out, "(perfleak --help describes them.)\n");
            return pl_cli_flushed(&cli);
        }
    fputs("perfleak: no command '", errout);
    pl_write_visible(errout, topic);
    fputs("'; the commands are analyze, counters, plot, convert, compare and fleet\n", errout);
    return EXIT_TROUBLE;
}

int pl_cli_main(int argc, char **argv, FILE *out, FILE *errout)
{
    const command *c = &COMMANDS[0]; /* no command named: analyze */
    pl_cli cli;
    size_t i;
    int status, first, all_argc = argc;
    char **all_argv = argv;
    if (argc > 1 && strcmp(argv[1], "help") == 0)
        return help(out, errout, argc > 2 ? argv[2] : NULL);
    for (i = 0; argc > 1 && i < NCOMMANDS; i++) {
        if (strcmp(argv[1], COMMANDS[i].name) == 0) {
            c = &COMMANDS[i];
            argv++;
            argc--;
            break;
        }
    }
    if (c == &COMMANDS[0] && argc > 1 && strcmp(argv[1], "analyze") != 0 && mistyped(argv[1])) {
        const char *best = NULL;
        size_t d = 3;
        for (i = 0; i < NCOMMANDS; i++)
            if (distance(argv[1], COMMANDS[i].name) < d) {
                d = distance(argv[1], COMMANDS[i].name);
                best = COMMANDS[i].name;
            }
        if (distance(argv[1], "help") < d)
            best = "help";
        fputs("perfleak: unknown command '", errout);
        pl_write_visible(errout, argv[1]);
        fputc('\'', errout);
        if (best)
            fprintf(errout, "; did you mean '%s'?\n", best);
        else
            fprintf(errout, " (and no such log); the commands are analyze, counters, plot, convert, compare, fleet and help\n");
        return EXIT_TROUBLE;
    }
    memset(&cli, 0, sizeof cli);
    cli.cmd = c->cmd;
    cli.cmd_name = c->name;
    cli.out = out;
    cli.err = errout;
    if (pl_cli_keep_command(&cli, all_argc, all_argv) != 0) {
        fprintf(errout, "perfleak: out of memory\n");
        return EXIT_TROUBLE;
    }
    if ((status = pl_cli_parse(&cli, argc, argv, &first)) < 0) {
        int k, stdins = 0;
        for (k = first; k < argc; k++)
            stdins += strcmp(argv[k], "-") == 0;
        if (first >= argc) {
            fprintf(errout, "perfleak: no %s given\n%s", c->cmd == CMD_FLEET ? "records" : "log", c->no_log);
            status = EXIT_TROUBLE;
        } else if (stdins > 1) {
            /* read once, it would be an empty log the second time */
            fprintf(errout, "perfleak: - (standard input) is given %d times; it can be read once\n", stdins);
            status = EXIT_TROUBLE;
        } else {
            status = c->run(&cli, argv + first, (size_t)(argc - first));
        }
    }
    pl_cli_clear(&cli);
    return status;
}
