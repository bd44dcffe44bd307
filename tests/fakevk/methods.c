/* methods.c: the method table, and the kit every method uses: JSON building, parameters and
 * the hostile answers. The methods themselves are in methods_*.c. */
#include "methods.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "methods_int.h"

/* ==== JSON building =========================================================================== */

cJSON *jobj(struct jb *b)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        b->oom = 1;
    return o;
}

cJSON *jarr(struct jb *b)
{
    cJSON *a = cJSON_CreateArray();
    if (!a)
        b->oom = 1;
    return a;
}

void jnum(struct jb *b, cJSON *o, const char *k, double v)
{
    if (!o || !cJSON_AddNumberToObject(o, k, v))
        b->oom = 1;
}

void jstr(struct jb *b, cJSON *o, const char *k, const char *v)
{
    if (!o || !cJSON_AddStringToObject(o, k, v))
        b->oom = 1;
}

void jbool(struct jb *b, cJSON *o, const char *k, int v)
{
    if (!o || !cJSON_AddBoolToObject(o, k, v))
        b->oom = 1;
}

/* Adds @item under @k, taking ownership (freed if it cannot be added). */
void jput(struct jb *b, cJSON *o, const char *k, cJSON *item)
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
void jpush(struct jb *b, cJSON *a, cJSON *item)
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

void jpush_num(struct jb *b, cJSON *a, double v)
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
cJSON *jdone(struct jb *b, cJSON *o, struct vk_error *err)
{
    if (b->oom) {
        cJSON_Delete(o);
        return vk_error_set(err, 10, "Internal server error: out of memory");
    }
    return o;
}

/* ==== parameters ============================================================================== */

/* Optional integer: absent or empty gives @def. Returns 0, or -1 with error 100 set. */
int opt_int(const struct params *p, const char *key, int64_t def, int64_t *out,
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
int req_int(const struct params *p, const char *key, int64_t *out, struct vk_error *err)
{
    const char *v = params_get(p, key);
    if (!v || !*v) {
        vk_error_set(err, 100, BAD_PARAM "%s is undefined", key);
        return -1;
    }
    return opt_int(p, key, 0, out, err);
}

/* A 0/1 flag ("1", "true" are true). */
int opt_bool(const struct params *p, const char *key)
{
    const char *v = params_get(p, key);
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* offset >= 0 and count in [0, max] (larger counts are clipped to max, as VK does). */
int paging(const struct params *p, int64_t def_count, int64_t max, int64_t *offset, int64_t *count,
           struct vk_error *err)
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

static const char *const hostile_names[] = {
    "huge-count",   "short-pages", "dup-pages",     "shift",    "control",
    "zero-like",    "renamed",     "wall-delete",   "bad-date", "stats-negative",
    "stats-future", "stats-huge",  "cut-directory", "dup-city", "endless-wall"};

/* A group by id, clubN or screen name, as the server's settings name it. */
const struct ds_group *group_find(const struct vk_ctx *ctx, const char *key)
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
const char *hostile_text(const struct vk_ctx *ctx, const char *name, char *buf, size_t len)
{
    if (!(ctx->cfg->hostile & HOSTILE_CONTROL))
        return name;
    snprintf(buf, len, "\033[2J\033]0;pwned\007%s\r\nvkpulse: run #99 ok\n\033[1;31m", name);
    return buf;
}

/* 1 if the comma-separated list @list holds @word. */
int list_has(const char *list, const char *word)
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
const struct ds_group *owner_group(const struct vk_ctx *ctx, int64_t owner_id, const char *key,
                                   struct vk_error *err)
{
    const struct ds_group *g = owner_id < 0 ? ds_group_by_id(ctx->ds, -owner_id) : NULL;
    if (g)
        return g;
    if (owner_id > 0 && ds_user_by_id(ctx->ds, owner_id))
        return vk_error_set(err, 30, "This profile is private");
    return vk_error_set(err, 100, BAD_PARAM "%s is invalid", key);
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
    {"utils.getServerTime", m_utils_get_server_time},
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
    return hostile_values(ctx, method_table[idx].name, p, method_table[idx].fn(ctx, p, err));
}
