/* cmd_purge.c: `vkpulse purge` applies the retention rule of [privacy] now. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "service.h"
#include "store.h"

/* The options of `vkpulse purge`, also checked by main before the config is read. */
const struct option cmd_purge_opts[] = {
    {"months", required_argument, NULL, 'm'},
    {NULL, 0, NULL, 0},
};
const char cmd_purge_shorts[] = "m:";

int cmd_purge(struct cli *cli, int argc, char **argv)
{
    struct store *st = NULL;
    char err[1024];
    int months = cli->cfg->retention_months, c, rc;

    while ((c = getopt_long(argc, argv, cmd_purge_shorts, cmd_purge_opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (cli_int_option("purge", "--months", optarg, "privacy", "retention_months", 1,
                               &months) != 0)
                return EXIT_USAGE;
            break;
        default:
            return cli_option_error("purge", cmd_purge_opts, cmd_purge_shorts, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("purge", "unexpected argument '%s'", argv[optind]);
    if (months <= 0) {
        printf("retention_months is 0 in [privacy] of %s: everything is kept; nothing to purge\n",
               cli->cfg->path);
        return EXIT_OK_;
    }
    if ((rc = cli_store_open(cli, &st, err, sizeof err)) != 0)
        return cli_fail(rc, "%s", err);
    rc = service_purge(st, months) == 0 ? EXIT_OK_ : EXIT_FAILURE_;
    store_free(st);
    return rc;
}
