/* test_vkapi.c: cmocka tests of the VK answer parsers and request encoding (collector/vkapi.h). */
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

/*
 * The canned answers in tests/data/vk/ follow the VK API JSON schema 5.199
 * (the shape VK really sends: groups.getById as {groups, profiles}, counters
 * as objects, deleted comments as placeholders). Each test below pins what
 * the parsers make of them, field by field, and then breaks them.
 */

/* ---- helpers --------------------------------------------------------------- */

/* The repository root: $VKP_SRC (ctest sets it), else derived from this file's path. */
static const char *src_root(void)
{
    static char root[PATH_MAX];
    const char *env = getenv("VKP_SRC");
    const char *suffix = "/tests/unit/test_vkapi.c";
    size_t n;

    if (env && *env)
        return env;
    n = strlen(__FILE__);
    if (n > strlen(suffix) && strcmp(__FILE__ + n - strlen(suffix), suffix) == 0 &&
        n - strlen(suffix) < sizeof root) {
        memcpy(root, __FILE__, n - strlen(suffix));
        root[n - strlen(suffix)] = '\0';
        return root;
    }
    return ".";
}

/* Reads tests/data/vk/<name> into a NUL-terminated heap buffer. */
static char *load(const char *name, size_t *len)
{
    char path[PATH_MAX];
    FILE *f;
    char *buf;
    long size;

    snprintf(path, sizeof path, "%s/tests/data/vk/%s", src_root(), name);
    f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open '%s' (set VKP_SRC to the repository root)", path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    size = ftell(f);
    assert_true(size > 0);
    rewind(f);
    buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    buf[size] = '\0';
    fclose(f);
    *len = (size_t)size;
    return buf;
}

/* Parses a data file as a successful answer: no VK error, a response. */
static void reply_file(const char *name, struct vk_reply *r)
{
    char err[256] = "";
    size_t len;
    char *body = load(name, &len);
    int rc = vk_reply_parse(body, len, r, err, sizeof err);
    free(body);
    if (rc != 0)
        fail_msg("%s: %s", name, err);
    assert_int_equal(r->error_code, 0);
    assert_non_null(r->response);
}

/* Parses a JSON text (a response value) on its own. */
static cJSON *json(const char *text)
{
    cJSON *v = cJSON_Parse(text);
    if (!v)
        fail_msg("test JSON does not parse: %s", text);
    return v;
}

/* ---- the parsers, one per method, behind one signature -------------------- */

enum method { M_GROUPS, M_MEMBERS, M_WALL, M_LIKES, M_COMMENTS, M_REPOSTS, M_STATS, M_COUNT_ };

static const char *const method_name[M_COUNT_] = {
    "groups.getById",   "groups.getMembers", "wall.get",  "likes.getList",
    "wall.getComments", "wall.getReposts",   "stats.get",
};

/* Runs method m's parser on resp; returns its code, *out the array (freed here), *n its size. */
static int run_parser(enum method m, const cJSON *resp, size_t *n, int *out_null, char *err,
                      size_t errlen)
{
    void *out = (void *)1;
    int64_t count = -7, level = -7;
    int rc = VKP_EPARSE;

    switch (m) {
    case M_GROUPS:
        rc = vk_parse_groups(resp, (struct vk_group **)&out, n, err, errlen);
        break;
    case M_MEMBERS:
        rc = vk_parse_members(resp, &count, (struct vk_user **)&out, n, err, errlen);
        break;
    case M_WALL:
        rc = vk_parse_wall(resp, &count, (struct vk_post **)&out, n, err, errlen);
        break;
    case M_LIKES:
        rc = vk_parse_likes(resp, &count, (int64_t **)&out, n, err, errlen);
        break;
    case M_COMMENTS:
        rc = vk_parse_comments(resp, 0, &level, (struct vk_comment **)&out, n, err, errlen);
        break;
    case M_REPOSTS:
        rc = vk_parse_reposts(resp, (struct vk_repost **)&out, n, err, errlen);
        break;
    case M_STATS:
        rc = vk_parse_stats(resp, (struct vk_stat_day **)&out, n, err, errlen);
        break;
    case M_COUNT_:
        break;
    }
    *out_null = out == NULL;
    if (out != (void *)1)
        free(out);
    return rc;
}

/* Asserts that method m refuses the response text with VKP_EPARSE and names itself. */
static void expect_bad(enum method m, const char *text)
{
    char err[256];
    size_t n = 99;
    int out_null = 0;
    cJSON *resp = json(text);
    int rc;

    memset(err, 0, sizeof err);
    rc = run_parser(m, resp, &n, &out_null, err, sizeof err);
    cJSON_Delete(resp);
    if (rc != VKP_EPARSE)
        fail_msg("%s accepted (rc %d): %s", method_name[m], rc, text);
    if (strncmp(err, method_name[m], strlen(method_name[m])) != 0 ||
        err[strlen(method_name[m])] != ':')
        fail_msg("%s: message does not name the method: '%s' for %s", method_name[m], err, text);
    assert_true(out_null);
    assert_int_equal(n, 0);
}

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

static const char *const data_files[] = {
    "groups_getById.json",  "groups_getMembers.json", "wall_get.json",
    "likes_getList.json",   "wall_getComments.json",  "wall_getComments__thread.json",
    "wall_getReposts.json", "stats_get.json",         "execute__false.json",
    "error__auth.json",     "error__too_many.json",
};

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

/* ---- malformed responses, per method ---------------------------------------------- */

static void test_vkapi_groups_malformed(void **state)
{
    static const char *const bad[] = {
        "{}",
        "null",
        "[]", /* the bare array of versions before 5.139 */
        "[{\"id\":1}]",
        "{\"profiles\":[]}",
        "{\"groups\":{}}",
        "{\"groups\":\"x\"}",
        "{\"groups\":[5]}",
        "{\"groups\":[{}]}",
        "{\"groups\":[{\"name\":\"x\"}]}",
        "{\"groups\":[{\"id\":\"218375230\"}]}",
        "{\"groups\":[{\"id\":1.5}]}",
        "{\"groups\":[{\"id\":0}]}",
        "{\"groups\":[{\"id\":-218375230}]}",
        "{\"groups\":[{\"id\":1e300}]}",
        "{\"groups\":[{\"id\":1e400}]}",
        "{\"groups\":[{\"id\":18446744073709551616}]}",
        "{\"groups\":[{\"id\":1,\"members_count\":\"5\"}]}",
        "{\"groups\":[{\"id\":1,\"members_count\":1e300}]}",
        "{\"groups\":[{\"id\":1,\"members_count\":{}}]}",
        "{\"groups\":[{\"id\":1,\"name\":5}]}",
        "{\"groups\":[{\"id\":1,\"screen_name\":[]}]}",
        "{\"groups\":[{\"id\":1,\"is_closed\":\"0\"}]}",
        "{\"groups\":[{\"id\":1,\"deactivated\":1}]}",
        "{\"groups\":[{\"id\":1},{\"id\":\"2\"}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_bad(M_GROUPS, bad[i]);
}

static void test_vkapi_members_malformed(void **state)
{
    static const char *const bad[] = {
        "{}",
        "null",
        "[]",
        "{\"count\":1}",
        "{\"items\":[]}",
        "{\"count\":1,\"items\":{}}",
        "{\"count\":1,\"items\":\"101\"}",
        "{\"count\":\"1\",\"items\":[]}",
        "{\"count\":-1,\"items\":[]}",
        "{\"count\":1e300,\"items\":[]}",
        "{\"count\":1.5,\"items\":[]}",
        "{\"count\":1,\"items\":[101]}",
        "{\"count\":1,\"items\":[{}]}",
        "{\"count\":1,\"items\":[{\"id\":\"101\"}]}",
        "{\"count\":1,\"items\":[{\"id\":1e19}]}",
        "{\"count\":1,\"items\":[{\"id\":-101}]}",
        "{\"count\":1,\"items\":[{\"id\":101,\"city\":\"Челябинск\"}]}",
        "{\"count\":1,\"items\":[{\"id\":101,\"city\":158}]}",
        "{\"count\":1,\"items\":[{\"id\":101,\"city\":[]}]}",
        "{\"count\":1,\"items\":[{\"id\":101,\"city\":{\"title\":\"Пласт\"}}]}",
        "{\"count\":1,\"items\":[{\"id\":101,\"city\":{\"id\":\"158\",\"title\":\"X\"}}]}",
        "{\"count\":1,\"items\":[{\"id\":101,\"city\":{\"id\":158,\"title\":158}}]}",
        "{\"count\":1,\"items\":[{\"id\":101,\"deactivated\":1}]}",
        "{\"count\":1,\"items\":[{\"id\":101,\"first_name\":{}}]}",
        "{\"count\":2,\"items\":[{\"id\":101},{\"id\":102,\"city\":\"x\"}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_bad(M_MEMBERS, bad[i]);
}

static void test_vkapi_wall_malformed(void **state)
{
    static const char *const bad[] = {
        "{}",
        "null",
        "[]",
        "{\"count\":1}",
        "{\"items\":[]}",
        "{\"count\":1,\"items\":{}}",
        "{\"count\":1,\"items\":\"x\"}",
        "{\"count\":\"1\",\"items\":[]}",
        "{\"count\":1e300,\"items\":[]}",
        "{\"count\":1,\"items\":[5]}",
        "{\"count\":1,\"items\":[{}]}",
        "{\"count\":1,\"items\":[{\"id\":\"1\",\"owner_id\":-5,\"date\":1}]}",
        "{\"count\":1,\"items\":[{\"owner_id\":-5,\"date\":1}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"date\":1}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1e20}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"from_id\":1e300}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"signer_id\":\"7001\"}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"is_pinned\":\"1\"}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"post_type\":1}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"likes\":5}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"views\":[900]}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"reposts\":\"2\"}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"comments\":true}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"likes\":{\"count\":\"4\"}}]"
        "}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"views\":{\"count\":1e300}}]"
        "}",
        /* Counters below zero, which the schema forbids (issue 16). */
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"likes\":{\"count\":-5}}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"views\":{\"count\":-1}}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"reposts\":{\"count\":-2}}]"
        "}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"comments\":{\"count\":-3}}"
        "]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"copy_history\":{}}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"copy_history\":{\"id\":2,"
        "\"owner_id\":-6}}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"copy_history\":\"x\"}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"copy_history\":[5]}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"copy_history\":[{\"id\":2}]"
        "}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"copy_history\":[{\"id\":"
        "\"2\","
        "\"owner_id\":-6}]}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"owner_id\":-5,\"date\":1,\"copy_history\":[{\"id\":2,"
        "\"owner_id\":-6,\"date\":\"x\"}]}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_bad(M_WALL, bad[i]);
}

static void test_vkapi_likes_malformed(void **state)
{
    static const char *const bad[] = {
        "{}",
        "null",
        "[]",
        "[101]",
        "{\"count\":1}",
        "{\"items\":[101]}",
        "{\"count\":1,\"items\":{}}",
        "{\"count\":1,\"items\":101}",
        "{\"count\":\"1\",\"items\":[101]}",
        "{\"count\":-1,\"items\":[]}",
        "{\"count\":1e300,\"items\":[]}",
        "{\"count\":1,\"items\":[\"101\"]}",
        "{\"count\":1,\"items\":[{\"id\":101}]}",
        "{\"count\":1,\"items\":[1.5]}",
        "{\"count\":1,\"items\":[1e300]}",
        "{\"count\":1,\"items\":[-1e300]}",
        "{\"count\":1,\"items\":[null]}",
        "{\"count\":2,\"items\":[101,true]}",
        /* Nobody has id 0 (issue 16). */
        "{\"count\":2,\"items\":[0,101]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_bad(M_LIKES, bad[i]);
}

static void test_vkapi_comments_malformed(void **state)
{
    static const char *const bad[] = {
        "{}",
        "null",
        "[]",
        "{\"count\":1}",
        "{\"items\":[]}",
        "{\"count\":1,\"items\":{}}",
        "{\"count\":1,\"items\":\"x\"}",
        "{\"count\":\"1\",\"items\":[]}",
        "{\"count\":1e300,\"items\":[]}",
        "{\"count\":1,\"current_level_count\":\"1\",\"items\":[]}",
        "{\"count\":1,\"current_level_count\":1e300,\"items\":[]}",
        "{\"count\":1,\"items\":[5]}",
        "{\"count\":1,\"items\":[{}]}",
        "{\"count\":1,\"items\":[{\"id\":\"1\",\"from_id\":5,\"date\":1,\"text\":\"\"}]}",
        "{\"count\":1,\"items\":[{\"from_id\":5,\"date\":1,\"text\":\"\"}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"from_id\":5,\"text\":\"\"}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"from_id\":\"5\",\"date\":1,\"text\":\"\"}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"from_id\":1e300,\"date\":1,\"text\":\"\"}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"from_id\":5,\"date\":1,\"deleted\":\"yes\"}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"from_id\":5,\"date\":1,\"thread\":5}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"from_id\":5,\"date\":1,\"thread\":[]}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"from_id\":5,\"date\":1,\"thread\":{}}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"from_id\":5,\"date\":1,\"thread\":{\"items\":[]}}]}",
        "{\"count\":1,\"items\":[{\"id\":1,\"from_id\":5,\"date\":1,\"thread\":{\"count\":\"1\","
        "\"items\":[]}}]}",
        "{\"count\":2,\"items\":[{\"id\":1,\"from_id\":5,\"date\":1,\"thread\":{\"count\":1,"
        "\"items\":{\"id\":2,\"from_id\":6,\"date\":2}}}]}",
        "{\"count\":2,\"items\":[{\"id\":1,\"from_id\":5,\"date\":1,\"thread\":{\"count\":1,"
        "\"items\":\"x\"}}]}",
        "{\"count\":2,\"items\":[{\"id\":1,\"from_id\":5,\"date\":1,\"thread\":{\"count\":1,"
        "\"items\":[5]}}]}",
        "{\"count\":2,\"items\":[{\"id\":1,\"from_id\":5,\"date\":1,\"thread\":{\"count\":1,"
        "\"items\":[{\"id\":\"2\",\"from_id\":6,\"date\":2}]}}]}",
        "{\"count\":2,\"items\":[{\"id\":1,\"from_id\":5,\"date\":1,\"thread\":{\"count\":1,"
        "\"items\":[{\"id\":2,\"from_id\":6}]}}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_bad(M_COMMENTS, bad[i]);
}

static void test_vkapi_reposts_malformed(void **state)
{
    static const char *const bad[] = {
        "{}",
        "null",
        "[]",
        "{\"profiles\":[],\"groups\":[]}",
        "{\"items\":{}}",
        "{\"items\":\"x\"}",
        "{\"items\":[5]}",
        "{\"items\":[{}]}",
        "{\"items\":[{\"id\":88,\"owner_id\":7001}]}",
        "{\"items\":[{\"id\":88,\"date\":1}]}",
        "{\"items\":[{\"owner_id\":7001,\"date\":1}]}",
        "{\"items\":[{\"id\":\"88\",\"owner_id\":7001,\"date\":1}]}",
        "{\"items\":[{\"id\":88,\"owner_id\":1e300,\"date\":1}]}",
        "{\"items\":[{\"id\":88,\"owner_id\":7001,\"date\":1.25}]}",
        "{\"items\":[{\"id\":88,\"owner_id\":7001,\"date\":1},{\"id\":89}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_bad(M_REPOSTS, bad[i]);
}

static void test_vkapi_stats_malformed(void **state)
{
    static const char *const bad[] = {
        "{}",
        "null",
        "{\"items\":[]}",
        "5",
        "[5]",
        "[[]]",
        "[{}]",
        "[{\"period_from\":\"2024-06-01\"}]",
        "[{\"period_from\":1e300}]",
        "[{\"period_to\":1717200000}]",
        "[{\"period_from\":1,\"reach\":5}]",
        "[{\"period_from\":1,\"reach\":\"x\"}]",
        "[{\"period_from\":1,\"reach\":[]}]",
        "[{\"period_from\":1,\"visitors\":[180]}]",
        "[{\"period_from\":1,\"visitors\":true}]",
        "[{\"period_from\":1,\"activity\":\"x\"}]",
        "[{\"period_from\":1,\"activity\":[]}]",
        "[{\"period_from\":1,\"reach\":{\"reach\":\"320\"}}]",
        "[{\"period_from\":1,\"reach\":{\"reach_subscribers\":1e300}}]",
        "[{\"period_from\":1,\"visitors\":{\"visitors\":{}}}]",
        "[{\"period_from\":1,\"activity\":{\"likes\":\"25\"}}]",
        "[{\"period_from\":1,\"activity\":{\"copies\":1.5}}]",
        "[{\"period_from\":1},{\"period_from\":\"2\"}]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_bad(M_STATS, bad[i]);
}

/* Feeding every parser every canned answer: each accepts or refuses, none crashes or leaks. */
static void test_vkapi_parsers_survive_foreign_answers(void **state)
{
    for (size_t f = 0; f < sizeof data_files / sizeof *data_files; f++) {
        struct vk_reply r;
        char err[256] = "";
        size_t len;
        char *body = load(data_files[f], &len);
        assert_int_equal(vk_reply_parse(body, len, &r, err, sizeof err), 0);
        free(body);
        /* The whole document too, as a stand-in for any JSON value. */
        const cJSON *values[] = {r.response, r.root, r.execute_errors};
        for (size_t v = 0; v < sizeof values / sizeof *values; v++) {
            for (int m = 0; m < M_COUNT_; m++) {
                size_t n = 99;
                int out_null = 0;
                int rc = run_parser((enum method)m, values[v], &n, &out_null, err, sizeof err);
                assert_true(rc == 0 || rc == VKP_EPARSE);
                if (rc == VKP_EPARSE) {
                    assert_true(out_null);
                    assert_int_equal(n, 0);
                    assert_int_equal(strncmp(err, method_name[m], strlen(method_name[m])), 0);
                }
            }
        }
        vk_reply_release(&r);
    }
}

/* Integers: the largest exact double is fine, one step beyond is not representable. */
static void test_vkapi_integer_limits(void **state)
{
    char err[256] = "";
    int64_t *ids, count;
    size_t n;
    cJSON *ok = json("{\"count\":9007199254740992,\"items\":[9007199254740992,"
                     "-9007199254740992,1]}");
    assert_int_equal(vk_parse_likes(ok, &count, &ids, &n, err, sizeof err), 0);
    assert_int_equal(count, INT64_C(9007199254740992));
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], INT64_C(9007199254740992));
    assert_int_equal(ids[1], -INT64_C(9007199254740992));
    free(ids);
    cJSON_Delete(ok);
    expect_bad(M_LIKES, "{\"count\":1,\"items\":[9007199254740994]}");
    expect_bad(M_LIKES, "{\"count\":1,\"items\":[9223372036854775808]}");
    expect_bad(M_LIKES, "{\"count\":9223372036854775807,\"items\":[]}");
}

/* ---- requests ------------------------------------------------------------------- */

/* The value of an upper-case hex digit, -1 for anything else. */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1; /* vk_form_body writes upper-case hex only */
}

/* Percent-decodes n bytes of s, failing the test on anything vk_form_body must not write. */
static char *decode(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    size_t j = 0;
    assert_non_null(out);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            int hi = i + 2 < n ? hexval(s[i + 1]) : -1, lo = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                fail_msg("bad escape in '%.*s'", (int)n, s);
            out[j++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            /* Only unreserved characters may appear unencoded. */
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.' || c == '~'))
                fail_msg("unencoded '%c' in '%.*s'", c, (int)n, s);
            out[j++] = c;
        }
    }
    out[j] = '\0';
    return out;
}

/* Decodes a form body into a fresh object of string values. */
static cJSON *decode_form(const char *body)
{
    cJSON *o = cJSON_CreateObject();
    const char *p = body;
    assert_non_null(o);
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (!eq)
            fail_msg("pair without '=' in '%s'", body);
        char *k = decode(p, (size_t)(eq - p));
        char *v = decode(eq + 1, len - (size_t)(eq - p) - 1);
        cJSON_AddItemToObject(o, k, cJSON_CreateString(v));
        free(k);
        free(v);
        p += len;
        if (*p == '&')
            p++;
    }
    return o;
}

static void test_vkapi_form_body_encodes(void **state)
{
    cJSON *params = cJSON_CreateObject();
    char *body;

    cJSON_AddStringToObject(params, "q", "Учитель & ученик = 1+1");
    cJSON_AddNumberToObject(params, "owner_id", -218375230);
    cJSON_AddNumberToObject(params, "count", 100);
    cJSON_AddStringToObject(params, "fields", "city");
    body = vk_form_body(params, "vk1.a.T0k+en/=", "5.199");
    assert_non_null(body);
    assert_string_equal(body, "q=%D0%A3%D1%87%D0%B8%D1%82%D0%B5%D0%BB%D1%8C%20%26%20%D1%83%D1%87%D0"
                              "%B5%D0%BD%D0%B8%D0%BA%20%3D%201%2B1"
                              "&owner_id=-218375230&count=100&fields=city"
                              "&v=5.199&access_token=vk1.a.T0k%2Ben%2F%3D");
    free(body);
    cJSON_Delete(params);
}

static void test_vkapi_form_body_token_last(void **state)
{
    cJSON *params = cJSON_CreateObject();
    char *body;
    const char *tail = "&v=5.199&access_token=abc";

    /* Keys that sort after v and access_token still come before them. */
    cJSON_AddStringToObject(params, "zz", "1");
    cJSON_AddStringToObject(params, "x", "2");
    body = vk_form_body(params, "abc", "5.199");
    assert_non_null(body);
    assert_string_equal(body, "zz=1&x=2&v=5.199&access_token=abc");
    assert_string_equal(body + strlen(body) - strlen(tail), tail);
    free(body);

    /* No parameters (and a NULL object): just the two. */
    body = vk_form_body(NULL, "abc", "5.199");
    assert_non_null(body);
    assert_string_equal(body, "v=5.199&access_token=abc");
    free(body);
    cJSON_Delete(params);
    params = cJSON_CreateObject();
    body = vk_form_body(params, "abc", "5.199");
    assert_non_null(body);
    assert_string_equal(body, "v=5.199&access_token=abc");
    free(body);
    cJSON_Delete(params);
}

static void test_vkapi_form_body_values(void **state)
{
    cJSON *params = cJSON_CreateObject();
    char *body;

    cJSON_AddNumberToObject(params, "offset", 0);
    cJSON_AddNumberToObject(params, "big", 9007199254740991.0);
    cJSON_AddNumberToObject(params, "ts", 1717200000);
    cJSON_AddTrueToObject(params, "need_likes");
    cJSON_AddFalseToObject(params, "extended");
    cJSON_AddStringToObject(params, "empty", "");
    body = vk_form_body(params, "t", "5.199");
    assert_non_null(body);
    assert_string_equal(body, "offset=0&big=9007199254740991&ts=1717200000&need_likes=1&extended=0"
                              "&empty=&v=5.199&access_token=t");
    free(body);
    cJSON_Delete(params);
}

static void test_vkapi_form_body_every_byte_round_trips(void **state)
{
    cJSON *params = cJSON_CreateObject(), *back;
    char all[256], *body;

    for (int i = 1; i < 256; i++)
        all[i - 1] = (char)i;
    all[255] = '\0';
    cJSON_AddStringToObject(params, "all", all);
    cJSON_AddStringToObject(params, "имя", "значение");
    cJSON_AddStringToObject(params, "a&b=c", "d&e=f+g h");
    body = vk_form_body(params, "tok&en=x+y z", "5.199");
    assert_non_null(body);
    back = decode_form(body);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(back, "all")->valuestring, all);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(back, "имя")->valuestring, "значение");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(back, "a&b=c")->valuestring, "d&e=f+g h");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(back, "v")->valuestring, "5.199");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(back, "access_token")->valuestring,
                        "tok&en=x+y z");
    assert_int_equal(cJSON_GetArraySize(back), 5);
    free(body);
    cJSON_Delete(back);
    cJSON_Delete(params);
}

static void test_vkapi_form_body_empty_first_key(void **state)
{
    /* The first write into the buffer may be an empty string. */
    cJSON *params = cJSON_CreateObject();
    char *body;
    cJSON_AddStringToObject(params, "", "x");
    body = vk_form_body(params, "t", "5.199");
    assert_non_null(body);
    assert_string_equal(body, "=x&v=5.199&access_token=t");
    free(body);
    cJSON_Delete(params);
}

static void test_vkapi_form_body_long_value(void **state)
{
    /* Growth from nothing to a long body, every byte encoded (three times the size). */
    size_t n = 100000;
    char *big = malloc(n + 1), *body;
    cJSON *params = cJSON_CreateObject();
    assert_non_null(big);
    memset(big, ' ', n);
    big[n] = '\0';
    cJSON_AddStringToObject(params, "code", big);
    body = vk_form_body(params, "t", "5.199");
    assert_non_null(body);
    assert_int_equal(strlen(body), strlen("code=") + 3 * n + strlen("&v=5.199&access_token=t"));
    assert_memory_equal(body, "code=%20%20", 11);
    free(body);
    free(big);
    cJSON_Delete(params);
}

static void test_vkapi_execute_code_shape(void **state)
{
    const char *methods[] = {"groups.getMembers", "wall.get"};
    cJSON *p0 = cJSON_CreateObject(), *p1 = cJSON_CreateObject();
    const cJSON *params[2] = {p0, p1};
    char *code;

    cJSON_AddStringToObject(p0, "group_id", "218375230");
    cJSON_AddNumberToObject(p0, "offset", 0);
    cJSON_AddNumberToObject(p0, "count", 1000);
    cJSON_AddStringToObject(p0, "fields", "city");
    cJSON_AddNumberToObject(p1, "owner_id", -218375230);
    cJSON_AddNumberToObject(p1, "count", 100);
    code = vk_execute_code(methods, params, 2);
    assert_non_null(code);
    assert_string_equal(code,
                        "return [API.groups.getMembers({\"group_id\":\"218375230\",\"offset\":0,"
                        "\"count\":1000,\"fields\":\"city\"}),"
                        "API.wall.get({\"owner_id\":-218375230,\"count\":100})];");
    free(code);

    code = vk_execute_code(methods, params, 1);
    assert_non_null(code);
    assert_string_equal(code,
                        "return [API.groups.getMembers({\"group_id\":\"218375230\",\"offset\":0,"
                        "\"count\":1000,\"fields\":\"city\"})];");
    free(code);
    code = vk_execute_code(methods, params, 0);
    assert_non_null(code);
    assert_string_equal(code, "return [];");
    free(code);
    cJSON_Delete(p0);
    cJSON_Delete(p1);
}

static void test_vkapi_execute_code_strict_json(void **state)
{
    /* Strings that need escaping, Cyrillic, large ids: each argument must read back as
     * the very object it was made from, through a strict JSON parser. */
    const char *methods[] = {"wall.getComments", "likes.getList", "stats.get"};
    cJSON *p[3] = {cJSON_CreateObject(), cJSON_CreateObject(), cJSON_CreateObject()};
    const cJSON *params[3] = {p[0], p[1], p[2]};
    const char *s;
    char *code;

    cJSON_AddNumberToObject(p[0], "owner_id", -218375230);
    cJSON_AddNumberToObject(p[0], "post_id", 57);
    cJSON_AddNumberToObject(p[0], "comment_id", 1001);
    cJSON_AddNumberToObject(p[0], "thread_items_count", 10);
    cJSON_AddStringToObject(p[1], "type", "post");
    cJSON_AddStringToObject(p[1], "q", "\"кавычки\" \\ back\nslash\t) ] ; /* */");
    cJSON_AddNumberToObject(p[1], "item_id", 4294967296.0);
    cJSON_AddNumberToObject(p[2], "group_id", 218375230);
    cJSON_AddNumberToObject(p[2], "timestamp_from", 1717113600);
    cJSON_AddStringToObject(p[2], "interval", "day");
    code = vk_execute_code(methods, params, 3);
    assert_non_null(code);

    s = code;
    assert_memory_equal(s, "return [", 8);
    s += 8;
    for (int i = 0; i < 3; i++) {
        const char *end = NULL;
        cJSON *back;
        if (i) {
            assert_int_equal(*s, ',');
            s++;
        }
        assert_memory_equal(s, "API.", 4);
        s += 4;
        assert_memory_equal(s, methods[i], strlen(methods[i]));
        s += strlen(methods[i]);
        assert_int_equal(*s, '(');
        s++;
        back = cJSON_ParseWithOpts(s, &end, 0);
        assert_non_null(back);
        assert_true(cJSON_Compare(back, params[i], 1));
        cJSON_Delete(back);
        s = end;
        assert_int_equal(*s, ')');
        s++;
    }
    assert_string_equal(s, "];");
    /* No exponent notation for ids and times. */
    assert_non_null(strstr(code, "\"item_id\":4294967296"));
    assert_non_null(strstr(code, "\"timestamp_from\":1717113600"));
    assert_null(strstr(code, "e+"));
    free(code);
    for (int i = 0; i < 3; i++)
        cJSON_Delete(p[i]);
}

/* Every string of an answer, error messages included, arrives without control
 * characters: a group name cannot clear a terminal or forge a log line (issue 16). */
static void test_vkapi_reply_strings_sanitized(void **state)
{
    (void)state;
    const char *body =
        "{\"response\":{\"groups\":[{\"id\":5,\"name\":\"\\u001b[2J\\u001b]0;t\\u0007G\\r\\n"
        "vkpulse: run #99 ok\",\"screen_name\":\"g\\u009b1m\",\"is_closed\":0,"
        "\"type\":\"group\"}],\"profiles\":[]}}";
    const char *error = "{\"error\":{\"error_code\":100,\"error_msg\":\"bad\\u001b[31m\\nline\"}}";
    struct vk_reply r;
    struct vk_group *g = NULL;
    size_t n = 0;
    char err[256];

    assert_int_equal(vk_reply_parse(body, strlen(body), &r, err, sizeof err), 0);
    assert_int_equal(vk_parse_groups(r.response, &g, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(g[0].name, "?[2J?]0;t?G??vkpulse: run #99 ok");
    assert_string_equal(g[0].screen_name, "g?1m");
    free(g);
    vk_reply_release(&r);
    assert_int_equal(vk_reply_parse(error, strlen(error), &r, err, sizeof err), 0);
    assert_string_equal(r.error_msg, "bad?[31m?line");
    vk_reply_release(&r);
}

#define T(name) cmocka_unit_test(name)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_vkapi_groups_by_id_5199_shape),
        T(test_vkapi_reply_strings_sanitized),
        T(test_vkapi_members_with_city),
        T(test_vkapi_wall_pinned_signed_copy),
        T(test_vkapi_wall_from_id_defaults_to_owner),
        T(test_vkapi_likes_ids),
        T(test_vkapi_comments_threads_and_placeholder),
        T(test_vkapi_comments_thread_page),
        T(test_vkapi_comments_level_count_defaults_to_count),
        T(test_vkapi_reposts_items),
        T(test_vkapi_stats_days),
        T(test_vkapi_empty_lists),
        T(test_vkapi_execute_false_maps_to_execute_errors),
        T(test_vkapi_execute_error_without_entries),
        T(test_vkapi_error_answers),
        T(test_vkapi_error_msg_truncated_safely),
        T(test_vkapi_envelope_malformed),
        T(test_vkapi_envelope_length_respected),
        T(test_vkapi_truncated_answers_refused),
        T(test_vkapi_groups_malformed),
        T(test_vkapi_members_malformed),
        T(test_vkapi_wall_malformed),
        T(test_vkapi_likes_malformed),
        T(test_vkapi_comments_malformed),
        T(test_vkapi_reposts_malformed),
        T(test_vkapi_stats_malformed),
        T(test_vkapi_parsers_survive_foreign_answers),
        T(test_vkapi_integer_limits),
        T(test_vkapi_form_body_encodes),
        T(test_vkapi_form_body_token_last),
        T(test_vkapi_form_body_values),
        T(test_vkapi_form_body_every_byte_round_trips),
        T(test_vkapi_form_body_empty_first_key),
        T(test_vkapi_form_body_long_value),
        T(test_vkapi_execute_code_shape),
        T(test_vkapi_execute_code_strict_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
