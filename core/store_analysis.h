/* store_analysis.h: what the analyzer (the cross-check, the report's ladder) reads of
 * each person's part in a community. */
#ifndef VKP_STORE_ANALYSIS_H
#define VKP_STORE_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* ---- reading, for the analyzer ---------------------------------------------- */

/*
 * One person's part in one community over a window [from, to): the rungs of
 * the survey's participation ladder (docs/domain.md) and the weaker signals.
 * Strings live until the callback returns.
 */
struct store_participant {
    int64_t community_id;   /* internal community id */
    int64_t user_id;        /* VK user id */
    int member;             /* had an open membership interval at member_at */
    int64_t comments;       /* comments and replies dated in the window */
    int64_t posts;          /* posts authored (signer_id, or from_id of a suggested
                             * post) dated in the window */
    int64_t likes;          /* likes dated in the window by the activity view's
                             * rule (the middle of the bracket between two
                             * collections; the first collection's at their post) */
    int64_t reposts;        /* reposts to the person's own wall dated in the window */
    int64_t city_id;        /* from the profile, 0 if none or not a member we listed */
    const char *city_title; /* NULL if none */
};

typedef int (*store_participant_cb)(void *ud, const struct store_participant *p);

/*
 * store_each_participant: every member at member_at (0: at `to`; the report
 * takes the snapshot its subscriber figure is from) and everyone active in
 * [from, to), per community (community_id = 0: all communities), ordered by
 * community then user. cb may stop the walk by returning non-zero, which is
 * returned.
 */
int store_each_participant(struct store *st, int64_t community_id, int64_t from, int64_t to,
                           int64_t member_at, store_participant_cb cb, void *ud);

#endif
