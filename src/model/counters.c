/* counters.c - counter kinds and units. A counter is known by its English
 * object and counter name first (the tables below); a name in no table is
 * judged by the cues all languages share (a "/s" or "/sec" suffix, a "%",
 * "Avg."), and what no cue explains is "other", which is never called a
 * leak: a false alarm costs an on-call engineer more than a counter left
 * to be read by eye. */
#include <string.h>
#include "perfleak/counters.h"
#include "util/internal.h"

typedef struct kind_row {
    const char *object;  /* NULL: any object */
    const char *counter;
    pl_kind kind;
    pl_unit unit;
} kind_row;

/* Exact English names. Order matters only in that the first match wins. */
static const kind_row known[] = {
    /* process memory, handles, threads */
    {"Process", "Private Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Process", "Working Set", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Process", "Working Set - Private", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Process", "Working Set - Shared", PL_KIND_OTHER, PL_UNIT_BYTES},
    {"Process", "Virtual Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Process", "Page File Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Process", "Pool Paged Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Process", "Pool Nonpaged Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Process", "Handle Count", PL_KIND_HELD, PL_UNIT_HANDLES},
    {"Process", "Thread Count", PL_KIND_HELD, PL_UNIT_THREADS},
    {"Process", "Elapsed Time", PL_KIND_CLOCK, PL_UNIT_SECONDS},
    {"Process", "ID Process", PL_KIND_IDENTITY, PL_UNIT_NONE},
    {"Process", "Creating Process ID", PL_KIND_IDENTITY, PL_UNIT_NONE},
    {"Process", "Priority Base", PL_KIND_IDENTITY, PL_UNIT_NONE},
    /* the kernel's memory */
    {"Memory", "Pool Paged Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Memory", "Pool Nonpaged Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Memory", "Pool Paged Resident Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Memory", "Committed Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Memory", "System Driver Total Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Memory", "System Driver Resident Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Memory", "System Code Total Bytes", PL_KIND_OTHER, PL_UNIT_BYTES},
    {"Memory", "System Code Resident Bytes", PL_KIND_OTHER, PL_UNIT_BYTES},
    {"Memory", "Commit Limit", PL_KIND_LIMIT, PL_UNIT_BYTES},
    {"Memory", "Available Bytes", PL_KIND_FREE, PL_UNIT_BYTES},
    {"Memory", "Available KBytes", PL_KIND_FREE, PL_UNIT_KB},
    {"Memory", "Available MBytes", PL_KIND_FREE, PL_UNIT_MB},
    /* pages not yet used: they fall as the cache takes them, which is no
     * shortage (Available Bytes, which counts the standby list, tells) */
    {"Memory", "Free & Zero Page List Bytes", PL_KIND_OTHER, PL_UNIT_BYTES},
    {"Memory", "Free System Page Table Entries", PL_KIND_FREE, PL_UNIT_ENTRIES},
    {"Memory", "Modified Page List Bytes", PL_KIND_CACHE, PL_UNIT_BYTES},
    {"Memory", "Long-Term Average Standby Cache Lifetime (s)", PL_KIND_AVERAGE, PL_UNIT_SECONDS},
    {"Paging File", "% Usage", PL_KIND_PERCENT, PL_UNIT_PERCENT},
    {"LogicalDisk", "Free Megabytes", PL_KIND_FREE, PL_UNIT_MB},
    {"System", "Processes", PL_KIND_HELD, PL_UNIT_PROCESSES},
    {"System", "Threads", PL_KIND_HELD, PL_UNIT_THREADS},
    {"System", "System Up Time", PL_KIND_CLOCK, PL_UNIT_SECONDS},
    {"System", "Processor Queue Length", PL_KIND_OTHER, PL_UNIT_NONE},
    {"Objects", "Events", PL_KIND_HELD, PL_UNIT_OBJECTS},
    {"Objects", "Mutexes", PL_KIND_HELD, PL_UNIT_OBJECTS},
    {"Objects", "Sections", PL_KIND_HELD, PL_UNIT_OBJECTS},
    {"Objects", "Semaphores", PL_KIND_HELD, PL_UNIT_OBJECTS},
    {"Objects", "Processes", PL_KIND_HELD, PL_UNIT_PROCESSES},
    {"Objects", "Threads", PL_KIND_HELD, PL_UNIT_THREADS},
    {"Server", "Pool Paged Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Server", "Pool Nonpaged Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {".NET CLR Memory", "# Bytes in all Heaps", PL_KIND_HELD, PL_UNIT_BYTES},
    {".NET CLR Memory", "Gen 2 heap size", PL_KIND_HELD, PL_UNIT_BYTES},
    {".NET CLR Memory", "Large Object Heap size", PL_KIND_HELD, PL_UNIT_BYTES},
    {".NET CLR Memory", "# GC Handles", PL_KIND_HELD, PL_UNIT_HANDLES},
    {".NET CLR Memory", "# Total committed Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {".NET CLR Memory", "# Total reserved Bytes", PL_KIND_HELD, PL_UNIT_BYTES},
    {"Network Interface", "Current Bandwidth", PL_KIND_LIMIT, PL_UNIT_NONE},
    {"Network Adapter", "Current Bandwidth", PL_KIND_LIMIT, PL_UNIT_NONE},
};

static const char *const kind_names[] = {
    "other", "held", "free", "cache", "peak", "rate", "percent", "average",
    "clock", "identity", "limit"};

const char *pl_kind_name(pl_kind k)
{
    return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "other";
}

const char *pl_kind_why_not(pl_kind k)
{
    switch (k) {
    case PL_KIND_HELD: return "";
    case PL_KIND_FREE: return "free memory, which runs out rather than leaks";
    case PL_KIND_CACHE: return "a cache, which grows by design";
    case PL_KIND_PEAK: return "a peak, which never falls";
    case PL_KIND_RATE: return "a rate, not something held";
    case PL_KIND_PERCENT: return "a percentage, not something held";
    case PL_KIND_AVERAGE: return "an average or ratio, not something held";
    case PL_KIND_CLOCK: return "a clock, which always rises";
    case PL_KIND_IDENTITY: return "an identifier, not a quantity";
    case PL_KIND_LIMIT: return "a limit, not something held";
    default: return "not a counter of something held";
    }
}

static int contains_ci(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; *s; s++) {
        size_t i;
        for (i = 0; i < n; i++) {
            int a = (unsigned char)s[i], b = (unsigned char)w[i];
            if (a >= 'A' && a <= 'Z') a += 32;
            if (b >= 'A' && b <= 'Z') b += 32;
            if (a != b)
                break;
        }
        if (i == n)
            return 1;
    }
    return 0;
}

static int ends_with(const char *s, const char *w)
{
    size_t n = strlen(s), m = strlen(w);
    return n >= m && pl_strcasecmp(s + n - m, w) == 0;
}

static int any_in(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (contains_ci(s, *words))
            return 1;
    return 0;
}

/* An object by the name the tables use: Windows' Process V2 object
 * ("Process V2(w3wp:1234)") has the counters of Process. */
static int object_is(const pl_path *p, const char *object)
{
    if (!p->object)
        return 0;
    if (pl_strcasecmp(object, "Process") == 0 && pl_strcasecmp(p->object, "Process V2") == 0)
        return 1;
    return pl_strcasecmp(p->object, object) == 0;
}

static const kind_row *lookup(const pl_path *p)
{
    size_t i;
    if (!p->counter)
        return NULL;
    for (i = 0; i < sizeof known / sizeof known[0]; i++)
        if (pl_strcasecmp(p->counter, known[i].counter) == 0 &&
            (!p->object || object_is(p, known[i].object)))
            return &known[i];
    return NULL;
}

/* Per-second suffixes: English, and the ones Windows writes in other
 * languages ("Páginas/s", "I/O - чтение байт в сек", "/秒"). */
static int is_rate(const char *c)
{
    static const char *const suffix[] = {"/sec", "/s", "/с", "/сек", " в сек", "/秒", "/초",
                                         "/sn", "/Sek.", NULL};
    size_t i;
    for (i = 0; suffix[i]; i++)
        if (ends_with(c, suffix[i]))
            return 1;
    return contains_ci(c, "/sec ") || contains_ci(c, " per second");
}

/* A ratio "X/Y" (bytes per transfer) that is not a rate; "I/O" is no
 * ratio. */
static int is_ratio(const char *c)
{
    const char *s = c;
    while ((s = strchr(s, '/')) != NULL) {
        if (!(s > c && (s[-1] == 'I' || s[-1] == 'i') && (s[1] == 'O' || s[1] == 'o')))
            return 1;
        s++;
    }
    return 0;
}

static pl_kind kind_by_cues(const char *c)
{
    static const char *const average[] = {"Avg.", "Average", "Promedio", "Moyenne",
                                          "Durchschnitt", "Средн", "平均", "Média", "Medio",
                                          "Gemiddeld", "Średni", "Ortalama", "Průměr", NULL};
    static const char *const clock[] = {"Elapsed Time", "Up Time", NULL};
    static const char *const peak[] = {"Peak", "Spitze", "máximo", "maximal", "Пиков", "ピーク",
                                       "峰值", "최대", NULL};
    static const char *const free_words[] = {"Available", "Free ", "disponible", "disponíve",
                                             "Verfügbar", "Доступно", "Свободн", "使用可能",
                                             "可用", "사용 가능", "Dostępn", "Beschikbaar",
                                             "Tillgänglig", "Kullanılabilir", "Dostupn", NULL};
    static const char *const cache[] = {"Cache", "caché", "Кэш", "キャッシュ", "缓存", "快取",
                                        "캐시", NULL};
    if (is_rate(c))
        return PL_KIND_RATE;
    if (strchr(c, '%'))
        return PL_KIND_PERCENT;
    if (any_in(c, average) || is_ratio(c))
        return PL_KIND_AVERAGE;
    if (any_in(c, clock))
        return PL_KIND_CLOCK;
    if (any_in(c, peak))
        return PL_KIND_PEAK;
    if (any_in(c, free_words))
        return PL_KIND_FREE;
    if (any_in(c, cache))
        return PL_KIND_CACHE;
    return PL_KIND_OTHER;
}

/* Both answers from one look at the name: the table, else the cues. */
static void classify(const pl_path *p, pl_kind *kind, pl_unit *unit)
{
    const kind_row *r = lookup(p);
    const char *c = p->counter ? p->counter : "";
    pl_kind k;
    if (r) {
        *kind = r->kind;
        *unit = r->unit;
        return;
    }
    k = kind_by_cues(c);
    /* Bytes a process holds that the table does not name ("Process(x)\
     * Pool Paged Bytes" under another spelling) are still held; an unknown
     * level anywhere else stays "other". */
    if (k == PL_KIND_OTHER && object_is(p, "Process") &&
        ends_with(c, " Bytes"))
        k = PL_KIND_HELD;
    *kind = k;
    if (k == PL_KIND_RATE)
        *unit = PL_UNIT_PER_SEC;
    else if (k == PL_KIND_PERCENT)
        *unit = PL_UNIT_PERCENT;
    else if (contains_ci(c, "KBytes") || contains_ci(c, "Kilobytes"))
        *unit = PL_UNIT_KB;
    else if (contains_ci(c, "MBytes") || contains_ci(c, "Megabytes"))
        *unit = PL_UNIT_MB;
    else if (k == PL_KIND_CLOCK)
        *unit = PL_UNIT_SECONDS;
    else if (contains_ci(c, "Bytes") || contains_ci(c, "Working Set"))
        *unit = PL_UNIT_BYTES;
    else if (contains_ci(c, "Handle"))
        *unit = PL_UNIT_HANDLES;
    else if (contains_ci(c, "Thread Count"))
        *unit = PL_UNIT_THREADS;
    else
        *unit = PL_UNIT_NONE;
}

pl_kind pl_counter_kind(const pl_path *p)
{
    pl_kind k;
    pl_unit u;
    classify(p, &k, &u);
    return k;
}

pl_unit pl_counter_unit(const pl_path *p)
{
    pl_kind k;
    pl_unit u;
    classify(p, &k, &u);
    return u;
}

int pl_counter_is(const pl_path *p, const char *object, const char *counter)
{
    return p->object && p->counter && object_is(p, object) &&
           pl_strcasecmp(p->counter, counter) == 0;
}

int pl_counter_is_aggregate(const pl_path *p)
{
    return p->instance &&
           (pl_strcasecmp(p->instance, "_Total") == 0 || pl_strcasecmp(p->instance, "Idle") == 0);
}

int pl_counter_in_default_set(const pl_path *p)
{
    /* with the process' own pool charge: what ties a handle leak to the
     * paged pool it grows */
    static const char *const process[] = {
        "Private Bytes", "Working Set", "Working Set - Private", "Virtual Bytes",
        "Handle Count", "Thread Count", "Pool Paged Bytes", "Pool Nonpaged Bytes"};
    static const char *const memory[] = {
        "Pool Paged Bytes", "Pool Nonpaged Bytes", "Committed Bytes",
        /* judged for running out, not for leaking */
        "Available Bytes", "Available KBytes", "Available MBytes"};
    size_t i;
    if (!p->object || !p->counter)
        return 0;
    if (object_is(p, "Process")) {
        if (pl_counter_is_aggregate(p))
            return 0;
        for (i = 0; i < sizeof process / sizeof process[0]; i++)
            if (pl_strcasecmp(p->counter, process[i]) == 0)
                return 1;
    } else if (pl_strcasecmp(p->object, "Memory") == 0) {
        for (i = 0; i < sizeof memory / sizeof memory[0]; i++)
            if (pl_strcasecmp(p->counter, memory[i]) == 0)
                return 1;
    }
    return 0;
}
