/* cmd_alerts.c: `vkpulse alerts`: evaluate the rules now, deliver, print the active alerts. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alerts.h"
#include "cli.h"
#include "config.h"
#include "deliver.h"
#include "err.h"
#include "log.h"
#include "service.h"
#include "store.h"
#include "store_outbox.h"
#include "week.h"

static void print_test(void *ud, int index, const struct config_channel *ch, const char *err)
{
    (void)ud;
    if (err)
        printf("channel %d (%s, line %d): failed: %s\n", index, config_channel_type_name(ch->type),
               ch->line, err);
    else
        printf("channel %d (%s, line %d): ok\n", index, config_channel_type_name(ch->type),
               ch->line);
}

/* --test: a test message to each channel now, nothing evaluated or queued. */
static int send_tests(const struct cli *cli)
{
    struct deliver_options dopt = {.stdout_sink = stdout};
    int failed;

    if (cli->cfg->nchannels == 0) {
        log_error("no [channel] in %s: nothing to test", cli->cfg->path);
        return EXIT_USAGE; /* a configuration error, as README's exit codes say */
    }
    /* A stdout channel's test message goes where its messages go, standard output,
     * just before its verdict. */
    failed = deliver_test(cli->cfg, (int64_t)time(NULL), &dopt, print_test, NULL);
    if (failed)
        log_error("%d of %zu channel(s) failed the test", failed, cli->cfg->nchannels);
    return failed ? EXIT_FAILURE_ : EXIT_OK_;
}

/* Collects the open alerts into a report, as the last evaluation left them. */
static void on_open(void *ud, const struct alert_item *it)
{
    struct alert_report *r = ud;
    struct alert_item *grown = realloc(r->items, (r->nitems + 1) * sizeof *grown);
    if (!grown)
        return;
    r->items = grown;
    r->items[r->nitems] = *it;
    r->items[r->nitems++].change = ALERT_ONGOING;
    r->nactive = r->nitems;
}

/*
 * A user who may read the database but not write it (a moderator beside the
 * service) cannot record an evaluation: they get the alerts as the last one
 * (the service's, after each run) left them, and nothing is evaluated or sent.
 */
static int list_recorded(struct store *st, struct alert_report *r, int64_t now)
{
    r->now = now;
    log_info("this user may not write the database: the alerts as last evaluated "
             "(nothing was evaluated or sent now)");
    return alerts_each_open(st, on_open, r);
}

/* The options of `vkpulse alerts`, also checked by main before the config is read. */
const struct option cmd_alerts_opts[] = {
    {"format", required_argument, NULL, 'f'},
    {"no-send", no_argument, NULL, 'n'},
    {"test", no_argument, NULL, 't'},
    {NULL, 0, NULL, 0},
};
const char cmd_alerts_shorts[] = "f:nt";

int cmd_alerts(struct cli *cli, int argc, char **argv)
{
    struct store *st = NULL;
    struct alert_report r = {0};
    struct deliver_stats ds = {0};
    struct deliver_options dopt = {.stdout_sink = NULL};
    const char *format = "text";
    char err[1024];
    int64_t pending = 0, oldest = 0, now;
    int c, rc, send = 1, test = 0, reader;

    while ((c = getopt_long(argc, argv, cmd_alerts_shorts, cmd_alerts_opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            format = optarg;
            break;
        case 'n':
            send = 0;
            break;
        case 't':
            test = 1;
            break;
        default:
            return cli_option_error("alerts", cmd_alerts_opts, cmd_alerts_shorts, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("alerts", "unexpected argument '%s'", argv[optind]);
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage_error("alerts", "--format must be text or json, not '%s'", format);
    if (test)
        return send ? send_tests(cli)
                    : cli_usage_error("alerts", "--test sends: not with --no-send");
    if ((rc = week_zone_set(cli->cfg->timezone, err, sizeof err)) != 0)
        return cli_fail(rc, "%s", err);
    /* EACCES only: a read-only file system or a missing file get store_open's own words. */
    reader = access(cli->db_path, W_OK) != 0 && errno == EACCES;
    if (reader)
        cli->store_mode = STORE_READONLY;
    if ((rc = cli_store_open(cli, &st, err, sizeof err)) != 0)
        return cli_fail(rc, "%s", err);
    /* A reader: which groups are configured is what init and collect last stored, so a
     * config that lacks a group does not end its alerts (only they apply the config). */
    now = (int64_t)time(NULL);
    if (reader) {
        send = 0;
        if ((rc = list_recorded(st, &r, now)) != 0) {
            rc = cli_store_fail(st, rc, NULL);
            goto out;
        }
    } else if ((rc = alerts_evaluate(st, cli->cfg, now, &r, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    /* JSON on stdout stays one document: stdout channels write to stderr then. */
    if (strcmp(format, "json") == 0)
        dopt.stdout_sink = stderr;
    if (send && (rc = deliver_pending(st, cli->cfg, now, &dopt, &ds)) != 0) {
        rc = cli_store_fail(st, rc, "cannot deliver alerts");
        goto out;
    }
    if (ds.failed)
        log_warn("%d delivery attempt(s) failed; the messages stay in the outbox and are tried "
                 "again at the next evaluation",
                 ds.failed);
    if ((rc = store_outbox_pending(st, &pending, &oldest)) != 0) {
        rc = cli_store_fail(st, rc, NULL);
        goto out;
    }
    if (strcmp(format, "json") == 0)
        alerts_print_json(stdout, &r, cli->cfg->lang, pending, oldest);
    else
        alerts_print_text(stdout, &r, cli->cfg->lang, pending, oldest);
    if (fflush(stdout) != 0) {
        rc = cli_fail(VKP_EIO, "cannot write the alerts to standard output");
        goto out;
    }
    rc = r.nactive ? EXIT_ALERTS : EXIT_OK_;
out:
    alert_report_release(&r);
    store_free(st);
    return rc;
}
