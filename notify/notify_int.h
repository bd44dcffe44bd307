/* notify_int.h: what the outbox (deliver.c) and the channel table (channels.c) share; no
 * other module includes this. */
#ifndef VKP_NOTIFY_INT_H
#define VKP_NOTIFY_INT_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"

/* A message as a channel sends it. */
struct notify_message {
    const char *payload; /* the queued JSON (a webhook of format json posts it as is) */
    const char *title;   /* its title, "" when it has none */
    const char *text;    /* its text, "" when it has none */
    const char *html;    /* a digest's HTML report, for the email channel to attach; "" if none */
    int64_t id;          /* its outbox row (the mail's Message-ID), 0 for a test */
    int64_t created;     /* when it was queued */
    FILE *sink;          /* where a stdout channel writes; NULL: stdout */
    const atomic_int *stop; /* set to 1: abandon the transfer (NULL: never) */
};

/* One kind of channel: a row of notify_channels[], by enum channel_type. */
struct notify_channel {
    /* A hash of its destination (never shown), or NULL when it has none (stdout). */
    uint64_t (*identity)(const struct config_channel *ch);
    /* Sends m; 0 once the receiver accepted it, else a vkp error with a message in err
     * that never quotes a secret (a webhook URL, a password). */
    int (*send)(const struct config_channel *ch, const struct notify_message *m, char *err,
                size_t errlen);
};

/* The channels, by enum channel_type (channels.c). */
extern const struct notify_channel notify_channels[];

/* notify_hash: FNV-1a of s, continued from h (NOTIFY_HASH_SEED to start). */
#define NOTIFY_HASH_SEED 0xcbf29ce484222325ULL
uint64_t notify_hash(uint64_t h, const char *s);

#endif
