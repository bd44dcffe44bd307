/* test_suggest.c: cmocka tests of "did you mean" (core/suggest.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <getopt.h>

#include "suggest.h"

static const char *const words[] = {"interval", "horizon_days", "refresh_days", "status", "init"};

static const char *item(size_t i, const void *ud)
{
    (void)ud;
    return words[i];
}

static void test_suggest_distance_counts_a_swap_once(void **state)
{
    (void)state;
    assert_int_equal(suggest_distance("interval", "interval"), 0);
    assert_int_equal(suggest_distance("intervall", "interval"), 1);
    assert_int_equal(suggest_distance("stauts", "status"), 1);
    assert_int_equal(suggest_distance("Interval", "interval"), 0);
    assert_int_equal(suggest_distance("", "init"), 4);
}

static void test_suggest_closest_typos_only(void **state)
{
    (void)state;
    assert_string_equal(suggest_closest("intervall", item, 5, NULL), "interval");
    assert_string_equal(suggest_closest("horizon_day", item, 5, NULL), "horizon_days");
    assert_string_equal(suggest_closest("stauts", item, 5, NULL), "status");
    /* Far from everything: no guess. */
    assert_null(suggest_closest("timezone", item, 5, NULL));
    assert_null(suggest_closest("x", item, 5, NULL));
}

/* A command's options, as `vkpulse report` has them. */
static const struct option report_opts[] = {
    {"week", required_argument, NULL, 'w'},   {"weeks", required_argument, NULL, 'n'},
    {"format", required_argument, NULL, 'f'}, {"csv-shape", required_argument, NULL, 'W'},
    {"quiet", no_argument, NULL, 'q'},        {NULL, 0, NULL, 0},
};
static const char report_shorts[] = "w:n:f:q";

static void test_suggest_option_names_the_nearest(void **state)
{
    char msg[256];
    (void)state;
    suggest_option(report_opts, report_shorts, "--weak", 0, msg, sizeof msg);
    assert_string_equal(msg, "unknown option '--weak' (did you mean '--week'?)");
    /* The value given with it is not part of the name. */
    suggest_option(report_opts, report_shorts, "--fromat=json", 0, msg, sizeof msg);
    assert_string_equal(msg, "unknown option '--fromat' (did you mean '--format'?)");
    suggest_option(report_opts, report_shorts, "--csv_shape", 0, msg, sizeof msg);
    assert_string_equal(msg, "unknown option '--csv_shape' (did you mean '--csv-shape'?)");
    /* Far from every option: named, no guess. */
    suggest_option(report_opts, report_shorts, "--everything", 0, msg, sizeof msg);
    assert_string_equal(msg, "unknown option '--everything'");
}

static void test_suggest_option_says_what_else_is_wrong(void **state)
{
    char msg[256];
    (void)state;
    suggest_option(report_opts, report_shorts, "--we", 0, msg, sizeof msg);
    assert_string_equal(msg, "'--we' is ambiguous: --week --weeks");
    suggest_option(report_opts, report_shorts, "--week", 'w', msg, sizeof msg);
    assert_string_equal(msg, "'--week' needs a value");
    suggest_option(report_opts, report_shorts, "--qui=1", 'q', msg, sizeof msg);
    assert_string_equal(msg, "'--quiet' takes no value");
    suggest_option(report_opts, report_shorts, "-n", 'n', msg, sizeof msg);
    assert_string_equal(msg, "'-n' (--weeks) needs a value");
    /* A letter of no option; and one that is only a long option's code, not a short option. */
    suggest_option(report_opts, report_shorts, "-x", 'x', msg, sizeof msg);
    assert_string_equal(msg, "unknown option '-x'");
    suggest_option(report_opts, report_shorts, "-W", 'W', msg, sizeof msg);
    assert_string_equal(msg, "unknown option '-W'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suggest_distance_counts_a_swap_once),
        cmocka_unit_test(test_suggest_closest_typos_only),
        cmocka_unit_test(test_suggest_option_names_the_nearest),
        cmocka_unit_test(test_suggest_option_says_what_else_is_wrong),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
