/* store.h: the SQLite store, the only module that speaks SQL. */
#ifndef VKP_STORE_H
#define VKP_STORE_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct store;

/* How store_open treats the file. */
enum store_mode {
    STORE_EXISTING, /* the database must exist and be at the current schema */
    STORE_CREATE,   /* create it (mode 0600) if missing; the caller migrates */
    STORE_READONLY, /* read-only connection for reports beside a running collector */
};

/*
 * store_open: open the database at path. Foreign keys on, WAL mode, a busy
 * timeout so readers and the writer wait for each other instead of failing.
 * A file that is not a vkpulse database is left untouched and reported as
 * VKP_ENOTDB. With STORE_EXISTING an out-of-date schema is VKP_EDBVERSION
 * ("run 'vkpulse init'"). Returns 0 and a new store in *out, or a negative
 * vkp error with a message in err.
 */
int store_open(const char *path, enum store_mode mode, struct store **out, char *err,
               size_t errlen);

/* store_free: finalize statements and close; NULL is a no-op. */
void store_free(struct store *st);

/* store_errmsg: the last error of this store, for messages. */
const char *store_errmsg(const struct store *st);

/* store_version: the schema version of the open database (PRAGMA user_version). */
int store_version(struct store *st);

/* store_latest_version: the schema version this binary brings. */
int store_latest_version(void);

/*
 * store_migrate: apply every embedded migration above the current version
 * up to `target` (or all when target < 0), all in one transaction: either
 * the database reaches the target or it is left as it was. *applied gets how
 * many migrations ran (may be NULL).
 */
int store_migrate(struct store *st, int target, int *applied);

/* store_sync_communities: make the community table match the config. A reference is
 * matched to a row by the VK id it names (123, club123), the screen name VK last gave
 * the group, then its text (store_community_find), and the row takes the reference as
 * written: changing a reference's form or following a group's new screen name keeps
 * the row and its history. Two lines naming one known group share its row; a row never
 * collected that a reference no longer needs is merged into the known one.
 * Communities no longer configured are kept but marked inactive. */
int store_sync_communities(struct store *st, const struct config *cfg);

/* store_community_find: the row a config reference stands for (see above); *id is 0
 * when there is none. */
int store_community_find(struct store *st, const char *ref, int64_t *id);

/* store_community_merge: move everything of community `from` to `into` and delete
 * `from` (inside the caller's transaction). Where both hold the same fact (a run's
 * snapshot, an open membership), `into`'s is kept. */
int store_community_merge(struct store *st, int64_t from, int64_t into);

/* Transactions. store_begin takes the write lock at once (BEGIN IMMEDIATE). */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/* ---- reading for `vkpulse status` ------------------------------------------ */

/* One community as status shows it. Strings live until the callback returns. */
struct store_community_info {
    int64_t id;              /* internal id */
    const char *ref;         /* as configured */
    const char *name;        /* from VK, or NULL before the first run */
    const char *kind;        /* "rmo" or "community" */
    int64_t vk_id;           /* 0 until known */
    int active;              /* still in the config */
    int64_t last_ok_at;      /* time of the last complete snapshot, 0 if none */
    int64_t members_count;   /* in that snapshot; -1 when unknown (never 0 for it) */
    int64_t members_current; /* open membership intervals */
    int64_t posts;           /* posts stored */
};

typedef int (*store_community_cb)(void *ud, const struct store_community_info *c);

/* store_each_community: call cb for each community, in id order. */
int store_each_community(struct store *st, store_community_cb cb, void *ud);

/* The last collection run, if any. */
struct store_run_info {
    int64_t id; /* 0 when there was no run */
    int64_t started_at;
    int64_t finished_at; /* 0 while running or when killed */
    char status[16];     /* running, ok, partial, failed */
    int64_t requests;
    int64_t calls;
};

int store_last_run(struct store *st, struct store_run_info *out);

/* store_count_rows: number of rows of a table named in the fixed list
 * returned by store_table_names (never a caller-supplied name in SQL). */
const char *const *store_table_names(void);
int store_count_rows(struct store *st, int table_index, int64_t *out);

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

/* ---- alerts ------------------------------------------------------------------ */

/*
 * What the alert rules look at for one configured (active) community. Times
 * are unix seconds, 0 when there is none. Only runs with status ok/partial
 * count, and only the snapshot flags that vouch for the data.
 */
struct store_alert_facts {
    int64_t community_id;     /* internal id */
    const char *ref;          /* as configured */
    const char *name;         /* from VK, or NULL before the first run */
    int64_t vk_id;            /* 0 until known */
    int64_t complete_at;      /* newest snapshot whose members (or hidden members), wall
                               * and details are all complete */
    int64_t wall_at;          /* newest snapshot with a complete wall */
    int64_t first_wall_at;    /* oldest such: the quiet spell counts from it at most */
    int64_t details_at;       /* newest snapshot with complete details */
    int64_t first_details_at; /* oldest such */
    int64_t last_post;        /* date of the newest post */
    int64_t last_comment;     /* date of the newest comment */
    int64_t last_like;        /* latest a like may have been (the activity view's hi), 0: none */
};

typedef int (*store_alert_facts_cb)(void *ud, const struct store_alert_facts *f);

/* store_each_alert_facts: cb for each active community, in id order; a
 * non-zero return of cb stops the walk and is returned. */
int store_each_alert_facts(struct store *st, store_alert_facts_cb cb, void *ud);

/*
 * store_members_at: the members_count of the community's snapshot taken in
 * [from, to] nearest to `target`, by a run with status ok/partial in which
 * groups.getById answered. *taken_at = 0 when there is none.
 */
int store_members_at(struct store *st, int64_t community_id, int64_t from, int64_t to,
                     int64_t target, int64_t *taken_at, int64_t *count);

/*
 * store_interactions: the comments, reposts and likes on the community's
 * posts dated in [from, to) by the one dating rule of the activity view
 * (schema/0013_series.sql: a like at the middle of its bracket between two collections,
 * or at its post's date when the first collection found it).
 */
int store_interactions(struct store *st, int64_t community_id, int64_t from, int64_t to,
                       int64_t *out);

/* What the run rules look at: the newest finished runs. */
struct store_runs_facts {
    int64_t first_started;  /* the first run's start, 0 when there was none */
    int64_t last_id;        /* the newest finished (not running) run, 0 when none */
    int64_t last_at;        /* its start */
    int last_failed;        /* it failed */
    int last_auth;          /* it failed because VK rejected the token (error 5) */
    char last_message[256]; /* its message, "" if none */
    int failed_streak;      /* how many of the newest finished runs failed in a row */
};

/* store_runs_facts: fill *out; failed_streak counts up to `limit`. */
int store_runs_facts(struct store *st, int limit, struct store_runs_facts *out);

/* One open alert; strings live until the callback returns. */
struct store_alert {
    int64_t id;
    const char *rule;
    int64_t community_id; /* 0 for alerts about the whole collection */
    int64_t started_at;
    int64_t checked_at;
    const char *details; /* the rule's figures, JSON */
};

typedef int (*store_alert_cb)(void *ud, const struct store_alert *a);

/* store_each_open_alert: every alert not yet ended, by id. */
int store_each_open_alert(struct store *st, store_alert_cb cb, void *ud);

/* store_alert_start: open an alert (a rule and community may have one open
 * alert only: VKP_EDB otherwise); *id gets its id. */
int store_alert_start(struct store *st, const char *rule, int64_t community_id, int64_t now,
                      const char *details, int64_t *id);

/* store_alert_check: the open alert still holds; refresh checked_at and details. */
int store_alert_check(struct store *st, int64_t id, int64_t now, const char *details);

/* store_alert_end: the condition is over. */
int store_alert_end(struct store *st, int64_t id, int64_t now);

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

/* ---- weekly digests -------------------------------------------------------------- */

/* store_digest_made: whether the week (e.g. "2026-W47") was reported. */
int store_digest_made(struct store *st, const char *week, int *made);

/* store_digest_record: the week was reported now (note: files or why none). */
int store_digest_record(struct store *st, const char *week, int64_t now, const char *note);

#endif
