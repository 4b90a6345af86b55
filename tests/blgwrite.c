/* blgwrite.c - writes .blg logs for tests and benchmarks (see blgwrite.h).
 * Aborts on out of memory: it is test code. */
#include <stdlib.h>
#include <string.h>
#include "blgwrite.h"

void tb_put(tb_bytes *b, const void *d, size_t n)
{
    if (b->n + n > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc < b->n + n)
            nc *= 2;
        b->p = realloc(b->p, nc);
        if (!b->p)
            abort();
        b->cap = nc;
    }
    if (d)
        memcpy(b->p + b->n, d, n);
    else
        memset(b->p + b->n, 0, n);
    b->n += n;
}

void tb_u16(tb_bytes *b, uint16_t v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    tb_put(b, x, 2);
}

void tb_u32(tb_bytes *b, uint32_t v)
{
    tb_u16(b, (uint16_t)v);
    tb_u16(b, (uint16_t)(v >> 16));
}

void tb_u64(tb_bytes *b, uint64_t v)
{
    tb_u32(b, (uint32_t)v);
    tb_u32(b, (uint32_t)(v >> 32));
}

void tb_wstr(tb_bytes *b, const char *s)
{
    /* Each byte becomes one UTF-16 unit: ASCII and Latin-1 only. */
    for (; *s; s++)
        tb_u16(b, (unsigned char)*s);
    tb_u16(b, 0);
}

void tb_align(tb_bytes *b, size_t a)
{
    while (b->n % a)
        tb_put(b, NULL, 1);
}

void tb_set32(tb_bytes *b, size_t at, uint32_t v)
{
    b->p[at] = (unsigned char)v;
    b->p[at + 1] = (unsigned char)(v >> 8);
    b->p[at + 2] = (unsigned char)(v >> 16);
    b->p[at + 3] = (unsigned char)(v >> 24);
}

void tb_free(tb_bytes *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

static void new_buffer(tb_log *l)
{
    l->buf_start = l->out.n;
    tb_put(&l->out, NULL, l->bufsize);
    tb_set32(&l->out, l->buf_start, l->bufsize);
    l->pos = 0x48;
    tb_set32(&l->out, l->buf_start + 0x30, (uint32_t)l->pos);
}

static void close_buffer(tb_log *l)
{
    if (l->pos + 4 <= l->bufsize)
        memset(l->out.p + l->buf_start + l->pos, 0xFF, l->bufsize - l->pos);
}

void tb_log_init(tb_log *l, uint32_t bufsize, int bias, const char *tzname)
{
    tb_bytes h = {0};
    size_t i;
    memset(l, 0, sizeof *l);
    l->bufsize = bufsize;
    new_buffer(l);
    /* Log-file header: 64-bit writer, the time zone after 0x68 bytes. */
    tb_u16(&h, 0);
    h.n = 0;
    tb_put(&h, NULL, 0x68);
    h.p[2] = 2;
    h.p[3] = 0xC0;
    tb_u32(&h, (uint32_t)bias);
    {
        tb_bytes name = {0};
        tb_wstr(&name, tzname ? tzname : "@tzres.dll,-212");
        for (i = name.n; i < 64; i++)
            tb_put(&name, NULL, 1);
        tb_put(&h, name.p, 64);
        tb_free(&name);
    }
    tb_put(&h, NULL, 16 + 4 + 64 + 16 + 4);
    tb_set32(&h, 4, (uint32_t)h.n);
    memcpy(l->out.p + l->buf_start + l->pos, h.p, h.n);
    l->pos += (h.n + 7) & ~(size_t)7;
    tb_set32(&l->out, l->buf_start + 0x30, (uint32_t)l->pos);
    tb_free(&h);
}

void tb_log_event(tb_log *l, int rt, int64_t ft, uint32_t part, uint32_t count,
                  const void *payload, size_t n)
{
    static const unsigned char provider[16] = {0xb3, 0x3b, 0x3f, 0x93, 0x3e, 0x94, 0x0d, 0x49,
                                               0x9c, 0xed, 0x3c, 0xbb, 0x14, 0xc1, 0x44, 0x79};
    size_t size = 0x48 + n;
    tb_bytes e = {0};
    if (l->pos + size > l->bufsize) {
        close_buffer(l);
        new_buffer(l);
    }
    tb_u16(&e, (uint16_t)size);
    tb_put(&e, (const unsigned char[]){0x14, 0xC0, (unsigned char)rt, 0}, 4);
    tb_u16(&e, 60);
    tb_u32(&e, 1234);
    tb_u32(&e, 5678);
    tb_u64(&e, (uint64_t)ft);
    tb_put(&e, provider, 16);
    tb_put(&e, NULL, 8);
    tb_put(&e, NULL, 16); /* log GUID */
    tb_u32(&e, part);
    tb_u32(&e, count);
    tb_put(&e, payload, n);
    memcpy(l->out.p + l->buf_start + l->pos, e.p, e.n);
    l->pos += (size + 7) & ~(size_t)7;
    tb_set32(&l->out, l->buf_start + 0x30, (uint32_t)(l->pos < l->bufsize ? l->pos : l->bufsize));
    tb_free(&e);
}

void tb_log_sample(tb_log *l, int64_t ft, const tb_bytes *s, size_t maxpart)
{
    size_t parts = (s->n + maxpart - 1) / maxpart, i;
    if (parts <= 1) {
        tb_log_event(l, 34, ft, 1, 1, s->p, s->n);
        return;
    }
    for (i = 0; i < parts; i++) {
        size_t off = i * maxpart, k = s->n - off < maxpart ? s->n - off : maxpart;
        tb_log_event(l, 34, ft, (uint32_t)i + 1, (uint32_t)parts, s->p + off, k);
    }
}

void tb_log_end(tb_log *l)
{
    close_buffer(l);
}

void tb_cat_begin(tb_bytes *c)
{
    tb_put(c, (const unsigned char[]){0xff, 0x06, 0, 0, 0x08, 0, 0x02, 0}, 8);
}

void tb_cat_entry(tb_bytes *c, uint32_t flags, uint32_t type, int64_t timebase,
                  const char *machine, const char *object, const char *parent,
                  const char *instance, uint32_t index, const char *counter)
{
    tb_bytes str = {0};
    size_t start = c->n;
    int32_t oo, io = -1, po = -1, co;
    tb_wstr(&str, machine);
    oo = (int32_t)str.n;
    tb_wstr(&str, object);
    if (instance) {
        io = (int32_t)str.n;
        tb_wstr(&str, instance);
    }
    if (parent) {
        po = (int32_t)str.n;
        tb_wstr(&str, parent);
    }
    co = (int32_t)str.n;
    tb_wstr(&str, counter);
    tb_align(&str, 8);
    tb_u32(c, 0); /* size, set below */
    tb_u32(c, flags);
    tb_u32(c, 0);
    tb_u32(c, type);
    tb_u64(c, (uint64_t)timebase);
    tb_u32(c, 0);
    tb_u32(c, 0);
    tb_u32(c, (uint32_t)oo);
    tb_u32(c, (uint32_t)io);
    tb_u32(c, (uint32_t)po);
    tb_u32(c, index);
    tb_u32(c, (uint32_t)co);
    tb_put(c, str.p, str.n);
    tb_set32(c, start, (uint32_t)(c->n - start));
    tb_free(&str);
}

void tb_sample_begin(tb_bytes *s)
{
    tb_put(s, "BL\x03\x00", 4);
    tb_u32(s, 0);
}

void tb_sample_end(tb_bytes *s)
{
    tb_set32(s, 4, (uint32_t)s->n);
}

void tb_sub_single(tb_bytes *s, uint32_t status, int64_t ft, int64_t first, int64_t second,
                   uint32_t multi)
{
    tb_put(s, "BL\x03\x01", 4);
    tb_u32(s, 48);
    tb_u32(s, status);
    tb_u64(s, (uint64_t)ft);
    tb_u32(s, 0);
    tb_u64(s, (uint64_t)first);
    tb_u64(s, (uint64_t)second);
    tb_u32(s, multi);
    tb_u32(s, 0);
}

void tb_sub_wildcard(tb_bytes *s, int64_t ft, const tb_item *items, size_t n)
{
    size_t start = s->n, i;
    tb_bytes names = {0};
    uint32_t *offs = malloc((n ? n : 1) * sizeof *offs);
    if (!offs)
        abort();
    for (i = 0; i < n; i++) {
        offs[i] = (uint32_t)(0x18 + n * 24 + names.n);
        tb_wstr(&names, items[i].name);
    }
    tb_align(&names, 8);
    tb_put(s, "BL\x03\x02", 4);
    tb_u32(s, 0);
    tb_u32(s, (uint32_t)(0x18 + n * 24 + names.n));
    tb_u32(s, (uint32_t)n);
    tb_u32(s, 0);
    tb_u32(s, 0);
    tb_u64(s, (uint64_t)ft);
    for (i = 0; i < n; i++) {
        tb_u32(s, offs[i]);
        tb_u32(s, 1);
        tb_u64(s, (uint64_t)items[i].first);
        tb_u64(s, (uint64_t)items[i].second);
    }
    tb_put(s, names.p, names.n);
    tb_set32(s, start + 4, (uint32_t)(s->n - start));
    tb_free(&names);
    free(offs);
}

void tb_sub_object(tb_bytes *s, const tb_object *o)
{
    size_t start = s->n, blk, obj, i, k;
    int32_t ni = o->ninst < 0 ? 1 : o->ninst;
    tb_put(s, "BL\x03\x05", 4);
    tb_u32(s, 0);
    blk = s->n;
    /* PERF_DATA_BLOCK */
    tb_put(s, "P\0E\0R\0F\0", 8);
    tb_u32(s, 1);
    tb_u32(s, 1);
    tb_u32(s, 1);
    tb_u32(s, 0);   /* TotalByteLength, set below */
    tb_u32(s, 0);   /* HeaderLength, set below */
    tb_u32(s, 1);   /* NumObjectTypes */
    tb_u32(s, 0);
    tb_put(s, NULL, 16); /* SystemTime */
    tb_u32(s, 0);
    tb_u64(s, (uint64_t)o->perf_time);
    tb_u64(s, (uint64_t)o->perf_freq);
    tb_u64(s, (uint64_t)o->perf_time100ns);
    tb_u32(s, (uint32_t)(strlen(o->system) + 1) * 2);
    tb_u32(s, 0x58);
    tb_wstr(s, o->system);
    tb_align(s, 8);
    tb_set32(s, blk + 24, (uint32_t)(s->n - blk));
    /* PERF_OBJECT_TYPE */
    obj = s->n;
    tb_u32(s, 0);  /* TotalByteLength */
    tb_u32(s, 0);  /* DefinitionLength */
    tb_u32(s, 64); /* HeaderLength */
    tb_u32(s, o->obj);
    tb_u32(s, 0);
    tb_u32(s, o->obj + 1);
    tb_u32(s, 0);
    tb_u32(s, 100);
    tb_u32(s, o->ncounters);
    tb_u32(s, 0);
    tb_u32(s, (uint32_t)o->ninst);
    tb_u32(s, 0);
    tb_u64(s, (uint64_t)o->perf_time);
    tb_u64(s, (uint64_t)o->perf_freq);
    for (k = 0; k < o->ncounters; k++) {
        tb_u32(s, 40);
        tb_u32(s, o->names[k]);
        tb_u32(s, 0);
        tb_u32(s, o->names[k] + 1);
        tb_u32(s, 0);
        tb_u32(s, 0);
        tb_u32(s, 100);
        tb_u32(s, o->types[k]);
        tb_u32(s, 8);
        tb_u32(s, (uint32_t)(8 + k * 8));
    }
    tb_set32(s, obj + 4, (uint32_t)(s->n - obj));
    for (i = 0; i < (size_t)ni; i++) {
        if (o->ninst >= 0) {
            size_t in = s->n;
            tb_u32(s, 0);
            tb_u32(s, 0);
            tb_u32(s, 0);
            tb_u32(s, (uint32_t)-1);
            tb_u32(s, 24);
            tb_u32(s, (uint32_t)(strlen(o->inst[i]) + 1) * 2);
            tb_wstr(s, o->inst[i]);
            tb_align(s, 8);
            tb_set32(s, in, (uint32_t)(s->n - in));
        }
        tb_u32(s, (uint32_t)(8 + o->ncounters * 8));
        tb_u32(s, 0);
        for (k = 0; k < o->ncounters; k++)
            tb_u64(s, (uint64_t)o->values[i * o->ncounters + k]);
    }
    tb_set32(s, obj, (uint32_t)(s->n - obj));
    tb_set32(s, blk + 20, (uint32_t)(s->n - blk));
    tb_set32(s, start + 4, (uint32_t)(s->n - start));
}

void tb_names(tb_bytes *t, const char *machine, const uint32_t *idx, const char *const *names,
              size_t n)
{
    size_t i;
    tb_wstr(t, machine);
    for (i = 0; i < n; i++) {
        char num[16];
        int k = 0;
        uint32_t v = idx[i];
        char rev[16];
        do {
            rev[k++] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        for (int j = 0; j < k; j++)
            num[j] = rev[k - 1 - j];
        num[k] = 0;
        tb_wstr(t, num);
        tb_wstr(t, names[i]);
    }
}

#define FT0 132000000000000000LL /* 2019-04-17 18:40:00 local time */
#define SEC 10000000LL

/* Catalog: Memory\Available Bytes (single, raw), Memory\Page Faults/sec
 * (single, rate), Process(*)\Private Bytes (wildcard), the Process object
 * (whole-object: Working Set, ID Process) on an unnamed local machine. */
void tb_example_log(tb_log *l, uint32_t bufsize, size_t maxpart, int out_of_order)
{
    tb_bytes cat = {0}, names = {0};
    static const uint32_t idx[] = {230, 180, 784};
    static const char *const nm[] = {"Process", "Working Set", "ID Process"};
    int i;
    tb_log_init(l, bufsize, 480, NULL);
    tb_names(&names, "\\\\SRV", idx, nm, 3);
    tb_log_event(l, 36, FT0, 1, 1, names.p, names.n);
    tb_cat_begin(&cat);
    tb_cat_entry(&cat, 0, 0x00010100, 10000000, "\\\\SRV", "Memory", NULL, NULL, 0, "Available Bytes");
    tb_cat_entry(&cat, 0, 0x10410400, 10000000, "\\\\SRV", "Memory", NULL, NULL, 0, "Page Faults/sec");
    tb_cat_entry(&cat, 1, 0x00010100, 10000000, "\\\\SRV", "Process", NULL, "*", 0, "Private Bytes");
    tb_cat_entry(&cat, 0x10, 0x10, 0, "", "Process", NULL, "*", 0, "*");
    tb_log_event(l, 32, FT0, 1, 1, cat.p, cat.n);
    for (i = 0; i < 4; i++) {
        int k = out_of_order ? (i + 2) % 4 : i; /* a wrapped circular log */
        int64_t ft = FT0 + k * 15 * SEC;
        tb_bytes s = {0};
        tb_item items[3];
        size_t nitems = 1;
        static const uint32_t cn[] = {180, 784};
        static const uint32_t ct[] = {0x00010100, 0x00010000};
        static const char *const inst[] = {"svchost", "svchost", "lsass"};
        int64_t vals[6];
        tb_object o;
        items[0].name = "app";
        items[0].first = 1000000 + k * 1000;
        items[0].second = 0;
        if (k >= 1) { /* a process that starts later, with a namesake */
            items[1].name = "app";
            items[1].first = 5000;
            items[1].second = 0;
            items[2].name = "late";
            items[2].first = 7000 + k;
            items[2].second = 0;
            nitems = 3;
        }
        tb_sample_begin(&s);
        tb_sub_single(&s, 0, ft, 4000000000LL - k, 0, 1);
        tb_sub_single(&s, k == 2 ? 0xC0000BC6u : 0, ft, 100 * k, ft, 1);
        tb_sub_wildcard(&s, ft, items, nitems);
        vals[0] = 100 + k; vals[1] = 11;
        vals[2] = 200 + k; vals[3] = 12;
        vals[4] = 300 + k; vals[5] = 13;
        o.obj = 230;
        o.ncounters = 2;
        o.names = cn;
        o.types = ct;
        o.ninst = 3;
        o.inst = inst;
        o.values = vals;
        o.perf_time = k * 1000;
        o.perf_freq = 1000;
        o.perf_time100ns = ft;
        o.system = "SRV";
        tb_sub_object(&s, &o);
        tb_sample_end(&s);
        tb_log_sample(l, ft, &s, maxpart);
        tb_free(&s);
    }
    tb_log_event(l, 35, FT0 + 60 * SEC, 1, 1, "end", 3);
    tb_log_end(l);
    tb_free(&cat);
    tb_free(&names);
}

