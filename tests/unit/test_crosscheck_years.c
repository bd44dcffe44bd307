/* test_crosscheck_years.c: cmocka tests of the cross-check's window (the survey's own period),
 * its evidence and the panel of survey years, on the region of crosscheck_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "crosscheck_fixture.h"

/* ---- the window: the survey's own period --------------------------------------------------- */

static void test_crosscheck_window_is_the_survey_period(void **state)
{
    struct xc_window w;
    char err[256];
    (void)state;
    assert_int_equal(week_zone_set("Asia/Yekaterinburg", err, sizeof err), 0);
    /* the calendar year 2024 from local midnight to local midnight (+05:00) */
    assert_int_equal(xc_window_for_year(XC_WIN_CALENDAR, 2024, &w), 0);
    assert_int_equal(w.kind, XC_WIN_CALENDAR);
    assert_int_equal(w.from, 1704049200); /* 2024-01-01T00:00:00+05:00 */
    assert_int_equal(w.to, 1735671600);   /* 2025-01-01T00:00:00+05:00 */
    /* the school year that ends in 2024: 1 September 2023 to 31 August 2024 */
    assert_int_equal(xc_window_for_year(XC_WIN_SCHOOL_YEAR, 2024, &w), 0);
    assert_int_equal(w.kind, XC_WIN_SCHOOL_YEAR);
    assert_int_equal(w.from, 1693508400); /* 2023-09-01T00:00:00+05:00 */
    assert_int_equal(w.to, 1725130800);   /* 2024-09-01T00:00:00+05:00 */
    enum xc_window_kind k;
    assert_int_equal(xc_window_kind_parse("school-year", &k), 0);
    assert_int_equal(k, XC_WIN_SCHOOL_YEAR);
    assert_int_equal(xc_window_kind_parse("weeks", &k), 0);
    assert_int_equal(xc_window_kind_parse("school_year", &k), VKP_EUSAGE);
}

static void test_crosscheck_window_edges(void **state)
{
    struct fixture *fx = *state;
    build(fx, 1);
    import(fx, SURVEY);

    /* a window that ends exactly at the last collection is covered: a shortfall is judged */
    struct xc_window w = {.kind = XC_WIN_DATES, .from = T - 30 * DAY, .to = T + 100};
    struct crosscheck *x = run_window(fx, 2023, &w);
    assert_false(xc_open(x));
    assert_int_equal(x->seen_to, T + 100);
    assert_int_equal(RMO_LEVEL("Копейский ГО").verdict, XC_OVERSTATED);
    crosscheck_free(x);
    /* one second more and part of it is not observed yet: the shortfall is unverifiable,
     * what was seen stays firm */
    w.to = T + 101;
    x = run_window(fx, 2023, &w);
    assert_true(xc_open(x));
    assert_int_equal(x->seen_to, T + 100);
    assert_int_equal(RMO_LEVEL("Копейский ГО").verdict, XC_UNVERIFIABLE);
    assert_int_equal(RMO_LEVEL("Копейский ГО").reason, XC_R_NO_ACTIVITY_DATA);
    assert_int_equal(RMO_LEVEL("Миасский ГО").verdict, XC_UNDERSTATED);
    crosscheck_free(x);
    /* a window that leaves out the comments of the last days (T-5d .. T-2d) */
    w = (struct xc_window){.kind = XC_WIN_DATES, .from = T - 30 * DAY, .to = T - 5 * DAY};
    x = run_window(fx, 2023, &w);
    assert_int_equal(RMO_LEVEL("Пластовский МР").n.commenters, 0);
    assert_int_equal(RMO_LEVEL("Пластовский МР").observed, LEVEL_REGISTERED);
    assert_int_equal(RMO_LEVEL("Миасский ГО").n.authors, 2);
    crosscheck_free(x);
    /* a window before the first member list: the first list stands for it, and it says so */
    w = (struct xc_window){.kind = XC_WIN_DATES, .from = T - 400 * DAY, .to = T - 300 * DAY};
    x = run_window(fx, 2023, &w);
    assert_true(x->members_projected);
    assert_true(x->comms[0].members_projected);
    assert_int_equal(RMO_LEVEL("Пластовский МР").n.members, 6);
    assert_int_equal(RMO_LEVEL("Пластовский МР").n.commenters, 0);
    assert_int_equal(RMO_LEVEL("Пластовский МР").verdict, XC_OVERSTATED);
    crosscheck_free(x);
    /* a window that starts at or after the last collection has nothing to observe */
    struct attribution *attr = NULL;
    assert_int_equal(attribution_new(fx->map, fx->st, &attr), 0);
    w = (struct xc_window){.kind = XC_WIN_DATES, .from = T + 100, .to = T + 30 * DAY};
    assert_int_equal(
        crosscheck_run(fx->st, fx->cfg, fx->map, attr, 2023, &w, &x, fx->err, sizeof fx->err),
        VKP_ENOTFOUND);
    assert_null(x);
    assert_non_null(strstr(fx->err, "starts after the last collection"));
    attribution_free(attr);
}

/* ---- evidence ----------------------------------------------------------------------------- */

static void test_crosscheck_evidence_behind_verdicts(void **state)
{
    struct fixture *fx = *state;
    char hex[65], url[96];
    build(fx, 1);
    import(fx, SURVEY);
    struct crosscheck *x = run_check(fx);

    /* "contributes": the posts of Миасс's two authors, oldest first */
    const struct xc_level *l = &RMO_LEVEL("Миасский ГО");
    assert_int_equal(l->nposts, 2);
    assert_int_equal(l->posts[0].post_id, 2);
    assert_int_equal(l->posts[0].author, 301);
    assert_int_equal(l->posts[1].author, 302);
    xc_post_url(&l->posts[0], url, sizeof url);
    assert_string_equal(url, "https://vk.com/wall-300000001_2");
    /* "discusses": Пласт's three commenters in one thread; 107's comment is not its evidence */
    l = &RMO_LEVEL("Пластовский МР");
    assert_int_equal(l->nthreads, 1);
    assert_int_equal(l->threads[0].post_id, 1);
    assert_int_equal(l->nposts, 0);

    char *json = render(x, RENDER_JSON, LANG_EN, ',');
    cJSON *root = cJSON_Parse(json), *m;
    assert_non_null(root);
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(root, "municipalities"))
    {
        const char *name = cJSON_GetObjectItem(m, "name")->valuestring;
        cJSON *ev = cJSON_GetObjectItem(cJSON_GetObjectItem(m, "q14"), "evidence");
        assert_non_null(ev);
        if (strcmp(name, "Миасский городской округ") == 0) {
            cJSON *posts = cJSON_GetObjectItem(ev, "posts");
            assert_int_equal(cJSON_GetArraySize(posts), 2);
            cJSON *p0 = cJSON_GetArrayItem(posts, 0);
            assert_string_equal(cJSON_GetObjectItem(p0, "url")->valuestring,
                                "https://vk.com/wall-300000001_2");
            /* the pseudonym the research export writes for the same person */
            assert_int_equal(xc_pseudonym("test-salt-0123456789", 301, hex), 0);
            assert_string_equal(cJSON_GetObjectItem(p0, "author")->valuestring, hex);
            assert_non_null(cJSON_GetStringValue(cJSON_GetObjectItem(p0, "date")));
        } else if (strcmp(name, "Пластовский муниципальный округ") == 0) {
            assert_int_equal(cJSON_GetObjectItem(ev, "commenters")->valueint, 3);
            cJSON *th = cJSON_GetObjectItem(ev, "threads");
            assert_int_equal(cJSON_GetArraySize(th), 1);
            assert_string_equal(cJSON_GetArrayItem(th, 0)->valuestring,
                                "https://vk.com/wall-300000001_1");
        }
    }
    /* no VK id of a person anywhere in the output */
    assert_null(strstr(json, "\"301\""));
    assert_null(strstr(json, ":301"));
    assert_null(strstr(json, "id301"));
    cJSON_Delete(root);
    free(json);
    crosscheck_free(x);
}

/* ---- the panel ---------------------------------------------------------------------------- */

static const char SURVEY_2022[] =
    "Муниципалитет;В каких региональных методических объединениях;Оцените характер участия "
    "педагогов в указанных в п. 14 региональных методических объединениях;В каких "
    "региональных профессиональных сетевых сообществах;Оцените характер участия педагогов в "
    "указанных в п. 17 региональных профессиональных сетевых сообществах\n"
    "Пластовский МР;13.1;14.2;16.1;17.1\n"
    "Копейский ГО;13.1;14.1;16.1;17.1\n";

/* The JSON cell of municipality `name`, question key q, in a single-year output. */
static cJSON *single_cell(cJSON *root, const char *name, const char *q)
{
    cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(root, "municipalities"))
    {
        if (strcmp(cJSON_GetObjectItem(m, "name")->valuestring, name) == 0)
            return cJSON_GetObjectItem(m, q);
    }
    return NULL;
}

static void test_crosscheck_panel_cells_are_the_single_years(void **state)
{
    struct fixture *fx = *state;
    static const char *const keys[] = {"year", "claimed", "observed", "verdict"};
    static const char *const qs[] = {"q13", "q14", "q16", "q17"};
    build(fx, 1);
    import(fx, SURVEY);
    import_year(fx, SURVEY_2022, 2022);
    struct crosscheck *xs[2] = {NULL, NULL};
    struct attribution *attr = NULL;
    assert_int_equal(attribution_new(fx->map, fx->st, &attr), 0);
    assert_int_equal(crosscheck_run(fx->st, fx->cfg, fx->map, attr, 2022, &WEEKS52, &xs[0], fx->err,
                                    sizeof fx->err),
                     0);
    attribution_free(attr);
    xs[1] = run_check(fx);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct xc_render_options o = {
        RENDER_JSON, LANG_EN, ',', T, "Asia/Yekaterinburg", "test-salt-0123456789", 1};
    assert_int_equal(crosscheck_render_panel((const struct crosscheck *const *)xs, 2, &o, f), 0);
    fclose(f);
    cJSON *panel = cJSON_Parse(buf), *m;
    assert_non_null(panel);
    assert_string_equal(cJSON_GetObjectItem(panel, "schema")->valuestring, XC_PANEL_SCHEMA);
    char *single[2] = {render(xs[0], RENDER_JSON, LANG_EN, ','),
                       render(xs[1], RENDER_JSON, LANG_EN, ',')};
    cJSON *years[2] = {cJSON_Parse(single[0]), cJSON_Parse(single[1])};
    size_t cells = 0;
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(panel, "municipalities"))
    {
        const char *name = cJSON_GetObjectItem(m, "name")->valuestring;
        for (size_t q = 0; q < 4; q++) {
            cJSON *arr = cJSON_GetObjectItem(cJSON_GetObjectItem(m, "questions"), qs[q]);
            assert_int_equal(cJSON_GetArraySize(arr), 2);
            for (int y = 0; y < 2; y++) {
                cJSON *c = cJSON_GetArrayItem(arr, y), *s = single_cell(years[y], name, qs[q]);
                assert_non_null(s);
                assert_int_equal(cJSON_GetObjectItem(c, "year")->valueint, 2022 + y);
                for (size_t k = 1; k < 4; k++)
                    assert_true(cJSON_Compare(cJSON_GetObjectItem(c, keys[k]),
                                              cJSON_GetObjectItem(s, keys[k]), 1));
                cells++;
            }
        }
        if (strcmp(name, "Копейский городской округ") == 0) {
            /* 2022 claimed "registered" (consistent), 2023 "contributes" (overstated) */
            cJSON *q14 = cJSON_GetObjectItem(cJSON_GetObjectItem(m, "questions"), "q14");
            cJSON *c0 = cJSON_GetArrayItem(q14, 0), *c1 = cJSON_GetArrayItem(q14, 1);
            assert_string_equal(cJSON_GetObjectItem(c0, "verdict")->valuestring, "consistent");
            assert_true(cJSON_IsNull(cJSON_GetObjectItem(c0, "changed")));
            assert_string_equal(cJSON_GetObjectItem(c1, "verdict")->valuestring, "overstated");
            cJSON *ch = cJSON_GetObjectItem(c1, "changed");
            assert_int_equal(cJSON_GetArraySize(ch), 2);
            assert_string_equal(cJSON_GetArrayItem(ch, 0)->valuestring, "claimed");
            assert_string_equal(cJSON_GetArrayItem(ch, 1)->valuestring, "verdict");
        }
    }
    assert_int_equal(cells, 43 * 4 * 2);
    for (int y = 0; y < 2; y++) {
        cJSON_Delete(years[y]);
        free(single[y]);
    }
    cJSON_Delete(panel);
    free(buf);
    /* the other formats write the same years */
    o.format = RENDER_TEXT;
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_int_equal(crosscheck_render_panel((const struct crosscheck *const *)xs, 2, &o, f), 0);
    fclose(f);
    assert_non_null(strstr(buf, "Копейский ГО\n  Q13\n"));
    assert_non_null(strstr(buf, "    2022: claims registered only, observed registered only — "
                                "consistent\n    2023: claims contribute materials, observed "
                                "registered only — overstated; changed: claim, verdict\n"));
    free(buf);
    o.format = RENDER_CSV;
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_int_equal(crosscheck_render_panel((const struct crosscheck *const *)xs, 2, &o, f), 0);
    fclose(f);
    assert_int_equal(count_of(buf, "\r\n"), 1 + 43 * 4 * 2);
    assert_non_null(strstr(buf, "\r\nКопейский городской округ,Копейский ГО,14,2023,1,contributes,"
                                "registered,overstated,overstated,,claimed;verdict,6,"));
    free(buf);
    o.format = RENDER_HTML;
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_int_equal(crosscheck_render_panel((const struct crosscheck *const *)xs, 2, &o, f), 0);
    fclose(f);
    assert_int_equal(count_of(buf, "<table"), count_of(buf, "</table>"));
    assert_int_equal(count_of(buf, "<th>2022</th><th>2023</th>"), 4);
    free(buf);
    crosscheck_free(xs[0]);
    crosscheck_free(xs[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crosscheck_window_is_the_survey_period),
        cmocka_unit_test_setup_teardown(test_crosscheck_window_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crosscheck_evidence_behind_verdicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crosscheck_panel_cells_are_the_single_years, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
