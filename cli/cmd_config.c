/* cmd_config.c: `vkpulse config check` validates a configuration without touching the
 * database: its keys and values (main loaded it, or said what is wrong with file:line),
 * the time zone, the municipality map, and where the token comes from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "err.h"
#include "muni.h"
#include "week.h"

int cmd_config(struct cli *cli, int argc, char **argv)
{
    const struct config *cfg = cli->cfg;
    struct muni_map *map = NULL;
    char err[1024];
    char *token = NULL;
    int rc;

    if (argc < 2)
        return cli_usage_error("config", "say what to do: 'vkpulse config check'");
    if (strcmp(argv[1], "check") != 0)
        return cli_usage_error("config", "'%s' is not a config subcommand (check)", argv[1]);
    if (argc > 2)
        return cli_usage_error("config", "unexpected argument '%s'", argv[2]);
    if ((rc = week_zone_check(cfg->timezone, err, sizeof err)) != 0)
        return cli_fail(rc, "%s: [region] timezone: %s", cfg->path, err);
    if (cfg->municipalities && cfg->municipalities[0] &&
        (rc = muni_map_load(cfg->municipalities, &map, err, sizeof err)) != 0)
        return cli_fail(rc, "%s", err);
    printf("%s: valid\n", cfg->path);
    printf("  %zu communities, %zu alert channels, time zone %s, database %s (not opened)\n",
           cfg->ncommunities, cfg->nchannels, cfg->timezone, cli->db_path);
    if (map)
        printf("  municipality map %s: %zu municipalities\n", cfg->municipalities,
               muni_map_count(map));
    muni_map_free(map);
    /* The token is not part of the file: its absence is said, not an error. */
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
    return EXIT_OK_;
}
