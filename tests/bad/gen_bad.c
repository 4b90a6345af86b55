/* gen_bad.c - writes the malformed logs of tests/bad/expect.txt into a
 * directory: every kind of bad input the hardening issue lists, made here
 * (deterministic) rather than checked in, some of them large. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "blgwrite.h"

static const char *dir;

static FILE *open_out(const char *name)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(f = fopen(path, "wb"))) {
        perror(path);
        exit(1);
    }
    return f;
}

static void text(const char *name, const char *s)
{
    FILE *f = open_out(name);
    fputs(s, f);
    fclose(f);
}

#define HDR "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\",\"\\\\SRV\\Process(app)\\Private Bytes\",\"\\\\SRV\\Memory\\Pool Paged Bytes\"\r\n"
#define ROW(m, a, b) "\"01/15/2026 08:" m ":00.000\",\"" a "\",\"" b "\"\r\n"

/* A valid log of n rows (CRLF, or LF when lf). */
static void good_rows(FILE *f, int n, int lf)
{
    int i;
    for (i = 0; i < n; i++)
        fprintf(f, "\"01/15/2026 %02d:%02d:00.000\",\"%d\",\"%d\"%s", 8 + i / 60, i % 60,
                50000000 + i * 1000, 200000000 + i, lf ? "\n" : "\r\n");
}

int main(int argc, char **argv)
{
    FILE *f;
    int i;
    if (argc != 2) {
        fprintf(stderr, "usage: gen_bad DIR\n");
        return 2;
    }
    dir = argv[1];
    text("empty.csv", "");
    /* Random bytes (a fixed xorshift sequence), named like a .blg. */
    f = open_out("random.blg");
    {
        uint32_t x = 2463534242u;
        for (i = 0; i < 4096; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            fputc((int)(x & 0xFF), f);
        }
    }
    fclose(f);
    text("plain.csv", "host,pid,rss\nweb1,4242,100\nweb2,4343,200\n");
    /* NUL bytes after a valid start. */
    f = open_out("nul-after-start.csv");
    fputs(HDR, f);
    good_rows(f, 30, 0);
    for (i = 0; i < 600; i++)
        fputc(0, f);
    fclose(f);
    /* A .blg name, a buffer size that is one, and a wrong first event. */
    f = open_out("wrong-magic.blg");
    {
        tb_log l;
        tb_example_log(&l, 4096, 100000, 0);
        l.out.p[0x4B] = 0x00;
        fwrite(l.out.p, 1, l.out.n, f);
        fclose(f);
        /* Only the start of a .blg header. */
        f = open_out("truncated-header.blg");
        l.out.p[0x4B] = 0xC0;
        fwrite(l.out.p, 1, 0x60, f);
        fclose(f);
        /* A .blg cut in the middle of its last sample. */
        f = open_out("truncated-sample.blg");
        {
            size_t cut = l.out.n - 4;
            while (cut > 0 && memcmp(l.out.p + cut, "BL\x03\x00", 4) != 0)
                cut--;
            fwrite(l.out.p, 1, cut + 20, f);
        }
        fclose(f);
        tb_free(&l.out);
    }
    text("pdh-bin.blg", "PDH-BIN \x01\x00\x00\x00 old binary log");
    /* A CSV cut in the middle of a row (log still being written). */
    f = open_out("cut-mid-row.csv");
    fputs(HDR, f);
    good_rows(f, 30, 0);
    fputs("\"01/15/2026 09:00:00.000\",\"5012", f);
    fclose(f);
    text("few-cells.csv", HDR ROW("00", "1", "2") "\"01/15/2026 08:01:00.000\",\"3\"\r\n" ROW("02", "5", "6"));
    text("many-cells.csv", HDR ROW("00", "1", "2") "\"01/15/2026 08:01:00.000\",\"3\",\"4\",\"9\"\r\n" ROW("02", "5", "6"));
    text("bad-values.csv", HDR ROW("00", "1", "2") ROW("01", "abc", "-") ROW("02", "5", "6"));
    f = open_out("lf-only.csv");
    fputs("\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\",\"\\\\SRV\\Process(app)\\Private Bytes\",\"\\\\SRV\\Memory\\Pool Paged Bytes\"\n", f);
    good_rows(f, 30, 1);
    fclose(f);
    f = open_out("bom-utf8.csv");
    fputs("\xEF\xBB\xBF" HDR, f);
    good_rows(f, 30, 0);
    fclose(f);
    /* UTF-16LE with its BOM: every byte of the ASCII log followed by NUL. */
    f = open_out("bom-utf16le.csv");
    {
        char buf[8192];
        FILE *m = fmemopen(buf, sizeof buf, "w");
        size_t n, k;
        fputs(HDR, m);
        good_rows(m, 30, 0);
        n = (size_t)ftell(m);
        fclose(m);
        fputc(0xFF, f);
        fputc(0xFE, f);
        for (k = 0; k < n; k++) {
            fputc(buf[k], f);
            fputc(0, f);
        }
    }
    fclose(f);
    /* Two segments out of order: the later hour first. */
    text("time-backwards.csv", HDR "\"01/15/2026 09:00:00.000\",\"5\",\"6\"\r\n\"01/15/2026 09:01:00.000\",\"5\",\"6\"\r\n"
                               ROW("00", "1", "2") ROW("01", "3", "4"));
    /* 20 000 columns. */
    f = open_out("wide-20000.csv");
    fputs("\"(PDH-CSV 4.0) (UTC)(0)\"", f);
    for (i = 0; i < 20000; i++)
        fprintf(f, ",\"\\\\SRV\\Process(p%d)\\Private Bytes\"", i);
    fputs("\r\n", f);
    for (int r = 0; r < 3; r++) {
        fprintf(f, "\"01/15/2026 08:0%d:00.000\"", r);
        for (i = 0; i < 20000; i++)
            fprintf(f, ",\"%d\"", 1000 + i + r);
        fputs("\r\n", f);
    }
    fclose(f);
    /* A single 5 MB field (a value), and one over the 16 MiB limit. */
    f = open_out("field-5mb.csv");
    fputs(HDR ROW("00", "1", "2") "\"01/15/2026 08:01:00.000\",\"", f);
    for (i = 0; i < 5 << 20; i++)
        fputc('7', f);
    fputs("\",\"4\"\r\n" ROW("02", "5", "6"), f);
    fclose(f);
    f = open_out("field-17mb.csv");
    fputs(HDR "\"01/15/2026 08:01:00.000\",\"", f);
    for (i = 0; i < 17 << 20; i++)
        fputc('7', f);
    fputs("\",\"4\"\r\n", f);
    fclose(f);
    /* 250 000 columns: over the 200 000 limit. */
    f = open_out("wide-250000.csv");
    fputs("\"(PDH-CSV 4.0) (UTC)(0)\"", f);
    for (i = 0; i < 250000; i++)
        fprintf(f, ",\"\\\\S\\P(p%d)\\X\"", i);
    fputs("\r\n", f);
    fclose(f);
    text("bad-timestamps.csv", HDR "\"yesterday\",\"1\",\"2\"\r\n\"2026-01-15 08:00\",\"1\",\"2\"\r\n");
    text("header-only.csv", HDR);
    return 0;
}
