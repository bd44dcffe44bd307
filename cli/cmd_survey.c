/* cmd_survey.c: `vkpulse survey import|roster|list`: the survey answers and the roster. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attribution.h"
#include "cli.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "muni.h"
#include "store.h"
#include "store_survey.h"
#include "survey.h"

/* Prints the kept errors and how many more there were. */
static void print_errors(const char *const *errors, size_t kept, size_t total)
{
    for (size_t i = 0; i < kept; i++)
        log_error("%s", errors[i] ? errors[i] : "out of memory");
    if (total > kept)
        log_error("... and %zu more errors", total - kept);
}

static int load_map(struct cli *cli, struct muni_map **map)
{
    char err[1024];
    int rc = muni_map_of_config(cli->cfg, map, err, sizeof err);
    return rc ? cli_fail(rc, "%s", err) : 0;
}

static int survey_import(struct cli *cli, const char *path, int year, int dry_run)
{
    struct muni_map *map = NULL;
    struct survey *sv = NULL;
    struct store *st = NULL;
    char err[4096], fmt[64], letters[16];
    const char *header;
    int rc;

    if ((rc = load_map(cli, &map)) != 0)
        return rc;
    if ((rc = survey_read(cli->cfg, map, path, &sv, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    log_info("%s: read as %s; municipality in column %s", path, survey_format(sv, fmt, sizeof fmt),
             survey_column(sv, 0, &header, letters, 16));
    for (int q = 0; q < SURVEY_NQ; q++)
        log_info("question %s in column %s", survey_question_number((enum survey_q)q),
                 survey_column(sv, q + 1, &header, letters, 16));
    size_t nerr = survey_error_count(sv);
    if (nerr) {
        const char *errs[SURVEY_MAX_ERRORS];
        size_t kept = nerr < SURVEY_MAX_ERRORS ? nerr : SURVEY_MAX_ERRORS;
        for (size_t i = 0; i < kept; i++)
            errs[i] = survey_error(sv, i);
        print_errors(errs, kept, nerr);
        rc = cli_fail(VKP_EPARSE, "nothing imported: %zu row%s of '%s' could not be understood",
                      nerr, nerr == 1 ? "" : "s", path);
        goto out;
    }
    const struct store_survey_answer *answers;
    size_t nanswers = survey_answers(sv, &answers);
    if (dry_run) {
        printf("%s: %zu municipalities, %zu answers: no errors (nothing imported: --dry-run)\n",
               path, survey_row_count(sv), nanswers);
        rc = EXIT_OK_;
        goto out;
    }
    if ((rc = cli_store_open(cli, &st, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    if ((rc = survey_save(sv, st, year, path, (int64_t)time(NULL))) != 0) {
        rc = cli_store_fail(st, rc, "nothing imported");
        goto out;
    }
    printf("imported the %d survey from %s: %zu municipalities, %zu answers\n", year, path,
           survey_row_count(sv), nanswers);
    rc = EXIT_OK_;
out:
    store_free(st);
    survey_free(sv);
    muni_map_free(map);
    return rc;
}

static int survey_roster(struct cli *cli, const char *path)
{
    struct muni_map *map = NULL;
    struct roster_file rf;
    struct store *st = NULL;
    char err[4096];
    int rc;

    memset(&rf, 0, sizeof rf);
    if ((rc = load_map(cli, &map)) != 0)
        return rc;
    if ((rc = roster_file_read(cli->cfg, map, path, &rf, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    if (rf.nerrors) {
        size_t kept = rf.nerrors < ROSTER_MAX_ERRORS ? rf.nerrors : ROSTER_MAX_ERRORS;
        print_errors((const char *const *)rf.errors, kept, rf.nerrors);
        rc = cli_fail(VKP_EPARSE, "roster not changed: %zu row%s of '%s' could not be understood",
                      rf.nerrors, rf.nerrors == 1 ? "" : "s", path);
        goto out;
    }
    if ((rc = cli_store_open(cli, &st, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    if ((rc = store_roster_replace(st, (int64_t)time(NULL), path, rf.entries, rf.n)) != 0) {
        rc = cli_store_fail(st, rc, "roster not changed");
        goto out;
    }
    printf("roster replaced from %s: %zu people\n", path, rf.n);
    rc = EXIT_OK_;
out:
    store_free(st);
    roster_file_release(&rf);
    muni_map_free(map);
    return rc;
}

static int print_year(void *ud, const struct store_survey_year *y)
{
    char when[32];
    time_t t = (time_t)y->imported_at;
    struct tm tm;
    (void)ud;
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime_r(&t, &tm));
    printf("  %d  %3d municipalities  %4" PRId64 " answers  imported %s from %s\n", y->year,
           y->rows, y->answers, when, y->source);
    return 0;
}

static int count_roster(void *ud, const struct store_roster_entry *e)
{
    (void)e;
    (*(size_t *)ud)++;
    return 0;
}

static int survey_list(struct cli *cli)
{
    struct store *st = NULL;
    char err[1024];
    size_t roster = 0;
    int rc;

    /* Listing only reads, whatever import and roster need. */
    cli->store_mode = STORE_READONLY;
    if ((rc = cli_store_open(cli, &st, err, sizeof err)) != 0)
        return cli_fail(rc, "%s", err);
    printf("survey imports:\n");
    if ((rc = store_survey_each_year(st, print_year, NULL)) != 0 ||
        (rc = store_roster_each(st, count_roster, &roster)) != 0) {
        rc = cli_store_fail(st, rc, NULL);
        store_free(st);
        return rc;
    }
    printf("roster: %zu people\n", roster);
    store_free(st);
    return EXIT_OK_;
}

/* The options of `vkpulse survey`, also checked by main before the config is read. */
const struct option cmd_survey_opts[] = {
    {"year", required_argument, NULL, 'y'},
    {"dry-run", no_argument, NULL, 'n'},
    {NULL, 0, NULL, 0},
};
const char cmd_survey_shorts[] = "y:n";

int cmd_survey(struct cli *cli, int argc, char **argv)
{
    int year = 0, dry_run = 0, c, rc;

    while ((c = getopt_long(argc, argv, cmd_survey_shorts, cmd_survey_opts, NULL)) != -1) {
        switch (c) {
        case 'y':
            if ((rc = cli_year_option("survey", optarg, &year)) != 0)
                return rc;
            break;
        case 'n':
            dry_run = 1;
            break;
        default:
            return cli_option_error("survey", cmd_survey_opts, cmd_survey_shorts, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error("survey", "say import, roster or list");
    const char *what = argv[optind++];
    int nargs = argc - optind;
    if (strcmp(what, "import") == 0) {
        if (nargs != 1)
            return cli_usage_error("survey", "import takes one FILE");
        if (!year)
            return cli_usage_error("survey", "import needs --year YYYY");
        return survey_import(cli, argv[optind], year, dry_run);
    }
    if (strcmp(what, "roster") == 0) {
        if (nargs != 1)
            return cli_usage_error("survey", "roster takes one FILE");
        return survey_roster(cli, argv[optind]);
    }
    if (strcmp(what, "list") == 0) {
        if (nargs != 0)
            return cli_usage_error("survey", "list takes no arguments");
        return survey_list(cli);
    }
    return cli_usage_error("survey", "'%s' is not import, roster or list", what);
}
