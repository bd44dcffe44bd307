/* infile.c: opening what a user named for reading: regular files only, without blocking. */
#include "infile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"

const char *infile_kind(mode_t mode)
{
    return S_ISREG(mode)                    ? "a regular file"
           : S_ISDIR(mode)                  ? "a directory"
           : S_ISLNK(mode)                  ? "a symbolic link"
           : S_ISFIFO(mode)                 ? "a FIFO"
           : S_ISCHR(mode) || S_ISBLK(mode) ? "a device"
           : S_ISSOCK(mode)                 ? "a socket"
                                            : "not a regular file";
}

int infile_open(const char *path, const char *what, const char *key, off_t *size, char *err,
                size_t errlen)
{
    struct stat sb;
    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer forever. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "cannot open %s '%s'%s%s%s: %s", what, path, key ? " (" : "",
                 key ? key : "", key ? ")" : "", strerror(e));
        return VKP_EIO;
    }
    if (fstat(fd, &sb) != 0) {
        snprintf(err, errlen, "cannot read %s '%s': %s", what, path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, errlen,
                 "%s '%s'%s%s%s is not a regular file (it is %s): name the file itself", what, path,
                 key ? " (" : "", key ? key : "", key ? ")" : "", infile_kind(sb.st_mode));
        goto fail;
    }
    if (fcntl(fd, F_SETFL, 0) != 0) {
        snprintf(err, errlen, "cannot read %s '%s': %s", what, path, strerror(errno));
        goto fail;
    }
    if (size)
        *size = sb.st_size;
    return fd;
fail:
    close(fd);
    return VKP_EIO;
}

int infile_read(const char *path, const char *what, size_t max, char **buf, size_t *len, char *err,
                size_t errlen)
{
    off_t size = 0;
    size_t n = 0;
    char *b = NULL;
    int rc = VKP_EIO, fd = infile_open(path, what, NULL, &size, err, errlen);

    *buf = NULL;
    *len = 0;
    if (fd < 0)
        return fd;
    if ((unsigned long long)size > max) {
        snprintf(err, errlen, "%s '%s' is larger than %zu bytes", what, path, max);
        rc = VKP_ETOOBIG;
        goto out;
    }
    /* Up to one byte more than the file holds (or may hold), to see one that grew. */
    size_t want = ((size_t)size < max ? (size_t)size : max) + 1;
    if (!(b = malloc(want + 1))) {
        snprintf(err, errlen, "%s '%s': out of memory", what, path);
        rc = VKP_ENOMEM;
        goto out;
    }
    while (n < want) {
        ssize_t r = read(fd, b + n, want - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, errlen, "cannot read %s '%s': %s", what, path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > max) {
        snprintf(err, errlen, "%s '%s' is larger than %zu bytes", what, path, max);
        rc = VKP_ETOOBIG;
        goto out;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    b = NULL;
    rc = 0;
out:
    free(b);
    close(fd);
    return rc;
}
