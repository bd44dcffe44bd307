/* store_status.c: the outbox's state and the alerts in force, for `vkpulse status`. */
#include "store_status.h"

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "store_int.h"

static const char SQL_OUTBOX_STATE[] =
    "SELECT count(*), count(last_error), ifnull(min(created_at), 0),"
    " (SELECT last_error FROM outbox WHERE delivered_at IS NULL AND last_error IS NOT NULL"
    "  ORDER BY id DESC LIMIT 1)"
    " FROM outbox WHERE delivered_at IS NULL";

int store_outbox_state(struct store *st, struct store_outbox_state *out)
{
    sqlite3_stmt *s;

    memset(out, 0, sizeof *out);
    PREPARE(s, SQL_OUTBOX_STATE);
    return store_one(st, s, "cannot read the outbox", NULL, "IIIs", &out->pending, &out->failed,
                     &out->oldest, out->last_error, sizeof out->last_error);
}

static const char SQL_ACTIVE_ALERTS[] =
    "SELECT a.rule, c.ref, a.started_at, a.checked_at, a.details FROM alert a"
    " LEFT JOIN community c ON c.id = a.community_id"
    " WHERE a.ended_at IS NULL ORDER BY a.started_at, a.id";

struct alert_walk {
    int (*cb)(void *ud, const struct store_active_alert *a);
    void *ud;
};

static int alert_row(sqlite3_stmt *s, void *ud)
{
    struct alert_walk *w = ud;
    struct store_active_alert a = {(const char *)sqlite3_column_text(s, 0),
                                   (const char *)sqlite3_column_text(s, 1),
                                   sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3),
                                   (const char *)sqlite3_column_text(s, 4)};
    return w->cb(w->ud, &a);
}

int store_each_active_alert(struct store *st,
                            int (*cb)(void *ud, const struct store_active_alert *a), void *ud)
{
    sqlite3_stmt *s;
    struct alert_walk w = {cb, ud};
    PREPARE(s, SQL_ACTIVE_ALERTS);
    return store_walk(st, s, alert_row, &w, "cannot read the alerts");
}
