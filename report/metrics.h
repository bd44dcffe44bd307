/* metrics.h: the weekly report's figures per community and week, the ladder and the network view.
 */
#ifndef VKP_METRICS_H
#define VKP_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "lang.h"
#include "week.h"

struct store;
struct muni;
struct muni_map;

/*
 * How far a figure can be trusted. Missing figures are never printed as 0:
 * renderers show "n/a" (or null in JSON) and the week's notes say why.
 */
enum metric_state {
    MS_OK,      /* measured from data that vouches for it */
    MS_APPROX,  /* measured, but from incomplete data (see the notes) */
    MS_MISSING, /* cannot be measured for this week */
};

/*
 * The figures of one community (or of the whole network) in one period. What
 * each one is (its JSON key, words, source, how it adds up) is one row of
 * metric_defs[] in report/metric_defs.c; this enum only names the rows.
 */
enum metric_id {
    M_SUBS_START,     /* subscribers (VK's count) at the snapshot nearest the week's start */
    M_SUBS_END,       /* ... nearest the week's end */
    M_NET,            /* M_SUBS_END - M_SUBS_START */
    M_JOINED,         /* people who joined between the two snapshots (member lists) */
    M_LEFT,           /* people who left between them */
    M_REACH,          /* stats.get: the days' reach (unique people who saw posts), summed */
    M_VISITORS,       /* stats.get: the days' visitors, summed */
    M_POSTS,          /* posts published on the wall, dated in the week */
    M_POSTS_MEMBERS,  /* of them authored by members: signed or suggested */
    M_REPOSTS_OTHER,  /* of them reposts of other communities' posts (copy_history) */
    M_MEMBERS_SHARE,  /* M_POSTS_MEMBERS / M_POSTS: materials prepared by the teachers */
    M_VIEWS,          /* views gained by all posts between the two snapshots */
    M_LIKES,          /* likes gained by all posts */
    M_COMMENTS,       /* comments gained by all posts */
    M_REPOSTS,        /* reposts gained by all posts */
    M_WITHDRAWN,      /* likes, comments and reposts that disappeared (counters that went down) */
    M_OWN_VIEWS,      /* views of the week's own posts at the end snapshot */
    M_OWN_LIKES,      /* likes of the week's own posts */
    M_OWN_COMMENTS,   /* comments of the week's own posts */
    M_OWN_REPOSTS,    /* reposts of the week's own posts */
    M_ER_POST,        /* ERpost: mean over the week's posts of reactions / subscribers at the end */
    M_ER_VIEW,        /* ERview: mean over the week's posts (with views) of reactions / views */
    M_ER_DAY,         /* ERday: interactions gained / days / subscribers at the end */
    M_ER_REACH,       /* ERReach: interactions gained / M_REACH */
    M_ER_SUBS,        /* interactions gained / subscribers at the end */
    M_ACTIVE,         /* distinct people who liked, commented, reposted or authored a post,
                       * each act dated by the activity view (schema/0013_series.sql) */
    M_ACTIVE_MEMBERS, /* of them members at the end snapshot */
    M_ACTIVE_SHARE,   /* M_ACTIVE_MEMBERS / members listed at the end snapshot */
    M_COUNT
};

/* Where a figure comes from. */
enum metric_source {
    MSRC_SNAPSHOT,  /* VK's counts in the boundary snapshots */
    MSRC_MEMBERS,   /* the complete member lists */
    MSRC_STATS,     /* stats.get day figures (a group admin's token) */
    MSRC_WALL,      /* the wall's posts, by their VK dates */
    MSRC_GAINS,     /* what every post's counters gained between the snapshots */
    MSRC_OWN_POSTS, /* the period's posts' counters at the end */
    MSRC_ACTIVITY,  /* the activity view: dated comments, reposts, likes, authors */
    MSRC_DERIVED,   /* computed from the figures above */
};

/* How the network's figure follows from the communities'. */
enum metric_network_sum {
    MNET_SUM,      /* the sum (a person in two groups counts twice) */
    MNET_RATIO,    /* recomputed from the summed parts */
    MNET_DISTINCT, /* distinct people, counted across the network */
};

/* What a figure is over time. */
enum metric_time {
    MTIME_LEVEL, /* a level at a moment (subscribers): periods do not add up */
    MTIME_FLOW,  /* happens during the period: periods add up */
    MTIME_RATE,  /* a ratio: periods do not add up */
    MTIME_PEOPLE /* distinct people in the period: periods do not add up */
};

/* One figure: everything the renderers, sums and docs need to know of it. */
struct metric_def {
    const char *key;                 /* stable name in JSON, CSV and XLSX: "subscribers_start" */
    const char *words[LANG_COUNT];   /* its name in a report of weeks */
    const char *period[LANG_COUNT];  /* its name for longer periods, NULL: the same */
    const char *formula[LANG_COUNT]; /* how it is computed, for the legend; NULL: none */
    enum metric_source source;       /* where it comes from */
    enum metric_network_sum network; /* how the network's figure is made */
    enum metric_time time;           /* how it behaves over periods */
    int is_rate;                     /* a ratio (printed as %), not a count */
    int yearly;                      /* its place in the yearly report (1-based), 0: not there */
    int sub;                         /* an "of them" row under the one before */
    int lower_better;                /* a rise is bad news (people who left, withdrawn) */
    int has_bounds;                  /* may be approximate with bounds [lo, hi] (a count of
                                      * people, likes dated by brackets): JSON `bounds`,
                                      * CSV and XLSX lower/upper columns */
};

/* metric_info: the row of metric m (m < M_COUNT). */
const struct metric_def *metric_info(enum metric_id m);

/* metric_by_key: the id of the figure with that JSON key, or -1. */
int metric_by_key(const char *key);

/* Why a week's figures are incomplete: bits of metric_week.notes. */
enum metric_note {
    NOTE_NOT_COLLECTED = 1 << 0,      /* the week ended before the first collection */
    NOTE_NO_START = 1 << 1,           /* no snapshot near the week's start */
    NOTE_NO_END = 1 << 2,             /* no snapshot near the week's end */
    NOTE_MEMBERS_HIDDEN = 1 << 3,     /* the group hides its member list */
    NOTE_MEMBERS_INCOMPLETE = 1 << 4, /* a boundary snapshot has no complete member list */
    NOTE_WALL_INCOMPLETE = 1 << 5,    /* a boundary snapshot has no complete wall */
    NOTE_DETAILS_INCOMPLETE = 1 << 6, /* likes/comments/reposts lists not all read */
    NOTE_RUNS_FAILED = 1 << 7,        /* a collection run of the week failed */
    NOTE_RUNS_PARTIAL = 1 << 8,       /* a collection run of the week was partial */
    NOTE_LIKES_BY_POST = 1 << 9,      /* likes the first collection found: dated by their post */
    NOTE_NO_LIKES = 1 << 10,          /* no collection has read likes completely yet */
    NOTE_COUNTERS_DOWN = 1 << 11,     /* some counters went down (M_WITHDRAWN) */
    NOTE_OLD_POSTS_SKIPPED = 1 << 12, /* older posts read for the first time: not counted */
    NOTE_WEEK_OPEN = 1 << 13,         /* the week is not over yet */
    NOTE_HISTORY = 1 << 14,           /* before the first collection: from dated history */
    NOTE_AS_OF_LAST = 1 << 15,        /* the period's posts' counters as of the last collection */
    NOTE_SUBS_FROM_STATS = 1 << 16,   /* subscribers rebuilt from stats.get day figures */
    NOTE_NO_SUBS_HISTORY = 1 << 17,   /* no subscriber count before the first collection */
    NOTE_LIKES_BRACKET = 1 << 18,     /* likes dated between two collections across an edge */
    NOTE_JOINS_FROM_STATS = 1 << 19,  /* joins and leaves from stats.get days (Moscow days) */
    NOTE_YEAR_TO_DATE = 1 << 20,      /* an open year against the same span of the years before */
    NOTE_START_FAR = 1 << 21,         /* the start snapshot is over REPORT_SNAP_NEAR away */
    NOTE_END_FAR = 1 << 22,           /* the end snapshot is over REPORT_SNAP_NEAR away */
    NOTE_COUNT_ = 23
};

/*
 * A boundary snapshot may be up to snapshot_slack_hours (at most 168 h) from
 * its boundary; one further than this is named beside the snapshots with
 * how far it was (render_snapshots) and noted (NOTE_START_FAR, NOTE_END_FAR),
 * since the flows then cover the span between the readings, not the period.
 * Half a day: a daily collection, at whatever hour, never is (the nearest
 * snapshot is taken), a missed day or a weekly one on a Thursday is.
 */
#define REPORT_SNAP_NEAR (12 * 3600)

/* One figure. */
struct metric_value {
    double v;                /* the value; meaningless when MS_MISSING */
    enum metric_state state; /* how far it can be trusted */
    int bounded;             /* lo <= v <= hi hold: a count of people some of whose likes are
                              * dated by a bracket that straddles the period's edge (MS_APPROX) */
    double lo, hi;           /* the bounds, when bounded */
};

/* One community (or the network) in one week. */
struct metric_week {
    struct week wk;                 /* the week */
    struct metric_value m[M_COUNT]; /* the figures */
    unsigned notes;                 /* metric_note bits */
    int64_t start_at, end_at;       /* taken_at of the boundary snapshots used, 0: none */
    int64_t old_posts_skipped;      /* posts counted out by NOTE_OLD_POSTS_SKIPPED */
    int64_t counters_at;            /* NOTE_AS_OF_LAST: the newest reading used, 0 if none */
    int64_t own_posts;              /* posts whose counters M_OWN_* add up (ERpost's count) */
    double er_view_sum;             /* sum over them of reactions / views, where views > 0 */
    int64_t er_view_posts;          /* how many of them had views */
};

/*
 * metric_interactions: the week's interactions, likes + comments + reposts
 * gained by all posts between the boundary snapshots (M_LIKES + M_COMMENTS +
 * M_REPOSTS): the one definition the report's charts, its rates and the
 * weekly digest use. MS_MISSING when the likes are.
 */
struct metric_value metric_interactions(const struct metric_week *w);

/* The report week against the weeks before it. */
struct metric_compare {
    int has_prev;  /* the previous week has the figure */
    double prev;   /* its value */
    int avg_weeks; /* weeks of the trend window before the report week that have it */
    double avg;    /* their mean (when avg_weeks > 0) */
};

/* Who wrote a post. */
enum post_kind { POST_COMMUNITY, POST_MEMBER, POST_REPOST };

/* One post of the report period, with its counters at the end snapshot (or, for a
 * period no two snapshots bracket, as of the last collection). */
struct metric_post {
    int64_t owner_id, id; /* https://vk.com/wall<owner_id>_<id> */
    int64_t date;         /* VK date */
    int64_t views, likes, comments, reposts;
    enum post_kind kind; /* community, member-authored, or a repost */
    char *text;          /* the first characters of its text (UTF-8), "" if none */
    double er_post;      /* reactions / subscribers at the period's end; < 0: unknown */
    double er_view;      /* reactions / views; < 0: no views */
};

/* metric_post_reactions: likes + comments + reposts of one post. */
int64_t metric_post_reactions(const struct metric_post *p);

/* Best time to post: reactions per post by local weekday (Monday 0) and hour. */
struct metric_hours {
    int64_t posts[7][24];     /* posts published then, over the trend window */
    int64_t reactions[7][24]; /* their reactions as of the last reading */
};

/* The survey's participation ladder (docs/domain.md) among a community's members. */
enum ladder_level {
    LADDER_REGISTERED, /* member, neither commented nor authored a post */
    LADDER_DISCUSS,    /* commented (replies included), authored nothing */
    LADDER_CONTRIBUTE, /* authored a post (signed or suggested) */
    LADDER_LEVELS
};

/* A ladder over one period (members at its end). */
struct metric_ladder {
    enum metric_state state;      /* MS_MISSING when the member list is unknown */
    int64_t members;              /* members at the end of the period */
    int64_t level[LADDER_LEVELS]; /* members on each rung */
    int64_t outsiders;            /* non-members who commented or authored */
};

/* How people moved between the previous period's ladder and this one. */
struct metric_moves {
    enum metric_state state; /* MS_MISSING when either ladder is */
    int64_t up;              /* members in both periods who climbed a rung or more */
    int64_t down;            /* ... who went down */
    int64_t same;            /* ... who stayed */
    int64_t came;            /* members now who were not before */
    int64_t went;            /* members before who are not now */
};

/* A community in the report. */
struct metric_community {
    int64_t id;                /* internal id; 0 for the network row */
    char *ref;                 /* as configured */
    char *name;                /* VK name, or NULL */
    char kind[16];             /* rmo / community */
    int64_t vk_id;             /* 0 until known */
    int active;                /* still configured */
    struct metric_week *weeks; /* the trend window, oldest first: the last is the report week */
    struct metric_compare cmp[M_COUNT]; /* the report week against the window */
    struct metric_post *posts;          /* every post of the report period, best first */
    size_t nposts;
    size_t ntop;                      /* the first ntop of them are its top posts */
    struct metric_hours hours;        /* when its posts got reactions, over the window */
    int64_t last_post;                /* its newest post before the report period's end, 0 */
    struct metric_ladder ladder;      /* over the trend window */
    struct metric_ladder ladder_prev; /* over the same number of weeks before it */
    struct metric_moves moves;        /* from ladder_prev to ladder */
};

/* One municipality in the network view. */
struct metric_muni {
    const struct muni *muni; /* from the map */
    int64_t members;         /* distinct members at the end of the report week */
    int64_t active;          /* of them active in the report week */
    int64_t discuss;         /* of them discussing at most, over the window */
    int64_t contribute;      /* of them contributing, over the window */
};

/* The network as a whole in the report week: distinct people. */
struct metric_network {
    enum metric_state state;   /* MS_APPROX when some community's member list is unknown */
    size_t ncom;               /* communities: the arrays below have ncom + 1 entries */
    size_t excluded;           /* communities without a member list at the week's end */
    int64_t members;           /* distinct members */
    int64_t active;            /* distinct people active somewhere */
    int64_t *members_in;       /* [k]: people who are members of exactly k communities */
    int64_t *active_in;        /* [k]: people active in exactly k communities */
    int64_t *spread;           /* [k * (ncom + 1) + j]: members of k communities active in j */
    struct metric_muni *munis; /* every municipality of the map, map order */
    size_t nmunis;
    int64_t attributed; /* members whose city maps to a municipality */
    int64_t no_city;    /* members showing no city */
    int64_t outside;    /* members with a city outside the region (or unknown to the map) */
};

/* The whole report. */
struct report {
    struct week week;     /* the report week */
    int nweeks;           /* trend window length, report week included */
    struct week *weeks;   /* the window, oldest first */
    int64_t generated_at; /* when it was built */
    int64_t slack;        /* how far from a boundary a snapshot may be, seconds */
    char tz[64];          /* time zone name */
    struct {
        int64_t total, ok, partial, failed; /* collection runs started in the week */
    } * runs;                               /* per window week */
    struct metric_community *coms;          /* every community, id order */
    size_t ncoms;
    struct metric_community total; /* the network as one row (sums; distinct actives) */
    int filtered;                  /* --community: total is of the asked communities only */
    int64_t ytd_cut;               /* an open year or school year: each period of the window
                                    * is counted from its start to the same day and time of
                                    * its year as this instant (the build time), 0 otherwise */
    struct metric_network net;     /* distinct people, municipalities */
};

/* What to build. */
struct report_options {
    struct week week;             /* the report week */
    int nweeks;                   /* trend window, >= 1 */
    int top;                      /* top posts per community */
    int64_t slack;                /* seconds a boundary snapshot may be away from it */
    int64_t now;                  /* the build time (weeks after it are open) */
    const char *tz;               /* time zone name, for the record */
    const struct muni_map *munis; /* municipality map, may be NULL */
    int horizon_days;             /* how far back first runs read walls, 0: to the first post */
    const char *community;        /* only the community with this ref, NULL for all */
};

struct config;
struct muni_map;

/*
 * report_options_config: the options the config sets (trend window, top
 * posts, snapshot slack, time zone) and the municipality map, loaded into
 * *munis (the caller frees it with muni_map_free after the build). The week
 * and `now` are left to the caller. Errors name the config file.
 */
int report_options_config(struct report_options *o, const struct config *cfg,
                          struct muni_map **munis, char *err, size_t errlen);

/*
 * report_build: compute every figure from the store. Returns 0 and a new
 * report in *out (free with report_free), or a negative vkp error with a
 * message in err.
 */
int report_build(struct store *st, const struct report_options *o, struct report **out, char *err,
                 size_t errlen);

/*
 * report_year_to_date: in a window of years (or school years) whose last is
 * still running at `now`, cut every period at the same day and time of its
 * year as `now` (1 January – 5 December against 1 January – 5 December);
 * returns that instant, or 0 (and changes nothing) for complete windows and
 * other periods.
 */
int64_t report_year_to_date(struct week *weeks, int nweeks, int64_t now);

/* report_free: release everything; NULL is a no-op. */
void report_free(struct report *r);

#endif
