/* crosscheck_fixture.h: the hand-built region of the cross-check tests (test_crosscheck.c,
 * test_crosscheck_years.c), where every verdict is known, and their render helpers. Included
 * by those tests only, after <cmocka.h>. */
#ifndef VKP_CROSSCHECK_FIXTURE_H
#define VKP_CROSSCHECK_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attribution.h"
#include "config.h"
#include "crosscheck.h"
#include "crosscheck_render.h"
#include "crosscheck_words.h"
#include "err.h"
#include "model.h"
#include "muni.h"
#include "store.h"
#include "store_survey.h"
#include "survey.h"
#include "week.h"

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
 * claims 16.2 "in none" and 17.4 "not at all" → both understated); 107 (Пласт, a member
 * of p1 only, commented in r1: outside Пласт's RMO evidence) and 701..706 (Карталы, p1
 * only: six attributed members, none in the RMOs, so Карталы's RMO claims stay
 * unverifiable).
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

static inline void members(struct fixture *fx, int64_t run, int64_t cid, const int64_t *ids,
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
static inline void build(struct fixture *fx, int with_p1_list)
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
    static const int64_t p1_ids[] = {101, 201, 107, 701, 702, 703, 704, 705, 706};
    static const char *const p1_cities[] = {"Пласт",   "Копейск", "Пласт",   "Карталы", "Карталы",
                                            "Карталы", "Карталы", "Карталы", "Карталы"};

    assert_int_equal(store_sync_communities(fx->st, fx->cfg), 0);
    assert_int_equal(store_community_state(fx->st, "r1", &r1), 0);
    assert_int_equal(store_community_state(fx->st, "p1", &p1), 0);
    struct vk_group g1 = {.id = G1, .members_count = 23}, g2 = {.id = G2, .members_count = 9};
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
        members(fx, run, p1.id, p1_ids, p1_cities, 9);
    /* a post by the group, two signed by 301 and 302 (Миасс), and an old one */
    struct vk_post posts[4] = {
        {.owner_id = -G1, .id = 1, .from_id = -G1, .date = T - 20 * DAY},
        {.owner_id = -G1, .id = 2, .from_id = -G1, .signer_id = 301, .date = T - 10 * DAY},
        {.owner_id = -G1, .id = 3, .from_id = -G1, .date = T - 500 * DAY},
        {.owner_id = -G1, .id = 4, .from_id = -G1, .signer_id = 302, .date = T - 9 * DAY},
    };
    for (int i = 0; i < 4; i++)
        assert_int_equal(store_post(fx->st, run, r1.id, T, &posts[i], &prev), 0);
    struct vk_comment c[5] = {{.id = 10, .from_id = 101, .date = T - 5 * DAY},
                              {.id = 11, .from_id = 501, .date = T - 4 * DAY},
                              {.id = 13, .from_id = 102, .date = T - 3 * DAY},
                              {.id = 14, .from_id = 103, .date = T - 2 * DAY},
                              {.id = 15, .from_id = 107, .date = T - 2 * DAY}};
    assert_int_equal(store_comments(fx->st, -G1, 1, c, 5, T), 0);
    struct vk_comment old = {.id = 12, .from_id = 201, .date = T - 450 * DAY};
    assert_int_equal(store_comments(fx->st, -G1, 3, &old, 1, T), 0);
    int64_t liker = 202;
    assert_int_equal(store_likes(fx->st, -G1, 1, &liker, 1, T), 0);
    assert_int_equal(store_snapshot_flag(fx->st, run, r1.id, T, SNAP_WALL_OK), 0);
    assert_int_equal(store_snapshot_flag(fx->st, run, p1.id, T, SNAP_WALL_OK), 0);
    assert_int_equal(store_run_end(fx->st, run, T + 100, "ok", 1, 1, NULL), 0);
}

static inline void import_year(struct fixture *fx, const char *text, int year)
{
    struct survey *sv = NULL;
    if (survey_read(fx->cfg, fx->map, fixture_write(fx, "s.csv", text), &sv, fx->err,
                    sizeof fx->err) != 0)
        fail_msg("%s", fx->err);
    if (survey_error_count(sv))
        fail_msg("%s", survey_error(sv, 0));
    assert_int_equal(survey_save(sv, fx->st, year, "s.csv", T), 0);
    survey_free(sv);
}

static inline void import(struct fixture *fx, const char *text)
{
    import_year(fx, text, 2023);
}

static inline int setup(void **state)
{
    char err[256];
    /* windows and dates are local: the region's zone, whatever the machine's */
    if (week_zone_set("Asia/Yekaterinburg", err, sizeof err) != 0)
        return -1;
    return fixture_setup(state, "[database]\npath = t.db\n[region]\nmunicipalities = "
                                "%s/config/regions/chelyabinsk.ini\n[survey]\n"
                                "pseudonym_salt = test-salt-0123456789\n"
                                "[community]\ngroup = r1\nkind = rmo\nsurvey_name = "
                                "Профилактика школьной неуспешности обучающихся\n"
                                "[community]\ngroup = p1\nkind = community\nsurvey_name = "
                                "Использование потенциала школ-лидеров в повышении качества "
                                "образования\n");
}

static inline int teardown(void **state)
{
    return fixture_teardown(state);
}

/* The 52 weeks before the last run. */
static const struct xc_window WEEKS52 = {.kind = XC_WIN_WEEKS, .weeks = 52};

/* The cross-check of survey `year` over window w. */
static inline struct crosscheck *run_window(struct fixture *fx, int year, const struct xc_window *w)
{
    struct attribution *attr = NULL;
    struct crosscheck *x = NULL;
    assert_int_equal(attribution_new(fx->map, fx->st, &attr), 0);
    int rc = crosscheck_run(fx->st, fx->cfg, fx->map, attr, year, w, &x, fx->err, sizeof fx->err);
    attribution_free(attr);
    if (rc != 0)
        fail_msg("crosscheck_run: %s", fx->err);
    return x;
}

static inline struct crosscheck *run_check(struct fixture *fx)
{
    struct attribution *attr = NULL;
    struct crosscheck *x = NULL;
    assert_int_equal(attribution_new(fx->map, fx->st, &attr), 0);
    int rc =
        crosscheck_run(fx->st, fx->cfg, fx->map, attr, 2023, &WEEKS52, &x, fx->err, sizeof fx->err);
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

/* ---- renderers -------------------------------------------------------------------------- */

static inline char *render(const struct crosscheck *x, enum render_format f, enum lang lang,
                           char sep)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    struct xc_render_options o = {f, lang, sep, T, "Asia/Yekaterinburg", "test-salt-0123456789", 1};
    assert_int_equal(crosscheck_render(x, &o, m), 0);
    fclose(m);
    return buf;
}

static inline size_t count_of(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

/* Every string of the NULL-ended list is in s (the failing one is named). */
static inline void has_all(const char *s, const char *const *needles)
{
    for (; *needles; needles++) {
        if (!strstr(s, *needles))
            fail_msg("missing: %s", *needles);
    }
}

#endif
