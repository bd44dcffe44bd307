/* cmd_crosscheck.c: `vkpulse crosscheck`: survey answers against observed participation, for
 * one survey year or several side by side. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attribution.h"
#include "cli.h"
#include "config.h"
#include "crosscheck.h"
#include "crosscheck_render.h"
#include "err.h"
#include "log.h"
#include "muni.h"
#include "outfile.h"
#include "store.h"
#include "week.h"

/* The most survey years a panel sets side by side. */
#define MAX_YEARS 10

/* Command-line choices. */
struct xc_args {
    int years[MAX_YEARS]; /* --year, or --years ascending */
    size_t nyears;        /* how many */
    int panel;            /* --years */
    const char *from;     /* --from, or NULL */
    const char *to;       /* --to, or NULL */
    int weeks;            /* --window, 0 if not given */
    struct outopt out;    /* --format, --lang, --output, --csv-sep (--semicolon) */
    int pseudonymize;     /* --pseudonymize */
};

static int cmp_int(const void *a, const void *b)
{
    int p = *(const int *)a, q = *(const int *)b;
    return p < q ? -1 : p > q;
}

/* One year "2023" within CLI_YEAR_MIN..CLI_YEAR_MAX, or -1. */
static int parse_year(const char *s, const char **end)
{
    char *e;
    long v = strtol(s, &e, 10);
    *end = e;
    return e == s || v < CLI_YEAR_MIN || v > CLI_YEAR_MAX ? -1 : (int)v;
}

/* "2023,2024,2025" into a->years, sorted, without repeats. */
static int parse_years(const char *text, struct xc_args *a)
{
    const char *p = text, *e;
    a->nyears = 0;
    for (;;) {
        int y = parse_year(p, &e);
        if (y < 0 || (*e && *e != ',') || a->nyears == MAX_YEARS)
            return cli_usage_error("crosscheck",
                                   "--years wants up to %d survey years, each %d to %d, "
                                   "such as 2023,2024,2025, not '%s'",
                                   MAX_YEARS, CLI_YEAR_MIN, CLI_YEAR_MAX, text);
        a->years[a->nyears++] = y;
        if (!*e)
            break;
        p = e + 1;
    }
    qsort(a->years, a->nyears, sizeof a->years[0], cmp_int);
    size_t n = 0;
    for (size_t i = 0; i < a->nyears; i++)
        if (!n || a->years[n - 1] != a->years[i])
            a->years[n++] = a->years[i];
    a->nyears = n;
    a->panel = 1;
    return 0;
}

/* The options of `vkpulse crosscheck`, also checked by main before the config is read. */
const struct option cmd_crosscheck_opts[] = {
    {"year", required_argument, NULL, 'y'},   {"years", required_argument, NULL, 'Y'},
    {"from", required_argument, NULL, 'F'},   {"to", required_argument, NULL, 'T'},
    {"window", required_argument, NULL, 'w'}, OUTOPT_LONG,
    {"pseudonymize", no_argument, NULL, 'p'}, {NULL, 0, NULL, 0},
};
const char cmd_crosscheck_shorts[] = "y:w:p" OUTOPT_SHORT;

static int parse_args(struct cli *cli, int argc, char **argv, struct xc_args *a)
{
    char err[256];
    int c, took, rc;

    *a = (struct xc_args){0};
    /* the config's language decides, not the locale: a survey report goes to the institute */
    outopt_init(&a->out, NULL);
    lang_parse(cli->cfg->lang ? cli->cfg->lang : "ru", &a->out.lang);
    while ((c = getopt_long(argc, argv, cmd_crosscheck_shorts, cmd_crosscheck_opts, NULL)) != -1) {
        if ((took = outopt_parse(&a->out, c, optarg, err, sizeof err)) != 0) {
            if (took < 0)
                return cli_usage_error("crosscheck", "%s", err);
            continue;
        }
        switch (c) {
        case 'y':
            if (cli_year_option("crosscheck", optarg, &a->years[0]) != 0)
                return EXIT_USAGE;
            a->nyears = 1;
            a->panel = 0;
            break;
        case 'Y':
            if ((rc = parse_years(optarg, a)) != 0)
                return rc;
            break;
        case 'F':
            a->from = optarg;
            break;
        case 'T':
            a->to = optarg;
            break;
        case 'w':
            if (cli_int_option("crosscheck", "--window", optarg, "survey", "window_weeks", 1,
                               &a->weeks) != 0)
                return EXIT_USAGE;
            break;
        case 'p':
            a->pseudonymize = 1;
            break;
        default:
            return cli_option_error("crosscheck", cmd_crosscheck_opts, cmd_crosscheck_shorts, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("crosscheck", "unexpected argument '%s'", argv[optind]);
    if (!a->nyears)
        return cli_usage_error("crosscheck",
                               "say which survey: --year YYYY (or --years Y1,Y2,...)");
    if (!a->from != !a->to)
        return cli_usage_error("crosscheck", "--from and --to go together: give both dates");
    if (a->from && a->weeks)
        return cli_usage_error("crosscheck", "give --from/--to or --window, not both");
    if (a->panel && (a->from || a->weeks))
        return cli_usage_error("crosscheck",
                               "--years observes each survey's own period ([survey] period); "
                               "--from/--to and --window choose one window for one --year");
    if (a->pseudonymize && a->panel)
        return cli_usage_error("crosscheck", "--pseudonymize exports one --year");
    if (a->out.format == RENDER_XLSX)
        return cli_usage_error("crosscheck", "--format xlsx is the report's: the cross-check "
                                             "writes text, csv, json or html");
    if (a->pseudonymize && a->out.format_set && a->out.format != RENDER_CSV)
        return cli_usage_error("crosscheck", "--pseudonymize writes CSV only");
    if (a->pseudonymize)
        a->out.format = RENDER_CSV;
    return 0;
}

/* The window of survey `year`: the dates or weeks asked for, else [survey] period. */
static int window_of(const struct cli *cli, const struct xc_args *a, int year, struct xc_window *w)
{
    enum xc_window_kind kind = XC_WIN_CALENDAR;

    if (a->from) {
        *w = (struct xc_window){.kind = XC_WIN_DATES};
        /* Both read by the one strict date reader, for a message saying what is
         * wrong (2023-02-30: February 2023 has 28 days). */
        char why[256] = "not a date";
        if (week_date_midnight(a->from, 0, &w->from, why, sizeof why) != 0)
            return cli_usage_error("crosscheck", "--from: %s", why);
        /* --to names the window's last day: it ends at the next local midnight */
        if (week_date_midnight(a->to, 1, &w->to, why, sizeof why) != 0)
            return cli_usage_error("crosscheck", "--to: %s", why);
        if (w->to <= w->from)
            return cli_usage_error("crosscheck", "--to %s is before --from %s", a->to, a->from);
        return 0;
    }
    if (xc_window_kind_parse(cli->cfg->survey_period, &kind) != 0)
        kind = XC_WIN_CALENDAR; /* the config table allows no other value */
    if (a->weeks || kind == XC_WIN_WEEKS) {
        *w = (struct xc_window){.kind = XC_WIN_WEEKS,
                                .weeks = a->weeks ? a->weeks : cli->cfg->survey_window_weeks};
        return 0;
    }
    if (xc_window_for_year(kind, year, w) != 0)
        return cli_usage_error("crosscheck", "no survey period for the year %d", year);
    return 0;
}

int cmd_crosscheck(struct cli *cli, int argc, char **argv)
{
    struct xc_args a;
    struct xc_render_options ro = {0};
    struct muni_map *map = NULL;
    struct store *st = NULL;
    struct attribution *attr = NULL;
    struct crosscheck *xs[MAX_YEARS] = {0};
    FILE *out = stdout;
    struct outfile of = {0};
    char err[2048], salt[65];
    int rc;

    if ((rc = parse_args(cli, argc, argv, &a)) != 0)
        return rc;
    /* dates, generated_at and the JSON's ISO times in the region's zone, as the report's */
    if ((rc = week_zone_set(cli->cfg->timezone, err, sizeof err)) != 0)
        return cli_fail(rc, "%s: [region] timezone: %s", cli->cfg->path, err);
    ro.format = a.out.format;
    ro.lang = a.out.lang;
    ro.sep = a.out.csv_sep;
    ro.generated_at = (int64_t)time(NULL);
    ro.timezone = cli->cfg->timezone;
    /* evidence authors: the research export's pseudonyms when a salt is configured */
    ro.salted = cli->cfg->survey_salt && strlen(cli->cfg->survey_salt) >= 16;
    if (!ro.salted && (rc = xc_session_salt(salt)) != 0)
        return cli_fail(rc, "cannot make pseudonyms: no random numbers");
    ro.salt = ro.salted ? cli->cfg->survey_salt : salt;
    struct xc_window win[MAX_YEARS];
    for (size_t i = 0; i < a.nyears; i++)
        if ((rc = window_of(cli, &a, a.years[i], &win[i])) != 0)
            return rc;
    if ((rc = muni_map_of_config(cli->cfg, &map, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    if ((rc = cli_store_open(cli, &st, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    if ((rc = attribution_new(map, st, &attr)) != 0) {
        rc = cli_store_fail(st, rc, NULL);
        goto out;
    }
    for (size_t i = 0; i < a.nyears; i++)
        if ((rc = crosscheck_run(st, cli->cfg, map, attr, a.years[i], &win[i], &xs[i], err,
                                 sizeof err)) != 0) {
            rc = rc == VKP_EUSAGE ? cli_usage_error("crosscheck", "%s", err)
                                  : cli_fail(rc, "%s", err);
            goto out;
        }
    /* A report file appears whole or not at all: written aside, then renamed. */
    if (a.out.output) {
        if ((rc = outfile_open(&of, a.out.output, err, sizeof err)) != 0) {
            rc = cli_fail(rc, "%s", err);
            goto out;
        }
        out = of.f;
    }
    if (a.pseudonymize)
        rc = crosscheck_export_members(st, attr, xs[0]->from, xs[0]->seen_to,
                                       xc_member_list_at(xs[0]), cli->cfg->survey_salt, ro.sep, out,
                                       err, sizeof err);
    else if ((rc = a.panel ? crosscheck_render_panel((const struct crosscheck *const *)xs, a.nyears,
                                                     &ro, out)
                           : crosscheck_render(xs[0], &ro, out)) != 0)
        snprintf(err, sizeof err, "cannot write the cross-check");
    if (a.out.output && rc == 0)
        rc = outfile_commit(&of, err, sizeof err);
    else if (rc == 0)
        rc = outfile_close_stdout(err, sizeof err);
    if (rc != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    if (a.out.output)
        log_info("wrote %s", a.out.output);
    rc = EXIT_OK_;
out:
    outfile_abort(&of);
    for (size_t i = 0; i < a.nyears; i++)
        crosscheck_free(xs[i]);
    attribution_free(attr);
    store_free(st);
    muni_map_free(map);
    return rc;
}
