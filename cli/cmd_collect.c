/* cmd_collect.c: `vkpulse collect --once | --watch`. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "collect.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "progress.h"
#include "service.h"
#include "week.h"
#include "store.h"

static const char *const status_name[] = {"ok", "partial", "failed"};

static void report_run(const struct collect_result *r)
{
    log_info("run #%" PRId64 " %s: %" PRId64 " requests, %" PRId64 " calls, %" PRId64
             " retries, %.1f s%s%s",
             r->run_id, status_name[r->status], r->requests, r->calls, r->retries, r->seconds,
             r->message[0] ? ": " : "", r->message);
}

/*
 * One collector per database: two would both run, doubling the request rate on one
 * token and racing each other's runs. An flock on DB.lock (not on the database
 * itself: closing any descriptor of it would drop SQLite's own locks) is released
 * by the kernel however the process ends, so a killed collector never blocks the
 * next. The holder's pid is written into it for the message. *fd gets the lock.
 */
static int collect_lock(const char *db, int *fd, char *err, size_t errlen)
{
    char path[4096], pid[32] = "";
    ssize_t n;

    *fd = -1;
    if ((size_t)snprintf(path, sizeof path, "%s.lock", db) >= sizeof path) {
        snprintf(err, errlen, "database path '%s' is too long", db);
        return VKP_EUSAGE;
    }
    int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (f < 0) {
        snprintf(err, errlen, "cannot create the lock file '%s.lock': %s", db, strerror(errno));
        return VKP_EIO;
    }
    if (flock(f, LOCK_EX | LOCK_NB) != 0) {
        int busy = errno == EWOULDBLOCK;
        if (busy && (n = pread(f, pid, sizeof pid - 1, 0)) > 0)
            pid[n] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        if (busy)
            snprintf(err, errlen,
                     "another 'vkpulse collect' is running on '%s'%s%s%s: one collector per "
                     "database; wait for it to end, or stop it",
                     db, pid[0] ? " (pid " : "", pid, pid[0] ? ")" : "");
        else
            snprintf(err, errlen, "cannot lock '%s.lock': %s", db, strerror(errno));
        close(f);
        return busy ? VKP_EBUSY : VKP_EIO;
    }
    n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(f, 0) != 0 || pwrite(f, pid, (size_t)n, 0) != n)
        log_debug("cannot write the pid into '%s.lock'", db);
    *fd = f;
    return 0;
}

int cmd_collect(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"once", no_argument, NULL, 'o'},
        {"watch", no_argument, NULL, 'w'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    struct collect_options copt = {0};
    struct collector *col = NULL;
    struct store *st = NULL;
    struct collect_result res;
    char *token = NULL;
    char err[1024];
    int once = 0, watch = 0, quiet = 0, c, rc, lock = -1;

    while ((c = getopt_long(argc, argv, "owq", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            once = 1;
            break;
        case 'w':
            watch = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        default:
            return cli_usage_error("collect", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("collect", "unexpected argument '%s'", argv[optind]);
    if (once == watch)
        return cli_usage_error("collect", "say --once or --watch");
    if ((rc = config_token(cli->cfg, &token, err, sizeof err)) != 0)
        return cli_fail(rc, "%s", err);
    if ((rc = cli_store_open(cli, &st, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    if ((rc = collect_lock(cli->db_path, &lock, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    /* Communities added to the config since `init` are picked up here. */
    if ((rc = store_sync_communities(st, cli->cfg)) != 0) {
        rc = cli_fail(rc, "%s", store_errmsg(st));
        goto out;
    }
    if (watch && (rc = week_zone_set(cli->cfg->timezone, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    if (!quiet && isatty(STDERR_FILENO))
        copt.progress = progress_draw;
    if ((rc = collector_new(cli->cfg, st, token, &copt, &col, err, sizeof err)) != 0) {
        rc = cli_fail(rc, "%s", err);
        goto out;
    }
    for (;;) {
        rc = collector_run(col, &res);
        if (rc == VKP_EINTERRUPTED) {
            rc = EXIT_OK_;
            break;
        }
        if (rc != 0) {
            rc = EXIT_FAILURE_;
            break;
        }
        report_run(&res);
        /* The city directory changes slowly: refreshed when older than
         * [region] directory_max_age_days; a failure leaves the stored one. After the
         * run, whose clock has been checked (a run refused for its clock ends above). */
        if (cli_region_sync(cli, st, token, 0, 0) != 0)
            log_warn("the city directory was not refreshed; the crosscheck uses the stored one, "
                     "or city titles");
        /* Retention after every run; a failure is logged and, for --once,
         * makes the exit code say so (the data is kept longer than promised). */
        if (cli_purge(st, cli->cfg->retention_months) != 0 && once) {
            rc = EXIT_FAILURE_;
            break;
        }
        if (once) {
            rc = res.status == COLLECT_OK        ? EXIT_OK_
                 : res.status == COLLECT_PARTIAL ? EXIT_PARTIAL
                                                 : EXIT_FAILURE_;
            break;
        }
        /* --watch: alerts (a rejected token among them) are evaluated and
         * sent before anything else; their failures never stop the service. */
        service_after_run(st, cli->cfg, (int64_t)time(NULL));
        /* A rejected token will not heal by itself. */
        if (res.status == COLLECT_FAILED && res.err == VKP_EAUTH) {
            rc = EXIT_FAILURE_;
            break;
        }
        int wait = service_next_wake(cli->cfg, (int64_t)time(NULL), cli->cfg->interval);
        if (res.interrupted || collector_sleep(col, wait)) {
            rc = EXIT_OK_;
            break;
        }
    }
out:
    collector_free(col);
    store_free(st);
    if (lock >= 0)
        close(lock);
    if (token) {
        explicit_bzero(token, strlen(token));
        free(token);
    }
    return rc;
}
