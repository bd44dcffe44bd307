/* test_store_collect.c: cmocka tests of the collector's writes to the store (core/store_collect.c):
 * runs and member lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_collect.h"
#include "store_collect_fixture.h"

/* ---- runs ------------------------------------------------------------------------- */

static void test_store_collect_run_begin_end_errors(void **state)
{
    struct fixture *fx = *state;
    int64_t r1 = run_begin(fx, T1);

    assert_string_equal(q_text(fx, "SELECT status FROM run WHERE id = %lld", (long long)r1),
                        "running");
    assert_int_equal(q_int(fx, "SELECT started_at FROM run WHERE id = %lld", (long long)r1), T1);
    ok(fx, store_run_error(fx->st, r1, fx->com, "wall.get", 6, 2, "m"), "store_run_error");
    ok(fx, store_run_error(fx->st, r1, fx->com2, "wall.get", 6, 3, "m"), "store_run_error");
    ok(fx, store_run_error(fx->st, r1, 0, "groups.getMembers", 15, 1, "m"), "store_run_error");
    ok(fx, store_run_end(fx->st, r1, T1 + 60, "partial", 40, 300, "members hidden"),
       "store_run_end");

    assert_int_equal(q_int(fx,
                           "SELECT count FROM run_error WHERE run_id = %lld AND method = "
                           "'wall.get' AND code = 6",
                           (long long)r1),
                     5);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM run_error"), 2);
    assert_string_equal(q_text(fx, "SELECT status FROM run WHERE id = %lld", (long long)r1),
                        "partial");
    assert_int_equal(q_int(fx, "SELECT finished_at FROM run WHERE id = %lld", (long long)r1),
                     T1 + 60);
    assert_int_equal(q_int(fx, "SELECT requests FROM run WHERE id = %lld", (long long)r1), 40);
    assert_int_equal(q_int(fx, "SELECT calls FROM run WHERE id = %lld", (long long)r1), 300);
    assert_string_equal(q_text(fx, "SELECT message FROM run WHERE id = %lld", (long long)r1),
                        "members hidden");

    /* A finished run stays as it ended when the next one starts. */
    int64_t r2 = run_begin(fx, T1 + DAY);
    assert_true(r2 > r1);
    assert_string_equal(q_text(fx, "SELECT status FROM run WHERE id = %lld", (long long)r1),
                        "partial");
    ok(fx, store_run_end(fx->st, r2, T1 + DAY + 5, "ok", 1, 1, NULL), "store_run_end");
    assert_int_equal(q_int(fx, "SELECT message FROM run WHERE id = %lld", (long long)r2), NUL);
}

static void test_store_collect_run_begin_fails_running_run(void **state)
{
    struct fixture *fx = *state;
    int64_t r1 = run_begin(fx, T1);
    /* The collector was killed: r1 is still 'running' when the next run starts. */
    int64_t r2 = run_begin(fx, T1 + DAY);

    assert_string_equal(q_text(fx, "SELECT status FROM run WHERE id = %lld", (long long)r1),
                        "failed");
    assert_true(strlen(q_text(fx, "SELECT message FROM run WHERE id = %lld", (long long)r1)) > 0);
    assert_string_equal(q_text(fx, "SELECT status FROM run WHERE id = %lld", (long long)r2),
                        "running");
    assert_int_equal(q_int(fx, "SELECT count(*) FROM run WHERE status = 'running'"), 1);

    struct store_run_info info;
    ok(fx, store_last_run(fx->st, &info), "store_last_run");
    assert_int_equal(info.id, r2);
    assert_string_equal(info.status, "running");
}

/* A run's errors by community and method, read back in order with its message. */
struct problems_seen {
    char text[512];
};

static int problem_cb(void *ud, const struct store_run_problem *p)
{
    struct problems_seen *seen = ud;
    size_t len = strlen(seen->text);
    snprintf(seen->text + len, sizeof seen->text - len, "%s|%s|%d|%lld|%s;", p->ref ? p->ref : "-",
             p->method, p->code, (long long)p->count, p->message);
    return 0;
}

static void test_store_collect_run_problems_by_community(void **state)
{
    struct fixture *fx = *state;
    struct problems_seen seen = {""};
    char msg[128];
    int64_t r1 = run_begin(fx, T1);

    ok(fx, store_run_error(fx->st, r1, fx->com2, "wall.get", 15, 1, "VK error 15: denied"),
       "store_run_error");
    ok(fx, store_run_error(fx->st, r1, 0, "groups.getById", 100, 1, "VK error 100: bad"),
       "store_run_error");
    ok(fx, store_run_error(fx->st, r1, fx->com, "wall.get", -1, 2, "network error"),
       "store_run_error");
    ok(fx, store_run_error(fx->st, r1, fx->com, "wall.get", -1, 3, "another message"),
       "store_run_error");
    ok(fx, store_run_end(fx->st, r1, T1 + 60, "partial", 4, 30, "wall.get failed"),
       "store_run_end");
    ok(fx, store_each_run_problem(fx->st, r1, msg, sizeof msg, problem_cb, &seen),
       "store_each_run_problem");
    assert_string_equal(msg, "wall.get failed");
    /* None in particular first, then by community; counts add up, the first message stays. */
    assert_string_equal(seen.text, "-|groups.getById|100|1|VK error 100: bad;"
                                   "prof_two|wall.get|15|1|VK error 15: denied;"
                                   "rmo_neuspeh|wall.get|-1|5|network error;");
}

/* A stats.get refusal is flagged as the community's recorded state only when the collector
 * recorded the refusal in that run: the same error in an earlier run, or of a community
 * whose refusal is not recorded, stays a plain problem. */
static int refused_cb(void *ud, const struct store_run_problem *p)
{
    struct problems_seen *seen = ud;
    size_t len = strlen(seen->text);
    snprintf(seen->text + len, sizeof seen->text - len, "%s|%s|%d|%d;", p->ref, p->method, p->code,
             p->stats_refused);
    return 0;
}

static void test_store_collect_run_problems_stats_refused(void **state)
{
    struct fixture *fx = *state;
    struct problems_seen seen = {""};
    char msg[128];
    int64_t r1 = run_begin(fx, T1);

    ok(fx, store_run_error(fx->st, r1, fx->com, "stats.get", 15, 1, "VK error 15: denied"),
       "store_run_error");
    ok(fx, store_run_end(fx->st, r1, T1 + 60, "ok", 4, 30, NULL), "store_run_end");
    int64_t r2 = run_begin(fx, T1 + 3600);
    ok(fx, store_stats_denied(fx->st, fx->com, T1 + 3600), "store_stats_denied");
    ok(fx, store_run_error(fx->st, r2, fx->com, "stats.get", 15, 1, "VK error 15: denied"),
       "store_run_error");
    ok(fx, store_run_error(fx->st, r2, fx->com, "wall.get", 15, 1, "VK error 15: denied"),
       "store_run_error");
    ok(fx, store_run_error(fx->st, r2, fx->com2, "stats.get", 15, 1, "VK error 15: denied"),
       "store_run_error");
    ok(fx, store_run_end(fx->st, r2, T1 + 3660, "ok", 4, 30, NULL), "store_run_end");
    ok(fx, store_each_run_problem(fx->st, r2, msg, sizeof msg, refused_cb, &seen),
       "store_each_run_problem");
    assert_string_equal(seen.text, "prof_two|stats.get|15|0;"
                                   "rmo_neuspeh|stats.get|15|1;"
                                   "rmo_neuspeh|wall.get|15|0;");
    seen.text[0] = '\0';
    /* The run before the refusal was recorded: not flagged. */
    ok(fx, store_each_run_problem(fx->st, r1, msg, sizeof msg, refused_cb, &seen),
       "store_each_run_problem");
    assert_string_equal(seen.text, "rmo_neuspeh|stats.get|15|0;");
}

/* ---- members ----------------------------------------------------------------------- */

static void test_store_collect_first_complete_list_is_initial(void **state)
{
    struct fixture *fx = *state;
    static const int64_t ids[] = {101, 102, 1103, 104, 105};
    struct vk_group g = {.id = 218375230,
                         .screen_name = "rmo_neuspeh",
                         .name = "Профилактика",
                         .members_count = 5,
                         .is_closed = 0};
    int64_t joined = -1, left = -1;
    int64_t r1 = run_begin(fx, T1);

    ok(fx, store_group_info(fx->st, r1, fx->com, T1, &g), "store_group_info");
    members_run(fx, r1, fx->com, T1, ids, 5, &joined, &left);
    assert_int_equal(joined, 5);
    assert_int_equal(left, 0);

    assert_int_equal(
        q_int(fx, "SELECT count(*) FROM membership WHERE community_id = %lld", (long long)fx->com),
        5);
    assert_int_equal(q_int(fx,
                           "SELECT count(*) FROM membership WHERE community_id = %lld AND "
                           "initial = 1 AND joined_at = %d AND joined_run = %lld AND left_at IS "
                           "NULL AND left_run IS NULL",
                           (long long)fx->com, T1, (long long)r1),
                     5);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM member_stage"), 0);
    /* The snapshot vouches for the list. */
    assert_int_equal(snap_int(fx, r1, fx->com, "members_ok"), 1);
    assert_int_equal(snap_int(fx, r1, fx->com, "members_listed"), 5);
    assert_int_equal(snap_int(fx, r1, fx->com, "members_count"), 5);
    /* Users: the city when there is one, no names without keep_names. */
    assert_int_equal(q_int(fx, "SELECT city_id FROM user WHERE id = 101"), 201);
    assert_string_equal(q_text(fx, "SELECT city_title FROM user WHERE id = 101"), "Город 101");
    assert_int_equal(q_int(fx, "SELECT city_id FROM user WHERE id = 1103"), NUL);
    assert_int_equal(q_int(fx, "SELECT city_title FROM user WHERE id = 1103"), NUL);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM user WHERE first_name IS NOT NULL OR "
                               "last_name IS NOT NULL"),
                     0);
    assert_int_equal(q_int(fx, "SELECT seen_at FROM user WHERE id = 105"), T1);
    /* The other community is untouched. */
    assert_int_equal(
        q_int(fx, "SELECT count(*) FROM membership WHERE community_id = %lld", (long long)fx->com2),
        0);
}

static void test_store_collect_users_from_parsed_page(void **state)
{
    /* The canned groups.getMembers page, parsed and stored, names kept on request. */
    struct fixture *fx = *state;
    const char *body = "{\"response\":{\"count\":3,\"items\":["
                       "{\"id\":101,\"city\":{\"id\":158,\"title\":\"Челябинск\"},"
                       "\"first_name\":\"Анна\",\"last_name\":\"Петрова\"},"
                       "{\"id\":103,\"first_name\":\"DELETED\",\"last_name\":\"\","
                       "\"deactivated\":\"deleted\"},"
                       "{\"id\":104,\"first_name\":\"Ольга\",\"last_name\":\"К.\","
                       "\"deactivated\":\"banned\"}]}}";
    struct vk_reply r;
    struct vk_user *u;
    size_t n;
    int64_t count;
    int64_t r1 = run_begin(fx, T1);

    assert_int_equal(vk_reply_parse(body, strlen(body), &r, fx->err, sizeof fx->err), 0);
    assert_int_equal(vk_parse_members(r.response, &count, &u, &n, fx->err, sizeof fx->err), 0);
    ok(fx, store_members_page(fx->st, r1, fx->com, T1, u, n, 1, NULL), "store_members_page");
    free(u);
    vk_reply_release(&r);

    assert_int_equal(q_int(fx, "SELECT city_id FROM user WHERE id = 101"), 158);
    assert_string_equal(q_text(fx, "SELECT city_title FROM user WHERE id = 101"), "Челябинск");
    assert_string_equal(q_text(fx, "SELECT first_name FROM user WHERE id = 101"), "Анна");
    assert_string_equal(q_text(fx, "SELECT last_name FROM user WHERE id = 101"), "Петрова");
    assert_int_equal(q_int(fx, "SELECT deactivated FROM user WHERE id = 101"), NUL);
    assert_string_equal(q_text(fx, "SELECT deactivated FROM user WHERE id = 103"), "deleted");
    assert_string_equal(q_text(fx, "SELECT deactivated FROM user WHERE id = 104"), "banned");
    assert_int_equal(
        q_int(fx, "SELECT count(*) FROM member_stage WHERE run_id = %lld", (long long)r1), 3);

    /* A later page without names (keep_names off) forgets them; a moved user gets the new city. */
    struct vk_user again = {.id = 101,
                            .city_id = 1489,
                            .city_title = "Пласт",
                            .first_name = "Анна",
                            .last_name = "Петрова"};
    ok(fx, store_members_page(fx->st, r1, fx->com, T1 + 10, &again, 1, 0, NULL),
       "store_members_page");
    assert_int_equal(q_int(fx, "SELECT city_id FROM user WHERE id = 101"), 1489);
    assert_int_equal(q_int(fx, "SELECT first_name FROM user WHERE id = 101"), NUL);
    assert_int_equal(q_int(fx, "SELECT seen_at FROM user WHERE id = 101"), T1 + 10);
    /* The same member on two pages (the list shifted while paging) is staged once. */
    assert_int_equal(
        q_int(fx, "SELECT count(*) FROM member_stage WHERE run_id = %lld", (long long)r1), 3);
}

static void test_store_collect_member_leaves_and_returns(void **state)
{
    struct fixture *fx = *state;
    static const int64_t all[] = {101, 102, 103};
    static const int64_t without[] = {101, 103};
    static const int64_t back[] = {101, 102, 103, 104};
    int64_t joined, left;

    int64_t r1 = run_begin(fx, T1);
    members_run(fx, r1, fx->com, T1, all, 3, &joined, &left);
    ok(fx, store_run_end(fx->st, r1, T1 + 1, "ok", 1, 1, NULL), "store_run_end");
    assert_int_equal(joined, 3);
    assert_int_equal(left, 0);

    /* Run 2: 102 is gone. */
    int64_t r2 = run_begin(fx, T1 + DAY);
    members_run(fx, r2, fx->com, T1 + DAY, without, 2, &joined, &left);
    ok(fx, store_run_end(fx->st, r2, T1 + DAY + 1, "ok", 1, 1, NULL), "store_run_end");
    assert_int_equal(joined, 0);
    assert_int_equal(left, 1);
    assert_int_equal(q_int(fx, "SELECT left_at FROM membership WHERE user_id = 102"), T1 + DAY);
    assert_int_equal(q_int(fx, "SELECT left_run FROM membership WHERE user_id = 102"), r2);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM membership WHERE left_at IS NULL"), 2);

    /* Run 3: 102 is back, and 104 is new; neither is 'initial'. */
    int64_t r3 = run_begin(fx, T1 + 2 * DAY);
    members_run(fx, r3, fx->com, T1 + 2 * DAY, back, 4, &joined, &left);
    ok(fx, store_run_end(fx->st, r3, T1 + 2 * DAY + 1, "ok", 1, 1, NULL), "store_run_end");
    assert_int_equal(joined, 2);
    assert_int_equal(left, 0);

    /* Two intervals for 102: the old one kept closed, a new one open. */
    assert_int_equal(q_int(fx, "SELECT count(*) FROM membership WHERE user_id = 102"), 2);
    assert_int_equal(q_int(fx,
                           "SELECT count(*) FROM membership WHERE user_id = 102 AND joined_at = "
                           "%d AND joined_run = %lld AND initial = 1 AND left_at = %d AND "
                           "left_run = %lld",
                           T1, (long long)r1, T1 + DAY, (long long)r2),
                     1);
    assert_int_equal(q_int(fx,
                           "SELECT count(*) FROM membership WHERE user_id = 102 AND joined_at = "
                           "%d AND joined_run = %lld AND initial = 0 AND left_at IS NULL",
                           T1 + 2 * DAY, (long long)r3),
                     1);
    assert_int_equal(q_int(fx, "SELECT initial FROM membership WHERE user_id = 104"), 0);
    assert_int_equal(q_int(fx, "SELECT joined_at FROM membership WHERE user_id = 104"),
                     T1 + 2 * DAY);
    /* 101 and 103 kept their first interval throughout. */
    assert_int_equal(q_int(fx, "SELECT count(*) FROM membership WHERE user_id IN (101, 103) AND "
                               "left_at IS NULL AND initial = 1"),
                     2);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM membership"), 5);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM membership WHERE left_at IS NULL"), 4);

    /* Run 4: everyone left at once. */
    int64_t r4 = run_begin(fx, T1 + 3 * DAY);
    members_run(fx, r4, fx->com, T1 + 3 * DAY, NULL, 0, &joined, &left);
    assert_int_equal(joined, 0);
    assert_int_equal(left, 4);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM membership WHERE left_at IS NULL"), 0);
    assert_int_equal(snap_int(fx, r4, fx->com, "members_listed"), 0);
}

static void test_store_collect_incomplete_list_changes_nothing(void **state)
{
    struct fixture *fx = *state;
    static const int64_t all[] = {101, 102, 103};
    static const int64_t part[] = {101};
    int64_t joined, left;

    int64_t r1 = run_begin(fx, T1);
    members_run(fx, r1, fx->com, T1, all, 3, &joined, &left);
    ok(fx, store_run_end(fx->st, r1, T1 + 1, "ok", 1, 1, NULL), "store_run_end");

    /* Run 2 stages one page of a list it never completes, then dies. */
    int64_t r2 = run_begin(fx, T1 + DAY);
    page(fx, r2, fx->com, T1 + DAY, part, 1, 0);
    page(fx, r2, fx->com2, T1 + DAY, all, 3, 0);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM member_stage"), 4);

    /* Run 3 starts: run 2 failed, its stage gone, the intervals as run 1 left them. */
    int64_t r3 = run_begin(fx, T1 + 2 * DAY);
    assert_string_equal(q_text(fx, "SELECT status FROM run WHERE id = %lld", (long long)r2),
                        "failed");
    assert_int_equal(q_int(fx, "SELECT count(*) FROM member_stage"), 0);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM membership"), 3);
    assert_int_equal(q_int(fx,
                           "SELECT count(*) FROM membership WHERE left_at IS NULL AND "
                           "joined_at = %d",
                           T1),
                     3);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM snapshot WHERE run_id = %lld AND members_ok",
                           (long long)r2),
                     0);

    /* Run 3 sees the same list: nothing joins or leaves. */
    members_run(fx, r3, fx->com, T1 + 2 * DAY, all, 3, &joined, &left);
    assert_int_equal(joined, 0);
    assert_int_equal(left, 0);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM membership"), 3);
}

static void test_store_collect_communities_independent(void **state)
{
    struct fixture *fx = *state;
    static const int64_t a[] = {101, 102};
    static const int64_t b[] = {102, 201};
    int64_t joined, left;

    int64_t r1 = run_begin(fx, T1);
    members_run(fx, r1, fx->com, T1, a, 2, &joined, &left);
    members_run(fx, r1, fx->com2, T1, b, 2, &joined, &left);
    assert_int_equal(joined, 2);

    /* Run 2: community 2 staged (still in progress) while community 1 completes empty. */
    int64_t r2 = run_begin(fx, T1 + DAY);
    page(fx, r2, fx->com2, T1 + DAY, b, 2, 0);
    members_run(fx, r2, fx->com, T1 + DAY, NULL, 0, &joined, &left);
    assert_int_equal(left, 2);
    /* Community 2's members and its stage are untouched by community 1's completion. */
    assert_int_equal(q_int(fx,
                           "SELECT count(*) FROM membership WHERE community_id = %lld AND "
                           "left_at IS NULL",
                           (long long)fx->com2),
                     2);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM member_stage WHERE community_id = %lld",
                           (long long)fx->com2),
                     2);
    ok(fx, store_members_complete(fx->st, r2, fx->com2, T1 + DAY, &joined, &left),
       "store_members_complete");
    assert_int_equal(joined, 0);
    assert_int_equal(left, 0);
    /* Community 2 already had a complete list: its later joiners are not initial. */
    struct store_community_state cs;
    ok(fx, store_community_state(fx->st, "prof_two", &cs), "store_community_state");
    assert_int_equal(cs.had_members, 1);
}

/* The collector folds a list in slices between the loop's turns: slice by slice it must
 * end where the fold in one go ends, leaves past the last staged id included. */
static void test_store_collect_fold_in_slices(void **state)
{
    struct fixture *fx = *state;
    static const int64_t first[] = {105, 110, 120, 130, 140, 900, 950};
    static const int64_t second[] = {101, 110, 125, 130, 140, 141}; /* 105, 120, 900, 950 left */
    struct store_fold f;
    int64_t joined, left;

    int64_t r1 = run_begin(fx, T1);
    members_run(fx, r1, fx->com, T1, first, 7, &joined, &left);
    assert_int_equal(joined, 7);

    int64_t r2 = run_begin(fx, T1 + DAY);
    ok(fx, store_begin(fx->st), "store_begin");
    page(fx, r2, fx->com, T1 + DAY, second, 6, 0);
    ok(fx, store_members_fold_begin(fx->st, r2, fx->com, T1 + DAY, &f), "fold_begin");
    assert_false(f.initial);
    int steps = 0;
    while (!f.done) {
        ok(fx, store_members_fold_step(fx->st, &f, 2), "fold_step");
        steps++;
        /* Until the last slice, the snapshot does not claim a complete list. */
        if (!f.done)
            assert_int_equal(q_int(fx, "SELECT count(*) FROM snapshot WHERE run_id = %lld AND "
                                       "members_ok", (long long)r2), 0);
    }
    ok(fx, store_commit(fx->st), "store_commit");
    assert_int_equal(steps, 4); /* 2 + 2 + 2 staged, then the slice that finds the end */
    assert_int_equal(f.joined, 3); /* 101, 125, 141 */
    assert_int_equal(f.left, 4);   /* 105, 120 between slices; 900, 950 past the last id */
    assert_int_equal(f.listed, 6);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM membership WHERE community_id = %lld AND "
                               "left_at IS NULL", (long long)fx->com), 6);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM membership WHERE left_run = %lld AND "
                               "user_id IN (105, 120, 900, 950)", (long long)r2), 4);
    assert_int_equal(q_int(fx, "SELECT members_listed FROM snapshot WHERE run_id = %lld AND "
                               "community_id = %lld AND members_ok", (long long)r2,
                           (long long)fx->com), 6);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM member_stage"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_store_collect_run_begin_end_errors),
        T(test_store_collect_run_begin_fails_running_run),
        T(test_store_collect_run_problems_by_community),
        T(test_store_collect_run_problems_stats_refused),
        T(test_store_collect_first_complete_list_is_initial),
        T(test_store_collect_users_from_parsed_page),
        T(test_store_collect_member_leaves_and_returns),
        T(test_store_collect_incomplete_list_changes_nothing),
        T(test_store_collect_communities_independent),
        T(test_store_collect_fold_in_slices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
