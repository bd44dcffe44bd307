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
    int64_t members_at;      /* last complete member list at or before `to`, 0 if none */
    int members_hidden;      /* the latest snapshot found the member list hidden */
    int64_t wall_first;      /* first complete wall read, 0 if none */
    int64_t wall_last;       /* last complete wall read at or before `to`, 0 if none */
};

typedef int (*store_xc_community_cb)(void *ud, const struct store_xc_community *c);

/* store_xc_each_community: the active communities in id order, with their data state at `to`. */
int store_xc_each_community(struct store *st, int64_t to, store_xc_community_cb cb, void *ud);

/*
 * store_xc_last_run: the end of the newest run with status ok or partial
 * (its finished_at), or 0 in *at when there is none.
 */
int store_xc_last_run(struct store *st, int64_t *at);

#endif
