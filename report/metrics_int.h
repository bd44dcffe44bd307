/* metrics_int.h: what the report's files share (metrics.c, metrics_history.c,
 * metrics_people.c); no other module includes this. */
#ifndef VKP_METRICS_INT_H
#define VKP_METRICS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "store_report.h"

struct attribution;

/* ---- people: members and actives gathered for the network figures ---------------------- */

/* P_ACTIVE: counted active (an act dated in the period); P_SURE: certainly active (the
 * figure's lower bound); P_MAYBE: possibly active (its upper bound). */
enum { P_MEMBER = 1, P_ACTIVE = 2, P_SURE = 4, P_MAYBE = 8 };
#define MUNI_OUTSIDE (-1) /* a city the attribution places in no municipality */
#define MUNI_NO_CITY (-2) /* no city in the profile */

/* One (person, community) fact. */
struct person {
    int64_t uid;   /* VK user id */
    int32_t com;   /* community index in the report */
    int32_t muni;  /* map index, MUNI_OUTSIDE or MUNI_NO_CITY */
    uint8_t flags; /* P_MEMBER, P_ACTIVE, P_SURE, P_MAYBE */
    uint8_t level; /* ladder rung + 1 for members, 0 otherwise */
};

/* A growable array of people; capped so a hostile database cannot eat the machine. */
struct pvec {
    struct person *v; /* the items */
    size_t n, cap;    /* used, allocated */
};

#define PVEC_MAX ((size_t)1 << 28)

/* ---- the build's working state ----------------------------------------------------------- */

/* What the store says about a community, kept for the whole build. */
struct com_info {
    int64_t first_snapshot; /* first usable snapshot, 0 if none */
    int64_t like_baseline;  /* first snapshot with complete details, 0 if none */
    int64_t first_members;  /* subscribers (VK's count) at the first snapshot, -1 unknown */
    int first_wall_ok;      /* the first snapshot read the wall (back to the horizon) */
    int first_details_ok;   /* ... and the comments and reposts of its posts */
};

struct build {
    struct store *st;               /* the source */
    const struct report_options *o; /* what to build */
    struct report *r;               /* what is built */
    struct com_info *info;          /* per community */
    struct pvec week_people;        /* the current week: members and actives, all communities */
    struct pvec report_people;      /* the report week's, kept for the network view */
    struct pvec ladder_now, ladder_prev; /* participants of the two periods */
    struct attribution *attr;            /* who lives where, as the cross-check decides */
    char *err;                           /* message buffer */
    size_t errlen;
};

static inline void set(struct metric_week *w, enum metric_id m, double v, enum metric_state st)
{
    w->m[m].v = v;
    w->m[m].state = st;
}

static inline enum metric_state worse(enum metric_state a, enum metric_state b)
{
    return a > b ? a : b;
}

/* Sets a count of people with its bounds: approximate when they differ. */
static inline void set_bounded(struct metric_week *w, enum metric_id m, int64_t v, int64_t lo,
                               int64_t hi, enum metric_state st)
{
    set(w, m, (double)v, lo == hi ? st : worse(st, MS_APPROX));
    w->m[m].bounded = lo != hi;
    w->m[m].lo = (double)lo;
    w->m[m].hi = (double)hi;
    if (lo != hi)
        w->notes |= NOTE_LIKES_BRACKET;
}

/* Sums the counter changes of the posts read between two snapshots. */
struct delta_acc {
    const struct week *wk;     /* the week: its own posts are those dated in it */
    int64_t start_at;          /* the start snapshot's time */
    int64_t gained[SRC_COUNT]; /* positive changes, per counter */
    int64_t withdrawn;         /* likes + comments + reposts that went down */
    int64_t own[SRC_COUNT];    /* the week's own posts: their counters at the end */
    int down;                  /* some counter went down */
    int64_t skipped;           /* older posts with no reading at the start */
    int64_t own_n;             /* the week's own posts counted in own[] */
    double er_view_sum;        /* sum over them of reactions / views, where views > 0 */
    int64_t er_view_n;         /* how many had views */
    struct metric_post *posts; /* the week's own posts, when collecting them */
    size_t nposts, cap;
    int collect; /* collect own posts into posts */
};

/* Counts one community's actives of a week and keeps them for the network: the
 * counted ones, and the lower and upper bounds (certainly, possibly active). */
struct active_acc {
    struct build *b;
    int32_t com;
    int64_t people, members;
    int64_t people_lo, people_hi, members_lo, members_hi;
};

/* metrics.c: the per-week pieces the other files reuse. */
int metrics_muni_index(const struct build *b, int64_t user_id, int64_t city_id, const char *title);
int metrics_active_people(struct build *b, size_t ci, const struct week *w, int64_t member_at,
                          enum metric_state st, struct metric_week *mw, struct active_acc *acc);

/* metrics_posts.c: the period's posts, their counters, the rates, the best time to post. */
int metrics_on_delta(void *ud, const struct store_report_post *p);
void metrics_own_take(struct build *b, struct metric_community *mc, struct metric_week *mw,
                      struct delta_acc *acc, enum metric_state st);
void metrics_rates(struct metric_week *mw);
int metrics_stats_reach(struct build *b, size_t ci, const struct week *w, struct metric_week *mw);
int metrics_posts_finish(struct build *b);
void metrics_posts_free(struct metric_post *p, size_t n);

/* metrics_history.c: periods before a community's first collection. */
int metrics_own_from_latest(struct build *b, size_t ci, int wi, struct metric_week *mw,
                            enum metric_state st);
int metrics_subs_history(struct build *b, size_t ci, const struct week *w, struct metric_week *mw);
int metrics_dated_figures(struct build *b, size_t ci, const struct week *w, struct metric_week *mw,
                          enum metric_state details);
int metrics_history_week(struct build *b, size_t ci, int wi, struct metric_week *mw);

/* metrics_people.c: distinct people: the network row, the ladder, the network view. */
int metrics_pvec_push(struct pvec *a, const struct person *p);
int metrics_by_uid(const void *a, const void *b);
int metrics_by_com_uid(const void *a, const void *b);
void metrics_network_week(struct build *b, int wi);
int metrics_ladders(struct build *b);
int metrics_network_view(struct build *b);

#endif
