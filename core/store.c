/* store.c: opening, migrating and reading the SQLite database. */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "err.h"
#include "infile.h"
#include "migrations.h"
#include "text.h"

/* "vkpl": marks a SQLite file as ours, so we never migrate someone else's. */
#define VKP_APPLICATION_ID 0x766b706c
#define BUSY_TIMEOUT_MS 30000

/* ---- plumbing -------------------------------------------------------------- */

static int code_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        return VKP_ENOMEM;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return VKP_EBUSY;
    case SQLITE_NOTADB:
        return VKP_ENOTDB;
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        return VKP_EIO;
    default:
        return VKP_EDB;
    }
}

int store_fail(struct store *st, int rc, const char *what)
{
    snprintf(st->err, sizeof st->err, "%s: %s", what, sqlite3_errmsg(st->db));
    return code_of(rc);
}

int store_bind_window(struct store *st, const char *sql, int64_t community_id, int64_t from,
                      int64_t to, sqlite3_stmt **out)
{
    sqlite3_stmt *s = store_stmt(st, sql);
    *out = s;
    if (!s)
        return VKP_EDB;
    sqlite3_bind_int64(s, 1, community_id);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    return 0;
}

int store_exec_ids(struct store *st, const char *sql, int64_t a, int64_t b, const char *what)
{
    sqlite3_stmt *s = store_stmt(st, sql);
    if (!s)
        return VKP_EDB;
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    return store_exec_one(st, s, what);
}

/* The slot of sql in a table of cap slots (a power of two): its own, or the free one where
 * it goes. */
static struct store_slot *slot_of(struct store_slot *t, size_t cap, const char *sql)
{
    size_t i = (size_t)(((uintptr_t)sql >> 3) * 0x9E3779B97F4A7C15ULL) & (cap - 1);
    while (t[i].sql && t[i].sql != sql)
        i = (i + 1) & (cap - 1);
    return &t[i];
}

/* Doubles the statement table (64 slots at first), keeping every statement. */
static int cache_grow(struct store *st)
{
    size_t cap = st->capcache ? st->capcache * 2 : 64;
    struct store_slot *t = calloc(cap, sizeof *t);
    if (!t)
        return VKP_ENOMEM;
    for (size_t i = 0; i < st->capcache; i++)
        if (st->cache[i].sql)
            *slot_of(t, cap, st->cache[i].sql) = st->cache[i];
    free(st->cache);
    st->cache = t;
    st->capcache = cap;
    return 0;
}

sqlite3_stmt *store_stmt(struct store *st, const char *sql)
{
    struct store_slot *slot;
    sqlite3_stmt *s = NULL;
    int rc;

    if (st->capcache) {
        slot = slot_of(st->cache, st->capcache, sql);
        if (slot->sql) {
            sqlite3_reset(slot->stmt);
            sqlite3_clear_bindings(slot->stmt);
            return slot->stmt;
        }
    }
    if (2 * (st->ncache + 1) > st->capcache && cache_grow(st) != 0) {
        snprintf(st->err, sizeof st->err, "out of memory");
        return NULL;
    }
    rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
    if (rc != SQLITE_OK) {
        store_fail(st, rc, "cannot prepare statement");
        return NULL;
    }
    slot = slot_of(st->cache, st->capcache, sql);
    slot->sql = sql;
    slot->stmt = s;
    st->ncache++;
    return s;
}

int store_walk_end(struct store *st, sqlite3_stmt *s, int rc, const char *what)
{
    if (rc != SQLITE_DONE)
        return store_fail(st, rc, what);
    sqlite3_reset(s);
    return 0;
}

int store_one(struct store *st, sqlite3_stmt *s, const char *what, int *found, const char *cols,
              ...)
{
    va_list ap;
    int rc = sqlite3_step(s);

    if (found)
        *found = rc == SQLITE_ROW;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        if (found)
            return 0;
        snprintf(st->err, sizeof st->err, "%s: no row", what);
        return VKP_EDB;
    }
    if (rc != SQLITE_ROW)
        return store_fail(st, rc, what);
    va_start(ap, cols);
    for (int i = 0; cols[i]; i++) {
        switch (cols[i]) {
        case 'I':
            *va_arg(ap, int64_t *) = sqlite3_column_int64(s, i);
            break;
        case 'i':
            *va_arg(ap, int *) = sqlite3_column_int(s, i);
            break;
        case 'd':
            *va_arg(ap, double *) = sqlite3_column_double(s, i);
            break;
        case 's': {
            char *buf = va_arg(ap, char *);
            size_t len = va_arg(ap, size_t);
            const unsigned char *t = sqlite3_column_text(s, i);
            text_copy(buf, len, (const char *)t);
            break;
        }
        default:
            break;
        }
    }
    va_end(ap);
    sqlite3_reset(s);
    return 0;
}

int store_exec_one(struct store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_fail(st, rc, what);
    sqlite3_reset(s);
    return 0;
}

int store_fill(struct store *st, const char *sql, size_t n,
               void (*bind)(sqlite3_stmt *s, size_t i, const void *ud), const void *ud,
               const char *what)
{
    char msg[128];
    sqlite3_stmt *s;
    int rc;

    snprintf(msg, sizeof msg, "cannot store %s", what);
    for (size_t i = 0; i < n; i++) {
        if (!(s = store_stmt(st, sql)))
            return VKP_EDB;
        bind(s, i, ud);
        if ((rc = store_exec_one(st, s, msg)) != 0)
            return rc;
    }
    return 0;
}

int store_walk(struct store *st, sqlite3_stmt *s, int (*row)(sqlite3_stmt *s, void *ud), void *ud,
               const char *what)
{
    int rc, stop;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((stop = row(s, ud)) != 0) {
            sqlite3_reset(s);
            return stop;
        }
    }
    return store_walk_end(st, s, rc, what);
}

int store_in_tx(struct store *st, int (*body)(struct store *st, const void *ud), const void *ud)
{
    int rc = store_begin(st);

    if (rc != 0)
        return rc;
    if ((rc = body(st, ud)) == 0 && (rc = store_commit(st)) == 0)
        return 0;
    store_rollback(st);
    return rc;
}

/* Runs SQL text with no parameters: only fixed strings of this file and the
 * embedded migrations come here, never data. */
static int exec_fixed(struct store *st, const char *sql, const char *what)
{
    char *msg = NULL;
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(st->err, sizeof st->err, "%s: %s", what, msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return code_of(rc);
    }
    return 0;
}

static int pragma_int(struct store *st, const char *sql, int *out)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(s, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(s);
    return rc;
}

const char *store_errmsg(const struct store *st)
{
    return st->err;
}

const char *store_error(const struct store *st, int rc)
{
    return rc == VKP_ENOMEM || !st || !st->err[0] ? vkp_strerror(rc) : st->err;
}

int store_latest_version(void)
{
    return migrations[migrations_count - 1].version;
}

int store_version(struct store *st)
{
    int v = 0;
    pragma_int(st, "PRAGMA user_version", &v);
    return v;
}

/* ---- opening --------------------------------------------------------------- */

/* Creates the file with owner-only permissions before SQLite sees it; SQLite
 * gives the -wal and -shm files the same mode. */
static int create_private(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return 0;
        snprintf(err, errlen, "cannot create database '%s': %s", path, strerror(errno));
        return VKP_EIO;
    }
    close(fd);
    return 0;
}

/* Refuses files that are not SQLite or belong to another application,
 * before anything is written to them. */
static int check_ours(struct store *st, char *err, size_t errlen)
{
    int app = 0, version = 0, tables = 0;
    int rc = pragma_int(st, "PRAGMA application_id", &app);
    if (rc == SQLITE_OK)
        rc = pragma_int(st, "PRAGMA user_version", &version);
    if (rc == SQLITE_OK)
        rc = pragma_int(st, "SELECT count(*) FROM sqlite_schema", &tables);
    if (rc == SQLITE_NOTADB) {
        snprintf(err, errlen,
                 "'%s' is not a SQLite database (is it the right file?); it was left "
                 "untouched",
                 st->path);
        return VKP_ENOTDB;
    }
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot read database '%s': %s", st->path, sqlite3_errstr(rc));
        return (rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_IOERR ||
                       (rc & 0xff) == SQLITE_READONLY
                   ? VKP_EIO
                   : VKP_EDB;
    }
    if (app != VKP_APPLICATION_ID && (app != 0 || tables > 0 || version > 0)) {
        snprintf(err, errlen,
                 "'%s' is a SQLite database of another program, not vkpulse; it was "
                 "left untouched",
                 st->path);
        return VKP_ENOTDB;
    }
    if (version > store_latest_version()) {
        snprintf(err, errlen,
                 "database '%s' has schema version %d, newer than this vkpulse "
                 "knows (%d): upgrade vkpulse",
                 st->path, version, store_latest_version());
        return VKP_EDBVERSION;
    }
    return 0;
}

/* Reopens st read-only and immutable (a read-only file system: nothing can change it). */
static int reopen_immutable(struct store *st, char *err, size_t errlen)
{
    char *uri = NULL;
    size_t n = 0;
    int rc;

    /* file: URI, with the characters a URI gives meaning to escaped. */
    uri = malloc(strlen(st->path) * 3 + 32);
    if (!uri)
        return VKP_ENOMEM;
    n = (size_t)sprintf(uri, "file:");
    for (const char *p = st->path; *p; p++)
        n += (size_t)(strchr("%?#", *p) ? sprintf(uri + n, "%%%02X", (unsigned char)*p)
                                        : sprintf(uri + n, "%c", *p));
    strcpy(uri + n, "?immutable=1");
    sqlite3_close(st->db);
    st->db = NULL;
    rc = sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                         NULL);
    free(uri);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database '%s': %s", st->path,
                 st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        return VKP_EIO;
    }
    sqlite3_extended_result_codes(st->db, 1);
    return check_ours(st, err, errlen);
}

int store_open(const char *path, enum store_mode mode, struct store **out, char *err, size_t errlen)
{
    struct store *st = NULL;
    int rc, flags;
    struct stat sb;

    *out = NULL;
    if (mode != STORE_CREATE && stat(path, &sb) != 0) {
        snprintf(err, errlen, "database '%s' does not exist: run 'vkpulse init' first", path);
        return VKP_ENOTFOUND;
    }
    /* SQLite would wait on a FIFO for ever (and read a device): the database is a file. */
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        snprintf(err, errlen,
                 "database '%s' is not a regular file (it is %s): name the database file", path,
                 infile_kind(sb.st_mode));
        return VKP_EUSAGE;
    }
    if (mode == STORE_CREATE && (rc = create_private(path, err, errlen)) != 0)
        return rc;
    st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        rc = VKP_ENOMEM;
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    st->readonly = mode == STORE_READONLY;
    flags = (st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    rc = sqlite3_open_v2(path, &st->db, flags, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database '%s': %s", path,
                 st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        rc = VKP_EIO;
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
    if ((rc = check_ours(st, err, errlen)) == VKP_EIO) {
        int ro_fs;
        if (store_reader_diagnose(path, &ro_fs, err, errlen) == 0 && ro_fs) {
            if (st->readonly)
                rc = reopen_immutable(st, err, errlen);
            else
                snprintf(err, errlen,
                         "database '%s' is on a read-only file system, and this command "
                         "writes to it: remount it read-write or copy the database elsewhere",
                         path);
        }
    }
    if (rc != 0)
        goto fail;
    if (!st->readonly) {
        /* WAL lets reports read while the collector writes; NORMAL sync is
         * still crash-consistent in WAL mode (a power cut may lose the last
         * commit, never corrupt). */
        rc = exec_fixed(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                        "cannot switch to WAL mode");
        /* The pages one answer touches (a post's likes in the table and in
         * post_like_seen, the ends of the other indexes) must stay in memory
         * until the commit: with SQLite's 2 MB default a large answer spilled
         * dirty pages to the WAL mid-transaction and read them back. */
        if (rc == 0)
            rc = exec_fixed(st, "PRAGMA cache_size=-16384", "cannot size the cache"); /* KiB */
        /* The WAL kept for readers (store_share_side_files) shrinks to nothing at the
         * last close, and to 64 MB at a checkpoint. */
        if (rc == 0)
            rc = exec_fixed(st, "PRAGMA journal_size_limit=67108864", "cannot limit the WAL");
        if (rc != 0) {
            snprintf(err, errlen, "database '%s': %s", path, st->err);
            goto fail;
        }
        store_share_side_files(st);
    }
    if ((rc = exec_fixed(st, "PRAGMA foreign_keys=ON;", "cannot enable foreign keys")) != 0) {
        snprintf(err, errlen, "database '%s': %s", path, st->err);
        goto fail;
    }
    if (mode != STORE_CREATE && store_version(st) < store_latest_version()) {
        snprintf(err, errlen,
                 "database '%s' has schema version %d, this vkpulse needs %d: run "
                 "'vkpulse init' to upgrade it",
                 path, store_version(st), store_latest_version());
        rc = VKP_EDBVERSION;
        goto fail;
    }
    *out = st;
    return 0;
fail:
    store_free(st);
    return rc;
}

void store_free(struct store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->capcache; i++)
        if (st->cache[i].sql)
            sqlite3_finalize(st->cache[i].stmt);
    free(st->cache);
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

/* ---- transactions ---------------------------------------------------------- */

int store_begin(struct store *st)
{
    return exec_fixed(st, "BEGIN IMMEDIATE", "cannot start a transaction");
}

int store_commit(struct store *st)
{
    return exec_fixed(st, "COMMIT", "cannot commit");
}

void store_rollback(struct store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- migrations ------------------------------------------------------------ */

int store_migrate(struct store *st, int target, int *applied)
{
    int rc, n = 0, from;
    char what[256];

    if (applied)
        *applied = 0;
    if (target < 0 || target > store_latest_version())
        target = store_latest_version();
    if ((rc = store_begin(st)) != 0)
        return rc;
    from = store_version(st);
    for (int i = 0; i < migrations_count; i++) {
        const struct migration *m = &migrations[i];
        if (m->version <= from || m->version > target)
            continue;
        snprintf(what, sizeof what, "migration %s failed", m->name);
        if ((rc = exec_fixed(st, m->sql, what)) != 0)
            goto fail;
        /* PRAGMA takes no parameters; the version is an integer we own. */
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", m->version);
        if ((rc = exec_fixed(st, pragma, what)) != 0)
            goto fail;
        n++;
    }
    if (n > 0) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA application_id=%d", VKP_APPLICATION_ID);
        if ((rc = exec_fixed(st, pragma, "cannot mark the database")) != 0)
            goto fail;
    }
    if ((rc = store_commit(st)) != 0)
        goto fail;
    if (applied)
        *applied = n;
    return 0;
fail:
    store_rollback(st);
    return rc;
}

/* ---- communities ----------------------------------------------------------- */

static const char SQL_DEACTIVATE_ALL[] = "UPDATE community SET active = 0";
static const char SQL_INSERT_COMMUNITY[] =
    "INSERT INTO community (ref, kind, survey_name, active) VALUES (?1, ?2, ?3, 1)";
static const char SQL_UPDATE_COMMUNITY[] =
    "UPDATE community SET ref = ?2, kind = ?3, survey_name = ?4, active = 1 WHERE id = ?1";
/* The row a config reference stands for. A group is identified by its VK id once known,
 * so that the reference may change form (screen name, id, club123) or the group rename
 * itself without a second row: the id first, then the screen name VK last gave, then the
 * reference as written. */
static const char SQL_FIND_COMMUNITY[] =
    "SELECT id, ifnull(vk_id, 0) FROM community"
    " WHERE (?2 > 0 AND vk_id = ?2) OR (vk_id IS NOT NULL AND screen_name = ?1 COLLATE NOCASE)"
    "  OR ref = ?1"
    " ORDER BY (?2 > 0 AND vk_id = ?2) DESC,"
    "  (vk_id IS NOT NULL AND screen_name = ?1 COLLATE NOCASE) DESC LIMIT 1";
/* ?2 is bound by community_lookup as for SQL_FIND_COMMUNITY, and not needed here. */
static const char SQL_FIND_REF[] =
    "SELECT id, ifnull(vk_id, 0) FROM community WHERE ref = ?1 AND ?2 IS NOT NULL";

/* Looks up one row by @sql (bound to @ref and its id); *id is 0 when none. */
static int community_lookup(struct store *st, const char *sql, const char *ref, int64_t *id,
                            int64_t *vk_id)
{
    sqlite3_stmt *s = store_stmt(st, sql);
    int found;
    if (!s)
        return VKP_EDB;
    sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, config_group_id(ref));
    *id = *vk_id = 0;
    return store_one(st, s, "cannot read communities", &found, "II", id, vk_id);
}

int store_community_find(struct store *st, const char *ref, int64_t *id)
{
    int64_t vk_id;
    return community_lookup(st, SQL_FIND_COMMUNITY, ref, id, &vk_id);
}

/* Everything that hangs off a community row, moved to another row. OR IGNORE: where
 * both rows hold the same fact (a snapshot of one run, an open membership, a day of
 * statistics) the survivor's stays and the other goes with its row. */
static const char *const SQL_MERGE[] = {
    "UPDATE OR IGNORE snapshot SET community_id = ?2 WHERE community_id = ?1",
    "UPDATE OR IGNORE membership SET community_id = ?2 WHERE community_id = ?1",
    "UPDATE OR IGNORE member_stage SET community_id = ?2 WHERE community_id = ?1",
    "UPDATE post SET community_id = ?2 WHERE community_id = ?1",
    "UPDATE OR IGNORE stat_day SET community_id = ?2 WHERE community_id = ?1",
    "UPDATE OR IGNORE alert SET community_id = ?2 WHERE community_id = ?1",
    "DELETE FROM community WHERE id = ?1",
};

int store_community_merge(struct store *st, int64_t from, int64_t into)
{
    int rc = 0;
    for (size_t i = 0; i < sizeof SQL_MERGE / sizeof SQL_MERGE[0] && rc == 0; i++)
        rc = store_exec_ids(st, SQL_MERGE[i], from, into, "cannot merge communities");
    return rc;
}

/* Records one configured community; @claimed lists the rows earlier lines took, so a
 * group listed twice (by screen name and by id) keeps one row. */
static int sync_one(struct store *st, const struct config_community *c, int64_t *claimed,
                    size_t nclaimed)
{
    sqlite3_stmt *s;
    int64_t id, vk_id, other, other_vk;
    int rc;

    if ((rc = community_lookup(st, SQL_FIND_COMMUNITY, c->group, &id, &vk_id)) != 0)
        return rc;
    for (size_t k = 0; k < nclaimed; k++)
        if (claimed[k] == id && id) {
            claimed[nclaimed] = id;
            return 0;
        }
    if (id == 0) {
        PREPARE(s, SQL_INSERT_COMMUNITY);
        sqlite3_bind_text(s, 1, c->group, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, config_kind_name(c->kind), -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, c->survey_name, -1, SQLITE_STATIC);
        if ((rc = store_exec_one(st, s, "cannot store community")) != 0)
            return rc;
        claimed[nclaimed] = sqlite3_last_insert_rowid(st->db);
        return 0;
    }
    /* The reference now names a known group while another row still carries it as text:
     * a row never collected is folded in; two collected groups cannot share it. */
    if ((rc = community_lookup(st, SQL_FIND_REF, c->group, &other, &other_vk)) != 0)
        return rc;
    if (other && other != id) {
        if (other_vk) {
            snprintf(st->err, sizeof st->err,
                     "group '%s' is VK group %lld, but the database also has group %lld under "
                     "that name: name one of them by its id (club%lld) in the config",
                     c->group, (long long)vk_id, (long long)other_vk, (long long)other_vk);
            return VKP_ECONFIG;
        }
        if ((rc = store_community_merge(st, other, id)) != 0)
            return rc;
    }
    PREPARE(s, SQL_UPDATE_COMMUNITY);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, c->group, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, config_kind_name(c->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, c->survey_name, -1, SQLITE_STATIC);
    if ((rc = store_exec_one(st, s, "cannot store community")) != 0)
        return rc;
    claimed[nclaimed] = id;
    return 0;
}

int store_sync_communities(struct store *st, const struct config *cfg)
{
    sqlite3_stmt *s;
    int64_t *claimed = calloc(cfg->ncommunities + 1, sizeof *claimed);
    int rc;

    if (!claimed)
        return VKP_ENOMEM;
    if ((rc = store_begin(st)) != 0)
        goto out;
    if (!(s = store_stmt(st, SQL_DEACTIVATE_ALL)) ||
        (rc = store_exec_one(st, s, "cannot update communities")) != 0)
        goto fail;
    for (size_t i = 0; i < cfg->ncommunities; i++)
        if ((rc = sync_one(st, &cfg->communities[i], claimed, i)) != 0)
            goto fail;
    rc = store_commit(st);
    goto out;
fail:
    if (rc == 0)
        rc = VKP_EDB;
    store_rollback(st);
out:
    free(claimed);
    return rc;
}

/* ---- status ---------------------------------------------------------------- */

static const char SQL_COMMUNITIES[] =
    "SELECT c.id, c.ref, c.name, c.kind, ifnull(c.vk_id, 0), c.active,"
    "  ifnull(s.taken_at, 0), ifnull(s.members_count, -1),"
    "  (SELECT count(*) FROM membership m WHERE m.community_id = c.id AND m.left_at IS NULL),"
    "  (SELECT count(*) FROM post p WHERE p.community_id = c.id),"
    "  c.stats_denied, c.stats_denied_at,"
    "  (SELECT count(*) FROM stat_day d WHERE d.community_id = c.id)"
    " FROM community c LEFT JOIN snapshot s ON s.community_id = c.id AND s.run_id ="
    "  (SELECT max(s2.run_id) FROM snapshot_usable s2"
    "   WHERE s2.community_id = c.id AND s2.members_ok AND s2.wall_ok AND s2.details_ok)"
    " ORDER BY c.id";

int store_each_community(struct store *st, store_community_cb cb, void *ud)
{
    sqlite3_stmt *s = store_stmt(st, SQL_COMMUNITIES);
    int rc;

    if (!s)
        return VKP_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_community_info c = {
            .id = sqlite3_column_int64(s, 0),
            .ref = (const char *)sqlite3_column_text(s, 1),
            .name = (const char *)sqlite3_column_text(s, 2),
            .kind = (const char *)sqlite3_column_text(s, 3),
            .vk_id = sqlite3_column_int64(s, 4),
            .active = sqlite3_column_int(s, 5),
            .last_ok_at = sqlite3_column_int64(s, 6),
            .members_count = sqlite3_column_int64(s, 7),
            .members_current = sqlite3_column_int64(s, 8),
            .posts = sqlite3_column_int64(s, 9),
            .stats_denied = sqlite3_column_int(s, 10),
            .stats_denied_at = sqlite3_column_int64(s, 11),
            .stat_days = sqlite3_column_int64(s, 12),
        };
        if ((rc = cb(ud, &c)) != 0) {
            sqlite3_reset(s);
            return rc;
        }
    }
    return store_walk_end(st, s, rc, "cannot list communities");
}

static const char SQL_LAST_RUN[] =
    "SELECT id, started_at, ifnull(finished_at, 0), status, requests, calls FROM run"
    " ORDER BY id DESC LIMIT 1";

int store_last_run(struct store *st, struct store_run_info *out)
{
    sqlite3_stmt *s = store_stmt(st, SQL_LAST_RUN);
    int found;

    memset(out, 0, sizeof *out);
    if (!s)
        return VKP_EDB;
    return store_one(st, s, "cannot read runs", &found, "IIIsII", &out->id, &out->started_at,
                     &out->finished_at, out->status, sizeof out->status, &out->requests,
                     &out->calls);
}

/* Table names and their count statements side by side: SQL cannot bind a
 * table name, so each count is its own fixed statement. */
static const char *const table_names[] = {
    "community", "run",     "snapshot", "user",     "membership",      "post",  "post_counter",
    "post_like", "comment", "repost",   "stat_day", "survey_response", "alert", NULL,
};
static const char *const table_counts[] = {
    "SELECT count(*) FROM community",    "SELECT count(*) FROM run",
    "SELECT count(*) FROM snapshot",     "SELECT count(*) FROM user",
    "SELECT count(*) FROM membership",   "SELECT count(*) FROM post",
    "SELECT count(*) FROM post_counter", "SELECT count(*) FROM post_like",
    "SELECT count(*) FROM comment",      "SELECT count(*) FROM repost",
    "SELECT count(*) FROM stat_day",     "SELECT count(*) FROM survey_response",
    "SELECT count(*) FROM alert",
};

const char *const *store_table_names(void)
{
    return table_names;
}

int store_count_rows(struct store *st, int table_index, int64_t *out)
{
    sqlite3_stmt *s = store_stmt(st, table_counts[table_index]);

    if (!s)
        return VKP_EDB;
    return store_one(st, s, "cannot count rows", NULL, "I", out);
}
