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
#include "service.h"
#include "store.h"

/* The options of `vkpulse region`, also checked by main before the config is read. */
const struct option cmd_region_opts[] = {
    {"force", no_argument, NULL, 'f'},
    {NULL, 0, NULL, 0},
};
const char cmd_region_shorts[] = "f";

int cmd_region(struct cli *cli, int argc, char **argv)
{
    struct store *st = NULL;
    char *token = NULL;
    char err[1024];
    int force = 0, c, rc;

    while ((c = getopt_long(argc, argv, cmd_region_shorts, cmd_region_opts, NULL)) != -1) {
        if (c != 'f')
            return cli_option_error("region", cmd_region_opts, cmd_region_shorts, argv);
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
    rc = service_region_sync(cli->cfg, st, token, force, 1);
    rc = rc == 0 ? EXIT_OK_ : rc == VKP_ECONFIG || rc == VKP_ENOTFOUND ? EXIT_USAGE : EXIT_FAILURE_;
out:
    store_free(st);
    if (token) {
        explicit_bzero(token, strlen(token));
        free(token);
    }
    return rc;
}
