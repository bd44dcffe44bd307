/* labels.h: the report's words, in Russian and English, one table keyed by enum lang
 * (the figures' own words are rows of metric_defs.c). */
#ifndef VKP_LABELS_H
#define VKP_LABELS_H

#include "lang.h"
#include "metrics.h"

/* Fixed words and phrases of the renderers. */
enum label {
    L_TITLE,            /* report title */
    L_WEEK,             /* "week" */
    L_WINDOW,           /* trend window */
    L_WEEKS_UNIT,       /* "weeks" after a number */
    L_TIMEZONE,         /* time zone */
    L_GENERATED,        /* generated at */
    L_RUNS,             /* collection runs */
    L_RUNS_OK,          /* ok */
    L_RUNS_PARTIAL,     /* partial */
    L_RUNS_FAILED,      /* failed */
    L_NETWORK,          /* the whole network */
    L_SELECTED,         /* the communities --community asked for, together */
    L_COMMUNITY,        /* community */
    L_FIGURE,           /* figure (table head) */
    L_THIS_WEEK,        /* this week */
    L_PREV_WEEK,        /* previous week */
    L_CHANGE,           /* change */
    L_AVERAGE,          /* the average of the %s (N periods before the report's) */
    L_VS_AVERAGE,       /* against the average */
    L_NA,               /* no data */
    L_APPROX_LEGEND,    /* what "~" means */
    L_NA_LEGEND,        /* what "n/a" means */
    L_SNAPSHOTS,        /* snapshots used */
    L_SNAP_START,       /* at the start */
    L_SNAP_END,         /* at the end */
    L_NONE,             /* none */
    L_NOTES,            /* notes */
    L_TOP_POSTS,        /* top posts */
    L_NO_POSTS,         /* no posts this week */
    L_POST_DATE,        /* date */
    L_P_VIEWS,          /* views of one post */
    L_P_LIKES,          /* likes of one post */
    L_P_COMMENTS,       /* comments of one post */
    L_P_REPOSTS,        /* reposts of one post */
    L_P_ER,             /* engagement of one post */
    L_KIND_COMMUNITY,   /* post by the community */
    L_KIND_MEMBER,      /* post by a member */
    L_KIND_REPOST,      /* repost */
    L_LADDER,           /* participation ladder */
    L_LADDER_NOTE,      /* what the rungs mean */
    L_PERIOD_NOW,       /* the window */
    L_PERIOD_PREV,      /* the period before */
    L_MEMBERS,          /* members */
    L_REGISTERED,       /* registered only */
    L_DISCUSS,          /* discuss */
    L_CONTRIBUTE,       /* contribute */
    L_OUTSIDERS,        /* non-members taking part */
    L_MOVES,            /* moves between periods */
    L_UP,               /* climbed */
    L_DOWN,             /* went down */
    L_SAME,             /* stayed */
    L_CAME,             /* new members */
    L_WENT,             /* members gone */
    L_PEOPLE,           /* the network's people */
    L_DISTINCT_MEMBERS, /* distinct members */
    L_MULTI_MEMBERS,    /* members of two or more communities */
    L_DISTINCT_ACTIVE,  /* distinct active people */
    L_SPREAD,           /* members by number of communities and where active */
    L_MEMBER_OF,        /* member of k communities */
    L_ACTIVE_IN,        /* active in j */
    L_EXCLUDED,         /* communities left out (hidden lists) */
    L_MUNIS,            /* municipalities */
    L_MUNI,             /* municipality */
    L_ACTIVE,           /* active this week */
    L_ATTRIBUTED,       /* attributed to a municipality */
    L_NO_CITY,          /* no city in profile */
    L_OUTSIDE,          /* city outside the region */
    L_CHART_SUBS,       /* chart: subscribers */
    L_CHART_INTER,      /* chart: interactions per week */
    L_CHART_LADDER,     /* chart: ladder */
    L_CHART_MUNIS,      /* chart: municipalities */
    L_DATA,             /* data coverage */
    L_ALL_COMMUNITIES,  /* a note every community of the report has */
    L_NOT_CONFIGURED,   /* no longer in the config */
    L_THREE_YEARS,      /* yearly report: the dynamics column */
    L_TREND_UP,         /* each year above the one before */
    L_TREND_DOWN,       /* each year below the one before */
    L_TREND_MIXED,      /* neither */
    L_TREND_OPEN,       /* the last year is still running: no verdict */
    L_OPEN_PERIOD,      /* a column head: the period is incomplete */
    L_CONTENTS,         /* table of contents */
    L_UNIT_PEOPLE,      /* chart unit: people */
    L_UNIT_INTER,       /* chart unit: interactions */
    L_UNIT_COUNT,       /* chart unit: a count */
    L_AS_OF,            /* yearly report: what the counter figures are */
    L_POST_TEXT,        /* a post's text (its first characters) */
    L_POST_TYPE,        /* a post's type */
    L_POSTS_ALL,        /* every post of the period */
    L_SORT_HINT,        /* how to sort the posts table */
    L_HEAT_POSTS,       /* best time: posts published */
    L_HEAT_REACTIONS,   /* best time: their reactions */
    L_BEST_TIME,        /* best time to post */
    L_BEST_TIME_NOTE,   /* what the heatmap shows */
    L_HOUR,             /* hour of the day */
    L_WEEKDAY,          /* day of the week */
    L_ALERTS,           /* active alerts */
    L_NO_ALERTS,        /* no active alert */
    L_GLANCE,           /* at a glance */
    L_FORMULAS,         /* how the rates are computed */
    L_REACH_NA,         /* reach needs a group admin's token */
    L_DETAILS,          /* the full table of figures */
    L_NEWS_SUBS,        /* news: "Subscribers: %s" */
    L_NEWS_MOST_FALL,   /* news: ", the largest fall in %s" */
    L_NEWS_MOST_RISE,   /* news: ", the largest rise in %s" */
    L_NEWS_NO_POSTS,    /* news: "No new posts for %s" */
    L_NEWS_EMPTY_WALL,  /* news: no post at all */
    L_NEWS_REACTIONS,   /* news: "%s: %s against the window's average" */
    L_YEAR_TO_DATE,     /* yearly report: an open year against the same span of the others */
    L_POINTS,           /* percentage points, the unit of a change of a share */
    L_SNAP_START_EARLY, /* a far start snapshot: "%s before the period's start" */
    L_SNAP_START_LATE,  /* ... "%s after the period's start" */
    L_SNAP_END_EARLY,   /* a far end snapshot: "%s before the period's end" */
    L_SNAP_END_LATE,    /* ... "%s after the period's end" */
    L_COUNT_
};

/* label: the text of l in lang (never NULL). */
const char *label(enum lang lang, enum label l);

/* metric_label: the name of a figure in lang. */
const char *metric_label(enum lang lang, enum metric_id m);

/*
 * period_label: label l for a report of that kind of period: the weekly
 * words for weeks, the period's own for the title, its name and unit, this
 * and the previous one, the top posts and the actives of the others.
 */
const char *period_label(enum lang lang, enum period_kind kind, enum label l);

/* Nouns in fmt_plural's three forms (one, few, many), for counts in sentences. */
enum noun {
    N_SUBSCRIBER, /* подписчик */
    N_POST,       /* запись */
    N_DAY,        /* день */
    N_REACTION,   /* реакция */
    N_PERSON,     /* человек */
    N_HOUR,       /* час */
    N_COUNT_
};

/* noun_forms: the three forms of noun n in lang. */
const char *const *noun_forms(enum lang lang, enum noun n);

/* weekday_label: Monday (0) to Sunday (6), short ("Пн" / "Mon"). */
const char *weekday_label(enum lang lang, int d);

/* period_unit_forms: the period's noun in fmt_plural's three forms ("неделя", "недели", "недель").
 */
const char *const *period_unit_forms(enum lang lang, enum period_kind kind);

/* period_before_forms: the periods before the report's, after "за": "предыдущую неделю",
 * "предыдущие недели", "предыдущих недель" ("previous week(s)"). */
const char *const *period_before_forms(enum lang lang, enum period_kind kind);

/* period_metric_label: metric_label, "the period's posts" for periods other than weeks. */
const char *period_metric_label(enum lang lang, enum period_kind kind, enum metric_id m);

/* note_label: the sentence for one metric_note bit in lang; note_key its stable code. */
const char *note_label(enum lang lang, unsigned note_bit);
const char *note_key(unsigned note_bit);

#endif
