/* test_survey.c: cmocka tests of the survey import (crosscheck/survey.c, core/csvfile.c). */
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
#include "muni.h"
#include "store.h"
#include "store_survey.h"
#include "survey.h"

#include "survey_fixture.h"

/* The real config (five communities in questionnaire order), the real map, a fresh database. */
static int setup(void **state)
{
    return fixture_setup(state, NULL);
}

static int teardown(void **state)
{
    return fixture_teardown(state);
}

static const char *data_file(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/survey/%s", fixture_src(), name);
    return path;
}

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The answers of a survey as sorted "municipality|code" lines. */
static char *answer_lines(const struct survey *sv)
{
    const struct store_survey_answer *a;
    size_t n = survey_answers(sv, &a), len = 1;
    char **lines = calloc(n ? n : 1, sizeof *lines);
    for (size_t i = 0; i < n; i++) {
        assert_true(asprintf(&lines[i], "%s|%s\n", a[i].municipality, a[i].code) > 0);
        len += strlen(lines[i]);
    }
    qsort(lines, n, sizeof *lines, compare_str);
    char *out = calloc(1, len);
    for (size_t i = 0; i < n; i++) {
        strcat(out, lines[i]);
        free(lines[i]);
    }
    free(lines);
    return out;
}

/* The codes one municipality chose, sorted and joined with spaces. */
static void codes_of(const struct survey *sv, const char *muni, char *buf, size_t len)
{
    const struct store_survey_answer *a;
    size_t n = survey_answers(sv, &a), k = 0;
    const char *codes[64];
    for (size_t i = 0; i < n && k < 64; i++)
        if (strcmp(a[i].municipality, muni) == 0)
            codes[k++] = a[i].code;
    qsort(codes, k, sizeof *codes, compare_str);
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        strncat(buf, codes[i], len - strlen(buf) - 1);
        if (i + 1 < k)
            strncat(buf, " ", len - strlen(buf) - 1);
    }
}

/* Asserts the codes municipality muni chose, as codes_of lists them. */
static void assert_codes(const struct survey *sv, const char *muni, const char *want)
{
    char codes[256];
    codes_of(sv, muni, codes, sizeof codes);
    if (strcmp(codes, want) != 0)
        fail_msg("%s: codes '%s', want '%s'", muni, codes, want);
}

static struct survey *read_ok(struct fixture *fx, const char *path)
{
    struct survey *sv = NULL;
    int rc = survey_read(fx->cfg, fx->map, path, &sv, fx->err, sizeof fx->err);
    if (rc != 0)
        fail_msg("survey_read %s: %s", path, fx->err);
    return sv;
}

/* Reads path expecting the error want_rc and no survey; returns the message. */
static const char *read_fails(struct fixture *fx, const char *path, int want_rc)
{
    struct survey *sv = NULL;
    assert_int_equal(survey_read(fx->cfg, fx->map, path, &sv, fx->err, sizeof fx->err), want_rc);
    assert_null(sv);
    return fx->err;
}

/* Asserts that the i-th row error of sv names where (row and column) and says what. */
static void assert_row_error(const struct survey *sv, size_t i, const char *where, const char *what)
{
    const char *e = survey_error(sv, i);
    if (!strstr(e, where) || !strstr(e, what))
        fail_msg("error %zu is '%s', want '%s' and '%s'", i, e, where, what);
}

static size_t stored_answers(struct fixture *fx, int year, int *rows);

/* ---- the three real-shaped files ------------------------------------------------ */

static void test_survey_three_shapes_read_alike(void **state)
{
    struct fixture *fx = *state;
    static const char *const files[3] = {"forms_utf8_bom.csv", "excel_cp1251.csv",
                                         "yandex_multiline.csv"};
    static const char *const formats[3] = {"utf-8, ','", "windows-1251, ';'", "utf-8, ','"};
    char *first = NULL, fmt[64];

    for (int i = 0; i < 3; i++) {
        struct survey *sv = read_ok(fx, data_file(files[i]));
        if (survey_error_count(sv))
            fail_msg("%s: %s", files[i], survey_error(sv, 0));
        assert_int_equal(survey_row_count(sv), 42);
        const struct store_survey_answer *a;
        assert_int_equal(survey_answers(sv, &a), 238);
        assert_string_equal(survey_format(sv, fmt, sizeof fmt), formats[i]);
        char *lines = answer_lines(sv);
        if (!first)
            first = lines;
        else {
            assert_string_equal(lines, first);
            free(lines);
        }
        survey_free(sv);
    }
    free(first);
}

static void test_survey_matches_municipalities_tolerantly(void **state)
{
    struct fixture *fx = *state;
    struct survey *sv = read_ok(fx, data_file("forms_utf8_bom.csv"));

    /* "Пластовский МР" (a district become okrug), "Озерский городской округ" (е for ё),
     * "  верхнеуральский   МР " (case, spaces), "г. Троицк" and "Троицкий МР" (two
     * municipalities of one stem), "Копейский ГО" */
    assert_codes(sv, "Пластовский муниципальный округ", "13.2 13.3 14.3 16.2 17.3");
    assert_codes(sv, "Озёрский городской округ", "13.1 13.2 14.1 16.1 17.1");
    assert_codes(sv, "Верхнеуральский муниципальный округ", "13.1 13.2 14.1 16.1 16.2 17.1");
    assert_codes(sv, "Троицкий городской округ", "13.1 13.2 13.3 14.1 16.1 17.1");
    assert_codes(sv, "Троицкий муниципальный округ", "13.5 14.5 16.4 17.5");
    assert_codes(sv, "Копейский городской округ", "13.1 13.2 13.3 14.1 16.1 17.1");
    /* Chelyabinsk city did not answer; the one in none says so in both questions */
    assert_codes(sv, "Челябинский городской округ", "");
    assert_codes(sv, "Чесменский муниципальный округ", "13.4 14.4 16.3 17.4");
    survey_free(sv);
}

static void test_survey_save_and_reimport_replaces(void **state)
{
    struct fixture *fx = *state;
    struct survey *sv = read_ok(fx, data_file("excel_cp1251.csv"));
    int rows = 0;

    assert_int_equal(survey_save(sv, fx->st, 2023, "excel_cp1251.csv", 1700000000), 0);
    survey_free(sv);
    assert_int_equal(stored_answers(fx, 2023, &rows), 238);
    assert_int_equal(rows, 42);
    sv = read_ok(fx, fixture_write(fx, "small.csv",
                                   "Муниципалитет,В каких региональных методических объединениях,"
                                   "Оцените характер участия педагогов в указанных в п. 14 "
                                   "региональных методических объединениях,В каких региональных "
                                   "профессиональных сетевых сообществах,Оцените характер участия "
                                   "педагогов в указанных в п. 17 региональных профессиональных "
                                   "сетевых сообществах\n"
                                   "Пластовский МР,13.1,14.2,16.3,17.4\n"));
    assert_int_equal(survey_error_count(sv), 0);
    assert_int_equal(survey_save(sv, fx->st, 2023, "small.csv", 1700000100), 0);
    survey_free(sv);
    assert_int_equal(stored_answers(fx, 2023, &rows), 4);
    assert_int_equal(rows, 1);
}

/* ---- errors: named precisely, and nothing imported ----------------------------------- */

static const char HEAD[] =
    "Муниципальное образование;В каких региональных методических объединениях;Оцените "
    "характер участия педагогов в указанных в п. 14 региональных методических "
    "объединениях;В каких региональных профессиональных сетевых сообществах;Оцените "
    "характер участия педагогов в указанных в п. 17 региональных профессиональных сетевых "
    "сообществах\n";

/* Writes HEAD followed by rows to name and reads it (it must be readable). */
static struct survey *read_rows(struct fixture *fx, const char *name, const char *rows)
{
    char text[8192];
    snprintf(text, sizeof text, "%s%s", HEAD, rows);
    return read_ok(fx, fixture_write(fx, name, text));
}

static void test_survey_unknown_municipality_imports_nothing(void **state)
{
    struct fixture *fx = *state;
    struct survey *sv = read_ok(fx, data_file("forms_utf8_bom.csv"));
    int rows = 0;

    assert_int_equal(survey_save(sv, fx->st, 2023, "forms", 1700000000), 0);
    survey_free(sv);
    sv = read_rows(fx, "bad.csv",
                   "Копейский ГО;13.1;14.1;16.1;17.1\nПластоский р-н;13.2;14.2;16.2;17.2\n");
    assert_int_equal(survey_error_count(sv), 1);
    const char *e = survey_error(sv, 0);
    assert_non_null(strstr(e, "bad.csv: row 3 (line 3), column A «Муниципальное образование»"));
    assert_non_null(strstr(e, "unknown municipality 'Пластоский р-н'"));
    assert_non_null(strstr(e, "nearest: Пластовский муниципальный округ"));
    assert_int_equal(survey_save(sv, fx->st, 2023, "bad.csv", 1700000100), VKP_EPARSE);
    survey_free(sv);
    /* the earlier import of the year is untouched */
    assert_int_equal(stored_answers(fx, 2023, &rows), 238);
    assert_int_equal(rows, 42);
}

/* The demo survey re-saved by a Russian Excel: ';' between cells and bare commas in the
 * question texts, which made the header's commas win and the columns run together
 * (issue 22, B10). It reads as the original does. */
static void test_survey_excel_resave_of_the_demo(void **state)
{
    struct fixture *fx = *state;
    char path[512], fmt[64];

    snprintf(path, sizeof path, "%s/config/demo-survey-2023.csv", fixture_src());
    struct survey *orig = read_ok(fx, path);
    struct survey *sv = read_ok(fx, data_file("excel_demo_semicolon.csv"));
    if (survey_error_count(sv))
        fail_msg("%s", survey_error(sv, 0));
    assert_string_equal(survey_format(sv, fmt, sizeof fmt), "windows-1251, ';'");
    assert_int_equal(survey_row_count(sv), survey_row_count(orig));
    char *a = answer_lines(orig), *b = answer_lines(sv);
    assert_string_equal(a, b);
    free(a);
    free(b);
    survey_free(orig);
    survey_free(sv);
}

/* A row of 3 cells under a header of 5 was read with its answers missing; one with a
 * separator too many, with its answers in the next question's column. */
static void test_survey_row_width_must_match_the_header(void **state)
{
    struct fixture *fx = *state;
    struct survey *sv = read_rows(fx, "short.csv",
                                  "Копейский ГО;13.1;14.1;16.1;17.1\n"
                                  "г. Миасс;13.1;14.1\n"
                                  "Пластовский МР;13.2;14.2;16.2;17.2;;\n"
                                  "Агаповский МР;13.2;14.2;16.2;17.2;17.3\n");
    assert_int_equal(survey_error_count(sv), 2);
    assert_row_error(sv, 0, "short.csv: row 3 (line 3), column D",
                     "this row has 3 cells, the header 5: it ends before this column; if the "
                     "cells are not separated by ';', set [survey] delimiter");
    assert_row_error(sv, 1, "short.csv: row 5 (line 5), column F",
                     "this row has 6 cells, the header 5: it goes on past the last column");
    survey_free(sv);
}

static void test_survey_bad_answers_name_row_and_column(void **state)
{
    struct fixture *fx = *state;

    /* multi-answer cells are quoted so that ';' stays inside them */
    struct survey *sv = read_ok(fx, data_file("bad_answers.csv"));
    assert_int_equal(survey_error_count(sv), 5);
    assert_row_error(sv, 0, "row 2 (line 2), column C", "question 14 takes one answer");
    assert_row_error(sv, 1, "row 3 (line 3), column C",
                     "unknown answer 'Педагоги учатся' (nearest: 14.");
    assert_row_error(sv, 2, "row 4 (line 4), column B", "cannot go with other answers");
    assert_row_error(sv, 3, "row 5 (line 5), column A", "already answered in row 2");
    assert_row_error(sv, 4, "row 6 (line 6), column A", "no municipality");
    /* the good row is read, but the survey as a whole is refused */
    assert_int_equal(survey_row_count(sv), 1);
    assert_int_equal(survey_save(sv, fx->st, 2024, "bad_answers.csv", 1), VKP_EPARSE);
    survey_free(sv);
    int rows;
    assert_int_equal(store_survey_each_answer(fx->st, 2024, &rows, NULL, NULL), VKP_ENOTFOUND);
}

static void test_survey_answers_by_code_and_with_typos(void **state)
{
    struct fixture *fx = *state;

    struct survey *sv = read_ok(fx, data_file("codes_and_typos.csv"));
    if (survey_error_count(sv))
        fail_msg("%s", survey_error(sv, 0));
    assert_codes(sv, "Копейский городской округ", "13.2 14.3 16.2 17.2");
    assert_codes(sv, "Миасский городской округ", "13.2 13.3 14.1 16.4 17.5");
    /* a municipality that left every question blank is a respondent without answers */
    assert_codes(sv, "Ашинский муниципальный округ", "");
    assert_int_equal(survey_row_count(sv), 3);
    survey_free(sv);
}

static void test_survey_missing_or_ambiguous_column(void **state)
{
    struct fixture *fx = *state;
    const char *err;

    err = read_fails(fx,
                     fixture_write(fx, "no17.csv",
                                   "Муниципалитет,В каких региональных методических "
                                   "объединениях,Оцените характер участия педагогов в указанных в "
                                   "п. 14 региональных методических объединениях,В каких "
                                   "региональных профессиональных сетевых сообществах\n"
                                   "Копейский ГО,13.1,14.1,16.1\n"),
                     VKP_EPARSE);
    if (!strstr(err, "no column for question 17"))
        fail_msg("%s", err);
    assert_non_null(strstr(err, "[survey] q17_column"));
    assert_non_null(strstr(err, "A «Муниципалитет»"));
    err = read_fails(fx,
                     fixture_write(fx, "two.csv",
                                   "Муниципалитет,В каких региональных методических объединениях "
                                   "(2023),В каких региональных методических объединениях (2024),"
                                   "x,y,z\nКопейский ГО,13.1,13.1,,,\n"),
                     VKP_EPARSE);
    assert_non_null(strstr(err, "two columns fit question 13: B «"));
    assert_non_null(strstr(err, "and C «"));
    err = read_fails(fx, fixture_write(fx, "head.csv", "Муниципалитет\n"), VKP_EPARSE);
    assert_non_null(strstr(err, "no answers"));
}

static void test_survey_columns_from_config(void **state)
{
    struct fixture *fx = *state;
    char *saved[5] = {fx->cfg->survey_municipality_col, fx->cfg->survey_q13_col,
                      fx->cfg->survey_q14_col, fx->cfg->survey_q16_col, fx->cfg->survey_q17_col};

    fx->cfg->survey_municipality_col = (char *)"Район|Округ";
    fx->cfg->survey_q13_col = (char *)"РМО: где";
    fx->cfg->survey_q14_col = (char *)"РМО: как";
    fx->cfg->survey_q16_col = (char *)"Сообщества ... где";
    fx->cfg->survey_q17_col = (char *)"Сообщества ... как";
    struct survey *sv = read_ok(fx, fixture_write(fx, "own.csv",
                                                  "Сообщества: как;Сообщества: где;РМО: как;РМО: "
                                                  "где;Округ\n17.3;16.1;14.2;13.3;Копейский ГО\n"));
    memcpy(&fx->cfg->survey_municipality_col, &saved[0], sizeof saved[0]);
    fx->cfg->survey_q13_col = saved[1];
    fx->cfg->survey_q14_col = saved[2];
    fx->cfg->survey_q16_col = saved[3];
    fx->cfg->survey_q17_col = saved[4];
    assert_int_equal(survey_error_count(sv), 0);
    assert_codes(sv, "Копейский городской округ", "13.3 14.2 16.1 17.3");
    survey_free(sv);
}

static void test_survey_municipality_column_by_content(void **state)
{
    struct fixture *fx = *state;
    char text[4096], letters[16];
    const char *header;

    /* no header names the municipality, but column B holds municipalities */
    snprintf(text, sizeof text, "Дата;Территория%s", strchr(HEAD, ';'));
    char *rows = text + strlen(text);
    snprintf(rows, sizeof text - strlen(text),
             "01.11.2023;Копейский ГО;13.1;14.2;16.1;17.1\n"
             "02.11.2023;г. Миасс;13.1;14.1;16.1;17.1\n");
    struct survey *sv = read_ok(fx, fixture_write(fx, "terr.csv", text));
    assert_int_equal(survey_error_count(sv), 0);
    assert_string_equal(survey_column(sv, 0, &header, letters, sizeof letters), "B");
    assert_string_equal(header, "Территория");
    assert_codes(sv, "Миасский городской округ", "13.1 14.1 16.1 17.1");
    survey_free(sv);
}

static void test_survey_file_level_errors(void **state)
{
    struct fixture *fx = *state;
    const char *err;

    err = read_fails(fx, fixture_write(fx, "open.csv", "a,b\n\"x,\ny\nz\n"), VKP_EPARSE);
    if (!strstr(err, "row that starts on line 2 is never closed"))
        fail_msg("%s", err);
    err = read_fails(fx,
                     fixture_write(fx, "u16.csv",
                                   "\xFF\xFE"
                                   "a"),
                     VKP_EPARSE);
    assert_non_null(strstr(err, "UTF-16"));
    err = read_fails(fx, "/nonexistent/s.csv", VKP_EIO);
    assert_non_null(strstr(err, "cannot open CSV file '/nonexistent/s.csv'"));
    /* told it is UTF-8, a Windows-1251 file is refused with the line */
    char *enc = fx->cfg->survey_encoding;
    fx->cfg->survey_encoding = (char *)"utf-8";
    err = read_fails(fx, data_file("excel_cp1251.csv"), VKP_EPARSE);
    assert_non_null(strstr(err, "excel_cp1251.csv:1: not valid UTF-8"));
    /* the line is that of the first bad byte, after valid Cyrillic on earlier lines */
    err = read_fails(fx, fixture_write(fx, "bad8.csv", "Ж,Ё\nЖ\x80,x\n"), VKP_EPARSE);
    fx->cfg->survey_encoding = enc;
    assert_non_null(strstr(err, "bad8.csv:2: not valid UTF-8 at column 2 (byte 0x80"));
    /* auto: a UTF-8 file with one stray byte is not taken for Windows-1251 (which would
     * garble every letter) but refused where the byte is (issue 22, B10) */
    err = read_fails(fx,
                     fixture_write(fx, "stray.csv",
                                   "Муниципальное образование,Вопрос\n"
                                   "Копейский городской округ,Да\n"
                                   "Миасский городской округ,Нет \xff\n"),
                     VKP_EPARSE);
    if (!strstr(err, "stray.csv:3: not valid UTF-8 at column 30 (byte 0xff") ||
        !strstr(err, "the rest of the file is UTF-8"))
        fail_msg("%s", err);
    /* a NUL in a cell would cut the cell (and what follows) silently */
    static const char nul[] = "a,b\nx,y\0z\n";
    err = read_fails(fx, fixture_write_n(fx, "nul.csv", nul, sizeof nul - 1), VKP_EPARSE);
    if (!strstr(err, "nul.csv:2: row 2, column B holds a NUL byte"))
        fail_msg("%s", err);
}

static void test_survey_decode_follows_names_not_order(void **state)
{
    struct fixture *fx = *state;
    struct survey_choice ch;
    struct config_community swapped[5];

    assert_int_equal(survey_decode(fx->cfg, SURVEY_Q14, "14.2", "x", &ch), 0);
    assert_int_equal(ch.kind, CHOICE_LEVEL);
    assert_int_equal(ch.level, LEVEL_DISCUSSES);
    assert_int_equal(survey_decode(fx->cfg, SURVEY_Q17, "17.5", "Не владеем", &ch), 0);
    assert_int_equal(ch.kind, CHOICE_DONT_KNOW);
    assert_int_equal(survey_decode(fx->cfg, SURVEY_Q13, "13.4", "Не участвуют", &ch), 0);
    assert_int_equal(ch.kind, CHOICE_NONE);
    /* the config now lists the third RMO first: 13.3 still means it */
    struct config_community *orig = fx->cfg->communities;
    memcpy(swapped, orig, sizeof swapped);
    swapped[0] = orig[2];
    swapped[2] = orig[0];
    fx->cfg->communities = swapped;
    int rc = survey_decode(fx->cfg, SURVEY_Q13, "13.3",
                           "Сетевое региональное методическое объединение «Формирование "
                           "функциональной грамотности обучающихся»",
                           &ch);
    fx->cfg->communities = orig;
    assert_int_equal(rc, 0);
    assert_int_equal(ch.kind, CHOICE_COMMUNITY);
    assert_int_equal(ch.community, 0);
    assert_int_equal(survey_decode(fx->cfg, SURVEY_Q16, "16.1", "Сообщество, которого нет", &ch),
                     VKP_ENOTFOUND);
}

static size_t stored_count;
static int count_answer(void *ud, const struct store_survey_answer *a)
{
    (void)ud;
    (void)a;
    stored_count++;
    return 0;
}

static size_t stored_answers(struct fixture *fx, int year, int *rows)
{
    stored_count = 0;
    assert_int_equal(store_survey_each_answer(fx->st, year, rows, count_answer, NULL), 0);
    return stored_count;
}

/* A test with the real config and map and a fresh database. */
#define SURVEY_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        SURVEY_TEST(test_survey_three_shapes_read_alike),
        SURVEY_TEST(test_survey_matches_municipalities_tolerantly),
        SURVEY_TEST(test_survey_save_and_reimport_replaces),
        SURVEY_TEST(test_survey_unknown_municipality_imports_nothing),
        SURVEY_TEST(test_survey_excel_resave_of_the_demo),
        SURVEY_TEST(test_survey_row_width_must_match_the_header),
        SURVEY_TEST(test_survey_bad_answers_name_row_and_column),
        SURVEY_TEST(test_survey_answers_by_code_and_with_typos),
        SURVEY_TEST(test_survey_missing_or_ambiguous_column),
        SURVEY_TEST(test_survey_columns_from_config),
        SURVEY_TEST(test_survey_municipality_column_by_content),
        SURVEY_TEST(test_survey_file_level_errors),
        SURVEY_TEST(test_survey_decode_follows_names_not_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
