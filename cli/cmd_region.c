/* cmd_region.c: `vkpulse region sync`: VK's city directory of the region into the database. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "muni.h"
#include "region.h"
#include "store.h"

static void day(int64_t t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d", &tm))
        snprintf(buf, len, "-");
}

int cli_region_sync(struct cli *cli, struct store *st, const char *token, int force, int verbose)
{
    struct muni_map *map = NULL;
    struct region_sync_result res;
    char err[2048], when[16];
    int rc;

    memset(&res, 0, sizeof res);
    if ((rc = muni_map_load(cli->cfg->municipalities, &map, err, sizeof err)) != 0) {
        log_error("%s", err);
        return rc;
    }
    rc = region_sync(cli->cfg, map, st, token, (int64_t)time(NULL), force, &res, err, sizeof err);
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
                   res.cities - res.mapped, cli->cfg->municipalities);
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

int cmd_region(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"force", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct store *st = NULL;
    char *token = NULL;
    char err[1024];
    int force = 0, c, rc;

    while ((c = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
        if (c != 'f')
            return cli_usage_error("region", "unknown option");
        force = 1;
    }
    if (optind >= argc || strcmp(argv[optind], "sync") != 0)
        return cli_usage_error("region", "say what to do: region sync");
    if (optind + 1 < argc)
        return cli_usage_error("region", "unexpected argument '%s'", argv[optind + 1]);
    if ((rc = config_token(cli->cfg, &token, err, sizeof err)) != 0)
        return cli_fail(rc, "%s", err);
    if ((rc = cli_store_open(cli, &st, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    rc = cli_region_sync(cli, st, token, force, 1);
    rc = rc == 0 ? EXIT_OK_ : rc == VKP_ECONFIG || rc == VKP_ENOTFOUND ? EXIT_USAGE : EXIT_FAILURE_;
out:
    store_free(st);
    if (token) {
        explicit_bzero(token, strlen(token));
        free(token);
    }
    return rc;
}
