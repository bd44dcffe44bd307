/* progress.h: the collector's progress drawn on a terminal, a line per community. */
#ifndef VKP_PROGRESS_H
#define VKP_PROGRESS_H

#include "collect.h"

/* progress_draw: a collect_progress_fn for stderr (a terminal). The block is redrawn in
 * place and erased before any log line; the final one stays. `ud` is unused. */
void progress_draw(void *ud, const struct collect_progress *p);

#endif
