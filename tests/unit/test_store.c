/* test_store.c: cmocka tests of the SQLite store (core/store.h). */
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

static int setup(void **state)
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

static int teardown(void **state)
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

static void open_ok(struct fixture *fx, enum store_mode mode)
{
    int rc = store_open(fx->db, mode, &fx->st, fx->err, sizeof fx->err);
    if (rc != 0)
        print_error("store_open: %s\n", fx->err);
    assert_int_equal(rc, 0);
    assert_non_null(fx->st);
}

static void close_store(struct fixture *fx)
{
    store_free(fx->st);
    fx->st = NULL;
}

/* Opens with STORE_CREATE and migrates to target (all when < 0). */
static void create_db(struct fixture *fx, int target)
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
static void sql(const char *path, const char *text)
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
static int64_t sql_int(sqlite3 *db, const char *text)
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

static int64_t file_sql_int(const char *path, const char *text)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int64_t v = sql_int(db, text);
    sqlite3_close(db);
    return v;
}

/* The whole file, heap; *len gets its size. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Checks that path still holds exactly want[0..len) and that no -wal,
 * -shm or -journal file appeared beside it. */
static void assert_untouched(const char *path, const char *want, size_t len)
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

static int table_index(const char *name)
{
    const char *const *names = store_table_names();
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    fail_msg("no table '%s' in store_table_names()", name);
    return -1;
}

static int64_t count_rows(struct store *st, const char *table)
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

static int collect_cb(void *ud, const struct store_community_info *c)
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

static void add_community(struct test_cfg *t, const char *group, enum community_kind kind,
                          const char *survey_name)
{
    t->cfg.communities = t->com;
    t->com[t->cfg.ncommunities].group = (char *)group;
    t->com[t->cfg.ncommunities].kind = kind;
    t->com[t->cfg.ncommunities].survey_name = (char *)survey_name;
    t->com[t->cfg.ncommunities].line = (int)t->cfg.ncommunities + 1;
    t->cfg.ncommunities++;
}

/* ---- creating and migrating ------------------------------------------------ */

static void test_store_init_creates_private_wal_db(void **state)
{
    struct fixture *fx = *state;
    char wal[PATH_MAX];
    struct stat sb;
    int applied = -1;

    /* Even with a permissive umask the database is private. */
    mode_t old = umask(0);
    open_ok(fx, STORE_CREATE);
    assert_int_equal(store_version(fx->st), 0);
    assert_int_equal(store_migrate(fx->st, -1, &applied), 0);
    umask(old);
    /* every migration ran; versions may skip numbers (0003 is another branch's) */
    assert_int_equal(applied, migrations_count);
    assert_true(store_latest_version() >= 2);
    assert_int_equal(store_version(fx->st), store_latest_version());

    assert_int_equal(stat(fx->db, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    snprintf(wal, sizeof wal, "%s-wal", fx->db);
    assert_int_equal(stat(wal, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);

    assert_int_equal(sql_int(fx->st->db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(sql_int(fx->st->db, "PRAGMA user_version"), store_latest_version());
    close_store(fx);

    /* What a fresh connection sees: WAL is persistent, and the file is marked as ours. */
    assert_int_equal(file_sql_int(fx->db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"),
                     1);
    assert_int_equal(file_sql_int(fx->db, "PRAGMA user_version"), store_latest_version());
    assert_int_equal(file_sql_int(fx->db, "PRAGMA application_id"), 0x766b706c);
    assert_int_equal(file_sql_int(fx->db, "SELECT count(*) FROM sqlite_schema WHERE type = "
                                          "'table' AND name IN ('community', 'run', 'alert')"),
                     3);

    /* Reopened as existing and read-only: foreign keys are on in every mode. */
    open_ok(fx, STORE_EXISTING);
    assert_int_equal(sql_int(fx->st->db, "PRAGMA foreign_keys"), 1);
    close_store(fx);
    open_ok(fx, STORE_READONLY);
    assert_int_equal(sql_int(fx->st->db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(store_version(fx->st), store_latest_version());
}

static void test_store_migrate_twice_is_noop(void **state)
{
    struct fixture *fx = *state;
    int applied = -1;

    create_db(fx, -1);
    assert_int_equal(store_migrate(fx->st, -1, &applied), 0);
    assert_int_equal(applied, 0);
    assert_int_equal(store_version(fx->st), store_latest_version());
    close_store(fx);

    /* And again through a new connection, as a second `vkpulse init` does. */
    open_ok(fx, STORE_CREATE);
    assert_int_equal(store_migrate(fx->st, -1, &applied), 0);
    assert_int_equal(applied, 0);
    assert_int_equal(store_migrate(fx->st, -1, NULL), 0);
    assert_int_equal(store_version(fx->st), store_latest_version());
}

static void test_store_old_database_upgraded_with_data(void **state)
{
    struct fixture *fx = *state;
    struct test_cfg t = {0};
    struct store_run_info run;
    struct seen seen = {0};
    int applied = -1;

    /* A database as the first release left it: schema 1, with data. */
    add_community(&t, "rmo_one", COMMUNITY_RMO, "Первое РМО");
    add_community(&t, "prof_two", COMMUNITY_PROF, "Второе сообщество");
    open_ok(fx, STORE_CREATE);
    assert_int_equal(store_migrate(fx->st, 1, &applied), 0);
    assert_int_equal(applied, 1);
    assert_int_equal(store_version(fx->st), 1);
    assert_int_equal(store_sync_communities(fx->st, &t.cfg), 0);
    close_store(fx);
    sql(fx->db, "INSERT INTO run (id, started_at, finished_at, status, requests, calls)"
                " VALUES (7, 1700000000, 1700000100, 'ok', 12, 40);"
                "INSERT INTO snapshot (run_id, community_id, taken_at, members_count, members_ok,"
                " wall_ok, details_ok) VALUES (7, 1, 1700000050, 321, 1, 1, 1);");
    assert_int_equal(file_sql_int(fx->db, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                          "'survey_response'"),
                     0);

    /* The current binary refuses to use it until `vkpulse init`... */
    assert_int_equal(store_open(fx->db, STORE_EXISTING, &fx->st, fx->err, sizeof fx->err),
                     VKP_EDBVERSION);
    assert_null(fx->st);
    assert_int_equal(store_open(fx->db, STORE_READONLY, &fx->st, fx->err, sizeof fx->err),
                     VKP_EDBVERSION);
    assert_null(fx->st);

    /* ...which upgrades it and keeps the data. */
    open_ok(fx, STORE_CREATE);
    assert_int_equal(store_version(fx->st), 1);
    assert_int_equal(store_migrate(fx->st, -1, &applied), 0);
    assert_int_equal(applied, migrations_count - 1);
    assert_int_equal(store_version(fx->st), store_latest_version());
    close_store(fx);

    open_ok(fx, STORE_EXISTING);
    assert_int_equal(count_rows(fx->st, "community"), 2);
    assert_int_equal(count_rows(fx->st, "run"), 1);
    assert_int_equal(count_rows(fx->st, "snapshot"), 1);
    assert_int_equal(count_rows(fx->st, "survey_response"), 0);
    assert_int_equal(count_rows(fx->st, "alert"), 0);
    assert_int_equal(store_last_run(fx->st, &run), 0);
    assert_int_equal(run.id, 7);
    assert_string_equal(run.status, "ok");
    assert_int_equal(run.requests, 12);
    assert_int_equal(run.calls, 40);
    assert_int_equal(store_each_community(fx->st, collect_cb, &seen), 0);
    assert_int_equal(seen.n, 2);
    assert_string_equal(seen.c[0].ref, "rmo_one");
    assert_int_equal(seen.c[0].members_count, 321);
    assert_int_equal(seen.c[0].last_ok_at, 1700000050);
    assert_string_equal(seen.c[1].ref, "prof_two");
    assert_string_equal(seen.c[1].kind, "community");
    assert_int_equal(file_sql_int(fx->db, "SELECT count(*) FROM community WHERE survey_name = "
                                          "'Второе сообщество'"),
                     1);
}

/* A migration that fails half-way leaves the database exactly as it was:
 * here migration 0001 succeeds and 0002 then fails on a table that is in
 * the way, so neither may remain. */
static void test_store_failed_migration_rolls_back(void **state)
{
    struct fixture *fx = *state;
    int applied = -1;

    open_ok(fx, STORE_CREATE);
    close_store(fx);
    sql(fx->db, "PRAGMA application_id = 1986752620;" /* 0x766b706c, "vkpl": ours */
                "CREATE TABLE alert (x INTEGER);"
                "INSERT INTO alert VALUES (42);");
    open_ok(fx, STORE_CREATE);
    assert_int_equal(store_version(fx->st), 0);
    int rc = store_migrate(fx->st, -1, &applied);
    assert_true(rc < 0);
    assert_int_equal(applied, 0);
    assert_non_null(strstr(store_errmsg(fx->st), "0002"));
    assert_int_equal(store_version(fx->st), 0);
    /* The connection is usable again (no transaction left open). */
    assert_int_equal(sqlite3_get_autocommit(fx->st->db), 1);
    close_store(fx);

    assert_int_equal(file_sql_int(fx->db, "PRAGMA user_version"), 0);
    assert_int_equal(file_sql_int(fx->db, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                          "('community', 'run', 'survey_import')"),
                     0);
    assert_int_equal(file_sql_int(fx->db, "SELECT x FROM alert"), 42);

    /* Once the obstacle is gone the same migration succeeds in full. */
    sql(fx->db, "DROP TABLE alert;");
    create_db(fx, -1);
}

/* A migration on a connection that cannot write fails and changes nothing.
 * File permissions cannot show it (the tests may run as root, who writes
 * any file), so the connection is made query-only. */
static void test_store_migrate_readonly_changes_nothing(void **state)
{
    struct fixture *fx = *state;
    int applied = -1;

    create_db(fx, 1);
    assert_int_equal(sqlite3_exec(fx->st->db, "PRAGMA query_only = ON", NULL, NULL, NULL),
                     SQLITE_OK);
    int rc = store_migrate(fx->st, -1, &applied);
    assert_true(rc < 0);
    assert_int_equal(applied, 0);
    assert_int_equal(store_version(fx->st), 1);
    assert_int_equal(sqlite3_get_autocommit(fx->st->db), 1);
    close_store(fx);
    assert_int_equal(file_sql_int(fx->db, "PRAGMA user_version"), 1);
    assert_int_equal(file_sql_int(fx->db, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                          "'survey_import'"),
                     0);
}

/* A schema newer than the binary knows is refused in every mode, untouched. */
static void test_store_newer_schema_refused(void **state)
{
    struct fixture *fx = *state;
    static const enum store_mode modes[] = {STORE_CREATE, STORE_EXISTING, STORE_READONLY};

    create_db(fx, -1);
    close_store(fx);
    sql(fx->db, "PRAGMA user_version = 9999;");
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(store_open(fx->db, modes[i], &fx->st, fx->err, sizeof fx->err),
                         VKP_EDBVERSION);
        assert_null(fx->st);
        assert_non_null(strstr(fx->err, "upgrade vkpulse"));
    }
    assert_int_equal(file_sql_int(fx->db, "PRAGMA user_version"), 9999);
}

/* ---- refusing files that are not ours -------------------------------------- */

static void test_store_text_file_is_not_db(void **state)
{
    struct fixture *fx = *state;
    static const char text[] =
        "[database]\npath = vkpulse.db\n# a config, given as the database by mistake\n"
        "Это не база данных, а обычный текстовый файл. Он должен остаться как есть.\n"
        "0123456789012345678901234567890123456789012345678901234567890123456789\n";
    static const enum store_mode modes[] = {STORE_CREATE, STORE_EXISTING, STORE_READONLY};

    FILE *f = fopen(fx->db, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, sizeof text - 1, f), sizeof text - 1);
    fclose(f);
    for (size_t i = 0; i < 3; i++) {
        fx->err[0] = '\0';
        assert_int_equal(store_open(fx->db, modes[i], &fx->st, fx->err, sizeof fx->err),
                         VKP_ENOTDB);
        assert_null(fx->st);
        assert_non_null(strstr(fx->err, fx->db));
        assert_non_null(strstr(fx->err, "untouched"));
        assert_untouched(fx->db, text, sizeof text - 1);
    }
}

/* Shorter than a SQLite header: still refused, still untouched. */
static void test_store_short_text_file_is_not_db(void **state)
{
    struct fixture *fx = *state;
    static const char text[] = "hello\n";

    FILE *f = fopen(fx->db, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, sizeof text - 1, f), sizeof text - 1);
    fclose(f);
    assert_int_equal(store_open(fx->db, STORE_CREATE, &fx->st, fx->err, sizeof fx->err),
                     VKP_ENOTDB);
    assert_null(fx->st);
    assert_untouched(fx->db, text, sizeof text - 1);
}

static void test_store_other_programs_db_untouched(void **state)
{
    struct fixture *fx = *state;
    static const enum store_mode modes[] = {STORE_CREATE, STORE_EXISTING, STORE_READONLY};
    size_t len;

    sql(fx->db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                "INSERT INTO notes (body) VALUES ('keep me');");
    char *before = slurp(fx->db, &len);
    for (size_t i = 0; i < 3; i++) {
        fx->err[0] = '\0';
        assert_int_equal(store_open(fx->db, modes[i], &fx->st, fx->err, sizeof fx->err),
                         VKP_ENOTDB);
        assert_null(fx->st);
        assert_non_null(strstr(fx->err, "another program"));
        assert_untouched(fx->db, before, len);
    }
    free(before);

    /* The same with no table but a user_version of its own. */
    unlink(fx->db);
    sql(fx->db, "PRAGMA user_version = 1;");
    before = slurp(fx->db, &len);
    assert_int_equal(store_open(fx->db, STORE_CREATE, &fx->st, fx->err, sizeof fx->err),
                     VKP_ENOTDB);
    assert_untouched(fx->db, before, len);
    free(before);
}

static void test_store_existing_missing_file(void **state)
{
    struct fixture *fx = *state;

    assert_int_equal(store_open(fx->db, STORE_EXISTING, &fx->st, fx->err, sizeof fx->err),
                     VKP_ENOTFOUND);
    assert_null(fx->st);
    assert_non_null(strstr(fx->err, fx->db));
    assert_non_null(strstr(fx->err, "vkpulse init"));
    assert_false(exists(fx->db));
    assert_int_equal(store_open(fx->db, STORE_READONLY, &fx->st, fx->err, sizeof fx->err),
                     VKP_ENOTFOUND);
    assert_false(exists(fx->db));
}

static void test_store_existing_old_schema(void **state)
{
    struct fixture *fx = *state;

    create_db(fx, 1);
    close_store(fx);
    assert_int_equal(store_open(fx->db, STORE_EXISTING, &fx->st, fx->err, sizeof fx->err),
                     VKP_EDBVERSION);
    assert_null(fx->st);
    assert_non_null(strstr(fx->err, fx->db));
    assert_non_null(strstr(fx->err, "vkpulse init"));
    assert_int_equal(file_sql_int(fx->db, "PRAGMA user_version"), 1);

    /* A created but never migrated file (init interrupted) is old too. */
    unlink(fx->db);
    open_ok(fx, STORE_CREATE);
    close_store(fx);
    assert_int_equal(store_open(fx->db, STORE_EXISTING, &fx->st, fx->err, sizeof fx->err),
                     VKP_EDBVERSION);
    assert_null(fx->st);
}

static void test_store_create_in_missing_directory(void **state)
{
    struct fixture *fx = *state;
    char path[PATH_MAX];

    snprintf(path, sizeof path, "%s/no/such/dir/x.db", fx->dir);
    assert_int_equal(store_open(path, STORE_CREATE, &fx->st, fx->err, sizeof fx->err), VKP_EIO);
    assert_null(fx->st);
    assert_non_null(strstr(fx->err, path));
}

static void test_store_free_null(void **state)
{
    (void)state;
    store_free(NULL);
}

/* ---- communities ----------------------------------------------------------- */

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
        T(test_store_init_creates_private_wal_db),
        T(test_store_migrate_twice_is_noop),
        T(test_store_old_database_upgraded_with_data),
        T(test_store_failed_migration_rolls_back),
        T(test_store_migrate_readonly_changes_nothing),
        T(test_store_newer_schema_refused),
        T(test_store_text_file_is_not_db),
        T(test_store_short_text_file_is_not_db),
        T(test_store_other_programs_db_untouched),
        T(test_store_existing_missing_file),
        T(test_store_existing_old_schema),
        T(test_store_create_in_missing_directory),
        T(test_store_free_null),
        T(test_store_sync_communities),
        T(test_store_sync_by_vk_id),
        T(test_store_community_claim_merges),
        T(test_store_reads_empty_db),
        T(test_store_reads_populated_db),
        T(test_store_foreign_keys_enforced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
