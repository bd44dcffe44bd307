/* crosscheck_window.c: the cross-check's window (the survey's own period), its names, and the
 * ranking of what to follow up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crosscheck.h"
#include "err.h"
#include "text.h"
#include "week.h"

static const char *const verdict_names[XC_NVERDICTS] = {"consistent",   "overstated", "understated",
                                                        "unverifiable", "dont_know",  "no_answer",
                                                        "not_surveyed"};
static const char *const reason_names[XC_NREASONS] = {"", "few_members", "low_coverage",
                                                      "no_member_list", "no_activity_data"};
static const char *const level_names[4] = {"none", "registered", "discusses", "contributes"};
static const char *const rank_names[] = {"", "overstated", "understated", "unverifiable"};

const char *xc_verdict_name(enum xc_verdict v)
{
    return verdict_names[v];
}

const char *xc_reason_name(enum xc_reason r)
{
    return reason_names[r];
}

const char *xc_level_name(enum survey_level l)
{
    return level_names[l];
}

const char *xc_rank_name(enum xc_rank r)
{
    return rank_names[r];
}

/* ---- the window ------------------------------------------------------------------ */

int xc_window_kind_parse(const char *name, enum xc_window_kind *out)
{
    if (name && strcmp(name, "calendar") == 0)
        *out = XC_WIN_CALENDAR;
    else if (name && strcmp(name, "school-year") == 0)
        *out = XC_WIN_SCHOOL_YEAR;
    else if (name && strcmp(name, "weeks") == 0)
        *out = XC_WIN_WEEKS;
    else
        return VKP_EUSAGE;
    return 0;
}

int xc_window_for_year(enum xc_window_kind kind, int year, struct xc_window *w)
{
    struct week p;
    int rc = kind == XC_WIN_SCHOOL_YEAR ? period_make(PERIOD_SCHOOL_YEAR, year - 1, 0, &p)
                                        : period_make(PERIOD_YEAR, year, 0, &p);
    if (rc != 0)
        return rc;
    *w = (struct xc_window){
        .kind = kind == XC_WIN_SCHOOL_YEAR ? kind : XC_WIN_CALENDAR, .from = p.start, .to = p.end};
    return 0;
}

/* ---- what to follow up ------------------------------------------------------------ */

static int cmp_follow(const void *a, const void *b)
{
    const struct xc_follow *p = a, *q = b;
    if (p->rank != q->rank)
        return p->rank < q->rank ? -1 : 1;
    if (p->gap != q->gap)
        return p->gap > q->gap ? -1 : 1;
    if (p->basis != q->basis)
        return p->basis > q->basis ? -1 : 1;
    if (p->muni != q->muni)
        return p->muni < q->muni ? -1 : 1;
    if (p->q != q->q)
        return p->q < q->q ? -1 : 1;
    return p->comm < q->comm ? -1 : p->comm > q->comm;
}

/* The class of one verdict: strong says whether a surplus rests on strong evidence. */
static enum xc_rank rank_of(enum xc_verdict v, int strong)
{
    switch (v) {
    case XC_OVERSTATED:
        return XC_RANK_OVERSTATED;
    case XC_UNDERSTATED:
        return strong ? XC_RANK_UNDERSTATED : XC_RANK_NONE;
    case XC_UNVERIFIABLE:
        return XC_RANK_UNVERIFIABLE;
    default:
        return XC_RANK_NONE;
    }
}

static int add_follow(struct crosscheck *x, size_t *cap, struct xc_follow it)
{
    if (it.rank == XC_RANK_NONE)
        return 0;
    if (text_grow((void **)&x->follow, cap, x->nfollow + 1, sizeof *x->follow) != 0)
        return VKP_ENOMEM;
    x->follow[x->nfollow++] = it;
    x->munis[it.muni].follow_up = 1;
    return 0;
}

int xc_rank_follow_up(struct crosscheck *x)
{
    static const enum survey_q lq[XC_NFAMILIES] = {SURVEY_Q14, SURVEY_Q17};
    static const enum survey_q mq[XC_NFAMILIES] = {SURVEY_Q13, SURVEY_Q16};
    size_t cap = 0;

    for (size_t i = 0; i < x->nmunis; i++) {
        const struct xc_muni *xm = &x->munis[i];
        for (int f = 0; f < XC_NFAMILIES; f++) {
            const struct xc_level *l = &xm->level[f];
            int gap = (int)l->observed - (int)l->claimed;
            int strong = l->observed >= LEVEL_DISCUSSES || l->n.members >= x->th.min_members;
            struct xc_follow it = {
                i, lq[f], -1, rank_of(l->verdict, strong), gap < 0 ? -gap : gap, l->n.members};
            if (add_follow(x, &cap, it) != 0)
                return VKP_ENOMEM;
            for (size_t k = 0; k < x->ncomms; k++) {
                const struct xc_membership *mb = &xm->comm[k];
                if (x->comms[k].family != (enum xc_family)f)
                    continue;
                it = (struct xc_follow){
                    i,      mq[f],
                    (int)k, rank_of(mb->verdict, mb->n.members >= x->th.min_members),
                    1,      l->n.members};
                if (add_follow(x, &cap, it) != 0)
                    return VKP_ENOMEM;
            }
        }
    }
    if (x->nfollow)
        qsort(x->follow, x->nfollow, sizeof *x->follow, cmp_follow);
    return 0;
}
