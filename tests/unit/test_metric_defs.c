/* test_metric_defs.c: cmocka tests of the table of figures (report/metric_defs.c): every row
 * complete, and the JSON schemas' figure keys and the README's figure table follow it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "render.h"

/* The file VKP_SRC/rel as a heap string (the test fails when it cannot be read). */
static char *slurp(const char *rel)
{
    const char *src = getenv("VKP_SRC");
    char path[1024];
    FILE *f;
    long n;
    char *buf;

    snprintf(path, sizeof path, "%s/%s", src ? src : ".", rel);
    f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot read %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int has_cyrillic(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s == 0xD0 || (unsigned char)*s == 0xD1)
            return 1;
    return 0;
}

static void test_metric_defs_rows_complete(void **state)
{
    (void)state;
    for (int m = 0; m < M_COUNT; m++) {
        const struct metric_def *d = metric_info((enum metric_id)m);
        assert_non_null(d->key);
        assert_true(strspn(d->key, "abcdefghijklmnopqrstuvwxyz_") == strlen(d->key));
        assert_int_equal(metric_by_key(d->key), m);
        assert_true(has_cyrillic(d->words[LANG_RU]) && !has_cyrillic(d->words[LANG_EN]));
        assert_true(!d->period[LANG_RU] == !d->period[LANG_EN]);
        assert_true(!d->formula[LANG_RU] == !d->formula[LANG_EN]);
        /* a rate is never summed over communities nor over periods */
        if (d->is_rate)
            assert_true(d->network == MNET_RATIO && d->time == MTIME_RATE && d->formula[LANG_EN]);
    }
    assert_int_equal(metric_by_key("no_such_figure"), -1);
}

/* The schema's list `required` at $defs.<def> equals the table's keys (in order). */
static void check_required(const cJSON *defs, const char *def, const enum metric_id *ids, size_t n)
{
    const cJSON *req = cJSON_GetObjectItem(cJSON_GetObjectItem(defs, def), "required");
    assert_non_null(req);
    assert_int_equal((size_t)cJSON_GetArraySize(req), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(cJSON_GetArrayItem(req, (int)i)->valuestring, metric_info(ids[i])->key);
}

static void test_metric_defs_json_schemas_follow(void **state)
{
    enum metric_id all[M_COUNT];
    char *text = slurp("docs/report.schema.json");
    cJSON *doc = cJSON_Parse(text);
    (void)state;
    assert_non_null(doc);
    for (int m = 0; m < M_COUNT; m++)
        all[m] = (enum metric_id)m;
    check_required(cJSON_GetObjectItem(doc, "$defs"), "figures", all, M_COUNT);
    check_required(cJSON_GetObjectItem(doc, "$defs"), "compare", all, M_COUNT);
    cJSON_Delete(doc);
    free(text);

    RENDER_YEARLY(yearly, nyearly);
    text = slurp("docs/yearly.schema.json");
    doc = cJSON_Parse(text);
    assert_non_null(doc);
    check_required(cJSON_GetObjectItem(doc, "$defs"), "figures", yearly, nyearly);
    cJSON_Delete(doc);
    free(text);
}

/* Each figure has its row in the README's table: "| words | `key` | ...". */
static void test_metric_defs_readme_table_follows(void **state)
{
    char *readme = slurp("README.md"), needle[128];
    (void)state;
    for (int m = 0; m < M_COUNT; m++) {
        const struct metric_def *d = metric_info((enum metric_id)m);
        snprintf(needle, sizeof needle, "| `%s` |", d->key);
        if (!strstr(readme, needle))
            fail_msg("README.md has no figure table row for `%s`", d->key);
    }
    free(readme);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metric_defs_rows_complete),
        cmocka_unit_test(test_metric_defs_json_schemas_follow),
        cmocka_unit_test(test_metric_defs_readme_table_follows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
