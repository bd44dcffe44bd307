/* config.c: one table row per key (type, bounds, default), checked with file:line errors. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "ini.h"

enum key_type {
    KT_STRING, /* any non-empty text */
    KT_PATH,   /* a file path, resolved against the config's directory */
    KT_URL,    /* https:// (http:// only for loopback hosts) */
    KT_INT,    /* integer within [min, max] */
    KT_DOUBLE, /* number within [min, max] */
    KT_BOOL,   /* yes/no, true/false, on/off, 1/0 */
    KT_ENUM,   /* one of choices[] (stored as its index for community kind, else as text) */
};

/* One configuration key. Rows of section "community" address struct
 * config_community, all others struct config. */
struct key_def {
    const char *section;        /* [section] it belongs to */
    const char *key;            /* its name */
    enum key_type type;         /* how the value is checked and stored */
    size_t offset;              /* where it is stored */
    double min, max;            /* bounds for numbers */
    const char *def;            /* default as written in a file; NULL: required */
    const char *const *choices; /* allowed values for KT_ENUM, NULL-terminated */
    const char *help;           /* one line for --help */
};

static const char *const kind_choices[] = {"rmo", "community", NULL};
static const char *const lang_choices[] = {"ru", "en", NULL};

#define CFG(f) offsetof(struct config, f)
#define COM(f) offsetof(struct config_community, f)

static const struct key_def keys[] = {
    {"database", "path", KT_PATH, CFG(db_path), 0, 0, "vkpulse.db", NULL,
     "SQLite database file (created with mode 0600)"},
    {"vk", "api_url", KT_URL, CFG(api_url), 0, 0, "https://api.vk.com/method", NULL,
     "VK API base URL"},
    {"vk", "api_version", KT_STRING, CFG(api_version), 0, 0, "5.199", NULL, "VK API version"},
    {"vk", "requests_per_second", KT_DOUBLE, CFG(rps), 0.1, 20, "3", NULL,
     "request rate: 3 for a user token, 20 for a group token"},
    {"vk", "token_env", KT_STRING, CFG(token_env), 0, 0, "VKPULSE_TOKEN", NULL,
     "environment variable that holds the access token"},
    {"vk", "token_file", KT_PATH, CFG(token_file), 0, 0, "", NULL,
     "file that holds the token instead (must not be readable by others)"},
    {"vk", "timeout", KT_INT, CFG(timeout), 1, 300, "30", NULL, "seconds for one HTTP request"},
    {"vk", "execute", KT_BOOL, CFG(use_execute), 0, 0, "yes", NULL,
     "pack up to 25 calls into one execute request"},
    {"vk", "max_response_kb", KT_INT, CFG(max_response_kb), 64, 65536, "8192", NULL,
     "refuse answers larger than this"},
    {"collect", "horizon_days", KT_INT, CFG(horizon_days), 1, 3650, "365", NULL,
     "first run: read the wall back this many days"},
    {"collect", "refresh_days", KT_INT, CFG(refresh_days), 1, 3650, "30", NULL,
     "later runs: re-read posts younger than this"},
    {"collect", "interval", KT_INT, CFG(interval), 60, 604800, "3600", NULL,
     "--watch: seconds between runs"},
    {"collect", "stats", KT_BOOL, CFG(collect_stats), 0, 0, "yes", NULL,
     "fetch stats.get where the token is a group admin"},
    {"collect", "store_names", KT_BOOL, CFG(store_names), 0, 0, "no", NULL,
     "keep members' names (personal data: off by default)"},
    {"region", "municipalities", KT_PATH, CFG(municipalities), 0, 0, "regions/chelyabinsk.ini",
     NULL, "municipality map file"},
    {"region", "timezone", KT_STRING, CFG(timezone), 0, 0, "Asia/Yekaterinburg", NULL,
     "time zone for weeks and schedules"},
    {"region", "lang", KT_ENUM, CFG(lang), 0, 0, "ru", lang_choices,
     "language of reports and alerts"},
    {"report", "weeks", KT_INT, CFG(report_weeks), 1, 104, "8", NULL,
     "trend window of the weekly report, in weeks (--weeks overrides)"},
    {"report", "top_posts", KT_INT, CFG(report_top), 0, 50, "5", NULL,
     "top posts listed per community"},
    {"report", "snapshot_slack_hours", KT_INT, CFG(report_slack_hours), 1, 168, "84", NULL,
     "a week boundary uses the snapshot nearest to it within this many hours"},
    {"community", "group", KT_STRING, COM(group), 0, 0, NULL, NULL,
     "VK screen name or numeric id of the group"},
    {"community", "kind", KT_ENUM, COM(kind), 0, 0, NULL, kind_choices,
     "rmo (methodical association) or community (professional community)"},
    {"community", "survey_name", KT_STRING, COM(survey_name), 0, 0, NULL, NULL,
     "exact survey wording that names the community"},
};

#define NKEYS (sizeof keys / sizeof keys[0])

/* Parse state: which keys were seen in the global sections and in the
 * current [community], and the directory relative paths are resolved in. */
struct loader {
    struct config *cfg;
    char *dir;           /* directory of the config file */
    int seen[NKEYS];     /* line a global key was set on, 0 if not yet */
    int (*cseen)[NKEYS]; /* the same for each [community], in order */
    int in_community;    /* inside a [community] section */
};

static int is_loopback_host(const char *h, size_t n)
{
    if (n == 9 && strncasecmp(h, "localhost", 9) == 0)
        return 1;
    if (n == 5 && memcmp(h, "[::1]", 5) == 0)
        return 1;
    return n >= 4 && memcmp(h, "127.", 4) == 0 && strspn(h, "0123456789.") == n;
}

/* The only place plain HTTP is allowed is the machine itself: a token must
 * never cross a network unencrypted. */
static int check_url(const char *v, char *msg, size_t len)
{
    const char *host;
    if (strncmp(v, "https://", 8) == 0)
        host = v + 8;
    else if (strncmp(v, "http://", 7) == 0)
        host = v + 7;
    else {
        snprintf(msg, len, "api_url '%s' must start with https://", v);
        return -1;
    }
    size_t n = strcspn(host, ":/");
    if (host[0] == '[')
        n = strcspn(host, "]") + 1;
    if (n == 0) {
        snprintf(msg, len, "api_url '%s' has no host", v);
        return -1;
    }
    if (v[4] == ':' && !is_loopback_host(host, n)) {
        snprintf(msg, len,
                 "api_url '%s' must use https (plain http is allowed only for 127.0.0.1 "
                 "or localhost)",
                 v);
        return -1;
    }
    return 0;
}

static char *resolve_path(const char *dir, const char *v)
{
    char *out = NULL;
    if (v[0] == '\0' || v[0] == '/' || !dir)
        return strdup(v);
    if (asprintf(&out, "%s/%s", dir, v) < 0)
        return NULL;
    return out;
}

static int parse_bool(const char *v, int *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(v, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

/* Checks value v against row k and stores it at base+offset. */
static int set_value(struct loader *ld, const struct key_def *k, void *base, const char *v,
                     char *msg, size_t len)
{
    char *p = (char *)base + k->offset;
    char *end = NULL;

    switch (k->type) {
    case KT_STRING:
    case KT_URL:
    case KT_PATH: {
        if (k->type != KT_PATH && v[0] == '\0') {
            snprintf(msg, len, "'%s' must not be empty", k->key);
            return VKP_ECONFIG;
        }
        if (k->type == KT_URL && check_url(v, msg, len) != 0)
            return VKP_ECONFIG;
        char *s = k->type == KT_PATH ? resolve_path(ld->dir, v) : strdup(v);
        if (!s)
            return VKP_ENOMEM;
        free(*(char **)p);
        *(char **)p = s;
        return 0;
    }
    case KT_INT: {
        errno = 0;
        long n = strtol(v, &end, 10);
        if (errno || end == v || *end != '\0') {
            snprintf(msg, len, "'%s' must be a whole number, not '%s'", k->key, v);
            return VKP_ECONFIG;
        }
        if (n < (long)k->min || n > (long)k->max) {
            snprintf(msg, len, "'%s' must be between %ld and %ld, not %ld", k->key, (long)k->min,
                     (long)k->max, n);
            return VKP_ECONFIG;
        }
        *(int *)p = (int)n;
        return 0;
    }
    case KT_DOUBLE: {
        errno = 0;
        double d = strtod(v, &end);
        if (errno || end == v || *end != '\0' || !isfinite(d)) {
            snprintf(msg, len, "'%s' must be a number, not '%s'", k->key, v);
            return VKP_ECONFIG;
        }
        if (d < k->min || d > k->max) {
            snprintf(msg, len, "'%s' must be between %g and %g, not %g", k->key, k->min, k->max, d);
            return VKP_ECONFIG;
        }
        *(double *)p = d;
        return 0;
    }
    case KT_BOOL:
        if (parse_bool(v, (int *)p) != 0) {
            snprintf(msg, len, "'%s' must be yes or no, not '%s'", k->key, v);
            return VKP_ECONFIG;
        }
        return 0;
    case KT_ENUM:
        for (int i = 0; k->choices[i]; i++) {
            if (strcmp(v, k->choices[i]) != 0)
                continue;
            if (k->choices == kind_choices) {
                *(enum community_kind *)p = (enum community_kind)i;
                return 0;
            }
            char *s = strdup(v);
            if (!s)
                return VKP_ENOMEM;
            free(*(char **)p);
            *(char **)p = s;
            return 0;
        }
        {
            size_t off = (size_t)snprintf(msg, len, "'%s' must be one of", k->key);
            for (int i = 0; k->choices[i] && off < len; i++)
                off += (size_t)snprintf(msg + off, len - off, "%s %s", i ? "," : "", k->choices[i]);
            if (off < len)
                snprintf(msg + off, len - off, "; not '%s'", v);
        }
        return VKP_ECONFIG;
    }
    return VKP_ECONFIG;
}

static int section_known(const char *s)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, s) == 0)
            return 1;
    return 0;
}

static int on_item(void *ud, const struct ini_item *it, char *msg, size_t len)
{
    struct loader *ld = ud;
    struct config *cfg = ld->cfg;

    if (!it->key) {
        if (!section_known(it->section)) {
            snprintf(msg, len,
                     "unknown section [%s] (known: database, vk, collect, region, "
                     "report, community)",
                     it->section);
            return VKP_ECONFIG;
        }
        ld->in_community = strcmp(it->section, "community") == 0;
        if (ld->in_community) {
            size_t n = cfg->ncommunities + 1;
            void *grown = realloc(cfg->communities, n * sizeof *cfg->communities);
            if (!grown)
                return VKP_ENOMEM;
            cfg->communities = grown;
            grown = realloc(ld->cseen, n * sizeof *ld->cseen);
            if (!grown)
                return VKP_ENOMEM;
            ld->cseen = grown;
            memset(&cfg->communities[n - 1], 0, sizeof *cfg->communities);
            memset(ld->cseen[n - 1], 0, sizeof ld->cseen[n - 1]);
            cfg->communities[n - 1].line = it->line;
            cfg->ncommunities = n;
        }
        return 0;
    }
    if (it->section[0] == '\0') {
        snprintf(msg, len, "'%s' is outside any [section]", it->key);
        return VKP_ECONFIG;
    }
    for (size_t i = 0; i < NKEYS; i++) {
        const struct key_def *k = &keys[i];
        if (strcmp(k->section, it->section) != 0 || strcmp(k->key, it->key) != 0)
            continue;
        int *seen = ld->in_community ? ld->cseen[cfg->ncommunities - 1] : ld->seen;
        if (seen[i]) {
            snprintf(msg, len, "'%s' is set twice in [%s] (first on line %d)", it->key, it->section,
                     seen[i]);
            return VKP_ECONFIG;
        }
        seen[i] = it->line;
        void *base =
            ld->in_community ? (void *)&cfg->communities[cfg->ncommunities - 1] : (void *)cfg;
        return set_value(ld, k, base, it->value, msg, len);
    }
    snprintf(msg, len, "unknown key '%s' in [%s]", it->key, it->section);
    return VKP_ECONFIG;
}

/* Defaults go through the same setter as file values, so they obey the same checks. */
static int apply_defaults(struct loader *ld, char *err, size_t errlen)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const struct key_def *k = &keys[i];
        if (strcmp(k->section, "community") == 0 || ld->seen[i])
            continue;
        char msg[256];
        int rc = set_value(ld, k, ld->cfg, k->def, msg, sizeof msg);
        if (rc != 0) {
            snprintf(err, errlen, "%s: default of '%s': %s", ld->cfg->path, k->key, msg);
            return rc;
        }
    }
    return 0;
}

static int check_whole(struct loader *ld, char *err, size_t errlen)
{
    struct config *cfg = ld->cfg;

    if (cfg->ncommunities == 0) {
        snprintf(err, errlen, "%s: no [community] section: list the VK groups to watch", cfg->path);
        return VKP_ECONFIG;
    }
    for (size_t i = 0; i < cfg->ncommunities; i++) {
        for (size_t k = 0; k < NKEYS; k++) {
            if (strcmp(keys[k].section, "community") == 0 && !keys[k].def && !ld->cseen[i][k]) {
                snprintf(err, errlen, "%s:%d: this [community] has no '%s' (%s)", cfg->path,
                         cfg->communities[i].line, keys[k].key, keys[k].help);
                return VKP_ECONFIG;
            }
        }
        for (size_t j = 0; j < i; j++) {
            if (strcasecmp(cfg->communities[i].group, cfg->communities[j].group) == 0) {
                snprintf(err, errlen, "%s:%d: group '%s' is already listed at line %d", cfg->path,
                         cfg->communities[i].line, cfg->communities[i].group,
                         cfg->communities[j].line);
                return VKP_ECONFIG;
            }
        }
    }
    return 0;
}

int config_load(const char *path, struct config **out, char *err, size_t errlen)
{
    struct loader ld;
    struct config *cfg = NULL;
    int rc = VKP_ENOMEM;

    memset(&ld, 0, sizeof ld);
    if (errlen)
        err[0] = '\0';
    *out = NULL;
    cfg = calloc(1, sizeof *cfg);
    if (!cfg || !(cfg->path = strdup(path)))
        goto fail;
    const char *slash = strrchr(path, '/');
    ld.dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
    if (!ld.dir)
        goto fail;
    ld.cfg = cfg;
    rc = ini_parse_file(path, on_item, &ld, err, errlen);
    if (rc == VKP_EPARSE || rc == VKP_ETOOBIG)
        rc = VKP_ECONFIG;
    if (rc != 0)
        goto fail;
    if ((rc = apply_defaults(&ld, err, errlen)) != 0)
        goto fail;
    if ((rc = check_whole(&ld, err, errlen)) != 0)
        goto fail;
    free(ld.dir);
    free(ld.cseen);
    *out = cfg;
    return 0;
fail:
    if (rc == VKP_ENOMEM && err[0] == '\0')
        snprintf(err, errlen, "%s: out of memory", path);
    free(ld.dir);
    free(ld.cseen);
    config_free(cfg);
    return rc;
}

void config_free(struct config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < NKEYS; i++) {
        if (strcmp(keys[i].section, "community") == 0)
            continue;
        if (keys[i].type == KT_STRING || keys[i].type == KT_PATH || keys[i].type == KT_URL ||
            keys[i].type == KT_ENUM)
            free(*(char **)((char *)cfg + keys[i].offset));
    }
    for (size_t i = 0; i < cfg->ncommunities; i++) {
        free(cfg->communities[i].group);
        free(cfg->communities[i].survey_name);
    }
    free(cfg->communities);
    free(cfg->path);
    free(cfg);
}

const char *config_kind_name(enum community_kind kind)
{
    return kind_choices[kind];
}

/* Reads the first line of a token file that only its owner can read. */
static int token_from_file(const char *path, char **out, char *err, size_t errlen)
{
    struct stat sb;
    char buf[512];
    FILE *f = fopen(path, "r");

    if (!f) {
        snprintf(err, errlen, "cannot open token file '%s': %s", path, strerror(errno));
        return VKP_ECONFIG;
    }
    if (fstat(fileno(f), &sb) != 0 || (sb.st_mode & 077) != 0) {
        fclose(f);
        snprintf(err, errlen, "token file '%s' is readable by others: run 'chmod 600 %s'", path,
                 path);
        return VKP_ECONFIG;
    }
    if (!fgets(buf, sizeof buf, f)) {
        fclose(f);
        snprintf(err, errlen, "token file '%s' is empty", path);
        return VKP_ECONFIG;
    }
    fclose(f);
    buf[strcspn(buf, "\r\n")] = '\0';
    *out = strdup(buf);
    explicit_bzero(buf, sizeof buf);
    return *out ? 0 : VKP_ENOMEM;
}

int config_token(const struct config *cfg, char **out, char *err, size_t errlen)
{
    *out = NULL;
    if (cfg->token_file && cfg->token_file[0])
        return token_from_file(cfg->token_file, out, err, errlen);
    const char *v = getenv(cfg->token_env);
    if (!v || !v[0]) {
        snprintf(err, errlen,
                 "no VK access token: set the environment variable %s or token_file "
                 "in [vk] of %s",
                 cfg->token_env, cfg->path);
        return VKP_ECONFIG;
    }
    if (strpbrk(v, " \t\r\n&")) {
        snprintf(err, errlen, "the token in %s contains spaces or '&': copy it again",
                 cfg->token_env);
        return VKP_ECONFIG;
    }
    *out = strdup(v);
    return *out ? 0 : VKP_ENOMEM;
}

void config_print_keys(void)
{
    static const char *const type_name[] = {"text",   "path",   "url",   "integer",
                                            "number", "yes/no", "choice"};
    const char *section = "";
    for (size_t i = 0; i < NKEYS; i++) {
        const struct key_def *k = &keys[i];
        if (strcmp(section, k->section) != 0)
            printf("%s[%s]\n", i ? "\n" : "", section = k->section);
        printf("  %-20s %-8s %s", k->key, type_name[k->type], k->help);
        if (k->type == KT_INT || k->type == KT_DOUBLE)
            printf(" (%g..%g)", k->min, k->max);
        printf(k->def ? "; default: %s\n" : "; required\n", k->def && k->def[0] ? k->def : "none");
    }
}
