/* main.c - the perfleak executable: everything happens in pl_cli_main. */
#include <stdio.h>
#include "cli.h"

int main(int argc, char **argv)
{
    return pl_cli_main(argc, argv, stdout, stderr);
}
