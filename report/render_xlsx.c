/* render_xlsx.c: the report as an Excel workbook: sheets summary, figures, posts, best_time
 * and alerts, headed by stable English keys, with the JSON's values stored as numbers. */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "render.h"
#include "text.h"
#include "xlsxout.h"

/* The network first (unless a --community report of one), then each community. */
static size_t rows_of(const struct report *r, const struct metric_community **list, size_t cap)
{
    size_t n = 0;
    if (render_show_total(r) && n < cap)
        list[n++] = &r->total;
    for (size_t c = 0; c < r->ncoms && n < cap; c++)
        list[n++] = &r->coms[c];
    return n;
}

/* A figure's value in its format; a missing one is n/a (null in the JSON). */
static void figure_cell(struct xlsx_book *b, enum lang lang, int row, int col, enum metric_id m,
                        const struct metric_value *v)
{
    if (v->state == MS_MISSING)
        xlsx_text(b, row, col, label(lang, L_NA));
    else if (metric_info(m)->is_rate)
        xlsx_share(b, row, col, v->v);
    else
        xlsx_count(b, row, col, v->v);
}

/* A figure's bounds (JSON `bounds`) at col and col + 1, where it has them. */
static void bounds_cells(struct xlsx_book *b, int row, int col, const struct metric_value *v)
{
    if (v->state == MS_MISSING || !v->bounded)
        return;
    xlsx_count(b, row, col, v->lo);
    xlsx_count(b, row, col + 1, v->hi);
}

static int summary(struct xlsx_book *b, const struct report *r, enum lang lang,
                   const struct metric_community **list, size_t n)
{
    static const struct xlsx_col cols[] = {
        {"community", 18}, {"name", 32},   {"period", 10}, {"figure", 26},
        {"label", 40},     {"value", 12},  {"status", 12}, {"previous", 12},
        {"average", 12},   {"change", 12}, {"lower", 10},  {"upper", 10},
    };
    char id[16];
    int row = 1, rc = xlsx_sheet(b, "summary", cols, sizeof cols / sizeof cols[0]);

    week_format(&r->week, id, sizeof id);
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct metric_community *c = list[i];
        const struct metric_week *w = &c->weeks[r->nweeks - 1];
        for (int m = 0; m < M_COUNT; m++, row++) {
            const struct metric_compare *k = &c->cmp[m];
            const struct metric_value *v = &w->m[m];
            /* what the window cannot compare while the value is known is n/a, as in HTML */
            const int cmp = v->state != MS_MISSING && r->nweeks > 1;
            xlsx_text(b, row, 0, c->ref);
            xlsx_text(b, row, 1, render_name(c));
            xlsx_text(b, row, 2, id);
            xlsx_text(b, row, 3, metric_info((enum metric_id)m)->key);
            xlsx_text(b, row, 4, period_metric_label(lang, r->week.kind, (enum metric_id)m));
            figure_cell(b, lang, row, 5, (enum metric_id)m, v);
            xlsx_text(b, row, 6, render_state_key(v->state));
            if (cmp)
                figure_cell(b, lang, row, 7, (enum metric_id)m,
                            &(struct metric_value){.v = k->prev,
                                                   .state = k->has_prev ? MS_OK : MS_MISSING});
            if (cmp && k->avg_weeks && !metric_info((enum metric_id)m)->is_rate)
                xlsx_mean(b, row, 8, k->avg); /* fmt_mean's decimals, as the text shows it */
            else if (cmp)
                figure_cell(b, lang, row, 8, (enum metric_id)m,
                            &(struct metric_value){.v = k->avg,
                                                   .state = k->avg_weeks ? MS_OK : MS_MISSING});
            /* the change from the previous period: a share's in percentage points */
            if (cmp && !k->has_prev)
                xlsx_text(b, row, 9, label(lang, L_NA));
            else if (cmp && metric_info((enum metric_id)m)->is_rate)
                xlsx_points(b, row, 9, (v->v - k->prev) * 100.0, label(lang, L_POINTS));
            else if (cmp)
                xlsx_change(b, row, 9, v->v - k->prev);
            bounds_cells(b, row, 10, v);
        }
    }
    return rc;
}

static int figures(struct xlsx_book *b, const struct report *r, enum lang lang,
                   const struct metric_community **list, size_t n)
{
    struct xlsx_col cols[5 + 3 * M_COUNT] = {
        {"community", 18}, {"name", 32}, {"period", 10}, {"start", 17}, {"end", 17},
    };
    char keys[M_COUNT][2][64], id[16];
    int row = 1, rc, ncols = 5;

    /* a figure's column, then <key>_lower and <key>_upper for one that may have bounds */
    for (int m = 0; m < M_COUNT; m++) {
        const struct metric_def *d = metric_info((enum metric_id)m);
        cols[ncols++] = (struct xlsx_col){d->key, 14};
        if (!d->has_bounds)
            continue;
        snprintf(keys[m][0], sizeof keys[m][0], "%s_lower", d->key);
        snprintf(keys[m][1], sizeof keys[m][1], "%s_upper", d->key);
        cols[ncols++] = (struct xlsx_col){keys[m][0], 14};
        cols[ncols++] = (struct xlsx_col){keys[m][1], 14};
    }
    if ((rc = xlsx_sheet(b, "figures", cols, (size_t)ncols)) != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        for (int wi = 0; wi < r->nweeks; wi++, row++) {
            const struct metric_week *w = &list[i]->weeks[wi];
            int col = 5;
            week_format(&w->wk, id, sizeof id);
            xlsx_text(b, row, 0, list[i]->ref);
            xlsx_text(b, row, 1, render_name(list[i]));
            xlsx_text(b, row, 2, id);
            xlsx_time(b, row, 3, w->wk.start);
            xlsx_time(b, row, 4, w->wk.end);
            for (int m = 0; m < M_COUNT; m++) {
                figure_cell(b, lang, row, col++, (enum metric_id)m, &w->m[m]);
                if (metric_info((enum metric_id)m)->has_bounds) {
                    bounds_cells(b, row, col, &w->m[m]);
                    col += 2;
                }
            }
        }
    return 0;
}

static int posts(struct xlsx_book *b, const struct report *r, enum lang lang)
{
    static const struct xlsx_col cols[] = {
        {"community", 18}, {"url", 34},       {"date", 17},    {"type", 9},
        {"text", 60},      {"views", 10},     {"likes", 9},    {"comments", 11},
        {"reposts", 9},    {"reactions", 11}, {"er_post", 10}, {"er_view", 10},
    };
    char url[96];
    int row = 1, rc = xlsx_sheet(b, "posts", cols, sizeof cols / sizeof cols[0]);

    for (size_t c = 0; c < r->ncoms && rc == 0; c++)
        for (size_t i = 0; i < r->coms[c].nposts; i++, row++) {
            const struct metric_post *p = &r->coms[c].posts[i];
            render_post_url(p, url, sizeof url);
            xlsx_text(b, row, 0, r->coms[c].ref);
            xlsx_text(b, row, 1, url);
            xlsx_time(b, row, 2, p->date);
            xlsx_text(b, row, 3, render_post_type_key(p->kind));
            xlsx_text(b, row, 4, p->text);
            xlsx_count(b, row, 5, (double)p->views);
            xlsx_count(b, row, 6, (double)p->likes);
            xlsx_count(b, row, 7, (double)p->comments);
            xlsx_count(b, row, 8, (double)p->reposts);
            xlsx_count(b, row, 9, (double)metric_post_reactions(p));
            if (p->er_post >= 0)
                xlsx_share(b, row, 10, p->er_post);
            else
                xlsx_text(b, row, 10, label(lang, L_NA));
            if (p->er_view >= 0)
                xlsx_share(b, row, 11, p->er_view);
            else
                xlsx_text(b, row, 11, label(lang, L_NA));
        }
    return rc;
}

static int best_time(struct xlsx_book *b, const struct metric_community **list, size_t n)
{
    static const struct xlsx_col cols[] = {
        {"community", 18}, {"weekday", 9},    {"hour", 6},
        {"posts", 8},      {"reactions", 11}, {"reactions_per_post", 19},
    };
    int row = 1, rc = xlsx_sheet(b, "best_time", cols, sizeof cols / sizeof cols[0]);

    for (size_t i = 0; i < n && rc == 0; i++)
        for (int d = 0; d < 7; d++)
            for (int h = 0; h < 24; h++) {
                const struct metric_hours *hs = &list[i]->hours;
                if (!hs->posts[d][h])
                    continue;
                xlsx_text(b, row, 0, list[i]->ref);
                xlsx_count(b, row, 1, d + 1);
                xlsx_count(b, row, 2, h);
                xlsx_count(b, row, 3, (double)hs->posts[d][h]);
                xlsx_count(b, row, 4, (double)hs->reactions[d][h]);
                xlsx_count(b, row, 5, (double)hs->reactions[d][h] / (double)hs->posts[d][h]);
                row++;
            }
    return rc;
}

static int alerts(struct xlsx_book *b, const struct render_options *o)
{
    static const struct xlsx_col cols[] = {
        {"community", 18}, {"rule", 16}, {"since", 17}, {"text", 80}};
    int rc = xlsx_sheet(b, "alerts", cols, sizeof cols / sizeof cols[0]);

    for (size_t i = 0; i < o->nalerts && rc == 0; i++) {
        xlsx_text(b, (int)i + 1, 0, o->alerts[i].ref ? o->alerts[i].ref : "");
        xlsx_text(b, (int)i + 1, 1, o->alerts[i].rule);
        xlsx_time(b, (int)i + 1, 2, o->alerts[i].since);
        xlsx_text(b, (int)i + 1, 3, o->alerts[i].text);
    }
    return rc;
}

int render_xlsx(const struct report *r, const struct render_options *o, const char *path, char *err,
                size_t errlen)
{
    const struct metric_community *list[257];
    size_t n = rows_of(r, list, sizeof list / sizeof list[0]);
    struct xlsx_book *b = xlsx_open(path);
    int rc;

    if (!b) {
        text_copy(err, errlen, vkp_strerror(VKP_ENOMEM));
        return VKP_ENOMEM;
    }
    if ((rc = summary(b, r, o->lang, list, n)) != 0 ||
        (rc = figures(b, r, o->lang, list, n)) != 0 || (rc = posts(b, r, o->lang)) != 0 ||
        (rc = best_time(b, list, n)) != 0 || (rc = alerts(b, o)) != 0) {
        char ignored[128];
        xlsx_close(b, ignored, sizeof ignored);
        text_copy(err, errlen, vkp_strerror(rc));
        return rc;
    }
    return xlsx_close(b, err, errlen);
}
