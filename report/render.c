/* render.c: number, date and name formatting that every format shares. */
#include "render.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "fmt.h"
#include "outfile.h"
#include "week.h"

void render_number(enum lang lang, double v, int is_rate, char *buf, size_t len)
{
    if (is_rate)
        fmt_percent(lang, v, 1, buf, len);
    else
        fmt_decimal(lang, v, 0, buf, len);
}

void render_value(enum lang lang, enum metric_id m, const struct metric_value *v, char *buf,
                  size_t len)
{
    char num[64];
    if (v->state == MS_MISSING) {
        snprintf(buf, len, "%s", label(lang, L_NA));
        return;
    }
    render_number(lang, v->v, metric_info(m)->is_rate, num, sizeof num);
    snprintf(buf, len, "%s%s", v->state == MS_APPROX ? "~" : "", num);
}

void render_change(enum lang lang, enum metric_id m, double cur, double prev, char *buf, size_t len)
{
    double d = cur - prev;
    char n[48], p[48];
    fmt_decimal(lang, metric_info(m)->is_rate ? d * 100.0 : d, metric_info(m)->is_rate, n,
                sizeof n);
    const char *sign = n[0] == '-' ? "" : "+";
    if (metric_info(m)->is_rate) {
        snprintf(buf, len, lang == LANG_RU ? "%s%s п.п." : "%s%s pp", sign, n);
    } else if (prev > 0 && cur >= 0 && m != M_NET) {
        /* A per cent of a signed quantity (the net change) means nothing. */
        fmt_decimal(lang, 100.0 * d / prev, 0, p, sizeof p);
        snprintf(buf, len, lang == LANG_RU ? "%s%s (%s%s %%)" : "%s%s (%s%s%%)", sign, n,
                 p[0] == '-' ? "" : "+", p);
    } else {
        snprintf(buf, len, "%s%s", sign, n);
    }
}

const char *render_name(const struct metric_community *c)
{
    return c->name && c->name[0] ? c->name : c->ref;
}

void render_post_url(const struct metric_post *p, char *buf, size_t len)
{
    snprintf(buf, len, "https://vk.com/wall%" PRId64 "_%" PRId64, p->owner_id, p->id);
}

const char *render_kind_label(enum lang lang, enum post_kind k)
{
    static const enum label l[] = {L_KIND_COMMUNITY, L_KIND_MEMBER, L_KIND_REPOST};
    return label(lang, l[k]);
}

const char *render_state_key(enum metric_state s)
{
    static const char *const keys[] = {"ok", "approximate", "missing"};
    return keys[s];
}

/* ---- the yearly report ------------------------------------------------------------------- */

/* Subscribers, reposts from other communities, likes, views, reposts, posts and the
 * teachers' share of them: what the institute reports with three years' dynamics. */
const enum metric_id render_yearly_figures[] = {
    M_SUBS_START,    M_SUBS_END,  M_NET,       M_POSTS,       M_POSTS_MEMBERS, M_MEMBERS_SHARE,
    M_REPOSTS_OTHER, M_OWN_LIKES, M_OWN_VIEWS, M_OWN_REPOSTS, M_OWN_COMMENTS,  M_ACTIVE,
};
const size_t render_yearly_nfigures =
    sizeof render_yearly_figures / sizeof render_yearly_figures[0];

int render_is_yearly(const struct report *r)
{
    return r->week.kind == PERIOD_YEAR || r->week.kind == PERIOD_SCHOOL_YEAR;
}

int render_last_open(const struct report *r)
{
    return r->ytd_cut || r->weeks[r->nweeks - 1].end > r->generated_at;
}

enum render_trend render_trend(const struct report *r, const struct metric_community *c,
                               enum metric_id m)
{
    int up = 1, down = 1, nweeks = r->nweeks;
    if (nweeks < 2)
        return TREND_NONE;
    if (render_last_open(r) && !r->ytd_cut)
        return TREND_OPEN; /* a year still running is no match for full ones */
    for (int i = 0; i < nweeks; i++)
        if (c->weeks[i].m[m].state == MS_MISSING)
            return TREND_NONE;
    for (int i = 1; i < nweeks; i++) {
        up &= c->weeks[i].m[m].v > c->weeks[i - 1].m[m].v;
        down &= c->weeks[i].m[m].v < c->weeks[i - 1].m[m].v;
    }
    return up ? TREND_UP : down ? TREND_DOWN : TREND_MIXED;
}

void render_yearly_change(const struct report *r, enum lang lang, const struct metric_community *c,
                          enum metric_id m, char *buf, size_t len)
{
    const int n = r->nweeks;
    buf[0] = '\0';
    if (n > 1 && c->weeks[n - 1].m[m].state != MS_MISSING &&
        c->weeks[n - 2].m[m].state != MS_MISSING)
        render_change(lang, m, c->weeks[n - 1].m[m].v, c->weeks[n - 2].m[m].v, buf, len);
}

void render_yearly_notes(const struct report *r, enum lang lang, char *as_of, char *open,
                         size_t len)
{
    char at[48];
    fmt_date(lang, render_counters_at(r), 1, at, sizeof at);
    snprintf(as_of, len, "%s%s%s.", label(lang, L_AS_OF), at[0] ? ": " : "", at);
    open[0] = '\0';
    if (r->ytd_cut) {
        /* Like with like: 1 January – 5 December of each year (issue 21). */
        char from[48], to[48];
        fmt_date(lang, r->weeks[r->nweeks - 1].start, 0, from, sizeof from);
        fmt_date(lang, r->ytd_cut, 0, to, sizeof to);
        snprintf(open, len, "* %s: %s (%s – %s)", label(lang, L_OPEN_PERIOD),
                 label(lang, L_YEAR_TO_DATE), from, to);
    } else if (render_last_open(r)) {
        snprintf(open, len, "* %s: %s", label(lang, L_OPEN_PERIOD), label(lang, L_TREND_OPEN));
    }
}

void render_period_head(const struct report *r, int i, char *buf, size_t len)
{
    week_format(&r->weeks[i], buf, len);
    if (i == r->nweeks - 1 && render_last_open(r) && strlen(buf) + 2 <= len)
        strcat(buf, "*");
}

const char *render_trend_key(enum render_trend t)
{
    static const char *const keys[] = {NULL, "up", "down", "mixed", "open"};
    return keys[t];
}

const char *render_trend_label(enum lang lang, enum render_trend t)
{
    static const enum label labs[] = {L_TREND_UP, L_TREND_DOWN, L_TREND_MIXED, L_TREND_OPEN};
    return t == TREND_NONE ? "" : label(lang, labs[t - 1]);
}

int64_t render_counters_at(const struct report *r)
{
    int64_t at = 0;
    for (size_t c = 0; c < r->ncoms; c++)
        for (int i = 0; i < r->nweeks; i++)
            if (r->coms[c].weeks[i].counters_at > at)
                at = r->coms[c].weeks[i].counters_at;
    return at;
}

unsigned render_notes(const struct metric_community *c, int nweeks)
{
    unsigned bits = 0;
    for (int i = 0; i < nweeks; i++)
        bits |= c->weeks[i].notes;
    return bits;
}

int render_report(const struct report *r, enum render_format f, const struct render_options *ro,
                  FILE *out)
{
    switch (f) {
    case RENDER_CSV:
        return render_csv(r, ro, out);
    case RENDER_JSON:
        return render_json(r, ro, out);
    case RENDER_HTML:
        return render_html(r, ro, out);
    default:
        return render_text(r, ro, out);
    }
}

int render_report_file(const struct report *r, enum render_format f,
                       const struct render_options *ro, const char *path, char *err, size_t errlen)
{
    struct outfile o;
    int rc = outfile_open(&o, path, err, errlen);

    if (rc != 0)
        return rc;
    if ((rc = render_report(r, f, ro, o.f)) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, vkp_strerror(rc));
        outfile_abort(&o);
        return rc;
    }
    return outfile_commit(&o, err, errlen);
}

const char *render_total_title(const struct report *r, enum lang lang)
{
    return label(lang, r->filtered ? L_SELECTED : L_NETWORK);
}
