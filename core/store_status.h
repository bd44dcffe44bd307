/* store_status.h: what `vkpulse status` reads besides the communities and the last run:
 * the outbox's state and the alerts in force. */
#ifndef VKP_STORE_STATUS_H
#define VKP_STORE_STATUS_H

#include <stdint.h>

struct store;

/* The delivery outbox at a glance. */
struct store_outbox_state {
    int64_t pending;      /* not delivered yet */
    int64_t failed;       /* of them, tried at least once and refused or unreachable */
    int64_t oldest;       /* created_at of the oldest pending one (0: none) */
    char last_error[160]; /* why the most recent failed attempt failed ("" when none) */
};

/* store_outbox_state: 0 or a store error. */
int store_outbox_state(struct store *st, struct store_outbox_state *out);

/* One alert in force. Strings live until the callback returns. */
struct store_active_alert {
    const char *rule;      /* the rule's name (quiet, losing, failing, ...) */
    const char *community; /* its community's config reference, NULL for the network */
    int64_t started_at;    /* when it began */
    int64_t checked_at;    /* when it was last found true */
    const char *details;   /* the rule's figures, JSON (alert_stored_text) */
};

/* store_each_active_alert: cb for each alert not ended, oldest first; a non-zero return
 * from cb stops and is returned. 0 or a store error. */
int store_each_active_alert(struct store *st,
                            int (*cb)(void *ud, const struct store_active_alert *a), void *ud);

#endif
