/* store_outbox.h: the delivery outbox: messages queued per channel, claimed, sent or
 * retried. */
#ifndef VKP_STORE_OUTBOX_H
#define VKP_STORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* ---- the delivery outbox ------------------------------------------------------- */

/* store_outbox_add: queue a payload for a channel, due at once. */
int store_outbox_add(struct store *st, int channel, const char *sig, int64_t alert_id,
                     const char *event, const char *payload, int64_t now);

/* One claimed outbox row. */
struct store_outbox_row {
    int64_t id;
    int channel;   /* index when it was queued */
    char sig[64];  /* channel signature */
    char event[8]; /* start, end, digest */
    char *payload; /* heap copy: free it */
    int64_t created_at;
    int attempts; /* attempts before this one */
};

/*
 * store_outbox_claim: in one transaction, take the oldest undelivered row
 * due at `now` that has no older undelivered row for the same channel (so a
 * channel gets its messages in order), count the attempt and lease it until
 * `lease_until`, so that another process does not send it meanwhile.
 * *found = 0 when nothing is due.
 */
int store_outbox_claim(struct store *st, int64_t now, int64_t lease_until,
                       struct store_outbox_row *row, int *found);

/* store_outbox_done: the receiver accepted it. */
int store_outbox_done(struct store *st, int64_t id, int64_t now);

/* store_outbox_retry: it failed; try again from next_attempt, keep why. */
int store_outbox_retry(struct store *st, int64_t id, int64_t next_attempt, const char *error);

/* Undelivered messages: how many, and the oldest one's creation time. */
int store_outbox_pending(struct store *st, int64_t *count, int64_t *oldest);

#endif
