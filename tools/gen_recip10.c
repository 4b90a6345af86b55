/* gen_recip10.c - prints the table of reciprocal powers of ten that the
 * exact number path in src/read/number.h multiplies by: for f = 0..27,
 * floor(2^(127+e) / 10^f) as two 64-bit halves, with e the least integer
 * such that 2^e >= 10^f (so the top bit is set). Long division, one bit
 * at a time, so that nothing here can round. make check compares its
 * output with src/read/number_table.h. */
#include <stdio.h>

int main(void)
{
    int f;
    for (f = 0; f <= 27; f++) {
        unsigned __int128 d = 1, r = 0, q = 0;
        int e = 0, i;
        for (i = 0; i < f; i++)
            d *= 10;
        while (((unsigned __int128)1 << e) < d)
            e++;
        /* the dividend is a 1 followed by 127 + e zero bits */
        for (i = 0; i <= 127 + e; i++) {
            r = (r << 1) | (i == 0);
            q <<= 1;
            if (r >= d) {
                r -= d;
                q |= 1;
            }
        }
        printf("    {0x%016llxu, 0x%016llxu, %d},\n", (unsigned long long)(q >> 64),
               (unsigned long long)q, e);
    }
    return 0;
}
