/* test_outfile.c: output files appear whole, privately, and never replace what is not a file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "outfile.h"

struct fixture {
    char dir[64];   /* a private temporary directory */
    char path[128]; /* the target inside it */
    char err[512];  /* the last message */
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/vkp_test_outfile_XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    snprintf(fx->path, sizeof fx->path, "%s/out.txt", fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    struct dirent *e;
    char p[384];
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", fx->dir, e->d_name);
        if (rmdir(p) != 0)
            unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

/* Number of entries in the directory, so that no temporary is left behind. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void read_back(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static void test_outfile_writes_whole_and_private(void **state)
{
    struct fixture *fx = *state;
    struct outfile o;
    struct stat sb;
    char buf[64];

    mode_t old = umask(0);
    assert_int_equal(outfile_open(&o, fx->path, fx->err, sizeof fx->err), 0);
    umask(old);
    fputs("first", o.f);
    /* Nothing at the target until the commit. */
    assert_int_not_equal(access(fx->path, F_OK), 0);
    assert_int_equal(outfile_commit(&o, fx->err, sizeof fx->err), 0);
    read_back(fx->path, buf, sizeof buf);
    assert_string_equal(buf, "first");
    assert_int_equal(stat(fx->path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* A regular file is replaced. */
    assert_int_equal(outfile_open(&o, fx->path, fx->err, sizeof fx->err), 0);
    fputs("second", o.f);
    assert_int_equal(outfile_commit(&o, fx->err, sizeof fx->err), 0);
    read_back(fx->path, buf, sizeof buf);
    assert_string_equal(buf, "second");
    assert_int_equal(entries(fx->dir), 1);
}

static void test_outfile_refuses_what_is_not_a_file(void **state)
{
    struct fixture *fx = *state;
    struct outfile o;
    char victim[160], buf[64];

    /* a directory */
    assert_int_equal(mkdir(fx->path, 0700), 0);
    assert_int_equal(outfile_open(&o, fx->path, fx->err, sizeof fx->err), VKP_EUSAGE);
    assert_non_null(strstr(fx->err, "it is a directory"));
    assert_int_equal(rmdir(fx->path), 0);
    /* a FIFO */
    assert_int_equal(mkfifo(fx->path, 0600), 0);
    assert_int_equal(outfile_open(&o, fx->path, fx->err, sizeof fx->err), VKP_EUSAGE);
    assert_non_null(strstr(fx->err, "it is a FIFO"));
    assert_int_equal(unlink(fx->path), 0);
    /* a symbolic link: its target is not touched */
    snprintf(victim, sizeof victim, "%s/victim", fx->dir);
    FILE *f = fopen(victim, "w");
    assert_non_null(f);
    fputs("precious", f);
    fclose(f);
    assert_int_equal(symlink(victim, fx->path), 0);
    assert_int_equal(outfile_open(&o, fx->path, fx->err, sizeof fx->err), VKP_EUSAGE);
    assert_non_null(strstr(fx->err, "it is a symbolic link"));
    read_back(victim, buf, sizeof buf);
    assert_string_equal(buf, "precious");
    assert_int_equal(entries(fx->dir), 2); /* the link and its target, no temporary */
}

/* Something planted at the target while the file was written is not replaced. */
static void test_outfile_checks_again_before_rename(void **state)
{
    struct fixture *fx = *state;
    struct outfile o;

    assert_int_equal(outfile_open(&o, fx->path, fx->err, sizeof fx->err), 0);
    fputs("text", o.f);
    assert_int_equal(symlink("/etc/passwd", fx->path), 0);
    assert_int_equal(outfile_commit(&o, fx->err, sizeof fx->err), VKP_EUSAGE);
    assert_non_null(strstr(fx->err, "symbolic link"));
    assert_null(o.tmp);
    assert_null(o.f);
    assert_int_equal(entries(fx->dir), 1); /* only the planted link */
}

static void test_outfile_abort_leaves_nothing(void **state)
{
    struct fixture *fx = *state;
    struct outfile o = {0};

    outfile_abort(&o); /* a zeroed one: nothing to do */
    assert_int_equal(outfile_open(&o, fx->path, fx->err, sizeof fx->err), 0);
    fputs("half", o.f);
    outfile_abort(&o);
    outfile_abort(&o); /* twice is harmless */
    assert_int_equal(entries(fx->dir), 0);
    /* a directory that does not exist */
    snprintf(fx->path, sizeof fx->path, "%s/no/such/file", fx->dir);
    assert_int_equal(outfile_open(&o, fx->path, fx->err, sizeof fx->err), VKP_EIO);
    assert_non_null(strstr(fx->err, "cannot write"));
}

/* Writes "x" to path through an outfile and returns the file's mode bits. */
static unsigned mode_of_written(struct fixture *fx, const char *path, struct stat *sb)
{
    struct outfile o;
    assert_int_equal(outfile_open(&o, path, fx->err, sizeof fx->err), 0);
    fputs("x", o.f);
    assert_int_equal(outfile_commit(&o, fx->err, sizeof fx->err), 0);
    assert_int_equal(stat(path, sb), 0);
    return (unsigned)(sb->st_mode & 0777);
}

/* report_group: folders 0750 and files 0640 with the group, whatever the umask;
 * unset, owner only; a folder of ours made before follows the setting. */
static void test_outfile_share_with_group(void **state)
{
    struct fixture *fx = *state;
    char dir[160], file[200];
    struct stat sb;
    mode_t old = umask(0);

    snprintf(dir, sizeof dir, "%s/reports", fx->dir);
    snprintf(file, sizeof file, "%s/r.html", dir);
    assert_int_equal(outfile_mkdir(dir, fx->err, sizeof fx->err), 0);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    assert_int_equal(mode_of_written(fx, file, &sb), 0600);

    outfile_share(getgid());
    assert_int_equal(outfile_mkdir(dir, fx->err, sizeof fx->err), 0);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0750);
    assert_int_equal(sb.st_gid, getgid());
    assert_int_equal(mode_of_written(fx, file, &sb), 0640);
    assert_int_equal(sb.st_gid, getgid());

    outfile_share((gid_t)-1);
    assert_int_equal(mode_of_written(fx, file, &sb), 0600);
    umask(old);
    unlink(file);

    /* A file where the folder should be: said so. */
    mode_of_written(fx, fx->path, &sb);
    assert_int_equal(outfile_mkdir(fx->path, fx->err, sizeof fx->err), VKP_EIO);
    assert_non_null(strstr(fx->err, "it is not one"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_outfile_writes_whole_and_private, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outfile_refuses_what_is_not_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outfile_checks_again_before_rename, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outfile_abort_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outfile_share_with_group, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
