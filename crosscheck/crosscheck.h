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
 * every result). The observed level of a municipality in one family of
 * communities (the RMOs of Q13/Q14, or the professional communities of
 * Q16/Q17) comes from the members attributed to it (attribution.h),
 * counted once each over the family:
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
 *                are attributed to the municipality (absence of attributed
 *                members is no evidence), less than min_coverage of the
 *                region's members are attributed, or, for claims above
 *                "registered", the walls do not cover the window.
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

/* Q14 or Q17 of one municipality. */
struct xc_level {
    enum xc_verdict verdict;    /* see above */
    enum xc_reason reason;      /* for XC_UNVERIFIABLE */
    enum survey_level claimed;  /* when answered with a level */
    enum survey_level observed; /* from the counts */
    struct xc_counts n;         /* over the family's communities */
};

/* Q13 or Q16 for one community of one municipality. */
struct xc_membership {
    int claimed;             /* the answer names this community */
    enum xc_verdict verdict; /* see above */
    enum xc_reason reason;   /* for XC_UNVERIFIABLE */
    struct xc_counts n;      /* in this community */
};

/* One municipality of the map. */
struct xc_muni {
    const struct muni *m;                   /* from the map */
    int surveyed;                           /* has a row in the survey */
    enum xc_list_answer list[XC_NFAMILIES]; /* Q13, Q16 as a whole */
    struct xc_level level[XC_NFAMILIES];    /* Q14, Q17 */
    struct xc_membership *comm;             /* Q13/Q16 per community [ncomms] */
    int64_t attributed;                     /* distinct members attributed */
    int64_t by_roster;                      /* of them through the roster */
    int64_t by_city;                        /* of them through their profile city */
    int64_t roster_expected;                /* roster entries naming the municipality */
    int follow_up;                          /* some verdict calls for a question */
};

/* One configured community and what the data can vouch for. */
struct xc_community {
    int64_t id;            /* internal id */
    char *ref;             /* as configured */
    char *survey_name;     /* the survey's wording */
    enum xc_family family; /* rmo or community */
    int64_t members_at;    /* last complete member list, 0 if none */
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
    int weeks;                           /* window length */
    int64_t from, to;                    /* the window [from, to); to = end of last run */
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
};

/*
 * crosscheck_run: computes the cross-check of survey `year` over the
 * `weeks` weeks before the end of the last ok or partial run, with the
 * thresholds of cfg's [survey]. Returns 0 and *out (free with
 * crosscheck_free), or a negative vkp error with a message in err:
 * VKP_ENOTFOUND when the year was never imported or nothing was collected
 * yet, store errors, VKP_ENOMEM.
 */
int crosscheck_run(struct store *st, const struct config *cfg, const struct muni_map *map,
                   struct attribution *attr, int year, int weeks, struct crosscheck **out,
                   char *err, size_t errlen);

/* crosscheck_free: NULL is a no-op. */
void crosscheck_free(struct crosscheck *x);

/* Names used by the JSON output and the tests: "consistent", "low_coverage", "discusses" ... */
const char *xc_verdict_name(enum xc_verdict v);
const char *xc_reason_name(enum xc_reason r);
const char *xc_level_name(enum survey_level l);

/*
 * crosscheck_export_members: the member-level rows of the window for
 * research, one per community and person, with the VK id replaced by
 * HMAC-SHA256(salt, id) (hex) and no names: pseudonym, community,
 * municipality, attribution, member, comments, posts, likes, reposts. CSV
 * (UTF-8 with BOM, separator sep) to out. VKP_ECONFIG when salt is shorter
 * than 16 characters.
 */
int crosscheck_export_members(struct store *st, struct attribution *attr, int64_t from, int64_t to,
                              const char *salt, char sep, FILE *out, char *err, size_t errlen);

#endif
