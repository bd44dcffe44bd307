/* render_html_glance.c: the report page's first screen per community (the headline block,
 * the period's news in words, the alerts), every post, the best time to post, the legend. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "render_html_int.h"

/* ---- the headline block ------------------------------------------------------------------ */

/* The change from the previous period: "+12 (+4,7 %)", its direction, "" when unknown. */
static int change_of(enum lang lang, const struct metric_community *c, int last, enum metric_id m,
                     char *buf, size_t len)
{
    const struct metric_value *v = &c->weeks[last].m[m];
    buf[0] = '\0';
    if (v->state == MS_MISSING || !c->cmp[m].has_prev)
        return 0;
    render_change(lang, m, v->v, c->cmp[m].prev, buf, len);
    return v->v > c->cmp[m].prev ? 1 : v->v < c->cmp[m].prev ? -1 : 0;
}

/* One figure of the block: its name, its value, its change coloured by direction. */
static void kpi(FILE *out, enum lang lang, const struct report *r, const struct metric_community *c,
                enum metric_id m, const char *note)
{
    const int last = r->nweeks - 1;
    char v[64], d[96];
    int dir = change_of(lang, c, last, m, d, sizeof d);

    render_value(lang, m, &c->weeks[last].m[m], v, sizeof v);
    fputs("<div class=\"kpi\"><div class=\"k\">", out);
    html_esc(out, period_metric_label(lang, r->week.kind, m));
    fputs("</div><div class=\"v\">", out);
    html_esc(out, v);
    fprintf(out, "</div><div class=\"d %s\">", dir > 0 ? "up" : dir < 0 ? "down" : "flat");
    html_esc(out, d[0] ? d : note ? note : "");
    fputs("</div></div>", out);
}

/* One sentence of the period's news as a list item. */
static void news_item(void *ud, const char *cls, const char *text)
{
    FILE *out = ud;
    fprintf(out, "<li class=\"%s\">", cls);
    html_esc(out, text);
    fputs("</li>", out);
}

void html_glance(FILE *out, const struct report *r, const struct render_options *o,
                 const struct metric_community *c, int is_total)
{
    const enum lang lang = o->lang;
    const struct metric_week *w = &c->weeks[r->nweeks - 1];

    fputs("<div class=\"glance\">", out);
    kpi(out, lang, r, c, M_SUBS_END, NULL);
    kpi(out, lang, r, c, M_POSTS, NULL);
    if (w->m[M_REACH].state != MS_MISSING)
        kpi(out, lang, r, c, M_REACH, NULL);
    else
        kpi(out, lang, r, c, M_VIEWS, label(lang, L_REACH_NA));
    kpi(out, lang, r, c, M_ER_SUBS, NULL);
    kpi(out, lang, r, c, M_ACTIVE, NULL);
    fputs("</div>\n", out);
    fputs("<ul class=\"news\">", out);
    render_news(r, o, c, is_total, news_item, out);
    fputs("</ul>\n", out);
}

void html_overview(FILE *out, const struct report *r, const struct render_options *o)
{
    static const enum metric_id cols[] = {M_SUBS_END, M_NET, M_POSTS, M_ER_SUBS, M_ACTIVE};
    const enum lang lang = o->lang;
    const int last = r->nweeks - 1;
    char v[64];

    fprintf(out, "<table class=\"sortable overview\"><thead><tr><th>%s</th>",
            label(lang, L_COMMUNITY));
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        fputs("<th>", out);
        html_esc(out, period_metric_label(lang, r->week.kind, cols[i]));
        fputs("</th>", out);
    }
    fprintf(out, "<th>%s</th></tr></thead><tbody>\n", label(lang, L_ALERTS));
    for (size_t c = 0; c < r->ncoms; c++) {
        const struct metric_community *mc = &r->coms[c];
        size_t nal = 0;
        fprintf(out, "<tr><td><a href=\"#c%zu\">", c + 1);
        html_esc(out, render_name(mc));
        fputs("</a></td>", out);
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
            const struct metric_value *mv = &mc->weeks[last].m[cols[i]];
            render_value(lang, cols[i], mv, v, sizeof v);
            fprintf(out, "<td class=\"%s\" data-v=\"%.6g\">",
                    mv->state == MS_MISSING         ? "na"
                    : cols[i] == M_NET && mv->v < 0 ? "n down"
                    : cols[i] == M_NET && mv->v > 0 ? "n up"
                                                    : "n",
                    mv->state == MS_MISSING ? -1e300 : mv->v);
            html_esc(out, v);
            fputs("</td>", out);
        }
        for (size_t i = 0; i < o->nalerts; i++)
            nal += o->alerts[i].community_id == mc->id;
        fprintf(out, "<td class=\"n%s\" data-v=\"%zu\">%zu</td></tr>\n", nal ? " down" : "", nal,
                nal);
    }
    fputs("</tbody></table>\n", out);
}

/* ---- every post ---------------------------------------------------------------------------- */

/* A number cell that sorts by its value. */
static void num_cell(FILE *out, enum lang lang, double v, int is_rate)
{
    char buf[64];
    if (v < 0) {
        fprintf(out, "<td class=\"na\" data-v=\"-1\">%s</td>", label(lang, L_NA));
        return;
    }
    render_number(lang, v, is_rate, buf, sizeof buf);
    fprintf(out, "<td class=\"n\" data-v=\"%.6g\">%s</td>", v, buf);
}

void html_posts(FILE *out, enum lang lang, const struct report *r, const struct metric_community *c)
{
    char url[96], date[48];

    fprintf(out, "<h3>%s</h3>\n", label(lang, L_POSTS_ALL));
    if (!c->nposts) {
        fprintf(out, "<p class=\"meta\">%s</p>\n", label(lang, L_NO_POSTS));
        return;
    }
    fprintf(out, "<p class=\"meta\">%s; %s: 1–%zu</p>\n", label(lang, L_SORT_HINT),
            period_label(lang, r->week.kind, L_TOP_POSTS), c->ntop);
    fprintf(out,
            "<table class=\"sortable posts\"><thead><tr><th>#</th><th>%s</th><th>%s</th>"
            "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>ERpost</th>"
            "<th>ERview</th></tr></thead><tbody>\n",
            label(lang, L_POST_TEXT), label(lang, L_POST_DATE), label(lang, L_POST_TYPE),
            label(lang, L_P_VIEWS), label(lang, L_P_LIKES), label(lang, L_P_COMMENTS),
            label(lang, L_P_REPOSTS));
    for (size_t i = 0; i < c->nposts; i++) {
        const struct metric_post *p = &c->posts[i];
        render_post_url(p, url, sizeof url);
        fmt_date(lang, p->date, 1, date, sizeof date);
        fprintf(out,
                "<tr%s><td class=\"n\" data-v=\"%zu\">%zu</td><td class=\"txt\"><a href=\"%s\">",
                i < c->ntop ? " class=\"top\"" : "", i + 1, i + 1, url);
        html_esc(out, p->text[0] ? p->text : url);
        fprintf(out, "</a></td><td data-v=\"%" PRId64 "\">%s</td><td>%s</td>", p->date, date,
                render_kind_label(lang, p->kind));
        num_cell(out, lang, (double)p->views, 0);
        num_cell(out, lang, (double)p->likes, 0);
        num_cell(out, lang, (double)p->comments, 0);
        num_cell(out, lang, (double)p->reposts, 0);
        num_cell(out, lang, p->er_post, 1);
        num_cell(out, lang, p->er_view, 1);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

/* ---- the best time to post ----------------------------------------------------------------- */

void html_best_time(FILE *out, enum lang lang, const struct metric_hours *h)
{
    double best = 0;
    char buf[32];

    for (int d = 0; d < 7; d++)
        for (int hr = 0; hr < 24; hr++)
            if (h->posts[d][hr])
                best = fmax(best, (double)h->reactions[d][hr] / (double)h->posts[d][hr]);
    fprintf(out, "<h3>%s</h3><p class=\"meta\">%s</p>\n", label(lang, L_BEST_TIME),
            label(lang, L_BEST_TIME_NOTE));
    fprintf(out, "<table class=\"heat\"><tr><th>%s \\ %s</th>", label(lang, L_WEEKDAY),
            label(lang, L_HOUR));
    for (int hr = 0; hr < 24; hr++)
        fprintf(out, "<th>%d</th>", hr);
    fputs("</tr>\n", out);
    for (int d = 0; d < 7; d++) {
        fprintf(out, "<tr><th>%s</th>", weekday_label(lang, d));
        for (int hr = 0; hr < 24; hr++) {
            if (!h->posts[d][hr]) {
                fputs("<td></td>", out);
                continue;
            }
            double per = (double)h->reactions[d][hr] / (double)h->posts[d][hr];
            int a = best > 0 ? (int)lround(15 + 70 * per / best) : 15;
            fmt_mean(lang, per, buf, sizeof buf);
            fprintf(out,
                    "<td style=\"background:hsl(210,70%%,%d%%)%s\" title=\"%s %s, %s %s\">%s</td>",
                    100 - a * 6 / 10, a > 60 ? ";color:#fff" : "", FMT_INT(lang, h->posts[d][hr]),
                    label(lang, L_HEAT_POSTS), FMT_INT(lang, h->reactions[d][hr]),
                    label(lang, L_HEAT_REACTIONS), buf);
        }
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

/* ---- the legend --------------------------------------------------------------------------- */

void html_formulas(FILE *out, enum lang lang, enum period_kind kind)
{
    fprintf(out, "<details class=\"legend\"><summary>%s</summary><ul>", label(lang, L_FORMULAS));
    for (int m = 0; m < M_COUNT; m++) {
        const struct metric_def *d = metric_info((enum metric_id)m);
        if (!d->formula[lang])
            continue;
        fputs("<li><b>", out);
        html_esc(out, period_metric_label(lang, kind, (enum metric_id)m));
        fputs("</b> = ", out);
        html_esc(out, d->formula[lang]);
        fputs("</li>", out);
    }
    fputs("</ul></details>\n", out);
}

void html_sort_script(FILE *out)
{
    /* Numbers sort by data-v, text by its words; a second click reverses. */
    fputs("<script>document.querySelectorAll('table.sortable').forEach(function(t){"
          "t.querySelectorAll('thead th').forEach(function(th,i){th.style.cursor='pointer';"
          "th.addEventListener('click',function(){var b=t.tBodies[0],rs=Array.from(b.rows),"
          "d=th.dataset.dir==='a'?-1:1;th.dataset.dir=d>0?'a':'d';rs.sort(function(x,y){"
          "var p=x.cells[i],q=y.cells[i],u=p.dataset.v,v=q.dataset.v;if(u!==undefined&&"
          "v!==undefined)return d*(parseFloat(v)-parseFloat(u));return d*p.textContent."
          "localeCompare(q.textContent);});rs.forEach(function(r){b.appendChild(r);});});});"
          "});</script>\n",
          out);
}
