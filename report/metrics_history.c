/* metrics_history.c: a community's periods before its first collection, from the history
 * that collection read (dated posts, comments and reposts; stats.get days). */
#include "metrics.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "metrics_int.h"
#include "store.h"
#include "store_report.h"

/* ---- one community, a period before its first collection ---------------------------------- */

/*
 * The counters of the period's own posts as VK gave them at the newest
 * reading, for periods no pair of snapshots brackets (the history a first
 * collection read, or a period it started in): they belong to the period
 * the post was published in, as of the last collection.
 */
int metrics_own_from_latest(struct build *b, size_t ci, int wi, struct metric_week *mw,
                            enum metric_state st)
{
    struct metric_community *mc = &b->r->coms[ci];
    struct delta_acc acc;
    int rc;

    memset(&acc, 0, sizeof acc);
    acc.wk = &b->r->weeks[wi];
    acc.collect = wi == b->r->nweeks - 1 && !mc->posts;
    rc = store_report_latest_posts(b->st, mc->id, acc.wk->start, acc.wk->end, metrics_on_delta,
                                   &acc, &mw->counters_at);
    if (rc) {
        metrics_posts_free(acc.posts, acc.nposts);
        return rc;
    }
    metrics_own_take(b, mc, mw, &acc, st);
    mw->notes |= NOTE_AS_OF_LAST;
    return 0;
}

/*
 * Subscribers at instant t before the first snapshot: its count less the
 * net of the stats.get days from t on (VK's days are Moscow days, not the
 * region's: approximate by up to a day's joins). *ok is 0 when the days do
 * not reach back to t.
 */
static int subs_from_stats(struct build *b, size_t ci, int64_t t, double *out, int *ok)
{
    const struct com_info *info = &b->info[ci];
    int64_t net, first_day;
    int rc;

    *ok = 0;
    if (info->first_members < 0 || t >= info->first_snapshot)
        return 0;
    rc = store_report_stat_net(b->st, b->r->coms[ci].id, t, info->first_snapshot, &net, &first_day);
    if (rc == 0 && first_day && first_day <= t) {
        *out = (double)(info->first_members - net);
        *ok = 1;
    }
    return rc;
}

/*
 * Joins and leaves of a period before the first collection, where no two
 * member lists bracket it: VK's subscribed and unsubscribed of the stats.get
 * days that start in it, for a group whose token is an admin. Approximate:
 * VK's days are Moscow days, so a period's edge may move a day's joins.
 */
static int moves_from_stats(struct build *b, size_t ci, const struct week *w,
                            struct metric_week *mw)
{
    struct store_report_stat_moves sm;
    int rc;

    if (mw->m[M_JOINED].state != MS_MISSING || w->start >= b->info[ci].first_snapshot)
        return 0;
    rc = store_report_stat_moves(b->st, b->r->coms[ci].id, w->start, w->end, &sm);
    if (rc == 0 && sm.first_day && sm.first_day <= w->start && sm.last_day + 86400 >= w->end) {
        set(mw, M_JOINED, (double)sm.subscribed, MS_APPROX);
        set(mw, M_LEFT, (double)sm.unsubscribed, MS_APPROX);
        mw->notes |= NOTE_JOINS_FROM_STATS;
    }
    return rc;
}

/* Fills subscribers at the ends the snapshots do not give, and joins and leaves,
 * from stats.get. */
int metrics_subs_history(struct build *b, size_t ci, const struct week *w, struct metric_week *mw)
{
    int ok0 = mw->m[M_SUBS_START].state != MS_MISSING;
    int ok1 = mw->m[M_SUBS_END].state != MS_MISSING, rc = 0;
    double v;

    if (!ok0 && w->start < b->info[ci].first_snapshot) {
        if ((rc = subs_from_stats(b, ci, w->start, &v, &ok0)) != 0)
            return rc;
        if (ok0)
            set(mw, M_SUBS_START, v, MS_APPROX);
        mw->notes |= ok0 ? NOTE_SUBS_FROM_STATS : NOTE_NO_SUBS_HISTORY;
    }
    if (!ok1 && w->end < b->info[ci].first_snapshot) {
        if ((rc = subs_from_stats(b, ci, w->end, &v, &ok1)) != 0)
            return rc;
        if (ok1)
            set(mw, M_SUBS_END, v, MS_APPROX);
        mw->notes |= ok1 ? NOTE_SUBS_FROM_STATS : NOTE_NO_SUBS_HISTORY;
    }
    if (ok0 && ok1 && mw->m[M_NET].state == MS_MISSING)
        set(mw, M_NET, mw->m[M_SUBS_END].v - mw->m[M_SUBS_START].v,
            worse(mw->m[M_SUBS_START].state, mw->m[M_SUBS_END].state));
    return moves_from_stats(b, ci, w, mw);
}

/* Comments and listed reposts by their VK dates, for a period no pair of snapshots brackets. */
int metrics_dated_figures(struct build *b, size_t ci, const struct week *w, struct metric_week *mw,
                          enum metric_state details)
{
    struct store_report_dated dated;
    int rc = store_report_dated(b->st, b->r->coms[ci].id, w->start, w->end, &dated);
    if (rc == 0) {
        set(mw, M_COMMENTS, (double)dated.comments, details);
        /* Reposts sent by private message are counted by VK but never listed. */
        set(mw, M_REPOSTS, (double)dated.reposts, MS_APPROX);
    }
    return rc;
}

/*
 * A period that ended before the community's first collection, within what
 * that collection read: posts, comments and reposts carry VK dates, so they
 * are exact; active people are counted as in every period (the likes that
 * collection found dated by their posts); the period's posts' counters are as
 * of the last collection; joins and leaves come from stats.get days where the
 * token is an admin; views and likes gained cannot be known.
 */
int metrics_history_week(struct build *b, size_t ci, int wi, struct metric_week *mw)
{
    struct metric_community *mc = &b->r->coms[ci];
    const struct week *w = &b->r->weeks[wi];
    const struct com_info *info = &b->info[ci];
    struct store_report_posts posts;
    struct active_acc acc;
    enum metric_state wall = info->first_wall_ok ? MS_OK : MS_APPROX;
    enum metric_state details = info->first_wall_ok && info->first_details_ok ? MS_OK : MS_APPROX;
    int rc;

    mw->notes |= NOTE_HISTORY | (info->first_wall_ok ? 0 : NOTE_WALL_INCOMPLETE) |
                 (info->first_details_ok ? 0 : NOTE_DETAILS_INCOMPLETE);
    if ((rc = store_report_post_counts(b->st, mc->id, w->start, w->end, &posts)) != 0 ||
        (rc = metrics_dated_figures(b, ci, w, mw, details)) != 0)
        return rc;
    set(mw, M_POSTS, (double)posts.total, wall);
    set(mw, M_POSTS_MEMBERS, (double)posts.by_members, wall);
    set(mw, M_REPOSTS_OTHER, (double)posts.reposts_other, wall);
    if (mc->vk_id && (rc = metrics_own_from_latest(b, ci, wi, mw, details)) != 0)
        return rc;
    if ((rc = metrics_subs_history(b, ci, w, mw)) != 0 ||
        (rc = metrics_stats_reach(b, ci, w, mw)) != 0)
        return rc;
    metrics_rates(mw);
    /* Active people by the one definition; nobody's membership then is known. */
    return metrics_active_people(b, ci, w, 0, details, mw, &acc);
}
