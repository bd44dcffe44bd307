/* text.c: UTF-8 folding (case, ё, punctuation) and a character-counting edit distance. */
#include "text.h"

#include "err.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What folding does with one character. */
enum fold_class {
    FOLD_KEEP, /* a letter, digit or other character: kept (lower-cased) */
    FOLD_SEP,  /* whitespace or punctuation: a word separator */
    FOLD_DROP  /* an invisible character (soft hyphen, zero-width space): removed */
};

/* Invalid bytes decode to this base plus the byte, so they stay distinct characters. */
#define BAD_BYTE_BASE 0x110000u

/*
 * Decodes the character at s[0..n) (n >= 1). Returns its code point and puts
 * its length in *len; an invalid or truncated sequence decodes as the single
 * byte BAD_BYTE_BASE + s[0] of length 1.
 */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *len)
{
    uint32_t c = s[0], min;
    size_t l;

    if (c < 0x80) {
        *len = 1;
        return c;
    } else if ((c & 0xE0) == 0xC0) {
        l = 2, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        l = 3, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        l = 4, min = 0x10000, c &= 0x07;
    } else {
        goto bad;
    }
    if (l > n)
        goto bad;
    for (size_t k = 1; k < l; k++) {
        if ((s[k] & 0xC0) != 0x80)
            goto bad;
        c = (c << 6) | (s[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        goto bad;
    *len = l;
    return c;
bad:
    *len = 1;
    return BAD_BYTE_BASE + s[0];
}

size_t text_sanitize(char *s, int keep_newlines)
{
    size_t n = 0;
    char *w = s;
    if (!s)
        return 0;
    for (const unsigned char *r = (const unsigned char *)s; *r; r++) {
        if ((*r < 0x20 && !(keep_newlines && *r == '\n')) || *r == 0x7f) {
            *w++ = '?';
            n++;
        } else if (*r == 0xc2 && r[1] >= 0x80 && r[1] <= 0x9f) {
            *w++ = '?'; /* a C1 control, two bytes in UTF-8 */
            r++;
            n++;
        } else {
            *w++ = (char)*r;
        }
    }
    *w = '\0';
    return n;
}

size_t text_utf8_check(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, len;

    while (i < n) {
        if (utf8_next(p + i, n - i, &len) >= BAD_BYTE_BASE)
            return i;
        i += len;
    }
    return n;
}

int text_utf8_valid(const char *s, size_t n)
{
    if (!s)
        return n == 0;
    return text_utf8_check(s, n) == n;
}

static enum fold_class fold_classify(uint32_t c)
{
    if (c < 0x80) {
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return FOLD_KEEP;
        return FOLD_SEP; /* controls, space and all ASCII punctuation */
    }
    switch (c) {
    case 0x00AD: /* soft hyphen */
    case 0x200B: /* zero-width space */
    case 0x200C:
    case 0x200D:
    case 0x2060: /* word joiner */
    case 0xFEFF: /* BOM / zero-width no-break space */
        return FOLD_DROP;
    case 0x00A0: /* no-break space */
    case 0x00AB: /* « */
    case 0x00BB: /* » */
    case 0x00B7: /* middle dot */
    case 0x2026: /* … */
    case 0x2039: /* ‹ */
    case 0x203A: /* › */
    case 0x2116: /* № */
    case 0x2212: /* minus sign */
    case 0x202F: /* narrow no-break space */
    case 0x205F:
    case 0x3000:
        return FOLD_SEP;
    default:
        break;
    }
    if (c >= 0x2000 && c <= 0x200A) /* the typographic spaces */
        return FOLD_SEP;
    if (c >= 0x2010 && c <= 0x201F) /* hyphens, dashes and quotation marks */
        return FOLD_SEP;
    return FOLD_KEEP;
}

/* Lower-cases ASCII and Cyrillic and turns ё into е; other code points are returned as is. */
static uint32_t fold_lower(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0x0410 && c <= 0x042F) /* А..Я */
        return c + 0x20;
    if (c >= 0x0400 && c <= 0x040F) /* Ѐ Ё Ђ ... Џ */
        c += 0x50;
    if (c == 0x0451) /* ё */
        return 0x0435;
    return c;
}

/* Encodes a code point below U+0800 (all that fold_lower produces from non-ASCII). */
static size_t utf8_put2(uint32_t c, char *buf)
{
    if (c < 0x80) {
        buf[0] = (char)c;
        return 1;
    }
    buf[0] = (char)(0xC0 | (c >> 6));
    buf[1] = (char)(0x80 | (c & 0x3F));
    return 2;
}

size_t text_fold(const char *in, char *out, size_t outlen)
{
    const unsigned char *s = (const unsigned char *)(in ? in : "");
    size_t n = strlen((const char *)s);
    size_t o = 0, i = 0;
    int pending_space = 0;

    if (!out || outlen == 0)
        return 0;
    while (i < n) {
        size_t len, elen;
        char enc[4];
        uint32_t c = utf8_next(s + i, n - i, &len);

        if (c >= BAD_BYTE_BASE) {
            enc[0] = (char)s[i];
            elen = 1;
        } else {
            enum fold_class k = fold_classify(c);
            if (k == FOLD_DROP) {
                i += len;
                continue;
            }
            if (k == FOLD_SEP) {
                pending_space = o > 0; /* leading separators vanish */
                i += len;
                continue;
            }
            uint32_t lc = fold_lower(c);
            if (lc != c) {
                elen = utf8_put2(lc, enc);
            } else {
                memcpy(enc, s + i, len);
                elen = len;
            }
        }
        /* The space and the character go out together or not at all. */
        if (o + (size_t)pending_space + elen + 1 > outlen)
            break;
        if (pending_space)
            out[o++] = ' ';
        pending_space = 0;
        memcpy(out + o, enc, elen);
        o += elen;
        i += len;
    }
    out[o] = '\0';
    return o;
}

char *text_fold_dup(const char *in)
{
    size_t n;
    char *out;

    if (!in)
        return NULL;
    n = strlen(in) + 1;
    out = malloc(n);
    if (!out)
        return NULL;
    text_fold(in, out, n);
    return out;
}

/*
 * Decodes up to max characters of s into cps. Returns how many were stored
 * and puts the number of characters left over in *rest.
 */
static size_t decode_chars(const char *s, uint32_t *cps, size_t max, size_t *rest)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), i = 0, count = 0, extra = 0, len;

    while (i < n) {
        uint32_t c = utf8_next(p + i, n - i, &len);
        if (count < max)
            cps[count++] = c;
        else
            extra++;
        i += len;
    }
    *rest = extra;
    return count;
}

size_t text_distance(const char *a, const char *b)
{
    uint32_t ca[TEXT_DISTANCE_MAX], cb[TEXT_DISTANCE_MAX];
    size_t row0[TEXT_DISTANCE_MAX + 1], row1[TEXT_DISTANCE_MAX + 1];
    size_t *prev = row0, *cur = row1;
    size_t resta, restb;
    size_t na = decode_chars(a, ca, TEXT_DISTANCE_MAX, &resta);
    size_t nb = decode_chars(b, cb, TEXT_DISTANCE_MAX, &restb);

    for (size_t j = 0; j <= nb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t del = prev[j] + 1;
            size_t ins = cur[j - 1] + 1;
            size_t sub = prev[j - 1] + (ca[i - 1] != cb[j - 1]);
            size_t best = del < ins ? del : ins;
            cur[j] = best < sub ? best : sub;
        }
        size_t *t = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb] + (resta > restb ? resta - restb : restb - resta);
}

size_t text_utf8_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

int text_grow(void **arr, size_t *cap, size_t need, size_t elsize)
{
    size_t nc;
    void *p;

    if (need <= *cap)
        return 0;
    nc = *cap ? *cap : 16;
    while (nc < need)
        nc *= 2;
    p = realloc(*arr, nc * elsize);
    if (!p)
        return VKP_ENOMEM;
    *arr = p;
    *cap = nc;
    return 0;
}

/* ---- truncation on character boundaries ------------------------------------ */

/* The length of the character a lead byte begins (1 for ASCII and stray bytes). */
static size_t utf8_lead_len(unsigned char c)
{
    return (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
}

size_t text_cut(char *s, size_t max)
{
    size_t n, k;

    if (!s)
        return 0;
    n = strnlen(s, max);
    /* Step back over at most three continuation bytes to the character's lead
     * byte; drop the character when it does not end by n. */
    for (k = n; k > 0 && n - k < 4; k--) {
        unsigned char c = (unsigned char)s[k - 1];
        if ((c & 0xC0) == 0x80)
            continue;
        if (c >= 0x80 && k - 1 + utf8_lead_len(c) > n)
            n = k - 1;
        break;
    }
    s[n] = '\0';
    return n;
}

size_t text_copy(char *dst, size_t len, const char *src)
{
    size_t n;

    if (!src)
        src = "";
    n = strlen(src);
    if (!dst || len == 0)
        return n;
    if (n < len) {
        memcpy(dst, src, n + 1);
        return n;
    }
    memcpy(dst, src, len - 1);
    dst[len - 1] = '\0';
    text_cut(dst, len - 1);
    return n;
}

/* The bytes of the first maxchars characters of s (a character begins at every byte that
 * is not a continuation byte, as text_utf8_width counts them). */
static size_t utf8_prefix(const char *s, size_t maxchars)
{
    size_t i = 0;
    for (size_t c = 0; s[i] && c < maxchars; c++)
        for (i++; ((unsigned char)s[i] & 0xC0) == 0x80; i++)
            ;
    return i;
}

int text_clip(char *dst, size_t len, const char *src, size_t maxchars)
{
    static const char ell[] = "\u2026";
    size_t keep;

    if (!src)
        src = "";
    if (!src[utf8_prefix(src, maxchars)]) {
        text_copy(dst, len, src);
        return 0;
    }
    if (len < sizeof ell) {
        text_copy(dst, len, "");
        return 1;
    }
    keep = maxchars ? utf8_prefix(src, maxchars - 1) : 0;
    if (keep > len - sizeof ell)
        keep = len - sizeof ell;
    memcpy(dst, src, keep);
    dst[keep] = '\0';
    keep = text_cut(dst, keep);
    memcpy(dst + keep, ell, sizeof ell);
    return 1;
}

size_t text_snippet(const char *in, size_t maxchars, char *out, size_t outlen)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t n = in ? strlen(in) : 0, i = 0, w = 0, len;
    int space = 0;

    if (!outlen)
        return 0;
    /* The folded text as far as it fits in out, bytes; then cut to whole characters, then
     * to maxchars of them, never ending on the space before a word. */
    while (i < n && w < outlen - 1) {
        uint32_t c = utf8_next(p + i, n - i, &len);
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            space = w > 0; /* runs of white space become one space, none at the start */
        } else if (c >= BAD_BYTE_BASE || c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
            /* an invalid byte or a control character: dropped */
        } else {
            size_t k;
            if (space)
                out[w++] = ' ';
            k = len < outlen - 1 - w ? len : outlen - 1 - w;
            memcpy(out + w, p + i, k);
            w += k;
            space = 0;
        }
        i += len;
    }
    out[w] = '\0';
    w = text_cut(out, utf8_prefix(out, maxchars));
    while (w > 0 && out[w - 1] == ' ')
        out[--w] = '\0';
    return w;
}

int text_vprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
    int n = vsnprintf(buf, len, fmt, ap);
    if (n >= 0 && len > 0 && (size_t)n >= len)
        text_cut(buf, len - 1);
    return n;
}

int text_printf(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = text_vprintf(buf, len, fmt, ap);
    va_end(ap);
    return n;
}

void text_position(const char *s, size_t off, int *line, int *col)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, len;

    *line = 1;
    *col = 1;
    while (i < off) {
        if (p[i] == '\n') {
            ++*line;
            *col = 1;
            i++;
            continue;
        }
        utf8_next(p + i, off - i, &len);
        i += len;
        ++*col;
    }
}
