/* test_log.c: log lines carry the journal's priority prefix exactly when stderr is the journal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

/* Runs fn with stderr sent to a temporary file, JOURNAL_STREAM set as `env`
 * says ("match": that file's dev:ino, NULL: unset, else the text), and
 * returns what was written. */
static char *captured(const char *env, void (*fn)(void))
{
    static char out[4096];
    char path[] = "/tmp/vkp_test_log_XXXXXX", val[64];
    int fd = mkstemp(path), saved = dup(STDERR_FILENO);
    struct stat sb;

    assert_true(fd >= 0 && saved >= 0);
    assert_int_equal(fstat(fd, &sb), 0);
    if (!env)
        unsetenv("JOURNAL_STREAM");
    else if (strcmp(env, "match") == 0) {
        snprintf(val, sizeof val, "%llu:%llu", (unsigned long long)sb.st_dev,
                 (unsigned long long)sb.st_ino);
        setenv("JOURNAL_STREAM", val, 1);
    } else
        setenv("JOURNAL_STREAM", env, 1);
    fflush(stderr);
    dup2(fd, STDERR_FILENO);
    fn();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    ssize_t n = pread(fd, out, sizeof out - 1, 0);
    assert_true(n >= 0);
    out[n] = '\0';
    close(fd);
    unlink(path);
    unsetenv("JOURNAL_STREAM");
    return out;
}

static void four_levels(void)
{
    log_set_level(LOG_DEBUG);
    log_error("e %d", 1);
    log_warn("w");
    log_info("i");
    log_debug("d");
    log_set_level(LOG_INFO);
}

/* The four lines of four_levels, each after its priority prefix when `journal`. */
static void assert_four(const char *out, int journal)
{
    char want[256];
    snprintf(want, sizeof want,
             "%svkpulse: error: e 1\n%svkpulse: warning: w\n%svkpulse: i\n"
             "%svkpulse: debug: d\n",
             journal ? "<3>" : "", journal ? "<4>" : "", journal ? "<6>" : "",
             journal ? "<7>" : "");
    assert_string_equal(out, want);
}

static void test_journal_gets_priorities(void **state)
{
    (void)state;
    assert_four(captured("match", four_levels), 1);
}

static void test_plain_stderr_has_none(void **state)
{
    (void)state;
    assert_four(captured(NULL, four_levels), 0);
}

/* A child whose stderr was redirected inherits the variable: it must not count. */
static void test_inherited_stream_elsewhere_has_none(void **state)
{
    (void)state;
    assert_four(captured("1:2", four_levels), 0);
    assert_four(captured("garbage", four_levels), 0);
}

static void one_info(void)
{
    log_info("a\033]0;title\007b");
}

/* The prefix is the line's first bytes: control characters in the text cannot forge one. */
static void test_prefix_then_sanitized_text(void **state)
{
    (void)state;
    const char *out = captured("match", one_info);
    assert_int_equal(strncmp(out, "<6>vkpulse: ", 12), 0);
    assert_null(strchr(out + 12, '\033'));
    assert_null(strchr(out + 12, '\007'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_journal_gets_priorities),
                                       cmocka_unit_test(test_plain_stderr_has_none),
                                       cmocka_unit_test(test_inherited_stream_elsewhere_has_none),
                                       cmocka_unit_test(test_prefix_then_sanitized_text)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
