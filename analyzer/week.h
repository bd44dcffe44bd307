/* week.h: ISO weeks (Monday to Sunday) in the region's time zone. */
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
struct week {
    int year;      /* ISO week-numbering year (may differ from the calendar year) */
    int week;      /* 1..52 or 53 */
    int64_t start; /* Monday 00:00 local, unix seconds */
    int64_t end;   /* the next Monday 00:00 local, unix seconds */
};

/*
 * week_zone_set: make `tz` (an IANA name such as "Asia/Yekaterinburg", or
 * "UTC") the local time zone of this process (setenv TZ + tzset). The name
 * must be a TZif file of the zoneinfo directory ($TZDIR or
 * /usr/share/zoneinfo), so a typo is an error rather than a silent UTC.
 * Returns 0, or VKP_ECONFIG with "unknown time zone ..." in err.
 */
int week_zone_set(const char *tz, char *err, size_t errlen);

/* week_make: ISO week `wk` of ISO year `year`. VKP_EUSAGE when the year has no such week. */
int week_make(int year, int wk, struct week *out);

/*
 * week_parse: "2026-W47" (also "2026-w47" and "2026W47") into *out.
 * VKP_EUSAGE with a message naming the text when it is not a week.
 */
int week_parse(const char *text, struct week *out, char *err, size_t errlen);

/* week_of: the week containing instant t. */
int week_of(int64_t t, struct week *out);

/* week_last_complete: the last week that ended at or before `now`. */
int week_last_complete(int64_t now, struct week *out);

/* week_shift: the week `delta` weeks after w (before when negative). */
int week_shift(const struct week *w, int delta, struct week *out);

/* week_weeks_in_year: 52 or 53. */
int week_weeks_in_year(int year);

/* week_format: "2026-W47" into buf. */
void week_format(const struct week *w, char *buf, size_t len);

/* week_local: strftime of t in local time ("" for t == 0). */
void week_local(int64_t t, const char *fmt, char *buf, size_t len);

#endif
