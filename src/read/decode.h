/* decode.h - a text log's bytes to UTF-8: the byte-order mark, UTF-16
 * without one, UTF-8 checked on the header line, else the Windows code
 * page uchardet names; iconv for all but UTF-8. Fed in pieces of any
 * size, with the same text out. Internal to the CSV reader. */
#ifndef PL_READ_DECODE_H
#define PL_READ_DECODE_H

#include <iconv.h>
#include <stddef.h>
#include "perfleak/perfleak.h"
#include "util/internal.h"

/* The longest header line: bytes held back before the encoding is known
 * are at most this, and the CSV reader refuses a longer header. */
#define PL_MAX_HEADER_BYTES ((size_t)64 << 20)

/* Receives decoded UTF-8; returns PL_OK, or a code that stops decoding
 * (the receiver keeps its own message). */
typedef int (*pl_decode_emit)(void *ctx, const char *text, size_t n);

typedef enum pl_decode_state { PL_DEC_SNIFF, PL_DEC_PASS, PL_DEC_ICONV } pl_decode_state;

typedef struct pl_decoder {
    const char *name;      /* the log's, for messages; the caller's */
    const char *forced;    /* an encoding the user named, or NULL; the caller's */
    pl_decode_emit emit;
    void *ctx;
    pl_sticky st;          /* the first failure (no message when the sink's) */
    pl_decode_state dec;
    iconv_t cd;
    int ascii_compat;      /* bytes < 0x80 always stand for themselves */
    size_t unit;           /* code unit size: 2 for UTF-16, else 1 */
    unsigned char carry[16];
    size_t ncarry;
    unsigned char *raw;    /* bytes held back until the encoding is known */
    size_t nraw, capraw;
    char enc_name[64];
    int enc_guessed;
    char *obuf;
    size_t invalid_seqs;   /* sequences replaced by U+FFFD */
} pl_decoder;

/* PL_OK, or PL_ENOMEM. name and forced must outlive d. */
int pl_decoder_init(pl_decoder *d, const char *name, const char *forced, pl_decode_emit emit,
                    void *ctx);
/* Decodes len bytes (held back until the encoding can be told). PL_OK,
 * or the sticky code: the decoder's own (PL_EENCODING, PL_ELIMIT,
 * PL_ENOMEM, with d->err) or the receiver's (d->err.msg empty). */
int pl_decoder_feed(pl_decoder *d, const void *buf, size_t len);
/* The input has ended: decides with what was held, flushes a cut
 * sequence as U+FFFD. Returns as pl_decoder_feed; PL_EFORMAT when no
 * byte came at all. */
int pl_decoder_finish(pl_decoder *d);
void pl_decoder_clear(pl_decoder *d);

#endif
