/* test_config_token.c: where the access token comes from, and the files it may not come from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "config_fixture.h"
#include "err.h"

/* ---- config_token ------------------------------------------------------------ */

#define SECRET "vk1.a.SECRET-token-value-42"

static void test_config_token_from_env(void **state)
{
    struct fixture *fx = *state;
    struct config *cfg = load_ok(fx, "[vk]\ntoken_env = VKP_TEST_CONFIG_TOKEN\n" ONE_COMMUNITY);
    char *tok = NULL;

    assert_int_equal(setenv("VKP_TEST_CONFIG_TOKEN", SECRET, 1), 0);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), 0);
    assert_string_equal(tok, SECRET);
    free(tok);
    tok = NULL;

    /* Unset or empty: the message names the variable and the config, and there is no token. */
    assert_int_equal(unsetenv("VKP_TEST_CONFIG_TOKEN"), 0);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), VKP_ECONFIG);
    assert_null(tok);
    assert_non_null(strstr(fx->err, "VKP_TEST_CONFIG_TOKEN"));
    assert_non_null(strstr(fx->err, "is not set"));
    assert_non_null(strstr(fx->err, cfg->path));
    assert_int_equal(setenv("VKP_TEST_CONFIG_TOKEN", "", 1), 0);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), VKP_ECONFIG);
    assert_null(tok);
    assert_non_null(strstr(fx->err, "is empty")); /* set, but to nothing: not "not set" */

    /* A token pasted with a space or '&' is refused without being echoed. */
    assert_int_equal(setenv("VKP_TEST_CONFIG_TOKEN", SECRET " x", 1), 0);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), VKP_ECONFIG);
    assert_null(tok);
    assert_null(strstr(fx->err, SECRET));
    assert_int_equal(unsetenv("VKP_TEST_CONFIG_TOKEN"), 0);
}

/* A config whose [vk] token_file is a new file holding content; *path (if
 * not NULL) gets the file's name. */
static struct config *token_file_config(struct fixture *fx, const char *content, const char **path)
{
    char text[512];
    const char *file = write_tmp(fx, content);

    if (path)
        *path = file;
    snprintf(text, sizeof text, "[vk]\ntoken_file = %s\n" ONE_COMMUNITY, file);
    return load_ok(fx, text);
}

static void test_config_token_from_private_file(void **state)
{
    struct fixture *fx = *state;
    const char *tokfile = write_tmp(fx, SECRET "\n"); /* one token per line */
    char text[512];
    char *tok = NULL;

    assert_int_equal(chmod(tokfile, 0600), 0);
    snprintf(text, sizeof text,
             "[vk]\ntoken_env = VKP_TEST_CONFIG_TOKEN\ntoken_file = %s\n" ONE_COMMUNITY, tokfile);
    struct config *cfg = load_ok(fx, text);
    /* The file wins over the environment. */
    assert_int_equal(setenv("VKP_TEST_CONFIG_TOKEN", "from-env", 1), 0);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), 0);
    assert_string_equal(tok, SECRET);
    free(tok);
    assert_int_equal(unsetenv("VKP_TEST_CONFIG_TOKEN"), 0);
}

static void test_config_token_file_crlf(void **state)
{
    struct fixture *fx = *state;
    char *tok = NULL;
    struct config *cfg = token_file_config(fx, SECRET "\r\n", NULL);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), 0);
    assert_string_equal(tok, SECRET);
    free(tok);
}

static void test_config_token_file_readable_by_others_refused(void **state)
{
    struct fixture *fx = *state;
    const char *tokfile;
    char *tok = NULL;
    struct config *cfg = token_file_config(fx, SECRET "\n", &tokfile);
    static const mode_t modes[] = {0644, 0640, 0604, 0660, 0620};
    /* The message says who may do what (issue 16: 0640 was "readable by others"). */
    static const char *const says[] = {
        "mode 0644, which lets its group and others read it",
        "mode 0640, which lets its group read it",
        "mode 0604, which lets others read it",
        "mode 0660, which lets its group read it",
        "mode 0620, which lets its group change it",
    };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        assert_int_equal(chmod(tokfile, modes[i]), 0);
        fx->err[0] = '\0';
        assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), VKP_ECONFIG);
        assert_null(tok);
        assert_non_null(strstr(fx->err, tokfile));
        if (!strstr(fx->err, says[i]))
            fail_msg("mode %04o: '%s' lacks '%s'", (unsigned)modes[i], fx->err, says[i]);
        assert_non_null(strstr(fx->err, "chmod 600"));
        assert_null(strstr(fx->err, SECRET));
        assert_null(strstr(fx->err, "SECRET"));
    }
}

/* A byte order mark (Windows editors) is no part of the token; a directory or a FIFO
 * named as the token file is said to be one, and a FIFO is not waited on. */
/* A value with an escape sequence would reach terminals and logs (issue 16). */

static void test_config_token_file_bom_dir_fifo(void **state)
{
    struct fixture *fx = *state;
    const char *tokfile;
    char text[1024], dir[] = "/tmp/vkp_test_tokdir_XXXXXX", fifo[64];
    char *tok = NULL;
    struct config *cfg = token_file_config(fx, "\xef\xbb\xbf" SECRET "\r\n", &tokfile);

    assert_int_equal(chmod(tokfile, 0600), 0);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), 0);
    assert_string_equal(tok, SECRET);
    free(tok);
    tok = NULL;
    config_free(fx->cfg);
    fx->cfg = NULL;

    assert_non_null(mkdtemp(dir));
    snprintf(text, sizeof text, "[vk]\ntoken_file = %s\n" ONE_COMMUNITY, dir);
    cfg = load_ok(fx, text);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), VKP_ECONFIG);
    assert_null(tok);
    assert_non_null(strstr(fx->err, "is a directory"));
    config_free(fx->cfg);
    fx->cfg = NULL;

    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(text, sizeof text, "[vk]\ntoken_file = %s\n" ONE_COMMUNITY, fifo);
    cfg = load_ok(fx, text);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), VKP_ECONFIG);
    assert_non_null(strstr(fx->err, "is not a regular file"));
    unlink(fifo);
    rmdir(dir);
}

static void test_config_token_file_missing_or_empty(void **state)
{
    struct fixture *fx = *state;
    const char *empty;
    char *tok = NULL;
    struct config *cfg = token_file_config(fx, "", &empty);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), VKP_ECONFIG);
    assert_null(tok);
    assert_non_null(strstr(fx->err, "is empty"));
    config_free(fx->cfg);
    fx->cfg = NULL;

    cfg = load_ok(fx, "[vk]\ntoken_file = /tmp/vkp_test_config_no_token\n" ONE_COMMUNITY);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), VKP_ECONFIG);
    assert_null(tok);
    assert_non_null(strstr(fx->err, "/tmp/vkp_test_config_no_token"));
}

/* Several tokens: comma-separated in the variable, one per line in the file (blank lines
 * and '#' comments skipped), as one "t1,t2" list; a bad one is named by its place. */
static void test_config_token_several(void **state)
{
    struct fixture *fx = *state;
    struct config *cfg = load_ok(fx, "[vk]\ntoken_env = VKP_TEST_CONFIG_TOKEN\n" ONE_COMMUNITY);
    char *tok = NULL;

    assert_int_equal(setenv("VKP_TEST_CONFIG_TOKEN", " tokA, tokB,,tokC ", 1), 0);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), 0);
    assert_string_equal(tok, "tokA,tokB,tokC");
    free(tok);
    tok = NULL;
    assert_int_equal(setenv("VKP_TEST_CONFIG_TOKEN", "tokA," SECRET "&x", 1), 0);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), VKP_ECONFIG);
    assert_non_null(strstr(fx->err, "token 2"));
    assert_null(strstr(fx->err, SECRET));
    assert_int_equal(unsetenv("VKP_TEST_CONFIG_TOKEN"), 0);

    config_free(fx->cfg); /* the fixture frees the last one loaded */
    cfg = token_file_config(fx, "# moderators' tokens\ntokA\r\n\n  tokB  \n", NULL);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), 0);
    assert_string_equal(tok, "tokA,tokB");
    free(tok);
    tok = NULL;
    config_free(fx->cfg);
    cfg = token_file_config(fx, "tokA\n" SECRET " x\n", NULL);
    assert_int_equal(config_token(cfg, &tok, fx->err, sizeof fx->err), VKP_ECONFIG);
    assert_non_null(strstr(fx->err, "line 2"));
    assert_null(strstr(fx->err, SECRET));
}

/* ---- [alerts], [service] and [channel] ------------------------------------------------ */

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_config_token_from_env),
        T(test_config_token_from_private_file),
        T(test_config_token_file_crlf),
        T(test_config_token_file_readable_by_others_refused),
        T(test_config_token_file_bom_dir_fifo),
        T(test_config_token_file_missing_or_empty),
        T(test_config_token_several),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
