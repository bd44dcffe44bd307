/* crosscheck_panel.c: survey years side by side: each year's claim, observed level and verdict
 * per municipality and question, and what changed, as text, CSV, JSON or HTML. Every cell is
 * the single-year cross-check's of that year, written by the same functions. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crosscheck.h"
#include "crosscheck_render.h"
#include "crosscheck_words.h"
#include "csvout.h"
#include "err.h"
#include "html.h"
#include "jsondoc.h"
#include "muni.h"
#include "text.h"

/* The panel being written: one xc_out per year (the same stream and options). */
struct panel {
    struct xc_out o[16];       /* per year, ascending */
    size_t n;                  /* years */
    const struct xc_out *last; /* the latest year: method and thresholds */
};

static const enum survey_q panel_q[SURVEY_NQ] = {SURVEY_Q13, SURVEY_Q14, SURVEY_Q16, SURVEY_Q17};

static int family_of(enum survey_q q)
{
    return q == SURVEY_Q13 || q == SURVEY_Q14 ? XC_RMO : XC_PROF;
}

static int is_list(enum survey_q q)
{
    return q == SURVEY_Q13 || q == SURVEY_Q16;
}

/* The JSON cell of a municipality's question in one year: the single-year cell, and its year. */
static cJSON *cell(const struct xc_out *o, size_t i, enum survey_q q)
{
    const struct xc_muni *xm = &o->x->munis[i];
    cJSON *c = is_list(q) ? xc_json_list(o, xm, family_of(q)) : xc_json_level(o, xm, family_of(q));
    if (c)
        cJSON_AddNumberToObject(c, "year", o->x->year);
    return c;
}

/* What differs between two years' cells: a mask of claimed (1), observed (2), verdict (4). */
static unsigned changes(const cJSON *prev, const cJSON *cur)
{
    static const char *const keys[] = {"claimed", "observed", "verdict"};
    unsigned m = 0;
    if (!prev)
        return 0;
    for (unsigned k = 0; k < 3; k++)
        if (!cJSON_Compare(cJSON_GetObjectItem(prev, keys[k]), cJSON_GetObjectItem(cur, keys[k]),
                           1))
            m |= 1u << k;
    return m;
}

/* "claimed, verdict" in the language's words (or codes for machines: words NULL). */
static void changes_text(const struct xc_out *o, unsigned m, char *buf, size_t len)
{
    static const char *const en[] = {"claim", "observed", "verdict"};
    static const char *const ru[] = {"заявлено", "наблюдается", "вердикт"};
    static const char *const code[] = {"claimed", "observed", "verdict"};
    size_t at = 0;
    buf[0] = '\0';
    for (unsigned k = 0; k < 3; k++)
        if (m >> k & 1) {
            const char *w = !o ? code[k] : XC_EN(o) ? en[k] : ru[k];
            int n = snprintf(buf + at, len - at, "%s%s", at ? (o ? ", " : ";") : "", w);
            if (n < 0 || (size_t)n >= len - at)
                break;
            at += (size_t)n;
        }
}

/* Community k's questionnaire code: "13.2" for the second RMO, "16.1" for the first community. */
static void comm_code(const struct crosscheck *x, size_t k, char *buf, size_t len)
{
    int idx = 0;
    for (size_t i = 0; i <= k; i++)
        idx += x->comms[i].family == x->comms[k].family;
    snprintf(buf, len, "%s.%d", x->comms[k].family == XC_RMO ? "13" : "16", idx);
}

/* Q13/Q16 claim or observation as questionnaire codes: "13.1, 13.3", "—" for none. */
static void list_codes(const struct xc_out *o, const struct xc_muni *xm, enum survey_q q,
                       int observed, char *buf, size_t len)
{
    const struct crosscheck *x = o->x;
    int f = family_of(q);
    size_t at = 0;

    buf[0] = '\0';
    if (!observed &&
        (!xm->surveyed || xm->list[f] == XC_LIST_NO_ANSWER || xm->list[f] == XC_LIST_DONT_KNOW)) {
        snprintf(buf, len, "%s",
                 !xm->surveyed ? LB(o, XL_NOT_IN_SURVEY) : xc_list_label[xm->list[f]][o->lang]);
        return;
    }
    for (size_t k = 0; k < x->ncomms; k++) {
        char code[16];
        if (x->comms[k].family != (enum xc_family)f)
            continue;
        if (observed ? xm->comm[k].n.members > 0 : xm->comm[k].claimed) {
            comm_code(x, k, code, sizeof code);
            int n = snprintf(buf + at, len - at, "%s%s", at ? ", " : "", code);
            if (n < 0 || (size_t)n >= len - at)
                break;
            at += (size_t)n;
        }
    }
    if (!at)
        text_copy(buf, len, LB(o, XL_IN_NONE));
}

/* A cell's claim, observation and verdict in words. */
static void cell_words(const struct xc_out *o, size_t i, enum survey_q q, const char **verdict,
                       char *claim, char *seen, size_t len)
{
    const struct xc_muni *xm = &o->x->munis[i];
    int f = family_of(q);
    if (is_list(q)) {
        list_codes(o, xm, q, 0, claim, len);
        list_codes(o, xm, q, 1, seen, len);
        *verdict = xc_verdict_label[xm->list_verdict[f]][o->lang];
    } else {
        text_copy(claim, len, xc_claim_text(o, &xm->level[f]));
        text_copy(seen, len, xc_level_label[xm->level[f].observed][o->lang]);
        *verdict = xc_verdict_label[xm->level[f].verdict][o->lang];
    }
}

/* ---- the follow-up over the years: by class, then the latest year first ---------------- */

/* Calls fn for every item of every year in panel order. */
static void each_follow(const struct panel *p,
                        void (*fn)(const struct xc_out *o, const struct xc_follow *it, void *ud),
                        void *ud)
{
    for (int r = XC_RANK_OVERSTATED; r <= XC_RANK_UNVERIFIABLE; r++)
        for (size_t y = p->n; y-- > 0;)
            for (size_t i = 0; i < p->o[y].x->nfollow; i++)
                if (p->o[y].x->follow[i].rank == (enum xc_rank)r)
                    fn(&p->o[y], &p->o[y].x->follow[i], ud);
}

/* ---- json ---------------------------------------------------------------------------------- */

static void json_follow(const struct xc_out *o, const struct xc_follow *it, void *ud)
{
    cJSON *e = xc_json_follow(o, it);
    if (e)
        cJSON_AddNumberToObject(e, "year", o->x->year);
    cJSON_AddItemToArray((cJSON *)ud, e);
}

static cJSON *panel_json(const void *ud)
{
    const struct panel *p = ud;
    const struct crosscheck *last = p->last->x;
    cJSON *root = jsondoc_new(XC_PANEL_SCHEMA, XC_PANEL_VERSION, p->last->generated_at, NULL);
    cJSON *a, *w;
    char ch[64];

    if (!root)
        return NULL;
    a = cJSON_AddArrayToObject(root, "years");
    w = cJSON_AddArrayToObject(root, "windows");
    for (size_t y = 0; y < p->n; y++) {
        cJSON_AddItemToArray(a, cJSON_CreateNumber(p->o[y].x->year));
        cJSON_AddItemToArray(w, xc_json_window(&p->o[y]));
    }
    xc_json_method(p->last, root);
    a = cJSON_AddArrayToObject(root, "municipalities");
    for (size_t i = 0; i < last->nmunis; i++) {
        cJSON *e = cJSON_CreateObject(), *qs;
        cJSON_AddItemToArray(a, e);
        cJSON_AddStringToObject(e, "name", last->munis[i].m->name);
        cJSON_AddStringToObject(e, "short_name", xc_muni_label(&last->munis[i]));
        qs = cJSON_AddObjectToObject(e, "questions");
        for (int q = 0; q < SURVEY_NQ; q++) {
            char key[4];
            snprintf(key, sizeof key, "q%s", survey_question_number(panel_q[q]));
            cJSON *years = cJSON_AddArrayToObject(qs, key), *prev = NULL;
            for (size_t y = 0; y < p->n; y++) {
                cJSON *c = cell(&p->o[y], i, panel_q[q]);
                if (!c)
                    continue;
                cJSON_AddBoolToObject(c, "surveyed", p->o[y].x->munis[i].surveyed);
                if (prev) {
                    changes_text(NULL, changes(prev, c), ch, sizeof ch);
                    cJSON *cs = cJSON_AddArrayToObject(c, "changed");
                    for (char *t = strtok(ch, ";"); t; t = strtok(NULL, ";"))
                        cJSON_AddItemToArray(cs, cJSON_CreateString(t));
                } else {
                    cJSON_AddNullToObject(c, "changed");
                }
                cJSON_AddItemToArray(years, c);
                prev = c;
            }
        }
    }
    a = cJSON_AddArrayToObject(root, "follow_up");
    each_follow(p, json_follow, a);
    return root;
}

/* ---- text ---------------------------------------------------------------------------------- */

static void text_follow(const struct xc_out *o, const struct xc_follow *it, void *ud)
{
    char line[2048];
    (void)ud;
    xc_follow_text(o, it, line, sizeof line);
    fprintf(o->f, "  %d, %s: %s\n", o->x->year, xc_rank_word[it->rank][o->lang], line);
}

static void panel_text(const void *ud)
{
    const struct panel *p = ud;
    const struct xc_out *L = p->last;
    char b[1024], warn[3][WARN_LEN], lines[LEGEND_LINES][LEGEND_LEN], claim[256], seen[256],
        ch[128];
    const char *verdict;

    fprintf(L->f, "%s — %s", LB(L, XL_PANEL_TITLE), LB(L, XL_SURVEYS));
    for (size_t y = 0; y < p->n; y++)
        fprintf(L->f, "%s%d", y ? ", " : " ", p->o[y].x->year);
    fprintf(L->f, "\n\n%s\n", LB(L, XL_WINDOWS));
    for (size_t y = 0; y < p->n; y++) {
        xc_window_text(&p->o[y], b, sizeof b);
        fprintf(L->f, "  %d: %s\n", p->o[y].x->year, b);
        size_t nw = xc_warnings(&p->o[y], warn, sizeof warn[0]);
        for (size_t k = 0; k < nw; k++)
            fprintf(L->f, "    %s %s\n", LB(L, XL_WARNING), warn[k]);
    }
    xc_thresholds_text(L, b, sizeof b);
    fprintf(L->f, "%s\n\n%s\n", b, LB(L, XL_METHOD));
    size_t nl = xc_legend(L, lines, sizeof lines[0]);
    for (size_t k = 0; k < nl; k++)
        fprintf(L->f, "  %s\n", lines[k]);
    char code[16];
    fprintf(L->f, "\n%s\n", LB(L, XL_DATA));
    for (size_t k = 0; k < L->x->ncomms; k++) {
        comm_code(L->x, k, code, sizeof code);
        fprintf(L->f, "  %s «%s» (%s)\n", code, L->x->comms[k].survey_name, L->x->comms[k].ref);
    }
    fprintf(L->f, "\n%s\n", LB(L, XL_FOLLOW_UP));
    each_follow(p, text_follow, NULL);
    fprintf(L->f, "\n%s\n", LB(L, XL_MUNIS));
    for (size_t i = 0; i < L->x->nmunis; i++) {
        fprintf(L->f, "\n%s\n", xc_muni_label(&L->x->munis[i]));
        for (int q = 0; q < SURVEY_NQ; q++) {
            cJSON *prev = NULL;
            for (size_t y = 0; y < p->n; y++) {
                const struct xc_out *o = &p->o[y];
                cJSON *c = cell(o, i, panel_q[q]);
                cell_words(o, i, panel_q[q], &verdict, claim, seen, sizeof claim);
                changes_text(o, changes(prev, c), ch, sizeof ch);
                if (!y)
                    fprintf(L->f, "  %s%s\n", LB(o, XL_Q), survey_question_number(panel_q[q]));
                fprintf(L->f, "    %d: %s %s, %s %s — %s%s%s%s%s\n", o->x->year, LB(o, XL_CLAIMS),
                        claim, LB(o, XL_OBSERVED_LC), seen, verdict, ch[0] ? "; " : "",
                        ch[0] ? LB(o, XL_CHANGED) : "", ch[0] ? ": " : "", ch);
                cJSON_Delete(prev);
                prev = c;
            }
            cJSON_Delete(prev);
        }
    }
}

/* ---- csv ------------------------------------------------------------------------------------ */

/* A cell's claimed or observed as CSV codes: a level, refs joined by "|", "" for null. */
static void codes(const cJSON *item, char *buf, size_t len)
{
    const cJSON *e;
    size_t at = 0;
    buf[0] = '\0';
    if (cJSON_IsString(item)) {
        text_copy(buf, len, item->valuestring);
        return;
    }
    cJSON_ArrayForEach(e, item)
    {
        int n = snprintf(buf + at, len - at, "%s%s", at ? "|" : "", e->valuestring);
        if (n < 0 || (size_t)n >= len - at)
            break;
        at += (size_t)n;
    }
}

static void panel_csv(const void *ud)
{
    const struct panel *p = ud;
    static const char *const head[] = {
        "municipality", "municipality_label", "question",   "year",          "surveyed",
        "claimed",      "observed",           "verdict",    "verdict_label", "reason",
        "changed",      "basis_members",      "commenters", "authors",       "posts",
        "threads",      "window_from",        "window_to",  "window_covered"};
    const size_t nh = sizeof head / sizeof head[0];
    struct csv_writer w;
    char ch[64], from[16], to[16];

    csv_begin(&w, p->last->f, p->last->sep);
    for (size_t k = 0; k < nh; k++)
        csv_field(&w, head[k], k + 1 == nh);
    for (size_t i = 0; i < p->last->x->nmunis; i++)
        for (int q = 0; q < SURVEY_NQ; q++) {
            cJSON *prev = NULL;
            for (size_t y = 0; y < p->n; y++) {
                const struct xc_out *o = &p->o[y];
                const struct xc_muni *xm = &o->x->munis[i];
                const struct xc_level *l = &xm->level[family_of(panel_q[q])];
                cJSON *c = cell(o, i, panel_q[q]);
                char claimed[512], observed[512];
                const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(c, "verdict"));
                const char *r = cJSON_GetStringValue(cJSON_GetObjectItem(c, "reason"));
                enum xc_verdict vi =
                    is_list(panel_q[q]) ? xm->list_verdict[family_of(panel_q[q])] : l->verdict;
                changes_text(NULL, changes(prev, c), ch, sizeof ch);
                xc_day(o->x->from, from, sizeof from);
                xc_day(o->x->to - 1, to, sizeof to);
                csv_field(&w, xm->m->name, 0);
                csv_field(&w, xc_muni_label(xm), 0);
                csv_field(&w, survey_question_number(panel_q[q]), 0);
                csv_int(&w, o->x->year, 0);
                csv_int(&w, xm->surveyed, 0);
                codes(cJSON_GetObjectItem(c, "claimed"), claimed, sizeof claimed);
                codes(cJSON_GetObjectItem(c, "observed"), observed, sizeof observed);
                csv_field(&w, claimed, 0);
                csv_field(&w, observed, 0);
                csv_field(&w, v ? v : "", 0);
                csv_field(&w, xc_verdict_label[vi][o->lang], 0);
                csv_field(&w, r ? r : "", 0);
                csv_field(&w, ch, 0);
                csv_int(&w, l->n.members, 0);
                csv_int(&w, is_list(panel_q[q]) ? 0 : l->n.commenters, 0);
                csv_int(&w, is_list(panel_q[q]) ? 0 : l->n.authors, 0);
                csv_int(&w, is_list(panel_q[q]) ? 0 : (int64_t)l->nposts, 0);
                csv_int(&w, is_list(panel_q[q]) ? 0 : (int64_t)l->nthreads, 0);
                csv_field(&w, from, 0);
                csv_field(&w, to, 0);
                csv_int(&w, xc_covered(o->x), 1);
                cJSON_Delete(prev);
                prev = c;
            }
            cJSON_Delete(prev);
        }
}

/* ---- html ---------------------------------------------------------------------------------- */

static const char *const verdict_class[XC_NVERDICTS] = {"ok",   "over", "under", "unv",
                                                        "info", "info", "info"};

static void html_follow(const struct xc_out *o, const struct xc_follow *it, void *ud)
{
    char line[2048];
    (void)ud;
    xc_follow_text(o, it, line, sizeof line);
    fprintf(o->f, "<li class=\"%s\">",
            it->rank == XC_RANK_OVERSTATED    ? "over"
            : it->rank == XC_RANK_UNDERSTATED ? "under"
                                              : "unv");
    html_escf(o->f, "%d: %s", o->x->year, line);
    fputs("</li>\n", o->f);
}

static void panel_html(const void *ud)
{
    const struct panel *p = ud;
    const struct xc_out *L = p->last;
    char b[1024], claim[256], seen[256], ch[128];
    const char *verdict;

    snprintf(b, sizeof b, "%s — %s %d–%d", LB(L, XL_PANEL_TITLE), LB(L, XL_SURVEYS),
             p->o[0].x->year, L->x->year);
    html_page_open(L->f, L->lang, b);
    html_h2(L->f, "windows", LB(L, XL_WINDOWS));
    for (size_t y = 0; y < p->n; y++) {
        xc_window_text(&p->o[y], b, sizeof b);
        fputs("<p>", L->f);
        html_escf(L->f, "%d: %s", p->o[y].x->year, b);
        fputs("</p>\n", L->f);
        xc_html_warnings(&p->o[y]);
    }
    xc_thresholds_text(L, b, sizeof b);
    fputs("<p>", L->f);
    html_esc(L->f, b);
    fputs("</p>\n", L->f);
    xc_html_method(L);
    fputs("<ul>\n", L->f);
    for (size_t k = 0; k < L->x->ncomms; k++) {
        comm_code(L->x, k, claim, sizeof claim);
        fputs("<li>", L->f);
        html_escf(L->f, "%s «%s» (%s)", claim, L->x->comms[k].survey_name, L->x->comms[k].ref);
        fputs("</li>\n", L->f);
    }
    fputs("</ul>\n", L->f);
    html_h2(L->f, "follow-up", LB(L, XL_FOLLOW_UP));
    fputs("<ol>\n", L->f);
    each_follow(p, html_follow, NULL);
    fputs("</ol>\n", L->f);
    for (int q = 0; q < SURVEY_NQ; q++) {
        html_h2(L->f, NULL, LB(L, xc_question_label[panel_q[q]]));
        fputs("<table><tr><th>", L->f);
        html_esc(L->f, LB(L, XL_MUNICIPALITY));
        fputs("</th>", L->f);
        for (size_t y = 0; y < p->n; y++)
            fprintf(L->f, "<th>%d</th>", p->o[y].x->year);
        fputs("</tr>\n", L->f);
        for (size_t i = 0; i < L->x->nmunis; i++) {
            cJSON *prev = NULL;
            fputs("<tr><td>", L->f);
            html_esc(L->f, xc_muni_label(&L->x->munis[i]));
            fputs("</td>", L->f);
            for (size_t y = 0; y < p->n; y++) {
                const struct xc_out *o = &p->o[y];
                const struct xc_muni *xm = &o->x->munis[i];
                int f = family_of(panel_q[q]);
                enum xc_verdict v =
                    is_list(panel_q[q]) ? xm->list_verdict[f] : xm->level[f].verdict;
                cJSON *c = cell(o, i, panel_q[q]);
                cell_words(o, i, panel_q[q], &verdict, claim, seen, sizeof claim);
                changes_text(o, changes(prev, c), ch, sizeof ch);
                fprintf(L->f, "<td class=\"%s\">", verdict_class[v]);
                html_escf(L->f, "%s: %s; %s: %s", LB(o, XL_CLAIMED), claim, LB(o, XL_OBSERVED),
                          seen);
                fputs("<br><b>", L->f);
                html_esc(L->f, verdict);
                fputs("</b>", L->f);
                if (ch[0]) {
                    fputs("<br><small>", L->f);
                    html_escf(L->f, "%s: %s", LB(o, XL_CHANGED), ch);
                    fputs("</small>", L->f);
                }
                if (!is_list(panel_q[q]))
                    xc_html_evidence(o, &xm->level[f]);
                fputs("</td>", L->f);
                cJSON_Delete(prev);
                prev = c;
            }
            cJSON_Delete(prev);
            fputs("</tr>\n", L->f);
        }
        fputs("</table>\n", L->f);
    }
    html_page_close(L->f);
}

/* ---- public -------------------------------------------------------------------------------- */

int crosscheck_render_panel(const struct crosscheck *const *xs, size_t n,
                            const struct xc_render_options *opt, FILE *out)
{
    static const struct xc_formats w = {panel_text, panel_csv, panel_json, panel_html};
    struct panel p;

    if (!n || n > sizeof p.o / sizeof p.o[0])
        return VKP_EUSAGE;
    memset(&p, 0, sizeof p);
    p.n = n;
    for (size_t y = 0; y < n; y++)
        xc_out_init(&p.o[y], xs[y], opt, out);
    p.last = &p.o[n - 1];
    return xc_render_formats(opt->format, &w, &p, out);
}
