/* vkcheck.c: the one validation step of VK's numbers and dates: what an answer can mean. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "vkapi.h"

void vk_check_init(struct vk_check *chk, int64_t now, int64_t max_people, int64_t max_items)
{
    memset(chk, 0, sizeof *chk);
    chk->now = now;
    chk->max_people = max_people;
    chk->max_items = max_items;
}

/* Why t cannot be a date of VK's, or NULL when it can. */
static const char *date_wrong(const struct vk_check *chk, int64_t t)
{
    if (t < VK_BEGAN)
        return "is before VK began (2006)";
    if (t > chk->now + VK_CLOCK_SKEW)
        return "is in the future";
    return NULL;
}

/* Counts an item left out of its answer; the first one is described (fmt) in chk->what. */
static void left_out(struct vk_check *chk, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void left_out(struct vk_check *chk, const char *fmt, ...)
{
    va_list ap;
    if (chk->refused++ == 0) {
        va_start(ap, fmt);
        vsnprintf(chk->what, sizeof chk->what, fmt, ap);
        va_end(ap);
    }
}

/* A figure of an answer: 0 when 0 <= v <= max, else VKP_EREFUSED naming it. */
static int figure(const char *method, const char *where, const char *field, int64_t v, int64_t max,
                  const char *bound, char *err, size_t errlen)
{
    if (v >= 0 && v <= max)
        return 0;
    snprintf(err, errlen, "%s: %s: %s = %lld %s; the answer is refused", method, where, field,
             (long long)v, v < 0 ? "is negative" : bound);
    return VKP_EREFUSED;
}

int vk_check_posts(struct vk_check *chk, int64_t count, struct vk_post *p, size_t *n, char *err,
                   size_t errlen)
{
    const char *why, *bound = "is beyond [collect] max_items";
    char where[64];
    size_t o = 0;
    int rc;

    chk->refused = 0;
    if ((rc = figure("wall.get", "the wall", "count", count, chk->max_items, bound, err, errlen)) !=
        0)
        return rc;
    for (size_t i = 0; i < *n; i++) {
        const int64_t v[] = {p[i].views, p[i].likes, p[i].reposts, p[i].comments};
        static const char *const name[] = {"views", "likes", "reposts", "comments"};
        snprintf(where, sizeof where, "post %lld", (long long)p[i].id);
        for (int k = 0; k < 4; k++)
            if ((rc = figure("wall.get", where, name[k], v[k], chk->max_items, bound, err,
                             errlen)) != 0)
                return rc;
        if ((why = date_wrong(chk, p[i].date)) != NULL) {
            left_out(chk, "post %lld (item %zu): date %lld %s", (long long)p[i].id, i,
                     (long long)p[i].date, why);
            continue;
        }
        /* The reposted original's date, when VK gives one, is a date of VK's too. */
        if (p[i].copy_date && (why = date_wrong(chk, p[i].copy_date)) != NULL) {
            left_out(chk, "post %lld (item %zu): copy_history date %lld %s", (long long)p[i].id, i,
                     (long long)p[i].copy_date, why);
            continue;
        }
        p[o++] = p[i];
    }
    *n = o;
    return 0;
}

int vk_check_comments(struct vk_check *chk, struct vk_comment *c, size_t *n, char *err,
                      size_t errlen)
{
    const char *why;
    size_t o = 0;
    int rc;

    chk->refused = 0;
    for (size_t i = 0; i < *n; i++) {
        if ((rc = figure("wall.getComments", "a thread", "count", c[i].thread_count, chk->max_items,
                         "is beyond [collect] max_items", err, errlen)) != 0)
            return rc;
        /* A deleted placeholder is kept whatever its date: it only holds a thread's place. */
        if (!c[i].deleted && (why = date_wrong(chk, c[i].date)) != NULL) {
            left_out(chk, "comment %lld (item %zu): date %lld %s", (long long)c[i].id, i,
                     (long long)c[i].date, why);
            continue;
        }
        c[o++] = c[i];
    }
    *n = o;
    return 0;
}

int vk_check_reposts(struct vk_check *chk, struct vk_repost *r, size_t *n, char *err, size_t errlen)
{
    const char *why;
    size_t o = 0;

    (void)err;
    (void)errlen;
    chk->refused = 0;
    for (size_t i = 0; i < *n; i++) {
        if ((why = date_wrong(chk, r[i].date)) != NULL) {
            left_out(chk, "repost %lld_%lld (item %zu): date %lld %s", (long long)r[i].owner_id,
                     (long long)r[i].id, i, (long long)r[i].date, why);
            continue;
        }
        r[o++] = r[i];
    }
    *n = o;
    return 0;
}

int vk_check_stats(struct vk_check *chk, struct vk_stat_day *d, size_t *n, char *err, size_t errlen)
{
    static const char *const name[] = {
        "reach.reach",    "reach.reach_subscribers", "visitors.visitors",
        "visitors.views", "activity.subscribed",     "activity.unsubscribed",
        "activity.likes", "activity.comments",       "activity.copies"};
    const char *why;
    char where[64];
    size_t o = 0;
    int rc;

    chk->refused = 0;
    for (size_t i = 0; i < *n; i++) {
        const int64_t v[] = {d[i].reach, d[i].reach_subscribers, d[i].visitors,
                             d[i].views, d[i].subscribed,        d[i].unsubscribed,
                             d[i].likes, d[i].comments,          d[i].copies};
        /* People (reach, visitors, subscriptions) are bounded as members are, events as a
         * post's likes are. */
        snprintf(where, sizeof where, "day %lld (item %zu)", (long long)d[i].day, i);
        for (int k = 0; k < 9; k++) {
            int people = k < 3 || k == 4 || k == 5;
            if ((rc = figure(
                     "stats.get", where, name[k], v[k], people ? chk->max_people : chk->max_items,
                     people ? "is beyond [collect] max_members" : "is beyond [collect] max_items",
                     err, errlen)) != 0)
                return rc;
        }
        /* A day that has not begun yet, or before VK, is no day of the group's: left out,
         * so that the newest stored day stays a real one and the next run asks on. */
        if ((why = date_wrong(chk, d[i].day)) != NULL) {
            left_out(chk, "day %lld (item %zu): period_from %s", (long long)d[i].day, i, why);
            continue;
        }
        d[o++] = d[i];
    }
    *n = o;
    return 0;
}
