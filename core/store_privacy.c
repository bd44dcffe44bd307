/* store_privacy.c: personal data: the retention purge and forgetting a person. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "store_int.h"
#include "store_privacy.h"

/* Runs a prepared-once statement with ?1 = a (and ?2 = b when has_b) and
 * adds the rows it changed to *changed. */
static int run_changes(struct store *st, const char *sql, int64_t a, int has_b, int64_t b,
                       const char *what, int64_t *changed)
{
    sqlite3_stmt *s = store_stmt(st, sql);
    int rc;

    if (!s)
        return VKP_EDB;
    sqlite3_bind_int64(s, 1, a);
    if (has_b)
        sqlite3_bind_int64(s, 2, b);
    if ((rc = store_exec_one(st, s, what)) != 0)
        return rc;
    *changed += sqlite3_changes(st->db);
    return 0;
}

/* ---- retention ------------------------------------------------------------------------ */

/* `months` calendar months before now, in UTC; the 31st of a month minus one
 * month is the last day of the shorter month, not a day of the next one. */
static int64_t months_before(int64_t now, int months)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    time_t t = (time_t)now;
    struct tm tm;

    if (!gmtime_r(&t, &tm))
        return now;
    int m = tm.tm_year * 12 + tm.tm_mon - months;
    tm.tm_year = m / 12;
    tm.tm_mon = m % 12;
    int y = tm.tm_year + 1900;
    int last = mdays[tm.tm_mon] + (tm.tm_mon == 1 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
    if (tm.tm_mday > last)
        tm.tm_mday = last;
    return (int64_t)timegm(&tm);
}

/* Likes are read through (no index on seen_at since 0009): a purge is one pass. */
static const char SQL_PURGE_LIKES[] = "DELETE FROM post_like WHERE seen_at < ?1";
static const char SQL_PURGE_LIKE_SEEN[] = "DELETE FROM like_seen WHERE seen_at < ?1";
static const char SQL_PURGE_COMMENTS[] = "DELETE FROM comment WHERE date < ?1";
static const char SQL_PURGE_REPOSTS[] = "DELETE FROM repost WHERE date < ?1";
static const char SQL_PURGE_COUNTERS[] = "DELETE FROM post_counter WHERE taken_at < ?1";

int store_purge(struct store *st, int64_t now, int months, struct store_purge_counts *out)
{
    int64_t batches = 0; /* like_seen rows: not reported */
    int rc;

    memset(out, 0, sizeof *out);
    if (months <= 0)
        return 0;
    out->cutoff = months_before(now, months);
    if ((rc = store_begin(st)) != 0)
        return rc;
    if ((rc = run_changes(st, SQL_PURGE_LIKES, out->cutoff, 0, 0, "cannot purge likes",
                          &out->likes)) != 0 ||
        (rc = run_changes(st, SQL_PURGE_LIKE_SEEN, out->cutoff, 0, 0, "cannot purge likes",
                          &batches)) != 0 ||
        (rc = run_changes(st, SQL_PURGE_COMMENTS, out->cutoff, 0, 0, "cannot purge comments",
                          &out->comments)) != 0 ||
        (rc = run_changes(st, SQL_PURGE_REPOSTS, out->cutoff, 0, 0, "cannot purge reposts",
                          &out->reposts)) != 0 ||
        (rc = run_changes(st, SQL_PURGE_COUNTERS, out->cutoff, 0, 0, "cannot purge post counters",
                          &out->counters)) != 0 ||
        (rc = store_commit(st)) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(st);
    memset(out, 0, sizeof *out);
    return rc;
}

/* ---- forgetting a person ------------------------------------------------------------------ */

static const char SQL_FORGET_MARK[] =
    "INSERT INTO forgotten_user (id, forgotten_at) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING";
static const char SQL_FORGET_STAGE[] = "DELETE FROM member_stage WHERE user_id = ?1";
static const char SQL_FORGET_MEMBERSHIP[] = "DELETE FROM membership WHERE user_id = ?1";
static const char SQL_FORGET_LIKES[] = "DELETE FROM post_like WHERE user_id = ?1";
static const char SQL_FORGET_COMMENTS[] = "UPDATE comment SET from_id = 0 WHERE from_id = ?1";
static const char SQL_FORGET_REPOSTS[] = "DELETE FROM repost WHERE repost_owner_id = ?1";
static const char SQL_FORGET_POSTS[] =
    "UPDATE post SET text = NULL, from_id = CASE WHEN from_id = ?1 THEN 0 ELSE from_id END,"
    " signer_id = CASE WHEN signer_id = ?1 THEN NULL ELSE signer_id END,"
    " copy_owner_id = CASE WHEN copy_owner_id = ?1 THEN 0 ELSE copy_owner_id END,"
    " copy_post_id = CASE WHEN copy_owner_id = ?1 THEN 0 ELSE copy_post_id END"
    " WHERE from_id = ?1 OR signer_id = ?1 OR copy_owner_id = ?1";
static const char SQL_FORGET_ROSTER[] = "DELETE FROM roster WHERE user_id = ?1";
static const char SQL_FORGET_USER[] = "DELETE FROM user WHERE id = ?1";

int store_forget(struct store *st, int64_t user_id, int64_t now, struct store_forget_counts *out)
{
    int64_t marked = 0, staged = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if (user_id <= 0) {
        snprintf(st->err, sizeof st->err, "'%lld' is not a VK user id (a positive number)",
                 (long long)user_id);
        return VKP_EUSAGE;
    }
    if ((rc = store_begin(st)) != 0)
        return rc;
    /* Memberships before the user row: they reference it. */
    if ((rc = run_changes(st, SQL_FORGET_MARK, user_id, 1, now, "cannot record the person",
                          &marked)) != 0 ||
        (rc = run_changes(st, SQL_FORGET_STAGE, user_id, 0, 0, "cannot drop staged rows",
                          &staged)) != 0 ||
        (rc = run_changes(st, SQL_FORGET_MEMBERSHIP, user_id, 0, 0, "cannot delete memberships",
                          &out->memberships)) != 0 ||
        (rc = run_changes(st, SQL_FORGET_LIKES, user_id, 0, 0, "cannot delete likes",
                          &out->likes)) != 0 ||
        (rc = run_changes(st, SQL_FORGET_COMMENTS, user_id, 0, 0, "cannot anonymise comments",
                          &out->comments)) != 0 ||
        (rc = run_changes(st, SQL_FORGET_REPOSTS, user_id, 0, 0, "cannot delete reposts",
                          &out->reposts)) != 0 ||
        (rc = run_changes(st, SQL_FORGET_POSTS, user_id, 0, 0, "cannot anonymise posts",
                          &out->posts)) != 0 ||
        (rc = run_changes(st, SQL_FORGET_ROSTER, user_id, 0, 0, "cannot delete the roster entry",
                          &out->roster)) != 0 ||
        (rc = run_changes(st, SQL_FORGET_USER, user_id, 0, 0, "cannot delete the user",
                          &out->user)) != 0 ||
        (rc = store_commit(st)) != 0)
        goto fail;
    out->already = marked == 0;
    return 0;
fail:
    store_rollback(st);
    memset(out, 0, sizeof *out);
    return rc;
}
