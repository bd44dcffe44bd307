/* test_crosscheck.c: cmocka tests of the cross-check (crosscheck/crosscheck.c) and its renderers
 * on hand-built data where every verdict is known. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "crosscheck_fixture.h"

/* ---- verdicts ------------------------------------------------------------------------ */

static void test_crosscheck_every_verdict(void **state)
{
    struct fixture *fx = *state;
    build(fx, 1);
    import(fx, SURVEY);
    struct crosscheck *x = run_check(fx);

    assert_int_equal(x->respondents, 7);
    assert_int_equal(x->to, T + 100);
    assert_int_equal(x->from, T + 100 - 52 * 7 * DAY);
    /* coverage: 30 members, 27 attributed, 2 without city, 1 outside */
    assert_int_equal(x->members, 30);
    assert_int_equal(x->by_source[ATTR_CITY], 27);
    assert_int_equal(x->by_source[ATTR_NO_CITY], 2);
    assert_int_equal(x->by_source[ATTR_OUTSIDE], 1);

    assert_int_equal(RMO_LEVEL("Пластовский МР").verdict, XC_CONSISTENT);
    assert_int_equal(RMO_LEVEL("Пластовский МР").observed, LEVEL_DISCUSSES);
    assert_int_equal(RMO_LEVEL("Пластовский МР").n.members, 6);
    /* 107 of Пласт commented in r1 but is a member of p1 only: not Пласт's RMO evidence */
    assert_int_equal(RMO_LEVEL("Пластовский МР").n.commenters, 3);
    assert_int_equal(M(fx, x, "Пластовский МР")->comm[0].n.commenters, 3);
    assert_int_equal(M(fx, x, "Пластовский МР")->level[XC_PROF].n.members, 2);
    assert_int_equal(M(fx, x, "Пластовский МР")->level[XC_PROF].n.commenters, 0);

    /* a like is not discussion, and a comment before the window does not count */
    assert_int_equal(RMO_LEVEL("Копейский ГО").verdict, XC_OVERSTATED);
    assert_int_equal(RMO_LEVEL("Копейский ГО").observed, LEVEL_REGISTERED);
    assert_int_equal(RMO_LEVEL("Копейский ГО").n.likers, 1);
    assert_int_equal(RMO_LEVEL("Копейский ГО").n.commenters, 0);

    assert_int_equal(RMO_LEVEL("Миасский ГО").verdict, XC_UNDERSTATED);
    assert_int_equal(RMO_LEVEL("Миасский ГО").observed, LEVEL_CONTRIBUTES);
    assert_int_equal(RMO_LEVEL("Миасский ГО").n.authors, 2);

    assert_int_equal(RMO_LEVEL("Саткинский МР").verdict, XC_UNVERIFIABLE);
    assert_int_equal(RMO_LEVEL("Саткинский МР").reason, XC_R_FEW_MEMBERS);

    /* "don't know" gets the observed level as information; one commenter is no discussion */
    assert_int_equal(RMO_LEVEL("Ашинский МР").verdict, XC_DONT_KNOW);
    assert_int_equal(RMO_LEVEL("Ашинский МР").observed, LEVEL_REGISTERED);
    assert_int_equal(RMO_LEVEL("Ашинский МР").n.commenters, 1);

    /* six members attributed in the professional community and none in the RMOs: the RMO
     * claims rest on the RMOs' members, so there is no evidence either way */
    assert_int_equal(M(fx, x, "Карталинский МР")->attributed, 6);
    assert_int_equal(RMO_LEVEL("Карталинский МР").n.members, 0);
    assert_int_equal(RMO_LEVEL("Карталинский МР").verdict, XC_UNVERIFIABLE);
    assert_int_equal(RMO_LEVEL("Карталинский МР").reason, XC_R_FEW_MEMBERS);
    assert_int_equal(RMO_LEVEL("Карталинский МР").observed, LEVEL_NONE);
    assert_int_equal(RMO_LEVEL("Кыштымский ГО").verdict, XC_CONSISTENT);

    /* a municipality missing from the survey */
    assert_false(M(fx, x, "Златоустовский ГО")->surveyed);
    assert_int_equal(RMO_LEVEL("Златоустовский ГО").verdict, XC_NOT_SURVEYED);
    assert_int_equal(RMO_LEVEL("Златоустовский ГО").observed, LEVEL_REGISTERED);
    assert_false(M(fx, x, "Златоустовский ГО")->follow_up); /* information, nothing to act on */

    /* Q13 per community (r1 is community 0) */
    assert_int_equal(M(fx, x, "Пластовский МР")->comm[0].verdict, XC_CONSISTENT);
    assert_int_equal(M(fx, x, "Копейский ГО")->comm[0].verdict, XC_UNDERSTATED);
    assert_int_equal(M(fx, x, "Копейский ГО")->list[XC_RMO], XC_LIST_NONE);
    assert_int_equal(M(fx, x, "Карталинский МР")->comm[0].verdict, XC_UNVERIFIABLE);
    assert_int_equal(M(fx, x, "Карталинский МР")->comm[0].reason, XC_R_FEW_MEMBERS);
    assert_int_equal(M(fx, x, "Кыштымский ГО")->comm[0].verdict, XC_CONSISTENT);
    assert_int_equal(M(fx, x, "Ашинский МР")->comm[0].verdict, XC_DONT_KNOW);

    /* Q16/Q17 (p1 is community 1); a blank answer is no answer */
    assert_int_equal(M(fx, x, "Пластовский МР")->level[XC_PROF].verdict, XC_CONSISTENT);
    assert_int_equal(M(fx, x, "Пластовский МР")->comm[1].verdict, XC_CONSISTENT);
    assert_int_equal(M(fx, x, "Копейский ГО")->level[XC_PROF].verdict, XC_UNDERSTATED);
    assert_int_equal(M(fx, x, "Копейский ГО")->comm[1].verdict, XC_UNDERSTATED);
    assert_int_equal(M(fx, x, "Миасский ГО")->level[XC_PROF].verdict, XC_NO_ANSWER);

    /* the summary mirrors the report: claimed beside observed among respondents */
    assert_int_equal(x->sum.claimed_level[XC_RMO][LEVEL_REGISTERED], 2);
    assert_int_equal(x->sum.claimed_level[XC_RMO][LEVEL_DISCUSSES], 2);
    assert_int_equal(x->sum.claimed_level[XC_RMO][LEVEL_CONTRIBUTES], 1);
    assert_int_equal(x->sum.claimed_level[XC_RMO][LEVEL_NONE], 1);
    assert_int_equal(x->sum.level_dont_know[XC_RMO], 1);
    assert_int_equal(x->sum.observed_level[XC_RMO][LEVEL_DISCUSSES], 1);
    assert_int_equal(x->sum.observed_level[XC_RMO][LEVEL_CONTRIBUTES], 1);
    assert_int_equal(x->sum.observed_level[XC_RMO][LEVEL_REGISTERED], 3);
    assert_int_equal(x->sum.observed_level[XC_RMO][LEVEL_NONE], 2);
    assert_int_equal(x->sum.claimed_comm[0], 4);
    assert_int_equal(x->sum.observed_comm[0], 5);
    assert_int_equal(x->sum.list[XC_RMO][XC_LIST_NONE], 2);
    assert_int_equal(x->sum.verdicts[SURVEY_Q14][XC_OVERSTATED], 1);
    assert_int_equal(x->sum.verdicts[SURVEY_Q14][XC_UNVERIFIABLE], 2);
    /* each municipality's own coverage */
    assert_int_equal(M(fx, x, "Пластовский МР")->attributed, 7);
    assert_int_equal(M(fx, x, "Пластовский МР")->by_city, 7);
    assert_int_equal(M(fx, x, "Пластовский МР")->by_roster, 0);
    assert_int_equal(x->method, ATTR_BY_TITLE);
    assert_int_equal(x->sum.verdicts[SURVEY_Q14][XC_NOT_SURVEYED], 36);
    /* to follow up: overstated first, then understated on strong evidence, unverifiable
     * last; Миасс's surplus rests on contributions (strong), Копейск's one member in p1 does
     * not (left out), and "not in the survey" is information, not an item */
    assert_int_equal(x->nfollow, 6);
    assert_int_equal(x->follow[0].rank, XC_RANK_OVERSTATED);
    assert_ptr_equal(&x->munis[x->follow[0].muni], M(fx, x, "Копейский ГО"));
    assert_int_equal(x->follow[0].q, SURVEY_Q14);
    for (size_t i = 1; i < x->nfollow; i++)
        assert_true(x->follow[i - 1].rank <= x->follow[i].rank);
    assert_int_equal(
        xc_follow_rank(x, (size_t)(M(fx, x, "Миасский ГО") - x->munis), SURVEY_Q14, -1),
        XC_RANK_UNDERSTATED);
    assert_int_equal(
        xc_follow_rank(x, (size_t)(M(fx, x, "Копейский ГО") - x->munis), SURVEY_Q17, -1),
        XC_RANK_NONE);
    assert_int_equal(x->follow[x->nfollow - 1].rank, XC_RANK_UNVERIFIABLE);
    /* only members are a municipality's commenters, authors, likers, reposters: no cell
     * counts more of them than members */
    for (size_t i = 0; i < x->nmunis; i++)
        for (int f = 0; f < XC_NFAMILIES; f++) {
            const struct xc_counts *n = &x->munis[i].level[f].n;
            assert_true(n->commenters <= n->members && n->authors <= n->members);
            assert_true(n->likers <= n->members && n->reposters <= n->members);
            for (size_t k = 0; k < x->ncomms; k++)
                assert_true(x->munis[i].comm[k].n.commenters <= x->munis[i].comm[k].n.members);
        }
    crosscheck_free(x);
}

static void test_crosscheck_thresholds_change_verdicts(void **state)
{
    struct fixture *fx = *state;
    build(fx, 1);
    import(fx, SURVEY);

    /* coverage 20/23 = 87 %: demanding 95 % makes every shortfall unverifiable */
    fx->cfg->survey_min_coverage = 0.95;
    struct crosscheck *x = run_check(fx);
    assert_int_equal(RMO_LEVEL("Копейский ГО").verdict, XC_UNVERIFIABLE);
    assert_int_equal(RMO_LEVEL("Копейский ГО").reason, XC_R_LOW_COVERAGE);
    assert_int_equal(RMO_LEVEL("Карталинский МР").verdict, XC_UNVERIFIABLE);
    assert_int_equal(M(fx, x, "Карталинский МР")->comm[0].verdict, XC_UNVERIFIABLE);
    assert_int_equal(M(fx, x, "Карталинский МР")->comm[0].reason, XC_R_FEW_MEMBERS);
    /* what was seen stays firm */
    assert_int_equal(RMO_LEVEL("Миасский ГО").verdict, XC_UNDERSTATED);
    crosscheck_free(x);

    /* four commenters needed for "discusses": Пласт has three */
    fx->cfg->survey_min_coverage = 0.5;
    fx->cfg->survey_min_discussants = 4;
    fx->cfg->survey_min_members = 7;
    x = run_check(fx);
    assert_int_equal(RMO_LEVEL("Пластовский МР").observed, LEVEL_REGISTERED);
    assert_int_equal(RMO_LEVEL("Пластовский МР").verdict, XC_UNVERIFIABLE);
    assert_int_equal(RMO_LEVEL("Пластовский МР").reason, XC_R_FEW_MEMBERS);
    crosscheck_free(x);
}

static void test_crosscheck_missing_member_list_is_unverifiable(void **state)
{
    struct fixture *fx = *state;
    build(fx, 0);
    import(fx, SURVEY);
    struct crosscheck *x = run_check(fx);
    assert_false(x->members_complete[XC_PROF]);
    assert_true(x->members_complete[XC_RMO]);
    assert_int_equal(M(fx, x, "Пластовский МР")->level[XC_PROF].verdict, XC_UNVERIFIABLE);
    assert_int_equal(M(fx, x, "Пластовский МР")->level[XC_PROF].reason, XC_R_NO_MEMBER_LIST);
    assert_int_equal(M(fx, x, "Пластовский МР")->comm[1].verdict, XC_UNVERIFIABLE);
    assert_int_equal(RMO_LEVEL("Пластовский МР").verdict, XC_CONSISTENT);
    crosscheck_free(x);
}

/* The 2023 cross-check is refused (VKP_ENOTFOUND, no result) with a message holding why. */
static void crosscheck_refused(struct fixture *fx, const char *why)
{
    struct attribution *attr = NULL;
    struct crosscheck *x = NULL;
    assert_int_equal(attribution_new(fx->map, fx->st, &attr), 0);
    assert_int_equal(
        crosscheck_run(fx->st, fx->cfg, fx->map, attr, 2023, &WEEKS52, &x, fx->err, sizeof fx->err),
        VKP_ENOTFOUND);
    assert_null(x);
    assert_non_null(strstr(fx->err, why));
    attribution_free(attr);
}

static void test_crosscheck_unknown_municipality_imports_nothing(void **state)
{
    struct fixture *fx = *state;
    struct survey *sv = NULL;
    char text[4096];
    build(fx, 1);
    snprintf(text, sizeof text, "%sНовоуральский район;13.1;14.1;;\n", SURVEY);
    assert_int_equal(survey_read(fx->cfg, fx->map, fixture_write(fx, "s.csv", text), &sv, fx->err,
                                 sizeof fx->err),
                     0);
    assert_int_equal(survey_error_count(sv), 1);
    assert_non_null(strstr(survey_error(sv, 0), "row 9 (line 9), column A «Муниципалитет»: "
                                                "unknown municipality 'Новоуральский район'"));
    assert_int_equal(survey_save(sv, fx->st, 2023, "s.csv", T), VKP_EPARSE);
    survey_free(sv);
    crosscheck_refused(fx, "no survey imported for 2023");
}

static void test_crosscheck_needs_a_run(void **state)
{
    struct fixture *fx = *state;
    import(fx, SURVEY);
    crosscheck_refused(fx, "vkpulse collect");
}

/* ---- the rule at its boundaries ------------------------------------------------------------ */

/* The defaults of [survey]: min_members 5, min_coverage 0.5, 3 commenters and 10 %, 2 authors. */
static const struct xc_thresholds DEFAULTS = {5, 0.5, 3, 0.1, 2};

static enum survey_level level_of(int64_t members, int64_t commenters, int64_t authors)
{
    struct xc_counts n = {.members = members, .commenters = commenters, .authors = authors};
    return xc_observed_level(&n, &DEFAULTS);
}

static void test_crosscheck_discusses_needs_count_and_share(void **state)
{
    (void)state;
    /* the count: 3 commenters, however few the members */
    assert_int_equal(level_of(5, 2, 0), LEVEL_REGISTERED);
    assert_int_equal(level_of(5, 3, 0), LEVEL_DISCUSSES);
    /* the share: 10 % of 30 is 3 exactly (0.1 * 30 is 3.0000000000000004 in binary) */
    assert_int_equal(xc_discussants_needed(&DEFAULTS, 30), 3);
    assert_int_equal(level_of(30, 3, 0), LEVEL_DISCUSSES);
    /* 10 % of 31 is 3.1: four people */
    assert_int_equal(xc_discussants_needed(&DEFAULTS, 31), 4);
    assert_int_equal(level_of(31, 3, 0), LEVEL_REGISTERED);
    assert_int_equal(level_of(31, 4, 0), LEVEL_DISCUSSES);
    /* one commenter among hundreds is no discussion */
    assert_int_equal(level_of(400, 1, 0), LEVEL_REGISTERED);
    assert_int_equal(level_of(400, 39, 0), LEVEL_REGISTERED);
    assert_int_equal(level_of(400, 40, 0), LEVEL_DISCUSSES);
    /* and without members nothing is "registered" */
    assert_int_equal(level_of(0, 0, 0), LEVEL_NONE);
}

static void test_crosscheck_contributes_needs_two_authors(void **state)
{
    (void)state;
    assert_int_equal(level_of(10, 0, 1), LEVEL_REGISTERED);
    assert_int_equal(level_of(10, 0, 2), LEVEL_CONTRIBUTES);
    assert_int_equal(level_of(10, 5, 1), LEVEL_DISCUSSES);
}

static enum xc_verdict judge(double coverage, int lists, int walls, int64_t attributed,
                             enum survey_level claimed, enum survey_level observed,
                             enum xc_reason *why)
{
    return xc_judge(&DEFAULTS, coverage, lists, walls, attributed, claimed, observed, why);
}

static void test_crosscheck_absence_needs_members(void **state)
{
    enum xc_reason why;
    (void)state;
    /* four attributed members carry no shortfall, registered included; five do */
    assert_int_equal(judge(0.9, 1, 1, 4, LEVEL_REGISTERED, LEVEL_NONE, &why), XC_UNVERIFIABLE);
    assert_int_equal(why, XC_R_FEW_MEMBERS);
    assert_int_equal(judge(0.9, 1, 1, 0, LEVEL_DISCUSSES, LEVEL_NONE, &why), XC_UNVERIFIABLE);
    assert_int_equal(why, XC_R_FEW_MEMBERS);
    assert_int_equal(judge(0.9, 1, 1, 5, LEVEL_REGISTERED, LEVEL_NONE, &why), XC_OVERSTATED);
    assert_int_equal(why, XC_R_NONE);
    assert_int_equal(judge(0.9, 1, 1, 5, LEVEL_CONTRIBUTES, LEVEL_DISCUSSES, &why), XC_OVERSTATED);
    /* what was seen is firm, however few were attributed */
    assert_int_equal(judge(0.9, 1, 1, 2, LEVEL_REGISTERED, LEVEL_CONTRIBUTES, &why),
                     XC_UNDERSTATED);
    assert_int_equal(judge(0.9, 1, 1, 0, LEVEL_NONE, LEVEL_NONE, &why), XC_CONSISTENT);
}

static void test_crosscheck_shortfall_needs_coverage_lists_and_walls(void **state)
{
    enum xc_reason why;
    (void)state;
    /* the region's coverage: 50 % is enough, a hair less is not */
    assert_int_equal(judge(0.5, 1, 1, 50, LEVEL_REGISTERED, LEVEL_NONE, &why), XC_OVERSTATED);
    assert_int_equal(judge(0.4999, 1, 1, 50, LEVEL_REGISTERED, LEVEL_NONE, &why), XC_UNVERIFIABLE);
    assert_int_equal(why, XC_R_LOW_COVERAGE);
    /* an incomplete member list: nothing can be judged, not even a surplus */
    assert_int_equal(judge(0.9, 0, 1, 50, LEVEL_REGISTERED, LEVEL_DISCUSSES, &why),
                     XC_UNVERIFIABLE);
    assert_int_equal(why, XC_R_NO_MEMBER_LIST);
    /* walls not read back: only claims above "registered" suffer */
    assert_int_equal(judge(0.9, 1, 0, 50, LEVEL_DISCUSSES, LEVEL_REGISTERED, &why),
                     XC_UNVERIFIABLE);
    assert_int_equal(why, XC_R_NO_ACTIVITY_DATA);
    assert_int_equal(judge(0.9, 1, 0, 50, LEVEL_REGISTERED, LEVEL_NONE, &why), XC_OVERSTATED);
}

static void test_crosscheck_renders_four_formats(void **state)
{
    struct fixture *fx = *state;
    build(fx, 1);
    import(fx, SURVEY);
    struct crosscheck *x = run_check(fx);

    char *ru = render(x, RENDER_TEXT, LANG_RU, ','), *en = render(x, RENDER_TEXT, LANG_EN, ',');
    has_all(ru, (const char *const[]){
                    "Копейский ГО, Вопрос 14: по анкете предоставляют материалы, наблюдается "
                    "зарегистрированы — завышено; опора — отнесённые участники в РМО: 6",
                    /* the window in local dates, the thresholds and coverage in sentences */
                    "Окно наблюдения: 52 нед. до последнего сбора, 22.09.2025 – 21.09.2026 "
                    "(местные даты, Asia/Yekaterinburg).",
                    "«обсуждают» — не меньше 3 комментаторов и не меньше 10 % его участников",
                    "Из 30 участников области на конец окна к муниципалитетам отнесено 27 (90 %)",
                    "Копейский ГО — отнесённых участников 6, все — по городу в профиле",
                    /* the method in words, the title fallback said aloud */
                    "Отнесение: по названию города в профиле", NULL});
    has_all(en, (const char *const[]){
                    "\nСаткинский МО — of its 2 attributed members, all were placed by their "
                    "profile city\n  Q14: claims registered and discuss, observed registered only",
                    "unverifiable: fewer than 5 attributed members in the communities asked about",
                    "Attribution: by the title of the profile city",
                    "\"discuss\" needs at least 3 commenters and at least 10% of its members",
                    "Whose evidence: a question rests on the members attributed to the "
                    "municipality in the communities it asks about",
                    "contributes materials — at least 2 of those members authored a post",
                    /* ranked: overstated first, then understated on strong evidence, then
                     * unverifiable; weak surpluses (Копейск's one member in p1) left out */
                    "To follow up: 6: 1 overstated, 2 understated on strong evidence, 3 "
                    "unverifiable\n  Overstated (the largest differences first):\n    1. "
                    "Копейский ГО, Q14: claims contribute materials, observed registered only — "
                    "overstated; it rests on 6 attributed members in the RMOs\n  Understated, on "
                    "strong evidence:\n    2. Миасский ГО, Q14",
                    NULL});
    assert_null(strstr(en, "завышено"));
    free(ru);
    free(en);

    /* CSV: BOM, CRLF, English keys whatever the language, codes in the coded
     * columns, then 43 municipalities x (r1, Q14, p1, Q17) with their coverage */
    char *csv = render(x, RENDER_CSV, LANG_RU, ';');
    assert_memory_equal(csv, "\xEF\xBB\xBFmunicipality;municipality_label;surveyed;question;", 51);
    assert_int_equal(count_of(csv, "\r\n"), 1 + 43 * 4);
    assert_non_null(strstr(csv, "\r\nКопейский городской округ;Копейский ГО;1;14;;;contributes;"
                                "registered;overstated;завышено;;;6;0;0;1;0;6;0;0;6;6;0;0;"
                                "overstated;2025-09-22;2026-09-21;1\r\n"));
    free(csv);

    char *json = render(x, RENDER_JSON, LANG_RU, ',');
    cJSON *root = cJSON_Parse(json);
    assert_non_null(root);
    /* the envelope every JSON output shares */
    assert_string_equal(cJSON_GetObjectItem(root, "schema")->valuestring, XC_JSON_SCHEMA);
    assert_int_equal(cJSON_GetObjectItem(root, "schema_version")->valueint, XC_JSON_VERSION);
    assert_non_null(cJSON_GetStringValue(cJSON_GetObjectItem(root, "generated_at")));
    assert_non_null(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "window"), "from")));
    cJSON *method = cJSON_GetObjectItem(root, "method");
    assert_string_equal(cJSON_GetObjectItem(method, "attribution")->valuestring, "title");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(method, "directory")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(method, "legend")), 4);
    cJSON *munis = cJSON_GetObjectItem(root, "municipalities");
    assert_int_equal(cJSON_GetArraySize(munis), 43);
    cJSON *m;
    int seen = 0;
    cJSON_ArrayForEach(m, munis)
    {
        if (strcmp(cJSON_GetObjectItem(m, "name")->valuestring, "Саткинский муниципальный округ"))
            continue;
        cJSON *q14 = cJSON_GetObjectItem(m, "q14");
        assert_string_equal(cJSON_GetObjectItem(q14, "verdict")->valuestring, "unverifiable");
        assert_string_equal(cJSON_GetObjectItem(q14, "reason")->valuestring, "few_members");
        assert_string_equal(cJSON_GetObjectItem(q14, "claimed")->valuestring, "discusses");
        seen = 1;
    }
    assert_true(seen);
    cJSON_Delete(root);
    free(json);

    char *html = render(x, RENDER_HTML, LANG_EN, ',');
    has_all(html,
            (const char *const[]){
                "<!DOCTYPE html>", "<html lang=\"en\">", "class=\"over\"", "<nav class=\"toc\">",
                "<h2 id=\"method\">Method</h2>\n<p>Attribution: by the title",
                /* the charts: verdicts per question, coverage */
                "<figcaption>Verdicts per question",
                "<figcaption>Attributed members per municipality", "viewBox=\"0 0 600 ", NULL});
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "http:"));
    /* nothing loads from outside; the only addresses are links to the evidence on VK */
    assert_null(strstr(html, "src="));
    assert_true(count_of(html, "<a href=\"https://vk.com/wall-300000001_") > 0);
    assert_int_equal(count_of(html, "https:"), count_of(html, "<a href=\"https://vk.com/wall-"));
    /* names are escaped: «сложным» stays, but no raw quote breaks an attribute */
    assert_int_equal(count_of(html, "<table"), count_of(html, "</table>"));
    assert_int_equal(count_of(html, "<svg"), count_of(html, "</svg>"));
    free(html);
    crosscheck_free(x);
}

static void test_crosscheck_pseudonymous_rows(void **state)
{
    struct fixture *fx = *state;
    struct attribution *attr = NULL;
    char *buf = NULL;
    size_t len = 0;

    build(fx, 1);
    assert_int_equal(attribution_new(fx->map, fx->st, &attr), 0);
    FILE *m = open_memstream(&buf, &len);
    assert_int_equal(crosscheck_export_members(fx->st, attr, T - 364 * DAY, T + 100, 0, "short",
                                               ',', m, fx->err, sizeof fx->err),
                     VKP_ECONFIG);
    assert_non_null(strstr(fx->err, "pseudonym_salt"));
    assert_int_equal(crosscheck_export_members(fx->st, attr, T - 364 * DAY, T + 100, 0,
                                               fx->cfg->survey_salt, ',', m, fx->err,
                                               sizeof fx->err),
                     0);
    fclose(m);
    /* 23 + 9 members, one line each, 107's comment in r1 (not a member there), the header */
    assert_int_equal(count_of(buf, "\r\n"), 34);
    /* no raw id as a field; one person has one pseudonym in both communities */
    assert_null(strstr(buf, ",101,"));
    assert_null(strstr(buf, "\n101,"));
    const char *first = strstr(buf, "\r\n") + 2;
    char pseudo[65];
    memcpy(pseudo, first, 64);
    pseudo[64] = '\0';
    assert_int_equal(strspn(pseudo, "0123456789abcdef"), 64);
    assert_non_null(strstr(first, ",\"Пластовский муниципальный округ\",city,1,1,0,"));
    free(buf);
    attribution_free(attr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crosscheck_discusses_needs_count_and_share),
        cmocka_unit_test(test_crosscheck_contributes_needs_two_authors),
        cmocka_unit_test(test_crosscheck_absence_needs_members),
        cmocka_unit_test(test_crosscheck_shortfall_needs_coverage_lists_and_walls),
        cmocka_unit_test_setup_teardown(test_crosscheck_every_verdict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crosscheck_thresholds_change_verdicts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_crosscheck_missing_member_list_is_unverifiable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_crosscheck_unknown_municipality_imports_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_crosscheck_needs_a_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crosscheck_renders_four_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crosscheck_pseudonymous_rows, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
