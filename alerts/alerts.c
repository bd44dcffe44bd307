/* alerts.c: the evaluation of the rule table (alert_rules.c) over the store and alert state
 * (announced once when a condition starts and once when it ends); texts in alerts_text.c. */
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
#include "store_alerts.h"
#include "text.h"

/* ---- the rules' rows ------------------------------------------------------------------ */

const struct alert_rule *alert_rule_find(const char *name)
{
    for (size_t i = 0; i < alert_nrules; i++)
        if (strcmp(alert_rules[i].name, name) == 0)
            return &alert_rules[i];
    return NULL;
}

const char *alert_rule_name(const struct alert_rule *rule)
{
    return rule->name;
}

const char *alert_title(const struct alert_rule *rule, const char *lang)
{
    return rule->title[alerts_lang(lang)];
}

double alert_key(const struct alert_eval *ev, const struct alert_rule *rule, int i)
{
    double v = config_number(ev->cfg, "alerts", rule->keys[i]);
    return isnan(v) ? 0 : v;
}

/* ---- evaluation ------------------------------------------------------------------------ */

struct alert_item *alert_found(struct alert_eval *ev, const struct alert_rule *rule,
                               const struct store_alert_facts *f)
{
    if (text_grow((void **)&ev->found, &ev->capfound, ev->nfound + 1, sizeof *ev->found) != 0)
        return NULL;
    struct alert_item *it = &ev->found[ev->nfound++];
    memset(it, 0, sizeof *it);
    it->rule = rule;
    if (f) {
        it->community_id = f->community_id;
        text_copy(it->ref, sizeof it->ref, f->ref);
        text_copy(it->name, sizeof it->name, f->name ? f->name : f->ref);
        it->vk_id = f->vk_id;
    }
    return it;
}

int alert_skip(struct alert_eval *ev, const struct alert_rule *rule, const char *ref,
               enum alert_lack lack)
{
    if (text_grow((void **)&ev->skips, &ev->capskips, ev->nskips + 1, sizeof *ev->skips) != 0)
        return VKP_ENOMEM;
    struct alert_skip *s = &ev->skips[ev->nskips++];
    s->rule = rule;
    text_copy(s->ref, sizeof s->ref, ref);
    s->lack = lack;
    return 0;
}

/* Every per-community rule on one community. */
static int on_facts(void *ud, const struct store_alert_facts *f)
{
    struct alert_eval *ev = ud;
    int rc;
    for (size_t i = 0; i < alert_nrules; i++)
        if (alert_rules[i].community &&
            (rc = alert_rules[i].community(ev, &alert_rules[i], f)) != 0)
            return rc;
    return 0;
}

/* An open alert as stored; 0, or -1 for a rule of a newer vkpulse (left alone). */
static int item_from(struct alert_item *it, const struct store_alert *a)
{
    const struct alert_rule *rule = alert_rule_find(a->rule);
    if (!rule)
        return -1;
    memset(it, 0, sizeof *it);
    it->id = a->id;
    it->rule = rule;
    it->community_id = a->community_id;
    it->started_at = a->started_at;
    alerts_figures_parse(it, a->details);
    return 0;
}

static int on_open(void *ud, const struct store_alert *a)
{
    struct alert_eval *ev = ud;
    if (text_grow((void **)&ev->open, &ev->capopen, ev->nopen + 1, sizeof *ev->open) != 0)
        return VKP_ENOMEM;
    if (item_from(&ev->open[ev->nopen], a) == 0)
        ev->nopen++;
    return 0;
}

const char *alert_stored_text(const char *rule, const char *details, const char *lang, char *buf,
                              size_t len)
{
    struct store_alert a = {.rule = rule, .details = details};
    struct alert_item it;
    return item_from(&it, &a) == 0 ? alert_text(&it, lang, buf, len) : NULL;
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

static int find_conditions(struct alert_eval *ev, struct store_runs_facts *runs)
{
    int rc;

    if ((rc = store_runs_facts(ev->st, (int)config_number(ev->cfg, "alerts", "failed_runs"),
                               runs)) != 0)
        return rc;
    ev->runs = runs;
    if ((rc = store_each_alert_facts(ev->st, on_facts, ev)) != 0)
        return rc;
    for (size_t i = 0; i < alert_nrules; i++)
        if (alert_rules[i].collection && (rc = alert_rules[i].collection(ev, &alert_rules[i])) != 0)
            return rc;
    return 0;
}

static char *payload_of(void *ud, const char *lang)
{
    return alert_payload(ud, lang);
}

/* Queues the announcement of it on every channel, in each channel's language. */
static int announce(struct alert_eval *ev, struct alert_item *it, int64_t *queued)
{
    return deliver_queue(ev->st, ev->cfg, it->change == ALERT_ENDED ? "end" : "start", it->id,
                         payload_of, it, ev->now, queued);
}

static int same(const struct alert_item *a, const struct alert_item *b)
{
    return a->rule == b->rule && a->community_id == b->community_id;
}

/* Matches what holds now with what was open, writes the changes and builds the report. */
static int apply(struct alert_eval *ev, struct alert_report *r)
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
            rc = store_alert_start(ev->st, it->rule->name, it->community_id, ev->now, details,
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
    struct alert_eval ev = {.st = st, .cfg = cfg, .now = now};
    struct store_runs_facts runs;
    int rc;

    memset(out, 0, sizeof *out);
    out->now = now;
    /* One write transaction: two evaluations at once (the service and a cron
     * job) take turns, and the second sees the first's alerts. */
    if ((rc = store_begin(st)) != 0)
        goto fail;
    if ((rc = find_conditions(&ev, &runs)) != 0 ||
        (rc = store_each_open_alert(st, on_open, &ev)) != 0 || (rc = apply(&ev, out)) != 0 ||
        (rc = store_commit(st)) != 0)
        goto fail;
    out->skips = ev.skips;
    out->nskips = ev.nskips;
    free(ev.found);
    free(ev.open);
    return 0;
fail:
    store_rollback(st);
    snprintf(err, errlen, "cannot evaluate alerts: %s", store_error(st, rc));
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
