/* csvscan.c - the floor for make bench: libcsv parsing every field of a
 * file, converting none (only counting fields and rows), read in 1 MiB
 * blocks like perfleak reads.   csvscan FILE */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static void on_field(void *s, size_t len, void *data)
{
    size_t *n = data;
    (void)s;
    n[0]++;
    n[2] += len;
}

static void on_row(int c, void *data)
{
    size_t *n = data;
    (void)c;
    n[1]++;
}

int main(int argc, char **argv)
{
    struct csv_parser p;
    static char buf[1 << 20];
    size_t n[3] = {0, 0, 0}, k;
    FILE *f;
    if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
        fprintf(stderr, "usage: csvscan FILE\n");
        return 2;
    }
    if (csv_init(&p, CSV_APPEND_NULL) != 0)
        return 1;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0)
        if (csv_parse(&p, buf, k, on_field, on_row, n) != k)
            return 1;
    csv_fini(&p, on_field, on_row, n);
    csv_free(&p);
    fclose(f);
    printf("%zu fields, %zu rows, %zu bytes of cells\n", n[0], n[1], n[2]);
    return 0;
}
