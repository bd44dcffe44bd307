/* test_crosscheck.c: cmocka tests of the cross-check (crosscheck/crosscheck.c) and its renderers
 * on hand-built data where every verdict is known. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attribution.h"
#include "config.h"
#include "crosscheck.h"
#include "crosscheck_render.h"
#include "err.h"
#include "model.h"
#include "muni.h"
#include "store.h"
#include "store_survey.h"
#include "survey.h"

/*
 * One RMO (r1) and one professional community (p1), one complete run at T
 * that ends at T + 100, and these members of r1 (city in the profile):
 *   Пласт     101..106  101..103 commented in the window   claims 14.2 discusses  → consistent
 *   Копейск   201..206  202 only liked; 201 commented long
 *                       before the window                   claims 14.3 contributes → overstated
 *   Миасс     301, 302  both signed a post                  claims 14.1 registered → understated
 *   Сатка     401, 402  nobody active                       claims 14.2 discusses  → unverifiable
 *                                                           (fewer than 5 members)
 *   Аша       501..503  501 commented (one is not enough)   claims 14.5 don't know → observed
 *                                                           registered, no verdict
 *   Карталы   nobody                                        claims 14.1 registered → unverifiable
 *                                                           (no member: no evidence either way)
 *   Кыштым    nobody                                        claims 14.4 not at all → consistent
 *   Златоуст  801       not in the survey                   → not surveyed, observed registered
 *   no city   901, 902; Москва 951 (outside the region)
 * p1: 101 (Пласт: claims 16.1, 17.1 registered → consistent) and 201 (Копейск:
 * claims 16.2 "in none" and 17.4 "not at all" → both understated).
 * Q13: Пласт, Миасс, Сатка, Карталы name r1; Копейск and Кыштым "none"; Аша don't know.
 */

#define T 1790000000
#define DAY 86400
#define G1 300000001
#define G2 300000002

#include "store_collect.h"
#include "survey_fixture.h"

static const char SURVEY[] =
    "Муниципалитет;В каких региональных методических объединениях;Оцените характер участия "
    "педагогов в указанных в п. 14 региональных методических объединениях;В каких "
    "региональных профессиональных сетевых сообществах;Оцените характер участия педагогов в "
    "указанных в п. 17 региональных профессиональных сетевых сообществах\n"
    "Пластовский МР;13.1;14.2;16.1;17.1\n"
    "Копейский ГО;13.2;14.3;16.2;17.4\n"
    "Миасский ГО;13.1;14.1;;\n"
    "Саткинский МР;13.1;14.2;;\n"
    "Ашинский МР;13.3;14.5;;\n"
    "Карталинский МР;13.1;14.1;;\n"
    "Кыштымский ГО;13.2;14.4;;\n";

static void members(struct fixture *fx, int64_t run, int64_t cid, const int64_t *ids,
                    const char *const *cities, size_t n)
{
    struct vk_user u[32];
    int64_t joined, left;
    memset(u, 0, sizeof u);
    for (size_t i = 0; i < n; i++) {
        u[i].id = ids[i];
        u[i].city_title = cities[i];
        /* a VK city id per title, as VK has: the attribution caches by id */
        u[i].city_id = cities[i] ? 1500000 + (int64_t)(unsigned char)cities[i][1] * 256 +
                                       (unsigned char)cities[i][3]
                                 : 0;
    }
    assert_int_equal(store_members_page(fx->st, run, cid, T, u, n, 0, NULL), 0);
    assert_int_equal(store_members_complete(fx->st, run, cid, T, &joined, &left), 0);
}

/* Builds the data above; with_p1_list 0 leaves p1 without a complete member list. */
static void build(struct fixture *fx, int with_p1_list)
{
    struct store_community_state r1, p1;
    struct store_post_sync prev;
    int64_t run;
    static const int64_t r1_ids[] = {101, 102, 103, 104, 105, 106, 201, 202, 203, 204, 205, 206,
                                     301, 302, 401, 402, 501, 502, 503, 801, 901, 902, 951};
    static const char *const r1_cities[] = {
        "Пласт",   "Пласт",   "Пласт",   "Пласт",    "Пласт", "Пласт", "Копейск", "Копейск",
        "Копейск", "Копейск", "Копейск", "Копейск",  "Миасс", "Миасс", "Сатка",   "Сатка",
        "Аша",     "Аша",     "Аша",     "Златоуст", NULL,    NULL,    "Москва"};
    static const int64_t p1_ids[] = {101, 201};
    static const char *const p1_cities[] = {"Пласт", "Копейск"};

    assert_int_equal(store_sync_communities(fx->st, fx->cfg), 0);
    assert_int_equal(store_community_state(fx->st, "r1", &r1), 0);
    assert_int_equal(store_community_state(fx->st, "p1", &p1), 0);
    struct vk_group g1 = {.id = G1, .members_count = 23}, g2 = {.id = G2, .members_count = 2};
    /* An earlier run saw r1 first: likes found at T are then dated to that week
     * (a community's first run finds likes of unknown date). */
    assert_int_equal(store_run_begin(fx->st, T - 7 * DAY, &run), 0);
    assert_int_equal(store_group_info(fx->st, run, r1.id, T - 7 * DAY, &g1), 0);
    assert_int_equal(store_run_end(fx->st, run, T - 7 * DAY + 100, "ok", 1, 1, NULL), 0);
    assert_int_equal(store_run_begin(fx->st, T, &run), 0);
    assert_int_equal(store_group_info(fx->st, run, r1.id, T, &g1), 0);
    assert_int_equal(store_group_info(fx->st, run, p1.id, T, &g2), 0);
    members(fx, run, r1.id, r1_ids, r1_cities, 23);
    if (with_p1_list)
        members(fx, run, p1.id, p1_ids, p1_cities, 2);
    /* a post by the group, two signed by 301 and 302 (Миасс), and an old one */
    struct vk_post posts[4] = {
        {.owner_id = -G1, .id = 1, .from_id = -G1, .date = T - 20 * DAY},
        {.owner_id = -G1, .id = 2, .from_id = -G1, .signer_id = 301, .date = T - 10 * DAY},
        {.owner_id = -G1, .id = 3, .from_id = -G1, .date = T - 500 * DAY},
        {.owner_id = -G1, .id = 4, .from_id = -G1, .signer_id = 302, .date = T - 9 * DAY},
    };
    for (int i = 0; i < 4; i++)
        assert_int_equal(store_post(fx->st, run, r1.id, T, &posts[i], &prev), 0);
    struct vk_comment c[4] = {{.id = 10, .from_id = 101, .date = T - 5 * DAY},
                              {.id = 11, .from_id = 501, .date = T - 4 * DAY},
                              {.id = 13, .from_id = 102, .date = T - 3 * DAY},
                              {.id = 14, .from_id = 103, .date = T - 2 * DAY}};
    assert_int_equal(store_comments(fx->st, -G1, 1, c, 4, T), 0);
    struct vk_comment old = {.id = 12, .from_id = 201, .date = T - 450 * DAY};
    assert_int_equal(store_comments(fx->st, -G1, 3, &old, 1, T), 0);
    int64_t liker = 202;
    assert_int_equal(store_likes(fx->st, -G1, 1, &liker, 1, T), 0);
    assert_int_equal(store_snapshot_flag(fx->st, run, r1.id, T, SNAP_WALL_OK), 0);
    assert_int_equal(store_snapshot_flag(fx->st, run, p1.id, T, SNAP_WALL_OK), 0);
    assert_int_equal(store_run_end(fx->st, run, T + 100, "ok", 1, 1, NULL), 0);
}

static void import(struct fixture *fx, const char *text)
{
    struct survey *sv = NULL;
    if (survey_read(fx->cfg, fx->map, fixture_write(fx, "s.csv", text), &sv, fx->err,
                    sizeof fx->err) != 0)
        fail_msg("%s", fx->err);
    if (survey_error_count(sv))
        fail_msg("%s", survey_error(sv, 0));
    assert_int_equal(survey_save(sv, fx->st, 2023, "s.csv", T), 0);
    survey_free(sv);
}

static int setup(void **state)
{
    return fixture_setup(state, "[database]\npath = t.db\n[region]\nmunicipalities = "
                                "%s/config/regions/chelyabinsk.ini\n[survey]\n"
                                "pseudonym_salt = test-salt-0123456789\n"
                                "[community]\ngroup = r1\nkind = rmo\nsurvey_name = "
                                "Профилактика школьной неуспешности обучающихся\n"
                                "[community]\ngroup = p1\nkind = community\nsurvey_name = "
                                "Использование потенциала школ-лидеров в повышении качества "
                                "образования\n");
}

static int teardown(void **state)
{
    return fixture_teardown(state);
}

static struct crosscheck *run_check(struct fixture *fx)
{
    struct attribution *attr = NULL;
    struct crosscheck *x = NULL;
    assert_int_equal(attribution_new(fx->map, fx->st, &attr), 0);
    int rc = crosscheck_run(fx->st, fx->cfg, fx->map, attr, 2023, 52, &x, fx->err, sizeof fx->err);
    attribution_free(attr);
    if (rc != 0)
        fail_msg("crosscheck_run: %s", fx->err);
    return x;
}

static const struct xc_muni *M(const struct fixture *fx, const struct crosscheck *x,
                               const char *name)
{
    const struct muni *m = muni_by_name(fx->map, name);
    assert_non_null(m);
    return &x->munis[m->index];
}

#define RMO_LEVEL(name) (M(fx, x, name)->level[XC_RMO])

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
    /* coverage: 23 members, 20 attributed, 2 without city, 1 outside */
    assert_int_equal(x->members, 23);
    assert_int_equal(x->by_source[ATTR_CITY], 20);
    assert_int_equal(x->by_source[ATTR_NO_CITY], 2);
    assert_int_equal(x->by_source[ATTR_OUTSIDE], 1);

    assert_int_equal(RMO_LEVEL("Пластовский МР").verdict, XC_CONSISTENT);
    assert_int_equal(RMO_LEVEL("Пластовский МР").observed, LEVEL_DISCUSSES);
    assert_int_equal(RMO_LEVEL("Пластовский МР").n.members, 6);
    assert_int_equal(RMO_LEVEL("Пластовский МР").n.commenters, 3);

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

    /* a municipality with no attributed members: no evidence either way, for every claim */
    assert_int_equal(M(fx, x, "Карталинский МР")->attributed, 0);
    assert_int_equal(RMO_LEVEL("Карталинский МР").verdict, XC_UNVERIFIABLE);
    assert_int_equal(RMO_LEVEL("Карталинский МР").reason, XC_R_FEW_MEMBERS);
    assert_int_equal(RMO_LEVEL("Карталинский МР").observed, LEVEL_NONE);
    assert_int_equal(RMO_LEVEL("Кыштымский ГО").verdict, XC_CONSISTENT);

    /* a municipality missing from the survey */
    assert_false(M(fx, x, "Златоустовский ГО")->surveyed);
    assert_int_equal(RMO_LEVEL("Златоустовский ГО").verdict, XC_NOT_SURVEYED);
    assert_int_equal(RMO_LEVEL("Златоустовский ГО").observed, LEVEL_REGISTERED);
    assert_true(M(fx, x, "Златоустовский ГО")->follow_up);

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
    assert_int_equal(M(fx, x, "Пластовский МР")->attributed, 6);
    assert_int_equal(M(fx, x, "Пластовский МР")->by_city, 6);
    assert_int_equal(M(fx, x, "Пластовский МР")->by_roster, 0);
    assert_int_equal(x->method, ATTR_BY_TITLE);
    assert_int_equal(x->sum.verdicts[SURVEY_Q14][XC_NOT_SURVEYED], 36);
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
        crosscheck_run(fx->st, fx->cfg, fx->map, attr, 2023, 52, &x, fx->err, sizeof fx->err),
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

/* ---- renderers -------------------------------------------------------------------------- */

static char *render(const struct crosscheck *x, enum render_format f, enum lang lang, char sep)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    struct xc_render_options o = {f, lang, sep, T};
    assert_int_equal(crosscheck_render(x, &o, m), 0);
    fclose(m);
    return buf;
}

static size_t count_of(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

/* Every string of the NULL-ended list is in s (the failing one is named). */
static void has_all(const char *s, const char *const *needles)
{
    for (; *needles; needles++) {
        if (!strstr(s, *needles))
            fail_msg("missing: %s", *needles);
    }
}

static void test_crosscheck_renders_four_formats(void **state)
{
    struct fixture *fx = *state;
    build(fx, 1);
    import(fx, SURVEY);
    struct crosscheck *x = run_check(fx);

    char *ru = render(x, RENDER_TEXT, LANG_RU, ','), *en = render(x, RENDER_TEXT, LANG_EN, ',');
    has_all(ru, (const char *const[]){
                    "Копейский ГО: Вопрос 14: по анкете предоставляют материалы, наблюдается "
                    "зарегистрированы",
                    "— завышено",
                    /* the method in words, the title fallback said aloud */
                    "Отнесение: по названию города в профиле",
                    /* one number format per language: a decimal comma in Russian */
                    "по городу 6 = 100 %)", NULL});
    has_all(en, (const char *const[]){
                    "Копейский ГО: Q14: claims contribute materials, observed registered only",
                    "\nСаткинский МО — attributed members: 2 (by roster 0, by city 2 = 100%)\n"
                    "  Q14: claims registered and discuss, observed registered only",
                    "unverifiable: fewer than 5 attributed members",
                    "Attribution: by the title of the profile city",
                    "discusses — at least 3 commented and they are at least 10%",
                    "contributes — at least 2 of them authored a post",
                    "fewer than 5 members are attributed to the municipality",
                    /* the follow-up list shows each municipality's coverage beside its verdicts */
                    "  Копейский ГО — attributed members: 6 (by roster 0, by city 6 = 100%)\n"
                    "  Копейский ГО: Q14",
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
                                "registered;overstated;завышено;;;6;0;0;1;0;6;0;0;6\r\n"));
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
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(method, "legend")), 3);
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
    assert_null(strstr(html, "https:"));
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
    assert_int_equal(crosscheck_export_members(fx->st, attr, T - 364 * DAY, T + 100, "short", ',',
                                               m, fx->err, sizeof fx->err),
                     VKP_ECONFIG);
    assert_non_null(strstr(fx->err, "pseudonym_salt"));
    assert_int_equal(crosscheck_export_members(fx->st, attr, T - 364 * DAY, T + 100,
                                               fx->cfg->survey_salt, ',', m, fx->err,
                                               sizeof fx->err),
                     0);
    fclose(m);
    /* 23 + 2 members, one line each, and the header */
    assert_int_equal(count_of(buf, "\r\n"), 26);
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
