/* crosscheck_render.c: the cross-check as text, CSV or JSON (HTML: crosscheck_render_html.c). */
#include "crosscheck_render.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crosscheck.h"
#include "crosscheck_words.h"
#include "csvout.h"
#include "err.h"
#include "fmt.h"
#include "jsondoc.h"
#include "muni.h"
#include "text.h"

/* ---- text --------------------------------------------------------------------------- */

static void text_header(const struct xc_out *o)
{
    const struct crosscheck *x = o->x;
    char lines[LEGEND_LINES][LEGEND_LEN], warn[3][WARN_LEN], cov[1024], win[512], th[1024], a[16],
        b[16];

    xc_window_text(o, win, sizeof win);
    xc_thresholds_text(o, th, sizeof th);
    fprintf(o->f, "%s — %s %d\n", LB(o, XL_TITLE), LB(o, XL_SURVEY), x->year);
    fprintf(o->f, "%s\n", win);
    size_t nw = xc_warnings(o, warn, sizeof warn[0]);
    for (size_t i = 0; i < nw; i++)
        fprintf(o->f, "%s %s\n", LB(o, XL_WARNING), warn[i]);
    /* the thresholds and the coverage in sentences first, then the method */
    xc_coverage_text(o, cov, sizeof cov);
    fprintf(o->f, "%s\n%s\n", th, cov);
    if (x->roster_stale)
        fprintf(o->f, "%zu %s\n", x->roster_stale, LB(o, XL_ROSTER_STALE));
    fprintf(o->f, "\n%s\n", LB(o, XL_METHOD));
    size_t nl = xc_legend(o, lines, sizeof lines[0]);
    for (size_t i = 0; i < nl; i++)
        fprintf(o->f, "  %s\n", lines[i]);
    fprintf(o->f, "\n%s\n", LB(o, XL_DATA));
    for (size_t k = 0; k < x->ncomms; k++) {
        const struct xc_community *c = &x->comms[k];
        xc_date(o, c->members_at, a, sizeof a);
        xc_date(o, c->wall_last, b, sizeof b);
        fprintf(o->f, "  %-32s %s: %s, %s: %s, %s %s (%s %s)%s%s\n", c->ref, LB(o, XL_MEMBER_LIST),
                c->members_at ? a : LB(o, XL_NEVER), LB(o, XL_WALL),
                c->wall_last ? b : LB(o, XL_NEVER), LB(o, XL_MEMBERS), FMT_INT(o->lang, c->members),
                LB(o, XL_ATTRIBUTED), FMT_INT(o->lang, c->attributed),
                c->members_hidden ? "; " : "", c->members_hidden ? LB(o, XL_HIDDEN) : "");
    }
    for (int f = 0; f < XC_NFAMILIES; f++) {
        if (!x->members_complete[f])
            fprintf(o->f, "  %s: %s\n", LB(o, f == XC_RMO ? XL_RMOS : XL_COMMUNITIES),
                    LB(o, XL_INCOMPLETE_MEMBERS));
    }
    if (x->undecoded)
        fprintf(o->f, "  %zu %s\n", x->undecoded, LB(o, XL_UNDECODED));
    fprintf(o->f, "  %s\n", LB(o, XL_NOTE));
}

/* Prints s in exactly width characters (not bytes): cut with "…" or padded with spaces. */
static void put_padded(FILE *f, const char *s, size_t width)
{
    char buf[512];
    text_clip(buf, sizeof buf, s, width);
    fputs(buf, f);
    for (size_t k = text_utf8_width(buf); k < width; k++)
        fputc(' ', f);
}

static void text_row(const struct xc_out *o, const char *what, size_t claimed, const char *observed)
{
    size_t r = o->x->respondents;
    fputs("  ", o->f);
    put_padded(o->f, what, 58);
    char share[32];
    xc_percent(o, claimed, r, 1, share, sizeof share);
    fprintf(o->f, " %4zu %7s   %s\n", claimed, share, observed);
}

static void observed_cell(const struct xc_out *o, size_t n, size_t of, char *buf, size_t len)
{
    char share[32];
    xc_percent(o, n, of, 1, share, sizeof share);
    snprintf(buf, len, "%4zu %7s", n, share);
}

static void text_summary(const struct xc_out *o)
{
    const struct crosscheck *x = o->x;
    const struct xc_summary *s = &x->sum;
    char obs[64], name[512];

    fprintf(o->f, "\n%s: %s %zu / %zu\n", LB(o, XL_SUMMARY), LB(o, XL_RESPONDENTS), x->respondents,
            x->nmunis);
    for (int f = 0; f < XC_NFAMILIES; f++) {
        fprintf(o->f, "\n%s\n  ", LB(o, xc_question_label[f ? SURVEY_Q16 : SURVEY_Q13]));
        put_padded(o->f, "", 58);
        fputc(' ', o->f);
        put_padded(o->f, LB(o, XL_CLAIMED), 14);
        fprintf(o->f, "%s\n", LB(o, XL_OBSERVED));
        for (size_t k = 0; k < x->ncomms; k++) {
            if (x->comms[k].family != (enum xc_family)f)
                continue;
            text_printf(name, sizeof name, "«%s»", x->comms[k].survey_name);
            observed_cell(o, s->observed_comm[k], x->respondents, obs, sizeof obs);
            text_row(o, name, s->claimed_comm[k], obs);
        }
        observed_cell(o, s->observed_none[f], x->respondents, obs, sizeof obs);
        text_row(o, LB(o, XL_IN_NONE), s->list[f][XC_LIST_NONE], obs);
        text_row(o, LB(o, XL_DONT_KNOW), s->list[f][XC_LIST_DONT_KNOW], "");
        text_row(o, LB(o, XL_NO_ANSWER), s->list[f][XC_LIST_NO_ANSWER], "");
        fprintf(o->f, "\n%s\n  ", LB(o, xc_question_label[f ? SURVEY_Q17 : SURVEY_Q14]));
        put_padded(o->f, "", 58);
        fputc(' ', o->f);
        put_padded(o->f, LB(o, XL_CLAIMED), 14);
        fprintf(o->f, "%s\n", LB(o, XL_OBSERVED));
        for (int l = LEVEL_REGISTERED; l <= LEVEL_CONTRIBUTES + 1; l++) {
            int lv = l > LEVEL_CONTRIBUTES ? LEVEL_NONE : l;
            observed_cell(o, s->observed_level[f][lv], x->respondents, obs, sizeof obs);
            text_row(o, xc_level_label[lv][o->lang], s->claimed_level[f][lv], obs);
        }
        text_row(o, LB(o, XL_DONT_KNOW), s->level_dont_know[f], "");
        text_row(o, LB(o, XL_NO_ANSWER), s->level_no_answer[f], "");
    }
    fprintf(o->f, "\n%s (13 / 14 / 16 / 17)\n", LB(o, XL_VERDICTS));
    for (int v = 0; v < XC_NVERDICTS; v++) {
        fputs("  ", o->f);
        put_padded(o->f, xc_verdict_label[v][o->lang], 24);
        fprintf(o->f, " %4zu %4zu %4zu %4zu\n", s->verdicts[SURVEY_Q13][v],
                s->verdicts[SURVEY_Q14][v], s->verdicts[SURVEY_Q16][v], s->verdicts[SURVEY_Q17][v]);
    }
}

/* One municipality's lines. */
static void text_muni(const struct xc_out *o, const struct xc_muni *xm)
{
    const struct crosscheck *x = o->x;
    static const enum survey_q lq[2] = {SURVEY_Q14, SURVEY_Q17}, mq[2] = {SURVEY_Q13, SURVEY_Q16};
    char counts[512], why[256], cov[512];

    xc_muni_coverage_text(o, xm, cov, sizeof cov);
    fprintf(o->f, "\n%s — %s%s%s\n", xc_muni_label(xm), cov, xm->surveyed ? "" : "; ",
            xm->surveyed ? "" : LB(o, XL_NOT_IN_SURVEY));
    for (int f = 0; f < XC_NFAMILIES; f++) {
        const struct xc_level *l = &xm->level[f];
        xc_counts_text(o, &l->n, counts, sizeof counts);
        xc_reason_text(o, l->reason, why, sizeof why);
        int level_claim = l->verdict <= XC_UNVERIFIABLE;
        fprintf(o->f, "  %s%s: %s%s%s, %s %s (%s)", LB(o, XL_Q), survey_question_number(lq[f]),
                level_claim ? LB(o, XL_CLAIMS) : "", level_claim ? " " : "", xc_claim_text(o, l),
                LB(o, XL_OBSERVED_LC), xc_level_label[l->observed][o->lang], counts);
        if (level_claim)
            fprintf(o->f, " — %s%s%s", xc_verdict_label[l->verdict][o->lang], why[0] ? ": " : "",
                    why);
        fputc('\n', o->f);
        for (size_t k = 0; k < x->ncomms; k++) {
            const struct xc_membership *mb = &xm->comm[k];
            if (!xc_comm_listed(x, mb, k, f))
                continue;
            xc_reason_text(o, mb->reason, why, sizeof why);
            xc_counts_text(o, &mb->n, counts, sizeof counts);
            fprintf(o->f, "  %s%s «%s»: %s (%s) — %s%s%s\n", LB(o, XL_Q),
                    survey_question_number(mq[f]), x->comms[k].survey_name,
                    mb->claimed ? LB(o, XL_NAMED) : LB(o, XL_NOT_NAMED), counts,
                    xc_verdict_label[mb->verdict][o->lang], why[0] ? ": " : "", why);
        }
    }
}

/* The follow-up list: ranked, one line an item, under its class's heading. */
void xc_text_follow_up(const struct xc_out *o, const struct xc_follow *it, size_t n, int year)
{
    char line[2048], cnt[128];
    enum xc_rank cur = XC_RANK_NONE;

    xc_follow_counts(o, it, n, cnt, sizeof cnt);
    fprintf(o->f, "\n%s: %s\n", LB(o, XL_FOLLOW_UP), cnt);
    for (size_t i = 0; i < n; i++) {
        if (it[i].rank != cur) {
            cur = it[i].rank;
            fprintf(o->f, "  %s\n", xc_rank_label[cur][o->lang]);
        }
        xc_follow_text(o, &it[i], line, sizeof line);
        if (year)
            fprintf(o->f, "    %d: %s\n", year, line);
        else
            fprintf(o->f, "    %zu. %s\n", i + 1, line);
    }
}

static void render_text(const void *ud)
{
    const struct xc_out *o = ud;
    const struct crosscheck *x = o->x;

    text_header(o);
    text_summary(o);
    xc_text_follow_up(o, x->follow, x->nfollow, 0);
    fprintf(o->f, "\n%s\n", LB(o, XL_MUNIS));
    for (size_t i = 0; i < x->nmunis; i++)
        text_muni(o, &x->munis[i]);
}

/* ---- csv ------------------------------------------------------------------------------ */

/* The codes of a Q13/Q16 answer as a whole (xc_list order). */
static const char *const list_names[4] = {"no_answer", "named", "none", "dont_know"};

/*
 * One row per municipality, question and (Q13/Q16) community. The header is
 * stable English keys and every coded column holds a code (verdict, level,
 * reason; the municipality by its map key, the official name), so a script
 * reads it whatever --lang says; the *_label columns carry the words of --lang.
 * The method is not in the CSV (it would break a plain reader): see the other
 * formats.
 */
static const char *const csv_head[] = {
    "municipality", "municipality_label", "surveyed",  "question",
    "community",    "community_label",    "claimed",   "observed",
    "verdict",      "verdict_label",      "reason",    "reason_label",
    "members",      "commenters",         "authors",   "likers",
    "reposters",    "attributed_members", "by_roster", "roster_expected",
    "by_city",      "basis_members",      "posts",     "threads",
    "follow_up",    "window_from",        "window_to", "window_covered"};

/* The code of what a municipality claimed about one community of Q13/Q16. */
static const char *list_claim_code(const struct xc_muni *xm, int f, int claimed)
{
    if (!xm->surveyed)
        return "not_surveyed";
    if (xm->list[f] == XC_LIST_NAMED)
        return claimed ? "named" : "not_named";
    return list_names[xm->list[f]];
}

/* The code of a Q14/Q17 claim: a level, or why there is none. */
static const char *level_claim_code(const struct xc_level *l)
{
    return l->verdict <= XC_UNVERIFIABLE ? xc_level_name(l->claimed) : xc_verdict_name(l->verdict);
}

static void csv_row(struct csv_writer *w, const struct xc_out *o, const struct xc_muni *xm,
                    enum survey_q q, const struct xc_community *c, const char *claimed,
                    enum survey_level observed, enum xc_verdict v, enum xc_reason r,
                    const struct xc_counts *n, const struct xc_level *l)
{
    const struct crosscheck *x = o->x;
    int k = c ? (int)(c - x->comms) : -1;
    char day[16];
    char why[256];
    xc_reason_text(o, r, why, sizeof why);
    csv_field(w, xm->m->name, 0);
    csv_field(w, xc_muni_label(xm), 0);
    csv_int(w, xm->surveyed, 0);
    csv_field(w, survey_question_number(q), 0);
    csv_field(w, c ? c->ref : "", 0);
    csv_field(w, c ? c->survey_name : "", 0);
    csv_field(w, claimed, 0);
    csv_field(w, xc_level_name(observed), 0);
    csv_field(w, xc_verdict_name(v), 0);
    csv_field(w, xc_verdict_label[v][o->lang], 0);
    csv_field(w, v == XC_UNVERIFIABLE ? xc_reason_name(r) : "", 0);
    csv_field(w, why, 0);
    csv_int(w, n->members, 0);
    csv_int(w, n->commenters, 0);
    csv_int(w, n->authors, 0);
    csv_int(w, n->likers, 0);
    csv_int(w, n->reposters, 0);
    csv_int(w, xm->attributed, 0);
    csv_int(w, xm->by_roster, 0);
    csv_int(w, xm->roster_expected, 0);
    csv_int(w, xm->by_city, 0);
    csv_int(w, l->n.members, 0);
    csv_int(w, c ? 0 : (int64_t)l->nposts, 0);
    csv_int(w, c ? 0 : (int64_t)l->nthreads, 0);
    csv_field(w, xc_rank_name(xc_follow_rank(x, (size_t)(xm - x->munis), q, k)), 0);
    xc_day(x->from, day, sizeof day); /* the window in local days, as in every format */
    csv_field(w, day, 0);
    xc_day(x->to - 1, day, sizeof day);
    csv_field(w, day, 0);
    csv_int(w, xc_covered(x), 1); /* 0: the other formats say why */
}

static void render_csv(const void *ud)
{
    const struct xc_out *o = ud;
    const struct crosscheck *x = o->x;
    static const enum survey_q lq[2] = {SURVEY_Q14, SURVEY_Q17}, mq[2] = {SURVEY_Q13, SURVEY_Q16};
    const size_t nhead = sizeof csv_head / sizeof csv_head[0];
    struct csv_writer w;

    csv_begin(&w, o->f, o->sep);
    for (size_t i = 0; i < nhead; i++)
        csv_field(&w, csv_head[i], i + 1 == nhead);
    for (size_t i = 0; i < x->nmunis; i++) {
        const struct xc_muni *xm = &x->munis[i];
        for (int f = 0; f < XC_NFAMILIES; f++) {
            const struct xc_level *l = &xm->level[f];
            for (size_t k = 0; k < x->ncomms; k++) {
                const struct xc_membership *mb = &xm->comm[k];
                if (x->comms[k].family != (enum xc_family)f)
                    continue;
                csv_row(&w, o, xm, mq[f], &x->comms[k], list_claim_code(xm, f, mb->claimed),
                        xc_observed_level(&mb->n, &x->th), mb->verdict, mb->reason, &mb->n, l);
            }
            csv_row(&w, o, xm, lq[f], NULL, level_claim_code(l), l->observed, l->verdict, l->reason,
                    &l->n, l);
        }
    }
}

/* ---- json ------------------------------------------------------------------------------- */

static cJSON *json_counts(cJSON *obj, const struct xc_counts *n)
{
    cJSON_AddNumberToObject(obj, "members", (double)n->members);
    cJSON_AddNumberToObject(obj, "commenters", (double)n->commenters);
    cJSON_AddNumberToObject(obj, "authors", (double)n->authors);
    cJSON_AddNumberToObject(obj, "likers", (double)n->likers);
    cJSON_AddNumberToObject(obj, "reposters", (double)n->reposters);
    return obj;
}

static void json_reason(cJSON *o, enum xc_verdict v, enum xc_reason r)
{
    if (v == XC_UNVERIFIABLE)
        cJSON_AddStringToObject(o, "reason", xc_reason_name(r));
    else
        cJSON_AddNullToObject(o, "reason");
}

void xc_post_url(const struct xc_post *p, char *buf, size_t len)
{
    snprintf(buf, len, "https://vk.com/wall%lld_%lld", (long long)p->owner_id,
             (long long)p->post_id);
}

cJSON *xc_json_window(const struct xc_out *o)
{
    static const char *const kinds[XC_NWINDOWS] = {"calendar", "school_year", "dates", "weeks"};
    const struct crosscheck *x = o->x;
    cJSON *w = cJSON_CreateObject(), *a;
    char b[1024], lines[3][WARN_LEN];

    if (!w)
        return NULL;
    cJSON_AddNumberToObject(w, "year", x->year);
    cJSON_AddStringToObject(w, "kind", kinds[x->wkind]);
    if (x->wkind == XC_WIN_WEEKS)
        cJSON_AddNumberToObject(w, "weeks", x->weeks);
    else
        cJSON_AddNullToObject(w, "weeks");
    jsondoc_time(w, "from", x->from);
    jsondoc_time(w, "to", x->to);
    xc_day(x->from, b, sizeof b);
    cJSON_AddStringToObject(w, "from_date", b);
    xc_day(x->to - 1, b, sizeof b);
    cJSON_AddStringToObject(w, "to_date", b);
    jsondoc_time(w, "last_collection", x->last_run);
    jsondoc_time(w, "observed_to", x->seen_to);
    cJSON_AddBoolToObject(w, "covered", xc_covered(x));
    xc_window_text(o, b, sizeof b);
    cJSON_AddStringToObject(w, "text", b);
    a = cJSON_AddArrayToObject(w, "warnings");
    size_t n = xc_warnings(o, lines, sizeof lines[0]);
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(lines[i]));
    return w;
}

/* The evidence of a Q14/Q17 cell: the posts of its authors, its commenters and their threads. */
static void json_evidence(const struct xc_out *o, cJSON *cell, const struct xc_level *l)
{
    cJSON *ev = cJSON_AddObjectToObject(cell, "evidence"), *a, *e;
    char url[96], hex[65];

    a = cJSON_AddArrayToObject(ev, "posts");
    for (size_t i = 0; i < l->nposts; i++) {
        cJSON_AddItemToArray(a, e = cJSON_CreateObject());
        xc_post_url(&l->posts[i], url, sizeof url);
        cJSON_AddStringToObject(e, "url", url);
        jsondoc_time(e, "date", l->posts[i].date);
        if (xc_pseudonym(o->salt, l->posts[i].author, hex) == 0)
            cJSON_AddStringToObject(e, "author", hex);
        else
            cJSON_AddNullToObject(e, "author");
    }
    cJSON_AddNumberToObject(ev, "authors", (double)l->n.authors);
    cJSON_AddNumberToObject(ev, "commenters", (double)l->n.commenters);
    a = cJSON_AddArrayToObject(ev, "threads");
    for (size_t i = 0; i < l->nthreads; i++) {
        struct xc_post p = {l->threads[i].owner_id, l->threads[i].post_id, 0, 0};
        xc_post_url(&p, url, sizeof url);
        cJSON_AddItemToArray(a, cJSON_CreateString(url));
    }
}

cJSON *xc_json_level(const struct xc_out *o, const struct xc_muni *xm, int f)
{
    const struct xc_level *l = &xm->level[f];
    cJSON *c = cJSON_CreateObject();

    if (!c)
        return NULL;
    if (l->verdict <= XC_UNVERIFIABLE)
        cJSON_AddStringToObject(c, "claimed", xc_level_name(l->claimed));
    else
        cJSON_AddNullToObject(c, "claimed");
    cJSON_AddStringToObject(c, "observed", xc_level_name(l->observed));
    cJSON_AddStringToObject(c, "verdict", xc_verdict_name(l->verdict));
    json_reason(c, l->verdict, l->reason);
    cJSON_AddNumberToObject(c, "basis_members", (double)l->n.members);
    json_counts(c, &l->n);
    json_evidence(o, c, l);
    return c;
}

cJSON *xc_json_list(const struct xc_out *o, const struct xc_muni *xm, int f)
{
    const struct crosscheck *x = o->x;
    cJSON *c = cJSON_CreateObject(), *cl, *ob, *cs, *mem;
    enum xc_verdict v = xm->list_verdict[f];

    if (!c)
        return NULL;
    cJSON_AddStringToObject(c, "answer", xm->surveyed ? list_names[xm->list[f]] : "not_surveyed");
    /* claimed: the communities named ([] for "in none"), null when nothing was claimed */
    if (xm->surveyed && (xm->list[f] == XC_LIST_NAMED || xm->list[f] == XC_LIST_NONE))
        cl = cJSON_AddArrayToObject(c, "claimed");
    else
        cl = NULL, cJSON_AddNullToObject(c, "claimed");
    ob = cJSON_AddArrayToObject(c, "observed");
    cJSON_AddStringToObject(c, "verdict", xc_verdict_name(v));
    cJSON_AddNullToObject(c, "reason");
    cJSON_AddNumberToObject(c, "basis_members", (double)xm->level[f].n.members);
    mem = cJSON_AddObjectToObject(cJSON_AddObjectToObject(c, "evidence"), "members");
    cs = cJSON_AddArrayToObject(c, "communities");
    for (size_t k = 0; k < x->ncomms; k++) {
        const struct xc_membership *mb = &xm->comm[k];
        if (x->comms[k].family != (enum xc_family)f)
            continue;
        if (cl && mb->claimed)
            cJSON_AddItemToArray(cl, cJSON_CreateString(x->comms[k].ref));
        if (mb->n.members > 0)
            cJSON_AddItemToArray(ob, cJSON_CreateString(x->comms[k].ref));
        cJSON_AddNumberToObject(mem, x->comms[k].ref, (double)mb->n.members);
        cJSON *ce = cJSON_CreateObject();
        cJSON_AddItemToArray(cs, ce);
        cJSON_AddStringToObject(ce, "ref", x->comms[k].ref);
        cJSON_AddBoolToObject(ce, "claimed", mb->claimed);
        cJSON_AddStringToObject(ce, "verdict", xc_verdict_name(mb->verdict));
        json_reason(ce, mb->verdict, mb->reason);
        json_counts(ce, &mb->n);
    }
    return c;
}

cJSON *xc_json_follow(const struct xc_out *o, const struct xc_follow *it)
{
    const struct crosscheck *x = o->x;
    const struct xc_muni *xm = &x->munis[it->muni];
    cJSON *e = cJSON_CreateObject();
    char line[2048];

    if (!e)
        return NULL;
    cJSON_AddStringToObject(e, "rank", xc_rank_name(it->rank));
    cJSON_AddStringToObject(e, "municipality", xm->m->name);
    cJSON_AddStringToObject(e, "question", survey_question_number(it->q));
    if (it->comm >= 0)
        cJSON_AddStringToObject(e, "community", x->comms[it->comm].ref);
    else
        cJSON_AddNullToObject(e, "community");
    cJSON_AddNumberToObject(e, "basis_members", (double)it->basis);
    xc_follow_text(o, it, line, sizeof line);
    cJSON_AddStringToObject(e, "text", line);
    return e;
}

/* The method, coverage and thresholds: what the single-year output and the panel share. */
void xc_json_method(const struct xc_out *out, cJSON *root)
{
    const struct crosscheck *x = out->x;
    char lines[LEGEND_LINES][LEGEND_LEN], b[1024];
    cJSON *o;

    o = cJSON_AddObjectToObject(root, "thresholds");
    cJSON_AddNumberToObject(o, "min_members", x->th.min_members);
    cJSON_AddNumberToObject(o, "min_coverage", x->th.min_coverage);
    cJSON_AddNumberToObject(o, "min_discussants", x->th.min_discussants);
    cJSON_AddNumberToObject(o, "min_discussant_share", x->th.min_discussant_share);
    cJSON_AddNumberToObject(o, "min_contributors", x->th.min_contributors);
    xc_thresholds_text(out, b, sizeof b);
    cJSON_AddStringToObject(o, "text", b);
    o = cJSON_AddObjectToObject(root, "method");
    cJSON_AddStringToObject(o, "attribution", attr_method_name(x->method));
    if (x->method == ATTR_BY_DIRECTORY) {
        cJSON *d = cJSON_AddObjectToObject(o, "directory");
        cJSON_AddNumberToObject(d, "region_id", (double)x->directory.region_id);
        cJSON_AddStringToObject(d, "region", x->directory.region_title);
        jsondoc_time(d, "synced", x->directory.synced_at);
        cJSON_AddNumberToObject(d, "localities", (double)x->localities);
        cJSON_AddNumberToObject(d, "mapped", (double)x->mapped);
    } else {
        cJSON_AddNullToObject(o, "directory");
    }
    cJSON *lg = cJSON_AddArrayToObject(o, "legend");
    size_t nl = xc_legend(out, lines, sizeof lines[0]); /* in --lang: it is text for people */
    for (size_t i = 0; i < nl; i++)
        cJSON_AddItemToArray(lg, cJSON_CreateString(lines[i]));
    cJSON_AddStringToObject(o, "pseudonyms", out->salted ? "pseudonym_salt" : "this_output");
}

static cJSON *json_build(const void *ud)
{
    const struct xc_out *out = ud;
    const struct crosscheck *x = out->x;
    static const char *const fam_key[2][2] = {{"q13", "q14"}, {"q16", "q17"}};
    cJSON *root = jsondoc_new(XC_JSON_SCHEMA, XC_JSON_VERSION, out->generated_at, NULL);
    cJSON *o, *a, *e;
    char b[1024];

    if (!root)
        return NULL;
    cJSON_AddNumberToObject(root, "year", x->year);
    cJSON_AddItemToObject(root, "window", xc_json_window(out));
    xc_json_method(out, root);
    o = cJSON_AddObjectToObject(root, "coverage");
    cJSON_AddNumberToObject(o, "members", (double)x->members);
    for (int s = 0; s < ATTR_NSOURCES; s++)
        cJSON_AddNumberToObject(o, attr_source_name((enum attr_source)s), (double)x->by_source[s]);
    cJSON_AddNumberToObject(o, "attributed_share", x->coverage);
    cJSON_AddNumberToObject(o, "roster_entries", (double)x->roster);
    cJSON_AddNumberToObject(o, "roster_stale", (double)x->roster_stale);
    xc_coverage_text(out, b, sizeof b);
    cJSON_AddStringToObject(o, "text", b);
    o = cJSON_AddObjectToObject(root, "data");
    cJSON_AddBoolToObject(o, "rmo_member_lists_complete", x->members_complete[XC_RMO]);
    cJSON_AddBoolToObject(o, "rmo_walls_complete", x->activity_complete[XC_RMO]);
    cJSON_AddBoolToObject(o, "community_member_lists_complete", x->members_complete[XC_PROF]);
    cJSON_AddBoolToObject(o, "community_walls_complete", x->activity_complete[XC_PROF]);
    cJSON_AddNumberToObject(o, "undecoded_answers", (double)x->undecoded);
    a = cJSON_AddArrayToObject(root, "communities");
    for (size_t k = 0; k < x->ncomms; k++) {
        const struct xc_community *c = &x->comms[k];
        cJSON_AddItemToArray(a, e = cJSON_CreateObject());
        cJSON_AddStringToObject(e, "ref", c->ref);
        cJSON_AddStringToObject(e, "kind", c->family == XC_RMO ? "rmo" : "community");
        cJSON_AddStringToObject(e, "survey_name", c->survey_name);
        cJSON_AddNumberToObject(e, "members", (double)c->members);
        cJSON_AddNumberToObject(e, "members_attributed", (double)c->attributed);
        jsondoc_time(e, "member_list_at", c->members_at);
        cJSON_AddBoolToObject(e, "member_list_after_window", c->members_projected);
        cJSON_AddBoolToObject(e, "member_list_hidden", c->members_hidden);
        jsondoc_time(e, "wall_first", c->wall_first);
        jsondoc_time(e, "wall_last", c->wall_last);
    }
    o = cJSON_AddObjectToObject(root, "summary");
    cJSON_AddNumberToObject(o, "respondents", (double)x->respondents);
    cJSON_AddNumberToObject(o, "municipalities", (double)x->nmunis);
    for (int f = 0; f < XC_NFAMILIES; f++) {
        cJSON *q = cJSON_AddObjectToObject(o, fam_key[f][0]), *cl, *ob;
        cl = cJSON_AddObjectToObject(q, "claimed");
        ob = cJSON_AddObjectToObject(q, "observed");
        for (size_t k = 0; k < x->ncomms; k++) {
            if (x->comms[k].family != (enum xc_family)f)
                continue;
            cJSON_AddNumberToObject(cl, x->comms[k].ref, (double)x->sum.claimed_comm[k]);
            cJSON_AddNumberToObject(ob, x->comms[k].ref, (double)x->sum.observed_comm[k]);
        }
        cJSON_AddNumberToObject(cl, "none", (double)x->sum.list[f][XC_LIST_NONE]);
        cJSON_AddNumberToObject(cl, "dont_know", (double)x->sum.list[f][XC_LIST_DONT_KNOW]);
        cJSON_AddNumberToObject(cl, "no_answer", (double)x->sum.list[f][XC_LIST_NO_ANSWER]);
        cJSON_AddNumberToObject(ob, "none", (double)x->sum.observed_none[f]);
        q = cJSON_AddObjectToObject(o, fam_key[f][1]);
        cl = cJSON_AddObjectToObject(q, "claimed");
        ob = cJSON_AddObjectToObject(q, "observed");
        for (int l = 0; l < 4; l++) {
            cJSON_AddNumberToObject(cl, xc_level_name((enum survey_level)l),
                                    (double)x->sum.claimed_level[f][l]);
            cJSON_AddNumberToObject(ob, xc_level_name((enum survey_level)l),
                                    (double)x->sum.observed_level[f][l]);
        }
        cJSON_AddNumberToObject(cl, "dont_know", (double)x->sum.level_dont_know[f]);
        cJSON_AddNumberToObject(cl, "no_answer", (double)x->sum.level_no_answer[f]);
    }
    cJSON *vs = cJSON_AddObjectToObject(o, "verdicts");
    for (int q = 0; q < SURVEY_NQ; q++) {
        cJSON *vq = cJSON_AddObjectToObject(vs, survey_question_number((enum survey_q)q));
        for (int v = 0; v < XC_NVERDICTS; v++)
            cJSON_AddNumberToObject(vq, xc_verdict_name((enum xc_verdict)v),
                                    (double)x->sum.verdicts[q][v]);
    }
    a = cJSON_AddArrayToObject(root, "municipalities");
    for (size_t i = 0; i < x->nmunis; i++) {
        const struct xc_muni *xm = &x->munis[i];
        cJSON_AddItemToArray(a, e = cJSON_CreateObject());
        cJSON_AddStringToObject(e, "name", xm->m->name);
        cJSON_AddStringToObject(e, "short_name", xc_muni_label(xm));
        cJSON_AddBoolToObject(e, "surveyed", xm->surveyed);
        cJSON_AddNumberToObject(e, "attributed_members", (double)xm->attributed);
        cJSON_AddNumberToObject(e, "by_roster", (double)xm->by_roster);
        cJSON_AddNumberToObject(e, "roster_expected", (double)xm->roster_expected);
        cJSON_AddNumberToObject(e, "by_city", (double)xm->by_city);
        xc_muni_coverage_text(out, xm, b, sizeof b);
        cJSON_AddStringToObject(e, "coverage_text", b);
        cJSON_AddBoolToObject(e, "follow_up", xm->follow_up);
        for (int f = 0; f < XC_NFAMILIES; f++) {
            cJSON_AddItemToObject(e, fam_key[f][0], xc_json_list(out, xm, f));
            cJSON_AddItemToObject(e, fam_key[f][1], xc_json_level(out, xm, f));
        }
    }
    a = cJSON_AddArrayToObject(root, "follow_up");
    for (size_t i = 0; i < x->nfollow; i++)
        cJSON_AddItemToArray(a, xc_json_follow(out, &x->follow[i]));
    return root;
}

/* ---- public ------------------------------------------------------------------------------ */

void xc_out_init(struct xc_out *o, const struct crosscheck *x, const struct xc_render_options *opt,
                 FILE *out)
{
    *o =
        (struct xc_out){.f = out,
                        .x = x,
                        .lang = opt->lang,
                        .sep = opt->sep ? opt->sep : ',',
                        .generated_at = opt->generated_at ? opt->generated_at : (int64_t)time(NULL),
                        .tz = opt->timezone,
                        .salt = opt->salt ? opt->salt : "",
                        .salted = opt->salted};
}

int xc_render_formats(enum render_format format, const struct xc_formats *w, const void *ud,
                      FILE *out)
{
    int rc = 0;

    switch (format) {
    case RENDER_TEXT:
        w->text(ud);
        break;
    case RENDER_CSV:
        w->csv(ud);
        break;
    case RENDER_JSON:
        rc = jsondoc_emit(w->json(ud), out);
        break;
    case RENDER_HTML:
        w->html(ud);
        break;
    case RENDER_XLSX: /* refused by the command line: no workbook of the cross-check */
        rc = VKP_EUSAGE;
        break;
    }
    if (rc == 0 && (fflush(out) != 0 || ferror(out)))
        rc = VKP_EIO;
    return rc;
}

int crosscheck_render(const struct crosscheck *x, const struct xc_render_options *opt, FILE *out)
{
    static const struct xc_formats w = {render_text, render_csv, json_build, xc_render_html};
    struct xc_out o;

    xc_out_init(&o, x, opt, out);
    return xc_render_formats(opt->format, &w, &o, out);
}
