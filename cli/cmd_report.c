/* cmd_report.c: `vkpulse report`, the engagement report for moderators, a week to a school year. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alerts.h"
#include "cli.h"
#include "config.h"
#include "err.h"
#include "labels.h"
#include "log.h"
#include "metrics.h"
#include "muni.h"
#include "render.h"
#include "store.h"
#include "text.h"
#include "week.h"

/* What the command line asked for. */
struct report_args {
    enum period_kind period; /* --period */
    const char *to;          /* --to or --week, or NULL for the last complete period */
    const char *from;        /* --from, or NULL */
    const char *community;   /* --community, or NULL for all */
    int weeks;               /* --weeks, 0 for the default */
    enum csv_shape shape;    /* --csv-shape */
    struct outopt out;       /* --format, --lang, --output, --csv-sep */
};

/* The options of `vkpulse report`, also checked by main before the config is read. */
const struct option cmd_report_opts[] = {
    {"week", required_argument, NULL, 'w'},
    {"to", required_argument, NULL, 't'},
    {"from", required_argument, NULL, 'F'},
    {"period", required_argument, NULL, 'p'},
    {"community", required_argument, NULL, 'c'},
    {"weeks", required_argument, NULL, 'n'},
    {"csv-shape", required_argument, NULL, 'W'},
    OUTOPT_LONG,
    {NULL, 0, NULL, 0},
};
const char cmd_report_shorts[] = "w:t:F:p:c:n:" OUTOPT_SHORT;

static int parse_args(int argc, char **argv, const char *config_lang, struct report_args *a)
{
    int c, took;
    char err[256];

    memset(a, 0, sizeof *a);
    outopt_init(&a->out, config_lang);
    while ((c = getopt_long(argc, argv, cmd_report_shorts, cmd_report_opts, NULL)) != -1) {
        if ((took = outopt_parse(&a->out, c, optarg, err, sizeof err)) != 0) {
            if (took < 0)
                return cli_usage_error("report", "%s", err);
            continue;
        }
        switch (c) {
        case 'w':
        case 't':
            /* Both name the report period: the last one given must not silently win. */
            if (a->to)
                return cli_usage_error("report",
                                       "--week and --to both name the report period "
                                       "('%s', then '%s'): give one",
                                       a->to, optarg);
            a->to = optarg;
            break;
        case 'F':
            if (a->from)
                return cli_usage_error("report", "--from is given twice ('%s', then '%s')", a->from,
                                       optarg);
            a->from = optarg;
            break;
        case 'p':
            if (period_kind_parse(optarg, &a->period) != 0)
                return cli_usage_error(
                    "report",
                    "--period must be week, month, quarter, year or school-year, not '%s'", optarg);
            break;
        case 'c':
            a->community = optarg;
            break;
        case 'W':
            if (strcmp(optarg, "long") == 0)
                a->shape = CSV_LONG;
            else if (strcmp(optarg, "wide") == 0)
                a->shape = CSV_WIDE;
            else
                return cli_usage_error("report", "--csv-shape must be long or wide, not '%s'",
                                       optarg);
            break;
        case 'n':
            if (cli_int_option("report", "--weeks", optarg, "report", "weeks", 1, &a->weeks) != 0)
                return EXIT_USAGE;
            break;
        default:
            return cli_option_error("report", cmd_report_opts, cmd_report_shorts, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
    if (a->from && a->weeks)
        return cli_usage_error("report", "give --from or --weeks, not both");
    if (a->out.format == RENDER_XLSX && !a->out.output)
        return cli_usage_error("report", "--format xlsx writes a workbook: give --output FILE");
    return 0;
}

/* The active alerts, in the report's words: what `vkpulse alerts` found open. */
struct alert_list {
    struct render_alert *v; /* the alerts */
    size_t n, cap;
    char (*text)[512]; /* their sentences */
    char (*ref)[128];  /* their communities */
    char (*rule)[32];  /* their rules' names */
    enum lang lang;
    int failed; /* out of memory */
};

static void on_alert(void *ud, const struct alert_item *it)
{
    struct alert_list *l = ud;
    if (l->failed || l->n == 256)
        return; /* the page lists at most 256 alerts */
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        void *v = realloc(l->v, cap * sizeof *l->v), *t, *r, *u;
        if (v)
            l->v = v;
        t = v ? realloc(l->text, cap * sizeof *l->text) : NULL;
        if (t)
            l->text = t;
        r = t ? realloc(l->ref, cap * sizeof *l->ref) : NULL;
        if (r)
            l->ref = r;
        u = r ? realloc(l->rule, cap * sizeof *l->rule) : NULL;
        if (!u) {
            l->failed = 1;
            return;
        }
        l->rule = u;
        l->cap = cap;
    }
    alert_text(it, lang_code(l->lang), l->text[l->n], sizeof l->text[l->n]);
    text_copy(l->ref[l->n], sizeof l->ref[l->n], it->ref);
    text_copy(l->rule[l->n], sizeof l->rule[l->n], alert_rule_name(it->rule));
    l->v[l->n] = (struct render_alert){.community_id = it->community_id, .since = it->started_at};
    l->n++;
}

/* Points each alert at its strings once the arrays stopped moving. */
static void alerts_fix(struct alert_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        l->v[i].text = l->text[i];
        l->v[i].rule = l->rule[i];
        l->v[i].ref = l->ref[i][0] ? l->ref[i] : NULL;
    }
}

static void alerts_release(struct alert_list *l)
{
    free(l->v);
    free(l->text);
    free(l->ref);
    free(l->rule);
}

/* Trend windows of the longer periods: half a year, a year, and the institute's three years. */
static int default_window(enum period_kind kind, int config_weeks)
{
    static const int n[PERIOD_KINDS] = {0, 6, 4, 3, 3};
    return kind == PERIOD_WEEK ? config_weeks : n[kind];
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
    struct report_args a;
    struct report_options o;
    struct render_options ro;
    struct muni_map *munis = NULL;
    struct report *r = NULL;
    struct store *st = NULL;
    struct alert_list al = {0};
    const struct config *cfg = cli->cfg;
    char err[1024];
    int rc;

    if ((rc = parse_args(argc, argv, cfg->lang, &a)) != 0)
        return rc;
    memset(&o, 0, sizeof o);
    memset(&ro, 0, sizeof ro);
    if ((rc = week_zone_set(cfg->timezone, err, sizeof err)) != 0)
        return cli_fail(rc, "%s: [region] timezone: %s", cfg->path, err);
    o.now = (int64_t)time(NULL);
    if (a.to)
        rc = period_parse(a.period, a.to, &o.week, err, sizeof err);
    else
        rc = period_last_complete(a.period, o.now, &o.week);
    if (rc != 0)
        return cli_usage_error("report", "%s", a.to ? err : "cannot tell the current period");
    if (o.week.start > o.now) /* nothing can be known of it: a typo, most likely */
        return cli_usage_error("report", "the period '%s' has not begun yet", a.to);
    if ((rc = report_options_config(&o, cfg, &munis, err, sizeof err)) != 0)
        return cli_fail(rc, "%s", err);
    o.nweeks = a.weeks ? a.weeks : default_window(a.period, o.nweeks);
    o.community = a.community;
    if (a.from) {
        struct week first, w;
        if ((rc = period_parse(a.period, a.from, &first, err, sizeof err)) != 0) {
            rc = cli_usage_error("report", "%s", err);
            goto out;
        }
        /* Count the periods from --from to the report period. */
        for (o.nweeks = 1, w = first; w.start < o.week.start && o.nweeks <= 520; o.nweeks++)
            if (week_shift(&w, 1, &w) != 0)
                break;
        if (first.start > o.week.start || o.nweeks > 520) {
            rc = cli_usage_error("report", "--from '%s' must be at most 520 periods before --to",
                                 a.from);
            goto out;
        }
    }
    ro.lang = a.out.lang;
    ro.csv_sep = a.out.csv_sep;
    ro.shape = a.shape;
    al.lang = ro.lang;

    if ((rc = cli_store_open(cli, &st, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    if ((rc = report_build(st, &o, &r, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "cannot build the report from '%s': %s", cli->db_path, err);
        goto out;
    }
    /* The alerts open now: a weekly report shows them beside the figures (their rules
     * speak of days and weeks, so the longer periods' reports leave them out). */
    if (a.period == PERIOD_WEEK && ((rc = alerts_each_open(st, on_alert, &al)) != 0 || al.failed)) {
        rc = cli_store_fail(st, rc ? rc : VKP_ENOMEM, "cannot read the open alerts from '%s'",
                            cli->db_path);
        goto out;
    }
    alerts_fix(&al);
    ro.alerts = al.v;
    ro.nalerts = al.n;
    if (a.out.output) {
        rc = render_report_file(r, a.out.format, &ro, a.out.output, err, sizeof err);
        if (rc == 0)
            log_info("wrote %s", a.out.output); /* as crosscheck says it */
        rc = rc ? cli_fail(rc, "%s", err) : EXIT_OK_;
    } else {
        rc = render_report(r, a.out.format, &ro, stdout);
        if (rc == 0 && fflush(stdout) != 0)
            rc = VKP_EIO;
        if (rc)
            rc = cli_fail(rc, "cannot write the report: %s",
                          rc == VKP_EIO ? strerror(errno) : vkp_strerror(rc));
    }
out:
    alerts_release(&al);
    report_free(r);
    store_free(st);
    muni_map_free(munis);
    return rc;
}
