/* cmd_crosscheck.c: `vkpulse crosscheck`: survey answers against observed participation. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Command-line choices. */
struct xc_args {
    int year;           /* --year */
    int weeks;          /* --window, or [survey] window_weeks */
    const char *format; /* --format */
    const char *lang;   /* --lang, or [region] lang */
    const char *output; /* --output, NULL: stdout */
    int semicolon;      /* --semicolon */
    int pseudonymize;   /* --pseudonymize */
};

static int parse_args(struct cli *cli, int argc, char **argv, struct xc_args *a)
{
    static const struct option opts[] = {
        {"year", required_argument, NULL, 'y'},   {"window", required_argument, NULL, 'w'},
        {"format", required_argument, NULL, 'f'}, {"lang", required_argument, NULL, 'l'},
        {"output", required_argument, NULL, 'o'}, {"semicolon", no_argument, NULL, 's'},
        {"pseudonymize", no_argument, NULL, 'p'}, {NULL, 0, NULL, 0},
    };
    char *end;
    long v;
    int c;

    *a = (struct xc_args){.weeks = cli->cfg->survey_window_weeks, .lang = cli->cfg->lang};
    while ((c = getopt_long(argc, argv, "y:w:f:l:o:sp", opts, NULL)) != -1) {
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
        case 'f':
            a->format = optarg;
            break;
        case 'l':
            if (strcmp(optarg, "ru") != 0 && strcmp(optarg, "en") != 0)
                return cli_usage_error("crosscheck", "--lang is ru or en, not '%s'", optarg);
            a->lang = optarg;
            break;
        case 'o':
            a->output = optarg;
            break;
        case 's':
            a->semicolon = 1;
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
    if (a->pseudonymize && a->format && strcmp(a->format, "csv") != 0)
        return cli_usage_error("crosscheck", "--pseudonymize writes CSV only");
    if (!a->format)
        a->format = a->pseudonymize ? "csv" : "text";
    return 0;
}

static int format_of(const char *s, enum xc_format *f)
{
    static const char *const names[] = {"text", "csv", "json", "html"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return *f = (enum xc_format)i, 0;
    return -1;
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
    if (format_of(a.format, &ro.format) != 0)
        return cli_usage_error("crosscheck", "--format is text, csv, json or html, not '%s'",
                               a.format);
    ro.en = strcmp(a.lang, "en") == 0;
    ro.sep = a.semicolon ? ';' : ',';
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
    if (a.output) {
        if ((rc = outfile_open(&of, a.output, err, sizeof err)) != 0) {
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
    if (a.output && rc == 0)
        rc = outfile_commit(&of, err, sizeof err);
    else if (rc == 0)
        rc = outfile_close_stdout(err, sizeof err);
    if (rc != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    if (a.output)
        log_info("wrote %s", a.output);
    rc = EXIT_OK_;
out:
    outfile_abort(&of);
    crosscheck_free(x);
    attribution_free(attr);
    store_free(st);
    muni_map_free(map);
    return rc;
}
