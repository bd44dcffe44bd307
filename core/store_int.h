/* store_int.h: what the store's files share; no other module includes this. */
#ifndef VKP_STORE_INT_H
#define VKP_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

/* One open database. */
struct store {
    sqlite3 *db;   /* the connection */
    char *path;    /* file name, for messages */
    int readonly;  /* opened with STORE_READONLY */
    char err[512]; /* last error message */
    /* Prepared statements by the address of their text: an open-addressing table of
     * capcache slots (a power of two, or 0), grown to keep it at most half full. */
    struct store_slot {
        const char *sql;    /* the statement's text; its address is the key; NULL: free */
        sqlite3_stmt *stmt; /* prepared once, reused */
    } * cache;
    size_t ncache;   /* slots used */
    size_t capcache; /* slots */
};

/*
 * store_stmt: the prepared statement for sql, which must be a string with
 * static storage (its address is the cache key). It comes reset with its
 * bindings cleared. NULL on error, with st->err set.
 */
sqlite3_stmt *store_stmt(struct store *st, const char *sql);

/* PREPARE: the cached statement for sql into s, or return VKP_EDB from the
 * enclosing function (which has a `struct store *st`). */
#define PREPARE(s, sql)                                                                            \
    do {                                                                                           \
        if (!((s) = store_stmt(st, (sql))))                                                        \
            return VKP_EDB;                                                                        \
    } while (0)

/* store_fail: record "what: sqlite message" in st->err and map the SQLite
 * result code to a vkp error (busy, full disk, read-only, corrupt ...). */
int store_fail(struct store *st, int sqlite_rc, const char *what);

/* store_walk_end: after a loop of sqlite3_step over rows: 0 and the
 * statement reset when it ended with SQLITE_DONE, else the error as
 * store_fail reports it. */
int store_walk_end(struct store *st, sqlite3_stmt *s, int rc, const char *what);

/* store_walk: step s over its rows, calling row(s, ud) for each (it reads the columns and
 * hands them on); a non-zero return of row stops the walk, resets s and is returned. Else 0
 * at the end, or the error as store_walk_end reports it. */
int store_walk(struct store *st, sqlite3_stmt *s, int (*row)(sqlite3_stmt *s, void *ud), void *ud,
               const char *what);

/* store_in_tx: body(st, ud) in one transaction (BEGIN IMMEDIATE): committed when it
 * returns 0, else rolled back and its error returned. */
int store_in_tx(struct store *st, int (*body)(struct store *st, const void *ud), const void *ud);

/*
 * store_one: step s for the one row a single-row query gives and read its columns in
 * the order of the SELECT, one letter of cols each: 'I' int64_t *, 'i' int *, 'd'
 * double *, 's' char *buf and size_t len (a copy, "" for NULL), '-' skipped. The
 * statement is reset. With found NULL a row must come (none is an error naming what);
 * else *found says whether one did (when none, the outputs are untouched). 0 or a vkp
 * error with st->err set.
 */
int store_one(struct store *st, sqlite3_stmt *s, const char *what, int *found, const char *cols,
              ...);

/*
 * A row's columns read in the order of its SELECT, so that no reader numbers them: each
 * store_col_* call takes the next column. Read them in statements, one after another
 * (the expressions of an initializer list have no order in C).
 */
struct store_cols {
    sqlite3_stmt *s;
    int next; /* the next column to read */
};

static inline int64_t store_col_i64(struct store_cols *c)
{
    return sqlite3_column_int64(c->s, c->next++);
}

static inline int store_col_int(struct store_cols *c)
{
    return sqlite3_column_int(c->s, c->next++);
}

static inline double store_col_double(struct store_cols *c)
{
    return sqlite3_column_double(c->s, c->next++);
}

/* The text of the next column, NULL for NULL; valid until the row is left. */
static inline const char *store_col_text(struct store_cols *c)
{
    return (const char *)sqlite3_column_text(c->s, c->next++);
}

/* store_exec_one: step a statement that returns no rows (INSERT/UPDATE). */
int store_exec_one(struct store *st, sqlite3_stmt *s, const char *what);

/*
 * store_fill: inserts n rows through the INSERT statement sql, bind(s, i,
 * ud) binding row i; the caller holds the transaction and has emptied the
 * table. what names the rows in messages ("a roster entry"). 0 or a vkp
 * error.
 */
int store_fill(struct store *st, const char *sql, size_t n,
               void (*bind)(sqlite3_stmt *s, size_t i, const void *ud), const void *ud,
               const char *what);

/* store_bind_window: prepare sql and bind the community and a time window as
 * ?1, ?2 and ?3, the shape of most report and alert queries; the caller binds
 * any further parameters and steps it. 0 or VKP_EDB. */
int store_bind_window(struct store *st, const char *sql, int64_t community_id, int64_t from,
                      int64_t to, sqlite3_stmt **out);

/* store_exec_ids: prepare sql, bind two integers as ?1 and ?2, and step it as
 * store_exec_one does: the many statements keyed by two ids. */
int store_exec_ids(struct store *st, const char *sql, int64_t a, int64_t b, const char *what);

/*
 * store_reader_diagnose: why a reader could not open the database at path
 * (its -wal/-shm missing and not creatable, unreadable, a full file system):
 * a message in err and VKP_EIO; 0 with *immutable = 1 on a read-only file
 * system, where the database may be read as it is (store_side.c).
 */
int store_reader_diagnose(const char *path, int *immutable, char *err, size_t errlen);

/* store_share_side_files: a writer keeps -wal and -shm after closing, with the
 * database file's mode and group, for readers who may not create them. */
void store_share_side_files(struct store *st);

#endif
