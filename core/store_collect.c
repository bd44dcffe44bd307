/* store_collect.c: the collector's writes; every statement prepared once and bound. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "model.h"
#include "store_collect.h"
#include "store_int.h"
#include "text.h"

/* Binds a text that may be NULL. */
static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

/* ---- communities -------------------------------------------------------------------------- */

static const char SQL_COMMUNITY_STATE[] =
    "SELECT c.id, ifnull(c.vk_id, 0), c.stats_denied,"
    "  EXISTS (SELECT 1 FROM snapshot s WHERE s.community_id = c.id AND s.members_ok),"
    "  EXISTS (SELECT 1 FROM snapshot s WHERE s.community_id = c.id AND s.wall_ok),"
    "  ifnull((SELECT max(day) FROM stat_day d WHERE d.community_id = c.id), 0),"
    "  ifnull((SELECT min(date) FROM post p WHERE p.community_id = c.id AND"
    "   (synced_likes IS NULL OR synced_comments IS NULL OR synced_reposts IS NULL)), 0),"
    "  c.stats_denied_at"
    " FROM community c WHERE c.id = ?1";

/* Reads the state of row @id. */
static int community_state(struct store *st, int64_t id, struct store_community_state *out)
{
    sqlite3_stmt *s;
    int rc, found;

    memset(out, 0, sizeof *out);
    PREPARE(s, SQL_COMMUNITY_STATE);
    sqlite3_bind_int64(s, 1, id);
    if ((rc = store_one(st, s, "cannot read community", &found, "IIiiiIII", &out->id, &out->vk_id,
                        &out->stats_denied, &out->had_members, &out->had_wall, &out->last_stat_day,
                        &out->oldest_unsynced, &out->stats_denied_at)) != 0)
        return rc;
    if (!found) {
        snprintf(st->err, sizeof st->err, "community %lld is not in the database", (long long)id);
        return VKP_ENOTFOUND;
    }
    return 0;
}

int store_community_state(struct store *st, const char *ref, struct store_community_state *out)
{
    int64_t id;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = store_community_find(st, ref, &id)) != 0)
        return rc;
    if (id == 0) {
        snprintf(st->err, sizeof st->err,
                 "community '%s' is not in the database: run 'vkpulse init'", ref);
        return VKP_ENOTFOUND;
    }
    return community_state(st, id, out);
}

static const char SQL_HOLDER[] = "SELECT id FROM community WHERE vk_id = ?1 AND id <> ?2";
static const char SQL_TAKE_OVER[] =
    "UPDATE community SET ref = ?2, kind = ?3, survey_name = ?4, active = 1 WHERE id = ?1";
static const char SQL_CONFIG_OF[] = "SELECT ref, kind, survey_name FROM community WHERE id = ?1";

int store_community_claim(struct store *st, int64_t id, int64_t vk_id,
                          struct store_community_state *out)
{
    sqlite3_stmt *s;
    int64_t holder = 0;
    char *ref = NULL, *kind = NULL, *survey = NULL;
    int rc, found;

    PREPARE(s, SQL_HOLDER);
    sqlite3_bind_int64(s, 1, vk_id);
    sqlite3_bind_int64(s, 2, id);
    if ((rc = store_one(st, s, "cannot read communities", &found, "I", &holder)) != 0)
        return rc;
    if (!holder)
        return community_state(st, id, out);

    /* The row the config names now hands its reference to the row that has the group's
     * history: copy it out, merge (which deletes it and frees the reference), take it. */
    PREPARE(s, SQL_CONFIG_OF);
    sqlite3_bind_int64(s, 1, id);
    if ((rc = sqlite3_step(s)) != SQLITE_ROW)
        return store_fail(st, rc, "cannot read community");
    ref = strdup((const char *)sqlite3_column_text(s, 0));
    kind = strdup((const char *)sqlite3_column_text(s, 1));
    survey = strdup((const char *)sqlite3_column_text(s, 2));
    sqlite3_reset(s);
    rc = VKP_ENOMEM;
    if (!ref || !kind || !survey)
        goto out;
    if ((rc = store_community_merge(st, id, holder)) != 0)
        goto out;
    rc = VKP_EDB;
    if (!(s = store_stmt(st, SQL_TAKE_OVER)))
        goto out;
    sqlite3_bind_int64(s, 1, holder);
    sqlite3_bind_text(s, 2, ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, survey, -1, SQLITE_STATIC);
    if ((rc = store_exec_one(st, s, "cannot update community")) != 0)
        goto out;
    rc = community_state(st, holder, out);
out:
    free(ref);
    free(kind);
    free(survey);
    return rc;
}

static const char SQL_GROUP_INFO[] =
    "UPDATE community SET vk_id = ?2, screen_name = ?3, name = ?4, is_closed = ?5,"
    " deactivated = ?6 WHERE id = ?1";
static const char SQL_SNAPSHOT_UPSERT[] =
    "INSERT INTO snapshot (run_id, community_id, taken_at, members_count) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT DO UPDATE SET members_count = ifnull(?4, members_count)";

/* Makes sure this run has a snapshot row for the community. */
static int snapshot_touch(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                          int64_t members_count)
{
    sqlite3_stmt *s;
    PREPARE(s, SQL_SNAPSHOT_UPSERT);
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, community_id);
    sqlite3_bind_int64(s, 3, now);
    if (members_count >= 0)
        sqlite3_bind_int64(s, 4, members_count);
    return store_exec_one(st, s, "cannot write snapshot");
}

int store_group_info(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                     const struct vk_group *g)
{
    sqlite3_stmt *s;
    int rc;
    PREPARE(s, SQL_GROUP_INFO);
    sqlite3_bind_int64(s, 1, community_id);
    sqlite3_bind_int64(s, 2, g->id);
    bind_text(s, 3, g->screen_name);
    bind_text(s, 4, g->name);
    sqlite3_bind_int(s, 5, g->is_closed);
    bind_text(s, 6, g->deactivated);
    if ((rc = store_exec_one(st, s, "cannot update community")) != 0)
        return rc;
    return snapshot_touch(st, run_id, community_id, now, g->members_count);
}

static const char *const SQL_SNAP_FLAG[] = {
    "UPDATE snapshot SET members_hidden = 1 WHERE run_id = ?1 AND community_id = ?2",
    "UPDATE snapshot SET wall_ok = 1 WHERE run_id = ?1 AND community_id = ?2",
    "UPDATE snapshot SET details_ok = 1 WHERE run_id = ?1 AND community_id = ?2",
};

int store_snapshot_flag(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                        enum store_snap_flag flag)
{
    sqlite3_stmt *s;
    int rc = snapshot_touch(st, run_id, community_id, now, -1);
    if (rc != 0)
        return rc;
    PREPARE(s, SQL_SNAP_FLAG[flag]);
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, community_id);
    return store_exec_one(st, s, "cannot update snapshot");
}

static const char SQL_SNAP_NOTE[] =
    "UPDATE snapshot SET note = CASE WHEN note IS NULL THEN ?3 ELSE note || '; ' || ?3 END"
    " WHERE run_id = ?1 AND community_id = ?2";

int store_snapshot_note(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                        const char *note)
{
    sqlite3_stmt *s;
    int rc = snapshot_touch(st, run_id, community_id, now, -1);
    if (rc != 0)
        return rc;
    PREPARE(s, SQL_SNAP_NOTE);
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, community_id);
    sqlite3_bind_text(s, 3, note, -1, SQLITE_STATIC);
    return store_exec_one(st, s, "cannot update snapshot");
}

/* ---- members ------------------------------------------------------------------------------ */

/* People in forgotten_user (`vkpulse forget`) are never stored again: not as
 * users or members, not as likers or reposters; their comments are kept with
 * from_id 0 and their posts without their id. */
static const char SQL_USER_UPSERT[] =
    "INSERT INTO user (id, city_id, city_title, deactivated, first_name, last_name, seen_at)"
    " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS (SELECT 1 FROM forgotten_user WHERE id = "
    "?1)"
    " ON CONFLICT (id) DO UPDATE SET city_id = ?2,"
    " city_title = ?3, deactivated = ?4, first_name = ?5, last_name = ?6, seen_at = ?7";
static const char SQL_STAGE_INSERT[] =
    "INSERT OR IGNORE INTO member_stage (run_id, community_id, user_id) SELECT ?1, ?2, ?3"
    " WHERE NOT EXISTS (SELECT 1 FROM forgotten_user WHERE id = ?3)";

static const char SQL_IS_FORGOTTEN[] = "SELECT EXISTS (SELECT 1 FROM forgotten_user WHERE id = ?1)";

int store_members_page(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                       const struct vk_user *u, size_t n, int keep_names, int64_t *listed)
{
    sqlite3_stmt *s;
    int rc;
    for (size_t i = 0; i < n; i++) {
        PREPARE(s, SQL_USER_UPSERT);
        sqlite3_bind_int64(s, 1, u[i].id);
        if (u[i].city_id > 0)
            sqlite3_bind_int64(s, 2, u[i].city_id);
        bind_text(s, 3, u[i].city_title);
        /* Only the two documented values; anything else VK may add is not a deactivation
         * we know how to report. */
        if (u[i].deactivated &&
            (!strcmp(u[i].deactivated, "deleted") || !strcmp(u[i].deactivated, "banned")))
            sqlite3_bind_text(s, 4, u[i].deactivated, -1, SQLITE_STATIC);
        if (keep_names) {
            bind_text(s, 5, u[i].first_name);
            bind_text(s, 6, u[i].last_name);
        }
        sqlite3_bind_int64(s, 7, now);
        if ((rc = store_exec_one(st, s, "cannot store user")) != 0)
            return rc;
        PREPARE(s, SQL_STAGE_INSERT);
        sqlite3_bind_int64(s, 1, run_id);
        sqlite3_bind_int64(s, 2, community_id);
        sqlite3_bind_int64(s, 3, u[i].id);
        if ((rc = store_exec_one(st, s, "cannot stage member")) != 0)
            return rc;
        if (!listed || sqlite3_changes(st->db) > 0) {
            if (listed)
                ++*listed;
            continue;
        }
        /* Not staged: listed before (pages overlap), or a forgotten person, who is a
         * member all the same and counts towards the list's agreement with its count. */
        PREPARE(s, SQL_IS_FORGOTTEN);
        sqlite3_bind_int64(s, 1, u[i].id);
        int forgotten;
        if ((rc = store_one(st, s, "cannot read forgotten users", NULL, "i", &forgotten)) != 0)
            return rc;
        *listed += forgotten;
    }
    return 0;
}

static const char SQL_STAGE_DROP[] =
    "DELETE FROM member_stage WHERE run_id = ?1 AND community_id = ?2";

int store_members_unstage(struct store *st, int64_t run_id, int64_t community_id)
{
    return store_exec_ids(st, SQL_STAGE_DROP, run_id, community_id, "cannot drop staged members");
}

/* The fold goes through the staged list in slices of user ids (after, upto]: each
 * slice's joins, the leaves among open memberships in the same range (the last
 * slice reaches to the end), and its stage rows dropped. */
static const char SQL_FOLD_SLICE[] =
    "SELECT count(*), max(user_id) FROM (SELECT user_id FROM member_stage"
    " WHERE run_id = ?1 AND community_id = ?2 AND user_id > ?3 ORDER BY user_id LIMIT ?4)";
static const char SQL_MEMBERS_JOIN[] =
    "INSERT INTO membership (community_id, user_id, joined_at, joined_run, initial)"
    " SELECT ?2, g.user_id, ?3, ?1, ?4 FROM member_stage g"
    " WHERE g.run_id = ?1 AND g.community_id = ?2 AND g.user_id > ?5 AND g.user_id <= ?6"
    " AND NOT EXISTS (SELECT 1 FROM membership m"
    "  WHERE m.community_id = ?2 AND m.user_id = g.user_id AND m.left_at IS NULL)";
static const char SQL_MEMBERS_LEAVE[] =
    "UPDATE membership SET left_at = ?3, left_run = ?1"
    " WHERE community_id = ?2 AND left_at IS NULL AND user_id > ?4 AND user_id <= ?5"
    " AND NOT EXISTS (SELECT 1 FROM member_stage g"
    "  WHERE g.run_id = ?1 AND g.community_id = ?2 AND g.user_id = membership.user_id)";
static const char SQL_STAGE_DROP_SLICE[] =
    "DELETE FROM member_stage WHERE run_id = ?1 AND community_id = ?2"
    " AND user_id > ?3 AND user_id <= ?4";
static const char SQL_MEMBERS_SNAP[] =
    "UPDATE snapshot SET members_ok = 1, members_listed = ?3 WHERE run_id = ?1 AND community_id = ?2";
static const char SQL_HAD_MEMBERS[] =
    "SELECT EXISTS (SELECT 1 FROM snapshot WHERE community_id = ?1 AND members_ok)";

int store_members_fold_begin(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                             struct store_fold *f)
{
    sqlite3_stmt *s;
    int rc, had;

    memset(f, 0, sizeof *f);
    f->run_id = run_id;
    f->community_id = community_id;
    f->now = now;
    f->after = INT64_MIN;
    if ((rc = snapshot_touch(st, run_id, community_id, now, -1)) != 0)
        return rc;
    PREPARE(s, SQL_HAD_MEMBERS);
    sqlite3_bind_int64(s, 1, community_id);
    if ((rc = store_one(st, s, "cannot read snapshots", NULL, "i", &had)) != 0)
        return rc;
    f->initial = !had;
    return 0;
}

int store_members_fold_step(struct store *st, struct store_fold *f, int rows)
{
    sqlite3_stmt *s;
    int64_t n = 0, upto = 0;
    int rc;

    if (f->done)
        return 0;
    PREPARE(s, SQL_FOLD_SLICE);
    sqlite3_bind_int64(s, 1, f->run_id);
    sqlite3_bind_int64(s, 2, f->community_id);
    sqlite3_bind_int64(s, 3, f->after);
    sqlite3_bind_int(s, 4, rows > 0 ? rows : 1);
    if ((rc = store_one(st, s, "cannot read staged members", NULL, "II", &n, &upto)) != 0)
        return rc;
    if (n < (rows > 0 ? rows : 1))
        upto = INT64_MAX; /* the last slice: leaves reach past the last staged id */

    PREPARE(s, SQL_MEMBERS_JOIN);
    sqlite3_bind_int64(s, 1, f->run_id);
    sqlite3_bind_int64(s, 2, f->community_id);
    sqlite3_bind_int64(s, 3, f->now);
    sqlite3_bind_int(s, 4, f->initial);
    sqlite3_bind_int64(s, 5, f->after);
    sqlite3_bind_int64(s, 6, upto);
    if ((rc = store_exec_one(st, s, "cannot record joins")) != 0)
        return rc;
    f->joined += sqlite3_changes(st->db);
    PREPARE(s, SQL_MEMBERS_LEAVE);
    sqlite3_bind_int64(s, 1, f->run_id);
    sqlite3_bind_int64(s, 2, f->community_id);
    sqlite3_bind_int64(s, 3, f->now);
    sqlite3_bind_int64(s, 4, f->after);
    sqlite3_bind_int64(s, 5, upto);
    if ((rc = store_exec_one(st, s, "cannot record leaves")) != 0)
        return rc;
    f->left += sqlite3_changes(st->db);
    PREPARE(s, SQL_STAGE_DROP_SLICE);
    sqlite3_bind_int64(s, 1, f->run_id);
    sqlite3_bind_int64(s, 2, f->community_id);
    sqlite3_bind_int64(s, 3, f->after);
    sqlite3_bind_int64(s, 4, upto);
    if ((rc = store_exec_one(st, s, "cannot drop staged members")) != 0)
        return rc;
    f->listed += n;
    f->after = upto;
    if (upto != INT64_MAX)
        return 0;
    PREPARE(s, SQL_MEMBERS_SNAP);
    sqlite3_bind_int64(s, 1, f->run_id);
    sqlite3_bind_int64(s, 2, f->community_id);
    sqlite3_bind_int64(s, 3, f->listed);
    if ((rc = store_exec_one(st, s, "cannot update snapshot")) != 0)
        return rc;
    f->done = 1;
    return 0;
}

int store_members_complete(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                           int64_t *joined, int64_t *left)
{
    struct store_fold f;
    int rc = store_members_fold_begin(st, run_id, community_id, now, &f);
    while (rc == 0 && !f.done)
        rc = store_members_fold_step(st, &f, INT32_MAX);
    *joined = f.joined;
    *left = f.left;
    return rc;
}

/* Steady: VK's count is the stored open memberships, nobody staged from the
 * first page is new, and a whole list was read no earlier than ?4. */
static const char SQL_MEMBERS_STEADY[] =
    "SELECT (SELECT count(*) FROM membership WHERE community_id = ?2 AND left_at IS NULL) = ?3"
    " AND NOT EXISTS (SELECT 1 FROM member_stage g WHERE g.run_id = ?1 AND g.community_id = ?2"
    "  AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.community_id = ?2"
    "   AND m.user_id = g.user_id AND m.left_at IS NULL))"
    " AND EXISTS (SELECT 1 FROM snapshot s WHERE s.community_id = ?2 AND s.members_ok"
    "  AND NOT s.members_carried AND s.taken_at >= ?4)";
static const char SQL_MEMBERS_CARRY[] =
    "UPDATE snapshot SET members_ok = 1, members_carried = 1, members_listed ="
    " (SELECT count(*) FROM membership WHERE community_id = ?2 AND left_at IS NULL)"
    " WHERE run_id = ?1 AND community_id = ?2";

int store_members_carry(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
                        int64_t count, int64_t whole_since, int *carried)
{
    sqlite3_stmt *s;
    int rc;

    *carried = 0;
    PREPARE(s, SQL_MEMBERS_STEADY);
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, community_id);
    sqlite3_bind_int64(s, 3, count);
    sqlite3_bind_int64(s, 4, whole_since);
    int steady;
    if ((rc = store_one(st, s, "cannot compare the member list", NULL, "i", &steady)) != 0)
        return rc;
    if (!steady)
        return 0;
    if ((rc = snapshot_touch(st, run_id, community_id, now, -1)) != 0 ||
        (rc = store_exec_ids(st, SQL_MEMBERS_CARRY, run_id, community_id,
                             "cannot update snapshot")) != 0)
        return rc;
    *carried = 1;
    return store_members_unstage(st, run_id, community_id);
}

/* ---- posts ---------------------------------------------------------------------------------- */

static const char SQL_POST_UPSERT[] =
    "INSERT INTO post (owner_id, id, community_id, from_id, signer_id, date, post_type,"
    " is_pinned, copy_owner_id, copy_post_id, copy_date, first_run, text)"
    " VALUES (?1, ?2, ?3,"
    "  CASE WHEN EXISTS (SELECT 1 FROM forgotten_user WHERE id = ?4) THEN 0 ELSE ?4 END,"
    "  CASE WHEN EXISTS (SELECT 1 FROM forgotten_user WHERE id = ?5) THEN NULL ELSE ?5 END,"
    "  ?6, ?7, ?8,"
    "  CASE WHEN EXISTS (SELECT 1 FROM forgotten_user WHERE id = ?9) THEN 0 ELSE ?9 END,"
    "  CASE WHEN EXISTS (SELECT 1 FROM forgotten_user WHERE id = ?9) THEN 0 ELSE ?10 END,"
    "  ?11, ?12, CASE WHEN EXISTS (SELECT 1 FROM forgotten_user WHERE id IN (?4, ?5, ?9))"
    "  THEN NULL ELSE ?13 END)"
    " ON CONFLICT (owner_id, id) DO UPDATE SET from_id = excluded.from_id,"
    " signer_id = excluded.signer_id, date = ?6, post_type = ?7, is_pinned = ?8,"
    " copy_owner_id = excluded.copy_owner_id, copy_post_id = excluded.copy_post_id,"
    " copy_date = ?11, text = excluded.text"
    " RETURNING ifnull(synced_likes, -1), ifnull(synced_comments, -1), ifnull(synced_reposts, -1)";
static const char SQL_COUNTER_UPSERT[] =
    "INSERT INTO post_counter (owner_id, post_id, run_id, taken_at, views, likes, reposts,"
    " comments) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO UPDATE SET"
    " taken_at = ?4, views = ?5, likes = ?6, reposts = ?7, comments = ?8";

static void bind_nonzero(sqlite3_stmt *s, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

int store_post(struct store *st, int64_t run_id, int64_t community_id, int64_t now,
               const struct vk_post *p, struct store_post_sync *prev)
{
    sqlite3_stmt *s;
    int rc;

    PREPARE(s, SQL_POST_UPSERT);
    sqlite3_bind_int64(s, 1, p->owner_id);
    sqlite3_bind_int64(s, 2, p->id);
    sqlite3_bind_int64(s, 3, community_id);
    sqlite3_bind_int64(s, 4, p->from_id);
    bind_nonzero(s, 5, p->signer_id);
    sqlite3_bind_int64(s, 6, p->date);
    bind_text(s, 7, p->post_type);
    sqlite3_bind_int(s, 8, p->is_pinned);
    bind_nonzero(s, 9, p->copy_owner_id);
    bind_nonzero(s, 10, p->copy_post_id);
    bind_nonzero(s, 11, p->copy_date);
    sqlite3_bind_int64(s, 12, run_id);
    /* A community's public post is its content: a snippet is kept for the report. */
    char snippet[VK_POST_SNIPPET_CHARS * 4 + 1];
    text_snippet(p->text, VK_POST_SNIPPET_CHARS, snippet, sizeof snippet);
    sqlite3_bind_text(s, 13, snippet, -1, SQLITE_TRANSIENT);
    if ((rc = store_one(st, s, "cannot store post", NULL, "III", &prev->likes, &prev->comments,
                        &prev->reposts)) != 0)
        return rc;

    PREPARE(s, SQL_COUNTER_UPSERT);
    sqlite3_bind_int64(s, 1, p->owner_id);
    sqlite3_bind_int64(s, 2, p->id);
    sqlite3_bind_int64(s, 3, run_id);
    sqlite3_bind_int64(s, 4, now);
    sqlite3_bind_int64(s, 5, p->views);
    sqlite3_bind_int64(s, 6, p->likes);
    sqlite3_bind_int64(s, 7, p->reposts);
    sqlite3_bind_int64(s, 8, p->comments);
    return store_exec_one(st, s, "cannot store post counters");
}

static const char SQL_UNPIN[] =
    "UPDATE post SET is_pinned = 0 WHERE owner_id = ?1 AND is_pinned AND id <> ?2";

int store_unpin_others(struct store *st, int64_t owner_id, int64_t pinned_id)
{
    return store_exec_ids(st, SQL_UNPIN, owner_id, pinned_id, "cannot update pinned post");
}

/* ---- interactions -----------------------------------------------------------------------------
 */

/* One statement per page of likers: json_each walks the ids bound as one JSON
 * array, so a page of 1,000 costs one statement step instead of a thousand. The
 * post is looked up once for the page (0016_like_write.sql), and nobody forgotten
 * (as nearly always) spares a probe per like: the two were 40 % of a like's cost. */
static const char SQL_LIKE_SEEN[] =
    "INSERT OR IGNORE INTO like_seen (seen_at, owner_id, post_id) VALUES (?3, ?1, ?2)";
static const char SQL_LIKES[] =
    "INSERT OR IGNORE INTO post_like (owner_id, post_id, user_id, seen_at)"
    " SELECT ?1, ?2, j.value, ?3 FROM json_each(?4) j"
    " WHERE EXISTS (SELECT 1 FROM post WHERE owner_id = ?1 AND id = ?2)";
static const char SQL_LIKES_BUT_FORGOTTEN[] =
    "INSERT OR IGNORE INTO post_like (owner_id, post_id, user_id, seen_at)"
    " SELECT ?1, ?2, j.value, ?3 FROM json_each(?4) j"
    " WHERE EXISTS (SELECT 1 FROM post WHERE owner_id = ?1 AND id = ?2)"
    " AND NOT EXISTS (SELECT 1 FROM forgotten_user WHERE id = j.value)";
static const char SQL_ANY_FORGOTTEN[] = "SELECT EXISTS (SELECT 1 FROM forgotten_user)";

/*
 * sort_ids: a[0..n) ascending, through tmp (as large). A radix sort by bytes,
 * skipping the bytes every id shares: a page of likers is 1,000 ids that
 * differ in three or four bytes, and qsort's calls of a comparison function
 * cost more than the statement that stores them.
 */
static void sort_ids(int64_t *a, int64_t *tmp, size_t n)
{
    uint64_t all_or = 0, all_and = ~(uint64_t)0;
    int64_t *src = a, *dst = tmp;

    /* The sign bit flipped, signed order is unsigned order. */
    for (size_t i = 0; i < n; i++) {
        uint64_t k = (uint64_t)a[i] ^ ((uint64_t)1 << 63);
        all_or |= k;
        all_and &= k;
    }
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[257] = {0};
        if ((((all_or ^ all_and) >> shift) & 0xff) == 0)
            continue; /* every id has the same byte here */
        for (size_t i = 0; i < n; i++)
            count[((((uint64_t)src[i] ^ ((uint64_t)1 << 63)) >> shift) & 0xff) + 1]++;
        for (int d = 0; d < 256; d++)
            count[d + 1] += count[d];
        for (size_t i = 0; i < n; i++)
            dst[count[(((uint64_t)src[i] ^ ((uint64_t)1 << 63)) >> shift) & 0xff]++] = src[i];
        int64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

/* put_id: v in decimal at w (no NUL); returns the characters written. */
static size_t put_id(char *w, int64_t v)
{
    char digits[20];
    size_t n = 0, len = 0;
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        w[len++] = '-';
    while (n)
        w[len++] = digits[--n];
    return len;
}

/*
 * ids_json: the n ids sorted ascending as a JSON array in *out (malloc'd; the
 * caller frees it). Sorted, because rows inserted in key order fill b-tree
 * pages one after the other instead of touching a random page per row.
 */
static int ids_json(const int64_t *ids, size_t n, char **out)
{
    int64_t *sorted = NULL;
    char *buf = NULL, *w;
    int rc = VKP_ENOMEM;

    *out = NULL;
    /* 20 digits and a sign per id, a comma, the brackets and the NUL. */
    if (!(sorted = malloc((2 * n + 1) * sizeof *sorted)) || !(buf = malloc(n * 22 + 3)))
        goto fail;
    memcpy(sorted, ids, n * sizeof *sorted);
    sort_ids(sorted, sorted + n, n);
    w = buf;
    *w++ = '[';
    for (size_t i = 0; i < n; i++) {
        if (i)
            *w++ = ',';
        w += put_id(w, sorted[i]);
    }
    *w++ = ']';
    *w = '\0';
    *out = buf;
    buf = NULL;
    rc = 0;
fail:
    free(buf);
    free(sorted);
    return rc;
}

int store_likes(struct store *st, int64_t owner_id, int64_t post_id, const int64_t *users, size_t n,
                int64_t now)
{
    sqlite3_stmt *s;
    char *json = NULL;
    int rc, forgotten;

    if (n == 0)
        return 0;
    /* In the collector's transaction: `vkpulse forget` adds nobody before it ends. */
    PREPARE(s, SQL_ANY_FORGOTTEN);
    if ((rc = store_one(st, s, "cannot store likes", NULL, "i", &forgotten)) != 0)
        return rc;
    if ((rc = ids_json(users, n, &json)) != 0) {
        snprintf(st->err, sizeof st->err, "cannot store likes: out of memory");
        return rc;
    }
    if (!(s = forgotten ? store_stmt(st, SQL_LIKES_BUT_FORGOTTEN) : store_stmt(st, SQL_LIKES))) {
        free(json);
        return VKP_EDB;
    }
    sqlite3_bind_int64(s, 1, owner_id);
    sqlite3_bind_int64(s, 2, post_id);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_text(s, 4, json, -1, SQLITE_STATIC);
    rc = store_exec_one(st, s, "cannot store likes");
    /* The statement keeps the text bound until it is reset; store_exec_one reset it
     * on success, a failed one is reset here before the text goes. */
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    free(json);
    /* New likers of this post in this run: readers of a window find them here. */
    if (rc == 0 && sqlite3_changes(st->db) > 0) {
        PREPARE(s, SQL_LIKE_SEEN);
        sqlite3_bind_int64(s, 1, owner_id);
        sqlite3_bind_int64(s, 2, post_id);
        sqlite3_bind_int64(s, 3, now);
        rc = store_exec_one(st, s, "cannot store likes");
    }
    return rc;
}

/* A comment deleted after we saw it keeps the author we saw (unless that
 * person was forgotten since). */
static const char SQL_COMMENT[] =
    "INSERT INTO comment (owner_id, id, post_id, from_id, parent_id, date, deleted, seen_at)"
    " VALUES (?1, ?2, ?3,"
    "  CASE WHEN EXISTS (SELECT 1 FROM forgotten_user WHERE id = ?4) THEN 0 ELSE ?4 END,"
    "  ?5, ?6, ?7, ?8) ON CONFLICT (owner_id, id) DO UPDATE SET deleted = ?7,"
    " from_id = CASE WHEN excluded.from_id <> 0 THEN excluded.from_id ELSE from_id END";

int store_comments(struct store *st, int64_t owner_id, int64_t post_id, const struct vk_comment *c,
                   size_t n, int64_t now)
{
    sqlite3_stmt *s;
    int rc;
    for (size_t i = 0; i < n; i++) {
        PREPARE(s, SQL_COMMENT);
        sqlite3_bind_int64(s, 1, owner_id);
        sqlite3_bind_int64(s, 2, c[i].id);
        sqlite3_bind_int64(s, 3, post_id);
        sqlite3_bind_int64(s, 4, c[i].from_id);
        bind_nonzero(s, 5, c[i].parent_id);
        sqlite3_bind_int64(s, 6, c[i].date);
        sqlite3_bind_int(s, 7, c[i].deleted);
        sqlite3_bind_int64(s, 8, now);
        if ((rc = store_exec_one(st, s, "cannot store comment")) != 0)
            return rc;
    }
    return 0;
}

static const char SQL_REPOST[] =
    "INSERT OR IGNORE INTO repost (owner_id, post_id, repost_owner_id, repost_id, date, seen_at)"
    " SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS (SELECT 1 FROM forgotten_user WHERE id = ?3)";

int store_reposts(struct store *st, int64_t owner_id, int64_t post_id, const struct vk_repost *r,
                  size_t n, int64_t now)
{
    sqlite3_stmt *s;
    int rc;
    for (size_t i = 0; i < n; i++) {
        PREPARE(s, SQL_REPOST);
        sqlite3_bind_int64(s, 1, owner_id);
        sqlite3_bind_int64(s, 2, post_id);
        sqlite3_bind_int64(s, 3, r[i].owner_id);
        sqlite3_bind_int64(s, 4, r[i].id);
        sqlite3_bind_int64(s, 5, r[i].date);
        sqlite3_bind_int64(s, 6, now);
        if ((rc = store_exec_one(st, s, "cannot store repost")) != 0)
            return rc;
    }
    return 0;
}

static const char SQL_SYNCED[] =
    "UPDATE post SET synced_likes = CASE WHEN ?3 >= 0 THEN ?3 ELSE synced_likes END,"
    " synced_comments = CASE WHEN ?4 >= 0 THEN ?4 ELSE synced_comments END,"
    " synced_reposts = CASE WHEN ?5 >= 0 THEN ?5 ELSE synced_reposts END"
    " WHERE owner_id = ?1 AND id = ?2";

int store_post_synced(struct store *st, int64_t owner_id, int64_t post_id, int64_t likes,
                      int64_t comments, int64_t reposts)
{
    sqlite3_stmt *s;
    PREPARE(s, SQL_SYNCED);
    sqlite3_bind_int64(s, 1, owner_id);
    sqlite3_bind_int64(s, 2, post_id);
    sqlite3_bind_int64(s, 3, likes);
    sqlite3_bind_int64(s, 4, comments);
    sqlite3_bind_int64(s, 5, reposts);
    return store_exec_one(st, s, "cannot update post");
}

/* ---- stats ---------------------------------------------------------------------------------- */

static const char SQL_STAT[] =
    "INSERT OR REPLACE INTO stat_day (community_id, day, reach, reach_subscribers, visitors,"
    " views, subscribed, unsubscribed, likes, comments, copies)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

int store_stats(struct store *st, int64_t community_id, const struct vk_stat_day *d, size_t n)
{
    sqlite3_stmt *s;
    int rc;
    for (size_t i = 0; i < n; i++) {
        PREPARE(s, SQL_STAT);
        sqlite3_bind_int64(s, 1, community_id);
        sqlite3_bind_int64(s, 2, d[i].day);
        const int64_t v[] = {d[i].reach, d[i].reach_subscribers, d[i].visitors,
                             d[i].views, d[i].subscribed,        d[i].unsubscribed,
                             d[i].likes, d[i].comments,          d[i].copies};
        for (int k = 0; k < 9; k++)
            sqlite3_bind_int64(s, 3 + k, v[k]);
        if ((rc = store_exec_one(st, s, "cannot store stats")) != 0)
            return rc;
    }
    return 0;
}

static const char SQL_STATS_DENIED[] =
    "UPDATE community SET stats_denied = ?2 <> 0, stats_denied_at = ?2 WHERE id = ?1";

int store_stats_denied(struct store *st, int64_t community_id, int64_t at)
{
    sqlite3_stmt *s;
    PREPARE(s, SQL_STATS_DENIED);
    sqlite3_bind_int64(s, 1, community_id);
    sqlite3_bind_int64(s, 2, at);
    return store_exec_one(st, s, "cannot update community");
}
