/* fuzz_path.c - libFuzzer target for the counter-path parser and the
 * pattern matcher: input is "pattern\npath". */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "perfleak/path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1), *path;
    pl_path p;
    pl_error err;
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = 0;
    path = strchr(s, '\n');
    if (path)
        *path++ = 0;
    else
        path = s;
    if (pl_path_parse(path, &p, &err) == PL_OK)
        pl_path_clear(&p);
    (void)pl_path_match(s, path);
    (void)pl_path_without_machine(path);
    free(s);
    return 0;
}
