/* store_run.c: a collection run's row and its errors; every statement prepared once and bound. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "store_collect.h"
#include "store_int.h"
#include "text.h"

/* ---- runs ------------------------------------------------------------------------------- */

static const char SQL_RUN_STALE[] =
    "UPDATE run SET status = 'failed', message = 'interrupted: the collector stopped before the "
    "run ended' WHERE status = 'running'";
static const char SQL_STAGE_CLEAR[] = "DELETE FROM member_stage";
static const char SQL_RUN_INSERT[] = "INSERT INTO run (started_at) VALUES (?1)";

int store_run_begin(struct store *st, int64_t now, int64_t *run_id)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_begin(st)) != 0)
        return rc;
    if (!(s = store_stmt(st, SQL_RUN_STALE)) || (rc = store_exec_one(st, s, "runs")) != 0)
        goto fail;
    if (!(s = store_stmt(st, SQL_STAGE_CLEAR)) || (rc = store_exec_one(st, s, "stage")) != 0)
        goto fail;
    if (!(s = store_stmt(st, SQL_RUN_INSERT)))
        goto fail;
    sqlite3_bind_int64(s, 1, now);
    if ((rc = store_exec_one(st, s, "cannot start a run")) != 0)
        goto fail;
    *run_id = sqlite3_last_insert_rowid(st->db);
    return store_commit(st);
fail:
    store_rollback(st);
    return rc ? rc : VKP_EDB;
}

static const char SQL_RUN_FORGET[] = "DELETE FROM run WHERE id = ?1";

int store_run_forget(struct store *st, int64_t run_id)
{
    sqlite3_stmt *s;
    PREPARE(s, SQL_RUN_FORGET);
    sqlite3_bind_int64(s, 1, run_id);
    return store_exec_one(st, s, "cannot remove the run");
}

static const char SQL_RUNS_CLOCK[] =
    "SELECT id, started_at FROM run WHERE status <> 'failed' ORDER BY started_at DESC LIMIT 1";

int store_runs_clock(struct store *st, int64_t *started_at, int64_t *run_id)
{
    sqlite3_stmt *s;
    int found;

    *started_at = *run_id = 0;
    PREPARE(s, SQL_RUNS_CLOCK);
    return store_one(st, s, "cannot read the runs", &found, "II", run_id, started_at);
}

static const char SQL_RUN_END[] =
    "UPDATE run SET finished_at = ?2, status = ?3, requests = ?4, calls = ?5, message = ?6"
    " WHERE id = ?1";

int store_run_end(struct store *st, int64_t run_id, int64_t now, const char *status,
                  int64_t requests, int64_t calls, const char *message)
{
    sqlite3_stmt *s;
    PREPARE(s, SQL_RUN_END);
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, now);
    sqlite3_bind_text(s, 3, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, requests);
    sqlite3_bind_int64(s, 5, calls);
    sqlite3_bind_text(s, 6, message, -1, SQLITE_TRANSIENT); /* NULL binds NULL */
    return store_exec_one(st, s, "cannot end the run");
}

/* A run's errors go two ways: counted by method and code for the network (run_error, what
 * the alerts read) and by community with VK's words (run_problem, what `status` shows). Both
 * statements number their parameters alike. */
static const char SQL_RUN_ERROR[] =
    "INSERT INTO run_error (run_id, method, code, count) VALUES (?1, ?3, ?4, ?5)"
    " ON CONFLICT DO UPDATE SET count = count + ?5";
static const char SQL_RUN_PROBLEM[] =
    "INSERT INTO run_problem (run_id, community_id, method, code, count, message)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO UPDATE SET count = count + ?5";

/* Binds one error to either statement and runs it. */
static int record_error(struct store *st, sqlite3_stmt *s, int64_t run_id, int64_t community_id,
                        const char *method, int code, int64_t n, const char *message)
{
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, community_id);
    sqlite3_bind_text(s, 3, method, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, code);
    sqlite3_bind_int64(s, 5, n);
    if (sqlite3_bind_parameter_count(s) >= 6)
        sqlite3_bind_text(s, 6, message ? message : "", -1, SQLITE_STATIC);
    return store_exec_one(st, s, "cannot record an error");
}

int store_run_error(struct store *st, int64_t run_id, int64_t community_id, const char *method,
                    int code, int64_t n, const char *message)
{
    sqlite3_stmt *bymethod, *bygroup;
    int rc;
    PREPARE(bymethod, SQL_RUN_ERROR);
    PREPARE(bygroup, SQL_RUN_PROBLEM);
    rc = record_error(st, bymethod, run_id, community_id, method, code, n, message);
    return rc ? rc : record_error(st, bygroup, run_id, community_id, method, code, n, message);
}

static const char SQL_RUN_MESSAGE[] = "SELECT ifnull(message, '') FROM run WHERE id = ?1";
static const char SQL_RUN_PROBLEMS[] =
    "SELECT c.ref, p.method, p.code, p.count, p.message,"
    "  p.method = 'stats.get' AND ifnull(c.stats_denied, 0) <> 0 AND"
    "  c.stats_denied_at = (SELECT started_at FROM run WHERE id = ?1)"
    " FROM run_problem p"
    " LEFT JOIN community c ON c.id = p.community_id WHERE p.run_id = ?1"
    " ORDER BY c.ref IS NOT NULL, c.ref, p.method, p.code";

int store_each_run_problem(struct store *st, int64_t run_id, char *msg, size_t msglen,
                           store_run_problem_cb cb, void *ud)
{
    sqlite3_stmt *s;
    int rc, found;

    msg[0] = '\0';
    PREPARE(s, SQL_RUN_MESSAGE);
    sqlite3_bind_int64(s, 1, run_id);
    if ((rc = store_one(st, s, "cannot read runs", &found, "s", msg, msglen)) != 0)
        return rc;
    PREPARE(s, SQL_RUN_PROBLEMS);
    sqlite3_bind_int64(s, 1, run_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_run_problem p = {(const char *)sqlite3_column_text(s, 0),
                                      (const char *)sqlite3_column_text(s, 1),
                                      sqlite3_column_int(s, 2),
                                      sqlite3_column_int64(s, 3),
                                      (const char *)sqlite3_column_text(s, 4),
                                      sqlite3_column_int(s, 5)};
        int stop = cb(ud, &p);
        if (stop) {
            sqlite3_reset(s);
            return stop;
        }
    }
    return store_walk_end(st, s, rc, "cannot read run errors");
}
