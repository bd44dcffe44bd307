/* cmd_crosscheck.c: `vkpulse crosscheck`: survey answers against observed participation. */
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

/* Command-line choices. */
struct xc_args {
    int year;          /* --year */
    int weeks;         /* --window, or [survey] window_weeks */
    struct outopt out; /* --format, --lang, --output, --csv-sep (--semicolon) */
    int pseudonymize;  /* --pseudonymize */
};

static int parse_args(struct cli *cli, int argc, char **argv, struct xc_args *a)
{
    static const struct option opts[] = {
        {"year", required_argument, NULL, 'y'},
        {"window", required_argument, NULL, 'w'},
        OUTOPT_LONG,
        {"pseudonymize", no_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    char *end, err[256];
    long v;
    int c, took;

    *a = (struct xc_args){.weeks = cli->cfg->survey_window_weeks};
    /* the config's language decides, not the locale: a survey report goes to the institute */
    outopt_init(&a->out, NULL);
    lang_parse(cli->cfg->lang ? cli->cfg->lang : "ru", &a->out.lang);
    while ((c = getopt_long(argc, argv, "y:w:p" OUTOPT_SHORT, opts, NULL)) != -1) {
        if ((took = outopt_parse(&a->out, c, optarg, err, sizeof err)) != 0) {
            if (took < 0)
                return cli_usage_error("crosscheck", "%s", err);
            continue;
        }
        switch (c) {
        case 'y':
            v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 2000 || v > 2100)
                return cli_usage_error("crosscheck", "--year wants a year such as 2023, not '%s'",
                                       optarg);
            a->year = (int)v;
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
            return cli_usage_error("crosscheck", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("crosscheck", "unexpected argument '%s'", argv[optind]);
    if (!a->year)
        return cli_usage_error("crosscheck", "say which survey: --year YYYY");
    if (a->out.format == RENDER_XLSX)
        return cli_usage_error("crosscheck", "--format xlsx is the report's: the cross-check "
                                             "writes text, csv, json or html");
    if (a->pseudonymize && a->out.format_set && a->out.format != RENDER_CSV)
        return cli_usage_error("crosscheck", "--pseudonymize writes CSV only");
    if (a->pseudonymize)
        a->out.format = RENDER_CSV;
    return 0;
}

int cmd_crosscheck(struct cli *cli, int argc, char **argv)
{
    struct xc_args a;
    struct xc_render_options ro = {0};
    struct muni_map *map = NULL;
    struct store *st = NULL;
    struct attribution *attr = NULL;
    struct crosscheck *x = NULL;
    FILE *out = stdout;
    struct outfile of = {0};
    char err[2048];
    int rc;

    if ((rc = parse_args(cli, argc, argv, &a)) != 0)
        return rc;
    /* times (generated_at, the JSON's ISO times) in the region's zone, as the report's */
    if ((rc = week_zone_set(cli->cfg->timezone, err, sizeof err)) != 0)
        return cli_fail(rc, "%s: [region] timezone: %s", cli->cfg->path, err);
    ro.format = a.out.format;
    ro.lang = a.out.lang;
    ro.sep = a.out.csv_sep;
    ro.generated_at = (int64_t)time(NULL);
    if ((rc = muni_map_load(cli->cfg->municipalities, &map, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    if ((rc = cli_store_open(cli, &st, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    if ((rc = attribution_new(map, st, &attr)) != 0) {
        rc = cli_fail(rc, "%s", store_errmsg(st));
        goto out;
    }
    if ((rc = crosscheck_run(st, cli->cfg, map, attr, a.year, a.weeks, &x, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
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
        rc = crosscheck_export_members(st, attr, x->from, x->to, cli->cfg->survey_salt, ro.sep, out,
                                       err, sizeof err);
    else if ((rc = crosscheck_render(x, &ro, out)) != 0)
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
    crosscheck_free(x);
    attribution_free(attr);
    store_free(st);
    muni_map_free(map);
    return rc;
}
