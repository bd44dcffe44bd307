/* render_html.c: the report as one self-contained HTML file: tables and inline SVG charts, no
 * scripts. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "muni.h"
#include "render.h"

static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                      "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
#define NPALETTE (sizeof palette / sizeof palette[0])
#define LADDER_COLORS "#c7d3e3", "#6fa8dc", "#1c4f8a"

static const char CSS[] =
    "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#222;max-width:1150px}"
    "h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #1f77b4;padding-bottom:4px;"
    "margin-top:32px}h3{font-size:15px}"
    "table{border-collapse:collapse;margin:8px 0;font-size:13px}"
    "th,td{border:1px solid #ccc;padding:3px 8px}th{background:#eef3f8;text-align:left}"
    "td.n{text-align:right;white-space:nowrap}td.na{color:#999;text-align:right}"
    "td.ap{text-align:right;color:#8a5a00}.meta,.legend{color:#555;font-size:13px}"
    "ul.notes{color:#8a5a00;font-size:13px}svg{display:block;margin:8px 0}"
    "svg text{font-family:'DejaVu Sans',Arial,sans-serif;font-size:11px}";

/* Writes s with the five HTML special characters escaped. */
static void esc(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

/* A table cell holding one figure. */
static void value_cell(FILE *out, enum lang lang, enum metric_id m, const struct metric_value *v)
{
    char buf[64];
    render_value(lang, m, v, buf, sizeof buf);
    fprintf(out, "<td class=\"%s\">",
            v->state == MS_MISSING  ? "na"
            : v->state == MS_APPROX ? "ap"
                                    : "n");
    esc(out, buf);
    fputs("</td>", out);
}

static void text_cell(FILE *out, const char *cls, const char *s)
{
    fprintf(out, "<td class=\"%s\">", cls);
    esc(out, s);
    fputs("</td>", out);
}

static void figures(FILE *out, enum lang lang, const struct metric_community *c, int nweeks)
{
    const struct metric_week *w = &c->weeks[nweeks - 1];
    char p[64], d[64], a[64], da[64];

    fprintf(out,
            "<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s (%d)</th>"
            "<th>%s</th></tr>\n",
            label(lang, L_FIGURE), period_label(lang, w->wk.kind, L_THIS_WEEK),
            period_label(lang, w->wk.kind, L_PREV_WEEK), label(lang, L_CHANGE),
            label(lang, L_AVERAGE), nweeks - 1, label(lang, L_VS_AVERAGE));
    for (int m = 0; m < M_COUNT; m++) {
        const struct metric_compare *k = &c->cmp[m];
        int rate = metric_info((enum metric_id)m)->is_rate;
        p[0] = d[0] = a[0] = da[0] = '\0';
        if (k->has_prev) {
            render_number(lang, k->prev, rate, p, sizeof p);
            render_change(lang, (enum metric_id)m, w->m[m].v, k->prev, d, sizeof d);
        }
        if (k->avg_weeks) {
            render_number(lang, k->avg, rate, a, sizeof a);
            render_change(lang, (enum metric_id)m, w->m[m].v, k->avg, da, sizeof da);
        }
        fputs("<tr><td>", out);
        esc(out, period_metric_label(lang, w->wk.kind, (enum metric_id)m));
        fputs("</td>", out);
        value_cell(out, lang, (enum metric_id)m, &w->m[m]);
        text_cell(out, "n", p);
        text_cell(out, "n", d);
        text_cell(out, "n", a);
        text_cell(out, "n", da);
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
            esc(out, note_label(lang, 1u << b));
            fputs("</li>", out);
        }
    fputs("</ul>\n", out);
}

/* ---- charts ------------------------------------------------------------------------------- */

#define CW 1000 /* chart width */
#define CH 280  /* chart height */
#define ML 70   /* left margin */
#define MR 250  /* right margin: the legend */
#define MT 30
#define MB 40

static void chart_open(FILE *out, const char *title, int h)
{
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" role=\"img\"><title>",
            CW, h, CW, h);
    esc(out, title);
    fprintf(out,
            "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
            "<text x=\"%d\" y=\"18\" font-weight=\"bold\" font-size=\"13\">",
            CW, h, ML);
    esc(out, title);
    fputs("</text>\n", out);
}

static void legend(FILE *out, int i, const char *name, const char *color)
{
    char cut[64];
    snprintf(cut, sizeof cut, "%s", name);
    if (strlen(name) >= sizeof cut - 1) { /* cut on a character boundary */
        size_t n = sizeof cut - 4;
        while (n > 0 && ((unsigned char)cut[n] & 0xC0) == 0x80)
            n--;
        memcpy(cut + n, "…", 4);
    }
    fprintf(out,
            "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
            "<text x=\"%d\" y=\"%d\">",
            CW - MR + 15, MT + 10 + i * 18, color, CW - MR + 32, MT + 20 + i * 18);
    esc(out, cut);
    fputs("</text>\n", out);
}

/* Horizontal grid lines with labels from lo to hi. */
static void y_axis(FILE *out, double lo, double hi)
{
    for (int t = 0; t <= 4; t++) {
        double v = lo + (hi - lo) * t / 4.0;
        double y = CH - MB - (CH - MT - MB) * t / 4.0;
        fprintf(out,
                "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n",
                ML, CW - MR, y, y, ML - 6, y + 4, v);
    }
}

static void x_labels(FILE *out, const struct report *r, double step, double off)
{
    char wk[16];
    for (int i = 0; i < r->nweeks; i++) {
        week_format(&r->weeks[i], wk, sizeof wk);
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                ML + off + step * i, CH - MB + 16, r->weeks[i].kind == PERIOD_WEEK ? wk + 5 : wk);
    }
}

static void chart_subscribers(FILE *out, const struct report *r, enum lang lang)
{
    double lo = INFINITY, hi = -INFINITY;
    int n = r->nweeks;
    double step = n > 1 ? (double)(CW - ML - MR - 20) / (n - 1) : 0;

    for (size_t c = 0; c < r->ncoms; c++)
        for (int i = 0; i < n; i++) {
            const struct metric_value *v = &r->coms[c].weeks[i].m[M_SUBS_END];
            if (v->state != MS_MISSING) {
                lo = fmin(lo, v->v);
                hi = fmax(hi, v->v);
            }
        }
    chart_open(out, label(lang, L_CHART_SUBS), CH);
    if (lo > hi) {
        fprintf(out, "<text x=\"%d\" y=\"%d\">%s</text></svg>\n", ML, CH / 2, label(lang, L_NA));
        return;
    }
    lo = fmax(0, lo - (hi - lo) * 0.1 - 1);
    hi = hi + (hi - lo) * 0.1 + 1;
    y_axis(out, lo, hi);
    x_labels(out, r, step, 10);
    for (size_t c = 0; c < r->ncoms; c++) {
        const char *color = palette[c % NPALETTE];
        int open = 0;
        fprintf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"", color);
        for (int i = 0; i < n; i++) {
            const struct metric_value *v = &r->coms[c].weeks[i].m[M_SUBS_END];
            if (v->state == MS_MISSING) {
                open = 0; /* a gap, never a drop to zero */
                continue;
            }
            fprintf(out, "%c%.1f %.1f ", open ? 'L' : 'M', ML + 10 + step * i,
                    CH - MB - (CH - MT - MB) * (v->v - lo) / (hi - lo));
            open = 1;
        }
        fputs("\"/>\n", out);
        for (int i = 0; i < n; i++) {
            const struct metric_value *v = &r->coms[c].weeks[i].m[M_SUBS_END];
            if (v->state != MS_MISSING)
                fprintf(out,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
                        "fill=\"%s\"><title>%.0f</title></circle>",
                        ML + 10 + step * i, CH - MB - (CH - MT - MB) * (v->v - lo) / (hi - lo),
                        color, v->v);
        }
        legend(out, (int)c, render_name(&r->coms[c]), color);
    }
    fputs("</svg>\n", out);
}

static double interactions(const struct metric_week *w, int *ok)
{
    *ok = w->m[M_LIKES].state != MS_MISSING;
    return *ok ? w->m[M_LIKES].v + w->m[M_COMMENTS].v + w->m[M_REPOSTS].v : 0;
}

static void chart_interactions(FILE *out, const struct report *r, enum lang lang)
{
    int n = r->nweeks, ok;
    double hi = 1;
    double slot = (double)(CW - ML - MR) / n, bw = slot * 0.6;

    for (int i = 0; i < n; i++) {
        double sum = 0;
        for (size_t c = 0; c < r->ncoms; c++)
            sum += interactions(&r->coms[c].weeks[i], &ok);
        hi = fmax(hi, sum * 1.1);
    }
    chart_open(out, label(lang, L_CHART_INTER), CH);
    y_axis(out, 0, hi);
    x_labels(out, r, slot, slot / 2);
    for (int i = 0; i < n; i++) {
        double base = 0;
        int missing = 0;
        for (size_t c = 0; c < r->ncoms; c++) {
            double v = interactions(&r->coms[c].weeks[i], &ok);
            missing += !ok;
            if (v <= 0)
                continue;
            double y0 = CH - MB - (CH - MT - MB) * base / hi;
            double hpx = (CH - MT - MB) * v / hi;
            fprintf(out,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                    "<title>%.0f</title></rect>\n",
                    ML + slot * i + (slot - bw) / 2, y0 - hpx, bw, hpx, palette[c % NPALETTE], v);
            base += v;
        }
        if (missing)
            fprintf(
                out,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#8a5a00\">%s%s</text>\n",
                ML + slot * i + slot / 2, CH - MB - (CH - MT - MB) * base / hi - 6,
                missing == (int)r->ncoms ? "" : "~",
                missing == (int)r->ncoms ? label(lang, L_NA) : "");
    }
    for (size_t c = 0; c < r->ncoms; c++)
        legend(out, (int)c, render_name(&r->coms[c]), palette[c % NPALETTE]);
    fputs("</svg>\n", out);
}

static void ladder_bar(FILE *out, enum lang lang, const struct metric_ladder *l, double y,
                       const char *name)
{
    static const char *const colors[] = {LADDER_COLORS};
    double x = ML + 200, w = CW - MR - ML - 200;
    fprintf(out, "<text x=\"%d\" y=\"%.1f\">", ML, y + 12);
    esc(out, name);
    fputs("</text>", out);
    if (l->state == MS_MISSING || l->members == 0) {
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#999\">%s</text>\n", x, y + 12,
                l->state == MS_MISSING ? label(lang, L_NA) : "0");
        return;
    }
    for (int k = 0; k < LADDER_LEVELS; k++) {
        double part = w * (double)l->level[k] / (double)l->members;
        fprintf(out,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\">"
                "<title>%" PRId64 "</title></rect>",
                x, y, part, colors[k], l->level[k]);
        x += part;
    }
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">%" PRId64 "</text>\n", x + 6, y + 12, l->members);
}

static void chart_ladder(FILE *out, const struct report *r, enum lang lang)
{
    static const char *const colors[] = {LADDER_COLORS};
    static const enum label names[] = {L_REGISTERED, L_DISCUSS, L_CONTRIBUTE};
    int h = MT + 20 + (int)r->ncoms * 48 + 20;
    chart_open(out, label(lang, L_CHART_LADDER), h);
    for (size_t c = 0; c < r->ncoms; c++) {
        char name[128];
        double y = MT + 10 + (double)c * 48;
        snprintf(name, sizeof name, "%s: %s", r->coms[c].ref, label(lang, L_PERIOD_NOW));
        ladder_bar(out, lang, &r->coms[c].ladder, y, name);
        snprintf(name, sizeof name, "%s: %s", r->coms[c].ref, label(lang, L_PERIOD_PREV));
        ladder_bar(out, lang, &r->coms[c].ladder_prev, y + 20, name);
    }
    for (int k = 0; k < LADDER_LEVELS; k++)
        legend(out, k, label(lang, names[k]), colors[k]);
    fputs("</svg>\n", out);
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
    chart_open(out, label(lang, L_CHART_MUNIS), MT + 20 + (int)k * 22 + 20);
    for (size_t i = 0; i < k; i++) {
        double y = MT + 10 + (double)i * 22, w = CW - MR - ML - 230;
        fprintf(out, "<text x=\"%d\" y=\"%.1f\">", ML, y + 12);
        esc(out, list[i]->muni->short_name);
        fprintf(out,
                "</text><rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\">"
                "<title>%" PRId64 "</title></rect>"
                "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"8\" fill=\"%s\">"
                "<title>%" PRId64 "</title></rect>"
                "<text x=\"%.1f\" y=\"%.1f\">%" PRId64 " / %" PRId64 "</text>\n",
                ML + 230, y, w * (double)list[i]->members / hi, palette[0], list[i]->members,
                ML + 230, y + 4, w * (double)list[i]->active / hi, palette[1], list[i]->active,
                ML + 236 + w * (double)list[i]->members / hi, y + 12, list[i]->members,
                list[i]->active);
    }
    legend(out, 0, label(lang, L_MEMBERS), palette[0]);
    legend(out, 1, label(lang, L_ACTIVE), palette[1]);
    fputs("</svg>\n", out);
    free(list);
    return 0;
}

/* ---- sections ----------------------------------------------------------------------------- */

static void top_posts(FILE *out, enum lang lang, const struct metric_community *c)
{
    char url[96], date[32];
    fprintf(out, "<h3>%s</h3>\n", period_label(lang, c->weeks[0].wk.kind, L_TOP_POSTS));
    if (!c->ntop) {
        fprintf(out, "<p class=\"meta\">%s</p>\n", label(lang, L_NO_POSTS));
        return;
    }
    fprintf(out,
            "<table><tr><th>#</th><th>%s</th><th></th><th>%s</th><th>%s</th><th>%s</th>"
            "<th>%s</th></tr>\n",
            label(lang, L_POST_DATE), label(lang, L_P_VIEWS), label(lang, L_P_LIKES),
            label(lang, L_P_COMMENTS), label(lang, L_P_REPOSTS));
    for (size_t i = 0; i < c->ntop; i++) {
        const struct metric_post *p = &c->top[i];
        render_post_url(p, url, sizeof url);
        render_date(lang, p->date, 1, date, sizeof date);
        fprintf(out,
                "<tr><td><a href=\"%s\">%zu</a></td><td><a href=\"%s\">%s</a></td><td>%s</td>"
                "<td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64 "</td>"
                "<td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64 "</td></tr>\n",
                url, i + 1, url, date, render_kind_label(lang, p->kind), p->views, p->likes,
                p->comments, p->reposts);
    }
    fputs("</table>\n", out);
}

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
                esc(out, render_name(mc));
            fprintf(out, "</td><td>%s</td>", label(lang, p ? L_PERIOD_PREV : L_PERIOD_NOW));
            for (size_t i = 0; i < 5; i++) {
                if (l->state == MS_MISSING)
                    fprintf(out, "<td class=\"na\">%s</td>", label(lang, L_NA));
                else
                    fprintf(out, "<td class=\"%s\">%s%" PRId64 "</td>",
                            l->state == MS_APPROX ? "ap" : "n", l->state == MS_APPROX ? "~" : "",
                            v[i]);
            }
            if (p == 1 || mc->moves.state == MS_MISSING)
                fprintf(out, "<td class=\"na\">%s</td></tr>\n", p ? "" : label(lang, L_NA));
            else
                fprintf(out,
                        "<td>%s %" PRId64 ", %s %" PRId64 ", %s %" PRId64 ", %s %" PRId64
                        ", %s %" PRId64 "</td></tr>\n",
                        label(lang, L_UP), mc->moves.up, label(lang, L_DOWN), mc->moves.down,
                        label(lang, L_SAME), mc->moves.same, label(lang, L_CAME), mc->moves.came,
                        label(lang, L_WENT), mc->moves.went);
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

    fprintf(out, "<h2>%s</h2>\n", label(lang, L_PEOPLE));
    if (n->state == MS_MISSING) {
        fprintf(out, "<p class=\"meta\">%s</p>\n", label(lang, L_NA));
        return 0;
    }
    for (size_t k = 2; k < n1; k++)
        multi += n->members_in[k];
    fprintf(out,
            "<table><tr><td>%s</td><td class=\"n\">%" PRId64 "</td></tr><tr><td>%s</td>"
            "<td class=\"n\">%" PRId64 "</td></tr><tr><td>%s</td><td class=\"n\">%" PRId64
            "</td></tr><tr><td>%s</td><td class=\"n\">%zu</td></tr></table>\n",
            label(lang, L_DISTINCT_MEMBERS), n->members, label(lang, L_MULTI_MEMBERS), multi,
            label(lang, L_DISTINCT_ACTIVE), n->active, label(lang, L_EXCLUDED), n->excluded);
    fprintf(out, "<h3>%s</h3><table><tr><th>%s</th>", label(lang, L_SPREAD),
            label(lang, L_MEMBER_OF));
    for (size_t j = 0; j < n1; j++)
        fprintf(out, "<th>%s %zu</th>", label(lang, L_ACTIVE_IN), j);
    fputs("</tr>\n", out);
    for (size_t k = 1; k < n1; k++) {
        fprintf(out, "<tr><td>%zu</td>", k);
        for (size_t j = 0; j < n1; j++)
            fprintf(out, "<td class=\"n\">%" PRId64 "</td>", n->spread[k * n1 + j]);
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
    fprintf(out, "<h3>%s</h3>\n", label(lang, L_MUNIS));
    int rc = chart_munis(out, r, lang);
    if (rc)
        return rc;
    render_number(lang, n->members ? (double)n->attributed / (double)n->members : 0, 1, buf,
                  sizeof buf);
    fprintf(out,
            "<p class=\"meta\">%s: %" PRId64 " / %" PRId64 " (%s); %s: %" PRId64 "; %s: %" PRId64
            "</p>\n",
            label(lang, L_ATTRIBUTED), n->attributed, n->members, buf, label(lang, L_NO_CITY),
            n->no_city, label(lang, L_OUTSIDE), n->outside);
    fprintf(out, "<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
            label(lang, L_MUNI), label(lang, L_MEMBERS), period_label(lang, r->week.kind, L_ACTIVE),
            label(lang, L_DISCUSS), label(lang, L_CONTRIBUTE));
    for (size_t i = 0; i < n->nmunis; i++) {
        const struct metric_muni *m = &n->munis[i];
        if (!m->members)
            continue;
        fputs("<tr><td>", out);
        esc(out, m->muni->short_name);
        fprintf(out,
                "</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64
                "</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64 "</td></tr>\n",
                m->members, m->active, m->discuss, m->contribute);
    }
    fputs("</table>\n", out);
    return 0;
}

static void coverage(FILE *out, const struct report *r, enum lang lang)
{
    char wk[16];
    fprintf(out,
            "<h2>%s</h2>\n<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
            "<th>%s</th></tr>\n",
            label(lang, L_DATA), period_label(lang, r->week.kind, L_WEEK), label(lang, L_RUNS),
            label(lang, L_RUNS_OK), label(lang, L_RUNS_PARTIAL), label(lang, L_RUNS_FAILED),
            label(lang, L_NOTES));
    for (int i = 0; i < r->nweeks; i++) {
        week_format(&r->weeks[i], wk, sizeof wk);
        fprintf(out,
                "<tr><td>%s</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64
                "</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64 "</td><td>",
                wk, r->runs[i].total, r->runs[i].ok, r->runs[i].partial, r->runs[i].failed);
        for (size_t c = 0; c < r->ncoms; c++) {
            unsigned bits = r->coms[c].weeks[i].notes & ~(unsigned)NOTE_COUNTERS_DOWN;
            if (!bits)
                continue;
            fputs("<b>", out);
            esc(out, r->coms[c].ref);
            fputs("</b>:", out);
            for (int b = 0; b < NOTE_COUNT_; b++)
                if (bits & (1u << b)) {
                    fputc(' ', out);
                    esc(out, note_label(lang, 1u << b));
                    fputc(';', out);
                }
            fputs("<br>", out);
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

/* The page's head, title, window and legends. */
static void page_head(FILE *out, const struct report *r, enum lang lang)
{
    char wk[16], w0[16], s[32], e[32], gen[32];
    int li = r->nweeks - 1;

    week_format(&r->week, wk, sizeof wk);
    week_format(&r->weeks[0], w0, sizeof w0);
    render_date(lang, r->week.start, 0, s, sizeof s);
    render_date(lang, r->week.end - 1, 0, e, sizeof e);
    render_date(lang, r->generated_at, 1, gen, sizeof gen);
    fprintf(out,
            "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width\">"
            "<title>%s — %s</title><style>%s</style></head><body>\n",
            lang == LANG_RU ? "ru" : "en", period_label(lang, r->week.kind, L_TITLE), wk, CSS);
    fprintf(out, "<h1>%s — %s %s (%s – %s)</h1>\n", period_label(lang, r->week.kind, L_TITLE),
            period_label(lang, r->week.kind, L_WEEK), wk, s, e);
    fprintf(out, "<p class=\"meta\">%s: ", label(lang, L_TIMEZONE));
    esc(out, r->tz);
    fprintf(out,
            ". %s: %d %s (%s – %s). %s: %s. %s: %" PRId64 " (%s %" PRId64 ", %s %" PRId64
            ", %s %" PRId64 ")</p>\n",
            label(lang, L_WINDOW), r->nweeks, period_label(lang, r->week.kind, L_WEEKS_UNIT), w0,
            wk, label(lang, L_GENERATED), gen, label(lang, L_RUNS), r->runs[li].total,
            label(lang, L_RUNS_OK), r->runs[li].ok, label(lang, L_RUNS_PARTIAL),
            r->runs[li].partial, label(lang, L_RUNS_FAILED), r->runs[li].failed);
    fprintf(out, "<p class=\"legend\">%s<br>%s</p>\n", label(lang, L_APPROX_LEGEND),
            label(lang, L_NA_LEGEND));
}

/* ---- the yearly report -------------------------------------------------------------------- */

/* Bars per year, one per community, the network's total above each group. */
static void chart_yearly(FILE *out, const struct report *r, enum lang lang, enum metric_id m)
{
    const int n = r->nweeks;
    const int rate = metric_info(m)->is_rate;
    double lo = 0, hi = 0, slot = (double)(CW - ML - MR) / n;
    double bw = slot * 0.7 / (double)(r->ncoms ? r->ncoms : 1);
    char id[16], v[64];

    /* Zero is always on the scale: a net change may be negative. */
    for (int i = 0; i < n; i++)
        for (size_t c = 0; c < r->ncoms; c++)
            if (r->coms[c].weeks[i].m[m].state != MS_MISSING) {
                lo = fmin(lo, r->coms[c].weeks[i].m[m].v);
                hi = fmax(hi, r->coms[c].weeks[i].m[m].v);
            }
    hi = hi > 0 ? hi * 1.15 : lo < 0 ? 0 : 1;
    lo = lo < 0 ? lo * 1.15 : 0;
#define Y(x) (CH - MB - (CH - MT - MB) * ((x)-lo) / (hi - lo))
    chart_open(out, period_metric_label(lang, r->week.kind, m), CH);
    if (!rate)
        y_axis(out, lo, hi);
    for (int i = 0; i < n; i++) {
        double x0 = ML + slot * i + slot * 0.15;
        week_format(&r->weeks[i], id, sizeof id);
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                ML + slot * i + slot / 2, CH - MB + 16, id);
        for (size_t c = 0; c < r->ncoms; c++) {
            const struct metric_value *mv = &r->coms[c].weeks[i].m[m];
            if (mv->state == MS_MISSING)
                continue; /* a gap, never a bar of zero */
            double x = mv->v;
            render_value(lang, m, mv, v, sizeof v);
            fprintf(out,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                    "<title>",
                    x0 + bw * (double)c, Y(fmax(x, 0)), bw * 0.9, Y(fmin(x, 0)) - Y(fmax(x, 0)),
                    palette[c % NPALETTE]);
            esc(out, v);
            fputs("</title></rect>\n", out);
        }
        render_value(lang, m, &r->total.weeks[i].m[m], v, sizeof v);
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">",
                ML + slot * i + slot / 2, MT + 6);
        esc(out, v);
        fputs("</text>\n", out);
    }
#undef Y
    for (size_t c = 0; c < r->ncoms; c++)
        legend(out, (int)c, render_name(&r->coms[c]), palette[c % NPALETTE]);
    fputs("</svg>\n", out);
}

/* One row per yearly figure: the years, the change over the last, the trend. */
static void yearly_table(FILE *out, const struct report *r, enum lang lang,
                         const struct metric_community *c)
{
    const int n = r->nweeks;
    char id[16], v[64];

    fprintf(out, "<table><tr><th>%s</th>", label(lang, L_FIGURE));
    for (int i = 0; i < n; i++) {
        week_format(&r->weeks[i], id, sizeof id);
        fprintf(out, "<th>%s</th>", id);
    }
    fprintf(out, "<th>%s</th><th>%s</th></tr>\n", label(lang, L_CHANGE),
            label(lang, L_THREE_YEARS));
    for (size_t k = 0; k < render_yearly_nfigures; k++) {
        enum metric_id m = render_yearly_figures[k];
        const struct metric_value *cur = &c->weeks[n - 1].m[m];
        fputs("<tr><td>", out);
        esc(out, period_metric_label(lang, r->week.kind, m));
        fputs("</td>", out);
        for (int i = 0; i < n; i++)
            value_cell(out, lang, m, &c->weeks[i].m[m]);
        v[0] = '\0';
        if (n > 1 && cur->state != MS_MISSING && c->weeks[n - 2].m[m].state != MS_MISSING)
            render_change(lang, m, cur->v, c->weeks[n - 2].m[m].v, v, sizeof v);
        text_cell(out, "n", v);
        text_cell(out, "n", render_trend_label(lang, render_trend(c, n, m)));
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

static int yearly_html(const struct report *r, enum lang lang, FILE *out)
{
    char at[32];

    page_head(out, r, lang);
    render_date(lang, render_counters_at(r), 1, at, sizeof at);
    fprintf(out, "<p class=\"meta\">%s%s%s.</p>\n", label(lang, L_AS_OF), at[0] ? ": " : "", at);
    fprintf(out, "<h2>%s</h2>\n", render_total_title(r, lang));
    yearly_table(out, r, lang, &r->total);
    notes(out, lang, render_notes(&r->total, r->nweeks));
    for (size_t k = 0; k < render_yearly_nfigures; k++)
        chart_yearly(out, r, lang, render_yearly_figures[k]);
    for (size_t c = 0; c < r->ncoms; c++) {
        const struct metric_community *mc = &r->coms[c];
        fputs("<h2>", out);
        esc(out, render_name(mc));
        fputs(" <small>(", out);
        esc(out, mc->ref);
        fputs(")</small></h2>\n", out);
        yearly_table(out, r, lang, mc);
        notes(out, lang, render_notes(mc, r->nweeks));
    }
    fputs("</body></html>\n", out);
    return ferror(out) ? VKP_EIO : 0;
}

int render_html(const struct report *r, const struct render_options *o, FILE *out)
{
    enum lang lang = o->lang;
    char snap0[32], snap1[32];
    int li = r->nweeks - 1, rc;

    if (render_is_yearly(r))
        return yearly_html(r, lang, out);
    page_head(out, r, lang);

    fprintf(out, "<h2>%s</h2>\n", render_total_title(r, lang));
    chart_subscribers(out, r, lang);
    chart_interactions(out, r, lang);
    figures(out, lang, &r->total, r->nweeks);
    notes(out, lang, r->total.weeks[li].notes);

    for (size_t c = 0; c < r->ncoms; c++) {
        const struct metric_community *mc = &r->coms[c];
        const struct metric_week *w = &mc->weeks[li];
        fputs("<h2>", out);
        esc(out, render_name(mc));
        fputs(" <small>(", out);
        esc(out, mc->ref);
        fprintf(out, ")%s%s</small></h2>\n", mc->active ? "" : " ",
                mc->active ? "" : label(lang, L_NOT_CONFIGURED));
        render_date(lang, w->start_at, 1, snap0, sizeof snap0);
        render_date(lang, w->end_at, 1, snap1, sizeof snap1);
        fprintf(out, "<p class=\"meta\">%s: %s %s, %s %s</p>\n", label(lang, L_SNAPSHOTS),
                label(lang, L_SNAP_START), snap0[0] ? snap0 : label(lang, L_NONE),
                label(lang, L_SNAP_END), snap1[0] ? snap1 : label(lang, L_NONE));
        figures(out, lang, mc, r->nweeks);
        notes(out, lang, w->notes);
        top_posts(out, lang, mc);
    }

    fprintf(out, "<h2>%s</h2>\n<p class=\"meta\">%s</p>\n", label(lang, L_LADDER),
            label(lang, L_LADDER_NOTE));
    chart_ladder(out, r, lang);
    ladder_table(out, r, lang);
    if ((rc = people(out, r, lang)) != 0)
        return rc;
    coverage(out, r, lang);
    fputs("</body></html>\n", out);
    return ferror(out) ? VKP_EIO : 0;
}
