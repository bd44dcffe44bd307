/* store_region.c: SQL of the city directory: replaced whole by a sync, read by attribution. */
#include "store_region.h"

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "store_int.h"

static const char SQL_CITY_CLEAR[] = "DELETE FROM city_directory";
static const char SQL_CITY_ADD[] =
    "INSERT INTO city_directory (id, title, area, municipality) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_SYNC_PUT[] =
    "INSERT OR REPLACE INTO city_directory_sync"
    " (id, region_id, region_title, synced_at, cities, mapped, requests)"
    " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_SYNC_GET[] = "SELECT region_id, region_title, synced_at, cities, mapped,"
                                   " requests FROM city_directory_sync WHERE id = 1";
static const char SQL_CITY_EACH[] =
    "SELECT id, title, area, municipality FROM city_directory ORDER BY id";

static void bind_city(sqlite3_stmt *s, size_t i, const void *ud)
{
    const struct store_city *c = (const struct store_city *)ud + i;
    sqlite3_bind_int64(s, 1, c->id);
    sqlite3_bind_text(s, 2, c->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, c->area ? c->area : "", -1, SQLITE_STATIC);
    if (c->municipality)
        sqlite3_bind_text(s, 4, c->municipality, -1, SQLITE_STATIC);
}

int store_region_replace(struct store *st, const struct store_region_info *info,
                         const struct store_city *c, size_t n)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_begin(st)) != 0)
        return rc;
    rc = VKP_EDB;
    if (!(s = store_stmt(st, SQL_CITY_CLEAR)))
        goto fail;
    if ((rc = store_exec_one(st, s, "cannot clear the city directory")) != 0 ||
        (rc = store_fill(st, SQL_CITY_ADD, n, bind_city, c, "a city of the directory")) != 0)
        goto fail;
    rc = VKP_EDB;
    if (!(s = store_stmt(st, SQL_SYNC_PUT)))
        goto fail;
    sqlite3_bind_int64(s, 1, info->region_id);
    sqlite3_bind_text(s, 2, info->region_title, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, info->synced_at);
    sqlite3_bind_int64(s, 4, info->cities);
    sqlite3_bind_int64(s, 5, info->mapped);
    sqlite3_bind_int64(s, 6, info->requests);
    if ((rc = store_exec_one(st, s, "cannot record the directory sync")) != 0)
        goto fail;
    if ((rc = store_commit(st)) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(st);
    return rc;
}

int store_region_info(struct store *st, struct store_region_info *out)
{
    sqlite3_stmt *s;
    int rc;

    memset(out, 0, sizeof *out);
    PREPARE(s, SQL_SYNC_GET);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->region_id = sqlite3_column_int64(s, 0);
        snprintf(out->region_title, sizeof out->region_title, "%s",
                 (const char *)sqlite3_column_text(s, 1));
        out->synced_at = sqlite3_column_int64(s, 2);
        out->cities = sqlite3_column_int64(s, 3);
        out->mapped = sqlite3_column_int64(s, 4);
        out->requests = sqlite3_column_int64(s, 5);
        rc = sqlite3_step(s);
    }
    return store_walk_end(st, s, rc, "cannot read the directory sync");
}

int store_each_city(struct store *st, store_city_cb cb, void *ud)
{
    sqlite3_stmt *s;
    int rc;

    PREPARE(s, SQL_CITY_EACH);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_city c = {
            .id = sqlite3_column_int64(s, 0),
            .title = (const char *)sqlite3_column_text(s, 1),
            .area = (const char *)sqlite3_column_text(s, 2),
            .municipality = (const char *)sqlite3_column_text(s, 3),
        };
        int stop = cb(ud, &c);
        if (stop) {
            sqlite3_reset(s);
            return stop;
        }
    }
    return store_walk_end(st, s, rc, "cannot read the city directory");
}
