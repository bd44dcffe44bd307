/* render_html_int.h: what the report's HTML files share (render_html.c, render_html_glance.c);
 * no other module includes this. */
#ifndef VKP_RENDER_HTML_INT_H
#define VKP_RENDER_HTML_INT_H

#include <stdint.h>
#include <stdio.h>

#include "render.h"

/* The headline block: the five figures with their change and direction, then the period's
 * notable changes in words and the community's active alerts (all of them for the total). */
void html_glance(FILE *out, const struct report *r, const struct render_options *o,
                 const struct metric_community *c, int is_total);

/* The communities side by side, one row each, linking to their sections. */
void html_overview(FILE *out, const struct report *r, const struct render_options *o);

/* Every post of the period as a sortable table (the top posts are its first rows). */
void html_posts(FILE *out, enum lang lang, const struct report *r,
                const struct metric_community *c);

/* The best time to post: reactions per post by weekday and hour, as a heatmap table. */
void html_best_time(FILE *out, enum lang lang, const struct metric_hours *h);

/* The legend: how each figure with a formula is computed (metric_defs.c). */
void html_formulas(FILE *out, enum lang lang, enum period_kind kind);

/* The script that sorts a table.sortable by the column whose head is clicked (inline, the
 * page's only script: without it the tables read as they are). */
void html_sort_script(FILE *out);

#endif
