/* render_html.c: the report as one self-contained HTML file: tables and inline SVG charts; its
 * one inline script only sorts tables (render_html_glance.c). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "muni.h"
#include "html.h"
#include "render.h"
#include "render_html_int.h"
#include "svg.h"
#include "text.h"

/* A table cell holding one figure. */
static void value_cell(FILE *out, enum lang lang, enum metric_id m, const struct metric_value *v)
{
    char buf[64];
    render_value(lang, m, v, buf, sizeof buf);
    fprintf(out, "<td class=\"%s\">",
            v->state == MS_MISSING  ? "na"
            : v->state == MS_APPROX ? "ap"
                                    : "n");
    html_esc(out, buf);
    fputs("</td>", out);
}

/* A change cell coloured by whether it is good news (cur against base); n/a when !known. */
static void change_cell(FILE *out, enum metric_id m, const char *s, int known, double cur,
                        double base)
{
    int dir = cur > base ? 1 : cur < base ? -1 : 0;
    if (metric_info(m)->lower_better)
        dir = -dir;
    fprintf(out, "<td class=\"%s\">",
            !known    ? "na"
            : !s[0]   ? "n"
            : dir > 0 ? "n up"
            : dir < 0 ? "n down"
                      : "n");
    html_esc(out, s);
    fputs("</td>", out);
}

static void text_cell(FILE *out, const char *cls, const char *s)
{
    fprintf(out, "<td class=\"%s\">", cls);
    html_esc(out, s);
    fputs("</td>", out);
}

static void figures(FILE *out, enum lang lang, const struct metric_community *c, int nweeks)
{
    const struct metric_week *w = &c->weeks[nweeks - 1];
    char head[128];
    struct render_cmp k;

    render_average_head(lang, w->wk.kind, nweeks, head, sizeof head);
    fprintf(out,
            "<table class=\"figs\"><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
            "<th>%s</th></tr>\n",
            label(lang, L_FIGURE), period_label(lang, w->wk.kind, L_THIS_WEEK),
            period_label(lang, w->wk.kind, L_PREV_WEEK), label(lang, L_CHANGE), head,
            label(lang, L_VS_AVERAGE));
    for (int m = 0; m < M_COUNT; m++) {
        const struct metric_compare *cm = &c->cmp[m];
        render_compare(lang, c, nweeks, (enum metric_id)m, &k);
        fprintf(out, "<tr><td%s>", metric_info((enum metric_id)m)->sub ? " class=\"sub\"" : "");
        html_esc(out, period_metric_label(lang, w->wk.kind, (enum metric_id)m));
        fputs("</td>", out);
        value_cell(out, lang, (enum metric_id)m, &w->m[m]);
        text_cell(out, cm->has_prev ? "n" : "na", k.prev);
        change_cell(out, (enum metric_id)m, k.change, cm->has_prev, w->m[m].v, cm->prev);
        text_cell(out, cm->avg_weeks ? "n" : "na", k.avg);
        change_cell(out, (enum metric_id)m, k.vs_avg, cm->avg_weeks, w->m[m].v, cm->avg);
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void notes(FILE *out, enum lang lang, unsigned bits)
{
    if (!bits)
        return;
    fprintf(out, "<p><b>%s</b></p><ul class=\"notes\">", label(lang, L_NOTES));
    for (int b = 0; b < NOTE_COUNT_; b++)
        if (bits & (1u << b)) {
            fputs("<li>", out);
            html_esc(out, note_label(lang, 1u << b));
            fputs("</li>", out);
        }
    fputs("</ul>\n", out);
}

/* ---- charts ------------------------------------------------------------------------------- */

/* Charts are drawn in a 600-unit viewBox and scale to the column; their
 * legends are HTML lists under them (svg.h). */
#define CW 600
#define LADDER_COLORS "#c7d3e3", "#6fa8dc", "#1c4f8a"

static const struct svg_frame line_frame = {CW, 274, 72, 16, 44, 38};

/* Period labels under the plot, thinned so that they never overlap. */
static void x_labels(FILE *out, const struct report *r, const struct svg_frame *f, double step,
                     double off)
{
    char wk[16];
    int every = r->nweeks > 12 ? (r->nweeks + 11) / 12 : 1;
    for (int i = 0; i < r->nweeks; i++) {
        if ((r->nweeks - 1 - i) % every)
            continue;
        render_period_head(r, i, wk, sizeof wk);
        svg_text(out, f->left + off + step * i, f->h - f->bottom + 26, "middle", "",
                 r->weeks[i].kind == PERIOD_WEEK ? wk + 5 : wk);
    }
    fputc('\n', out);
}

static void chart_subscribers(FILE *out, const struct report *r, enum lang lang)
{
    const struct svg_frame *f = &line_frame;
    double lo = INFINITY, hi = -INFINITY;
    int n = r->nweeks;
    double step = n > 1 ? (double)(f->w - f->left - f->right - 40) / (n - 1) : 0;
    struct svg_axis ax;

    for (size_t c = 0; c < r->ncoms; c++)
        for (int i = 0; i < n; i++) {
            const struct metric_value *v = &r->coms[c].weeks[i].m[M_SUBS_END];
            if (v->state != MS_MISSING) {
                lo = fmin(lo, v->v);
                hi = fmax(hi, v->v);
            }
        }
    svg_open_as(out, "chart phone", period_label(lang, r->week.kind, L_CHART_SUBS), f);
    if (lo > hi) {
        svg_text(out, f->left, f->h / 2.0, "start", "", label(lang, L_NA));
        svg_legend_begin(out);
        svg_close(out);
        return;
    }
    svg_nice_axis(lo, hi, 5, 1, &ax);
    svg_y_axis(out, lang, f, &ax, label(lang, L_UNIT_PEOPLE));
    x_labels(out, r, f, step, 20);
    for (size_t c = 0; c < r->ncoms; c++) {
        const char *color = svg_color(c);
        int open = 0;
        fprintf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"", color);
        for (int i = 0; i < n; i++) {
            const struct metric_value *v = &r->coms[c].weeks[i].m[M_SUBS_END];
            if (v->state == MS_MISSING) {
                open = 0; /* a gap, never a drop to zero */
                continue;
            }
            fprintf(out, "%c%.1f %.1f ", open ? 'L' : 'M', f->left + 20 + step * i,
                    svg_y(f, &ax, v->v));
            open = 1;
        }
        fputs("\"/>\n", out);
        for (int i = 0; i < n; i++) {
            const struct metric_value *v = &r->coms[c].weeks[i].m[M_SUBS_END];
            if (v->state != MS_MISSING)
                fprintf(out,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
                        "fill=\"%s\"><title>%s</title></circle>",
                        f->left + 20 + step * i, svg_y(f, &ax, v->v), color,
                        FMT_INT(lang, llround(v->v)));
        }
    }
    svg_legend_begin(out);
    for (size_t c = 0; c < r->ncoms; c++)
        svg_legend(out, render_name(&r->coms[c]), svg_color(c));
    svg_close(out);
}

/* The period's interactions as metrics.c defines them (0 when missing, *ok then 0). */
static double interactions(const struct metric_week *w, int *ok)
{
    struct metric_value v = metric_interactions(w);
    *ok = v.state != MS_MISSING;
    return *ok ? v.v : 0;
}

static void chart_interactions(FILE *out, const struct report *r, enum lang lang)
{
    const struct svg_frame *f = &line_frame;
    int n = r->nweeks, ok;
    double hi = 1;
    double slot = (double)(f->w - f->left - f->right) / n, bw = slot * 0.6;
    struct svg_axis ax;

    for (int i = 0; i < n; i++) {
        double sum = 0;
        for (size_t c = 0; c < r->ncoms; c++)
            sum += interactions(&r->coms[c].weeks[i], &ok);
        hi = fmax(hi, sum);
    }
    svg_open_as(out, "chart phone", period_label(lang, r->week.kind, L_CHART_INTER), f);
    svg_nice_axis(0, hi, 5, 1, &ax);
    svg_y_axis(out, lang, f, &ax, label(lang, L_UNIT_INTER));
    x_labels(out, r, f, slot, slot / 2);
    for (int i = 0; i < n; i++) {
        double base = 0;
        int missing = 0;
        for (size_t c = 0; c < r->ncoms; c++) {
            double v = interactions(&r->coms[c].weeks[i], &ok);
            missing += !ok;
            if (v <= 0)
                continue;
            double y1 = svg_y(f, &ax, base + v), y0 = svg_y(f, &ax, base);
            fprintf(out,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                    "<title>%s</title></rect>\n",
                    f->left + slot * i + (slot - bw) / 2, y1, bw, y0 - y1, svg_color(c),
                    FMT_INT(lang, llround(v)));
            base += v;
        }
        if (missing)
            svg_text(out, f->left + slot * i + slot / 2, svg_y(f, &ax, base) - 6, "middle",
                     "fill=\"#8a5a00\"", missing == (int)r->ncoms ? label(lang, L_NA) : "~");
    }
    svg_legend_begin(out);
    for (size_t c = 0; c < r->ncoms; c++)
        svg_legend(out, render_name(&r->coms[c]), svg_color(c));
    svg_close(out);
}

/* Bar rows: a name on its own line, the bar under it, the number after the
 * bar in a reserved right margin, so that no text ever covers another. */
#define ROW_H 56     /* a row: the name, then the bar with its number after it */
#define ROW_NAME 18  /* the name's baseline */
#define ROW_BAR 26   /* the bar's top; it is 16 high */
#define ROW_NUM 41   /* the number's baseline */
#define ROW_CHARS 48 /* a row's name is cut (with "…") to this many characters */
#define BAR_X 8
#define BAR_W (CW - BAR_X - 130)

/* A row's name over its bar, cut to ROW_CHARS characters so that it never runs past the
 * chart's edge on a phone; the whole name is its tooltip. */
static void row_name(FILE *out, double y, const char *name)
{
    char cut[ROW_CHARS * 4 + 8];
    /* ROW_CHARS characters and "…" when the name is longer: "…" only when cut. */
    text_clip(cut, sizeof cut, name, ROW_CHARS + 1);
    fprintf(out, "<g><title>");
    html_esc(out, name);
    fputs("</title>", out);
    svg_text(out, BAR_X, y + ROW_NAME, "start", "", cut);
    fputs("</g>", out);
}

static void ladder_bar(FILE *out, enum lang lang, const struct metric_ladder *l, double y,
                       const char *name)
{
    static const char *const colors[] = {LADDER_COLORS};
    double x = BAR_X;
    row_name(out, y, name);
    if (l->state == MS_MISSING || l->members == 0) {
        svg_text(out, x, y + ROW_NUM, "start", "fill=\"#999\"",
                 l->state == MS_MISSING ? label(lang, L_NA) : "0");
        fputc('\n', out);
        return;
    }
    for (int k = 0; k < LADDER_LEVELS; k++) {
        double part = BAR_W * (double)l->level[k] / (double)l->members;
        fprintf(out,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\">"
                "<title>%s</title></rect>",
                x, y + ROW_BAR, part, colors[k], FMT_INT(lang, l->level[k]));
        x += part;
    }
    svg_text(out, x + 6, y + ROW_NUM, "start", "", FMT_INT(lang, l->members));
    fputc('\n', out);
}

static void chart_ladder(FILE *out, const struct report *r, enum lang lang)
{
    static const char *const colors[] = {LADDER_COLORS};
    static const enum label names[] = {L_REGISTERED, L_DISCUSS, L_CONTRIBUTE};
    struct svg_frame f = {CW, 8 + (int)r->ncoms * 2 * ROW_H + 8, 0, 0, 0, 0};
    svg_open_as(out, "chart phone", label(lang, L_CHART_LADDER), &f);
    for (size_t c = 0; c < r->ncoms; c++) {
        char name[512];
        double y = 8 + (double)c * 2 * ROW_H;
        text_printf(name, sizeof name, "%s: %s", label(lang, L_PERIOD_NOW),
                    render_name(&r->coms[c]));
        ladder_bar(out, lang, &r->coms[c].ladder, y, name);
        text_printf(name, sizeof name, "%s: %s", label(lang, L_PERIOD_PREV),
                    render_name(&r->coms[c]));
        ladder_bar(out, lang, &r->coms[c].ladder_prev, y + ROW_H, name);
    }
    svg_legend_begin(out);
    for (int k = 0; k < LADDER_LEVELS; k++)
        svg_legend(out, label(lang, names[k]), colors[k]);
    svg_close(out);
}

static int by_members_desc(const void *a, const void *b)
{
    const struct metric_muni *x = *(const struct metric_muni *const *)a;
    const struct metric_muni *y = *(const struct metric_muni *const *)b;
    if (x->members != y->members)
        return x->members > y->members ? -1 : 1;
    return x->muni->index - y->muni->index;
}

static int chart_munis(FILE *out, const struct report *r, enum lang lang)
{
    const struct metric_network *n = &r->net;
    const struct metric_muni **list = calloc(n->nmunis + 1, sizeof *list);
    size_t k = 0;
    double hi = 1;
    char num[64];

    if (!list)
        return VKP_ENOMEM;
    for (size_t i = 0; i < n->nmunis; i++)
        if (n->munis[i].members > 0)
            list[k++] = &n->munis[i];
    qsort(list, k, sizeof *list, by_members_desc);
    if (k > 20)
        k = 20;
    if (k)
        hi = (double)list[0]->members;
    struct svg_frame f = {CW, 8 + (int)k * ROW_H + 8, 0, 0, 0, 0};
    svg_open_as(out, "chart phone", label(lang, L_CHART_MUNIS), &f);
    for (size_t i = 0; i < k; i++) {
        double y = 8 + (double)i * ROW_H, w = BAR_W * (double)list[i]->members / hi;
        row_name(out, y, list[i]->muni->short_name);
        fprintf(out,
                "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\">"
                "<title>%s</title></rect>"
                "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"8\" fill=\"%s\">"
                "<title>%s</title></rect>",
                BAR_X, y + ROW_BAR, w, svg_color(0), FMT_INT(lang, list[i]->members), BAR_X,
                y + ROW_BAR + 4, BAR_W * (double)list[i]->active / hi, svg_color(1),
                FMT_INT(lang, list[i]->active));
        snprintf(num, sizeof num, "%s / %s", FMT_INT(lang, list[i]->members),
                 FMT_INT(lang, list[i]->active));
        svg_text(out, BAR_X + w + 6, y + ROW_NUM, "start", "", num);
        fputc('\n', out);
    }
    svg_legend_begin(out);
    svg_legend(out, label(lang, L_MEMBERS), svg_color(0));
    svg_legend(out, period_label(lang, r->week.kind, L_ACTIVE), svg_color(1));
    svg_close(out);
    free(list);
    return 0;
}

/* ---- sections ----------------------------------------------------------------------------- */

static void ladder_table(FILE *out, const struct report *r, enum lang lang)
{
    const enum label heads[] = {L_MEMBERS, L_REGISTERED, L_DISCUSS, L_CONTRIBUTE, L_OUTSIDERS};
    fprintf(out, "<table><tr><th>%s</th><th></th>", label(lang, L_COMMUNITY));
    for (size_t i = 0; i < 5; i++)
        fprintf(out, "<th>%s</th>", label(lang, heads[i]));
    fprintf(out, "<th>%s</th></tr>\n", label(lang, L_MOVES));
    for (size_t c = 0; c < r->ncoms; c++) {
        const struct metric_community *mc = &r->coms[c];
        const struct metric_ladder *ls[] = {&mc->ladder, &mc->ladder_prev};
        for (int p = 0; p < 2; p++) {
            const struct metric_ladder *l = ls[p];
            const int64_t v[] = {l->members, l->level[LADDER_REGISTERED], l->level[LADDER_DISCUSS],
                                 l->level[LADDER_CONTRIBUTE], l->outsiders};
            fputs("<tr><td>", out);
            if (p == 0)
                html_esc(out, render_name(mc));
            fprintf(out, "</td><td>%s</td>", label(lang, p ? L_PERIOD_PREV : L_PERIOD_NOW));
            for (size_t i = 0; i < 5; i++) {
                if (l->state == MS_MISSING)
                    fprintf(out, "<td class=\"na\">%s</td>", label(lang, L_NA));
                else
                    fprintf(out, "<td class=\"%s\">%s%s</td>", l->state == MS_APPROX ? "ap" : "n",
                            l->state == MS_APPROX ? "~" : "", FMT_INT(lang, v[i]));
            }
            if (p == 1 || mc->moves.state == MS_MISSING)
                fprintf(out, "<td class=\"na\">%s</td></tr>\n", p ? "" : label(lang, L_NA));
            else
                fprintf(out, "<td>%s %s, %s %s, %s %s, %s %s, %s %s</td></tr>\n", label(lang, L_UP),
                        FMT_INT(lang, mc->moves.up), label(lang, L_DOWN),
                        FMT_INT(lang, mc->moves.down), label(lang, L_SAME),
                        FMT_INT(lang, mc->moves.same), label(lang, L_CAME),
                        FMT_INT(lang, mc->moves.came), label(lang, L_WENT),
                        FMT_INT(lang, mc->moves.went));
        }
    }
    fputs("</table>\n", out);
}

static int people(FILE *out, const struct report *r, enum lang lang)
{
    const struct metric_network *n = &r->net;
    size_t n1 = n->ncom + 1;
    int64_t multi = 0;
    char buf[32];

    html_h2(out, "people", label(lang, L_PEOPLE));
    if (n->state == MS_MISSING) {
        fprintf(out, "<p class=\"meta\">%s</p>\n", label(lang, L_NA));
        return 0;
    }
    for (size_t k = 2; k < n1; k++)
        multi += n->members_in[k];
    fprintf(out,
            "<table><tr><td>%s</td><td class=\"n\">%s</td></tr><tr><td>%s</td>"
            "<td class=\"n\">%s</td></tr><tr><td>%s</td><td class=\"n\">%s"
            "</td></tr><tr><td>%s</td><td class=\"n\">%zu</td></tr></table>\n",
            label(lang, L_DISTINCT_MEMBERS), FMT_INT(lang, n->members),
            label(lang, L_MULTI_MEMBERS), FMT_INT(lang, multi), label(lang, L_DISTINCT_ACTIVE),
            FMT_INT(lang, n->active), label(lang, L_EXCLUDED), n->excluded);
    fprintf(out, "<h3>%s</h3><table><tr><th>%s</th>", label(lang, L_SPREAD),
            label(lang, L_MEMBER_OF));
    for (size_t j = 0; j < n1; j++)
        fprintf(out, "<th>%s %zu</th>", label(lang, L_ACTIVE_IN), j);
    fputs("</tr>\n", out);
    for (size_t k = 1; k < n1; k++) {
        fprintf(out, "<tr><td>%zu</td>", k);
        for (size_t j = 0; j < n1; j++)
            fprintf(out, "<td class=\"n\">%s</td>", FMT_INT(lang, n->spread[k * n1 + j]));
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
    fprintf(out, "<h3>%s</h3>\n", label(lang, L_MUNIS));
    int rc = chart_munis(out, r, lang);
    if (rc)
        return rc;
    render_number(lang, n->members ? (double)n->attributed / (double)n->members : 0, 1, buf,
                  sizeof buf);
    fprintf(out, "<p class=\"meta\">%s: %s / %s (%s); %s: %s; %s: %s</p>\n",
            label(lang, L_ATTRIBUTED), FMT_INT(lang, n->attributed), FMT_INT(lang, n->members), buf,
            label(lang, L_NO_CITY), FMT_INT(lang, n->no_city), label(lang, L_OUTSIDE),
            FMT_INT(lang, n->outside));
    fprintf(out, "<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
            label(lang, L_MUNI), label(lang, L_MEMBERS), period_label(lang, r->week.kind, L_ACTIVE),
            label(lang, L_DISCUSS), label(lang, L_CONTRIBUTE));
    for (size_t i = 0; i < n->nmunis; i++) {
        const struct metric_muni *m = &n->munis[i];
        if (!m->members)
            continue;
        fputs("<tr><td>", out);
        html_esc(out, m->muni->short_name);
        fprintf(out,
                "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td></tr>\n",
                FMT_INT(lang, m->members), FMT_INT(lang, m->active), FMT_INT(lang, m->discuss),
                FMT_INT(lang, m->contribute));
    }
    fputs("</table>\n", out);
    return 0;
}

static void html_note(void *ud, const char *who, const char *note)
{
    fputs("<b>", ud);
    html_esc(ud, who);
    fputs("</b>: ", ud);
    html_esc(ud, note);
    fputs("<br>", ud);
}

static void coverage(FILE *out, const struct report *r, enum lang lang)
{
    char wk[16];
    html_h2(out, "data", label(lang, L_DATA));
    fprintf(out,
            "<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
            "<th>%s</th></tr>\n",
            period_label(lang, r->week.kind, L_WEEK), label(lang, L_RUNS), label(lang, L_RUNS_OK),
            label(lang, L_RUNS_PARTIAL), label(lang, L_RUNS_FAILED), label(lang, L_NOTES));
    for (int i = 0; i < r->nweeks; i++) {
        week_format(&r->weeks[i], wk, sizeof wk);
        fprintf(out,
                "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td><td class=\"n\">%s</td><td>",
                wk, FMT_INT(lang, r->runs[i].total), FMT_INT(lang, r->runs[i].ok),
                FMT_INT(lang, r->runs[i].partial), FMT_INT(lang, r->runs[i].failed));
        render_week_notes(r, lang, i, html_note, out);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

/* The page's head, title, window and legends, then the table of contents: the
 * total, each community (anchors c1, c2, ...) and, for weeks to quarters, the
 * ladder, the people and the data coverage. */
static void page_head(FILE *out, const struct report *r, enum lang lang)
{
    char wk[16], w0[16], s[32], e[32], gen[48], title[768], n[64], runs[160];
    int li = r->nweeks - 1;
    struct html_toc toc[64];
    char ids[64][16];
    size_t nt = 0;

    week_format(&r->week, wk, sizeof wk);
    week_format(&r->weeks[0], w0, sizeof w0);
    fmt_date(lang, r->week.start, 0, s, sizeof s);
    fmt_date(lang, r->week.end - 1, 0, e, sizeof e);
    fmt_date(lang, r->generated_at, 1, gen, sizeof gen);
    /* A --community page is that community's: its name comes first. */
    text_printf(title, sizeof title, "%s%s%s — %s %s (%s – %s)",
                render_show_total(r) ? "" : render_name(&r->coms[0]),
                render_show_total(r) ? "" : ": ", period_label(lang, r->week.kind, L_TITLE),
                period_label(lang, r->week.kind, L_WEEK), wk, s, e);
    html_page_open(out, lang, title);
    fmt_count(lang, r->nweeks, period_unit_forms(lang, r->week.kind), n, sizeof n);
    fprintf(out, "<p class=\"meta\">%s: ", label(lang, L_TIMEZONE));
    html_esc(out, r->tz);
    render_runs(r, lang, li, runs, sizeof runs);
    fprintf(out, ". %s: %s (%s – %s). %s: %s. %s: %s</p>\n", label(lang, L_WINDOW), n, w0, wk,
            label(lang, L_GENERATED), gen, label(lang, L_RUNS), runs);
    fprintf(out, "<p class=\"legend\">%s<br>%s</p>\n", label(lang, L_APPROX_LEGEND),
            label(lang, L_NA_LEGEND));
    if (render_show_total(r))
        toc[nt++] = (struct html_toc){"total", render_total_title(r, lang)};
    for (size_t c = 0; c < r->ncoms && nt < 60; c++) {
        snprintf(ids[nt], sizeof ids[nt], "c%zu", c + 1);
        toc[nt] = (struct html_toc){ids[nt], render_name(&r->coms[c])};
        nt++;
    }
    if (!render_is_yearly(r)) {
        toc[nt++] = (struct html_toc){"ladder", label(lang, L_LADDER)};
        if (render_show_total(r))
            toc[nt++] = (struct html_toc){"people", label(lang, L_PEOPLE)};
        toc[nt++] = (struct html_toc){"data", label(lang, L_DATA)};
    }
    html_toc(out, label(lang, L_CONTENTS), toc, nt);
}

/* A community's heading with its anchor: name (ref), and whether it left the config. */
static void community_head(FILE *out, enum lang lang, const struct metric_community *mc, size_t c)
{
    /* c1, c2 ... follow the config's order; g-<group> stays when the order changes, for a
     * bookmark (a group's name is letters, digits, '_' and '.', anything else becomes '_') */
    fprintf(out, "<h2 id=\"c%zu\"><span id=\"g-", c + 1);
    for (const char *p = mc->ref; *p; p++)
        fputc(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", *p) ? *p
                                                                                              : '_',
              out);
    fputs("\"></span>", out);
    html_esc(out, render_name(mc));
    fputs(" <small>(", out);
    html_esc(out, mc->ref);
    fprintf(out, ")%s%s</small></h2>\n", mc->active ? "" : " ",
            mc->active ? "" : label(lang, L_NOT_CONFIGURED));
}

/* ---- the yearly report -------------------------------------------------------------------- */

/* Bars per year, one per community, the network's total above each group. */
static void chart_yearly(FILE *out, const struct report *r, enum lang lang, enum metric_id m)
{
    const struct svg_frame *f = &line_frame;
    const int n = r->nweeks;
    const double scale = metric_info(m)->is_rate ? 100.0 : 1.0; /* rates are drawn in per cent */
    double lo = 0, hi = 0, slot = (double)(f->w - f->left - f->right) / n;
    double bw = slot * 0.7 / (double)(r->ncoms ? r->ncoms : 1);
    struct svg_axis ax;
    char id[16], v[64];

    /* Zero is always on the scale: a net change may be negative. */
    for (int i = 0; i < n; i++)
        for (size_t c = 0; c < r->ncoms; c++)
            if (r->coms[c].weeks[i].m[m].state != MS_MISSING) {
                lo = fmin(lo, scale * r->coms[c].weeks[i].m[m].v);
                hi = fmax(hi, scale * r->coms[c].weeks[i].m[m].v);
            }
    svg_nice_axis(lo, hi, 4, scale == 1.0, &ax);
    svg_open_as(out, "chart phone", period_metric_label(lang, r->week.kind, m), f);
    svg_y_axis(out, lang, f, &ax, scale > 1 ? "%" : label(lang, L_UNIT_COUNT));
    for (int i = 0; i < n; i++) {
        double x0 = f->left + slot * i + slot * 0.15;
        render_period_head(r, i, id, sizeof id);
        svg_text(out, f->left + slot * i + slot / 2, f->h - f->bottom + 26, "middle", "", id);
        for (size_t c = 0; c < r->ncoms; c++) {
            const struct metric_value *mv = &r->coms[c].weeks[i].m[m];
            if (mv->state == MS_MISSING) {
                /* No bar, and a mark saying so: an empty slot would read as zero. */
                svg_text(out, x0 + bw * (double)c + bw * 0.45, svg_y(f, &ax, 0) - 4, "middle",
                         "fill=\"#8a5a00\" font-size=\"9\"", label(lang, L_NA));
                continue;
            }
            double x = scale * mv->v, y1 = svg_y(f, &ax, fmax(x, 0)),
                   y0 = svg_y(f, &ax, fmin(x, 0));
            render_value(lang, m, mv, v, sizeof v);
            fprintf(out,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                    "<title>",
                    x0 + bw * (double)c, y1, bw * 0.9, y0 - y1, svg_color(c));
            html_esc(out, v);
            fputs("</title></rect>\n", out);
        }
        render_value(lang, m, &r->total.weeks[i].m[m], v, sizeof v);
        svg_text(out, f->left + slot * i + slot / 2, f->top - 12, "middle", "font-weight=\"bold\"",
                 v);
        fputc('\n', out);
    }
    svg_legend_begin(out);
    for (size_t c = 0; c < r->ncoms; c++)
        svg_legend(out, render_name(&r->coms[c]), svg_color(c));
    svg_close(out);
}

/* One row per yearly figure: the years, the change over the last, the trend. */
static void yearly_table(FILE *out, const struct report *r, enum lang lang,
                         const struct metric_community *c)
{
    RENDER_YEARLY(yearly, nyearly);
    const int n = r->nweeks;
    char id[16], v[64];

    fprintf(out, "<table><tr><th>%s</th>", label(lang, L_FIGURE));
    for (int i = 0; i < n; i++) {
        render_period_head(r, i, id, sizeof id);
        fprintf(out, "<th>%s</th>", id);
    }
    fprintf(out, "<th>%s</th><th>%s</th></tr>\n", label(lang, L_CHANGE),
            label(lang, L_THREE_YEARS));
    for (size_t k = 0; k < nyearly; k++) {
        enum metric_id m = yearly[k];
        fputs("<tr><td>", out);
        html_esc(out, period_metric_label(lang, r->week.kind, m));
        fputs("</td>", out);
        for (int i = 0; i < n; i++)
            value_cell(out, lang, m, &c->weeks[i].m[m]);
        render_yearly_change(r, lang, c, m, v, sizeof v);
        text_cell(out, "n", v);
        text_cell(out, "n", render_trend_label(lang, render_trend(r, c, m)));
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

static int yearly_html(const struct report *r, const struct render_options *o, FILE *out)
{
    const enum lang lang = o->lang;
    RENDER_YEARLY(yearly, nyearly);
    char as_of[512], open[512];

    page_head(out, r, lang);
    render_yearly_notes(r, lang, as_of, open, sizeof open);
    fputs("<p class=\"meta\">", out);
    html_esc(out, as_of);
    if (open[0])
        fputs("<br>", out);
    html_esc(out, open);
    fputs("</p>\n", out);
    if (render_show_total(r)) {
        html_h2(out, "total", render_total_title(r, lang));
        yearly_table(out, r, lang, &r->total);
        notes(out, lang, render_notes(&r->total, r->nweeks));
    }
    for (size_t k = 0; k < nyearly; k++)
        chart_yearly(out, r, lang, yearly[k]);
    for (size_t c = 0; c < r->ncoms; c++) {
        const struct metric_community *mc = &r->coms[c];
        community_head(out, lang, mc, c);
        yearly_table(out, r, lang, mc);
        notes(out, lang, render_notes(mc, r->nweeks));
    }
    html_page_close(out);
    return ferror(out) ? VKP_EIO : 0;
}

int render_html(const struct report *r, const struct render_options *o, FILE *out)
{
    enum lang lang = o->lang;
    char snaps[512];
    int li = r->nweeks - 1, rc;

    if (render_is_yearly(r))
        return yearly_html(r, o, out);
    page_head(out, r, lang);
    html_formulas(out, lang, r->week.kind);

    if (render_show_total(r)) {
        html_h2(out, "total", render_total_title(r, lang));
        html_glance(out, r, o, &r->total, 1);
        html_overview(out, r, o);
        chart_subscribers(out, r, lang);
        chart_interactions(out, r, lang);
        fprintf(out, "<details><summary>%s</summary>\n", label(lang, L_DETAILS));
        figures(out, lang, &r->total, r->nweeks);
        fputs("</details>\n", out);
        notes(out, lang, r->total.weeks[li].notes);
        html_best_time(out, lang, &r->total.hours);
    }

    for (size_t c = 0; c < r->ncoms; c++) {
        const struct metric_community *mc = &r->coms[c];
        const struct metric_week *w = &mc->weeks[li];
        community_head(out, lang, mc, c);
        html_glance(out, r, o, mc, 0);
        render_snapshots(lang, w, snaps, sizeof snaps);
        fputs("<p class=\"meta\">", out);
        html_esc(out, snaps);
        fputs("</p>\n", out);
        figures(out, lang, mc, r->nweeks);
        notes(out, lang, w->notes);
        html_posts(out, lang, r, mc);
        html_best_time(out, lang, &mc->hours);
    }
    if (!render_show_total(r)) {
        chart_subscribers(out, r, lang);
        chart_interactions(out, r, lang);
    }

    html_h2(out, "ladder", label(lang, L_LADDER));
    fprintf(out, "<p class=\"meta\">%s</p>\n", label(lang, L_LADDER_NOTE));
    chart_ladder(out, r, lang);
    ladder_table(out, r, lang);
    if (render_show_total(r) && (rc = people(out, r, lang)) != 0)
        return rc;
    coverage(out, r, lang);
    html_sort_script(out);
    html_page_close(out);
    return ferror(out) ? VKP_EIO : 0;
}
