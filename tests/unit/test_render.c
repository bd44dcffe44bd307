/* test_render.c: cmocka tests of the render kit (render/): number and date format per
 * language, one HTML escape, the CSV writer, round chart axes, the shared options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "fmt.h"
#include "html.h"
#include "jsondoc.h"
#include "outopt.h"
#include "svg.h"
#include "week.h"

/* Runs fn(out) into memory and returns what it wrote (the caller frees). */
#define CAPTURE(buf, stmt)                                                                         \
    do {                                                                                           \
        size_t len_ = 0;                                                                           \
        FILE *out = open_memstream(&(buf), &len_);                                                 \
        stmt;                                                                                      \
        fclose(out);                                                                               \
    } while (0)

static void test_render_numbers_follow_the_language(void **state)
{
    char b[64];
    (void)state;
    fmt_decimal(LANG_RU, 5.94, 1, b, sizeof b);
    assert_string_equal(b, "5,9");
    fmt_decimal(LANG_EN, 5.94, 1, b, sizeof b);
    assert_string_equal(b, "5.9");
    fmt_percent(LANG_RU, 0.059, 1, b, sizeof b);
    assert_string_equal(b, "5,9 %");
    fmt_percent(LANG_EN, 0.059, 1, b, sizeof b);
    assert_string_equal(b, "5.9%");
    fmt_decimal(LANG_EN, -0.01, 0, b, sizeof b); /* never "-0" */
    assert_string_equal(b, "0");
}

/* Every count shown to a person is grouped (a new user's review found "1670 → 1478" and
 * chart ticks "1500"); a mean of counts has a decimal only below 10 ("174,0" was seen). */
static void test_render_counts_grouped_and_means_whole(void **state)
{
    char b[64], *s = NULL;
    const struct svg_frame f = {600, 200, 60, 10, 30, 30};
    struct svg_axis ax;
    (void)state;
    assert_string_equal(FMT_INT(LANG_RU, 1670), "1\u00a0670");
    assert_string_equal(FMT_INT(LANG_EN, -1478), "\u22121,478");
    fmt_mean(LANG_RU, 174.0, b, sizeof b);
    assert_string_equal(b, "174");
    fmt_mean(LANG_EN, 1322.4, b, sizeof b);
    assert_string_equal(b, "1,322");
    fmt_mean(LANG_RU, 2.5, b, sizeof b);
    assert_string_equal(b, "2,5");
    fmt_mean(LANG_EN, 9.97, b, sizeof b); /* never "10.0" */
    assert_string_equal(b, "10");
    fmt_mean(LANG_RU, 0, b, sizeof b); /* nor "0,0" or "1,0" */
    assert_string_equal(b, "0");
    fmt_mean(LANG_RU, 0.98, b, sizeof b);
    assert_string_equal(b, "1");
    fmt_mean(LANG_RU, 0.26, b, sizeof b);
    assert_string_equal(b, "0,3");
    svg_nice_axis(0, 1790, 4, 1, &ax);
    CAPTURE(s, svg_y_axis(out, LANG_RU, &f, &ax, ""));
    assert_non_null(strstr(s, ">1\u00a0500</text>"));
    free(s);
    CAPTURE(s, svg_y_axis(out, LANG_EN, &f, &ax, ""));
    assert_non_null(strstr(s, ">1,500</text>"));
    free(s);
}

static void test_render_times_carry_their_offset(void **state)
{
    char b[64], err[128];
    (void)state;
    assert_int_equal(week_zone_set("Asia/Yekaterinburg", err, sizeof err), 0);
    fmt_date(LANG_RU, 1795392000, 1, b, sizeof b); /* 2026-11-23 00:00 UTC */
    assert_string_equal(b, "23.11.2026 05:00 +05:00");
    fmt_date(LANG_EN, 1795392000, 0, b, sizeof b);
    assert_string_equal(b, "2026-11-23");
    fmt_iso(1795392000, b, sizeof b);
    assert_string_equal(b, "2026-11-23T05:00:00+05:00");
    fmt_date(LANG_EN, 0, 1, b, sizeof b);
    assert_string_equal(b, "");
}

static void test_render_html_escapes_all_five(void **state)
{
    char *s = NULL;
    (void)state;
    CAPTURE(s, html_esc(out, "<a href=\"x\">Tom's & Jerry</a>"));
    assert_string_equal(s, "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; Jerry&lt;/a&gt;");
    free(s);
}

static void test_render_csv_quotes_and_decimals(void **state)
{
    char *s = NULL;
    struct csv_writer w;
    (void)state;
    CAPTURE(s, {
        csv_begin(&w, out, ';');
        csv_field(&w, "a;b", 0);
        csv_field(&w, "say \"hi\"", 0);
        csv_field(&w, " edge", 0);
        csv_number(&w, 0.25, 0);
        csv_int(&w, -3, 1);
    });
    assert_string_equal(s, "\xEF\xBB\xBF\"a;b\";\"say \"\"hi\"\"\";\" edge\";0,25;-3\r\n");
    free(s);
    char sep = 0;
    assert_int_equal(csv_sep_parse(";", &sep), 0);
    assert_int_equal(sep, ';');
    assert_int_equal(csv_sep_parse("|", &sep), -1);
}

static void test_render_axes_are_round(void **state)
{
    struct svg_axis ax;
    (void)state;
    /* the ticks main had: 579, 1027, 1474... now 0, 500, 1000, 1500, 2000 */
    svg_nice_axis(0, 1790, 4, 1, &ax);
    assert_true(ax.step == 500 && ax.lo == 0 && ax.hi == 2000);
    svg_nice_axis(47, 48, 5, 1, &ax); /* counts: never a step of 0.2 */
    assert_true(ax.step == 1 && ax.lo == 47 && ax.hi == 48);
    svg_nice_axis(-12, 37, 4, 1, &ax); /* a negative net change keeps zero on the scale */
    assert_true(ax.step == 20 && ax.lo == -20 && ax.hi == 40);
    svg_nice_axis(0, 0.37, 4, 0, &ax);
    assert_true(ax.step == 0.1 && ax.decimals == 1);
    svg_nice_axis(0, 0, 4, 1, &ax); /* nothing yet: still a scale */
    assert_true(ax.hi > ax.lo);
}

static void test_render_charts_scale_and_legends_are_html(void **state)
{
    char *s = NULL;
    const struct svg_frame f = {600, 200, 60, 10, 30, 30};
    (void)state;
    CAPTURE(s, {
        svg_open(out, "T<1>", &f);
        svg_legend_begin(out);
        svg_legend(out, "a name far longer than any legend box ever was", "#123456");
        svg_close(out);
    });
    assert_non_null(strstr(s, "viewBox=\"0 0 600 200\" width=\"100%\" style=\"max-width:600px\""));
    assert_non_null(strstr(s, "<figcaption>T&lt;1&gt;</figcaption>"));
    assert_non_null(strstr(s, "</svg><ul class=\"lg\"><li><i style=\"background:#123456\"></i>"
                              "a name far longer than any legend box ever was</li></ul></figure>"));
    free(s);
}

static void test_render_options_are_shared(void **state)
{
    struct outopt o;
    char err[128];
    (void)state;
    outopt_init(&o, "en");
    assert_int_equal(outopt_parse(&o, 'S', NULL, err, sizeof err), 1); /* --semicolon */
    assert_int_equal(o.csv_sep, ';');
    assert_int_equal(outopt_parse(&o, 's', "|", err, sizeof err), -1);
    assert_string_equal(err, "--csv-sep must be ',' or ';', not '|'");
    assert_int_equal(outopt_parse(&o, 'f', "xml", err, sizeof err), -1);
    assert_int_equal(outopt_parse(&o, 'l', "en", err, sizeof err), 1);
    assert_int_equal(o.lang, LANG_EN);
    assert_int_equal(outopt_parse(&o, 'y', "2023", err, sizeof err), 0); /* not ours */
}

static void test_render_json_envelope(void **state)
{
    char *s = NULL;
    (void)state;
    cJSON *root = jsondoc_new("vkpulse-test", 3, 1795392000, "Asia/Yekaterinburg");
    assert_non_null(root);
    CAPTURE(s, assert_int_equal(jsondoc_emit(root, out), 0));
    cJSON *back = cJSON_Parse(s);
    assert_string_equal(cJSON_GetObjectItem(back, "schema")->valuestring, "vkpulse-test");
    assert_int_equal(cJSON_GetObjectItem(back, "schema_version")->valueint, 3);
    assert_string_equal(cJSON_GetObjectItem(back, "generated_at")->valuestring,
                        "2026-11-23T05:00:00+05:00");
    cJSON_Delete(back);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_numbers_follow_the_language),
        cmocka_unit_test(test_render_counts_grouped_and_means_whole),
        cmocka_unit_test(test_render_times_carry_their_offset),
        cmocka_unit_test(test_render_html_escapes_all_five),
        cmocka_unit_test(test_render_csv_quotes_and_decimals),
        cmocka_unit_test(test_render_axes_are_round),
        cmocka_unit_test(test_render_charts_scale_and_legends_are_html),
        cmocka_unit_test(test_render_options_are_shared),
        cmocka_unit_test(test_render_json_envelope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
