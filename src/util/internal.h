/* internal.h - helpers shared by the library's modules; not installed. */
#ifndef PL_INTERNAL_H
#define PL_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>
#include "perfleak/perfleak.h"

#if defined(__GNUC__)
#define PL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PL_PRINTF(a, b)
#endif

/* Sets err (when not NULL) and returns code, so callers can
 * `return pl_err(err, PL_EFORMAT, "...")`. */
int pl_err(pl_error *err, int code, const char *fmt, ...) PL_PRINTF(3, 4);

/* A failure that stays (a reader's): the first code and message are
 * kept, and every later call reports them again. */
typedef struct pl_sticky {
    int code;      /* PL_OK until the first failure */
    pl_error err;  /* its message ("" when it came from a callee that said it) */
} pl_sticky;
/* Keeps code and the message unless a failure is kept already; returns
 * the kept code. */
int pl_sticky_fail(pl_sticky *s, int code, const char *fmt, ...) PL_PRINTF(3, 4);

/* Sends one formatted warning to fn (no-op when fn is NULL). */
void pl_warnf(pl_warn_fn fn, void *ctx, const char *fmt, ...) PL_PRINTF(3, 4);

/* strdup that is C11 and returns NULL on failure. */
char *pl_strdup(const char *s);
char *pl_strndup(const char *s, size_t n);

/* ASCII case-insensitive comparison; 0 when equal. */
int pl_strcasecmp(const char *a, const char *b);
/* The same over at most n bytes. */
int pl_strncasecmp(const char *a, const char *b, size_t n);
/* As pl_strcasecmp with runs of digits compared by value: WEB2 before
 * WEB10, as a list of servers is read. */
int pl_strnatcasecmp(const char *a, const char *b);

/* Copies s into a new string, replacing invalid UTF-8 with U+FFFD. */
char *pl_utf8_sanitize(const char *s, size_t len);
/* Names from a log shown to a person: the character at s (n bytes left)
 * is 1 to 4 bytes long (the return); when a terminal would act on it
 * rather than show it (a C0 or C1 control, DEL, CR, a newline, U+2028,
 * U+2029, the BiDi marks U+200E, U+200F, U+202A-U+202E, U+2066-U+2069)
 * or it is a byte that is not UTF-8, esc holds its visible escape
 * ("\x1b", "\u202e"), else esc is "". */
size_t pl_visible_next(const char *s, size_t n, char esc[12]);
/* Writes s with every such character as its escape. */
void pl_write_visible(FILE *out, const char *s);
/* prefix (perfleak's own text), s made visible, a newline. */
void pl_visible_line(FILE *out, const char *prefix, const char *s);
/* Sorts n doubles ascending (no NaN among them). */
void pl_sort_doubles(double *v, size_t n);

/* 1 when v can be a Windows process ID (an integer of 32 bits); an ID
 * Process sample that is not (2^63, 0.5, NaN) is one not logged. */
int pl_is_pid(double v);
/* A machine name without its leading backslashes ("\\\\SRV01" -> "SRV01");
 * "" for NULL. */
const char *pl_machine_bare(const char *m);
/* Makes room for need elements of size bytes in *p, whose capacity *cap
 * doubles (from 8) as often as that takes, with overflow checked. 0, or
 * -1 when out of memory or the size overflows (*p and *cap unchanged). */
int pl_grow(void *p, size_t *cap, size_t need, size_t size);
/* Appends len bytes of src to the *n bytes of *buf (capacity *cap, grown
 * by pl_grow). 0, or -1 when out of memory (*buf unchanged). */
int pl_append(char **buf, size_t *n, size_t *cap, const void *src, size_t len);
/* Appends ' ' and word as a shell takes it back: as it is when it has only
 * letters, digits and -_./=:,+%@, else in '...' (a ' as '\''). Not NUL
 * terminated. 0, or -1 when out of memory. */
int pl_shell_word(char **buf, size_t *n, size_t *cap, const char *word);
/* Bytes of valid UTF-8 s to keep to show at most max bytes without
 * cutting a character in two. */
size_t pl_utf8_prefix(const char *s, size_t max);
/* The same for the n bytes at s (not terminated). */
size_t pl_utf8_prefix_n(const char *s, size_t n, size_t max);
/* s with its middle replaced by "...", keeping keep bytes of it (the first
 * half and the rest from its end, never half a character), into out; s
 * whole when it is no longer than keep. */
void pl_utf8_middle(const char *s, size_t keep, char *out, size_t size);
/* s with & < > " as XML entities and control characters but tab and
 * line breaks shown ("\x1b"), for HTML and SVG. */
void pl_xml_escape(FILE *out, const char *s);
/* names[0..n) as "a, b, c and 23 more": at most max_shown names (0: all),
 * and only whole names, as many as buf holds with the count of the rest;
 * distinct names only (a repeat is skipped). Returns how many are shown. */
size_t pl_join_names(const char *const *names, size_t n, size_t max_shown, char *buf, size_t size);
/* The shortest text (15 to 17 significant digits, %g style) that reads
 * back as v. */
void pl_format_double(double v, char *buf, size_t size);
/* text, a JSON text written with 17 digits, with every real number in its
 * shortest form (pl_format_double); integers and strings as they were.
 * text is freed; NULL when out of memory. */
char *pl_json_shortest_reals(char *text);
/* 1 when s[0..len) is valid UTF-8. */
int pl_utf8_valid(const unsigned char *s, size_t len);

/* Reading a file straight into the CSV reader's block instead of into a
 * buffer first (one copy less of every byte): room for up to *len bytes
 * at the address returned, or NULL when the reader only takes fed bytes
 * (before block mode, text that needs decoding, one thread). The caller
 * writes n <= *len bytes there and commits them before anything else. */
struct pl_reader;
char *pl_reader_room(struct pl_reader *r, size_t *len);
int pl_reader_commit(struct pl_reader *r, size_t n, pl_error *err);

#endif
