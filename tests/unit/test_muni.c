/* test_muni.c: unit tests of the municipality map loader and matchers in core/muni.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "err.h"
#include "muni.h"

/* ---- helpers ------------------------------------------------------------------- */

/* The path of the real map: $VKP_SRC/config/regions/chelyabinsk.ini (ctest sets VKP_SRC). */
static void real_map_path(char *buf, size_t len)
{
    const char *src = getenv("VKP_SRC");
    snprintf(buf, len, "%s/config/regions/chelyabinsk.ini", src && *src ? src : ".");
}

/* Group setup: loads the real map once for the matcher tests. */
static int setup_real_map(void **state)
{
    char path[4096], err[512];
    struct muni_map *m = NULL;
    int rc;

    real_map_path(path, sizeof path);
    rc = muni_map_load(path, &m, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "cannot load %s: %s\n", path, err);
        return -1;
    }
    *state = m;
    return 0;
}

static int teardown_real_map(void **state)
{
    muni_map_free(*state);
    return 0;
}

/* The official name muni_by_city finds for a title, or "(null)". */
static const char *city(const struct muni_map *m, const char *title)
{
    const struct muni *u = muni_by_city(m, 0, title);
    return u ? u->name : "(null)";
}

/* The official name muni_by_name finds for a text, or "(null)". */
static const char *named(const struct muni_map *m, const char *text)
{
    const struct muni *u = muni_by_name(m, text);
    return u ? u->name : "(null)";
}

/* A text and the official name a matcher must give for it ("(null)": none). */
struct want_name {
    const char *text; /* the input */
    const char *name; /* the expected official name */
};

/* Checks every case of a table with find (city or named). */
static void check_names(const struct muni_map *m,
                        const char *(*find)(const struct muni_map *, const char *),
                        const struct want_name *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *got = find(m, cases[i].text);
        if (strcmp(got, cases[i].name) != 0)
            fail_msg("'%s' gives '%s', want '%s'", cases[i].text, got, cases[i].name);
    }
}
#define CHECK_NAMES(m, find, cases) check_names(m, find, cases, sizeof cases / sizeof cases[0])

/* A small map written to a temporary file; the caller unlinks path. */
static void write_temp_map(char *path, size_t len, const char *text)
{
    const char *dir = getenv("TMPDIR");
    int fd;
    FILE *f;

    snprintf(path, len, "%s/test_muni_XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/*
 * Loads text as a map and expects failure with code rc and a message that
 * starts with "<path>:<line>: " and contains what.
 */
static void expect_load_error(const char *text, int rc, int line, const char *what)
{
    char path[4096], err[1024], prefix[4200];
    struct muni_map *m = (struct muni_map *)&m; /* must come back NULL */

    write_temp_map(path, sizeof path, text);
    assert_int_equal(muni_map_load(path, &m, err, sizeof err), rc);
    assert_null(m);
    if (line > 0)
        snprintf(prefix, sizeof prefix, "%s:%d: ", path, line);
    else
        snprintf(prefix, sizeof prefix, "%s: ", path);
    if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, what))
        fail_msg("message '%s' lacks '%s' or '%s'", err, prefix, what);
    unlink(path);
}

/* ---- the real map --------------------------------------------------------------- */

static void test_muni_real_map_has_43_municipalities(void **state)
{
    const struct muni_map *m = *state;
    size_t urban = 0, other = 0;

    assert_int_equal(muni_map_count(m), 43);
    for (size_t i = 0; i < muni_map_count(m); i++) {
        const struct muni *u = muni_map_at(m, i);
        assert_non_null(u);
        assert_int_equal(u->index, (int)i);
        assert_non_null(u->name);
        assert_non_null(u->short_name);
        assert_non_null(u->center);
        if (strcmp(u->type, "urban_okrug") == 0)
            urban++;
        else if (strcmp(u->type, "municipal_district") == 0 ||
                 strcmp(u->type, "municipal_okrug") == 0)
            other++;
    }
    assert_int_equal(urban, 16);
    assert_int_equal(other, 27);
    assert_null(muni_map_at(m, 43));
}

static void test_muni_by_city_settlements(void **state)
{
    const struct muni_map *m = *state;

    static const struct want_name cases[] = {
        {"Пласт", "Пластовский муниципальный округ"},
        {"Копейск", "Копейский городской округ"},
        {"г. Миасс", "Миасский городской округ"},
        {"ЧЕЛЯБИНСК", "Челябинский городской округ"},
        {"Озерск", "Озёрский городской округ"},
        {"Озёрск", "Озёрский городской округ"},
        {"Долгодеревенское", "Сосновский муниципальный округ"},
        {"Демарино", "Пластовский муниципальный округ"},
        {"с. Кочкарь", "Пластовский муниципальный округ"},
        {"Красногорский", "Еманжелинский муниципальный округ"},
        {"Усть-Катав", "Усть-Катавский городской округ"},
        {"усть катав", "Усть-Катавский городской округ"},
        {"Катав-Ивановск", "Катав-Ивановский муниципальный округ"},
        {"Верхний Уфалей", "Верхнеуфалейский городской округ"},
        {"пгт Роза", "Коркинский муниципальный округ"},
        {"п.г.т. Роза", "Коркинский муниципальный округ"},
        {"посёлок Увельский", "Увельский муниципальный округ"},
        {"город Троицк", "Троицкий городской округ"},
        {"Чебаркуль", "Чебаркульский городской округ"},
        {"Кундравы", "Чебаркульский муниципальный округ"},
        {"Фершампенуаз", "Нагайбакский муниципальный округ"},
        {"Магнитогорск", "Магнитогорский городской округ"},
        {"Сатка", "Саткинский муниципальный округ"},
    };

    CHECK_NAMES(m, city, cases);
}

static void test_muni_by_city_id(void **state)
{
    const struct muni_map *m = *state;
    const struct muni *u = muni_by_city(m, 158, NULL);

    assert_non_null(u);
    assert_string_equal(u->name, "Челябинский городской округ");
    /* The id wins over the title when the map lists it. */
    u = muni_by_city(m, 158, "Копейск");
    assert_string_equal(u->name, "Челябинский городской округ");
    /* An unknown id falls back to the title. */
    u = muni_by_city(m, 999999999, "Пласт");
    assert_non_null(u);
    assert_string_equal(u->name, "Пластовский муниципальный округ");
    assert_null(muni_by_city(m, 999999999, NULL));
}

static void test_muni_by_city_outside_or_empty(void **state)
{
    const struct muni_map *m = *state;
    char longtitle[2000];

    assert_null(muni_by_city(m, 0, "Москва"));
    assert_null(muni_by_city(m, 1, "Екатеринбург"));
    assert_null(muni_by_city(m, 0, NULL));
    assert_null(muni_by_city(m, 0, ""));
    assert_null(muni_by_city(m, 0, " - "));
    assert_null(muni_by_city(m, 0, "г."));
    assert_null(muni_by_city(NULL, 158, "Челябинск"));
    memset(longtitle, 'a', sizeof longtitle - 1);
    longtitle[sizeof longtitle - 1] = '\0';
    assert_null(muni_by_city(m, 0, longtitle));
}

static void test_muni_by_name_survey_forms(void **state)
{
    const struct muni_map *m = *state;

    static const struct want_name cases[] = {
        {"Пластовский МР", "Пластовский муниципальный округ"},
        {"Пластовский муниципальный район", "Пластовский муниципальный округ"},
        {"Пластовский район", "Пластовский муниципальный округ"},
        {"Пластовский р-н.", "Пластовский муниципальный округ"},
        {"Пластовский муниципальный округ", "Пластовский муниципальный округ"},
        {"г. Копейск", "Копейский городской округ"},
        {"Копейский ГО", "Копейский городской округ"},
        {"Копейский городской округ", "Копейский городской округ"},
        {"  копейский   городской округ ", "Копейский городской округ"},
        {"Озерский городской округ", "Озёрский городской округ"},
        {"ОЗЁРСКИЙ ГО.", "Озёрский городской округ"},
        {"Катав-Ивановский МР", "Катав-Ивановский муниципальный округ"},
        {"Верхнеуфалейский ГО", "Верхнеуфалейский городской округ"},
        {"Челябинский ГО", "Челябинский городской округ"},
        {"город Миасс", "Миасский городской округ"},
        {"ЗАТО г. Снежинск", "Снежинский городской округ"},
        {"Сосновский м.р.", "Сосновский муниципальный округ"},
        {"МО Копейский городской округ", "Копейский городской округ"},
        {"Сосновский", "Сосновский муниципальный округ"},
        {"Копейск", "Копейский городской округ"},
    };

    CHECK_NAMES(m, named, cases);
}

static void test_muni_by_name_same_stem_needs_the_kind(void **state)
{
    const struct muni_map *m = *state;

    static const struct want_name cases[] = {
        {"Троицкий ГО", "Троицкий городской округ"},
        {"г. Троицк", "Троицкий городской округ"},
        {"Троицкий МР", "Троицкий муниципальный округ"},
        {"Троицкий муниципальный район", "Троицкий муниципальный округ"},
        {"Чебаркульский ГО", "Чебаркульский городской округ"},
        {"Чебаркульский МР", "Чебаркульский муниципальный округ"},
    };

    CHECK_NAMES(m, named, cases);
    /* Without the kind the stem fits two municipalities: no guess. */
    assert_null(muni_by_name(m, "Троицкий"));
    assert_null(muni_by_name(m, "Чебаркульский"));
}

static void test_muni_by_name_no_match(void **state)
{
    const struct muni_map *m = *state;

    assert_null(muni_by_name(m, "Москва"));
    assert_null(muni_by_name(m, "Пластоский р-н"));
    assert_null(muni_by_name(m, ""));
    assert_null(muni_by_name(m, "ГО"));
    assert_null(muni_by_name(m, NULL));
    assert_null(muni_by_name(NULL, "Копейский ГО"));
    /* A settlement of a district does not fit "ГО". */
    assert_null(muni_by_name(m, "Пласт ГО"));
}

static void test_muni_nearest_misspelling(void **state)
{
    const struct muni_map *m = *state;
    const struct muni *out[3] = {NULL, NULL, NULL};
    size_t n;

    n = muni_nearest(m, "Пластоский р-н", out, 3);
    assert_int_equal(n, 3);
    assert_string_equal(out[0]->name, "Пластовский муниципальный округ");
    assert_ptr_not_equal(out[1], out[0]);
    assert_ptr_not_equal(out[2], out[1]);

    n = muni_nearest(m, "Копеский городской окрук", out, 1);
    assert_int_equal(n, 1);
    assert_string_equal(out[0]->name, "Копейский городской округ");

    n = muni_nearest(m, "Агаповскй", out, 1);
    assert_int_equal(n, 1);
    assert_string_equal(out[0]->name, "Агаповский муниципальный округ");

    assert_int_equal(muni_nearest(m, "", out, 3), 0);
    assert_int_equal(muni_nearest(m, "Пласт", out, 0), 0);
    assert_int_equal(muni_nearest(NULL, "Пласт", out, 3), 0);
}

/* Every settlement title of the real map leads back to its own municipality. */
static void test_muni_real_map_centers_resolve(void **state)
{
    const struct muni_map *m = *state;

    for (size_t i = 0; i < muni_map_count(m); i++) {
        const struct muni *u = muni_map_at(m, i);
        const struct muni *c = muni_by_city(m, 0, u->center);
        const struct muni *byname = muni_by_name(m, u->name);
        const struct muni *byshort = muni_by_name(m, u->short_name);
        /* A district run from a town of its own urban okrug resolves to that okrug. */
        assert_non_null(c);
        if (c != u)
            assert_string_equal(c->type, "urban_okrug");
        assert_ptr_equal(byname, u);
        assert_ptr_equal(byshort, u);
    }
}

/* ---- loader errors ---------------------------------------------------------------- */

static void test_muni_load_small_map(void **state)
{
    char path[4096], err[512];
    struct muni_map *m = NULL;
    const struct muni *u;
    (void)state;

    write_temp_map(path, sizeof path,
                   "# a map\n"
                   "[Альфа городской округ]\n"
                   "type = urban_okrug\n"
                   "center = Альфа   # inline comment\n"
                   "settlements = Альфа, Бета,\n"
                   "settlements = Гамма\n"
                   "city_ids = 0, 77\n"
                   "[Дельта муниципальный район]\n"
                   "type = municipal_district\n"
                   "short = Дельта МР\n"
                   "center = Дельта\n");
    assert_int_equal(muni_map_load(path, &m, err, sizeof err), 0);
    unlink(path);
    assert_int_equal(muni_map_count(m), 2);
    u = muni_map_at(m, 0);
    assert_string_equal(u->short_name, "Альфа городской округ"); /* defaults to the name */
    assert_string_equal(u->center, "Альфа");
    assert_ptr_equal(muni_by_city(m, 0, "Гамма"), u);
    assert_ptr_equal(muni_by_city(m, 77, NULL), u);
    u = muni_map_at(m, 1);
    assert_string_equal(u->type, "municipal_district");
    assert_ptr_equal(muni_by_name(m, "Дельта р-н"), u);
    assert_null(muni_by_city(m, 0, "Дельта")); /* the centre is not listed as a settlement */
    muni_map_free(m);
    muni_map_free(NULL);
}

static void test_muni_load_error_unknown_key(void **state)
{
    (void)state;
    expect_load_error("[Альфа городской округ]\n"
                      "type = urban_okrug\n"
                      "centre = Альфа\n",
                      VKP_ECONFIG, 3, "unknown key 'centre'");
}

static void test_muni_load_error_duplicate_settlement(void **state)
{
    (void)state;
    expect_load_error("[Альфа городской округ]\n"
                      "type = urban_okrug\n"
                      "center = Альфа\n"
                      "settlements = Альфа, Бета\n"
                      "\n"
                      "[Дельта муниципальный район]\n"
                      "type = municipal_district\n"
                      "center = Дельта\n"
                      "settlements = Дельта, БЕТА\n",
                      VKP_ECONFIG, 9, "settlement 'БЕТА'");
    expect_load_error("[Альфа городской округ]\n"
                      "type = urban_okrug\n"
                      "center = Альфа\n"
                      "settlements = Озёрск, Озерск\n",
                      VKP_ECONFIG, 4, "listed twice");
}

static void test_muni_load_error_missing_center(void **state)
{
    (void)state;
    expect_load_error("[Альфа городской округ]\n"
                      "type = urban_okrug\n"
                      "center = Альфа\n"
                      "[Дельта муниципальный район]\n"
                      "type = municipal_district\n"
                      "settlements = Дельта\n",
                      VKP_ECONFIG, 4, "'Дельта муниципальный район' has no 'center'");
}

static void test_muni_load_error_bad_type(void **state)
{
    (void)state;
    expect_load_error("[Альфа городской округ]\n"
                      "type = city\n"
                      "center = Альфа\n",
                      VKP_ECONFIG, 2, "bad type 'city'");
    expect_load_error("[Альфа городской округ]\n"
                      "center = Альфа\n",
                      VKP_ECONFIG, 1, "has no 'type'");
}

static void test_muni_load_error_duplicate_municipality(void **state)
{
    (void)state;
    expect_load_error("[Альфа городской округ]\n"
                      "type = urban_okrug\n"
                      "center = Альфа\n"
                      "[АЛЬФА  городской  округ]\n"
                      "type = urban_okrug\n"
                      "center = Альфа\n",
                      VKP_ECONFIG, 4, "is listed twice (first on line 1)");
}

static void test_muni_load_error_other_cases(void **state)
{
    char err[512];
    struct muni_map *m = NULL;
    (void)state;

    expect_load_error("# nothing here\n", VKP_ECONFIG, 0, "no municipalities");
    expect_load_error("type = urban_okrug\n", VKP_ECONFIG, 1, "outside a [municipality]");
    expect_load_error("[Альфа городской округ]\n"
                      "type = urban_okrug\n"
                      "center = Альфа\n"
                      "center = Бета\n",
                      VKP_ECONFIG, 4, "'center' given twice");
    expect_load_error("[Альфа городской округ]\n"
                      "type = urban_okrug\n"
                      "center = Альфа\n"
                      "city_ids = 12x\n",
                      VKP_ECONFIG, 4, "bad city id '12x'");
    expect_load_error("[Альфа городской округ]\n"
                      "type = urban_okrug\n"
                      "center = Альфа\n"
                      "city_ids = 5\n"
                      "[Бета городской округ]\n"
                      "type = urban_okrug\n"
                      "center = Бета\n"
                      "city_ids = 5\n",
                      VKP_ECONFIG, 8, "city id 5");
    expect_load_error("[Альфа городской округ]\n"
                      "type = urban_okrug\n"
                      "center = Альфа\n"
                      "aliases = Общий\n"
                      "[Бета городской округ]\n"
                      "type = urban_okrug\n"
                      "center = Бета\n"
                      "aliases = общий\n",
                      VKP_ECONFIG, 8, "alias 'общий'");
    expect_load_error("[Альфа городской округ]\n"
                      "settlements = «»\n",
                      VKP_ECONFIG, 2, "has no letters");
    expect_load_error("[Альфа городской округ\n", VKP_EPARSE, 1, "closing");

    assert_int_equal(muni_map_load("/nonexistent/map.ini", &m, err, sizeof err), VKP_EIO);
    assert_null(m);
    assert_non_null(strstr(err, "/nonexistent/map.ini"));
}

int main(void)
{
    const struct CMUnitTest real_map[] = {
        cmocka_unit_test(test_muni_real_map_has_43_municipalities),
        cmocka_unit_test(test_muni_by_city_settlements),
        cmocka_unit_test(test_muni_by_city_id),
        cmocka_unit_test(test_muni_by_city_outside_or_empty),
        cmocka_unit_test(test_muni_by_name_survey_forms),
        cmocka_unit_test(test_muni_by_name_same_stem_needs_the_kind),
        cmocka_unit_test(test_muni_by_name_no_match),
        cmocka_unit_test(test_muni_nearest_misspelling),
        cmocka_unit_test(test_muni_real_map_centers_resolve),
    };
    const struct CMUnitTest loader[] = {
        cmocka_unit_test(test_muni_load_small_map),
        cmocka_unit_test(test_muni_load_error_unknown_key),
        cmocka_unit_test(test_muni_load_error_duplicate_settlement),
        cmocka_unit_test(test_muni_load_error_missing_center),
        cmocka_unit_test(test_muni_load_error_bad_type),
        cmocka_unit_test(test_muni_load_error_duplicate_municipality),
        cmocka_unit_test(test_muni_load_error_other_cases),
    };
    int failed =
        cmocka_run_group_tests_name("real map", real_map, setup_real_map, teardown_real_map);
    failed += cmocka_run_group_tests_name("loader", loader, NULL, NULL);
    return failed;
}
