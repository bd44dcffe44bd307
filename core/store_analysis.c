/* store_analysis.c: the analyzer's reads that several reports share. */
#include <string.h>

#include "err.h"
#include "store_int.h"

/*
 * One UNION ALL of every kind of evidence, folded per (community, person).
 * Likes carry no date: one is dated by the run that first saw it, and the
 * likes a community's first run found are history of unknown date, left out.
 * Each branch uses an index: comment_date, post_community_date (hence the
 * community_id IN: without it the posts branch reads every post ever
 * stored), like_seen (then the likes of those posts by key), repost_date;
 * membership is read whole (its
 * size follows the network, not the weeks).
 */
static const char SQL_PARTICIPANTS[] =
    "WITH evidence (cid, uid, mb, cm, ps, lk, rp) AS ("
    " SELECT m.community_id, m.user_id, 1, 0, 0, 0, 0 FROM membership m"
    "  WHERE m.joined_at <= ?3 AND (m.left_at IS NULL OR m.left_at > ?3)"
    " UNION ALL SELECT p.community_id, c.from_id, 0, 1, 0, 0, 0 FROM comment c"
    "  JOIN post p ON p.owner_id = c.owner_id AND p.id = c.post_id"
    "  WHERE c.date >= ?2 AND c.date < ?3 AND c.from_id > 0"
    " UNION ALL SELECT p.community_id, CASE WHEN p.signer_id > 0 THEN p.signer_id ELSE p.from_id "
    "END,"
    "  0, 0, 1, 0, 0 FROM post p"
    "  WHERE p.community_id IN (SELECT id FROM community) AND p.date >= ?2 AND p.date < ?3"
    "  AND (p.signer_id > 0 OR p.from_id > 0)"
    " UNION ALL SELECT p.community_id, l.user_id, 0, 0, 0, 1, 0 FROM (SELECT DISTINCT owner_id,"
    "   post_id FROM like_seen WHERE seen_at >= ?2 AND seen_at < ?3) w"
    "  CROSS JOIN post p ON p.owner_id = w.owner_id AND p.id = w.post_id"
    "  CROSS JOIN post_like l ON l.owner_id = w.owner_id AND l.post_id = w.post_id"
    "  WHERE l.seen_at >= ?2 AND l.seen_at < ?3 AND l.seen_at > (SELECT min(s.taken_at)"
    "   FROM snapshot s WHERE s.community_id = p.community_id)"
    " UNION ALL SELECT p.community_id, r.repost_owner_id, 0, 0, 0, 0, 1 FROM repost r"
    "  JOIN post p ON p.owner_id = r.owner_id AND p.id = r.post_id"
    "  WHERE r.date >= ?2 AND r.date < ?3 AND r.repost_owner_id > 0)"
    " SELECT e.cid, e.uid, max(e.mb), sum(e.cm), sum(e.ps), sum(e.lk), sum(e.rp),"
    "  ifnull(u.city_id, 0), u.city_title"
    " FROM evidence e LEFT JOIN user u ON u.id = e.uid"
    " WHERE ?1 = 0 OR e.cid = ?1"
    " GROUP BY e.cid, e.uid ORDER BY e.cid, e.uid";

int store_each_participant(struct store *st, int64_t community_id, int64_t from, int64_t to,
                           store_participant_cb cb, void *ud)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_bind_window(st, SQL_PARTICIPANTS, community_id, from, to, &s)) != 0)
        return rc;
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
