/* path.h - Performance Monitor counter paths
 * (\\MACHINE\Object(Parent/Instance#n)\Counter) split into their parts,
 * and the wildcard patterns users select counters with. */
#ifndef PERFLEAK_PATH_H
#define PERFLEAK_PATH_H

#include "perfleak/perfleak.h"

/* A parsed path. Every string is owned by the struct (NULL when the part is
 * absent); index is -1 when the path carries no #n. */
typedef struct pl_path {
    char *machine;  /* without the leading backslashes */
    char *object;   /* English when the log's name is a known translation */
    char *parent;
    char *instance; /* without #n */
    int index;
    char *counter;  /* English when the log's name is a known translation */
    char *object_local;  /* the log's object name when translated, else NULL */
    char *counter_local; /* the log's counter name when translated, else NULL */
    const char *lang;    /* language of the translated names ("ru"), else NULL */
} pl_path;

/* Parses s (UTF-8). On success fills *out (release with pl_path_clear).
 * Returns PL_OK or PL_EFORMAT/PL_ENOMEM with err->msg saying what was
 * expected (without a file name: the caller adds its location). */
int pl_path_parse(const char *s, pl_path *out, pl_error *err);

/* The path with the English names ("\\\\H\\Process(a)\\Working Set") when p
 * has translated names, else NULL (also when out of memory: then *oom is
 * set). Caller frees. */
char *pl_path_english(const pl_path *p, int *oom);

/* Frees the strings of p and zeroes it; NULL and cleared paths are fine. */
void pl_path_clear(pl_path *p);

/* "machine\x1Fparent\x1Finstance\x1Findex": one object instance (one
 * process) whatever the counter, as a key. Caller frees; NULL when out of
 * memory. */
char *pl_path_instance_key(const pl_path *p);

/* Case-insensitive (ASCII) wildcard match of a counter path against a
 * pattern: '*' any run of characters, '?' one character, everything else
 * literal (so "Process(*)" and "intel[r]" mean what they say). A pattern
 * that does not start with "\\" is matched against the path with its
 * machine part removed, so 'Process(*)\Private Bytes' matches on any host. */
int pl_path_match(const char *pattern, const char *path);

/* Glob match on whole strings, as above. Returns 1 on a match. */
int pl_glob_match(const char *pattern, const char *text);

/* Pointer to the part of path after "\\MACHINE\" (path itself if none). */
const char *pl_path_without_machine(const char *path);

#endif
