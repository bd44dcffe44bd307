/* outfile.c: output files written aside with O_CREAT|O_EXCL and renamed only over regular files. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "infile.h"

/* The group output files are shared with, (gid_t)-1 for none (outfile_share). */
static gid_t share_gid = (gid_t)-1;

void outfile_share(gid_t gid)
{
    share_gid = gid;
}

/* Gives a file or folder we made the shared group and mode, or leaves it private. */
static int share(int fd, const char *dir, mode_t mode, const char *path, char *err, size_t errlen)
{
    if (share_gid == (gid_t)-1)
        return 0;
    /* A folder by its name (dir), else the open file fd. */
    int bad = dir ? chown(dir, (uid_t)-1, share_gid) != 0 || chmod(dir, mode) != 0
                  : fchown(fd, (uid_t)-1, share_gid) != 0 || fchmod(fd, mode) != 0;
    if (bad) {
        snprintf(err, errlen,
                 "cannot share '%s' with group %lu: %s (the user running vkpulse must belong "
                 "to [service] report_group)",
                 path, (unsigned long)share_gid, strerror(errno));
        return VKP_EIO;
    }
    return 0;
}

int outfile_mkdir(const char *dir, char *err, size_t errlen)
{
    struct stat sb;

    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create folder '%s': %s", dir, strerror(errno));
        return VKP_EIO;
    }
    errno = 0;
    if (lstat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        snprintf(err, errlen, "cannot use '%s' as a folder: %s", dir,
                 errno ? strerror(errno) : "it is not one");
        return VKP_EIO;
    }
    /* A folder someone else made stays theirs: only ours follow the setting. */
    if (sb.st_uid != geteuid())
        return 0;
    return share(-1, dir, 0750, dir, err, errlen);
}

/* Is the target something a rename may replace? Absent or a regular file. */
static int target_ok(const char *path, char *err, size_t errlen)
{
    struct stat sb;
    const char *what;

    if (lstat(path, &sb) != 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        return VKP_EIO;
    }
    if (S_ISREG(sb.st_mode))
        return 0;
    what = infile_kind(sb.st_mode);
    snprintf(err, errlen,
             "cannot write '%s': it is %s; --output takes the name of a regular file, which is "
             "replaced whole",
             path, what);
    return VKP_EUSAGE;
}

int outfile_open(struct outfile *o, const char *path, char *err, size_t errlen)
{
    int fd = -1, rc;

    memset(o, 0, sizeof *o);
    o->path = path;
    if ((rc = target_ok(path, err, errlen)) != 0)
        return rc;
    if (asprintf(&o->tmp, "%s.XXXXXX", path) < 0) {
        o->tmp = NULL;
        snprintf(err, errlen, "cannot write '%s': out of memory", path);
        return VKP_ENOMEM;
    }
    /* mkstemp: O_CREAT|O_EXCL, mode 0600, in the target's directory. */
    if ((fd = mkstemp(o->tmp)) < 0 || !(o->f = fdopen(fd, "w"))) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->tmp);
        o->tmp = NULL;
        return VKP_EIO;
    }
    return 0;
}

int outfile_commit(struct outfile *o, char *err, size_t errlen)
{
    int rc = VKP_EIO, bad;

    bad = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
    if (!bad && (rc = share(fileno(o->f), NULL, 0640, o->path, err, errlen)) != 0) {
        fclose(o->f);
        o->f = NULL;
        goto fail;
    }
    rc = VKP_EIO;
    if (fclose(o->f) != 0)
        bad = 1;
    o->f = NULL;
    if (bad) {
        snprintf(err, errlen, "cannot write '%s': %s", o->path, strerror(errno));
        goto fail;
    }
    /* Something may have been planted at the target while we wrote. */
    if ((rc = target_ok(o->path, err, errlen)) != 0)
        goto fail;
    if (rename(o->tmp, o->path) != 0) {
        rc = VKP_EIO;
        snprintf(err, errlen, "cannot write '%s': %s", o->path, strerror(errno));
        goto fail;
    }
    free(o->tmp);
    o->tmp = NULL;
    return 0;
fail:
    outfile_abort(o);
    return rc;
}

void outfile_abort(struct outfile *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp) {
        unlink(o->tmp);
        free(o->tmp);
    }
    o->tmp = NULL;
}

int outfile_close_stdout(char *err, size_t errlen)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    snprintf(err, errlen, "cannot write to standard output: %s",
             errno ? strerror(errno) : "write error");
    return VKP_EIO;
}
