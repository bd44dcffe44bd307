/* service.h: the daemon (`collect --watch`, and `--once` as one turn of it): the lock, the
 * runs, the retention and the city directory, alerts and deliveries after each run, the
 * weekly report files and the digest. */
#ifndef VKP_SERVICE_H
#define VKP_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "collect.h"

struct config;
struct store;

/* How service_collect ended. */
enum service_end {
    SERVICE_OK,      /* the run (--once) was complete, or a signal ended the service */
    SERVICE_PARTIAL, /* --once: the run finished but is partial */
    SERVICE_FAILED,  /* the run failed, could not be recorded, or the token was rejected */
};

/* What service_collect is asked to do. */
struct service_options {
    int watch;                      /* run every [collect] interval until a signal */
    const char *db_path;            /* the database st is open on: its lock is DB.lock, and
                                     * the deliveries open it again beside the runs */
    const char *token;              /* the access token */
    struct collect_options collect; /* the progress display */
};

/*
 * service_collect: take the database's collector lock, record the configured
 * communities and collect: one run, or (watch) a run every interval with the city
 * directory refreshed, the retention applied, the alerts evaluated and queued and the
 * weekly work done after each, their deliveries sent by a thread beside the runs, until
 * SIGINT or SIGTERM (or a rejected token). Logs a line when the service starts and when
 * it stops. Returns 0 with *end, or a vkp error with err when it could not start
 * (VKP_EBUSY: another collector holds the lock).
 */
int service_collect(struct store *st, const struct config *cfg, const struct service_options *opt,
                    enum service_end *end, char *err, size_t errlen);

/* service_purge: apply a retention of `months` (<= 0: nothing) to st and log what
 * went; returns 0 or the vkp error, already logged. */
int service_purge(struct store *st, int months);

/*
 * service_region_sync: bring VK's city directory of the region up to date in st
 * (skipped when fresh, unless force) and print what was mapped and what not
 * (with verbose, a line also when skipped). Returns 0 or the vkp error of
 * region_sync, already logged.
 */
int service_region_sync(const struct config *cfg, struct store *st, const char *token, int force,
                        int verbose);

/*
 * service_digest_due: whether the weekly report is due at `now`: [service]
 * report_weekday is not off and this week's report_hour of that day (local
 * time) has passed. *week gets the ISO week the report covers (the last
 * complete Monday-to-Sunday week, e.g. "2026-W47") and *week_start its
 * Monday 00:00 local time.
 */
int service_digest_due(const struct config *cfg, int64_t now, char *week, size_t weeklen,
                       int64_t *week_start);

/* service_next_wake: seconds from now until the next scheduled report, or
 * `interval` when that is sooner or there is none. At least 1. */
int service_next_wake(const struct config *cfg, int64_t now, int interval);

/*
 * service_after_run: evaluate the alert rules, log what started and ended,
 * queue their messages, and, once a week at the scheduled time, write the
 * weekly report to [service] report_dir and queue the digest (sending is
 * deliver_pending's, beside the runs). Failures are logged (never the
 * secrets) and returned; the caller's loop goes on.
 */
int service_after_run(struct store *st, const struct config *cfg, int64_t now);

/*
 * service_weekly: the weekly part alone (used by service_after_run): when
 * due and not yet done for that week, write the report files and queue the
 * digest on every channel, and record the week as reported. A week that
 * ended before the first run (a fresh install) has no data: it is recorded
 * with no files and no digest. *made = 1 when a digest was queued now.
 */
int service_weekly(struct store *st, const struct config *cfg, int64_t now, int *made, char *err,
                   size_t errlen);

#endif
