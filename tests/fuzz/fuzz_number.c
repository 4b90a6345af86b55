/* fuzz_number.c - libFuzzer target for the exact number path: whatever it
 * accepts must be, bit for bit, what strtod makes of the same text, and
 * pl_parse_value must agree with strtod on every number it reads. The
 * input is the text of one cell. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "perfleak/import.h"
#include "util/internal.h"
#include "read/number.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char buf[128];
    double fast, v;
    if (size >= sizeof buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    if (memchr(buf, '\0', size))
        return 0; /* strtod would stop at the NUL */
    if (pl_parse_value_fast(buf, size, &fast) && memcmp(&fast, &(double){strtod(buf, NULL)}, sizeof fast) != 0)
        abort();
    if (pl_parse_value(buf, size, &v) == 1 && size && buf[0] != ' ' && buf[size - 1] != ' ' &&
        v != strtod(buf, NULL))
        abort();
    return 0;
}
