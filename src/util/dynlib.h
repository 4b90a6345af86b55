/* dynlib.h - GNU libplot, uchardet and libarchive, loaded when first needed.
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
#include <archive.h>
#include <archive_entry.h>
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

/* libarchive (2 ms of start-up with its compression libraries) is
 * opened only when an input is an archive or a compressed file. */
#define PL_LIBARCHIVE_FUNCS(X)                                                                 \
    X(read_new, archive_read_new) X(read_free, archive_read_free)                              \
    X(support_filter_all, archive_read_support_filter_all)                                     \
    X(support_tar, archive_read_support_format_tar) X(support_zip, archive_read_support_format_zip) \
    X(support_7zip, archive_read_support_format_7zip) X(support_cab, archive_read_support_format_cab) \
    X(support_raw, archive_read_support_format_raw)                                            \
    X(support_empty, archive_read_support_format_empty)                                        \
    X(read_open, archive_read_open) X(read_open_fd, archive_read_open_fd)                      \
    X(next_header, archive_read_next_header) X(read_data, archive_read_data)                   \
    X(error_string, archive_error_string) X(filter_bytes, archive_filter_bytes)                \
    X(format, archive_format) X(entry_pathname, archive_entry_pathname)                        \
    X(entry_filetype, archive_entry_filetype)

#define PL_DYN_FIELD(field, sym) __typeof__(sym) *field;

typedef struct pl_libplot {
    void *handle;
    PL_LIBPLOT_FUNCS(PL_DYN_FIELD)
} pl_libplot;

typedef struct pl_libuchardet {
    void *handle;
    PL_UCHARDET_FUNCS(PL_DYN_FIELD)
} pl_libuchardet;

typedef struct pl_libarchive {
    void *handle;
    PL_LIBARCHIVE_FUNCS(PL_DYN_FIELD)
} pl_libarchive;

/* Fill the table; on failure err names the library and why. */
int pl_libplot_open(pl_libplot *lib, pl_error *err);
void pl_libplot_close(pl_libplot *lib);
int pl_libuchardet_open(pl_libuchardet *lib, pl_error *err);
void pl_libuchardet_close(pl_libuchardet *lib);
int pl_libarchive_open(pl_libarchive *lib, pl_error *err);
void pl_libarchive_close(pl_libarchive *lib);

#endif
