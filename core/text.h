/* text.h: UTF-8 folding and edit distance for tolerant matching of Russian names. */
#ifndef VKP_TEXT_H
#define VKP_TEXT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Folding makes two spellings of one name compare equal: "г. Озёрск",
 * "Г.ОЗЕРСК" and "г  озерск" all fold to "г озерск". Rules:
 *   - ASCII and Cyrillic letters are lower-cased (А–Я → а–я, also the
 *     Ukrainian/Belarusian letters of U+0400..U+040F);
 *   - Ё and ё become е; й stays distinct from и;
 *   - every run of whitespace and punctuation (ASCII punctuation including
 *     '-', '.', ',', '"', '(', ')', and « » „ “ ” ‘ ’ – — … № NBSP and the
 *     Unicode spaces) becomes one ' ', and the result is trimmed;
 *   - other characters (digits, Latin letters with accents, ...) are kept;
 *   - bytes that are not valid UTF-8 are copied through one by one.
 * The folded text is never longer than the input, so a buffer of
 * strlen(in) + 1 bytes always holds it whole.
 */

/*
 * text_fold: writes the folded copy of in (NUL-terminated) into out, which
 * has room for outlen bytes. Returns the number of bytes written, not
 * counting the NUL. Always NUL-terminates when outlen > 0; when the result
 * does not fit it is cut on a character boundary (never in the middle of a
 * UTF-8 sequence, never leaving a trailing space). in == NULL folds as "".
 */
size_t text_fold(const char *in, char *out, size_t outlen);

/*
 * text_fold_dup: the folded copy of in in a new heap string the caller
 * frees with free(). Returns NULL when out of memory (or in is NULL).
 */
char *text_fold_dup(const char *in);

/*
 * text_utf8_valid: 1 when s[0..n) is well-formed UTF-8 (no overlong forms,
 * no surrogates, nothing above U+10FFFF), else 0.
 */
int text_utf8_valid(const char *s, size_t n);

/*
 * text_utf8_check: the offset of the first byte of s[0..n) that does not
 * begin a well-formed character (as text_utf8_valid judges them), or n when
 * all of it is valid. For messages that name where a file goes wrong.
 */
size_t text_utf8_check(const char *s, size_t n);

/*
 * text_sanitize: makes text from VK or a file safe to show on a terminal, in a
 * log line or a channel, in place: every control character — C0 (ESC, CR, LF,
 * TAB, ...), DEL and the C1 range U+0080..U+009F (whose CSI starts escape
 * sequences on some terminals) — becomes '?', except '\n' when keep_newlines.
 * The text never grows. Returns how many characters were replaced. NULL is a
 * no-op.
 */
size_t text_sanitize(char *s, int keep_newlines);

/*
 * text_snippet: the first maxchars characters of in (UTF-8) into out, never
 * cutting a character: runs of white space (line breaks too) become one
 * space, control characters and invalid bytes are dropped. out always ends
 * with a NUL and holds at most outlen - 1 bytes. Returns the bytes written.
 */
size_t text_snippet(const char *in, size_t maxchars, char *out, size_t outlen);

/*
 * UTF-8-safe truncation: every place that cuts a string to fit a buffer goes
 * through these, so a cut never leaves half a character (a community name of
 * 128 Cyrillic letters in a 256-byte buffer would otherwise end in a lone lead
 * byte, and the JSON or mail that carries it would be refused as invalid UTF-8).
 */

/*
 * text_cut: cuts s to at most max bytes, on a character boundary: when the
 * byte at max is in the middle of a character, that whole character goes.
 * Also drops a trailing incomplete sequence already there (what snprintf
 * leaves). Returns the new length. NULL is a no-op (0).
 */
size_t text_cut(char *s, size_t max);

/*
 * text_copy: copies src into dst of len bytes, cut on a character boundary
 * when it does not fit, always NUL-terminated (len > 0). Returns strlen(src),
 * so a result >= len says that it was cut (as strlcpy). src NULL copies "".
 */
size_t text_copy(char *dst, size_t len, const char *src);

/*
 * text_clip: copies src into dst of len bytes cut to at most maxchars
 * characters, the last of them "…" when src has more; a dst too short for
 * them is cut on a character boundary, still ended by "…" when there is room
 * for it. Returns 1 when src was cut, else 0. src NULL copies "".
 */
int text_clip(char *dst, size_t len, const char *src, size_t maxchars);

/*
 * text_printf, text_vprintf: snprintf into buf of len bytes, then, when the
 * result did not fit, the cut moved back to a character boundary. Returns
 * what vsnprintf returns (the length the whole text would have).
 */
int text_printf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int text_vprintf(char *buf, size_t len, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/*
 * text_position: the 1-based line and column (in characters, an invalid byte
 * counting as one) of byte offset off of s, for messages that name where a
 * file goes wrong.
 */
void text_position(const char *s, size_t off, int *line, int *col);

/* Inputs are compared on at most this many characters each (see text_distance). */
#define TEXT_DISTANCE_MAX 256

/*
 * text_distance: the Levenshtein distance (insertions, deletions,
 * substitutions, each costing 1) between a and b counted in characters,
 * not bytes: "пластовский" and "пластоский" are at distance 1. Pass folded
 * strings for a case- and punctuation-blind distance. An invalid byte counts
 * as one character. Only the first TEXT_DISTANCE_MAX characters of each
 * string are compared exactly; the characters past that add the difference
 * of the two remainders' lengths, so the function stays cheap on hostile
 * input. NULL counts as "". Allocates nothing.
 */
size_t text_distance(const char *a, const char *b);

/* text_utf8_width: the number of characters (not bytes) of s, for column alignment. */
size_t text_utf8_width(const char *s);

/*
 * text_grow: makes room for need elements of elsize bytes in the array *arr
 * of capacity *cap, doubling (from 16) so appends cost amortised O(1).
 * Returns 0, or VKP_ENOMEM with *arr and *cap untouched.
 */
int text_grow(void **arr, size_t *cap, size_t need, size_t elsize);

#endif
