/* week.h: ISO weeks (Monday to Sunday) and the longer report periods, in the region's time zone. */
#ifndef VKP_WEEK_H
#define VKP_WEEK_H

#include <stddef.h>
#include <stdint.h>

/*
 * A week is the ISO 8601 week of the configured time zone: it starts on
 * Monday at 00:00 local time and ends at the next Monday 00:00, so `start`
 * and `end` are unix seconds of a half-open interval [start, end). Week 1 of
 * a year is the week with that year's first Thursday; a year has 52 or 53
 * weeks. Local times come from the C library's tz database through TZ, set
 * once by week_zone_set: every function here reads local time that way.
 */
/*
 * The report periods. A struct week of another kind is that period:
 * `year` is its calendar year (a school year's is the year it starts in,
 * 1 September), `week` its month (1..12) or quarter (1..4), 0 for years,
 * and [start, end) runs from local midnight to local midnight.
 */
enum period_kind {
    PERIOD_WEEK = 0,    /* ISO week (the zero value, so plain weeks need no setting) */
    PERIOD_MONTH,       /* calendar month */
    PERIOD_QUARTER,     /* calendar quarter */
    PERIOD_YEAR,        /* calendar year */
    PERIOD_SCHOOL_YEAR, /* 1 September to 31 August */
    PERIOD_KINDS
};

struct week {
    int year;              /* ISO week-numbering year (may differ from the calendar year) */
    int week;              /* 1..52 or 53 */
    int64_t start;         /* Monday 00:00 local, unix seconds */
    int64_t end;           /* the next Monday 00:00 local, unix seconds */
    enum period_kind kind; /* PERIOD_WEEK, or the longer period this is */
};

/*
 * week_zone_set: make `tz` (an IANA name such as "Asia/Yekaterinburg", or
 * "UTC") the local time zone of this process (setenv TZ + tzset). The name
 * must be a TZif file of the zoneinfo directory ($TZDIR or
 * /usr/share/zoneinfo), so a typo is an error rather than a silent UTC.
 * Returns 0, or VKP_ECONFIG with "unknown time zone ..." in err.
 */
int week_zone_set(const char *tz, char *err, size_t errlen);

/* week_zone_check: the same checks as week_zone_set without changing the
 * process's zone (the config loader's validation). */
int week_zone_check(const char *tz, char *err, size_t errlen);

/* week_make: ISO week `wk` of ISO year `year`. VKP_EUSAGE when the year has no such week. */
int week_make(int year, int wk, struct week *out);

/*
 * week_parse: "2026-W47" (also "2026-w47" and "2026W47") into *out.
 * VKP_EUSAGE with a message naming the text when it is not a week.
 */
int week_parse(const char *text, struct week *out, char *err, size_t errlen);

/* week_days_between: calendar days from instant a's local date to instant b's: what a
 * reader counts between the two dates printed (26.10 to 30.11: 35), whatever the hours. */
int64_t week_days_between(int64_t a, int64_t b);

/* week_of: the week containing instant t. */
int week_of(int64_t t, struct week *out);

/* week_last_complete: the last week that ended at or before `now`. */
int week_last_complete(int64_t now, struct week *out);

/* week_shift: the week `delta` weeks after w (before when negative). */
int week_shift(const struct week *w, int delta, struct week *out);

/* week_weeks_in_year: 52 or 53. */
int week_weeks_in_year(int year);

/* week_format: "2026-W47" into buf; other periods "2026-11", "2026-Q4", "2026", "2025/26". */
void week_format(const struct week *w, char *buf, size_t len);

/* period_kind_parse: "week", "month", "quarter", "year", "school-year". VKP_EUSAGE otherwise. */
int period_kind_parse(const char *name, enum period_kind *out);

/* period_kind_name: the name period_kind_parse takes. */
const char *period_kind_name(enum period_kind kind);

/* period_make: month/quarter `index` of `year` (ignored for years), or the ISO week. */
int period_make(enum period_kind kind, int year, int index, struct week *out);

/* period_of: the period of that kind containing instant t. */
int period_of(enum period_kind kind, int64_t t, struct week *out);

/* period_last_complete: the last period of that kind that ended at or before `now`. */
int period_last_complete(enum period_kind kind, int64_t now, struct week *out);

/*
 * period_parse: a period of that kind as week_format writes it (a school
 * year also as its first year, "2025"), or any kind as a date YYYY-MM-DD:
 * the period containing it. VKP_EUSAGE with a message naming the text.
 */
int period_parse(enum period_kind kind, const char *text, struct week *out, char *err,
                 size_t errlen);

/*
 * week_date_parse: a calendar date written YYYY-MM-DD, strictly: the month
 * 1..12, the day one that month has (2026-02-30 is refused, never read as 2
 * March), the year 1971..9998. The one date reader of every date option.
 * Returns 0 with *y, *m, *d, or VKP_EUSAGE with a message naming the text
 * and what is wrong with it.
 */
int week_date_parse(const char *text, int *y, int *m, int *d, char *err, size_t errlen);

/*
 * week_date_midnight: the date `text` read by week_date_parse, as the local
 * midnight that starts it (next: the one that ends it, the start of the
 * following day: a window's last day). Returns 0 with *t, or VKP_EUSAGE with
 * week_date_parse's message.
 */
int week_date_midnight(const char *text, int next, int64_t *t, char *err, size_t errlen);

/* week_local: strftime of t in local time ("" for t == 0). */
void week_local(int64_t t, const char *fmt, char *buf, size_t len);

#endif
