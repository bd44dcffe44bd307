/* store_survey.c: SQL of the survey import, the roster and the crosscheck's data checks. */
#include "store_survey.h"

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "store_int.h"

/* ---- survey answers -------------------------------------------------------- */

/* survey_response rows go with their survey_import row (ON DELETE CASCADE). */
static const char SQL_SURVEY_DELETE[] = "DELETE FROM survey_import WHERE year = ?1";
static const char SQL_SURVEY_IMPORT[] =
    "INSERT INTO survey_import (year, imported_at, source, rows) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_SURVEY_ANSWER[] =
    "INSERT INTO survey_response (year, municipality, question, code, answer)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

/* What store_survey_replace writes, for its transaction's body. */
struct survey_put {
    int year;
    int64_t now;
    const char *source;
    int rows;
    const struct store_survey_answer *a;
    size_t n;
};

static void bind_answer(sqlite3_stmt *s, size_t i, const void *ud)
{
    const struct survey_put *p = ud;
    sqlite3_bind_int(s, 1, p->year);
    sqlite3_bind_text(s, 2, p->a[i].municipality, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, p->a[i].question, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, p->a[i].code, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, p->a[i].answer, -1, SQLITE_STATIC);
}

static int survey_put(struct store *st, const void *ud)
{
    const struct survey_put *p = ud;
    sqlite3_stmt *s;
    int rc;

    PREPARE(s, SQL_SURVEY_DELETE);
    sqlite3_bind_int(s, 1, p->year);
    if ((rc = store_exec_one(st, s, "cannot delete the earlier import")) != 0)
        return rc;
    PREPARE(s, SQL_SURVEY_IMPORT);
    sqlite3_bind_int(s, 1, p->year);
    sqlite3_bind_int64(s, 2, p->now);
    sqlite3_bind_text(s, 3, p->source, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, p->rows);
    if ((rc = store_exec_one(st, s, "cannot record the import")) != 0)
        return rc;
    return store_fill(st, SQL_SURVEY_ANSWER, p->n, bind_answer, p, "an answer");
}

int store_survey_replace(struct store *st, int year, int64_t now, const char *source, int rows,
                         const struct store_survey_answer *a, size_t n)
{
    struct survey_put p = {year, now, source, rows, a, n};
    return store_in_tx(st, survey_put, &p);
}

static const char SQL_SURVEY_YEARS[] =
    "SELECT i.year, i.imported_at, i.source, i.rows,"
    " (SELECT count(*) FROM survey_response r WHERE r.year = i.year)"
    " FROM survey_import i ORDER BY i.year";

int store_survey_each_year(struct store *st, store_survey_year_cb cb, void *ud)
{
    sqlite3_stmt *s = store_stmt(st, SQL_SURVEY_YEARS);
    int rc;

    if (!s)
        return VKP_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_survey_year y = {
            .year = sqlite3_column_int(s, 0),
            .imported_at = sqlite3_column_int64(s, 1),
            .source = (const char *)sqlite3_column_text(s, 2),
            .rows = sqlite3_column_int(s, 3),
            .answers = sqlite3_column_int64(s, 4),
        };
        if ((rc = cb(ud, &y)) != 0) {
            sqlite3_reset(s);
            return rc;
        }
    }
    return store_walk_end(st, s, rc, "cannot list survey imports");
}

static const char SQL_SURVEY_ROWS[] = "SELECT rows FROM survey_import WHERE year = ?1";
static const char SQL_SURVEY_ANSWERS[] =
    "SELECT municipality, question, code, answer FROM survey_response WHERE year = ?1"
    " ORDER BY municipality, question, code";

int store_survey_each_answer(struct store *st, int year, int *rows, store_survey_answer_cb cb,
                             void *ud)
{
    sqlite3_stmt *s;
    int rc, found;

    PREPARE(s, SQL_SURVEY_ROWS);
    sqlite3_bind_int(s, 1, year);
    if ((rc = store_one(st, s, "cannot read the survey import", &found, "i", rows)) != 0)
        return rc;
    if (!found) {
        snprintf(st->err, sizeof st->err,
                 "no survey imported for %d: run 'vkpulse survey import FILE --year %d'", year,
                 year);
        return VKP_ENOTFOUND;
    }
    PREPARE(s, SQL_SURVEY_ANSWERS);
    sqlite3_bind_int(s, 1, year);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_survey_answer a = {
            .municipality = (const char *)sqlite3_column_text(s, 0),
            .question = (const char *)sqlite3_column_text(s, 1),
            .code = (const char *)sqlite3_column_text(s, 2),
            .answer = (const char *)sqlite3_column_text(s, 3),
        };
        if ((rc = cb(ud, &a)) != 0) {
            sqlite3_reset(s);
            return rc;
        }
    }
    return store_walk_end(st, s, rc, "cannot read survey answers");
}

/* ---- roster ---------------------------------------------------------------- */

static const char SQL_ROSTER_CLEAR[] = "DELETE FROM roster";
/* A person forgotten with `vkpulse forget` is left out of a new roster too. */
static const char SQL_ROSTER_ADD[] =
    "INSERT INTO roster (user_id, municipality, row, imported_at, source)"
    " SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM forgotten_user WHERE id = ?1)";

/* What store_fill binds for one roster row. */
struct roster_fill {
    const struct store_roster_entry *e; /* the entries */
    int64_t now;                        /* import time */
    const char *source;                 /* file name */
};

static void bind_roster(sqlite3_stmt *s, size_t i, const void *ud)
{
    const struct roster_fill *f = ud;
    sqlite3_bind_int64(s, 1, f->e[i].user_id);
    sqlite3_bind_text(s, 2, f->e[i].municipality, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, f->e[i].row);
    sqlite3_bind_int64(s, 4, f->now);
    sqlite3_bind_text(s, 5, f->source, -1, SQLITE_STATIC);
}

int store_roster_replace(struct store *st, int64_t now, const char *source,
                         const struct store_roster_entry *e, size_t n)
{
    const struct roster_fill f = {e, now, source};
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_begin(st)) != 0)
        return rc;
    rc = VKP_EDB;
    if (!(s = store_stmt(st, SQL_ROSTER_CLEAR)) ||
        (rc = store_exec_one(st, s, "cannot clear the roster")) != 0 ||
        (rc = store_fill(st, SQL_ROSTER_ADD, n, bind_roster, &f, "a roster entry")) != 0 ||
        (rc = store_commit(st)) != 0)
        store_rollback(st);
    return rc;
}

static const char SQL_ROSTER_EACH[] =
    "SELECT user_id, municipality, row FROM roster ORDER BY user_id";

int store_roster_each(struct store *st, store_roster_cb cb, void *ud)
{
    sqlite3_stmt *s = store_stmt(st, SQL_ROSTER_EACH);
    int rc;

    if (!s)
        return VKP_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_roster_entry e = {
            .user_id = sqlite3_column_int64(s, 0),
            .municipality = (const char *)sqlite3_column_text(s, 1),
            .row = sqlite3_column_int(s, 2),
        };
        if ((rc = cb(ud, &e)) != 0) {
            sqlite3_reset(s);
            return rc;
        }
    }
    return store_walk_end(st, s, rc, "cannot read the roster");
}

/* ---- what the crosscheck may trust ---------------------------------------- */

/* Only snapshots of runs that ended ok or partial, and only the flags that
 * vouch for the data: members_ok for the member list, wall_ok for posts. A
 * wall read after the window still holds the window's posts: the newest one
 * counts whatever `to`. */
static const char SQL_XC_COMMUNITIES[] =
    "SELECT c.id, c.ref, c.kind, c.survey_name,"
    " ifnull((SELECT max(s.taken_at) FROM snapshot_usable s"
    "   WHERE s.community_id = c.id AND s.members_ok AND s.taken_at <= ?1),"
    "  (SELECT min(s.taken_at) FROM snapshot_usable s WHERE s.community_id = c.id AND "
    "s.members_ok)),"
    " (SELECT s.members_hidden FROM snapshot_usable s"
    "   WHERE s.community_id = c.id ORDER BY s.taken_at DESC LIMIT 1),"
    " (SELECT min(s.taken_at) FROM snapshot_usable s WHERE s.community_id = c.id AND s.wall_ok),"
    " (SELECT max(s.taken_at) FROM snapshot_usable s WHERE s.community_id = c.id AND s.wall_ok)"
    " FROM community c WHERE c.active ORDER BY c.id";

/* A callback (the one the walk calls) and its data, for the row readers below. */
struct xc_walk {
    store_xc_community_cb community;
    store_xc_member_cb member;
    store_xc_act_cb act;
    void *ud;
};

static int xc_community_row(sqlite3_stmt *s, void *ud)
{
    const struct xc_walk *w = ud;
    struct store_xc_community c = {
        .id = sqlite3_column_int64(s, 0),
        .ref = (const char *)sqlite3_column_text(s, 1),
        .kind = (const char *)sqlite3_column_text(s, 2),
        .survey_name = (const char *)sqlite3_column_text(s, 3),
        .members_at = sqlite3_column_int64(s, 4),
        .members_hidden = sqlite3_column_int(s, 5),
        .wall_first = sqlite3_column_int64(s, 6),
        .wall_last = sqlite3_column_int64(s, 7),
    };
    return w->community(w->ud, &c);
}

int store_xc_each_community(struct store *st, int64_t to, store_xc_community_cb cb, void *ud)
{
    struct xc_walk w = {.community = cb, .ud = ud};
    sqlite3_stmt *s;

    PREPARE(s, SQL_XC_COMMUNITIES);
    sqlite3_bind_int64(s, 1, to);
    return store_walk(st, s, xc_community_row, &w, "cannot read the communities' data state");
}

static const char SQL_XC_LAST_RUN[] = "SELECT ifnull(max(finished_at), 0) FROM usable_run";

int store_xc_last_run(struct store *st, int64_t *at)
{
    sqlite3_stmt *s;

    *at = 0;
    PREPARE(s, SQL_XC_LAST_RUN);
    return store_one(st, s, "cannot read the runs", NULL, "I", at);
}

/* An initial interval is open since before any window: VK gives no join dates. */
static const char SQL_XC_MEMBERS[] =
    "SELECT m.community_id, m.user_id, ifnull(u.city_id, 0), u.city_title"
    " FROM membership m JOIN community c ON c.id = m.community_id AND c.active"
    " LEFT JOIN user u ON u.id = m.user_id"
    " WHERE (m.joined_at <= ?1 OR m.initial) AND (m.left_at IS NULL OR m.left_at > ?1)"
    " ORDER BY m.community_id, m.user_id";

static int xc_member_row(sqlite3_stmt *s, void *ud)
{
    const struct xc_walk *w = ud;
    struct store_xc_member m = {
        .community_id = sqlite3_column_int64(s, 0),
        .user_id = sqlite3_column_int64(s, 1),
        .city_id = sqlite3_column_int64(s, 2),
        .city_title = (const char *)sqlite3_column_text(s, 3),
    };
    return w->member(w->ud, &m);
}

int store_xc_each_member(struct store *st, int64_t at, store_xc_member_cb cb, void *ud)
{
    struct xc_walk w = {.member = cb, .ud = ud};
    sqlite3_stmt *s;

    PREPARE(s, SQL_XC_MEMBERS);
    sqlite3_bind_int64(s, 1, at);
    return store_walk(st, s, xc_member_row, &w, "cannot read the members");
}

static const char SQL_XC_ACTS[] =
    "SELECT a.community_id, a.user_id, CASE a.kind WHEN 'comment' THEN 0 WHEN 'like' THEN 2"
    "  ELSE 3 END, a.owner_id, a.post_id, a.at"
    " FROM activity a WHERE a.at >= ?1 AND a.at < ?2 AND a.user_id > 0"
    " UNION ALL SELECT p.community_id,"
    "  CASE WHEN p.signer_id > 0 THEN p.signer_id ELSE p.from_id END, 1, p.owner_id, p.id, p.date"
    " FROM post p WHERE p.date >= ?1 AND p.date < ?2 AND (p.signer_id > 0 OR p.from_id > 0)"
    " ORDER BY 1, 2, 6";

static int xc_act_row(sqlite3_stmt *s, void *ud)
{
    const struct xc_walk *w = ud;
    struct store_xc_act a = {
        .community_id = sqlite3_column_int64(s, 0),
        .user_id = sqlite3_column_int64(s, 1),
        .kind = (enum store_act_kind)sqlite3_column_int(s, 2),
        .owner_id = sqlite3_column_int64(s, 3),
        .post_id = sqlite3_column_int64(s, 4),
        .at = sqlite3_column_int64(s, 5),
    };
    return w->act(w->ud, &a);
}

int store_xc_each_act(struct store *st, int64_t from, int64_t to, store_xc_act_cb cb, void *ud)
{
    struct xc_walk w = {.act = cb, .ud = ud};
    sqlite3_stmt *s;

    PREPARE(s, SQL_XC_ACTS);
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    return store_walk(st, s, xc_act_row, &w, "cannot read the activity");
}
