/* cmd_config.c: `vkpulse config check` validates a configuration without touching the
 * database: every error of its keys and values in one pass (each with file:line), the time
 * zone, the token file, the municipality map, and where the token comes from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "muni.h"

/* One error of the file, said as every command says a config error. */
static void say_error(void *ud, const char *msg)
{
    (void)ud;
    log_error("%s", msg);
}

int cmd_config(struct cli *cli, int argc, char **argv)
{
    struct config *cfg = NULL;
    struct muni_map *map = NULL;
    char err[1024];
    char *token = NULL;
    size_t nerrors = 0;
    int rc;

    if (argc < 2)
        return cli_usage_error("config", "say what to do: 'vkpulse config check'");
    if (strcmp(argv[1], "check") != 0)
        return cli_usage_error("config", "'%s' is not a config subcommand (check)", argv[1]);
    if (argc > 2)
        return cli_usage_error("config",
                               argv[2][0] == '-'
                                   ? "unknown option '%s': config check takes no options"
                                   : "unexpected argument '%s'",
                               argv[2]);
    rc = config_check(cli->config_path, NULL, say_error, NULL, &cfg, &nerrors, err, sizeof err);
    if (rc == VKP_ECONFIG)
        nerrors += nerrors == 0;
    else if (rc != 0)
        return cli_fail(rc == VKP_ENOMEM ? rc : VKP_ECONFIG, "%s", err);
    /* The map is another file: its first error, beside the config's. */
    if (cfg && cfg->municipalities && cfg->municipalities[0] &&
        muni_map_of_config(cfg, &map, err, sizeof err) != 0) {
        say_error(NULL, err);
        nerrors++;
    }
    if (nerrors > 0) {
        fprintf(stderr, "vkpulse: %s: %zu error%s\n", cli->config_path, nerrors,
                nerrors == 1 ? "" : "s");
        goto out;
    }
    printf("%s: valid\n", cfg->path);
    printf("  %zu communit%s, %zu alert channel%s, time zone %s, database %s (not opened)\n",
           cfg->ncommunities, cfg->ncommunities == 1 ? "y" : "ies", cfg->nchannels,
           cfg->nchannels == 1 ? "" : "s", cfg->timezone,
           cli->db_override ? cli->db_override : cfg->db_path);
    if (map)
        printf("  municipality map %s: %zu municipalities\n", cfg->municipalities,
               muni_map_count(map));
    /* A token in the environment is not part of the file (the service's environment may
     * hold it where this shell does not): its absence is said, not an error. */
    if (config_token(cfg, &token, err, sizeof err) == 0) {
        size_t n = 1;
        for (const char *p = token; *p; p++)
            n += *p == ',';
        printf("  %zu access token%s from %s%s\n", n, n == 1 ? "" : "s",
               cfg->token_file[0] ? "" : "$",
               cfg->token_file[0] ? cfg->token_file : cfg->token_env);
        explicit_bzero(token, strlen(token));
        free(token);
    } else {
        printf("  note: %s\n", err);
    }
out:
    muni_map_free(map);
    config_free(cfg);
    return nerrors > 0 ? EXIT_USAGE : EXIT_OK_;
}
