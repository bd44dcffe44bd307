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

/* fmt_percent: a share (0.059) as "5,9 %" / "5.9%" with `decimals` digits. */
void fmt_percent(enum lang lang, double share, int decimals, char *buf, size_t len);

/* fmt_date: t in the local zone (week_zone_set); with_time adds " 08:40 +05:00". "" for 0. */
void fmt_date(enum lang lang, int64_t t, int with_time, char *buf, size_t len);

/* fmt_iso: local ISO 8601 with offset, "2026-11-16T00:00:00+05:00"; "" for 0. */
void fmt_iso(int64_t t, char *buf, size_t len);

/* fmt_offset: the local zone's UTC offset at t, "+05:00". */
void fmt_offset(int64_t t, char *buf, size_t len);

#endif
