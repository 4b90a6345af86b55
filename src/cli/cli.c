/* cli.c - the command table and pl_cli_main: which command argv names,
 * its options (options.c), then the command's own file. Nothing here
 * that a test could not do with library calls. */
#include <string.h>
#include "cli/cli.h"
#include "cli/cli_internal.h"

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
};

int pl_cli_main(int argc, char **argv, FILE *out, FILE *errout)
{
    const command *c = &COMMANDS[0]; /* no command named: analyze */
    pl_cli cli;
    size_t i;
    int status, first;
    for (i = 0; argc > 1 && i < sizeof COMMANDS / sizeof *COMMANDS; i++) {
        if (strcmp(argv[1], COMMANDS[i].name) == 0) {
            c = &COMMANDS[i];
            argv++;
            argc--;
            break;
        }
    }
    memset(&cli, 0, sizeof cli);
    cli.cmd = c->cmd;
    cli.cmd_name = c->name;
    cli.out = out;
    cli.err = errout;
    if ((status = pl_cli_parse(&cli, argc, argv, &first)) < 0) {
        if (first >= argc) {
            fprintf(errout, "perfleak: no log given\n%s", c->no_log);
            status = EXIT_TROUBLE;
        } else {
            status = c->run(&cli, argv + first, (size_t)(argc - first));
        }
    }
    pl_cli_free(&cli);
    return status;
}
