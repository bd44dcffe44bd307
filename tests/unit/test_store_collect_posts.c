/* test_store_collect_posts.c: cmocka tests of core/store_collect.c: posts, interactions, daily
 * stats, community state and snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_collect.h"
#include "store_collect_fixture.h"

/* ---- posts ------------------------------------------------------------------------- */

static void test_store_collect_post_sync_counters(void **state)
{
    struct fixture *fx = *state;
    struct store_post_sync prev = {7, 7, 7};
    struct vk_post p = post(57, T1 - 3600, 4, 17, 2);

    p.signer_id = 7001;
    int64_t r1 = run_begin(fx, T1);
    ok(fx, store_post(fx->st, r1, fx->com, T1, &p, &prev), "store_post");
    /* A new post was never synced. */
    assert_int_equal(prev.likes, -1);
    assert_int_equal(prev.comments, -1);
    assert_int_equal(prev.reposts, -1);
    assert_int_equal(q_int(fx, "SELECT signer_id FROM post WHERE id = 57"), 7001);
    assert_int_equal(q_int(fx, "SELECT first_run FROM post WHERE id = 57"), r1);
    assert_int_equal(q_int(fx, "SELECT community_id FROM post WHERE id = 57"), fx->com);
    assert_int_equal(q_int(fx, "SELECT copy_owner_id FROM post WHERE id = 57"), NUL);
    assert_int_equal(q_int(fx, "SELECT synced_likes FROM post WHERE id = 57"), NUL);

    ok(fx, store_post_synced(fx->st, OWNER, 57, 4, 17, 2), "store_post_synced");
    ok(fx, store_run_end(fx->st, r1, T1 + 1, "ok", 1, 1, NULL), "store_run_end");

    /* Run 2 sees new likes: the stored sync tells the caller what changed. */
    int64_t r2 = run_begin(fx, T1 + DAY);
    p = post(57, T1 - 3600, 6, 17, 2);
    ok(fx, store_post(fx->st, r2, fx->com, T1 + DAY, &p, &prev), "store_post");
    assert_int_equal(prev.likes, 4);
    assert_int_equal(prev.comments, 17);
    assert_int_equal(prev.reposts, 2);
    /* The post is updated, not its first run; signer gone is stored as NULL. */
    assert_int_equal(q_int(fx, "SELECT first_run FROM post WHERE id = 57"), r1);
    assert_int_equal(q_int(fx, "SELECT signer_id FROM post WHERE id = 57"), NUL);

    /* One counter row per run, each with that run's figures. */
    assert_int_equal(q_int(fx, "SELECT count(*) FROM post_counter WHERE post_id = 57"), 2);
    assert_int_equal(q_int(fx,
                           "SELECT likes FROM post_counter WHERE post_id = 57 AND run_id = %lld",
                           (long long)r1),
                     4);
    assert_int_equal(q_int(fx,
                           "SELECT likes FROM post_counter WHERE post_id = 57 AND run_id = %lld",
                           (long long)r2),
                     6);
    assert_int_equal(q_int(fx,
                           "SELECT taken_at FROM post_counter WHERE post_id = 57 AND run_id = "
                           "%lld",
                           (long long)r2),
                     T1 + DAY);
    assert_int_equal(q_int(fx,
                           "SELECT views FROM post_counter WHERE post_id = 57 AND run_id = %lld",
                           (long long)r2),
                     61);

    /* The same post read twice in one run (a page shifted) keeps one row, the latest figures. */
    p = post(57, T1 - 3600, 7, 18, 2);
    ok(fx, store_post(fx->st, r2, fx->com, T1 + DAY + 30, &p, &prev), "store_post");
    assert_int_equal(q_int(fx, "SELECT count(*) FROM post_counter WHERE post_id = 57"), 2);
    assert_int_equal(q_int(fx,
                           "SELECT likes FROM post_counter WHERE post_id = 57 AND run_id = %lld",
                           (long long)r2),
                     7);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM post"), 1);

    /* -1 leaves a kind as it was. */
    ok(fx, store_post_synced(fx->st, OWNER, 57, -1, 18, -1), "store_post_synced");
    ok(fx, store_post(fx->st, r2, fx->com, T1 + DAY + 40, &p, &prev), "store_post");
    assert_int_equal(prev.likes, 4);
    assert_int_equal(prev.comments, 18);
    assert_int_equal(prev.reposts, 2);
}

static void test_store_collect_post_copy_and_pinned(void **state)
{
    struct fixture *fx = *state;
    struct store_post_sync prev;
    struct vk_reply r;
    struct vk_post *p;
    size_t n;
    int64_t count;
    /* The canned wall.get page: pinned old post, signed post, repost, suggested post. */
    char path[PATH_MAX];
    const char *root = getenv("VKP_SRC");
    FILE *f;
    char *body;
    long size;

    snprintf(path, sizeof path, "%s/tests/data/vk/wall_get.json", root ? root : ".");
    f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open '%s' (set VKP_SRC)", path);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    body = malloc((size_t)size);
    assert_non_null(body);
    assert_int_equal(fread(body, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    assert_int_equal(vk_reply_parse(body, (size_t)size, &r, fx->err, sizeof fx->err), 0);
    free(body);
    assert_int_equal(vk_parse_wall(r.response, &count, &p, &n, fx->err, sizeof fx->err), 0);
    assert_int_equal(n, 4);

    int64_t r1 = run_begin(fx, T1 + 30 * DAY);
    ok(fx, store_begin(fx->st), "store_begin");
    for (size_t i = 0; i < n; i++)
        ok(fx, store_post(fx->st, r1, fx->com, T1 + 30 * DAY, &p[i], &prev), "store_post");
    ok(fx, store_unpin_others(fx->st, OWNER, 12), "store_unpin_others");
    ok(fx, store_snapshot_flag(fx->st, r1, fx->com, T1 + 30 * DAY, SNAP_WALL_OK), "flag");
    ok(fx, store_commit(fx->st), "store_commit");

    assert_int_equal(q_int(fx, "SELECT count(*) FROM post"), 4);
    assert_int_equal(
        q_int(fx, "SELECT count(*) FROM post_counter WHERE run_id = %lld", (long long)r1), 4);
    assert_int_equal(q_int(fx, "SELECT is_pinned FROM post WHERE id = 12"), 1);
    assert_int_equal(q_int(fx, "SELECT copy_owner_id FROM post WHERE id = 56"), -1234567);
    assert_int_equal(q_int(fx, "SELECT copy_post_id FROM post WHERE id = 56"), 345);
    assert_int_equal(q_int(fx, "SELECT copy_date FROM post WHERE id = 56"), 1717000000);
    assert_int_equal(q_int(fx, "SELECT from_id FROM post WHERE id = 55"), 7002);
    assert_int_equal(q_int(fx, "SELECT signer_id FROM post WHERE id = 57"), 7001);
    assert_string_equal(q_text(fx, "SELECT post_type FROM post WHERE id = 57"), "post");
    assert_int_equal(q_int(fx, "SELECT views FROM post_counter WHERE post_id = 12"), 900);
    assert_int_equal(q_int(fx, "SELECT comments FROM post_counter WHERE post_id = 57"), 17);
    free(p);
    vk_reply_release(&r);
}

static void test_store_collect_unpin_others(void **state)
{
    struct fixture *fx = *state;
    struct store_post_sync prev;
    struct vk_post a = post(12, T1 - 400 * DAY, 1, 0, 0), b = post(57, T1, 1, 0, 0);
    struct vk_post other = post(3, T1, 1, 0, 0);
    int64_t r1 = run_begin(fx, T1);

    /* Two posts remembered as pinned (the pin moved between runs), and another wall's pin. */
    a.is_pinned = 1;
    b.is_pinned = 1;
    other.owner_id = -219000001;
    other.is_pinned = 1;
    ok(fx, store_post(fx->st, r1, fx->com, T1, &a, &prev), "store_post");
    ok(fx, store_post(fx->st, r1, fx->com, T1, &b, &prev), "store_post");
    ok(fx, store_post(fx->st, r1, fx->com2, T1, &other, &prev), "store_post");

    ok(fx, store_unpin_others(fx->st, OWNER, 57), "store_unpin_others");
    assert_int_equal(q_int(fx, "SELECT is_pinned FROM post WHERE owner_id = %d AND id = 12", OWNER),
                     0);
    assert_int_equal(q_int(fx, "SELECT is_pinned FROM post WHERE owner_id = %d AND id = 57", OWNER),
                     1);
    assert_int_equal(q_int(fx, "SELECT is_pinned FROM post WHERE owner_id = -219000001"), 1);

    /* Nothing pinned on this wall now. */
    ok(fx, store_unpin_others(fx->st, OWNER, 0), "store_unpin_others");
    assert_int_equal(
        q_int(fx, "SELECT count(*) FROM post WHERE owner_id = %d AND is_pinned", OWNER), 0);
    assert_int_equal(q_int(fx, "SELECT is_pinned FROM post WHERE owner_id = -219000001"), 1);
}

/* ---- interactions -------------------------------------------------------------------- */

static void test_store_collect_interactions_idempotent(void **state)
{
    struct fixture *fx = *state;
    struct store_post_sync prev;
    struct vk_post p = post(57, T1, 3, 2, 2);
    static const int64_t likers[] = {101, 7001, 105};
    struct vk_comment c[2] = {{.id = 1001, .from_id = 101, .date = T1 + 10},
                              {.id = 1003, .from_id = 7001, .date = T1 + 20, .parent_id = 1001}};
    struct vk_repost rp[2] = {{.owner_id = 7001, .id = 88, .date = T1 + 100},
                              {.owner_id = -99887766, .id = 4410, .date = T1 + 200}};
    int64_t r1 = run_begin(fx, T1);

    ok(fx, store_post(fx->st, r1, fx->com, T1, &p, &prev), "store_post");
    for (int k = 0; k < 2; k++) {
        int64_t now = T1 + 1000 + k * DAY;
        ok(fx, store_likes(fx->st, OWNER, 57, likers, 3, now), "store_likes");
        ok(fx, store_comments(fx->st, OWNER, 57, c, 2, now), "store_comments");
        ok(fx, store_reposts(fx->st, OWNER, 57, rp, 2, now), "store_reposts");
    }
    /* A like seen again in a later run is the same like. */
    ok(fx, store_likes(fx->st, OWNER, 57, likers + 1, 1, T1 + 5 * DAY), "store_likes");

    assert_int_equal(q_int(fx, "SELECT count(*) FROM post_like"), 3);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM comment"), 2);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM repost"), 2);
    /* seen_at is when a run first saw it. */
    assert_int_equal(q_int(fx, "SELECT count(*) FROM post_like WHERE seen_at = %d", T1 + 1000), 3);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM comment WHERE seen_at = %d", T1 + 1000), 2);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM repost WHERE seen_at = %d", T1 + 1000), 2);
    assert_int_equal(q_int(fx, "SELECT parent_id FROM comment WHERE id = 1003"), 1001);
    assert_int_equal(q_int(fx, "SELECT parent_id FROM comment WHERE id = 1001"), NUL);
    assert_int_equal(q_int(fx, "SELECT post_id FROM comment WHERE id = 1003"), 57);
    assert_int_equal(q_int(fx, "SELECT date FROM repost WHERE repost_owner_id = -99887766"),
                     T1 + 200);
    assert_int_equal(q_int(fx,
                           "SELECT count(*) FROM post_like WHERE user_id = 7001 AND owner_id "
                           "= %d AND post_id = 57",
                           OWNER),
                     1);
}

static void test_store_collect_likes_any_order(void **state)
{
    /* A page of likers comes newest first, in no id order, and a like may come
     * twice when the list moves between two pages: every liker is stored once,
     * whatever the order, ids of very different sizes included. */
    struct fixture *fx = *state;
    struct store_post_sync prev;
    struct vk_post p = post(58, T1, 2000, 0, 0);
    static int64_t ids[2000];
    uint32_t seed = 7;
    int64_t r1 = run_begin(fx, T1);

    for (int i = 0; i < 1000; i++) {
        seed = seed * 1103515245u + 12345u;
        /* Distinct: i in the low bits, noise above; some far past 2^32. */
        ids[i] = (int64_t)(seed >> 8) * 1024 + i + (i % 7 == 0 ? ((int64_t)1 << 40) : 0) + 1;
    }
    for (int i = 0; i < 1000; i++)
        ids[1000 + i] = ids[(i * 37) % 1000]; /* the same likers again */
    ok(fx, store_post(fx->st, r1, fx->com, T1, &p, &prev), "store_post");
    ok(fx, store_likes(fx->st, OWNER, 58, ids, 2000, T1 + 10), "store_likes");
    assert_int_equal(q_int(fx, "SELECT count(*) FROM post_like WHERE post_id = 58"), 1000);
    for (int i = 0; i < 1000; i += 97)
        assert_int_equal(q_int(fx,
                               "SELECT count(*) FROM post_like WHERE owner_id = %d AND post_id = "
                               "58 AND user_id = %lld",
                               OWNER, (long long)ids[i]),
                         1);
}

/* A post's likes live and go with it: a page for a post that is not stored is
 * dropped (the foreign key's check, now made once a page), and deleting a post
 * deletes its likes (the trigger that replaced the key's cascade). Nothing deletes
 * posts today but the community's cascade; the schema holds whatever comes. */
static void test_store_collect_likes_follow_their_post(void **state)
{
    struct fixture *fx = *state;
    struct store_post_sync prev;
    struct vk_post p = post(59, T1, 2, 0, 0);
    static const int64_t likers[] = {101, 105};
    int64_t r1 = run_begin(fx, T1);

    ok(fx, store_likes(fx->st, OWNER, 60, likers, 2, T1 + 10), "store_likes");
    assert_int_equal(q_int(fx, "SELECT count(*) FROM post_like"), 0);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM like_seen"), 0);

    ok(fx, store_post(fx->st, r1, fx->com, T1, &p, &prev), "store_post");
    ok(fx, store_likes(fx->st, OWNER, 59, likers, 2, T1 + 10), "store_likes");
    assert_int_equal(q_int(fx, "SELECT count(*) FROM post_like WHERE post_id = 59"), 2);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM like_seen WHERE post_id = 59"), 1);

    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA foreign_keys = ON; DELETE FROM community WHERE id = %lld",
             (long long)fx->com);
    assert_int_equal(sqlite3_exec(fx->d.w, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM post"), 0);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM post_like"), 0);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM like_seen"), 0);
}

static void test_store_collect_deleted_comment_keeps_author(void **state)
{
    struct fixture *fx = *state;
    struct store_post_sync prev;
    struct vk_post p = post(57, T1, 0, 3, 0);
    struct vk_comment seen[2] = {{.id = 1002, .from_id = 102, .date = T1 + 15},
                                 {.id = 1012, .from_id = 105, .date = T1 + 70}};
    /* What the parser makes of VK's placeholder: deleted, from_id 0. */
    struct vk_comment gone = {.id = 1002, .from_id = 0, .date = T1 + 15, .deleted = 1};
    struct vk_comment never = {.id = 1020, .from_id = 0, .date = T1 + 90, .deleted = 1};
    int64_t r1 = run_begin(fx, T1);

    ok(fx, store_post(fx->st, r1, fx->com, T1, &p, &prev), "store_post");
    ok(fx, store_comments(fx->st, OWNER, 57, seen, 2, T1 + 100), "store_comments");
    ok(fx, store_comments(fx->st, OWNER, 57, &gone, 1, T1 + DAY), "store_comments");
    ok(fx, store_comments(fx->st, OWNER, 57, &never, 1, T1 + DAY), "store_comments");

    assert_int_equal(q_int(fx, "SELECT count(*) FROM comment"), 3);
    assert_int_equal(q_int(fx, "SELECT from_id FROM comment WHERE id = 1002"), 102);
    assert_int_equal(q_int(fx, "SELECT deleted FROM comment WHERE id = 1002"), 1);
    assert_int_equal(q_int(fx, "SELECT seen_at FROM comment WHERE id = 1002"), T1 + 100);
    assert_int_equal(q_int(fx, "SELECT deleted FROM comment WHERE id = 1012"), 0);
    /* Deleted before we ever saw it: no author known. */
    assert_int_equal(q_int(fx, "SELECT from_id FROM comment WHERE id = 1020"), 0);
    assert_int_equal(q_int(fx, "SELECT deleted FROM comment WHERE id = 1020"), 1);
    /* Seen deleted again later: still the author we saw. */
    ok(fx, store_comments(fx->st, OWNER, 57, &gone, 1, T1 + 2 * DAY), "store_comments");
    assert_int_equal(q_int(fx, "SELECT from_id FROM comment WHERE id = 1002"), 102);
}

static void test_store_collect_comments_from_parser(void **state)
{
    /* wall.getComments as the parser flattens it, stored twice: the same 8 rows. */
    struct fixture *fx = *state;
    struct store_post_sync prev;
    struct vk_post p = post(57, T1, 4, 17, 2);
    const char *body =
        "{\"response\":{\"count\":4,\"current_level_count\":2,\"items\":["
        "{\"id\":1001,\"from_id\":101,\"date\":1717201000,\"text\":\"a\",\"thread\":{\"count\":"
        "12,\"items\":[{\"id\":1003,\"from_id\":7001,\"date\":1717202000,\"text\":\"b\"}]}},"
        "{\"id\":1002,\"from_id\":102,\"date\":1717201500,\"text\":\"\",\"deleted\":true,"
        "\"thread\":{\"count\":0,\"items\":[]}}]}}";
    struct vk_reply r;
    struct vk_comment *c;
    size_t n;
    int64_t level;
    int64_t r1 = run_begin(fx, T1);

    ok(fx, store_post(fx->st, r1, fx->com, T1, &p, &prev), "store_post");
    assert_int_equal(vk_reply_parse(body, strlen(body), &r, fx->err, sizeof fx->err), 0);
    assert_int_equal(vk_parse_comments(r.response, 0, &level, &c, &n, fx->err, sizeof fx->err), 0);
    assert_int_equal(n, 3);
    ok(fx, store_comments(fx->st, OWNER, 57, c, n, T1 + 5), "store_comments");
    ok(fx, store_comments(fx->st, OWNER, 57, c, n, T1 + 6), "store_comments");
    free(c);
    vk_reply_release(&r);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM comment"), 3);
    assert_int_equal(q_int(fx, "SELECT parent_id FROM comment WHERE id = 1003"), 1001);
    assert_int_equal(q_int(fx, "SELECT from_id FROM comment WHERE id = 1002"), 0);
    assert_int_equal(q_int(fx, "SELECT deleted FROM comment WHERE id = 1002"), 1);
}

/* ---- stats ----------------------------------------------------------------------------- */

static void test_store_collect_stats_replace_day(void **state)
{
    struct fixture *fx = *state;
    struct vk_stat_day d1[1] = {{.day = 1717113600,
                                 .reach = 320,
                                 .reach_subscribers = 210,
                                 .visitors = 180,
                                 .views = 540,
                                 .subscribed = 4,
                                 .unsubscribed = 1,
                                 .likes = 25,
                                 .comments = 3,
                                 .copies = 1}};
    /* The same day again, with VK's final figures, and the next day. */
    struct vk_stat_day d2[2] = {{.day = 1717113600, .reach = 330, .visitors = 181, .likes = 26},
                                {.day = 1717200000, .reach = 12, .views = 20}};
    struct store_community_state cs;

    ok(fx, store_stats(fx->st, fx->com, d1, 1), "store_stats");
    assert_int_equal(q_int(fx, "SELECT copies FROM stat_day WHERE day = 1717113600"), 1);
    ok(fx, store_stats(fx->st, fx->com, d2, 2), "store_stats");
    assert_int_equal(q_int(fx, "SELECT count(*) FROM stat_day"), 2);
    assert_int_equal(q_int(fx, "SELECT reach FROM stat_day WHERE day = 1717113600"), 330);
    assert_int_equal(q_int(fx, "SELECT visitors FROM stat_day WHERE day = 1717113600"), 181);
    assert_int_equal(q_int(fx, "SELECT likes FROM stat_day WHERE day = 1717113600"), 26);
    /* Replaced, not merged: figures the new answer gives as 0 are 0. */
    assert_int_equal(q_int(fx, "SELECT copies FROM stat_day WHERE day = 1717113600"), 0);
    assert_int_equal(q_int(fx, "SELECT reach_subscribers FROM stat_day WHERE day = 1717113600"), 0);
    assert_int_equal(q_int(fx, "SELECT community_id FROM stat_day WHERE day = 1717200000"),
                     fx->com);

    /* The same day of another community is another row. */
    ok(fx, store_stats(fx->st, fx->com2, d1, 1), "store_stats");
    assert_int_equal(q_int(fx, "SELECT count(*) FROM stat_day"), 3);

    ok(fx, store_community_state(fx->st, "rmo_neuspeh", &cs), "store_community_state");
    assert_int_equal(cs.last_stat_day, 1717200000);
    assert_int_equal(cs.stats_denied, 0);
    ok(fx, store_stats_denied(fx->st, fx->com, 1717300000), "store_stats_denied");
    ok(fx, store_community_state(fx->st, "rmo_neuspeh", &cs), "store_community_state");
    assert_int_equal(cs.stats_denied, 1);
    assert_int_equal(cs.stats_denied_at, 1717300000); /* when it was refused */
    assert_int_equal(
        q_int(fx, "SELECT stats_denied FROM community WHERE id = %lld", (long long)fx->com), 1);
    assert_int_equal(
        q_int(fx, "SELECT stats_denied FROM community WHERE id = %lld", (long long)fx->com2), 0);
    ok(fx, store_stats_denied(fx->st, fx->com, 0), "store_stats_denied");
    ok(fx, store_community_state(fx->st, "rmo_neuspeh", &cs), "store_community_state");
    assert_int_equal(cs.stats_denied, 0);
    assert_int_equal(cs.stats_denied_at, 0);
}

/* ---- community state, group info, snapshots ------------------------------------------ */

/* The community ref (row id) has no collected state: nothing known of it yet. */
static void assert_state_blank(struct fixture *fx, const char *ref, int64_t id)
{
    struct store_community_state cs;

    ok(fx, store_community_state(fx->st, ref, &cs), "store_community_state");
    assert_int_equal(cs.id, id);
    assert_int_equal(cs.vk_id, 0);
    assert_int_equal(cs.had_members, 0);
    assert_int_equal(cs.had_wall, 0);
    assert_int_equal(cs.stats_denied, 0);
    assert_int_equal(cs.last_stat_day, 0);
    assert_int_equal(cs.oldest_unsynced, 0);
}

static void test_store_collect_community_state(void **state)
{
    struct fixture *fx = *state;
    struct store_community_state cs;
    struct store_post_sync prev;
    struct vk_group g = {.id = 218375230, .name = "РМО", .members_count = 3};
    static const int64_t ids[] = {101, 102};
    int64_t joined, left;

    /* Fresh: nothing known. */
    assert_state_blank(fx, "rmo_neuspeh", fx->com);
    assert_int_equal(store_community_state(fx->st, "no_such_group", &cs), VKP_ENOTFOUND);
    assert_non_null(strstr(store_errmsg(fx->st), "no_such_group"));

    int64_t r1 = run_begin(fx, T1);
    ok(fx, store_group_info(fx->st, r1, fx->com, T1, &g), "store_group_info");
    /* A hidden member list is no complete list. */
    ok(fx, store_snapshot_flag(fx->st, r1, fx->com, T1, SNAP_MEMBERS_HIDDEN), "flag");
    ok(fx, store_community_state(fx->st, "rmo_neuspeh", &cs), "store_community_state");
    assert_int_equal(cs.vk_id, 218375230);
    assert_int_equal(cs.had_members, 0);
    assert_int_equal(cs.had_wall, 0);

    struct vk_post old = post(12, T1 - 400 * DAY, 1, 1, 1), young = post(57, T1 - DAY, 1, 1, 1);
    ok(fx, store_post(fx->st, r1, fx->com, T1, &young, &prev), "store_post");
    ok(fx, store_post(fx->st, r1, fx->com, T1, &old, &prev), "store_post");
    ok(fx, store_snapshot_flag(fx->st, r1, fx->com, T1, SNAP_WALL_OK), "flag");
    ok(fx, store_community_state(fx->st, "rmo_neuspeh", &cs), "store_community_state");
    assert_int_equal(cs.had_wall, 1);
    assert_int_equal(cs.oldest_unsynced, T1 - 400 * DAY);

    /* Synced in part is still unsynced; all three kinds make it synced. */
    ok(fx, store_post_synced(fx->st, OWNER, 12, 1, 1, -1), "store_post_synced");
    ok(fx, store_community_state(fx->st, "rmo_neuspeh", &cs), "store_community_state");
    assert_int_equal(cs.oldest_unsynced, T1 - 400 * DAY);
    ok(fx, store_post_synced(fx->st, OWNER, 12, -1, -1, 1), "store_post_synced");
    ok(fx, store_community_state(fx->st, "rmo_neuspeh", &cs), "store_community_state");
    assert_int_equal(cs.oldest_unsynced, T1 - DAY);
    ok(fx, store_post_synced(fx->st, OWNER, 57, 1, 1, 1), "store_post_synced");
    ok(fx, store_community_state(fx->st, "rmo_neuspeh", &cs), "store_community_state");
    assert_int_equal(cs.oldest_unsynced, 0);

    members_run(fx, r1, fx->com, T1, ids, 2, &joined, &left);
    ok(fx, store_community_state(fx->st, "rmo_neuspeh", &cs), "store_community_state");
    assert_int_equal(cs.had_members, 1);

    /* The other community saw none of it. */
    assert_state_blank(fx, "prof_two", fx->com2);
}

static void test_store_collect_group_info_and_snapshot(void **state)
{
    struct fixture *fx = *state;
    struct vk_group g = {.id = 218375230,
                         .screen_name = "rmo_neuspeh",
                         .name = "Профилактика школьной неуспешности обучающихся",
                         .members_count = 1205,
                         .is_closed = 1};
    int64_t r1 = run_begin(fx, T1);

    /* Flags and notes before group info create the snapshot row. */
    ok(fx, store_snapshot_note(fx->st, r1, fx->com, T1, "wall.get: error 6"), "note");
    ok(fx, store_snapshot_note(fx->st, r1, fx->com, T1, "likes: retried"), "note");
    assert_string_equal(q_text(fx,
                               "SELECT note FROM snapshot WHERE run_id = %lld AND community_id = "
                               "%lld",
                               (long long)r1, (long long)fx->com),
                        "wall.get: error 6; likes: retried");
    assert_int_equal(snap_int(fx, r1, fx->com, "members_count"), NUL);
    ok(fx, store_group_info(fx->st, r1, fx->com, T1, &g), "store_group_info");
    ok(fx, store_snapshot_flag(fx->st, r1, fx->com, T1, SNAP_DETAILS_OK), "flag");
    assert_int_equal(q_int(fx, "SELECT count(*) FROM snapshot"), 1);
    assert_int_equal(snap_int(fx, r1, fx->com, "members_count"), 1205);
    assert_int_equal(snap_int(fx, r1, fx->com, "details_ok"), 1);
    assert_int_equal(snap_int(fx, r1, fx->com, "wall_ok + members_ok + members_hidden"), 0);
    assert_int_equal(q_int(fx, "SELECT vk_id FROM community WHERE id = %lld", (long long)fx->com),
                     218375230);
    assert_string_equal(
        q_text(fx, "SELECT name FROM community WHERE id = %lld", (long long)fx->com),
        "Профилактика школьной неуспешности обучающихся");
    assert_string_equal(
        q_text(fx, "SELECT screen_name FROM community WHERE id = %lld", (long long)fx->com),
        "rmo_neuspeh");
    assert_int_equal(
        q_int(fx, "SELECT is_closed FROM community WHERE id = %lld", (long long)fx->com), 1);
    assert_int_equal(
        q_int(fx, "SELECT deactivated FROM community WHERE id = %lld", (long long)fx->com), NUL);

    /* A later groups.getById without members_count keeps the count this run already has. */
    g.members_count = -1;
    g.deactivated = "banned";
    ok(fx, store_group_info(fx->st, r1, fx->com, T1 + 5, &g), "store_group_info");
    assert_int_equal(snap_int(fx, r1, fx->com, "members_count"), 1205);
    assert_string_equal(
        q_text(fx, "SELECT deactivated FROM community WHERE id = %lld", (long long)fx->com),
        "banned");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_store_collect_post_sync_counters),
        T(test_store_collect_post_copy_and_pinned),
        T(test_store_collect_unpin_others),
        T(test_store_collect_interactions_idempotent),
        T(test_store_collect_likes_any_order),
        T(test_store_collect_likes_follow_their_post),
        T(test_store_collect_deleted_comment_keeps_author),
        T(test_store_collect_comments_from_parser),
        T(test_store_collect_stats_replace_day),
        T(test_store_collect_community_state),
        T(test_store_collect_group_info_and_snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
