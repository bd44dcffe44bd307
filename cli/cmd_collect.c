/* cmd_collect.c: `vkpulse collect --once | --watch`: the options, then the service. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "err.h"
#include "progress.h"
#include "service.h"
#include "store.h"

/* The options of `vkpulse collect`, also checked by main before the config is read. */
const struct option cmd_collect_opts[] = {
    {"once", no_argument, NULL, 'o'},
    {"watch", no_argument, NULL, 'w'},
    {"quiet", no_argument, NULL, 'q'},
    {NULL, 0, NULL, 0},
};
const char cmd_collect_shorts[] = "owq";

int cmd_collect(struct cli *cli, int argc, char **argv)
{
    struct service_options so = {.db_path = cli->db_path};
    enum service_end end;
    struct store *st = NULL;
    char *token = NULL;
    char err[1024];
    int once = 0, quiet = 0, c, rc;

    while ((c = getopt_long(argc, argv, cmd_collect_shorts, cmd_collect_opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            once = 1;
            break;
        case 'w':
            so.watch = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        default:
            return cli_option_error("collect", cmd_collect_opts, cmd_collect_shorts, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("collect", "unexpected argument '%s'", argv[optind]);
    if (once == so.watch)
        return cli_usage_error("collect", "say --once or --watch");
    if ((rc = config_token(cli->cfg, &token, err, sizeof err)) != 0)
        return cli_fail(rc, "%s", err);
    so.token = token;
    so.quiet = quiet;
    if (!quiet && isatty(STDERR_FILENO))
        so.collect.progress = progress_draw;
    if ((rc = cli_store_open(cli, &st, err, sizeof err)) != 0)
        rc = cli_fail(rc, "%s", err);
    else if ((rc = service_collect(st, cli->cfg, &so, &end, err, sizeof err)) != 0)
        rc = cli_fail(rc, "%s", err);
    else
        rc = end == SERVICE_OK ? EXIT_OK_ : end == SERVICE_PARTIAL ? EXIT_PARTIAL : EXIT_FAILURE_;
    store_free(st);
    explicit_bzero(token, strlen(token));
    free(token);
    return rc;
}
