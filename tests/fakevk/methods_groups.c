/* methods_groups.c: groups.getById, groups.getMembers, stats.get and users.get: a group, its
 * members and its statistics. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "methods_int.h"

/* ==== groups.getById ========================================================================== */

cJSON *m_groups_get_by_id(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err)
{
    struct jb b = {0};
    const char *ids = params_get(p, "group_ids");
    const char *fields = params_get(p, "fields");
    int want_count = fields && list_has(fields, "members_count");
    if (!ids || !*ids)
        ids = params_get(p, "group_id");
    if (!ids || !*ids)
        return vk_error_set(err, 100, BAD_PARAM "group_ids is undefined");
    cJSON *resp = jobj(&b);
    cJSON *groups = jarr(&b);
    size_t n = 0;
    const char *s = ids;
    while (*s) {
        char key[128];
        const char *e = s;
        while (*e && *e != ',')
            e++;
        size_t len = (size_t)(e - s);
        while (len && *s == ' ') {
            s++;
            len--;
        }
        while (len && s[len - 1] == ' ')
            len--;
        if (len) {
            if (++n > 500 || len >= sizeof(key)) {
                cJSON_Delete(groups);
                cJSON_Delete(resp);
                return vk_error_set(err, 100, BAD_PARAM "group_ids is invalid");
            }
            memcpy(key, s, len);
            key[len] = '\0';
            const struct ds_group *g = group_find(ctx, key);
            if (!g) {
                cJSON_Delete(groups);
                cJSON_Delete(resp);
                return vk_error_set(err, 100, BAD_PARAM "group_ids is invalid");
            }
            jpush(&b, groups, group_json(&b, ctx, g->id, want_count));
        }
        s = *e ? e + 1 : e;
    }
    if (n == 0) {
        cJSON_Delete(groups);
        cJSON_Delete(resp);
        return vk_error_set(err, 100, BAD_PARAM "group_ids is undefined");
    }
    jput(&b, resp, "groups", groups);
    jput(&b, resp, "profiles", jarr(&b));
    return jdone(&b, resp, err);
}

/* ==== groups.getMembers ======================================================================= */

/* Orders member indexes of group @arg by join time, then user id (for qsort_r). */
static int cmp_join(const void *a, const void *b, void *arg)
{
    const struct ds_group *g = arg;
    const struct ds_member *x = &g->members[*(const uint32_t *)a];
    const struct ds_member *y = &g->members[*(const uint32_t *)b];
    if (x->join != y->join)
        return x->join < y->join ? -1 : 1;
    return x->user_id < y->user_id ? -1 : x->user_id > y->user_id;
}

cJSON *m_groups_get_members(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err)
{
    struct jb b = {0};
    int64_t offset, count;
    const char *key = params_get(p, "group_id");
    const char *sort = params_get(p, "sort");
    const char *filter = params_get(p, "filter");
    uint32_t *order = NULL;
    if (!key || !*key)
        return vk_error_set(err, 100, BAD_PARAM "group_id is undefined");
    const struct ds_group *g = group_find(ctx, key);
    if (!g)
        return vk_error_set(err, 100, BAD_PARAM "group_id is invalid");
    if (methods_id_in(ctx->cfg->hidden, ctx->cfg->n_hidden, g->id))
        return vk_error_set(err, 15, "Access denied: group hide members");
    if (paging(p, 1000, 1000, &offset, &count, err))
        return NULL;
    if (!sort || !*sort)
        sort = "id_asc";
    int desc = 0, by_time = 0;
    if (strcmp(sort, "id_desc") == 0)
        desc = 1;
    else if (strcmp(sort, "time_asc") == 0 || strcmp(sort, "time_desc") == 0) {
        by_time = 1;
        desc = sort[5] == 'd';
        int admin =
            !ctx->service && !ctx->member &&
            (ctx->cfg->admin_all || methods_id_in(ctx->cfg->admin, ctx->cfg->n_admin, g->id));
        if (!admin)
            return vk_error_set(err, 15, "Access denied: sort by time is for moderators only");
    } else if (strcmp(sort, "id_asc") != 0)
        return vk_error_set(err, 100, BAD_PARAM "sort is invalid");
    unsigned fields = user_fields(p);
    int objects = params_get(p, "fields") && *params_get(p, "fields");
    unsigned hostile = ctx->cfg->hostile;
    int64_t skip = -1; /* HOSTILE_SHIFT: index of the member who left while paging */
    if (hostile & (HOSTILE_SHORT_PAGES | HOSTILE_DUP_PAGES | HOSTILE_SHIFT) && offset > 0 &&
        !by_time && !desc) {
        if (hostile & HOSTILE_SHORT_PAGES)
            count = 0;
        else if (hostile & HOSTILE_DUP_PAGES)
            offset = 0;
        else
            skip = 0;
    }

    cJSON *resp = jobj(&b);
    cJSON *items = jarr(&b);
    size_t total = 0;
    if (filter && *filter) {
        /* friends / unsure / managers / donut: nobody in this world. */
    } else if (by_time) {
        order = malloc(sizeof(*order) * (g->n_members ? g->n_members : 1));
        if (!order) {
            b.oom = 1;
        } else {
            for (size_t i = 0; i < g->n_members; i++)
                if (ds_member_current(&g->members[i], ctx->now))
                    order[total++] = (uint32_t)i;
            qsort_r(order, total, sizeof(*order), cmp_join, (void *)g);
            for (int64_t k = offset; k < offset + count && k < (int64_t)total; k++) {
                size_t idx = desc ? order[total - 1 - (size_t)k] : order[k];
                int64_t uid = g->members[idx].user_id;
                if (objects)
                    jpush(&b, items, user_json(&b, ctx, uid, fields, NULL));
                else
                    jpush_num(&b, items, (double)uid);
            }
        }
    } else {
        for (size_t i = 0; i < g->n_members; i++) {
            size_t idx = desc ? g->n_members - 1 - i : i;
            const struct ds_member *m = &g->members[idx];
            if (!ds_member_current(m, ctx->now))
                continue;
            if (skip == 0) {
                skip = -1; /* gone: everyone after moves one place up */
                continue;
            }
            if ((int64_t)total >= offset && (int64_t)total < offset + count) {
                if (objects)
                    jpush(&b, items, user_json(&b, ctx, m->user_id, fields, NULL));
                else
                    jpush_num(&b, items, (double)m->user_id);
            }
            total++;
        }
    }
    free(order);
    if (hostile & HOSTILE_HUGE_COUNT)
        total = 1000000000000LL;
    jnum(&b, resp, "count", (double)total);
    jput(&b, resp, "items", items);
    return jdone(&b, resp, err);
}

/* ==== stats.get =============================================================================== */

/* Per-day counters of one group. */
struct day_stats {
    int64_t subscribed;   /* joins */
    int64_t unsubscribed; /* leaves */
    int64_t likes;        /* likes on the group's posts */
    int64_t comments;     /* comments and replies */
    int64_t copies;       /* reposts, listed and by message */
    int64_t views;        /* views gained that day */
};

/* Adds an event at @ts to its day bucket when it is visible. */
static void bucket(struct day_stats *d, size_t n, int64_t day0, int64_t ts, int64_t now,
                   size_t field)
{
    if (ts > now || ts < day0)
        return;
    int64_t i = (ts - day0) / DS_DAY;
    if (i >= (int64_t)n)
        return;
    int64_t *f = (int64_t *)((char *)&d[i] + field);
    (*f)++;
}

cJSON *m_stats_get(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err)
{
    struct jb b = {0};
    int64_t gid, from, to, intervals;
    const char *interval = params_get(p, "interval");
    struct day_stats *d = NULL;
    if (ctx->service || ctx->member)
        return vk_error_set(err, 15, "Access denied: no access to call this method");
    if (!params_get(p, "group_id") && params_get(p, "app_id"))
        return vk_error_set(err, 15, "Access denied: no access to call this method");
    if (req_int(p, "group_id", &gid, err))
        return NULL;
    if (gid < 0)
        gid = -gid;
    const struct ds_group *g = ds_group_by_id(ctx->ds, gid);
    if (!g)
        return vk_error_set(err, 100, BAD_PARAM "group_id is invalid");
    if (!ctx->cfg->admin_all && !methods_id_in(ctx->cfg->admin, ctx->cfg->n_admin, gid))
        return vk_error_set(err, 15, "Access denied: no access to call this method");
    if (interval && *interval && strcmp(interval, "day") != 0)
        return vk_error_set(err, 100, BAD_PARAM "interval is invalid (the fake serves day)");
    if (opt_int(p, "timestamp_to", ctx->now, &to, err) ||
        opt_int(p, "timestamp_from", to - 30 * DS_DAY, &from, err) ||
        opt_int(p, "intervals_count", 0, &intervals, err))
        return NULL;
    if (from < 0 || to < from)
        return vk_error_set(err, 100, BAD_PARAM "timestamp_from is invalid");
    if (to > ctx->now)
        to = ctx->now;
    int64_t day0 = from - ((from % DS_DAY) + DS_DAY) % DS_DAY;
    int64_t ndays = to >= day0 ? (to - day0) / DS_DAY + 1 : 0;
    if (intervals > 0 && intervals < ndays) {
        day0 += (ndays - intervals) * DS_DAY;
        ndays = intervals;
    }
    if (ndays > 1000)
        return vk_error_set(err, 100, BAD_PARAM "too many intervals (at most 1000 days)");
    d = calloc((size_t)(ndays ? ndays : 1), sizeof(*d));
    if (!d)
        return vk_error_set(err, 10, "Internal server error: out of memory");
    size_t nd = (size_t)ndays;
    for (size_t i = 0; i < g->n_members; i++) {
        bucket(d, nd, day0, g->members[i].join, ctx->now, offsetof(struct day_stats, subscribed));
        if (g->members[i].leave != DS_NEVER)
            bucket(d, nd, day0, g->members[i].leave, ctx->now,
                   offsetof(struct day_stats, unsubscribed));
    }
    size_t np = ds_posts_visible(g, ctx->now);
    for (size_t i = 0; i < np; i++) {
        const struct ds_post *post = &g->posts[i];
        for (uint32_t k = 0; k < post->n_likes; k++)
            bucket(d, nd, day0, post->likes[k].date, ctx->now, offsetof(struct day_stats, likes));
        for (uint32_t k = 0; k < post->n_top; k++) {
            const struct ds_comment *c = &post->top[k];
            bucket(d, nd, day0, c->date, ctx->now, offsetof(struct day_stats, comments));
            for (uint32_t q = 0; q < c->n_replies; q++)
                bucket(d, nd, day0, c->replies[q].date, ctx->now,
                       offsetof(struct day_stats, comments));
        }
        for (uint32_t k = 0; k < post->n_reposts; k++)
            bucket(d, nd, day0, post->reposts[k].date, ctx->now,
                   offsetof(struct day_stats, copies));
        for (uint32_t k = 0; k < post->n_mail; k++)
            bucket(d, nd, day0, post->mail[k], ctx->now, offsetof(struct day_stats, copies));
        for (size_t k = 0; k < nd; k++) {
            int64_t a = day0 + (int64_t)k * DS_DAY, e = a + DS_DAY - 1;
            if (a > ctx->now)
                break;
            if (e > ctx->now)
                e = ctx->now;
            d[k].views += ds_views(post, e) - ds_views(post, a - 1);
        }
    }
    cJSON *resp = jarr(&b);
    for (size_t k = nd; k > 0; k--) {
        const struct day_stats *s = &d[k - 1];
        int64_t a = day0 + (int64_t)(k - 1) * DS_DAY;
        cJSON *o = jobj(&b);
        jnum(&b, o, "period_from", (double)a);
        jnum(&b, o, "period_to", (double)(a + DS_DAY));
        cJSON *act = jobj(&b);
        jnum(&b, act, "comments", (double)s->comments);
        jnum(&b, act, "copies", (double)s->copies);
        jnum(&b, act, "hidden", 0);
        jnum(&b, act, "likes", (double)s->likes);
        jnum(&b, act, "subscribed", (double)s->subscribed);
        jnum(&b, act, "unsubscribed", (double)s->unsubscribed);
        jput(&b, o, "activity", act);
        int64_t reach = s->views * 4 / 5;
        cJSON *rch = jobj(&b);
        jnum(&b, rch, "reach", (double)reach);
        jnum(&b, rch, "reach_subscribers", (double)(reach * 3 / 5));
        jnum(&b, rch, "mobile_reach", (double)(reach * 7 / 10));
        jput(&b, o, "reach", rch);
        cJSON *vis = jobj(&b);
        jnum(&b, vis, "views", (double)s->views);
        jnum(&b, vis, "visitors", (double)(s->views / 2));
        jnum(&b, vis, "mobile_views", (double)(s->views * 7 / 10));
        jput(&b, o, "visitors", vis);
        jpush(&b, resp, o);
    }
    free(d);
    return jdone(&b, resp, err);
}

/* ==== users.get =============================================================================== */

cJSON *m_users_get(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err)
{
    struct jb b = {0};
    const char *ids = params_get(p, "user_ids");
    unsigned fields = user_fields(p);
    cJSON *resp = jarr(&b);
    if (!ids || !*ids) {
        /* The token's owner: a moderator who is not a member of any group. */
        cJSON *o = jobj(&b);
        jnum(&b, o, "id", 1);
        jstr(&b, o, "first_name", "Модератор");
        jstr(&b, o, "last_name", "Демонстрационный");
        jbool(&b, o, "can_access_closed", 1);
        jbool(&b, o, "is_closed", 0);
        jpush(&b, resp, o);
        return jdone(&b, resp, err);
    }
    size_t n = 0, found = 0;
    const char *s = ids;
    while (*s) {
        const char *e = s;
        while (*e && *e != ',')
            e++;
        const char *q = s;
        while (q < e && *q == ' ')
            q++;
        if (e - q >= 2 && q[0] == 'i' && q[1] == 'd')
            q += 2;
        int64_t uid;
        if (++n > 1000) {
            cJSON_Delete(resp);
            return vk_error_set(err, 100, BAD_PARAM "user_ids is too long");
        }
        if (parse_i64n(q, (size_t)(e - q), &uid) == 0 && ds_user_by_id(ctx->ds, uid)) {
            jpush(&b, resp, user_json(&b, ctx, uid, fields, NULL));
            found++;
        }
        s = *e ? e + 1 : e;
    }
    if (!found) {
        cJSON_Delete(resp);
        return vk_error_set(err, 113, "Invalid user id");
    }
    return jdone(&b, resp, err);
}
