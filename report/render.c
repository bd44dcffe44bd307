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
#include "outfile.h"
#include "week.h"

/* Replaces the decimal point of a C-locale number with a comma. */
static void decimal_comma(char *s)
{
    char *p = strchr(s, '.');
    if (p)
        *p = ',';
}

void render_number(enum lang lang, double v, int is_rate, char *buf, size_t len)
{
    if (is_rate) {
        snprintf(buf, len, lang == LANG_RU ? "%.1f %%" : "%.1f%%", v * 100.0);
        if (lang == LANG_RU)
            decimal_comma(buf);
    } else {
        snprintf(buf, len, "%.0f", v);
    }
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
    if (metric_info(m)->is_rate) {
        snprintf(buf, len, lang == LANG_RU ? "%+.1f п.п." : "%+.1f pp", d * 100.0);
        if (lang == LANG_RU)
            decimal_comma(buf);
        return;
    }
    /* A per cent of a signed quantity (the net change) means nothing. */
    if (prev > 0 && cur >= 0 && m != M_NET) {
        snprintf(buf, len, lang == LANG_RU ? "%+.0f (%+.0f %%)" : "%+.0f (%+.0f%%)", d,
                 100.0 * d / prev);
    } else {
        snprintf(buf, len, "%+.0f", d);
    }
    /* "-0" reads oddly next to whole numbers. */
    if (strncmp(buf, "-0 ", 3) == 0 || strcmp(buf, "-0") == 0)
        buf[0] = '+';
}

void render_date(enum lang lang, int64_t t, int with_time, char *buf, size_t len)
{
    const char *fmt = lang == LANG_RU ? (with_time ? "%d.%m.%Y %H:%M" : "%d.%m.%Y")
                                      : (with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d");
    week_local(t, fmt, buf, len);
}

void render_iso(int64_t t, char *buf, size_t len)
{
    char z[8];
    if (t == 0 || len < 26) {
        if (len)
            buf[0] = '\0';
        return;
    }
    week_local(t, "%Y-%m-%dT%H:%M:%S", buf, len);
    week_local(t, "%z", z, sizeof z); /* +0500 → +05:00 */
    if (strlen(z) == 5)
        snprintf(buf + strlen(buf), len - strlen(buf), "%.3s:%s", z, z + 3);
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

/* ---- formats and files ----------------------------------------------------------------------- */

int render_format_parse(const char *name, enum render_format *out)
{
    static const char *const names[] = {"text", "csv", "json", "html"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(names[i], name) == 0) {
            *out = (enum render_format)i;
            return 0;
        }
    }
    return -1;
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

enum render_trend render_trend(const struct metric_community *c, int nweeks, enum metric_id m)
{
    int up = 1, down = 1;
    if (nweeks < 2)
        return TREND_NONE;
    for (int i = 0; i < nweeks; i++)
        if (c->weeks[i].m[m].state == MS_MISSING)
            return TREND_NONE;
    for (int i = 1; i < nweeks; i++) {
        up &= c->weeks[i].m[m].v > c->weeks[i - 1].m[m].v;
        down &= c->weeks[i].m[m].v < c->weeks[i - 1].m[m].v;
    }
    return up ? TREND_UP : down ? TREND_DOWN : TREND_MIXED;
}

const char *render_trend_key(enum render_trend t)
{
    static const char *const keys[] = {NULL, "up", "down", "mixed"};
    return keys[t];
}

const char *render_trend_label(enum lang lang, enum render_trend t)
{
    static const enum label labs[] = {L_TREND_UP, L_TREND_DOWN, L_TREND_MIXED};
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
