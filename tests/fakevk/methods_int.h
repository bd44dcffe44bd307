/* methods_int.h: what methods.c and the methods_*.c files share, private to them: the JSON
 * builder, parameter readers, hostile answers, the VK objects and the method handlers. */
#ifndef FV_METHODS_INT_H
#define FV_METHODS_INT_H

#include "methods.h"

#define BAD_PARAM "One of the parameters specified was missing or invalid: "
#define RENAMED_SUFFIX "_v2" /* HOSTILE_RENAMED: a group's screen name now */

/* ==== JSON building (methods.c) =============================================================== */

/* Collects allocation failures while a cJSON tree is built, so every call need not check. */
struct jb {
    int oom; /* set once any allocation failed */
};

cJSON *jobj(struct jb *b);
cJSON *jarr(struct jb *b);
void jnum(struct jb *b, cJSON *o, const char *k, double v);
void jstr(struct jb *b, cJSON *o, const char *k, const char *v);
void jbool(struct jb *b, cJSON *o, const char *k, int v);
/* Adds @item under @k, taking ownership (freed if it cannot be added). */
void jput(struct jb *b, cJSON *o, const char *k, cJSON *item);
/* Appends @item to @a, taking ownership. */
void jpush(struct jb *b, cJSON *a, cJSON *item);
void jpush_num(struct jb *b, cJSON *a, double v);
/* Returns the finished tree, or frees it and reports error 10 when any allocation failed. */
cJSON *jdone(struct jb *b, cJSON *o, struct vk_error *err);

/* ==== parameters (methods.c) ================================================================== */

/* Optional integer: absent or empty gives @def. Returns 0, or -1 with error 100 set. */
int opt_int(const struct params *p, const char *key, int64_t def, int64_t *out,
            struct vk_error *err);
/* Required integer. Returns 0, or -1 with error 100 set. */
int req_int(const struct params *p, const char *key, int64_t *out, struct vk_error *err);
/* A 0/1 flag ("1", "true" are true). */
int opt_bool(const struct params *p, const char *key);
/* offset >= 0 and count in [0, max] (larger counts are clipped to max, as VK does). */
int paging(const struct params *p, int64_t def_count, int64_t max, int64_t *offset, int64_t *count,
           struct vk_error *err);
/* 1 if the comma-separated list @list holds @word. */
int list_has(const char *list, const char *word);

/* ==== hostile answers and owners (methods.c) ================================================== */

/* A group by id, clubN or screen name, as the server's settings name it. */
const struct ds_group *group_find(const struct vk_ctx *ctx, const char *key);
/* A name as HOSTILE_CONTROL serves it (in @buf), else @name itself. */
const char *hostile_text(const struct vk_ctx *ctx, const char *name, char *buf, size_t len);
/* A group given as owner_id (negative), or error 100 / 30. */
const struct ds_group *owner_group(const struct vk_ctx *ctx, int64_t owner_id, const char *key,
                                   struct vk_error *err);

/* ==== objects (methods_objects.c) ============================================================= */

/* Which optional user fields were asked for. */
enum {
    UF_CITY = 1,
    UF_SEX = 2,
    UF_PHOTO_50 = 4,
    UF_PHOTO_100 = 8,
    UF_SCREEN_NAME = 16,
    UF_DOMAIN = 32,
};

/* The UF_* bits of the "fields" parameter. */
unsigned user_fields(const struct params *p);
/* A users_user_full object for a dataset user. */
cJSON *user_json(struct jb *b, const struct vk_ctx *ctx, int64_t uid, unsigned fields,
                 const char *type);
/* A groups_group_full object; outside groups (negative ids not in the dataset) are synthesized. */
cJSON *group_json(struct jb *b, const struct vk_ctx *ctx, int64_t gid, int members_count);
/* The inner object of copy_history: the original as VK shows it inside a repost. */
cJSON *copy_json(struct jb *b, int64_t id, int64_t owner_id, int64_t from_id, int64_t date,
                 uint16_t text);
/* Counters shared by posts: comments, likes, reposts, views. */
void counters_json(struct jb *b, cJSON *o, int64_t comments, int can_comment, int64_t likes,
                   int64_t wall_reposts, int64_t mail_reposts, int64_t views);
/* A wall_wallpost_full object for a group post, counters as of ctx->now. */
cJSON *post_json(struct jb *b, const struct vk_ctx *ctx, const struct ds_post *p);
/* A wall_wall_comment object; top-level comments carry their thread with @thread_items replies
 * (thread_items < 0: no thread object, for replies). */
cJSON *comment_json(struct jb *b, const struct vk_ctx *ctx, const struct ds_post *p,
                    const struct ds_comment *c, const struct ds_comment *root, int64_t thread_items,
                    int need_likes);

/* A small set of owner ids (users positive, groups negative) in first-seen order. */
struct idset {
    int64_t ids[512]; /* the ids; a page never names more than a few hundred owners */
    size_t n;         /* entries in use */
};

void idset_add(struct idset *s, int64_t id);
/* Adds "profiles" and "groups" arrays built from the owner ids in @s. */
void extended_json(struct jb *b, const struct vk_ctx *ctx, cJSON *o, const struct idset *s);

/* ==== the methods (methods_groups.c, methods_wall.c, methods_database.c) ===================== */

/* Each returns the value of "response", or NULL with @err filled, as methods_call. */
cJSON *m_groups_get_by_id(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err);
cJSON *m_groups_get_members(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err);
cJSON *m_stats_get(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err);
cJSON *m_users_get(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err);
cJSON *m_wall_get(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err);
cJSON *m_likes_get_list(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err);
cJSON *m_wall_get_comments(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err);
cJSON *m_wall_get_reposts(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err);
cJSON *m_database_get_regions(const struct vk_ctx *ctx, const struct params *p,
                              struct vk_error *err);
cJSON *m_database_get_cities(const struct vk_ctx *ctx, const struct params *p,
                             struct vk_error *err);
cJSON *m_database_get_cities_by_id(const struct vk_ctx *ctx, const struct params *p,
                                   struct vk_error *err);

/* ==== hostile numbers and dates, and the server's clock (hostile_values.c) =================== */

cJSON *m_utils_get_server_time(const struct vk_ctx *ctx, const struct params *p,
                               struct vk_error *err);
/* HOSTILE_WALL_DELETE: places wall page @offset moves on (a post deleted after page 0). */
int64_t hostile_wall_shift(const struct vk_ctx *ctx, int64_t offset);
/* The HOSTILE_* kinds that rewrite numbers and dates of a built answer @resp of @method
 * (NULL passes through); returns @resp. */
cJSON *hostile_values(const struct vk_ctx *ctx, const char *method, const struct params *p,
                      cJSON *resp);

#endif
