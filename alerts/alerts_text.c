/* alerts_text.c: what the announcements say: times and words, the texts in Russian and
 * English, the JSON of an alert's figures and payload, and `vkpulse alerts`' printing. */
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

void alerts_format_time(int64_t t, int iso, char *buf, size_t len)
{
    char z[16];

    if (iso) {
        fmt_iso(t, buf, len);
        return;
    }
    if (t == 0) {
        snprintf(buf, len, "-");
        return;
    }
    /* The zone is always shown: a moderator may read this elsewhere than the server. */
    week_local(t, "%Y-%m-%d %H:%M", buf, len);
    fmt_offset(t, z, sizeof z);
    snprintf(buf + strlen(buf), len - strlen(buf), " %s", z);
}

/* The day of t in the language's format (16.11.2026 / 2026-11-16), "-" for 0. */
static void format_day(int64_t t, int en, char *buf, size_t len)
{
    if (t == 0)
        snprintf(buf, len, "-");
    else
        fmt_date(en ? LANG_EN : LANG_RU, t, 0, buf, len);
}

/* Counted nouns agree with their number through the one plural rule (fmt_plural). */
static const char *days_word(int64_t n, int en)
{
    static const char *const forms[LANG_COUNT][3] = {{"день", "дня", "дней"},
                                                     {"day", "days", "days"}};
    return fmt_plural(en ? LANG_EN : LANG_RU, n, forms[en ? LANG_EN : LANG_RU]);
}

static const char *hours_word(int64_t n, int en)
{
    static const char *const forms[LANG_COUNT][3] = {{"час", "часа", "часов"},
                                                     {"hour", "hours", "hours"}};
    return fmt_plural(en ? LANG_EN : LANG_RU, n, forms[en ? LANG_EN : LANG_RU]);
}

/* ---- the texts ---------------------------------------------------------------------- */

static char *start_text(const struct alert_item *it, int en, char *buf, size_t len)
{
    const struct alert_figures *f = &it->fig;
    const char *n = it->name;
    char day[16], num[32];

    format_day(f->since, en, day, sizeof day);
    switch (it->rule) {
    case ALERT_NO_POSTS:
        if (f->none)
            snprintf(buf, len,
                     en ? "«%s»: no posts at all in the collected wall (%" PRId64 " %s)"
                        : "«%s»: на собранной стене нет ни одной публикации (%" PRId64 " %s)",
                     n, f->days, days_word(f->days, en));
        else
            snprintf(buf, len,
                     en ? "«%s»: no new posts for %" PRId64 " %s (the last one on %s)"
                        : "«%s»: нет новых публикаций %" PRId64 " %s (последняя — %s)",
                     n, f->days, days_word(f->days, en), day);
        break;
    case ALERT_NO_REACTIONS:
        if (f->none)
            snprintf(buf, len,
                     en ? "«%s»: no comments or likes since collection began (%" PRId64 " %s)"
                        : "«%s»: нет комментариев и отметок «Нравится» с начала сбора (%" PRId64
                          " %s)",
                     n, f->days, days_word(f->days, en));
        else
            snprintf(buf, len,
                     en ? "«%s»: no comments or likes for %" PRId64 " %s (the last on %s)"
                        : "«%s»: нет комментариев и отметок «Нравится» %" PRId64
                          " %s (последние — %s)",
                     n, f->days, days_word(f->days, en), day);
        break;
    case ALERT_MEMBERS_DROP:
        fmt_decimal(en ? LANG_EN : LANG_RU, f->percent, 1, num, sizeof num);
        snprintf(buf, len,
                 en ? "«%s»: members down %s %% in a week (%" PRId64 " → %" PRId64 ")"
                    : "«%s»: подписчиков стало меньше на %s %% за неделю (%" PRId64 " → %" PRId64
                      ")",
                 n, num, f->before, f->after);
        break;
    case ALERT_ENGAGEMENT:
        fmt_decimal(en ? LANG_EN : LANG_RU, (double)f->before / 100.0, 1, num, sizeof num);
        snprintf(buf, len,
                 en ? "«%s»: %" PRId64 " interactions in the last week, %.0f %% of the usual %s"
                    : "«%s»: %" PRId64
                      " взаимодействий за последнюю неделю — %.0f %% от обычных %s",
                 n, f->after, f->percent, num);
        break;
    case ALERT_STALE:
        if (f->none)
            snprintf(buf, len,
                     en ? "«%s»: never collected completely (collection began %" PRId64 " %s ago)"
                        : "«%s»: ни одного полного сбора данных (сбор начат %" PRId64 " %s назад)",
                     n, f->days, hours_word(f->days, en));
        else
            snprintf(buf, len,
                     en ? "«%s»: not collected completely for %" PRId64 " %s (the last time on %s)"
                        : "«%s»: нет полного сбора данных %" PRId64 " %s (последний — %s)",
                     n, f->days, hours_word(f->days, en), day);
        break;
    case ALERT_FAILING:
        snprintf(buf, len,
                 en ? "collection: the last %" PRId64 " runs failed (the last: %s)"
                    : "сбор данных: последние запуски (%" PRId64
                      ") завершились ошибкой (последний: %s)",
                 f->runs, f->message[0] ? f->message : "-");
        break;
    case ALERT_TOKEN:
        snprintf(
            buf, len,
            en ? "collection: VK rejected the access token; put a new one in place (run #%" PRId64
                 ": %s)"
               : "сбор данных: VK отклонил ключ доступа; замените его новым (запуск №%" PRId64
                 ": %s)",
            f->runs, f->message[0] ? f->message : "-");
        break;
    case ALERT_NRULES:
        buf[0] = '\0';
        break;
    }
    return buf;
}

static char *end_text(const struct alert_item *it, int en, char *buf, size_t len)
{
    static const char *const en_fmt[ALERT_NRULES] = {
        "«%s»: new posts again",
        "«%s»: comments or likes again",
        "«%s»: members no longer falling",
        "«%s»: engagement back to usual",
        "«%s»: collected completely again",
        "collection: runs succeed again",
        "collection: VK accepts the access token again",
    };
    static const char *const ru_fmt[ALERT_NRULES] = {
        "«%s»: снова есть новые публикации",
        "«%s»: снова есть комментарии или отметки «Нравится»",
        "«%s»: отток подписчиков прекратился",
        "«%s»: активность вернулась к обычной",
        "«%s»: данные снова собираются полностью",
        "сбор данных: запуски снова проходят успешно",
        "сбор данных: VK снова принимает ключ доступа",
    };
    const char *fmt = (en ? en_fmt : ru_fmt)[it->rule];
    if (it->community_id)
        snprintf(buf, len, fmt, it->name);
    else
        snprintf(buf, len, "%s", fmt);
    return buf;
}

char *alert_text(const struct alert_item *it, const char *lang, char *buf, size_t len)
{
    if (it->change == ALERT_ENDED)
        return end_text(it, alerts_is_en(lang), buf, len);
    return start_text(it, alerts_is_en(lang), buf, len);
}

/* ---- JSON: details column and payload ------------------------------------------------- */

/* The figures (and who they are about) as the details column keeps them. */
cJSON *alerts_figures_json(const struct alert_item *it)
{
    const struct alert_figures *f = &it->fig;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "ref", it->ref);
    cJSON_AddStringToObject(o, "name", it->name);
    cJSON_AddNumberToObject(o, "vk_id", (double)it->vk_id);
    switch (it->rule) {
    case ALERT_NO_POSTS:
    case ALERT_NO_REACTIONS:
        cJSON_AddNumberToObject(o, "days", (double)f->days);
        cJSON_AddNumberToObject(o, "since", (double)f->since);
        cJSON_AddBoolToObject(o, "none", f->none);
        break;
    case ALERT_STALE:
        cJSON_AddNumberToObject(o, "hours", (double)f->days);
        cJSON_AddNumberToObject(o, "since", (double)f->since);
        cJSON_AddBoolToObject(o, "none", f->none);
        break;
    case ALERT_MEMBERS_DROP:
        cJSON_AddNumberToObject(o, "members_before", (double)f->before);
        cJSON_AddNumberToObject(o, "members_now", (double)f->after);
        cJSON_AddNumberToObject(o, "percent", round(f->percent * 10) / 10);
        break;
    case ALERT_ENGAGEMENT:
        cJSON_AddNumberToObject(o, "last_week", (double)f->after);
        cJSON_AddNumberToObject(o, "baseline", (double)f->before / 100.0);
        cJSON_AddNumberToObject(o, "percent", round(f->percent));
        break;
    case ALERT_FAILING:
        cJSON_AddNumberToObject(o, "runs", (double)f->runs);
        cJSON_AddStringToObject(o, "message", f->message);
        break;
    case ALERT_TOKEN:
        cJSON_AddNumberToObject(o, "run", (double)f->runs);
        cJSON_AddStringToObject(o, "message", f->message);
        break;
    case ALERT_NRULES:
        break;
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
    struct alert_figures *f = &it->fig;
    if (!o)
        return;
    snprintf(it->ref, sizeof it->ref, "%s", str(o, "ref"));
    snprintf(it->name, sizeof it->name, "%s", str(o, "name"));
    it->vk_id = num(o, "vk_id");
    f->days = it->rule == ALERT_STALE ? num(o, "hours") : num(o, "days");
    f->since = num(o, "since");
    f->none = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "none"));
    f->before =
        it->rule == ALERT_ENGAGEMENT
            ? (int64_t)llround(
                  cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "baseline")) * 100)
            : num(o, "members_before");
    f->after = it->rule == ALERT_ENGAGEMENT ? num(o, "last_week") : num(o, "members_now");
    f->percent = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "percent"));
    if (isnan(f->percent))
        f->percent = 0;
    f->runs = it->rule == ALERT_TOKEN ? num(o, "run") : num(o, "runs");
    snprintf(f->message, sizeof f->message, "%s", str(o, "message"));
    cJSON_Delete(o);
}

static void add_time(cJSON *o, const char *key, int64_t t)
{
    char buf[40];
    if (!t) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    alerts_format_time(t, 1, buf, sizeof buf);
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
        cJSON *since = cJSON_DetachItemFromObjectCaseSensitive(fig, "since");
        if (since) {
            add_time(fig, "since", (int64_t)since->valuedouble);
            cJSON_Delete(since);
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
             it->change == ALERT_ENDED ? (alerts_is_en(lang) ? "over: " : "снято: ") : "",
             alert_title(it->rule, lang));
    cJSON_AddStringToObject(o, "source", "vkpulse");
    cJSON_AddNumberToObject(o, "version", 1);
    cJSON_AddStringToObject(o, "event", it->change == ALERT_ENDED ? "end" : "start");
    cJSON_AddStringToObject(o, "lang", alerts_is_en(lang) ? "en" : "ru");
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
    static const char *const mark_en[] = {"ACTIVE", "NEW", "ENDED"};
    static const char *const mark_ru[] = {"ДЕЙСТВУЕТ", "НОВАЯ", "СНЯТА"};
    int en = alerts_is_en(lang);
    char when[32], text[768];

    alerts_format_time(r->now, 0, when, sizeof when);
    if (r->nactive == 0)
        fprintf(out, en ? "%s: no active alerts\n" : "%s: активных тревог нет\n", when);
    else
        fprintf(out, en ? "%s: %zu active alert(s)\n" : "%s: активных тревог: %zu\n", when,
                r->nactive);
    for (size_t i = 0; i < r->nitems; i++) {
        const struct alert_item *it = &r->items[i];
        alerts_format_time(it->started_at, 0, when, sizeof when);
        const char *mark = (en ? mark_en : mark_ru)[it->change];
        fprintf(out, "  %s%*s %-15s %s\n", mark, 10 - (int)text_utf8_width(mark), "",
                alert_rule_name(it->rule), alert_text(it, lang, text, sizeof text));
        fprintf(out, en ? "  %-10s %-15s since %s\n" : "  %-10s %-15s с %s\n", "", "", when);
    }
    if (r->nskips) {
        fprintf(out, en ? "not judged (data missing):\n" : "не оценено (не хватает данных):\n");
        for (size_t i = 0; i < r->nskips; i++)
            fprintf(out, "  %-32s %-15s %s\n", r->skips[i].ref, alert_rule_name(r->skips[i].rule),
                    alert_lack_text(r->skips[i].lack, lang));
    }
    if (pending) {
        alerts_format_time(oldest, 0, when, sizeof when);
        fprintf(out,
                en ? "outbox: %" PRId64 " message(s) not delivered yet, the oldest from %s\n"
                   : "очередь: не доставлено сообщений: %" PRId64 ", самое старое от %s\n",
                pending, when);
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
