/* config.c: one table row per key (type, bounds, default), checked with file:line errors. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "config_int.h"
#include "suggest.h"
#include "ini.h"
#include "week.h"

/* Parse state: which keys were seen in the global sections and in each
 * element of a repeated section, and the directory relative paths are
 * resolved in. */
struct loader {
    struct config *cfg;
    char *dir;                /* directory of the config file */
    int seen[CONFIG_MAXKEYS]; /* line a global key was set on, 0 if not yet */
    /* the same for each element of a repeated section */
    int (*rseen[CONFIG_NREPEATS])[CONFIG_MAXKEYS];
    int cur; /* repeated section being read, -1 for none */
};

static int repeat_of(const char *section)
{
    for (size_t i = 0; i < CONFIG_NREPEATS; i++)
        if (strcmp(config_repeats[i].section, section) == 0)
            return (int)i;
    return -1;
}

static size_t *repeat_count(struct config *cfg, int r)
{
    return (size_t *)((char *)cfg + config_repeats[r].count);
}

/* The n-th element of repeated section r. */
static void *repeat_item(struct config *cfg, int r, size_t n)
{
    char *items = *(char **)((char *)cfg + config_repeats[r].items);
    return items + n * config_repeats[r].size;
}

static int is_loopback_host(const char *h, size_t n)
{
    if (n == 9 && strncasecmp(h, "localhost", 9) == 0)
        return 1;
    if (n == 5 && memcmp(h, "[::1]", 5) == 0)
        return 1;
    return n >= 4 && memcmp(h, "127.", 4) == 0 && strspn(h, "0123456789.") == n;
}

/* The host part of a URL after its scheme: start and length (0: none). */
static const char *url_host(const char *v, size_t *n)
{
    const char *host = strstr(v, "://");
    host = host ? host + 3 : v;
    /* User info ends at the last '@' of the authority, which ends at the
     * first '/', '?' or '#': "http://evil#@127.0.0.1/" is evil's, as curl reads it. */
    const char *at = memrchr(host, '@', strcspn(host, "/?#"));
    if (at)
        host = at + 1;
    *n = host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":/");
    return host;
}

int config_is_loopback_url(const char *url)
{
    size_t n;
    const char *host = url_host(url, &n);
    return is_loopback_host(host, n);
}

/*
 * The only place plain HTTP (or SMTP without TLS) is allowed is the machine
 * itself: a token, a webhook key or a password must never cross a network
 * unencrypted. `secret` values are not echoed: a webhook URL often is the key.
 */
static int check_url(const struct key_def *k, const char *v, int secret, char *msg, size_t len)
{
    const char *shown = secret ? "(hidden)" : v;
    const char *tls = k->type == KT_SMTP ? "smtps://" : "https://";
    const char *plain = k->type == KT_SMTP ? "smtp://" : "http://";
    size_t n;

    if (strncmp(v, tls, strlen(tls)) != 0 && strncmp(v, plain, strlen(plain)) != 0) {
        snprintf(msg, len, "%s '%s' must start with %s or %s", k->key, shown, tls, plain);
        return -1;
    }
    /* Spaces, control characters and backslashes are parsed differently by
     * different URL readers; a VK or webhook URL never needs them. */
    if (strpbrk(v, " \t\r\n\\")) {
        snprintf(msg, len, "%s '%s' must not contain spaces or backslashes", k->key, shown);
        return -1;
    }
    url_host(v, &n);
    if (n == 0) {
        snprintf(msg, len, "%s '%s' has no host", k->key, shown);
        return -1;
    }
    /* smtp:// elsewhere than loopback is accepted: delivery then requires
     * STARTTLS (CURLUSESSL_ALL) and fails rather than send in clear. */
    if (k->type != KT_SMTP && strncmp(v, plain, strlen(plain)) == 0 && !config_is_loopback_url(v)) {
        snprintf(msg, len,
                 "%s '%s' must use https (plain http is allowed only for 127.0.0.1 "
                 "or localhost)",
                 k->key, shown);
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
    case KT_HOOK:
    case KT_SMTP:
    case KT_SECRET:
    case KT_PATH: {
        if ((k->type == KT_STRING || k->type == KT_URL) && v[0] == '\0') {
            snprintf(msg, len, "'%s' must not be empty", k->key);
            return VKP_ECONFIG;
        }
        /* Values reach terminals, logs and channels: no escape sequences in them. */
        for (const unsigned char *c = (const unsigned char *)v; *c; c++)
            if (*c < 0x20 || *c == 0x7f) {
                snprintf(msg, len, "'%s' holds a control character (byte 0x%02x)", k->key, *c);
                return VKP_ECONFIG;
            }
        if ((k->type == KT_URL || k->type == KT_HOOK || k->type == KT_SMTP) &&
            check_url(k, v, k->type == KT_HOOK, msg, len) != 0)
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
        if (config_key_in_slots(k))
            *(double *)p = (double)n;
        else
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
    case KT_BOOL: {
        int b;
        if (parse_bool(v, &b) != 0) {
            snprintf(msg, len, "'%s' must be yes or no, not '%s'", k->key, v);
            return VKP_ECONFIG;
        }
        if (config_key_in_slots(k))
            *(double *)p = b;
        else
            *(int *)p = b;
        return 0;
    }
    case KT_ENUM:
    case KT_INDEX:
        for (int i = 0; k->choices[i]; i++) {
            if (strcmp(v, k->choices[i]) != 0)
                continue;
            if (k->type == KT_INDEX) {
                *(int *)p = i;
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
    for (size_t i = 0; i < config_nkeys; i++)
        if (strcmp(config_keys[i].section, s) == 0)
            return 1;
    return 0;
}

/* Candidates for suggest_closest: keys of one section, keys of all, section names. */
static const char *key_in_section(size_t i, const void *section)
{
    return strcmp(config_keys[i].section, section) == 0 ? config_keys[i].key : NULL;
}

static const char *key_any(size_t i, const void *ud)
{
    (void)ud;
    return config_keys[i].key;
}

static const char *section_name(size_t i, const void *ud)
{
    (void)ud;
    return i == 0 || strcmp(config_keys[i].section, config_keys[i - 1].section) != 0
               ? config_keys[i].section
               : NULL;
}

static int on_item(void *ud, const struct ini_item *it, char *msg, size_t len)
{
    struct loader *ld = ud;
    struct config *cfg = ld->cfg;

    if (!it->key) {
        if (!section_known(it->section)) {
            /* The known sections, in table order, each named once. */
            const char *near = suggest_closest(it->section, section_name, config_nkeys, NULL);
            if (near) {
                snprintf(msg, len, "unknown section [%s] (did you mean [%s]?)", it->section, near);
                return VKP_ECONFIG;
            }
            size_t off = (size_t)snprintf(msg, len, "unknown section [%s] (known:", it->section);
            for (size_t i = 0; i < config_nkeys && off < len; i++)
                if (i == 0 || strcmp(config_keys[i].section, config_keys[i - 1].section) != 0)
                    off += (size_t)snprintf(msg + off, len - off, "%s %s", i ? "," : "",
                                            config_keys[i].section);
            if (off < len)
                snprintf(msg + off, len - off, ")");
            return VKP_ECONFIG;
        }
        ld->cur = repeat_of(it->section);
        if (ld->cur >= 0) {
            const struct repeated *r = &config_repeats[ld->cur];
            size_t n = *repeat_count(cfg, ld->cur) + 1;
            char **items = (char **)((char *)cfg + r->items);
            void *grown = realloc(*items, n * r->size);
            if (!grown)
                return VKP_ENOMEM;
            *items = grown;
            grown = realloc(ld->rseen[ld->cur], n * sizeof *ld->rseen[ld->cur]);
            if (!grown)
                return VKP_ENOMEM;
            ld->rseen[ld->cur] = grown;
            char *item = *items + (n - 1) * r->size;
            memset(item, 0, r->size);
            memset(ld->rseen[ld->cur][n - 1], 0, sizeof ld->rseen[ld->cur][n - 1]);
            *(int *)(item + r->line) = it->line;
            *repeat_count(cfg, ld->cur) = n;
        }
        return 0;
    }
    if (it->section[0] == '\0') {
        snprintf(msg, len, "'%s' is outside any [section]", it->key);
        return VKP_ECONFIG;
    }
    for (size_t i = 0; i < config_nkeys; i++) {
        const struct key_def *k = &config_keys[i];
        if (strcmp(k->section, it->section) != 0 || strcmp(k->key, it->key) != 0)
            continue;
        size_t n = ld->cur >= 0 ? *repeat_count(cfg, ld->cur) - 1 : 0;
        int *seen = ld->cur >= 0 ? ld->rseen[ld->cur][n] : ld->seen;
        if (seen[i]) {
            snprintf(msg, len, "'%s' is set twice in [%s] (first on line %d)", it->key, it->section,
                     seen[i]);
            return VKP_ECONFIG;
        }
        seen[i] = it->line;
        void *base = ld->cur >= 0 ? repeat_item(cfg, ld->cur, n) : (void *)cfg;
        if (k->offset == offsetof(struct config_community, group) &&
            strcmp(it->section, "community") == 0)
            ((struct config_community *)base)->group_line = it->line; /* for VK's refusals */
        return set_value(ld, k, base, it->value, msg, len);
    }
    /* A typo of a key of this section, else of any section (a key in the wrong place). */
    const char *near = suggest_closest(it->key, key_in_section, config_nkeys, it->section);
    const char *where = NULL;
    if (!near && (near = suggest_closest(it->key, key_any, config_nkeys, NULL)) != NULL)
        for (size_t i = 0; i < config_nkeys && !where; i++)
            if (config_keys[i].key == near)
                where = config_keys[i].section;
    if (near && where)
        snprintf(msg, len, "unknown key '%s' in [%s] (did you mean '%s' in [%s]?)", it->key,
                 it->section, near, where);
    else if (near)
        snprintf(msg, len, "unknown key '%s' in [%s] (did you mean '%s'?)", it->key, it->section,
                 near);
    else
        snprintf(msg, len, "unknown key '%s' in [%s]", it->key, it->section);
    return VKP_ECONFIG;
}

/* Stores the default of row k at base: "" as an unset "", anything else
 * through the same setter as file values, so it obeys the same checks. */
static int set_default(struct loader *ld, const struct key_def *k, void *base, char *err,
                       size_t errlen)
{
    char msg[256];
    int rc;

    if (k->def[0] == '\0' && k->type != KT_INT && k->type != KT_DOUBLE && k->type != KT_BOOL) {
        char **p = (char **)((char *)base + k->offset);
        free(*p);
        return (*p = strdup("")) ? 0 : VKP_ENOMEM;
    }
    rc = set_value(ld, k, base, k->def, msg, sizeof msg);
    if (rc != 0)
        snprintf(err, errlen, "%s: default of '%s': %s", ld->cfg->path, k->key, msg);
    return rc;
}

static int apply_defaults(struct loader *ld, char *err, size_t errlen)
{
    int rc;
    for (size_t i = 0; i < config_nkeys; i++) {
        const struct key_def *k = &config_keys[i];
        if (repeat_of(k->section) >= 0 || ld->seen[i])
            continue;
        if ((rc = set_default(ld, k, ld->cfg, err, errlen)) != 0)
            return rc;
    }
    return 0;
}

/* Every element of the repeated sections: required keys present, defaults
 * for the others. */
static int complete_repeats(struct loader *ld, char *err, size_t errlen)
{
    struct config *cfg = ld->cfg;
    int rc;

    for (int r = 0; r < (int)CONFIG_NREPEATS; r++) {
        for (size_t n = 0; n < *repeat_count(cfg, r); n++) {
            char *item = repeat_item(cfg, r, n);
            for (size_t k = 0; k < config_nkeys; k++) {
                if (strcmp(config_keys[k].section, config_repeats[r].section) != 0 ||
                    ld->rseen[r][n][k])
                    continue;
                if (!config_keys[k].def) {
                    snprintf(err, errlen, "%s:%d: this [%s] has no '%s' (%s)", cfg->path,
                             *(int *)(item + config_repeats[r].line), config_repeats[r].section,
                             config_keys[k].key, config_keys[k].help);
                    return VKP_ECONFIG;
                }
                if ((rc = set_default(ld, &config_keys[k], item, err, errlen)) != 0)
                    return rc;
            }
        }
    }
    return 0;
}

/* What a channel of each type needs besides its type. */
static int check_channel(const struct config *cfg, const struct config_channel *ch, char *err,
                         size_t errlen)
{
    const char *missing = NULL;

    if (ch->type == CHANNEL_WEBHOOK && !ch->url[0])
        missing = "url";
    else if (ch->type == CHANNEL_WEBHOOK && strcmp(ch->format, "telegram") == 0 && !ch->chat_id[0])
        missing = "chat_id";
    else if (ch->type == CHANNEL_EMAIL && !ch->smtp_url[0])
        missing = "smtp_url";
    else if (ch->type == CHANNEL_EMAIL && !ch->from[0])
        missing = "from";
    else if (ch->type == CHANNEL_EMAIL && !ch->to[0])
        missing = "to";
    else if (ch->type == CHANNEL_EMAIL && ch->password[0] && !ch->user[0])
        missing = "user";
    if (missing) {
        snprintf(err, errlen, "%s:%d: this [channel] of type %s has no '%s'", cfg->path, ch->line,
                 config_channel_type_name(ch->type), missing);
        return VKP_ECONFIG;
    }
    /* Addresses go into SMTP commands and mail headers: no line breaks or brackets. */
    if (ch->type == CHANNEL_EMAIL &&
        (strpbrk(ch->from, "\r\n<>\"") || strpbrk(ch->to, "\r\n<>\""))) {
        snprintf(err, errlen,
                 "%s:%d: 'from' and 'to' take bare addresses like moderator@example.org", cfg->path,
                 ch->line);
        return VKP_ECONFIG;
    }
    return 0;
}

/* "file:line: " of a global key as written, or "file: [section] key: " for a default. */
static void key_where(const struct loader *ld, const char *section, const char *key, char *out,
                      size_t len)
{
    int i = config_key_index(section, key);
    if (i >= 0 && ld->seen[i] > 0)
        snprintf(out, len, "%s:%d: %s", ld->cfg->path, ld->seen[i], key);
    else
        snprintf(out, len, "%s: [%s] %s", ld->cfg->path, section, key);
}

/* Values that only the system can judge: the time zone must be one the
 * zoneinfo directory knows (else the weeks would silently be UTC's), and
 * the report group must exist. */
static int check_system(struct loader *ld, char *err, size_t errlen)
{
    struct config *cfg = ld->cfg;
    char where[512], why[512];

    if (week_zone_check(cfg->timezone, why, sizeof why) != 0) {
        key_where(ld, "region", "timezone", where, sizeof where);
        snprintf(err, errlen, "%s: %s", where, why);
        return VKP_ECONFIG;
    }
    if (cfg->report_group[0] && !getgrnam(cfg->report_group)) {
        key_where(ld, "service", "report_group", where, sizeof where);
        snprintf(err, errlen, "%s: no such group '%s' on this system (create it with groupadd)",
                 where, cfg->report_group);
        return VKP_ECONFIG;
    }
    return 0;
}

static int check_whole(struct loader *ld, char *err, size_t errlen)
{
    struct config *cfg = ld->cfg;

    /* A re-read post brings back every liker with today's date: the window of
     * re-reading must lie inside the retention period, or purged likes would
     * come back looking new. A month is at least 28 days. */
    if (cfg->retention_months > 0 && cfg->refresh_days >= cfg->retention_months * 28) {
        snprintf(err, errlen,
                 "%s: [collect] refresh_days (%d) must be shorter than [privacy] "
                 "retention_months (%d, at least %d days), or purged interactions would be "
                 "collected again",
                 cfg->path, cfg->refresh_days, cfg->retention_months, cfg->retention_months * 28);
        return VKP_ECONFIG;
    }
    if (cfg->ncommunities == 0) {
        snprintf(err, errlen, "%s: no [community] section: list the VK groups to watch", cfg->path);
        return VKP_ECONFIG;
    }
    for (size_t i = 0; i < cfg->ncommunities; i++) {
        for (size_t j = 0; j < i; j++) {
            int64_t a = config_group_id(cfg->communities[i].group);
            if (strcasecmp(cfg->communities[i].group, cfg->communities[j].group) == 0 ||
                (a > 0 && a == config_group_id(cfg->communities[j].group))) {
                snprintf(err, errlen, "%s:%d: group '%s' is already listed at line %d", cfg->path,
                         cfg->communities[i].line, cfg->communities[i].group,
                         cfg->communities[j].line);
                return VKP_ECONFIG;
            }
        }
    }
    for (size_t i = 0; i < cfg->nchannels; i++) {
        int rc = check_channel(cfg, &cfg->channels[i], err, errlen);
        if (rc != 0)
            return rc;
    }
    return check_system(ld, err, errlen);
}

/* Loads from the file at path, or from text when it is not NULL (path then
 * names it in messages and anchors relative paths). */
static int load(const char *path, const char *text, struct config **out, char *err, size_t errlen)
{
    struct loader ld;
    struct config *cfg = NULL;
    int rc = VKP_ENOMEM;

    memset(&ld, 0, sizeof ld);
    ld.cur = -1;
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
    rc = text ? ini_parse_string(path, text, on_item, &ld, err, errlen)
              : ini_parse_file(path, on_item, &ld, err, errlen);
    if (rc == VKP_EPARSE || rc == VKP_ETOOBIG)
        rc = VKP_ECONFIG;
    if (rc != 0)
        goto fail;
    if ((rc = apply_defaults(&ld, err, errlen)) != 0)
        goto fail;
    if ((rc = complete_repeats(&ld, err, errlen)) != 0)
        goto fail;
    if ((rc = check_whole(&ld, err, errlen)) != 0)
        goto fail;
    free(ld.dir);
    for (size_t i = 0; i < CONFIG_NREPEATS; i++)
        free(ld.rseen[i]);
    *out = cfg;
    return 0;
fail:
    if (rc == VKP_ENOMEM && err[0] == '\0')
        snprintf(err, errlen, "%s: out of memory", path);
    free(ld.dir);
    for (size_t i = 0; i < CONFIG_NREPEATS; i++)
        free(ld.rseen[i]);
    config_free(cfg);
    return rc;
}

int config_load(const char *path, struct config **out, char *err, size_t errlen)
{
    return load(path, NULL, out, err, errlen);
}

int config_load_string(const char *name, const char *text, struct config **out, char *err,
                       size_t errlen)
{
    return load(name, text, out, err, errlen);
}

static int holds_string(const struct key_def *k)
{
    return k->type != KT_INT && k->type != KT_DOUBLE && k->type != KT_BOOL && k->type != KT_INDEX;
}

int64_t config_horizon_start(int horizon_days, int64_t first_read)
{
    return horizon_days ? first_read - (int64_t)horizon_days * 86400 : 0;
}

void config_free(struct config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < config_nkeys; i++) {
        if (repeat_of(config_keys[i].section) < 0 && holds_string(&config_keys[i]))
            free(*(char **)((char *)cfg + config_keys[i].offset));
    }
    for (int r = 0; r < (int)CONFIG_NREPEATS; r++) {
        for (size_t n = 0; n < *repeat_count(cfg, r); n++) {
            char *item = repeat_item(cfg, r, n);
            for (size_t i = 0; i < config_nkeys; i++) {
                if (strcmp(config_keys[i].section, config_repeats[r].section) != 0 ||
                    !holds_string(&config_keys[i]))
                    continue;
                char **p = (char **)(item + config_keys[i].offset);
                if (*p && config_keys[i].type == KT_SECRET)
                    explicit_bzero(*p, strlen(*p));
                free(*p);
            }
        }
        free(*(char **)((char *)cfg + config_repeats[r].items));
    }
    free(cfg->path);
    free(cfg);
}

int64_t config_group_id(const char *group)
{
    static const char *const prefixes[] = {"club", "public", "event", ""};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        const char *d = group + n;
        if (strncasecmp(group, prefixes[i], n) != 0 || !*d || strspn(d, "0123456789") != strlen(d))
            continue;
        /* More digits than any VK id has is a screen name, not an id. */
        if (strlen(d) > 15 || d[0] == '0')
            return 0;
        return strtoll(d, NULL, 10);
    }
    return 0;
}

const char *config_channel_lang(const struct config *cfg, const struct config_channel *ch)
{
    return ch->lang && ch->lang[0] ? ch->lang : cfg->lang;
}

#define TOKENS_MAX_BYTES 8192 /* several tokens of a few hundred characters each */

/*
 * Appends the tokens of text (separated by sep: ',' or '\n') to buf as "t1,t2", trimming
 * blanks around each and skipping empty ones and '#' comment lines. where names the
 * source for messages; never the token. 0 or VKP_ECONFIG with err.
 */
static int tokens_add(char *buf, size_t cap, const char *text, int sep, const char *where,
                      char *err, size_t errlen)
{
    size_t used = strlen(buf);
    int line = 0;
    for (const char *s = text; *s;) {
        size_t n = strcspn(s, sep == '\n' ? "\n" : ",");
        const char *a = s, *b = s + n;
        line++;
        s = *b ? b + 1 : b;
        while (a < b && strchr(" \t\r", *a))
            a++;
        while (b > a && strchr(" \t\r", b[-1]))
            b--;
        if (a == b || (sep == '\n' && *a == '#'))
            continue;
        if (memchr(a, ' ', (size_t)(b - a)) || memchr(a, '\t', (size_t)(b - a)) ||
            memchr(a, '&', (size_t)(b - a)) || memchr(a, ',', (size_t)(b - a))) {
            if (sep == '\n')
                snprintf(err, errlen,
                         "the token on line %d of '%s' contains spaces, ',' or '&': "
                         "copy it again",
                         line, where);
            else
                snprintf(err, errlen, "token %d in %s contains spaces or '&': copy it again", line,
                         where);
            return VKP_ECONFIG;
        }
        if (used + (size_t)(b - a) + 2 > cap) {
            snprintf(err, errlen, "%s holds more tokens than vkpulse uses (%d bytes at most)",
                     where, TOKENS_MAX_BYTES);
            return VKP_ECONFIG;
        }
        if (used)
            buf[used++] = ',';
        memcpy(buf + used, a, (size_t)(b - a));
        used += (size_t)(b - a);
        buf[used] = '\0';
    }
    return 0;
}

/* Reads a token file that only its owner can read: one token per line. */
static int token_from_file(const char *path, char *out, size_t cap, char *err, size_t errlen)
{
    struct stat sb;
    char buf[TOKENS_MAX_BYTES], *t = buf;
    size_t n = 0;
    FILE *f = NULL;
    /* O_NONBLOCK: a FIFO would otherwise wait for a writer; it is refused below. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), rc = VKP_ECONFIG;

    buf[0] = '\0';
    if (fd < 0) {
        snprintf(err, errlen, "cannot open token file '%s' ([vk] token_file): %s", path,
                 strerror(errno));
        return VKP_ECONFIG;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "token file '%s' is %s: name the file that holds the token", path,
                 S_ISDIR(sb.st_mode) ? "a directory" : "not a regular file");
        goto out;
    }
    if ((sb.st_mode & 077) != 0) {
        mode_t g = sb.st_mode & 070, o = sb.st_mode & 007;
        snprintf(err, errlen,
                 "token file '%s' has mode %04o, which lets %s %s it: run 'chmod 600 %s'", path,
                 (unsigned)(sb.st_mode & 07777),
                 g && o ? "its group and others"
                 : g    ? "its group"
                        : "others",
                 sb.st_mode & 044 ? "read" : "change", path);
        goto out;
    }
    if (fcntl(fd, F_SETFL, 0) != 0 || !(f = fdopen(fd, "r"))) {
        snprintf(err, errlen, "cannot read token file '%s': %s", path, strerror(errno));
        goto out;
    }
    fd = -1;
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    if (n == sizeof buf - 1 || memchr(buf, '\0', n)) {
        snprintf(err, errlen, "token file '%s' is not a list of tokens, one per line", path);
        goto out;
    }
    /* Editors on Windows start a UTF-8 file with a byte order mark; it is no part of
     * the token. */
    if (memcmp(t, "\xef\xbb\xbf", 3) == 0)
        t += 3;
    if ((rc = tokens_add(out, cap, t, '\n', path, err, errlen)) != 0)
        goto out;
    if (!out[0]) {
        snprintf(err, errlen, "token file '%s' is empty: put the token on its first line", path);
        rc = VKP_ECONFIG;
    }
out:
    explicit_bzero(buf, sizeof buf);
    if (f)
        fclose(f);
    if (fd >= 0)
        close(fd);
    return rc;
}

int config_token(const struct config *cfg, char **out, char *err, size_t errlen)
{
    char buf[TOKENS_MAX_BYTES] = "";
    int rc;
    *out = NULL;
    if (cfg->token_file && cfg->token_file[0]) {
        rc = token_from_file(cfg->token_file, buf, sizeof buf, err, errlen);
    } else {
        const char *v = getenv(cfg->token_env);
        rc = VKP_ECONFIG;
        if (!v || !v[0])
            snprintf(err, errlen,
                     "no VK access token: the environment variable %s ([vk] token_env) is not "
                     "set; set it, or name a file with token_file in [vk] of %s",
                     cfg->token_env, cfg->path);
        else if ((rc = tokens_add(buf, sizeof buf, v, ',', cfg->token_env, err, errlen)) == 0 &&
                 !buf[0]) {
            snprintf(err, errlen, "no VK access token: %s holds no token", cfg->token_env);
            rc = VKP_ECONFIG;
        }
    }
    if (rc == 0 && !(*out = strdup(buf)))
        rc = VKP_ENOMEM;
    explicit_bzero(buf, sizeof buf);
    return rc;
}
