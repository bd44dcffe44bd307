/* store_side.c: the database's -wal and -shm files: why a reader cannot open them, and
 * keeping them for readers who may not create them. */
#include "store_int.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "err.h"

/*
 * A reader of a WAL database needs its -wal and -shm files beside it, and creates them
 * when they are missing. Where that cannot be done SQLite says only "unable to open
 * database file" or "attempt to write a readonly database"; this finds out why. On a
 * read-only file system nobody can write the database either, so it is opened immutable
 * (*immutable = 1) and read as it is; a full file system, a directory the user may not
 * write into, or side files the user may not read get a message saying so.
 */
int store_reader_diagnose(const char *path, int *immutable, char *err, size_t errlen)
{
    char dir[PATH_MAX], side[PATH_MAX];
    const char *slash = strrchr(path, '/');
    struct statvfs vfs;

    *immutable = 0;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    if (statvfs(dir, &vfs) != 0)
        return VKP_EIO;
    if (vfs.f_flag & ST_RDONLY) {
        *immutable = 1;
        return 0;
    }
    for (int i = 0; i < 2; i++) {
        snprintf(side, sizeof side, "%s%s", path, i ? "-shm" : "-wal");
        if (access(side, F_OK) == 0 && access(side, R_OK) != 0) {
            snprintf(err, errlen,
                     "cannot read database '%s': this user may read it but not '%s': give "
                     "'%s-wal' and '%s-shm' the database file's mode and group (vkpulse "
                     "does so whenever it writes the database)",
                     path, side, path, path);
            return VKP_EIO;
        }
    }
    if (vfs.f_bavail == 0) {
        snprintf(err, errlen,
                 "cannot read database '%s': its file system is full, and SQLite needs room "
                 "for '%s-shm' beside it to read it: free some space",
                 path, path);
        return VKP_EIO;
    }
    if (access(dir, W_OK) != 0) {
        snprintf(err, errlen,
                 "cannot read database '%s': SQLite needs '%s-wal' and '%s-shm' beside it, "
                 "and this user may not create them in '%s': run 'vkpulse init' once as "
                 "the database's owner (vkpulse then keeps them for readers)",
                 path, path, path, dir);
        return VKP_EIO;
    }
    return VKP_EIO;
}

/*
 * A user who may read the database but not write it or its folder (a moderator beside
 * the service's account) can read a WAL database only if its -wal and -shm files exist
 * and are readable: SQLite cannot create them for such a user. So every writer keeps
 * them when it closes (persistent WAL, truncated to nothing) and gives them the
 * database file's mode and group, whatever the umask was when they were made: whoever
 * may read the database may then read it beside a running collector, with SQLite's
 * locking, not around it.
 */
void store_share_side_files(struct store *st)
{
    char side[PATH_MAX];
    struct stat db, sb;
    int on = 1;

    sqlite3_file_control(st->db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
    if (stat(st->path, &db) != 0)
        return;
    for (int i = 0; i < 2; i++) {
        snprintf(side, sizeof side, "%s%s", st->path, i ? "-shm" : "-wal");
        /* By name, never through a descriptor of our own: closing one would drop the
         * POSIX locks SQLite holds on the file in this process. AT_SYMLINK_NOFOLLOW: a
         * link planted there is not followed. Root adjusts any file (SQLite gave them
         * the database's owner), others only their own; failures only leave the files
         * as private as before. */
        if (lstat(side, &sb) != 0 || !S_ISREG(sb.st_mode) ||
            (sb.st_uid != geteuid() && geteuid() != 0))
            continue;
        if (sb.st_gid != db.st_gid &&
            fchownat(AT_FDCWD, side, (uid_t)-1, db.st_gid, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if ((sb.st_mode & 0777) != (db.st_mode & 0666))
            (void)fchmodat(AT_FDCWD, side, db.st_mode & 0666, AT_SYMLINK_NOFOLLOW);
    }
}
