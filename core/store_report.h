/* store_report.h: the reads of the weekly report (vkpulse report); its SQL is in store_report.c. */
#ifndef VKP_STORE_REPORT_H
#define VKP_STORE_REPORT_H

#include <stdint.h>

#include "store.h"

/*
 * Every read here uses only runs whose status is 'ok' or 'partial' ("usable"
 * runs): a failed or killed run may have left half of its pages behind. Time
 * arguments are unix seconds. Each function returns 0 or a negative vkp error
 * with the detail in store_errmsg(st); a callback returning non-zero stops
 * the walk and its value is returned.
 */

/* One community as the report names it. Strings live until the callback returns. */
struct store_report_community {
    int64_t id;              /* internal id */
    const char *ref;         /* as configured */
    const char *name;        /* from VK; NULL before the first run */
    const char *screen_name; /* from VK; NULL before the first run */
    const char *kind;        /* "rmo" or "community" */
    int64_t vk_id;           /* 0 until known */
    int active;              /* still in the config */
    int64_t first_snapshot;  /* taken_at of its first usable snapshot, 0 if none */
    int64_t like_baseline;   /* taken_at of its first usable snapshot with complete details,
                              * 0 if none: likes found up to then are dated by their post */
};

typedef int (*store_report_community_cb)(void *ud, const struct store_report_community *c);

/* store_report_each_community: every community in id order. */
int store_report_each_community(struct store *st, store_report_community_cb cb, void *ud);

/* One snapshot of one community (snapshot row of a usable run). */
struct store_report_snap {
    int64_t run_id;         /* the run */
    int64_t taken_at;       /* when the run started: the time of everything it saw */
    int64_t members_count;  /* VK's subscriber count (groups.getById) */
    int64_t members_listed; /* size of the complete member list, -1 if not listed */
    int members_ok;         /* the member list was read completely */
    int members_hidden;     /* the group hides its member list */
    int wall_ok;            /* the wall was read completely */
    int details_ok;         /* likes, comments and reposts of changed posts were read */
};

/*
 * store_report_near_snapshot: the usable snapshot of the community nearest
 * to instant t, at most `slack` seconds away, among those that have a
 * subscriber count; of two equally near the earlier wins. *found is 0 when
 * there is none (then *out is zeroed).
 */
int store_report_near_snapshot(struct store *st, int64_t community_id, int64_t t, int64_t slack,
                               struct store_report_snap *out, int *found);

/* Collection runs started in a window [from, to), by status. */
struct store_report_runs {
    int64_t total;   /* all runs */
    int64_t ok;      /* status ok */
    int64_t partial; /* status partial */
    int64_t failed;  /* failed, or killed and still 'running' */
};

int store_report_runs(struct store *st, int64_t from, int64_t to, struct store_report_runs *out);

/* What the usable snapshots of one community taken in [from, to) vouch for. */
struct store_report_snaps {
    int64_t count;          /* usable snapshots */
    int64_t members_ok;     /* of them with a complete member list */
    int64_t members_hidden; /* of them where the member list was hidden */
    int64_t wall_ok;        /* of them with a complete wall */
    int64_t details_ok;     /* of them with complete details */
};

int store_report_snapshots(struct store *st, int64_t community_id, int64_t from, int64_t to,
                           struct store_report_snaps *out);

/*
 * store_report_member_changes: membership intervals opened (*joined; the
 * `initial` ones of a community's first list excluded) and closed (*left)
 * by runs in (after, upto]. A person who left and came back counts once in
 * each.
 */
int store_report_member_changes(struct store *st, int64_t community_id, int64_t after, int64_t upto,
                                int64_t *joined, int64_t *left);

/* Posts dated in [from, to) on the community's wall. */
struct store_report_posts {
    int64_t total;         /* every post */
    int64_t by_members;    /* signed (signer_id) or from a person (suggested post) */
    int64_t reposts_other; /* copy_history names another community's wall */
};

int store_report_post_counts(struct store *st, int64_t community_id, int64_t from, int64_t to,
                             struct store_report_posts *out);

/* Counter order in the arrays below. */
enum { SRC_VIEWS, SRC_LIKES, SRC_COMMENTS, SRC_REPOSTS, SRC_COUNT };

/* One post whose counters a usable run read in (start_run, end_run]. */
struct store_report_post {
    int64_t owner_id;         /* wall: minus the group id */
    int64_t id;               /* post id */
    int64_t date;             /* VK date */
    int64_t from_id;          /* author as VK gives it */
    int64_t signer_id;        /* 0 if unsigned */
    int64_t copy_owner_id;    /* reposted wall, 0 if not a repost */
    int is_pinned;            /* pinned now */
    const char *text;         /* the stored snippet of its text, "" if none; lives until the
                               * callback returns */
    int64_t end[SRC_COUNT];   /* counters of the last usable run <= end_run */
    int has_start;            /* some usable run <= start_run read it */
    int64_t start[SRC_COUNT]; /* counters of the last usable run <= start_run, else 0 */
};

typedef int (*store_report_post_cb)(void *ud, const struct store_report_post *p);

/*
 * store_report_post_deltas: the posts of the community's wall (owner_id)
 * that usable runs with ids in (start_run, end_run] read, with their
 * counters at both ends, in post id order. Runs are numbered in time order,
 * so "the last run <= end_run" is the newest reading at the end snapshot.
 * Posts no run re-read in the interval are left out: no change was observed.
 */
int store_report_post_deltas(struct store *st, int64_t owner_id, int64_t start_run, int64_t end_run,
                             store_report_post_cb cb, void *ud);

/*
 * store_report_latest_posts: the posts of the community (internal id) dated
 * in [from, to), each with the counters of the newest usable run that read
 * it (end[]; start[] is zero and has_start 1), in post id order. Posts no
 * usable run read are left out. *taken_at (may be NULL) gets the newest
 * reading's time, 0 if none.
 */
int store_report_latest_posts(struct store *st, int64_t community_id, int64_t from, int64_t to,
                              store_report_post_cb cb, void *ud, int64_t *taken_at);

/* What carries a VK date, on the community's posts, dated in [from, to). */
struct store_report_dated {
    int64_t comments; /* comments and replies (deleted placeholders included, as VK counts) */
    int64_t reposts;  /* listed reposts (those sent by message have no date) */
};

int store_report_dated(struct store *st, int64_t community_id, int64_t from, int64_t to,
                       struct store_report_dated *out);

/*
 * store_report_stat_net: from stats.get day figures of the community,
 * *net = subscribed - unsubscribed summed over the days starting in
 * [from, to), and *first_day = the oldest stored day (0 when none).
 */
int store_report_stat_net(struct store *st, int64_t community_id, int64_t from, int64_t to,
                          int64_t *net, int64_t *first_day);

/* stats.get days of a community in a period [from, to). */
struct store_report_reach {
    int64_t days;         /* days stored */
    int64_t reach;        /* their reach summed */
    int64_t visitors;     /* their visitors summed */
    int64_t reach_days;   /* days with a reach figure */
    int64_t visitor_days; /* days with a visitors figure */
};

/* store_report_last_post: the date of the community's newest post dated before `before`
 * (*date 0 when none). */
int store_report_last_post(struct store *st, int64_t community_id, int64_t before, int64_t *date);

/* store_report_stat_reach: the stats.get days starting in [from, to). */
int store_report_stat_reach(struct store *st, int64_t community_id, int64_t from, int64_t to,
                            struct store_report_reach *out);

/* Joins and leaves of a period from stats.get days (subscribed, unsubscribed). */
struct store_report_stat_moves {
    int64_t subscribed;   /* summed over the days starting in [from, to) */
    int64_t unsubscribed; /* the same */
    int64_t first_day;    /* the oldest stored day, 0 when none */
    int64_t last_day;     /* the newest */
};

int store_report_stat_moves(struct store *st, int64_t community_id, int64_t from, int64_t to,
                            struct store_report_stat_moves *out);

/*
 * One person who may have been active on the community in a period. Active
 * people are everyone who commented, reposted, liked or authored a post, each
 * act dated by the activity view (schema/0013_series.sql): comments, reposts
 * and posts by their VK dates, a like by its bracket between two collections
 * (or its post's date when the first collection found it). The weekly digest
 * shows the report's figure.
 */
struct store_report_active {
    int64_t user_id;        /* VK user id */
    int member;             /* member at the `member_at` instant */
    int active;             /* some act dated in [from, to): counted in the figure */
    int sure;               /* some act certainly in it (a like's whole bracket inside) */
    int64_t likes;          /* likes dated in [from, to) */
    int64_t comments;       /* comments and replies dated in [from, to) */
    int64_t reposts;        /* reposts to their wall dated in [from, to) */
    int64_t posts;          /* posts authored (signed, or a member's post) dated in [from, to) */
    int64_t city_id;        /* profile city, 0 if none */
    const char *city_title; /* NULL if none; lives until the callback returns */
};

typedef int (*store_report_active_cb)(void *ud, const struct store_report_active *a);

/*
 * store_report_actives: everyone whose act may lie in [from, to) (the
 * figure's upper bound), in user id order: `active` for those counted (an
 * act dated in it), `sure` for the lower bound (an act certainly in it).
 * sure implies active.
 */
int store_report_actives(struct store *st, int64_t community_id, int64_t from, int64_t to,
                         int64_t member_at, store_report_active_cb cb, void *ud);

/* One member; city_title lives until the callback returns. */
struct store_report_member {
    int64_t user_id;        /* VK user id */
    int64_t city_id;        /* profile city, 0 if none */
    const char *city_title; /* NULL if none */
};

typedef int (*store_report_member_cb)(void *ud, const struct store_report_member *m);

/* store_report_members_at: the members of the community at instant t, in user id order. */
int store_report_members_at(struct store *st, int64_t community_id, int64_t t,
                            store_report_member_cb cb, void *ud);

#endif
