/* metrics_posts.c: the period's posts (every one, with its text and ER), the counters they
 * add up to, the engagement rates, VK's reach and visitors, and the best time to post. */
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "metrics_int.h"
#include "store.h"
#include "store_report.h"

static enum post_kind post_kind_of(const struct store_report_post *p)
{
    if (p->signer_id > 0 || p->from_id > 0)
        return POST_MEMBER;
    if (p->copy_owner_id != 0)
        return POST_REPOST;
    return POST_COMMUNITY;
}

int64_t metric_post_reactions(const struct metric_post *p)
{
    return p->likes + p->comments + p->reposts;
}

void metrics_posts_free(struct metric_post *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i].text);
    free(p);
}

/* Keeps one of the period's posts for the list (the report period only). */
static int keep_post(struct delta_acc *a, const struct store_report_post *p)
{
    if (a->nposts == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        void *grown = realloc(a->posts, cap * sizeof *a->posts);
        if (!grown)
            return VKP_ENOMEM;
        a->posts = grown;
        a->cap = cap;
    }
    struct metric_post *m = &a->posts[a->nposts];
    *m = (struct metric_post){
        .owner_id = p->owner_id,
        .id = p->id,
        .date = p->date,
        .views = p->end[SRC_VIEWS],
        .likes = p->end[SRC_LIKES],
        .comments = p->end[SRC_COMMENTS],
        .reposts = p->end[SRC_REPOSTS],
        .kind = post_kind_of(p),
        .text = strdup(p->text ? p->text : ""),
        .er_post = -1,
        .er_view = -1,
    };
    if (!m->text)
        return VKP_ENOMEM;
    if (m->views > 0)
        m->er_view = (double)metric_post_reactions(m) / (double)m->views;
    a->nposts++;
    return 0;
}

int metrics_on_delta(void *ud, const struct store_report_post *p)
{
    struct delta_acc *a = ud;

    /* A post that existed at the start snapshot but was not read then (an
     * old post pinned later, a wall page missed) has no known starting
     * point: counting its whole history as this week's would be a lie. */
    if (!p->has_start && p->date <= a->start_at) {
        a->skipped++;
        return 0;
    }
    for (int k = 0; k < SRC_COUNT; k++) {
        int64_t d = p->end[k] - p->start[k];
        if (d < 0) {
            a->down = 1;
            if (k != SRC_VIEWS)
                a->withdrawn -= d;
        } else {
            a->gained[k] += d;
        }
    }
    if (p->date < a->wk->start || p->date >= a->wk->end)
        return 0;
    for (int k = 0; k < SRC_COUNT; k++)
        a->own[k] += p->end[k];
    a->own_n++;
    if (p->end[SRC_VIEWS] > 0) {
        a->er_view_sum += (double)(p->end[SRC_LIKES] + p->end[SRC_COMMENTS] + p->end[SRC_REPOSTS]) /
                          (double)p->end[SRC_VIEWS];
        a->er_view_n++;
    }
    return a->collect ? keep_post(a, p) : 0;
}

/* Best first: interactions, then views, then the newer post. */
static int by_interactions(const void *a, const void *b)
{
    const struct metric_post *x = a, *y = b;
    int64_t ix = metric_post_reactions(x), iy = metric_post_reactions(y);
    if (ix != iy)
        return ix > iy ? -1 : 1;
    if (x->views != y->views)
        return x->views > y->views ? -1 : 1;
    return x->id > y->id ? -1 : x->id < y->id;
}

/* Sets the week's own posts' figures from acc and takes its posts (or frees them). */
void metrics_own_take(struct build *b, struct metric_community *mc, struct metric_week *mw,
                      struct delta_acc *acc, enum metric_state st)
{
    set(mw, M_OWN_VIEWS, (double)acc->own[SRC_VIEWS], st);
    set(mw, M_OWN_LIKES, (double)acc->own[SRC_LIKES], st);
    set(mw, M_OWN_COMMENTS, (double)acc->own[SRC_COMMENTS], st);
    set(mw, M_OWN_REPOSTS, (double)acc->own[SRC_REPOSTS], st);
    mw->own_posts = acc->own_n;
    mw->er_view_sum = acc->er_view_sum;
    mw->er_view_posts = acc->er_view_n;
    if (acc->collect) {
        if (acc->nposts > 1) /* qsort(NULL, 0) is undefined */
            qsort(acc->posts, acc->nposts, sizeof *acc->posts, by_interactions);
        metrics_posts_free(mc->posts, mc->nposts);
        mc->posts = acc->posts;
        mc->nposts = acc->nposts;
        mc->ntop = acc->nposts < (size_t)b->o->top ? acc->nposts : (size_t)b->o->top;
    } else {
        metrics_posts_free(acc->posts, acc->nposts);
    }
    acc->posts = NULL;
    acc->nposts = acc->cap = 0;
}

/* ---- rates --------------------------------------------------------------------------------- */

/* The SMM rates as VK's statistics, Popsters and LiveDune define them (docs/domain.md). */
void metrics_rates(struct metric_week *mw)
{
    const struct metric_value *subs = &mw->m[M_SUBS_END], *own = &mw->m[M_OWN_LIKES];
    struct metric_value inter = metric_interactions(mw);
    double days = (double)(mw->wk.end - mw->wk.start) / 86400.0;
    enum metric_state cs = mw->m[M_POSTS_MEMBERS].state;

    if (cs != MS_MISSING && mw->m[M_POSTS].v > 0)
        set(mw, M_MEMBERS_SHARE, mw->m[M_POSTS_MEMBERS].v / mw->m[M_POSTS].v,
            worse(cs, mw->m[M_POSTS].state));
    if (own->state != MS_MISSING && mw->own_posts > 0 && subs->state != MS_MISSING && subs->v > 0)
        set(mw, M_ER_POST,
            (own->v + mw->m[M_OWN_COMMENTS].v + mw->m[M_OWN_REPOSTS].v) / (double)mw->own_posts /
                subs->v,
            worse(own->state, subs->state));
    if (mw->m[M_OWN_VIEWS].state != MS_MISSING && mw->er_view_posts > 0)
        set(mw, M_ER_VIEW, mw->er_view_sum / (double)mw->er_view_posts, mw->m[M_OWN_VIEWS].state);
    if (inter.state == MS_MISSING)
        return;
    if (subs->state != MS_MISSING && subs->v > 0) {
        set(mw, M_ER_SUBS, inter.v / subs->v, worse(inter.state, subs->state));
        if (days >= 1)
            set(mw, M_ER_DAY, inter.v / days / subs->v, worse(inter.state, subs->state));
    }
    if (mw->m[M_REACH].state != MS_MISSING && mw->m[M_REACH].v > 0)
        set(mw, M_ER_REACH, inter.v / mw->m[M_REACH].v, worse(inter.state, mw->m[M_REACH].state));
}

/*
 * Reach and visitors from stats.get days (admins only). VK's days are UTC
 * days, so a period's sum is exact only when every one of its days is there;
 * with some days missing it is approximate, with none missing.
 */
int metrics_stats_reach(struct build *b, size_t ci, const struct week *w, struct metric_week *mw)
{
    struct store_report_reach s;
    int64_t days = (w->end - w->start + 43200) / 86400;
    int rc = store_report_stat_reach(b->st, b->r->coms[ci].id, w->start, w->end, &s);

    if (rc != 0)
        return rc;
    if (s.reach_days > 0)
        set(mw, M_REACH, (double)s.reach, s.reach_days >= days ? MS_OK : MS_APPROX);
    if (s.visitor_days > 0)
        set(mw, M_VISITORS, (double)s.visitors, s.visitor_days >= days ? MS_OK : MS_APPROX);
    return 0;
}

/* ---- after the build: each post's ERpost, and the best time to post ----------------------- */

static int on_hour(void *ud, const struct store_report_post *p)
{
    struct metric_hours *h = ud;
    char buf[16];
    int wd = 0, hr = 0;

    week_local(p->date, "%u %H", buf, sizeof buf);
    if (sscanf(buf, "%d %d", &wd, &hr) != 2 || wd < 1 || wd > 7 || hr < 0 || hr > 23)
        return 0;
    h->posts[wd - 1][hr]++;
    h->reactions[wd - 1][hr] += p->end[SRC_LIKES] + p->end[SRC_COMMENTS] + p->end[SRC_REPOSTS];
    return 0;
}

int metrics_posts_finish(struct build *b)
{
    struct report *r = b->r;
    const struct week *first = &r->weeks[0], *last = &r->weeks[r->nweeks - 1];

    memset(&r->total.hours, 0, sizeof r->total.hours);
    for (size_t ci = 0; ci < r->ncoms; ci++) {
        struct metric_community *mc = &r->coms[ci];
        const struct metric_value *subs = &mc->weeks[r->nweeks - 1].m[M_SUBS_END];
        for (size_t i = 0; i < mc->nposts; i++)
            if (subs->state != MS_MISSING && subs->v > 0)
                mc->posts[i].er_post = (double)metric_post_reactions(&mc->posts[i]) / subs->v;
        memset(&mc->hours, 0, sizeof mc->hours);
        int rc = store_report_last_post(b->st, mc->id, last->end, &mc->last_post);
        if (rc != 0)
            return rc;
        if (mc->vk_id && (rc = store_report_latest_posts(b->st, mc->id, first->start, last->end,
                                                         on_hour, &mc->hours, NULL)) != 0)
            return rc;
        for (int d = 0; d < 7; d++)
            for (int h = 0; h < 24; h++) {
                r->total.hours.posts[d][h] += mc->hours.posts[d][h];
                r->total.hours.reactions[d][h] += mc->hours.reactions[d][h];
            }
    }
    return 0;
}
