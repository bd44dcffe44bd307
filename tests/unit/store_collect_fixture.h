/* store_collect_fixture.h: the fixture of the collector's store tests: a fresh database with
 * two communities, writes as the collector makes them, reads through a second connection.
 * Included by test_store_collect.c and test_store_collect_posts.c only. */
#ifndef VKP_STORE_COLLECT_FIXTURE_H
#define VKP_STORE_COLLECT_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* dbfixture.h's crafting helpers are the alert tests'; only its database is used here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "dbfixture.h"
#pragma GCC diagnostic pop
#include "err.h"
#include "model.h"
#include "store_collect.h"
#include "vkapi.h"

/*
 * Each test runs on a fresh database in its own temp directory, written
 * through the store's collector API as a run of the collector would, and
 * read back through a separate read-only sqlite3 connection: what another
 * process (a report beside a running collector) would see.
 */

#define OWNER (-218375230)
#define T1 1717200000 /* the first run's time */
#define DAY 86400

/* ---- fixture ----------------------------------------------------------------- */

struct fixture {
    struct dbfix d;    /* the database, its config and directory */
    struct store *st;  /* the writer under test (d.st) */
    sqlite3 *ro;       /* the reader */
    int64_t com, com2; /* ids of the two configured communities */
    char err[1024];
};

static __attribute__((unused)) int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    struct store_community_state cs;

    if (!fx)
        return -1;
    *state = fx;
    if (dbfix_open(&fx->d, "test_store_collect",
                   "[community]\ngroup = rmo_neuspeh\nkind = rmo\n"
                   "survey_name = Профилактика школьной неуспешности обучающихся\n"
                   "[community]\ngroup = prof_two\nkind = community\n"
                   "survey_name = Использование потенциала школ-лидеров\n") != 0)
        return -1;
    fx->st = fx->d.st;
    if (store_community_state(fx->st, "rmo_neuspeh", &cs) != 0)
        return -1;
    fx->com = cs.id;
    if (store_community_state(fx->st, "prof_two", &cs) != 0)
        return -1;
    fx->com2 = cs.id;
    if (sqlite3_open_v2(fx->d.db, &fx->ro, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return -1;
    return 0;
}

static __attribute__((unused)) int teardown(void **state)
{
    struct fixture *fx = *state;
    sqlite3_close(fx->ro);
    dbfix_close(&fx->d);
    free(fx);
    return 0;
}

/* ---- reading back ------------------------------------------------------------ */

/* The statement of a query with printf-style arguments, stepped to its first row. */
static __attribute__((unused)) sqlite3_stmt *q_row(struct fixture *fx, const char *fmt, va_list ap)
{
    char sql[1024];
    sqlite3_stmt *s = NULL;
    int rc;

    vsnprintf(sql, sizeof sql, fmt, ap);
    if (sqlite3_prepare_v2(fx->ro, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(fx->ro));
    if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
        sqlite3_finalize(s);
        fail_msg("%s: no row (%d)", sql, rc);
    }
    return s;
}

/* The first column of the first row of a query with printf-style arguments. */
static __attribute__((unused)) int64_t q_int(struct fixture *fx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static __attribute__((unused)) int64_t q_int(struct fixture *fx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sqlite3_stmt *s = q_row(fx, fmt, ap);
    va_end(ap);
    int64_t v = sqlite3_column_type(s, 0) == SQLITE_NULL ? INT64_MIN : sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* The same for a text column; "(null)" for NULL. The result lives until the next call. */
static __attribute__((unused)) const char *q_text(struct fixture *fx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static __attribute__((unused)) const char *q_text(struct fixture *fx, const char *fmt, ...)
{
    static char out[1024];
    va_list ap;
    va_start(ap, fmt);
    sqlite3_stmt *s = q_row(fx, fmt, ap);
    va_end(ap);
    const unsigned char *t = sqlite3_column_text(s, 0);
    snprintf(out, sizeof out, "%s", t ? (const char *)t : "(null)");
    sqlite3_finalize(s);
    return out;
}

/* A figure of community com's snapshot in run: `expr` over the snapshot's columns. */
static __attribute__((unused)) int64_t snap_int(struct fixture *fx, int64_t run, int64_t com,
                                                const char *expr)
{
    return q_int(fx, "SELECT %s FROM snapshot WHERE run_id = %lld AND community_id = %lld", expr,
                 (long long)run, (long long)com);
}

#define NUL INT64_MIN /* what q_int returns for SQL NULL */

/* ---- writing, as the collector does ---------------------------------------------- */

static __attribute__((unused)) void ok(struct fixture *fx, int rc, const char *what)
{
    if (rc != 0)
        fail_msg("%s: %d %s", what, rc, store_errmsg(fx->st));
}

static __attribute__((unused)) int64_t run_begin(struct fixture *fx, int64_t now)
{
    int64_t id = 0;
    ok(fx, store_run_begin(fx->st, now, &id), "store_run_begin");
    assert_true(id > 0);
    return id;
}

/* Members from a list of ids; ids over 1000 have no city, the rest a city of their own. */
static __attribute__((unused)) void page(struct fixture *fx, int64_t run, int64_t com, int64_t now,
                                         const int64_t *ids, size_t n, int keep_names)
{
    struct vk_user u[64];
    char titles[64][32];
    assert_true(n <= 64);
    memset(u, 0, sizeof u);
    for (size_t i = 0; i < n; i++) {
        u[i].id = ids[i];
        if (ids[i] < 1000) {
            u[i].city_id = 100 + ids[i];
            snprintf(titles[i], sizeof titles[i], "Город %lld", (long long)ids[i]);
            u[i].city_title = titles[i];
        }
        u[i].first_name = "Имя";
        u[i].last_name = "Фамилия";
    }
    ok(fx, store_members_page(fx->st, run, com, now, u, n, keep_names, NULL), "store_members_page");
}

/* One whole member list in one transaction, as the collector folds it in; returns joins/leaves. */
static __attribute__((unused)) void members_run(struct fixture *fx, int64_t run, int64_t com,
                                                int64_t now, const int64_t *ids, size_t n,
                                                int64_t *joined, int64_t *left)
{
    ok(fx, store_begin(fx->st), "store_begin");
    /* Two pages, as paging would deliver them. */
    page(fx, run, com, now, ids, n / 2, 0);
    page(fx, run, com, now, ids + n / 2, n - n / 2, 0);
    ok(fx, store_members_complete(fx->st, run, com, now, joined, left), "store_members_complete");
    ok(fx, store_commit(fx->st), "store_commit");
}

static __attribute__((unused)) struct vk_post post(int64_t id, int64_t date, int64_t likes,
                                                   int64_t comments, int64_t reposts)
{
    struct vk_post p;
    memset(&p, 0, sizeof p);
    p.owner_id = OWNER;
    p.id = id;
    p.from_id = OWNER;
    p.date = date;
    p.post_type = "post";
    p.views = 10 * likes + 1;
    p.likes = likes;
    p.comments = comments;
    p.reposts = reposts;
    return p;
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

#endif
