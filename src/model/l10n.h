/* l10n.h - English names of localized object and counter names (the
 * leak-prone ones); internal. */
#ifndef PL_L10N_H
#define PL_L10N_H

#include <stddef.h>

/* The English name of a localized object name ("Процесс" -> "Process"),
 * or NULL; *lang (may be NULL) gets the language ("ru"). */
const char *pl_l10n_object(const char *object, const char **lang);

/* The English name of a localized counter of English object object_en
 * ("Process", "Рабочий набор" -> "Working Set"), or NULL. *lang (may be
 * NULL) holds the object's language or NULL and gets the counter's, NULL
 * when the name is shared by languages and the object did not tell. */
const char *pl_l10n_counter(const char *object_en, const char *counter, const char **lang);

/* The table, row by row, for tests and `perfleak counters`. */
size_t pl_l10n_count(void);
int pl_l10n_row(size_t i, const char **lang, const char **object_en, const char **counter_en,
                const char **local, const char **source);

#endif
