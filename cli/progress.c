/* progress.c: draws the collector's progress on the terminal, redrawn in place. */
#include "progress.h"

#include <inttypes.h>
#include <stdio.h>

#include "log.h"

/* Lines of the progress block on screen, erased before a log message. */
static size_t progress_lines;

static void progress_erase(void)
{
    if (progress_lines)
        fprintf(stderr, "\033[%zuA\r\033[J", progress_lines);
    progress_lines = 0;
}

void progress_draw(void *ud, const struct collect_progress *p)
{
    (void)ud;
    log_lock();
    log_set_before(NULL);
    progress_erase();
    for (size_t i = 0; i < p->n; i++) {
        const struct collect_progress_row *r = &p->rows[i];
        fprintf(stderr, "  %-32.32s %6" PRId64 "/%-6" PRId64 " calls  %s\n", r->name, r->calls_done,
                r->calls_planned, r->finished ? "done" : "");
    }
    if (!p->final)
        fprintf(stderr, "  %-32s ETA %.0f s (the calls known so far)\n", "", p->eta_s);
    /* The final block stays; an intermediate one is redrawn in place. */
    progress_lines = p->final ? 0 : p->n + 1;
    if (!p->final)
        log_set_before(progress_erase);
    fflush(stderr);
    log_unlock();
}
