/* test_config_check.c: cmocka tests of config_check (core/config.h): every error of a file in
 * one pass, each with its file:line, where config_load stops at the first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"

#define NAME "/tmp/vkp_check.ini"
#define MAX_SAID 16

/* What config_check told, and what it gave back. */
struct said {
    char msg[MAX_SAID][512];
    size_t n;
    struct config *cfg; /* freed by the test */
};

static void tell(void *ud, const char *msg)
{
    struct said *s = ud;
    assert_true(s->n < MAX_SAID);
    snprintf(s->msg[s->n++], sizeof s->msg[0], "%s", msg);
}

/* config_check of text into s; its return. The count it gives is what it told. */
static int check(const char *text, struct said *s)
{
    char err[256];
    size_t n = 99;
    int rc;

    memset(s, 0, sizeof *s);
    s->cfg = (struct config *)0x1;
    rc = config_check(NAME, text, tell, s, &s->cfg, &n, err, sizeof err);
    assert_int_equal(n, s->n);
    return rc;
}

/* The i-th error told begins with NAME:line: and says what. */
static void said(const struct said *s, size_t i, int line, const char *what)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, NAME ":%d: ", line);
    if (i >= s->n || strncmp(s->msg[i], prefix, strlen(prefix)) != 0 || !strstr(s->msg[i], what))
        print_error("error %zu: '%s', expected '%s...%s'\n", i, i < s->n ? s->msg[i] : "(none)",
                    prefix, what);
    assert_true(i < s->n);
    assert_int_equal(strncmp(s->msg[i], prefix, strlen(prefix)), 0);
    assert_non_null(strstr(s->msg[i], what));
}

static void test_config_check_tells_every_error(void **state)
{
    static const char text[] = "[vk]\n"                               /* 1 */
                               "token_file = /nonexistent/vk-token\n" /* 2 */
                               "timeout = soon\n"                     /* 3 */
                               "[collect]\n"                          /* 4 */
                               "intervall = 3600\n"                   /* 5 */
                               "[colect]\n"                           /* 6 */
                               "interval = 3600\n"                    /* 7: skipped */
                               "[region]\n"                           /* 8 */
                               "timezone = Asia/Chelyabinsk\n"        /* 9 */
                               "[community]\n"                        /* 10 */
                               "kind = rmo\n"                         /* 11 */
                               "survey_name = One\n"                  /* 12 */
                               "[community]\n"                        /* 13 */
                               "group = g2\nkind = rmo\nsurvey_name = Two\n";
    struct said s;
    struct config *cfg = NULL;
    char err[256];
    (void)state;

    assert_int_equal(check(text, &s), 0);
    assert_non_null(s.cfg);
    assert_int_equal(s.n, 6);
    said(&s, 0, 3, "'timeout' must be a whole number, not 'soon'");
    said(&s, 1, 5, "unknown key 'intervall' in [collect] (did you mean 'interval'?)");
    said(&s, 2, 6, "unknown section [colect] (did you mean [collect]?)");
    said(&s, 3, 10, "this [community] has no 'group'");
    said(&s, 4, 9, "unknown time zone 'Asia/Chelyabinsk'");
    said(&s, 5, 2, "cannot open token file '/nonexistent/vk-token'");
    /* The refused value's default stands in, so the rest could be checked. */
    assert_int_equal(s.cfg->timeout, 30);
    config_free(s.cfg);
    /* config_load stops at the first. */
    assert_int_equal(config_load_string(NAME, text, &cfg, err, sizeof err), VKP_ECONFIG);
    assert_null(cfg);
    assert_non_null(strstr(err, NAME ":3: 'timeout' must be a whole number"));
}

static void test_config_check_of_a_good_file(void **state)
{
    struct said s;
    (void)state;

    assert_int_equal(check("[community]\ngroup = g1\nkind = rmo\nsurvey_name = One\n"
                           "[collect]\ninterval = 3600\n",
                           &s),
                     0);
    assert_int_equal(s.n, 0);
    assert_non_null(s.cfg);
    assert_int_equal(s.cfg->interval, 3600);
    config_free(s.cfg);
}

/* What a missing or refused value leaves unknown is not judged again: two communities
 * without a group are not "listed twice", a channel of no known type lacks nothing. */
static void test_config_check_no_error_follows_from_another(void **state)
{
    struct said s;
    (void)state;

    assert_int_equal(check("[community]\nkind = rmo\nsurvey_name = One\n" /* 1-3 */
                           "[community]\nkind = rmo\nsurvey_name = Two\n" /* 4-6 */
                           "[channel]\ntype = pigeon\n",                  /* 7-8 */
                           &s),
                     0);
    assert_int_equal(s.n, 3);
    said(&s, 0, 8, "'type' must be one of");
    said(&s, 1, 1, "this [community] has no 'group'");
    said(&s, 2, 4, "this [community] has no 'group'");
    config_free(s.cfg);
}

/* The lines after a syntax error are not read: the errors before it and it are told. */
static void test_config_check_ends_at_a_syntax_error(void **state)
{
    struct said s;
    (void)state;

    assert_int_equal(check("[collect]\nintervall = 5\n[region\nbad = 1\n", &s), VKP_ECONFIG);
    assert_null(s.cfg);
    assert_int_equal(s.n, 2);
    said(&s, 0, 2, "unknown key 'intervall'");
    said(&s, 1, 3, "section header without a closing ']'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_check_tells_every_error),
        cmocka_unit_test(test_config_check_of_a_good_file),
        cmocka_unit_test(test_config_check_no_error_follows_from_another),
        cmocka_unit_test(test_config_check_ends_at_a_syntax_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
