/* test_labels.c: cmocka tests of the report's translations and language choice (report/labels.c,
 * render/fmt.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labels.h"
#include "metrics.h"
#include "render.h"

/* 1 when s holds a Cyrillic letter (UTF-8 lead bytes 0xD0 / 0xD1). */
static int has_cyrillic(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s == 0xD0 || (unsigned char)*s == 0xD1)
            return 1;
    return 0;
}

/* Russian text may keep these Latin-only labels: none today. */
static void check_pair(const char *ru, const char *en)
{
    assert_non_null(ru);
    assert_non_null(en);
    assert_true(ru[0] != '\0');
    assert_true(en[0] != '\0');
    if (!has_cyrillic(ru) || has_cyrillic(en))
        fail_msg("untranslated pair: '%s' / '%s'", ru, en);
}

static void test_labels_every_label_in_both_languages(void **state)
{
    (void)state;
    for (int l = 0; l < L_COUNT_; l++)
        check_pair(label(LANG_RU, (enum label)l), label(LANG_EN, (enum label)l));
    for (int m = 0; m < M_COUNT; m++)
        check_pair(metric_label(LANG_RU, (enum metric_id)m),
                   metric_label(LANG_EN, (enum metric_id)m));
    for (int b = 0; b < NOTE_COUNT_; b++) {
        check_pair(note_label(LANG_RU, 1u << b), note_label(LANG_EN, 1u << b));
        assert_true(note_key(1u << b)[0] != '\0');
        assert_false(has_cyrillic(note_key(1u << b)));
    }
    for (int k = 0; k < 3; k++)
        check_pair(render_kind_label(LANG_RU, (enum post_kind)k),
                   render_kind_label(LANG_EN, (enum post_kind)k));
}

static void test_labels_keys_are_unique(void **state)
{
    (void)state;
    for (int a = 0; a < M_COUNT; a++)
        for (int b = a + 1; b < M_COUNT; b++)
            assert_string_not_equal(metric_info((enum metric_id)a)->key,
                                    metric_info((enum metric_id)b)->key);
    for (int a = 0; a < NOTE_COUNT_; a++)
        for (int b = a + 1; b < NOTE_COUNT_; b++)
            assert_string_not_equal(note_key(1u << a), note_key(1u << b));
}

static void test_labels_language_choice(void **state)
{
    enum lang l = LANG_EN;
    (void)state;
    assert_int_equal(lang_parse("en", &l), 0);
    assert_int_equal(l, LANG_EN);
    assert_int_equal(lang_parse("ru", &l), 0);
    assert_int_equal(l, LANG_RU);
    assert_int_equal(lang_parse("de", &l), -1);
    assert_int_equal(lang_parse(NULL, &l), -1);

    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    setenv("LANG", "ru_RU.UTF-8", 1);
    assert_int_equal(lang_default("en"), LANG_RU); /* a Russian locale wins */
    setenv("LANG", "en_US.UTF-8", 1);
    assert_int_equal(lang_default("en"), LANG_EN);
    assert_int_equal(lang_default("ru"), LANG_RU);
    assert_int_equal(lang_default(NULL), LANG_RU);
    setenv("LC_ALL", "ru_RU.UTF-8", 1); /* LC_ALL overrides LANG */
    assert_int_equal(lang_default("en"), LANG_RU);
    setenv("LC_ALL", "C", 1);
    setenv("LANG", "ru_RU.UTF-8", 1);
    assert_int_equal(lang_default("en"), LANG_EN);
}

static void test_labels_number_formats(void **state)
{
    char buf[64];
    struct metric_value v = {.v = 0.0589, .state = MS_APPROX};
    (void)state;
    render_value(LANG_RU, M_ER_REACH, &v, buf, sizeof buf);
    assert_string_equal(buf, "~5,9 %");
    render_value(LANG_EN, M_ER_REACH, &v, buf, sizeof buf);
    assert_string_equal(buf, "~5.9%");
    v.state = MS_MISSING;
    render_value(LANG_RU, M_VIEWS, &v, buf, sizeof buf);
    assert_string_equal(buf, "н/д");
    render_value(LANG_EN, M_VIEWS, &v, buf, sizeof buf);
    assert_string_equal(buf, "n/a");
    render_change(LANG_EN, M_VIEWS, 560, 380, buf, sizeof buf);
    assert_string_equal(buf, "+180 (+47.4%)");
    render_change(LANG_EN, M_NET, -198, 1, buf, sizeof buf);
    assert_string_equal(buf, "\u2212199"); /* no per cent of a signed change; a real minus */
    render_change(LANG_RU, M_ER_REACH, 0.066, 0.057, buf, sizeof buf);
    assert_string_equal(buf, "+0,9 п.п.");
    /* The examples: a fall with a minus, no per cent of a small base or of
     * a thousand per cent and more, digits grouped. */
    render_change(LANG_RU, M_SUBS_END, 1478, 1670, buf, sizeof buf);
    assert_string_equal(buf, "\u2212192 (\u221211,5 %)");
    render_change(LANG_RU, M_LIKES, 198, 9, buf, sizeof buf);
    assert_string_equal(buf, "+189");
    render_change(LANG_RU, M_LIKES, 2445, 20, buf, sizeof buf);
    assert_string_equal(buf, "+2\u00a0425");
    render_change(LANG_EN, M_LIKES, 0, 1, buf, sizeof buf);
    assert_string_equal(buf, "\u22121");
    v = (struct metric_value){.v = 1122595, .state = MS_OK};
    render_value(LANG_RU, M_VIEWS, &v, buf, sizeof buf);
    assert_string_equal(buf, "1\u00a0122\u00a0595");
    render_value(LANG_EN, M_VIEWS, &v, buf, sizeof buf);
    assert_string_equal(buf, "1,122,595");
    v.v = 4096;
    render_value(LANG_RU, M_VIEWS, &v, buf, sizeof buf);
    assert_string_equal(buf, "4\u00a0096");
}

/* One plural function for every count: CLDR's one / few / many for Russian. */
static void test_labels_plural(void **state)
{
    static const char *const forms[3] = {"взаимодействие", "взаимодействия", "взаимодействий"};
    static const char *const en[3] = {"week", "weeks", "weeks"};
    static const struct {
        int64_t n;
        int form;
    } cases[] = {{0, 2},   {1, 0},   {2, 1},   {4, 1},   {5, 2},    {11, 2},
                 {12, 2},  {14, 2},  {21, 0},  {22, 1},  {25, 2},   {33, 1},
                 {101, 0}, {111, 2}, {112, 2}, {122, 1}, {1001, 0}, {-1, 0}};
    char buf[64];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(fmt_plural(LANG_RU, cases[i].n, forms), forms[cases[i].form]);
    assert_string_equal(fmt_plural(LANG_EN, 1, en), "week");
    assert_string_equal(fmt_plural(LANG_EN, 8, en), "weeks");
    fmt_count(LANG_RU, 33, forms, buf, sizeof buf);
    assert_string_equal(buf, "33 взаимодействия");
    assert_string_equal(fmt_plural(LANG_RU, 8, period_unit_forms(LANG_RU, PERIOD_WEEK)), "недель");
    assert_string_equal(fmt_plural(LANG_RU, 3, period_unit_forms(LANG_RU, PERIOD_YEAR)), "года");
}

/* The window's comparison as a person reads it: what the window cannot give is n/a, never a
 * blank cell (a previous week with no posts has no ERpost); its head says what the average
 * is of ("Среднее за окно (5)" was misread on a month's page). */
static void test_labels_compare_cells_and_average_head(void **state)
{
    struct metric_week weeks[2];
    struct metric_community c;
    struct render_cmp k;
    char head[128];
    (void)state;
    memset(weeks, 0, sizeof weeks);
    memset(&c, 0, sizeof c);
    c.weeks = weeks;
    for (int m = 0; m < M_COUNT; m++)
        weeks[0].m[m].state = weeks[1].m[m].state = MS_MISSING;
    weeks[1].m[M_ER_POST] = (struct metric_value){.v = 0.039, .state = MS_OK};
    weeks[1].m[M_POSTS] = (struct metric_value){.v = 3, .state = MS_OK};
    c.cmp[M_POSTS] = (struct metric_compare){.has_prev = 1, .prev = 0, .avg_weeks = 1, .avg = 2.5};
    render_compare(LANG_RU, &c, 2, M_ER_POST, &k);
    assert_string_equal(k.prev, "н/д");
    assert_string_equal(k.change, "н/д");
    assert_string_equal(k.avg, "н/д");
    assert_string_equal(k.vs_avg, "н/д");
    render_compare(LANG_EN, &c, 2, M_ER_VIEW, &k); /* missing itself: its row says n/a once */
    assert_string_equal(k.prev, "");
    assert_string_equal(k.change, "");
    render_compare(LANG_EN, &c, 1, M_ER_POST, &k); /* nothing before it in the window */
    assert_string_equal(k.prev, "");
    render_compare(LANG_RU, &c, 2, M_POSTS, &k);
    assert_string_equal(k.prev, "0");
    assert_string_equal(k.change, "+3");
    assert_string_equal(k.avg, "2,5");     /* a mean of counts under 10 keeps its decimal */
    assert_string_equal(k.vs_avg, "+0,5"); /* and the change from it too */
    render_average_head(LANG_RU, PERIOD_WEEK, 8, head, sizeof head);
    assert_string_equal(head, "Среднее за 7 предыдущих недель");
    render_average_head(LANG_RU, PERIOD_WEEK, 2, head, sizeof head);
    assert_string_equal(head, "Среднее за 1 предыдущую неделю");
    render_average_head(LANG_RU, PERIOD_MONTH, 6, head, sizeof head);
    assert_string_equal(head, "Среднее за 5 предыдущих месяцев");
    render_average_head(LANG_EN, PERIOD_MONTH, 4, head, sizeof head);
    assert_string_equal(head, "Average of the 3 previous months");
}

/* What render_week_notes said: "who|note" lines. */
static void collect_note(void *ud, const char *who, const char *note)
{
    char *buf = ud;
    size_t n = strlen(buf);
    snprintf(buf + n, 2048 - n, "%s|%s\n", who, note);
}

/* The data coverage: a note every community has is said once, for all; one that some have
 * names them; the counters note is not a coverage note. */
static void test_labels_week_notes_said_once(void **state)
{
    struct metric_week w[3][1];
    struct metric_community coms[3];
    struct report r;
    char got[2048] = "", want[2048];
    char refs[3][8] = {"rmo_a", "rmo_b", "sps_c"};
    (void)state;
    memset(w, 0, sizeof w);
    memset(coms, 0, sizeof coms);
    memset(&r, 0, sizeof r);
    for (int c = 0; c < 3; c++) {
        coms[c].ref = refs[c];
        coms[c].weeks = w[c];
        w[c][0].notes = NOTE_LIKES_BY_POST | NOTE_COUNTERS_DOWN;
    }
    w[0][0].notes |= NOTE_RUNS_PARTIAL;
    w[2][0].notes |= NOTE_RUNS_PARTIAL;
    r.coms = coms;
    r.ncoms = 3;
    r.nweeks = 1;
    render_week_notes(&r, LANG_EN, 0, collect_note, got);
    snprintf(want, sizeof want, "rmo_a, sps_c|%s\nall communities|%s\n",
             note_label(LANG_EN, NOTE_RUNS_PARTIAL), note_label(LANG_EN, NOTE_LIKES_BY_POST));
    assert_string_equal(got, want);

    r.ncoms = 1; /* one community: named, not "all" */
    got[0] = '\0';
    render_week_notes(&r, LANG_RU, 0, collect_note, got);
    snprintf(want, sizeof want, "rmo_a|%s\nrmo_a|%s\n", note_label(LANG_RU, NOTE_RUNS_PARTIAL),
             note_label(LANG_RU, NOTE_LIKES_BY_POST));
    assert_string_equal(got, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels_every_label_in_both_languages),
        cmocka_unit_test(test_labels_keys_are_unique),
        cmocka_unit_test(test_labels_language_choice),
        cmocka_unit_test(test_labels_number_formats),
        cmocka_unit_test(test_labels_plural),
        cmocka_unit_test(test_labels_compare_cells_and_average_head),
        cmocka_unit_test(test_labels_week_notes_said_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
