/* config.h: the vkpulse configuration file, loaded through one table of keys. */
#ifndef VKP_CONFIG_H
#define VKP_CONFIG_H

#include <stddef.h>

/* The two kinds of community the institute runs (DOMAIN.md). */
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
};

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
    int horizon_days;  /* first run: how far back the wall is read */
    int refresh_days;  /* later runs: posts younger than this are re-read */
    int interval;      /* --watch: seconds between runs */
    int collect_stats; /* try stats.get (needs a group admin's token) */
    int store_names;   /* keep members' first/last names (off: personal data) */
    /* [region] */
    char *municipalities; /* municipality map file */
    char *timezone;       /* IANA time zone for weeks and schedules */
    char *lang;           /* "ru" or "en" for reports and messages */
    /* [report] */
    int report_weeks;       /* trend window of `vkpulse report`, in weeks */
    int report_top;         /* top posts listed per community */
    int report_slack_hours; /* how far from a week boundary a snapshot may lie */
    /* [community] sections */
    struct config_community *communities;
    size_t ncommunities;
};

/*
 * config_load: read and validate the file at path. On success *out owns a
 * new config (free with config_free). On failure returns VKP_ECONFIG (or
 * VKP_EIO/VKP_ENOMEM) with "file:line: what is wrong" in err.
 */
int config_load(const char *path, struct config **out, char *err, size_t errlen);

/* config_free: release everything; NULL is a no-op. */
void config_free(struct config *cfg);

/*
 * config_token: the access token, from token_file when set (which must not
 * be readable by group or others) or else from the environment variable.
 * *out is a heap string the caller frees (and should wipe). Errors say
 * where the token was looked for, never what it is.
 */
int config_token(const struct config *cfg, char **out, char *err, size_t errlen);

/* config_kind_name: "rmo" or "community", as the database stores it. */
const char *config_kind_name(enum community_kind kind);

/* config_print_keys: the documented key table (section, key, type, default), for --help. */
void config_print_keys(void);

#endif
