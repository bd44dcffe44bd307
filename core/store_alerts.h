/* store_alerts.h: what the alert rules read (facts of communities and runs) and the alert
 * state they keep, and the record of weekly digests. */
#ifndef VKP_STORE_ALERTS_H
#define VKP_STORE_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

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
    int64_t unknown_run;      /* the newest finished run, when groups.getById did not know the
                               * group (VK error 100: a misspelt or deleted address); else 0 */
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

/* ---- weekly digests -------------------------------------------------------------- */

/* store_digest_made: whether the week (e.g. "2026-W47") was reported. */
int store_digest_made(struct store *st, const char *week, int *made);

/* store_digest_record: the week was reported now (note: files or why none). */
int store_digest_record(struct store *st, const char *week, int64_t now, const char *note);

#endif
