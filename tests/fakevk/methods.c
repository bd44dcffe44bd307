/* methods.c: the VK API methods the fake serves, each turning parameters into a cJSON answer. */
#include "methods.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "geo.h"
#include "tables.h"

/* ==== JSON building =========================================================================== */

/* Collects allocation failures while a cJSON tree is built, so every call need not check. */
struct jb {
    int oom; /* set once any allocation failed */
};

static cJSON *jobj(struct jb *b)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        b->oom = 1;
    return o;
}

static cJSON *jarr(struct jb *b)
{
    cJSON *a = cJSON_CreateArray();
    if (!a)
        b->oom = 1;
    return a;
}

static void jnum(struct jb *b, cJSON *o, const char *k, double v)
{
    if (!o || !cJSON_AddNumberToObject(o, k, v))
        b->oom = 1;
}

static void jstr(struct jb *b, cJSON *o, const char *k, const char *v)
{
    if (!o || !cJSON_AddStringToObject(o, k, v))
        b->oom = 1;
}

static void jbool(struct jb *b, cJSON *o, const char *k, int v)
{
    if (!o || !cJSON_AddBoolToObject(o, k, v))
        b->oom = 1;
}

/* Adds @item under @k, taking ownership (freed if it cannot be added). */
static void jput(struct jb *b, cJSON *o, const char *k, cJSON *item)
{
    if (!item) {
        b->oom = 1;
        return;
    }
    if (!o || !cJSON_AddItemToObject(o, k, item)) {
        cJSON_Delete(item);
        b->oom = 1;
    }
}

/* Appends @item to @a, taking ownership. */
static void jpush(struct jb *b, cJSON *a, cJSON *item)
{
    if (!item) {
        b->oom = 1;
        return;
    }
    if (!a || !cJSON_AddItemToArray(a, item)) {
        cJSON_Delete(item);
        b->oom = 1;
    }
}

static void jpush_num(struct jb *b, cJSON *a, double v)
{
    jpush(b, a, cJSON_CreateNumber(v));
}

void *vk_error_set(struct vk_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return NULL;
}

/* Returns the finished tree, or frees it and reports error 10 when any allocation failed. */
static cJSON *jdone(struct jb *b, cJSON *o, struct vk_error *err)
{
    if (b->oom) {
        cJSON_Delete(o);
        return vk_error_set(err, 10, "Internal server error: out of memory");
    }
    return o;
}

/* ==== parameters ============================================================================== */

#define BAD_PARAM "One of the parameters specified was missing or invalid: "

/* Optional integer: absent or empty gives @def. Returns 0, or -1 with error 100 set. */
static int opt_int(const struct params *p, const char *key, int64_t def, int64_t *out,
                   struct vk_error *err)
{
    const char *v = params_get(p, key);
    if (!v || !*v) {
        *out = def;
        return 0;
    }
    if (parse_i64(v, out)) {
        vk_error_set(err, 100, BAD_PARAM "%s not integer", key);
        return -1;
    }
    return 0;
}

/* Required integer. Returns 0, or -1 with error 100 set. */
static int req_int(const struct params *p, const char *key, int64_t *out, struct vk_error *err)
{
    const char *v = params_get(p, key);
    if (!v || !*v) {
        vk_error_set(err, 100, BAD_PARAM "%s is undefined", key);
        return -1;
    }
    return opt_int(p, key, 0, out, err);
}

/* A 0/1 flag ("1", "true" are true). */
static int opt_bool(const struct params *p, const char *key)
{
    const char *v = params_get(p, key);
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* offset >= 0 and count in [0, max] (larger counts are clipped to max, as VK does). */
static int paging(const struct params *p, int64_t def_count, int64_t max, int64_t *offset,
                  int64_t *count, struct vk_error *err)
{
    if (opt_int(p, "offset", 0, offset, err) || opt_int(p, "count", def_count, count, err))
        return -1;
    if (*offset < 0) {
        vk_error_set(err, 100, BAD_PARAM "offset should be positive");
        return -1;
    }
    if (*count < 0) {
        vk_error_set(err, 100, BAD_PARAM "count should be positive");
        return -1;
    }
    if (*count > max)
        *count = max;
    return 0;
}

/* ==== hostile answers ========================================================================= */

static const char *const hostile_names[] = {"huge-count", "short-pages", "dup-pages", "shift",
                                            "control",    "zero-like",   "renamed"};

#define RENAMED_SUFFIX "_v2"

/* A group by id, clubN or screen name, as the server's settings name it. */
static const struct ds_group *group_find(const struct vk_ctx *ctx, const char *key)
{
    char old[128];
    size_t n = strlen(key), sl = strlen(RENAMED_SUFFIX);
    const struct ds_group *g;
    if (!(ctx->cfg->hostile & HOSTILE_RENAMED))
        return ds_group_find(ctx->ds, key);
    if (n > sl && n - sl < sizeof(old) && strcmp(key + n - sl, RENAMED_SUFFIX) == 0) {
        memcpy(old, key, n - sl);
        old[n - sl] = '\0';
        g = ds_group_find(ctx->ds, old);
        return g && strcmp(g->screen_name, old) == 0 ? g : NULL;
    }
    g = ds_group_find(ctx->ds, key);
    /* The old screen name is free now; ids and clubN still work. */
    return g && strcasecmp(g->screen_name, key) == 0 ? NULL : g;
}

int methods_hostile_parse(const char *list, unsigned *out)
{
    char word[32];
    *out = 0;
    while (*list) {
        size_t n = strcspn(list, ",");
        unsigned bit = 0;
        if (n < sizeof(word)) {
            memcpy(word, list, n);
            word[n] = '\0';
            for (size_t i = 0; i < sizeof(hostile_names) / sizeof(hostile_names[0]); i++)
                if (strcmp(word, hostile_names[i]) == 0)
                    bit = 1u << i;
        }
        if (!bit)
            return -1;
        *out |= bit;
        list += n + (list[n] == ',');
    }
    return *out ? 0 : -1;
}

/* A name as HOSTILE_CONTROL serves it: terminal escapes that clear the screen and set the
 * window title, a carriage return, and a forged log line after a newline. */
static const char *hostile_text(const struct vk_ctx *ctx, const char *name, char *buf, size_t len)
{
    if (!(ctx->cfg->hostile & HOSTILE_CONTROL))
        return name;
    snprintf(buf, len, "\033[2J\033]0;pwned\007%s\r\nvkpulse: run #99 ok\n\033[1;31m", name);
    return buf;
}

/* 1 if the comma-separated list @list holds @word. */
static int list_has(const char *list, const char *word)
{
    size_t wl = strlen(word);
    const char *s = list;
    while (s && *s) {
        while (*s == ' ' || *s == ',')
            s++;
        const char *e = s;
        while (*e && *e != ',')
            e++;
        const char *t = e;
        while (t > s && t[-1] == ' ')
            t--;
        if ((size_t)(t - s) == wl && memcmp(s, word, wl) == 0)
            return 1;
        s = e;
    }
    return 0;
}

int methods_id_in(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* A group given as owner_id (negative), or error 100 / 30. */
static const struct ds_group *owner_group(const struct vk_ctx *ctx, int64_t owner_id,
                                          const char *key, struct vk_error *err)
{
    const struct ds_group *g = owner_id < 0 ? ds_group_by_id(ctx->ds, -owner_id) : NULL;
    if (g)
        return g;
    if (owner_id > 0 && ds_user_by_id(ctx->ds, owner_id))
        return vk_error_set(err, 30, "This profile is private");
    return vk_error_set(err, 100, BAD_PARAM "%s is invalid", key);
}

/* ==== objects ================================================================================= */

/* Which optional user fields were asked for. */
enum {
    UF_CITY = 1,
    UF_SEX = 2,
    UF_PHOTO_50 = 4,
    UF_PHOTO_100 = 8,
    UF_SCREEN_NAME = 16,
    UF_DOMAIN = 32,
};

static unsigned user_fields(const struct params *p)
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
static cJSON *user_json(struct jb *b, const struct vk_ctx *ctx, int64_t uid, unsigned fields,
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
        jstr(b, c, "title", hostile_text(ctx, geo_get()->cities[u->city].title, text, sizeof(text)));
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
static cJSON *group_json(struct jb *b, const struct vk_ctx *ctx, int64_t gid, int members_count)
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
        int admin = ctx->cfg->admin_all || methods_id_in(ctx->cfg->admin, ctx->cfg->n_admin, gid);
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
static cJSON *copy_json(struct jb *b, int64_t id, int64_t owner_id, int64_t from_id, int64_t date,
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
static void counters_json(struct jb *b, cJSON *o, int64_t comments, int can_comment, int64_t likes,
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
static cJSON *post_json(struct jb *b, const struct vk_ctx *ctx, const struct ds_post *p)
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
static cJSON *comment_json(struct jb *b, const struct vk_ctx *ctx, const struct ds_post *p,
                           const struct ds_comment *c, const struct ds_comment *root,
                           int64_t thread_items, int need_likes)
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

/* A small set of owner ids (users positive, groups negative) in first-seen order. */
struct idset {
    int64_t ids[512]; /* the ids; a page never names more than a few hundred owners */
    size_t n;         /* entries in use */
};

static void idset_add(struct idset *s, int64_t id)
{
    if (id == 0 || s->n == sizeof(s->ids) / sizeof(s->ids[0]))
        return;
    for (size_t i = 0; i < s->n; i++)
        if (s->ids[i] == id)
            return;
    s->ids[s->n++] = id;
}

/* Adds "profiles" and "groups" arrays built from the owner ids in @s. */
static void extended_json(struct jb *b, const struct vk_ctx *ctx, cJSON *o, const struct idset *s)
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

/* ==== groups.getById ========================================================================== */

static cJSON *m_groups_get_by_id(const struct vk_ctx *ctx, const struct params *p,
                                 struct vk_error *err)
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

static cJSON *m_groups_get_members(const struct vk_ctx *ctx, const struct params *p,
                                   struct vk_error *err)
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
        int admin = !ctx->service && (ctx->cfg->admin_all ||
                                      methods_id_in(ctx->cfg->admin, ctx->cfg->n_admin, g->id));
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

static cJSON *m_wall_get(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err)
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
    int64_t total = 0;
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
    jnum(&b, resp, "count", (double)total);
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

static cJSON *m_likes_get_list(const struct vk_ctx *ctx, const struct params *p,
                               struct vk_error *err)
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

static cJSON *m_wall_get_comments(const struct vk_ctx *ctx, const struct params *p,
                                  struct vk_error *err)
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

static cJSON *m_wall_get_reposts(const struct vk_ctx *ctx, const struct params *p,
                                 struct vk_error *err)
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

static cJSON *m_stats_get(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err)
{
    struct jb b = {0};
    int64_t gid, from, to, intervals;
    const char *interval = params_get(p, "interval");
    struct day_stats *d = NULL;
    if (ctx->service)
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

static cJSON *m_users_get(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err)
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

/* ==== database.getRegions, database.getCities, database.getCitiesById
 * ============================= */

/* Copies s into out folding Cyrillic and Latin capitals (А-Я, Ё, A-Z) to small letters. */
static void fold_lower(const char *s, char *out, size_t len)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && o + 2 < len) {
        unsigned char a = p[0], b = p[1];
        if (a == 0xD0 && b >= 0x90 && b <= 0x9F) { /* А..П → а..п */
            out[o++] = (char)0xD0;
            out[o++] = (char)(b + 0x20);
            p += 2;
        } else if (a == 0xD0 && b >= 0xA0 && b <= 0xAF) { /* Р..Я → р..я */
            out[o++] = (char)0xD1;
            out[o++] = (char)(b - 0x20);
            p += 2;
        } else if (a == 0xD0 && b == 0x81) { /* Ё → ё */
            out[o++] = (char)0xD1;
            out[o++] = (char)0x91;
            p += 2;
        } else {
            out[o++] = (char)(a >= 'A' && a <= 'Z' ? a + 32 : a);
            p++;
        }
    }
    out[o] = '\0';
}

/* 1 when title contains the query q (case-insensitive), or q is empty. */
static int title_matches(const char *title, const char *q)
{
    char t[256], k[256];
    if (!q || !*q)
        return 1;
    fold_lower(title, t, sizeof t);
    fold_lower(q, k, sizeof k);
    return strstr(t, k) != NULL;
}

/* country_id, when given, must be Russia: the only country the fake knows. */
static int russia_only(const struct params *p, struct vk_error *err)
{
    int64_t country;
    if (opt_int(p, "country_id", 1, &country, err))
        return -1;
    if (country != 1) {
        vk_error_set(err, 100, BAD_PARAM "country_id is invalid");
        return -1;
    }
    return 0;
}

static cJSON *m_database_get_regions(const struct vk_ctx *ctx, const struct params *p,
                                     struct vk_error *err)
{
    const struct geo *g = geo_get();
    const char *q = params_get(p, "q");
    int64_t offset, count, total = 0;
    struct jb b = {0};
    (void)ctx;
    if (russia_only(p, err) || paging(p, 100, 1000, &offset, &count, err))
        return NULL;
    cJSON *resp = jobj(&b), *items = jarr(&b);
    for (size_t i = 0; i < g->n_regions; i++) {
        if (!title_matches(g->regions[i].title, q))
            continue;
        if (total >= offset && total < offset + count) {
            cJSON *o = jobj(&b);
            jnum(&b, o, "id", (double)g->regions[i].id);
            jstr(&b, o, "title", g->regions[i].title);
            jpush(&b, items, o);
        }
        total++;
    }
    jnum(&b, resp, "count", (double)total);
    jput(&b, resp, "items", items);
    return jdone(&b, resp, err);
}

/* A database_city object: id, title, and area, region, important when they say something. */
static cJSON *city_json(struct jb *b, const struct geo_city *c, int with_region)
{
    cJSON *o = jobj(b);
    jnum(b, o, "id", (double)c->id);
    jstr(b, o, "title", c->title);
    if (c->area[0])
        jstr(b, o, "area", c->area);
    if (with_region)
        jstr(b, o, "region", geo_region_title(c->region_id));
    if (c->important)
        jnum(b, o, "important", 1);
    return o;
}

static cJSON *m_database_get_cities(const struct vk_ctx *ctx, const struct params *p,
                                    struct vk_error *err)
{
    const struct geo *g = geo_get();
    const char *q = params_get(p, "q");
    int64_t region_id, offset, count, total = 0;
    int need_all = opt_bool(p, "need_all");
    struct jb b = {0};
    (void)ctx;
    if (russia_only(p, err) || opt_int(p, "region_id", 0, &region_id, err) ||
        paging(p, 100, 1000, &offset, &count, err))
        return NULL;
    if (region_id && !geo_region_title(region_id))
        return vk_error_set(err, 100, BAD_PARAM "region_id is invalid");
    cJSON *resp = jobj(&b), *items = jarr(&b);
    /* As VK: without need_all only the important cities; with a region, its localities. */
    for (size_t i = 0; i < g->n_cities; i++) {
        const struct geo_city *c = &g->cities[i];
        if ((region_id && c->region_id != region_id) || (!need_all && !c->important) ||
            !title_matches(c->title, q))
            continue;
        if (total >= offset && total < offset + count)
            jpush(&b, items, city_json(&b, c, !region_id));
        total++;
    }
    jnum(&b, resp, "count", (double)total);
    jput(&b, resp, "items", items);
    return jdone(&b, resp, err);
}

static cJSON *m_database_get_cities_by_id(const struct vk_ctx *ctx, const struct params *p,
                                          struct vk_error *err)
{
    const struct geo *g = geo_get();
    const char *ids = params_get(p, "city_ids");
    struct jb b = {0};
    size_t n = 0;
    (void)ctx;
    cJSON *resp = jarr(&b);
    for (const char *s = ids ? ids : ""; *s;) {
        const char *e = s;
        int64_t id;
        while (*e && *e != ',')
            e++;
        if (++n > 1000) {
            cJSON_Delete(resp);
            return vk_error_set(err, 100, BAD_PARAM "city_ids is too long");
        }
        if (parse_i64n(s, (size_t)(e - s), &id) == 0) {
            for (size_t i = 0; i < g->n_cities; i++) {
                if (g->cities[i].id != id)
                    continue;
                cJSON *o = jobj(&b);
                jnum(&b, o, "id", (double)id);
                jstr(&b, o, "title", g->cities[i].title);
                jpush(&b, resp, o);
                break;
            }
        }
        s = *e ? e + 1 : e;
    }
    return jdone(&b, resp, err);
}

/* ==== the table =============================================================================== */

/* One API method. */
struct method {
    const char *name; /* VK method name */
    cJSON *(*fn)(const struct vk_ctx *, const struct params *, struct vk_error *); /* handler */
};

static const struct method method_table[] = {
    {"groups.getById", m_groups_get_by_id},
    {"groups.getMembers", m_groups_get_members},
    {"wall.get", m_wall_get},
    {"wall.getComments", m_wall_get_comments},
    {"wall.getReposts", m_wall_get_reposts},
    {"likes.getList", m_likes_get_list},
    {"stats.get", m_stats_get},
    {"users.get", m_users_get},
    {"database.getRegions", m_database_get_regions},
    {"database.getCities", m_database_get_cities},
    {"database.getCitiesById", m_database_get_cities_by_id},
};

size_t methods_count(void)
{
    return sizeof(method_table) / sizeof(method_table[0]);
}

const char *methods_name(size_t i)
{
    return i < methods_count() ? method_table[i].name : "";
}

int methods_index(const char *name)
{
    for (size_t i = 0; i < methods_count(); i++)
        if (strcmp(method_table[i].name, name) == 0)
            return (int)i;
    return -1;
}

cJSON *methods_call(const struct vk_ctx *ctx, int idx, const struct params *p, struct vk_error *err)
{
    if (idx < 0 || (size_t)idx >= methods_count())
        return vk_error_set(err, 3, "Unknown method passed");
    return method_table[idx].fn(ctx, p, err);
}
