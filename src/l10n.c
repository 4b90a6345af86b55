/* l10n.c - the leak-prone objects and counters under the names Windows
 * gives them in other languages, so that a log from a Russian or German
 * server is read by meaning: its counters get their English names for
 * selection, units and reports, and keep the original beside them.
 *
 * The names are facts taken from public material; each row says where it
 * came from:
 *   log   the real Russian export ../shared/data/csv/pdhconv-DataCollector01-ru.csv
 *   tp    counter paths in public typeperf / Get-Counter scripts written for
 *         a machine in that language
 *   docs  Microsoft's localized documentation that lists the counters
 *         (Azure autoscale common metrics, Service Fabric performance
 *         metrics, SQL Server memory monitoring); several of these pages
 *         are machine translations, so a "docs" name is a lead that a log
 *         from such a machine should confirm
 *   ?     not confirmed by a source: what the translation is believed to be
 * A name that does not occur in a log does no harm: it never matches. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "l10n.h"

typedef struct name_row {
    const char *lang;
    const char *object_en;  /* "Process" or "Memory" */
    const char *counter_en; /* NULL: the row names the object itself */
    const char *local;
    const char *source;
} name_row;

static const name_row rows[] = {
    /* German */
    {"de", "Process", NULL, "Prozess", "tp"},
    {"de", "Process", "Working Set", "Arbeitsseiten", "tp"},
    {"de", "Process", "Working Set - Private", "Arbeitsseiten - privat", "?"},
    {"de", "Process", "Virtual Bytes", "Virtuelle Größe", "tp"},
    {"de", "Process", "Handle Count", "Handleanzahl", "docs"},
    {"de", "Process", "Thread Count", "Threadanzahl", "tp docs"},
    {"de", "Process", "ID Process", "Prozesskennung", "tp"},
    {"de", "Memory", NULL, "Arbeitsspeicher", "tp docs"},
    {"de", "Memory", "Pool Paged Bytes", "Auslagerungsseiten (Bytes)", "docs"},
    {"de", "Memory", "Pool Nonpaged Bytes", "Nicht-Auslagerungsseiten (Bytes)", "docs"},
    {"de", "Memory", "Committed Bytes", "Zugesicherte Bytes", "docs"},
    {"de", "Memory", "Commit Limit", "Zusagegrenze", "docs"},
    {"de", "Memory", "Available MBytes", "Verfügbare MB", "docs"},
    /* French */
    {"fr", "Process", NULL, "Processus", "tp docs"},
    {"fr", "Process", "Private Bytes", "Octets privés", "docs"},
    {"fr", "Process", "Working Set", "Plage de travail", "docs"},
    {"fr", "Process", "Working Set - Private", "Plage de travail - Privée", "tp docs"},
    {"fr", "Process", "Virtual Bytes", "Octets virtuels", "docs"},
    {"fr", "Process", "Handle Count", "Nombre de handles", "docs"},
    {"fr", "Process", "Thread Count", "Nombre de threads", "docs"},
    {"fr", "Process", "ID Process", "ID de processus", "?"},
    {"fr", "Memory", NULL, "Mémoire", "tp docs"},
    {"fr", "Memory", "Pool Paged Bytes", "Octets de réserve paginée", "docs"},
    {"fr", "Memory", "Pool Nonpaged Bytes", "Octets de réserve non paginée", "docs"},
    {"fr", "Memory", "Committed Bytes", "Octets validés", "tp docs"},
    {"fr", "Memory", "Commit Limit", "Limite de mémoire dédiée", "docs"},
    {"fr", "Memory", "Available MBytes", "Mégaoctets disponibles", "docs"},
    /* Spanish */
    {"es", "Process", NULL, "Proceso", "tp docs"},
    {"es", "Process", "Private Bytes", "Bytes privados", "docs"},
    {"es", "Process", "Working Set", "Espacio de trabajo", "docs"},
    {"es", "Process", "Working Set - Private", "Espacio de trabajo - Privado", "tp"},
    {"es", "Process", "Virtual Bytes", "Bytes virtuales", "?"},
    {"es", "Process", "Handle Count", "Número de identificadores", "docs"},
    {"es", "Process", "Thread Count", "Número de subprocesos", "docs"},
    {"es", "Process", "ID Process", "Id. de proceso", "?"},
    {"es", "Memory", NULL, "Memoria", "docs"},
    {"es", "Memory", "Pool Paged Bytes", "Bytes de bloque paginado", "docs"},
    {"es", "Memory", "Pool Nonpaged Bytes", "Bytes de bloque no paginado", "docs"},
    {"es", "Memory", "Committed Bytes", "Bytes confirmados", "docs"},
    {"es", "Memory", "Commit Limit", "Límite de confirmación", "docs"},
    {"es", "Memory", "Available MBytes", "MB disponibles", "?"},
    /* Portuguese (Brazil) */
    {"pt-BR", "Process", NULL, "Processo", "tp docs"},
    {"pt-BR", "Process", "Private Bytes", "Bytes Particulares", "docs"},
    {"pt-BR", "Process", "Working Set", "Conjunto de Trabalho", "docs"},
    {"pt-BR", "Process", "Working Set - Private", "Conjunto de Trabalho - Particular", "tp docs"},
    {"pt-BR", "Process", "Virtual Bytes", "Bytes Virtuais", "docs"},
    {"pt-BR", "Process", "Handle Count", "Contagem de Identificadores", "?"},
    {"pt-BR", "Process", "Thread Count", "Contagem de Threads", "docs"},
    {"pt-BR", "Process", "ID Process", "ID do Processo", "docs"},
    {"pt-BR", "Memory", NULL, "Memória", "docs"},
    {"pt-BR", "Memory", "Available MBytes", "MBytes Disponíveis", "docs"},
    /* Russian */
    {"ru", "Process", NULL, "Процесс", "log docs"},
    {"ru", "Process", "Private Bytes", "Байт исключительного пользования", "docs"},
    {"ru", "Process", "Working Set", "Рабочий набор", "log"},
    {"ru", "Process", "Working Set - Private", "Рабочий набор (частный)", "?"},
    {"ru", "Process", "Virtual Bytes", "Байт виртуальной памяти", "?"},
    {"ru", "Process", "Handle Count", "Число дескрипторов", "?"},
    {"ru", "Process", "Thread Count", "Число потоков", "?"},
    {"ru", "Process", "ID Process", "Идентификатор процесса", "?"},
    {"ru", "Memory", NULL, "Память", "docs"},
    {"ru", "Memory", "Pool Paged Bytes", "Байт в выгружаемом страничном пуле", "?"},
    {"ru", "Memory", "Pool Nonpaged Bytes", "Байт в невыгружаемом страничном пуле", "?"},
    {"ru", "Memory", "Committed Bytes", "Байт выделенной виртуальной памяти", "?"},
    {"ru", "Memory", "Available MBytes", "Доступно МБ", "?"},
    /* Japanese: counters keep their English names (docs); the objects may
     * appear translated. */
    {"ja", "Memory", NULL, "メモリ", "docs"},
    {"ja", "Process", NULL, "プロセス", "?"},
    /* Chinese (Simplified) */
    {"zh-CN", "Process", NULL, "进程", "?"},
    {"zh-CN", "Process", "Private Bytes", "专用字节数", "docs"},
    {"zh-CN", "Process", "Working Set", "工作集", "docs"},
    {"zh-CN", "Process", "Working Set - Private", "工作集 - 专用", "docs"},
    {"zh-CN", "Process", "Virtual Bytes", "虚拟字节数", "docs"},
    {"zh-CN", "Process", "Thread Count", "线程计数", "docs"},
    {"zh-CN", "Process", "ID Process", "ID 进程", "docs"},
    {"zh-CN", "Memory", NULL, "内存", "docs"},
    {"zh-CN", "Memory", "Available MBytes", "可用兆字节数", "docs"},
    /* Korean */
    {"ko", "Process", NULL, "프로세스", "docs"},
    {"ko", "Process", "Private Bytes", "프라이빗 바이트", "docs"},
    {"ko", "Process", "Working Set", "작업 집합", "docs"},
    {"ko", "Process", "Working Set - Private", "작업 집합 - 프라이빗", "docs"},
    {"ko", "Process", "Virtual Bytes", "가상 바이트", "docs"},
    {"ko", "Process", "Thread Count", "스레드 개수", "docs"},
    {"ko", "Process", "ID Process", "ID 프로세스", "docs"},
    {"ko", "Memory", NULL, "메모리", "docs"},
    /* Italian: the documentation keeps the English Process counters */
    {"it", "Memory", NULL, "Memoria", "docs"},
    {"it", "Memory", "Available MBytes", "MByte disponibili", "docs"},
    /* Polish */
    {"pl", "Process", NULL, "Proces", "docs"},
    {"pl", "Process", "Private Bytes", "Bajty prywatne", "docs"},
    {"pl", "Process", "Working Set", "Zestaw roboczy", "docs"},
    {"pl", "Process", "Working Set - Private", "Zestaw roboczy — prywatny", "docs"},
    {"pl", "Process", "Working Set - Private", "Zestaw roboczy - prywatny", "?"},
    {"pl", "Process", "Virtual Bytes", "Bajty wirtualne", "docs"},
    {"pl", "Process", "Thread Count", "Liczba wątków", "docs"},
    {"pl", "Process", "ID Process", "Identyfikator procesu", "docs"},
    {"pl", "Memory", NULL, "Pamięć", "docs"},
    {"pl", "Memory", "Available MBytes", "Dostępna pamięć (MB)", "docs"},
    /* Dutch */
    {"nl", "Process", NULL, "Proces", "docs"},
    {"nl", "Process", "Private Bytes", "Privé-bytes", "docs"},
    {"nl", "Process", "Working Set", "Werkset", "docs"},
    {"nl", "Process", "Working Set - Private", "Werkset-privé", "docs"},
    {"nl", "Process", "Working Set - Private", "Werkset - privé", "?"},
    {"nl", "Process", "Virtual Bytes", "Virtuele bytes", "docs"},
    {"nl", "Process", "Thread Count", "Aantal threads", "docs"},
    {"nl", "Process", "ID Process", "Proces-ID", "docs"},
    {"nl", "Memory", NULL, "Geheugen", "docs"},
    /* Swedish */
    {"sv", "Process", "Private Bytes", "Privata byte", "docs"},
    {"sv", "Process", "Working Set", "Sidmängd", "docs"},
    {"sv", "Process", "Working Set - Private", "Arbetsminne – privat", "?"},
    {"sv", "Process", "Virtual Bytes", "Virtuella byte", "docs"},
    {"sv", "Process", "Thread Count", "Antal trådar", "docs"},
    {"sv", "Process", "ID Process", "Process-ID", "docs"},
    {"sv", "Memory", NULL, "Minne", "docs"},
    {"sv", "Memory", "Available MBytes", "Tillgängliga megabyte", "docs"},
    /* Turkish */
    {"tr", "Process", NULL, "İşlem", "docs"},
    {"tr", "Process", "Private Bytes", "Özel baytlar", "docs"},
    {"tr", "Process", "Working Set", "Çalışma Kümesi", "docs"},
    {"tr", "Process", "Working Set - Private", "Çalışma kümesi-özel", "docs"},
    {"tr", "Process", "Virtual Bytes", "Sanal Bayt Sayısı", "docs"},
    {"tr", "Process", "Thread Count", "İş parçacığı sayısı", "docs"},
    {"tr", "Memory", NULL, "Bellek", "docs"},
    {"tr", "Memory", "Available MBytes", "Kullanılabilir MBayt", "docs"},
    /* Czech */
    {"cs", "Process", NULL, "Proces", "docs"},
    {"cs", "Process", "Private Bytes", "Privátní bajty", "docs"},
    {"cs", "Process", "Working Set", "Pracovní sada", "docs"},
    {"cs", "Process", "Working Set - Private", "Pracovní sada – privátní", "docs"},
    {"cs", "Process", "Virtual Bytes", "Virtuální bajty", "docs"},
    {"cs", "Process", "Thread Count", "Počet vláken", "docs"},
    {"cs", "Process", "ID Process", "ID procesu", "docs"},
    {"cs", "Memory", NULL, "Paměť", "docs"},
    {"cs", "Memory", "Available MBytes", "Počet MB k dispozici", "docs"},
};

/* Next code point of the UTF-8 string at *s, folded to lower case for
 * the scripts in the table (ASCII, Latin-1, Latin Extended-A, Cyrillic);
 * advances *s. Invalid bytes stand for themselves. */
static uint32_t next_folded(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t c = p[0];
    int n = 1;
    if (c >= 0xC0 && c < 0xE0 && (p[1] & 0xC0) == 0x80) {
        c = (c & 0x1F) << 6 | (p[1] & 0x3F);
        n = 2;
    } else if (c >= 0xE0 && c < 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        c = (c & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
        n = 3;
    }
    *s = p + n;
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
        return c | 1; /* pairs: even upper, odd lower */
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c & 1) ? c + 1 : c; /* pairs: odd upper, even lower */
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    return c;
}

/* Equal ignoring case as above, and a '-' against ' - ' spacing is not
 * forgiven: names are compared as Windows writes them. */
static int same_name(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && *y)
        if (next_folded(&x) != next_folded(&y))
            return 0;
    return !*x && !*y;
}

const char *pl_l10n_object(const char *object, const char **lang)
{
    size_t i;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (!rows[i].counter_en && same_name(object, rows[i].local)) {
            if (lang)
                *lang = rows[i].lang;
            return rows[i].object_en;
        }
    return NULL;
}

const char *pl_l10n_counter(const char *object_en, const char *counter, const char **lang)
{
    size_t i;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].counter_en && strcmp(rows[i].object_en, object_en) == 0 &&
            same_name(counter, rows[i].local)) {
            if (lang)
                *lang = rows[i].lang;
            return rows[i].counter_en;
        }
    return NULL;
}

size_t pl_l10n_count(void)
{
    return sizeof rows / sizeof rows[0];
}

int pl_l10n_row(size_t i, const char **lang, const char **object_en, const char **counter_en,
                const char **local, const char **source)
{
    if (i >= sizeof rows / sizeof rows[0])
        return 0;
    *lang = rows[i].lang;
    *object_en = rows[i].object_en;
    *counter_en = rows[i].counter_en;
    *local = rows[i].local;
    *source = rows[i].source;
    return 1;
}
