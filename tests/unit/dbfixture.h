/* dbfixture.h: what the alert and delivery tests share: a fresh database in its own temp
 * directory, a config written for it, and a second sqlite3 connection that crafts rows as a
 * collector would have left them. Static functions: each test file includes it once. */
#ifndef VKP_TEST_DBFIXTURE_H
#define VKP_TEST_DBFIXTURE_H

#include <dirent.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "service.h"
#include "store.h"
#include "week.h"

/* One test's database. */
struct dbfix {
    char dir[64];       /* /tmp/vkp_<name>_XXXXXX */
    char db[256];       /* dir/t.db */
    char ini[256];      /* dir/t.ini */
    struct config *cfg; /* loaded from ini */
    struct store *st;   /* the store under test */
    sqlite3 *w;         /* the crafting connection */
};

/* dbfix_config: write "[database] path" followed by text as the config and load it. */
static void dbfix_config(struct dbfix *d, const char *text)
{
    FILE *f = fopen(d->ini, "w");
    char err[1024];
    assert_non_null(f);
    fprintf(f, "[database]\npath = %s\n%s", d->db, text);
    fclose(f);
    config_free(d->cfg);
    d->cfg = NULL;
    if (config_load(d->ini, &d->cfg, err, sizeof err) != 0)
        fail_msg("config: %s", err);
}

/* dbfix_open: the directory, the config, a migrated database with its communities, local
 * time in UTC. Returns 0 or -1 (for a cmocka setup). */
static int dbfix_open(struct dbfix *d, const char *name, const char *config)
{
    char err[1024];
    snprintf(d->dir, sizeof d->dir, "/tmp/vkp_%s_XXXXXX", name);
    if (!mkdtemp(d->dir))
        return -1;
    snprintf(d->db, sizeof d->db, "%s/t.db", d->dir);
    snprintf(d->ini, sizeof d->ini, "%s/t.ini", d->dir);
    dbfix_config(d, config);
    if (store_open(d->db, STORE_CREATE, &d->st, err, sizeof err) != 0 ||
        store_migrate(d->st, -1, NULL) != 0 || store_sync_communities(d->st, d->cfg) != 0)
        return -1;
    if (sqlite3_open(d->db, &d->w) != SQLITE_OK)
        return -1;
    sqlite3_busy_timeout(d->w, 5000);
    return week_zone_set("UTC", err, sizeof err) == 0 ? 0 : -1;
}

/* dbfix_close: close everything and remove the directory. */
static void dbfix_close(struct dbfix *d)
{
    char path[PATH_MAX];
    struct dirent *de;
    DIR *dir;

    sqlite3_close(d->w);
    store_free(d->st);
    config_free(d->cfg);
    dir = opendir(d->dir);
    while (dir && (de = readdir(dir))) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", d->dir, de->d_name);
        unlink(path);
    }
    if (dir)
        closedir(dir);
    rmdir(d->dir);
}

/* dbfix_sql: run SQL made with sqlite3_mprintf's format (%lld, %Q ...); fails the test on error. */
static void dbfix_sql(struct dbfix *d, const char *fmt, ...)
{
    va_list ap;
    char *err = NULL;
    va_start(ap, fmt);
    char *q = sqlite3_vmprintf(fmt, ap);
    va_end(ap);
    if (sqlite3_exec(d->w, q, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", q, err);
    sqlite3_free(q);
}

/* dbfix_count: the first column of the first row of q (-1 when none). */
static int64_t dbfix_count(struct dbfix *d, const char *q)
{
    sqlite3_stmt *s;
    int64_t n = -1;
    assert_int_equal(sqlite3_prepare_v2(d->w, q, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

#endif
