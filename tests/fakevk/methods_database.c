/* methods_database.c: database.getRegions, database.getCities and database.getCitiesById: the
 * city directory. */
#include <string.h>

#include "geo.h"
#include "methods_int.h"

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

cJSON *m_database_get_regions(const struct vk_ctx *ctx, const struct params *p,
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

cJSON *m_database_get_cities(const struct vk_ctx *ctx, const struct params *p, struct vk_error *err)
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

cJSON *m_database_get_cities_by_id(const struct vk_ctx *ctx, const struct params *p,
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
