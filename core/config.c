/* config.c: one table row per key (type, bounds, default), checked with file:line errors. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "config_int.h"
#include "infile.h"
#include "ini.h"
#include "suggest.h"
#include "text.h"
#include "week.h"

/* Parse state: which keys were seen in the global sections and in each
 * element of a repeated section, the directory relative paths are
 * resolved in, and where errors go. */
struct loader {
    struct config *cfg;
    char *dir; /* directory of the config file */
    /* line a global key was set on, 0 if not yet; minus the line when its value was refused
     * (config_check goes on with the default) */
    int seen[CONFIG_MAXKEYS];
    /* the same for each element of a repeated section */
    int (*rseen[CONFIG_NREPEATS])[CONFIG_MAXKEYS];
    int cur;              /* repeated section being read, -1 for none */
    config_error_fn each; /* config_check: told every error; NULL: stop at the first */
    void *each_ud;        /* its data */
    size_t nerrors;       /* errors told to each */
    char *err;            /* config_load: the first error */
    size_t errlen;        /* its size */
};

/* An error of the file ("file:line: what"). config_load stops at the first: it goes to
 * err and the caller returns VKP_ECONFIG. config_check tells each and goes on (0). */
static int loader_fail(struct loader *ld, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int loader_fail(struct loader *ld, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    text_vprintf(ld->each ? msg : ld->err, ld->each ? sizeof msg : ld->errlen, fmt, ap);
    va_end(ap);
    if (!ld->each)
        return VKP_ECONFIG;
    ld->each(ld->each_ud, msg);
    ld->nerrors++;
    return 0;
}

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
            config_check_url(k, v, k->type == KT_HOOK, msg, len) != 0)
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

static int item(struct loader *ld, const struct ini_item *it, char *msg, size_t len)
{
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
    if (ld->each && !section_known(it->section))
        return 0; /* its section's header was said to be unknown: not each of its keys */
    for (size_t i = 0; i < config_nkeys; i++) {
        const struct key_def *k = &config_keys[i];
        if (strcmp(k->section, it->section) != 0 || strcmp(k->key, it->key) != 0)
            continue;
        size_t n = ld->cur >= 0 ? *repeat_count(cfg, ld->cur) - 1 : 0;
        int *seen = ld->cur >= 0 ? ld->rseen[ld->cur][n] : ld->seen;
        if (seen[i]) {
            snprintf(msg, len, "'%s' is set twice in [%s] (first on line %d)", it->key, it->section,
                     abs(seen[i]));
            return VKP_ECONFIG;
        }
        seen[i] = it->line;
        void *base = ld->cur >= 0 ? repeat_item(cfg, ld->cur, n) : (void *)cfg;
        if (k->offset == offsetof(struct config_community, group) &&
            strcmp(it->section, "community") == 0)
            ((struct config_community *)base)->group_line = it->line; /* for VK's refusals */
        int rc = set_value(ld, k, base, it->value, msg, len);
        if (rc == VKP_ECONFIG)
            seen[i] = -it->line; /* refused: the default stands in (config_check) */
        return rc;
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

static int holds_string(const struct key_def *k)
{
    return k->type != KT_INT && k->type != KT_DOUBLE && k->type != KT_BOOL && k->type != KT_INDEX;
}

/* One header or key of the file. config_check says what is wrong with it, with its file:line,
 * and goes on to the next line. */
static int on_item(void *ud, const struct ini_item *it, char *msg, size_t len)
{
    struct loader *ld = ud;
    int rc = item(ld, it, msg, len);
    if (rc == VKP_ECONFIG && ld->each)
        rc = loader_fail(ld, "%s:%d: %s", it->file, it->line, msg);
    return rc;
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
        if (repeat_of(k->section) >= 0 || ld->seen[i] > 0)
            continue;
        if ((rc = set_default(ld, k, ld->cfg, err, errlen)) != 0)
            return rc;
    }
    return 0;
}

/* Every element of the repeated sections: required keys present, defaults
 * for the others. A required key that config_check found missing or refused
 * is left empty, so that the checks of the whole can go on. */
static int complete_repeats(struct loader *ld, char *err, size_t errlen)
{
    struct config *cfg = ld->cfg;
    int rc;

    for (int r = 0; r < (int)CONFIG_NREPEATS; r++) {
        for (size_t n = 0; n < *repeat_count(cfg, r); n++) {
            char *item = repeat_item(cfg, r, n);
            for (size_t k = 0; k < config_nkeys; k++) {
                const struct key_def *d = &config_keys[k];
                int seen = ld->rseen[r][n][k];
                if (strcmp(d->section, config_repeats[r].section) != 0 || seen > 0)
                    continue;
                if (!d->def && seen == 0 &&
                    (rc = loader_fail(ld, "%s:%d: this [%s] has no '%s' (%s)", cfg->path,
                                      *(int *)(item + config_repeats[r].line),
                                      config_repeats[r].section, d->key, d->help)) != 0)
                    return rc;
                if (!d->def) {
                    char **p = (char **)(item + d->offset);
                    if (holds_string(d) && !*p && !(*p = strdup("")))
                        return VKP_ENOMEM;
                } else if ((rc = set_default(ld, d, item, err, errlen)) != 0) {
                    return rc;
                }
            }
        }
    }
    return 0;
}

/* An address as SMTP and a mail header take it: local@domain, no spaces, brackets,
 * quotes or line breaks. */
static int address_ok(const char *a, size_t n)
{
    const char *at = memchr(a, '@', n);
    if (!at || at == a || at == a + n - 1 || memchr(at + 1, '@', (size_t)(a + n - at - 1)))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strchr(" \t\r\n<>\"(),;:\\[]", a[i]) || (unsigned char)a[i] < 0x20)
            return 0;
    return 1;
}

/* The recipients of an email channel: addresses separated by commas, none empty. A `to`
 * of only commas would otherwise mail nobody and report the message delivered. */
static int check_recipients(const char *to, char *why, size_t len)
{
    size_t count = 0;
    for (const char *p = to;; p++) {
        size_t n = strcspn(p, ",");
        const char *a = p;
        while (n && (*a == ' ' || *a == '\t'))
            a++, n--;
        while (n && (a[n - 1] == ' ' || a[n - 1] == '\t'))
            n--;
        if (n == 0) {
            text_printf(why, len,
                        "'to' holds an empty address ('%s'): list addresses like "
                        "moderator@example.org, separated by commas",
                        to);
            return VKP_ECONFIG;
        }
        if (!address_ok(a, n)) {
            text_printf(why, len, "'to': '%.*s' is not a bare address like moderator@example.org",
                        (int)n, a);
            return VKP_ECONFIG;
        }
        count++;
        p += strcspn(p, ",");
        if (!*p)
            break;
    }
    return count ? 0 : VKP_ECONFIG;
}

/* The line a key of the n-th element of repeated section r was set on, or that element's
 * header line when the key was not written. */
static int item_line(const struct loader *ld, int r, size_t n, const char *key)
{
    int k = config_key_index(config_repeats[r].section, key);
    int line = k >= 0 ? abs(ld->rseen[r][n][k]) : 0;
    return line ? line : *(int *)((char *)repeat_item(ld->cfg, r, n) + config_repeats[r].line);
}

/* What a channel of each type needs besides its type, and nothing it does not take:
 * `url` in a stdout channel is a mistake (meant for another channel), not a no-op. */
static int check_channel(struct loader *ld, size_t n)
{
    const struct config *cfg = ld->cfg;
    const struct config_channel *ch = &cfg->channels[n];
    int r = repeat_of("channel"), rc;
    const char *missing = NULL;
    char why[512];
    int type = config_key_index("channel", "type");

    /* config_check: a type missing or refused was said; what the channel lacks for it is
     * not known. */
    if (type >= 0 && ld->rseen[r][n][type] <= 0)
        return 0;
    for (size_t k = 0; k < config_nkeys; k++) {
        const struct key_def *d = &config_keys[k];
        if (!ld->rseen[r][n][k] || !d->only || (d->only & CHANNEL_BIT(ch->type)))
            continue;
        if ((rc = loader_fail(
                 ld,
                 "%s:%d: '%s' does not belong to a [channel] of type %s (it is for %s); remove "
                 "it or set the right type",
                 cfg->path, abs(ld->rseen[r][n][k]), d->key, config_channel_type_name(ch->type),
                 d->only == CHANNEL_BIT(CHANNEL_WEBHOOK) ? "webhook channels"
                                                         : "email channels")) != 0)
            return rc;
    }
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
    if (missing)
        return loader_fail(ld, "%s:%d: this [channel] of type %s has no '%s'", cfg->path, ch->line,
                           config_channel_type_name(ch->type), missing);
    if (ch->type != CHANNEL_EMAIL)
        return 0;
    /* Addresses go into SMTP commands and mail headers: no line breaks or brackets. */
    if (!address_ok(ch->from, strlen(ch->from)) &&
        (rc = loader_fail(ld, "%s:%d: 'from' takes one bare address like moderator@example.org",
                          cfg->path, item_line(ld, r, n, "from"))) != 0)
        return rc;
    if (check_recipients(ch->to, why, sizeof why) != 0)
        return loader_fail(ld, "%s:%d: %s", cfg->path, item_line(ld, r, n, "to"), why);
    return 0;
}

/* "file:line: " of a global key as written, or "file: [section] key: " for a default. */
static void key_where(const struct loader *ld, const char *section, const char *key, char *out,
                      size_t len)
{
    int i = config_key_index(section, key);
    if (i >= 0 && ld->seen[i] != 0)
        snprintf(out, len, "%s:%d: %s", ld->cfg->path, abs(ld->seen[i]), key);
    else
        snprintf(out, len, "%s: [%s] %s", ld->cfg->path, section, key);
}

/* Values that only the system can judge: the time zone must be one the
 * zoneinfo directory knows (else the weeks would silently be UTC's), and
 * the report group must exist. */
static int check_system(struct loader *ld)
{
    struct config *cfg = ld->cfg;
    char where[512], why[512];
    int rc;

    if (week_zone_check(cfg->timezone, why, sizeof why) != 0) {
        key_where(ld, "region", "timezone", where, sizeof where);
        if ((rc = loader_fail(ld, "%s: %s", where, why)) != 0)
            return rc;
    }
    if (cfg->report_group[0] && !getgrnam(cfg->report_group)) {
        key_where(ld, "service", "report_group", where, sizeof where);
        return loader_fail(ld, "%s: no such group '%s' on this system (create it with groupadd)",
                           where, cfg->report_group);
    }
    return 0;
}

static int check_whole(struct loader *ld)
{
    struct config *cfg = ld->cfg;
    int rc = 0;

    /* A re-read post brings back every liker with today's date: the window of
     * re-reading must lie inside the retention period, or purged likes would
     * come back looking new. A month is at least 28 days. */
    if (cfg->retention_months > 0 && cfg->refresh_days >= cfg->retention_months * 28 &&
        (rc = loader_fail(ld,
                          "%s: [collect] refresh_days (%d) must be shorter than [privacy] "
                          "retention_months (%d, at least %d days), or purged interactions "
                          "would be collected again",
                          cfg->path, cfg->refresh_days, cfg->retention_months,
                          cfg->retention_months * 28)) != 0)
        return rc;
    if (cfg->ncommunities == 0 &&
        (rc = loader_fail(ld, "%s: no [community] section: list the VK groups to watch",
                          cfg->path)) != 0)
        return rc;
    for (size_t i = 0; i < cfg->ncommunities; i++) {
        for (size_t j = 0; j < i; j++) {
            int64_t a = config_group_id(cfg->communities[i].group);
            if (cfg->communities[i].group[0] &&
                (strcasecmp(cfg->communities[i].group, cfg->communities[j].group) == 0 ||
                 (a > 0 && a == config_group_id(cfg->communities[j].group))) &&
                (rc = loader_fail(ld, "%s:%d: group '%s' is already listed at line %d", cfg->path,
                                  cfg->communities[i].line, cfg->communities[i].group,
                                  cfg->communities[j].line)) != 0)
                return rc;
        }
    }
    for (size_t i = 0; i < cfg->nchannels; i++)
        if ((rc = check_channel(ld, i)) != 0)
            return rc;
    return check_system(ld);
}

/* The token file, when the config names one, can be read: config_check says it beside the
 * file's other errors. A token in the environment is not the file's: its absence is not. */
static int check_token(struct loader *ld)
{
    char where[512], why[512];
    char *token = NULL;
    if (!ld->cfg->token_file[0])
        return 0;
    if (config_token(ld->cfg, &token, why, sizeof why) == 0) {
        explicit_bzero(token, strlen(token));
        free(token);
        return 0;
    }
    key_where(ld, "vk", "token_file", where, sizeof where);
    return loader_fail(ld, "%s: %s", where, why);
}

/* Loads from the file at path, or from text when it is not NULL (path then names it in
 * messages and anchors relative paths). With each, every error of the file is told to it
 * and the load goes on (config_check); else the first error ends it, in err. */
static int load(const char *path, const char *text, struct loader *ld, struct config **out,
                char *err, size_t errlen)
{
    struct config *cfg = NULL;
    int rc = VKP_ENOMEM;

    ld->cur = -1;
    ld->err = err;
    ld->errlen = errlen;
    if (errlen)
        err[0] = '\0';
    *out = NULL;
    cfg = calloc(1, sizeof *cfg);
    if (!cfg || !(cfg->path = strdup(path)))
        goto fail;
    const char *slash = strrchr(path, '/');
    ld->dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
    if (!ld->dir)
        goto fail;
    ld->cfg = cfg;
    rc = text ? ini_parse_string(path, text, on_item, ld, err, errlen)
              : ini_parse_file(path, "config file", on_item, ld, err, errlen);
    if (rc == VKP_EPARSE || rc == VKP_ETOOBIG) {
        /* The lines after a syntax error are not read: config_check ends with it. */
        rc = VKP_ECONFIG;
        if (ld->each)
            loader_fail(ld, "%s", err);
    }
    if (rc != 0)
        goto fail;
    if ((rc = apply_defaults(ld, err, errlen)) != 0)
        goto fail;
    if ((rc = complete_repeats(ld, err, errlen)) != 0)
        goto fail;
    if ((rc = check_whole(ld)) != 0)
        goto fail;
    if (ld->each && (rc = check_token(ld)) != 0)
        goto fail;
    free(ld->dir);
    for (size_t i = 0; i < CONFIG_NREPEATS; i++)
        free(ld->rseen[i]);
    *out = cfg;
    return 0;
fail:
    if (rc == VKP_ENOMEM && err[0] == '\0')
        snprintf(err, errlen, "%s: out of memory", path);
    free(ld->dir);
    for (size_t i = 0; i < CONFIG_NREPEATS; i++)
        free(ld->rseen[i]);
    config_free(cfg);
    return rc;
}

int config_load(const char *path, struct config **out, char *err, size_t errlen)
{
    struct loader ld = {0};
    return load(path, NULL, &ld, out, err, errlen);
}

int config_load_string(const char *name, const char *text, struct config **out, char *err,
                       size_t errlen)
{
    struct loader ld = {0};
    return load(name, text, &ld, out, err, errlen);
}

int config_check(const char *path, const char *text, config_error_fn each, void *ud,
                 struct config **out, size_t *nerrors, char *err, size_t errlen)
{
    struct loader ld = {.each = each, .each_ud = ud};
    int rc = load(path, text, &ld, out, err, errlen);
    *nerrors = ld.nerrors;
    return rc;
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
