/* infile.h: input files opened only when they are regular files, never waited on. */
#ifndef VKP_INFILE_H
#define VKP_INFILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Every file vkpulse reads because a user named it (the config, a token
 * file, a survey or roster export, a municipality map) goes through here:
 * it is opened with O_NONBLOCK, so a FIFO does not wait for a writer, and
 * anything but a regular file (a FIFO, a device, a directory, a socket) is
 * refused with a message before a byte is read.
 */

/* infile_kind: "a directory", "a FIFO", "a device", "a symbolic link", "a
 * socket" or "a regular file", for messages about what a path is. */
const char *infile_kind(mode_t mode);

/*
 * infile_open: opens path for reading (blocking again once it is known to be
 * a regular file). what names the file's role in messages ("config file",
 * "token file"), key (or NULL) the setting that named it ("[vk] token_file").
 * Returns the descriptor (its size in *size when not NULL), or a negative vkp
 * error with the message in err: VKP_EIO when it cannot be opened or is not a
 * regular file.
 */
int infile_open(const char *path, const char *what, const char *key, off_t *size, char *err,
                size_t errlen);

/*
 * infile_read: the whole regular file at path, at most max bytes, in a new
 * NUL-terminated heap buffer (*buf, length *len; the caller frees it). 0, or
 * VKP_EIO / VKP_ETOOBIG / VKP_ENOMEM with a message naming the file.
 */
int infile_read(const char *path, const char *what, size_t max, char **buf, size_t *len, char *err,
                size_t errlen);

#endif
