/* crosscheck.c: attributes every participant, counts per municipality and family, and judges. */
#include "crosscheck.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "err.h"
#include "muni.h"
#include "store.h"
#include "store_analysis.h"
#include "store_survey.h"

#define MAX_COMMS 64

static const char *const verdict_names[XC_NVERDICTS] = {"consistent",   "overstated", "understated",
                                                        "unverifiable", "dont_know",  "no_answer",
                                                        "not_surveyed"};
static const char *const reason_names[XC_NREASONS] = {"", "few_members", "low_coverage",
                                                      "no_member_list", "no_activity_data"};
static const char *const level_names[4] = {"none", "registered", "discusses", "contributes"};

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

/* ---- people seen in the window ------------------------------------------------- */

/* Flags of one person, per family: bit (family * 5 + signal). */
enum { SIG_MEMBER, SIG_COMMENT, SIG_POST, SIG_LIKE, SIG_REPOST, NSIG };

/* One person of the region: where attributed and what they did, per family. */
struct person {
    int64_t uid;   /* VK user id; 0: empty slot */
    int16_t muni;  /* municipality index, -1 when not attributed */
    uint8_t src;   /* enum attr_source */
    uint16_t bits; /* signals by family */
};

/* Open-addressing set of people, power-of-two size, grown at half full. */
struct people {
    struct person *slot; /* the table */
    size_t n, cap;       /* used and allocated */
};

static size_t person_hash(int64_t uid, size_t cap)
{
    return (size_t)(((uint64_t)uid * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
}

static struct person *people_get(struct people *p, int64_t uid, int *fresh)
{
    if ((p->n + 1) * 2 > p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4096;
        struct person *grown = calloc(cap, sizeof *grown);
        if (!grown)
            return NULL;
        for (size_t i = 0; i < p->cap; i++) {
            if (!p->slot[i].uid)
                continue;
            size_t j = person_hash(p->slot[i].uid, cap);
            while (grown[j].uid)
                j = (j + 1) & (cap - 1);
            grown[j] = p->slot[i];
        }
        free(p->slot);
        p->slot = grown;
        p->cap = cap;
    }
    size_t i = person_hash(uid, p->cap);
    while (p->slot[i].uid && p->slot[i].uid != uid)
        i = (i + 1) & (p->cap - 1);
    *fresh = !p->slot[i].uid;
    if (*fresh) {
        p->slot[i].uid = uid;
        p->n++;
    }
    return &p->slot[i];
}

/* ---- the walk ------------------------------------------------------------------ */

struct walk {
    struct crosscheck *x; /* being filled */
    const struct muni_map *map;
    struct attribution *attr; /* who is where */
    struct people people;     /* everyone seen */
    size_t last;              /* index of the last community found */
};

static void count(struct xc_counts *c, const struct store_participant *p)
{
    c->members += p->member != 0;
    c->commenters += p->comments > 0;
    c->authors += p->posts > 0;
    c->likers += p->likes > 0;
    c->reposters += p->reposts > 0;
}

static int on_participant(void *ud, const struct store_participant *p)
{
    struct walk *w = ud;
    struct crosscheck *x = w->x;
    size_t k = w->last;
    int fresh;

    if (k >= x->ncomms || x->comms[k].id != p->community_id) {
        for (k = 0; k < x->ncomms && x->comms[k].id != p->community_id; k++)
            ;
        if (k == x->ncomms)
            return 0; /* a community no longer in the config */
        w->last = k;
    }
    struct person *pe = people_get(&w->people, p->user_id, &fresh);
    if (!pe)
        return VKP_ENOMEM;
    if (fresh) {
        enum attr_source src;
        const struct muni *m = attribution_of(w->attr, p->user_id, p->city_id, p->city_title, &src);
        pe->muni = m ? (int16_t)m->index : -1;
        pe->src = (uint8_t)src;
    }
    struct xc_community *c = &x->comms[k];
    unsigned base = (unsigned)c->family * NSIG;
    pe->bits |= (uint16_t)((p->member ? 1u << (base + SIG_MEMBER) : 0) |
                           (p->comments ? 1u << (base + SIG_COMMENT) : 0) |
                           (p->posts ? 1u << (base + SIG_POST) : 0) |
                           (p->likes ? 1u << (base + SIG_LIKE) : 0) |
                           (p->reposts ? 1u << (base + SIG_REPOST) : 0));
    c->members += p->member != 0;
    if (pe->muni >= 0) {
        c->attributed += p->member != 0;
        count(&x->munis[pe->muni].comm[k].n, p);
    }
    return 0;
}

/* Folds the people into per-municipality counts and the coverage. */
static void tally_people(struct walk *w)
{
    struct crosscheck *x = w->x;
    const unsigned member_any = (1u << SIG_MEMBER) | (1u << (NSIG + SIG_MEMBER));

    for (size_t i = 0; i < w->people.cap; i++) {
        const struct person *pe = &w->people.slot[i];
        if (!pe->uid)
            continue;
        if (pe->bits & member_any) {
            x->members++;
            x->by_source[pe->src]++;
        }
        if (pe->muni < 0)
            continue;
        struct xc_muni *xm = &x->munis[pe->muni];
        if (pe->bits & member_any) {
            xm->attributed++;
            xm->by_roster += pe->src == ATTR_ROSTER;
            xm->by_city += pe->src == ATTR_CITY;
        }
        for (int f = 0; f < XC_NFAMILIES; f++) {
            unsigned b = pe->bits >> (f * NSIG);
            struct xc_counts *n = &xm->level[f].n;
            n->members += (b >> SIG_MEMBER) & 1;
            n->commenters += (b >> SIG_COMMENT) & 1;
            n->authors += (b >> SIG_POST) & 1;
            n->likers += (b >> SIG_LIKE) & 1;
            n->reposters += (b >> SIG_REPOST) & 1;
        }
    }
    int64_t attributed = x->by_source[ATTR_ROSTER] + x->by_source[ATTR_CITY];
    x->coverage = x->members ? (double)attributed / (double)x->members : 0;
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
     * claim may call it overstated. Too few attributed members first: for a
     * municipality with none, "registered" and "discusses" are alike unknown. */
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
                          xm->attributed, l->claimed, l->observed, &l->reason);
}

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
    else /* naming a community claims "registered" in it, leaving it out claims "none" */
        mb->verdict = xc_judge(&x->th, x->coverage, c->members_at != 0, 1, xm->attributed,
                               mb->claimed ? LEVEL_REGISTERED : LEVEL_NONE,
                               mb->n.members > 0 ? LEVEL_REGISTERED : LEVEL_NONE, &mb->reason);
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
            for (size_t k = 0; k < x->ncomms; k++) {
                const struct xc_membership *mb = &xm->comm[k];
                if (x->comms[k].family != (enum xc_family)f)
                    continue;
                /* one verdict per community of Q13/Q16, counted when it says something */
                if (mb->claimed || mb->n.members > 0 || mb->verdict >= XC_DONT_KNOW)
                    s->verdicts[list_q[f]][mb->verdict]++;
                if (mb->verdict == XC_OVERSTATED || mb->verdict == XC_UNDERSTATED)
                    xm->follow_up = 1;
                if (!xm->surveyed)
                    continue;
                s->claimed_comm[k] += mb->claimed;
                s->observed_comm[k] += mb->n.members > 0;
                any |= mb->n.members > 0;
            }
            s->verdicts[level_q[f]][l->verdict]++;
            if (l->verdict == XC_OVERSTATED || l->verdict == XC_UNDERSTATED ||
                l->verdict == XC_DONT_KNOW)
                xm->follow_up = 1;
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
        if (!xm->surveyed)
            xm->follow_up = 1;
    }
}

/* ---- public --------------------------------------------------------------------- */

int crosscheck_run(struct store *st, const struct config *cfg, const struct muni_map *map,
                   struct attribution *attr, int year, int weeks, struct crosscheck **out,
                   char *err, size_t errlen)
{
    struct crosscheck *x = calloc(1, sizeof *x);
    struct walk w;
    int rc = VKP_ENOMEM;

    *out = NULL;
    memset(&w, 0, sizeof w);
    if (!x)
        goto fail;
    x->year = year;
    x->weeks = weeks;
    x->th = (struct xc_thresholds){cfg->survey_min_members, cfg->survey_min_coverage,
                                   cfg->survey_min_discussants, cfg->survey_min_discussant_share,
                                   cfg->survey_min_contributors};
    x->method = attribution_method(attr);
    x->directory = *attribution_directory(attr);
    x->localities = attribution_localities(attr, &x->mapped);
    x->roster = attribution_roster_size(attr);
    x->roster_stale = attribution_roster_stale(attr);
    if ((rc = store_xc_last_run(st, &x->to)) != 0)
        goto store_fail;
    if (!x->to) {
        snprintf(err, errlen, "nothing collected yet: run 'vkpulse collect --once' first");
        rc = VKP_ENOTFOUND;
        goto fail;
    }
    x->from = x->to - (int64_t)weeks * 7 * 86400;
    x->comms = calloc(MAX_COMMS, sizeof *x->comms);
    x->nmunis = muni_map_count(map);
    x->munis = calloc(x->nmunis ? x->nmunis : 1, sizeof *x->munis);
    rc = VKP_ENOMEM;
    if (!x->comms || !x->munis)
        goto fail;
    struct comm_load cl = {x, 0};
    if ((rc = store_xc_each_community(st, x->to, on_community, &cl)) != 0)
        goto store_fail;
    if (cl.overflow) {
        snprintf(err, errlen,
                 "more than %d communities configured: the crosscheck takes at most "
                 "%d",
                 MAX_COMMS, MAX_COMMS);
        rc = VKP_ECONFIG;
        goto fail;
    }
    for (int f = 0; f < XC_NFAMILIES; f++) {
        x->members_complete[f] = x->activity_complete[f] = 1;
        for (size_t k = 0; k < x->ncomms; k++) {
            const struct xc_community *c = &x->comms[k];
            if (c->family != (enum xc_family)f)
                continue;
            if (!c->members_at)
                x->members_complete[f] = 0;
            if (!c->wall_last || config_horizon_start(cfg->horizon_days, c->wall_first) > x->from)
                x->activity_complete[f] = 0;
        }
    }
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
        snprintf(err, errlen, "%s", store_errmsg(st));
        goto fail;
    }
    if (rc != 0)
        goto store_fail;
    x->respondents = (size_t)rows;
    w.x = x;
    w.map = map;
    w.attr = attr;
    rc = store_each_participant(st, 0, x->from, x->to, 0, on_participant, &w);
    if (rc == VKP_ENOMEM)
        goto fail;
    if (rc != 0)
        goto store_fail;
    tally_people(&w);
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
    free(w.people.slot);
    *out = x;
    return 0;
store_fail:
    snprintf(err, errlen, "%s", store_errmsg(st));
fail:
    if (rc == VKP_ENOMEM)
        snprintf(err, errlen, "out of memory");
    free(w.people.slot);
    crosscheck_free(x);
    return rc;
}

void crosscheck_free(struct crosscheck *x)
{
    if (!x)
        return;
    for (size_t k = 0; k < x->ncomms; k++) {
        free(x->comms[k].ref);
        free(x->comms[k].survey_name);
    }
    free(x->comms);
    for (size_t i = 0; x->munis && i < x->nmunis; i++)
        free(x->munis[i].comm);
    free(x->munis);
    free(x);
}

/* ---- pseudonymous member rows ---------------------------------------------------- */

struct export
{
    struct attribution *attr; /* who is where */
    const char *salt;         /* HMAC key */
    char sep;                 /* CSV separator */
    FILE *out;                /* destination */
    char **refs;              /* community refs by internal id (index id) */
    size_t nrefs;             /* entries of refs */
};

static int hmac_hex(const char *salt, int64_t id, char hex[65])
{
    unsigned char md[32];
    size_t mdlen = 0;
    char msg[32];
    int n = snprintf(msg, sizeof msg, "%lld", (long long)id);

    if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, salt, strlen(salt),
                   (const unsigned char *)msg, (size_t)n, md, sizeof md, &mdlen) ||
        mdlen != 32)
        return VKP_ENOMEM;
    for (size_t i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return 0;
}

static int keep_ref(void *ud, const struct store_community_info *c)
{
    struct export *e = ud;
    if (c->id < 0 || c->id > 100000)
        return 0;
    if ((size_t)c->id >= e->nrefs) {
        size_t n = (size_t)c->id + 1;
        char **grown = realloc(e->refs, n * sizeof *grown);
        if (!grown)
            return VKP_ENOMEM;
        memset(grown + e->nrefs, 0, (n - e->nrefs) * sizeof *grown);
        e->refs = grown;
        e->nrefs = n;
    }
    e->refs[c->id] = strdup(c->ref);
    return e->refs[c->id] ? 0 : VKP_ENOMEM;
}

static int export_row(void *ud, const struct store_participant *p)
{
    struct export *e = ud;
    enum attr_source src;
    char hex[65];
    const struct muni *m = attribution_of(e->attr, p->user_id, p->city_id, p->city_title, &src);
    const char *ref = (size_t)p->community_id < e->nrefs && e->refs[p->community_id]
                          ? e->refs[p->community_id]
                          : "";

    if (hmac_hex(e->salt, p->user_id, hex) != 0)
        return VKP_ENOMEM;
    /* Refs and official names hold no separator or quote; still quote the name. */
    fprintf(e->out, "%s%c%s%c\"%s\"%c%s%c%d%c%lld%c%lld%c%lld%c%lld\r\n", hex, e->sep, ref, e->sep,
            m ? m->name : "", e->sep, attr_source_name(src), e->sep, p->member ? 1 : 0, e->sep,
            (long long)p->comments, e->sep, (long long)p->posts, e->sep, (long long)p->likes,
            e->sep, (long long)p->reposts);
    return ferror(e->out) ? VKP_EIO : 0;
}

int crosscheck_export_members(struct store *st, struct attribution *attr, int64_t from, int64_t to,
                              const char *salt, char sep, FILE *out, char *err, size_t errlen)
{
    struct export e = {.attr = attr, .salt = salt, .sep = sep, .out = out};
    int rc;

    if (!salt || strlen(salt) < 16) {
        snprintf(err, errlen,
                 "--pseudonymize needs a secret [survey] pseudonym_salt of at least 16 "
                 "characters in the config (e.g. the output of 'openssl rand -hex 32'); keep it "
                 "private and unchanged so pseudonyms stay comparable between exports");
        return VKP_ECONFIG;
    }
    if ((rc = store_each_community(st, keep_ref, &e)) != 0)
        goto fail;
    fprintf(out,
            "\xEF\xBB\xBFpseudonym%ccommunity%cmunicipality%cattribution%cmember%ccomments%c"
            "posts%clikes%creposts\r\n",
            sep, sep, sep, sep, sep, sep, sep, sep);
    rc = store_each_participant(st, 0, from, to, 0, export_row, &e);
fail:
    if (rc == VKP_EIO)
        snprintf(err, errlen, "cannot write the export");
    else if (rc == VKP_ENOMEM)
        snprintf(err, errlen, "out of memory");
    else if (rc != 0)
        snprintf(err, errlen, "%s", store_errmsg(st));
    for (size_t i = 0; i < e.nrefs; i++)
        free(e.refs[i]);
    free(e.refs);
    return rc;
}
