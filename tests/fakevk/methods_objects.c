/* methods_objects.c: the VK objects the methods answer with: users, groups, posts, comments,
 * and the profiles and groups of an extended answer. */
#include <stdio.h>

#include "geo.h"
#include "methods_int.h"
#include "tables.h"

/* ==== objects ================================================================================= */

unsigned user_fields(const struct params *p)
{
    const char *f = params_get(p, "fields");
    unsigned m = 0;
    if (!f)
        return 0;
    m |= list_has(f, "city") ? UF_CITY : 0;
    m |= list_has(f, "sex") ? UF_SEX : 0;
    m |= list_has(f, "photo_50") ? UF_PHOTO_50 : 0;
    m |= list_has(f, "photo_100") ? UF_PHOTO_100 : 0;
    m |= list_has(f, "screen_name") ? UF_SCREEN_NAME : 0;
    m |= list_has(f, "domain") ? UF_DOMAIN : 0;
    return m;
}

/* A users_user_full object for a dataset user. */
cJSON *user_json(struct jb *b, const struct vk_ctx *ctx, int64_t uid, unsigned fields,
                 const char *type)
{
    const struct dataset *ds = ctx->ds;
    const struct ds_user *u = ds_user_by_id(ds, uid);
    char last[96], url[128], text[256];
    cJSON *o = jobj(b);
    if (!u) {
        /* Outside users (authors of reposted originals) are seen as bare ids. */
        jnum(b, o, "id", (double)uid);
        return o;
    }
    ds_user_last_name(u, last, sizeof(last));
    if (type)
        jstr(b, o, "type", type);
    jnum(b, o, "id", (double)uid);
    jstr(b, o, "first_name", hostile_text(ctx, ds_user_first_name(u), text, sizeof(text)));
    jstr(b, o, "last_name", last);
    jbool(b, o, "can_access_closed", 1);
    jbool(b, o, "is_closed", 0);
    if (u->deact)
        jstr(b, o, "deactivated", u->deact == DS_DELETED ? "deleted" : "banned");
    if ((fields & UF_CITY) && u->city >= 0) {
        cJSON *c = jobj(b);
        jnum(b, c, "id", (double)geo_get()->cities[u->city].id);
        jstr(b, c, "title",
             hostile_text(ctx, geo_get()->cities[u->city].title, text, sizeof(text)));
        jput(b, o, "city", c);
    }
    if (fields & UF_SEX)
        jnum(b, o, "sex", u->sex);
    if (fields & UF_PHOTO_50) {
        snprintf(url, sizeof(url), "https://fakevk.invalid/u%lld_50.jpg", (long long)uid);
        jstr(b, o, "photo_50", url);
    }
    if (fields & UF_PHOTO_100) {
        snprintf(url, sizeof(url), "https://fakevk.invalid/u%lld_100.jpg", (long long)uid);
        jstr(b, o, "photo_100", url);
    }
    snprintf(url, sizeof(url), "id%lld", (long long)uid);
    if (fields & UF_SCREEN_NAME)
        jstr(b, o, "screen_name", url);
    if (fields & UF_DOMAIN)
        jstr(b, o, "domain", url);
    return o;
}

/* A groups_group_full object; outside groups (negative ids not in the dataset) are synthesized. */
cJSON *group_json(struct jb *b, const struct vk_ctx *ctx, int64_t gid, int members_count)
{
    const struct ds_group *g = ds_group_by_id(ctx->ds, gid);
    char url[128], sn[64], name[96], text[512];
    cJSON *o = jobj(b);
    jnum(b, o, "id", (double)gid);
    if (g) {
        jstr(b, o, "name", hostile_text(ctx, g->name, text, sizeof(text)));
        snprintf(sn, sizeof(sn), "%s%s", g->screen_name,
                 ctx->cfg->hostile & HOSTILE_RENAMED ? RENAMED_SUFFIX : "");
        jstr(b, o, "screen_name", sn);
    } else {
        snprintf(sn, sizeof(sn), "club%lld", (long long)gid);
        snprintf(name, sizeof(name), "Внешнее сообщество %lld", (long long)gid);
        jstr(b, o, "name", name);
        jstr(b, o, "screen_name", sn);
    }
    jnum(b, o, "is_closed", 0);
    jstr(b, o, "type", g ? "group" : "page");
    if (g && !ctx->service) {
        int admin = !ctx->member &&
                    (ctx->cfg->admin_all || methods_id_in(ctx->cfg->admin, ctx->cfg->n_admin, gid));
        jnum(b, o, "is_admin", admin);
        if (admin)
            jnum(b, o, "admin_level", 3);
        jnum(b, o, "is_member", 0);
        jnum(b, o, "is_advertiser", 0);
    }
    if (g && members_count)
        jnum(b, o, "members_count",
             ctx->cfg->hostile & HOSTILE_HUGE_COUNT ? 1e12 : (double)ds_members_count(g, ctx->now));
    static const int sizes[] = {50, 100, 200};
    for (size_t i = 0; i < 3; i++) {
        char key[16];
        snprintf(key, sizeof(key), "photo_%d", sizes[i]);
        snprintf(url, sizeof(url), "https://fakevk.invalid/g%lld_%d.jpg", (long long)gid, sizes[i]);
        jstr(b, o, key, url);
    }
    return o;
}

/* The inner object of copy_history: the original as VK shows it inside a repost. */
cJSON *copy_json(struct jb *b, int64_t id, int64_t owner_id, int64_t from_id, int64_t date,
                 uint16_t text)
{
    cJSON *o = jobj(b);
    jstr(b, o, "inner_type", "wall_wallpost");
    jnum(b, o, "id", (double)id);
    jnum(b, o, "owner_id", (double)owner_id);
    jnum(b, o, "from_id", (double)from_id);
    jnum(b, o, "date", (double)date);
    jstr(b, o, "post_type", "post");
    jstr(b, o, "text", tables_post_texts[text % tables_n_post_texts]);
    jput(b, o, "attachments", jarr(b));
    cJSON *src = jobj(b);
    jstr(b, src, "type", "vk");
    jput(b, o, "post_source", src);
    return o;
}

/* Counters shared by posts: comments, likes, reposts, views. */
void counters_json(struct jb *b, cJSON *o, int64_t comments, int can_comment, int64_t likes,
                   int64_t wall_reposts, int64_t mail_reposts, int64_t views)
{
    cJSON *c = jobj(b);
    jnum(b, c, "can_post", can_comment);
    jnum(b, c, "count", (double)comments);
    jbool(b, c, "groups_can_post", can_comment);
    jput(b, o, "comments", c);
    cJSON *l = jobj(b);
    jnum(b, l, "can_like", 1);
    jnum(b, l, "count", (double)likes);
    jnum(b, l, "user_likes", 0);
    jnum(b, l, "can_publish", 1);
    jput(b, o, "likes", l);
    cJSON *r = jobj(b);
    jnum(b, r, "count", (double)(wall_reposts + mail_reposts));
    jnum(b, r, "wall_count", (double)wall_reposts);
    jnum(b, r, "mail_count", (double)mail_reposts);
    jnum(b, r, "user_reposted", 0);
    jput(b, o, "reposts", r);
    if (views >= 0) {
        cJSON *v = jobj(b);
        jnum(b, v, "count", (double)views);
        jput(b, o, "views", v);
    }
}

/* A wall_wallpost_full object for a group post, counters as of ctx->now. */
cJSON *post_json(struct jb *b, const struct vk_ctx *ctx, const struct ds_post *p)
{
    int64_t t = ctx->now;
    cJSON *o = jobj(b);
    jstr(b, o, "inner_type", "wall_wallpost");
    jnum(b, o, "id", (double)p->id);
    jnum(b, o, "owner_id", (double)p->owner_id);
    jnum(b, o, "from_id", (double)p->from_id);
    jnum(b, o, "date", (double)p->date);
    jnum(b, o, "marked_as_ads", 0);
    jstr(b, o, "post_type", "post");
    jstr(b, o, "text", tables_post_texts[p->text % tables_n_post_texts]);
    if (p->is_pinned)
        jnum(b, o, "is_pinned", 1);
    if (p->signer_id)
        jnum(b, o, "signer_id", (double)p->signer_id);
    jput(b, o, "attachments", jarr(b));
    cJSON *src = jobj(b);
    jstr(b, src, "type", "vk"); /* the schema knows no "suggest" source */
    jput(b, o, "post_source", src);
    if (p->copy_post_id) {
        cJSON *h = jarr(b);
        jpush(b, h,
              copy_json(b, p->copy_post_id, p->copy_owner_id, p->copy_from_id, p->copy_date,
                        p->copy_text));
        jput(b, o, "copy_history", h);
    }
    counters_json(b, o, (int64_t)ds_comments_total(p, t), !p->comments_closed,
                  (int64_t)ds_likes_visible(p, t), (int64_t)ds_reposts_visible(p, t),
                  (int64_t)ds_mail_visible(p, t), ds_views(p, t));
    return o;
}

/* A wall_wall_comment object; top-level comments carry their thread with @thread_items replies
 * (thread_items < 0: no thread object, for replies). */
cJSON *comment_json(struct jb *b, const struct vk_ctx *ctx, const struct ds_post *p,
                    const struct ds_comment *c, const struct ds_comment *root, int64_t thread_items,
                    int need_likes)
{
    cJSON *o = jobj(b);
    jnum(b, o, "id", (double)c->id);
    jnum(b, o, "from_id", c->deleted ? 0.0 : (double)c->from_id);
    jnum(b, o, "date", (double)c->date);
    jstr(b, o, "text", c->deleted ? "" : tables_comment_texts[c->text % tables_n_comment_texts]);
    jnum(b, o, "post_id", (double)p->id);
    jnum(b, o, "owner_id", (double)p->owner_id);
    cJSON *stack = jarr(b);
    if (root)
        jpush_num(b, stack, (double)root->id);
    jput(b, o, "parents_stack", stack);
    if (root) {
        jnum(b, o, "reply_to_user", (double)c->reply_to_user);
        jnum(b, o, "reply_to_comment", (double)c->reply_to_comment);
    }
    if (c->deleted)
        jbool(b, o, "deleted", 1);
    if (need_likes) {
        cJSON *l = jobj(b);
        jnum(b, l, "can_like", 1);
        jnum(b, l, "count", 0);
        jnum(b, l, "user_likes", 0);
        jnum(b, l, "can_publish", 0);
        jput(b, o, "likes", l);
    }
    if (!root && thread_items >= 0) {
        size_t n = ds_replies_visible(c, ctx->now);
        cJSON *th = jobj(b);
        jnum(b, th, "count", (double)n);
        cJSON *items = jarr(b);
        for (size_t i = 0; i < n && (int64_t)i < thread_items; i++)
            jpush(b, items, comment_json(b, ctx, p, &c->replies[i], c, -1, need_likes));
        jput(b, th, "items", items);
        jbool(b, th, "can_post", !p->comments_closed);
        jbool(b, th, "show_reply_button", 1);
        jbool(b, th, "groups_can_post", 1);
        jput(b, o, "thread", th);
    }
    return o;
}

/* ==== id sets for extended answers =========================================================== */

void idset_add(struct idset *s, int64_t id)
{
    if (id == 0 || s->n == sizeof(s->ids) / sizeof(s->ids[0]))
        return;
    for (size_t i = 0; i < s->n; i++)
        if (s->ids[i] == id)
            return;
    s->ids[s->n++] = id;
}

/* Adds "profiles" and "groups" arrays built from the owner ids in @s. */
void extended_json(struct jb *b, const struct vk_ctx *ctx, cJSON *o, const struct idset *s)
{
    cJSON *profiles = jarr(b), *groups = jarr(b);
    for (size_t i = 0; i < s->n; i++) {
        if (s->ids[i] > 0)
            jpush(b, profiles, user_json(b, ctx, s->ids[i], UF_SEX | UF_PHOTO_50, NULL));
        else
            jpush(b, groups, group_json(b, ctx, -s->ids[i], 0));
    }
    jput(b, o, "profiles", profiles);
    jput(b, o, "groups", groups);
}
