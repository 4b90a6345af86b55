/* dynlib.c - opening GNU libplot, uchardet and libarchive when first needed (why: see
 * dynlib.h). The names are the sonames Debian's runtime packages install. */
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>
#include "util/dynlib.h"
#include "util/internal.h"

#define PL_DYN_ENTRY(type, field, sym) {#sym, offsetof(type, field)},
#define PLOT_ENTRY(field, sym) PL_DYN_ENTRY(pl_libplot, field, sym)
#define UCD_ENTRY(field, sym) PL_DYN_ENTRY(pl_libuchardet, field, sym)
#define ARC_ENTRY(field, sym) PL_DYN_ENTRY(pl_libarchive, field, sym)

typedef struct dyn_sym {
    const char *name;
    size_t off;
} dyn_sym;

static const dyn_sym plot_syms[] = {PL_LIBPLOT_FUNCS(PLOT_ENTRY)};
static const dyn_sym ucd_syms[] = {PL_UCHARDET_FUNCS(UCD_ENTRY)};
static const dyn_sym arc_syms[] = {PL_LIBARCHIVE_FUNCS(ARC_ENTRY)};

#define COUNT(a) (sizeof a / sizeof a[0])

/* Opens soname and stores each symbol's address at its offset in the
 * table of size bytes, cleared first (POSIX lets a data pointer from
 * dlsym stand for a function pointer). */
static int dyn_open(void *table, size_t size, void **handle, const char *soname, const char *what,
                    const dyn_sym *syms, size_t n, pl_error *err)
{
    size_t i;
    const char *why;
    memset(table, 0, size);
    *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!*handle) {
        why = dlerror();
        return pl_err(err, PL_EUNSUPPORTED, "%s needs %s, which cannot be loaded: %s", what, soname,
                      why ? why : "unknown error");
    }
    for (i = 0; i < n; i++) {
        void *f = dlsym(*handle, syms[i].name);
        if (!f) {
            dlclose(*handle);
            *handle = NULL;
            return pl_err(err, PL_EUNSUPPORTED, "%s needs %s, which lacks %s", what, soname,
                          syms[i].name);
        }
        memcpy((char *)table + syms[i].off, &f, sizeof f);
    }
    return PL_OK;
}

/* The library stays loaded (RTLD_NODELETE): this only drops the reference. */
static void dyn_close(void *table, size_t size, void *handle)
{
    if (handle)
        dlclose(handle);
    memset(table, 0, size);
}

int pl_libplot_open(pl_libplot *lib, pl_error *err)
{
    return dyn_open(lib, sizeof *lib, &lib->handle, "libplot.so.2", "drawing a chart", plot_syms,
                    COUNT(plot_syms), err);
}

void pl_libplot_close(pl_libplot *lib)
{
    dyn_close(lib, sizeof *lib, lib->handle);
}

int pl_libuchardet_open(pl_libuchardet *lib, pl_error *err)
{
    return dyn_open(lib, sizeof *lib, &lib->handle, "libuchardet.so.0", "telling the code page of a log",
                    ucd_syms, COUNT(ucd_syms), err);
}

void pl_libuchardet_close(pl_libuchardet *lib)
{
    dyn_close(lib, sizeof *lib, lib->handle);
}

int pl_libarchive_open(pl_libarchive *lib, pl_error *err)
{
    return dyn_open(lib, sizeof *lib, &lib->handle, "libarchive.so.13", "reading an archive or a compressed file",
                    arc_syms, COUNT(arc_syms), err);
}

void pl_libarchive_close(pl_libarchive *lib)
{
    dyn_close(lib, sizeof *lib, lib->handle);
}
