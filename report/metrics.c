/* metrics.c: computes the weekly report from the store (figures, comparisons, ladder, network). */
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "attribution.h"
#include "err.h"
#include "config.h"
#include "muni.h"
#include "store.h"
#include "store_report.h"
#include "metrics_int.h"
#include "text.h"

struct metric_value metric_interactions(const struct metric_week *w)
{
    struct metric_value v = {.v = 0, .state = MS_MISSING};
    if (w->m[M_LIKES].state == MS_MISSING)
        return v;
    v.v = w->m[M_LIKES].v + w->m[M_COMMENTS].v + w->m[M_REPOSTS].v;
    v.state = w->m[M_LIKES].state;
    if (w->m[M_COMMENTS].state == MS_MISSING || w->m[M_REPOSTS].state == MS_MISSING)
        v.state = MS_MISSING;
    else if (w->m[M_COMMENTS].state == MS_APPROX || w->m[M_REPOSTS].state == MS_APPROX)
        v.state = MS_APPROX;
    return v;
}

/* A person's municipality by the one attribution the cross-check uses too:
 * the roster first, then VK's city directory (or the title without one). */
int metrics_muni_index(const struct build *b, int64_t user_id, int64_t city_id, const char *title)
{
    enum attr_source src = ATTR_NO_CITY;
    const struct muni *m = b->attr ? attribution_of(b->attr, user_id, city_id, title, &src) : NULL;
    if (m)
        return m->index;
    if (!b->attr && (city_id > 0 || (title && title[0])))
        src = ATTR_OUTSIDE;
    return src == ATTR_NO_CITY ? MUNI_NO_CITY : MUNI_OUTSIDE;
}

/* ---- one community, one week ------------------------------------------------------------- */

static int on_active(void *ud, const struct store_report_active *a)
{
    struct active_acc *acc = ud;
    struct person p = {
        .uid = a->user_id,
        .com = acc->com,
        .muni = (int32_t)metrics_muni_index(acc->b, a->user_id, a->city_id, a->city_title),
        .flags = (uint8_t)(P_MAYBE | (a->active ? P_ACTIVE : 0) | (a->sure ? P_SURE : 0) |
                           (a->member ? P_MEMBER : 0)),
    };
    acc->people += a->active != 0;
    acc->members += a->active && a->member;
    acc->people_lo += a->sure != 0;
    acc->members_lo += a->sure && a->member;
    acc->people_hi++;
    acc->members_hi += a->member != 0;
    return metrics_pvec_push(&acc->b->week_people, &p);
}

/*
 * Active people of community ci in period w, one definition for every period
 * before and after the first collection: everyone who authored, commented,
 * reposted or liked, each act by the activity view's dating (a like inside the
 * bracket between the collection that found it and the one before, or at its
 * post's date when the first collection found it). Sets M_ACTIVE with its
 * bounds where a like's bracket straddles the period's edge.
 */
int metrics_active_people(struct build *b, size_t ci, const struct week *w, int64_t member_at,
                          enum metric_state st, struct metric_week *mw, struct active_acc *acc)
{
    const struct com_info *info = &b->info[ci];
    int rc;

    *acc = (struct active_acc){.b = b, .com = (int32_t)ci};
    if (!info->like_baseline) {
        mw->notes |= NOTE_NO_LIKES; /* no collection has read the likers completely yet */
        st = MS_APPROX;
    } else if (w->start < info->like_baseline) {
        mw->notes |= NOTE_LIKES_BY_POST;
    }
    rc =
        store_report_actives(b->st, b->r->coms[ci].id, w->start, w->end, member_at, on_active, acc);
    if (rc == 0)
        set_bounded(mw, M_ACTIVE, acc->people, acc->people_lo, acc->people_hi, st);
    return rc;
}

struct member_acc {
    struct build *b;
    int32_t com;
};

static int on_member(void *ud, const struct store_report_member *m)
{
    struct member_acc *acc = ud;
    struct person p = {
        .uid = m->user_id,
        .com = acc->com,
        .muni = (int32_t)metrics_muni_index(acc->b, m->user_id, m->city_id, m->city_title),
        .flags = P_MEMBER,
    };
    return metrics_pvec_push(&acc->b->week_people, &p);
}

/* Picks the boundary snapshots; one snapshot never serves both ends. */
static int boundaries(struct build *b, int64_t cid, const struct week *w,
                      struct store_report_snap *s0, int *has0, struct store_report_snap *s1,
                      int *has1)
{
    int rc = store_report_near_snapshot(b->st, cid, w->start, b->o->slack, s0, has0);
    if (rc == 0)
        rc = store_report_near_snapshot(b->st, cid, w->end, b->o->slack, s1, has1);
    if (rc == 0 && *has0 && *has1 && s0->run_id == s1->run_id) {
        if (s0->taken_at - w->start <= w->end - s0->taken_at)
            *has1 = 0;
        else
            *has0 = 0;
    }
    return rc;
}

static int community_week(struct build *b, size_t ci, int wi)
{
    struct metric_community *mc = &b->r->coms[ci];
    struct metric_week *mw = &mc->weeks[wi];
    const struct week *w = &b->r->weeks[wi];
    const struct com_info *info = &b->info[ci];
    struct store_report_snap s0, s1;
    struct store_report_snaps in;
    struct store_report_posts posts;
    int has0, has1, rc, hidden, report_week = wi == b->r->nweeks - 1;
    enum metric_state st;

    memset(mw, 0, sizeof *mw);
    mw->wk = *w;
    for (int m = 0; m < M_COUNT; m++)
        mw->m[m].state = MS_MISSING;
    if (w->end > b->o->now)
        mw->notes |= NOTE_WEEK_OPEN;
    if (b->r->ytd_cut)
        mw->notes |= NOTE_YEAR_TO_DATE;
    if (!info->first_snapshot || info->first_snapshot > w->end + b->o->slack) {
        if (info->first_snapshot &&
            config_horizon_start(b->o->horizon_days, info->first_snapshot) <= w->start)
            return metrics_history_week(b, ci, wi, mw);
        mw->notes |= NOTE_NOT_COLLECTED;
        return 0;
    }
    if ((rc = boundaries(b, mc->id, w, &s0, &has0, &s1, &has1)) != 0 ||
        (rc = store_report_snapshots(b->st, mc->id, w->start, w->end, &in)) != 0)
        return rc;
    mw->notes |= has0 ? 0 : NOTE_NO_START;
    mw->notes |= has1 ? 0 : NOTE_NO_END;
    if (!has0 && !has1 && !in.count)
        return 0; /* no collection near this week: nothing to measure */
    mw->start_at = has0 ? s0.taken_at : 0;
    mw->end_at = has1 ? s1.taken_at : 0;
    mw->notes |= has0 && llabs(s0.taken_at - w->start) > REPORT_SNAP_NEAR ? NOTE_START_FAR : 0;
    mw->notes |= has1 && llabs(s1.taken_at - w->end) > REPORT_SNAP_NEAR ? NOTE_END_FAR : 0;
    hidden = (has0 && s0.members_hidden) || (has1 && s1.members_hidden) || in.members_hidden;
    mw->notes |= hidden ? NOTE_MEMBERS_HIDDEN : 0;

    /* Subscribers: VK's count at each boundary snapshot. */
    if (has0)
        set(mw, M_SUBS_START, (double)s0.members_count, MS_OK);
    if (has1)
        set(mw, M_SUBS_END, (double)s1.members_count, MS_OK);
    if (has0 && has1)
        set(mw, M_NET, (double)(s1.members_count - s0.members_count), MS_OK);

    /* Joins and leaves: exact between two complete member lists. */
    if (has0 && has1 && !hidden) {
        if (s0.members_ok && s1.members_ok) {
            int64_t joined, left;
            rc = store_report_member_changes(b->st, mc->id, s0.taken_at, s1.taken_at, &joined,
                                             &left);
            if (rc)
                return rc;
            set(mw, M_JOINED, (double)joined, MS_OK);
            set(mw, M_LEFT, (double)left, MS_OK);
        } else {
            mw->notes |= NOTE_MEMBERS_INCOMPLETE;
        }
    }

    /* Posts carry VK dates: complete once a full wall read ends the week. */
    {
        if ((rc = store_report_post_counts(b->st, mc->id, w->start, w->end, &posts)) != 0)
            return rc;
        st = has1 && s1.wall_ok ? MS_OK : MS_APPROX;
        if (has1 && !s1.wall_ok)
            mw->notes |= NOTE_WALL_INCOMPLETE;
        set(mw, M_POSTS, (double)posts.total, st);
        set(mw, M_POSTS_MEMBERS, (double)posts.by_members, st);
        set(mw, M_REPOSTS_OTHER, (double)posts.reposts_other, st);
    }

    /* Counters: what changed between the two boundary snapshots. */
    if (has0 && has1 && mc->vk_id) {
        struct delta_acc acc;
        memset(&acc, 0, sizeof acc);
        acc.wk = w;
        acc.start_at = s0.taken_at;
        acc.collect = report_week;
        rc = store_report_post_deltas(b->st, -mc->vk_id, s0.run_id, s1.run_id, metrics_on_delta,
                                      &acc);
        if (rc) {
            metrics_posts_free(acc.posts, acc.nposts);
            return rc;
        }
        st = s0.wall_ok && s1.wall_ok ? MS_OK : MS_APPROX;
        if (!s0.wall_ok || !s1.wall_ok)
            mw->notes |= NOTE_WALL_INCOMPLETE;
        set(mw, M_VIEWS, (double)acc.gained[SRC_VIEWS], st);
        set(mw, M_LIKES, (double)acc.gained[SRC_LIKES], st);
        set(mw, M_COMMENTS, (double)acc.gained[SRC_COMMENTS], st);
        set(mw, M_REPOSTS, (double)acc.gained[SRC_REPOSTS], st);
        set(mw, M_WITHDRAWN, (double)acc.withdrawn, st);
        mw->notes |= acc.down ? NOTE_COUNTERS_DOWN : 0;
        mw->notes |= acc.skipped ? NOTE_OLD_POSTS_SKIPPED : 0;
        mw->old_posts_skipped = acc.skipped;
        metrics_own_take(b, mc, mw, &acc, st);
    }
    /* The period the first collection started in: what its history can give. */
    if (mw->m[M_OWN_VIEWS].state == MS_MISSING && mc->vk_id && (!has0 || !has1) &&
        (rc = metrics_own_from_latest(b, ci, wi, mw, MS_APPROX)) != 0)
        return rc;
    if (mw->m[M_COMMENTS].state == MS_MISSING && w->start < info->first_snapshot &&
        (rc = metrics_dated_figures(b, ci, w, mw, MS_APPROX)) != 0)
        return rc;
    if ((rc = metrics_subs_history(b, ci, w, mw)) != 0 ||
        (rc = metrics_stats_reach(b, ci, w, mw)) != 0)
        return rc;
    metrics_rates(mw);

    /* Active people: every act by its date (the activity view's). */
    {
        struct active_acc acc;
        int64_t member_at = has1 ? s1.taken_at : w->end;
        st = MS_OK;
        if (!has1 || !s1.details_ok) {
            mw->notes |= NOTE_DETAILS_INCOMPLETE;
            st = MS_APPROX;
        }
        if ((rc = metrics_active_people(b, ci, w, member_at, st, mw, &acc)) != 0)
            return rc;
        st = mw->m[M_ACTIVE].state;
        if (!hidden) {
            enum metric_state ms = worse(st, has1 && s1.members_ok ? MS_OK : MS_APPROX);
            set_bounded(mw, M_ACTIVE_MEMBERS, acc.members, acc.members_lo, acc.members_hi, ms);
            if (has1 && s1.members_ok && s1.members_listed > 0)
                set(mw, M_ACTIVE_SHARE, (double)acc.members / (double)s1.members_listed, ms);
            struct member_acc macc = {.b = b, .com = (int32_t)ci};
            if ((rc = store_report_members_at(b->st, mc->id, member_at, on_member, &macc)) != 0)
                return rc;
        }
    }
    return 0;
}

/* ---- comparisons ------------------------------------------------------------------------- */

static void compare(struct metric_community *mc, int nweeks)
{
    const struct metric_week *cur = &mc->weeks[nweeks - 1];
    for (int m = 0; m < M_COUNT; m++) {
        struct metric_compare *c = &mc->cmp[m];
        memset(c, 0, sizeof *c);
        if (cur->m[m].state == MS_MISSING)
            continue;
        if (nweeks >= 2 && mc->weeks[nweeks - 2].m[m].state != MS_MISSING) {
            c->has_prev = 1;
            c->prev = mc->weeks[nweeks - 2].m[m].v;
        }
        double sum = 0;
        for (int i = 0; i < nweeks - 1; i++) {
            if (mc->weeks[i].m[m].state == MS_MISSING)
                continue;
            sum += mc->weeks[i].m[m].v;
            c->avg_weeks++;
        }
        if (c->avg_weeks)
            c->avg = sum / c->avg_weeks;
    }
}

/* ---- the build --------------------------------------------------------------------------- */

int64_t report_year_to_date(struct week *weeks, int nweeks, int64_t now)
{
    const struct week *last = &weeks[nweeks - 1];
    time_t t = (time_t)now;
    struct tm tm;

    if ((last->kind != PERIOD_YEAR && last->kind != PERIOD_SCHOOL_YEAR) || last->end <= now ||
        last->start >= now || !localtime_r(&t, &tm))
        return 0;
    for (int i = 0; i < nweeks; i++) {
        struct tm c = tm;
        c.tm_year -= nweeks - 1 - i; /* the same day of the year k years before */
        c.tm_isdst = -1;
        int64_t cut = (int64_t)mktime(&c);
        if (cut > weeks[i].start && cut < weeks[i].end)
            weeks[i].end = cut;
    }
    return now;
}

struct com_list {
    struct build *b;
    size_t cap;
};

/* Does ref name community c? A group may be named as in the config, by its
 * screen name or id as VK knows it (123, club123, public123), or by its link. */
static int community_is(const struct store_report_community *c, const char *ref)
{
    static const char *const sites[] = {"https://", "http://", "m.vk.com/", "vk.com/"};
    for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++)
        if (strncasecmp(ref, sites[i], strlen(sites[i])) == 0)
            ref += strlen(sites[i]);
    int64_t id = config_group_id(ref);
    return strcasecmp(c->ref, ref) == 0 ||
           (c->screen_name && strcasecmp(c->screen_name, ref) == 0) || (id && id == c->vk_id);
}

static int on_community(void *ud, const struct store_report_community *c)
{
    struct com_list *l = ud;
    struct report *r = l->b->r;
    if (l->b->o->community && !community_is(c, l->b->o->community))
        return 0;
    if (r->ncoms == 255) {
        snprintf(l->b->err, l->b->errlen, "the report covers at most 255 communities");
        return VKP_ETOOBIG;
    }
    if (r->ncoms == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        void *g1 = realloc(r->coms, cap * sizeof *r->coms);
        if (!g1)
            return VKP_ENOMEM;
        r->coms = g1;
        void *g2 = realloc(l->b->info, cap * sizeof *l->b->info);
        if (!g2)
            return VKP_ENOMEM;
        l->b->info = g2;
        l->cap = cap;
    }
    struct metric_community *mc = &r->coms[r->ncoms];
    memset(mc, 0, sizeof *mc);
    mc->id = c->id;
    mc->ref = strdup(c->ref);
    mc->name = c->name ? strdup(c->name) : NULL;
    text_copy(mc->kind, sizeof mc->kind, c->kind);
    mc->vk_id = c->vk_id;
    mc->active = c->active;
    mc->weeks = calloc((size_t)r->nweeks, sizeof *mc->weeks);
    l->b->info[r->ncoms].first_snapshot = c->first_snapshot;
    l->b->info[r->ncoms].like_baseline = c->like_baseline;
    l->b->info[r->ncoms].first_members = -1;
    r->ncoms++;
    if (!mc->ref || (c->name && !mc->name) || !mc->weeks)
        return VKP_ENOMEM;
    return 0;
}

/* What each community's first snapshot vouches for: the history it read. */
static int first_snapshots(struct build *b)
{
    for (size_t ci = 0; ci < b->r->ncoms; ci++) {
        struct com_info *info = &b->info[ci];
        struct store_report_snap s;
        int found, rc;
        if (!info->first_snapshot)
            continue;
        rc = store_report_near_snapshot(b->st, b->r->coms[ci].id, info->first_snapshot, 0, &s,
                                        &found);
        if (rc)
            return rc;
        if (found) {
            info->first_members = s.members_count;
            info->first_wall_ok = s.wall_ok;
            info->first_details_ok = s.details_ok;
        }
    }
    return 0;
}

int report_build(struct store *st, const struct report_options *o, struct report **out, char *err,
                 size_t errlen)
{
    struct build b;
    struct report *r = NULL;
    struct com_list cl;
    int rc = VKP_ENOMEM;

    memset(&b, 0, sizeof b);
    *out = NULL;
    err[0] = '\0';
    if (o->nweeks < 1 || o->nweeks > 520) {
        snprintf(err, errlen, "the trend window must be 1 to 520 weeks, not %d", o->nweeks);
        return VKP_EUSAGE;
    }
    if (!(r = calloc(1, sizeof *r)))
        goto fail;
    b = (struct build){.st = st, .o = o, .r = r, .err = err, .errlen = errlen};
    r->week = o->week;
    r->nweeks = o->nweeks;
    r->generated_at = o->now;
    r->slack = o->slack;
    r->filtered = o->community != NULL;
    text_copy(r->tz, sizeof r->tz, o->tz ? o->tz : "");
    r->weeks = calloc((size_t)o->nweeks, sizeof *r->weeks);
    r->runs = calloc((size_t)o->nweeks, sizeof *r->runs);
    r->total.ref = strdup("network");
    r->total.weeks = calloc((size_t)o->nweeks, sizeof *r->total.weeks);
    if (!r->weeks || !r->runs || !r->total.ref || !r->total.weeks)
        goto fail;
    for (int i = 0; i < o->nweeks; i++)
        if ((rc = week_shift(&o->week, i - (o->nweeks - 1), &r->weeks[i])) != 0)
            goto fail;
    r->ytd_cut = report_year_to_date(r->weeks, o->nweeks, o->now);
    for (int i = 0; i < o->nweeks; i++) {
        struct store_report_runs runs;
        if ((rc = store_report_runs(st, r->weeks[i].start, r->weeks[i].end, &runs)) != 0)
            goto fail;
        r->runs[i].total = runs.total;
        r->runs[i].ok = runs.ok;
        r->runs[i].partial = runs.partial;
        r->runs[i].failed = runs.failed;
    }
    if (o->munis && (rc = attribution_new(o->munis, st, &b.attr)) != 0)
        goto fail;
    cl.b = &b;
    cl.cap = 0;
    if ((rc = store_report_each_community(st, on_community, &cl)) != 0)
        goto fail;
    if (o->community && r->ncoms == 0) {
        snprintf(err, errlen,
                 "no community '%s' in the database: name it by its group as configured, its "
                 "screen name, id or link (see 'vkpulse status')",
                 o->community);
        rc = VKP_EUSAGE;
        goto fail;
    }
    if ((rc = first_snapshots(&b)) != 0)
        goto fail;
    for (int wi = 0; wi < o->nweeks; wi++) {
        b.week_people.n = 0;
        for (size_t ci = 0; ci < r->ncoms; ci++)
            if ((rc = community_week(&b, ci, wi)) != 0)
                goto fail;
        metrics_network_week(&b, wi);
    }
    /* The report week's people are still in week_people: keep them. */
    b.report_people = b.week_people;
    memset(&b.week_people, 0, sizeof b.week_people);
    for (size_t ci = 0; ci < r->ncoms; ci++)
        compare(&r->coms[ci], o->nweeks);
    compare(&r->total, o->nweeks);
    if ((rc = metrics_ladders(&b)) != 0 || (rc = metrics_network_view(&b)) != 0 ||
        (rc = metrics_posts_finish(&b)) != 0)
        goto fail;
    free(b.report_people.v);
    free(b.ladder_now.v);
    free(b.ladder_prev.v);
    free(b.info);
    attribution_free(b.attr);
    *out = r;
    return 0;
fail:
    if (err[0] == '\0')
        snprintf(err, errlen, "%s: %s", vkp_strerror(rc), store_errmsg(st));
    free(b.week_people.v);
    free(b.report_people.v);
    free(b.ladder_now.v);
    free(b.ladder_prev.v);
    free(b.info);
    attribution_free(b.attr);
    report_free(r);
    return rc;
}

static void community_free(struct metric_community *mc)
{
    free(mc->ref);
    free(mc->name);
    free(mc->weeks);
    metrics_posts_free(mc->posts, mc->nposts);
}

void report_free(struct report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ncoms; i++)
        community_free(&r->coms[i]);
    community_free(&r->total);
    free(r->coms);
    free(r->weeks);
    free(r->runs);
    free(r->net.members_in);
    free(r->net.active_in);
    free(r->net.spread);
    free(r->net.munis);
    free(r);
}

int report_options_config(struct report_options *o, const struct config *cfg,
                          struct muni_map **munis, char *err, size_t errlen)
{
    int rc = muni_map_of_config(cfg, munis, err, errlen);
    if (rc != 0)
        return rc;
    o->nweeks = cfg->report_weeks;
    o->top = cfg->report_top;
    o->slack = (int64_t)cfg->report_slack_hours * 3600;
    o->tz = cfg->timezone;
    o->munis = *munis;
    o->horizon_days = cfg->horizon_days;
    return 0;
}
