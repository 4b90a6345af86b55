/* dynlib.h - GNU libplot and uchardet, loaded when first needed.
 *
 * Linking them costs every run their start-up: libplot brings the X11
 * libraries and uchardet the C++ runtime, 1.5 ms together against 0.9 ms
 * for the rest of the program's libraries. Most runs draw no chart and
 * read a UTF-8 or ASCII log, so both are opened with dlopen only by the
 * code that needs them. Each user opens its own table (no global state);
 * the libraries stay loaded once opened (RTLD_NODELETE), so opening again
 * is a lookup. */
#ifndef PL_DYNLIB_H
#define PL_DYNLIB_H

#include <stdio.h>
#include <plot.h>
#include <uchardet/uchardet.h>
#include "perfleak/perfleak.h"

/* field, symbol: the functions perfleak calls, typed from the headers */
#define PL_LIBPLOT_FUNCS(X)                                                                    \
    X(newplparams, pl_newplparams) X(deleteplparams, pl_deleteplparams)                        \
    X(setplparam, pl_setplparam) X(newpl, pl_newpl_r) X(deletepl, pl_deletepl_r)               \
    X(openpl, pl_openpl_r) X(closepl, pl_closepl_r) X(fspace, pl_fspace_r)                     \
    X(erase, pl_erase_r) X(joinmod, pl_joinmod_r) X(capmod, pl_capmod_r)                       \
    X(fontname, pl_fontname_r) X(ffontsize, pl_ffontsize_r) X(pencolor, pl_pencolor_r)         \
    X(fillcolor, pl_fillcolor_r) X(filltype, pl_filltype_r) X(flinewidth, pl_flinewidth_r)     \
    X(linemod, pl_linemod_r) X(fline, pl_fline_r) X(fmove, pl_fmove_r) X(fcont, pl_fcont_r)    \
    X(endpath, pl_endpath_r) X(fbox, pl_fbox_r) X(fcircle, pl_fcircle_r)                       \
    X(alabel, pl_alabel_r) X(flabelwidth, pl_flabelwidth_r)

#define PL_UCHARDET_FUNCS(X)                                                                   \
    X(create, uchardet_new) X(handle_data, uchardet_handle_data) X(data_end, uchardet_data_end) \
    X(get_charset, uchardet_get_charset) X(destroy, uchardet_delete)

#define PL_DYN_FIELD(field, sym) __typeof__(sym) *field;

typedef struct pl_libplot {
    void *handle;
    PL_LIBPLOT_FUNCS(PL_DYN_FIELD)
} pl_libplot;

typedef struct pl_libuchardet {
    void *handle;
    PL_UCHARDET_FUNCS(PL_DYN_FIELD)
} pl_libuchardet;

/* Fill the table; on failure err names the library and why. */
int pl_libplot_open(pl_libplot *lib, pl_error *err);
void pl_libplot_close(pl_libplot *lib);
int pl_libuchardet_open(pl_libuchardet *lib, pl_error *err);
void pl_libuchardet_close(pl_libuchardet *lib);

#endif
