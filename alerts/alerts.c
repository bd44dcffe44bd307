/* alerts.c: the rules' names, the alert rules over the store and alert state (announced once
 * when a condition starts and once when it ends); the texts are in alerts_text.c. */
#include "alerts.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alerts_int.h"
#include "config.h"
#include "deliver.h"
#include "err.h"
#include "store.h"
#include "text.h"

#define DAY 86400
#define WEEK (7 * DAY)
/* A weekly schedule's runs start at slightly different instants: the members
 * count "a week before" is the one nearest to a week before the newest, and
 * may be up to this much less than a week old. */
#define WEEK_SLACK (12 * 3600)

static const char *const rule_names[ALERT_NRULES] = {
    "no_posts", "no_reactions", "members_drop", "engagement", "stale", "failing", "token_rejected",
};

static const char *const titles_en[ALERT_NRULES] = {
    "no new posts",   "no comments or likes", "members falling",       "engagement below usual",
    "data not fresh", "collection failing",   "access token rejected",
};

static const char *const titles_ru[ALERT_NRULES] = {
    "нет новых публикаций",    "нет комментариев и отметок", "отток подписчиков",
    "активность ниже обычной", "данные не обновляются",      "сбор данных не удаётся",
    "ключ доступа отклонён",
};

static const char *const lack_en[LACK_NREASONS] = {
    "the wall was never read completely",
    "likes and comments were never read completely",
    "no members count yet",
    "no members count from a week before",
    "the collected history does not cover the baseline yet (likes are dated by the runs)",
    "the baseline is too small to judge",
};

static const char *const lack_ru[LACK_NREASONS] = {
    "стена ни разу не прочитана полностью",
    "отметки и комментарии ни разу не прочитаны полностью",
    "ещё нет числа подписчиков",
    "нет числа подписчиков недельной давности",
    "собранная история ещё не покрывает базовый период (отметки датируются запусками)",
    "базовый уровень слишком мал для оценки",
};

const char *alert_rule_name(enum alert_rule rule)
{
    return rule_names[rule];
}

int alerts_is_en(const char *lang)
{
    return lang && strcmp(lang, "en") == 0;
}

const char *alert_lack_text(enum alert_lack lack, const char *lang)
{
    return (alerts_is_en(lang) ? lack_en : lack_ru)[lack];
}

const char *alert_title(enum alert_rule rule, const char *lang)
{
    return alerts_is_en(lang) ? titles_en[rule] : titles_ru[rule];
}

static int rule_of(const char *name)
{
    for (int i = 0; i < ALERT_NRULES; i++)
        if (strcmp(rule_names[i], name) == 0)
            return i;
    return -1;
}

/* ---- evaluation ------------------------------------------------------------------------ */

/* Evaluation state shared by the callbacks. */
struct eval {
    struct store *st;
    const struct config *cfg;
    int64_t now;
    struct alert_item *found; /* conditions that hold now */
    size_t nfound, capfound;
    struct alert_item *open; /* alerts open before this evaluation */
    size_t nopen, capopen;
    struct alert_skip *skips;
    size_t nskips, capskips;
};

static struct alert_item *add_found(struct eval *ev, enum alert_rule rule,
                                    const struct store_alert_facts *f)
{
    if (text_grow((void **)&ev->found, &ev->capfound, ev->nfound + 1, sizeof *ev->found) != 0)
        return NULL;
    struct alert_item *it = &ev->found[ev->nfound++];
    memset(it, 0, sizeof *it);
    it->rule = rule;
    if (f) {
        it->community_id = f->community_id;
        snprintf(it->ref, sizeof it->ref, "%s", f->ref);
        snprintf(it->name, sizeof it->name, "%s", f->name ? f->name : f->ref);
        it->vk_id = f->vk_id;
    }
    return it;
}

static int add_skip(struct eval *ev, enum alert_rule rule, const char *ref, enum alert_lack lack)
{
    if (text_grow((void **)&ev->skips, &ev->capskips, ev->nskips + 1, sizeof *ev->skips) != 0)
        return VKP_ENOMEM;
    struct alert_skip *s = &ev->skips[ev->nskips++];
    s->rule = rule;
    snprintf(s->ref, sizeof s->ref, "%s", ref);
    s->lack = lack;
    return 0;
}

/* no_posts: measured up to the newest complete read of the wall, so a pause
 * in collection is not taken for a quiet community (stale covers that). */
static int rule_no_posts(struct eval *ev, const struct store_alert_facts *f)
{
    int64_t limit = (int64_t)ev->cfg->alert_no_posts_days * DAY;
    int64_t last = f->last_post, none = 0;
    struct alert_item *it;

    if (!limit)
        return 0;
    if (!f->wall_at)
        return add_skip(ev, ALERT_NO_POSTS, f->ref, LACK_WALL);
    if (!last) {
        /* The first read went back horizon_days (or to the start) and found nothing. */
        last = config_horizon_start(ev->cfg->horizon_days, f->first_wall_at);
        none = 1;
    }
    if (f->wall_at - last <= limit)
        return 0;
    if (!(it = add_found(ev, ALERT_NO_POSTS, f)))
        return VKP_ENOMEM;
    it->fig.days = (f->wall_at - last) / DAY;
    it->fig.since = none ? 0 : last;
    it->fig.none = (int)none;
    return 0;
}

/* no_reactions: comments carry VK dates; a like counts at the latest its bracket
 * between two collections allows, and those the first read of the wall found are
 * at their post's date, so before the first read nothing is known and the quiet
 * spell counts from it. */
static int rule_no_reactions(struct eval *ev, const struct store_alert_facts *f)
{
    int64_t limit = (int64_t)ev->cfg->alert_no_reactions_days * DAY;
    int64_t last = f->last_comment > f->last_like ? f->last_comment : f->last_like;
    int none = 0;
    struct alert_item *it;

    if (!limit)
        return 0;
    if (!f->details_at || !f->first_wall_at)
        return add_skip(ev, ALERT_NO_REACTIONS, f->ref, LACK_DETAILS);
    if (last < f->first_wall_at) {
        last = f->first_wall_at;
        none = 1;
    }
    if (f->details_at - last <= limit)
        return 0;
    if (!(it = add_found(ev, ALERT_NO_REACTIONS, f)))
        return VKP_ENOMEM;
    it->fig.days = (f->details_at - last) / DAY;
    it->fig.since = last;
    it->fig.none = none;
    return 0;
}

/* members_drop: the newest counted members_count against the one a week
 * before it (groups.getById's figure, in runs that did not fail). */
static int rule_members(struct eval *ev, const struct store_alert_facts *f)
{
    double limit = ev->cfg->alert_members_drop;
    int64_t t1, c1, t0, c0;
    struct alert_item *it;
    int rc;

    if (limit <= 0)
        return 0;
    if ((rc = store_members_at(ev->st, f->community_id, 0, ev->now, ev->now, &t1, &c1)) != 0)
        return rc;
    if (!t1)
        return add_skip(ev, ALERT_MEMBERS_DROP, f->ref, LACK_MEMBERS);
    /* The snapshot nearest to a week before, up to two weeks old. */
    if ((rc = store_members_at(ev->st, f->community_id, t1 - 2 * WEEK, t1 - WEEK + WEEK_SLACK,
                               t1 - WEEK, &t0, &c0)) != 0)
        return rc;
    if (!t0 || c0 <= 0)
        return add_skip(ev, ALERT_MEMBERS_DROP, f->ref, LACK_WEEK_BEFORE);
    double pct = (double)(c0 - c1) * 100.0 / (double)c0;
    if (!(pct > limit))
        return 0;
    if (!(it = add_found(ev, ALERT_MEMBERS_DROP, f)))
        return VKP_ENOMEM;
    it->fig.before = c0;
    it->fig.after = c1;
    it->fig.percent = pct;
    it->fig.since = t0;
    return 0;
}

/* engagement: comments + likes + reposts of the week up to the newest
 * complete details read, against the weekly mean of the weeks before it. */
static int rule_engagement(struct eval *ev, const struct store_alert_facts *f)
{
    double factor = ev->cfg->alert_engagement;
    int weeks = ev->cfg->alert_baseline_weeks;
    int64_t end, week, base;
    struct alert_item *it;
    int rc;

    if (factor <= 0)
        return 0;
    if (!f->details_at)
        return add_skip(ev, ALERT_ENGAGEMENT, f->ref, LACK_DETAILS);
    end = f->details_at + 1; /* the windows end with that run's likes included */
    if (f->first_wall_at >= end - WEEK - (int64_t)weeks * WEEK)
        return add_skip(ev, ALERT_ENGAGEMENT, f->ref, LACK_HISTORY);
    if ((rc = store_interactions(ev->st, f->community_id, end - WEEK, end, &week)) != 0)
        return rc;
    if ((rc = store_interactions(ev->st, f->community_id, end - WEEK - (int64_t)weeks * WEEK,
                                 end - WEEK, &base)) != 0)
        return rc;
    double mean = (double)base / weeks;
    if (mean < 1 || mean < ev->cfg->alert_baseline_min)
        return add_skip(ev, ALERT_ENGAGEMENT, f->ref, LACK_BASELINE);
    if (!((double)week < factor * mean))
        return 0;
    if (!(it = add_found(ev, ALERT_ENGAGEMENT, f)))
        return VKP_ENOMEM;
    it->fig.after = week;
    it->fig.before = (int64_t)llround(mean * 100);
    it->fig.percent = (double)week * 100.0 / mean;
    return 0;
}

/* stale: measured against the clock, from the newest complete snapshot or,
 * when there was none, from the first run. */
static int rule_stale(struct eval *ev, const struct store_alert_facts *f, int64_t first_run)
{
    int64_t limit = (int64_t)ev->cfg->alert_stale_hours * 3600;
    int64_t last = f->complete_at;
    struct alert_item *it;

    if (!limit || !first_run)
        return 0;
    if (!last)
        last = first_run;
    if (ev->now - last <= limit)
        return 0;
    if (!(it = add_found(ev, ALERT_STALE, f)))
        return VKP_ENOMEM;
    it->fig.days = (ev->now - last) / 3600;
    it->fig.since = last;
    it->fig.none = !f->complete_at;
    return 0;
}

/* Carries the first run's time into the per-community callback. */
struct facts_ctx {
    struct eval *ev;
    int64_t first_run;
};

static int on_facts(void *ud, const struct store_alert_facts *f)
{
    struct facts_ctx *fc = ud;
    int rc;
    if ((rc = rule_no_posts(fc->ev, f)) != 0 || (rc = rule_no_reactions(fc->ev, f)) != 0 ||
        (rc = rule_members(fc->ev, f)) != 0 || (rc = rule_engagement(fc->ev, f)) != 0 ||
        (rc = rule_stale(fc->ev, f, fc->first_run)) != 0)
        return rc;
    return 0;
}

/* An open alert as stored; 0, or -1 for a rule of a newer vkpulse (left alone). */
static int item_from(struct alert_item *it, const struct store_alert *a)
{
    int rule = rule_of(a->rule);
    if (rule < 0)
        return -1;
    memset(it, 0, sizeof *it);
    it->id = a->id;
    it->rule = (enum alert_rule)rule;
    it->community_id = a->community_id;
    it->started_at = a->started_at;
    alerts_figures_parse(it, a->details);
    return 0;
}

static int on_open(void *ud, const struct store_alert *a)
{
    struct eval *ev = ud;
    if (text_grow((void **)&ev->open, &ev->capopen, ev->nopen + 1, sizeof *ev->open) != 0)
        return VKP_ENOMEM;
    if (item_from(&ev->open[ev->nopen], a) == 0)
        ev->nopen++;
    return 0;
}

/* Carries alerts_each_open's callback. */
struct open_walk {
    void (*cb)(void *ud, const struct alert_item *it);
    void *ud;
};

static int on_open_walk(void *ud, const struct store_alert *a)
{
    struct open_walk *w = ud;
    struct alert_item it;
    if (item_from(&it, a) == 0)
        w->cb(w->ud, &it);
    return 0;
}

int alerts_each_open(struct store *st, void (*cb)(void *ud, const struct alert_item *it), void *ud)
{
    struct open_walk w = {cb, ud};
    return store_each_open_alert(st, on_open_walk, &w);
}

static int find_conditions(struct eval *ev)
{
    const struct config *cfg = ev->cfg;
    struct store_runs_facts runs;
    struct facts_ctx fc = {ev, 0};
    int rc;

    if ((rc = store_runs_facts(ev->st, cfg->alert_failed_runs, &runs)) != 0)
        return rc;
    fc.first_run = runs.first_started;
    if ((rc = store_each_alert_facts(ev->st, on_facts, &fc)) != 0)
        return rc;
    if (cfg->alert_failed_runs > 0 && runs.failed_streak >= cfg->alert_failed_runs) {
        struct alert_item *it = add_found(ev, ALERT_FAILING, NULL);
        if (!it)
            return VKP_ENOMEM;
        it->fig.runs = runs.failed_streak;
        snprintf(it->fig.message, sizeof it->fig.message, "%s", runs.last_message);
    }
    if (cfg->alert_token && runs.last_auth) {
        struct alert_item *it = add_found(ev, ALERT_TOKEN, NULL);
        if (!it)
            return VKP_ENOMEM;
        it->fig.runs = runs.last_id;
        snprintf(it->fig.message, sizeof it->fig.message, "%s", runs.last_message);
    }
    return 0;
}

static char *payload_of(void *ud, const char *lang)
{
    return alert_payload(ud, lang);
}

/* Queues the announcement of it on every channel, in each channel's language. */
static int announce(struct eval *ev, struct alert_item *it, int64_t *queued)
{
    return deliver_queue(ev->st, ev->cfg, it->change == ALERT_ENDED ? "end" : "start", it->id,
                         payload_of, it, ev->now, queued);
}

static int same(const struct alert_item *a, const struct alert_item *b)
{
    return a->rule == b->rule && a->community_id == b->community_id;
}

/* Matches what holds now with what was open, writes the changes and builds the report. */
static int apply(struct eval *ev, struct alert_report *r)
{
    char *details = NULL;
    int rc = 0;

    r->items = calloc(ev->nfound + ev->nopen + 1, sizeof *r->items);
    if (!r->items)
        return VKP_ENOMEM;
    for (size_t i = 0; i < ev->nfound; i++) {
        struct alert_item *it = &ev->found[i];
        const struct alert_item *was = NULL;
        for (size_t j = 0; j < ev->nopen && !was; j++)
            if (same(it, &ev->open[j]))
                was = &ev->open[j];
        cJSON *fj = alerts_figures_json(it);
        details = fj ? cJSON_PrintUnformatted(fj) : NULL;
        cJSON_Delete(fj);
        if (!details)
            return VKP_ENOMEM;
        if (was) {
            it->id = was->id;
            it->started_at = was->started_at;
            it->change = ALERT_ONGOING;
            rc = store_alert_check(ev->st, it->id, ev->now, details);
        } else {
            it->started_at = ev->now;
            it->change = ALERT_STARTED;
            rc = store_alert_start(ev->st, rule_names[it->rule], it->community_id, ev->now, details,
                                   &it->id);
            if (rc == 0)
                rc = announce(ev, it, &r->queued);
        }
        free(details);
        details = NULL;
        if (rc != 0)
            return rc;
        r->items[r->nitems++] = *it;
    }
    r->nactive = r->nitems;
    for (size_t j = 0; j < ev->nopen; j++) {
        struct alert_item *it = &ev->open[j];
        int holds = 0;
        for (size_t i = 0; i < ev->nfound && !holds; i++)
            holds = same(it, &ev->found[i]);
        if (holds)
            continue;
        it->change = ALERT_ENDED;
        it->ended_at = ev->now;
        if ((rc = store_alert_end(ev->st, it->id, ev->now)) != 0 ||
            (rc = announce(ev, it, &r->queued)) != 0)
            return rc;
        r->items[r->nitems++] = *it;
    }
    return 0;
}

int alerts_evaluate(struct store *st, const struct config *cfg, int64_t now,
                    struct alert_report *out, char *err, size_t errlen)
{
    struct eval ev = {.st = st, .cfg = cfg, .now = now};
    int rc;

    memset(out, 0, sizeof *out);
    out->now = now;
    /* One write transaction: two evaluations at once (the service and a cron
     * job) take turns, and the second sees the first's alerts. */
    if ((rc = store_begin(st)) != 0)
        goto fail;
    if ((rc = find_conditions(&ev)) != 0 || (rc = store_each_open_alert(st, on_open, &ev)) != 0 ||
        (rc = apply(&ev, out)) != 0 || (rc = store_commit(st)) != 0)
        goto fail;
    out->skips = ev.skips;
    out->nskips = ev.nskips;
    free(ev.found);
    free(ev.open);
    return 0;
fail:
    store_rollback(st);
    snprintf(err, errlen, "cannot evaluate alerts: %s",
             rc == VKP_ENOMEM ? "out of memory" : store_errmsg(st));
    free(ev.found);
    free(ev.open);
    free(ev.skips);
    alert_report_release(out);
    return rc;
}

void alert_report_release(struct alert_report *r)
{
    free(r->items);
    free(r->skips);
    r->items = NULL;
    r->skips = NULL;
    r->nitems = r->nactive = r->nskips = 0;
}
