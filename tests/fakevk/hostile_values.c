/* hostile_values.c: hostile answers whose numbers and dates lie (issue 22): a post deleted
 * while the wall is paged, impossible post dates, negative, unbounded and future stats.get
 * figures, a cut or inconsistent city directory, an endless wall; and utils.getServerTime, the
 * clock they are judged by. */
#include <string.h>

#include "methods_int.h"

/* ==== utils.getServerTime ===================================================================== */

cJSON *m_utils_get_server_time(const struct vk_ctx *ctx, const struct params *p,
                               struct vk_error *err)
{
    (void)p;
    cJSON *t = cJSON_CreateNumber((double)ctx->now);
    return t ? t : vk_error_set(err, 10, "Internal server error: out of memory");
}

/* ==== wall.get: a post deleted while the wall is paged ======================================== */

int64_t hostile_wall_shift(const struct vk_ctx *ctx, int64_t offset)
{
    /* HOSTILE_ENDLESS_WALL: every page is page 0. */
    if (ctx->cfg->hostile & HOSTILE_ENDLESS_WALL)
        return -offset;
    /* The newest post goes once page 0 has been read: every later page starts a place
     * further on, and the wall counts one fewer (VK's offset race). */
    return ctx->cfg->hostile & HOSTILE_WALL_DELETE && offset > 0 ? 1 : 0;
}

/* ==== answers rewritten after they are built ================================================== */

/* Sets number field @key of @o (which must exist) to @v. */
static void set_num(cJSON *o, const char *key, double v)
{
    cJSON *f = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsNumber(f))
        cJSON_SetNumberValue(f, v);
}

/* HOSTILE_BAD_DATE: the sixth post of the first page is dated -1. */
static void bad_date(const struct params *p, cJSON *resp)
{
    const char *off = params_get(p, "offset");
    if (off && *off && strcmp(off, "0") != 0)
        return;
    set_num(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(resp, "items"), 5), "date", -1);
}

/* HOSTILE_STATS_*: the second day subscribed -5000, or the first day's figures 9e18, or the
 * first day begins in 2100. */
static void bad_stats(unsigned hostile, cJSON *resp)
{
    cJSON *day = cJSON_GetArrayItem(resp, hostile & HOSTILE_STATS_NEGATIVE ? 1 : 0);
    if (!day)
        return;
    if (hostile & HOSTILE_STATS_NEGATIVE)
        set_num(cJSON_GetObjectItemCaseSensitive(day, "activity"), "subscribed", -5000);
    if (hostile & HOSTILE_STATS_HUGE)
        set_num(cJSON_GetObjectItemCaseSensitive(day, "visitors"), "views", 9e18);
    if (hostile & HOSTILE_STATS_FUTURE) {
        set_num(day, "period_from", 4102444800.0);
        set_num(day, "period_to", 4102444800.0 + 86400);
    }
}

/* HOSTILE_CUT_DIRECTORY: database.getCities lists only the first 500 localities of a
 * region, and still counts them all. */
static void cut_directory(const struct params *p, cJSON *resp)
{
    const char *off = params_get(p, "offset");
    int64_t offset = 0;
    cJSON *items = cJSON_GetObjectItemCaseSensitive(resp, "items");
    if (off && *off && parse_i64(off, &offset))
        offset = 0;
    while (cJSON_IsArray(items) && cJSON_GetArraySize(items) > 0 &&
           offset + cJSON_GetArraySize(items) > 500)
        cJSON_DeleteItemFromArray(items, cJSON_GetArraySize(items) - 1);
}

/* HOSTILE_DUP_CITY: the first locality of page 0 listed again with another area. */
static void dup_city(const struct params *p, cJSON *resp)
{
    const char *off = params_get(p, "offset");
    cJSON *items = cJSON_GetObjectItemCaseSensitive(resp, "items");
    cJSON *copy = cJSON_Duplicate(cJSON_GetArrayItem(items, 0), 1);
    if ((off && *off && strcmp(off, "0") != 0) || !copy) {
        cJSON_Delete(copy);
        return;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(copy, "area");
    if (!cJSON_AddStringToObject(copy, "area", "Другой район") ||
        !cJSON_AddItemToArray(items, copy))
        cJSON_Delete(copy);
}

cJSON *hostile_values(const struct vk_ctx *ctx, const char *method, const struct params *p,
                      cJSON *resp)
{
    unsigned h = ctx->cfg->hostile;
    if (!resp)
        return resp;
    if (h & HOSTILE_BAD_DATE && strcmp(method, "wall.get") == 0)
        bad_date(p, resp);
    if (h & (HOSTILE_STATS_NEGATIVE | HOSTILE_STATS_HUGE | HOSTILE_STATS_FUTURE) &&
        strcmp(method, "stats.get") == 0)
        bad_stats(h, resp);
    if (h & HOSTILE_CUT_DIRECTORY && strcmp(method, "database.getCities") == 0)
        cut_directory(p, resp);
    if (h & HOSTILE_DUP_CITY && strcmp(method, "database.getCities") == 0)
        dup_city(p, resp);
    if (h & HOSTILE_ENDLESS_WALL && strcmp(method, "wall.get") == 0)
        set_num(resp, "count", 1e12);
    return resp;
}
