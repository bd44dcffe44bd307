/* crosscheck.c: attributes every member, counts what they did per municipality and family, and
 * judges each claim on the members its question rests on. */
#include "crosscheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "err.h"
#include "idtab.h"
#include "muni.h"
#include "store.h"
#include "store_analysis.h"
#include "store_survey.h"
#include "text.h"

#define MAX_COMMS 64

/* ---- people of the window ------------------------------------------------------- */

/* What a person did, per family: bit (family * NACT + act), act as enum store_act_kind. */
#define NACT 4

/* One member of the region at the window's end: where attributed, where a member, what done. */
struct person {
    int64_t uid;     /* VK user id, the people table's key (first, as idtab wants) */
    int16_t muni;    /* municipality index, -1 when not attributed */
    uint8_t src;     /* enum attr_source */
    uint8_t acts;    /* acts by family, counted only where a member */
    uint64_t member; /* bit k: a member of community k */
};

/* Evidence while it is gathered: its municipality and family, then the item. */
struct ev_post {
    int muni;         /* municipality index */
    int f;            /* enum xc_family */
    struct xc_post p; /* the post */
};
struct ev_thread {
    int muni;           /* municipality index */
    int f;              /* enum xc_family */
    struct xc_thread t; /* the thread */
};

/* ---- the walks ------------------------------------------------------------------ */

struct walk {
    struct crosscheck *x;         /* being filled */
    struct attribution *attr;     /* who is where */
    struct idtab people;          /* the members: struct person by uid */
    size_t last;                  /* index of the last community found */
    int64_t pair_comm, pair_uid;  /* the (community, person) of the acts being read */
    unsigned pair_acts;           /* acts of that pair counted so far */
    uint64_t fam[XC_NFAMILIES];   /* bit k: community k is of the family */
    struct ev_post *posts;        /* evidence: posts of counted authors */
    size_t nposts, cap_posts;     /* used and allocated */
    struct ev_thread *threads;    /* evidence: threads of counted commenters */
    size_t nthreads, cap_threads; /* used and allocated */
};

/* The crosscheck's index of a community id, or -1 for one no longer configured. */
static int comm_index(struct walk *w, int64_t id)
{
    struct crosscheck *x = w->x;
    size_t k = w->last;
    if (k >= x->ncomms || x->comms[k].id != id) {
        for (k = 0; k < x->ncomms && x->comms[k].id != id; k++)
            ;
        if (k == x->ncomms)
            return -1;
        w->last = k;
    }
    return (int)k;
}

static int on_member(void *ud, const struct store_xc_member *mb)
{
    struct walk *w = ud;
    struct crosscheck *x = w->x;
    int k = comm_index(w, mb->community_id), fresh;

    if (k < 0)
        return 0;
    struct person *pe = idtab_add(&w->people, mb->user_id, &fresh);
    if (!pe)
        return VKP_ENOMEM;
    if (fresh) {
        enum attr_source src;
        const struct muni *m =
            attribution_of(w->attr, mb->user_id, mb->city_id, mb->city_title, &src);
        pe->muni = m ? (int16_t)m->index : -1;
        pe->src = (uint8_t)src;
    }
    if (pe->member >> k & 1)
        return 0;
    pe->member |= 1ull << k;
    x->comms[k].members++;
    if (pe->muni >= 0) {
        x->comms[k].attributed++;
        x->munis[pe->muni].comm[k].n.members++;
    }
    return 0;
}

/* A member of some community of family f. */
static int in_family(const struct walk *w, const struct person *pe, int f)
{
    return (pe->member & w->fam[f]) != 0;
}

static int add_evidence(struct walk *w, const struct person *pe, int f,
                        const struct store_xc_act *a)
{
    if (a->kind == STORE_ACT_POST) {
        if (text_grow((void **)&w->posts, &w->cap_posts, w->nposts + 1, sizeof *w->posts) != 0)
            return VKP_ENOMEM;
        w->posts[w->nposts++] =
            (struct ev_post){pe->muni, f, {a->owner_id, a->post_id, a->at, a->user_id}};
    } else if (a->kind == STORE_ACT_COMMENT) {
        if (text_grow((void **)&w->threads, &w->cap_threads, w->nthreads + 1, sizeof *w->threads) !=
            0)
            return VKP_ENOMEM;
        w->threads[w->nthreads++] = (struct ev_thread){pe->muni, f, {a->owner_id, a->post_id}};
    }
    return 0;
}

/*
 * An act counts only for a member: in the community's own counts when the
 * person is a member of it, in the family's when a member of any community
 * of the family. Acts come ordered by community and person, so a pair's
 * acts are counted once each kind.
 */
static int on_act(void *ud, const struct store_xc_act *a)
{
    struct walk *w = ud;
    struct crosscheck *x = w->x;
    int k = comm_index(w, a->community_id);

    if (k < 0)
        return 0;
    struct person *pe = idtab_find(&w->people, a->user_id);
    if (!pe || pe->muni < 0)
        return 0;
    int f = (int)x->comms[k].family;
    if (!in_family(w, pe, f))
        return 0;
    pe->acts |= (uint8_t)(1u << (f * NACT + (int)a->kind));
    if (a->community_id != w->pair_comm || a->user_id != w->pair_uid) {
        w->pair_comm = a->community_id;
        w->pair_uid = a->user_id;
        w->pair_acts = 0;
    }
    if ((pe->member >> k & 1) && !(w->pair_acts >> a->kind & 1)) {
        struct xc_counts *n = &x->munis[pe->muni].comm[k].n;
        w->pair_acts |= 1u << a->kind;
        n->commenters += a->kind == STORE_ACT_COMMENT;
        n->authors += a->kind == STORE_ACT_POST;
        n->likers += a->kind == STORE_ACT_LIKE;
        n->reposters += a->kind == STORE_ACT_REPOST;
    }
    return add_evidence(w, pe, f, a);
}

/* Folds the people into per-municipality counts and the coverage. */
static void tally_people(struct walk *w)
{
    struct crosscheck *x = w->x;

    for (size_t i = 0; i < w->people.cap; i++) {
        const struct person *pe = idtab_slot(&w->people, i);
        if (!pe)
            continue;
        x->members++;
        x->by_source[pe->src]++;
        if (pe->muni < 0)
            continue;
        struct xc_muni *xm = &x->munis[pe->muni];
        xm->attributed++;
        xm->by_roster += pe->src == ATTR_ROSTER;
        xm->by_city += pe->src == ATTR_CITY;
        for (int f = 0; f < XC_NFAMILIES; f++) {
            if (!in_family(w, pe, f))
                continue;
            unsigned b = pe->acts >> (f * NACT);
            struct xc_counts *n = &xm->level[f].n;
            n->members++;
            n->commenters += (b >> STORE_ACT_COMMENT) & 1;
            n->authors += (b >> STORE_ACT_POST) & 1;
            n->likers += (b >> STORE_ACT_LIKE) & 1;
            n->reposters += (b >> STORE_ACT_REPOST) & 1;
        }
    }
    int64_t attributed = x->by_source[ATTR_ROSTER] + x->by_source[ATTR_CITY];
    x->coverage = x->members ? (double)attributed / (double)x->members : 0;
}

/* ---- evidence ------------------------------------------------------------------- */

static int cmp_post(const void *a, const void *b)
{
    const struct ev_post *p = a, *q = b;
    if (p->muni != q->muni)
        return p->muni < q->muni ? -1 : 1;
    if (p->f != q->f)
        return p->f < q->f ? -1 : 1;
    if (p->p.date != q->p.date)
        return p->p.date < q->p.date ? -1 : 1;
    return p->p.post_id < q->p.post_id ? -1 : p->p.post_id > q->p.post_id;
}

static int cmp_thread(const void *a, const void *b)
{
    const struct ev_thread *p = a, *q = b;
    if (p->muni != q->muni)
        return p->muni < q->muni ? -1 : 1;
    if (p->f != q->f)
        return p->f < q->f ? -1 : 1;
    if (p->t.owner_id != q->t.owner_id)
        return p->t.owner_id < q->t.owner_id ? -1 : 1;
    return p->t.post_id < q->t.post_id ? -1 : p->t.post_id > q->t.post_id;
}

/* Sorts the evidence by municipality and family, drops repeated threads, and hands each
 * municipality's Q14/Q17 its share. */
static int settle_evidence(struct walk *w)
{
    struct crosscheck *x = w->x;
    size_t n = 0;

    if (w->nposts) /* qsort wants an array even for none */
        qsort(w->posts, w->nposts, sizeof *w->posts, cmp_post);
    if (w->nthreads)
        qsort(w->threads, w->nthreads, sizeof *w->threads, cmp_thread);
    for (size_t i = 0; i < w->nthreads; i++)
        if (!n || cmp_thread(&w->threads[n - 1], &w->threads[i]) != 0)
            w->threads[n++] = w->threads[i];
    w->nthreads = n;
    x->posts = calloc(w->nposts ? w->nposts : 1, sizeof *x->posts);
    x->threads = calloc(w->nthreads ? w->nthreads : 1, sizeof *x->threads);
    if (!x->posts || !x->threads)
        return VKP_ENOMEM;
    for (size_t i = 0; i < w->nposts; i++) {
        struct xc_level *l = &x->munis[w->posts[i].muni].level[w->posts[i].f];
        x->posts[i] = w->posts[i].p;
        if (!l->nposts++)
            l->posts = &x->posts[i];
    }
    for (size_t i = 0; i < w->nthreads; i++) {
        struct xc_level *l = &x->munis[w->threads[i].muni].level[w->threads[i].f];
        x->threads[i] = w->threads[i].t;
        if (!l->nthreads++)
            l->threads = &x->threads[i];
    }
    x->nposts = w->nposts;
    x->nthreads = w->nthreads;
    return 0;
}

/* ---- reading the communities and the answers ----------------------------------- */

struct comm_load {
    struct crosscheck *x;
    int overflow; /* more than MAX_COMMS */
};

static int on_community(void *ud, const struct store_xc_community *c)
{
    struct comm_load *cl = ud;
    struct crosscheck *x = cl->x;
    if (x->ncomms == MAX_COMMS) {
        cl->overflow = 1;
        return 0;
    }
    struct xc_community *xc = &x->comms[x->ncomms];
    memset(xc, 0, sizeof *xc);
    xc->id = c->id;
    xc->ref = strdup(c->ref);
    xc->survey_name = strdup(c->survey_name);
    if (!xc->ref || !xc->survey_name) {
        free(xc->ref);
        free(xc->survey_name);
        return VKP_ENOMEM;
    }
    xc->family = strcmp(c->kind, "rmo") == 0 ? XC_RMO : XC_PROF;
    xc->members_at = c->members_at;
    xc->members_projected = c->members_at > x->seen_to;
    xc->members_hidden = c->members_hidden;
    xc->wall_first = c->wall_first;
    xc->wall_last = c->wall_last;
    x->ncomms++;
    return 0;
}

struct answer_load {
    struct crosscheck *x;
    const struct config *cfg;
    const struct muni_map *map;
};

/* The crosscheck's community for a config community, by ref. */
static int comm_of_config(const struct crosscheck *x, const struct config *cfg, size_t ci)
{
    for (size_t k = 0; k < x->ncomms; k++)
        if (strcasecmp(x->comms[k].ref, cfg->communities[ci].group) == 0)
            return (int)k;
    return -1;
}

static int on_answer(void *ud, const struct store_survey_answer *a)
{
    struct answer_load *al = ud;
    struct crosscheck *x = al->x;
    const struct muni *m = muni_by_name(al->map, a->municipality);
    struct survey_choice ch;
    enum survey_q q;

    if (!m) {
        x->undecoded++;
        return 0;
    }
    struct xc_muni *xm = &x->munis[m->index];
    xm->surveyed = 1;
    q = strcmp(a->question, "13") == 0   ? SURVEY_Q13
        : strcmp(a->question, "14") == 0 ? SURVEY_Q14
        : strcmp(a->question, "16") == 0 ? SURVEY_Q16
                                         : SURVEY_Q17;
    if (survey_decode(al->cfg, q, a->code, a->answer, &ch) != 0) {
        x->undecoded++;
        return 0;
    }
    int f = q == SURVEY_Q13 || q == SURVEY_Q14 ? XC_RMO : XC_PROF;
    if (q == SURVEY_Q14 || q == SURVEY_Q17) {
        struct xc_level *l = &xm->level[f];
        if (ch.kind == CHOICE_DONT_KNOW) {
            l->verdict = XC_DONT_KNOW;
        } else {
            l->verdict = XC_CONSISTENT; /* a level was claimed; judged later */
            l->claimed = ch.level;
        }
        return 0;
    }
    if (ch.kind == CHOICE_NONE)
        xm->list[f] = XC_LIST_NONE;
    else if (ch.kind == CHOICE_DONT_KNOW)
        xm->list[f] = XC_LIST_DONT_KNOW;
    else {
        int k = comm_of_config(x, al->cfg, ch.community);
        if (k < 0) {
            x->undecoded++;
            return 0;
        }
        xm->list[f] = XC_LIST_NAMED;
        xm->comm[k].claimed = 1;
    }
    return 0;
}

/* ---- judging -------------------------------------------------------------------- */

int64_t xc_discussants_needed(const struct xc_thresholds *th, int64_t members)
{
    /* ceil(share * members) in whole people; the 1e-9 absorbs 0.1 * 30 = 3.0000000000000004. */
    double share = th->min_discussant_share * (double)members - 1e-9;
    int64_t need = share > 0 ? (int64_t)share + ((double)(int64_t)share < share) : 0;
    return need > th->min_discussants ? need : th->min_discussants;
}

enum survey_level xc_observed_level(const struct xc_counts *n, const struct xc_thresholds *th)
{
    if (n->authors >= th->min_contributors)
        return LEVEL_CONTRIBUTES;
    if (n->commenters >= xc_discussants_needed(th, n->members))
        return LEVEL_DISCUSSES;
    if (n->members > 0)
        return LEVEL_REGISTERED;
    return LEVEL_NONE;
}

enum xc_verdict xc_judge(const struct xc_thresholds *th, double coverage, int members_complete,
                         int activity_complete, int64_t attributed, enum survey_level claimed,
                         enum survey_level observed, enum xc_reason *why)
{
    *why = XC_R_NONE;
    if (!members_complete) {
        *why = XC_R_NO_MEMBER_LIST;
        return XC_UNVERIFIABLE;
    }
    if (observed > claimed)
        return XC_UNDERSTATED;
    if (observed == claimed)
        return XC_CONSISTENT;
    /* Less was seen than claimed: only evidence that could have shown the
     * claim may call it overstated. Too few attributed members in the
     * question's communities first: for a municipality with none there,
     * "registered" and "discusses" are alike unknown. */
    if (attributed < th->min_members)
        *why = XC_R_FEW_MEMBERS;
    else if (coverage < th->min_coverage)
        *why = XC_R_LOW_COVERAGE;
    else if (claimed > LEVEL_REGISTERED && !activity_complete)
        *why = XC_R_NO_ACTIVITY_DATA;
    return *why == XC_R_NONE ? XC_OVERSTATED : XC_UNVERIFIABLE;
}

static void judge_level(const struct crosscheck *x, const struct xc_muni *xm, int f,
                        struct xc_level *l, int answered)
{
    l->observed = xc_observed_level(&l->n, &x->th);
    if (!xm->surveyed) {
        l->verdict = XC_NOT_SURVEYED;
        return;
    }
    if (!answered) {
        l->verdict = XC_NO_ANSWER;
        return;
    }
    if (l->verdict == XC_DONT_KNOW)
        return;
    l->verdict = xc_judge(&x->th, x->coverage, x->members_complete[f], x->activity_complete[f],
                          l->n.members, l->claimed, l->observed, &l->reason);
}

/* Naming a community claims "registered" in it, leaving it out claims "none"; the basis is
 * the municipality's members in the family (Q13 rests on its members in the RMOs). */
static void judge_membership(const struct crosscheck *x, const struct xc_muni *xm, size_t k)
{
    struct xc_membership *mb = &xm->comm[k];
    const struct xc_community *c = &x->comms[k];
    int f = c->family;

    if (!xm->surveyed)
        mb->verdict = XC_NOT_SURVEYED;
    else if (xm->list[f] == XC_LIST_NO_ANSWER)
        mb->verdict = XC_NO_ANSWER;
    else if (xm->list[f] == XC_LIST_DONT_KNOW)
        mb->verdict = XC_DONT_KNOW;
    else
        mb->verdict = xc_judge(&x->th, x->coverage, c->members_at != 0, 1, xm->level[f].n.members,
                               mb->claimed ? LEVEL_REGISTERED : LEVEL_NONE,
                               mb->n.members > 0 ? LEVEL_REGISTERED : LEVEL_NONE, &mb->reason);
}

enum xc_verdict xc_list_verdict(const struct crosscheck *x, const struct xc_muni *xm, int f)
{
    static const enum xc_verdict order[] = {XC_OVERSTATED, XC_UNDERSTATED, XC_UNVERIFIABLE};
    enum xc_verdict first = XC_CONSISTENT;
    int any = 0;

    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        for (size_t k = 0; k < x->ncomms; k++)
            if (x->comms[k].family == (enum xc_family)f) {
                any = 1;
                if (xm->comm[k].verdict == order[i])
                    return order[i];
                first = xm->comm[k].verdict;
            }
    /* the informational states are the same for every community of the family */
    return any && first > XC_UNVERIFIABLE ? first : XC_CONSISTENT;
}

static void summarize(struct crosscheck *x)
{
    struct xc_summary *s = &x->sum;
    static const enum survey_q list_q[XC_NFAMILIES] = {SURVEY_Q13, SURVEY_Q16};
    static const enum survey_q level_q[XC_NFAMILIES] = {SURVEY_Q14, SURVEY_Q17};

    for (size_t i = 0; i < x->nmunis; i++) {
        struct xc_muni *xm = &x->munis[i];
        for (int f = 0; f < XC_NFAMILIES; f++) {
            const struct xc_level *l = &xm->level[f];
            int any = 0;
            xm->list_verdict[f] = xc_list_verdict(x, xm, f);
            for (size_t k = 0; k < x->ncomms; k++) {
                const struct xc_membership *mb = &xm->comm[k];
                if (x->comms[k].family != (enum xc_family)f)
                    continue;
                /* one verdict per community of Q13/Q16, counted when it says something */
                if (mb->claimed || mb->n.members > 0 || mb->verdict >= XC_DONT_KNOW)
                    s->verdicts[list_q[f]][mb->verdict]++;
                if (!xm->surveyed)
                    continue;
                s->claimed_comm[k] += mb->claimed;
                s->observed_comm[k] += mb->n.members > 0;
                any |= mb->n.members > 0;
            }
            s->verdicts[level_q[f]][l->verdict]++;
            if (!xm->surveyed)
                continue;
            s->list[f][xm->list[f]]++;
            s->observed_none[f] += !any;
            if (l->verdict == XC_DONT_KNOW)
                s->level_dont_know[f]++;
            else if (l->verdict == XC_NO_ANSWER)
                s->level_no_answer[f]++;
            else
                s->claimed_level[f][l->claimed]++;
            s->observed_level[f][l->observed]++;
        }
    }
}

/* ---- public --------------------------------------------------------------------- */

/* The window: asked for, or weeks before the last run; an error when nothing of it is seen. */
static int place_window(struct crosscheck *x, const struct xc_window *w, char *err, size_t errlen)
{
    x->wkind = w->kind;
    x->weeks = w->kind == XC_WIN_WEEKS ? w->weeks : 0;
    if (w->kind == XC_WIN_WEEKS) {
        x->to = x->last_run;
        x->from = x->to - (int64_t)w->weeks * 7 * 86400;
    } else {
        x->from = w->from;
        x->to = w->to;
    }
    if (x->to <= x->from) {
        snprintf(err, errlen, "the window is empty: it must end after it starts");
        return VKP_EUSAGE;
    }
    if (x->from >= x->last_run) {
        snprintf(err, errlen,
                 "the window of the %d survey starts after the last collection: nothing of it "
                 "is observed yet",
                 x->year);
        return VKP_ENOTFOUND;
    }
    x->seen_to = x->to < x->last_run ? x->to : x->last_run;
    return 0;
}

/* What the member lists and walls can vouch for, per family. */
static void data_state(struct crosscheck *x, const struct config *cfg)
{
    for (int f = 0; f < XC_NFAMILIES; f++) {
        x->members_complete[f] = 1;
        x->activity_complete[f] = !xc_open(x); /* a shortfall may lie in the unseen part */
        for (size_t k = 0; k < x->ncomms; k++) {
            const struct xc_community *c = &x->comms[k];
            if (c->family != (enum xc_family)f)
                continue;
            int64_t back =
                c->wall_last ? config_horizon_start(cfg->horizon_days, c->wall_first) : x->last_run;
            if (back > x->history_from)
                x->history_from = back;
            x->members_projected |= c->members_projected;
            if (!c->members_at)
                x->members_complete[f] = 0;
            if (!c->wall_last || back > x->from)
                x->activity_complete[f] = 0;
        }
    }
}

int crosscheck_run(struct store *st, const struct config *cfg, const struct muni_map *map,
                   struct attribution *attr, int year, const struct xc_window *win,
                   struct crosscheck **out, char *err, size_t errlen)
{
    struct crosscheck *x = calloc(1, sizeof *x);
    struct walk w;
    int rc = VKP_ENOMEM;

    *out = NULL;
    memset(&w, 0, sizeof w);
    idtab_init(&w.people, sizeof(struct person), 4096);
    if (!x)
        goto fail;
    x->year = year;
    x->th = (struct xc_thresholds){cfg->survey_min_members, cfg->survey_min_coverage,
                                   cfg->survey_min_discussants, cfg->survey_min_discussant_share,
                                   cfg->survey_min_contributors};
    x->method = attribution_method(attr);
    x->directory = *attribution_directory(attr);
    x->localities = attribution_localities(attr, &x->mapped);
    x->roster = attribution_roster_size(attr);
    x->roster_stale = attribution_roster_stale(attr);
    if ((rc = store_xc_last_run(st, &x->last_run)) != 0)
        goto store_fail;
    if (!x->last_run) {
        snprintf(err, errlen, "nothing collected yet: run 'vkpulse collect --once' first");
        rc = VKP_ENOTFOUND;
        goto fail;
    }
    if ((rc = place_window(x, win, err, errlen)) != 0)
        goto fail;
    x->comms = calloc(MAX_COMMS, sizeof *x->comms);
    x->nmunis = muni_map_count(map);
    x->munis = calloc(x->nmunis ? x->nmunis : 1, sizeof *x->munis);
    rc = VKP_ENOMEM;
    if (!x->comms || !x->munis)
        goto fail;
    struct comm_load cl = {x, 0};
    if ((rc = store_xc_each_community(st, x->seen_to, on_community, &cl)) != 0)
        goto store_fail;
    if (cl.overflow) {
        snprintf(err, errlen,
                 "more than %d communities configured: the crosscheck takes at most "
                 "%d",
                 MAX_COMMS, MAX_COMMS);
        rc = VKP_ECONFIG;
        goto fail;
    }
    data_state(x, cfg);
    rc = VKP_ENOMEM;
    for (size_t i = 0; i < x->nmunis; i++) {
        x->munis[i].m = muni_map_at(map, i);
        x->munis[i].roster_expected = (int64_t)attribution_roster_count(attr, (int)i);
        x->munis[i].comm = calloc(x->ncomms ? x->ncomms : 1, sizeof *x->munis[i].comm);
        if (!x->munis[i].comm)
            goto fail;
        x->munis[i].level[XC_RMO].verdict = x->munis[i].level[XC_PROF].verdict = XC_NO_ANSWER;
    }
    int rows = 0;
    struct answer_load al = {x, cfg, map};
    rc = store_survey_each_answer(st, year, &rows, on_answer, &al);
    if (rc == VKP_ENOTFOUND) {
        text_copy(err, errlen, store_errmsg(st));
        goto fail;
    }
    if (rc != 0)
        goto store_fail;
    x->respondents = (size_t)rows;
    w.x = x;
    w.attr = attr;
    for (size_t k = 0; k < x->ncomms; k++)
        w.fam[x->comms[k].family] |= 1ull << k;
    rc = store_xc_each_member(st, x->seen_to, on_member, &w);
    if (rc == 0)
        rc = store_xc_each_act(st, x->from, x->seen_to, on_act, &w);
    if (rc == VKP_ENOMEM)
        goto fail;
    if (rc != 0)
        goto store_fail;
    tally_people(&w);
    if ((rc = settle_evidence(&w)) != 0)
        goto fail;
    for (size_t i = 0; i < x->nmunis; i++) {
        struct xc_muni *xm = &x->munis[i];
        for (int f = 0; f < XC_NFAMILIES; f++) {
            struct xc_level *l = &xm->level[f];
            /* on_answer left XC_NO_ANSWER, XC_DONT_KNOW, or a placeholder for a level */
            judge_level(x, xm, f, l, l->verdict != XC_NO_ANSWER);
        }
        for (size_t k = 0; k < x->ncomms; k++)
            judge_membership(x, xm, k);
    }
    summarize(x);
    if ((rc = xc_rank_follow_up(x)) != 0)
        goto fail;
    idtab_release(&w.people);
    free(w.posts);
    free(w.threads);
    *out = x;
    return 0;
store_fail:
    text_copy(err, errlen, store_errmsg(st));
fail:
    if (rc == VKP_ENOMEM)
        snprintf(err, errlen, "out of memory");
    idtab_release(&w.people);
    free(w.posts);
    free(w.threads);
    crosscheck_free(x);
    return rc;
}

int64_t xc_member_list_at(const struct crosscheck *x)
{
    int64_t at = x->seen_to;
    for (size_t k = 0; k < x->ncomms; k++)
        if (x->comms[k].members_at > at)
            at = x->comms[k].members_at;
    return at;
}

void crosscheck_free(struct crosscheck *x)
{
    if (!x)
        return;
    for (size_t k = 0; x->comms && k < x->ncomms; k++) {
        free(x->comms[k].ref);
        free(x->comms[k].survey_name);
    }
    free(x->comms);
    for (size_t i = 0; x->munis && i < x->nmunis; i++)
        free(x->munis[i].comm);
    free(x->munis);
    free(x->posts);
    free(x->threads);
    free(x->follow);
    free(x);
}
