/* select.c - which counters a job takes (see select.h). */
#include "analysis/select.h"
#include "perfleak/counters.h"

int pl_select_matches(const char *pattern, const char *path, const char *path_en)
{
    return pl_path_match(pattern, path) || (path_en && pl_path_match(pattern, path_en));
}

int pl_select_left_out_aggregate(const pl_selection *s, const pl_path *parts)
{
    pl_path q = *parts;
    if (s->n_include != 0 || s->everything || !pl_counter_is_aggregate(parts))
        return 0;
    q.instance = NULL;
    return pl_counter_in_default_set(&q);
}

int pl_select_counter(const pl_selection *s, const char *path, const char *path_en,
                      const pl_path *parts)
{
    size_t i;
    int in = 0;
    if (s->n_include == 0) {
        in = s->everything || pl_counter_in_default_set(parts);
    } else {
        for (i = 0; i < s->n_include && !in; i++)
            in = pl_select_matches(s->include[i], path, path_en);
    }
    for (i = 0; in && i < s->n_exclude; i++)
        if (pl_select_matches(s->exclude[i], path, path_en))
            in = 0;
    return in;
}
