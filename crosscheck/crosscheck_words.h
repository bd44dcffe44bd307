/* crosscheck_words.h: the cross-check's words (ru/en, keyed by enum lang) and the
 * sentences every format of it shares: the method, coverage, reasons and claims. */
#ifndef VKP_CROSSCHECK_WORDS_H
#define VKP_CROSSCHECK_WORDS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crosscheck.h"
#include "crosscheck_render.h"
#include "lang.h"

/* Fixed words of the cross-check's outputs. */
enum xc_label {
    XL_TITLE,
    XL_SURVEY,
    XL_WINDOW,
    XL_THRESHOLDS,
    XL_COVERAGE,
    XL_MEMBERS,
    XL_ATTRIBUTED,
    XL_ROSTER,
    XL_CITY,
    XL_NO_CITY,
    XL_OUTSIDE,
    XL_DATA,
    XL_COMMUNITY,
    XL_MEMBER_LIST,
    XL_WALL,
    XL_NEVER,
    XL_HIDDEN,
    XL_SUMMARY,
    XL_RESPONDENTS,
    XL_CLAIMED,
    XL_OBSERVED,
    XL_Q13,
    XL_Q14,
    XL_Q16,
    XL_Q17,
    XL_IN_NONE,
    XL_DONT_KNOW,
    XL_NO_ANSWER,
    XL_VERDICTS,
    XL_FOLLOW_UP,
    XL_NOTHING,
    XL_MUNIS,
    XL_COMMENTERS,
    XL_AUTHORS,
    XL_LIKERS,
    XL_REPOSTERS,
    XL_NAMED,
    XL_NOT_NAMED,
    XL_MUNICIPALITY,
    XL_QUESTION,
    XL_VERDICT,
    XL_REASON,
    XL_SURVEYED,
    XL_YES,
    XL_NO,
    XL_UNDECODED,
    XL_NOTE,
    XL_NOT_IN_SURVEY,
    XL_CLAIMS,
    XL_OBSERVED_LC,
    XL_ROSTER_STALE,
    XL_INCOMPLETE_MEMBERS,
    XL_INCOMPLETE_WALLS,
    XL_ATTRIBUTED_MEMBERS,
    XL_OF_RESPONDENTS,
    XL_Q,
    XL_MEMBERS_N,
    XL_UNMAPPED,
    XL_METHOD,
    XL_BY_CITY_ID,
    XL_OF_LISTED,
    XL_CONTENTS,
    XL_GENERATED,
    XL_CHART_VERDICTS,
    XL_CHART_COVERAGE,
    XL_WARNING,
    XL_RMOS,
    XL_COMMUNITIES,
    XL_RESTS_ON,
    XL_EVIDENCE,
    XL_POSTS_BY,
    XL_THREADS_OF,
    XL_PANEL_TITLE,
    XL_SURVEYS,
    XL_CHANGED,
    XL_YEAR,
    XL_WINDOWS,
    XL_COUNT
};

/* [label][lang]: the words; the ladder's levels, the verdicts and the Q13/Q16 answers. */
extern const char *const xc_labels[XL_COUNT][LANG_COUNT];
extern const char *const xc_level_label[4][LANG_COUNT];
extern const char *const xc_verdict_label[XC_NVERDICTS][LANG_COUNT];
extern const char *const xc_list_label[4][LANG_COUNT];
extern const char *const xc_rank_label[4][LANG_COUNT];
/* A follow-up item's rank in a line of text, by enum xc_rank. */
extern const char *const xc_rank_word[4][LANG_COUNT];
/* The heading of each survey question. */
extern const enum xc_label xc_question_label[SURVEY_NQ];

/* Writing state shared by the formats. */
struct xc_out {
    FILE *f;                    /* destination */
    const struct crosscheck *x; /* what is written */
    enum lang lang;             /* of every label */
    char sep;                   /* CSV separator */
    int64_t generated_at;       /* when the output was made */
    const char *tz;             /* the region's time zone, named beside dates */
    const char *salt;           /* key of the evidence authors' pseudonyms */
    int salted;                 /* salt is [survey] pseudonym_salt (else this output's own) */
};

/* LB: label l in o's language; XC_EN: o speaks English. */
#define LB(o, l) xc_labels[l][(o)->lang]
#define XC_EN(o) ((o)->lang == LANG_EN)

/* Lines of the method's legend; at most this many. */
#define LEGEND_LINES 6
/* Bytes of one line of the legend. */
#define LEGEND_LEN 2048
/* Bytes of one warning (xc_warnings). */
#define WARN_LEN 1024

/* xc_day: t as a UTC day "2023-05-01", "-" for 0. */
void xc_day(int64_t t, char *buf, size_t len);

/* xc_date: t as a UTC day the language's way: "01.05.2023" (ru), "2023-05-01" (en). */
void xc_date(const struct xc_out *o, int64_t t, char *buf, size_t len);

/* xc_pct: n of `of` in per cent (0 when of is 0). */
double xc_pct(size_t n, size_t of);

/* xc_percent: n of `of` as the language writes a per cent with `decimals` digits. */
void xc_percent(const struct xc_out *o, size_t n, size_t of, int decimals, char *buf, size_t len);

/* xc_reason_text: why a claim is unverifiable, in words ("" for none). */
void xc_reason_text(const struct xc_out *o, enum xc_reason r, char *buf, size_t len);

/* xc_claim_text: the claimed side of a Q14/Q17 answer. */
const char *xc_claim_text(const struct xc_out *o, const struct xc_level *l);

/* xc_counts_text: "members: 6, commented: 0, ..." */
void xc_counts_text(const struct xc_out *o, const struct xc_counts *n, char *buf, size_t len);

/* xc_muni_label: the municipality's short name, else its name. */
const char *xc_muni_label(const struct xc_muni *xm);

/* xc_legend: the method in words; fills lines[] (each len bytes), returns how many. */
size_t xc_legend(const struct xc_out *o, char lines[][LEGEND_LEN], size_t len);

/* xc_coverage_text: the region's coverage in sentences. */
void xc_coverage_text(const struct xc_out *o, char *buf, size_t len);

/* xc_window_text: "Observation window: the calendar year 2024, 2024-01-01 – 2024-12-31 (local
 * dates, Asia/Yekaterinburg)."; xc_thresholds_text: the [survey] thresholds in a sentence.
 * Every format's header prints them. */
void xc_window_text(const struct xc_out *o, char *buf, size_t len);
void xc_thresholds_text(const struct xc_out *o, char *buf, size_t len);

/* xc_warnings: where the collected history does not cover the window, in sentences; fills
 * lines[] (at most 3, each len bytes), returns how many. */
size_t xc_warnings(const struct xc_out *o, char lines[][WARN_LEN], size_t len);

/* xc_count: n with thousands apart the language's way ("1 488", "1,488"). */
void xc_count(const struct xc_out *o, int64_t n, char *buf, size_t len);

/* xc_muni_coverage_text: a municipality's coverage in words: "of its 1,488 attributed
 * members, all were placed by their profile city". */
void xc_muni_coverage_text(const struct xc_out *o, const struct xc_muni *xm, char *buf, size_t len);

/*
 * xc_comm_listed: whether a municipality's line for community k goes under
 * question family f: of that family and named, with members, or without a claim.
 */
int xc_comm_listed(const struct crosscheck *x, const struct xc_membership *mb, size_t k, int f);

/* xc_render_html: the page (crosscheck_render_html.c). */
void xc_render_html(const void *o);

/* ---- what the single-year output and the panel share ---------------------------- */

struct cJSON;

/* xc_follow_rank: the follow-up class of a cell (comm -1 for Q14/Q17), XC_RANK_NONE if none. */
enum xc_rank xc_follow_rank(const struct crosscheck *x, size_t muni, enum survey_q q, int comm);

/* xc_follow_text: one follow-up item in a sentence: municipality, question, claim,
 * observation, verdict and the members it rests on. */
void xc_follow_text(const struct xc_out *o, const struct xc_follow *it, char *buf, size_t len);

/* xc_follow_counts: "12: 3 overstated, 4 understated on strong evidence, 5 unverifiable". */
void xc_follow_counts(const struct xc_out *o, const struct xc_follow *it, size_t n, char *buf,
                      size_t len);

/* xc_text_follow_up: the ranked list in text, under class headings; year != 0 prefixes it. */
void xc_text_follow_up(const struct xc_out *o, const struct xc_follow *it, size_t n, int year);

/* xc_post_url: "https://vk.com/wall-200000001_17". */
void xc_post_url(const struct xc_post *p, char *buf, size_t len);

/* JSON pieces (crosscheck_render.c): the window, the method with thresholds and legend (added
 * to root), a Q13/Q16 cell, a Q14/Q17 cell with its evidence, a follow-up item. */
struct cJSON *xc_json_window(const struct xc_out *o);
void xc_json_method(const struct xc_out *o, struct cJSON *root);
struct cJSON *xc_json_list(const struct xc_out *o, const struct xc_muni *xm, int f);
struct cJSON *xc_json_level(const struct xc_out *o, const struct xc_muni *xm, int f);
struct cJSON *xc_json_follow(const struct xc_out *o, const struct xc_follow *it);

/* xc_html_evidence: the posts and threads of a Q14/Q17 cell as links a researcher opens. */
void xc_html_evidence(const struct xc_out *o, const struct xc_level *l);

/* xc_html_method: the method's heading and its legend, a paragraph a line. */
void xc_html_method(const struct xc_out *o);

/* xc_html_warnings: the window's warnings, a paragraph each. */
void xc_html_warnings(const struct xc_out *o);

/* xc_out_init: the writing state of x for opt, to out. */
void xc_out_init(struct xc_out *o, const struct crosscheck *x, const struct xc_render_options *opt,
                 FILE *out);

/* One writer per format, each given the same ud (xc_render_formats). */
struct xc_formats {
    void (*text)(const void *ud);
    void (*csv)(const void *ud);
    struct cJSON *(*json)(const void *ud);
    void (*html)(const void *ud);
};

/* xc_render_formats: runs the writer of `format`, then flushes: 0, VKP_EIO or VKP_ENOMEM. */
int xc_render_formats(enum render_format format, const struct xc_formats *w, const void *ud,
                      FILE *out);

/* xc_html_verdict: a verdict's table cell with its reason. */
void xc_html_verdict(const struct xc_out *o, enum xc_verdict v, enum xc_reason r);

#endif
