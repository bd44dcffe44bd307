/* store_survey.h: the store's reads and writes for the survey, the roster and the crosscheck. */
#ifndef VKP_STORE_SURVEY_H
#define VKP_STORE_SURVEY_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* One chosen answer option of one municipality, as stored in survey_response. */
struct store_survey_answer {
    const char *municipality; /* official name from the municipality map */
    const char *question;     /* "13", "14", "16" or "17" */
    const char *code;         /* "13.2", "14.5" ... */
    const char *answer;       /* the wording as it was in the file */
};

/*
 * store_survey_replace: make year hold exactly these n answers of `rows`
 * responding municipalities: the year's earlier import, if any, is deleted
 * first. All in one transaction: on any error nothing changes. Returns 0 or
 * a negative vkp error (store_errmsg says what).
 */
int store_survey_replace(struct store *st, int year, int64_t now, const char *source, int rows,
                         const struct store_survey_answer *a, size_t n);

/* One imported year, for `survey list`. */
struct store_survey_year {
    int year;            /* survey year */
    int64_t imported_at; /* when */
    const char *source;  /* file name as given */
    int rows;            /* responding municipalities */
    int64_t answers;     /* answer options stored */
};

typedef int (*store_survey_year_cb)(void *ud, const struct store_survey_year *y);

/* store_survey_each_year: every imported year, oldest first; cb may stop by returning non-zero. */
int store_survey_each_year(struct store *st, store_survey_year_cb cb, void *ud);

typedef int (*store_survey_answer_cb)(void *ud, const struct store_survey_answer *a);

/*
 * store_survey_each_answer: the stored answers of year, ordered by
 * municipality, question, code. *rows gets the number of responding
 * municipalities. VKP_ENOTFOUND (with a message) when the year was never
 * imported.
 */
int store_survey_each_answer(struct store *st, int year, int *rows, store_survey_answer_cb cb,
                             void *ud);

/* One roster entry. */
struct store_roster_entry {
    int64_t user_id;          /* VK user id */
    const char *municipality; /* official name */
    int row;                  /* row of the roster file */
};

/* store_roster_replace: the roster becomes exactly these n entries (one transaction). */
int store_roster_replace(struct store *st, int64_t now, const char *source,
                         const struct store_roster_entry *e, size_t n);

typedef int (*store_roster_cb)(void *ud, const struct store_roster_entry *e);

/* store_roster_each: every roster entry in user id order. */
int store_roster_each(struct store *st, store_roster_cb cb, void *ud);

/*
 * What the database can vouch for about one configured community at time
 * `to`, counting only runs with status ok or partial.
 */
struct store_xc_community {
    int64_t id;              /* internal id */
    const char *ref;         /* as configured */
    const char *kind;        /* "rmo" or "community" */
    const char *survey_name; /* the survey's wording for it */
    int64_t members_at;      /* last complete member list at or before `to`, else the first
                              * complete one after it (store_xc_member), 0 if none */
    int members_hidden;      /* the latest snapshot found the member list hidden */
    int64_t wall_first;      /* first complete wall read, 0 if none */
    int64_t wall_last; /* last complete wall read (whatever `to`: it holds the past), 0 if none */
};

typedef int (*store_xc_community_cb)(void *ud, const struct store_xc_community *c);

/* store_xc_each_community: the active communities in id order, with their data state at `to`. */
int store_xc_each_community(struct store *st, int64_t to, store_xc_community_cb cb, void *ud);

/*
 * One member of a configured (active) community at a moment, for the
 * crosscheck. VK gives no join dates: the members of a community's first
 * complete list are taken to have been members since before any window
 * (their interval is `initial`), so a window before the first collection
 * rests on that first list.
 */
struct store_xc_member {
    int64_t community_id;   /* internal community id */
    int64_t user_id;        /* VK user id */
    int64_t city_id;        /* from the profile, 0 if none */
    const char *city_title; /* NULL if none */
};

typedef int (*store_xc_member_cb)(void *ud, const struct store_xc_member *m);

/* store_xc_each_member: the members at `at` (the rule above), ordered by community and user. */
int store_xc_each_member(struct store *st, int64_t at, store_xc_member_cb cb, void *ud);

/* What a person did on a community's wall. */
enum store_act_kind { STORE_ACT_COMMENT, STORE_ACT_POST, STORE_ACT_LIKE, STORE_ACT_REPOST };

/* One act dated in a window, by the activity view's dating rule (posts by their date). */
struct store_xc_act {
    int64_t community_id;     /* internal community id */
    int64_t user_id;          /* who (> 0) */
    enum store_act_kind kind; /* what */
    int64_t owner_id;         /* the post it is on, or the post authored: wall owner */
    int64_t post_id;          /* ... and post id */
    int64_t at;               /* when */
};

typedef int (*store_xc_act_cb)(void *ud, const struct store_xc_act *a);

/*
 * store_xc_each_act: every comment, authored post (signer_id, else a
 * person's from_id), like and repost dated in [from, to), ordered by
 * community and user.
 */
int store_xc_each_act(struct store *st, int64_t from, int64_t to, store_xc_act_cb cb, void *ud);

/*
 * store_xc_last_run: the end of the newest run with status ok or partial
 * (its finished_at), or 0 in *at when there is none.
 */
int store_xc_last_run(struct store *st, int64_t *at);

#endif
