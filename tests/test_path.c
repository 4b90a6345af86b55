/* test_path.c - counter paths split into parts, and wildcard selection. */
#include "testutil.h"
#include "perfleak/path.h"

static void expect(const char *s, const char *machine, const char *object, const char *parent,
                   const char *instance, int index, const char *counter)
{
    pl_path p;
    pl_error err;
    assert_int_equal(pl_path_parse(s, &p, &err), PL_OK);
#define PART(got, want) do { if (want) assert_string_equal(got, want); else assert_null(got); } while (0)
    PART(p.machine, machine);
    PART(p.object, object);
    PART(p.parent, parent);
    PART(p.instance, instance);
    PART(p.counter, counter);
#undef PART
    assert_int_equal(p.index, index);
    pl_path_clear(&p);
}

static void test_parse(void **state)
{
    (void)state;
    expect("\\\\SRV01\\Process(services)\\Private Bytes", "SRV01", "Process", NULL, "services", -1, "Private Bytes");
    expect("\\\\HOST\\Memory\\Pool Paged Bytes", "HOST", "Memory", NULL, NULL, -1, "Pool Paged Bytes");
    expect("Process(AnyDesk#2)\\Virtual Bytes", NULL, "Process", NULL, "AnyDesk", 2, "Virtual Bytes");
    expect("\\\\h\\Thread(explorer/12#1)\\% Processor Time", "h", "Thread", "explorer", "12", 1, "% Processor Time");
    expect("\\\\charlieparker\\network interface(intel[r] ethernet connection i218-lm)\\bytes total/sec",
           "charlieparker", "network interface", NULL, "intel[r] ethernet connection i218-lm", -1, "bytes total/sec");
    /* An instance holding parentheses and a backslash stays whole. */
    expect("\\\\h\\Process(svc (x)\\y)\\Working Set", "h", "Process", NULL, "svc (x)\\y", -1, "Working Set");
    /* '#' not followed by digits only is part of the name. */
    expect("\\\\h\\Process(C#app)\\Handle Count", "h", "Process", NULL, "C#app", -1, "Handle Count");
    expect("\\\\h\\Process(app#)\\Handle Count", "h", "Process", NULL, "app#", -1, "Handle Count");
    /* A Russian path: the English names, the log's kept beside them. */
    expect("\\\\DESKTOP\\Процесс(svchost#3)\\Рабочий набор", "DESKTOP", "Process", NULL, "svchost", 3, "Working Set");
    {
        pl_path p;
        pl_error err;
        int oom;
        char *en;
        assert_int_equal(pl_path_parse("\\\\DESKTOP\\Процесс(svchost#3)\\Рабочий набор", &p, &err), PL_OK);
        assert_string_equal(p.object_local, "Процесс");
        assert_string_equal(p.counter_local, "Рабочий набор");
        assert_string_equal(p.lang, "ru");
        en = pl_path_english(&p, &oom);
        assert_string_equal(en, "\\\\DESKTOP\\Process(svchost#3)\\Working Set");
        free(en);
        pl_path_clear(&p);
        /* An object translated but a counter not in the table: the
         * counter keeps its name. */
        assert_int_equal(pl_path_parse("Процесс(x)\\Что-то ещё", &p, &err), PL_OK);
        assert_string_equal(p.object, "Process");
        assert_string_equal(p.counter, "Что-то ещё");
        assert_null(p.counter_local);
        pl_path_clear(&p);
        /* English names are not translated. */
        assert_int_equal(pl_path_parse("\\\\H\\Memory\\Pool Paged Bytes", &p, &err), PL_OK);
        assert_null(p.object_local);
        assert_null(p.lang);
        assert_null(pl_path_english(&p, &oom));
        pl_path_clear(&p);
    }
    expect("\\\\h\\LogicalDisk(C:)\\Avg. Disk sec/Read", "h", "LogicalDisk", NULL, "C:", -1, "Avg. Disk sec/Read");
    /* an unbalanced "(" in an instance name, as Windows allows (one in a
     * .blg rejected the whole log) */
    expect("\\\\h\\Process(a(b)\\Private Bytes", "h", "Process", NULL, "a(b", -1, "Private Bytes");
    expect("\\\\h\\Process(x(y\\z)\\Handle Count", "h", "Process", NULL, "x(y\\z", -1, "Handle Count");
}

static void test_parse_errors(void **state)
{
    static const char *const bad[] = {"", "Memory", "\\\\", "\\\\host", "\\\\host\\Memory",
                                      "\\\\\\Memory\\x", "Memory\\", "\\Committed Bytes"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pl_path p;
        pl_error err;
        if (pl_path_parse(bad[i], &p, &err) != PL_EFORMAT)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_non_null(strstr(err.msg, "expected a counter path"));
    }
}

static void test_match(void **state)
{
    const char *pb = "\\\\SRV01\\Process(services)\\Private Bytes";
    (void)state;
    assert_true(pl_path_match("Process(*)\\Private Bytes", pb));
    assert_true(pl_path_match("process(*)\\private bytes", pb));
    assert_true(pl_path_match("*", pb));
    assert_true(pl_path_match("*Private*", pb));
    assert_true(pl_path_match("\\\\SRV01\\*", pb));
    assert_true(pl_path_match("\\\\srv0?\\Process(serv*)\\*Bytes", pb));
    assert_false(pl_path_match("\\\\SRV02\\*", pb));
    assert_false(pl_path_match("Process(*)\\Working Set", pb));
    assert_false(pl_path_match("Private Bytes", pb));
    assert_true(pl_path_match("Memory\\*", "\\\\h\\Memory\\Pool Paged Bytes"));
    assert_true(pl_path_match("Memory\\*", "Memory\\Pool Paged Bytes"));
    /* Brackets are literal, not character classes. */
    assert_true(pl_path_match("network interface(intel[r]*)\\*",
                              "\\\\c\\network interface(intel[r] dual band)\\bytes total/sec"));
    assert_false(pl_path_match("network interface(intel[x]*)\\*",
                               "\\\\c\\network interface(intelr dual band)\\bytes total/sec"));
    /* Pathological patterns finish quickly. */
    assert_false(pl_glob_match("*a*a*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    assert_true(pl_glob_match("**?", "x"));
    assert_false(pl_glob_match("?", ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_match),
    };
    tu_filter();
    return cmocka_run_group_tests_name("path", tests, NULL, NULL);
}
