/* config.h: the vkpulse configuration file, loaded through one table of keys. */
#ifndef VKP_CONFIG_H
#define VKP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/* The two kinds of community the institute runs (docs/domain.md). */
enum community_kind {
    COMMUNITY_RMO,  /* network regional methodical association (сетевое РМО) */
    COMMUNITY_PROF, /* network professional community (сетевое профессиональное сообщество) */
};

/* One [community] section. */
struct config_community {
    char *group; /* VK screen name or numeric group id, as written */
    enum community_kind kind;
    char *survey_name; /* the exact survey wording that names this community */
    int line;          /* line of its [community] header, for messages */
    int group_line;    /* line of its `group =`, for messages about the group on VK */
};

/* Where a [channel] sends alert announcements and the weekly digest. */
enum channel_type {
    CHANNEL_WEBHOOK, /* HTTP POST of a JSON payload */
    CHANNEL_EMAIL,   /* a mail through SMTP (smtps:// or STARTTLS) */
    CHANNEL_STDOUT,  /* a line on standard output (the journal, under systemd) */
};

/* One [channel] section. Strings are "" when not set. url and password are
 * secrets: never put them in a message or a log line. */
struct config_channel {
    enum channel_type type;
    char *url;      /* webhook: where to POST (secret: it often holds a key) */
    char *format;   /* webhook payload: json, slack (also Mattermost) or telegram */
    char *chat_id;  /* telegram: the chat the bot writes to */
    char *smtp_url; /* email: smtps://host:465 or smtp://host:587 (STARTTLS required) */
    char *from;     /* email: sender address */
    char *to;       /* email: recipients, separated by commas */
    char *user;     /* email: SMTP login, "" for none */
    char *password; /* email: SMTP password (secret) */
    char *lang;     /* ru or en; "" follows [region] lang */
    int timeout;    /* seconds one delivery may take */
    int line;       /* line of its [channel] header, for messages */
};

/* Slots of [alerts] thresholds (struct config's alert_keys). */
#define CONFIG_ALERT_KEYS 16

/* The whole file. Strings are owned by the struct; paths are absolute or
 * resolved against the directory of the config file. */
struct config {
    char *path; /* the file it was loaded from */
    /* [database] */
    char *db_path; /* SQLite database file */
    /* [vk] */
    char *api_url;       /* base URL, without the trailing method name */
    char *api_version;   /* the v= parameter */
    double rps;          /* requests per second the token may make */
    char *token_env;     /* environment variable holding the token */
    char *token_file;    /* or a file holding it (mode 0600), "" when unused */
    int timeout;         /* seconds for one HTTP request */
    int use_execute;     /* pack calls into execute */
    int max_response_kb; /* answers over this are refused */
    /* [collect] */
    int horizon_days;       /* first run: how far back the wall is read, 0: all */
    int refresh_days;       /* later runs: posts younger than this are re-read */
    int members_full_hours; /* longest time between whole readings of a steady member list */
    int interval;           /* --watch: seconds between runs */
    int collect_stats;      /* try stats.get (needs a group admin's token) */
    int store_names;        /* keep members' first/last names (off: personal data) */
    int max_members;        /* a group's member count above this is refused as implausible */
    int max_items;          /* likes or comments of one post above this: refused */
    int run_deadline;       /* seconds a run may last before it is stopped (partial) */
    /* [region] */
    char *municipalities;       /* municipality map file */
    char *vk_region;            /* the region as VK names it, to find its id */
    int vk_region_id;           /* VK region id, 0: look it up by vk_region */
    int directory_max_age_days; /* collect refreshes the city directory when older */
    char *timezone;             /* IANA time zone for weeks and schedules */
    char *lang;                 /* "ru" or "en" for reports and messages */
    /* [survey] */
    char *survey_municipality_col;      /* wordings of the municipality column, '|'-separated */
    char *survey_q13_col;               /* wordings of question 13's column (RMOs taken part in) */
    char *survey_q14_col;               /* question 14 (character of participation in the RMOs) */
    char *survey_q16_col;               /* question 16 (professional communities taken part in) */
    char *survey_q17_col;               /* question 17 (character of participation in them) */
    char *survey_encoding;              /* "auto", "utf-8" or "windows-1251" */
    char *survey_delimiter;             /* "auto", "comma", "semicolon" or "tab" */
    char *survey_period;                /* crosscheck: "calendar", "school-year" or "weeks" */
    int survey_window_weeks;            /* crosscheck, period = weeks: weeks before the last run */
    int survey_min_members;             /* fewer attributed members: a shortfall is unverifiable */
    double survey_min_coverage;         /* smaller attributed share: a shortfall is unverifiable */
    int survey_min_discussants;         /* commenters needed to observe "discusses" */
    double survey_min_discussant_share; /* ... and their share of the attributed members */
    int survey_min_contributors;        /* post authors needed to observe "contributes" */
    char *survey_salt;                  /* secret salt of --pseudonymize hashes, "" when unset */
    /* [alerts]: the rules' thresholds, one slot per row of config_table.c that stores here
     * (ALERT_KEY(n)); alerts/alert_rules.c names each rule's keys and reads them by name
     * with config_number, so a rule's key needs no field of its own. Whole numbers and
     * yes/no are kept as numbers too; 0 turns a rule off. */
    double alert_keys[CONFIG_ALERT_KEYS];
    int alert_retry_max; /* minutes: ceiling of the delivery retry backoff */
    /* [service] */
    char *report_weekday; /* off, mon .. sun: when --watch writes the weekly report */
    int report_hour;      /* local hour of that day */
    char *report_dir;     /* where the weekly HTML and CSV files go */
    char *report_group;   /* group that may read report_dir and its files, "" for none */
    char *report_url;     /* where report_dir is served on the web, "" when it is not */
    /* [report] */
    int report_weeks;       /* trend window of `vkpulse report`, in weeks */
    int report_top;         /* top posts listed per community */
    int report_slack_hours; /* how far from a week boundary a snapshot may lie */
    /* [privacy] */
    int retention_months; /* purge interactions older than this; 0 keeps all */
    /* [community] sections */
    struct config_community *communities;
    size_t ncommunities;
    /* [channel] sections, in file order; messages name them by 1-based index */
    struct config_channel *channels;
    size_t nchannels;
};

/*
 * config_load: read and validate the file at path. On success *out owns a
 * new config (free with config_free). On failure returns VKP_ECONFIG (or
 * VKP_EIO/VKP_ENOMEM) with "file:line: what is wrong" in err.
 */
int config_load(const char *path, struct config **out, char *err, size_t errlen);

/*
 * config_load_string: the same for text already in memory (tests, fuzzing).
 * name stands for the file in messages, and relative paths are resolved
 * against its directory.
 */
int config_load_string(const char *name, const char *text, struct config **out, char *err,
                       size_t errlen);

/* A config_check error: "file:line: what is wrong" (with "did you mean" where one is near). */
typedef void (*config_error_fn)(void *ud, const char *msg);

/*
 * config_check: read the file at path (or text, when not NULL, named path) as config_load
 * does, but tell each of every error it finds, with its file:line, and go on: a refused
 * value is replaced by its default, a missing required one by nothing, an unknown
 * section's keys are skipped; a token_file that cannot be read is an error too. Returns 0
 * with *out set (free with config_free) and *nerrors the errors told, or, with *out NULL:
 * VKP_ECONFIG when a syntax error ended the reading (told too), VKP_EIO or VKP_ENOMEM with
 * the message in err.
 */
int config_check(const char *path, const char *text, config_error_fn each, void *ud,
                 struct config **out, size_t *nerrors, char *err, size_t errlen);

/*
 * config_horizon_start: the oldest post date a community's first wall read
 * (at first_read) covers with [collect] horizon_days: first_read -
 * horizon_days, or 0 when it is 0 and the read goes back to the first post.
 */
int64_t config_horizon_start(int horizon_days, int64_t first_read);

/* config_free: release everything; NULL is a no-op. */
void config_free(struct config *cfg);

/*
 * config_token: the access tokens, from token_file when set (one per line; the file must
 * not be readable by group or others) or else from the environment variable named by
 * token_env (comma-separated), as one heap string "t1,t2,..." the caller frees (and
 * should wipe). Errors say where the token was looked for, never what it is.
 */
int config_token(const struct config *cfg, char **out, char *err, size_t errlen);

/* config_group_id: the VK group id a `group` reference names by itself (123, club123,
 * public123, event123), 0 for a screen name that only VK can resolve. */
int64_t config_group_id(const char *group);

/* config_kind_name: "rmo" or "community", as the database stores it. */
const char *config_kind_name(enum community_kind kind);

/* config_channel_type_name: "webhook", "email" or "stdout". */
const char *config_channel_type_name(enum channel_type type);

/* config_channel_lang: the channel's language, or [region] lang when unset. */
const char *config_channel_lang(const struct config *cfg, const struct config_channel *ch);

/*
 * config_number: the value of the number, whole number or yes/no (1/0) key
 * [section] key of a section that is not repeated, or NAN when there is no
 * such key of those types.
 */
double config_number(const struct config *cfg, const char *section, const char *key);

/* config_is_loopback_url: the URL's host is 127.x.x.x, localhost or [::1]. */
int config_is_loopback_url(const char *url);

/* config_int_bounds: the bounds of an integer key ([section] key) as the
 * config table gives them, so a command-line option that overrides the key
 * accepts the same range. Returns 0, or -1 for no such integer key. */
int config_int_bounds(const char *section, const char *key, long *min, long *max);

/* config_print_keys: the documented key table (section, key, type, default), for --help. */
void config_print_keys(void);

#endif
