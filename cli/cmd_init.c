/* cmd_init.c: `vkpulse init` creates or upgrades the database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "collect.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "service.h"
#include "store.h"

/* A group VK cannot collect, named where the config names it. */
static void bad_group(void *ud, const struct config_community *cc, const char *why)
{
    const struct config *cfg = ud;
    fprintf(stderr, "vkpulse: error: %s:%d: group '%s': %s; check 'group' in the config\n",
            cfg->path, cc->group_line ? cc->group_line : cc->line, cc->group, why);
}

int cmd_init(struct cli *cli, int argc, char **argv)
{
    struct store *st = NULL;
    char err[1024];
    int rc, applied = 0, before;

    if (argc > 1)
        return cli_usage_error("init",
                               argv[1][0] == '-' ? "unknown option '%s': init takes no options"
                                                 : "unexpected argument '%s'",
                               argv[1]);
    rc = cli_store_open(cli, &st, err, sizeof err);
    if (rc != 0)
        return cli_fail(rc, "%s", err);
    before = store_version(st);
    rc = store_migrate(st, -1, &applied);
    if (rc != 0) {
        rc = cli_store_fail(st, rc, "cannot upgrade '%s' (left as it was)", cli->db_path);
        goto out;
    }
    rc = store_sync_communities(st, cli->cfg);
    if (rc != 0) {
        rc = cli_store_fail(st, rc, "cannot record communities");
        goto out;
    }
    if (applied == 0)
        printf("database %s is up to date (schema %d)\n", cli->db_path, store_version(st));
    else if (before == 0)
        printf("created database %s (schema %d)\n", cli->db_path, store_version(st));
    else
        printf("upgraded database %s from schema %d to %d\n", cli->db_path, before,
               store_version(st));
    printf("%zu communit%s configured\n", cli->cfg->ncommunities,
           cli->cfg->ncommunities == 1 ? "y" : "ies");
    /* With a token, the city directory comes now; without one, `region sync` or
     * the first `collect` fetches it. Its failure leaves a good database. */
    char *token = NULL;
    if (config_token(cli->cfg, &token, err, sizeof err) == 0) {
        /* Every group against VK now, rather than a run that finds out later. */
        int nbad = 0;
        int crc =
            collector_check_groups(cli->cfg, token, bad_group, cli->cfg, &nbad, err, sizeof err);
        if (crc != 0)
            log_warn("the groups were not checked against VK: %s", err);
        else if (nbad == 0)
            printf("%zu groups checked against VK\n", cli->cfg->ncommunities);
        if (nbad > 0)
            rc = EXIT_USAGE;
        if (service_region_sync(cli->cfg, st, token, 0, 1) != 0)
            log_warn("the city directory is not synced: fix the above and run 'vkpulse region "
                     "sync'; until then members are attributed by city title");
        explicit_bzero(token, strlen(token));
        free(token);
    } else {
        /* Where the token was looked for: a token file that is not there is a mistake. */
        printf("note: %s\nonce there is a token, run 'vkpulse region sync' to fetch VK's city "
               "directory of the region\n",
               err);
    }
    if (rc == EXIT_USAGE)
        fprintf(stderr, "vkpulse: error: fix the groups above: 'collect' cannot read them\n");
out:
    store_free(st);
    return rc;
}
