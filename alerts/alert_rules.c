/* alert_rules.c: the alert rules, one row each (name, words, evaluator, figures, config
 * keys), and the alerts' fixed words. A new rule is a row here and its evaluator; a new
 * config key is also a row of core/config_table.c (an ALERT_KEY slot). */
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "alerts_int.h"
#include "config.h"
#include "err.h"
#include "store.h"
#include "store_alerts.h"
#include "text.h"
#include "week.h"

#define DAY 86400
#define WEEK (7 * DAY)
/* A weekly schedule's runs start at slightly different instants: the members
 * count "a week before" is the one nearest to a week before the newest, and
 * may be up to this much less than a week old. */
#define WEEK_SLACK (12 * 3600)

/* ---- evaluators ------------------------------------------------------------------------ */

/* no_posts: measured up to the newest complete read of the wall, so a pause
 * in collection is not taken for a quiet community (stale covers that). */
static int no_posts(struct alert_eval *ev, const struct alert_rule *rule,
                    const struct store_alert_facts *f)
{
    int64_t limit = (int64_t)alert_key(ev, rule, 0) * DAY;
    int64_t last = f->last_post, none = 0;
    struct alert_item *it;

    if (!limit)
        return 0;
    if (!f->wall_at)
        return alert_skip(ev, rule, f->ref, LACK_WALL);
    if (!last) {
        /* The first read went back horizon_days (or to the start) and found nothing. */
        last = config_horizon_start(ev->cfg->horizon_days, f->first_wall_at);
        none = 1;
    }
    if (f->wall_at - last <= limit)
        return 0;
    if (!(it = alert_found(ev, rule, f)))
        return VKP_ENOMEM;
    it->fig.days = week_days_between(last, f->wall_at);
    it->fig.since = none ? 0 : last;
    it->fig.none = (int)none;
    return 0;
}

/* no_reactions: comments carry VK dates; a like counts at the latest its bracket
 * between two collections allows, and those the first read of the wall found are
 * at their post's date, so before the first read nothing is known and the quiet
 * spell counts from it. */
static int no_reactions(struct alert_eval *ev, const struct alert_rule *rule,
                        const struct store_alert_facts *f)
{
    int64_t limit = (int64_t)alert_key(ev, rule, 0) * DAY;
    int64_t last = f->last_comment > f->last_like ? f->last_comment : f->last_like;
    int none = 0;
    struct alert_item *it;

    if (!limit)
        return 0;
    if (!f->details_at || !f->first_wall_at)
        return alert_skip(ev, rule, f->ref, LACK_DETAILS);
    if (last < f->first_wall_at) {
        last = f->first_wall_at;
        none = 1;
    }
    if (f->details_at - last <= limit)
        return 0;
    if (!(it = alert_found(ev, rule, f)))
        return VKP_ENOMEM;
    it->fig.days = week_days_between(last, f->details_at);
    it->fig.since = last;
    it->fig.none = none;
    return 0;
}

/* members_drop: the newest counted members_count against the one a week
 * before it (groups.getById's figure, in runs that did not fail). */
static int members_drop(struct alert_eval *ev, const struct alert_rule *rule,
                        const struct store_alert_facts *f)
{
    double limit = alert_key(ev, rule, 0);
    int64_t t1, c1, t0, c0;
    struct alert_item *it;
    int rc;

    if (limit <= 0)
        return 0;
    if ((rc = store_members_at(ev->st, f->community_id, 0, ev->now, ev->now, &t1, &c1)) != 0)
        return rc;
    if (!t1)
        return alert_skip(ev, rule, f->ref, LACK_MEMBERS);
    /* The snapshot nearest to a week before, up to two weeks old. */
    if ((rc = store_members_at(ev->st, f->community_id, t1 - 2 * WEEK, t1 - WEEK + WEEK_SLACK,
                               t1 - WEEK, &t0, &c0)) != 0)
        return rc;
    if (!t0 || c0 <= 0)
        return alert_skip(ev, rule, f->ref, LACK_WEEK_BEFORE);
    double pct = (double)(c0 - c1) * 100.0 / (double)c0;
    if (!(pct > limit))
        return 0;
    if (!(it = alert_found(ev, rule, f)))
        return VKP_ENOMEM;
    it->fig.before = c0;
    it->fig.after = c1;
    it->fig.percent = pct;
    it->fig.since = t0;
    return 0;
}

/* engagement: comments + likes + reposts of the week up to the newest
 * complete details read, against the weekly mean of the weeks before it. */
static int engagement(struct alert_eval *ev, const struct alert_rule *rule,
                      const struct store_alert_facts *f)
{
    double factor = alert_key(ev, rule, 0);
    int weeks = (int)alert_key(ev, rule, 1);
    int64_t end, week, base;
    struct alert_item *it;
    int rc;

    if (factor <= 0)
        return 0;
    if (!f->details_at)
        return alert_skip(ev, rule, f->ref, LACK_DETAILS);
    end = f->details_at + 1; /* the windows end with that run's likes included */
    if (f->first_wall_at >= end - WEEK - (int64_t)weeks * WEEK)
        return alert_skip(ev, rule, f->ref, LACK_HISTORY);
    if ((rc = store_interactions(ev->st, f->community_id, end - WEEK, end, &week)) != 0)
        return rc;
    if ((rc = store_interactions(ev->st, f->community_id, end - WEEK - (int64_t)weeks * WEEK,
                                 end - WEEK, &base)) != 0)
        return rc;
    double mean = (double)base / weeks;
    if (mean < 1 || mean < alert_key(ev, rule, 2))
        return alert_skip(ev, rule, f->ref, LACK_BASELINE);
    if (!((double)week < factor * mean))
        return 0;
    if (!(it = alert_found(ev, rule, f)))
        return VKP_ENOMEM;
    it->fig.after = week;
    it->fig.before = (int64_t)llround(mean * 100);
    it->fig.percent = (double)week * 100.0 / mean;
    return 0;
}

/* stale: measured against the clock, from the newest complete snapshot or,
 * when there was none, from the first run. */
static int stale(struct alert_eval *ev, const struct alert_rule *rule,
                 const struct store_alert_facts *f)
{
    int64_t limit = (int64_t)alert_key(ev, rule, 0) * 3600;
    int64_t last = f->complete_at;
    struct alert_item *it;

    if (!limit || !ev->runs->first_started)
        return 0;
    if (!last)
        last = ev->runs->first_started;
    if (ev->now - last <= limit)
        return 0;
    if (!(it = alert_found(ev, rule, f)))
        return VKP_ENOMEM;
    it->fig.days = (ev->now - last) / 3600;
    it->fig.since = last;
    it->fig.none = !f->complete_at;
    return 0;
}

/* The item of a rule about the runs, with the last run's message. */
static int runs_alert(struct alert_eval *ev, const struct alert_rule *rule, int64_t runs)
{
    struct alert_item *it = alert_found(ev, rule, NULL);
    if (!it)
        return VKP_ENOMEM;
    it->fig.runs = runs;
    text_copy(it->fig.message, sizeof it->fig.message, ev->runs->last_message);
    return 0;
}

/* failing: the last failed_runs runs all failed (store_runs_facts counts up to it). */
static int failing(struct alert_eval *ev, const struct alert_rule *rule)
{
    int limit = (int)alert_key(ev, rule, 0);
    if (limit <= 0 || ev->runs->failed_streak < limit)
        return 0;
    return runs_alert(ev, rule, ev->runs->failed_streak);
}

/* token_rejected: the last run failed because VK rejected the token. */
static int token_rejected(struct alert_eval *ev, const struct alert_rule *rule)
{
    if (!alert_key(ev, rule, 0) || !ev->runs->last_auth)
        return 0;
    return runs_alert(ev, rule, ev->runs->last_id);
}

/* unknown_group: the newest run's groups.getById did not know the configured address; the
 * other groups were collected, so nothing else says which line of the config is wrong. */
static int unknown_group(struct alert_eval *ev, const struct alert_rule *rule,
                         const struct store_alert_facts *f)
{
    struct alert_item *it;
    if (!alert_key(ev, rule, 0) || !f->unknown_run)
        return 0;
    if (!(it = alert_found(ev, rule, f)))
        return VKP_ENOMEM;
    it->fig.runs = f->unknown_run;
    return 0;
}

/* ---- the table ---------------------------------------------------------------------- */

#define FIG(f) offsetof(struct alert_figures, f)
/* "calendar days without (week_days_between), since when, nothing at all": no_posts and
 * no_reactions. */
#define QUIET_FIGURES                                                                              \
    {                                                                                              \
        {"days", FIG(days), FIG_INT}, {"since", FIG(since), FIG_TIME},                             \
        {                                                                                          \
            "none", FIG(none), FIG_BOOL                                                            \
        }                                                                                          \
    }
#define RU LANG_RU
#define EN LANG_EN

const struct alert_rule alert_rules[] = {
    {
        .name = "no_posts",
        .title = {[RU] = "нет новых публикаций", [EN] = "no new posts"},
        .start = {[RU] = "«{name}»: нет новых публикаций {days} {days_word} (последняя — {since})",
                  [EN] = "«{name}»: no new posts for {days} {days_word} (the last one on {since})"},
        .start_none = {[RU] = "«{name}»: на собранной стене нет ни одной публикации ({days} "
                              "{days_word})",
                       [EN] =
                           "«{name}»: no posts at all in the collected wall ({days} {days_word})"},
        .end = {[RU] = "«{name}»: снова есть новые публикации", [EN] = "«{name}»: new posts again"},
        .community = no_posts,
        .figures = QUIET_FIGURES,
        .keys = {"no_posts_days"},
    },
    {
        .name = "no_reactions",
        .title = {[RU] = "нет комментариев и отметок", [EN] = "no comments or likes"},
        .start = {[RU] = "«{name}»: нет комментариев и отметок «Нравится» {days} {days_word} "
                         "(последние — {since})",
                  [EN] = "«{name}»: no comments or likes for {days} {days_word} (the last on "
                         "{since})"},
        .start_none = {[RU] = "«{name}»: нет комментариев и отметок «Нравится» с начала сбора "
                              "({days} {days_word})",
                       [EN] = "«{name}»: no comments or likes since collection began ({days} "
                              "{days_word})"},
        .end = {[RU] = "«{name}»: снова есть комментарии или отметки «Нравится»",
                [EN] = "«{name}»: comments or likes again"},
        .community = no_reactions,
        .figures = QUIET_FIGURES,
        .keys = {"no_reactions_days"},
    },
    {
        .name = "members_drop",
        .title = {[RU] = "отток подписчиков", [EN] = "subscribers falling"},
        .start = {[RU] = "«{name}»: подписчиков стало меньше на {percent1} за неделю ({before} "
                         "→ {after})",
                  [EN] = "«{name}»: subscribers down {percent1} in a week ({before} → {after})"},
        .end = {[RU] = "«{name}»: отток подписчиков прекратился",
                [EN] = "«{name}»: subscribers no longer falling"},
        .community = members_drop,
        .figures = {{"members_before", FIG(before), FIG_INT},
                    {"members_now", FIG(after), FIG_INT},
                    {"percent", FIG(percent), FIG_TENTHS}},
        .keys = {"members_drop_percent"},
    },
    {
        .name = "engagement",
        .title = {[RU] = "активность ниже обычной", [EN] = "engagement below usual"},
        .start = {[RU] =
                      "«{name}»: {after} {after_interactions} за последнюю неделю — {percent0} от "
                      "обычных {baseline}",
                  [EN] =
                      "«{name}»: {after} {after_interactions} in the last week, {percent0} of the "
                      "usual {baseline}"},
        .end = {[RU] = "«{name}»: активность вернулась к обычной",
                [EN] = "«{name}»: engagement back to usual"},
        .community = engagement,
        .figures = {{"last_week", FIG(after), FIG_INT},
                    {"baseline", FIG(before), FIG_HUNDREDTHS},
                    {"percent", FIG(percent), FIG_ROUND}},
        .keys = {"engagement_factor", "baseline_weeks", "baseline_min"},
    },
    {
        .name = "stale",
        .title = {[RU] = "данные не обновляются", [EN] = "data not fresh"},
        .start = {[RU] = "«{name}»: нет полного сбора данных {days} {hours_word} (последний — "
                         "{since})",
                  [EN] = "«{name}»: not collected completely for {days} {hours_word} (the last "
                         "time on {since})"},
        .start_none = {[RU] = "«{name}»: ни одного полного сбора данных (сбор начат {days} "
                              "{hours_word} назад)",
                       [EN] = "«{name}»: never collected completely (collection began {days} "
                              "{hours_word} ago)"},
        .end = {[RU] = "«{name}»: данные снова собираются полностью",
                [EN] = "«{name}»: collected completely again"},
        .community = stale,
        .figures = {{"hours", FIG(days), FIG_INT},
                    {"since", FIG(since), FIG_TIME},
                    {"none", FIG(none), FIG_BOOL}},
        .keys = {"stale_hours"},
    },
    {
        .name = "failing",
        .title = {[RU] = "сбор данных не удаётся", [EN] = "collection failing"},
        .start = {[RU] = "сбор данных: последние запуски ({runs}) завершились ошибкой (последний: "
                         "{message})",
                  [EN] = "collection: the last {runs} runs failed (the last: {message})"},
        .end = {[RU] = "сбор данных: запуски снова проходят успешно",
                [EN] = "collection: runs succeed again"},
        .collection = failing,
        .figures = {{"runs", FIG(runs), FIG_INT}, {"message", FIG(message), FIG_TEXT}},
        .keys = {"failed_runs"},
    },
    {
        .name = "token_rejected",
        .title = {[RU] = "ключ доступа отклонён", [EN] = "access token rejected"},
        .start = {[RU] = "сбор данных: VK отклонил ключ доступа; замените его новым (запуск "
                         "№{runs}: {message})",
                  [EN] = "collection: VK rejected the access token; put a new one in place (run "
                         "#{runs}: {message})"},
        .end = {[RU] = "сбор данных: VK снова принимает ключ доступа",
                [EN] = "collection: VK accepts the access token again"},
        .collection = token_rejected,
        .figures = {{"run", FIG(runs), FIG_INT}, {"message", FIG(message), FIG_TEXT}},
        .keys = {"token_rejected"},
    },
    {
        .name = "unknown_group",
        .title = {[RU] = "группа не найдена в VK", [EN] = "group not found on VK"},
        .start = {[RU] = "«{name}»: VK не знает такую группу (запуск №{runs}); исправьте её "
                         "адрес в настройке — остальные группы собираются",
                  [EN] = "«{name}»: VK does not know this group (run #{runs}); correct its "
                         "address in the config (the other groups are collected)"},
        .end = {[RU] = "«{name}»: группа снова находится в VK",
                [EN] = "«{name}»: VK knows the group again"},
        .community = unknown_group,
        .figures = {{"run", FIG(runs), FIG_INT}},
        .keys = {"unknown_group"},
    },
};

const size_t alert_nrules = sizeof alert_rules / sizeof alert_rules[0];

/* ---- words -------------------------------------------------------------------------- */

/* Why a rule could not be judged, by enum alert_lack. */
static const char *const lack_words[LACK_NREASONS][LANG_COUNT] = {
    [LACK_WALL] = {[RU] = "стена ни разу не прочитана полностью",
                   [EN] = "the wall was never read completely"},
    [LACK_DETAILS] = {[RU] = "отметки и комментарии ни разу не прочитаны полностью",
                      [EN] = "likes and comments were never read completely"},
    [LACK_MEMBERS] = {[RU] = "ещё нет числа подписчиков", [EN] = "no subscriber count yet"},
    [LACK_WEEK_BEFORE] = {[RU] = "нет числа подписчиков недельной давности",
                          [EN] = "no subscriber count from a week before"},
    [LACK_HISTORY] = {[RU] = "собранная история ещё не покрывает базовый период (отметки "
                             "датируются запусками)",
                      [EN] = "the collected history does not cover the baseline yet (likes are "
                             "dated by the runs)"},
    [LACK_BASELINE] = {[RU] = "базовый уровень слишком мал для оценки",
                       [EN] = "the baseline is too small to judge"},
};

const char *alert_lack_text(enum alert_lack lack, const char *lang)
{
    return lack_words[lack][alerts_lang(lang)];
}

const char *const alert_words[AW_COUNT][LANG_COUNT] = {
    [AW_OVER] = {[RU] = "снято: ", [EN] = "over: "},
    [AW_NONE_ACTIVE] = {[RU] = "%s: активных тревог нет\n", [EN] = "%s: no active alerts\n"},
    [AW_N_ACTIVE] = {[RU] = "%s: активных тревог: %zu\n", [EN] = "%s: %zu active alert(s)\n"},
    [AW_SINCE] = {[RU] = "  %-10s %-15s с %s\n", [EN] = "  %-10s %-15s since %s\n"},
    [AW_NOT_JUDGED] =
        {[RU] = "не оценено (не хватает данных):\n", [EN] = "not judged (data missing):\n"},
    [AW_OUTBOX] = {[RU] = "очередь: не доставлено сообщений: %" PRId64 ", самое старое от %s\n",
                   [EN] = "outbox: %" PRId64 " message(s) not delivered yet, the oldest from %s\n"},
    [AW_MARK_ACTIVE] = {[RU] = "ДЕЙСТВУЕТ", [EN] = "ACTIVE"},
    [AW_MARK_NEW] = {[RU] = "НОВАЯ", [EN] = "NEW"},
    [AW_MARK_ENDED] = {[RU] = "СНЯТА", [EN] = "ENDED"},
};

const char *const alert_day_forms[LANG_COUNT][3] = {
    [RU] = {"день", "дня", "дней"}, [EN] = {"day", "days", "days"}};
const char *const alert_interaction_forms[LANG_COUNT][3] = {
    [RU] = {"взаимодействие", "взаимодействия", "взаимодействий"},
    [EN] = {"interaction", "interactions", "interactions"}};
const char *const alert_hour_forms[LANG_COUNT][3] = {
    [RU] = {"час", "часа", "часов"}, [EN] = {"hour", "hours", "hours"}};
