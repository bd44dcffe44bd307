/* fmt.h: numbers and dates as people read them, one convention per language. */
#ifndef VKP_FMT_H
#define VKP_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "lang.h"

/*
 * The convention, in one place: Russian writes a decimal comma and a space
 * before "%" ("5,9 %"), English a point and none ("5.9%"). Dates are
 * "16.11.2026" (ru) or "2026-11-16" (en); a time always carries its UTC
 * offset ("08:40 +05:00"), so a reader never has to guess the zone. Machine
 * formats (CSV values, JSON) use fmt_iso and plain C numbers instead.
 */

/* fmt_decimal: v with `decimals` digits after the language's decimal mark. */
void fmt_decimal(enum lang lang, double v, int decimals, char *buf, size_t len);

/*
 * fmt_number: v with `decimals` digits and its digits grouped the language's
 * way: "26 845" (ru, a no-break space) and "26,845" (en); a minus sign
 * (U+2212) before negative numbers. For people, never for machines.
 */
void fmt_number(enum lang lang, double v, int decimals, char *buf, size_t len);

/*
 * fmt_int: n with its digits grouped (fmt_number, no decimals) into buf; returns buf.
 * FMT_INT(lang, n) writes into a buffer of its own that lives to the end of the
 * enclosing block, so that several can stand in one printf argument list.
 */
const char *fmt_int(enum lang lang, int64_t n, char *buf, size_t len);
#define FMT_INT(lang, n) fmt_int((lang), (int64_t)(n), (char[48]){0}, 48)

/*
 * fmt_plural: the form of a noun that agrees with n: forms[0] "one",
 * forms[1] "few", forms[2] "many" by CLDR's rules for Russian (1, 21, 101:
 * one; 2-4, 22-24: few; 0, 5-20, 11-14, 25-30: many); English uses
 * forms[0] for exactly 1 and forms[2] otherwise.
 */
const char *fmt_plural(enum lang lang, int64_t n, const char *const forms[3]);

/*
 * fmt_mean: a mean of counts (interactions a week, reactions a post): whole
 * and grouped from 10 up ("174", "1 053"), one decimal below 10 ("2,5"),
 * where the decimal is the difference between "nothing" and "some", unless
 * it is ",0" ("0", "1"). The one rule for every average of counts shown to a
 * person.
 */
void fmt_mean(enum lang lang, double v, char *buf, size_t len);

/* fmt_mean_decimals: the digits fmt_mean gives v after the decimal mark (0 or 1), for a
 * figure shown beside it (a change from the mean) to carry as many. */
int fmt_mean_decimals(double v);

/* fmt_count: n (grouped, fmt_number) and the agreeing noun: "33 взаимодействия". */
void fmt_count(enum lang lang, int64_t n, const char *const forms[3], char *buf, size_t len);

/* fmt_percent: a share (0.059) as "5,9 %" / "5.9%" with `decimals` digits. */
void fmt_percent(enum lang lang, double share, int decimals, char *buf, size_t len);

/* fmt_date: t in the local zone (week_zone_set); with_time adds " 08:40 +05:00". "" for 0. */
void fmt_date(enum lang lang, int64_t t, int with_time, char *buf, size_t len);

/* fmt_iso: local ISO 8601 with offset, "2026-11-16T00:00:00+05:00"; "" for 0. */
void fmt_iso(int64_t t, char *buf, size_t len);

/* fmt_offset: the local zone's UTC offset at t, "+05:00". */
void fmt_offset(int64_t t, char *buf, size_t len);

#endif
