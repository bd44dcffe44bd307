/* render_text.c: the report as aligned terminal tables (UTF-8 aware). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "muni.h"
#include "render.h"
#include "text.h"

#define FIRST_COL 44
#define COL 16

/* Prints s padded with spaces to `width` characters, left or right aligned. */
static void cell(FILE *out, const char *s, size_t width, int right)
{
    size_t w = text_utf8_width(s);
    if (right && w >= width) /* never run into the column before */
        fputc(' ', out);
    if (right)
        for (size_t i = w; i < width; i++)
            fputc(' ', out);
    fputs(s, out);
    if (!right)
        for (size_t i = w; i < width; i++)
            fputc(' ', out);
    if (!right && w >= width) /* nor into the one after */
        fputc(' ', out);
}

static void rule(FILE *out, const char *title)
{
    fprintf(out, "\n=== %s ===\n", title);
}

static void notes(FILE *out, enum lang lang, unsigned bits, const char *indent)
{
    if (!bits)
        return;
    fprintf(out, "%s%s:\n", indent, label(lang, L_NOTES));
    for (int i = 0; i < NOTE_COUNT_; i++)
        if (bits & (1u << i))
            fprintf(out, "%s  - %s\n", indent, note_label(lang, 1u << i));
}

/* The figure table of one community (or the network) for the report week. */
static void figures(FILE *out, enum lang lang, const struct metric_community *c, int nweeks)
{
    const struct metric_week *w = &c->weeks[nweeks - 1];
    char v[64], head[128];
    struct render_cmp k;
    size_t aw;

    render_average_head(lang, w->wk.kind, nweeks, head, sizeof head);
    aw = text_utf8_width(head) + 2 > COL + 6 ? text_utf8_width(head) + 2 : COL + 6;
    cell(out, label(lang, L_FIGURE), FIRST_COL, 0);
    cell(out, period_label(lang, w->wk.kind, L_THIS_WEEK), COL, 1);
    cell(out, period_label(lang, w->wk.kind, L_PREV_WEEK), COL, 1);
    cell(out, label(lang, L_CHANGE), COL + 2, 1);
    cell(out, head, aw, 1);
    cell(out, label(lang, L_VS_AVERAGE), COL + 2, 1);
    fputc('\n', out);
    for (int m = 0; m < M_COUNT; m++) {
        render_value(lang, (enum metric_id)m, &w->m[m], v, sizeof v);
        render_compare(lang, c, nweeks, (enum metric_id)m, &k);
        cell(out, period_metric_label(lang, w->wk.kind, (enum metric_id)m), FIRST_COL, 0);
        cell(out, v, COL, 1);
        cell(out, k.prev, COL, 1);
        cell(out, k.change, COL + 2, 1);
        cell(out, k.avg, aw, 1);
        cell(out, k.vs_avg, COL + 2, 1);
        fputc('\n', out);
    }
}

static void snapshots(FILE *out, enum lang lang, const struct metric_week *w)
{
    char buf[512];
    render_snapshots(lang, w, buf, sizeof buf);
    fprintf(out, "%s\n", buf);
}

/* Every post of the period, best first (the first ones are the top posts), with its text. */
static void posts(FILE *out, enum lang lang, const struct metric_community *c)
{
    char url[96], date[48], erp[32], erv[32];
    fprintf(out, "%s:\n", label(lang, L_POSTS_ALL));
    if (c->nposts == 0)
        fprintf(out, "  %s\n", label(lang, L_NO_POSTS));
    for (size_t i = 0; i < c->nposts; i++) {
        const struct metric_post *p = &c->posts[i];
        render_post_url(p, url, sizeof url);
        fmt_date(lang, p->date, 1, date, sizeof date);
        if (p->er_post >= 0)
            render_number(lang, p->er_post, 1, erp, sizeof erp);
        else
            text_copy(erp, sizeof erp, label(lang, L_NA));
        if (p->er_view >= 0)
            render_number(lang, p->er_view, 1, erv, sizeof erv);
        else
            text_copy(erv, sizeof erv, label(lang, L_NA));
        fprintf(out, "  %s%zu. %s  %s  %s\n     %s %s, %s %s, %s %s, %s %s, ERpost %s, ERview %s\n",
                i < c->ntop ? "*" : " ", i + 1, url, date, render_kind_label(lang, p->kind),
                label(lang, L_P_VIEWS), FMT_INT(lang, p->views), label(lang, L_P_LIKES),
                FMT_INT(lang, p->likes), label(lang, L_P_COMMENTS), FMT_INT(lang, p->comments),
                label(lang, L_P_REPOSTS), FMT_INT(lang, p->reposts), erp, erv);
        if (p->text[0])
            fprintf(out, "     %s\n", p->text);
    }
}

/* The best time to post as a table: the five weekday-hours with the most reactions per post. */
static void best_time(FILE *out, enum lang lang, const struct metric_hours *h)
{
    int used[7][24] = {{0}};
    char buf[32], n[64];
    fprintf(out, "%s (%s):\n", label(lang, L_BEST_TIME), label(lang, L_BEST_TIME_NOTE));
    for (int k = 0; k < 5; k++) {
        int bd = -1, bh = -1;
        double best = -1;
        for (int d = 0; d < 7; d++)
            for (int hr = 0; hr < 24; hr++) {
                double per;
                if (!h->posts[d][hr] || used[d][hr])
                    continue;
                per = (double)h->reactions[d][hr] / (double)h->posts[d][hr];
                if (per > best) {
                    best = per;
                    bd = d;
                    bh = hr;
                }
            }
        if (bd < 0)
            break;
        used[bd][bh] = 1;
        fmt_mean(lang, best, buf, sizeof buf);
        fmt_count(lang, h->posts[bd][bh], noun_forms(lang, N_POST), n, sizeof n);
        fprintf(out, "  %s %02d:00  %s (%s)\n", weekday_label(lang, bd), bh, buf, n);
    }
}

/* One sentence of the news, indented. */
static void news_line(void *ud, const char *cls, const char *text)
{
    fprintf(ud, "  %s %s\n", strcmp(cls, "good") == 0 ? "+" : "!", text);
}

static void ladder_row(FILE *out, enum lang lang, const char *name, const struct metric_ladder *l)
{
    char buf[32];
    cell(out, name, 28, 0);
    if (l->state == MS_MISSING) {
        cell(out, label(lang, L_NA), 12, 1);
        fputc('\n', out);
        return;
    }
    const int64_t v[] = {l->members, l->level[LADDER_REGISTERED], l->level[LADDER_DISCUSS],
                         l->level[LADDER_CONTRIBUTE], l->outsiders};
    for (size_t i = 0; i < 5; i++) {
        snprintf(buf, sizeof buf, "%s%s", l->state == MS_APPROX ? "~" : "", FMT_INT(lang, v[i]));
        cell(out, buf, i ? 16 : 12, 1);
    }
    fputc('\n', out);
}

static void ladders(FILE *out, const struct report *r, enum lang lang)
{
    char buf[256];
    rule(out, label(lang, L_LADDER));
    fprintf(out, "%s\n", label(lang, L_LADDER_NOTE));
    for (size_t c = 0; c < r->ncoms; c++) {
        const struct metric_community *mc = &r->coms[c];
        fprintf(out, "\n%s\n", render_name(mc));
        cell(out, "", 28, 0);
        const enum label heads[] = {L_MEMBERS, L_REGISTERED, L_DISCUSS, L_CONTRIBUTE, L_OUTSIDERS};
        for (size_t i = 0; i < 5; i++)
            cell(out, label(lang, heads[i]), i ? 16 : 12, 1);
        fputc('\n', out);
        ladder_row(out, lang, label(lang, L_PERIOD_NOW), &mc->ladder);
        ladder_row(out, lang, label(lang, L_PERIOD_PREV), &mc->ladder_prev);
        if (mc->moves.state != MS_MISSING) {
            snprintf(buf, sizeof buf, "%s: %s %s, %s %s, %s %s, %s %s, %s %s", label(lang, L_MOVES),
                     label(lang, L_UP), FMT_INT(lang, mc->moves.up), label(lang, L_DOWN),
                     FMT_INT(lang, mc->moves.down), label(lang, L_SAME),
                     FMT_INT(lang, mc->moves.same), label(lang, L_CAME),
                     FMT_INT(lang, mc->moves.came), label(lang, L_WENT),
                     FMT_INT(lang, mc->moves.went));
            fprintf(out, "%s\n", buf);
        }
    }
}

static void people(FILE *out, const struct report *r, enum lang lang)
{
    const struct metric_network *n = &r->net;
    size_t n1 = n->ncom + 1;
    char buf[64];

    rule(out, label(lang, L_PEOPLE));
    if (n->state == MS_MISSING) {
        fprintf(out, "%s\n", label(lang, L_NA));
        return;
    }
    int64_t multi = 0;
    for (size_t k = 2; k < n1; k++)
        multi += n->members_in[k];
    fprintf(out, "%s: %s\n%s: %s\n%s: %s\n", label(lang, L_DISTINCT_MEMBERS),
            FMT_INT(lang, n->members), label(lang, L_MULTI_MEMBERS), FMT_INT(lang, multi),
            label(lang, L_DISTINCT_ACTIVE), FMT_INT(lang, n->active));
    if (n->excluded)
        fprintf(out, "%s: %zu\n", label(lang, L_EXCLUDED), n->excluded);
    fprintf(out, "\n%s:\n", label(lang, L_SPREAD));
    cell(out, label(lang, L_MEMBER_OF), 16, 0);
    for (size_t j = 0; j < n1; j++) {
        snprintf(buf, sizeof buf, "%s %zu", label(lang, L_ACTIVE_IN), j);
        cell(out, buf, 14, 1);
    }
    fputc('\n', out);
    for (size_t k = 1; k < n1; k++) {
        snprintf(buf, sizeof buf, "%zu", k);
        cell(out, buf, 16, 0);
        for (size_t j = 0; j < n1; j++) {
            cell(out, FMT_INT(lang, n->spread[k * n1 + j]), 14, 1);
        }
        fputc('\n', out);
    }
    fprintf(out, "\n%s:\n", label(lang, L_MUNIS));
    cell(out, label(lang, L_MUNI), 36, 0);
    const enum label heads[] = {L_MEMBERS, L_ACTIVE, L_DISCUSS, L_CONTRIBUTE};
    for (size_t i = 0; i < 4; i++)
        cell(out, period_label(lang, r->week.kind, heads[i]), 20, 1);
    fputc('\n', out);
    for (size_t i = 0; i < n->nmunis; i++) {
        const struct metric_muni *m = &n->munis[i];
        if (m->members == 0)
            continue;
        cell(out, m->muni->short_name, 36, 0);
        const int64_t v[] = {m->members, m->active, m->discuss, m->contribute};
        for (size_t k = 0; k < 4; k++)
            cell(out, FMT_INT(lang, v[k]), 20, 1);
        fputc('\n', out);
    }
    render_number(lang, n->members ? (double)n->attributed / (double)n->members : 0, 1, buf,
                  sizeof buf);
    fprintf(out, "%s: %s / %s (%s); %s: %s; %s: %s\n", label(lang, L_ATTRIBUTED),
            FMT_INT(lang, n->attributed), FMT_INT(lang, n->members), buf, label(lang, L_NO_CITY),
            FMT_INT(lang, n->no_city), label(lang, L_OUTSIDE), FMT_INT(lang, n->outside));
}

static void text_note(void *ud, const char *who, const char *note)
{
    fprintf(ud, "    %s: %s\n", who, note);
}

static void coverage(FILE *out, const struct report *r, enum lang lang)
{
    char wk[16], runs[160];
    rule(out, label(lang, L_DATA));
    for (int i = 0; i < r->nweeks; i++) {
        week_format(&r->weeks[i], wk, sizeof wk);
        render_runs(r, lang, i, runs, sizeof runs);
        fprintf(out, "%s  %s: %s\n", wk, label(lang, L_RUNS), runs);
        render_week_notes(r, lang, i, text_note, out);
    }
}

/* The title, the window, the runs of the report period and the legends. */
static void header(FILE *out, const struct report *r, enum lang lang)
{
    char wk[16], w0[16], s[32], e[32], gen[48], n[64], runs[160];
    const struct week *last = &r->week;

    week_format(last, wk, sizeof wk);
    week_format(&r->weeks[0], w0, sizeof w0);
    fmt_date(lang, last->start, 0, s, sizeof s);
    fmt_date(lang, last->end - 1, 0, e, sizeof e);
    fmt_date(lang, r->generated_at, 1, gen, sizeof gen);
    fmt_count(lang, r->nweeks, period_unit_forms(lang, last->kind), n, sizeof n);
    if (!render_show_total(r))
        fprintf(out, "%s: ", render_name(&r->coms[0]));
    fprintf(out, "%s — %s %s (%s – %s)\n", period_label(lang, last->kind, L_TITLE),
            period_label(lang, last->kind, L_WEEK), wk, s, e);
    fprintf(out, "%s: %s. %s: %s (%s – %s). %s: %s\n", label(lang, L_TIMEZONE), r->tz,
            label(lang, L_WINDOW), n, w0, wk, label(lang, L_GENERATED), gen);
    const int li = r->nweeks - 1;
    render_runs(r, lang, li, runs, sizeof runs);
    fprintf(out, "%s: %s\n", label(lang, L_RUNS), runs);
    fprintf(out, "%s\n%s\n", label(lang, L_APPROX_LEGEND), label(lang, L_NA_LEGEND));
}

/* ---- the yearly report -------------------------------------------------------------------- */

/* One row per yearly figure: each year of the window, the change over the last, the trend. */
static void yearly_table(FILE *out, const struct report *r, enum lang lang,
                         const struct metric_community *c)
{
    RENDER_YEARLY(yearly, nyearly);
    char v[64], id[16];
    const int n = r->nweeks;

    cell(out, label(lang, L_FIGURE), FIRST_COL, 0);
    for (int i = 0; i < n; i++) {
        render_period_head(r, i, id, sizeof id);
        cell(out, id, COL - 4, 1);
    }
    cell(out, label(lang, L_CHANGE), COL + 4, 1);
    cell(out, label(lang, L_THREE_YEARS), COL, 1);
    fputc('\n', out);
    for (size_t k = 0; k < nyearly; k++) {
        enum metric_id m = yearly[k];
        cell(out, period_metric_label(lang, r->week.kind, m), FIRST_COL, 0);
        for (int i = 0; i < n; i++) {
            render_value(lang, m, &c->weeks[i].m[m], v, sizeof v);
            cell(out, v, COL - 4, 1);
        }
        render_yearly_change(r, lang, c, m, v, sizeof v);
        cell(out, v, COL + 4, 1);
        cell(out, render_trend_label(lang, render_trend(r, c, m)), COL, 1);
        fputc('\n', out);
    }
}

static int yearly_text(const struct report *r, enum lang lang, FILE *out)
{
    char as_of[512], open[512];

    header(out, r, lang);
    render_yearly_notes(r, lang, as_of, open, sizeof open);
    fprintf(out, "%s\n%s%s", as_of, open, open[0] ? "\n" : "");
    if (render_show_total(r)) {
        rule(out, render_total_title(r, lang));
        yearly_table(out, r, lang, &r->total);
        notes(out, lang, render_notes(&r->total, r->nweeks), "");
    }
    for (size_t c = 0; c < r->ncoms; c++) {
        const struct metric_community *mc = &r->coms[c];
        char title[512];
        text_printf(title, sizeof title, "%s (%s)", render_name(mc), mc->ref);
        rule(out, title);
        yearly_table(out, r, lang, mc);
        notes(out, lang, render_notes(mc, r->nweeks), "");
    }
    return ferror(out) ? VKP_EIO : 0;
}

int render_text(const struct report *r, const struct render_options *o, FILE *out)
{
    enum lang lang = o->lang;
    const int li = r->nweeks - 1;

    if (render_is_yearly(r))
        return yearly_text(r, lang, out);
    header(out, r, lang);

    if (render_show_total(r)) {
        rule(out, render_total_title(r, lang));
        render_news(r, o, &r->total, 1, news_line, out);
        figures(out, lang, &r->total, r->nweeks);
        notes(out, lang, r->total.weeks[li].notes, "");
        best_time(out, lang, &r->total.hours);
    }
    for (size_t c = 0; c < r->ncoms; c++) {
        const struct metric_community *mc = &r->coms[c];
        char title[512];
        text_printf(title, sizeof title, "%s (%s)%s%s", render_name(mc), mc->ref,
                    mc->active ? "" : " ", mc->active ? "" : label(lang, L_NOT_CONFIGURED));
        rule(out, title);
        render_news(r, o, mc, 0, news_line, out);
        snapshots(out, lang, &mc->weeks[li]);
        figures(out, lang, mc, r->nweeks);
        notes(out, lang, mc->weeks[li].notes, "");
        posts(out, lang, mc);
        best_time(out, lang, &mc->hours);
    }
    ladders(out, r, lang);
    if (render_show_total(r))
        people(out, r, lang);
    coverage(out, r, lang);
    return ferror(out) ? VKP_EIO : 0;
}
