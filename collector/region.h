/* region.h: VK's city directory of the configured region, fetched whole into the store. */
#ifndef VKP_REGION_H
#define VKP_REGION_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct muni_map;
struct store;

/* Most unmapped areas or towns kept as text for the report (all are counted). */
#define REGION_MAX_UNMAPPED 200

/* What one sync did. */
struct region_sync_result {
    int skipped;                         /* the stored directory was fresh: nothing fetched */
    int64_t synced_at;                   /* when the stored directory was fetched */
    int64_t requests;                    /* HTTP requests this sync made */
    int64_t region_id;                   /* VK region id */
    char region_title[256];              /* as VK writes it */
    size_t cities;                       /* localities stored */
    size_t mapped;                       /* of them with a municipality */
    size_t munis_used;                   /* municipalities with at least one locality */
    char *unmapped[REGION_MAX_UNMAPPED]; /* "area «…»: N localities (…)" or "«title» (id N)" */
    size_t nunmapped;                    /* lines (areas and towns) that could not be mapped */
};

/*
 * region_sync: makes the store hold VK's directory of the region named in
 * cfg's [region] (vk_region_id, else the database.getRegions entry whose
 * title is vk_region): every locality with its title, area and the
 * municipality map gives it (muni_of_locality). Skipped (res->skipped)
 * when the stored one is of the same region and younger than
 * directory_max_age_days at `now`, unless force. The localities are paged
 * 1000 at a time, several pages to one `execute`, so a region of a few
 * thousand localities costs at most two requests (one more to find the
 * region id by name). The whole directory is replaced in one transaction.
 *
 * Returns 0; VKP_ECONFIG after storing when a municipality of the map got
 * no locality at all (err names the map's file:line: the map must be
 * completed); VKP_ENOTFOUND when VK knows no such region; VKP_EAUTH when the
 * token is rejected; VKP_ENET / VKP_EVK / VKP_EPARSE when VK could not be
 * read after retries; store errors. err says what, naming the region.
 * Release res with region_sync_result_release in every case.
 */
int region_sync(const struct config *cfg, const struct muni_map *map, struct store *st,
                const char *token, int64_t now, int force, struct region_sync_result *res,
                char *err, size_t errlen);

/* region_sync_result_release: frees the unmapped lines. */
void region_sync_result_release(struct region_sync_result *res);

#endif
