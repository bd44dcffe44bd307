/* region.c: `region sync`: database.getRegions/getCities through execute, mapped and stored. */
#include "region.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "log.h"
#include "muni.h"
#include "store.h"
#include "store_region.h"
#include "text.h"
#include "vkapi.h"
#include "vkcall.h"

#define PAGE 1000        /* database.getCities: most localities a page */
#define FIRST_PAGES 3    /* pages asked in the first execute: regions up to 3000 localities */
#define BATCH_MAX 25     /* VK: at most 25 API calls in one execute */
#define MAX_CITIES 60000 /* more than any region has: a hostile answer cannot eat the machine */

/* One locality, copied out of the answer. */
struct city {
    int64_t id;           /* VK city id */
    char *title;          /* as VK writes it */
    char *area;           /* district, "" when none */
    const struct muni *m; /* under the map, NULL when none */
};

/* One sync in progress. */
struct sync {
    const struct config *cfg;  /* [vk], [region] */
    const char *token;         /* the access token, never logged */
    struct vkcall *vc;         /* requests, paced and retried */
    int use_execute;           /* off once VK refuses execute to this token */
    int64_t count;             /* the localities VK says the region has */
    struct city *cities;       /* every locality received */
    size_t ncities, capcities; /* used and allocated */
    char *err;                 /* the caller's message buffer */
    size_t errlen;             /* its size */
};

/* Posts one request (a method, or execute with code in params) through the shared client:
 * the retry and VK error policy are vkcall.c's and vkapi.c's. */
static int call(struct sync *s, const char *method, const cJSON *params, struct vk_reply *r)
{
    return vkcall_post(s->vc, method, params, r, s->err, s->errlen);
}

/* ---- the region ------------------------------------------------------------------- */

/* The VK region id of [region]: vk_region_id, else the getRegions entry titled vk_region. */
static int find_region(struct sync *s, int64_t *id, char *title, size_t titlelen)
{
    const struct config *cfg = s->cfg;
    cJSON *p = cJSON_CreateObject();
    struct vk_reply r;
    struct vk_place *items = NULL;
    size_t n = 0;
    int64_t count;
    char *want = text_fold_dup(cfg->vk_region);
    int rc = VKP_ENOMEM;

    memset(&r, 0, sizeof r);
    if (!p || !want || !cJSON_AddNumberToObject(p, "country_id", 1) ||
        !cJSON_AddStringToObject(p, "q", cfg->vk_region) ||
        !cJSON_AddNumberToObject(p, "count", PAGE))
        goto out;
    if ((rc = call(s, "database.getRegions", p, &r)) != 0)
        goto out;
    if ((rc = vk_parse_places(r.response, &count, &items, &n, s->err, s->errlen)) != 0)
        goto out;
    rc = VKP_ENOTFOUND;
    for (size_t i = 0; i < n; i++) {
        char *got = text_fold_dup(items[i].title);
        int same = got && strcmp(got, want) == 0;
        free(got);
        /* The exact title wins; a single answer to the query is taken as meant. */
        if (same || n == 1) {
            *id = items[i].id;
            text_copy(title, titlelen, items[i].title);
            rc = 0;
            if (same)
                break;
        }
    }
    if (rc != 0)
        snprintf(s->err, s->errlen,
                 "VK knows no region called '%s' (%zu found by that query%s%s): set [region] "
                 "vk_region to VK's title of the region, or vk_region_id",
                 cfg->vk_region, n, n ? ", first: " : "", n ? items[0].title : "");
out:
    if (rc == VKP_ENOMEM)
        snprintf(s->err, s->errlen, "out of memory");
    free(items);
    free(want);
    vk_reply_release(&r);
    cJSON_Delete(p);
    return rc;
}

/* ---- the localities ------------------------------------------------------------------ */

/* Copies one page of localities; *count gets the region's total. */
static int take_page(struct sync *s, const cJSON *resp, int64_t *count, size_t *got)
{
    struct vk_place *items = NULL;
    size_t n = 0;
    int rc = vk_parse_places(resp, count, &items, &n, s->err, s->errlen);

    *got = n;
    if (rc != 0)
        return rc;
    if (s->ncities + n > MAX_CITIES) {
        free(items);
        snprintf(s->err, s->errlen, "database.getCities: more than %d localities", MAX_CITIES);
        return VKP_ETOOBIG;
    }
    if (s->ncities + n > s->capcities) {
        size_t cap = s->capcities ? s->capcities : PAGE * FIRST_PAGES;
        while (cap < s->ncities + n)
            cap *= 2;
        struct city *grown = realloc(s->cities, cap * sizeof *grown);
        if (!grown) {
            free(items);
            return VKP_ENOMEM;
        }
        s->cities = grown;
        s->capcities = cap;
    }
    for (size_t i = 0; i < n; i++) {
        struct city *c = &s->cities[s->ncities];
        c->id = items[i].id;
        c->title = strdup(items[i].title);
        c->area = strdup(items[i].area ? items[i].area : "");
        c->m = NULL;
        s->ncities++;
        if (!c->title || !c->area) {
            free(items);
            return VKP_ENOMEM;
        }
    }
    free(items);
    return 0;
}

/* The getCities parameters of the page at offset. */
static cJSON *page_params(int64_t region_id, int64_t offset)
{
    cJSON *p = cJSON_CreateObject();
    if (!p || !cJSON_AddNumberToObject(p, "country_id", 1) ||
        !cJSON_AddNumberToObject(p, "region_id", (double)region_id) ||
        !cJSON_AddNumberToObject(p, "need_all", 1) ||
        !cJSON_AddNumberToObject(p, "offset", (double)offset) ||
        !cJSON_AddNumberToObject(p, "count", PAGE)) {
        cJSON_Delete(p);
        return NULL;
    }
    return p;
}

/*
 * Fetches the pages [first, first + npages) in one request (execute, or
 * getCities itself for one page or when execute is refused). *count gets
 * the total; *short_page is set when a page came back less than full.
 */
static int fetch_pages(struct sync *s, int64_t region_id, int64_t first, int npages, int64_t *count,
                       int *short_page)
{
    cJSON *params[BATCH_MAX] = {0}, *p = NULL;
    const char *methods[BATCH_MAX];
    struct vk_reply r;
    char *code = NULL;
    size_t got;
    int rc = VKP_ENOMEM;

    memset(&r, 0, sizeof r);
    if (!s->use_execute)
        npages = 1;
    for (int i = 0; i < npages; i++) {
        methods[i] = "database.getCities";
        if (!(params[i] = page_params(region_id, (first + i) * PAGE)))
            goto out;
    }
    if (npages == 1) {
        if ((rc = call(s, "database.getCities", params[0], &r)) != 0)
            goto out;
        if ((rc = take_page(s, r.response, count, &got)) != 0)
            goto out;
        *short_page = got < PAGE;
        goto out;
    }
    if (!(code = vk_execute_code(methods, (const cJSON *const *)params, (size_t)npages)) ||
        !(p = cJSON_CreateObject()) || !cJSON_AddStringToObject(p, "code", code))
        goto out;
    rc = call(s, "execute", p, &r);
    if (rc == VKP_EVK && vk_error_classify(r.error_code) == VKE_EXECUTE) {
        /* This token may not use execute (a service key): one page a request then. */
        log_warn("VK refused execute (error %d): the city directory comes a page a request",
                 r.error_code);
        s->use_execute = 0;
        rc = fetch_pages(s, region_id, first, 1, count, short_page);
        goto out;
    }
    if (rc != 0)
        goto out;
    if (!cJSON_IsArray(r.response) || cJSON_GetArraySize(r.response) != npages) {
        snprintf(s->err, s->errlen, "execute: the answer is not one result per page");
        rc = VKP_EPARSE;
        goto out;
    }
    *short_page = 0;
    for (int i = 0; i < npages && rc == 0 && !*short_page; i++) {
        const cJSON *page = cJSON_GetArrayItem(r.response, i);
        if (cJSON_IsFalse(page)) {
            int ecode;
            const char *msg;
            vk_execute_error(&r, i, &ecode, &msg);
            snprintf(s->err, s->errlen, "database.getCities (offset %lld): VK error %d: %s",
                     (long long)((first + i) * PAGE), ecode, msg ? msg : "");
            rc = VKP_EVK;
            break;
        }
        rc = take_page(s, page, count, &got);
        *short_page = got < PAGE;
    }
out:
    if (rc == VKP_ENOMEM)
        snprintf(s->err, s->errlen, "out of memory");
    for (int i = 0; i < BATCH_MAX; i++)
        cJSON_Delete(params[i]);
    cJSON_Delete(p);
    free(code);
    vk_reply_release(&r);
    return rc;
}

/* Every locality of the region: FIRST_PAGES pages in one execute, the rest (if any) in another. */
static int fetch_cities(struct sync *s, int64_t region_id)
{
    int64_t count = 0, next = 0;
    int short_page = 0, rc;

    while (!short_page) {
        int pages = next == 0 ? FIRST_PAGES : (int)((count - next * PAGE + PAGE - 1) / PAGE);
        if (pages < 1)
            break;
        if (pages > BATCH_MAX)
            pages = BATCH_MAX;
        if ((rc = fetch_pages(s, region_id, next, pages, &count, &short_page)) != 0)
            return rc;
        next += s->use_execute ? pages : 1;
        if (next * PAGE >= count)
            break;
    }
    s->count = count;
    return 0;
}

static int city_cmp(const void *a, const void *b)
{
    const struct city *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Sorts the localities by id and keeps each once (pages of a directory that changed
 * meanwhile may overlap), then checks the whole: the same id in two places, or fewer or
 * more localities than VK's count (a cut or padded answer), refuse it. 0 or VKP_EVK with
 * err.
 */
static int cities_whole(struct sync *s, const struct region_sync_result *res)
{
    size_t o = 0;
    int64_t slack = 2 + s->count / 1000;

    if (s->ncities > 1)
        qsort(s->cities, s->ncities, sizeof *s->cities, city_cmp);
    for (size_t i = 0; i < s->ncities; i++) {
        struct city *c = &s->cities[i];
        if (o && s->cities[o - 1].id == c->id) {
            const struct city *d = &s->cities[o - 1];
            if (strcmp(d->area, c->area) != 0 || strcmp(d->title, c->title) != 0) {
                snprintf(s->err, s->errlen,
                         "database.getCities: city id %lld of region %lld is listed twice, as "
                         "«%s» (area «%s») and «%s» (area «%s»): the directory is refused",
                         (long long)c->id, (long long)res->region_id, d->title, d->area, c->title,
                         c->area);
                for (size_t k = i; k < s->ncities; k++)
                    s->cities[o++] = s->cities[k]; /* freed with the rest */
                s->ncities = o;
                return VKP_EVK;
            }
            free(c->title);
            free(c->area);
            continue;
        }
        s->cities[o++] = *c;
    }
    s->ncities = o;
    if ((int64_t)o + slack < s->count || (int64_t)o > s->count + slack) {
        snprintf(s->err, s->errlen,
                 "database.getCities: VK counts %lld localities in region %lld '%s', %zu "
                 "arrived: the directory is refused",
                 (long long)s->count, (long long)res->region_id, res->region_title, o);
        return VKP_EVK;
    }
    return 0;
}

/* ---- mapping and the report ------------------------------------------------------------ */

/* Adds a line to the report of what could not be mapped. */
static void unmapped_line(struct region_sync_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void unmapped_line(struct region_sync_result *res, const char *fmt, ...)
{
    va_list ap;
    char *line = NULL;

    if (res->nunmapped < REGION_MAX_UNMAPPED) {
        va_start(ap, fmt);
        if (vasprintf(&line, fmt, ap) < 0)
            line = NULL;
        va_end(ap);
        res->unmapped[res->nunmapped] = line;
    }
    res->nunmapped++;
}

static int area_cmp(const void *a, const void *b)
{
    const struct city *const *x = a, *const *y = b;
    int c = strcmp((*x)->area, (*y)->area);
    return c ? c : strcmp((*x)->title, (*y)->title);
}

/*
 * Maps every locality and describes the unmapped ones: one line per area
 * (adding the area to a municipality's aliases maps them all), one per
 * town without an area (a settlement or a pin maps it).
 */
static int map_cities(struct sync *s, const struct muni_map *map, struct region_sync_result *res,
                      size_t *per_muni)
{
    const struct city **loose = malloc((s->ncities ? s->ncities : 1) * sizeof *loose);
    size_t nloose = 0;

    if (!loose)
        return VKP_ENOMEM;
    for (size_t i = 0; i < s->ncities; i++) {
        struct city *c = &s->cities[i];
        c->m = muni_of_locality(map, (long)c->id, c->title, c->area);
        if (c->m) {
            res->mapped++;
            per_muni[c->m->index]++;
        } else {
            loose[nloose++] = c;
        }
    }
    if (nloose > 1)
        qsort(loose, nloose, sizeof *loose, area_cmp);
    for (size_t i = 0; i < nloose;) {
        size_t j = i;
        while (j < nloose && strcmp(loose[j]->area, loose[i]->area) == 0)
            j++;
        if (!loose[i]->area[0]) {
            for (size_t k = i; k < j; k++)
                unmapped_line(res, "«%s» (city id %lld, no area)", loose[k]->title,
                              (long long)loose[k]->id);
        } else {
            unmapped_line(res, "area «%s»: %zu localit%s (%s%s%s%s)", loose[i]->area, j - i,
                          j - i == 1 ? "y" : "ies", loose[i]->title, j - i > 1 ? ", " : "",
                          j - i > 1 ? loose[i + 1]->title : "", j - i > 2 ? ", ..." : "");
        }
        i = j;
    }
    free(loose);
    return 0;
}

/* ---- public ------------------------------------------------------------------------------ */

static int fresh(const struct config *cfg, const struct store_region_info *info, int64_t now)
{
    if (!info->synced_at || now - info->synced_at >= (int64_t)cfg->directory_max_age_days * 86400)
        return 0;
    if (cfg->vk_region_id)
        return info->region_id == cfg->vk_region_id;
    char *a = text_fold_dup(cfg->vk_region), *b = text_fold_dup(info->region_title);
    int same = a && b && strcmp(a, b) == 0;
    free(a);
    free(b);
    return same;
}

int region_sync(const struct config *cfg, const struct muni_map *map, struct store *st,
                const char *token, int64_t now, int force, struct region_sync_result *res,
                char *err, size_t errlen)
{
    struct sync s = {
        .cfg = cfg, .token = token, .use_execute = cfg->use_execute, .err = err, .errlen = errlen};
    struct store_region_info info, old;
    struct store_city *rows = NULL;
    size_t nmunis = muni_map_count(map), *per_muni = NULL;
    int rc, stored = 0;

    memset(res, 0, sizeof *res);
    err[0] = '\0';
    if ((rc = store_region_info(st, &info)) != 0) {
        text_copy(err, errlen, store_errmsg(st));
        return rc;
    }
    old = info;
    if (!force && fresh(cfg, &info, now)) {
        res->skipped = 1;
        res->synced_at = info.synced_at;
        res->region_id = info.region_id;
        text_copy(res->region_title, sizeof res->region_title, info.region_title);
        res->cities = (size_t)info.cities;
        res->mapped = (size_t)info.mapped;
        return 0;
    }
    if ((rc = vkcall_new(cfg, token, &s.vc, err, errlen)) != 0)
        return rc;
    rc = VKP_ENOMEM;
    if (!(per_muni = calloc(nmunis + 1, sizeof *per_muni))) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    res->region_id = cfg->vk_region_id;
    text_copy(res->region_title, sizeof res->region_title, cfg->vk_region);
    if (!res->region_id &&
        (rc = find_region(&s, &res->region_id, res->region_title, sizeof res->region_title)) != 0)
        goto out;
    if ((rc = fetch_cities(&s, res->region_id)) != 0)
        goto out;
    if ((rc = cities_whole(&s, res)) != 0)
        goto out;
    if (s.ncities == 0) {
        snprintf(err, errlen,
                 "VK lists no locality in region %lld '%s': check [region] vk_region_id",
                 (long long)res->region_id, res->region_title);
        rc = VKP_ENOTFOUND;
        goto out;
    }
    rc = VKP_ENOMEM;
    if (map_cities(&s, map, res, per_muni) != 0 || !(rows = calloc(s.ncities, sizeof *rows))) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < s.ncities; i++)
        rows[i] = (struct store_city){s.cities[i].id, s.cities[i].title, s.cities[i].area,
                                      s.cities[i].m ? s.cities[i].m->name : NULL};
    res->cities = s.ncities;
    res->requests = vkcall_requests(s.vc);
    res->synced_at = now;
    info = (struct store_region_info){.region_id = res->region_id,
                                      .synced_at = now,
                                      .cities = (int64_t)s.ncities,
                                      .mapped = (int64_t)res->mapped,
                                      .requests = vkcall_requests(s.vc)};
    text_copy(info.region_title, sizeof info.region_title, res->region_title);
    /* A municipality no locality maps to would never be attributed a member: the map is
     * incomplete, or the region is not the map's (a mistyped vk_region_id). Saying where
     * beats a silent "unverifiable", and such a directory replaces nothing. */
    rc = 0;
    for (size_t i = 0; i < nmunis; i++) {
        const struct muni *m = muni_map_at(map, i);
        if (per_muni[i]) {
            res->munis_used++;
            continue;
        }
        if (rc == 0)
            snprintf(err, errlen,
                     "%s:%d: municipality '%s' has no locality in VK's directory of '%s': add the "
                     "area VK gives its villages to its aliases, its towns to its settlements, or "
                     "pin a city id with city_ids (or check [region] vk_region_id); the "
                     "directory is refused",
                     cfg->municipalities, m->line, m->name, res->region_title);
        rc = VKP_ECONFIG;
    }
    if (rc != 0)
        goto out;
    /* Every check passed: the new directory replaces the old one whole, in one transaction. */
    if ((rc = store_region_replace(st, &info, rows, s.ncities)) != 0) {
        snprintf(err, errlen, "cannot store the city directory: %s", store_errmsg(st));
        goto out;
    }
    stored = 1;
out:
    if (rc != 0 && !stored && old.synced_at) {
        /* Refused, or never fetched: the directory stored stays, and so does its date, so
         * the next collect tries again. */
        size_t len = strlen(err);
        snprintf(err + len, errlen - len, "; the stored directory (%lld localities of %s) is kept",
                 (long long)old.cities, old.region_title);
    }
    res->requests = vkcall_requests(s.vc);
    free(rows);
    for (size_t i = 0; i < s.ncities; i++) {
        free(s.cities[i].title);
        free(s.cities[i].area);
    }
    free(s.cities);
    free(per_muni);
    vkcall_free(s.vc);
    return rc;
}

void region_sync_result_release(struct region_sync_result *res)
{
    for (size_t i = 0; i < res->nunmapped && i < REGION_MAX_UNMAPPED; i++)
        free(res->unmapped[i]);
    res->nunmapped = 0;
}
