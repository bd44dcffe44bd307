/* store_privacy.h: personal data: the retention rule and forgetting a person. */
#ifndef VKP_STORE_PRIVACY_H
#define VKP_STORE_PRIVACY_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* ---- personal data ------------------------------------------------------------ */

/* What store_purge deleted. */
struct store_purge_counts {
    int64_t cutoff;   /* interactions dated before this (unix s) were purged */
    int64_t likes;    /* post_like rows, by seen_at (VK gives likes no date) */
    int64_t comments; /* comment rows, by their VK date */
    int64_t reposts;  /* repost rows, by their VK date */
    int64_t counters; /* post_counter rows, by taken_at */
};

/*
 * store_purge: the retention rule. Deletes the likes, comments, reposts and
 * post counters older than `months` calendar months before `now` (UTC; a
 * day past the end of a shorter month becomes its last day), all in one
 * transaction. Posts, memberships and users stay. months <= 0 deletes
 * nothing. Returns 0 or a vkp error (the database is then unchanged).
 */
int store_purge(struct store *st, int64_t now, int months, struct store_purge_counts *out);

/* What store_forget changed. */
struct store_forget_counts {
    int already;         /* the person had been forgotten before */
    int64_t user;        /* user rows deleted (0 or 1) */
    int64_t memberships; /* membership intervals deleted */
    int64_t likes;       /* likes deleted */
    int64_t comments;    /* comments kept with from_id 0 */
    int64_t reposts;     /* reposts to their wall deleted */
    int64_t posts;       /* posts whose author, signer or reposted wall was them */
    int64_t roster;      /* roster entries deleted (0 or 1) */
};

/*
 * store_forget: remove a person (VK user id > 0) everywhere, in one
 * transaction: their user row, memberships, staged member rows, likes,
 * reposts and roster entry (their municipality) are deleted; their comments stay with from_id 0,
 * like VK's own deleted placeholders, so threads and the posts' comment counts stay whole; posts
 * they wrote (suggested posts: from_id), signed or that repost their wall lose that id (0, or NULL
 * for signer_id). The id is kept in forgotten_user so later collections leave the person out.
 * Returns 0 (also when nothing was stored about them) or a vkp error (then nothing changed).
 */
int store_forget(struct store *st, int64_t user_id, int64_t now, struct store_forget_counts *out);

#endif
