/* test_plot.c - charts: valid PNGs of the promised size that are not
 * blank, byte-identical on every run, one per leak, embedded in the HTML
 * report, referenced by the Markdown one; odd inputs still chart. */
#include <math.h>
#include <png.h>
#include <unistd.h>
#include "testutil.h"
#include "judged.h"
#include "perfleak/plot.h"
#include "perfleak/report.h"
#include "chart/chart_internal.h"
#include "chart/fonts.h"

/* A log of n rows (one a minute) whose cells come from cell(row, col). */
static pl_analysis *make_log(const char *header_paths, int ncols, int rows,
                             void (*cell)(int r, int c, char *buf, size_t size))
{
    size_t cap = (size_t)rows * (size_t)(ncols + 1) * 32 + 4096, n;
    char *buf = malloc(cap), v[64];
    const char *all[] = {"*"};
    pl_analysis_opts o;
    pl_analysis *a;
    pl_error err;
    int r, c;
    n = (size_t)snprintf(buf, cap, "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\",%s\r\n", header_paths);
    for (r = 0; r < rows; r++) {
        long s = (long)r * 60;
        n += (size_t)snprintf(buf + n, cap - n, "\"%02ld/%02ld/2026 %02ld:%02ld:00.000\"",
                              3 + s / (31 * 86400), 1 + s / 86400 % 31, s / 3600 % 24, s / 60 % 60);
        for (c = 0; c < ncols; c++) {
            cell(r, c, v, sizeof v);
            n += (size_t)snprintf(buf + n, cap - n, ",\"%s\"", v);
        }
        n += (size_t)snprintf(buf + n, cap - n, "\r\n");
    }
    pl_analysis_opts_init(&o);
    o.include = all;
    o.n_include = 1;
    assert_int_equal(pl_analysis_create(&a, &o, &err), PL_OK);
    assert_int_equal(pl_analysis_read_buffer(a, "t.csv", buf, n, 0, &err), PL_OK);
    assert_int_equal(pl_analysis_detect(a, &err), PL_OK);
    free(buf);
    return a;
}

static void two_leaks(int r, int c, char *b, size_t size)
{
    /* a leak, a flat counter, a faster leak */
    double v = c == 0 ? 10485760.0 + r * 50000.0 + (r * 7919 % 13) * 20000.0
             : c == 1 ? 300000000.0 + (r * 104729 % 17) * 100000.0
                      : 50000000.0 + r * 90000.0;
    snprintf(b, size, "%.0f", v);
}

static const char two_paths[] = "\"\\\\SRV\\Process(svc)\\Private Bytes\",\"\\\\SRV\\Memory\\Pool Paged Bytes\","
                                "\"\\\\SRV\\Process(app)\\Working Set\"";

static unsigned char *render(const pl_analysis *a, size_t i, int summary, pl_chart_format f,
                             size_t *len)
{
    char *text = NULL;
    FILE *m = open_memstream(&text, len);
    pl_error err;
    assert_non_null(m);
    if (summary) {
        pl_diagnosis *d;
        pl_result r;
        assert_int_equal(pl_diagnose(a, &d, &err), PL_OK);
        r.analysis = a;
        r.diagnosis = d;
        assert_int_equal(pl_chart_summary(&r, f, m, &err), PL_OK);
        pl_diagnosis_free(d);
    } else
        assert_int_equal(pl_chart_counter(a, i, f, m, &err), PL_OK);
    fclose(m);
    return (unsigned char *)text;
}

/* Decodes a PNG from memory; returns its size and distinct colours. */
typedef struct png_mem { const unsigned char *p; size_t len, off; } png_mem;

static void png_read_mem(png_structp ps, png_bytep out, png_size_t n)
{
    png_mem *m = png_get_io_ptr(ps);
    if (m->off + n > m->len)
        png_error(ps, "short");
    memcpy(out, m->p + m->off, n);
    m->off += n;
}

static void png_info_of(const unsigned char *p, size_t len, unsigned *w, unsigned *h, size_t *colours)
{
    png_mem m = {p, len, 0};
    png_structp ps = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop pi = png_create_info_struct(ps);
    unsigned char *seen = calloc(1 << 21, 1), *row;
    unsigned y, x;
    assert_int_equal(png_sig_cmp(p, 0, 8), 0);
    if (setjmp(png_jmpbuf(ps)))
        fail_msg("libpng could not read the chart");
    png_set_read_fn(ps, &m, png_read_mem);
    png_read_info(ps, pi);
    *w = png_get_image_width(ps, pi);
    *h = png_get_image_height(ps, pi);
    assert_int_equal(png_get_color_type(ps, pi), PNG_COLOR_TYPE_RGB);
    row = malloc((size_t)*w * 3);
    *colours = 0;
    for (y = 0; y < *h; y++) {
        png_read_row(ps, row, NULL);
        for (x = 0; x < *w; x++) {
            /* 7 bits a channel is plenty to count shades */
            unsigned k = (unsigned)(row[x * 3] >> 1) << 14 | (unsigned)(row[x * 3 + 1] >> 1) << 7 | (row[x * 3 + 2] >> 1);
            if (!(seen[k >> 3] & (1 << (k & 7)))) {
                seen[k >> 3] |= (unsigned char)(1 << (k & 7));
                (*colours)++;
            }
        }
    }
    png_read_end(ps, NULL);
    png_destroy_read_struct(&ps, &pi, NULL);
    free(row);
    free(seen);
}

static void test_png_valid_and_deterministic(void **state)
{
    pl_analysis *a = make_log(two_paths, 3, 3000, two_leaks);
    size_t l1, l2, colours;
    unsigned w, h;
    unsigned char *p1, *p2;
    (void)state;
    assert_int_equal(pl_analysis_leak_count(a), 2);
    p1 = render(a, 0, 0, PL_CHART_PNG, &l1);
    p2 = render(a, 0, 0, PL_CHART_PNG, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(p1, p2, l1);
    png_info_of(p1, l1, &w, &h, &colours);
    assert_int_equal(w, 1200);
    assert_int_equal(h, 640);
    /* the palette has 12 colours: an aliased chart shows no more, a
     * blank one 1; anti-aliased edges add the shades between them */
    assert_true(colours > 40);
    free(p1);
    free(p2);
    p1 = render(a, 0, 1, PL_CHART_PNG, &l1);
    png_info_of(p1, l1, &w, &h, &colours);
    assert_int_equal(w, 1200);
    assert_true(h > 300);
    assert_true(colours > 40);
    free(p1);
    /* SVG is deterministic too, and sized in pixels */
    p1 = render(a, 2, 0, PL_CHART_SVG, &l1);
    p2 = render(a, 2, 0, PL_CHART_SVG, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(p1, p2, l1);
    assert_non_null(strstr((char *)p1, "<svg"));
    assert_non_null(strstr((char *)p1, "width=\"1200\" height=\"640\""));
    free(p1);
    free(p2);
    pl_analysis_free(a);
}

static int exists(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, R_OK) == 0;
}

static void test_dir_html_markdown(void **state)
{
    pl_analysis *a = make_log(two_paths, 3, 3000, two_leaks);
    char dir[] = "/tmp/perfleak-plot-XXXXXX", name[256], path[1024], *html, *md;
    size_t len = 0, *order, i, svgs = 0;
    pl_error err;
    const char *p;
    (void)state;
    assert_non_null(mkdtemp(dir));
    assert_int_equal(tu_report_write_dir(a, dir, PL_CHARTS_FINDINGS, &err), PL_OK);
    assert_true(exists(dir, "summary.png"));
    assert_int_equal(pl_analysis_order(a, &order, &err), PL_OK);
    snprintf(path, sizeof path, "%s/report.md", dir);
    md = tu_read_file(path, &len);
    md = realloc(md, len + 1);
    md[len] = '\0';
    assert_non_null(strstr(md, "![summary of the findings](summary.png)"));
    for (i = 0; i < 3; i++) {
        int leak = pl_analysis_counter(a, order[i])->finding.verdict == PL_VERDICT_LEAK;
        pl_chart_file_name(a, order[i], i + 1, "png", name, sizeof name);
        /* every leak has its chart and the Markdown shows it; nothing else */
        assert_int_equal(exists(dir, name), leak);
        assert_int_equal(strstr(md, name) != NULL, leak);
    }
    pl_chart_file_name(a, order[0], 1, "png", name, sizeof name);
    assert_string_equal(name, "leak-01-svc-private-bytes-on-srv.png"); /* +1430% beats +540% */
    snprintf(path, sizeof path, "%s/report.html", dir);
    html = tu_read_file(path, &len);
    html = realloc(html, len + 1);
    html[len] = '\0';
    for (p = html; (p = strstr(p, "<svg")) != NULL; p++)
        svgs++;
    assert_int_equal(svgs, 2);
    /* self-contained: no file, script or remote reference */
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "<?xml"));
    free(html);
    free(md);
    free(order);
    {
        char cmd[1100];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        assert_int_equal(system(cmd), 0);
    }
    pl_analysis_free(a);
}

static void one_sample(int r, int c, char *b, size_t size) { (void)r; (void)c; snprintf(b, size, "12345678"); }
static void all_missing(int r, int c, char *b, size_t size) { (void)r; snprintf(b, size, c ? "%d" : " ", 1000 + r); }
static void huge(int r, int c, char *b, size_t size) { (void)c; snprintf(b, size, "%.0f", 2.4e14 + r * 1e9); }
static void negative(int r, int c, char *b, size_t size) { (void)c; snprintf(b, size, "%.2f", -500.0 + r * 0.3 + (r % 7)); }
static void month(int r, int c, char *b, size_t size)
{
    (void)c;
    snprintf(b, size, "%.0f", 3e8 + r * 1000.0 + 6e7 * sin(r / 229.18));
}

/* valid numbers no counter can hold, in a growing series */
static void extreme(int r, int c, char *b, size_t size)
{
    (void)c;
    if (r == 100)
        snprintf(b, size, "1.7976931348623157e308");
    else if (r == 200)
        snprintf(b, size, "-1e308");
    else
        snprintf(b, size, "%.0f", 5e7 + r * 1e5);
}

static void chart_ok(pl_analysis *a)
{
    size_t i, len, colours;
    unsigned w, h;
    for (i = 0; i < pl_analysis_counter_count(a); i++) {
        unsigned char *p = render(a, i, 0, PL_CHART_PNG, &len);
        png_info_of(p, len, &w, &h, &colours);
        assert_int_equal(w, 1200);
        assert_true(colours > 15); /* more than the palette: not blank, anti-aliased */
        free(p);
    }
    free(render(a, 0, 1, PL_CHART_PNG, &len));
}

static void test_odd_inputs(void **state)
{
    pl_analysis *a;
    (void)state;
    chart_ok(a = make_log("\"\\\\H\\Process(a)\\Private Bytes\"", 1, 1, one_sample));
    pl_analysis_free(a);
    chart_ok(a = make_log("\"\\\\H\\Process(a)\\Private Bytes\",\"\\\\H\\Process(b)\\Handle Count\"", 2, 200, all_missing));
    pl_analysis_free(a);
    chart_ok(a = make_log("\"\\\\H\\Process(_Total)\\Virtual Bytes\"", 1, 500, huge));
    pl_analysis_free(a);
    chart_ok(a = make_log("\"\\\\H\\Custom\\Balance\"", 1, 1000, negative));
    pl_analysis_free(a);
    /* the largest double once: set aside, and the charts still finish
     * (it crashed libplot, or looped adding axis labels, before) */
    chart_ok(a = make_log("\"\\\\H\\Process(a)\\Private Bytes\"", 1, 400, extreme));
    assert_int_equal(pl_series_get_stats(pl_store_series(pl_analysis_store(a), 0))->missing, 2);
    assert_true(pl_series_get_stats(pl_store_series(pl_analysis_store(a), 0))->max < 1e9);
    pl_analysis_free(a);
    /* thirty days a minute apart: 43 200 rows through 2048 buckets */
    chart_ok(a = make_log("\"\\\\H\\Process(w3wp)\\Private Bytes\"", 1, 43200, month));
    pl_analysis_free(a);
    /* a Russian counter charts under its English name, and its file name
     * is readable */
    {
        char name[256];
        a = make_log("\"\\\\DESKTOP\\Процесс(svchost)\\Рабочий набор\"", 1, 300, negative);
        chart_ok(a);
        pl_chart_file_name(a, 0, 1, "png", name, sizeof name);
        assert_string_equal(name, "leak-01-svchost-working-set-on-desktop.png");
        pl_analysis_free(a);
        /* a Chinese one too; the instance's characters, which the fonts
         * lack, are written as code points, never as '?' */
        a = make_log("\"\\\\SRV\\进程(服务)\\工作集\"", 1, 300, negative);
        chart_ok(a);
        pl_chart_file_name(a, 0, 1, "png", name, sizeof name);
        assert_string_equal(name, "leak-01-u670d-u52a1-working-set-on-srv.png");
        pl_analysis_free(a);
        /* accented Latin letters keep their base letter: "café", not "caf" */
        a = make_log("\"\\\\SRV\\Process(café-Übersicht)\\Private Bytes\"", 1, 300, negative);
        chart_ok(a);
        pl_chart_file_name(a, 0, 1, "png", name, sizeof name);
        assert_string_equal(name, "leak-01-cafe-ubersicht-private-bytes-on-srv.png");
        pl_analysis_free(a);
    }
}

/* A chart of several counters names what they share in its title and
 * labels each line by what differs: two counters of one process are told
 * apart by counter, not both called by the process' name. */
static void test_several_names(void **state)
{
    static const char three[] = "\"\\\\SRV\\Process(sqlservr)\\Working Set\",\"\\\\SRV\\Process(sqlservr)\\Private Bytes\","
                                "\"\\\\SRV\\Process(w3wp#2)\\Private Bytes\"";
    pl_analysis *a = make_log(three, 3, 100, two_leaks);
    size_t same_inst[] = {0, 1}, same_counter[] = {1, 2}, all[] = {0, 1, 2};
    char title[256], labels[3][96];
    (void)state;
    pl_chart_several_names(a, same_inst, 2, title, sizeof title, labels, 3);
    assert_string_equal(title, "sqlservr - 2 counters on SRV");
    assert_string_equal(labels[0], "Working Set");
    assert_string_equal(labels[1], "Private Bytes");
    pl_chart_several_names(a, same_counter, 2, title, sizeof title, labels, 3);
    assert_string_equal(title, "Private Bytes: 2 counters on SRV");
    assert_string_equal(labels[0], "sqlservr");
    assert_string_equal(labels[1], "w3wp#2");
    pl_chart_several_names(a, all, 3, title, sizeof title, labels, 2);
    assert_string_equal(title, "3 counters on SRV");
    assert_string_equal(labels[1], "sqlservr: Private Bytes");
    pl_analysis_free(a);
}

/* The rows of ink s leaves on a white image drawn at 40 px an em. */
static int ink_rows(pl_fonts *f, const char *s, int *dark)
{
    enum { W = 400, H = 80 };
    static unsigned char img[W * H * 3];
    int rows = 0, y, x;
    memset(img, 255, sizeof img);
    pl_fonts_draw(f, img, W, H, 10, 60, 0, 40, 0, 0, 0, s);
    *dark = 0;
    for (y = 0; y < H; y++) {
        int any = 0;
        for (x = 0; x < W; x++)
            if (img[(y * W + x) * 3] < 128) {
                any = 1;
                (*dark)++;
            }
        rows += any;
    }
    return rows;
}

/* Chart text is a real font: "l" stands taller than "I" (the Hershey
 * font drew "lsass" as "Isass"), a Japanese name is drawn as its glyphs,
 * full width each, not as code points; and an SVG chart carries it as
 * UTF-8 text under a title that says what it shows. */
static void test_chart_fonts(void **state)
{
    pl_fonts *f;
    pl_error err;
    int dl, di, dj, rl = 0, ri = 0, rj = 0;
    double w;
    (void)state;
    assert_int_equal(pl_fonts_open(&f, &err), PL_OK);
    rl = ink_rows(f, "l", &dl);
    ri = ink_rows(f, "I", &di);
    assert_true(rl > ri);
    assert_true(dl > 0 && di > 0);
    /* four katakana, each a full em wide, drawn from a fallback font */
    w = pl_fonts_width(f, 0, 40, "\xe3\x82\xb5\xe3\x83\xbc\xe3\x83\x93\xe3\x82\xb9");
    assert_true(w > 4 * 40 * 0.9 && w < 4 * 40 * 1.1);
    rj = ink_rows(f, "\xe3\x82\xb5", &dj);
    assert_true(rj > 15 && dj > 60);
    assert_true(pl_fonts_width(f, 1, 40, "lsass") > pl_fonts_width(f, 0, 40, "lsass"));
    pl_fonts_close(f);
    {
        pl_analysis *a = make_log("\"\\\\SRV\\Process(\xe3\x82\xb5\xe3\x83\xbc\xe3\x83\x93\xe3\x82\xb9)\\Private Bytes\"", 1, 300, negative);
        size_t len;
        char *svg = (char *)render(a, 0, 0, PL_CHART_SVG, &len), *t;
        svg = realloc(svg, len + 1);
        svg[len] = '\0';
        assert_non_null(strstr(svg, "encoding=\"UTF-8\""));
        assert_non_null(strstr(svg, "<title>\xe3\x82\xb5\xe3\x83\xbc\xe3\x83\x93\xe3\x82\xb9 - Private Bytes on SRV</title>"));
        t = strstr(svg, ">\xe3\x82\xb5\xe3\x83\xbc\xe3\x83\x93\xe3\x82\xb9 - Private Bytes on SRV</text>");
        assert_non_null(t);
        assert_null(strstr(svg, "U+30B5"));
        free(svg);
        pl_analysis_free(a);
    }
}

static void levels(int r, int c, char *b, size_t size)
{
    snprintf(b, size, "%.0f", 1e7 * (c + 1) + r * 1000.0);
}

/* A chart of 20 counters: the legend names the highest first and says
 * how many more it has no room for, and no two lines look alike (eight
 * colours, then the same dashed). */
static void test_legend_and_colours(void **state)
{
    char hdr[4096];
    size_t o = 0, idx[20], i, len, colours = 0, dashed = 0;
    char *svg, *p, seen[20][8];
    pl_analysis *a;
    pl_error err;
    FILE *m;
    (void)state;
    for (i = 0; i < 20; i++)
        o += (size_t)snprintf(hdr + o, sizeof hdr - o, "%s\"\\\\SRV\\Process(p%02zu)\\Private Bytes\"", i ? "," : "", i);
    a = make_log(hdr, 20, 200, levels);
    for (i = 0; i < 20; i++)
        idx[i] = i;
    svg = NULL;
    m = open_memstream(&svg, &len);
    assert_int_equal(pl_chart_counters(a, idx, 20, PL_CHART_SVG, m, &err), PL_OK);
    fclose(m);
    assert_non_null(strstr(svg, ">Private Bytes: 20 counters on SRV</text>"));
    /* the highest line, p19, is named first; the rest are counted */
    p = strstr(svg, ">p19</text>");
    assert_non_null(p);
    assert_null(strstr(svg, ">p00</text>"));
    p = strstr(svg, " more</text>");
    assert_non_null(p);
    while (p > svg && p[-1] != '+')
        p--;
    assert_true(atoi(p) >= 1 && atoi(p) < 20);
    /* the lines' colours: every one of the eight, and dashes past them */
    for (p = svg; (p = strstr(p, "<polyline")) != NULL; p++) {
        char *st = strstr(p, "stroke=\"#"), *end = strchr(p, '>');
        size_t k;
        if (!st || st > end)
            continue;
        for (k = 0; k < colours && memcmp(seen[k], st + 8, 7) != 0; k++)
            ;
        if (k == colours && colours < 20)
            memcpy(seen[colours++], st + 8, 7);
        dashed += strstr(p, "stroke-dasharray") && strstr(p, "stroke-dasharray") < end;
    }
    assert_true(colours >= 8);
    assert_true(dashed >= 1);
    free(svg);
    pl_analysis_free(a);
}

/* A long instance name gives way in its middle; the counter and the
 * machine stay in the chart's title (it lost the counter before). */
static void test_long_title(void **state)
{
    pl_analysis *a = make_log("\"\\\\WEB01\\Process(w3wp_DefaultAppPool_with_a_very_long_application_pool_identity_name_for_the_contoso_intranet_portal_v2)\\Private Bytes\"",
                              1, 300, negative);
    size_t len;
    char *svg = (char *)render(a, 0, 0, PL_CHART_SVG, &len), *t, *end;
    (void)state;
    svg = realloc(svg, len + 1);
    svg[len] = '\0';
    t = strstr(svg, "\"bold\">w3wp_Default"); /* the title text, not <title> */
    assert_non_null(t);
    end = strstr(t, "</text>");
    assert_non_null(end);
    *end = '\0';
    assert_non_null(strstr(t, "..."));
    assert_non_null(strstr(t, "portal_v2 - Private Bytes on WEB01"));
    free(svg);
    pl_analysis_free(a);
}

static void test_several_counters(void **state)
{
    pl_analysis *a = make_log(two_paths, 3, 500, two_leaks);
    size_t idx[] = {0, 2}, mixed[] = {0, 1}, len;
    char *text = NULL;
    FILE *m = open_memstream(&text, &len);
    pl_error err;
    (void)state;
    /* Private Bytes and Working Set share bytes; Pool Paged Bytes too, in
     * bytes, so build a mixed pair from a handle counter instead */
    assert_int_equal(pl_chart_counters(a, idx, 2, PL_CHART_PNG, m, &err), PL_OK);
    fclose(m);
    assert_true(len > 1000);
    free(text);
    pl_analysis_free(a);
    a = make_log("\"\\\\H\\Process(a)\\Private Bytes\",\"\\\\H\\Process(b)\\Handle Count\"", 2, 200, all_missing);
    m = open_memstream(&text, &len);
    assert_int_equal(pl_chart_counters(a, mixed, 2, PL_CHART_PNG, m, &err), PL_EUSAGE);
    assert_non_null(strstr(err.msg, "different units"));
    fclose(m);
    free(text);
    pl_analysis_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_valid_and_deterministic),
        cmocka_unit_test(test_dir_html_markdown),
        cmocka_unit_test(test_odd_inputs),
        cmocka_unit_test(test_several_names),
        cmocka_unit_test(test_chart_fonts),
        cmocka_unit_test(test_legend_and_colours),
        cmocka_unit_test(test_long_title),
        cmocka_unit_test(test_several_counters),
    };
    tu_filter();
    return cmocka_run_group_tests_name("plot", tests, NULL, NULL);
}
