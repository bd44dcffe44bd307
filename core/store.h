/* store.h: the SQLite store, the only module that speaks SQL: opening, the schema, the
 * configured communities, transactions and what `status` reads. Each client has its own
 * header besides: store_collect.h (the collector's writes), store_privacy.h (retention,
 * forgetting), store_analysis.h (people's part in a community), store_alerts.h (alert
 * facts and state, digests), store_outbox.h (the delivery outbox), store_report.h,
 * store_survey.h and store_region.h. */
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

/* store_error: the message for error rc of a call that took st: the store's own words
 * (store_errmsg) when it recorded the error, else vkp_strerror(rc) ("out of memory" for
 * VKP_ENOMEM, which a caller's own allocation may have raised). The one place a caller
 * of the store looks for the message. */
const char *store_error(const struct store *st, int rc);

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
    int stats_denied;        /* stats.get's last answer was a refusal: the token is no admin */
    int64_t stats_denied_at; /* when (0: not recorded) */
    int64_t stat_days;       /* days of daily statistics stored */
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

#endif
