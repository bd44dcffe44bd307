/* render_csv.c: the report as one long CSV table (UTF-8 with BOM), documented in the README;
 * or, --csv-shape wide, one row per community and period. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "muni.h"
#include "csvout.h"
#include "render.h"

/* Where rows go and how they are written. */
struct csv {
    struct csv_writer w;      /* the file */
    enum lang lang;           /* of the label column */
    char week[16];            /* the report period's id */
    const char *active_label; /* "active this week" in the period's words */
};

static void field(struct csv *c, const char *s, int last)
{
    csv_field(&c->w, s, last);
}

/* A row's first eight fields: table, week, community, item, measure, label, value, status. */
static void row_head(struct csv *c, const char *table, const char *week, const char *com,
                     const char *item, const char *measure, const char *lab, const char *value,
                     const char *status)
{
    field(c, table, 0);
    field(c, week, 0);
    field(c, com, 0);
    field(c, item, 0);
    field(c, measure, 0);
    while (*lab == ' ')
        lab++;
    field(c, lab, 0);
    field(c, value, 0);
    field(c, status, 0);
}

/* One row without bounds: lower and upper empty. */
static void row(struct csv *c, const char *table, const char *week, const char *com,
                const char *item, const char *measure, const char *lab, const char *value,
                const char *status)
{
    row_head(c, table, week, com, item, measure, lab, value, status);
    field(c, "", 0);
    field(c, "", 1);
}

/* A number as text: integers plainly, others with up to 10 significant
 * digits; a decimal comma with the ';' separator (Excel in Russian). */
static void num(const struct csv *c, double v, char *buf, size_t len)
{
    csv_number_text(&c->w, v, buf, len);
}

/* A figure's value: a rate to 6 significant digits (0.0267719, not 0.02677189725), which
 * is finer than any report shows it; counts as they are. */
static void fig(const struct csv *c, enum metric_id m, double v, char *buf, size_t len)
{
    char r[32];
    if (metric_info(m)->is_rate) {
        snprintf(r, sizeof r, "%.6g", v);
        v = strtod(r, NULL);
    }
    num(c, v, buf, len);
}

/* A figure's lower and upper bounds (JSON `bounds`), empty where it has none; `last`: they
 * end the row. */
static void bounds(struct csv *c, const struct metric_value *v, int last)
{
    char buf[32] = "";
    if (v->bounded && v->state != MS_MISSING)
        num(c, v->lo, buf, sizeof buf);
    field(c, buf, 0);
    buf[0] = '\0';
    if (v->bounded && v->state != MS_MISSING)
        num(c, v->hi, buf, sizeof buf);
    field(c, buf, last);
}

/* One row of a figure: its value, status and bounds. */
static void figure_row(struct csv *c, const char *table, const char *wk, const char *com,
                       enum metric_id m, const char *lab, const struct metric_value *v)
{
    char buf[64] = "";
    if (v->state != MS_MISSING)
        fig(c, m, v->v, buf, sizeof buf);
    row_head(c, table, wk, com, "", metric_info(m)->key, lab, buf, render_state_key(v->state));
    bounds(c, v, 1);
}

static void int_row(struct csv *c, const char *table, const char *com, const char *item,
                    const char *measure, const char *lab, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    row(c, table, c->week, com, item, measure, lab, buf, "ok");
}

static void series(struct csv *c, const struct report *r, const struct metric_community *mc)
{
    char wk[16], buf[64];
    for (int i = 0; i < r->nweeks; i++) {
        const struct metric_week *w = &mc->weeks[i];
        week_format(&w->wk, wk, sizeof wk);
        for (int m = 0; m < M_COUNT; m++)
            figure_row(c, "figures", wk, mc->ref, (enum metric_id)m,
                       period_metric_label(c->lang, w->wk.kind, (enum metric_id)m), &w->m[m]);
        fmt_iso(w->start_at, buf, sizeof buf);
        row(c, "snapshots", wk, mc->ref, "", "start_snapshot", label(c->lang, L_SNAP_START), buf,
            w->start_at ? "ok" : "missing");
        fmt_iso(w->end_at, buf, sizeof buf);
        row(c, "snapshots", wk, mc->ref, "", "end_snapshot", label(c->lang, L_SNAP_END), buf,
            w->end_at ? "ok" : "missing");
        for (int b = 0; b < NOTE_COUNT_; b++)
            if (w->notes & (1u << b))
                row(c, "notes", wk, mc->ref, note_key(1u << b), "note",
                    note_label(c->lang, 1u << b), "", "");
    }
    for (int m = 0; m < M_COUNT; m++) {
        const struct metric_compare *k = &mc->cmp[m];
        const char *key = metric_info((enum metric_id)m)->key;
        const char *lab = period_metric_label(c->lang, mc->weeks[0].wk.kind, (enum metric_id)m);
        buf[0] = '\0';
        if (k->has_prev)
            fig(c, (enum metric_id)m, k->prev, buf, sizeof buf);
        row(c, "compare", c->week, mc->ref, key, "previous", lab, buf,
            k->has_prev ? "ok" : "missing");
        buf[0] = '\0';
        if (k->avg_weeks)
            fig(c, (enum metric_id)m, k->avg, buf, sizeof buf);
        row(c, "compare", c->week, mc->ref, key, "average", lab, buf,
            k->avg_weeks ? "ok" : "missing");
        int_row(c, "compare", mc->ref, key, "average_weeks", lab, k->avg_weeks);
    }
}

static void ladder(struct csv *c, const char *com, const char *item, const struct metric_ladder *l)
{
    const char *keys[] = {"members", "registered", "discuss", "contribute", "outsiders"};
    const enum label labs[] = {L_MEMBERS, L_REGISTERED, L_DISCUSS, L_CONTRIBUTE, L_OUTSIDERS};
    const int64_t v[] = {l->members, l->level[LADDER_REGISTERED], l->level[LADDER_DISCUSS],
                         l->level[LADDER_CONTRIBUTE], l->outsiders};
    char buf[32];
    for (size_t i = 0; i < 5; i++) {
        buf[0] = '\0';
        if (l->state != MS_MISSING)
            snprintf(buf, sizeof buf, "%" PRId64, v[i]);
        row(c, "ladder", c->week, com, item, keys[i], label(c->lang, labs[i]), buf,
            render_state_key(l->state));
    }
}

/* A rate's cell: empty (status missing) when it cannot be computed. */
static void rate_row(struct csv *c, const char *com, const char *item, const char *measure,
                     const char *lab, double v)
{
    char buf[40] = "";
    if (v >= 0)
        fig(c, M_ER_POST, v, buf, sizeof buf); /* a rate */
    row(c, "posts", c->week, com, item, measure, lab, buf, v >= 0 ? "ok" : "missing");
}

/* Every post of the period: the JSON's posts[] rows, item its URL. */
static void posts(struct csv *c, const struct metric_community *mc)
{
    char url[96], buf[40];
    for (size_t i = 0; i < mc->nposts; i++) {
        const struct metric_post *p = &mc->posts[i];
        render_post_url(p, url, sizeof url);
        fmt_iso(p->date, buf, sizeof buf);
        row(c, "posts", c->week, mc->ref, url, "date", label(c->lang, L_POST_DATE), buf, "ok");
        row(c, "posts", c->week, mc->ref, url, "type", render_kind_label(c->lang, p->kind),
            render_post_type_key(p->kind), "ok");
        row(c, "posts", c->week, mc->ref, url, "text", label(c->lang, L_POST_TEXT), p->text, "ok");
        int_row(c, "posts", mc->ref, url, "views", label(c->lang, L_P_VIEWS), p->views);
        int_row(c, "posts", mc->ref, url, "likes", label(c->lang, L_P_LIKES), p->likes);
        int_row(c, "posts", mc->ref, url, "comments", label(c->lang, L_P_COMMENTS), p->comments);
        int_row(c, "posts", mc->ref, url, "reposts", label(c->lang, L_P_REPOSTS), p->reposts);
        rate_row(c, mc->ref, url, "er_post", metric_label(c->lang, M_ER_POST), p->er_post);
        rate_row(c, mc->ref, url, "er_view", metric_label(c->lang, M_ER_VIEW), p->er_view);
    }
}

/* Posts and their reactions by weekday and hour over the window (only hours with posts). */
static void best_time(struct csv *c, const struct metric_community *mc)
{
    char item[32];
    for (int d = 0; d < 7; d++)
        for (int h = 0; h < 24; h++) {
            if (!mc->hours.posts[d][h])
                continue;
            snprintf(item, sizeof item, "weekday=%d hour=%02d", d + 1, h);
            int_row(c, "best_time", mc->ref, item, "posts", label(c->lang, L_HEAT_POSTS),
                    mc->hours.posts[d][h]);
            int_row(c, "best_time", mc->ref, item, "reactions", label(c->lang, L_HEAT_REACTIONS),
                    mc->hours.reactions[d][h]);
        }
}

static void community_extras(struct csv *c, const struct metric_community *mc)
{
    static const char *const kinds[] = {"community", "member", "repost"};
    char url[96], buf[40];
    posts(c, mc);
    best_time(c, mc);
    for (size_t i = 0; i < mc->ntop; i++) {
        const struct metric_post *p = &mc->posts[i];
        render_post_url(p, url, sizeof url);
        int_row(c, "top_posts", mc->ref, url, "rank",
                period_label(c->lang, mc->weeks[0].wk.kind, L_TOP_POSTS), (int64_t)i + 1);
        fmt_iso(p->date, buf, sizeof buf);
        row(c, "top_posts", c->week, mc->ref, url, "date", label(c->lang, L_POST_DATE), buf, "ok");
        int_row(c, "top_posts", mc->ref, url, "views", label(c->lang, L_P_VIEWS), p->views);
        int_row(c, "top_posts", mc->ref, url, "likes", label(c->lang, L_P_LIKES), p->likes);
        int_row(c, "top_posts", mc->ref, url, "comments", label(c->lang, L_P_COMMENTS),
                p->comments);
        int_row(c, "top_posts", mc->ref, url, "reposts", label(c->lang, L_P_REPOSTS), p->reposts);
        row(c, "top_posts", c->week, mc->ref, url, "kind", render_kind_label(c->lang, p->kind),
            kinds[p->kind], "ok");
    }
    ladder(c, mc->ref, "window", &mc->ladder);
    ladder(c, mc->ref, "previous", &mc->ladder_prev);
    const char *keys[] = {"up", "down", "same", "new", "gone"};
    const enum label labs[] = {L_UP, L_DOWN, L_SAME, L_CAME, L_WENT};
    const int64_t v[] = {mc->moves.up, mc->moves.down, mc->moves.same, mc->moves.came,
                         mc->moves.went};
    for (size_t i = 0; i < 5; i++) {
        buf[0] = '\0';
        if (mc->moves.state != MS_MISSING)
            snprintf(buf, sizeof buf, "%" PRId64, v[i]);
        row(c, "ladder", c->week, mc->ref, "moves", keys[i], label(c->lang, labs[i]), buf,
            render_state_key(mc->moves.state));
    }
}

static void people(struct csv *c, const struct metric_network *n)
{
    size_t n1 = n->ncom + 1;
    char item[48], measure[48];
    int_row(c, "people", "network", "", "members", label(c->lang, L_DISTINCT_MEMBERS), n->members);
    int_row(c, "people", "network", "", "active", label(c->lang, L_DISTINCT_ACTIVE), n->active);
    int_row(c, "people", "network", "", "excluded_communities", label(c->lang, L_EXCLUDED),
            (int64_t)n->excluded);
    int_row(c, "people", "network", "", "attributed", label(c->lang, L_ATTRIBUTED), n->attributed);
    int_row(c, "people", "network", "", "no_city", label(c->lang, L_NO_CITY), n->no_city);
    int_row(c, "people", "network", "", "outside_region", label(c->lang, L_OUTSIDE), n->outside);
    for (size_t k = 0; k < n1; k++) {
        snprintf(item, sizeof item, "communities=%zu", k);
        int_row(c, "people", "network", item, "members_in", label(c->lang, L_MEMBER_OF),
                n->members_in[k]);
        int_row(c, "people", "network", item, "active_in", label(c->lang, L_ACTIVE_IN),
                n->active_in[k]);
    }
    for (size_t k = 1; k < n1; k++)
        for (size_t j = 0; j < n1; j++) {
            snprintf(item, sizeof item, "members_in=%zu", k);
            snprintf(measure, sizeof measure, "active_in=%zu", j);
            int_row(c, "spread", "network", item, measure, label(c->lang, L_SPREAD),
                    n->spread[k * n1 + j]);
        }
    for (size_t i = 0; i < n->nmunis; i++) {
        const struct metric_muni *m = &n->munis[i];
        int_row(c, "municipalities", "network", m->muni->name, "members", label(c->lang, L_MEMBERS),
                m->members);
        int_row(c, "municipalities", "network", m->muni->name, "active", c->active_label,
                m->active);
        int_row(c, "municipalities", "network", m->muni->name, "discuss", label(c->lang, L_DISCUSS),
                m->discuss);
        int_row(c, "municipalities", "network", m->muni->name, "contribute",
                label(c->lang, L_CONTRIBUTE), m->contribute);
    }
}

/* The wide shape: one row per community and period, one column per figure key. */
static int render_csv_wide(const struct report *r, const struct render_options *o, FILE *out)
{
    struct csv c = {.lang = o->lang};
    char buf[64];
    csv_begin(&c.w, out, o->csv_sep);
    field(&c, "community", 0);
    field(&c, "period", 0);
    field(&c, "start", 0);
    field(&c, "end", 0);
    for (int m = 0; m < M_COUNT; m++) {
        const char *key = metric_info((enum metric_id)m)->key;
        field(&c, key, m == M_COUNT - 1 && !metric_info((enum metric_id)m)->has_bounds);
        if (metric_info((enum metric_id)m)->has_bounds) {
            snprintf(buf, sizeof buf, "%s_lower", key);
            field(&c, buf, 0);
            snprintf(buf, sizeof buf, "%s_upper", key);
            field(&c, buf, m == M_COUNT - 1);
        }
    }
    for (size_t i = render_show_total(r) ? 0 : 1; i <= r->ncoms; i++) {
        const struct metric_community *mc = i ? &r->coms[i - 1] : &r->total;
        for (int wi = 0; wi < r->nweeks; wi++) {
            const struct metric_week *w = &mc->weeks[wi];
            field(&c, mc->ref, 0);
            week_format(&w->wk, buf, sizeof buf);
            field(&c, buf, 0);
            fmt_iso(w->wk.start, buf, sizeof buf);
            field(&c, buf, 0);
            fmt_iso(w->wk.end, buf, sizeof buf);
            field(&c, buf, 0);
            for (int m = 0; m < M_COUNT; m++) {
                const int b = metric_info((enum metric_id)m)->has_bounds;
                buf[0] = '\0';
                if (w->m[m].state != MS_MISSING)
                    fig(&c, (enum metric_id)m, w->m[m].v, buf, sizeof buf);
                field(&c, buf, m == M_COUNT - 1 && !b);
                if (b)
                    bounds(&c, &w->m[m], m == M_COUNT - 1);
            }
        }
    }
    return ferror(out) ? VKP_EIO : 0;
}

/* The yearly layout: each yearly figure per year, its change over the last year and its trend. */
static void yearly_series(struct csv *c, const struct report *r, const struct metric_community *mc)
{
    RENDER_YEARLY(yearly, nyearly);
    char buf[40], wk[16];
    const int n = r->nweeks;
    for (size_t k = 0; k < nyearly; k++) {
        enum metric_id m = yearly[k];
        const char *key = metric_info(m)->key, *lab = period_metric_label(c->lang, r->week.kind, m);
        const struct metric_value *cur = &mc->weeks[n - 1].m[m];
        for (int i = 0; i < n; i++) {
            week_format(&r->weeks[i], wk, sizeof wk);
            figure_row(c, "yearly", wk, mc->ref, m, lab, &mc->weeks[i].m[m]);
        }
        buf[0] = '\0';
        int has = n > 1 && cur->state != MS_MISSING && mc->weeks[n - 2].m[m].state != MS_MISSING;
        if (has)
            num(c, cur->v - mc->weeks[n - 2].m[m].v, buf, sizeof buf);
        row(c, "yearly_change", c->week, mc->ref, "", key, lab, buf, has ? "ok" : "missing");
        enum render_trend t = render_trend(r, mc, m);
        row(c, "yearly_trend", c->week, mc->ref, "", key, lab, t ? render_trend_key(t) : "",
            t ? "ok" : "missing");
    }
    unsigned bits = render_notes(mc, n);
    for (int b = 0; b < NOTE_COUNT_; b++)
        if (bits & (1u << b))
            row(c, "notes", c->week, mc->ref, note_key(1u << b), "note",
                note_label(c->lang, 1u << b), "", "");
}

int render_csv(const struct report *r, const struct render_options *o, FILE *out)
{
    struct csv c = {.lang = o->lang};
    char wk[16];

    if (o->shape == CSV_WIDE)
        return render_csv_wide(r, o, out);
    c.active_label = period_label(o->lang, r->week.kind, L_ACTIVE);
    week_format(&r->week, c.week, sizeof c.week);
    csv_begin(&c.w, out, o->csv_sep);
    /* The header is stable English keys whatever --lang says, so a script
     * reads any report; the words of --lang are in the label column. */
    row_head(&c, "table", "period", "community", "item", "measure", "label", "value", "status");
    field(&c, "lower", 0);
    field(&c, "upper", 1);
    if (render_is_yearly(r)) {
        yearly_series(&c, r, &r->total);
        for (size_t i = 0; i < r->ncoms; i++)
            yearly_series(&c, r, &r->coms[i]);
        return ferror(out) ? VKP_EIO : 0;
    }
    for (int i = 0; i < r->nweeks; i++) {
        week_format(&r->weeks[i], wk, sizeof wk);
        const int64_t v[] = {r->runs[i].total, r->runs[i].ok, r->runs[i].partial,
                             r->runs[i].failed};
        const char *keys[] = {"total", "ok", "partial", "failed"};
        const enum label labs[] = {L_RUNS, L_RUNS_OK, L_RUNS_PARTIAL, L_RUNS_FAILED};
        for (size_t k = 0; k < 4; k++) {
            char buf[32];
            snprintf(buf, sizeof buf, "%" PRId64, v[k]);
            row(&c, "runs", wk, "", "", keys[k], label(o->lang, labs[k]), buf, "ok");
        }
    }
    if (render_show_total(r))
        series(&c, r, &r->total);
    for (size_t i = 0; i < o->nalerts; i++)
        row(&c, "alerts", c.week, o->alerts[i].ref ? o->alerts[i].ref : "network",
            o->alerts[i].rule, "text", label(o->lang, L_ALERTS), o->alerts[i].text, "ok");
    for (size_t i = 0; i < r->ncoms; i++) {
        series(&c, r, &r->coms[i]);
        community_extras(&c, &r->coms[i]);
    }
    if (render_show_total(r))
        people(&c, &r->net);
    return ferror(out) ? VKP_EIO : 0;
}
