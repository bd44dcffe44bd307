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

/* What store_region_replace writes, for its transaction's body. */
struct region_put {
    const struct store_region_info *info;
    const struct store_city *c;
    size_t n;
};

static int region_put(struct store *st, const void *ud)
{
    const struct region_put *p = ud;
    sqlite3_stmt *s;
    int rc;

    PREPARE(s, SQL_CITY_CLEAR);
    if ((rc = store_exec_one(st, s, "cannot clear the city directory")) != 0 ||
        (rc = store_fill(st, SQL_CITY_ADD, p->n, bind_city, p->c, "a city of the directory")) != 0)
        return rc;
    PREPARE(s, SQL_SYNC_PUT);
    sqlite3_bind_int64(s, 1, p->info->region_id);
    sqlite3_bind_text(s, 2, p->info->region_title, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, p->info->synced_at);
    sqlite3_bind_int64(s, 4, p->info->cities);
    sqlite3_bind_int64(s, 5, p->info->mapped);
    sqlite3_bind_int64(s, 6, p->info->requests);
    return store_exec_one(st, s, "cannot record the directory sync");
}

int store_region_replace(struct store *st, const struct store_region_info *info,
                         const struct store_city *c, size_t n)
{
    struct region_put p = {info, c, n};
    return store_in_tx(st, region_put, &p);
}

int store_region_info(struct store *st, struct store_region_info *out)
{
    sqlite3_stmt *s;
    int rc;

    memset(out, 0, sizeof *out);
    PREPARE(s, SQL_SYNC_GET);
    return store_one(st, s, "cannot read the directory sync", &rc, "IsIIII", &out->region_id,
                     out->region_title, sizeof out->region_title, &out->synced_at, &out->cities,
                     &out->mapped, &out->requests);
}

/* A callback and its data, for the row readers below. */
struct city_walk {
    store_city_cb cb;
    void *ud;
};

static int city_row(sqlite3_stmt *s, void *ud)
{
    const struct city_walk *w = ud;
    struct store_city c = {
        .id = sqlite3_column_int64(s, 0),
        .title = (const char *)sqlite3_column_text(s, 1),
        .area = (const char *)sqlite3_column_text(s, 2),
        .municipality = (const char *)sqlite3_column_text(s, 3),
    };
    return w->cb(w->ud, &c);
}

int store_each_city(struct store *st, store_city_cb cb, void *ud)
{
    struct city_walk w = {cb, ud};
    sqlite3_stmt *s;

    PREPARE(s, SQL_CITY_EACH);
    return store_walk(st, s, city_row, &w, "cannot read the city directory");
}
