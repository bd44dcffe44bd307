/* outfile.h: output files that appear whole or not at all, and never replace what is not a file. */
#ifndef VKP_OUTFILE_H
#define VKP_OUTFILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * One file being written. The text goes to a temporary created with
 * O_CREAT|O_EXCL (mkstemp, mode 0600) beside the target, in the same
 * directory, so that a planted file or symbolic link is never followed and the
 * final rename stays on one file system. The target must be absent or a
 * regular file: a directory, a device (/dev/full), a FIFO or a symbolic link
 * is refused with a message before anything is written, and checked again
 * just before the rename.
 */
struct outfile {
    FILE *f;          /* write here between outfile_open and outfile_commit */
    char *tmp;        /* the temporary's name, NULL once renamed or removed */
    const char *path; /* the target, as given (not owned) */
};

/*
 * outfile_open: check the target and create the temporary. 0, or VKP_EIO /
 * VKP_EUSAGE / VKP_ENOMEM with a message naming the path in err; nothing is
 * left behind on failure.
 */
int outfile_open(struct outfile *o, const char *path, char *err, size_t errlen);

/*
 * outfile_commit: flush, sync and close the temporary and rename it over the
 * target. 0, or an error with a message in err (the temporary is removed and
 * the target left as it was). Always releases o.
 */
int outfile_commit(struct outfile *o, char *err, size_t errlen);

/* outfile_abort: remove the temporary and release o; on a zeroed or
 * released outfile it does nothing. */
void outfile_abort(struct outfile *o);

/*
 * outfile_share: files committed from now on are given group gid and mode
 * 0640, folders made by outfile_mkdir 0750 ([service] report_group); the
 * user must be root or belong to the group. (gid_t)-1 (the default): files
 * stay 0600 and folders 0700, owner only.
 */
void outfile_share(gid_t gid);

/*
 * outfile_mkdir: create the folder dir (its parent must exist) 0700, or
 * 0750 with the shared group; an existing folder of ours is brought to the
 * same, one of another user is left as it is. 0, or VKP_EIO with a message.
 */
int outfile_mkdir(const char *dir, char *err, size_t errlen);

/*
 * outfile_close_stdout: flush stdout and report a failed write (a full disk,
 * a closed pipe) as VKP_EIO with a message in err, so that a command whose
 * output was lost does not exit 0.
 */
int outfile_close_stdout(char *err, size_t errlen);

#endif
