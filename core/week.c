/* week.c: ISO week and period arithmetic on civil days, local midnights through the tz database. */
#include "week.h"

#include <errno.h>
#include <unistd.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "suggest.h"
#include "text.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 for Monday .. 6 for Sunday; day 0 (1970-01-01) was a Thursday. */
static int iso_wday(int64_t days)
{
    int64_t w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* The Monday (in days) of week 1 of ISO year y: the week holding 4 January. */
static int64_t week1_monday(int y)
{
    int64_t jan4 = days_from_civil(y, 1, 4);
    return jan4 - iso_wday(jan4);
}

int week_weeks_in_year(int year)
{
    /* 28 December always lies in the last week of its ISO year. */
    int64_t dec28 = days_from_civil(year, 12, 28);
    return (int)((dec28 - week1_monday(year)) / 7) + 1;
}

/* Local midnight at the start of civil day `days`, as unix seconds. mktime
 * resolves a midnight that a DST change skips to the first instant after. */
static int64_t local_midnight(int64_t days)
{
    struct tm tm;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm);
}

int week_make(int year, int wk, struct week *out)
{
    if (year < 1971 || year > 9999 || wk < 1 || wk > week_weeks_in_year(year))
        return VKP_EUSAGE;
    int64_t monday = week1_monday(year) + 7 * (int64_t)(wk - 1);
    out->year = year;
    out->week = wk;
    out->start = local_midnight(monday);
    out->end = local_midnight(monday + 7);
    out->kind = PERIOD_WEEK;
    return 0;
}

int week_parse(const char *text, struct week *out, char *err, size_t errlen)
{
    int year = 0, wk = 0, n = 0;
    const char *p = text;

    if (!text)
        text = p = "";
    for (; n < 4 && *p >= '0' && *p <= '9'; n++, p++)
        year = year * 10 + (*p - '0');
    if (n == 4 && *p == '-')
        p++;
    if (n == 4 && (*p == 'W' || *p == 'w')) {
        p++;
        for (n = 0; n < 2 && *p >= '0' && *p <= '9'; n++, p++)
            wk = wk * 10 + (*p - '0');
        if (n == 2 && *p == '\0' && week_make(year, wk, out) == 0)
            return 0;
        if (n == 2 && *p == '\0') {
            snprintf(err, errlen, "week '%s' does not exist: %d has %d ISO weeks", text, year,
                     year >= 1971 && year <= 9999 ? week_weeks_in_year(year) : 0);
            return VKP_EUSAGE;
        }
    }
    snprintf(err, errlen, "'%s' is not an ISO week: write it as YYYY-Www, e.g. 2026-W47", text);
    return VKP_EUSAGE;
}

/* The civil day number of instant t in the local zone (0 when the C library cannot say). */
static int64_t local_day(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return 0;
    return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int64_t week_days_between(int64_t a, int64_t b)
{
    return local_day(b) - local_day(a);
}

int week_of(int64_t t, struct week *out)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return VKP_EUSAGE;
    int64_t days = days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    int64_t thursday = days - iso_wday(days) + 3;
    int y, m, d;
    civil_from_days(thursday, &y, &m, &d);
    return week_make(y, (int)((thursday - week1_monday(y)) / 7) + 1, out);
}

int week_last_complete(int64_t now, struct week *out)
{
    struct week cur;
    int rc = week_of(now, &cur);
    return rc ? rc : week_shift(&cur, -1, out);
}

int week_shift(const struct week *w, int delta, struct week *out)
{
    if (w->kind != PERIOD_WEEK) {
        /* Months and quarters count on from year 0; years simply add. */
        int per = w->kind == PERIOD_MONTH ? 12 : w->kind == PERIOD_QUARTER ? 4 : 1;
        int64_t n = (int64_t)w->year * per + (per > 1 ? w->week - 1 : 0) + delta;
        if (n < 0)
            return VKP_EUSAGE;
        return period_make(w->kind, (int)(n / per), (int)(n % per) + 1, out);
    }
    int64_t monday = week1_monday(w->year) + 7 * (int64_t)(w->week - 1) + 7 * (int64_t)delta;
    int64_t thursday = monday + 3;
    int y, m, d;
    civil_from_days(thursday, &y, &m, &d);
    return week_make(y, (int)((monday - week1_monday(y)) / 7) + 1, out);
}

void week_format(const struct week *w, char *buf, size_t len)
{
    switch (w->kind) {
    case PERIOD_MONTH:
        snprintf(buf, len, "%04d-%02d", w->year, w->week);
        break;
    case PERIOD_QUARTER:
        snprintf(buf, len, "%04d-Q%d", w->year, w->week);
        break;
    case PERIOD_YEAR:
        snprintf(buf, len, "%04d", w->year);
        break;
    case PERIOD_SCHOOL_YEAR:
        snprintf(buf, len, "%04d/%02d", w->year, (w->year + 1) % 100);
        break;
    default:
        snprintf(buf, len, "%04d-W%02d", w->year, w->week);
    }
}

static const char *const kind_names[PERIOD_KINDS] = {"week", "month", "quarter", "year",
                                                     "school-year"};

int period_kind_parse(const char *name, enum period_kind *out)
{
    for (int k = 0; k < PERIOD_KINDS; k++)
        if (name && strcmp(name, kind_names[k]) == 0) {
            *out = (enum period_kind)k;
            return 0;
        }
    return VKP_EUSAGE;
}

const char *period_kind_name(enum period_kind kind)
{
    return kind < PERIOD_KINDS ? kind_names[kind] : "";
}

int period_make(enum period_kind kind, int year, int index, struct week *out)
{
    int month0, months; /* first month (0-based) and length */

    if (kind == PERIOD_WEEK)
        return week_make(year, index, out);
    if (year < 1971 || year > 9998)
        return VKP_EUSAGE;
    switch (kind) {
    case PERIOD_MONTH:
        if (index < 1 || index > 12)
            return VKP_EUSAGE;
        month0 = index - 1, months = 1;
        break;
    case PERIOD_QUARTER:
        if (index < 1 || index > 4)
            return VKP_EUSAGE;
        month0 = 3 * (index - 1), months = 3;
        break;
    case PERIOD_YEAR:
        month0 = 0, months = 12, index = 0;
        break;
    case PERIOD_SCHOOL_YEAR:
        month0 = 8, months = 12, index = 0;
        break;
    default:
        return VKP_EUSAGE;
    }
    int end0 = month0 + months;
    out->year = year;
    out->week = index;
    out->kind = kind;
    out->start = local_midnight(days_from_civil(year, month0 + 1, 1));
    out->end = local_midnight(days_from_civil(year + end0 / 12, end0 % 12 + 1, 1));
    return 0;
}

int period_of(enum period_kind kind, int64_t t, struct week *out)
{
    time_t tt = (time_t)t;
    struct tm tm;
    int y, m;

    if (kind == PERIOD_WEEK)
        return week_of(t, out);
    if (!localtime_r(&tt, &tm))
        return VKP_EUSAGE;
    y = tm.tm_year + 1900, m = tm.tm_mon + 1;
    if (kind == PERIOD_SCHOOL_YEAR && m < 9)
        y--;
    return period_make(kind, y, kind == PERIOD_QUARTER ? (m - 1) / 3 + 1 : m, out);
}

int period_last_complete(enum period_kind kind, int64_t now, struct week *out)
{
    struct week cur;
    int rc = period_of(kind, now, &cur);
    return rc ? rc : week_shift(&cur, -1, out);
}

/* 1 if text is exactly `form`, where each '9' stands for a digit; the digits go to *v in order. */
static int shaped(const char *text, const char *form, int *v)
{
    int k = -1, in_digits = 0;
    for (; *form; form++, text++) {
        if (*form == '9') {
            if (*text < '0' || *text > '9')
                return 0;
            if (!in_digits)
                v[++k] = 0;
            v[k] = v[k] * 10 + (*text - '0');
            in_digits = 1;
        } else {
            if (*text != *form)
                return 0;
            in_digits = 0;
        }
    }
    return *text == '\0';
}

/* Days of month m (1..12) of year y in the Gregorian calendar. */
static int days_in_month(int y, int m)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : n[m - 1];
}

int week_date_parse(const char *text, int *y, int *m, int *d, char *err, size_t errlen)
{
    static const char *const months[12] = {"January",   "February", "March",    "April",
                                           "May",       "June",     "July",     "August",
                                           "September", "October",  "November", "December"};
    const char *t = text ? text : "";
    int v[3];

    if (!shaped(t, "9999-99-99", v)) {
        snprintf(err, errlen, "'%s' is not a date: write it as YYYY-MM-DD, e.g. 2026-02-28", t);
        return VKP_EUSAGE;
    }
    if (v[0] < 1971 || v[0] > 9998) {
        snprintf(err, errlen, "'%s': the year must be between 1971 and 9998", t);
        return VKP_EUSAGE;
    }
    if (v[1] < 1 || v[1] > 12) {
        snprintf(err, errlen, "'%s' is not a date: there is no month %d", t, v[1]);
        return VKP_EUSAGE;
    }
    if (v[2] < 1 || v[2] > days_in_month(v[0], v[1])) {
        snprintf(err, errlen, "'%s' is not a date: %s %d has %d days", t, months[v[1] - 1], v[0],
                 days_in_month(v[0], v[1]));
        return VKP_EUSAGE;
    }
    *y = v[0], *m = v[1], *d = v[2];
    return 0;
}

int week_date_midnight(const char *text, int next, int64_t *t, char *err, size_t errlen)
{
    int y, m, d;
    int rc = week_date_parse(text, &y, &m, &d, err, errlen);
    if (rc != 0)
        return rc;
    *t = local_midnight(days_from_civil(y, m, d) + (next != 0));
    return 0;
}

int period_parse(enum period_kind kind, const char *text, struct week *out, char *err,
                 size_t errlen)
{
    static const char *const forms[PERIOD_KINDS] = {
        "YYYY-Www, e.g. 2026-W47", "YYYY-MM, e.g. 2026-11", "YYYY-Qn, e.g. 2026-Q4",
        "YYYY, e.g. 2025", "YYYY/YY, e.g. 2025/26"};
    const char *t = text ? text : "";
    int v[3], ok = 0;

    if (shaped(t, "9999-99-99", v)) {
        /* A date: the period that holds its first instant (every period starts at a
         * local midnight). Read strictly: 2026-02-30 is refused, never 2 March. */
        int64_t at;
        int rc = week_date_midnight(t, 0, &at, err, errlen);
        if (rc != 0)
            return rc;
        ok = period_of(kind, at, out) == 0;
    } else if (kind == PERIOD_WEEK) {
        return week_parse(text, out, err, errlen);
    } else if (kind == PERIOD_MONTH) {
        ok = shaped(t, "9999-99", v) && period_make(kind, v[0], v[1], out) == 0;
    } else if (kind == PERIOD_QUARTER) {
        ok = shaped(t, "9999-Q9", v) && period_make(kind, v[0], v[1], out) == 0;
    } else if (shaped(t, "9999", v)) {
        ok = period_make(kind, v[0], 0, out) == 0;
    } else if (kind == PERIOD_SCHOOL_YEAR && (shaped(t, "9999/99", v) || shaped(t, "9999-99", v))) {
        ok = v[1] == (v[0] + 1) % 100 && period_make(kind, v[0], 0, out) == 0;
    }
    if (ok)
        return 0;
    snprintf(err, errlen, "'%s' is not a %s: write it as %s, or give a date YYYY-MM-DD", t,
             kind == PERIOD_SCHOOL_YEAR ? "school year" : period_kind_name(kind), forms[kind]);
    return VKP_EUSAGE;
}

void week_local(int64_t t, const char *fmt, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (len == 0)
        return;
    buf[0] = '\0';
    if (t != 0 && localtime_r(&tt, &tm))
        strftime(buf, len, fmt, &tm);
}

/* A zone name is a relative path below the zoneinfo directory, nothing more. */
static int zone_name_ok(const char *tz)
{
    if (!tz[0] || tz[0] == '/' || strstr(tz, "..") || strlen(tz) > 200)
        return 0;
    for (const char *p = tz; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              strchr("/_+-", *p)))
            return 0;
    return 1;
}

/* The zones of tz's area (the file names beside where it would be) as candidates. */
struct zone_dir {
    char names[512][64];
    size_t n;
};

static const char *zone_item(size_t i, const void *ud)
{
    return ((const struct zone_dir *)ud)->names[i];
}

/* A zone near tz in spelling ("Asia/Yekaterinbrug" -> "Asia/Yekaterinburg"): 1 with it in
 * buf, else 0. */
static int zone_near(const char *dir, const char *tz, char *buf, size_t len)
{
    static struct zone_dir z;
    char area[256];
    const char *slash = strrchr(tz, '/');
    size_t alen = slash ? (size_t)(slash - tz) : 0;
    DIR *d;
    struct dirent *e;

    snprintf(area, sizeof area, "%s/%.*s", dir, (int)alen, tz);
    if (!(d = opendir(area)))
        return 0;
    z.n = 0;
    while ((e = readdir(d)) && z.n < sizeof z.names / sizeof z.names[0])
        if (e->d_name[0] != '.' && strlen(e->d_name) < sizeof z.names[0])
            text_copy(z.names[z.n++], sizeof z.names[0], e->d_name);
    closedir(d);
    const char *near = suggest_closest(slash ? slash + 1 : tz, zone_item, z.n, &z);
    if (near)
        snprintf(buf, len, "%.*s%s%s", (int)alen, tz, alen ? "/" : "", near);
    return near != NULL;
}

int week_zone_check(const char *tz, char *err, size_t errlen)
{
    const char *dir = getenv("TZDIR");
    char path[512], magic[4];
    FILE *f = NULL;

    if (!dir || !dir[0])
        dir = "/usr/share/zoneinfo";
    if (!tz || !zone_name_ok(tz)) {
        snprintf(err, errlen,
                 "'%s' is not a time zone name: write an IANA name such as "
                 "Asia/Yekaterinburg",
                 tz ? tz : "");
        return VKP_ECONFIG;
    }
    snprintf(path, sizeof path, "%s/%s", dir, tz);
    f = fopen(path, "rb");
    if (!f || fread(magic, 1, 4, f) != 4 || memcmp(magic, "TZif", 4) != 0) {
        int missing = !f && errno == ENOENT;
        char near[128] = "";
        if (f)
            fclose(f);
        if (missing && zone_near(dir, tz, near, sizeof near))
            snprintf(err, errlen, "unknown time zone '%s' (did you mean '%s'?)", tz, near);
        else if (missing && access(dir, R_OK) != 0)
            snprintf(err, errlen,
                     "unknown time zone '%s': there is no zoneinfo directory %s (install the "
                     "tzdata package, or set TZDIR)",
                     tz, dir);
        else if (missing)
            snprintf(err, errlen,
                     "unknown time zone '%s': %s has no such zone; a city without a zone of its "
                     "own takes its region's (the Chelyabinsk region: Asia/Yekaterinburg)",
                     tz, dir);
        else
            snprintf(err, errlen, "unknown time zone '%s': %s is %s", tz, path,
                     f ? "not a time zone file" : strerror(errno));
        return VKP_ECONFIG;
    }
    fclose(f);
    return 0;
}

int week_zone_set(const char *tz, char *err, size_t errlen)
{
    int rc = week_zone_check(tz, err, errlen);
    if (rc != 0)
        return rc;
    if (setenv("TZ", tz, 1) != 0)
        return VKP_ENOMEM;
    tzset();
    return 0;
}
