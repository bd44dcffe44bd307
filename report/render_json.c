/* render_json.c: the report as JSON following docs/report.schema.json (language-neutral keys). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "muni.h"
#include "jsondoc.h"
#include "render.h"

/* Version of docs/report.schema.json this writer follows (2: the shared envelope). */
#define REPORT_SCHEMA_VERSION 3 /* 3: every post, the SMM rates, reach, best time, alerts */

/* Adds an ISO time or null for 0. */
static cJSON *add_time(cJSON *o, const char *key, int64_t t)
{
    return jsondoc_time(o, key, t);
}

static cJSON *add_int(cJSON *o, const char *key, int64_t v)
{
    return cJSON_AddNumberToObject(o, key, (double)v);
}

/* [lo, hi] of a figure approximate by the dating of likes, else null. */
static cJSON *bounds_item(const struct metric_value *v)
{
    if (v->state == MS_MISSING || !v->bounded)
        return cJSON_CreateNull();
    cJSON *b = cJSON_CreateArray();
    cJSON_AddItemToArray(b, cJSON_CreateNumber(v->lo));
    cJSON_AddItemToArray(b, cJSON_CreateNumber(v->hi));
    return b;
}

static cJSON *week_ref(const struct week *w)
{
    char id[16];
    cJSON *o = cJSON_CreateObject();
    week_format(w, id, sizeof id);
    cJSON_AddStringToObject(o, "id", id);
    add_time(o, "start", w->start);
    add_time(o, "end", w->end);
    return o;
}

static cJSON *week_obj(const struct metric_week *w)
{
    char id[16];
    cJSON *o = cJSON_CreateObject(), *notes, *figs;
    week_format(&w->wk, id, sizeof id);
    cJSON_AddStringToObject(o, "week", id);
    add_time(o, "start_snapshot", w->start_at);
    add_time(o, "end_snapshot", w->end_at);
    /* how far each snapshot is from its boundary, seconds (negative: before it), null: none */
    if (w->start_at)
        add_int(o, "start_snapshot_offset", w->start_at - w->wk.start);
    else
        cJSON_AddNullToObject(o, "start_snapshot_offset");
    if (w->end_at)
        add_int(o, "end_snapshot_offset", w->end_at - w->wk.end);
    else
        cJSON_AddNullToObject(o, "end_snapshot_offset");
    notes = cJSON_AddArrayToObject(o, "notes");
    for (int b = 0; b < NOTE_COUNT_; b++)
        if (w->notes & (1u << b))
            cJSON_AddItemToArray(notes, cJSON_CreateString(note_key(1u << b)));
    add_int(o, "old_posts_skipped", w->old_posts_skipped);
    figs = cJSON_AddObjectToObject(o, "figures");
    for (int m = 0; m < M_COUNT; m++) {
        cJSON *f = cJSON_AddObjectToObject(figs, metric_info((enum metric_id)m)->key);
        if (!f)
            continue;
        if (w->m[m].state == MS_MISSING)
            cJSON_AddNullToObject(f, "value");
        else
            cJSON_AddNumberToObject(f, "value", w->m[m].v);
        cJSON_AddStringToObject(f, "status", render_state_key(w->m[m].state));
        if (w->m[m].bounded && w->m[m].state != MS_MISSING)
            cJSON_AddItemToObject(f, "bounds", bounds_item(&w->m[m]));
    }
    return o;
}

static void add_weeks(cJSON *o, const struct metric_community *c, int nweeks)
{
    cJSON *weeks = cJSON_AddArrayToObject(o, "weeks");
    cJSON *cmp = cJSON_AddObjectToObject(o, "compare");
    for (int i = 0; i < nweeks; i++)
        cJSON_AddItemToArray(weeks, week_obj(&c->weeks[i]));
    for (int m = 0; m < M_COUNT && cmp; m++) {
        const struct metric_compare *k = &c->cmp[m];
        cJSON *f = cJSON_AddObjectToObject(cmp, metric_info((enum metric_id)m)->key);
        if (!f)
            continue;
        if (k->has_prev)
            cJSON_AddNumberToObject(f, "previous", k->prev);
        else
            cJSON_AddNullToObject(f, "previous");
        if (k->avg_weeks)
            cJSON_AddNumberToObject(f, "average", k->avg);
        else
            cJSON_AddNullToObject(f, "average");
        add_int(f, "average_weeks", k->avg_weeks);
    }
}

/* A rate, or null where it cannot be computed (a negative value). */
static void add_rate(cJSON *o, const char *key, double v)
{
    if (v < 0)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, v);
}

/* One post of the period: the same row as the HTML table, the CSV and the XLSX sheet. */
static cJSON *post_obj(const struct metric_post *p)
{
    cJSON *po = cJSON_CreateObject();
    char url[96];
    render_post_url(p, url, sizeof url);
    cJSON_AddStringToObject(po, "url", url);
    add_int(po, "owner_id", p->owner_id);
    add_int(po, "id", p->id);
    add_time(po, "date", p->date);
    cJSON_AddStringToObject(po, "type", render_post_type_key(p->kind));
    cJSON_AddStringToObject(po, "text", p->text);
    add_int(po, "views", p->views);
    add_int(po, "likes", p->likes);
    add_int(po, "comments", p->comments);
    add_int(po, "reposts", p->reposts);
    add_int(po, "reactions", metric_post_reactions(p));
    add_rate(po, "er_post", p->er_post);
    add_rate(po, "er_view", p->er_view);
    return po;
}

/* Posts and reactions by weekday (Monday first) and hour, over the trend window. */
static cJSON *hours_obj(const struct metric_hours *h)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *posts = cJSON_AddArrayToObject(o, "posts"), *re = cJSON_AddArrayToObject(o, "reactions");
    for (int d = 0; d < 7 && posts && re; d++) {
        cJSON *pd = cJSON_CreateArray(), *rd = cJSON_CreateArray();
        for (int hr = 0; hr < 24; hr++) {
            cJSON_AddItemToArray(pd, cJSON_CreateNumber((double)h->posts[d][hr]));
            cJSON_AddItemToArray(rd, cJSON_CreateNumber((double)h->reactions[d][hr]));
        }
        cJSON_AddItemToArray(posts, pd);
        cJSON_AddItemToArray(re, rd);
    }
    return o;
}

/* Five counts under their keys and a status; null counts when it is missing. */
static cJSON *counts_obj(enum metric_state st, const char *const keys[5], const int64_t v[5])
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", render_state_key(st));
    for (size_t i = 0; i < 5; i++) {
        if (st == MS_MISSING)
            cJSON_AddNullToObject(o, keys[i]);
        else
            add_int(o, keys[i], v[i]);
    }
    return o;
}

static cJSON *ladder_obj(const struct metric_ladder *l)
{
    static const char *const keys[] = {"members", "registered", "discuss", "contribute",
                                       "outsiders"};
    const int64_t v[] = {l->members, l->level[LADDER_REGISTERED], l->level[LADDER_DISCUSS],
                         l->level[LADDER_CONTRIBUTE], l->outsiders};
    return counts_obj(l->state, keys, v);
}

static cJSON *moves_obj(const struct metric_moves *mv)
{
    static const char *const keys[] = {"up", "down", "same", "new", "gone"};
    const int64_t v[] = {mv->up, mv->down, mv->same, mv->came, mv->went};
    return counts_obj(mv->state, keys, v);
}

static cJSON *community_obj(const struct metric_community *c, int nweeks)
{
    static const char *const kinds[] = {"community", "member", "repost"};
    cJSON *o = cJSON_CreateObject(), *top, *lad;
    char url[96];

    cJSON_AddStringToObject(o, "ref", c->ref);
    if (c->name)
        cJSON_AddStringToObject(o, "name", c->name);
    else
        cJSON_AddNullToObject(o, "name");
    cJSON_AddStringToObject(o, "kind", c->kind);
    if (c->vk_id) {
        add_int(o, "vk_id", c->vk_id);
        snprintf(url, sizeof url, "https://vk.com/club%lld", (long long)c->vk_id);
        cJSON_AddStringToObject(o, "url", url);
    } else {
        cJSON_AddNullToObject(o, "vk_id");
        cJSON_AddNullToObject(o, "url");
    }
    cJSON_AddBoolToObject(o, "configured", c->active);
    add_weeks(o, c, nweeks);
    top = cJSON_AddArrayToObject(o, "posts");
    for (size_t i = 0; i < c->nposts && top; i++)
        cJSON_AddItemToArray(top, post_obj(&c->posts[i]));
    top = cJSON_AddArrayToObject(o, "top_posts");
    for (size_t i = 0; i < c->ntop && top; i++) {
        cJSON *po = post_obj(&c->posts[i]);
        cJSON_AddStringToObject(po, "kind", kinds[c->posts[i].kind]);
        cJSON_AddItemToArray(top, po);
    }
    cJSON_AddItemToObject(o, "best_time", hours_obj(&c->hours));
    lad = cJSON_AddObjectToObject(o, "ladder");
    if (lad) {
        cJSON_AddItemToObject(lad, "window", ladder_obj(&c->ladder));
        cJSON_AddItemToObject(lad, "previous", ladder_obj(&c->ladder_prev));
        cJSON_AddItemToObject(lad, "moves", moves_obj(&c->moves));
    }
    return o;
}

static cJSON *people_obj(const struct metric_network *n)
{
    size_t n1 = n->ncom + 1;
    cJSON *o = cJSON_CreateObject(), *a, *sp, *mu;

    cJSON_AddStringToObject(o, "status", render_state_key(n->state));
    add_int(o, "members", n->members);
    add_int(o, "active", n->active);
    add_int(o, "excluded_communities", (int64_t)n->excluded);
    a = cJSON_AddArrayToObject(o, "members_in_communities");
    for (size_t k = 0; k < n1 && a; k++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)n->members_in[k]));
    a = cJSON_AddArrayToObject(o, "active_in_communities");
    for (size_t k = 0; k < n1 && a; k++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)n->active_in[k]));
    sp = cJSON_AddArrayToObject(o, "spread");
    for (size_t k = 0; k < n1 && sp; k++) {
        cJSON *row = cJSON_CreateArray();
        for (size_t j = 0; j < n1; j++)
            cJSON_AddItemToArray(row, cJSON_CreateNumber((double)n->spread[k * n1 + j]));
        cJSON_AddItemToArray(sp, row);
    }
    add_int(o, "attributed", n->attributed);
    add_int(o, "no_city", n->no_city);
    add_int(o, "outside_region", n->outside);
    mu = cJSON_AddArrayToObject(o, "municipalities");
    for (size_t i = 0; i < n->nmunis && mu; i++) {
        const struct metric_muni *m = &n->munis[i];
        cJSON *mo = cJSON_CreateObject();
        cJSON_AddStringToObject(mo, "name", m->muni->name);
        cJSON_AddStringToObject(mo, "short_name", m->muni->short_name);
        add_int(mo, "members", m->members);
        add_int(mo, "active", m->active);
        add_int(mo, "discuss", m->discuss);
        add_int(mo, "contribute", m->contribute);
        cJSON_AddItemToArray(mu, mo);
    }
    return o;
}

static int emit(cJSON *root, FILE *out)
{
    return jsondoc_emit(root, out);
}

/* ---- the yearly report (docs/yearly.schema.json) ----------------------------------------- */

#define YEARLY_SCHEMA_VERSION 2

static cJSON *yearly_obj(const struct report *r, const struct metric_community *c)
{
    RENDER_YEARLY(yearly, nyearly);
    cJSON *o = cJSON_CreateObject(), *figs, *notes;
    const int n = r->nweeks;
    unsigned bits = render_notes(c, n);

    figs = cJSON_AddObjectToObject(o, "figures");
    for (size_t k = 0; k < nyearly && figs; k++) {
        enum metric_id m = yearly[k];
        cJSON *f = cJSON_AddObjectToObject(figs, metric_info(m)->key);
        cJSON *vals = cJSON_AddArrayToObject(f, "values");
        cJSON *sts = cJSON_AddArrayToObject(f, "status");
        cJSON *bnds = cJSON_AddArrayToObject(f, "bounds");
        const struct metric_value *cur = &c->weeks[n - 1].m[m];
        const struct metric_value *prev = n > 1 ? &c->weeks[n - 2].m[m] : cur;
        for (int i = 0; i < n && vals && sts; i++) {
            const struct metric_value *v = &c->weeks[i].m[m];
            cJSON_AddItemToArray(vals, v->state == MS_MISSING ? cJSON_CreateNull()
                                                              : cJSON_CreateNumber(v->v));
            cJSON_AddItemToArray(sts, cJSON_CreateString(render_state_key(v->state)));
            if (bnds)
                cJSON_AddItemToArray(bnds, bounds_item(v));
        }
        if (n > 1 && cur->state != MS_MISSING && prev->state != MS_MISSING) {
            cJSON_AddNumberToObject(f, "change", cur->v - prev->v);
            if (prev->v != 0 && !metric_info(m)->is_rate)
                cJSON_AddNumberToObject(f, "change_percent", 100.0 * (cur->v - prev->v) / prev->v);
            else
                cJSON_AddNullToObject(f, "change_percent");
        } else {
            cJSON_AddNullToObject(f, "change");
            cJSON_AddNullToObject(f, "change_percent");
        }
        enum render_trend t = render_trend(r, c, m);
        if (t)
            cJSON_AddStringToObject(f, "trend", render_trend_key(t));
        else
            cJSON_AddNullToObject(f, "trend");
    }
    notes = cJSON_AddArrayToObject(o, "notes");
    for (int b = 0; b < NOTE_COUNT_ && notes; b++)
        if (bits & (1u << b))
            cJSON_AddItemToArray(notes, cJSON_CreateString(note_key(1u << b)));
    return o;
}

static int yearly_json(const struct report *r, FILE *out)
{
    cJSON *root = jsondoc_new("vkpulse-yearly", YEARLY_SCHEMA_VERSION, r->generated_at, r->tz);
    cJSON *years, *coms;

    if (!root)
        return VKP_ENOMEM;
    cJSON_AddStringToObject(root, "report", "yearly");
    cJSON_AddStringToObject(root, "period", period_kind_name(r->week.kind));
    add_time(root, "counters_as_of", render_counters_at(r));
    /* an open year: every year counted from its start to this day of its year */
    add_time(root, "year_to_date", r->ytd_cut);
    years = cJSON_AddArrayToObject(root, "years");
    for (int i = 0; i < r->nweeks && years; i++) {
        cJSON *y = week_ref(&r->weeks[i]);
        /* a year still running when the report was made: its figures are partial */
        cJSON_AddBoolToObject(y, "complete", i < r->nweeks - 1 || !render_last_open(r));
        cJSON_AddItemToArray(years, y);
    }
    cJSON_AddItemToObject(root, "network", yearly_obj(r, &r->total));
    coms = cJSON_AddArrayToObject(root, "communities");
    for (size_t c = 0; c < r->ncoms && coms; c++) {
        const struct metric_community *mc = &r->coms[c];
        cJSON *o = yearly_obj(r, mc);
        cJSON_AddStringToObject(o, "ref", mc->ref);
        if (mc->name)
            cJSON_AddStringToObject(o, "name", mc->name);
        else
            cJSON_AddNullToObject(o, "name");
        add_int(o, "vk_id", mc->vk_id);
        cJSON_AddItemToArray(coms, o);
    }
    return emit(root, out);
}

int render_json(const struct report *r, const struct render_options *o, FILE *out)
{
    cJSON *root, *win, *net, *coms, *alerts;

    if (render_is_yearly(r))
        return yearly_json(r, out);
    if (!(root = jsondoc_new("vkpulse-report", REPORT_SCHEMA_VERSION, r->generated_at, r->tz)))
        return VKP_ENOMEM;
    add_int(root, "snapshot_slack_hours", r->slack / 3600);
    cJSON_AddStringToObject(root, "period", period_kind_name(r->week.kind));
    cJSON_AddItemToObject(root, "week", week_ref(&r->week));
    win = cJSON_AddArrayToObject(root, "window");
    for (int i = 0; i < r->nweeks && win; i++) {
        cJSON *w = week_ref(&r->weeks[i]), *runs = cJSON_AddObjectToObject(w, "runs");
        add_int(runs, "total", r->runs[i].total);
        add_int(runs, "ok", r->runs[i].ok);
        add_int(runs, "partial", r->runs[i].partial);
        add_int(runs, "failed", r->runs[i].failed);
        cJSON_AddItemToArray(win, w);
    }
    net = cJSON_AddObjectToObject(root, "network");
    if (net) {
        add_weeks(net, &r->total, r->nweeks);
        cJSON_AddItemToObject(net, "best_time", hours_obj(&r->total.hours));
    }
    alerts = cJSON_AddArrayToObject(root, "alerts");
    for (size_t i = 0; i < o->nalerts && alerts; i++) {
        const struct render_alert *a = &o->alerts[i];
        cJSON *ao = cJSON_CreateObject();
        cJSON_AddStringToObject(ao, "rule", a->rule);
        if (a->ref)
            cJSON_AddStringToObject(ao, "community", a->ref);
        else
            cJSON_AddNullToObject(ao, "community");
        add_time(ao, "since", a->since);
        cJSON_AddStringToObject(ao, "text", a->text);
        cJSON_AddItemToArray(alerts, ao);
    }
    coms = cJSON_AddArrayToObject(root, "communities");
    for (size_t c = 0; c < r->ncoms && coms; c++)
        cJSON_AddItemToArray(coms, community_obj(&r->coms[c], r->nweeks));
    cJSON_AddItemToObject(root, "people", people_obj(&r->net));
    return emit(root, out);
}
