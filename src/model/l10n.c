/* l10n.c - the leak-prone objects and counters under the names Windows
 * gives them in other languages, so that a log from a Russian or German
 * server is read by meaning: its counters get their English names for
 * selection, units and reports, and keep the original beside them.
 *
 * The names are facts taken from public material; each row says where it
 * came from:
 *   log   a real export: the Russian ../shared/data/csv/pdhconv-DataCollector01-ru.csv,
 *         the Spanish ../shared/data/real/ruflas-CESPL-*.tsv
 *   tp    counter paths in public typeperf / Get-Counter scripts and
 *         monitoring templates (Zabbix, NSClient++) written for a machine
 *         in that language
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
#include "model/l10n.h"

typedef struct name_row {
    const char *lang;
    const char *object_en;  /* "Process" or "Memory" */
    const char *counter_en; /* NULL: the row names the object itself */
    const char *local;
    const char *source;
} name_row;

static const name_row rows[] = {
    /* German. Unchanged from English (typeperf scripts): Private Bytes. */
    {"de", "Process", NULL, "Prozess", "tp"},
    {"de", "Process", "Working Set", "Arbeitsseiten", "tp"},
    {"de", "Process", "Working Set - Private", "Arbeitsseiten - privat", "?"},
    {"de", "Process", "Virtual Bytes", "Virtuelle Größe", "tp"},
    {"de", "Process", "Handle Count", "Handleanzahl", "docs"},
    {"de", "Process", "Thread Count", "Threadanzahl", "tp docs"},
    {"de", "Process", "ID Process", "Prozesskennung", "tp"},
    {"de", "Memory", NULL, "Arbeitsspeicher", "tp docs"},
    {"de", "Memory", "Pool Paged Bytes", "Auslagerungsseiten (Bytes)", "tp docs"},
    {"de", "Memory", "Pool Nonpaged Bytes", "Nicht-Auslagerungsseiten (Bytes)", "tp docs"},
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
    {"es", "Memory", NULL, "Memoria", "tp docs"},
    {"es", "Memory", "Pool Paged Bytes", "Bytes de bloque paginado", "docs"},
    {"es", "Memory", "Pool Nonpaged Bytes", "Bytes de bloque no paginado", "docs"},
    {"es", "Memory", "Committed Bytes", "Bytes confirmados", "tp docs"},
    {"es", "Memory", "Commit Limit", "Límite de confirmación", "docs"},
    {"es", "Memory", "Available MBytes", "MB disponibles", "?"},
    {"es", "Memory", "Available Bytes", "Bytes disponibles", "log"},
    {"es", "Memory", "Cache Bytes", "Bytes de caché", "log"},
    /* Portuguese (Brazil) */
    {"pt-BR", "Process", NULL, "Processo", "tp docs"},
    {"pt-BR", "Process", "Private Bytes", "Bytes Particulares", "docs"},
    {"pt-BR", "Process", "Private Bytes", "Bytes Privados", "docs"},
    {"pt-BR", "Process", "Working Set", "Conjunto de Trabalho", "docs"},
    {"pt-BR", "Process", "Working Set - Private", "Conjunto de Trabalho - Particular", "tp docs"},
    {"pt-BR", "Process", "Virtual Bytes", "Bytes Virtuais", "docs"},
    {"pt-BR", "Process", "Handle Count", "Contagem de Manipulador", "docs"},
    {"pt-BR", "Process", "Handle Count", "Contagem de Identificadores", "?"},
    {"pt-BR", "Process", "Thread Count", "Contagem de Threads", "docs"},
    {"pt-BR", "Process", "Thread Count", "Contagem de Thread", "docs"},
    {"pt-BR", "Process", "ID Process", "ID do Processo", "docs"},
    {"pt-BR", "Memory", NULL, "Memória", "tp docs"},
    {"pt-BR", "Memory", "Pool Paged Bytes", "Bytes de Pool Pagináveis", "docs"},
    {"pt-BR", "Memory", "Pool Nonpaged Bytes", "Bytes de Pool Não Pagináveis", "docs"},
    {"pt-BR", "Memory", "Committed Bytes", "Bytes Confirmados", "docs"},
    {"pt-BR", "Memory", "Commit Limit", "Limite de Confirmação", "docs"},
    {"pt-BR", "Memory", "Available MBytes", "MBytes Disponíveis", "docs"},
    /* Russian */
    {"ru", "Process", NULL, "Процесс", "log tp docs"},
    {"ru", "Process", "Private Bytes", "Байт исключительного пользования", "docs"},
    {"ru", "Process", "Private Bytes", "Байты исключительного пользования", "docs"},
    {"ru", "Process", "Working Set", "Рабочий набор", "log docs"},
    {"ru", "Process", "Working Set - Private", "Рабочий набор (частный)", "docs"},
    {"ru", "Process", "Virtual Bytes", "Байт виртуальной памяти", "docs"},
    {"ru", "Process", "Handle Count", "Счетчик дескрипторов", "docs"},
    {"ru", "Process", "Handle Count", "Число дескрипторов", "?"},
    {"ru", "Process", "Thread Count", "Счетчик потоков", "tp docs"},
    {"ru", "Process", "ID Process", "Идентификатор процесса", "tp docs"},
    {"ru", "Memory", NULL, "Память", "tp docs"},
    {"ru", "Memory", "Pool Paged Bytes", "Байт в выгружаемом страничном пуле", "tp"},
    {"ru", "Memory", "Pool Nonpaged Bytes", "Байт в невыгружаемом страничном пуле", "tp"},
    {"ru", "Memory", "Committed Bytes", "Байт выделенной виртуальной памяти", "?"},
    {"ru", "Memory", "Commit Limit", "Предел выделенной виртуальной памяти", "?"},
    {"ru", "Memory", "Available MBytes", "Доступно МБ", "tp"},
    {"ru", "Memory", "Available MBytes", "Доступный объем в МБ", "docs"},
    /* Japanese: the counters keep their English names (Microsoft's
     * Japanese memory documentation names them so); the objects may
     * appear translated. */
    {"ja", "Memory", NULL, "メモリ", "docs"},
    {"ja", "Process", NULL, "プロセス", "?"},
    /* Chinese (Simplified). A public script notes that these machines
     * usually keep the English names; the rows are for those that do not. */
    {"zh-CN", "Process", NULL, "进程", "?"},
    {"zh-CN", "Process", "Private Bytes", "专用字节数", "docs"},
    {"zh-CN", "Process", "Working Set", "工作集", "docs"},
    {"zh-CN", "Process", "Working Set - Private", "工作集 - 专用", "docs"},
    {"zh-CN", "Process", "Virtual Bytes", "虚拟字节数", "docs"},
    {"zh-CN", "Process", "Handle Count", "句柄数", "?"},
    {"zh-CN", "Process", "Thread Count", "线程计数", "docs"},
    {"zh-CN", "Process", "ID Process", "ID 进程", "docs"},
    {"zh-CN", "Memory", NULL, "内存", "docs"},
    {"zh-CN", "Memory", "Pool Paged Bytes", "池分页字节数", "docs"},
    {"zh-CN", "Memory", "Pool Nonpaged Bytes", "池非分页字节数", "docs"},
    {"zh-CN", "Memory", "Committed Bytes", "提交的字节数", "docs"},
    {"zh-CN", "Memory", "Commit Limit", "提交限制", "?"},
    {"zh-CN", "Memory", "Available MBytes", "可用兆字节数", "docs"},
    /* Korean */
    {"ko", "Process", NULL, "프로세스", "docs"},
    {"ko", "Process", "Private Bytes", "프라이빗 바이트", "docs"},
    {"ko", "Process", "Working Set", "작업 집합", "docs"},
    {"ko", "Process", "Working Set - Private", "작업 집합 - 프라이빗", "docs"},
    {"ko", "Process", "Virtual Bytes", "가상 바이트", "docs"},
    {"ko", "Process", "Handle Count", "핸들 수", "?"},
    {"ko", "Process", "Thread Count", "스레드 개수", "docs"},
    {"ko", "Process", "ID Process", "ID 프로세스", "docs"},
    {"ko", "Memory", NULL, "메모리", "docs"},
    {"ko", "Memory", "Pool Paged Bytes", "페이징 풀 바이트", "?"},
    {"ko", "Memory", "Pool Nonpaged Bytes", "비페이징 풀 바이트", "?"},
    {"ko", "Memory", "Committed Bytes", "커밋된 바이트", "?"},
    {"ko", "Memory", "Commit Limit", "커밋 한도", "?"},
    {"ko", "Memory", "Available MBytes", "사용 가능한 MB", "?"},
    /* Italian. The documentation keeps most Process counters in English
     * (Private Bytes, Working Set, Virtual Bytes ... need no row). */
    {"it", "Process", NULL, "Processo", "tp"},
    {"it", "Process", "Handle Count", "Conteggio handle", "?"},
    {"it", "Process", "Thread Count", "Conteggio thread", "?"},
    {"it", "Process", "ID Process", "ID processo", "?"},
    {"it", "Memory", NULL, "Memoria", "tp docs"},
    {"it", "Memory", "Pool Paged Bytes", "Byte di paging del pool", "?"},
    {"it", "Memory", "Pool Nonpaged Bytes", "Byte non di paging del pool", "?"},
    {"it", "Memory", "Committed Bytes", "Byte vincolati", "tp"},
    {"it", "Memory", "Commit Limit", "Limite memoria vincolata", "tp"},
    {"it", "Memory", "Available MBytes", "MByte disponibili", "docs"},
    /* Polish */
    {"pl", "Process", NULL, "Proces", "docs"},
    {"pl", "Process", "Private Bytes", "Bajty prywatne", "docs"},
    {"pl", "Process", "Working Set", "Zestaw roboczy", "docs"},
    {"pl", "Process", "Working Set - Private", "Zestaw roboczy — prywatny", "docs"},
    {"pl", "Process", "Working Set - Private", "Zestaw roboczy - prywatny", "?"},
    {"pl", "Process", "Virtual Bytes", "Bajty wirtualne", "docs"},
    {"pl", "Process", "Handle Count", "Liczba dojść", "?"},
    {"pl", "Process", "Handle Count", "Liczba uchwytów", "docs"},
    {"pl", "Process", "Thread Count", "Liczba wątków", "docs"},
    {"pl", "Process", "ID Process", "Identyfikator procesu", "docs"},
    {"pl", "Memory", NULL, "Pamięć", "tp docs"},
    {"pl", "Memory", "Pool Paged Bytes", "Bajty puli stronicowanej", "?"},
    {"pl", "Memory", "Pool Paged Bytes", "Bajty stronicowane w puli", "docs"},
    {"pl", "Memory", "Pool Nonpaged Bytes", "Bajty puli niestronicowanej", "?"},
    {"pl", "Memory", "Committed Bytes", "Zadeklarowane bajty", "tp"},
    {"pl", "Memory", "Commit Limit", "Limit zadeklarowania", "?"},
    {"pl", "Memory", "Commit Limit", "Limit zatwierdzania", "docs"},
    {"pl", "Memory", "Available MBytes", "Dostępna pamięć (MB)", "docs"},
    {"pl", "Memory", "Available MBytes", "Dostępne megabajty", "?"},
    /* Dutch */
    {"nl", "Process", NULL, "Proces", "docs"},
    {"nl", "Process", "Private Bytes", "Privé-bytes", "docs"},
    {"nl", "Process", "Private Bytes", "Privébytes", "docs"},
    {"nl", "Process", "Working Set", "Werkset", "docs"},
    {"nl", "Process", "Working Set - Private", "Werkset-privé", "docs"},
    {"nl", "Process", "Working Set - Private", "Werkset - privé", "?"},
    {"nl", "Process", "Virtual Bytes", "Virtuele bytes", "docs"},
    {"nl", "Process", "Handle Count", "Aantal ingangen", "?"},
    {"nl", "Process", "Thread Count", "Aantal threads", "docs"},
    {"nl", "Process", "ID Process", "Proces-ID", "docs"},
    {"nl", "Memory", NULL, "Geheugen", "docs"},
    {"nl", "Memory", "Pool Paged Bytes", "Bytes in wisselbare pool", "?"},
    {"nl", "Memory", "Pool Nonpaged Bytes", "Bytes in niet-wisselbare pool", "?"},
    {"nl", "Memory", "Committed Bytes", "Vastgelegde bytes", "docs"},
    {"nl", "Memory", "Commit Limit", "Limiet voor vastgelegd geheugen", "?"},
    {"nl", "Memory", "Available MBytes", "Beschikbare MB", "?"},
    {"nl", "Memory", "Available MBytes", "Beschikbare mbytes", "docs"},
    /* Swedish: the object Process keeps its English name. */
    {"sv", "Process", "Private Bytes", "Privata byte", "docs"},
    {"sv", "Process", "Working Set", "Sidmängd", "docs"},
    {"sv", "Process", "Working Set - Private", "Arbetsminne – privat", "?"},
    {"sv", "Process", "Virtual Bytes", "Virtuella byte", "docs"},
    {"sv", "Process", "Handle Count", "Antal referenser", "?"},
    {"sv", "Process", "Thread Count", "Antal trådar", "docs"},
    {"sv", "Process", "ID Process", "Process-ID", "docs"},
    {"sv", "Memory", NULL, "Minne", "tp docs"},
    {"sv", "Memory", "Pool Paged Bytes", "Växlingsbar pool (byte)", "?"},
    {"sv", "Memory", "Pool Nonpaged Bytes", "Icke växlingsbar pool (byte)", "?"},
    {"sv", "Memory", "Committed Bytes", "Dedikerade byte", "?"},
    {"sv", "Memory", "Commit Limit", "Dedikationsgräns", "tp"},
    {"sv", "Memory", "Available MBytes", "Tillgängliga megabyte", "tp docs"},
    /* Turkish */
    {"tr", "Process", NULL, "İşlem", "docs"},
    {"tr", "Process", "Private Bytes", "Özel baytlar", "docs"},
    {"tr", "Process", "Working Set", "Çalışma Kümesi", "docs"},
    {"tr", "Process", "Working Set - Private", "Çalışma kümesi-özel", "docs"},
    {"tr", "Process", "Virtual Bytes", "Sanal Bayt Sayısı", "docs"},
    {"tr", "Process", "Handle Count", "Tanıtıcı Sayısı", "docs"},
    {"tr", "Process", "Thread Count", "İş parçacığı sayısı", "docs"},
    {"tr", "Process", "ID Process", "İşlem Kimliği", "?"},
    {"tr", "Memory", NULL, "Bellek", "docs"},
    {"tr", "Memory", "Pool Paged Bytes", "Havuz Sayfalı Baytlar", "docs"},
    {"tr", "Memory", "Pool Nonpaged Bytes", "Havuz Sayfalanmamış Baytlar", "?"},
    {"tr", "Memory", "Committed Bytes", "Kaydedilmiş Baytlar", "docs"},
    {"tr", "Memory", "Commit Limit", "Kaydetme Sınırı", "?"},
    {"tr", "Memory", "Available MBytes", "Kullanılabilir MBayt", "docs"},
    /* Czech */
    {"cs", "Process", NULL, "Proces", "docs"},
    {"cs", "Process", "Private Bytes", "Privátní bajty", "docs"},
    {"cs", "Process", "Working Set", "Pracovní sada", "docs"},
    {"cs", "Process", "Working Set - Private", "Pracovní sada – privátní", "docs"},
    {"cs", "Process", "Virtual Bytes", "Virtuální bajty", "docs"},
    {"cs", "Process", "Handle Count", "Počet popisovačů", "?"},
    {"cs", "Process", "Thread Count", "Počet vláken", "docs"},
    {"cs", "Process", "ID Process", "ID procesu", "docs"},
    {"cs", "Memory", NULL, "Paměť", "docs"},
    {"cs", "Memory", "Pool Paged Bytes", "Bajty stránkovaného fondu", "?"},
    {"cs", "Memory", "Pool Nonpaged Bytes", "Bajty nestránkovaného fondu", "?"},
    {"cs", "Memory", "Committed Bytes", "Potvrzené bajty", "?"},
    {"cs", "Memory", "Commit Limit", "Limit potvrzení", "?"},
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

/* Row i names `name`: as an object (object_en NULL) or as a counter of
 * object_en. */
static int row_names(size_t i, const char *object_en, const char *name)
{
    const name_row *w = &rows[i];
    unsigned char a = (unsigned char)name[0], b = (unsigned char)w->local[0];
    /* Most rows differ in the first letter: an ASCII one is compared
     * here, before the names are folded (every column of a log is looked
     * up, and an English log finds nothing). */
    if (a < 0x80 && b < 0x80 && (a | 0x20) != (b | 0x20))
        return 0;
    if (object_en ? !w->counter_en || strcmp(w->object_en, object_en) != 0 : w->counter_en != NULL)
        return 0;
    return same_name(name, w->local);
}

/* The row naming `name`, in language *lang when that is set and has it.
 * *lang gets the row's language, or NULL when the name is shared by
 * languages ("Proces" is Polish, Dutch and Czech; "Bytes privados"
 * Spanish and Portuguese) and nothing told them apart. */
static const name_row *lookup(const char *object_en, const char *name, const char **lang)
{
    size_t i, j, n = sizeof rows / sizeof rows[0];
    const char *want = *lang;
    for (i = 0; want && i < n; i++)
        if (strcmp(rows[i].lang, want) == 0 && row_names(i, object_en, name))
            return &rows[i];
    for (i = 0; i < n; i++)
        if (row_names(i, object_en, name)) {
            *lang = rows[i].lang;
            for (j = i + 1; j < n; j++)
                if (strcmp(rows[j].lang, rows[i].lang) != 0 && row_names(j, object_en, name))
                    *lang = NULL;
            return &rows[i];
        }
    return NULL;
}

const char *pl_l10n_object(const char *object, const char **lang)
{
    const char *l = NULL;
    const name_row *w = lookup(NULL, object, &l);
    if (w && lang)
        *lang = l;
    return w ? w->object_en : NULL;
}

const char *pl_l10n_counter(const char *object_en, const char *counter, const char **lang)
{
    const char *l = lang ? *lang : NULL;
    const name_row *w = lookup(object_en, counter, &l);
    if (w && lang)
        *lang = l;
    return w ? w->counter_en : NULL;
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
