/* test_week.c: cmocka tests of ISO weeks in a time zone (core/week.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "week.h"

/* Epoch seconds computed independently with date(1), e.g.
 * date -d "2026-11-16 00:00 +05" +%s. */
#define W47_START 1794769200 /* Monday 2026-11-16 00:00 in Yekaterinburg (UTC+5) */
#define W47_END 1795374000   /* Monday 2026-11-23 00:00 */

static char err[512];

static int set_yekaterinburg(void **state)
{
    (void)state;
    return week_zone_set("Asia/Yekaterinburg", err, sizeof err);
}

static void test_week_make_is_monday_to_monday_local(void **state)
{
    struct week w;
    char buf[32];
    (void)state;
    assert_int_equal(week_make(2026, 47, &w), 0);
    assert_int_equal(w.start, W47_START);
    assert_int_equal(w.end, W47_END);
    week_format(&w, buf, sizeof buf);
    assert_string_equal(buf, "2026-W47");
    week_local(w.start, "%Y-%m-%d %H:%M %a", buf, sizeof buf);
    assert_string_equal(buf, "2026-11-16 00:00 Mon");
}

static void test_week_parse_forms_and_errors(void **state)
{
    struct week w;
    (void)state;
    assert_int_equal(week_parse("2026-W47", &w, err, sizeof err), 0);
    assert_int_equal(w.start, W47_START);
    assert_int_equal(week_parse("2026w47", &w, err, sizeof err), 0);
    assert_int_equal(w.week, 47);
    assert_int_equal(week_parse("2020-W53", &w, err, sizeof err), 0);
    assert_int_equal(w.start, 1609095600);

    assert_int_equal(week_parse("2021-W53", &w, err, sizeof err), VKP_EUSAGE);
    assert_non_null(strstr(err, "2021 has 52 ISO weeks"));
    assert_int_equal(week_parse("2026-W00", &w, err, sizeof err), VKP_EUSAGE);
    const char *bad[] = {"2026-47", "2026-W5", "2026-W470", "W47", "", "2026-11-16", "26-W47"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(week_parse(bad[i], &w, err, sizeof err), VKP_EUSAGE);
        assert_non_null(strstr(err, "YYYY-Www"));
    }
}

static void test_week_of_year_edges(void **state)
{
    struct week w;
    (void)state;
    /* Friday 1 January 2021 belongs to the last week of 2020. */
    assert_int_equal(week_of(1609484400, &w), 0);
    assert_int_equal(w.year, 2020);
    assert_int_equal(w.week, 53);
    /* 2026 starts on a Thursday: it has 53 weeks, and 1 January 2027 is in W53. */
    assert_int_equal(week_weeks_in_year(2026), 53);
    assert_int_equal(week_weeks_in_year(2025), 52);
    assert_int_equal(week_of(1798786800, &w), 0);
    assert_int_equal(w.year, 2026);
    assert_int_equal(w.week, 53);
    /* Monday 30 December 2024 opens 2025-W01. */
    assert_int_equal(week_of(1735498800, &w), 0);
    assert_int_equal(w.year, 2025);
    assert_int_equal(w.week, 1);
    assert_int_equal(w.start, 1735498800);
}

static void test_week_of_boundaries_are_half_open(void **state)
{
    struct week w;
    (void)state;
    assert_int_equal(week_of(W47_START, &w), 0);
    assert_int_equal(w.week, 47);
    assert_int_equal(week_of(W47_START - 1, &w), 0);
    assert_int_equal(w.week, 46);
    assert_int_equal(week_of(W47_END - 1, &w), 0);
    assert_int_equal(w.week, 47);
    assert_int_equal(week_of(W47_END, &w), 0);
    assert_int_equal(w.week, 48);
    /* 18:59 UTC on Sunday is 23:59 in Yekaterinburg: still W47 there. */
    assert_int_equal(week_of(W47_END - 60, &w), 0);
    assert_int_equal(w.week, 47);
}

static void test_week_last_complete(void **state)
{
    struct week w;
    (void)state;
    /* Monday 08:40 local: last week is complete. */
    assert_int_equal(week_last_complete(W47_END + 8 * 3600 + 2400, &w), 0);
    assert_int_equal(w.week, 47);
    /* Exactly at Monday 00:00 the week that just ended counts as complete. */
    assert_int_equal(week_last_complete(W47_END, &w), 0);
    assert_int_equal(w.week, 47);
    /* Sunday 23:59: W47 is not over, so the last complete one is W46. */
    assert_int_equal(week_last_complete(W47_END - 60, &w), 0);
    assert_int_equal(w.week, 46);
    assert_int_equal(w.end, W47_START);
}

static void test_week_shift_across_years(void **state)
{
    struct week w, s;
    (void)state;
    assert_int_equal(week_make(2026, 1, &w), 0);
    assert_int_equal(week_shift(&w, -1, &s), 0);
    assert_int_equal(s.year, 2025);
    assert_int_equal(s.week, 52);
    assert_int_equal(s.end, w.start);
    assert_int_equal(week_shift(&s, 53, &w), 0);
    assert_int_equal(w.year, 2026);
    assert_int_equal(w.week, 53);
    assert_int_equal(week_shift(&w, 1, &s), 0);
    assert_int_equal(s.year, 2027);
    assert_int_equal(s.week, 1);
    assert_int_equal(week_make(2026, 47, &w), 0);
    assert_int_equal(week_shift(&w, -8, &s), 0);
    assert_int_equal(s.week, 39);
    assert_int_equal(w.start - s.start, 8 * 7 * 86400); /* no DST in Yekaterinburg */
}

static void test_week_dst_zone_has_a_short_week(void **state)
{
    struct week w;
    (void)state;
    assert_int_equal(week_zone_set("Europe/Berlin", err, sizeof err), 0);
    /* Summer time starts on Sunday 29 March 2026: that week is an hour short. */
    assert_int_equal(week_make(2026, 13, &w), 0);
    assert_int_equal(w.start, 1774220400);
    assert_int_equal(w.end, 1774821600);
    assert_int_equal(w.end - w.start, 7 * 86400 - 3600);
    assert_int_equal(week_zone_set("Asia/Yekaterinburg", err, sizeof err), 0);
}

static void test_week_zone_errors(void **state)
{
    struct week w;
    (void)state;
    assert_int_equal(week_zone_set("Asia/Yekaterinbrug", err, sizeof err), VKP_ECONFIG);
    assert_non_null(strstr(err, "unknown time zone 'Asia/Yekaterinbrug'"));
    assert_int_equal(week_zone_set("../../etc/passwd", err, sizeof err), VKP_ECONFIG);
    assert_non_null(strstr(err, "not a time zone name"));
    assert_int_equal(week_zone_set("", err, sizeof err), VKP_ECONFIG);
    /* zone.tab exists but is no TZif file. */
    assert_int_equal(week_zone_set("zone.tab", err, sizeof err), VKP_ECONFIG);
    /* A failed call leaves the zone as it was. */
    assert_int_equal(week_make(2026, 47, &w), 0);
    assert_int_equal(w.start, W47_START);
    assert_int_equal(week_zone_set("UTC", err, sizeof err), 0);
    assert_int_equal(week_make(2026, 47, &w), 0);
    assert_int_equal(w.start, W47_START + 5 * 3600);
    assert_int_equal(week_zone_set("Asia/Yekaterinburg", err, sizeof err), 0);
}

/* Months, quarters, years and school years: local midnights, names, shifts and parsing. */
static void test_week_periods(void **state)
{
    struct week w, x;
    char buf[32];
    enum period_kind k;
    (void)state;
    assert_int_equal(period_make(PERIOD_MONTH, 2026, 11, &w), 0);
    assert_int_equal(w.start, 1793473200); /* date -d "2026-11-01 00:00 +05" +%s */
    assert_int_equal(w.end, 1796065200);
    week_format(&w, buf, sizeof buf);
    assert_string_equal(buf, "2026-11");
    assert_int_equal(week_shift(&w, -23, &x), 0);
    week_format(&x, buf, sizeof buf);
    assert_string_equal(buf, "2024-12");
    assert_int_equal(x.start, 1732993200);
    assert_int_equal(period_make(PERIOD_QUARTER, 2026, 4, &w), 0);
    assert_int_equal(w.start, 1790794800);
    week_format(&w, buf, sizeof buf);
    assert_string_equal(buf, "2026-Q4");
    assert_int_equal(period_make(PERIOD_YEAR, 2025, 0, &w), 0);
    assert_int_equal(w.start, 1735671600);
    assert_int_equal(w.end, 1767207600);
    assert_int_equal(period_make(PERIOD_SCHOOL_YEAR, 2025, 0, &w), 0);
    assert_int_equal(w.start, 1756666800);
    assert_int_equal(w.end, 1788202800);
    week_format(&w, buf, sizeof buf);
    assert_string_equal(buf, "2025/26");
    /* 2026-08-31 23:59 local still lies in the school year 2025/26. */
    assert_int_equal(period_of(PERIOD_SCHOOL_YEAR, 1788202800 - 60, &x), 0);
    assert_int_equal(x.start, w.start);
    assert_int_equal(period_last_complete(PERIOD_SCHOOL_YEAR, 1788202800, &x), 0);
    assert_int_equal(x.start, w.start);
    assert_int_equal(period_last_complete(PERIOD_YEAR, 1795392000, &x), 0);
    assert_int_equal(x.year, 2025);
    assert_int_equal(period_parse(PERIOD_SCHOOL_YEAR, "2025/26", &x, err, sizeof err), 0);
    assert_int_equal(x.start, w.start);
    assert_int_equal(period_parse(PERIOD_SCHOOL_YEAR, "2025", &x, err, sizeof err), 0);
    assert_int_equal(x.start, w.start);
    assert_int_equal(period_parse(PERIOD_SCHOOL_YEAR, "2026-03-15", &x, err, sizeof err), 0);
    assert_int_equal(x.start, w.start);
    assert_int_equal(period_parse(PERIOD_QUARTER, "2026-Q4", &x, err, sizeof err), 0);
    assert_int_equal(x.start, 1790794800);
    assert_int_equal(period_parse(PERIOD_MONTH, "2026-11", &x, err, sizeof err), 0);
    assert_int_equal(x.start, 1793473200);
    assert_int_equal(period_parse(PERIOD_WEEK, "2026-11-18", &x, err, sizeof err), 0);
    assert_int_equal(x.start, W47_START);
    assert_int_equal(period_parse(PERIOD_SCHOOL_YEAR, "2025/27", &x, err, sizeof err), VKP_EUSAGE);
    assert_non_null(strstr(err, "'2025/27' is not a school year: write it as YYYY/YY"));
    assert_int_equal(period_parse(PERIOD_MONTH, "2026-13", &x, err, sizeof err), VKP_EUSAGE);
    assert_int_equal(period_parse(PERIOD_QUARTER, "2026-Q5", &x, err, sizeof err), VKP_EUSAGE);
    assert_int_equal(period_kind_parse("school-year", &k), 0);
    assert_int_equal(k, PERIOD_SCHOOL_YEAR);
    assert_int_equal(period_kind_parse("decade", &k), VKP_EUSAGE);
}

/* An impossible date is refused with what is wrong, never normalised into another
 * period (2026-02-30 was March 2026: issue 22, B8). */
static void test_week_date_parse_is_strict(void **state)
{
    struct week x;
    int y, m, d;
    (void)state;
    assert_int_equal(week_date_parse("2024-02-29", &y, &m, &d, err, sizeof err), 0);
    assert_int_equal(y * 10000 + m * 100 + d, 20240229);
    assert_int_equal(week_date_parse("2026-02-29", &y, &m, &d, err, sizeof err), VKP_EUSAGE);
    assert_string_equal(err, "'2026-02-29' is not a date: February 2026 has 28 days");
    assert_int_equal(week_date_parse("2100-02-29", &y, &m, &d, err, sizeof err), VKP_EUSAGE);
    assert_int_equal(week_date_parse("2000-02-29", &y, &m, &d, err, sizeof err), 0);
    assert_int_equal(week_date_parse("2026-04-31", &y, &m, &d, err, sizeof err), VKP_EUSAGE);
    assert_int_equal(week_date_parse("2026-00-10", &y, &m, &d, err, sizeof err), VKP_EUSAGE);
    assert_string_equal(err, "'2026-00-10' is not a date: there is no month 0");
    assert_int_equal(week_date_parse("2026-12-00", &y, &m, &d, err, sizeof err), VKP_EUSAGE);
    assert_int_equal(week_date_parse("1900-01-01", &y, &m, &d, err, sizeof err), VKP_EUSAGE);
    assert_int_equal(week_date_parse("2026-1-1", &y, &m, &d, err, sizeof err), VKP_EUSAGE);
    assert_int_equal(week_date_parse(NULL, &y, &m, &d, err, sizeof err), VKP_EUSAGE);
    for (int k = 0; k < PERIOD_KINDS; k++) {
        assert_int_equal(period_parse((enum period_kind)k, "2026-02-30", &x, err, sizeof err),
                         VKP_EUSAGE);
        assert_non_null(strstr(err, "'2026-02-30' is not a date: February 2026 has 28 days"));
    }
    assert_int_equal(period_parse(PERIOD_MONTH, "2026-02-28", &x, err, sizeof err), 0);
    assert_int_equal(x.week, 2);
}

/* A date option's day as local midnights: where it starts, or (next) where it ends; read
 * by the one strict reader, so its message says what is wrong. */
static void test_week_date_midnight(void **state)
{
    int64_t t = 7;
    (void)state;
    assert_int_equal(week_date_midnight("2024-02-29", 0, &t, err, sizeof err), 0);
    assert_int_equal(t, 1709146800); /* 2024-02-29T00:00:00+05:00 */
    assert_int_equal(week_date_midnight("2024-02-29", 1, &t, err, sizeof err), 0);
    assert_int_equal(t, 1709233200); /* 2024-03-01T00:00:00+05:00 */
    assert_int_equal(week_date_midnight("2024-12-31", 1, &t, err, sizeof err), 0);
    assert_int_equal(t, 1735671600); /* 2025-01-01T00:00:00+05:00 */
    t = 7;
    assert_int_equal(week_date_midnight("2023-02-29", 0, &t, err, sizeof err), VKP_EUSAGE);
    assert_string_equal(err, "'2023-02-29' is not a date: February 2023 has 28 days");
    assert_int_equal(t, 7);
    assert_int_equal(week_date_midnight("2024-13-01", 0, &t, err, sizeof err), VKP_EUSAGE);
    assert_int_equal(week_date_midnight("2024-1-01", 0, &t, err, sizeof err), VKP_EUSAGE);
    assert_int_equal(week_date_midnight("2024-01-01x", 0, &t, err, sizeof err), VKP_EUSAGE);
    assert_int_equal(week_date_midnight(NULL, 1, &t, err, sizeof err), VKP_EUSAGE);
    assert_int_equal(t, 7);
}

/* Calendar days between two instants' local dates, as a reader counts between the dates
 * printed: a second more or less at either end does not change them. */
static void test_week_days_between_dates(void **state)
{
    (void)state;
    /* A run that began a second late (the demo's run #5) and one on time, 35 days later. */
    assert_int_equal(week_days_between(1792958401, 1795982400), 35);
    /* 26.10 23:59 to 30.11 00:01: 34 days and 2 minutes, 35 dates apart. */
    assert_int_equal(week_days_between(1793041140, 1795978860), 35);
    /* 19:30 UTC on 26.10 is 00:30 on 27.10 in Yekaterinburg. */
    assert_int_equal(week_days_between(1793043000, 1795982400), 34);
    assert_int_equal(week_days_between(1795978860, 1795982400), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_week_make_is_monday_to_monday_local),
        cmocka_unit_test(test_week_parse_forms_and_errors),
        cmocka_unit_test(test_week_of_year_edges),
        cmocka_unit_test(test_week_of_boundaries_are_half_open),
        cmocka_unit_test(test_week_last_complete),
        cmocka_unit_test(test_week_shift_across_years),
        cmocka_unit_test(test_week_dst_zone_has_a_short_week),
        cmocka_unit_test(test_week_zone_errors),
        cmocka_unit_test(test_week_periods),
        cmocka_unit_test(test_week_date_parse_is_strict),
        cmocka_unit_test(test_week_date_midnight),
        cmocka_unit_test(test_week_days_between_dates),
    };
    return cmocka_run_group_tests(tests, set_yekaterinburg, NULL);
}
