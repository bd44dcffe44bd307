/* alerts.h: alert rules over the store (one row each: alert_rules.c), alert state (announced once
 * when a condition starts and once when it ends), and what the announcements say. */
#ifndef VKP_ALERTS_H
#define VKP_ALERTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct config;
struct store;

/* One alert rule: a row of the rule table (alert_rules.c), which holds its name, its
 * words in every language, its evaluator, its figures' JSON keys and its config keys. */
struct alert_rule;

/* The figures behind one alert; which fields mean something depends on the rule. */
struct alert_figures {
    int64_t days;      /* no_posts, no_reactions: whole days without; stale: hours */
    int64_t since;     /* the last post / reaction / complete collection (0: none) */
    int none;          /* no_posts, no_reactions, stale: nothing at all since `since`, which is
                        * then when collection (or the collected wall) began */
    int64_t before;    /* members_drop: members a week before; engagement: baseline x 100 */
    int64_t after;     /* members_drop: members now; engagement: last week's interactions */
    double percent;    /* members_drop: the fall; engagement: last week as % of the baseline */
    int64_t runs;      /* failing: failed runs in a row; token: the failed run's id */
    char message[256]; /* failing, token: the last run's message */
};

/* How an alert stands after an evaluation. */
enum alert_change {
    ALERT_ONGOING, /* was open before and still holds: not announced again */
    ALERT_STARTED, /* opened by this evaluation: announced */
    ALERT_ENDED,   /* closed by this evaluation: announced */
};

/* One alert in an evaluation's result. */
struct alert_item {
    int64_t id;                    /* alert row id */
    const struct alert_rule *rule; /* which rule: a row of the table */
    enum alert_change change;      /* what this evaluation did to it */
    int64_t community_id;          /* 0 for the collection as a whole */
    char ref[128];                 /* the community as configured, "" for the collection */
    char name[256];                /* its VK name, or the ref before the first run */
    int64_t vk_id;                 /* 0 when unknown */
    int64_t started_at;            /* when the condition was first found */
    int64_t ended_at;              /* when it was found over, 0 while active */
    struct alert_figures fig;      /* the newest figures (the last known ones for ended alerts) */
};

/* Why a rule could not be judged for a community. */
enum alert_lack {
    LACK_WALL,        /* the wall was never read completely */
    LACK_DETAILS,     /* likes and comments were never read completely */
    LACK_MEMBERS,     /* no members count yet */
    LACK_WEEK_BEFORE, /* no members count from a week before */
    LACK_HISTORY,     /* the collected history does not cover the baseline */
    LACK_BASELINE,    /* the baseline is below baseline_min */
    LACK_NREASONS
};

/* A rule that could not be judged for a community, and why (data missing). */
struct alert_skip {
    const struct alert_rule *rule;
    char ref[128];        /* the community */
    enum alert_lack lack; /* why */
};

/* alert_lack_text: why, in lang. */
const char *alert_lack_text(enum alert_lack lack, const char *lang);

/* The result of alerts_evaluate. */
struct alert_report {
    int64_t now;              /* evaluation time */
    struct alert_item *items; /* active alerts, then those ended now */
    size_t nitems;
    size_t nactive;           /* items[0 .. nactive) are active */
    struct alert_skip *skips; /* rules not judged */
    size_t nskips;
    int64_t queued; /* messages this evaluation put in the outbox */
};

/*
 * alerts_evaluate: apply every enabled rule at time `now`, and in one
 * transaction open the alerts whose condition is new, refresh those that
 * still hold, close those that no longer do, and queue one message per
 * configured channel for each alert opened or closed (in the channel's
 * language). Nothing is sent here: see deliver_pending. On success *out
 * owns the result (alert_report_release); on failure returns a vkp error
 * with a message in err and nothing is changed.
 */
int alerts_evaluate(struct store *st, const struct config *cfg, int64_t now,
                    struct alert_report *out, char *err, size_t errlen);

/* alert_report_release: free what alerts_evaluate allocated; a zeroed report is fine. */
void alert_report_release(struct alert_report *r);

/* alert_rule_find: the rule named so ("no_posts"), or NULL for none. */
const struct alert_rule *alert_rule_find(const char *name);

/* alert_rule_name: "no_posts", "members_drop" ... (the rule column and JSON). */
const char *alert_rule_name(const struct alert_rule *rule);

/* alert_title: a short title of the rule in lang ("ru" or "en"). */
const char *alert_title(const struct alert_rule *rule, const char *lang);

/* alert_text: one sentence for a person, in lang, about the alert starting
 * (or ending when it->change is ALERT_ENDED). Returns buf. */
char *alert_text(const struct alert_item *it, const char *lang, char *buf, size_t len);

/*
 * alert_payload: the documented JSON payload (docs/alerts.md) announcing
 * the item, texts in lang. Returns a heap string the caller frees, or NULL
 * when out of memory.
 */
char *alert_payload(const struct alert_item *it, const char *lang);

/* alert_stored_text: what a stored alert says (its rule and details column), as
 * alert_text; NULL for a rule of a newer vkpulse. */
const char *alert_stored_text(const char *rule, const char *details, const char *lang, char *buf,
                              size_t len);

/* alerts_each_open: cb for every open alert, with its last figures, by id. */
int alerts_each_open(struct store *st, void (*cb)(void *ud, const struct alert_item *it), void *ud);

/* alerts_print_text / alerts_print_json: the result for `vkpulse alerts`,
 * with the outbox state (pending messages, the oldest one's time). */
void alerts_print_text(FILE *out, const struct alert_report *r, const char *lang, int64_t pending,
                       int64_t oldest);
void alerts_print_json(FILE *out, const struct alert_report *r, const char *lang, int64_t pending,
                       int64_t oldest);

/* alerts_format_time: a time as the configured zone shows it, in lang's date style with
 * the zone (fmt_date: "06.12.2026 01:22 +05:00" / "2026-12-06 01:22 +05:00"); "-" for 0. */
void alerts_format_time(int64_t t, const char *lang, char *buf, size_t len);

#endif
