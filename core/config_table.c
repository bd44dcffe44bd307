/* config_table.c: every configuration key, one row each: type, bounds, default, help. */
#include "config_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_choices[] = {"rmo", "community", NULL};
static const char *const lang_choices[] = {"ru", "en", NULL};
static const char *const encoding_choices[] = {"auto", "utf-8", "windows-1251", NULL};
static const char *const delimiter_choices[] = {"auto", "comma", "semicolon", "tab", NULL};
static const char *const channel_choices[] = {"webhook", "email", "stdout", NULL};
static const char *const format_choices[] = {"json", "slack", "telegram", NULL};
static const char *const period_choices[] = {"calendar", "school-year", "weeks", NULL};
static const char *const weekday_choices[] = {"off", "mon", "tue", "wed", "thu",
                                              "fri", "sat", "sun", NULL};

#define CFG(f) offsetof(struct config, f)
#define COM(f) offsetof(struct config_community, f)
#define CHN(f) offsetof(struct config_channel, f)
/* Slot n of the [alerts] thresholds: a number whatever the key type (config_number). */
#define ALERT_KEY(n) (CFG(alert_keys) + (n) * sizeof(double))

/* KT_INDEX stores choices as int. */
_Static_assert(sizeof(enum community_kind) == sizeof(int), "enum size");
_Static_assert(sizeof(enum channel_type) == sizeof(int), "enum size");

/* Rows name `only` where it applies (the channel keys of one type); the others leave it 0. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
const struct key_def config_keys[] = {
    {"database", "path", KT_PATH, CFG(db_path), 0, 0, "vkpulse.db", NULL,
     "SQLite database file (created with mode 0600)"},
    {"vk", "api_url", KT_URL, CFG(api_url), 0, 0, "https://api.vk.com/method", NULL,
     "VK API base URL"},
    {"vk", "api_version", KT_STRING, CFG(api_version), 0, 0, "5.199", NULL, "VK API version"},
    {"vk", "requests_per_second", KT_DOUBLE, CFG(rps), 0.1, 20, "3", NULL,
     "request rate of each token: 3 for a user token, 20 for a group token"},
    {"vk", "token_env", KT_STRING, CFG(token_env), 0, 0, "VKPULSE_TOKEN", NULL,
     "environment variable that holds the access token (several: comma-separated)"},
    {"vk", "token_file", KT_PATH, CFG(token_file), 0, 0, "", NULL,
     "file that holds the token instead, one per line (must not be readable by others)"},
    {"vk", "timeout", KT_INT, CFG(timeout), 1, 300, "30", NULL, "seconds for one HTTP request"},
    {"vk", "execute", KT_BOOL, CFG(use_execute), 0, 0, "yes", NULL,
     "pack up to 25 calls into one execute request"},
    {"vk", "max_response_kb", KT_INT, CFG(max_response_kb), 64, 65536, "8192", NULL,
     "refuse answers larger than this"},
    {"collect", "horizon_days", KT_INT, CFG(horizon_days), 0, 36500, "0", NULL,
     "first run: read the wall back this many days (0: to its first post)"},
    {"collect", "refresh_days", KT_INT, CFG(refresh_days), 1, 3650, "30", NULL,
     "later runs: re-read posts younger than this"},
    {"collect", "members_full_hours", KT_INT, CFG(members_full_hours), 0, 8760, "24", NULL,
     "a member list unchanged on its first page is read whole at least this often"},
    {"collect", "interval", KT_INT, CFG(interval), 60, 604800, "3600", NULL,
     "--watch: seconds between runs"},
    {"collect", "stats", KT_BOOL, CFG(collect_stats), 0, 0, "yes", NULL,
     "fetch stats.get where the token is a group admin"},
    {"collect", "store_names", KT_BOOL, CFG(store_names), 0, 0, "no", NULL,
     "keep members' names (personal data: off by default)"},
    {"collect", "max_members", KT_INT, CFG(max_members), 1000, 1000000000, "20000000", NULL,
     "a member count VK gives above this is refused, not paged (and a day's "
     "subscriptions, reach or visitors in stats.get)"},
    {"collect", "max_items", KT_INT, CFG(max_items), 1000, 1000000000, "10000000", NULL,
     "a like or comment count of one post above this is refused, not paged (and a "
     "wall's post count, a post's views, a day's views or likes in stats.get)"},
    {"collect", "run_deadline", KT_INT, CFG(run_deadline), 10, 604800, "21600", NULL,
     "seconds a run may last; then it stops as after SIGTERM (partial)"},
    {"region", "municipalities", KT_PATH, CFG(municipalities), 0, 0, "regions/chelyabinsk.ini",
     NULL, "municipality map file"},
    {"region", "vk_region", KT_STRING, CFG(vk_region), 0, 0, "Челябинская область", NULL,
     "the region as VK names it (database.getRegions), for its city directory"},
    {"region", "vk_region_id", KT_INT, CFG(vk_region_id), 0, 2000000000, "0", NULL,
     "VK region id of the city directory; 0: found by vk_region"},
    {"region", "directory_max_age_days", KT_INT, CFG(directory_max_age_days), 1, 3650, "30", NULL,
     "collect refreshes VK's city directory when older than this"},
    {"region", "timezone", KT_STRING, CFG(timezone), 0, 0, "Asia/Yekaterinburg", NULL,
     "time zone for weeks and schedules"},
    {"region", "lang", KT_ENUM, CFG(lang), 0, 0, "ru", lang_choices,
     "language of reports and alerts"},
    {"survey", "municipality_column", KT_STRING, CFG(survey_municipality_col), 0, 0,
     "Муниципальное образование|Муниципалитет|Наименование муниципального образования|"
     "Муниципальный район (городской округ)|Муниципальный район/городской округ|"
     "Наименование муниципалитета|Municipality",
     NULL, "headers of the survey's municipality column, '|'-separated"},
    {"survey", "q13_column", KT_STRING, CFG(survey_q13_col), 0, 0,
     "В каких региональных методических объединениях", NULL,
     "header wording of question 13 (which RMOs)"},
    {"survey", "q14_column", KT_STRING, CFG(survey_q14_col), 0, 0,
     "Оцените характер участия педагогов ... региональных методических объединениях", NULL,
     "header wording of question 14 (participation in the RMOs)"},
    {"survey", "q16_column", KT_STRING, CFG(survey_q16_col), 0, 0,
     "В каких региональных профессиональных сетевых сообществах", NULL,
     "header wording of question 16 (which professional communities)"},
    {"survey", "q17_column", KT_STRING, CFG(survey_q17_col), 0, 0,
     "Оцените характер участия педагогов ... профессиональных сетевых сообществах", NULL,
     "header wording of question 17 (participation in the communities)"},
    {"survey", "encoding", KT_ENUM, CFG(survey_encoding), 0, 0, "auto", encoding_choices,
     "survey file encoding: auto (UTF-8, else Windows-1251), utf-8, windows-1251"},
    {"survey", "delimiter", KT_ENUM, CFG(survey_delimiter), 0, 0, "auto", delimiter_choices,
     "survey file field separator: auto, comma, semicolon, tab"},
    {"survey", "period", KT_ENUM, CFG(survey_period), 0, 0, "calendar", period_choices,
     "crosscheck --year Y observes the calendar year Y, the school year ending in Y, or "
     "window_weeks weeks ending at the last run"},
    {"survey", "window_weeks", KT_INT, CFG(survey_window_weeks), 1, 520, "52", NULL,
     "crosscheck with period = weeks: weeks ending at the last run (--window N overrides)"},
    {"survey", "min_members", KT_INT, CFG(survey_min_members), 1, 100000, "5", NULL,
     "crosscheck: attributed members of a municipality needed before any claim can be called "
     "overstated"},
    {"survey", "min_coverage", KT_DOUBLE, CFG(survey_min_coverage), 0, 1, "0.5", NULL,
     "crosscheck: share of members attributed needed before a claim can be called overstated"},
    {"survey", "min_discussants", KT_INT, CFG(survey_min_discussants), 1, 100000, "3", NULL,
     "crosscheck: attributed commenters for the level 'discusses'"},
    {"survey", "min_discussant_share", KT_DOUBLE, CFG(survey_min_discussant_share), 0, 1, "0.1",
     NULL, "crosscheck: ... who are at least this share of the attributed members"},
    {"survey", "min_contributors", KT_INT, CFG(survey_min_contributors), 1, 100000, "2", NULL,
     "crosscheck: attributed post authors for the level 'contributes'"},
    {"survey", "pseudonym_salt", KT_SECRET, CFG(survey_salt), 0, 0, "", NULL,
     "secret salt of crosscheck --pseudonymize ids (keep it private; empty: refused)"},
    {"alerts", "no_posts_days", KT_INT, ALERT_KEY(0), 0, 365, "14", NULL,
     "alert when a community has published no post for more than N days (0: off)"},
    {"alerts", "no_reactions_days", KT_INT, ALERT_KEY(1), 0, 365, "14", NULL,
     "alert when nobody has commented or liked for more than N days (0: off)"},
    {"alerts", "members_drop_percent", KT_DOUBLE, ALERT_KEY(2), 0, 100, "5", NULL,
     "alert when members fell by more than X % over a week (0: off)"},
    {"alerts", "engagement_factor", KT_DOUBLE, ALERT_KEY(3), 0, 1, "0.5", NULL,
     "alert when a week's engagement is below this share of the baseline (0: off)"},
    {"alerts", "baseline_weeks", KT_INT, ALERT_KEY(4), 1, 52, "4", NULL,
     "weeks before the last one that make the engagement baseline"},
    {"alerts", "baseline_min", KT_INT, ALERT_KEY(5), 0, 1000000, "10", NULL,
     "no engagement judgement when the baseline is below N interactions a week"},
    {"alerts", "stale_hours", KT_INT, ALERT_KEY(6), 0, 8760, "48", NULL,
     "alert when a community was not collected completely for N hours (0: off)"},
    {"alerts", "failed_runs", KT_INT, ALERT_KEY(7), 0, 1000, "3", NULL,
     "alert when the last N collection runs all failed (0: off)"},
    {"alerts", "token_rejected", KT_BOOL, ALERT_KEY(8), 0, 0, "yes", NULL,
     "alert when VK rejected the access token (error 5)"},
    {"alerts", "unknown_group", KT_BOOL, ALERT_KEY(9), 0, 0, "yes", NULL,
     "alert when VK does not know a configured group (a misspelt or deleted address)"},
    {"alerts", "retry_max_minutes", KT_INT, CFG(alert_retry_max), 1, 1440, "60", NULL,
     "longest wait between two attempts of a failed delivery"},
    {"service", "report_weekday", KT_ENUM, CFG(report_weekday), 0, 0, "mon", weekday_choices,
     "collect --watch: day of the weekly report and digest (off: none)"},
    {"service", "report_hour", KT_INT, CFG(report_hour), 0, 23, "8", NULL,
     "collect --watch: local hour of the weekly report"},
    {"service", "report_dir", KT_PATH, CFG(report_dir), 0, 0, "reports", NULL,
     "folder the weekly HTML and CSV reports are written to"},
    {"service", "report_group", KT_STRING, CFG(report_group), 0, 0, "", NULL,
     "group that may read report_dir (folders 0750, files 0640; unset: owner only)"},
    {"service", "report_url", KT_URL, CFG(report_url), 0, 0, "", NULL,
     "https://... where report_dir is published: the digest links the report there"},
    {"report", "weeks", KT_INT, CFG(report_weeks), 1, 104, "8", NULL,
     "trend window of the weekly report, in weeks (--weeks overrides)"},
    {"report", "top_posts", KT_INT, CFG(report_top), 0, 50, "5", NULL,
     "top posts listed per community"},
    {"report", "snapshot_slack_hours", KT_INT, CFG(report_slack_hours), 1, 168, "84", NULL,
     "a week boundary uses the snapshot nearest to it within this many hours"},
    {"privacy", "retention_months", KT_INT, CFG(retention_months), 0, 120, "0", NULL,
     "purge likes, comments, reposts and post counters older than this (0: keep)"},
    {"community", "group", KT_STRING, COM(group), 0, 0, NULL, NULL,
     "VK screen name or numeric id of the group"},
    {"community", "kind", KT_INDEX, COM(kind), 0, 0, NULL, kind_choices,
     "rmo (methodical association) or community (professional community)"},
    {"community", "survey_name", KT_STRING, COM(survey_name), 0, 0, NULL, NULL,
     "exact survey wording that names the community"},
    {"channel", "type", KT_INDEX, CHN(type), 0, 0, NULL, channel_choices,
     "webhook, email or stdout"},
    {"channel", "url", KT_HOOK, CHN(url), 0, 0, "", NULL,
     "webhook: URL to POST to (a secret: never logged)", CHANNEL_BIT(CHANNEL_WEBHOOK)},
    {"channel", "format", KT_ENUM, CHN(format), 0, 0, "json", format_choices,
     "webhook payload: json (documented), slack (also Mattermost) or telegram",
     CHANNEL_BIT(CHANNEL_WEBHOOK)},
    {"channel", "chat_id", KT_STRING, CHN(chat_id), 0, 0, "", NULL,
     "webhook with format telegram: the chat id", CHANNEL_BIT(CHANNEL_WEBHOOK)},
    {"channel", "smtp_url", KT_SMTP, CHN(smtp_url), 0, 0, "", NULL,
     "email: smtps://host:465 or smtp://host:587 (STARTTLS required)", CHANNEL_BIT(CHANNEL_EMAIL)},
    {"channel", "from", KT_STRING, CHN(from), 0, 0, "", NULL, "email: sender address",
     CHANNEL_BIT(CHANNEL_EMAIL)},
    {"channel", "to", KT_STRING, CHN(to), 0, 0, "", NULL,
     "email: recipient addresses, separated by commas", CHANNEL_BIT(CHANNEL_EMAIL)},
    {"channel", "user", KT_STRING, CHN(user), 0, 0, "", NULL, "email: SMTP login",
     CHANNEL_BIT(CHANNEL_EMAIL)},
    {"channel", "password", KT_SECRET, CHN(password), 0, 0, "", NULL,
     "email: SMTP password (a secret: never logged)", CHANNEL_BIT(CHANNEL_EMAIL)},
    {"channel", "lang", KT_ENUM, CHN(lang), 0, 0, "", lang_choices,
     "ru or en (default: [region] lang)"},
    {"channel", "timeout", KT_INT, CHN(timeout), 1, 300, "30", NULL,
     "seconds one delivery may take"},
};

#pragma GCC diagnostic pop

const size_t config_nkeys = sizeof config_keys / sizeof config_keys[0];
_Static_assert(sizeof config_keys / sizeof config_keys[0] <= CONFIG_MAXKEYS, "CONFIG_MAXKEYS");

const struct repeated config_repeats[CONFIG_NREPEATS] = {
    {"community", sizeof(struct config_community), CFG(communities), CFG(ncommunities), COM(line)},
    {"channel", sizeof(struct config_channel), CFG(channels), CFG(nchannels), CHN(line)},
};

const char *config_kind_name(enum community_kind kind)
{
    return kind_choices[kind];
}

const char *config_channel_type_name(enum channel_type type)
{
    return channel_choices[type];
}

int config_key_index(const char *section, const char *key)
{
    for (int i = 0; i < (int)config_nkeys; i++)
        if (strcmp(config_keys[i].section, section) == 0 && strcmp(config_keys[i].key, key) == 0)
            return i;
    return -1;
}

int config_int_bounds(const char *section, const char *key, long *min, long *max)
{
    int i = config_key_index(section, key);
    if (i < 0 || config_keys[i].type != KT_INT)
        return -1;
    *min = (long)config_keys[i].min;
    *max = (long)config_keys[i].max;
    return 0;
}

int config_key_in_slots(const struct key_def *k)
{
    return strcmp(k->section, "alerts") == 0 && k->offset >= CFG(alert_keys) &&
           k->offset < CFG(alert_keys) + sizeof(((struct config *)0)->alert_keys);
}

double config_number(const struct config *cfg, const char *section, const char *key)
{
    int i = config_key_index(section, key);
    const struct key_def *k = i >= 0 ? &config_keys[i] : NULL;
    const char *p = (const char *)cfg + (k ? k->offset : 0);

    if (!k || !cfg || strcmp(section, "community") == 0 || strcmp(section, "channel") == 0)
        return NAN;
    if (config_key_in_slots(k) || k->type == KT_DOUBLE)
        return *(const double *)p;
    if (k->type == KT_INT || k->type == KT_BOOL || k->type == KT_INDEX)
        return *(const int *)p;
    return NAN;
}

void config_print_keys(void)
{
    static const char *const type_name[] = {"text",   "path",   "url",    "integer",
                                            "number", "yes/no", "choice", "choice",
                                            "secret", "url",    "url"};
    const char *section = "";
    for (size_t i = 0; i < config_nkeys; i++) {
        const struct key_def *k = &config_keys[i];
        if (strcmp(section, k->section) != 0)
            printf("%s[%s]\n", i ? "\n" : "", section = k->section);
        printf("  %-20s %-8s %s", k->key, type_name[k->type], k->help);
        if (k->type == KT_INT || k->type == KT_DOUBLE)
            printf(" (%g..%g)", k->min, k->max);
        printf(k->def ? "; default: %s\n" : "; required\n", k->def && k->def[0] ? k->def : "none");
    }
}
