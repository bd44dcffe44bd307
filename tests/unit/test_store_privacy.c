/* test_store_privacy.c: cmocka tests of the retention purge and of forgetting a person. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "err.h"
#include "model.h"
#include "store.h"
#include "store_collect.h"
#include "store_privacy.h"
#include "store_survey.h"

/*
 * Each test gets a fresh database: the store under test, and a second
 * read-write sqlite3 connection that lays out rows (and, to prove that a
 * failure halfway leaves everything as it was, triggers that make one step
 * fail).
 */

#define OWNER (-200000001)
#define PERSON 42
#define OTHER 43

struct fixture {
    char db[64];      /* /tmp/vkp_test_store_privacy_XXXXXX.db */
    struct store *st; /* under test */
    sqlite3 *rw;      /* the test's own connection */
    int64_t com;      /* the community's id */
    char err[512];
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    struct config cfg;
    struct config_community com;
    struct store_community_state cs;
    int fd;

    if (!fx)
        return -1;
    snprintf(fx->db, sizeof fx->db, "/tmp/vkp_test_store_privacy_XXXXXX");
    if ((fd = mkstemp(fx->db)) < 0)
        return -1;
    close(fd);
    unlink(fx->db);
    *state = fx;
    memset(&cfg, 0, sizeof cfg);
    memset(&com, 0, sizeof com);
    com.group = (char *)"g1";
    com.survey_name = (char *)"g1";
    cfg.communities = &com;
    cfg.ncommunities = 1;
    if (store_open(fx->db, STORE_CREATE, &fx->st, fx->err, sizeof fx->err) != 0 ||
        store_migrate(fx->st, -1, NULL) != 0 || store_sync_communities(fx->st, &cfg) != 0 ||
        store_community_state(fx->st, "g1", &cs) != 0)
        return -1;
    fx->com = cs.id;
    if (sqlite3_open(fx->db, &fx->rw) != SQLITE_OK)
        return -1;
    sqlite3_busy_timeout(fx->rw, 5000);
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    char path[96];

    sqlite3_close(fx->rw);
    store_free(fx->st);
    unlink(fx->db);
    snprintf(path, sizeof path, "%s-wal", fx->db);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", fx->db);
    unlink(path);
    free(fx);
    return 0;
}

static void sql(struct fixture *fx, const char *text)
{
    char *msg = NULL;
    if (sqlite3_exec(fx->rw, text, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", text, msg);
}

static int64_t num(struct fixture *fx, const char *text)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(fx->rw, text, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", text, sqlite3_errmsg(fx->rw));
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* A query of the test and the number it must give. */
struct num_expect {
    const char *sql;
    int64_t want;
};

/* Each query gives its number; a failure names the query. */
static void expect_nums(struct fixture *fx, const struct num_expect *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (num(fx, e[i].sql) != e[i].want)
            fail_msg("%s: %lld, not %lld", e[i].sql, (long long)num(fx, e[i].sql),
                     (long long)e[i].want);
}

/* Unix time of a UTC calendar instant. */
static int64_t utc(int y, int mon, int d, int h)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mon - 1, .tm_mday = d, .tm_hour = h};
    return (int64_t)timegm(&tm);
}

/* Four posts; interactions dated at `cut` (kept) and one second before (purged). */
static void lay_out_dated(struct fixture *fx, int64_t cut)
{
    char text[2048];
    snprintf(text, sizeof text,
             "INSERT INTO run (id, started_at, status) VALUES (1, %1$lld, 'ok');"
             "INSERT INTO post (owner_id, id, community_id, from_id, date, first_run)"
             " VALUES (%2$d, 1, %3$lld, %2$d, %1$lld, 1), (%2$d, 2, %3$lld, %2$d, %1$lld, 1);"
             "INSERT INTO post_like VALUES (%2$d, 1, 7, %4$lld), (%2$d, 1, 8, %4$lld - 1),"
             " (%2$d, 2, 7, %4$lld - 86400 * 400);"
             "INSERT INTO comment (owner_id, id, post_id, from_id, date, seen_at)"
             " VALUES (%2$d, 10, 1, 7, %4$lld, 0), (%2$d, 11, 1, 8, %4$lld - 1, 0);"
             "INSERT INTO repost VALUES (%2$d, 1, 7, 5, %4$lld, 0), (%2$d, 1, 8, 6, %4$lld - 1, 0);"
             "INSERT INTO post_counter VALUES (%2$d, 1, 1, %4$lld, 1, 1, 1, 1),"
             " (%2$d, 2, 1, %4$lld - 1, 1, 1, 1, 1);",
             (long long)(cut - 86400 * 500), OWNER, (long long)fx->com, (long long)cut);
    sql(fx, text);
}

/* ---- retention ------------------------------------------------------------------ */

/* Calendar months back in UTC, the end of a longer month clamped to the
 * shorter one's last day (also in a leap year); the cutoff instant itself is
 * kept, one second before it is purged, in every table. */
static void test_store_purge_calendar_months(void **state)
{
    struct fixture *fx = *state;
    struct store_purge_counts n;

    assert_int_equal(store_purge(fx->st, utc(2026, 3, 31, 12), 1, &n), 0);
    assert_int_equal(n.cutoff, utc(2026, 2, 28, 12));
    assert_int_equal(store_purge(fx->st, utc(2024, 3, 31, 12), 1, &n), 0);
    assert_int_equal(n.cutoff, utc(2024, 2, 29, 12));
    assert_int_equal(store_purge(fx->st, utc(2026, 1, 15, 0), 13, &n), 0);
    assert_int_equal(n.cutoff, utc(2024, 12, 15, 0));

    int64_t now = utc(2026, 8, 31, 6);
    lay_out_dated(fx, utc(2026, 2, 28, 6));
    assert_int_equal(store_purge(fx->st, now, 6, &n), 0);
    assert_int_equal(n.cutoff, utc(2026, 2, 28, 6));
    assert_int_equal(n.likes, 2);
    assert_int_equal(n.comments, 1);
    assert_int_equal(n.reposts, 1);
    assert_int_equal(n.counters, 1);
    /* What is left is the young rows; posts stay. */
    static const struct num_expect left[] = {
        {"SELECT group_concat(user_id) FROM post_like", 7},
        {"SELECT group_concat(id) FROM comment", 10},
        {"SELECT group_concat(repost_id) FROM repost", 5},
        {"SELECT group_concat(post_id) FROM post_counter", 1},
        {"SELECT count(*) FROM post", 2},
    };
    expect_nums(fx, left, sizeof left / sizeof left[0]);
    /* A second purge finds nothing. */
    assert_int_equal(store_purge(fx->st, now, 6, &n), 0);
    assert_int_equal(n.likes + n.comments + n.reposts + n.counters, 0);
}

static void test_store_purge_zero_months_keeps_all(void **state)
{
    struct fixture *fx = *state;
    struct store_purge_counts n;

    lay_out_dated(fx, utc(2026, 2, 28, 6));
    assert_int_equal(store_purge(fx->st, utc(2030, 1, 1, 0), 0, &n), 0);
    assert_int_equal(n.cutoff, 0);
    assert_int_equal(num(fx, "SELECT count(*) FROM post_like"), 3);
    assert_int_equal(num(fx, "SELECT count(*) FROM post_counter"), 2);
}

/* When the last step fails, the steps before it are undone. */
static void test_store_purge_all_or_nothing(void **state)
{
    struct fixture *fx = *state;
    struct store_purge_counts n;

    lay_out_dated(fx, utc(2026, 2, 28, 6));
    sql(fx, "CREATE TRIGGER boom BEFORE DELETE ON post_counter BEGIN SELECT RAISE(ABORT, 'disk "
            "on fire'); END");
    assert_int_not_equal(store_purge(fx->st, utc(2026, 8, 31, 6), 6, &n), 0);
    assert_non_null(strstr(store_errmsg(fx->st), "cannot purge post counters"));
    assert_int_equal(n.likes + n.comments + n.reposts + n.counters, 0);
    assert_int_equal(num(fx, "SELECT count(*) FROM post_like"), 3);
    assert_int_equal(num(fx, "SELECT count(*) FROM comment"), 2);
    assert_int_equal(num(fx, "SELECT count(*) FROM repost"), 2);
}

/* ---- forgetting ------------------------------------------------------------------ */

/* PERSON and OTHER each with every kind of trace. */
static void lay_out_people(struct fixture *fx)
{
    char text[2048];
    snprintf(
        text, sizeof text,
        "INSERT INTO run (id, started_at, status) VALUES (1, 1000, 'ok');"
        "INSERT INTO user (id, city_id, seen_at) VALUES (%1$d, 158, 1000), (%2$d, 158, 1000);"
        "INSERT INTO membership (community_id, user_id, joined_at, joined_run, left_at,"
        " left_run) VALUES (%3$lld, %1$d, 1000, 1, 2000, 1), (%3$lld, %1$d, 3000, 1, NULL,"
        " NULL), (%3$lld, %2$d, 1000, 1, NULL, NULL);"
        "INSERT INTO member_stage VALUES (1, %3$lld, %1$d);"
        "INSERT INTO post (owner_id, id, community_id, from_id, signer_id, date, first_run,"
        " copy_owner_id, copy_post_id) VALUES (%4$d, 1, %3$lld, %4$d, %1$d, 900, 1, NULL,"
        " NULL), (%4$d, 2, %3$lld, %1$d, NULL, 900, 1, NULL, NULL), (%4$d, 3, %3$lld, %4$d,"
        " NULL, 900, 1, %1$d, 77), (%4$d, 4, %3$lld, %2$d, %2$d, 900, 1, %2$d, 78);"
        "INSERT INTO post_like VALUES (%4$d, 1, %1$d, 1000), (%4$d, 2, %1$d, 1000),"
        " (%4$d, 1, %2$d, 1000);"
        "INSERT INTO comment (owner_id, id, post_id, from_id, parent_id, date, seen_at)"
        " VALUES (%4$d, 10, 1, %1$d, NULL, 950, 1000), (%4$d, 11, 1, %2$d, 10, 960, 1000),"
        " (%4$d, 12, 1, %1$d, 10, 970, 1000);"
        "INSERT INTO repost VALUES (%4$d, 1, %1$d, 5, 990, 1000), (%4$d, 1, %2$d, 6, 990, 1000);"
        "INSERT INTO roster VALUES (%1$d, 'Копейский городской округ', 2, 1000, 'r.csv'),"
        " (%2$d, 'Копейский городской округ', 3, 1000, 'r.csv');",
        PERSON, OTHER, (long long)fx->com, OWNER);
    sql(fx, text);
}

static int64_t traces_of(struct fixture *fx, int id)
{
    char text[1024];
    snprintf(text, sizeof text,
             "SELECT (SELECT count(*) FROM user WHERE id = %1$d)"
             " + (SELECT count(*) FROM membership WHERE user_id = %1$d)"
             " + (SELECT count(*) FROM member_stage WHERE user_id = %1$d)"
             " + (SELECT count(*) FROM post_like WHERE user_id = %1$d)"
             " + (SELECT count(*) FROM comment WHERE from_id = %1$d)"
             " + (SELECT count(*) FROM repost WHERE repost_owner_id = %1$d)"
             " + (SELECT count(*) FROM roster WHERE user_id = %1$d)"
             " + (SELECT count(*) FROM post WHERE from_id = %1$d OR signer_id = %1$d"
             "    OR copy_owner_id = %1$d)",
             id);
    return num(fx, text);
}

static void test_store_forget_everywhere(void **state)
{
    struct fixture *fx = *state;
    struct store_forget_counts n;

    lay_out_people(fx);
    int64_t other = traces_of(fx, OTHER);
    assert_int_equal(traces_of(fx, PERSON), 13);
    assert_int_equal(store_forget(fx->st, PERSON, 5000, &n), 0);
    assert_false(n.already);
    assert_int_equal(n.user, 1);
    assert_int_equal(n.memberships, 2);
    assert_int_equal(n.likes, 2);
    assert_int_equal(n.comments, 2);
    assert_int_equal(n.reposts, 1);
    assert_int_equal(n.posts, 3);
    assert_int_equal(n.roster, 1);
    assert_int_equal(traces_of(fx, PERSON), 0);
    assert_int_equal(traces_of(fx, OTHER), other);
    static const struct num_expect after[] = {
        /* Comments stay, anonymised, and the reply keeps its thread. */
        {"SELECT count(*) FROM comment WHERE from_id = 0", 2},
        {"SELECT parent_id FROM comment WHERE id = 11", 10},
        /* The suggested post has no author, the signed one no signer, the repost no source. */
        {"SELECT from_id FROM post WHERE id = 2", 0},
        {"SELECT signer_id IS NULL FROM post WHERE id = 1", 1},
        {"SELECT copy_owner_id + copy_post_id FROM post WHERE id = 3", 0},
        {"SELECT forgotten_at FROM forgotten_user WHERE id = 42", 5000},
        {"SELECT count(*) FROM pragma_foreign_key_check", 0},
    };
    expect_nums(fx, after, sizeof after / sizeof after[0]);

    assert_int_equal(store_forget(fx->st, PERSON, 6000, &n), 0);
    assert_true(n.already);
    assert_int_equal(n.user + n.memberships + n.likes + n.comments + n.reposts + n.posts, 0);
    assert_int_equal(num(fx, "SELECT forgotten_at FROM forgotten_user WHERE id = 42"), 5000);
    assert_int_equal(store_forget(fx->st, 0, 6000, &n), VKP_EUSAGE);
    assert_int_equal(store_forget(fx->st, -200000001, 6000, &n), VKP_EUSAGE);
}

static void test_store_forget_all_or_nothing(void **state)
{
    struct fixture *fx = *state;
    struct store_forget_counts n;

    lay_out_people(fx);
    sql(fx, "CREATE TRIGGER boom BEFORE DELETE ON user BEGIN SELECT RAISE(ABORT, 'no'); END");
    assert_int_not_equal(store_forget(fx->st, PERSON, 5000, &n), 0);
    assert_non_null(strstr(store_errmsg(fx->st), "cannot delete the user"));
    assert_int_equal(traces_of(fx, PERSON), 13);
    assert_int_equal(num(fx, "SELECT count(*) FROM forgotten_user"), 0);
}

/* Later collections leave a forgotten person out, whatever VK sends. */
static void test_store_forgotten_not_collected_again(void **state)
{
    struct fixture *fx = *state;
    struct store_forget_counts n;
    struct store_post_sync prev;
    int64_t joined, left;

    lay_out_people(fx);
    assert_int_equal(store_forget(fx->st, PERSON, 5000, &n), 0);
    sql(fx, "INSERT INTO run (id, started_at) VALUES (2, 6000)");

    struct vk_user members[] = {{.id = PERSON, .city_id = 158}, {.id = OTHER, .city_id = 158}};
    assert_int_equal(store_members_page(fx->st, 2, fx->com, 6000, members, 2, 1, NULL), 0);
    assert_int_equal(store_members_complete(fx->st, 2, fx->com, 6000, &joined, &left), 0);
    struct vk_post p = {.owner_id = OWNER,
                        .id = 5,
                        .from_id = PERSON,
                        .signer_id = PERSON,
                        .date = 5900,
                        .copy_owner_id = PERSON,
                        .copy_post_id = 9};
    assert_int_equal(store_post(fx->st, 2, fx->com, 6000, &p, &prev), 0);
    int64_t likers[] = {PERSON, OTHER};
    assert_int_equal(store_likes(fx->st, OWNER, 5, likers, 2, 6000), 0);
    struct vk_comment c[] = {{.id = 20, .from_id = PERSON, .date = 5950},
                             {.id = 10, .from_id = PERSON, .date = 950}};
    assert_int_equal(store_comments(fx->st, OWNER, 5, c, 2, 6000), 0);
    struct vk_repost r[] = {{.owner_id = PERSON, .id = 8, .date = 5990},
                            {.owner_id = OTHER, .id = 9, .date = 5990}};
    assert_int_equal(store_reposts(fx->st, OWNER, 5, r, 2, 6000), 0);
    struct store_roster_entry roster[] = {
        {.user_id = PERSON, .municipality = "Копейский ГО", .row = 2},
        {.user_id = OTHER, .municipality = "Копейский ГО", .row = 3}};
    assert_int_equal(store_roster_replace(fx->st, 6000, "new.csv", roster, 2), 0);

    assert_int_equal(traces_of(fx, PERSON), 0);
    assert_int_equal(num(fx, "SELECT count(*) FROM post_like WHERE post_id = 5"), 1);
    assert_int_equal(num(fx, "SELECT count(*) FROM comment WHERE from_id = 0"), 3);
    assert_int_equal(num(fx, "SELECT count(*) FROM repost WHERE post_id = 5"), 1);
    assert_int_equal(num(fx, "SELECT members_listed FROM snapshot WHERE run_id = 2"), 1);
    assert_int_equal(num(fx, "SELECT group_concat(user_id) FROM roster"), OTHER);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_store_purge_calendar_months), T(test_store_purge_zero_months_keeps_all),
        T(test_store_purge_all_or_nothing),  T(test_store_forget_everywhere),
        T(test_store_forget_all_or_nothing), T(test_store_forgotten_not_collected_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
