/* test_suggest.c: cmocka tests of "did you mean" (core/suggest.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suggest_distance_counts_a_swap_once),
        cmocka_unit_test(test_suggest_closest_typos_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
