/* cmd_report.c: `vkpulse report`, the weekly engagement report for moderators. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "err.h"
#include "labels.h"
#include "metrics.h"
#include "muni.h"
#include "render.h"
#include "store.h"
#include "week.h"

enum format { FMT_TEXT, FMT_CSV, FMT_JSON, FMT_HTML };

static const char *const format_names[] = {"text", "csv", "json", "html", NULL};

/* What the command line asked for. */
struct report_args {
    const char *week;   /* --week, or NULL for the last complete week */
    int weeks;          /* --weeks, 0 for the config's */
    enum format format; /* --format */
    const char *lang;   /* --lang, or NULL for the default */
    const char *output; /* --output, or NULL for stdout */
    char csv_sep;       /* --csv-sep */
};

static int parse_args(int argc, char **argv, struct report_args *a)
{
    static const struct option opts[] = {
        {"week", required_argument, NULL, 'w'},
        {"weeks", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        {"lang", required_argument, NULL, 'l'},
        {"output", required_argument, NULL, 'o'},
        {"csv-sep", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    int c;
    char *end;

    memset(a, 0, sizeof *a);
    a->csv_sep = ',';
    while ((c = getopt_long(argc, argv, "w:n:f:l:o:s:", opts, NULL)) != -1) {
        switch (c) {
        case 'w':
            a->week = optarg;
            break;
        case 'n':
            errno = 0;
            a->weeks = (int)strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || a->weeks < 1 || a->weeks > 104)
                return cli_usage_error("report", "--weeks must be a number from 1 to 104, not '%s'",
                                       optarg);
            break;
        case 'f': {
            int i = 0;
            while (format_names[i] && strcmp(format_names[i], optarg) != 0)
                i++;
            if (!format_names[i])
                return cli_usage_error(
                    "report", "--format must be text, csv, json or html, not '%s'", optarg);
            a->format = (enum format)i;
            break;
        }
        case 'l': {
            enum lang l;
            if (lang_parse(optarg, &l) != 0)
                return cli_usage_error("report", "--lang must be ru or en, not '%s'", optarg);
            a->lang = optarg;
            break;
        }
        case 'o':
            a->output = optarg;
            break;
        case 's':
            if (strcmp(optarg, ",") != 0 && strcmp(optarg, ";") != 0)
                return cli_usage_error("report", "--csv-sep must be ',' or ';', not '%s'", optarg);
            a->csv_sep = optarg[0];
            break;
        default:
            return cli_usage_error("report", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
    return 0;
}

static int render(const struct report *r, enum format f, const struct render_options *ro, FILE *out)
{
    switch (f) {
    case FMT_CSV:
        return render_csv(r, ro, out);
    case FMT_JSON:
        return render_json(r, ro, out);
    case FMT_HTML:
        return render_html(r, ro, out);
    default:
        return render_text(r, ro, out);
    }
}

/* Writes the report to a temporary file beside `path` and renames it over
 * path, so a failure never leaves half a report behind. */
static int write_file(const struct report *r, enum format f, const struct render_options *ro,
                      const char *path, char *err, size_t errlen)
{
    char *tmp = NULL;
    FILE *out = NULL;
    int fd = -1, rc = VKP_EIO;

    if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
        tmp = NULL;
        rc = VKP_ENOMEM;
        goto fail;
    }
    if ((fd = mkstemp(tmp)) < 0 || !(out = fdopen(fd, "w"))) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        goto fail;
    }
    fd = -1;
    if ((rc = render(r, f, ro, out)) != 0 || fflush(out) != 0 || fsync(fileno(out)) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path,
                 rc && rc != VKP_EIO ? vkp_strerror(rc) : strerror(errno));
        rc = rc ? rc : VKP_EIO;
        goto fail;
    }
    if (fclose(out) != 0) {
        out = NULL;
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        goto fail;
    }
    out = NULL;
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        goto fail;
    }
    free(tmp);
    return 0;
fail:
    if (out)
        fclose(out);
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    return rc;
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
    struct report_args a;
    struct report_options o;
    struct render_options ro;
    struct muni_map *munis = NULL;
    struct report *r = NULL;
    struct store *st = NULL;
    const struct config *cfg = cli->cfg;
    char err[1024];
    int rc;

    if ((rc = parse_args(argc, argv, &a)) != 0)
        return rc;
    memset(&o, 0, sizeof o);
    memset(&ro, 0, sizeof ro);
    if ((rc = week_zone_set(cfg->timezone, err, sizeof err)) != 0)
        return cli_fail(rc, "%s: [region] timezone: %s", cfg->path, err);
    o.now = (int64_t)time(NULL);
    if (a.week)
        rc = week_parse(a.week, &o.week, err, sizeof err);
    else
        rc = week_last_complete(o.now, &o.week);
    if (rc != 0)
        return cli_usage_error("report", "%s", a.week ? err : "cannot tell the current week");
    o.nweeks = a.weeks ? a.weeks : cfg->report_weeks;
    o.top = cfg->report_top;
    o.slack = (int64_t)cfg->report_slack_hours * 3600;
    o.tz = cfg->timezone;
    if ((rc = muni_map_load(cfg->municipalities, &munis, err, sizeof err)) != 0)
        return cli_fail(rc, "%s: [region] municipalities: %s", cfg->path, err);
    o.munis = munis;
    ro.lang = lang_default(cfg->lang);
    if (a.lang)
        lang_parse(a.lang, &ro.lang);
    ro.csv_sep = a.csv_sep;

    if ((rc = store_open(cli->db_path, STORE_READONLY, &st, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    if ((rc = report_build(st, &o, &r, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "cannot build the report from '%s': %s", cli->db_path, err);
        goto out;
    }
    if (a.output) {
        rc = write_file(r, a.format, &ro, a.output, err, sizeof err);
        rc = rc ? cli_fail(rc, "%s", err) : EXIT_OK_;
    } else {
        rc = render(r, a.format, &ro, stdout);
        if (rc == 0 && fflush(stdout) != 0)
            rc = VKP_EIO;
        if (rc)
            rc = cli_fail(rc, "cannot write the report: %s",
                          rc == VKP_EIO ? strerror(errno) : vkp_strerror(rc));
    }
out:
    report_free(r);
    store_free(st);
    muni_map_free(munis);
    return rc;
}
