/* store_region.h: the store's copy of VK's city directory for the configured region. */
#ifndef VKP_STORE_REGION_H
#define VKP_STORE_REGION_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* One locality of the directory. */
struct store_city {
    int64_t id;               /* VK city id */
    const char *title;        /* as VK writes it */
    const char *area;         /* its district as VK writes it, "" when VK gives none */
    const char *municipality; /* official name from the map, NULL when the map names none */
};

/* What the last sync was; synced_at 0 when there was none. */
struct store_region_info {
    int64_t region_id;      /* VK region id */
    char region_title[256]; /* as VK writes it */
    int64_t synced_at;      /* unix time, 0: never synced */
    int64_t cities;         /* localities stored */
    int64_t mapped;         /* of them with a municipality */
    int64_t requests;       /* HTTP requests the sync took */
};

/*
 * store_region_replace: the directory becomes exactly these n cities, and
 * info (synced_at > 0) its record, in one transaction: on any error nothing
 * changes. Returns 0 or a negative vkp error (store_errmsg says what).
 */
int store_region_replace(struct store *st, const struct store_region_info *info,
                         const struct store_city *c, size_t n);

/* store_region_info: the last sync into *out (synced_at 0 when none). 0 or a vkp error. */
int store_region_info(struct store *st, struct store_region_info *out);

typedef int (*store_city_cb)(void *ud, const struct store_city *c);

/* store_each_city: every stored locality in id order; cb may stop by returning non-zero. */
int store_each_city(struct store *st, store_city_cb cb, void *ud);

#endif
