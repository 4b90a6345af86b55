/* blg_format.h - where blg.c finds each field of a .blg: the byte
 * offsets and sizes of the buffers, events, records and sub-records it
 * reads, named once. All numbers are little-endian. docs/blg-format.md
 * describes the format as a whole. Internal to read/. */
#ifndef PL_READ_BLG_FORMAT_H
#define PL_READ_BLG_FORMAT_H

/* ---- buffers: the file is a sequence of them, all one size ---- */
#define BLG_BUF_SIZE_AT   0x00u  /* u32: the buffer size (read from the first) */
#define BLG_BUF_USED_AT   0x30u  /* u32: bytes of the buffer in use */
#define BLG_BUF_HDR       0x48u  /* the buffer header; the first event follows */
#define BLG_BUF_END_MARK  0xFFFFFFFFu /* u32 where an event would begin: no more */

/* ---- events: each padded to 8 bytes ---- */
#define BLG_EV_SIZE_AT    0u     /* u16: the event's size, header included */
#define BLG_EV_KIND_AT    2u     /* u8: header kind (log-file header: 1 a 32-bit writer, 2 a 64-bit one) */
#define BLG_EV_FLAGS_AT   3u     /* u8: always BLG_EV_FLAGS */
#define BLG_EV_FLAGS      0xC0u
#define BLG_EV_RECORD_AT  4u     /* u8: the record type (BLG_REC_*) */
#define BLG_EV_TIME_AT    16u    /* i64: FILETIME of the sample, local time */
#define BLG_EV_PART_AT    64u    /* u32: this part of a split sample, from 1 */
#define BLG_EV_PARTS_AT   68u    /* u32: the parts of the sample (0 or 1: whole) */
#define BLG_EV_HDR        0x48u  /* header, log GUID and part numbers: the payload follows */

enum { BLG_REC_CATALOG = 32, BLG_REC_SAMPLE = 34, BLG_REC_TRAILER = 35, BLG_REC_NAMES = 36 };

/* ---- the log-file header event, first in the first buffer ---- */
#define BLG_LOG_SIZE_AT   4u     /* u32: its size */
#define BLG_LOG_TZ_AT_32  0x60u  /* the time zone after two 4-byte pointers */
#define BLG_LOG_TZ_AT_64  0x68u  /* ... after two 8-byte ones */
#define BLG_TZ_SIZE       172u   /* the time-zone block */
#define BLG_TZ_BIAS_AT    0u     /* i32: minutes to add to local time for UTC */
#define BLG_TZ_NAME_AT    4u     /* UTF-16 standard name ("@tzres.dll,-212") */
#define BLG_TZ_NAME_BYTES 64u

/* ---- type 32: the counter catalog, one entry per logged path ---- */
#define BLG_CAT_FIRST       0x50u /* first entry, from the event's start */
#define BLG_CAT_SIZE_AT     0u   /* u32: the entry's size (0 ends the catalog) */
#define BLG_CAT_FLAGS_AT    4u   /* u32: 1 an instance "*", 0x10 whole-object logging */
#define BLG_CAT_TYPE_AT     12u  /* u32: the counter type */
#define BLG_CAT_BASE_AT     16u  /* i64: the time base */
#define BLG_CAT_OBJECT_AT   32u  /* i32: the object name's offset in the strings */
#define BLG_CAT_INST_AT     36u  /* i32: the instance's (-1: none) */
#define BLG_CAT_PARENT_AT   40u  /* i32: the parent instance's (-1: none) */
#define BLG_CAT_INDEX_AT    44u  /* u32: the instance index (#n) */
#define BLG_CAT_COUNTER_AT  48u  /* i32: the counter name's offset */
#define BLG_CAT_STRINGS_AT  52u  /* UTF-16 strings, the machine's at offset 0 */
#define BLG_CAT_MIN_SIZE    56u

/* ---- type 34: a sample. A master record, then one sub-record for each
 * catalog entry in catalog order, each "BL", 3, its kind, u32 length ---- */
#define BLG_SUB_LEN_AT      4u   /* u32: the (sub-)record's length */
#define BLG_SUB_HDR         8u
enum { BLG_SUB_MASTER = 0, BLG_SUB_SINGLE = 1, BLG_SUB_WILDCARD = 2, BLG_SUB_OBJECT = 5 };
/* one counter */
#define BLG_ONE_STATUS_AT   8u   /* u32: 0 a value, else missing */
#define BLG_ONE_FIRST_AT    24u  /* i64 */
#define BLG_ONE_SECOND_AT   32u  /* i64 */
#define BLG_ONE_MULTI_AT    40u  /* u32 */
#define BLG_ONE_SIZE        48u
/* every instance of a counter logged with "*" */
#define BLG_ALL_COUNT_AT    12u  /* u32: items */
#define BLG_ALL_ITEMS_AT    0x20u
#define BLG_ALL_ITEM_SIZE   24u
#define BLG_ITEM_NAME_AT    0u   /* u32: name offset from the sub-record's header end */
#define BLG_ITEM_MULTI_AT   4u   /* u32 */
#define BLG_ITEM_FIRST_AT   8u   /* i64 */
#define BLG_ITEM_SECOND_AT  16u  /* i64 */

/* ---- whole-object logging: a performance data block (winperf.h) ---- */
#define BLG_PDB_HDRLEN_AT   24u  /* u32: header length: the first object follows */
#define BLG_PDB_NOBJ_AT     28u  /* u32: objects */
#define BLG_PDB_TIME_AT     56u  /* i64: performance counter time */
#define BLG_PDB_FREQ_AT     64u  /* i64: its frequency */
#define BLG_PDB_TIME100_AT  72u  /* i64: time in 100 ns */
#define BLG_PDB_SYSNAME_AT  84u  /* u32: offset of the system name */
#define BLG_PDB_MIN_SIZE    0x58u
/* an object type */
#define BLG_OBJ_TOTAL_AT    0u   /* u32: its length, instances included */
#define BLG_OBJ_DEFLEN_AT   4u   /* u32: header and counter definitions */
#define BLG_OBJ_HDRLEN_AT   8u   /* u32: the header: the definitions follow */
#define BLG_OBJ_NAME_AT     12u  /* u32: the name's index in the name table */
#define BLG_OBJ_NCTR_AT     32u  /* u32: counters */
#define BLG_OBJ_NINST_AT    40u  /* i32: instances (-1: the object has none) */
#define BLG_OBJ_TIME_AT     48u  /* i64 */
#define BLG_OBJ_FREQ_AT     56u  /* i64 */
#define BLG_OBJ_MIN_SIZE    64u
/* a counter definition */
#define BLG_DEF_LEN_AT      0u   /* u32 */
#define BLG_DEF_NAME_AT     4u   /* u32: name index */
#define BLG_DEF_TYPE_AT     28u  /* u32: counter type */
#define BLG_DEF_SIZE_AT     32u  /* u32: 4 or 8 bytes of value */
#define BLG_DEF_OFFSET_AT   36u  /* u32: where in a counter block */
#define BLG_DEF_MIN_SIZE    40u
/* an instance definition, then its counter block */
#define BLG_INST_LEN_AT     0u   /* u32 */
#define BLG_INST_NAME_AT    16u  /* u32: offset of its UTF-16 name */
#define BLG_INST_MIN_SIZE   24u
#define BLG_BLOCK_LEN_AT    0u   /* u32: the counter block's length */
#define BLG_BLOCK_MIN_SIZE  4u

#endif
