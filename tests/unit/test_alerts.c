/* test_alerts.c: cmocka tests of the alert rules and alert state (alerts/alerts.c) on
 * crafted databases: each rule fires, stays quiet on its boundary, and resolves; a condition
 * is announced once however many evaluations see it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts.h"
#include "fmt.h"
#include "config.h"
#include "dbfixture.h"
#include "err.h"
#include "service.h"
#include "store.h"
#include "store_collect.h"
#include "text.h"

#define T0 1790000000 /* the first run of every scenario */
#define DAY 86400
#define WEEK (7 * DAY)
#define HOUR 3600

/* ---- fixture ---------------------------------------------------------------------- */

/*
 * Each test gets a fresh database with two configured communities (ids 1
 * and 2), written through a second sqlite3 connection as a collector would
 * have left it, and evaluated through the store under test.
 */
struct fixture {
    struct dbfix d;
    int64_t runs;
    struct alert_report r;
};

/* The config: UTC, English, the two communities, two stdout channels (en, ru). */
static const char *config_text(char *buf, size_t len, const char *alerts)
{
    snprintf(buf, len,
             "[region]\ntimezone = UTC\nlang = en\n"
             "[alerts]\n%s\n"
             "[community]\ngroup = one\nkind = rmo\nsurvey_name = One\n"
             "[community]\ngroup = two\nkind = community\nsurvey_name = Two\n"
             "[channel]\ntype = stdout\n"
             "[channel]\ntype = stdout\nlang = ru\n",
             alerts);
    return buf;
}

static void load_config(struct fixture *fx, const char *alerts)
{
    char text[2048];
    dbfix_config(&fx->d, config_text(text, sizeof text, alerts));
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    char text[2048];
    if (!fx)
        return -1;
    *state = fx;
    return dbfix_open(&fx->d, "test_alerts", config_text(text, sizeof text, ""));
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    alert_report_release(&fx->r);
    dbfix_close(&fx->d);
    free(fx);
    return 0;
}

/* ---- crafting rows ------------------------------------------------------------------- */

#define sql(fx, ...) dbfix_sql(&(fx)->d, __VA_ARGS__)
#define count(fx, q) dbfix_count(&(fx)->d, (q))

enum { MEMBERS = 1, WALL = 2, DETAILS = 4, COMPLETE = 7 };

/* A run at t with status; a snapshot of each community in `cids` (bit 1: one, 2: two). */
static int64_t run(struct fixture *fx, int64_t t, const char *status, int flags,
                   int64_t members_one, const char *message)
{
    int64_t id = ++fx->runs;
    sql(fx,
        "INSERT INTO run (id, started_at, finished_at, status, message) VALUES (%lld, %lld, "
        "%lld, %Q, %Q)",
        (long long)id, (long long)t, (long long)t + 60, status, message);
    for (int c = 1; c <= 2; c++)
        sql(fx,
            "INSERT INTO snapshot (run_id, community_id, taken_at, members_count, members_ok, "
            "wall_ok, details_ok) VALUES (%lld, %d, %lld, %lld, %d, %d, %d)",
            (long long)id, c, (long long)t, (long long)(c == 1 ? members_one : 100),
            !!(flags & MEMBERS), !!(flags & WALL), !!(flags & DETAILS));
    /* As the collector does: the run read every post's counters (the likes' brackets). */
    sql(fx,
        "INSERT INTO post_counter (owner_id, post_id, run_id, taken_at, views, likes, reposts,"
        " comments) SELECT owner_id, id, %lld, %lld, 0, 0, 0, 0 FROM post",
        (long long)id, (long long)t);
    return id;
}

static int64_t post_seq;

/* A post of community cid dated t. */
static int64_t post(struct fixture *fx, int cid, int64_t t)
{
    int64_t id = ++post_seq;
    sql(fx,
        "INSERT INTO post (owner_id, id, community_id, from_id, date, first_run) VALUES (%d, "
        "%lld, %d, %d, %lld, 1)",
        -1000 - cid, (long long)id, cid, -1000 - cid, (long long)t);
    return id;
}

static void comment(struct fixture *fx, int cid, int64_t post_id, int64_t t)
{
    static int64_t seq = 1000000;
    sql(fx,
        "INSERT INTO comment (owner_id, id, post_id, from_id, date, seen_at) VALUES (%d, %lld, "
        "%lld, 77, %lld, %lld)",
        -1000 - cid, (long long)++seq, (long long)post_id, (long long)t, (long long)t);
}

static void like(struct fixture *fx, int cid, int64_t post_id, int64_t user, int64_t seen)
{
    sql(fx,
        "INSERT INTO post_like (owner_id, post_id, user_id, seen_at) VALUES (%d, %lld, %lld, %lld)",
        -1000 - cid, (long long)post_id, (long long)user, (long long)seen);
    /* As the collector does (store_likes): where readers find the likes first seen by a run. */
    sql(fx, "INSERT OR IGNORE INTO like_seen (seen_at, owner_id, post_id) VALUES (%lld, %d, %lld)",
        (long long)seen, -1000 - cid, (long long)post_id);
}

/* ---- evaluating ------------------------------------------------------------------------ */

static void evaluate(struct fixture *fx, int64_t now)
{
    char err[1024];
    alert_report_release(&fx->r);
    if (alerts_evaluate(fx->d.st, fx->d.cfg, now, &fx->r, err, sizeof err) != 0)
        fail_msg("alerts_evaluate: %s", err);
}

/* The item of rule for community cid (0: the collection) in the last result, or NULL. */
static const struct alert_item *item(struct fixture *fx, const char *rule, int64_t cid)
{
    for (size_t i = 0; i < fx->r.nitems; i++)
        if (strcmp(alert_rule_name(fx->r.items[i].rule), rule) == 0 &&
            fx->r.items[i].community_id == cid)
            return &fx->r.items[i];
    return NULL;
}

static void expect_change(struct fixture *fx, const char *rule, int64_t cid,
                          enum alert_change change)
{
    const struct alert_item *it = item(fx, rule, cid);
    if (!it)
        fail_msg("no %s item for community %lld", rule, (long long)cid);
    assert_int_equal(it->change, change);
}

static void expect_none(struct fixture *fx, const char *rule, int64_t cid)
{
    const struct alert_item *it = item(fx, rule, cid);
    if (it)
        fail_msg("unexpected %s item (change %d) for community %lld", rule, it->change,
                 (long long)cid);
}

/* Only the rule under test: every other threshold is 0. */
static const char ONLY_POSTS[] = "no_posts_days = 14\nno_reactions_days = 0\n"
                                 "members_drop_percent = 0\nengagement_factor = 0\n"
                                 "stale_hours = 0\nfailed_runs = 0\ntoken_rejected = no\n";

/* ---- the rules ------------------------------------------------------------------------ */

static void test_alerts_no_posts(void **state)
{
    struct fixture *fx = *state;
    load_config(fx, ONLY_POSTS);
    post(fx, 1, T0 - 14 * DAY); /* exactly 14 days before the read: not more than 14 */
    post(fx, 2, T0 - DAY);
    run(fx, T0, "ok", COMPLETE, 100, NULL);
    evaluate(fx, T0 + 60);
    expect_none(fx, "no_posts", 1);
    assert_int_equal(fx->r.nactive, 0);

    /* A failed run's wall flag vouches for nothing. */
    run(fx, T0 + 5, "failed", COMPLETE, 100, "boom");
    evaluate(fx, T0 + 100);
    expect_none(fx, "no_posts", 1);

    /* More than 14 days at the next complete read of the wall: it fires. */
    run(fx, T0 + 10, "ok", WALL, 100, NULL);
    evaluate(fx, T0 + 120);
    expect_change(fx, "no_posts", 1, ALERT_STARTED);
    expect_none(fx, "no_posts", 2);
    assert_int_equal(item(fx, "no_posts", 1)->fig.days, 14);
    evaluate(fx, T0 + 180);
    expect_change(fx, "no_posts", 1, ALERT_ONGOING);

    /* A new post ends it. */
    post(fx, 1, T0 + 2 * DAY);
    run(fx, T0 + 3 * DAY, "partial", WALL, 100, NULL);
    evaluate(fx, T0 + 3 * DAY + 100);
    expect_change(fx, "no_posts", 1, ALERT_ENDED);
    assert_int_equal(fx->r.nactive, 0);
    assert_int_equal(count(fx, "SELECT count(*) FROM alert WHERE ended_at IS NOT NULL"), 1);
}

static void test_alerts_no_posts_needs_a_wall(void **state)
{
    struct fixture *fx = *state;
    load_config(fx, ONLY_POSTS);
    /* No complete wall read at all: not judged, and said so. */
    run(fx, T0, "ok", MEMBERS, 100, NULL);
    evaluate(fx, T0 + 60);
    expect_none(fx, "no_posts", 1);
    assert_true(fx->r.nskips >= 2);
    assert_string_equal(alert_rule_name(fx->r.skips[0].rule), "no_posts");
    /* An empty wall read back horizon_days fires with "none". */
    run(fx, T0 + HOUR, "ok", WALL, 100, NULL);
    evaluate(fx, T0 + 2 * HOUR);
    expect_change(fx, "no_posts", 1, ALERT_STARTED);
    assert_true(item(fx, "no_posts", 1)->fig.none);
}

static void test_alerts_no_reactions(void **state)
{
    struct fixture *fx = *state;
    load_config(fx, "no_posts_days = 0\nno_reactions_days = 14\nmembers_drop_percent = 0\n"
                    "engagement_factor = 0\nstale_hours = 0\nfailed_runs = 0\n");
    int64_t p1 = post(fx, 1, T0 - 100 * DAY), p2 = post(fx, 2, T0 - 100 * DAY);
    /* Likes the first read found are dated by their post: 100 days ago. */
    like(fx, 1, p1, 501, T0);
    like(fx, 2, p2, 501, T0);
    run(fx, T0, "ok", COMPLETE, 100, NULL);
    comment(fx, 1, p1, T0 + 5 * DAY);
    /* a like found by a later run is dated up to it (its bracket from the run before) */
    like(fx, 2, p2, 502, T0 + 5 * DAY);
    run(fx, T0 + 5 * DAY, "ok", COMPLETE, 100, NULL);
    run(fx, T0 + 19 * DAY, "ok", COMPLETE, 100, NULL); /* exactly 14 days later */
    evaluate(fx, T0 + 19 * DAY + 60);
    expect_none(fx, "no_reactions", 1);
    expect_none(fx, "no_reactions", 2);

    run(fx, T0 + 19 * DAY + 1, "ok", DETAILS, 100, NULL);
    evaluate(fx, T0 + 19 * DAY + 120);
    expect_change(fx, "no_reactions", 1, ALERT_STARTED);
    expect_change(fx, "no_reactions", 2, ALERT_STARTED);
    assert_int_equal(item(fx, "no_reactions", 1)->fig.since, T0 + 5 * DAY);

    /* A like (for one) and a comment (for two) end them. */
    like(fx, 1, p1, 503, T0 + 20 * DAY);
    comment(fx, 2, p2, T0 + 20 * DAY - 5);
    run(fx, T0 + 20 * DAY, "ok", COMPLETE, 100, NULL);
    evaluate(fx, T0 + 20 * DAY + 60);
    expect_change(fx, "no_reactions", 1, ALERT_ENDED);
    expect_change(fx, "no_reactions", 2, ALERT_ENDED);
}

static void test_alerts_no_reactions_counts_from_first_read(void **state)
{
    struct fixture *fx = *state;
    load_config(fx, "no_reactions_days = 14\nno_posts_days = 0\n");
    int64_t p = post(fx, 1, T0 - 100 * DAY);
    like(fx, 1, p, 501, T0); /* history only */
    run(fx, T0, "ok", COMPLETE, 100, NULL);
    run(fx, T0 + 14 * DAY, "ok", COMPLETE, 100, NULL);
    evaluate(fx, T0 + 14 * DAY + 60);
    expect_none(fx, "no_reactions", 1);
    run(fx, T0 + 15 * DAY, "ok", COMPLETE, 100, NULL);
    evaluate(fx, T0 + 15 * DAY + 60);
    expect_change(fx, "no_reactions", 1, ALERT_STARTED);
    assert_true(item(fx, "no_reactions", 1)->fig.none);
    assert_int_equal(item(fx, "no_reactions", 1)->fig.days, 15);
}

static const char ONLY_MEMBERS[] = "no_posts_days = 0\nno_reactions_days = 0\n"
                                   "members_drop_percent = 5\nengagement_factor = 0\n"
                                   "stale_hours = 0\nfailed_runs = 0\n";

static void test_alerts_members_drop(void **state)
{
    struct fixture *fx = *state;
    load_config(fx, ONLY_MEMBERS);
    run(fx, T0, "ok", COMPLETE, 1000, NULL);
    run(fx, T0 + 3 * DAY, "ok", COMPLETE, 2000, NULL); /* not a week before the next */
    run(fx, T0 + WEEK, "ok", COMPLETE, 950, NULL);     /* exactly 5 %: not more */
    evaluate(fx, T0 + WEEK + 60);
    expect_none(fx, "members_drop", 1);
    expect_none(fx, "members_drop", 2);

    /* A failed run's figure is ignored however low. */
    run(fx, T0 + WEEK + HOUR, "failed", COMPLETE, 10, "boom");
    evaluate(fx, T0 + WEEK + 2 * HOUR);
    expect_none(fx, "members_drop", 1);

    /* A weekly run that starts a little earlier than a week after still compares. */
    sql(fx, "UPDATE snapshot SET members_count = 1000 WHERE run_id = 3");
    run(fx, T0 + 2 * WEEK - 30, "ok", COMPLETE, 949, NULL);
    evaluate(fx, T0 + 2 * WEEK);
    expect_change(fx, "members_drop", 1, ALERT_STARTED);
    assert_int_equal(item(fx, "members_drop", 1)->fig.before, 1000);
    assert_int_equal(item(fx, "members_drop", 1)->fig.after, 949);

    run(fx, T0 + 3 * WEEK, "ok", COMPLETE, 949, NULL);
    evaluate(fx, T0 + 3 * WEEK + 60);
    expect_change(fx, "members_drop", 1, ALERT_ENDED);
}

static const char ONLY_ENGAGEMENT[] = "no_posts_days = 0\nno_reactions_days = 0\n"
                                      "members_drop_percent = 0\nengagement_factor = 0.5\n"
                                      "baseline_weeks = 4\nbaseline_min = 10\n"
                                      "stale_hours = 0\nfailed_runs = 0\n";

/* n comments on community 1 dated in the week ending at `end`. */
static void week_of_comments(struct fixture *fx, int64_t p, int64_t end, int n)
{
    for (int i = 0; i < n; i++)
        comment(fx, 1, p, end - WEEK + 1 + i * 1000);
}

static void test_alerts_engagement(void **state)
{
    struct fixture *fx = *state;
    load_config(fx, ONLY_ENGAGEMENT);
    int64_t p = post(fx, 1, T0 - DAY), q = post(fx, 2, T0 - DAY);
    int64_t ref = T0 + 6 * WEEK;
    run(fx, T0, "ok", COMPLETE, 100, NULL);
    for (int w = 1; w <= 4; w++)
        week_of_comments(fx, p, ref - w * WEEK, 20); /* baseline: 20 a week */
    week_of_comments(fx, p, ref, 10);                /* exactly half: not below */
    for (int i = 0; i < 5; i++)
        comment(fx, 2, q, ref - 2 * WEEK + i); /* community two: baseline too small */
    run(fx, ref, "ok", COMPLETE, 100, NULL);
    evaluate(fx, ref + 60);
    expect_none(fx, "engagement", 1);
    expect_none(fx, "engagement", 2);
    int skipped_two = 0;
    for (size_t i = 0; i < fx->r.nskips; i++)
        skipped_two |= strcmp(fx->r.skips[i].ref, "two") == 0 &&
                       fx->r.skips[i].rule == alert_rule_find("engagement");
    assert_true(skipped_two);

    /* One interaction fewer (a comment moves out of the week): it fires. */
    sql(fx,
        "UPDATE comment SET date = %lld WHERE id = (SELECT max(id) FROM comment WHERE owner_id "
        "= -1001 AND date > %lld)",
        (long long)(ref - 20 * WEEK), (long long)(ref - WEEK));
    evaluate(fx, ref + 120);
    expect_change(fx, "engagement", 1, ALERT_STARTED);
    assert_int_equal(item(fx, "engagement", 1)->fig.after, 9);

    /* The next week is busy again (likes dated inside the bracket of the runs count). */
    for (int i = 0; i < 25; i++)
        like(fx, 1, p, 900 + i, ref + WEEK);
    run(fx, ref + WEEK, "ok", COMPLETE, 100, NULL);
    evaluate(fx, ref + WEEK + 60);
    expect_change(fx, "engagement", 1, ALERT_ENDED);
}

static void test_alerts_engagement_needs_history(void **state)
{
    struct fixture *fx = *state;
    load_config(fx, ONLY_ENGAGEMENT);
    int64_t p = post(fx, 1, T0 - 60 * DAY);
    for (int w = 1; w <= 4; w++)
        week_of_comments(fx, p, T0 - w * WEEK, 20);
    /* The first read is the newest: the baseline's likes would be undated. */
    run(fx, T0, "ok", COMPLETE, 100, NULL);
    evaluate(fx, T0 + 60);
    expect_none(fx, "engagement", 1);
    assert_true(fx->r.nskips > 0);
    assert_int_equal(fx->r.skips[0].lack, LACK_HISTORY);
    assert_non_null(strstr(alert_lack_text(LACK_HISTORY, "ru"), "история"));
}

static const char ONLY_STALE[] = "no_posts_days = 0\nno_reactions_days = 0\n"
                                 "members_drop_percent = 0\nengagement_factor = 0\n"
                                 "stale_hours = 48\nfailed_runs = 0\n";

static void test_alerts_stale(void **state)
{
    struct fixture *fx = *state;
    load_config(fx, ONLY_STALE);
    run(fx, T0, "ok", COMPLETE, 100, NULL);
    /* Later runs complete only part of it. */
    run(fx, T0 + DAY, "partial", WALL | DETAILS, 100, NULL);
    evaluate(fx, T0 + 48 * HOUR);
    expect_none(fx, "stale", 1);
    evaluate(fx, T0 + 48 * HOUR + 1);
    expect_change(fx, "stale", 1, ALERT_STARTED);
    expect_change(fx, "stale", 2, ALERT_STARTED);
    assert_int_equal(item(fx, "stale", 1)->fig.days, 48);
    run(fx, T0 + 50 * HOUR, "ok", COMPLETE, 100, NULL);
    evaluate(fx, T0 + 50 * HOUR + 60);
    expect_change(fx, "stale", 1, ALERT_ENDED);
    expect_change(fx, "stale", 2, ALERT_ENDED);
}

static void test_alerts_stale_never_complete(void **state)
{
    struct fixture *fx = *state;
    load_config(fx, ONLY_STALE);
    evaluate(fx, T0); /* no run at all: nothing to say yet */
    assert_int_equal(fx->r.nitems, 0);
    run(fx, T0, "failed", 0, 100, "network");
    evaluate(fx, T0 + 49 * HOUR);
    expect_change(fx, "stale", 1, ALERT_STARTED);
    assert_true(item(fx, "stale", 1)->fig.none);
}

static const char ONLY_RUNS[] = "no_posts_days = 0\nno_reactions_days = 0\n"
                                "members_drop_percent = 0\nengagement_factor = 0\n"
                                "stale_hours = 0\nfailed_runs = 3\ntoken_rejected = yes\n";

static void test_alerts_failing(void **state)
{
    struct fixture *fx = *state;
    load_config(fx, ONLY_RUNS);
    run(fx, T0, "ok", COMPLETE, 100, NULL);
    run(fx, T0 + HOUR, "failed", 0, 100, "network error");
    run(fx, T0 + 2 * HOUR, "failed", 0, 100, "network error");
    sql(fx, "INSERT INTO run (started_at) VALUES (%lld)", (long long)(T0 + 3 * HOUR));
    evaluate(fx, T0 + 3 * HOUR + 1); /* two failed and one still running */
    expect_none(fx, "failing", 0);
    sql(fx, "UPDATE run SET status = 'failed', message = 'database is locked' WHERE status = "
            "'running'");
    fx->runs++;
    evaluate(fx, T0 + 4 * HOUR);
    expect_change(fx, "failing", 0, ALERT_STARTED);
    assert_int_equal(item(fx, "failing", 0)->fig.runs, 3);
    assert_string_equal(item(fx, "failing", 0)->fig.message, "database is locked");
    expect_none(fx, "token_rejected", 0);
    run(fx, T0 + 5 * HOUR, "partial", COMPLETE, 100, NULL);
    evaluate(fx, T0 + 5 * HOUR + 1);
    expect_change(fx, "failing", 0, ALERT_ENDED);
}

static void test_alerts_token_rejected(void **state)
{
    struct fixture *fx = *state;
    load_config(fx, ONLY_RUNS);
    run(fx, T0, "failed", 0, 100,
        "VK rejected the access token (error 5: User authorization failed: invalid access_token): "
        "get a new token");
    evaluate(fx, T0 + 60);
    expect_change(fx, "token_rejected", 0, ALERT_STARTED);
    assert_int_equal(item(fx, "token_rejected", 0)->fig.runs, 1);
    /* Failed for another reason: the token alert is over (the run may fail on). */
    run(fx, T0 + HOUR, "failed", 0, 100, "VK error 10: internal server error");
    evaluate(fx, T0 + HOUR + 60);
    expect_change(fx, "token_rejected", 0, ALERT_ENDED);
    /* The collector's tally of error 5 is enough. */
    int64_t id = run(fx, T0 + 2 * HOUR, "failed", 0, 100, "stopped");
    sql(fx, "INSERT INTO run_error (run_id, method, code, count) VALUES (%lld, 'execute', 5, 1)",
        (long long)id);
    evaluate(fx, T0 + 2 * HOUR + 60);
    expect_change(fx, "token_rejected", 0, ALERT_STARTED);
    expect_change(fx, "failing", 0, ALERT_STARTED);
    /* Turned off in the config: the open one ends. */
    load_config(fx, "token_rejected = no\n");
    evaluate(fx, T0 + 2 * HOUR + 120);
    expect_change(fx, "token_rejected", 0, ALERT_ENDED);
}

/* ---- state: announced once --------------------------------------------------------------- */

static void test_alerts_announced_once(void **state)
{
    struct fixture *fx = *state;
    load_config(fx, ONLY_POSTS);
    post(fx, 1, T0 - 30 * DAY);
    post(fx, 2, T0 - DAY);
    for (int i = 0; i < 10; i++) {
        run(fx, T0 + i * HOUR, "ok", COMPLETE, 100, NULL);
        evaluate(fx, T0 + i * HOUR + 60);
        expect_change(fx, "no_posts", 1, i == 0 ? ALERT_STARTED : ALERT_ONGOING);
        assert_int_equal(fx->r.nactive, 1);
        assert_int_equal(fx->r.queued, i == 0 ? 2 : 0); /* one per channel, once */
    }
    assert_int_equal(count(fx, "SELECT count(*) FROM alert"), 1);
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox WHERE event = 'start'"), 2);
    /* Both channels got it in their language. */
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox WHERE payload LIKE '%\"lang\":\"ru\"%' "
                               "AND payload LIKE '%нет новых публикаций 30 дней%'"),
                     1);
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox WHERE payload LIKE '%\"lang\":\"en\"%' "
                               "AND payload LIKE '%no new posts for 30 days%'"),
                     1);

    post(fx, 1, T0 + 10 * HOUR);
    for (int i = 10; i < 20; i++) {
        run(fx, T0 + i * HOUR, "ok", COMPLETE, 100, NULL);
        evaluate(fx, T0 + i * HOUR + 60);
        if (i == 10)
            expect_change(fx, "no_posts", 1, ALERT_ENDED);
        else
            expect_none(fx, "no_posts", 1);
        assert_int_equal(fx->r.nactive, 0);
    }
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox WHERE event = 'end'"), 2);
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox"), 4);
    /* The condition coming back is a new alert, announced again. */
    post(fx, 2, T0 + 39 * DAY);
    run(fx, T0 + 40 * DAY, "ok", COMPLETE, 100, NULL);
    evaluate(fx, T0 + 40 * DAY + 60);
    expect_change(fx, "no_posts", 1, ALERT_STARTED);
    assert_int_equal(count(fx, "SELECT count(*) FROM alert"), 2);
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox"), 6);
}

/* A community name of 128 Cyrillic letters (256 bytes) does not fit an alert's 256-byte
 * name: the cut falls between two letters, so the queued JSON and the mail made of it
 * stay valid UTF-8 and a strict receiver does not stall the channel (issue 22, B11). */
static void test_alerts_long_name_cut_between_letters(void **state)
{
    struct fixture *fx = *state;
    char name[300] = "";
    sqlite3_stmt *s;
    int payloads = 0;

    for (int i = 0; i < 128; i++)
        strcat(name, "Ж");
    load_config(fx, ONLY_POSTS);
    sql(fx, "UPDATE community SET name = %Q WHERE id = 1", name);
    post(fx, 1, T0 - 30 * DAY);
    post(fx, 2, T0 - DAY);
    run(fx, T0, "ok", COMPLETE, 100, NULL);
    evaluate(fx, T0 + 60);
    expect_change(fx, "no_posts", 1, ALERT_STARTED);
    const struct alert_item *it = item(fx, "no_posts", 1);
    assert_int_equal(strlen(it->name), 254);
    assert_true(text_utf8_valid(it->name, strlen(it->name)));
    assert_int_equal(sqlite3_prepare_v2(fx->d.w, "SELECT payload FROM outbox", -1, &s, NULL),
                     SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(s, 0);
        if (!text_utf8_valid(p, strlen(p)))
            fail_msg("payload not valid UTF-8 at byte %zu", text_utf8_check(p, strlen(p)));
        assert_non_null(strstr(p, "ЖЖЖ"));
        payloads++;
    }
    sqlite3_finalize(s);
    assert_int_equal(payloads, 2);
}

static void test_alerts_inactive_community_ends(void **state)
{
    struct fixture *fx = *state;
    load_config(fx, ONLY_POSTS);
    run(fx, T0, "ok", COMPLETE, 100, NULL);
    evaluate(fx, T0 + 60);
    expect_change(fx, "no_posts", 2, ALERT_STARTED);
    sql(fx, "UPDATE community SET active = 0 WHERE id = 2");
    evaluate(fx, T0 + 120);
    expect_change(fx, "no_posts", 2, ALERT_ENDED);
    /* The end names the community from what the alert kept. */
    assert_string_equal(item(fx, "no_posts", 2)->ref, "two");
}

/* ---- texts ---------------------------------------------------------------------------------- */

static void test_alerts_texts(void **state)
{
    struct alert_item it;
    char buf[768], when[48], day16[48];
    (void)state;

    memset(&it, 0, sizeof it);
    it.rule = alert_rule_find("no_posts");
    it.community_id = 5;
    snprintf(it.name, sizeof it.name, "Школы-лидеры");
    it.fig.since = T0;
    it.fig.days = 21;
    assert_non_null(strstr(alert_text(&it, "ru", buf, sizeof buf), "21 день"));
    it.fig.days = 3;
    assert_non_null(strstr(alert_text(&it, "ru", buf, sizeof buf), "3 дня"));
    it.fig.days = 11;
    assert_non_null(strstr(alert_text(&it, "ru", buf, sizeof buf), "11 дней"));
    it.fig.days = 1;
    assert_non_null(strstr(alert_text(&it, "en", buf, sizeof buf), "for 1 day "));
    /* Interactions agree with their number too (a review saw "33 взаимодействий"). */
    struct alert_item eng = it;
    eng.rule = alert_rule_find("engagement");
    eng.fig.after = 33;
    assert_non_null(strstr(alert_text(&eng, "ru", buf, sizeof buf), "33 взаимодействия "));
    eng.fig.after = 21;
    assert_non_null(strstr(alert_text(&eng, "ru", buf, sizeof buf), "21 взаимодействие "));
    eng.fig.after = 1;
    assert_non_null(strstr(alert_text(&eng, "en", buf, sizeof buf), "1 interaction "));
    /* The baseline is a mean of counts (fmt_mean): no spurious ",0", a decimal only under 10. */
    eng.fig.before = 17400;
    eng.fig.percent = 0.57;
    assert_non_null(strstr(alert_text(&eng, "ru", buf, sizeof buf), "— 1 % от обычных 174"));
    assert_null(strstr(buf, "174,0"));
    eng.fig.before = 132180;
    assert_non_null(strstr(alert_text(&eng, "en", buf, sizeof buf), "1% of the usual 1,322"));
    eng.fig.before = 250;
    assert_non_null(strstr(alert_text(&eng, "ru", buf, sizeof buf), "от обычных 2,5"));
    /* `vkpulse alerts` and the digest give times in the report's style, the zone with them. */
    fmt_date(LANG_RU, T0, 1, day16, sizeof day16);
    alerts_format_time(T0, "ru", when, sizeof when);
    assert_string_equal(when, day16);
    assert_true(when[2] == '.' && when[5] == '.');
    alerts_format_time(0, "en", when, sizeof when);
    assert_string_equal(when, "-");
    /* Dates in the language's format, as the report writes them. */
    char day[16];
    fmt_date(LANG_RU, T0, 0, day, sizeof day);
    assert_non_null(strstr(alert_text(&it, "ru", buf, sizeof buf), day));
    assert_true(day[2] == '.' && day[5] == '.');
    fmt_date(LANG_EN, T0, 0, day, sizeof day);
    assert_non_null(strstr(alert_text(&it, "en", buf, sizeof buf), day));
    it.change = ALERT_ENDED;
    assert_string_equal(alert_text(&it, "en", buf, sizeof buf), "«Школы-лидеры»: new posts again");

    memset(&it, 0, sizeof it);
    it.rule = alert_rule_find("members_drop");
    it.community_id = 2;
    snprintf(it.ref, sizeof it.ref, "rmo");
    snprintf(it.name, sizeof it.name, "РМО");
    it.vk_id = 200000002;
    it.fig.before = 1662;
    it.fig.after = 1463;
    it.fig.percent = 11.97;
    /* Digits grouped the language's way (fmt_number), the per cent sign fmt_percent's. */
    assert_non_null(strstr(alert_text(&it, "ru", buf, sizeof buf),
                           "12,0 % за неделю (1\u00a0662 → 1\u00a0463)"));
    assert_non_null(
        strstr(alert_text(&it, "en", buf, sizeof buf), "down 12.0% in a week (1,662 → 1,463)"));
    char *p = alert_payload(&it, "en");
    assert_non_null(p);
    assert_non_null(strstr(p, "\"event\":\"start\""));
    assert_non_null(strstr(p, "\"rule\":\"members_drop\""));
    assert_non_null(strstr(p, "\"url\":\"https://vk.com/club200000002\""));
    assert_non_null(strstr(p, "\"members_before\":1662"));
    free(p);
}

/* The weekly digest shows the report's figures: one with no snapshot near the week's start
 * has no change and no interactions, which the digest says (n/a, null), never as +0. */
/* The service's config: its weekly digest on Mondays at 0:00 UTC, a stdout channel. */
static void digest_config(struct fixture *fx)
{
    const char *src = getenv("VKP_SRC");
    char text[3 * PATH_MAX], rel[PATH_MAX], map[PATH_MAX];

    snprintf(rel, sizeof rel, "%s/config/regions/chelyabinsk.ini", src ? src : ".");
    assert_non_null(realpath(rel, map));
    snprintf(text, sizeof text,
             "[region]\ntimezone = UTC\nlang = en\nmunicipalities = %s\n"
             "[service]\nreport_weekday = mon\nreport_hour = 0\nreport_dir = %s/reports\n"
             "[community]\ngroup = one\nkind = rmo\nsurvey_name = One\n"
             "[community]\ngroup = two\nkind = community\nsurvey_name = Two\n"
             "[channel]\ntype = stdout\n",
             map, fx->d.dir);
    dbfix_config(&fx->d, text);
}

static void test_alerts_digest_unknown_is_na(void **state)
{
    struct fixture *fx = *state;
    char err[512];
    int made = 0;

    digest_config(fx);
    /* T0 is a Monday afternoon: one run on the Sunday, none near the week's start. */
    run(fx, T0 + 6 * DAY, "ok", COMPLETE, 1090, NULL);
    assert_int_equal(service_weekly(fx->d.st, fx->d.cfg, T0 + 7 * DAY, &made, err, sizeof err), 0);
    assert_int_equal(made, 1);
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox WHERE event = 'digest'"), 1);
    assert_int_equal(count(fx,
                           "SELECT json_extract(payload, '$.communities[0].members') FROM outbox"
                           " WHERE event = 'digest'"),
                     1090);
    assert_int_equal(count(fx, "SELECT json_extract(payload, '$.communities[0].members_change')"
                               " IS NULL AND json_extract(payload, '$.communities[0].interactions')"
                               " IS NULL FROM outbox WHERE event = 'digest'"),
                     1);
    assert_int_equal(count(fx, "SELECT instr(json_extract(payload, '$.text'),"
                               " 'members 1,090, posts 0, interactions n/a') > 0"
                               " AND instr(json_extract(payload, '$.text'), '+0') = 0"
                               " FROM outbox WHERE event = 'digest'"),
                     1);
}

/* A fresh install's first --watch: the week due ended before the first run, so there is
 * nothing to say of it: no digest, no report files, and the week counts as done. */
static void test_alerts_digest_none_before_install(void **state)
{
    struct fixture *fx = *state;
    char err[512];
    int made = 1;

    digest_config(fx);
    run(fx, T0 + 7 * DAY + HOUR, "ok", COMPLETE, 90, NULL);
    assert_int_equal(
        service_weekly(fx->d.st, fx->d.cfg, T0 + 7 * DAY + 2 * HOUR, &made, err, sizeof err), 0);
    assert_int_equal(made, 0);
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox"), 0);
    assert_int_equal(count(fx, "SELECT count(*) FROM digest"), 1);
    assert_int_equal(
        service_weekly(fx->d.st, fx->d.cfg, T0 + 7 * DAY + 3 * HOUR, &made, err, sizeof err), 0);
    assert_int_equal(made, 0);
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox"), 0);
    /* A week the first run fell in has data: its digest goes out. */
    assert_int_equal(
        service_weekly(fx->d.st, fx->d.cfg, T0 + 14 * DAY + HOUR, &made, err, sizeof err), 0);
    assert_int_equal(made, 1);
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox WHERE event = 'digest'"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alerts_no_posts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_long_name_cut_between_letters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_no_posts_needs_a_wall, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_no_reactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_no_reactions_counts_from_first_read, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_alerts_members_drop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_engagement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_engagement_needs_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_stale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_stale_never_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_failing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_token_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_announced_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_inactive_community_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_digest_unknown_is_na, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_digest_none_before_install, setup, teardown),
        cmocka_unit_test(test_alerts_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
