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
#include "jsondoc.h"
#include "muni.h"

/* ---- text --------------------------------------------------------------------------- */

static void text_header(const struct xc_out *o)
{
    const struct crosscheck *x = o->x;
    char lines[LEGEND_LINES][1024], cov[512], win[256], th[512], a[16], b[16];

    xc_window_text(o, win, sizeof win);
    xc_thresholds_text(o, th, sizeof th);
    fprintf(o->f, "%s — %s %d\n", LB(o, XL_TITLE), LB(o, XL_SURVEY), x->year);
    fprintf(o->f, "%s\n%s\n\n", win, th);
    fprintf(o->f, "%s\n", LB(o, XL_METHOD));
    size_t nl = xc_legend(o, lines, sizeof lines[0]);
    for (size_t i = 0; i < nl; i++)
        fprintf(o->f, "  %s\n", lines[i]);
    xc_coverage_text(o, cov, sizeof cov);
    fprintf(o->f, "\n%s\n  %s\n", LB(o, XL_COVERAGE), cov);
    if (x->roster_stale)
        fprintf(o->f, "  %zu %s\n", x->roster_stale, LB(o, XL_ROSTER_STALE));
    fprintf(o->f, "\n%s\n", LB(o, XL_DATA));
    for (size_t k = 0; k < x->ncomms; k++) {
        const struct xc_community *c = &x->comms[k];
        xc_date(o, c->members_at, a, sizeof a);
        xc_date(o, c->wall_last, b, sizeof b);
        fprintf(o->f, "  %-32s %s: %s, %s: %s, %s %lld (%s %lld)%s%s\n", c->ref,
                LB(o, XL_MEMBER_LIST), c->members_at ? a : LB(o, XL_NEVER), LB(o, XL_WALL),
                c->wall_last ? b : LB(o, XL_NEVER), LB(o, XL_MEMBERS), (long long)c->members,
                LB(o, XL_ATTRIBUTED), (long long)c->attributed, c->members_hidden ? "; " : "",
                c->members_hidden ? LB(o, XL_HIDDEN) : "");
    }
    for (int f = 0; f < XC_NFAMILIES; f++) {
        if (!x->members_complete[f] || !x->activity_complete[f])
            fprintf(o->f, "  %s: %s\n",
                    f == XC_RMO ? "RMO" : (XC_EN(o) ? "communities" : "сообщества"),
                    !x->members_complete[f] ? LB(o, XL_INCOMPLETE_MEMBERS)
                                            : LB(o, XL_INCOMPLETE_WALLS));
    }
    if (x->undecoded)
        fprintf(o->f, "  %zu %s\n", x->undecoded, LB(o, XL_UNDECODED));
    fprintf(o->f, "  %s\n", LB(o, XL_NOTE));
}

/* Prints s in exactly width characters (not bytes): cut with "…" or padded with spaces. */
static void put_padded(FILE *f, const char *s, size_t width)
{
    size_t n = 0, i = 0, chars = 0;
    for (const char *p = s; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    size_t keep = chars > width ? width - 1 : chars;
    while (s[i] && n < keep) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        n++;
    }
    fwrite(s, 1, i, f);
    if (chars > width)
        fputs("…", f);
    for (size_t k = chars > width ? width : chars; k < width; k++)
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
            snprintf(name, sizeof name, "«%s»", x->comms[k].survey_name);
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

/* One municipality's lines; only_follow_up keeps the ones that call for a question. */
static void text_muni(const struct xc_out *o, const struct xc_muni *xm, int only_follow_up)
{
    const struct crosscheck *x = o->x;
    static const enum survey_q lq[2] = {SURVEY_Q14, SURVEY_Q17}, mq[2] = {SURVEY_Q13, SURVEY_Q16};
    char counts[512], why[256], cov[256];

    xc_muni_coverage_text(o, xm, cov, sizeof cov);
    if (only_follow_up) /* the coverage goes beside the verdicts it qualifies */
        fprintf(o->f, "  %s — %s\n", xc_muni_label(xm), cov);
    else
        fprintf(o->f, "\n%s — %s%s%s\n", xc_muni_label(xm), cov, xm->surveyed ? "" : "; ",
                xm->surveyed ? "" : LB(o, XL_NOT_IN_SURVEY));
    for (int f = 0; f < XC_NFAMILIES; f++) {
        const struct xc_level *l = &xm->level[f];
        int show = !only_follow_up || l->verdict == XC_OVERSTATED || l->verdict == XC_UNDERSTATED ||
                   l->verdict == XC_DONT_KNOW || l->verdict == XC_NOT_SURVEYED;
        if (show) {
            xc_counts_text(o, &l->n, counts, sizeof counts);
            xc_reason_text(o, l->reason, why, sizeof why);
            int level_claim = l->verdict <= XC_UNVERIFIABLE;
            fprintf(o->f, "  %s%s%s%s: %s%s%s, %s %s (%s)", only_follow_up ? xc_muni_label(xm) : "",
                    only_follow_up ? ": " : "", LB(o, XL_Q), survey_question_number(lq[f]),
                    level_claim ? LB(o, XL_CLAIMS) : "", level_claim ? " " : "",
                    xc_claim_text(o, l), LB(o, XL_OBSERVED_LC),
                    xc_level_label[l->observed][o->lang], counts);
            if (level_claim)
                fprintf(o->f, " — %s%s%s", xc_verdict_label[l->verdict][o->lang],
                        why[0] ? ": " : "", why);
            fputc('\n', o->f);
        }
        for (size_t k = 0; k < x->ncomms; k++) {
            const struct xc_membership *mb = &xm->comm[k];
            if (!xc_comm_listed(x, mb, k, f, only_follow_up))
                continue;
            xc_reason_text(o, mb->reason, why, sizeof why);
            xc_counts_text(o, &mb->n, counts, sizeof counts);
            fprintf(o->f, "  %s%s%s%s «%s»: %s (%s) — %s%s%s\n",
                    only_follow_up ? xc_muni_label(xm) : "", only_follow_up ? ": " : "",
                    LB(o, XL_Q), survey_question_number(mq[f]), x->comms[k].survey_name,
                    mb->claimed ? LB(o, XL_NAMED) : LB(o, XL_NOT_NAMED), counts,
                    xc_verdict_label[mb->verdict][o->lang], why[0] ? ": " : "", why);
        }
    }
}

static void render_text(const struct xc_out *o)
{
    const struct crosscheck *x = o->x;
    size_t nf = 0;

    text_header(o);
    text_summary(o);
    for (size_t i = 0; i < x->nmunis; i++)
        nf += x->munis[i].follow_up;
    fprintf(o->f, "\n%s: %zu\n", LB(o, XL_FOLLOW_UP), nf);
    for (size_t i = 0; i < x->nmunis; i++)
        if (x->munis[i].follow_up)
            text_muni(o, &x->munis[i], 1);
    fprintf(o->f, "\n%s\n", LB(o, XL_MUNIS));
    for (size_t i = 0; i < x->nmunis; i++)
        text_muni(o, &x->munis[i], 0);
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
    "by_city"};

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
                    const struct xc_counts *n)
{
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
    csv_int(w, xm->by_city, 1);
}

static void render_csv(const struct xc_out *o)
{
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
                        xc_observed_level(&mb->n, &x->th), mb->verdict, mb->reason, &mb->n);
            }
            csv_row(&w, o, xm, lq[f], NULL, level_claim_code(l), l->observed, l->verdict, l->reason,
                    &l->n);
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

static void json_time(cJSON *obj, const char *key, int64_t t)
{
    jsondoc_time(obj, key, t);
}

static cJSON *json_build(const struct xc_out *out)
{
    const struct crosscheck *x = out->x;
    static const char *const fam_key[2][2] = {{"q13", "q14"}, {"q16", "q17"}};
    cJSON *root = jsondoc_new(XC_JSON_SCHEMA, XC_JSON_VERSION, out->generated_at, NULL);
    cJSON *o, *a, *e;
    char b[16];

    if (!root)
        return NULL;
    cJSON_AddNumberToObject(root, "year", x->year);
    o = cJSON_AddObjectToObject(root, "window");
    cJSON_AddNumberToObject(o, "weeks", x->weeks);
    json_time(o, "from", x->from);
    json_time(o, "to", x->to);
    xc_day(x->from, b, sizeof b);
    cJSON_AddStringToObject(o, "from_date", b);
    xc_day(x->to, b, sizeof b);
    cJSON_AddStringToObject(o, "to_date", b);
    o = cJSON_AddObjectToObject(root, "thresholds");
    cJSON_AddNumberToObject(o, "min_members", x->th.min_members);
    cJSON_AddNumberToObject(o, "min_coverage", x->th.min_coverage);
    cJSON_AddNumberToObject(o, "min_discussants", x->th.min_discussants);
    cJSON_AddNumberToObject(o, "min_discussant_share", x->th.min_discussant_share);
    cJSON_AddNumberToObject(o, "min_contributors", x->th.min_contributors);
    o = cJSON_AddObjectToObject(root, "method");
    cJSON_AddStringToObject(o, "attribution", attr_method_name(x->method));
    if (x->method == ATTR_BY_DIRECTORY) {
        cJSON *d = cJSON_AddObjectToObject(o, "directory");
        cJSON_AddNumberToObject(d, "region_id", (double)x->directory.region_id);
        cJSON_AddStringToObject(d, "region", x->directory.region_title);
        json_time(d, "synced", x->directory.synced_at);
        cJSON_AddNumberToObject(d, "localities", (double)x->localities);
        cJSON_AddNumberToObject(d, "mapped", (double)x->mapped);
    } else {
        cJSON_AddNullToObject(o, "directory");
    }
    cJSON *lg = cJSON_AddArrayToObject(o, "legend");
    char lines[LEGEND_LINES][1024];
    size_t nl = xc_legend(out, lines, sizeof lines[0]); /* in --lang: it is text for people */
    for (size_t i = 0; i < nl; i++)
        cJSON_AddItemToArray(lg, cJSON_CreateString(lines[i]));
    o = cJSON_AddObjectToObject(root, "coverage");
    cJSON_AddNumberToObject(o, "members", (double)x->members);
    for (int s = 0; s < ATTR_NSOURCES; s++)
        cJSON_AddNumberToObject(o, attr_source_name((enum attr_source)s), (double)x->by_source[s]);
    cJSON_AddNumberToObject(o, "attributed_share", x->coverage);
    cJSON_AddNumberToObject(o, "roster_entries", (double)x->roster);
    cJSON_AddNumberToObject(o, "roster_stale", (double)x->roster_stale);
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
        json_time(e, "member_list_at", c->members_at);
        cJSON_AddBoolToObject(e, "member_list_hidden", c->members_hidden);
        json_time(e, "wall_first", c->wall_first);
        json_time(e, "wall_last", c->wall_last);
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
    cJSON *fu = cJSON_AddArrayToObject(root, "follow_up");
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
        cJSON_AddBoolToObject(e, "follow_up", xm->follow_up);
        if (xm->follow_up)
            cJSON_AddItemToArray(fu, cJSON_CreateString(xm->m->name));
        for (int f = 0; f < XC_NFAMILIES; f++) {
            const struct xc_level *l = &xm->level[f];
            cJSON *lq = cJSON_AddObjectToObject(e, fam_key[f][1]);
            cJSON *mq = cJSON_AddObjectToObject(e, fam_key[f][0]);
            cJSON_AddStringToObject(lq, "verdict", xc_verdict_name(l->verdict));
            if (l->verdict == XC_UNVERIFIABLE)
                cJSON_AddStringToObject(lq, "reason", xc_reason_name(l->reason));
            else
                cJSON_AddNullToObject(lq, "reason");
            if (l->verdict <= XC_UNVERIFIABLE)
                cJSON_AddStringToObject(lq, "claimed", xc_level_name(l->claimed));
            else
                cJSON_AddNullToObject(lq, "claimed");
            cJSON_AddStringToObject(lq, "observed", xc_level_name(l->observed));
            json_counts(lq, &l->n);
            cJSON_AddStringToObject(mq, "answer", list_names[xm->list[f]]);
            cJSON *cs = cJSON_AddArrayToObject(mq, "communities");
            for (size_t k = 0; k < x->ncomms; k++) {
                const struct xc_membership *mb = &xm->comm[k];
                if (x->comms[k].family != (enum xc_family)f)
                    continue;
                cJSON *ce = cJSON_CreateObject();
                cJSON_AddItemToArray(cs, ce);
                cJSON_AddStringToObject(ce, "ref", x->comms[k].ref);
                cJSON_AddBoolToObject(ce, "claimed", mb->claimed);
                cJSON_AddStringToObject(ce, "verdict", xc_verdict_name(mb->verdict));
                if (mb->verdict == XC_UNVERIFIABLE)
                    cJSON_AddStringToObject(ce, "reason", xc_reason_name(mb->reason));
                else
                    cJSON_AddNullToObject(ce, "reason");
                json_counts(ce, &mb->n);
            }
        }
    }
    return root;
}

static int render_json(const struct xc_out *o)
{
    return jsondoc_emit(json_build(o), o->f);
}

/* ---- public ------------------------------------------------------------------------------ */

int crosscheck_render(const struct crosscheck *x, const struct xc_render_options *opt, FILE *out)
{
    struct xc_out o = {.f = out,
                       .x = x,
                       .lang = opt->lang,
                       .sep = opt->sep ? opt->sep : ',',
                       .generated_at = opt->generated_at ? opt->generated_at : (int64_t)time(NULL)};
    int rc = 0;

    switch (opt->format) {
    case RENDER_TEXT:
        render_text(&o);
        break;
    case RENDER_CSV:
        render_csv(&o);
        break;
    case RENDER_JSON:
        rc = render_json(&o);
        break;
    case RENDER_HTML:
        xc_render_html(&o);
        break;
    case RENDER_XLSX: /* refused by the command line: no workbook of the cross-check */
        rc = VKP_EUSAGE;
        break;
    }
    if (rc == 0 && (fflush(out) != 0 || ferror(out)))
        rc = VKP_EIO;
    return rc;
}
