/* test_text.c: unit tests of the UTF-8 folding and edit distance in core/text.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

/* Folds in into a buffer of outlen bytes and checks the bytes written (want and its
 * terminating NUL) and the returned length wantn. */
static void check_fold_n(const char *in, size_t outlen, const char *want, size_t wantn)
{
    char out[256];
    assert_true(outlen <= sizeof out);
    size_t n = text_fold(in, out, outlen);
    assert_int_equal(n, wantn);
    assert_memory_equal(out, want, wantn + 1);
}

/* Folds in with a roomy buffer and checks the result and its returned length. */
static void check_fold(const char *in, const char *want)
{
    check_fold_n(in, 256, want, strlen(want));
}

static void test_text_fold_cyrillic_case(void **state)
{
    (void)state;
    check_fold("ЧЕЛЯБИНСК", "челябинск");
    check_fold("Копейский ГО", "копейский го");
    check_fold("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", "абвгдежзийклмнопрстуфхцчшщъыьэюя");
    check_fold("Mixed Latin ABC", "mixed latin abc");
    check_fold("школа 42", "школа 42");
}

static void test_text_fold_yo(void **state)
{
    (void)state;
    check_fold("Озёрск", "озерск");
    check_fold("ОЗЁРСК", "озерск");
    check_fold("Трёхгорный", "трехгорный");
    /* й is a letter of its own, not и with a mark. */
    check_fold("Уйский", "уйский");
    check_fold("ЙОД", "йод");
}

static void test_text_fold_hyphen_and_punctuation(void **state)
{
    (void)state;
    check_fold("Усть-Катав", "усть катав");
    check_fold("г.Копейск", "г копейск");
    check_fold("«Пластовский» (МР).", "пластовский мр");
    check_fold("Катав\xe2\x80\x94Ивановский", "катав ивановский"); /* em dash */
    check_fold("\"Озерский\",  ГО", "озерский го");
    check_fold("р-н", "р н");
}

static void test_text_fold_whitespace(void **state)
{
    (void)state;
    check_fold("  копейский   городской\tокруг \r\n", "копейский городской округ");
    check_fold("a\xc2\xa0\x62", "a b"); /* no-break space */
    check_fold("a\xc2\xad\x62", "ab");  /* soft hyphen vanishes */
    check_fold(" - . , ", "");
    check_fold("", "");
    check_fold(NULL, "");
}

static void test_text_fold_truncates_on_boundary(void **state)
{
    char out[8];
    (void)state;

    /* "челябинск" is 18 bytes; 7 fit, the 4th letter would need bytes 7-8. */
    check_fold_n("Челябинск", 8, "чел", 6);
    /* No trailing space is left when the next word does not fit. */
    check_fold_n("ab cdefgh", 4, "ab", 2);
    check_fold_n("abc", 1, "", 0);

    out[0] = 'x';
    assert_int_equal(text_fold("abc", out, 0), 0);
    assert_int_equal(out[0], 'x'); /* nothing written */
}

static void test_text_fold_invalid_utf8(void **state)
{
    (void)state;
    /* A lone continuation byte and a truncated sequence are copied as bytes; Б became б. */
    check_fold_n("A\x80\xd0\x91\xd0", 32, "a\x80\xd0\xb1\xd0", 5);
    /* An overlong encoding of '/' is not taken for a separator. */
    check_fold_n("x\xc0\xafy", 32, "x\xc0\xafy", 4);
}

static void test_text_fold_dup_allocates(void **state)
{
    char *s = text_fold_dup("  Г. Озёрск ");
    (void)state;
    assert_non_null(s);
    assert_string_equal(s, "г озерск");
    free(s);
    assert_null(text_fold_dup(NULL));
}

static void test_text_utf8_valid(void **state)
{
    static const struct {
        const char *s; /* the bytes */
        size_t n;      /* how many are checked */
        size_t bad;    /* text_utf8_check: the first bad byte, n when valid */
    } cases[] = {
        {"Челябинск", 18, 18},      {"", 0, 0}, {"\x80", 1, 0}, {"\xd0", 1, 0}, /* truncated */
        {"\xc0\xaf", 2, 0},                                                     /* overlong */
        {"\xed\xa0\x80", 3, 0},                                                 /* surrogate */
        {"\xf4\x90\x80\x80", 4, 0},                                             /* above U+10FFFF */
        {"ab\xd0", 2, 2},  /* the length bounds the check: the cut sequence is outside */
        {"ab\xd0", 3, 2},  /* ... or inside it */
        {"Ж\x80ok", 5, 2}, /* a stray continuation byte after a letter */
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(text_utf8_check(cases[i].s, cases[i].n), cases[i].bad);
        assert_int_equal(text_utf8_valid(cases[i].s, cases[i].n), cases[i].bad == cases[i].n);
    }
    /* The truncating fold leaves whole characters only. */
    char out[8];
    assert_true(text_utf8_valid(out, text_fold("Челябинск", out, sizeof out)));
}

static void test_text_distance_counts_characters(void **state)
{
    (void)state;
    assert_int_equal(text_distance("", ""), 0);
    assert_int_equal(text_distance("пластовский", "пластовский"), 0);
    assert_int_equal(text_distance("пластовский", "пластоский"), 1); /* one letter, two bytes */
    assert_int_equal(text_distance("копейск", "копейский"), 2);
    assert_int_equal(text_distance("озерск", "озерский"), 2);
    assert_int_equal(text_distance("kitten", "sitting"), 3);
    assert_int_equal(text_distance("", "аша"), 3);
    assert_int_equal(text_distance(NULL, "аша"), 3);
    assert_int_equal(text_distance("аша", "ашa"), 1); /* Cyrillic а vs Latin a */
}

static void test_text_distance_long_inputs_stay_bounded(void **state)
{
    char a[TEXT_DISTANCE_MAX + 41], b[TEXT_DISTANCE_MAX + 11];
    (void)state;
    memset(a, 'x', sizeof a - 1);
    a[sizeof a - 1] = '\0';
    memset(b, 'x', sizeof b - 1);
    b[sizeof b - 1] = '\0';
    /* Equal first TEXT_DISTANCE_MAX characters; the remainders differ by 30. */
    assert_int_equal(text_distance(a, b), 30);
}

/* Control characters from VK or a file are defused where they enter (issue 16). */
static void test_text_sanitize_controls(void **state)
{
    (void)state;
    char s[] = "\033[2J\033]0;x\007Имя\r\nvkpulse: run #99 ok\t\x7f\xc2\x9b"
               "31m\xc2\xa0.";
    assert_int_equal(text_sanitize(s, 0), 8);
    assert_string_equal(s, "?[2J?]0;x?Имя??vkpulse: run #99 ok???31m\xc2\xa0.");
    char t[] = "a\nb\rc";
    assert_int_equal(text_sanitize(t, 1), 1);
    assert_string_equal(t, "a\nb?c");
    assert_int_equal(text_sanitize(NULL, 0), 0);
}

/* A community name of 128 Cyrillic letters (256 bytes) in a 256-byte buffer: the
 * copy ends on a whole letter and stays valid UTF-8 (issue 22, B11). */
static void test_text_copy_cuts_on_a_character(void **state)
{
    char name[257] = "", buf[256];
    (void)state;
    for (int i = 0; i < 128; i++)
        strcat(name, "Ж");
    size_t n = text_copy(buf, sizeof buf, name);
    assert_int_equal(n, 256);
    assert_int_equal(strlen(buf), 254);
    assert_true(text_utf8_valid(buf, strlen(buf)));
    /* what fits is copied whole */
    assert_int_equal(text_copy(buf, sizeof buf, "Озёрск"), strlen("Озёрск"));
    assert_string_equal(buf, "Озёрск");
    /* three- and four-byte characters too */
    char small[5];
    text_copy(small, sizeof small,
              "a\xe2\x80\x94"
              "b"); /* a, em dash, b */
    assert_string_equal(small, "a\xe2\x80\x94");
    text_copy(small, 4,
              "a\xe2\x80\x94"
              "b");
    assert_string_equal(small, "a");
    text_copy(small, sizeof small,
              "\xf0\x9f\x98\x80"
              "x");
    assert_string_equal(small, "\xf0\x9f\x98\x80");
    text_copy(small, 4,
              "\xf0\x9f\x98\x80"
              "x");
    assert_string_equal(small, "");
    text_copy(small, sizeof small, NULL);
    assert_string_equal(small, "");
}

static void test_text_printf_and_cut(void **state)
{
    char buf[8];
    (void)state;
    /* "«" is two bytes: "x «Ж" needs 6 + NUL; a cut at 7 would split "Ж" */
    int n = text_printf(buf, sizeof buf, "%s «%s»", "ab", "ЖЖ");
    assert_int_equal(n, (int)strlen("ab «ЖЖ»"));
    assert_string_equal(buf, "ab «Ж");
    assert_true(text_utf8_valid(buf, strlen(buf)));
    char s[] = "Челябинск";
    assert_int_equal(text_cut(s, 5), 4);
    assert_string_equal(s, "Че");
    char t[] = "abc";
    assert_int_equal(text_cut(t, 10), 3);
    /* a trailing incomplete sequence already there goes */
    char u[] = "ab\xd0";
    assert_int_equal(text_cut(u, 10), 2);
}

/* A snippet: white space folded to single spaces, controls and invalid bytes dropped, at
 * most maxchars characters and outlen - 1 bytes, never half a character. */
static void test_text_snippet_folds_and_cuts(void **state)
{
    char out[64], tiny[6];
    (void)state;
    assert_int_equal(text_snippet("  Урок\n\n\tмузыки\x01 \xff!  ", 100, out, sizeof out),
                     strlen("Урок музыки !"));
    assert_string_equal(out, "Урок музыки !");
    text_snippet("Урок музыки", 4, out, sizeof out);
    assert_string_equal(out, "Урок");
    /* the cut never ends on the space before the next word */
    text_snippet("Урок музыки", 5, out, sizeof out);
    assert_string_equal(out, "Урок");
    text_snippet("ab cd", 4, out, sizeof out);
    assert_string_equal(out, "ab c");
    /* out of room: whole characters only ("Ж" is two bytes) */
    assert_int_equal(text_snippet("ЖЖЖ", 10, tiny, sizeof tiny), 4);
    assert_string_equal(tiny, "ЖЖ");
    assert_int_equal(text_snippet("ab ЖЖ", 10, tiny, sizeof tiny), 5);
    assert_string_equal(tiny, "ab Ж");
    assert_int_equal(text_snippet("abcd Ж", 10, tiny, sizeof tiny), 4);
    assert_string_equal(tiny, "abcd");
    assert_int_equal(text_snippet(NULL, 10, tiny, sizeof tiny), 0);
    assert_string_equal(tiny, "");
}

/* A clip: at most maxchars characters, the last one "…" when the text was longer. */
static void test_text_clip_ends_with_an_ellipsis(void **state)
{
    char out[64], tiny[8];
    (void)state;
    assert_int_equal(text_clip(out, sizeof out, "Челябинск", 9), 0);
    assert_string_equal(out, "Челябинск");
    assert_int_equal(text_clip(out, sizeof out, "Челябинск", 8), 1);
    assert_string_equal(out, "Челябин\u2026");
    assert_int_equal(text_utf8_width(out), 8);
    assert_int_equal(text_clip(out, sizeof out, "Челябинск", 1), 1);
    assert_string_equal(out, "\u2026");
    assert_int_equal(text_clip(out, sizeof out, NULL, 3), 0);
    assert_string_equal(out, "");
    /* a buffer too short for the characters: cut on a boundary, "…" still ends it */
    assert_int_equal(text_clip(tiny, sizeof tiny, "Челябинск", 8), 1);
    assert_string_equal(tiny, "Че\u2026");
}

static void test_text_position_counts_characters(void **state)
{
    int line, col;
    const char *s = "аб\nвг\xffд";
    (void)state;
    text_position(s, strchr(s, '\xff') - s, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 3);
    text_position(s, 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_fold_cyrillic_case),
        cmocka_unit_test(test_text_fold_yo),
        cmocka_unit_test(test_text_fold_hyphen_and_punctuation),
        cmocka_unit_test(test_text_fold_whitespace),
        cmocka_unit_test(test_text_fold_truncates_on_boundary),
        cmocka_unit_test(test_text_fold_invalid_utf8),
        cmocka_unit_test(test_text_fold_dup_allocates),
        cmocka_unit_test(test_text_utf8_valid),
        cmocka_unit_test(test_text_distance_counts_characters),
        cmocka_unit_test(test_text_distance_long_inputs_stay_bounded),
        cmocka_unit_test(test_text_sanitize_controls),
        cmocka_unit_test(test_text_copy_cuts_on_a_character),
        cmocka_unit_test(test_text_printf_and_cut),
        cmocka_unit_test(test_text_snippet_folds_and_cuts),
        cmocka_unit_test(test_text_clip_ends_with_an_ellipsis),
        cmocka_unit_test(test_text_position_counts_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
