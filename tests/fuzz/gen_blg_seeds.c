/* gen_blg_seeds.c - writes the seed inputs of the .blg fuzz target into a
 * directory: the example log of the tests in a few shapes (split samples,
 * a wrapped circular log, small and large buffers), each prefixed with the
 * chunk-size byte the target reads first. */
#include <stdio.h>
#include <stdlib.h>
#include "blgwrite.h"

static int write_seed(const char *dir, const char *name, unsigned char chunk, const tb_log *l)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(f = fopen(path, "wb")))
        return -1;
    fputc(chunk, f);
    fwrite(l->out.p, 1, l->out.n, f);
    return fclose(f);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        unsigned bufsize;
        size_t maxpart;
        int ooo;
        unsigned char chunk;
    } seeds[] = {
        {"example-4k", 4096, 100000, 0, 0xFF},
        {"example-split", 4096, 120, 0, 3},
        {"example-circular", 4096, 100000, 1, 0xFF},
        {"example-8k-split", 8192, 300, 1, 10},
    };
    size_t i;
    if (argc != 2) {
        fprintf(stderr, "usage: gen_blg_seeds DIR\n");
        return 2;
    }
    for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        tb_log l;
        tb_example_log(&l, seeds[i].bufsize, seeds[i].maxpart, seeds[i].ooo);
        if (write_seed(argv[1], seeds[i].name, seeds[i].chunk, &l)) {
            perror(argv[1]);
            return 1;
        }
        tb_free(&l.out);
    }
    return 0;
}
