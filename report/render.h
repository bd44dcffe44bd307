/* render.h: the report's formats (text, csv, json, html) and what they share. */
#ifndef VKP_RENDER_H
#define VKP_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fmt.h"
#include "labels.h"
#include "metrics.h"
#include "outopt.h"

/* An alert that is active when the report is made (from alerts/, through the caller). */
struct render_alert {
    int64_t community_id; /* the community's internal id, 0 for the collection as a whole */
    const char *ref;      /* the community as configured, NULL for the collection */
    const char *rule;     /* the rule's stable name: "no_posts", "members_drop" ... */
    const char *text;     /* one sentence in the report's language */
    int64_t since;        /* when the condition was first found */
};

/* The CSV's shapes. */
enum csv_shape {
    CSV_LONG, /* one row per figure and period (table, period, community, item, measure, ...) */
    CSV_WIDE, /* one row per community and period, one column per figure */
};

/* How to render. */
struct render_options {
    enum lang lang;       /* language of every label */
    char csv_sep;         /* ',' or ';' (';' also writes decimal commas, as Excel in Russian
                           * expects) */
    enum csv_shape shape; /* --csv-shape */
    const struct render_alert *alerts; /* the active alerts, may be NULL */
    size_t nalerts;
};

/*
 * Each renderer writes the whole report to out and returns 0, or VKP_EIO
 * when writing failed (or VKP_ENOMEM). Missing figures are never written as
 * zeros: text and HTML print "n/a" ("н/д"), CSV an empty value with status
 * "missing", JSON null.
 */
int render_text(const struct report *r, const struct render_options *o, FILE *out);
int render_csv(const struct report *r, const struct render_options *o, FILE *out);
int render_json(const struct report *r, const struct render_options *o, FILE *out);
int render_html(const struct report *r, const struct render_options *o, FILE *out);

/*
 * render_xlsx: the report as a workbook written to path (libxlsxwriter writes
 * the file itself): sheets summary, figures, posts, best_time, alerts. 0, or
 * an error with the reason in err (render_report_file names the file).
 */
int render_xlsx(const struct report *r, const struct render_options *o, const char *path, char *err,
                size_t errlen);

/* render_show_total: the report has a total row worth showing: not a --community report of
 * one community (whose total is itself). */
int render_show_total(const struct report *r);

/* render_report: the report in format f to out (0, VKP_EIO or VKP_ENOMEM; VKP_EUSAGE for
 * xlsx, which needs a file: render_report_file). */
int render_report(const struct report *r, enum render_format f, const struct render_options *o,
                  FILE *out);

/*
 * render_report_file: the same into a new file at path (mode 0600 under
 * vkpulse's umask), written beside it and renamed over it, so a failure never
 * leaves half a report behind. Errors name the path.
 */
int render_report_file(const struct report *r, enum render_format f, const struct render_options *o,
                       const char *path, char *err, size_t errlen);

/* ---- shared helpers ----------------------------------------------------------------------- */

/* render_number: a count ("1 234" / "1,234") or a rate in per cent ("5.9%" / "5,9 %"), fmt.h's way.
 */
void render_number(enum lang lang, double v, int is_rate, char *buf, size_t len);

/* render_value: render_number, "~" before approximate figures, n/a for missing ones. */
void render_value(enum lang lang, enum metric_id m, const struct metric_value *v, char *buf,
                  size_t len);

/* A change is given in per cent only from a base of at least this many. */
#define RENDER_PERCENT_BASE 20

/*
 * render_change_percent: the change from prev to cur in per cent into *pct;
 * 0 when it would mislead: a base under RENDER_PERCENT_BASE, a negative
 * value, or a change of 1000 % or more.
 */
int render_change_percent(double cur, double prev, double *pct);

/* render_change: "+180 (+4.7%)" / "−192 (−11,5 %)" from prev to cur (per cent only where
 * render_change_percent gives one); percentage points for rates. */
void render_change(enum lang lang, enum metric_id m, double cur, double prev, char *buf,
                   size_t len);

/* The report period's figure against the window, as a person reads it. */
struct render_cmp {
    char prev[64];   /* the previous period's value */
    char change[96]; /* the change from it (render_change) */
    char avg[64];    /* the mean of the periods before (fmt_mean for counts) */
    char vs_avg[96]; /* the change from that mean */
};

/*
 * render_compare: the comparison cells of figure m of c. Each one the window
 * cannot give while the period's own value is known (a previous week with no
 * posts has no ERpost) is "н/д" / "n/a", never blank; all are "" when the
 * period's value is itself missing (its row says n/a once) or the window is
 * the report period alone.
 */
void render_compare(enum lang lang, const struct metric_community *c, int nweeks, enum metric_id m,
                    struct render_cmp *out);

/* render_average_head: the average column's head, "Среднее за 7 предыдущих недель". */
void render_average_head(enum lang lang, enum period_kind kind, int nweeks, char *buf, size_t len);

/*
 * render_news: the period's notable changes of c in sentences, each passed to
 * emit with a class ("good", "bad", "alert"): subscribers gained or lost
 * (and whether the most in the window), no posts for N days, reactions far
 * from the window's average, and the active alerts (c's; all for the total).
 */
void render_news(const struct report *r, const struct render_options *o,
                 const struct metric_community *c, int is_total,
                 void (*emit)(void *ud, const char *cls, const char *text), void *ud);

/* render_name: the community's VK name, else its configured ref. */
const char *render_name(const struct metric_community *c);

/* render_post_url: "https://vk.com/wall-101_20". */
void render_post_url(const struct metric_post *p, char *buf, size_t len);

/* render_post_type_key: "own", "member" or "repost", the post's type in JSON, CSV and XLSX. */
const char *render_post_type_key(enum post_kind k);

/* render_kind_label: the label of a post kind. */
const char *render_kind_label(enum lang lang, enum post_kind k);

/* render_state_key: "ok", "approximate", "missing". */
const char *render_state_key(enum metric_state s);

/* ---- the yearly report (calendar or school years) ---------------------------------------- */

/* render_yearly_list: the institute's yearly figures (seed 004), in the order the yearly
 * report shows them (metric_defs.c's `yearly`), into out; returns how many. */
size_t render_yearly_list(enum metric_id *out, size_t cap);
#define RENDER_YEARLY(list, n)                                                                     \
    enum metric_id list[M_COUNT];                                                                  \
    const size_t n = render_yearly_list(list, M_COUNT)

/* render_is_yearly: the report counts in calendar or school years: the yearly layout. */
int render_is_yearly(const struct report *r);

/* How a figure moved over the window. */
enum render_trend { TREND_NONE, TREND_UP, TREND_DOWN, TREND_MIXED, TREND_OPEN };

/*
 * render_trend: TREND_UP when every period of the window is above the one
 * before, TREND_DOWN when below, TREND_MIXED otherwise; TREND_NONE when
 * some period lacks the figure or the window is one period; TREND_OPEN
 * (no verdict) when the last period has not ended when the report was made.
 */
enum render_trend render_trend(const struct report *r, const struct metric_community *c,
                               enum metric_id m);

/* render_last_open: the report's last period is still running (incomplete). */
int render_last_open(const struct report *r);

/* render_yearly_change: c's change of m over the window's last period, "" when unknown. */
void render_yearly_change(const struct report *r, enum lang lang, const struct metric_community *c,
                          enum metric_id m, char *buf, size_t len);

/*
 * render_yearly_notes: the yearly report's two notes under its title: what
 * the counter figures are as of (as_of), and "* incomplete: ..." when the
 * last year is still running (open, else ""). Each buffer holds len bytes.
 */
void render_yearly_notes(const struct report *r, enum lang lang, char *as_of, char *open,
                         size_t len);

/* render_period_head: the id of the window's period i, "2026*" when it is still open. */
void render_period_head(const struct report *r, int i, char *buf, size_t len);

/* render_trend_key: "up", "down", "mixed", "open", or NULL for TREND_NONE. */
const char *render_trend_key(enum render_trend t);

/* render_trend_label: the trend's word in lang, "" for TREND_NONE. */
const char *render_trend_label(enum lang lang, enum render_trend t);

/* render_total_title: the heading of the total: the whole network, or the
 * communities a --community report was asked for. */
const char *render_total_title(const struct report *r, enum lang lang);

/* render_counters_at: the newest counter reading the window's "as of" figures use, 0 if none. */
int64_t render_counters_at(const struct report *r);

/*
 * render_snapshots: the boundary snapshots c's period w was measured between,
 * "Срезы данных: на начало 23.11.2026 01:00 +05:00, на конец ...", each one
 * further than REPORT_SNAP_NEAR from its boundary followed by how far and
 * which way: "(на 3 дня раньше начала периода)".
 */
void render_snapshots(enum lang lang, const struct metric_week *w, char *buf, size_t len);

/* render_runs: the collection runs of window period i: "3 (ok 2, partial 1, failed 0)". */
void render_runs(const struct report *r, enum lang lang, int i, char *buf, size_t len);

/*
 * render_week_notes: the notes of window period i, one call of cb per note: its sentence
 * and who has it, "rmo_a, rmo_b" or "all communities" (a note seen everywhere is said
 * once, not once per community). who is cut with "…" past len bytes.
 */
void render_week_notes(const struct report *r, enum lang lang, int i,
                       void (*cb)(void *ud, const char *who, const char *note), void *ud);

/* render_notes: the notes of every period of c's window, or-ed. */
unsigned render_notes(const struct metric_community *c, int nweeks);

#endif
