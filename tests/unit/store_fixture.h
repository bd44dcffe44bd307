/* store_fixture.h: what the store's tests share (test_store.c, test_store_communities.c): a
 * private temp directory per test holding the database, and SQL on a connection of its own.
 * Static inline: each test file includes it once and uses what it needs. */
#ifndef VKP_TEST_STORE_FIXTURE_H
#define VKP_TEST_STORE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "err.h"
#include "migrations.h"
#include "store.h"
/* White-box only to read the connection's own pragmas (foreign_keys is per
 * connection, so another connection cannot see it). */
#include "store_int.h"

/* ---- helpers --------------------------------------------------------------- */

/* A private temp directory per test, holding the database. */
struct fixture {
    char dir[64];     /* /tmp/vkp_test_store_XXXXXX */
    char db[256];     /* dir/test.db */
    struct store *st; /* the store under test, freed by the teardown */
    char err[1024];   /* the last error message */
};

static inline int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/vkp_test_store_XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    snprintf(fx->db, sizeof fx->db, "%s/test.db", fx->dir);
    *state = fx;
    return 0;
}

static inline int teardown(void **state)
{
    struct fixture *fx = *state;
    char path[PATH_MAX];
    struct dirent *de;
    DIR *d;

    store_free(fx->st);
    d = opendir(fx->dir);
    while (d && (de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", fx->dir, de->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

static inline void open_ok(struct fixture *fx, enum store_mode mode)
{
    int rc = store_open(fx->db, mode, &fx->st, fx->err, sizeof fx->err);
    if (rc != 0)
        print_error("store_open: %s\n", fx->err);
    assert_int_equal(rc, 0);
    assert_non_null(fx->st);
}

static inline void close_store(struct fixture *fx)
{
    store_free(fx->st);
    fx->st = NULL;
}

/* Opens with STORE_CREATE and migrates to target (all when < 0). */
static inline void create_db(struct fixture *fx, int target)
{
    int applied = -1;
    open_ok(fx, STORE_CREATE);
    int rc = store_migrate(fx->st, target, &applied);
    if (rc != 0)
        print_error("store_migrate: %s\n", store_errmsg(fx->st));
    assert_int_equal(rc, 0);
    assert_int_equal(store_version(fx->st), target < 0 ? store_latest_version() : target);
}

/* Runs SQL on its own connection to the file, as another program would. */
static inline void sql(const char *path, const char *text)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    int rc = sqlite3_exec(db, text, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        print_error("sql: %s\n", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* The first column of the first row of a query, as an integer. */
static inline int64_t sql_int(sqlite3 *db, const char *text)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, text, -1, &s, NULL);
    if (rc != SQLITE_OK)
        print_error("sql_int: %s\n", sqlite3_errmsg(db));
    assert_int_equal(rc, SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static inline int64_t file_sql_int(const char *path, const char *text)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int64_t v = sql_int(db, text);
    sqlite3_close(db);
    return v;
}

/* The whole file, heap; *len gets its size. */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static inline int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Checks that path still holds exactly want[0..len) and that no -wal,
 * -shm or -journal file appeared beside it. */
static inline void assert_untouched(const char *path, const char *want, size_t len)
{
    char side[PATH_MAX];
    size_t n;
    char *now = slurp(path, &n);
    assert_int_equal(n, len);
    assert_memory_equal(now, want, len);
    free(now);
    static const char *const suffixes[] = {"-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
        assert_false(exists(side));
    }
}

static inline int table_index(const char *name)
{
    const char *const *names = store_table_names();
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    fail_msg("no table '%s' in store_table_names()", name);
    return -1;
}

static inline int64_t count_rows(struct store *st, const char *table)
{
    int64_t n = -1;
    assert_int_equal(store_count_rows(st, table_index(table), &n), 0);
    return n;
}

/* What store_each_community reported, copied out of the callback. */
struct seen {
    int n;
    struct {
        int64_t id;
        char ref[64];
        char kind[16];
        int has_name;
        int active;
        int64_t last_ok_at, members_count, members_current, posts, vk_id;
    } c[16];
    int stop_after; /* return VKP_EINTERRUPTED after this many (0: never) */
};

static inline int collect_cb(void *ud, const struct store_community_info *c)
{
    struct seen *s = ud;
    assert_true(s->n < 16);
    s->c[s->n].id = c->id;
    snprintf(s->c[s->n].ref, sizeof s->c[s->n].ref, "%s", c->ref);
    snprintf(s->c[s->n].kind, sizeof s->c[s->n].kind, "%s", c->kind);
    s->c[s->n].has_name = c->name != NULL;
    s->c[s->n].active = c->active;
    s->c[s->n].last_ok_at = c->last_ok_at;
    s->c[s->n].members_count = c->members_count;
    s->c[s->n].members_current = c->members_current;
    s->c[s->n].posts = c->posts;
    s->c[s->n].vk_id = c->vk_id;
    s->n++;
    if (s->stop_after && s->n == s->stop_after)
        return VKP_EINTERRUPTED;
    return 0;
}

/* A config with just communities, as store_sync_communities reads it. */
struct test_cfg {
    struct config cfg;
    struct config_community com[8];
};

static inline void add_community(struct test_cfg *t, const char *group, enum community_kind kind,
                                 const char *survey_name)
{
    t->cfg.communities = t->com;
    t->com[t->cfg.ncommunities].group = (char *)group;
    t->com[t->cfg.ncommunities].kind = kind;
    t->com[t->cfg.ncommunities].survey_name = (char *)survey_name;
    t->com[t->cfg.ncommunities].line = (int)t->cfg.ncommunities + 1;
    t->cfg.ncommunities++;
}

#endif
