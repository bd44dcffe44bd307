/* geo.h: the fake's VK city directory: regions, and every locality of the demo region. */
#ifndef FV_GEO_H
#define FV_GEO_H

#include <stddef.h>
#include <stdint.h>

#define GEO_REGION_ID 1004 /* Челябинская область (a made-up id, like most ids here) */
#define GEO_VILLAGE_ID_BASE 1600001LL /* generated villages of the region */
#define GEO_HOMONYM_ID_BASE 1700001LL /* places elsewhere named like villages of the region */
#define GEO_VILLAGES_PER_DISTRICT 40  /* generated villages in each district */
#define GEO_VILLAGES_PER_OKRUG 2 /* generated villages in each urban okrug but Челябинск */

/* A region of database.getRegions. */
struct geo_region {
    int64_t id;        /* VK region id */
    const char *title; /* as VK writes it */
};

/* A locality of database.getCities. */
struct geo_city {
    int64_t id;               /* VK city id: tables_cities' ids first, then generated ones */
    char title[64];           /* as VK writes it; many repeat across districts */
    char area[96];            /* its district as VK writes it, "" for large cities */
    int64_t region_id;        /* its region */
    int important;            /* 1 for the large cities (getCities without need_all) */
    const char *municipality; /* ground truth for the tests: the official name of the
                                 municipality it lies in, NULL outside the demo region */
};

/* The directory, built once (deterministic, independent of the dataset's seed). */
struct geo {
    const struct geo_region *regions; /* every region */
    size_t n_regions;                 /* entries */
    const struct geo_city *cities;    /* tables_cities in their order (same index), then the
                                         generated villages, then the homonyms elsewhere */
    size_t n_cities;                  /* entries */
    size_t n_homonyms;                /* the last n_homonyms cities are the homonyms */
};

/* geo_get: the directory (built on first use; never freed, it is static storage). */
const struct geo *geo_get(void);

/* geo_region_title: the title of region id, or NULL. */
const char *geo_region_title(int64_t id);

/*
 * geo_resettle: where a user drawn into tables_cities[table_index] really
 * lives, as an index into geo_get()->cities: about half of the people of a
 * district's towns live in one of its villages instead, some of the big
 * towns' people in the villages around, and a quarter of those outside the
 * region in a homonym of a village of the region. Decided by a hash of the
 * user id, so that the dataset's random draws stay as they were.
 */
int geo_resettle(int table_index, int64_t user_id);

#endif
