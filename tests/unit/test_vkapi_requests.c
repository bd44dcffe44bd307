/* test_vkapi_requests.c: cmocka tests of collector/vkapi.h: malformed answers per method, and
 * request encoding (POST bodies, execute code). */
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

/* ---- malformed responses, per method ---------------------------------------------- */

/* Every line of tests/data/vk/malformed.txt: a method and an answer its parser must refuse. */
static void test_vkapi_malformed_answers_refused(void **state)
{
    size_t len, lines = 0;
    char *text = load("malformed.txt", &len), *line = text, *next;

    (void)state;
    for (; *line; line = next) {
        next = line + strcspn(line, "\n");
        if (*next)
            *next++ = '\0';
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !line[0])
            continue;
        if (!tab)
            fail_msg("malformed.txt: no tab in '%s'", line);
        *tab = '\0';
        int m = 0;
        while (m < M_COUNT_ && strcmp(method_name[m], line) != 0)
            m++;
        if (m == M_COUNT_)
            fail_msg("malformed.txt: unknown method '%s'", line);
        expect_bad((enum method)m, tab + 1);
        lines++;
    }
    free(text);
    assert_true(lines > 150); /* the file was read whole */
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
        T(test_vkapi_malformed_answers_refused),
        T(test_vkapi_reply_strings_sanitized),
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
