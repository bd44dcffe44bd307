/* store_collect.h: what the collector writes: runs, groups, members, posts and their
 * likes, comments and reposts, statistics. */
#ifndef VKP_STORE_COLLECT_H
#define VKP_STORE_COLLECT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* ---- writing, for the collector -------------------------------------------- */

struct vk_group;
struct vk_user;
struct vk_post;
struct vk_comment;
struct vk_repost;
struct vk_stat_day;

/*
 * store_run_begin: a new run row ('running'). Runs left 'running' by a
 * killed collector are marked 'failed' and their staged member pages
 * dropped, all in one transaction.
 */
int store_run_begin(struct store *st, int64_t now, int64_t *run_id);

/* store_run_forget: remove a run row and what cascades from it (a run refused for its
 * clock before it wrote anything). */
int store_run_forget(struct store *st, int64_t run_id);

/* store_runs_clock: the start of the newest run that was not failed (ok, partial,
 * running) into *started_at and its id into *run_id (0 when there is none): the clock the
 * stored data was written by. 0 or a vkp error. */
int store_runs_clock(struct store *st, int64_t *started_at, int64_t *run_id);

/* store_run_end: close a run with status ok/partial/failed and its figures. */
int store_run_end(struct store *st, int64_t run_id, int64_t now, const char *status,
                  int64_t requests, int64_t calls, const char *message);

/* store_run_error: count n errors of `code` from `method` in this run, for community row
 * community_id (0: none in particular), keeping the first message. */
int store_run_error(struct store *st, int64_t run_id, int64_t community_id, const char *method,
                    int code, int64_t n, const char *message);

/* One line of a run's errors (store_each_run_problem). Strings live during the call. */
struct store_run_problem {
    const char *ref;     /* the community as configured, NULL when none in particular */
    const char *method;  /* VK method */
    int code;            /* VK error code, or < 0: -1 network, -2 malformed, -3 too big,
                          * -4 a count beyond the limits, other: an HTTP status */
    int64_t count;       /* how many times */
    const char *message; /* the first message */
    int stats_refused;   /* a stats.get error of a community whose refusal (not an admin of
                          * it) the collector recorded in this run as the group's state: an
                          * expected refusal when the code is VK's refusal */
};

typedef int (*store_run_problem_cb)(void *ud, const struct store_run_problem *p);

/* store_each_run_problem: run_id's errors, by community then method; and the run's
 * closing message into msg ("" when none). A callback's non-zero return stops the walk
 * and is returned. */
int store_each_run_problem(struct store *st, int64_t run_id, char *msg, size_t msglen,
                           store_run_problem_cb cb, void *ud);

/* What the collector needs to know about a community before a run. */
struct store_community_state {
    int64_t id;              /* internal id */
    int64_t vk_id;           /* 0 if not known yet */
    int had_members;         /* some earlier run completed its member list */
    int had_wall;            /* some earlier run completed its wall */
    int stats_denied;        /* stats.get's last answer was a refusal */
    int64_t stats_denied_at; /* when (0: before it was recorded: ask again now) */
    int64_t last_stat_day;   /* newest stat_day stored, 0 if none */
    int64_t oldest_unsynced; /* date of the oldest post whose details are
                              * not all fetched, 0 if none */
};

/* store_community_state: look a configured community up by its ref (matched as
 * store_community_find does). VKP_ENOTFOUND, with a message, when it is not there. */
int store_community_state(struct store *st, const char *ref, struct store_community_state *out);

/* store_community_claim: the collector learnt that community `id` is VK group `vk_id`.
 * When another row already holds that group (the config named it differently before,
 * or the group renamed itself), `id` is merged into that row, which takes `id`'s
 * reference, kind and survey name and becomes active. *out gets the state of the row
 * that now stands for the group. In the caller's transaction. */
int store_community_claim(struct store *st, int64_t id, int64_t vk_id,
                          struct store_community_state *out);

/* store_group_info: record groups.getById for a community, and its
 * snapshot row for this run (members_count). */
int store_group_info(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                     const struct vk_group *g);

/* Flags of a snapshot, each set in the transaction of the data it vouches for. */
enum store_snap_flag { SNAP_MEMBERS_HIDDEN, SNAP_WALL_OK, SNAP_DETAILS_OK };
int store_snapshot_flag(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                        enum store_snap_flag flag);
int store_snapshot_note(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                        const char *note);

/* store_members_page: stage one page of the member list and upsert the
 * users (names only when keep_names). *listed (when not NULL) grows by the
 * people this page adds to the run's list: those not staged by an earlier
 * page, forgotten people included although they are not stored. */
int store_members_page(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                       const struct vk_user *u, size_t n, int keep_names, int64_t *listed);

/* store_members_unstage: drop the pages staged for a member list that will
 * not be used (read again, or not confirmed). */
int store_members_unstage(struct store *st, int64_t run_id, int64_t community_id);

/*
 * store_members_complete: the staged list is the whole list: open
 * intervals for new members (initial when the community never had a
 * complete list), close those of members who are gone, set members_ok and
 * members_listed, drop the stage. *joined and *left get the changes.
 */
int store_members_complete(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                           int64_t *joined, int64_t *left);

/*
 * The same in slices, for a caller that must not hold its thread for a whole
 * list (the collector's loop: 50,000 members take 80-160 ms): begin, then
 * step until done, all in one transaction. Each step folds the next `rows`
 * staged members. The state is the caller's; joined, left and listed grow
 * as it goes.
 */
struct store_fold {
    int64_t run_id, community_id, now;
    int initial;                  /* the community's first complete list */
    int64_t after;                /* user ids up to this one are folded */
    int64_t joined, left, listed; /* so far */
    int done;
};
int store_members_fold_begin(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                             struct store_fold *f);
int store_members_fold_step(struct store *st, struct store_fold *f, int rows);

/*
 * store_members_carry: after the first page of a later reading is staged:
 * when VK's count equals the stored open memberships, nobody staged is new,
 * and a whole list (not a carried one) was read at or after whole_since, the
 * membership is taken as unchanged: the run's snapshot is members_ok and
 * members_carried, the stage dropped, *carried 1. Else nothing changes and
 * *carried is 0. 0 or a vkp error.
 */
int store_members_carry(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                        int64_t count, int64_t whole_since, int *carried);

/* The detail counters a post was last fully synced at (-1: never). */
struct store_post_sync {
    int64_t likes, comments, reposts;
};

/* store_post: upsert a post and this run's counters; *prev gets its synced
 * counters so the caller can tell which details changed. */
int store_post(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
               const struct vk_post *p, struct store_post_sync *prev);

/* store_unpin_others: only `pinned_id` (0: none) is pinned on this wall now. */
int store_unpin_others(struct store *st, int64_t owner_id, int64_t pinned_id);

/* Interactions, each insert idempotent on its natural key. */
int store_likes(struct store *st, int64_t owner_id, int64_t post_id, const int64_t *users, size_t n,
                int64_t now);
int store_comments(struct store *st, int64_t owner_id, int64_t post_id, const struct vk_comment *c,
                   size_t n, int64_t now);
int store_reposts(struct store *st, int64_t owner_id, int64_t post_id, const struct vk_repost *r,
                  size_t n, int64_t now);

/* store_post_synced: the details of one kind were fetched completely at
 * these counters (-1 leaves a kind as it was). */
int store_post_synced(struct store *st, int64_t owner_id, int64_t post_id, int64_t likes,
                      int64_t comments, int64_t reposts);

/* stats.get days, replacing what was stored for those days. */
int store_stats(struct store *st, int64_t community_id, const struct vk_stat_day *d, size_t n);
/* store_stats_denied: stats.get refused at `at` (the run's time), or answered (at 0). */
int store_stats_denied(struct store *st, int64_t community_id, int64_t at);

#endif
