/* service.h: what `collect --watch` does between runs: alerts, deliveries and the weekly report. */
#ifndef VKP_SERVICE_H
#define VKP_SERVICE_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct store;

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
 * deliver due messages, and, once a week at the scheduled time, write the
 * weekly report to [service] report_dir and queue and send the digest.
 * Failures are logged (never the secrets) and returned; the caller's loop
 * goes on.
 */
int service_after_run(struct store *st, const struct config *cfg, int64_t now);

/*
 * service_weekly: the weekly part alone (used by service_after_run): when
 * due and not yet done for that week, write the report files and queue the
 * digest on every channel, and record the week as reported. *made = 1 when
 * it did so now.
 */
int service_weekly(struct store *st, const struct config *cfg, int64_t now, int *made, char *err,
                   size_t errlen);

#endif
