/* config_fixture.h: what the config tests share: temp files, loading, expecting an error. */
#ifndef VKP_CONFIG_FIXTURE_H
#define VKP_CONFIG_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "err.h"

/* ---- helpers --------------------------------------------------------------- */

/* Every file a test writes, removed by the teardown. */
#define MAX_TMP 8

struct fixture {
    char *files[MAX_TMP]; /* heap paths of the temp files */
    int nfiles;           /* how many */
    struct config *cfg;   /* the loaded config, freed by the teardown */
    char err[1024];       /* the last error message */
};

/* One community, enough to make a file valid. */
#define ONE_COMMUNITY "[community]\ngroup = g1\nkind = rmo\nsurvey_name = Survey one\n"

static inline int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    *state = fx;
    return 0;
}

static inline int teardown(void **state)
{
    struct fixture *fx = *state;
    for (int i = 0; i < fx->nfiles; i++) {
        unlink(fx->files[i]);
        free(fx->files[i]);
    }
    config_free(fx->cfg);
    free(fx);
    return 0;
}

/* Writes len bytes of text to a new file in /tmp (mode 0600, from mkstemp)
 * and returns its path, owned by the fixture. */
static inline const char *write_tmp_n(struct fixture *fx, const char *text, size_t len)
{
    char tmpl[] = "/tmp/vkp_test_config_XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
    assert_true(fx->nfiles < MAX_TMP);
    fx->files[fx->nfiles] = strdup(tmpl);
    assert_non_null(fx->files[fx->nfiles]);
    return fx->files[fx->nfiles++];
}

static inline const char *write_tmp(struct fixture *fx, const char *text)
{
    return write_tmp_n(fx, text, strlen(text));
}

/* Loads text as a config and expects success. */
static inline struct config *load_ok(struct fixture *fx, const char *text)
{
    const char *path = write_tmp(fx, text);
    int rc = config_load(path, &fx->cfg, fx->err, sizeof fx->err);
    if (rc != 0)
        print_error("unexpected error: %s\n", fx->err);
    assert_int_equal(rc, 0);
    assert_non_null(fx->cfg);
    return fx->cfg;
}

/* Loads len bytes as a config and expects VKP_ECONFIG with a message that
 * begins with "<file>:<line>: " and contains `what`. */
static inline void expect_error_n(struct fixture *fx, const char *text, size_t len, int line,
                                  const char *what)
{
    const char *path = write_tmp_n(fx, text, len);
    char prefix[256];
    struct config *cfg = (struct config *)0x1;

    int rc = config_load(path, &cfg, fx->err, sizeof fx->err);
    assert_int_equal(rc, VKP_ECONFIG);
    assert_null(cfg);
    snprintf(prefix, sizeof prefix, "%s:%d: ", path, line);
    if (strncmp(fx->err, prefix, strlen(prefix)) != 0)
        print_error("message '%s' does not start with '%s'\n", fx->err, prefix);
    assert_int_equal(strncmp(fx->err, prefix, strlen(prefix)), 0);
    if (!strstr(fx->err, what))
        print_error("message '%s' does not say '%s'\n", fx->err, what);
    assert_non_null(strstr(fx->err, what));
}

static inline void expect_error(struct fixture *fx, const char *text, int line, const char *what)
{
    expect_error_n(fx, text, strlen(text), line, what);
}

/* The directory part of a temp file's path ("/tmp"). */
static inline const char *tmp_dir(void)
{
    return "/tmp";
}

#endif
