/* crosscheck.h: each municipality's survey answers set against what its members were seen doing. */
#ifndef VKP_CROSSCHECK_H
#define VKP_CROSSCHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "attribution.h"
#include "store_region.h"
#include "survey.h"

struct config;
struct muni;
struct muni_map;
struct store;

/*
 * The method (README "Survey cross-check"; crosscheck_render prints it with
 * every result). The window is the period the survey describes (the
 * calendar year Y, or the school year ending in it; xc_window), or dates or
 * weeks chosen on the command line. A question rests on the municipality's
 * members attributed (attribution.h) in the communities it is about: Q13/Q14
 * on those in the RMOs, Q16/Q17 on those in the professional communities —
 * members at the end of the window (VK gives no join dates: a community's
 * first complete member list stands for the time before it). Only those
 * members count as the municipality's authors, commenters, likers and
 * reposters; each person is counted once over the family:
 *   contributes  at least min_contributors authored a post in the window;
 *   discusses    else at least min_discussants commented in the window, and
 *                they are at least min_discussant_share of its members there;
 *   registered   else at least one is a member at the end of the window;
 *   none         else.
 * Every claim, of every question, is then judged by one rule
 * (xc_judge): Q14/Q17 claim a level; Q13/Q16 claim "registered" in each
 * community named and "none" in each one left out.
 *   unverifiable when the member lists are incomplete (reason no_member_list);
 *   understated  when more was observed (seen activity is firm evidence);
 *   consistent   when the observed level equals the claim;
 *   overstated   when less was observed and the evidence can carry it;
 *   unverifiable when less was observed but fewer than min_members members
 *                are attributed to the municipality in the question's
 *                communities (absence of attributed members is no evidence),
 *                less than min_coverage of the region's members are
 *                attributed, or, for claims above "registered", the
 *                collected walls do not cover the window.
 * "Don't know" answers, questions left blank and municipalities absent
 * from the survey get the observed level as information, no verdict.
 */

/* The two families of communities and their questions. */
enum xc_family { XC_RMO, XC_PROF, XC_NFAMILIES };

/* Verdicts, and the informational states that are not verdicts. */
enum xc_verdict {
    XC_CONSISTENT,
    XC_OVERSTATED,
    XC_UNDERSTATED,
    XC_UNVERIFIABLE,
    XC_DONT_KNOW,    /* answered "we don't know": the observed level is information */
    XC_NO_ANSWER,    /* the municipality left this question blank */
    XC_NOT_SURVEYED, /* the municipality is not in the survey */
    XC_NVERDICTS
};

/* Why a claim is unverifiable. */
enum xc_reason {
    XC_R_NONE,
    XC_R_FEW_MEMBERS,      /* fewer than min_members attributed to the municipality */
    XC_R_LOW_COVERAGE,     /* less than min_coverage of the region's members attributed */
    XC_R_NO_MEMBER_LIST,   /* a community of the family has no complete member list */
    XC_R_NO_ACTIVITY_DATA, /* walls not read completely, or not back to the window's start */
    XC_NREASONS
};

/* What a Q13/Q16 answer said as a whole. */
enum xc_list_answer { XC_LIST_NO_ANSWER, XC_LIST_NAMED, XC_LIST_NONE, XC_LIST_DONT_KNOW };

/* Distinct attributed people. */
struct xc_counts {
    int64_t members;    /* members at the end of the window */
    int64_t commenters; /* commented (replies included) in the window */
    int64_t authors;    /* authored a post in the window */
    int64_t likers;     /* liked (first seen) in the window: a weaker signal */
    int64_t reposters;  /* reposted to their wall in the window: a weaker signal */
};

/* A post that makes "contributes": authored by a counted member (evidence). */
struct xc_post {
    int64_t owner_id; /* wall owner (-group id) */
    int64_t post_id;  /* post id */
    int64_t date;     /* VK's date */
    int64_t author;   /* VK user id: renderers show only its pseudonym */
};

/* A thread (a post's comments) a counted member commented in (evidence). */
struct xc_thread {
    int64_t owner_id; /* wall owner (-group id) */
    int64_t post_id;  /* post id */
};

/* Q14 or Q17 of one municipality. */
struct xc_level {
    enum xc_verdict verdict;         /* see above */
    enum xc_reason reason;           /* for XC_UNVERIFIABLE */
    enum survey_level claimed;       /* when answered with a level */
    enum survey_level observed;      /* from the counts */
    struct xc_counts n;              /* over the family's communities; n.members is the basis */
    const struct xc_post *posts;     /* posts of its counted authors, oldest first */
    size_t nposts;                   /* how many */
    const struct xc_thread *threads; /* threads its counted commenters commented in */
    size_t nthreads;                 /* how many */
};

/* Q13 or Q16 for one community of one municipality. */
struct xc_membership {
    int claimed;             /* the answer names this community */
    enum xc_verdict verdict; /* see above */
    enum xc_reason reason;   /* for XC_UNVERIFIABLE */
    struct xc_counts n;      /* members of this community and what they did in it */
};

/* What needs a researcher's action, most urgent first (x->follow). */
enum xc_rank {
    XC_RANK_NONE,        /* nothing to follow up */
    XC_RANK_OVERSTATED,  /* the claim is above what the evidence shows */
    XC_RANK_UNDERSTATED, /* more was seen than claimed, on strong evidence */
    XC_RANK_UNVERIFIABLE /* the evidence cannot judge a shortfall */
};

/* One item of the follow-up list. */
struct xc_follow {
    size_t muni;       /* index into x->munis */
    enum survey_q q;   /* the question */
    int comm;          /* Q13/Q16: index into x->comms; -1 for Q14/Q17 */
    enum xc_rank rank; /* its class */
    int gap;           /* levels between claim and observation (strength within the class) */
    int64_t basis;     /* attributed members the verdict rests on */
};

/* One municipality of the map. */
struct xc_muni {
    const struct muni *m;                       /* from the map */
    int surveyed;                               /* has a row in the survey */
    enum xc_list_answer list[XC_NFAMILIES];     /* Q13, Q16 as a whole */
    enum xc_verdict list_verdict[XC_NFAMILIES]; /* Q13, Q16 as a whole (xc_list_verdict) */
    struct xc_level level[XC_NFAMILIES];        /* Q14, Q17 */
    struct xc_membership *comm;                 /* Q13/Q16 per community [ncomms] */
    int64_t attributed;                         /* distinct members attributed */
    int64_t by_roster;                          /* of them through the roster */
    int64_t by_city;                            /* of them through their profile city */
    int64_t roster_expected;                    /* roster entries naming the municipality */
    int follow_up;                              /* some item of x->follow is about it */
};

/* One configured community and what the data can vouch for. */
struct xc_community {
    int64_t id;            /* internal id */
    char *ref;             /* as configured */
    char *survey_name;     /* the survey's wording */
    enum xc_family family; /* rmo or community */
    int64_t members_at;    /* the member list the window rests on, 0 if none */
    int members_projected; /* that list is later than the window's end (the first one) */
    int members_hidden;    /* the group hides its members */
    int64_t wall_first;    /* first complete wall read, 0 if none */
    int64_t wall_last;     /* last complete wall read, 0 if none */
    int64_t members;       /* members at the end of the window */
    int64_t attributed;    /* of them attributed to a municipality */
};

/* The thresholds, from [survey]. */
struct xc_thresholds {
    int min_members;             /* attributed members of a municipality for any shortfall */
    double min_coverage;         /* attributed share of the region for any shortfall */
    int min_discussants;         /* commenters for "discusses" */
    double min_discussant_share; /* ... and their share of the attributed members */
    int min_contributors;        /* authors for "contributes" */
};

/*
 * xc_observed_level: the level counts n show under th (the rule above).
 * The share is compared in whole people, so that 3 commenters of 30
 * members meet 10 % whatever binary floating point makes of 0.1 * 30.
 */
enum survey_level xc_observed_level(const struct xc_counts *n, const struct xc_thresholds *th);

/* xc_discussants_needed: commenters "discusses" needs among `members` attributed members. */
int64_t xc_discussants_needed(const struct xc_thresholds *th, int64_t members);

/*
 * xc_judge: the one rule of every question. claimed against observed for a
 * municipality with `attributed` members attributed, in a region where
 * `coverage` of the members are attributed; members_complete and
 * activity_complete say whether the member lists and walls cover the
 * window. *why gets the reason of an unverifiable verdict (else XC_R_NONE).
 */
enum xc_verdict xc_judge(const struct xc_thresholds *th, double coverage, int members_complete,
                         int activity_complete, int64_t attributed, enum survey_level claimed,
                         enum survey_level observed, enum xc_reason *why);

/* How the window was chosen. */
enum xc_window_kind {
    XC_WIN_CALENDAR,    /* the survey year, 1 January to 31 December ([survey] period) */
    XC_WIN_SCHOOL_YEAR, /* 1 September of Y-1 to 31 August of Y */
    XC_WIN_DATES,       /* --from/--to */
    XC_WIN_WEEKS,       /* --window: weeks before the last collection */
    XC_NWINDOWS
};

/* The window asked for (xc_window_for_year, or dates, or weeks). */
struct xc_window {
    enum xc_window_kind kind; /* how chosen */
    int64_t from, to;         /* [from, to), local midnights; unused for XC_WIN_WEEKS */
    int weeks;                /* XC_WIN_WEEKS: how many */
};

/*
 * xc_window_for_year: the period the survey of `year` describes, in the
 * local zone (week_zone_set): kind XC_WIN_CALENDAR or XC_WIN_SCHOOL_YEAR.
 * VKP_EUSAGE for a year out of range.
 */
int xc_window_for_year(enum xc_window_kind kind, int year, struct xc_window *w);

/* xc_window_kind_parse: "calendar", "school-year" or "weeks" (the [survey] period key). */
int xc_window_kind_parse(const char *name, enum xc_window_kind *out);

/* xc_session_salt: a random salt (hex) for pseudonyms valid in one output only. */
int xc_session_salt(char hex[65]);

/* Claimed beside observed answers of the responding municipalities. */
struct xc_summary {
    size_t claimed_comm[64];                  /* per community: named by */
    size_t observed_comm[64];                 /* per community: has attributed members */
    size_t list[XC_NFAMILIES][4];             /* Q13/Q16 by enum xc_list_answer */
    size_t observed_none[XC_NFAMILIES];       /* no attributed member in the family */
    size_t claimed_level[XC_NFAMILIES][4];    /* Q14/Q17 by level */
    size_t level_dont_know[XC_NFAMILIES];     /* Q14/Q17 "don't know" */
    size_t level_no_answer[XC_NFAMILIES];     /* Q14/Q17 blank */
    size_t observed_level[XC_NFAMILIES][4];   /* observed level by level */
    size_t verdicts[SURVEY_NQ][XC_NVERDICTS]; /* Q13, Q14, Q16, Q17 */
};

/* The whole result. */
struct crosscheck {
    int year;                            /* survey year */
    enum xc_window_kind wkind;           /* how the window was chosen */
    int weeks;                           /* XC_WIN_WEEKS: window length */
    int64_t from, to;                    /* the window [from, to) */
    int64_t last_run;                    /* end of the last ok or partial run */
    int64_t seen_to;                     /* min(to, last_run): observed up to here */
    int64_t history_from;                /* walls are read back to here (0: to the first post) */
    int members_projected;               /* a member list of a community is after the window */
    struct xc_thresholds th;             /* as applied */
    size_t respondents;                  /* rows of the import */
    struct xc_community *comms;          /* active communities, id order */
    size_t ncomms;                       /* how many (at most 64) */
    struct xc_muni *munis;               /* every municipality of the map, map order */
    size_t nmunis;                       /* how many */
    int64_t members;                     /* distinct members at `to` */
    int64_t by_source[ATTR_NSOURCES];    /* of them, by how they were attributed */
    enum attr_method method;             /* how profile cities were placed */
    struct store_region_info directory;  /* the directory's sync (synced_at 0: none) */
    size_t localities, mapped;           /* localities of the directory, of them mapped */
    double coverage;                     /* (roster + city) / members, 0 if none */
    int members_complete[XC_NFAMILIES];  /* every community has a complete member list */
    int activity_complete[XC_NFAMILIES]; /* every wall read completely back to `from` */
    size_t roster, roster_stale;         /* roster entries used and skipped */
    size_t undecoded;                    /* stored answers the config no longer knows */
    struct xc_summary sum;               /* the region summary */
    struct xc_post *posts;               /* evidence, grouped by municipality and family */
    size_t nposts;                       /* how many */
    struct xc_thread *threads;           /* evidence, grouped by municipality and family */
    size_t nthreads;                     /* how many */
    struct xc_follow *follow;            /* what to follow up, most urgent first */
    size_t nfollow;                      /* how many */
};

/* xc_open: the window runs past the last collection. */
#define xc_open(x) ((x)->to > (x)->last_run)
/* xc_walls_short: the walls are not read back to the window's start. */
#define xc_walls_short(x) ((x)->history_from > (x)->from)
/* xc_covered: the collected history covers the whole window. */
#define xc_covered(x) (!xc_open(x) && !xc_walls_short(x))

/*
 * crosscheck_run: computes the cross-check of survey `year` over window w
 * (XC_WIN_WEEKS: the weeks before the end of the last ok or partial run),
 * with the thresholds of cfg's [survey]. Returns 0 and *out (free with
 * crosscheck_free), or a negative vkp error with a message in err:
 * VKP_ENOTFOUND when the year was never imported, nothing was collected
 * yet, or the window starts after the last collection; store errors,
 * VKP_ENOMEM.
 */
int crosscheck_run(struct store *st, const struct config *cfg, const struct muni_map *map,
                   struct attribution *attr, int year, const struct xc_window *w,
                   struct crosscheck **out, char *err, size_t errlen);

/*
 * xc_list_verdict: Q13/Q16 as a whole: overstated when any community's
 * claim is, else understated, else unverifiable, else consistent; the
 * informational states (don't know, ...) as they are.
 */
enum xc_verdict xc_list_verdict(const struct crosscheck *x, const struct xc_muni *xm, int f);

/*
 * xc_rank_follow_up: fills x->follow (the judged x, before rendering):
 * overstated claims first, then understated ones on strong evidence (seen
 * discussing or contributing, or at least min_members members seen where
 * none or less was claimed), unverifiable last; within a class the larger
 * gap, then the larger basis first. Sets each municipality's follow_up.
 * 0 or VKP_ENOMEM.
 */
int xc_rank_follow_up(struct crosscheck *x);

/* xc_rank_name: "overstated", "understated", "unverifiable" ("" for none). */
const char *xc_rank_name(enum xc_rank r);

/*
 * xc_pseudonym: the pseudonym of VK user `id` under salt: HMAC-SHA256(salt,
 * id) in hex, as crosscheck_export_members writes it. 0 or VKP_ENOMEM.
 */
int xc_pseudonym(const char *salt, int64_t id, char hex[65]);

/* crosscheck_free: NULL is a no-op. */
void crosscheck_free(struct crosscheck *x);

/* Names used by the JSON output and the tests: "consistent", "low_coverage", "discusses" ... */
const char *xc_verdict_name(enum xc_verdict v);
const char *xc_reason_name(enum xc_reason r);
const char *xc_level_name(enum survey_level l);

/*
 * crosscheck_export_members: the member-level rows of the window for
 * research, one per community and person (members at member_at: 0 for `to`), with the VK id
 * replaced by HMAC-SHA256(salt, id) (hex) and no names: pseudonym, community, municipality,
 * attribution, member, comments, posts, likes, reposts. CSV (UTF-8 with BOM, separator sep) to out.
 * VKP_ECONFIG when salt is shorter than 16 characters.
 */
int crosscheck_export_members(struct store *st, struct attribution *attr, int64_t from, int64_t to,
                              int64_t member_at, const char *salt, char sep, FILE *out, char *err,
                              size_t errlen);

/* xc_member_list_at: when the member lists the cross-check rests on were taken: the window's
 * end, or the latest first list taken after it (the export's member_at). */
int64_t xc_member_list_at(const struct crosscheck *x);

#endif
