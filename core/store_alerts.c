/* store_alerts.c: the alert rules' reads, alert state, the delivery outbox and digests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "store_alerts.h"
#include "store_int.h"
#include "store_outbox.h"
#include "text.h"

/* ---- facts for the rules ----------------------------------------------------------- */

/*
 * Per active community, the newest and oldest snapshots whose flags vouch for
 * each part, and the newest dated activity (for likes the latest their brackets allow,
 * so that a reaction that may be recent never reads as silence). Runs that failed or are still
 * running never count (their flags may be set, but the analyzer ignores them).
 */
static const char SQL_FACTS[] =
    "WITH snap AS (SELECT * FROM snapshot_usable),"
    " w AS (SELECT community_id cid, min(taken_at) first_at, max(taken_at) last_at"
    "   FROM snap WHERE wall_ok GROUP BY community_id),"
    " d AS (SELECT community_id cid, min(taken_at) first_at, max(taken_at) last_at"
    "   FROM snap WHERE details_ok GROUP BY community_id),"
    " k AS (SELECT community_id cid, max(taken_at) last_at FROM snap"
    "   WHERE (members_ok OR members_hidden) AND wall_ok AND details_ok GROUP BY community_id)"
    " SELECT c.id, c.ref, c.name, ifnull(c.vk_id, 0), ifnull(k.last_at, 0),"
    "  ifnull(w.last_at, 0), ifnull(w.first_at, 0), ifnull(d.last_at, 0), ifnull(d.first_at, 0),"
    "  ifnull((SELECT max(p.date) FROM post p WHERE p.community_id = c.id), 0),"
    "  ifnull((SELECT max(a.at) FROM activity a WHERE a.community_id = c.id"
    "    AND a.kind = 'comment'), 0),"
    "  ifnull((SELECT max(a.hi) FROM activity a WHERE a.community_id = c.id"
    "    AND a.kind = 'like'), 0),"
    "  ifnull((SELECT p.run_id FROM run_problem p WHERE p.community_id = c.id"
    "    AND p.method = 'groups.getById' AND p.code = 100"
    "    AND p.run_id = (SELECT max(id) FROM run WHERE status <> 'running')), 0)"
    " FROM community c LEFT JOIN w ON w.cid = c.id LEFT JOIN d ON d.cid = c.id"
    " LEFT JOIN k ON k.cid = c.id WHERE c.active ORDER BY c.id";

/* A callback and its data, for the row readers of this file. */
struct facts_walk {
    store_alert_facts_cb cb;
    void *ud;
};

static int facts_row(sqlite3_stmt *s, void *ud)
{
    const struct facts_walk *w = ud;
    struct store_cols c = {s, 0};
    struct store_alert_facts f;

    f.community_id = store_col_i64(&c);
    f.ref = store_col_text(&c);
    f.name = store_col_text(&c);
    f.vk_id = store_col_i64(&c);
    f.complete_at = store_col_i64(&c);
    f.wall_at = store_col_i64(&c);
    f.first_wall_at = store_col_i64(&c);
    f.details_at = store_col_i64(&c);
    f.first_details_at = store_col_i64(&c);
    f.last_post = store_col_i64(&c);
    f.last_comment = store_col_i64(&c);
    f.last_like = store_col_i64(&c);
    f.unknown_run = store_col_i64(&c);
    return w->cb(w->ud, &f);
}

int store_each_alert_facts(struct store *st, store_alert_facts_cb cb, void *ud)
{
    struct facts_walk w = {cb, ud};
    sqlite3_stmt *s;

    PREPARE(s, SQL_FACTS);
    return store_walk(st, s, facts_row, &w, "cannot read the communities' activity");
}

static const char SQL_SUBSCRIBERS_NEAREST[] =
    "SELECT s.taken_at, s.members_count FROM subscribers s"
    " WHERE s.community_id = ?1 AND s.taken_at BETWEEN ?2 AND ?3"
    " ORDER BY abs(s.taken_at - ?4), s.taken_at DESC LIMIT 1";

int store_members_at(struct store *st, int64_t community_id, int64_t from, int64_t to,
                     int64_t target, int64_t *taken_at, int64_t *count)
{
    sqlite3_stmt *s;
    int rc;

    *taken_at = *count = 0;
    if ((rc = store_bind_window(st, SQL_SUBSCRIBERS_NEAREST, community_id, from, to, &s)) != 0)
        return rc;
    sqlite3_bind_int64(s, 4, target);
    return store_one(st, s, "cannot read member counts", &rc, "II", taken_at, count);
}

/* Every act of the activity view (schema 0013) dated in the window; `found` reaches
 * them by the time indexes. */
static const char SQL_INTERACTIONS[] = "SELECT count(*) FROM activity WHERE community_id = ?1"
                                       " AND found >= ?2 AND at >= ?2 AND at < ?3";

int store_interactions(struct store *st, int64_t community_id, int64_t from, int64_t to,
                       int64_t *out)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_bind_window(st, SQL_INTERACTIONS, community_id, from, to, &s)) != 0)
        return rc;
    return store_one(st, s, "cannot count interactions", NULL, "I", out);
}

static const char SQL_RUNS_NEWEST[] =
    "SELECT r.id, r.started_at, r.status = 'failed', ifnull(r.message, ''),"
    "  EXISTS (SELECT 1 FROM run_error e WHERE e.run_id = r.id AND e.code = 5)"
    " FROM run r WHERE r.status <> 'running' ORDER BY r.id DESC LIMIT ?1";
static const char SQL_RUNS_FIRST[] = "SELECT ifnull(min(started_at), 0) FROM run";

int store_runs_facts(struct store *st, int limit, struct store_runs_facts *out)
{
    sqlite3_stmt *s;
    int rc, streak = 1;

    memset(out, 0, sizeof *out);
    PREPARE(s, SQL_RUNS_FIRST);
    if ((rc = store_one(st, s, "cannot read runs", NULL, "I", &out->first_started)) != 0)
        return rc;
    PREPARE(s, SQL_RUNS_NEWEST);
    sqlite3_bind_int(s, 1, limit > 1 ? limit : 1);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_cols c = {s, 0};
        int64_t id = store_col_i64(&c), at = store_col_i64(&c);
        int failed = store_col_int(&c);
        const char *msg = store_col_text(&c);
        int auth = store_col_int(&c);
        if (out->last_id == 0) {
            out->last_id = id;
            out->last_at = at;
            out->last_failed = failed;
            text_copy(out->last_message, sizeof out->last_message, msg ? msg : "");
            /* The collector tallies error 5 in run_error and says so in the message. */
            out->last_auth =
                failed && (auth || (msg && (strstr(msg, "error 5:") || strstr(msg, "error 5)"))));
        }
        if (!failed)
            streak = 0;
        if (streak)
            out->failed_streak++;
    }
    return store_walk_end(st, s, rc, "cannot read runs");
}

/* ---- alert state --------------------------------------------------------------------- */

static const char SQL_OPEN_ALERTS[] =
    "SELECT id, rule, ifnull(community_id, 0), started_at, checked_at, details FROM alert"
    " WHERE ended_at IS NULL ORDER BY id";
static const char SQL_ALERT_START[] =
    "INSERT INTO alert (rule, community_id, started_at, checked_at, details)"
    " VALUES (?1, nullif(?2, 0), ?3, ?3, ?4)";
static const char SQL_ALERT_CHECK[] =
    "UPDATE alert SET checked_at = ?2, details = ?3 WHERE id = ?1";
static const char SQL_ALERT_END[] =
    "UPDATE alert SET ended_at = ?2, checked_at = ?2 WHERE id = ?1 AND ended_at IS NULL";

struct open_walk {
    store_alert_cb cb;
    void *ud;
};

static int open_alert_row(sqlite3_stmt *s, void *ud)
{
    const struct open_walk *w = ud;
    struct store_cols c = {s, 0};
    struct store_alert a;

    a.id = store_col_i64(&c);
    a.rule = store_col_text(&c);
    a.community_id = store_col_i64(&c);
    a.started_at = store_col_i64(&c);
    a.checked_at = store_col_i64(&c);
    a.details = store_col_text(&c);
    return w->cb(w->ud, &a);
}

int store_each_open_alert(struct store *st, store_alert_cb cb, void *ud)
{
    struct open_walk w = {cb, ud};
    sqlite3_stmt *s;

    PREPARE(s, SQL_OPEN_ALERTS);
    return store_walk(st, s, open_alert_row, &w, "cannot read alerts");
}

int store_alert_start(struct store *st, const char *rule, int64_t community_id, int64_t now,
                      const char *details, int64_t *id)
{
    sqlite3_stmt *s;
    int rc;

    PREPARE(s, SQL_ALERT_START);
    sqlite3_bind_text(s, 1, rule, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, community_id);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_text(s, 4, details, -1, SQLITE_STATIC);
    if ((rc = store_exec_one(st, s, "cannot open an alert")) != 0)
        return rc;
    *id = sqlite3_last_insert_rowid(st->db);
    return 0;
}

int store_alert_check(struct store *st, int64_t id, int64_t now, const char *details)
{
    sqlite3_stmt *s;

    PREPARE(s, SQL_ALERT_CHECK);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    sqlite3_bind_text(s, 3, details, -1, SQLITE_STATIC);
    return store_exec_one(st, s, "cannot update an alert");
}

int store_alert_end(struct store *st, int64_t id, int64_t now)
{
    return store_exec_ids(st, SQL_ALERT_END, id, now, "cannot end an alert");
}

/* ---- outbox -------------------------------------------------------------------------- */

static const char SQL_OUTBOX_ADD[] =
    "INSERT INTO outbox (channel, channel_sig, alert_id, event, payload, created_at, next_attempt)"
    " VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, ?6, ?6)";
static const char SQL_OUTBOX_NEXT[] =
    "SELECT o.id, o.channel, o.channel_sig, o.event, o.payload, o.created_at, o.attempts"
    " FROM outbox o WHERE o.delivered_at IS NULL AND o.next_attempt <= ?1"
    " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel_sig = o.channel_sig"
    "   AND p.delivered_at IS NULL AND p.id < o.id)"
    " ORDER BY o.id LIMIT 1";
static const char SQL_OUTBOX_LEASE[] =
    "UPDATE outbox SET attempts = attempts + 1, next_attempt = ?2 WHERE id = ?1";
static const char SQL_OUTBOX_DONE[] =
    "UPDATE outbox SET delivered_at = ?2, last_error = NULL WHERE id = ?1";
static const char SQL_OUTBOX_RETRY[] =
    "UPDATE outbox SET next_attempt = ?2, last_error = ?3 WHERE id = ?1";
static const char SQL_OUTBOX_EXCESS[] =
    "SELECT id FROM outbox WHERE channel_sig = ?1 AND delivered_at IS NULL"
    " ORDER BY id DESC LIMIT 1 OFFSET ?2";
static const char SQL_OUTBOX_EXCESS_SPAN[] =
    "SELECT count(*), min(created_at), max(created_at) FROM outbox"
    " WHERE channel_sig = ?1 AND delivered_at IS NULL AND id <= ?2";
static const char SQL_OUTBOX_DROP[] =
    "DELETE FROM outbox WHERE channel_sig = ?1 AND delivered_at IS NULL AND id <= ?2";
static const char SQL_OUTBOX_PENDING[] =
    "SELECT count(*), ifnull(min(created_at), 0) FROM outbox WHERE delivered_at IS NULL";

int store_outbox_add(struct store *st, int channel, const char *sig, int64_t alert_id,
                     const char *event, const char *payload, int64_t now)
{
    sqlite3_stmt *s;

    PREPARE(s, SQL_OUTBOX_ADD);
    sqlite3_bind_int(s, 1, channel);
    sqlite3_bind_text(s, 2, sig, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, alert_id);
    sqlite3_bind_text(s, 4, event, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, payload, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, now);
    return store_exec_one(st, s, "cannot queue a message");
}

int store_outbox_claim(struct store *st, int64_t now, int64_t lease_until,
                       struct store_outbox_row *row, int *found)
{
    sqlite3_stmt *s;
    int rc;

    memset(row, 0, sizeof *row);
    *found = 0;
    if ((rc = store_begin(st)) != 0)
        return rc;
    if (!(s = store_stmt(st, SQL_OUTBOX_NEXT))) {
        rc = VKP_EDB;
        goto fail;
    }
    sqlite3_bind_int64(s, 1, now);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return store_commit(st);
    }
    if (rc != SQLITE_ROW) {
        rc = store_fail(st, rc, "cannot read the outbox");
        goto fail;
    }
    struct store_cols c = {s, 0};
    row->id = store_col_i64(&c);
    row->channel = store_col_int(&c);
    text_copy(row->sig, sizeof row->sig, store_col_text(&c));
    text_copy(row->event, sizeof row->event, store_col_text(&c));
    row->payload = strdup(store_col_text(&c));
    row->created_at = store_col_i64(&c);
    row->attempts = store_col_int(&c);
    sqlite3_reset(s);
    if (!row->payload) {
        rc = VKP_ENOMEM;
        goto fail;
    }
    if (!(s = store_stmt(st, SQL_OUTBOX_LEASE))) {
        rc = VKP_EDB;
        goto fail;
    }
    sqlite3_bind_int64(s, 1, row->id);
    sqlite3_bind_int64(s, 2, lease_until);
    if ((rc = store_exec_one(st, s, "cannot lease a message")) != 0)
        goto fail;
    if ((rc = store_commit(st)) != 0)
        goto fail;
    *found = 1;
    return 0;
fail:
    store_rollback(st);
    free(row->payload);
    row->payload = NULL;
    return rc;
}

int store_outbox_done(struct store *st, int64_t id, int64_t now)
{
    sqlite3_stmt *s;

    PREPARE(s, SQL_OUTBOX_DONE);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    return store_exec_one(st, s, "cannot mark a message delivered");
}

int store_outbox_retry(struct store *st, int64_t id, int64_t next_attempt, const char *error)
{
    sqlite3_stmt *s;

    PREPARE(s, SQL_OUTBOX_RETRY);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, next_attempt);
    sqlite3_bind_text(s, 3, error, -1, SQLITE_STATIC);
    return store_exec_one(st, s, "cannot reschedule a message");
}

int store_outbox_cap(struct store *st, const char *sig, int keep, struct store_outbox_drop *out)
{
    sqlite3_stmt *s;
    int64_t last;
    int rc, found;

    memset(out, 0, sizeof *out);
    PREPARE(s, SQL_OUTBOX_EXCESS);
    sqlite3_bind_text(s, 1, sig, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, keep);
    if ((rc = store_one(st, s, "cannot read the outbox", &found, "I", &last)) != 0 || !found)
        return rc;
    PREPARE(s, SQL_OUTBOX_EXCESS_SPAN);
    sqlite3_bind_text(s, 1, sig, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, last);
    if ((rc = store_one(st, s, "cannot read the outbox", NULL, "III", &out->count, &out->first,
                        &out->last)) != 0)
        return rc;
    PREPARE(s, SQL_OUTBOX_DROP);
    sqlite3_bind_text(s, 1, sig, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, last);
    return store_exec_one(st, s, "cannot drop messages from the outbox");
}

int store_outbox_pending(struct store *st, int64_t *count, int64_t *oldest)
{
    sqlite3_stmt *s;

    PREPARE(s, SQL_OUTBOX_PENDING);
    return store_one(st, s, "cannot read the outbox", NULL, "II", count, oldest);
}

/* ---- digests ---------------------------------------------------------------------------- */

static const char SQL_DIGEST_GET[] = "SELECT count(*) FROM digest WHERE week = ?1";
static const char SQL_DIGEST_PUT[] = "INSERT INTO digest (week, made_at, note) VALUES (?1, ?2, ?3)"
                                     " ON CONFLICT (week) DO UPDATE SET made_at = ?2, note = ?3";

int store_digest_made(struct store *st, const char *week, int *made)
{
    sqlite3_stmt *s;
    int rc;

    PREPARE(s, SQL_DIGEST_GET);
    sqlite3_bind_text(s, 1, week, -1, SQLITE_STATIC);
    if ((rc = store_one(st, s, "cannot read digests", NULL, "i", made)) == 0)
        *made = *made > 0;
    return rc;
}

int store_digest_record(struct store *st, const char *week, int64_t now, const char *note)
{
    sqlite3_stmt *s;

    PREPARE(s, SQL_DIGEST_PUT);
    sqlite3_bind_text(s, 1, week, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    sqlite3_bind_text(s, 3, note, -1, SQLITE_STATIC);
    return store_exec_one(st, s, "cannot record a digest");
}
