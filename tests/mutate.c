/* mutate.c - writes a deterministic mutant of a log for tests/mutate.sh:
 * what damage to real logs looks like (flipped bytes, a cut, an inserted
 * run of bytes, a duplicated or dropped stretch, a digit made huge).
 *   mutate SEED IN OUT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "splitmix.h"

int main(int argc, char **argv)
{
    rng r;
    FILE *f;
    unsigned char *b, *o;
    size_t n = 0, cap = 1 << 16, k, i, m;
    if (argc != 4)
        return 2;
    r.s = strtoull(argv[1], NULL, 10) * 0x9E3779B97F4A7C15ULL + 1;
    if (!(f = fopen(argv[2], "rb")) || !(b = malloc(cap)))
        return 2;
    while ((k = fread(b + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap && !(b = realloc(b, cap *= 2)))
            return 2;
    }
    fclose(f);
    if (!(o = malloc(2 * n + 4096)))
        return 2;
    m = 0;
    if (n == 0) {
        o[m++] = 'x';
    } else {
        size_t at = (size_t)(rng_next(&r) % n), len = 1 + (size_t)(rng_next(&r) % (n - at < 4096 ? n - at : 4096));
        switch (rng_next(&r) % 6) {
        case 0: /* flip a few bytes */
            memcpy(o, b, n);
            m = n;
            for (i = 0; i < 1 + rng_next(&r) % 16; i++)
                o[rng_next(&r) % n] ^= (unsigned char)(1 + rng_next(&r) % 255);
            break;
        case 1: /* cut */
            memcpy(o, b, at);
            m = at;
            break;
        case 2: /* insert random bytes */
            memcpy(o, b, at);
            m = at;
            for (i = 0; i < len; i++)
                o[m++] = (unsigned char)rng_next(&r);
            memcpy(o + m, b + at, n - at);
            m += n - at;
            break;
        case 3: /* duplicate a stretch */
            memcpy(o, b, at + len);
            m = at + len;
            memcpy(o + m, b + at, n - at);
            m += n - at;
            break;
        case 4: /* drop a stretch */
            memcpy(o, b, at);
            m = at;
            memcpy(o + m, b + at + len, n - at - len);
            m += n - at - len;
            break;
        default: /* a digit becomes a very long number */
            memcpy(o, b, n);
            m = n;
            for (i = at; i < n && !(b[i] >= '0' && b[i] <= '9'); i++)
                ;
            if (i < n) {
                static const char big[] = "179769313486231570000000000000000000000000";
                memmove(o + i + sizeof big - 1, o + i, m - i);
                memcpy(o + i, big, sizeof big - 1);
                m += sizeof big - 1;
            }
            break;
        }
    }
    if (!(f = fopen(argv[3], "wb")) || fwrite(o, 1, m, f) != m || fclose(f) != 0)
        return 2;
    free(b);
    free(o);
    return 0;
}
