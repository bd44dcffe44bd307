/* service.c: the daemon's home: one collector per database (the lock), the loop of runs
 * (region refresh, run, purge, alerts, the weekly work, sleep until the next wake), the
 * deliveries beside it, and its end. `collect --once` is one turn of the same loop. */
#include "service.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "alerts.h"
#include "collect.h"
#include "config.h"
#include "deliver.h"
#include "err.h"
#include "log.h"
#include "store.h"
#include "text.h"
#include "week.h"

/* ---- one collector per database ------------------------------------------------------- */

/*
 * One collector per database: two would both run, doubling the request rate on one
 * token and racing each other's runs. An flock on DB.lock (not on the database
 * itself: closing any descriptor of it would drop SQLite's own locks) is released
 * by the kernel however the process ends, so a killed collector never blocks the
 * next. The holder's pid is written into it for the message. *fd gets the lock.
 */
static int service_lock(const char *db, int *fd, char *err, size_t errlen)
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

/* ---- deliveries beside the collection --------------------------------------------------- */

/*
 * The outbox is sent by a thread with its own connection to the database, so that a slow
 * receiver (a channel may take [channel] timeout seconds per message) never holds up a
 * run. One delivery at a time: a kick while one is under way leaves the new messages to
 * the next kick. On the way out the service asks it to stop (a transfer under way is
 * abandoned and its message kept for a retry) and waits for it.
 */
struct deliverer {
    const struct config *cfg;
    const char *db_path;
    uv_thread_t thread;
    int started;     /* a thread was started and not joined yet */
    atomic_int done; /* it has finished */
    atomic_int stop; /* the service is ending: abandon what is under way */
    int64_t now;     /* the kick's time: messages due then are sent */
};

static void deliver_main(void *arg)
{
    struct deliverer *d = arg;
    struct deliver_options opt = {.stop = &d->stop};
    struct deliver_stats ds;
    struct store *st = NULL;
    char err[1024];
    int rc;

    if (store_open(d->db_path, STORE_EXISTING, &st, err, sizeof err) != 0)
        log_error("cannot deliver alerts: %s", err);
    else if ((rc = deliver_pending(st, d->cfg, d->now, &opt, &ds)) != 0)
        log_error("cannot deliver alerts: %s", store_error(st, rc));
    else if (ds.sent || ds.failed)
        log_info("deliveries: %d sent, %d failed and kept for a retry", ds.sent, ds.failed);
    store_free(st);
    atomic_store(&d->done, 1);
}

static void deliverer_kick(struct deliverer *d, int64_t now)
{
    if (d->started) {
        if (!atomic_load(&d->done))
            return; /* still sending: it gets the rest next time */
        uv_thread_join(&d->thread);
        d->started = 0;
    }
    d->now = now;
    atomic_store(&d->done, 0);
    if (uv_thread_create(&d->thread, deliver_main, d) == 0)
        d->started = 1;
    else
        log_error("cannot start the deliveries; the messages stay in the outbox");
}

static void deliverer_end(struct deliverer *d)
{
    if (!d->started)
        return;
    if (!atomic_load(&d->done))
        log_info("abandoning the delivery under way; its message stays in the outbox");
    atomic_store(&d->stop, 1);
    uv_thread_join(&d->thread);
    d->started = 0;
}

/* ---- after each run ----------------------------------------------------------------------- */

int service_after_run(struct store *st, const struct config *cfg, int64_t now)
{
    struct alert_report r;
    char err[1024], text[768];
    int made, rc, first = 0;

    rc = alerts_evaluate(st, cfg, now, &r, err, sizeof err);
    if (rc != 0) {
        log_error("%s", err);
        first = rc;
    } else {
        for (size_t i = 0; i < r.nitems; i++) {
            const struct alert_item *it = &r.items[i];
            if (it->change == ALERT_STARTED)
                log_warn("alert %s: %s", alert_rule_name(it->rule),
                         alert_text(it, cfg->lang, text, sizeof text));
            else if (it->change == ALERT_ENDED)
                log_info("alert over %s: %s", alert_rule_name(it->rule),
                         alert_text(it, cfg->lang, text, sizeof text));
        }
        alert_report_release(&r);
    }
    if ((rc = service_weekly(st, cfg, now, &made, err, sizeof err)) != 0) {
        log_error("%s", err);
        first = first ? first : rc;
    }
    return first;
}

/* ---- the loop ------------------------------------------------------------------------------- */

static const char *const status_name[] = {"ok", "partial", "failed"};

static void report_run(const struct collect_result *r)
{
    log_info("run #%" PRId64 " %s: %" PRId64 " requests, %" PRId64 " calls, %" PRId64
             " retries, %.1f s%s%s",
             r->run_id, status_name[r->status], r->requests, r->calls, r->retries, r->seconds,
             r->message[0] ? ": " : "", r->message);
}

/* The turns of the loop until it ends; *end says how, *why for the log. */
static void service_loop(struct collector *col, struct store *st, const struct config *cfg,
                         const struct service_options *opt, struct deliverer *d,
                         enum service_end *end, const char **why, int *runs)
{
    struct collect_result res;

    for (;;) {
        int rc = collector_run(col, &res);
        if (rc == VKP_EINTERRUPTED) {
            *end = SERVICE_OK, *why = "a signal";
            return;
        }
        if (rc != 0) {
            *end = SERVICE_FAILED;
            *why = rc == VKP_ECLOCK ? "the clock disagrees with VK's"
                                    : "the run could not be recorded";
            return;
        }
        (*runs)++;
        report_run(&res);
        /* The city directory changes slowly: refreshed when older than
         * [region] directory_max_age_days; a failure leaves the stored one. After the
         * run, whose clock has been checked (a run refused for its clock ends above). */
        if (service_region_sync(cfg, st, opt->token, 0, opt->quiet ? -1 : 0) != 0)
            log_warn("the city directory was not refreshed; the crosscheck uses the stored one, "
                     "or city titles");
        /* Retention after every run; a failure is logged and, for --once,
         * makes the exit code say so (the data is kept longer than promised). */
        if (service_purge(st, cfg->retention_months) != 0 && !opt->watch) {
            *end = SERVICE_FAILED;
            return;
        }
        if (!opt->watch) {
            *end = res.status == COLLECT_OK        ? SERVICE_OK
                   : res.status == COLLECT_PARTIAL ? SERVICE_PARTIAL
                                                   : SERVICE_FAILED;
            return;
        }
        /* --watch: alerts (a rejected token among them) are evaluated and queued
         * before anything else, then sent beside the next sleep and run; their
         * failures never stop the service. */
        service_after_run(st, cfg, (int64_t)time(NULL));
        deliverer_kick(d, (int64_t)time(NULL));
        /* A rejected token will not heal by itself. */
        if (res.status == COLLECT_FAILED && res.err == VKP_EAUTH) {
            *end = SERVICE_FAILED, *why = "VK rejected the access token";
            return;
        }
        int wait = service_next_wake(cfg, (int64_t)time(NULL), cfg->interval);
        /* Said once the run's own work is done (deliveries go on beside the
         * sleep and say so themselves): tests wait for this line. */
        if (!res.interrupted)
            log_info("next run in %d s", wait);
        if (res.interrupted || collector_sleep(col, wait)) {
            *end = SERVICE_OK, *why = "a signal";
            return;
        }
    }
}

int service_collect(struct store *st, const struct config *cfg, const struct service_options *opt,
                    enum service_end *end, char *err, size_t errlen)
{
    struct deliverer d = {.cfg = cfg, .db_path = opt->db_path};
    struct collector *col = NULL;
    const char *why = NULL;
    int lock = -1, runs = 0, rc;

    *end = SERVICE_FAILED;
    if ((rc = service_lock(opt->db_path, &lock, err, errlen)) != 0)
        goto out;
    /* Communities added to the config since `init` are picked up here. */
    if ((rc = store_sync_communities(st, cfg)) != 0) {
        text_copy(err, errlen, store_errmsg(st));
        goto out;
    }
    if (opt->watch && (rc = week_zone_set(cfg->timezone, err, errlen)) != 0)
        goto out;
    if ((rc = collector_new(cfg, st, opt->token, &opt->collect, &col, err, errlen)) != 0)
        goto out;
    if (opt->watch)
        log_info("the service starts: a run every %d s, the database '%s'", cfg->interval,
                 opt->db_path);
    service_loop(col, st, cfg, opt, &d, end, &why, &runs);
    deliverer_end(&d);
    if (opt->watch)
        log_info("the service stops after %d run(s)%s%s", runs, why ? ": " : "", why ? why : "");
out:
    collector_free(col);
    if (lock >= 0)
        close(lock);
    return rc;
}
