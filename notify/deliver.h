/* deliver.h: the outbox that makes every announcement reach the delivery channels
 * (webhook, email, stdout: notify/channels.c) once, however often a receiver fails. */
#ifndef VKP_DELIVER_H
#define VKP_DELIVER_H

#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

struct config;
struct config_channel;
struct store;

/* First wait after a failed delivery; it doubles with every further failure
 * up to [alerts] retry_max_minutes. */
#define DELIVER_RETRY_FIRST 60

/* What one deliver_pending call did. */
struct deliver_stats {
    int sent;     /* messages a receiver accepted */
    int failed;   /* attempts that failed (each is kept and retried later) */
    int orphaned; /* messages whose channel is no longer in the config (kept) */
};

/* Options of deliver_pending. */
struct deliver_options {
    FILE *stdout_sink;      /* where stdout channels write; NULL: stdout */
    const atomic_int *stop; /* set to 1 (by another thread): send nothing more, abandon the
                             * transfer under way (its message is kept); NULL: never */
};

/*
 * deliver_channel_sig: a short identity of the channel: its type and a hash
 * of its destination (never the URL or password itself), so that queued
 * messages find their channel after the config is reordered.
 */
void deliver_channel_sig(const struct config_channel *ch, char *buf, size_t len);

/* Makes a channel's payload in lang (heap string, or NULL when out of memory). */
typedef char *(*deliver_payload_fn)(void *ud, const char *lang);

/*
 * deliver_queue: put one message for every configured channel in the
 * outbox, its payload made by fn in the channel's language. Call it inside
 * the caller's transaction. *queued grows by the rows written.
 */
int deliver_queue(struct store *st, const struct config *cfg, const char *event, int64_t alert_id,
                  deliver_payload_fn fn, void *ud, int64_t now, int64_t *queued);

/*
 * deliver_pending: send every outbox message due at `now`, oldest first and
 * in order per channel (a channel whose receiver fails holds its later
 * messages back). Each message is leased before it is sent, so two
 * processes never send it both, marked delivered only once the receiver
 * accepted it (HTTP 2xx, SMTP 250), and otherwise rescheduled with backoff
 * and its error kept. Logs name channels by index and type, never their URL
 * or password. Returns 0 (failures of receivers are not errors: see *out)
 * or a store error.
 */
int deliver_pending(struct store *st, const struct config *cfg, int64_t now,
                    const struct deliver_options *opt, struct deliver_stats *out);

/* What deliver_test says of each channel: err is NULL when it accepted the message. */
typedef void (*deliver_test_fn)(void *ud, int index, const struct config_channel *ch,
                                const char *err);

/*
 * deliver_test: send a test message (event "test") straight to every
 * [channel], not through the outbox, so nothing is kept or retried, and
 * call report for each (index 1-based, in file order). Returns the number of
 * channels that failed.
 */
int deliver_test(const struct config *cfg, int64_t now, const struct deliver_options *opt,
                 deliver_test_fn report, void *ud);

#endif
