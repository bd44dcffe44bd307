/* fmt.c: number and date formatting shared by every human-readable output. */
#include "fmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "week.h"

void fmt_decimal(enum lang lang, double v, int decimals, char *buf, size_t len)
{
    snprintf(buf, len, "%.*f", decimals, v);
    if (lang == LANG_RU) {
        char *p = strchr(buf, '.');
        if (p)
            *p = ',';
    }
    /* "-0" reads oddly next to whole numbers */
    if (buf[0] == '-' && strspn(buf + 1, "0.,") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
}

void fmt_number(enum lang lang, double v, int decimals, char *buf, size_t len)
{
    const char *group = lang == LANG_RU ? "\u00a0" : ",";
    char raw[64], out[96];
    size_t n = 0, digits, i = 0;

    fmt_decimal(lang, v, decimals, raw, sizeof raw);
    if (raw[0] == '-') {
        memcpy(out, "\u2212", 3); /* the minus sign, not a hyphen */
        n = 3;
        i = 1;
    }
    digits = strspn(raw + i, "0123456789");
    for (size_t k = 0; k < digits; k++) {
        if (k && (digits - k) % 3 == 0) {
            memcpy(out + n, group, strlen(group));
            n += strlen(group);
        }
        out[n++] = raw[i + k];
    }
    text_copy(out + n, sizeof out - n, raw + i + digits);
    text_copy(buf, len, out);
}

const char *fmt_int(enum lang lang, int64_t n, char *buf, size_t len)
{
    fmt_number(lang, (double)n, 0, buf, len);
    return buf;
}

int fmt_mean_decimals(double v)
{
    /* the decimal a reader needs: below 10, and not after a whole number ("1", not "1,0") */
    return fabs(v) < 9.95 && fmod(round(v * 10), 10) != 0 ? 1 : 0;
}

void fmt_mean(enum lang lang, double v, char *buf, size_t len)
{
    fmt_number(lang, v, fmt_mean_decimals(v), buf, len);
}

const char *fmt_plural(enum lang lang, int64_t n, const char *const forms[3])
{
    int64_t a = n < 0 ? -n : n, d = a % 10, h = a % 100;
    if (lang != LANG_RU)
        return a == 1 ? forms[0] : forms[2];
    if (d == 1 && h != 11)
        return forms[0];
    if (d >= 2 && d <= 4 && (h < 12 || h > 14))
        return forms[1];
    return forms[2];
}

void fmt_count(enum lang lang, int64_t n, const char *const forms[3], char *buf, size_t len)
{
    char num[64];
    fmt_number(lang, (double)n, 0, num, sizeof num);
    snprintf(buf, len, "%s %s", num, fmt_plural(lang, n, forms));
}

void fmt_percent(enum lang lang, double share, int decimals, char *buf, size_t len)
{
    char n[48];
    fmt_decimal(lang, share * 100.0, decimals, n, sizeof n);
    snprintf(buf, len, lang == LANG_RU ? "%s %%" : "%s%%", n);
}

void fmt_offset(int64_t t, char *buf, size_t len)
{
    char z[8];
    week_local(t ? t : 1, "%z", z, sizeof z); /* +0500 → +05:00 */
    if (strlen(z) == 5)
        snprintf(buf, len, "%.3s:%s", z, z + 3);
    else
        text_copy(buf, len, z);
}

void fmt_date(enum lang lang, int64_t t, int with_time, char *buf, size_t len)
{
    const char *fmt = lang == LANG_RU ? (with_time ? "%d.%m.%Y %H:%M" : "%d.%m.%Y")
                                      : (with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d");
    char z[16];
    week_local(t, fmt, buf, len);
    if (t && with_time && buf[0]) {
        fmt_offset(t, z, sizeof z);
        snprintf(buf + strlen(buf), len - strlen(buf), " %s", z);
    }
}

void fmt_iso(int64_t t, char *buf, size_t len)
{
    char z[16];
    if (t == 0 || len < 26) {
        if (len)
            buf[0] = '\0';
        return;
    }
    week_local(t, "%Y-%m-%dT%H:%M:%S", buf, len);
    fmt_offset(t, z, sizeof z);
    text_copy(buf + strlen(buf), len - strlen(buf), z);
}
