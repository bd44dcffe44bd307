/* crosscheck_render_html.c: the cross-check as one page in the report's style, with charts. */
#include <stdio.h>

#include "crosscheck.h"

#include "crosscheck_words.h"
#include "fmt.h"
#include "html.h"
#include "muni.h"
#include "svg.h"
#include "text.h"

/* ---- charts ------------------------------------------------------------------------------ */

#define CW 600                  /* chart viewBox width; charts scale to the column */
#define ROW_H 40                /* a name on its line, a bar under it */
#define BAR_X 8                 /* bars start here */
#define BAR_W (CW - BAR_X - 90) /* room after the longest bar for its number */

/* Bar colours of the verdicts, in xc_verdict order (the table cells' hues, darker). */
static const char *const verdict_color[XC_NVERDICTS] = {"#4cae4c", "#d9534f", "#4a7fd4", "#c9a227",
                                                        "#9e9e9e", "#c4c4c4", "#e2e2e2"};

/* Verdicts per question: one stacked bar per question, the legend under it. */
static void chart_verdicts(const struct xc_out *o)
{
    const struct xc_summary *s = &o->x->sum;
    static const enum survey_q qs[SURVEY_NQ] = {SURVEY_Q13, SURVEY_Q14, SURVEY_Q16, SURVEY_Q17};
    struct svg_frame f = {CW, 8 + SURVEY_NQ * ROW_H + 8, 0, 0, 0, 0};
    size_t most = 1;
    char num[32];

    for (int q = 0; q < SURVEY_NQ; q++) {
        size_t n = 0;
        for (int v = 0; v < XC_NVERDICTS; v++)
            n += s->verdicts[qs[q]][v];
        most = n > most ? n : most;
    }
    svg_open(o->f, LB(o, XL_CHART_VERDICTS), &f);
    for (int q = 0; q < SURVEY_NQ; q++) {
        double y = 8 + (double)q * ROW_H, x = BAR_X;
        size_t n = 0;
        svg_text(o->f, BAR_X, y + 12, "start", "", LB(o, xc_question_label[qs[q]]));
        for (int v = 0; v < XC_NVERDICTS; v++) {
            double w = BAR_W * (double)s->verdicts[qs[q]][v] / (double)most;
            n += s->verdicts[qs[q]][v];
            if (!s->verdicts[qs[q]][v])
                continue;
            fprintf(o->f,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\">"
                    "<title>",
                    x, y + 17, w, verdict_color[v]);
            html_escf(o->f, "%s: %zu", xc_verdict_label[v][o->lang], s->verdicts[qs[q]][v]);
            fputs("</title></rect>", o->f);
            x += w;
        }
        snprintf(num, sizeof num, "%zu", n);
        svg_text(o->f, x + 6, y + 30, "start", "", num);
        fputc('\n', o->f);
    }
    svg_legend_begin(o->f);
    for (int v = 0; v < XC_NVERDICTS; v++)
        svg_legend(o->f, xc_verdict_label[v][o->lang], verdict_color[v]);
    svg_close(o->f);
}

/* Attributed members per municipality, by roster and by profile city. */
static void chart_coverage(const struct xc_out *o)
{
    const struct crosscheck *x = o->x;
    struct svg_frame f = {CW, 16, 0, 0, 0, 0};
    int64_t most = 1;
    size_t rows = 0;

    for (size_t i = 0; i < x->nmunis; i++) {
        rows += x->munis[i].attributed > 0;
        most = x->munis[i].attributed > most ? x->munis[i].attributed : most;
    }
    f.h = 16 + (int)rows * ROW_H;
    svg_open(o->f, LB(o, XL_CHART_COVERAGE), &f);
    for (size_t i = 0, r = 0; i < x->nmunis; i++) {
        const struct xc_muni *xm = &x->munis[i];
        double y = 8 + (double)r * ROW_H;
        double wr = BAR_W * (double)xm->by_roster / (double)most;
        double wc = BAR_W * (double)xm->by_city / (double)most;
        if (xm->attributed <= 0)
            continue;
        r++;
        svg_text(o->f, BAR_X, y + 12, "start", "", xc_muni_label(xm));
        fprintf(o->f,
                "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>"
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>",
                BAR_X, y + 17, wr, svg_color(2), BAR_X + wr, y + 17, wc, svg_color(0));
        svg_text(o->f, BAR_X + wr + wc + 6, y + 30, "start", "", FMT_INT(o->lang, xm->attributed));
        fputc('\n', o->f);
    }
    svg_legend_begin(o->f);
    svg_legend(o->f, LB(o, XL_ROSTER), svg_color(2));
    svg_legend(o->f, LB(o, XL_CITY), svg_color(0));
    svg_close(o->f);
}

static const char *const verdict_class[XC_NVERDICTS] = {"ok",   "over", "under", "unv",
                                                        "info", "info", "info"};

void xc_html_verdict(const struct xc_out *o, enum xc_verdict v, enum xc_reason r)
{
    char why[256];
    xc_reason_text(o, r, why, sizeof why);
    fprintf(o->f, "<td class=\"%s\">", verdict_class[v]);
    html_esc(o->f, xc_verdict_label[v][o->lang]);
    if (why[0]) {
        fputs("<br><small>", o->f);
        html_esc(o->f, why);
        fputs("</small>", o->f);
    }
    fputs("</td>", o->f);
}

/* One link to VK: the URL is ours (digits only), the words escaped. */
static void html_link(const struct xc_out *o, const char *url, const char *words)
{
    fprintf(o->f, "<a href=\"%s\" rel=\"noopener noreferrer\">", url);
    html_esc(o->f, words);
    fputs("</a>", o->f);
}

void xc_html_evidence(const struct xc_out *o, const struct xc_level *l)
{
    char url[96], when[32], hex[65];

    if (!l->nposts && !l->nthreads)
        return;
    fputs("<details><summary>", o->f);
    html_escf(o->f, XC_EN(o) ? "%s: %zu posts, %zu threads" : "%s: постов — %zu, обсуждений — %zu",
              LB(o, XL_EVIDENCE), l->nposts, l->nthreads);
    fputs("</summary>", o->f);
    if (l->nposts) {
        fputs("<p>", o->f);
        html_esc(o->f, LB(o, XL_POSTS_BY));
        fputs(":</p><ul>", o->f);
        for (size_t i = 0; i < l->nposts; i++) {
            xc_post_url(&l->posts[i], url, sizeof url);
            xc_date(o, l->posts[i].date, when, sizeof when);
            fputs("<li>", o->f);
            html_link(o, url, when);
            if (xc_pseudonym(o->salt, l->posts[i].author, hex) == 0)
                fprintf(o->f, " <small>%.12s…</small>", hex);
            fputs("</li>", o->f);
        }
        fputs("</ul>", o->f);
    }
    if (l->nthreads) {
        fputs("<p>", o->f);
        html_escf(o->f, "%s (%s %s):", LB(o, XL_THREADS_OF), FMT_INT(o->lang, l->n.commenters),
                  LB(o, XL_COMMENTERS));
        fputs("</p><ul>", o->f);
        for (size_t i = 0; i < l->nthreads; i++) {
            struct xc_post p = {l->threads[i].owner_id, l->threads[i].post_id, 0, 0};
            xc_post_url(&p, url, sizeof url);
            fputs("<li>", o->f);
            html_link(o, url, url + 8);
            fputs("</li>", o->f);
        }
        fputs("</ul>", o->f);
    }
    fputs("</details>", o->f);
}

static void html_counts(const struct xc_out *o, const struct xc_counts *n)
{
    fprintf(o->f,
            "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
            "<td class=\"n\">%s</td><td class=\"n\">%s</td>",
            FMT_INT(o->lang, n->members), FMT_INT(o->lang, n->commenters),
            FMT_INT(o->lang, n->authors), FMT_INT(o->lang, n->likers),
            FMT_INT(o->lang, n->reposters));
}

static void html_th(const struct xc_out *o, const enum xc_label *ls, size_t n)
{
    fputs("<tr>", o->f);
    for (size_t i = 0; i < n; i++) {
        fputs("<th>", o->f);
        html_esc(o->f, LB(o, ls[i]));
        fputs("</th>", o->f);
    }
    fputs("</tr>\n", o->f);
}

static void html_share_row(const struct xc_out *o, const char *what, size_t claimed, long observed)
{
    size_t r = o->x->respondents;
    fputs("<tr><td>", o->f);
    html_esc(o->f, what);
    char share[32];
    xc_percent(o, claimed, r, 1, share, sizeof share);
    fprintf(o->f, "</td><td class=\"n\">%zu</td><td class=\"n\">%s</td>", claimed, share);
    xc_percent(o, observed >= 0 ? (size_t)observed : 0, r, 1, share, sizeof share);
    if (observed >= 0)
        fprintf(o->f, "<td class=\"n\">%ld</td><td class=\"n\">%s</td></tr>\n", observed, share);
    else
        fputs("<td></td><td></td></tr>\n", o->f);
}

static void html_summary(const struct xc_out *o)
{
    const struct crosscheck *x = o->x;
    const struct xc_summary *s = &x->sum;
    char name[512];

    char title[512];
    snprintf(title, sizeof title, "%s: %s %zu / %zu", LB(o, XL_SUMMARY), LB(o, XL_RESPONDENTS),
             x->respondents, x->nmunis);
    html_h2(o->f, "summary", title);
    chart_verdicts(o);
    for (int f = 0; f < XC_NFAMILIES; f++) {
        for (int part = 0; part < 2; part++) {
            enum survey_q q =
                f ? (part ? SURVEY_Q17 : SURVEY_Q16) : (part ? SURVEY_Q14 : SURVEY_Q13);
            fputs("<h3>", o->f);
            html_esc(o->f, LB(o, xc_question_label[q]));
            fputs("</h3>\n<table><tr><th></th><th colspan=\"2\">", o->f);
            html_esc(o->f, LB(o, XL_CLAIMED));
            fputs("</th><th colspan=\"2\">", o->f);
            html_esc(o->f, LB(o, XL_OBSERVED));
            fputs("</th></tr>\n", o->f);
            if (!part) {
                for (size_t k = 0; k < x->ncomms; k++) {
                    if (x->comms[k].family != (enum xc_family)f)
                        continue;
                    text_printf(name, sizeof name, "«%s»", x->comms[k].survey_name);
                    html_share_row(o, name, s->claimed_comm[k], (long)s->observed_comm[k]);
                }
                html_share_row(o, LB(o, XL_IN_NONE), s->list[f][XC_LIST_NONE],
                               (long)s->observed_none[f]);
                html_share_row(o, LB(o, XL_DONT_KNOW), s->list[f][XC_LIST_DONT_KNOW], -1);
                html_share_row(o, LB(o, XL_NO_ANSWER), s->list[f][XC_LIST_NO_ANSWER], -1);
            } else {
                for (int l = LEVEL_REGISTERED; l <= LEVEL_CONTRIBUTES + 1; l++) {
                    int lv = l > LEVEL_CONTRIBUTES ? LEVEL_NONE : l;
                    html_share_row(o, xc_level_label[lv][o->lang], s->claimed_level[f][lv],
                                   (long)s->observed_level[f][lv]);
                }
                html_share_row(o, LB(o, XL_DONT_KNOW), s->level_dont_know[f], -1);
                html_share_row(o, LB(o, XL_NO_ANSWER), s->level_no_answer[f], -1);
            }
            fputs("</table>\n", o->f);
        }
    }
    fputs("<h3>", o->f);
    html_esc(o->f, LB(o, XL_VERDICTS));
    fputs("</h3>\n<table><tr><th></th><th>13</th><th>14</th><th>16</th><th>17</th></tr>\n", o->f);
    for (int v = 0; v < XC_NVERDICTS; v++) {
        fprintf(o->f, "<tr><td class=\"%s\">", verdict_class[v]);
        html_esc(o->f, xc_verdict_label[v][o->lang]);
        fprintf(o->f,
                "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                "<td class=\"n\">%zu</td></tr>\n",
                s->verdicts[SURVEY_Q13][v], s->verdicts[SURVEY_Q14][v], s->verdicts[SURVEY_Q16][v],
                s->verdicts[SURVEY_Q17][v]);
    }
    fputs("</table>\n", o->f);
}

static void html_munis(const struct xc_out *o)
{
    const struct crosscheck *x = o->x;
    static const enum survey_q lq[2] = {SURVEY_Q14, SURVEY_Q17}, mq[2] = {SURVEY_Q13, SURVEY_Q16};
    const enum xc_label head[] = {XL_MUNICIPALITY, XL_QUESTION,  XL_CLAIMED,    XL_OBSERVED,
                                  XL_VERDICT,      XL_MEMBERS_N, XL_COMMENTERS, XL_AUTHORS,
                                  XL_LIKERS,       XL_REPOSTERS};

    fputs("<table>\n", o->f);
    html_th(o, head, sizeof head / sizeof head[0]);
    for (size_t i = 0; i < x->nmunis; i++) {
        const struct xc_muni *xm = &x->munis[i];
        for (int f = 0; f < XC_NFAMILIES; f++) {
            const struct xc_level *l = &xm->level[f];
            char cov[512];
            xc_muni_coverage_text(o, xm, cov, sizeof cov);
            fputs("<tr><td>", o->f);
            html_esc(o->f, xc_muni_label(xm));
            fputs("<br><small>", o->f);
            html_esc(o->f, cov);
            fputs("</small>", o->f);
            fprintf(o->f, "</td><td>%s</td><td>", survey_question_number(lq[f]));
            html_esc(o->f, xc_claim_text(o, l));
            fputs("</td><td>", o->f);
            html_esc(o->f, xc_level_label[l->observed][o->lang]);
            xc_html_evidence(o, l);
            fputs("</td>", o->f);
            xc_html_verdict(o, l->verdict, l->reason);
            html_counts(o, &l->n);
            fputs("</tr>\n", o->f);
            for (size_t k = 0; k < x->ncomms; k++) {
                const struct xc_membership *mb = &xm->comm[k];
                if (!xc_comm_listed(x, mb, k, f))
                    continue;
                fputs("<tr><td></td><td>", o->f);
                html_escf(o->f, "%s «%s»", survey_question_number(mq[f]), x->comms[k].survey_name);
                fputs("</td><td>", o->f);
                html_esc(o->f, mb->claimed ? LB(o, XL_NAMED) : LB(o, XL_NOT_NAMED));
                fputs("</td><td>", o->f);
                html_esc(o->f, xc_level_label[xc_observed_level(&mb->n, &x->th)][o->lang]);
                fputs("</td>", o->f);
                xc_html_verdict(o, mb->verdict, mb->reason);
                html_counts(o, &mb->n);
                fputs("</tr>\n", o->f);
            }
        }
    }
    fputs("</table>\n", o->f);
}

/* The follow-up list, ranked, under its class headings. */
static void html_follow_up(const struct xc_out *o)
{
    const struct crosscheck *x = o->x;
    enum xc_rank cur = XC_RANK_NONE;
    char line[2048];

    xc_follow_counts(o, x->follow, x->nfollow, line, sizeof line);
    fputs("<p>", o->f);
    html_esc(o->f, line);
    fputs("</p>\n", o->f);
    for (size_t i = 0; i < x->nfollow; i++) {
        if (x->follow[i].rank != cur) {
            if (cur != XC_RANK_NONE)
                fputs("</ol>\n", o->f);
            cur = x->follow[i].rank;
            fputs("<h3>", o->f);
            html_esc(o->f, xc_rank_label[cur][o->lang]);
            fputs("</h3>\n<ol>\n", o->f);
        }
        xc_follow_text(o, &x->follow[i], line, sizeof line);
        fprintf(o->f, "<li class=\"%s\">",
                x->follow[i].rank == XC_RANK_OVERSTATED    ? "over"
                : x->follow[i].rank == XC_RANK_UNDERSTATED ? "under"
                                                           : "unv");
        html_esc(o->f, line);
        fputs("</li>\n", o->f);
    }
    if (cur != XC_RANK_NONE)
        fputs("</ol>\n", o->f);
}

/* A paragraph of text, of class cls (NULL: none). */
static void html_para(const struct xc_out *o, const char *cls, const char *text)
{
    fprintf(o->f, cls ? "<p class=\"%s\">" : "<p>", cls);
    html_esc(o->f, text);
    fputs("</p>\n", o->f);
}

void xc_html_method(const struct xc_out *o)
{
    char lines[LEGEND_LINES][LEGEND_LEN];
    size_t n = xc_legend(o, lines, sizeof lines[0]);

    html_h2(o->f, "method", LB(o, XL_METHOD));
    for (size_t i = 0; i < n; i++)
        html_para(o, NULL, lines[i]);
}

void xc_html_warnings(const struct xc_out *o)
{
    char warn[3][WARN_LEN];
    size_t n = xc_warnings(o, warn, sizeof warn[0]);

    for (size_t i = 0; i < n; i++)
        html_para(o, "unv", warn[i]);
}

/* ---- the page ----------------------------------------------------------------------------- */

void xc_render_html(const void *ud)
{
    const struct xc_out *o = ud;
    const struct crosscheck *x = o->x;
    char win[512], th[1024], title[512], gen[64], a[16], b[16];
    const struct html_toc toc[] = {
        {"method", LB(o, XL_METHOD)},        {"coverage", LB(o, XL_COVERAGE)},
        {"summary", LB(o, XL_SUMMARY)},      {"follow-up", LB(o, XL_FOLLOW_UP)},
        {"municipalities", LB(o, XL_MUNIS)},
    };

    snprintf(title, sizeof title, "%s — %s %d", LB(o, XL_TITLE), LB(o, XL_SURVEY), x->year);
    html_page_open(o->f, o->lang, title);
    fputs("<p class=\"meta\">", o->f);
    xc_window_text(o, win, sizeof win);
    xc_thresholds_text(o, th, sizeof th);
    fmt_date(o->lang, o->generated_at, 1, gen, sizeof gen);
    html_escf(o->f, "%s %s: %s.", win, LB(o, XL_GENERATED), gen);
    fputs("</p>\n", o->f);
    xc_html_warnings(o);
    /* the header says the thresholds and the coverage in sentences, before anything else */
    char cov[1024];
    xc_coverage_text(o, cov, sizeof cov);
    html_para(o, NULL, th);
    html_para(o, NULL, cov);
    html_toc(o->f, LB(o, XL_CONTENTS), toc, sizeof toc / sizeof toc[0]);
    xc_html_method(o);
    html_h2(o->f, "coverage", LB(o, XL_COVERAGE));
    fputs("<table>", o->f);
    const enum xc_label ch[] = {XL_COMMUNITY, XL_MEMBER_LIST, XL_WALL, XL_MEMBERS, XL_ATTRIBUTED};
    html_th(o, ch, sizeof ch / sizeof ch[0]);
    for (size_t k = 0; k < x->ncomms; k++) {
        const struct xc_community *c = &x->comms[k];
        xc_date(o, c->members_at, a, sizeof a);
        xc_date(o, c->wall_last, b, sizeof b);
        fputs("<tr><td>", o->f);
        html_escf(o->f, "%s «%s»", c->ref, c->survey_name);
        fputs("</td><td>", o->f);
        html_escf(o->f, "%s%s%s", c->members_at ? a : LB(o, XL_NEVER),
                  c->members_hidden ? "; " : "", c->members_hidden ? LB(o, XL_HIDDEN) : "");
        fputs("</td><td>", o->f);
        html_esc(o->f, c->wall_last ? b : LB(o, XL_NEVER));
        fprintf(o->f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                FMT_INT(o->lang, c->members), FMT_INT(o->lang, c->attributed));
    }
    fputs("</table>\n<p><small>", o->f);
    html_esc(o->f, LB(o, XL_NOTE));
    fputs("</small></p>\n", o->f);
    chart_coverage(o);
    html_summary(o);
    html_h2(o->f, "follow-up", LB(o, XL_FOLLOW_UP));
    html_follow_up(o);
    html_h2(o->f, "municipalities", LB(o, XL_MUNIS));
    html_munis(o);
    html_page_close(o->f);
}
