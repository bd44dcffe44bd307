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
#include "text.h"
#include "week.h"

void render_number(enum lang lang, double v, int is_rate, char *buf, size_t len)
{
    char n[64];
    if (!is_rate) {
        fmt_number(lang, v, 0, buf, len);
        return;
    }
    fmt_number(lang, v * 100.0, 1, n, sizeof n);
    snprintf(buf, len, lang == LANG_RU ? "%s %%" : "%s%%", n);
}

void render_value(enum lang lang, enum metric_id m, const struct metric_value *v, char *buf,
                  size_t len)
{
    char num[64];
    if (v->state == MS_MISSING) {
        text_copy(buf, len, label(lang, L_NA));
        return;
    }
    render_number(lang, v->v, metric_info(m)->is_rate, num, sizeof num);
    snprintf(buf, len, "%s%s", v->state == MS_APPROX ? "~" : "", num);
}

/* "+12" / "−3" / "0": a signed figure with the language's digits and a real minus. */
static void signed_number(enum lang lang, double v, int decimals, char *buf, size_t len)
{
    char n[48];
    fmt_number(lang, v, decimals, n, sizeof n);
    snprintf(buf, len, "%s%s", strspn(n, "0.,") == strlen(n) || v < 0 ? "" : "+", n);
}

int render_change_percent(double cur, double prev, double *pct)
{
    if (prev < RENDER_PERCENT_BASE || cur < 0)
        return 0;
    *pct = 100.0 * (cur - prev) / prev;
    return fabs(*pct) < 1000.0;
}

void render_change(enum lang lang, enum metric_id m, double cur, double prev, char *buf, size_t len)
{
    double d = cur - prev, pct;
    char n[64], p[64];
    if (metric_info(m)->is_rate) {
        signed_number(lang, d * 100.0, 1, n, sizeof n);
        snprintf(buf, len, "%s %s", n, label(lang, L_POINTS));
        return;
    }
    signed_number(lang, d, 0, n, sizeof n);
    /* A per cent of a signed quantity (the net change), of a small base or of a
     * thousand per cent and more says nothing a reader can use: the change alone. */
    if (m != M_NET && d != 0 && render_change_percent(cur, prev, &pct)) {
        signed_number(lang, pct, 1, p, sizeof p);
        snprintf(buf, len, lang == LANG_RU ? "%s (%s %%)" : "%s (%s%%)", n, p);
    } else {
        text_copy(buf, len, n);
    }
}

void render_compare(enum lang lang, const struct metric_community *c, int nweeks, enum metric_id m,
                    struct render_cmp *out)
{
    const struct metric_value *v = &c->weeks[nweeks - 1].m[m];
    const struct metric_compare *k = &c->cmp[m];
    const int rate = metric_info(m)->is_rate;
    const char *na = v->state != MS_MISSING && nweeks > 1 ? label(lang, L_NA) : "";

    text_copy(out->prev, sizeof out->prev, na);
    text_copy(out->change, sizeof out->change, na);
    text_copy(out->avg, sizeof out->avg, na);
    text_copy(out->vs_avg, sizeof out->vs_avg, na);
    if (v->state == MS_MISSING)
        return;
    if (k->has_prev) {
        render_number(lang, k->prev, rate, out->prev, sizeof out->prev);
        render_change(lang, m, v->v, k->prev, out->change, sizeof out->change);
    }
    if (k->avg_weeks) {
        if (rate)
            render_number(lang, k->avg, 1, out->avg, sizeof out->avg);
        else
            fmt_mean(lang, k->avg, out->avg, sizeof out->avg);
        if (!rate && fmt_mean_decimals(k->avg)) /* 3 against 3,1: −0,1, not 0 */
            signed_number(lang, v->v - k->avg, 1, out->vs_avg, sizeof out->vs_avg);
        else
            render_change(lang, m, v->v, k->avg, out->vs_avg, sizeof out->vs_avg);
    }
}

void render_average_head(enum lang lang, enum period_kind kind, int nweeks, char *buf, size_t len)
{
    char n[96];
    fmt_count(lang, nweeks - 1, period_before_forms(lang, kind), n, sizeof n);
    snprintf(buf, len, label(lang, L_AVERAGE), n);
}

/* The biggest fall or rise of m in the window: is the report period's the most in n periods? */
static int most_in_window(const struct report *r, const struct metric_community *c,
                          enum metric_id m, int sign)
{
    const int last = r->nweeks - 1;
    const struct metric_value *cur = &c->weeks[last].m[m];
    int n = 0;
    for (int i = 0; i < r->nweeks; i++) {
        const struct metric_value *v = &c->weeks[i].m[m];
        if (v->state == MS_MISSING)
            continue;
        if (i != last && sign * v->v >= sign * cur->v)
            return 0;
        n++;
    }
    return n >= 3 ? n : 0;
}

/* A change in per cent with its sign: "+4,7 %" / "−11.5%". */
static void signed_percent(enum lang lang, double pct, char *buf, size_t len)
{
    char n[64];
    render_number(lang, pct / 100.0, 1, n, sizeof n);
    snprintf(buf, len, "%s%s", pct > 0 ? "+" : "", n);
}

void render_news(const struct report *r, const struct render_options *o,
                 const struct metric_community *c, int is_total,
                 void (*emit)(void *ud, const char *cls, const char *text), void *ud)
{
    const enum lang lang = o->lang;
    const int last = r->nweeks - 1;
    const struct metric_week *w = &c->weeks[last];
    const struct metric_value *net = &w->m[M_NET], *posts = &w->m[M_POSTS];
    char s[512], d[96], n[64], t[160];
    int most;

    if (net->state != MS_MISSING && net->v != 0) {
        const struct metric_value *start = &w->m[M_SUBS_START];
        double pct;
        fmt_count(lang, (int64_t)fabs(net->v), noun_forms(lang, N_SUBSCRIBER), n, sizeof n);
        snprintf(t, sizeof t, "%s%s", net->v < 0 ? "\u2212" : "+", n);
        if (start->state != MS_MISSING &&
            render_change_percent(start->v + net->v, start->v, &pct)) {
            signed_percent(lang, pct, d, sizeof d);
            snprintf(t + strlen(t), sizeof t - strlen(t), " (%s)", d);
        }
        snprintf(s, sizeof s, label(lang, L_NEWS_SUBS), t);
        if ((most = most_in_window(r, c, M_NET, net->v < 0 ? -1 : 1)) != 0) {
            fmt_count(lang, most, period_unit_forms(lang, r->week.kind), n, sizeof n);
            snprintf(s + strlen(s), sizeof s - strlen(s),
                     label(lang, net->v < 0 ? L_NEWS_MOST_FALL : L_NEWS_MOST_RISE), n);
        }
        emit(ud, net->v < 0 ? "bad" : "good", s);
    }
    if (!is_total && posts->state != MS_MISSING && posts->v == 0) {
        int64_t end = w->wk.end < r->generated_at ? w->wk.end : r->generated_at;
        if (c->last_post) {
            fmt_count(lang, (end - c->last_post) / 86400, noun_forms(lang, N_DAY), n, sizeof n);
            snprintf(s, sizeof s, label(lang, L_NEWS_NO_POSTS), n);
        } else {
            text_copy(s, sizeof s, label(lang, L_NEWS_EMPTY_WALL));
        }
        emit(ud, "bad", s);
    }
    struct metric_value inter = metric_interactions(w);
    const struct metric_compare *k = &c->cmp[M_LIKES];
    if (inter.state != MS_MISSING && k->avg_weeks) {
        double avg = 0, pct;
        int nw = 0;
        for (int i = 0; i < last; i++) {
            struct metric_value v = metric_interactions(&c->weeks[i]);
            if (v.state != MS_MISSING) {
                avg += v.v;
                nw++;
            }
        }
        avg = nw ? avg / nw : 0;
        if (nw && render_change_percent(inter.v, avg, &pct) && fabs(pct) >= 30) {
            fmt_count(lang, (int64_t)inter.v, noun_forms(lang, N_REACTION), n, sizeof n);
            signed_percent(lang, pct, d, sizeof d);
            snprintf(s, sizeof s, label(lang, L_NEWS_REACTIONS), n, d);
            emit(ud, pct > 0 ? "good" : "bad", s);
        }
    }
    for (size_t i = 0; i < o->nalerts; i++) {
        const struct render_alert *a = &o->alerts[i];
        if (is_total ? 1 : a->community_id == c->id)
            emit(ud, "alert", a->text);
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

const char *render_post_type_key(enum post_kind k)
{
    static const char *const keys[] = {"own", "member", "repost"};
    return keys[k];
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

/* The institute's yearly figures, in their order: the rows of metric_defs.c with a place. */
size_t render_yearly_list(enum metric_id *out, size_t cap)
{
    size_t n = 0;
    for (int place = 1; place <= M_COUNT; place++)
        for (int m = 0; m < M_COUNT; m++)
            if (metric_info((enum metric_id)m)->yearly == place && n < cap)
                out[n++] = (enum metric_id)m;
    return n;
}

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

/* One boundary's snapshot: its time, and how far from the boundary when that is far. */
static void snapshot_at(enum lang lang, int64_t at, int64_t edge, enum label early, enum label late,
                        char *buf, size_t len)
{
    char d[48], n[64], off[128];
    int64_t x = at - edge, a = x < 0 ? -x : x;

    if (!at) {
        text_copy(buf, len, label(lang, L_NONE));
        return;
    }
    fmt_date(lang, at, 1, d, sizeof d);
    if (a <= REPORT_SNAP_NEAR) {
        text_copy(buf, len, d);
        return;
    }
    if (a < 48 * 3600) /* hours up to two days, then whole days */
        fmt_count(lang, (a + 1800) / 3600, noun_forms(lang, N_HOUR), n, sizeof n);
    else
        fmt_count(lang, (a + 43200) / 86400, noun_forms(lang, N_DAY), n, sizeof n);
    snprintf(off, sizeof off, label(lang, x < 0 ? early : late), n);
    snprintf(buf, len, "%s (%s)", d, off);
}

void render_snapshots(enum lang lang, const struct metric_week *w, char *buf, size_t len)
{
    char s[192], e[192];
    snapshot_at(lang, w->start_at, w->wk.start, L_SNAP_START_EARLY, L_SNAP_START_LATE, s, sizeof s);
    snapshot_at(lang, w->end_at, w->wk.end, L_SNAP_END_EARLY, L_SNAP_END_LATE, e, sizeof e);
    snprintf(buf, len, "%s: %s %s, %s %s", label(lang, L_SNAPSHOTS), label(lang, L_SNAP_START), s,
             label(lang, L_SNAP_END), e);
}

void render_runs(const struct report *r, enum lang lang, int i, char *buf, size_t len)
{
    snprintf(buf, len, "%s (%s %s, %s %s, %s %s)", FMT_INT(lang, r->runs[i].total),
             label(lang, L_RUNS_OK), FMT_INT(lang, r->runs[i].ok), label(lang, L_RUNS_PARTIAL),
             FMT_INT(lang, r->runs[i].partial), label(lang, L_RUNS_FAILED),
             FMT_INT(lang, r->runs[i].failed));
}

void render_week_notes(const struct report *r, enum lang lang, int i,
                       void (*cb)(void *ud, const char *who, const char *note), void *ud)
{
    char who[1024];
    for (int b = 0; b < NOTE_COUNT_; b++) {
        unsigned bit = 1u << b;
        size_t n = 0, len = 0;
        int cut = 0;
        if (bit == NOTE_COUNTERS_DOWN)
            continue; /* said beside the figure itself */
        who[0] = '\0';
        for (size_t c = 0; c < r->ncoms; c++) {
            if (!(r->coms[c].weeks[i].notes & bit))
                continue;
            const char *sep = n++ ? ", " : "", *ref = r->coms[c].ref;
            size_t need = strlen(sep) + strlen(ref);
            if (cut)
                continue;
            if (len + need + sizeof "…" <= sizeof who) {
                snprintf(who + len, sizeof who - len, "%s%s", sep, ref);
                len += need;
            } else {
                snprintf(who + len, sizeof who - len, "…");
                cut = 1;
            }
        }
        if (n == 0)
            continue;
        cb(ud, n > 1 && n == r->ncoms ? label(lang, L_ALL_COMMUNITIES) : who, note_label(lang, bit));
    }
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
    case RENDER_XLSX:
        return VKP_EUSAGE;
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
    if (f == RENDER_XLSX) {
        /* The workbook is written by name into our own temporary, then renamed. */
        char why[256];
        if ((rc = render_xlsx(r, ro, o.tmp, why, sizeof why)) != 0) {
            snprintf(err, errlen, "cannot write '%s': %s", path, why);
            outfile_abort(&o);
            return rc;
        }
        return outfile_commit(&o, err, errlen);
    }
    if ((rc = render_report(r, f, ro, o.f)) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, vkp_strerror(rc));
        outfile_abort(&o);
        return rc;
    }
    return outfile_commit(&o, err, errlen);
}

int render_show_total(const struct report *r)
{
    return !(r->filtered && r->ncoms == 1);
}

const char *render_total_title(const struct report *r, enum lang lang)
{
    return label(lang, r->filtered ? L_SELECTED : L_NETWORK);
}
