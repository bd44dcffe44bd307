/* vkapi_fixture.h: what the two test files of collector/vkapi.c share: canned answers, the
 * parsers behind one signature. Included by test_vkapi.c and test_vkapi_requests.c only. */
#ifndef VKP_VKAPI_FIXTURE_H
#define VKP_VKAPI_FIXTURE_H

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
 * as objects, deleted comments as placeholders). The tests pin what the
 * parsers make of them, field by field, and then break them.
 */

/* ---- helpers --------------------------------------------------------------- */

/* The repository root: $VKP_SRC (ctest sets it), else derived from this file's path. */
static __attribute__((unused)) const char *src_root(void)
{
    static __attribute__((unused)) char root[PATH_MAX];
    const char *env = getenv("VKP_SRC");
    const char *suffix = "/tests/unit/vkapi_fixture.h";
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
static __attribute__((unused)) char *load(const char *name, size_t *len)
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
static __attribute__((unused)) void reply_file(const char *name, struct vk_reply *r)
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
static __attribute__((unused)) cJSON *json(const char *text)
{
    cJSON *v = cJSON_Parse(text);
    if (!v)
        fail_msg("test JSON does not parse: %s", text);
    return v;
}

/* ---- the parsers, one per method, behind one signature -------------------- */

enum method { M_GROUPS, M_MEMBERS, M_WALL, M_LIKES, M_COMMENTS, M_REPOSTS, M_STATS, M_COUNT_ };

static __attribute__((unused)) const char *const method_name[M_COUNT_] = {
    "groups.getById",   "groups.getMembers", "wall.get",  "likes.getList",
    "wall.getComments", "wall.getReposts",   "stats.get",
};

/* Runs method m's parser on resp; returns its code, *out the array (freed here), *n its size. */
static __attribute__((unused)) int run_parser(enum method m, const cJSON *resp, size_t *n,
                                              int *out_null, char *err, size_t errlen)
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
static __attribute__((unused)) void expect_bad(enum method m, const char *text)
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

/* Every canned answer, for the tests that feed them all to something. */
static __attribute__((unused)) const char *const data_files[] = {
    "groups_getById.json",  "groups_getMembers.json", "wall_get.json",
    "likes_getList.json",   "wall_getComments.json",  "wall_getComments__thread.json",
    "wall_getReposts.json", "stats_get.json",         "execute__false.json",
    "error__auth.json",     "error__too_many.json",
};

#endif
