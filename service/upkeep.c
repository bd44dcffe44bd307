/* upkeep.c: what the service does besides collecting, which the `purge` and `region`
 * commands also do on demand: the retention rule and VK's city directory. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "log.h"
#include "muni.h"
#include "region.h"
#include "service.h"
#include "store.h"
#include "store_privacy.h"

/* ---- retention ------------------------------------------------------------------------ */

int service_purge(struct store *st, int months)
{
    struct store_purge_counts n;
    char day[32] = "?";
    int rc;

    if (months <= 0)
        return 0;
    if ((rc = store_purge(st, (int64_t)time(NULL), months, &n)) != 0) {
        log_error("cannot purge data older than %d months (nothing was deleted): %s", months,
                  store_errmsg(st));
        return rc;
    }
    time_t t = (time_t)n.cutoff;
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(day, sizeof day, "%Y-%m-%d %H:%M UTC", &tm);
    log_info("retention %d months: purged what was older than %s: %" PRId64 " likes, %" PRId64
             " comments, %" PRId64 " reposts, %" PRId64 " post counters",
             months, day, n.likes, n.comments, n.reposts, n.counters);
    return 0;
}

/* ---- the city directory --------------------------------------------------------------- */

static void day(int64_t t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d", &tm))
        snprintf(buf, len, "-");
}

int service_region_sync(const struct config *cfg, struct store *st, const char *token, int force,
                        int verbose)
{
    struct muni_map *map = NULL;
    struct region_sync_result res;
    char err[2048], when[16];
    int rc;

    memset(&res, 0, sizeof res);
    if ((rc = muni_map_of_config(cfg, &map, err, sizeof err)) != 0) {
        log_error("%s", err);
        return rc;
    }
    rc = region_sync(cfg, map, st, token, (int64_t)time(NULL), force, &res, err, sizeof err);
    if (res.skipped) {
        day(res.synced_at, when, sizeof when);
        if (verbose > 0)
            printf("city directory of %s is fresh (synced %s, %zu localities, %zu mapped): "
                   "nothing fetched; --force fetches it again\n",
                   res.region_title, when, res.cities, res.mapped);
        goto out;
    }
    if (res.cities && verbose < 0) {
        /* collect --quiet: nothing on standard output; what needs a hand still said. */
        if (res.nunmapped)
            log_warn("city directory of %s: could not map %zu localities; 'vkpulse region "
                     "sync --force' lists them",
                     res.region_title, res.cities - res.mapped);
    } else if (res.cities) {
        printf("city directory of %s (VK region %lld): %zu localities in %lld request%s, %zu "
               "mapped to %zu of %zu municipalities\n",
               res.region_title, (long long)res.region_id, res.cities, (long long)res.requests,
               res.requests == 1 ? "" : "s", res.mapped, res.munis_used, muni_map_count(map));
        if (res.nunmapped)
            printf("could not map %zu localities; complete %s (aliases for areas, settlements or "
                   "city_ids for towns):\n",
                   res.cities - res.mapped, cfg->municipalities);
        for (size_t i = 0; i < res.nunmapped && i < REGION_MAX_UNMAPPED; i++)
            printf("  %s\n", res.unmapped[i] ? res.unmapped[i] : "(out of memory)");
        if (res.nunmapped > REGION_MAX_UNMAPPED)
            printf("  ... and %zu more\n", res.nunmapped - REGION_MAX_UNMAPPED);
    }
    if (rc != 0)
        log_error("%s", err);
out:
    region_sync_result_release(&res);
    muni_map_free(map);
    return rc;
}
