/* methods_wall.c: wall.get, likes.getList, wall.getComments and wall.getReposts: a group's
 * wall and the reactions to its posts. */
#include <string.h>

#include "methods_int.h"

/* ==== wall.get ================================================================================ */

/* Does post @p pass wall.get's filter? */
static int wall_filter_pass(const struct ds_post *p, int filter)
{
    switch (filter) {
    case 0:
        return 1; /* all */
    case 1:
        return p->from_id == p->owner_id; /* owner */
    case 2:
        return p->from_id != p->owner_id; /* others */
    default:
        return 0; /* postponed, suggests, donut: none visible to a reader */
    }
}

cJSON *m_wall_get(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err)
{
    struct jb b = {0};
    int64_t owner_id, offset, count;
    const struct ds_group *g;
    const char *domain = params_get(p, "domain");
    const char *filter_s = params_get(p, "filter");
    int filter = 0;
    if (params_get(p, "owner_id") && *params_get(p, "owner_id")) {
        if (req_int(p, "owner_id", &owner_id, err))
            return NULL;
        g = owner_group(ctx, owner_id, "owner_id", err);
    } else if (domain && *domain) {
        g = group_find(ctx, domain);
        if (!g)
            return vk_error_set(err, 100, BAD_PARAM "domain is invalid");
    } else {
        return vk_error_set(err, 100, BAD_PARAM "owner_id is undefined");
    }
    if (!g)
        return NULL;
    if (paging(p, 20, 100, &offset, &count, err))
        return NULL;
    if (filter_s && *filter_s) {
        static const char *const names[] = {"all",       "owner",    "others",
                                            "postponed", "suggests", "donut"};
        filter = -1;
        for (int i = 0; i < 6; i++)
            if (strcmp(filter_s, names[i]) == 0)
                filter = i;
        if (filter < 0)
            return vk_error_set(err, 100, BAD_PARAM "filter is invalid");
    }
    int extended = opt_bool(p, "extended");
    size_t n = ds_posts_visible(g, ctx->now);
    long pin = g->pinned >= 0 && (size_t)g->pinned < n ? g->pinned : -1;
    if (pin >= 0 && !wall_filter_pass(&g->posts[pin], filter))
        pin = -1;

    cJSON *resp = jobj(&b);
    cJSON *items = jarr(&b);
    struct idset owners = {.n = 0};
    int64_t total = 0, gone = hostile_wall_shift(ctx, offset);
    offset += gone;
    /* Display order: the pinned post first whatever its date, then newest first. */
    for (long k = -1; k < (long)n; k++) {
        const struct ds_post *post;
        if (k < 0) {
            if (pin < 0)
                continue;
            post = &g->posts[pin];
        } else {
            size_t idx = n - 1 - (size_t)k;
            if ((long)idx == pin || !wall_filter_pass(&g->posts[idx], filter))
                continue;
            post = &g->posts[idx];
        }
        if (total >= offset && total < offset + count) {
            jpush(&b, items, post_json(&b, ctx, post));
            if (extended) {
                idset_add(&owners, post->owner_id);
                idset_add(&owners, post->from_id);
                idset_add(&owners, post->signer_id);
                idset_add(&owners, post->copy_owner_id);
            }
        }
        total++;
    }
    jnum(&b, resp, "count", (double)(total - gone));
    jput(&b, resp, "items", items);
    if (extended)
        extended_json(&b, ctx, resp, &owners);
    return jdone(&b, resp, err);
}

/* A visible post given by owner_id and a post id parameter, or NULL with the error set. */
static const struct ds_post *find_post(const struct vk_ctx *ctx, const struct params *p,
                                       const char *id_key, struct vk_error *err)
{
    int64_t owner_id, post_id;
    if (req_int(p, "owner_id", &owner_id, err) || req_int(p, id_key, &post_id, err))
        return NULL;
    const struct ds_group *g = owner_group(ctx, owner_id, "owner_id", err);
    if (!g)
        return NULL;
    const struct ds_post *post = ds_post_find(g, post_id, ctx->now);
    if (!post)
        return vk_error_set(err, 100, BAD_PARAM "%s is invalid", id_key);
    return post;
}

/* ==== likes.getList =========================================================================== */

cJSON *m_likes_get_list(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err)
{
    struct jb b = {0};
    int64_t offset, count, friends_only;
    const char *type = params_get(p, "type");
    const char *filter = params_get(p, "filter");
    if (!type || !*type)
        return vk_error_set(err, 100, BAD_PARAM "type is undefined");
    if (strcmp(type, "post") != 0)
        return vk_error_set(err, 100, BAD_PARAM "type is invalid (the fake serves post)");
    const struct ds_post *post = find_post(ctx, p, "item_id", err);
    if (!post)
        return NULL;
    if (paging(p, 100, 1000, &offset, &count, err) ||
        opt_int(p, "friends_only", 0, &friends_only, err))
        return NULL;
    int copies = 0;
    if (filter && *filter) {
        if (strcmp(filter, "copies") == 0)
            copies = 1;
        else if (strcmp(filter, "likes") != 0)
            return vk_error_set(err, 100, BAD_PARAM "filter is invalid");
    }
    int extended = opt_bool(p, "extended");
    cJSON *resp = jobj(&b);
    cJSON *items = jarr(&b);
    int64_t total = 0;
    if (friends_only) {
        /* The token's owner has no friends here. */
    } else if (copies) {
        size_t n = ds_reposts_visible(post, ctx->now);
        for (size_t i = n; i > 0; i--) {
            int64_t who = post->reposts[i - 1].owner_id;
            if (who <= 0)
                continue;
            if (total >= offset && total < offset + count) {
                if (extended)
                    jpush(&b, items, user_json(&b, ctx, who, 0, "profile"));
                else
                    jpush_num(&b, items, (double)who);
            }
            total++;
        }
    } else {
        /* Newest like first, as VK lists them. */
        size_t n = ds_likes_visible(post, ctx->now);
        total = (int64_t)n;
        if (ctx->cfg->hostile & HOSTILE_ZERO_LIKE && offset == 0 && n > 0)
            jpush_num(&b, items, 0);
        for (int64_t k = offset; k < offset + count && k < (int64_t)n; k++) {
            int64_t who = post->likes[n - 1 - (size_t)k].user_id;
            if (extended)
                jpush(&b, items, user_json(&b, ctx, who, 0, "profile"));
            else
                jpush_num(&b, items, (double)who);
        }
    }
    if (ctx->cfg->hostile & HOSTILE_HUGE_COUNT && total > 0)
        total = 100000000000LL;
    jnum(&b, resp, "count", (double)total);
    jput(&b, resp, "items", items);
    return jdone(&b, resp, err);
}

/* ==== wall.getComments ======================================================================== */

/* Binary search of a visible comment at one level by id. */
static long level_find(const struct ds_comment *a, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid].id == id)
            return (long)mid;
        if (a[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

cJSON *m_wall_get_comments(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err)
{
    struct jb b = {0};
    int64_t offset, count, thread_items, comment_id, start_id;
    const char *sort = params_get(p, "sort");
    const struct ds_post *post = find_post(ctx, p, "post_id", err);
    if (!post)
        return NULL;
    if (post->comments_closed)
        return vk_error_set(err, 212, "Access to post comments denied");
    if (paging(p, 10, 100, &offset, &count, err) ||
        opt_int(p, "thread_items_count", 0, &thread_items, err) ||
        opt_int(p, "comment_id", 0, &comment_id, err) ||
        opt_int(p, "start_comment_id", 0, &start_id, err))
        return NULL;
    if (thread_items < 0 || thread_items > 10)
        return vk_error_set(err, 100, BAD_PARAM "thread_items_count should be from 0 to 10");
    int desc = 0;
    if (sort && *sort) {
        if (strcmp(sort, "desc") == 0)
            desc = 1;
        else if (strcmp(sort, "asc") != 0 && strcmp(sort, "smart") != 0)
            return vk_error_set(err, 100, BAD_PARAM "sort is invalid");
    }
    int need_likes = opt_bool(p, "need_likes");
    int extended = opt_bool(p, "extended");

    size_t n_top = ds_top_visible(post, ctx->now);
    const struct ds_comment *level = post->top, *root = NULL;
    size_t n_level = n_top;
    if (comment_id) {
        long i = level_find(post->top, n_top, comment_id);
        if (i < 0)
            return vk_error_set(err, 100, BAD_PARAM "comment_id is invalid");
        root = &post->top[i];
        level = root->replies;
        n_level = ds_replies_visible(root, ctx->now);
    }
    if (start_id) {
        /* Start the page at that comment (first id >= it in ascending order). */
        size_t pos = 0;
        while (pos < n_level && level[desc ? n_level - 1 - pos : pos].id != start_id)
            pos++;
        if (pos == n_level)
            return vk_error_set(err, 100, BAD_PARAM "start_comment_id is invalid");
        offset += (int64_t)pos;
    }

    cJSON *resp = jobj(&b);
    cJSON *items = jarr(&b);
    struct idset owners = {.n = 0};
    for (int64_t k = offset; k < offset + count && k < (int64_t)n_level; k++) {
        const struct ds_comment *c = &level[desc ? n_level - 1 - (size_t)k : (size_t)k];
        jpush(&b, items,
              comment_json(&b, ctx, post, c, root, root ? -1 : thread_items, need_likes));
        if (extended) {
            if (!c->deleted)
                idset_add(&owners, c->from_id);
            for (size_t j = 0; !root && j < c->n_replies && (int64_t)j < thread_items; j++)
                if (c->replies[j].date <= ctx->now && !c->replies[j].deleted)
                    idset_add(&owners, c->replies[j].from_id);
        }
    }
    jnum(&b, resp, "count", (double)(root ? n_level : ds_comments_total(post, ctx->now)));
    jnum(&b, resp, "current_level_count", (double)n_level);
    jbool(&b, resp, "can_post", !post->comments_closed);
    jbool(&b, resp, "show_reply_button", 1);
    jbool(&b, resp, "groups_can_post", 1);
    jput(&b, resp, "items", items);
    if (extended) {
        idset_add(&owners, post->owner_id);
        extended_json(&b, ctx, resp, &owners);
    }
    return jdone(&b, resp, err);
}

/* ==== wall.getReposts ========================================================================= */

cJSON *m_wall_get_reposts(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err)
{
    struct jb b = {0};
    int64_t offset, count;
    const struct ds_post *post = find_post(ctx, p, "post_id", err);
    if (!post)
        return NULL;
    if (paging(p, 20, 1000, &offset, &count, err))
        return NULL;
    size_t n = ds_reposts_visible(post, ctx->now);
    cJSON *resp = jobj(&b);
    cJSON *items = jarr(&b);
    struct idset owners = {.n = 0};
    idset_add(&owners, post->owner_id);
    /* Newest first; reposts by private message are counted but never listed. */
    for (int64_t k = offset; k < offset + count && k < (int64_t)n; k++) {
        const struct ds_repost *r = &post->reposts[n - 1 - (size_t)k];
        const struct ds_group *rg = r->owner_id < 0 ? ds_group_by_id(ctx->ds, -r->owner_id) : NULL;
        const struct ds_post *rp = rg ? ds_post_find(rg, r->post_id, ctx->now) : NULL;
        if (rp) {
            jpush(&b, items, post_json(&b, ctx, rp));
        } else {
            cJSON *o = jobj(&b);
            jstr(&b, o, "inner_type", "wall_wallpost");
            jnum(&b, o, "id", (double)r->post_id);
            jnum(&b, o, "owner_id", (double)r->owner_id);
            jnum(&b, o, "from_id", (double)r->owner_id);
            jnum(&b, o, "date", (double)r->date);
            jstr(&b, o, "post_type", "post");
            jstr(&b, o, "text", "");
            jput(&b, o, "attachments", jarr(&b));
            cJSON *src = jobj(&b);
            jstr(&b, src, "type", "vk");
            jput(&b, o, "post_source", src);
            cJSON *h = jarr(&b);
            jpush(&b, h,
                  copy_json(&b, post->id, post->owner_id, post->from_id, post->date, post->text));
            jput(&b, o, "copy_history", h);
            counters_json(&b, o, 0, 1, 0, 0, 0, -1);
            jpush(&b, items, o);
        }
        idset_add(&owners, r->owner_id);
    }
    jput(&b, resp, "items", items);
    extended_json(&b, ctx, resp, &owners);
    return jdone(&b, resp, err);
}
