/* cli.h: the command table and what every subcommand shares. */
#ifndef VKP_CLI_H
#define VKP_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "store.h"

struct config;

/* Exit codes, documented in the README. */
enum {
    EXIT_OK_ = 0,      /* success */
    EXIT_FAILURE_ = 1, /* runtime failure: network, database, VK */
    EXIT_USAGE = 2,    /* bad command line or configuration */
    EXIT_ALERTS = 3,   /* `alerts`: there are active alerts */
    EXIT_PARTIAL = 4,  /* `collect --once`: the run finished but is partial */
};

/* What main() prepared for the subcommand. */
struct cli {
    const char *config_path;    /* --config, $VKPULSE_CONFIG, or the default */
    const char *db_override;    /* --db, or NULL */
    struct config *cfg;         /* loaded when the command asks for it */
    const char *db_path;        /* the database to use: --db or the config's */
    enum store_mode store_mode; /* how cli_store_open opens it: the command's row */
};

/* One row of the command table. */
struct cli_command {
    const char *name;                                   /* as typed */
    int (*run)(struct cli *cli, int argc, char **argv); /* returns an exit code */
    enum store_mode store;                              /* how it opens the database */
    const char *summary;                                /* one line for `vkpulse --help` */
    const char *usage;                                  /* the command's --help text */
    const struct option *opts; /* its getopt_long options, checked before the config is read;
                                  NULL: it takes none */
    const char *shorts;        /* their optstring */
    int reads_config; /* it reads the config itself (config check: every error, not the first) */
};

/* cli_store_open: open the database (--db or the config's) the way the
 * command's row of the table says; store_open's return and message. */
int cli_store_open(const struct cli *cli, struct store **st, char *err, size_t errlen);

/*
 * cli_int_option: parse option `opt` of command `cmd` that overrides the
 * integer config key [section] key, within that key's bounds from the config
 * table (and not below `min`). Returns 0 with *out set, or EXIT_USAGE after
 * saying what was wrong.
 */
int cli_int_option(const char *cmd, const char *opt, const char *arg, const char *section,
                   const char *key, long min, int *out);

/* The survey years --year takes (survey import, crosscheck). */
#define CLI_YEAR_MIN 2000
#define CLI_YEAR_MAX 2100

/* cli_year_option: parse --year of command cmd, a survey year CLI_YEAR_MIN..CLI_YEAR_MAX.
 * Returns 0 with *out set, or EXIT_USAGE after saying which years are valid. */
int cli_year_option(const char *cmd, const char *arg, int *out);

/* cli_option_error: the option getopt_long (opterr 0) just refused with '?', named, with
 * the nearest option of the command's table opts (optstring shorts) when it looks like a
 * typo of one; returns EXIT_USAGE. */
int cli_option_error(const char *cmd, const struct option *opts, const char *shorts, char **argv);

/* cli_usage_error: print "vkpulse CMD: msg" and a hint to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* cli_fail: print "vkpulse: error: msg" and return the exit code for vkp error `err`. */
int cli_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* cli_store_fail: cli_fail for error rc of a call that took st: "msg: " and the store's
 * words for it (store_error), or those words alone when fmt is NULL. */
int cli_store_fail(const struct store *st, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The subcommands, one file each. */
int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_status(struct cli *cli, int argc, char **argv);
int cmd_config(struct cli *cli, int argc, char **argv);
int cmd_collect(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);
int cmd_survey(struct cli *cli, int argc, char **argv);
int cmd_crosscheck(struct cli *cli, int argc, char **argv);
int cmd_alerts(struct cli *cli, int argc, char **argv);
int cmd_purge(struct cli *cli, int argc, char **argv);
int cmd_forget(struct cli *cli, int argc, char **argv);
int cmd_region(struct cli *cli, int argc, char **argv);

/* Their options (getopt_long table and optstring), for the command table. */
extern const struct option cmd_collect_opts[], cmd_report_opts[], cmd_survey_opts[],
    cmd_crosscheck_opts[], cmd_alerts_opts[], cmd_purge_opts[], cmd_region_opts[],
    cmd_status_opts[];
extern const char cmd_collect_shorts[], cmd_report_shorts[], cmd_survey_shorts[],
    cmd_crosscheck_shorts[], cmd_alerts_shorts[], cmd_purge_shorts[], cmd_region_shorts[],
    cmd_status_shorts[];

#endif
