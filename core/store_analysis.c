/* store_analysis.c: the analyzer's reads that several reports share. */
#include <string.h>

#include "err.h"
#include "store_analysis.h"
#include "store_int.h"

/*
 * One UNION ALL of every kind of evidence, folded per (community, person):
 * membership, the activity view's acts (schema/0013_series.sql: its one
 * dating rule, a like at the middle of its bracket; `found` reaches them by
 * the time indexes) and the posts people authored, by
 * post_community_date (hence the community_id IN: without it the posts
 * branch reads every post ever stored); membership is read whole (its size
 * follows the network, not the weeks).
 */
static const char SQL_PARTICIPANTS[] =
    "WITH evidence (cid, uid, mb, cm, ps, lk, rp) AS ("
    " SELECT m.community_id, m.user_id, 1, 0, 0, 0, 0 FROM membership m"
    "  WHERE m.joined_at <= ?4 AND (m.left_at IS NULL OR m.left_at > ?4)"
    "  AND (?1 = 0 OR m.community_id = ?1)"
    " UNION ALL SELECT a.community_id, a.user_id, 0, a.kind = 'comment', 0, a.kind = 'like',"
    "  a.kind = 'repost' FROM activity a WHERE a.found >= ?2 AND a.at >= ?2 AND a.at < ?3"
    "  AND a.user_id > 0"
    "  AND (?1 = 0 OR a.community_id = ?1)"
    " UNION ALL SELECT p.community_id, CASE WHEN p.signer_id > 0 THEN p.signer_id ELSE p.from_id "
    "END,"
    "  0, 0, 1, 0, 0 FROM post p"
    "  WHERE p.community_id IN (SELECT id FROM community WHERE ?1 = 0 OR id = ?1)"
    "  AND p.date >= ?2 AND p.date < ?3"
    "  AND (p.signer_id > 0 OR p.from_id > 0)"
    ")"
    " SELECT e.cid, e.uid, max(e.mb), sum(e.cm), sum(e.ps), sum(e.lk), sum(e.rp),"
    "  ifnull(u.city_id, 0), u.city_title"
    " FROM evidence e LEFT JOIN user u ON u.id = e.uid"
    " WHERE ?1 = 0 OR e.cid = ?1"
    " GROUP BY e.cid, e.uid ORDER BY e.cid, e.uid";

int store_each_participant(struct store *st, int64_t community_id, int64_t from, int64_t to,
                           int64_t member_at, store_participant_cb cb, void *ud)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_bind_window(st, SQL_PARTICIPANTS, community_id, from, to, &s)) != 0)
        return rc;
    sqlite3_bind_int64(s, 4, member_at ? member_at : to);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_participant p = {
            .community_id = sqlite3_column_int64(s, 0),
            .user_id = sqlite3_column_int64(s, 1),
            .member = sqlite3_column_int(s, 2),
            .comments = sqlite3_column_int64(s, 3),
            .posts = sqlite3_column_int64(s, 4),
            .likes = sqlite3_column_int64(s, 5),
            .reposts = sqlite3_column_int64(s, 6),
            .city_id = sqlite3_column_int64(s, 7),
            .city_title = (const char *)sqlite3_column_text(s, 8),
        };
        if ((rc = cb(ud, &p)) != 0) {
            sqlite3_reset(s);
            return rc;
        }
    }
    return store_walk_end(st, s, rc, "cannot read participants");
}
