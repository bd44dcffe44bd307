/* test_store.c: cmocka tests of the SQLite store (core/store.h): creating, migrating and
 * opening a database; the communities' sync and reads are in test_store_communities.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_fixture.h"

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

/* store_migrate fails, applies nothing, leaves the database at version and
 * the connection usable again (no transaction left open). */
static void migrate_refused(struct fixture *fx, int version)
{
    int applied = -1;

    assert_true(store_migrate(fx->st, -1, &applied) < 0);
    assert_int_equal(applied, 0);
    assert_int_equal(store_version(fx->st), version);
    assert_int_equal(sqlite3_get_autocommit(fx->st->db), 1);
}

/* A migration that fails half-way leaves the database exactly as it was:
 * here migration 0001 succeeds and 0002 then fails on a table that is in
 * the way, so neither may remain. */
static void test_store_failed_migration_rolls_back(void **state)
{
    struct fixture *fx = *state;

    open_ok(fx, STORE_CREATE);
    close_store(fx);
    sql(fx->db, "PRAGMA application_id = 1986752620;" /* 0x766b706c, "vkpl": ours */
                "CREATE TABLE alert (x INTEGER);"
                "INSERT INTO alert VALUES (42);");
    open_ok(fx, STORE_CREATE);
    assert_int_equal(store_version(fx->st), 0);
    migrate_refused(fx, 0);
    assert_non_null(strstr(store_errmsg(fx->st), "0002"));
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

    create_db(fx, 1);
    assert_int_equal(sqlite3_exec(fx->st->db, "PRAGMA query_only = ON", NULL, NULL, NULL),
                     SQLITE_OK);
    migrate_refused(fx, 1);
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

/* The statement cache grows: far more statements than its first table holds are all
 * kept, each prepared once and found again by its text's address. */
static void test_store_statement_cache_grows(void **state)
{
    enum { N = 300 };
    static char sql[N][32];
    sqlite3_stmt *first[N];
    struct fixture *fx = *state;

    open_ok(fx, STORE_CREATE);
    for (int i = 0; i < N; i++) {
        snprintf(sql[i], sizeof sql[i], "SELECT %d", i);
        first[i] = store_stmt(fx->st, sql[i]);
        assert_non_null(first[i]);
    }
    assert_int_equal(fx->st->ncache, N);
    assert_true(fx->st->capcache >= 2 * N);
    for (int i = 0; i < N; i++) {
        sqlite3_stmt *s = store_stmt(fx->st, sql[i]);
        assert_ptr_equal(s, first[i]);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(s, 0), i);
    }
    assert_int_equal(fx->st->ncache, N);
}

/* The single-row reader: columns in SELECT order, a missing row an error or a "none". */
static void test_store_one_row(void **state)
{
    static const char one[] = "SELECT 7, 'seven', 2.5, NULL";
    static const char none[] = "SELECT 1 WHERE 0";
    struct fixture *fx = *state;
    int64_t n = 0;
    char text[8], empty[8] = "x";
    double d = 0;
    int found = -1;

    open_ok(fx, STORE_CREATE);
    assert_int_equal(store_one(fx->st, store_stmt(fx->st, one), "one", NULL, "Isds", &n, text,
                               sizeof text, &d, empty, sizeof empty),
                     0);
    assert_int_equal(n, 7);
    assert_string_equal(text, "seven");
    assert_true(d == 2.5);
    assert_string_equal(empty, "");
    assert_int_equal(store_one(fx->st, store_stmt(fx->st, none), "none", &found, "I", &n), 0);
    assert_int_equal(found, 0);
    assert_int_equal(n, 7);
    assert_int_equal(store_one(fx->st, store_stmt(fx->st, none), "cannot read x", NULL, "I", &n),
                     VKP_EDB);
    assert_string_equal(store_errmsg(fx->st), "cannot read x: no row");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    /* clang-format off: one test a line */
    const struct CMUnitTest tests[] = {
        T(test_store_init_creates_private_wal_db),
        T(test_store_statement_cache_grows),
        T(test_store_one_row),
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
    };
    /* clang-format on */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
