/* main.c: global options, the command table, and dispatch (git style). */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "cli.h"
#include "pace.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "outfile.h"
#include "store.h"
#include "suggest.h"
#include "text.h"

#define DEFAULT_CONFIG "/etc/vkpulse/vkpulse.ini"

/* The store column: how the command opens the database (cli_store_open). A
 * reading command opens it read-only, so that a user who may read the
 * database but not write it (a moderator beside the service) can run it. */
static const struct cli_command commands[] = {
    {.name = "init",
     .run = cmd_init,
     .store = STORE_CREATE,
     .summary = "create the database or upgrade its schema",
     .usage = "usage: vkpulse [--config FILE] [--db FILE] init\n"
              "\n"
              "Creates the database named in the config (mode 0600) or upgrades an older one\n"
              "to the current schema in one transaction, and records the configured\n"
              "communities. Safe to run again. With a token, every configured group is asked\n"
              "of VK first: one VK does not know is named with its file:line (exit 2).\n"},
    {.name = "collect",
     .run = cmd_collect,
     .opts = cmd_collect_opts,
     .shorts = cmd_collect_shorts,
     .store = STORE_EXISTING,
     .summary = "poll VK and store what the communities did",
     .usage = "usage: vkpulse [--config FILE] [--db FILE] collect (--once | --watch)\n"
              "\n"
              "  --once     one collection run, then exit: 0 ok, 4 partial (the next run\n"
              "             completes it), 1 failed (VK unreachable, token rejected, nothing\n"
              "             fetched)\n"
              "  --watch    run every [collect] interval until SIGINT or SIGTERM; after\n"
              "             each run evaluate the alerts and deliver them, and once a week\n"
              "             ([service]) write the weekly report and send the digest\n"
              "  --quiet    no progress line and nothing on standard output (the city\n"
              "             directory's summary included); warnings and errors still go to\n"
              "             standard error\n"
              "\n"
              "The access token comes from $VKPULSE_TOKEN or the config's token_file.\n"
              "With [privacy] retention_months set, every run ends by purging older\n"
              "interactions (see 'vkpulse purge --help').\n"},
    {.name = "report",
     .run = cmd_report,
     .opts = cmd_report_opts,
     .shorts = cmd_report_shorts,
     .store = STORE_READONLY,
     .summary = "engagement report for moderators: weekly to yearly",
     .usage =
         "usage: vkpulse [--config FILE] [--db FILE] report [--period P] [--to PERIOD]\n"
         "                     [--from PERIOD] [--week YYYY-Www] [--weeks N] [--community REF]\n"
         "                     [--format text|csv|json|html|xlsx] [--lang ru|en]\n"
         "                     [--output FILE] [--csv-sep ,|;] [--csv-shape long|wide]\n"
         "\n"
         "  --period P       week (default), month, quarter, year or school-year\n"
         "                   (1 September - 31 August); year and school-year give the\n"
         "                   institute's yearly report: each figure beside the two years before\n"
         "  --to PERIOD      the report period: 2026-W47, 2026-11, 2026-Q4, 2025, 2025/26,\n"
         "                   or a date YYYY-MM-DD in it; default: the last complete one\n"
         "  --from PERIOD    the first period of the trend window (instead of --weeks)\n"
         "  --week YYYY-Www  the same as --to for weeks\n"
         "  --weeks N        trend window in periods, the report period included (default:\n"
         "                   [report] weeks, 8, for weeks; 6 months, 4 quarters, 3 years)\n"
         "  --community REF  this community's page alone (its group as configured, screen\n"
         "                   name, id or link)\n"
         "  --format F       text (default), csv (UTF-8 with BOM, one long table),\n"
         "                   json (docs/report.schema.json, docs/yearly.schema.json for years),\n"
         "                   html (one self-contained file) or xlsx (an Excel workbook: sheets\n"
         "                   summary, figures, posts, best_time, alerts; needs --output)\n"
         "  --lang L         ru or en (default: ru when the locale is Russian, else [region] "
         "lang)\n"
         "  --output FILE    write there (atomically) instead of to standard output\n"
         "  --csv-sep S      ',' (default) or ';' (with decimal commas, for Excel in Russian)\n"
         "  --csv-shape S    long (default: one row per figure) or wide (one row per\n"
         "                   community and period, one column per figure)\n"
         "\n"
         "Figures a period's data cannot support are shown as n/a with the reason, never as 0.\n"
         "Periods before the first collection come from the history it read: dated figures\n"
         "exactly, counters of the period's posts as of the last collection.\n"},
    {.name = "survey",
     .run = cmd_survey,
     .opts = cmd_survey_opts,
     .shorts = cmd_survey_shorts,
     .store = STORE_EXISTING,
     .summary = "import the municipalities' survey answers",
     .usage =
         "usage: vkpulse [--config FILE] [--db FILE] survey import FILE --year YYYY [--dry-run]\n"
         "       vkpulse [--config FILE] [--db FILE] survey roster FILE\n"
         "       vkpulse [--config FILE] [--db FILE] survey list\n"
         "\n"
         "  import FILE   the survey export (CSV from Yandex Forms, Google Forms or Excel:\n"
         "                UTF-8 or Windows-1251, ',' or ';'), one row per municipality.\n"
         "                Columns are found by the wording of their headers ([survey] in\n"
         "                the config); answers of questions 13, 14, 16, 17 become codes.\n"
         "                Any row it cannot understand is an error naming row, column and\n"
         "                text, and then nothing is imported. Importing a year again\n"
         "                replaces it.\n"
         "  --year YYYY   the survey year\n"
         "  --dry-run     check the file, import nothing\n"
         "  roster FILE   replace the roster: column A a VK id or profile link\n"
         "                (vk.com/id123), column B the municipality. The roster wins over\n"
         "                the profile city when members are attributed.\n"
         "  list          imported years and the roster size\n"},
    {.name = "crosscheck",
     .run = cmd_crosscheck,
     .opts = cmd_crosscheck_opts,
     .shorts = cmd_crosscheck_shorts,
     .store = STORE_READONLY,
     .summary = "survey answers against observed behaviour",
     .usage =
         "usage: vkpulse [--config FILE] [--db FILE] crosscheck --year YYYY\n"
         "                     [--from DATE --to DATE | --window WEEKS]\n"
         "                     [--format text|csv|json|html] [--lang ru|en] [--output FILE]\n"
         "                     [--csv-sep ,|;] [--pseudonymize]\n"
         "       vkpulse [--config FILE] [--db FILE] crosscheck --years Y1,Y2,... [--format ...]\n"
         "\n"
         "For each municipality, its survey answers (questions 13, 14, 16, 17 of the\n"
         "imported --year) against what its members in the communities each question\n"
         "asks about were seen doing in the period the survey describes ([survey]\n"
         "period: the calendar year, or the school year ending in it): consistent,\n"
         "overstated, understated or unverifiable, with the evidence, the attribution\n"
         "coverage and a ranked list of what to follow up. --years sets survey years\n"
         "side by side, each in its own period.\n"
         "\n"
         "  --from DATE --to DATE  observe these local days instead (YYYY-MM-DD, --to\n"
         "                   included)\n"
         "  --window WEEKS   observe the WEEKS weeks before the last collection\n"
         "  --format F       text (default), csv (UTF-8 with BOM, for Excel), json\n"
         "                   (docs/crosscheck.schema.json; --years:\n"
         "                   docs/crosscheck-panel.schema.json), html (one file)\n"
         "  --lang ru|en     labels; default: [region] lang\n"
         "  --output FILE    write there (whole or not at all) instead of stdout\n"
         "  --csv-sep ,|;    CSV separator; ';' also writes decimal commas (Russian\n"
         "                   Excel); --semicolon is the same as --csv-sep ';'\n"
         "  --pseudonymize   member-level CSV for research instead: one row per community\n"
         "                   and person, VK ids replaced by HMAC-SHA256 with the secret\n"
         "                   [survey] pseudonym_salt, no names\n"
         "\n"
         "Thresholds are in [survey] of the config (see config/vkpulse.ini).\n"},
    {.name = "region",
     .run = cmd_region,
     .opts = cmd_region_opts,
     .shorts = cmd_region_shorts,
     .store = STORE_EXISTING,
     .summary = "fetch VK's city directory of the region",
     .usage = "usage: vkpulse [--config FILE] [--db FILE] region sync [--force]\n"
              "\n"
              "Fetches every locality VK lists for [region] vk_region (database.getCities,\n"
              "a few pages to one execute request) and stores each city id with its title,\n"
              "district (area) and the municipality the map gives it: by the area matched\n"
              "to the map's names and aliases, by the title for towns VK lists without an\n"
              "area, or by the map's city_ids. The crosscheck then attributes members by\n"
              "their profile city id. Prints how many localities were mapped and lists the\n"
              "areas and towns that were not, so that the map can be completed.\n"
              "\n"
              "  --force   fetch even when the stored directory is younger than\n"
              "            [region] directory_max_age_days (30)\n"
              "\n"
              "`init` runs it when a token is available, and `collect` refreshes it when\n"
              "older than that. Exit codes: 0 ok, 1 VK or database failure, 2 VK knows\n"
              "no such region, or a municipality of the map got no locality (the message\n"
              "names file:line).\n"},
    {.name = "alerts",
     .run = cmd_alerts,
     .opts = cmd_alerts_opts,
     .shorts = cmd_alerts_shorts,
     .store = STORE_EXISTING,
     .summary = "evaluate alert rules on the communities",
     .usage = "usage: vkpulse [--config FILE] [--db FILE] alerts [--format text|json] [--no-send]\n"
              "       vkpulse [--config FILE] alerts --test\n"
              "\n"
              "Evaluates the [alerts] rules now. A condition is announced on every [channel]\n"
              "once when it starts and once when it ends; messages that could not be\n"
              "delivered before are retried. Prints the active alerts, those that ended\n"
              "now, and the rules that could not be judged for lack of data.\n"
              "\n"
              "  --format F   text (default) or json\n"
              "  --no-send    evaluate and queue, but deliver nothing now\n"
              "  --test       send a test message to every [channel] now and print ok or\n"
              "               failed for each (nothing is evaluated, queued or retried);\n"
              "               exit 1 when any channel failed\n"
              "\n"
              "exit codes: 0 no active alerts, 3 active alerts, 1 failure, 2 usage\n"},
    {.name = "purge",
     .run = cmd_purge,
     .opts = cmd_purge_opts,
     .shorts = cmd_purge_shorts,
     .store = STORE_EXISTING,
     .summary = "delete interactions older than the retention",
     .usage = "usage: vkpulse [--config FILE] [--db FILE] purge [--months N]\n"
              "\n"
              "Deletes likes, comments, reposts and post counters older than [privacy]\n"
              "retention_months (or N months), in one transaction. `collect` does the same\n"
              "at the end of every run when retention_months is set.\n"},
    {.name = "forget",
     .run = cmd_forget,
     .store = STORE_EXISTING,
     .summary = "remove a person from the database",
     .usage = "usage: vkpulse [--config FILE] [--db FILE] forget USER_ID\n"
              "\n"
              "Removes the VK user (1234, id1234 or a vk.com/id1234 link) everywhere, in one\n"
              "transaction: their profile row, memberships, likes and reposts are deleted,\n"
              "their comments are kept without author (from_id 0, as VK shows deleted\n"
              "ones) and posts they wrote or signed lose their id. Only the id is kept,\n"
              "so that later collections leave the person out.\n"},
    {.name = "status",
     .run = cmd_status,
     .opts = cmd_status_opts,
     .shorts = cmd_status_shorts,
     .store = STORE_READONLY,
     .summary = "what the database holds",
     .usage = "usage: vkpulse [--config FILE] [--db FILE] status [--format text|json]\n"
              "\n"
              "Prints whether a collector is running on the database (its pid, and when a\n"
              "--watch collector runs next), the communities with the last complete snapshot\n"
              "of each and the state of their data (current, stale, never) and of their\n"
              "daily statistics (\"statistics: not an admin\" when stats.get is refused:\n"
              "expected, so not an error), the last run with why it is partial or failed\n"
              "and its errors by community and method, the outbox (pending and failed\n"
              "deliveries), the alerts in force and the number of rows per table. Times\n"
              "are in [region] timezone, with the zone.\n"
              "\n"
              "  --format F   text (default) or json (docs/status.schema.json)\n"},
    {.name = "config",
     .run = cmd_config,
     .store = STORE_READONLY,
     .summary = "check a configuration without the database",
     .usage = "usage: vkpulse [--config FILE] config check\n"
              "\n"
              "Reads the configuration as every command does, but lists every error in one\n"
              "pass, each naming file:line (an unknown or misspelt key, a bad value, a\n"
              "missing required key, an unknown time zone, a token file that cannot be\n"
              "read, a municipality map that does not load), then their number: exit 2.\n"
              "A syntax error ends the list. Else says where the access token comes from.\n"
              "The database is not opened.\n",
     .reads_config = 1},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_help(FILE *out)
{
    fprintf(out, "usage: vkpulse [--config FILE] [--db FILE] [--verbose] <command> [options]\n"
                 "\n"
                 "vkpulse watches teachers' professional communities on VK and reports on them.\n"
                 "\n"
                 "commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "global options:\n"
            "  --config FILE  configuration (default: $VKPULSE_CONFIG, else %s)\n"
            "  --db FILE      database file, overriding [database] path\n"
            "  --verbose      debug messages\n"
            "  --help         this text; 'vkpulse COMMAND --help' for a command\n"
            "  --version      print the version\n"
            "  --config-keys  list every configuration key with its type and default\n"
            "\n"
            "exit codes: 0 ok, 1 runtime failure (network, database, VK), 2 usage or\n"
            "configuration error, 3 active alerts (alerts), 4 partial collection run\n"
            "(collect --once)\n",
            DEFAULT_CONFIG);
}

int cli_store_open(const struct cli *cli, struct store **st, char *err, size_t errlen)
{
    return store_open(cli->db_path, cli->store_mode, st, err, errlen);
}

int cli_int_option(const char *cmd, const char *opt, const char *arg, const char *section,
                   const char *key, long min, int *out)
{
    long lo = 0, hi = 0, v;
    char *end = NULL;

    if (config_int_bounds(section, key, &lo, &hi) != 0)
        return cli_usage_error(cmd, "internal: no integer key [%s] %s", section, key);
    if (min > lo)
        lo = min;
    errno = 0;
    v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < lo || v > hi)
        return cli_usage_error(cmd, "%s wants %ld..%ld (as [%s] %s), not '%s'", opt, lo, hi,
                               section, key, arg);
    *out = (int)v;
    return 0;
}

int cli_year_option(const char *cmd, const char *arg, int *out)
{
    char *end = NULL;
    long y;

    errno = 0;
    y = strtol(arg, &end, 10);
    if (errno || end == arg || *end || y < CLI_YEAR_MIN || y > CLI_YEAR_MAX)
        return cli_usage_error(cmd,
                               "--year wants the survey's year, %d to %d (e.g. 2023), not '%s'",
                               CLI_YEAR_MIN, CLI_YEAR_MAX, arg);
    *out = (int)y;
    return 0;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "vkpulse %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nrun 'vkpulse %s --help' for usage\n", cmd);
    return EXIT_USAGE;
}

int cli_option_error(const char *cmd, const struct option *opts, const char *shorts, char **argv)
{
    char msg[512];
    suggest_option(opts, shorts, optind > 0 ? argv[optind - 1] : NULL, optopt, msg, sizeof msg);
    return cli_usage_error(cmd, "%s", msg);
}

int cli_fail(int err, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    text_vprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log_error("%s", msg);
    return err == VKP_ECONFIG || err == VKP_EUSAGE ? EXIT_USAGE : EXIT_FAILURE_;
}

int cli_store_fail(const struct store *st, int rc, const char *fmt, ...)
{
    char what[1024] = "";
    va_list ap;
    if (fmt) {
        va_start(ap, fmt);
        text_vprintf(what, sizeof what, fmt, ap);
        va_end(ap);
    }
    return cli_fail(rc, "%s%s%s", what, what[0] ? ": " : "", store_error(st, rc));
}

static const char *command_name(size_t i, const void *ud)
{
    (void)ud;
    return commands[i].name;
}

/* Says that name is no command, with the nearest one when it looks like a slip. */
static int not_a_command(const char *name)
{
    const char *near = suggest_closest(name, command_name, NCOMMANDS, NULL);
    fprintf(stderr, "vkpulse: '%s' is not a command%s%s%s; run 'vkpulse --help'\n", name,
            near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    return EXIT_USAGE;
}

static const struct cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* --help and --version are answered for every command before it runs, so
 * they work even where the config is missing. */
static int wants(int argc, char **argv, const char *a, const char *b)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], a) == 0 || (b && strcmp(argv[i], b) == 0))
            return 1;
    return 0;
}

/* The config: --config, else $VKPULSE_CONFIG, else the system's. */
static const char *default_config(void)
{
    const char *env = getenv("VKPULSE_CONFIG");
    return env && env[0] ? env : DEFAULT_CONFIG;
}

/* The command's options, before its config is read: a misspelt one is named even where
 * the config is missing or wrong. getopt_long moves the command's arguments after its
 * options, which the command reads the same. */
static int check_options(const struct cli_command *cmd, int argc, char **argv)
{
    int c;
    optind = 0;
    while (cmd->opts && (c = getopt_long(argc, argv, cmd->shorts, cmd->opts, NULL)) != -1)
        if (c == '?')
            return cli_option_error(cmd->name, cmd->opts, cmd->shorts, argv);
    return 0;
}

/* Runs the command line; main adds the check of standard output. */
static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"db", required_argument, NULL, 'd'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"config-keys", no_argument, NULL, 'k'},
        {NULL, 0, NULL, 0},
    };
    static const char shorts[] = "+c:d:vhV";
    struct cli cli = {0};
    char err[1024] = "";
    int c, rc;

    setlocale(LC_ALL, "");
    /* Everything vkpulse creates (database, exports, reports) is private by default. */
    umask(077);
    /* Every refused option is said by suggest_option (with a "did you mean"), not by getopt. */
    opterr = 0;
    while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            cli.config_path = optarg;
            break;
        case 'd':
            cli.db_override = optarg;
            break;
        case 'v':
            log_set_level(LOG_DEBUG);
            break;
        case 'h':
            print_help(stdout);
            return EXIT_OK_;
        case 'V':
            printf("vkpulse %s\n", VKPULSE_VERSION);
            return EXIT_OK_;
        case 'k':
            config_print_keys();
            return EXIT_OK_;
        default:
            suggest_option(opts, shorts, argv[optind - 1], optopt, err, sizeof err);
            fprintf(stderr, "vkpulse: %s\nrun 'vkpulse --help' for usage\n", err);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[optind];
    if (strcmp(name, "help") == 0) {
        const char *about = optind + 1 < argc ? argv[optind + 1] : NULL;
        const struct cli_command *h = about ? find_command(about) : NULL;
        if (about && !h)
            return not_a_command(about);
        if (h)
            fputs(h->usage, stdout);
        else
            print_help(stdout);
        return EXIT_OK_;
    }
    const struct cli_command *cmd = find_command(name);
    if (!cmd)
        return not_a_command(name);
    argc -= optind;
    argv += optind;
    if (wants(argc, argv, "--help", "-h")) {
        fputs(cmd->usage, stdout);
        return EXIT_OK_;
    }
    if (wants(argc, argv, "--version", NULL)) {
        printf("vkpulse %s\n", VKPULSE_VERSION);
        return EXIT_OK_;
    }
    if (check_options(cmd, argc, argv) != 0)
        return EXIT_USAGE;
    if (!cli.config_path)
        cli.config_path = default_config();
    /* Each command runs its own getopt_long over its argv. 0, not 1: glibc
     * then forgets the "+" (stop at the first argument) mode used above, so
     * options may follow a command's arguments (survey import FILE --year Y). */
    optind = 0;
    if (cmd->reads_config)
        return cmd->run(&cli, argc, argv);
    rc = config_load(cli.config_path, &cli.cfg, err, sizeof err);
    if (rc != 0) {
        if (rc == VKP_EIO && !cli.config_path[0])
            rc = VKP_ECONFIG;
        log_error("%s", err);
        return rc == VKP_ENOMEM ? EXIT_FAILURE_ : EXIT_USAGE;
    }
    cli.db_path = cli.db_override ? cli.db_override : cli.cfg->db_path;
    cli.store_mode = cmd->store;
    rc = cmd->run(&cli, argc, argv);
    /* VK counts a token's requests in a second on its side: the short jobs that come
     * before a collection (`init`, `region sync`) leave that second empty for it. A
     * collection itself ends without waiting: the next one comes an interval later. */
    uint64_t quiet = cmd->run == cmd_collect ? 0 : pace_quiet_ms(uv_hrtime() / 1000000u);
    if (quiet > 0)
        nanosleep(&(struct timespec){(time_t)(quiet / 1000), (long)(quiet % 1000) * 1000000L},
                  NULL);
    config_free(cli.cfg);
    return rc;
}

int main(int argc, char **argv)
{
    char err[256];
    /* libcurl's global state, once for the process (VK requests and alert delivery). */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "vkpulse: cannot initialise libcurl\n");
        return EXIT_FAILURE_;
    }
    int rc = run(argc, argv);
    curl_global_cleanup();
    /* Output lost to a full disk or a closed pipe is a failure, whatever printed it. */
    if (outfile_close_stdout(err, sizeof err) != 0 && rc == EXIT_OK_) {
        log_error("%s", err);
        rc = EXIT_FAILURE_;
    }
    return rc;
}
