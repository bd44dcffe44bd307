/* test_store_communities.c: cmocka tests of the store's communities (core/store.h): the
 * config's sync, a group's claim and merge, and status's reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_collect.h"
#include "store_fixture.h"

static void test_store_sync_communities(void **state)
{
    struct fixture *fx = *state;
    struct test_cfg a = {0}, b = {0}, c = {0};
    struct seen seen = {0};

    create_db(fx, -1);
    add_community(&a, "alpha", COMMUNITY_RMO, "Альфа");
    add_community(&a, "beta", COMMUNITY_RMO, "Бета");
    add_community(&a, "gamma", COMMUNITY_PROF, "Гамма");
    assert_int_equal(store_sync_communities(fx->st, &a.cfg), 0);
    assert_int_equal(store_each_community(fx->st, collect_cb, &seen), 0);
    assert_int_equal(seen.n, 3);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(seen.c[i].ref, a.com[i].group);
        assert_string_equal(seen.c[i].kind, i < 2 ? "rmo" : "community");
        assert_int_equal(seen.c[i].active, 1);
        assert_false(seen.c[i].has_name);
        assert_int_equal(seen.c[i].vk_id, 0);
        assert_int_equal(seen.c[i].last_ok_at, 0);
        assert_int_equal(seen.c[i].members_count, -1); /* unknown, not 0 */
        assert_int_equal(seen.c[i].posts, 0);
    }
    int64_t beta_id = seen.c[1].id;

    /* Syncing the same config again changes nothing. */
    assert_int_equal(store_sync_communities(fx->st, &a.cfg), 0);
    assert_int_equal(count_rows(fx->st, "community"), 3);

    /* beta changes kind and wording, gamma leaves, delta arrives; "ALPHA"
     * is the same group as "alpha" (VK screen names ignore case). */
    add_community(&b, "ALPHA", COMMUNITY_RMO, "Альфа");
    add_community(&b, "beta", COMMUNITY_PROF, "Бета, новое название");
    add_community(&b, "delta", COMMUNITY_PROF, "Дельта");
    assert_int_equal(store_sync_communities(fx->st, &b.cfg), 0);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_each_community(fx->st, collect_cb, &seen), 0);
    assert_int_equal(seen.n, 4);
    assert_int_equal(seen.c[0].active, 1);
    assert_int_equal(seen.c[1].id, beta_id);
    assert_string_equal(seen.c[1].kind, "community");
    assert_int_equal(seen.c[1].active, 1);
    assert_string_equal(seen.c[2].ref, "gamma");
    assert_int_equal(seen.c[2].active, 0);
    assert_string_equal(seen.c[3].ref, "delta");
    assert_int_equal(seen.c[3].active, 1);
    assert_int_equal(file_sql_int(fx->db, "SELECT count(*) FROM community WHERE ref = 'beta' AND "
                                          "survey_name = 'Бета, новое название'"),
                     1);

    /* gamma comes back under the same id. */
    int64_t gamma_id = seen.c[2].id;
    add_community(&c, "gamma", COMMUNITY_PROF, "Гамма");
    assert_int_equal(store_sync_communities(fx->st, &c.cfg), 0);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_each_community(fx->st, collect_cb, &seen), 0);
    assert_int_equal(seen.n, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(seen.c[i].active, seen.c[i].id == gamma_id);
}

/* A community is its VK group once known: a reference naming it by id, by clubN or by
 * the screen name VK last gave keeps the row; two lines naming it share it (issue 16). */
static void test_store_sync_by_vk_id(void **state)
{
    struct fixture *fx = *state;
    static const char *const forms[][2] = {
        {"5", NULL},       {"club5", NULL}, {"alpha_v2", NULL}, {"alpha_v2", "public5"},
        {"5", "ALPHA_V2"},
    };
    int64_t id;

    create_db(fx, -1);
    struct test_cfg a = {0};
    add_community(&a, "alpha", COMMUNITY_RMO, "Альфа");
    add_community(&a, "beta", COMMUNITY_RMO, "Бета");
    assert_int_equal(store_sync_communities(fx->st, &a.cfg), 0);
    sql(fx->db, "UPDATE community SET vk_id = 5, screen_name = 'alpha_v2' WHERE ref = 'alpha'");
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        struct test_cfg t = {0};
        add_community(&t, forms[i][0], COMMUNITY_RMO, "Альфа");
        if (forms[i][1])
            add_community(&t, forms[i][1], COMMUNITY_RMO, "Альфа");
        add_community(&t, "beta", COMMUNITY_RMO, "Бета");
        assert_int_equal(store_sync_communities(fx->st, &t.cfg), 0);
        assert_int_equal(count_rows(fx->st, "community"), 2);
        assert_int_equal(store_community_find(fx->st, forms[i][0], &id), 0);
        assert_int_equal(id, 1);
        assert_int_equal(file_sql_int(fx->db, "SELECT active FROM community WHERE vk_id = 5"), 1);
    }
    /* A group the database does not know has no row yet. */
    assert_int_equal(store_community_find(fx->st, "club6", &id), 0);
    assert_int_equal(id, 0);
}

/* The collector learns that a new row is a group another row already holds: the new
 * row is folded into the old, which takes its reference and becomes active. */
static void test_store_community_claim_merges(void **state)
{
    struct fixture *fx = *state;
    struct store_community_state cs;
    struct test_cfg a = {0}, b = {0};

    create_db(fx, -1);
    add_community(&a, "old_name", COMMUNITY_RMO, "Старое");
    assert_int_equal(store_sync_communities(fx->st, &a.cfg), 0);
    sql(fx->db, "UPDATE community SET vk_id = 9, screen_name = 'old_name' WHERE id = 1;"
                "INSERT INTO run (id, started_at, status) VALUES (1, 100, 'ok');"
                "INSERT INTO snapshot (run_id, community_id, taken_at, members_count, members_ok)"
                " VALUES (1, 1, 100, 40, 1)");
    add_community(&b, "new_name", COMMUNITY_PROF, "Новое");
    assert_int_equal(store_sync_communities(fx->st, &b.cfg), 0);
    assert_int_equal(count_rows(fx->st, "community"), 2);
    assert_int_equal(store_community_state(fx->st, "new_name", &cs), 0);
    assert_int_equal(cs.id, 2);
    assert_int_equal(cs.vk_id, 0);

    assert_int_equal(store_begin(fx->st), 0);
    assert_int_equal(store_community_claim(fx->st, 2, 9, &cs), 0);
    assert_int_equal(store_commit(fx->st), 0);
    assert_int_equal(cs.id, 1);
    assert_int_equal(cs.vk_id, 9);
    assert_true(cs.had_members);
    assert_int_equal(count_rows(fx->st, "community"), 1);
    assert_int_equal(file_sql_int(fx->db, "SELECT ref = 'new_name' AND kind = 'community' AND "
                                          "active FROM community WHERE id = 1"),
                     1);
    /* A group nobody holds yet is simply this row's. */
    assert_int_equal(store_begin(fx->st), 0);
    assert_int_equal(store_community_claim(fx->st, 1, 9, &cs), 0);
    assert_int_equal(store_commit(fx->st), 0);
    assert_int_equal(cs.id, 1);
}

/* ---- reading: empty and populated ---------------------------------------- */

static void test_store_reads_empty_db(void **state)
{
    struct fixture *fx = *state;
    struct store_run_info run;
    struct seen seen = {0};
    const char *const *names = store_table_names();

    create_db(fx, -1);
    close_store(fx);
    open_ok(fx, STORE_READONLY);
    assert_int_equal(store_each_community(fx->st, collect_cb, &seen), 0);
    assert_int_equal(seen.n, 0);
    memset(&run, 0x55, sizeof run);
    assert_int_equal(store_last_run(fx->st, &run), 0);
    assert_int_equal(run.id, 0);
    assert_int_equal(run.started_at, 0);
    assert_string_equal(run.status, "");
    int n = 0;
    for (int i = 0; names[i]; i++, n++) {
        int64_t rows = -1;
        assert_int_equal(store_count_rows(fx->st, i, &rows), 0);
        assert_int_equal(rows, 0);
    }
    assert_true(n >= 13);
}

static void test_store_reads_populated_db(void **state)
{
    struct fixture *fx = *state;
    struct test_cfg t = {0};
    struct store_run_info run;
    struct seen seen = {0};

    create_db(fx, -1);
    add_community(&t, "one", COMMUNITY_RMO, "Один");
    add_community(&t, "two", COMMUNITY_PROF, "Два");
    add_community(&t, "three", COMMUNITY_PROF, "Три");
    assert_int_equal(store_sync_communities(fx->st, &t.cfg), 0);
    close_store(fx);
    /* Runs: 1 ok, 2 partial, 3 failed, 4 still running. */
    sql(fx->db,
        "UPDATE community SET vk_id = 1001, name = 'Группа один' WHERE ref = 'one';"
        "INSERT INTO run (id, started_at, finished_at, status, requests, calls) VALUES"
        " (1, 1000, 1100, 'ok', 10, 30), (2, 2000, 2100, 'partial', 11, 31),"
        " (3, 3000, 3100, 'failed', 12, 32), (4, 4000, NULL, 'running', 13, 33);"
        /* one: complete in runs 1 and 2; run 3 failed and run 4 is running, so
         * run 2's snapshot is the last complete one. */
        "INSERT INTO snapshot (run_id, community_id, taken_at, members_count, members_ok,"
        " wall_ok, details_ok) VALUES (1, 1, 1050, 100, 1, 1, 1), (2, 1, 2050, 110, 1, 1, 1),"
        " (3, 1, 3050, 120, 1, 1, 1), (4, 1, 4050, 130, 1, 1, 1);"
        /* two: run 2 did not finish its wall, so run 1 counts. */
        "INSERT INTO snapshot (run_id, community_id, taken_at, members_count, members_ok,"
        " wall_ok, details_ok) VALUES (1, 2, 1060, 50, 1, 1, 1), (2, 2, 2060, 55, 1, 0, 0);"
        /* three: never complete. */
        "INSERT INTO snapshot (run_id, community_id, taken_at, members_count, members_ok,"
        " wall_ok, details_ok) VALUES (2, 3, 2070, 7, 0, 1, 1);"
        "INSERT INTO user (id, seen_at) VALUES (11, 1000), (12, 1000), (13, 1000);"
        "INSERT INTO membership (community_id, user_id, joined_at, joined_run, initial,"
        " left_at, left_run) VALUES (1, 11, 1000, 1, 1, NULL, NULL),"
        " (1, 12, 1000, 1, 1, 2000, 2), (1, 13, 2000, 2, 0, NULL, NULL),"
        " (2, 11, 1000, 1, 1, NULL, NULL);"
        "INSERT INTO post (owner_id, id, community_id, from_id, date, first_run) VALUES"
        " (-1001, 1, 1, -1001, 900, 1), (-1001, 2, 1, -1001, 950, 1),"
        " (-1002, 1, 2, -1002, 990, 1);"
        "INSERT INTO post_counter (owner_id, post_id, run_id, taken_at, views, likes, reposts,"
        " comments) VALUES (-1001, 1, 1, 1050, 100, 5, 1, 2);"
        "INSERT INTO post_like (owner_id, post_id, user_id, seen_at) VALUES (-1001, 1, 11, 1050);");

    open_ok(fx, STORE_READONLY);
    assert_int_equal(store_each_community(fx->st, collect_cb, &seen), 0);
    assert_int_equal(seen.n, 3);
    assert_string_equal(seen.c[0].ref, "one");
    assert_int_equal(seen.c[0].vk_id, 1001);
    assert_true(seen.c[0].has_name);
    assert_int_equal(seen.c[0].last_ok_at, 2050);
    assert_int_equal(seen.c[0].members_count, 110);
    assert_int_equal(seen.c[0].members_current, 2);
    assert_int_equal(seen.c[0].posts, 2);
    assert_int_equal(seen.c[1].last_ok_at, 1060);
    assert_int_equal(seen.c[1].members_count, 50);
    assert_int_equal(seen.c[1].members_current, 1);
    assert_int_equal(seen.c[1].posts, 1);
    assert_int_equal(seen.c[2].last_ok_at, 0);
    assert_int_equal(seen.c[2].members_count, -1); /* never collected: unknown */
    assert_int_equal(seen.c[2].members_current, 0);
    assert_int_equal(seen.c[2].posts, 0);
    assert_false(seen.c[2].has_name);

    /* A callback that stops the walk: its code comes back, and the walk can run again. */
    memset(&seen, 0, sizeof seen);
    seen.stop_after = 2;
    assert_int_equal(store_each_community(fx->st, collect_cb, &seen), VKP_EINTERRUPTED);
    assert_int_equal(seen.n, 2);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_each_community(fx->st, collect_cb, &seen), 0);
    assert_int_equal(seen.n, 3);

    assert_int_equal(store_last_run(fx->st, &run), 0);
    assert_int_equal(run.id, 4);
    assert_int_equal(run.started_at, 4000);
    assert_int_equal(run.finished_at, 0);
    assert_string_equal(run.status, "running");
    assert_int_equal(run.requests, 13);
    assert_int_equal(run.calls, 33);

    assert_int_equal(count_rows(fx->st, "community"), 3);
    assert_int_equal(count_rows(fx->st, "run"), 4);
    assert_int_equal(count_rows(fx->st, "snapshot"), 7);
    assert_int_equal(count_rows(fx->st, "user"), 3);
    assert_int_equal(count_rows(fx->st, "membership"), 4);
    assert_int_equal(count_rows(fx->st, "post"), 3);
    assert_int_equal(count_rows(fx->st, "post_counter"), 1);
    assert_int_equal(count_rows(fx->st, "post_like"), 1);
    assert_int_equal(count_rows(fx->st, "comment"), 0);
    /* Counting twice reuses the cached statement. */
    assert_int_equal(count_rows(fx->st, "post"), 3);
}

/* The schema enforces its foreign keys through the store's connection. */
static void test_store_foreign_keys_enforced(void **state)
{
    struct fixture *fx = *state;

    create_db(fx, -1);
    int rc = sqlite3_exec(fx->st->db,
                          "INSERT INTO snapshot (run_id, community_id, taken_at)"
                          " VALUES (99, 99, 1)",
                          NULL, NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
    assert_int_equal(sql_int(fx->st->db, "SELECT count(*) FROM snapshot"), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_store_sync_communities),       T(test_store_sync_by_vk_id),
        T(test_store_community_claim_merges), T(test_store_reads_empty_db),
        T(test_store_reads_populated_db),     T(test_store_foreign_keys_enforced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
