/* alerts_int.h: the rule table's row, and what the engine (alerts.c), the rules
 * (alert_rules.c) and the texts (alerts_text.c) share; no other module includes this. */
#ifndef VKP_ALERTS_INT_H
#define VKP_ALERTS_INT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "alerts.h"
#include "lang.h"

struct store_alert_facts;
struct store_runs_facts;

/* ---- the evaluation a rule's evaluator sees (alerts.c) ------------------------------- */

/* An evaluation under way. */
struct alert_eval {
    struct store *st;
    const struct config *cfg;
    int64_t now;
    const struct store_runs_facts *runs; /* the runs: the first one, the failed streak */
    struct alert_item *found;            /* conditions that hold now */
    size_t nfound, capfound;
    struct alert_item *open; /* alerts open before this evaluation */
    size_t nopen, capopen;
    struct alert_skip *skips;
    size_t nskips, capskips;
};

/* alert_found: rule's condition holds for f's community (NULL: for the collection as a
 * whole); the new item's figures are the evaluator's to fill. NULL when out of memory. */
struct alert_item *alert_found(struct alert_eval *ev, const struct alert_rule *rule,
                               const struct store_alert_facts *f);

/* alert_skip: rule could not be judged for the community ref, for lack of data. 0 or
 * VKP_ENOMEM. */
int alert_skip(struct alert_eval *ev, const struct alert_rule *rule, const char *ref,
               enum alert_lack lack);

/* alert_key: the value of the rule's config key keys[i] ([alerts], config_number). */
double alert_key(const struct alert_eval *ev, const struct alert_rule *rule, int i);

/* ---- the rule table (alert_rules.c) --------------------------------------------------- */

/* How a figure is kept in the details column and shown in the payload. */
enum alert_fig_kind {
    FIG_INT,        /* int64_t as a number */
    FIG_BOOL,       /* int as true/false */
    FIG_TIME,       /* int64_t unix time: a number in the column, local time in the payload */
    FIG_TEXT,       /* char[256] */
    FIG_HUNDREDTHS, /* int64_t hundredths, shown as a number with two decimals */
    FIG_TENTHS,     /* double, rounded to a tenth */
    FIG_ROUND,      /* double, rounded to a whole number */
};

/* One figure of a rule: its JSON key and where it sits in struct alert_figures. */
struct alert_fig_key {
    const char *key;
    size_t offset;
    enum alert_fig_kind kind;
};

#define ALERT_MAX_FIGURES 4
#define ALERT_MAX_KEYS 3

/*
 * One alert rule. Its texts are templates: {name} the community, {days} and {runs}
 * and {before} {after} whole figures, {days_word} / {hours_word} the unit after {days},
 * {after_interactions} the noun after {after}, {since} the day of fig.since, {percent0} /
 * {percent1} fig.percent with 0 / 1 decimal, {baseline} fig.before / 100 with 1 decimal, {message}
 * the run's message ("-" if none).
 */
struct alert_rule {
    const char *name;                   /* the rule column, JSON and log: "no_posts" */
    const char *title[LANG_COUNT];      /* short title */
    const char *start[LANG_COUNT];      /* the announcement of its start */
    const char *start_none[LANG_COUNT]; /* ... when fig.none (nothing at all); NULL: start */
    const char *end[LANG_COUNT];        /* the announcement of its end */
    /* Judges one community (NULL for rules about the collection as a whole): adds an
     * item (alert_found) or a skip (alert_skip) when it applies. 0 or a vkp error. */
    int (*community)(struct alert_eval *ev, const struct alert_rule *rule,
                     const struct store_alert_facts *f);
    /* Judges the collection as a whole (NULL for per-community rules). */
    int (*collection)(struct alert_eval *ev, const struct alert_rule *rule);
    struct alert_fig_key figures[ALERT_MAX_FIGURES]; /* its figures' JSON, in order */
    const char *keys[ALERT_MAX_KEYS];                /* its [alerts] config keys */
};

/* ALERT_EACH_FIGURE: k runs over the rule's figures. */
#define ALERT_EACH_FIGURE(k, rule)                                                                 \
    for (const struct alert_fig_key *k = (rule)->figures;                                          \
         k < (rule)->figures + ALERT_MAX_FIGURES && k->key; k++)

/* The rules, in the order they are evaluated and listed. */
extern const struct alert_rule alert_rules[];
extern const size_t alert_nrules;

/* Fixed words of the alerts' outputs. */
enum alert_word {
    AW_OVER,        /* the title prefix of an ended alert */
    AW_NONE_ACTIVE, /* "%s: no active alerts" */
    AW_N_ACTIVE,    /* "%s: %zu active alert(s)" */
    AW_SINCE,       /* the second line of a listed alert */
    AW_NOT_JUDGED,  /* heading of the skips */
    AW_OUTBOX,      /* "%" PRId64 " not delivered, the oldest from %s" */
    AW_MARK_ACTIVE, /* the state marks, by enum alert_change */
    AW_MARK_NEW,
    AW_MARK_ENDED,
    AW_COUNT
};
extern const char *const alert_words[AW_COUNT][LANG_COUNT];

/* The units after a number, in the forms fmt_plural picks from (one, few, many). */
extern const char *const alert_day_forms[LANG_COUNT][3];
extern const char *const alert_hour_forms[LANG_COUNT][3];
extern const char *const alert_interaction_forms[LANG_COUNT][3];

/* ---- texts and figures (alerts_text.c) --------------------------------------------- */

/* alerts_lang: "en" is English, anything else Russian. */
enum lang alerts_lang(const char *lang);

/* alerts_figures_json: an alert's figures as the JSON of its details column and payload. */
cJSON *alerts_figures_json(const struct alert_item *it);

/* alerts_figures_parse: the figures back from the details column (missing keys stay 0). */
void alerts_figures_parse(struct alert_item *it, const char *details);

#endif
