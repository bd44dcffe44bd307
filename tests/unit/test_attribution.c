/* test_attribution.c: cmocka tests of member attribution and roster files (region/attribution.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attribution.h"
#include "config.h"
#include "err.h"
#include "muni.h"
#include "store.h"
#include "store_region.h"
#include "store_survey.h"

#include "survey_fixture.h"

static int setup(void **state)
{
    return fixture_setup(state, NULL);
}

static int teardown(void **state)
{
    return fixture_teardown(state);
}

static void test_attribution_parses_ids_and_links(void **state)
{
    (void)state;
    assert_int_equal(vk_user_id_parse("123"), 123);
    assert_int_equal(vk_user_id_parse(" id456"), 456);
    assert_int_equal(vk_user_id_parse("https://vk.com/id789"), 789);
    assert_int_equal(vk_user_id_parse("vk.com/id10/"), 10);
    assert_int_equal(vk_user_id_parse("https://m.vk.com/id42?w=wall42_1"), 42);
    assert_int_equal(vk_user_id_parse("http://www.vk.ru/id7"), 7);
    assert_int_equal(vk_user_id_parse("@id8"), 8);
    assert_int_equal(vk_user_id_parse("https://vk.com/ivanova_teacher"), -1);
    assert_int_equal(vk_user_id_parse("Иванова"), 0);
    assert_int_equal(vk_user_id_parse(""), 0);
    assert_int_equal(vk_user_id_parse("12ab"), 0);
}

static void test_attribution_roster_file_errors(void **state)
{
    struct fixture *fx = *state;
    struct roster_file rf;

    assert_int_equal(roster_file_read(fx->cfg, fx->map,
                                      fixture_write(fx, "r.csv",
                                                    "VK;Муниципалитет\n"
                                                    "https://vk.com/id300;Пластовский МР\n"
                                                    "200;г. Копейск\n"
                                                    "https://vk.com/petrova;Миасский ГО\n"
                                                    "400;Пластоский р-н\n"
                                                    "id300;Ашинский МР\n"
                                                    "Петрова;Ашинский МР\n"),
                                      &rf, fx->err, sizeof fx->err),
                     0);
    /* good rows come sorted by id */
    assert_int_equal(rf.n, 3);
    assert_int_equal(rf.entries[0].user_id, 200);
    assert_string_equal(rf.entries[0].municipality, "Копейский городской округ");
    assert_int_equal(rf.entries[1].user_id, 300);
    assert_int_equal(rf.nerrors, 4);
    assert_non_null(strstr(rf.errors[0], "r.csv: row 4 (line 4): 'https://vk.com/petrova' links "
                                         "to a screen name"));
    assert_non_null(strstr(rf.errors[1], "row 5 (line 5): unknown municipality 'Пластоский "
                                         "р-н' (column B; nearest: Пластовский"));
    assert_non_null(strstr(rf.errors[2], "row 7 (line 7): 'Петрова' is not a VK id"));
    assert_non_null(strstr(rf.errors[3], "row 6 (line 6): id 300 is already listed in row 2"));
    roster_file_release(&rf);
}

static void test_attribution_roster_wins_over_city(void **state)
{
    struct fixture *fx = *state;
    struct attribution *a = NULL;
    enum attr_source src;
    const struct store_roster_entry roster[] = {
        {.user_id = 5, .municipality = "Пластовский муниципальный округ", .row = 2},
        {.user_id = 9, .municipality = "Бывший район", .row = 3},
    };

    assert_int_equal(store_roster_replace(fx->st, 1, "r.csv", roster, 2), 0);
    assert_int_equal(attribution_new(fx->map, fx->st, &a), 0);
    assert_int_equal(attribution_roster_size(a), 1);
    assert_int_equal(attribution_roster_stale(a), 1);
    const struct muni *m = attribution_of(a, 5, 1500004, "Копейск", &src);
    assert_non_null(m);
    assert_string_equal(m->name, "Пластовский муниципальный округ");
    assert_int_equal(src, ATTR_ROSTER);
    m = attribution_of(a, 6, 1500004, "Копейск", &src);
    assert_string_equal(m->name, "Копейский городской округ");
    assert_int_equal(src, ATTR_CITY);
    /* the same city id again comes from the cache, whatever the title says */
    m = attribution_of(a, 7, 1500004, NULL, &src);
    assert_string_equal(m->name, "Копейский городской округ");
    assert_null(attribution_of(a, 8, 0, NULL, &src));
    assert_int_equal(src, ATTR_NO_CITY);
    assert_null(attribution_of(a, 8, 1, "Москва", &src));
    assert_int_equal(src, ATTR_OUTSIDE);
    /* a title without an id is matched as it is */
    m = attribution_of(a, 10, 0, "г. Миасс", &src);
    assert_string_equal(m->name, "Миасский городской округ");
    /* many distinct city ids: the cache grows and keeps answering right */
    for (int64_t id = 2000000; id < 2001000; id++)
        assert_null(attribution_of(a, 11, id, "Тюмень", &src));
    m = attribution_of(a, 12, 1500004, NULL, &src);
    assert_string_equal(m->name, "Копейский городской округ");
    attribution_free(a);
    attribution_free(NULL);
}

/*
 * VK's directory of the region: a village known only by its id and area, two
 * Берёзовка in different districts, a Первомайский whose title the map gives
 * to Коркинский lying in Агаповский, a homonym in another region (not in the
 * directory), a locality whose area the map does not know, an urban okrug's
 * town without an area, a pin by the map (158 is Челябинск's city_ids).
 */
static void test_attribution_by_directory(void **state)
{
    struct fixture *fx = *state;
    struct attribution *a = NULL;
    enum attr_source src;
    const struct muni *m;
    const struct store_city dir[] = {
        {158, "Челябинск", "", NULL},
        {1500004, "Копейск", "", NULL},
        {1600001, "Берёзовка", "Агаповский район", NULL},
        {1600002, "Берёзовка", "Кусинский муниципальный округ", NULL},
        {1600003, "Первомайский", "Агаповский муниципальный район", NULL},
        {1600004, "Новопокровка", "Варненский р-н", NULL},
        {1600005, "Веселовка", "Златоустовский городской округ", NULL},
        {1600006, "Глухое", "Несуществующий район", NULL},
    };
    const struct store_region_info info = {.region_id = 1004,
                                           .region_title = "Челябинская область",
                                           .synced_at = 1790000000,
                                           .cities = 8,
                                           .mapped = 7,
                                           .requests = 2};

    assert_int_equal(store_region_replace(fx->st, &info, dir, 8), 0);
    assert_int_equal(attribution_new(fx->map, fx->st, &a), 0);
    assert_int_equal(attribution_method(a), ATTR_BY_DIRECTORY);
    assert_string_equal(attribution_directory(a)->region_title, "Челябинская область");
    size_t mapped;
    assert_int_equal(attribution_localities(a, &mapped), 8);
    assert_int_equal(mapped, 7);
#define IS(uid, city, title, want)                                                                 \
    do {                                                                                           \
        m = attribution_of(a, uid, city, title, &src);                                             \
        assert_non_null(m);                                                                        \
        assert_string_equal(m->name, want);                                                        \
        assert_int_equal(src, ATTR_CITY);                                                          \
    } while (0)
    IS(1, 1600001, "Берёзовка", "Агаповский муниципальный округ");
    IS(2, 1600002, "Берёзовка", "Кусинский муниципальный округ");
    IS(3, 1600003, "Первомайский", "Агаповский муниципальный округ");
    IS(4, 1600004, "Новопокровка", "Варненский муниципальный округ");
    IS(5, 1600005, "Веселовка", "Златоустовский городской округ");
    IS(6, 1500004, "Копейск", "Копейский городской округ");
    IS(7, 158, "Челябинск", "Челябинский городской округ");
#undef IS
    /* in the region, but the map names no municipality for its area */
    assert_null(attribution_of(a, 8, 1600006, "Глухое", &src));
    assert_int_equal(src, ATTR_UNMAPPED);
    /* a Первомайский elsewhere: not in the directory, so outside, whatever the map lists */
    assert_null(attribution_of(a, 9, 1700001, "Первомайский", &src));
    assert_int_equal(src, ATTR_OUTSIDE);
    assert_null(attribution_of(a, 10, 1500008, "Сатка", &src));
    assert_int_equal(src, ATTR_OUTSIDE);
    attribution_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attribution_parses_ids_and_links),
        cmocka_unit_test_setup_teardown(test_attribution_roster_file_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attribution_roster_wins_over_city, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attribution_by_directory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
