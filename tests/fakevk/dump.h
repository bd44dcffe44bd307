/* dump.h: --dump-expected: what a perfect collector would store at a given server time. */
#ifndef FV_DUMP_H
#define FV_DUMP_H

#include <stdint.h>
#include <stdio.h>

#include "dataset.h"
#include "methods.h"

/* Writes the sorted TAB-separated records visible at @t to @path and a summary (counts per
 * record type, API calls a full collection needs) to @summary. 0, FV_EIO or FV_ENOMEM. */
int dump_expected(const struct dataset *ds, const struct methods_config *mc, int64_t t,
                  const char *path, FILE *summary);

/* Writes the city directory with its ground truth, one line per city in directory order:
 * city<TAB>id<TAB>region_id<TAB>municipality or -<TAB>title<TAB>area or -. 0 or FV_EIO. */
int dump_directory(const char *path);

/* Writes one line per post visible at @t, with the counters wall.get shows then, to @path:
 * counter<TAB>owner_id<TAB>post_id<TAB>views<TAB>likes<TAB>comments<TAB>reposts<TAB>text, in wall
 * order (the truth for figures VK gives only as counters), each followed by a line
 * liked<TAB>owner_id<TAB>post_id<TAB>user_id<TAB>date per like. 0 or FV_EIO. */
int dump_counters(const struct dataset *ds, int64_t t, const char *path);

#endif
