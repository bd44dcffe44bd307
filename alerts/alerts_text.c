/* alerts_text.c: what the announcements say: times, the rules' templates filled in (the
 * words are in alert_rules.c), the JSON of an alert's figures and payload, and
 * `vkpulse alerts`' printing. */
#include "alerts.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alerts_int.h"
#include "fmt.h"
#include "text.h"
#include "week.h"

/* ---- time and words ----------------------------------------------------------------- */

void alerts_format_time(int64_t t, const char *lang, char *buf, size_t len)
{
    /* The render kit's style (fmt_date), the zone always shown: a moderator may read this
     * elsewhere than the server. */
    if (t == 0)
        snprintf(buf, len, "-");
    else
        fmt_date(alerts_lang(lang), t, 1, buf, len);
}

/* The day of t in the language's format (16.11.2026 / 2026-11-16), "-" for 0. */
static void format_day(int64_t t, enum lang lang, char *buf, size_t len)
{
    if (t == 0)
        snprintf(buf, len, "-");
    else
        fmt_date(lang, t, 0, buf, len);
}

enum lang alerts_lang(const char *lang)
{
    return lang && strcmp(lang, "en") == 0 ? LANG_EN : LANG_RU;
}

/* ---- the texts ---------------------------------------------------------------------- */

/* The value of one {placeholder} of a rule's template (see struct alert_rule). */
static void placeholder(const struct alert_item *it, enum lang lang, const char *name, size_t n,
                        char *out, size_t len)
{
    const struct alert_figures *f = &it->fig;
#define IS(s) (n == sizeof(s) - 1 && strncmp(name, s, n) == 0)
    if (IS("name"))
        text_copy(out, len, it->name);
    else if (IS("days"))
        fmt_number(lang, (double)f->days, 0, out, len);
    else if (IS("days_word"))
        text_copy(out, len, fmt_plural(lang, f->days, alert_day_forms[lang]));
    else if (IS("after_interactions"))
        text_copy(out, len, fmt_plural(lang, f->after, alert_interaction_forms[lang]));
    else if (IS("hours_word"))
        text_copy(out, len, fmt_plural(lang, f->days, alert_hour_forms[lang]));
    else if (IS("since"))
        format_day(f->since, lang, out, len);
    else if (IS("before"))
        fmt_number(lang, (double)f->before, 0, out, len);
    else if (IS("after"))
        fmt_number(lang, (double)f->after, 0, out, len);
    else if (IS("runs")) /* a run's number (an id) or a handful of runs: never grouped */
        snprintf(out, len, "%" PRId64, f->runs);
    else if (IS("percent0"))
        fmt_percent(lang, f->percent / 100.0, 0, out, len);
    else if (IS("percent1"))
        fmt_percent(lang, f->percent / 100.0, 1, out, len);
    else if (IS("baseline")) /* a mean of counts: fmt_mean's one rule */
        fmt_mean(lang, (double)f->before / 100.0, out, len);
    else if (IS("message"))
        text_copy(out, len, f->message[0] ? f->message : "-");
    else
        snprintf(out, len, "{%.*s}", (int)n, name);
#undef IS
}

/* The template with its placeholders filled, into buf. */
static char *expand(const char *tpl, const struct alert_item *it, enum lang lang, char *buf,
                    size_t len)
{
    size_t o = 0;
    char value[512];

    buf[0] = '\0';
    for (const char *p = tpl; *p && o + 1 < len;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (!close) {
            buf[o++] = *p++;
            buf[o] = '\0';
            continue;
        }
        placeholder(it, lang, p + 1, (size_t)(close - p - 1), value, sizeof value);
        /* cut on a character when the text is longer than buf */
        text_copy(buf + o, len - o, value);
        o += strlen(buf + o);
        p = close + 1;
    }
    return buf;
}

char *alert_text(const struct alert_item *it, const char *lang, char *buf, size_t len)
{
    enum lang l = alerts_lang(lang);
    const struct alert_rule *r = it->rule;
    const char *tpl = it->change == ALERT_ENDED          ? r->end[l]
                      : it->fig.none && r->start_none[l] ? r->start_none[l]
                                                         : r->start[l];
    return expand(tpl, it, l, buf, len);
}

/* ---- JSON: details column and payload ------------------------------------------------- */

/* The figures (and who they are about) as the details column keeps them: the rule's
 * figure keys in its row's order. */
cJSON *alerts_figures_json(const struct alert_item *it)
{
    const char *base = (const char *)&it->fig;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "ref", it->ref);
    cJSON_AddStringToObject(o, "name", it->name);
    cJSON_AddNumberToObject(o, "vk_id", (double)it->vk_id);
    ALERT_EACH_FIGURE(k, it->rule)
    {
        const void *p = base + k->offset;
        switch (k->kind) {
        case FIG_INT:
        case FIG_TIME:
            cJSON_AddNumberToObject(o, k->key, (double)*(const int64_t *)p);
            break;
        case FIG_BOOL:
            cJSON_AddBoolToObject(o, k->key, *(const int *)p);
            break;
        case FIG_TEXT:
            cJSON_AddStringToObject(o, k->key, (const char *)p);
            break;
        case FIG_HUNDREDTHS:
            cJSON_AddNumberToObject(o, k->key, (double)*(const int64_t *)p / 100.0);
            break;
        case FIG_TENTHS:
            cJSON_AddNumberToObject(o, k->key, round(*(const double *)p * 10) / 10);
            break;
        case FIG_ROUND:
            cJSON_AddNumberToObject(o, k->key, round(*(const double *)p));
            break;
        }
    }
    return o;
}

static int64_t num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* The reverse of figures_json, for alerts read back from the store. */
void alerts_figures_parse(struct alert_item *it, const char *details)
{
    cJSON *o = details ? cJSON_Parse(details) : NULL;
    char *base = (char *)&it->fig;
    if (!o)
        return;
    text_copy(it->ref, sizeof it->ref, str(o, "ref"));
    text_copy(it->name, sizeof it->name, str(o, "name"));
    it->vk_id = num(o, "vk_id");
    ALERT_EACH_FIGURE(k, it->rule)
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k->key);
        double d = cJSON_IsNumber(v) ? v->valuedouble : 0;
        void *p = base + k->offset;
        switch (k->kind) {
        case FIG_INT:
        case FIG_TIME:
            *(int64_t *)p = num(o, k->key);
            break;
        case FIG_BOOL:
            *(int *)p = cJSON_IsTrue(v);
            break;
        case FIG_TEXT:
            text_copy(p, sizeof it->fig.message, str(o, k->key));
            break;
        case FIG_HUNDREDTHS:
            *(int64_t *)p = (int64_t)llround(d * 100);
            break;
        case FIG_TENTHS:
        case FIG_ROUND:
            *(double *)p = d;
            break;
        }
    }
    cJSON_Delete(o);
}

static void add_time(cJSON *o, const char *key, int64_t t)
{
    char buf[40];
    if (!t) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    fmt_iso(t, buf, sizeof buf);
    cJSON_AddStringToObject(o, key, buf);
}

/* One alert as the payload and `alerts --format json` show it. */
static cJSON *item_json(const struct alert_item *it, const char *lang)
{
    static const char *const state[] = {"active", "new", "ended"};
    char text[768];
    cJSON *o = cJSON_CreateObject(), *fig, *c;

    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "id", (double)it->id);
    cJSON_AddStringToObject(o, "rule", alert_rule_name(it->rule));
    cJSON_AddStringToObject(o, "state", state[it->change]);
    cJSON_AddStringToObject(o, "title", alert_title(it->rule, lang));
    cJSON_AddStringToObject(o, "text", alert_text(it, lang, text, sizeof text));
    add_time(o, "started_at", it->started_at);
    add_time(o, "ended_at", it->ended_at);
    if (it->community_id) {
        c = cJSON_AddObjectToObject(o, "community");
        if (c) {
            cJSON_AddStringToObject(c, "ref", it->ref);
            cJSON_AddStringToObject(c, "name", it->name);
            if (it->vk_id) {
                char url[64];
                cJSON_AddNumberToObject(c, "vk_id", (double)it->vk_id);
                snprintf(url, sizeof url, "https://vk.com/club%" PRId64, it->vk_id);
                cJSON_AddStringToObject(c, "url", url);
            } else {
                cJSON_AddNullToObject(c, "vk_id");
                cJSON_AddNullToObject(c, "url");
            }
        }
    } else {
        cJSON_AddNullToObject(o, "community");
    }
    if ((fig = alerts_figures_json(it)) != NULL) {
        cJSON_DeleteItemFromObjectCaseSensitive(fig, "ref");
        cJSON_DeleteItemFromObjectCaseSensitive(fig, "name");
        cJSON_DeleteItemFromObjectCaseSensitive(fig, "vk_id");
        /* Times as the zone shows them (the details column keeps them as numbers). */
        ALERT_EACH_FIGURE(k, it->rule)
        {
            cJSON *t =
                k->kind == FIG_TIME ? cJSON_DetachItemFromObjectCaseSensitive(fig, k->key) : NULL;
            if (t) {
                add_time(fig, k->key, (int64_t)t->valuedouble);
                cJSON_Delete(t);
            }
        }
        cJSON_AddItemToObject(o, "figures", fig);
    }
    return o;
}

char *alert_payload(const struct alert_item *it, const char *lang)
{
    char text[768], title[256];
    cJSON *o = cJSON_CreateObject();
    char *out = NULL;

    if (!o)
        return NULL;
    snprintf(title, sizeof title, "vkpulse: %s%s",
             it->change == ALERT_ENDED ? alert_words[AW_OVER][alerts_lang(lang)] : "",
             alert_title(it->rule, lang));
    cJSON_AddStringToObject(o, "source", "vkpulse");
    cJSON_AddNumberToObject(o, "version", 1);
    cJSON_AddStringToObject(o, "event", it->change == ALERT_ENDED ? "end" : "start");
    cJSON_AddStringToObject(o, "lang", lang_code(alerts_lang(lang)));
    cJSON_AddStringToObject(o, "title", title);
    cJSON_AddStringToObject(o, "text", alert_text(it, lang, text, sizeof text));
    cJSON *a = item_json(it, lang);
    if (a)
        cJSON_AddItemToObject(o, "alert", a);
    out = a ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return out;
}

/* ---- printing ------------------------------------------------------------------------------ */

void alerts_print_text(FILE *out, const struct alert_report *r, const char *lang, int64_t pending,
                       int64_t oldest)
{
    enum lang l = alerts_lang(lang);
    char when[32], text[768];

    alerts_format_time(r->now, lang, when, sizeof when);
    if (r->nactive == 0)
        fprintf(out, alert_words[AW_NONE_ACTIVE][l], when);
    else
        fprintf(out, alert_words[AW_N_ACTIVE][l], when, r->nactive);
    for (size_t i = 0; i < r->nitems; i++) {
        const struct alert_item *it = &r->items[i];
        alerts_format_time(it->started_at, lang, when, sizeof when);
        const char *mark = alert_words[AW_MARK_ACTIVE + it->change][l];
        fprintf(out, "  %s%*s %-15s %s\n", mark, 10 - (int)text_utf8_width(mark), "",
                alert_rule_name(it->rule), alert_text(it, lang, text, sizeof text));
        fprintf(out, alert_words[AW_SINCE][l], "", "", when);
    }
    if (r->nskips) {
        fputs(alert_words[AW_NOT_JUDGED][l], out);
        for (size_t i = 0; i < r->nskips; i++)
            fprintf(out, "  %-32s %-15s %s\n", r->skips[i].ref, alert_rule_name(r->skips[i].rule),
                    alert_lack_text(r->skips[i].lack, lang));
    }
    if (pending) {
        alerts_format_time(oldest, lang, when, sizeof when);
        fprintf(out, alert_words[AW_OUTBOX][l], pending, when);
    }
}

void alerts_print_json(FILE *out, const struct alert_report *r, const char *lang, int64_t pending,
                       int64_t oldest)
{
    cJSON *o = cJSON_CreateObject(), *arr, *ob;
    char *s;

    if (!o)
        return;
    add_time(o, "evaluated_at", r->now);
    cJSON_AddNumberToObject(o, "active", (double)r->nactive);
    if ((arr = cJSON_AddArrayToObject(o, "alerts")) != NULL)
        for (size_t i = 0; i < r->nitems; i++)
            cJSON_AddItemToArray(arr, item_json(&r->items[i], lang));
    if ((arr = cJSON_AddArrayToObject(o, "not_judged")) != NULL) {
        for (size_t i = 0; i < r->nskips; i++) {
            cJSON *sk = cJSON_CreateObject();
            cJSON_AddStringToObject(sk, "community", r->skips[i].ref);
            cJSON_AddStringToObject(sk, "rule", alert_rule_name(r->skips[i].rule));
            cJSON_AddStringToObject(sk, "reason", alert_lack_text(r->skips[i].lack, "en"));
            cJSON_AddItemToArray(arr, sk);
        }
    }
    if ((ob = cJSON_AddObjectToObject(o, "outbox")) != NULL) {
        cJSON_AddNumberToObject(ob, "pending", (double)pending);
        add_time(ob, "oldest", pending ? oldest : 0);
    }
    if ((s = cJSON_Print(o)) != NULL) {
        fprintf(out, "%s\n", s);
        free(s);
    }
    cJSON_Delete(o);
}
