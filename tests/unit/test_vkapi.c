/* test_vkapi.c: cmocka tests of the VK answer parsers on schema-true answers, the envelope and VK
 * errors (collector/vkapi.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "model.h"
#include "vkapi.h"
#include "vkapi_fixture.h"

/* ---- schema-true answers ----------------------------------------------------- */

static void test_vkapi_groups_by_id_5199_shape(void **state)
{
    struct vk_reply r;
    struct vk_group *g;
    size_t n;
    char err[256] = "";

    reply_file("groups_getById.json", &r);
    assert_null(r.execute_errors);
    assert_int_equal(vk_parse_groups(r.response, &g, &n, err, sizeof err), 0);
    assert_int_equal(n, 3);

    assert_int_equal(g[0].id, 218375230);
    assert_string_equal(g[0].screen_name, "rmo_neuspeh");
    assert_string_equal(g[0].name, "Профилактика школьной неуспешности обучающихся");
    assert_int_equal(g[0].members_count, 1205);
    assert_int_equal(g[0].is_closed, 0);
    assert_null(g[0].deactivated);

    /* A closed group shows no members_count to an outsider: -1, not 0. */
    assert_int_equal(g[1].id, 219000001);
    assert_string_equal(g[1].screen_name, "club219000001");
    assert_int_equal(g[1].members_count, -1);
    assert_int_equal(g[1].is_closed, 1);
    assert_null(g[1].deactivated);

    assert_int_equal(g[2].id, 219000002);
    assert_int_equal(g[2].members_count, -1);
    assert_int_equal(g[2].is_closed, 0);
    assert_string_equal(g[2].deactivated, "banned");
    free(g);
    vk_reply_release(&r);
}

static void test_vkapi_members_with_city(void **state)
{
    struct vk_reply r;
    struct vk_user *u;
    size_t n;
    int64_t count = 0;
    char err[256] = "";

    reply_file("groups_getMembers.json", &r);
    assert_int_equal(vk_parse_members(r.response, &count, &u, &n, err, sizeof err), 0);
    assert_int_equal(count, 1205); /* the total, not this page's size */
    assert_int_equal(n, 5);

    assert_int_equal(u[0].id, 101);
    assert_int_equal(u[0].city_id, 158);
    assert_string_equal(u[0].city_title, "Челябинск");
    assert_null(u[0].deactivated);
    assert_string_equal(u[0].first_name, "Анна");
    assert_string_equal(u[0].last_name, "Петрова");

    /* No city in the profile. */
    assert_int_equal(u[1].id, 102);
    assert_int_equal(u[1].city_id, 0);
    assert_null(u[1].city_title);
    assert_null(u[1].deactivated);

    /* Deactivated users: no city, the flag kept as VK spells it. */
    assert_int_equal(u[2].id, 103);
    assert_int_equal(u[2].city_id, 0);
    assert_null(u[2].city_title);
    assert_string_equal(u[2].deactivated, "deleted");
    assert_int_equal(u[3].id, 104);
    assert_string_equal(u[3].deactivated, "banned");

    assert_int_equal(u[4].id, 105);
    assert_int_equal(u[4].city_id, 1489);
    assert_string_equal(u[4].city_title, "Пласт");
    free(u);
    vk_reply_release(&r);
}

/* The four counters of a parsed post. */
static void assert_counters(const struct vk_post *p, int64_t views, int64_t likes, int64_t reposts,
                            int64_t comments)
{
    assert_int_equal(p->views, views);
    assert_int_equal(p->likes, likes);
    assert_int_equal(p->reposts, reposts);
    assert_int_equal(p->comments, comments);
}

static void test_vkapi_wall_pinned_signed_copy(void **state)
{
    struct vk_reply r;
    struct vk_post *p;
    size_t n;
    int64_t count = 0;
    char err[256] = "";

    reply_file("wall_get.json", &r);
    assert_int_equal(vk_parse_wall(r.response, &count, &p, &n, err, sizeof err), 0);
    assert_int_equal(count, 57);
    assert_int_equal(n, 4);

    /* The pinned post comes first whatever its date. */
    assert_int_equal(p[0].owner_id, -218375230);
    assert_int_equal(p[0].id, 12);
    assert_int_equal(p[0].from_id, -218375230);
    assert_int_equal(p[0].signer_id, 0);
    assert_int_equal(p[0].date, 1672531200);
    assert_string_equal(p[0].post_type, "post");
    assert_int_equal(p[0].is_pinned, 1);
    assert_int_equal(p[0].copy_owner_id, 0);
    assert_int_equal(p[0].copy_post_id, 0);
    assert_int_equal(p[0].copy_date, 0);
    assert_counters(&p[0], 900, 40, 5, 3);
    assert_true(p[0].date < p[1].date);

    /* A signed post: the group is from_id, the person is signer_id. */
    assert_int_equal(p[1].id, 57);
    assert_int_equal(p[1].from_id, -218375230);
    assert_int_equal(p[1].signer_id, 7001);
    assert_int_equal(p[1].date, 1717200000);
    assert_int_equal(p[1].is_pinned, 0);
    assert_counters(&p[1], 315, 4, 2, 17);

    /* A repost of another wall: copy_history[0]. */
    assert_int_equal(p[2].id, 56);
    assert_int_equal(p[2].copy_owner_id, -1234567);
    assert_int_equal(p[2].copy_post_id, 345);
    assert_int_equal(p[2].copy_date, 1717000000);
    assert_int_equal(p[2].signer_id, 0);
    assert_counters(&p[2], 120, 7, 0, 0);

    /* A suggested post published by the group: from_id is the member; absent counters are 0. */
    assert_int_equal(p[3].id, 55);
    assert_int_equal(p[3].from_id, 7002);
    assert_int_equal(p[3].owner_id, -218375230);
    assert_counters(&p[3], 0, 1, 0, 0);
    assert_int_equal(p[3].copy_owner_id, 0);
    free(p);
    vk_reply_release(&r);
}

static void test_vkapi_wall_from_id_defaults_to_owner(void **state)
{
    cJSON *resp = json("{\"count\":1,\"items\":[{\"inner_type\":\"wall_wallpost\",\"id\":3,"
                       "\"owner_id\":-5,\"date\":100,\"is_pinned\":0}]}");
    struct vk_post *p;
    size_t n;
    int64_t count;
    char err[256] = "";

    assert_int_equal(vk_parse_wall(resp, &count, &p, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].from_id, -5);
    assert_null(p[0].post_type);
    assert_int_equal(p[0].is_pinned, 0);
    free(p);
    cJSON_Delete(resp);
}

static void test_vkapi_likes_ids(void **state)
{
    struct vk_reply r;
    int64_t *ids;
    size_t n;
    int64_t count = 0;
    char err[256] = "";

    reply_file("likes_getList.json", &r);
    assert_int_equal(vk_parse_likes(r.response, &count, &ids, &n, err, sizeof err), 0);
    assert_int_equal(count, 4);
    assert_int_equal(n, 4);
    assert_int_equal(ids[0], 101);
    assert_int_equal(ids[1], 7001);
    assert_int_equal(ids[2], 105);
    assert_int_equal(ids[3], 7002);
    free(ids);
    vk_reply_release(&r);
}

/* Checks one flattened comment. */
static void check_comment(const struct vk_comment *c, int64_t id, int64_t from_id, int64_t date,
                          int64_t parent, int deleted, int64_t thread_count, int thread_inline)
{
    assert_int_equal(c->id, id);
    assert_int_equal(c->from_id, from_id);
    assert_int_equal(c->date, date);
    assert_int_equal(c->parent_id, parent);
    assert_int_equal(c->deleted, deleted);
    assert_int_equal(c->thread_count, thread_count);
    assert_int_equal(c->thread_inline, thread_inline);
}

static void test_vkapi_comments_threads_and_placeholder(void **state)
{
    struct vk_reply r;
    struct vk_comment *c;
    size_t n;
    int64_t level = 0;
    char err[256] = "";

    reply_file("wall_getComments.json", &r);
    assert_int_equal(vk_parse_comments(r.response, 0, &level, &c, &n, err, sizeof err), 0);
    /* Paging goes by current_level_count (4), not count (17, replies included). */
    assert_int_equal(level, 4);
    assert_int_equal(n, 8);
    /* A thread of 12 replies of which 3 came inline: the rest needs its own calls. */
    check_comment(&c[0], 1001, 101, 1717201000, 0, 0, 12, 3);
    check_comment(&c[1], 1003, 7001, 1717202000, 1001, 0, 0, 0);
    check_comment(&c[2], 1004, 105, 1717203000, 1001, 0, 0, 0);
    check_comment(&c[3], 1005, -218375230, 1717204000, 1001, 0, 0, 0);
    /* The deleted placeholder: flagged, no author. */
    check_comment(&c[4], 1002, 0, 1717201500, 0, 1, 0, 0);
    check_comment(&c[5], 1010, 104, 1717205000, 0, 0, 1, 1);
    check_comment(&c[6], 1011, -218375230, 1717206000, 1010, 0, 0, 0);
    check_comment(&c[7], 1012, 105, 1717207000, 0, 0, 0, 0);
    free(c);
    vk_reply_release(&r);
}

static void test_vkapi_comments_thread_page(void **state)
{
    struct vk_reply r;
    struct vk_comment *c;
    size_t n;
    int64_t level = 0;
    char err[256] = "";

    /* Paging one thread (comment_id=1001): every item is a reply to 1001. */
    reply_file("wall_getComments__thread.json", &r);
    assert_int_equal(vk_parse_comments(r.response, 1001, &level, &c, &n, err, sizeof err), 0);
    assert_int_equal(level, 12);
    assert_int_equal(n, 9);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(c[i].id, 1020 + (int64_t)i);
        assert_int_equal(c[i].parent_id, 1001);
        assert_int_equal(c[i].date, 1717210000 + 60 * (int64_t)i);
        assert_int_equal(c[i].deleted, 0);
        assert_true(c[i].from_id != 0);
    }
    free(c);
    vk_reply_release(&r);
}

static void test_vkapi_comments_level_count_defaults_to_count(void **state)
{
    cJSON *resp =
        json("{\"count\":2,\"items\":[{\"id\":1,\"from_id\":5,\"date\":10,\"text\":\"a\"},"
             "{\"id\":2,\"from_id\":6,\"date\":11,\"text\":\"b\"}]}");
    struct vk_comment *c;
    size_t n;
    int64_t level = 0;
    char err[256] = "";

    assert_int_equal(vk_parse_comments(resp, 0, &level, &c, &n, err, sizeof err), 0);
    assert_int_equal(level, 2);
    assert_int_equal(n, 2);
    free(c);
    cJSON_Delete(resp);
}

static void test_vkapi_reposts_items(void **state)
{
    struct vk_reply r;
    struct vk_repost *p;
    size_t n;
    char err[256] = "";

    reply_file("wall_getReposts.json", &r);
    assert_int_equal(vk_parse_reposts(r.response, &p, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].owner_id, 7001);
    assert_int_equal(p[0].id, 88);
    assert_int_equal(p[0].date, 1717210000);
    assert_int_equal(p[1].owner_id, -99887766);
    assert_int_equal(p[1].id, 4410);
    assert_int_equal(p[1].date, 1717215000);
    free(p);
    vk_reply_release(&r);
}

/* ---- the checks of meaning (vk_check_*) ---------------------------------------- */

/* Parses `json` as a stats.get response. */
static int stats_of(const char *json, struct vk_stat_day **d, size_t *n, char *err, size_t len)
{
    cJSON *resp = cJSON_Parse(json);
    int rc = vk_parse_stats(resp, d, n, err, len);
    cJSON_Delete(resp);
    return rc;
}

static void test_vkapi_check_stats_refuses_lies(void **state)
{
    static const char *const lies[] = {
        "[{\"period_from\":1717113600,\"activity\":{\"subscribed\":-5000}}]",
        "[{\"period_from\":1717113600,\"visitors\":{\"views\":9e18}}]",
        "[{\"period_from\":1717113600,\"reach\":{\"reach_subscribers\":1e300}}]",
        "[{\"period_from\":1717113600,\"reach\":{\"reach\":30000000}}]",
    };
    struct vk_check chk;
    struct vk_stat_day *d;
    size_t n;
    char err[256];

    (void)state;
    vk_check_init(&chk, 1717200000, 20000000, 10000000);
    for (size_t i = 0; i < sizeof lies / sizeof *lies; i++) {
        /* Well-formed: the parser takes it, the check refuses the answer whole, naming it. */
        assert_int_equal(stats_of(lies[i], &d, &n, err, sizeof err), 0);
        assert_int_equal(vk_check_stats(&chk, d, &n, err, sizeof err), VKP_EREFUSED);
        assert_non_null(strstr(err, "stats.get: day 1717113600"));
        free(d);
    }
    assert_non_null(strstr(err, "reach.reach = 30000000 is beyond [collect] max_members"));
}

static void test_vkapi_check_leaves_out_impossible_dates(void **state)
{
    struct vk_check chk;
    struct vk_stat_day *d;
    struct vk_post p[3] = {
        {.id = 1, .date = 1717100000}, {.id = 2, .date = -1}, {.id = 3, .date = 1717000000}};
    size_t n = 3;
    char err[256];

    (void)state;
    vk_check_init(&chk, 1717200000, 20000000, 10000000);
    /* A post dated -1 is left out, named; the page goes on. */
    assert_int_equal(vk_check_posts(&chk, 180, p, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(p[1].id, 3);
    assert_int_equal(chk.refused, 1);
    assert_string_equal(chk.what, "post 2 (item 1): date -1 is before VK began (2006)");
    /* A wall counting 10^12 posts is no wall. */
    n = 2;
    assert_int_equal(vk_check_posts(&chk, 1000000000000LL, p, &n, err, sizeof err), VKP_EREFUSED);
    /* A day of 2100 is left out; the days before stay. */
    assert_int_equal(stats_of("[{\"period_from\":4102444800},{\"period_from\":1717113600}]", &d, &n,
                              err, sizeof err),
                     0);
    assert_int_equal(vk_check_stats(&chk, d, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(d[0].day, 1717113600);
    assert_non_null(strstr(chk.what, "period_from is in the future"));
    free(d);
}

static void test_vkapi_stats_days(void **state)
{
    struct vk_reply r;
    struct vk_stat_day *d;
    size_t n;
    char err[256] = "";

    reply_file("stats_get.json", &r);
    assert_int_equal(vk_parse_stats(r.response, &d, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(d[0].day, 1717113600);
    assert_int_equal(d[0].reach, 320);
    assert_int_equal(d[0].reach_subscribers, 210);
    assert_int_equal(d[0].visitors, 180);
    assert_int_equal(d[0].views, 540);
    assert_int_equal(d[0].subscribed, 4);
    assert_int_equal(d[0].unsubscribed, 1);
    assert_int_equal(d[0].likes, 25);
    assert_int_equal(d[0].comments, 3);
    assert_int_equal(d[0].copies, 1);
    /* A quiet day: VK leaves activity out; its figures are 0. */
    assert_int_equal(d[1].day, 1717200000);
    assert_int_equal(d[1].reach, 12);
    assert_int_equal(d[1].reach_subscribers, 10);
    assert_int_equal(d[1].visitors, 7);
    assert_int_equal(d[1].views, 20);
    assert_int_equal(d[1].subscribed, 0);
    assert_int_equal(d[1].unsubscribed, 0);
    assert_int_equal(d[1].likes, 0);
    assert_int_equal(d[1].comments, 0);
    assert_int_equal(d[1].copies, 0);
    free(d);
    vk_reply_release(&r);
}

static void test_vkapi_empty_lists(void **state)
{
    const char *texts[] = {
        "{\"groups\":[],\"profiles\":[]}",
        "{\"count\":0,\"items\":[]}",
        "{\"count\":0,\"items\":[]}",
        "{\"count\":0,\"items\":[]}",
        "{\"count\":0,\"items\":[]}",
        "{\"items\":[],\"profiles\":[],\"groups\":[]}",
        "[]",
    };
    char err[256];
    for (int m = 0; m < M_COUNT_; m++) {
        size_t n = 99;
        int out_null = 1;
        cJSON *resp = json(texts[m]);
        int rc = run_parser((enum method)m, resp, &n, &out_null, err, sizeof err);
        cJSON_Delete(resp);
        if (rc != 0)
            fail_msg("%s refused an empty list: %s", method_name[m], err);
        assert_int_equal(n, 0);
        assert_false(out_null); /* NULL means failure, so an empty list is still an array */
    }
}

/* ---- envelope, execute, errors --------------------------------------------------- */

static void test_vkapi_execute_false_maps_to_execute_errors(void **state)
{
    struct vk_reply r;
    const cJSON *item;
    int code, k = 0, i = 0;
    const char *msg;
    char err[256] = "";
    static const int want_code[] = {15, 212};
    static const char *const want_msg[] = {"Access denied: group hide members",
                                           "Access to post comments denied"};

    reply_file("execute__false.json", &r);
    assert_true(cJSON_IsArray(r.response));
    assert_int_equal(cJSON_GetArraySize(r.response), 5);
    assert_non_null(r.execute_errors);
    cJSON_ArrayForEach(item, r.response)
    {
        if (cJSON_IsFalse(item)) {
            /* The k-th false goes with the k-th execute_errors entry. */
            assert_int_equal(vk_execute_error(&r, k, &code, &msg), 1);
            assert_int_equal(code, want_code[k]);
            assert_string_equal(msg, want_msg[k]);
            k++;
        } else if (i == 0) {
            struct vk_group *g;
            size_t n;
            assert_int_equal(vk_parse_groups(item, &g, &n, err, sizeof err), 0);
            assert_int_equal(n, 1);
            assert_int_equal(g[0].members_count, 1205);
            free(g);
        } else if (i == 2) {
            int64_t *ids, count;
            size_t n;
            assert_int_equal(vk_parse_likes(item, &count, &ids, &n, err, sizeof err), 0);
            assert_int_equal(n, 2);
            assert_int_equal(ids[1], 105);
            free(ids);
        } else {
            struct vk_repost *p;
            size_t n;
            assert_int_equal(i, 4);
            assert_int_equal(vk_parse_reposts(item, &p, &n, err, sizeof err), 0);
            assert_int_equal(n, 0);
            free(p);
        }
        i++;
    }
    assert_int_equal(k, 2);
    /* A third false would have no entry: code -1 and a message anyway. */
    assert_int_equal(vk_execute_error(&r, 2, &code, &msg), 0);
    assert_int_equal(code, -1);
    assert_non_null(msg);
    assert_true(strlen(msg) > 0);
    assert_int_equal(vk_execute_error(&r, -1, &code, &msg), 0);
    assert_int_equal(code, -1);
    vk_reply_release(&r);
}

static void test_vkapi_execute_error_without_entries(void **state)
{
    static const char *const bodies[] = {
        "{\"response\":[false]}",
        "{\"response\":[false],\"execute_errors\":[]}",
        "{\"response\":[false],\"execute_errors\":[{\"method\":\"wall.get\"}]}",
        "{\"response\":[false],\"execute_errors\":[{\"error_code\":\"15\"}]}",
        "{\"response\":[false],\"execute_errors\":[5]}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        struct vk_reply r;
        char err[256] = "";
        int code = 7;
        const char *msg = NULL;
        assert_int_equal(vk_reply_parse(bodies[i], strlen(bodies[i]), &r, err, sizeof err), 0);
        assert_int_equal(vk_execute_error(&r, 0, &code, &msg), 0);
        assert_int_equal(code, -1);
        assert_non_null(msg);
        vk_reply_release(&r);
    }
    /* An entry without error_msg still maps, with an empty message. */
    {
        const char *body = "{\"response\":[false],\"execute_errors\":[{\"error_code\":10}]}";
        struct vk_reply r;
        char err[256] = "";
        int code = 0;
        const char *msg = NULL;
        assert_int_equal(vk_reply_parse(body, strlen(body), &r, err, sizeof err), 0);
        assert_int_equal(vk_execute_error(&r, 0, &code, &msg), 1);
        assert_int_equal(code, 10);
        assert_string_equal(msg, "");
        vk_reply_release(&r);
    }
}

static void test_vkapi_error_answers(void **state)
{
    static const struct {
        const char *file;
        int code;
        const char *msg;
    } cases[] = {
        {"error__auth.json", 5, "User authorization failed: invalid access_token (4)."},
        {"error__too_many.json", 6, "Too many requests per second"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct vk_reply r;
        char err[256] = "";
        size_t len;
        char *body = load(cases[i].file, &len);
        assert_int_equal(vk_reply_parse(body, len, &r, err, sizeof err), 0);
        free(body);
        assert_int_equal(r.error_code, cases[i].code);
        assert_string_equal(r.error_msg, cases[i].msg);
        assert_null(r.response);
        assert_null(r.execute_errors);
        vk_reply_release(&r);
    }
}

static void test_vkapi_error_msg_truncated_safely(void **state)
{
    char body[2048], err[256] = "";
    struct vk_reply r;
    int len = snprintf(body, sizeof body, "{\"error\":{\"error_code\":100,\"error_msg\":\"");
    for (int i = 0; i < 1000; i++)
        body[len++] = 'x';
    len += snprintf(body + len, sizeof body - (size_t)len, "\"}}");
    assert_int_equal(vk_reply_parse(body, (size_t)len, &r, err, sizeof err), 0);
    assert_int_equal(r.error_code, 100);
    assert_int_equal(strlen(r.error_msg), sizeof r.error_msg - 1);
    vk_reply_release(&r);
}

static void test_vkapi_envelope_malformed(void **state)
{
    static const char *const bodies[] = {
        "",
        "not json",
        "<html><body>502 Bad Gateway</body></html>",
        "{\"response\":",
        "{\"response\":{\"count\":1,\"items\":[1,2",
        "[]",
        "\"response\"",
        "null",
        "{}",
        "{\"result\":{}}",
        "{\"error\":\"auth\"}",
        "{\"error\":{}}",
        "{\"error\":{\"error_code\":\"5\",\"error_msg\":\"x\"}}",
        "{\"error\":{\"error_code\":0,\"error_msg\":\"x\"}}",
        "{\"error\":{\"error_code\":-5,\"error_msg\":\"x\"}}",
        "{\"error\":{\"error_code\":5.5,\"error_msg\":\"x\"}}",
        "{\"error\":{\"error_code\":1e300,\"error_msg\":\"x\"}}",
        "{\"error\":{\"error_code\":5,\"error_msg\":5}}",
        "{\"response\":[false],\"execute_errors\":{}}",
        "{\"response\":[false],\"execute_errors\":\"x\"}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        struct vk_reply r;
        char err[256] = "";
        int rc = vk_reply_parse(bodies[i], strlen(bodies[i]), &r, err, sizeof err);
        if (rc != VKP_EPARSE)
            fail_msg("envelope accepted (rc %d): %s", rc, bodies[i]);
        assert_true(strlen(err) > 0);
        assert_int_equal(r.error_code, 0);
        vk_reply_release(&r);
    }
}

static void test_vkapi_envelope_length_respected(void **state)
{
    /* The body is not NUL-terminated where len says it ends. */
    const char body[] = "{\"response\":{\"count\":0,\"items\":[]}}garbage";
    struct vk_reply r;
    char err[256] = "";
    assert_int_equal(vk_reply_parse(body, strlen(body) - 7, &r, err, sizeof err), 0);
    assert_non_null(r.response);
    vk_reply_release(&r);
    assert_int_equal(vk_reply_parse(body, 20, &r, err, sizeof err), VKP_EPARSE);
    vk_reply_release(&r);
}

static void test_vkapi_truncated_answers_refused(void **state)
{
    /* Every prefix that stops before the closing brace is malformed JSON. */
    for (size_t f = 0; f < sizeof data_files / sizeof *data_files; f++) {
        size_t len, end;
        char *body = load(data_files[f], &len);
        end = len;
        while (end > 0 && body[end - 1] != '}')
            end--;
        assert_true(end > 0);
        for (size_t cut = 0; cut < end; cut++) {
            struct vk_reply r;
            char err[256] = "";
            char *copy = malloc(cut ? cut : 1); /* exactly cut bytes, so valgrind sees overreads */
            assert_non_null(copy);
            memcpy(copy, body, cut);
            int rc = vk_reply_parse(copy, cut, &r, err, sizeof err);
            if (rc != VKP_EPARSE)
                fail_msg("%s cut at %zu accepted", data_files[f], cut);
            assert_null(r.response);
            vk_reply_release(&r);
            free(copy);
        }
        free(body);
    }
}

/* One place gives VK's codes their meaning: the collector and the city directory obey it. */
static void test_vkapi_error_classes(void **state)
{
    static const struct {
        int code;
        enum vk_error_class cls;
        int vkp;
    } want[] = {
        {VK_ERR_UNKNOWN, VKE_RETRY, VKP_EVK},
        {VK_ERR_INTERNAL, VKE_RETRY, VKP_EVK},
        {VK_ERR_TOO_MANY, VKE_FLOOD, VKP_EVK},
        {VK_ERR_FLOOD, VKE_FLOOD, VKP_EVK},
        {VK_ERR_AUTH, VKE_AUTH, VKP_EAUTH},
        {VK_ERR_CAPTCHA, VKE_CAPTCHA, VKP_ECAPTCHA},
        {VK_ERR_RATE_LIMIT, VKE_QUOTA, VKP_EVK},
        {VK_ERR_APP_OFF, VKE_EXECUTE, VKP_EVK},
        {VK_ERR_EXECUTE_CODE, VKE_EXECUTE, VKP_EVK},
        {VK_ERR_APP_AUTH, VKE_EXECUTE, VKP_EVK},
        {VK_ERR_EXECUTE_RUNTIME, VKE_TOO_BIG, VKP_EVK},
        {VK_ERR_ACCESS, VKE_ACCESS, VKP_EVK},
        {VK_ERR_DELETED, VKE_ACCESS, VKP_EVK},
        {VK_ERR_PRIVATE, VKE_ACCESS, VKP_EVK},
        {VK_ERR_GROUP_ACCESS, VKE_ACCESS, VKP_EVK},
        {VK_ERR_COMMENTS_CLOSED, VKE_ACCESS, VKP_EVK},
        {VK_ERR_PARAM, VKE_PARAM, VKP_EVK},
        {8, VKE_FATAL, VKP_EVK},
        {0, VKE_FATAL, VKP_EVK},
        {-1, VKE_FATAL, VKP_EVK},
    };
    (void)state;
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        if (vk_error_classify(want[i].code) != want[i].cls)
            fail_msg("VK error %d: class %d, want %d", want[i].code,
                     (int)vk_error_classify(want[i].code), (int)want[i].cls);
        assert_int_equal(vk_error_vkp(want[i].code), want[i].vkp);
    }
}

#define T(name) cmocka_unit_test(name)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_vkapi_error_classes),
        T(test_vkapi_groups_by_id_5199_shape),
        T(test_vkapi_members_with_city),
        T(test_vkapi_wall_pinned_signed_copy),
        T(test_vkapi_wall_from_id_defaults_to_owner),
        T(test_vkapi_likes_ids),
        T(test_vkapi_comments_threads_and_placeholder),
        T(test_vkapi_comments_thread_page),
        T(test_vkapi_comments_level_count_defaults_to_count),
        T(test_vkapi_reposts_items),
        T(test_vkapi_stats_days),
        T(test_vkapi_check_stats_refuses_lies),
        T(test_vkapi_check_leaves_out_impossible_dates),
        T(test_vkapi_empty_lists),
        T(test_vkapi_execute_false_maps_to_execute_errors),
        T(test_vkapi_execute_error_without_entries),
        T(test_vkapi_error_answers),
        T(test_vkapi_error_msg_truncated_safely),
        T(test_vkapi_envelope_malformed),
        T(test_vkapi_envelope_length_respected),
        T(test_vkapi_truncated_answers_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
