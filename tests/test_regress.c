/* test_regress.c - every input that once crashed a fuzz target, run again
 * through the same entry points (tests/fuzz/regress/: "import-*" through
 * the whole read path, "blg-*" through the .blg reader, "path-*" through
 * the path parser, "charts-*" through the charts, "names-*" through every
 * report with hostile names). Under make asan these also check for the undefined
 * behaviour that was found. */
#include <dirent.h>
#include "testutil.h"

#define LLVMFuzzerTestOneInput fuzz_import_one
#include "fuzz/fuzz_import.c"
#undef LLVMFuzzerTestOneInput
#define quiet quiet_blg
#define LLVMFuzzerTestOneInput fuzz_blg_one
#include "fuzz/fuzz_blg.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_path_one
#include "fuzz/fuzz_path.c"
#undef LLVMFuzzerTestOneInput
#undef quiet
#define quiet quiet_charts
#define LLVMFuzzerTestOneInput fuzz_charts_one
#include "fuzz/fuzz_charts.c"
#undef LLVMFuzzerTestOneInput
#undef quiet
#define quiet quiet_names
#define LLVMFuzzerTestOneInput fuzz_names_one
#include "fuzz/fuzz_names.c"
#undef LLVMFuzzerTestOneInput

static void test_regressions(void **state)
{
    DIR *d = opendir("tests/fuzz/regress");
    struct dirent *e;
    size_t n = 0;
    (void)state;
    assert_non_null(d);
    while ((e = readdir(d))) {
        char path[1024];
        char *buf;
        size_t len = 0;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "tests/fuzz/regress/%s", e->d_name);
        buf = tu_read_file(path, &len);
        assert_non_null(buf);
        if (strncmp(e->d_name, "import-", 7) == 0)
            fuzz_import_one((const uint8_t *)buf, len);
        else if (strncmp(e->d_name, "blg-", 4) == 0)
            fuzz_blg_one((const uint8_t *)buf, len);
        else if (strncmp(e->d_name, "path-", 5) == 0)
            fuzz_path_one((const uint8_t *)buf, len);
        else if (strncmp(e->d_name, "charts-", 7) == 0)
            fuzz_charts_one((const uint8_t *)buf, len);
        else if (strncmp(e->d_name, "names-", 6) == 0)
            fuzz_names_one((const uint8_t *)buf, len);
        else
            fail_msg("%s: name it import-, blg-, path-, charts- or names-", path);
        free(buf);
        n++;
    }
    closedir(d);
    assert_true(n >= 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regressions),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
