/* muni.c: loads a municipality map (an INI file) and builds its indexes; the matchers that
 * read them are in muni_match.c. */
#include "muni.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "ini.h"
#include "muni_int.h"
#include "text.h"

/* The values "type" may take; struct muni.type points at these. */
const char *const muni_types[3] = {"urban_okrug", "municipal_district", "municipal_okrug"};

/* ---- indexes ----------------------------------------------------------------- */

/* Appends a key, taking ownership of key and orig (freed on failure too). */
static int key_push(struct key_vec *kv, char *key, char *orig, int muni, int line,
                    enum key_kind kind)
{
    if (text_grow((void **)&kv->v, &kv->cap, kv->n + 1, sizeof *kv->v) != 0) {
        free(key);
        free(orig);
        return VKP_ENOMEM;
    }
    kv->v[kv->n++] = (struct muni_key){key, orig, muni, line, kind};
    return 0;
}

static void key_vec_release(struct key_vec *kv)
{
    for (size_t i = 0; i < kv->n; i++) {
        free(kv->v[i].key);
        free(kv->v[i].orig);
    }
    free(kv->v);
    kv->v = NULL;
    kv->n = kv->cap = 0;
}

/* Orders keys by text, then by line (so the first written comes first), then by municipality. */
static int key_cmp(const void *a, const void *b)
{
    const struct muni_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->muni > y->muni) - (x->muni < y->muni);
}

static int id_cmp(const void *a, const void *b)
{
    const struct muni_id *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/* ---- loading ------------------------------------------------------------------ */

/*
 * Folds text, a name of what kind, into *folded (heap). Fails with a message
 * when it folds to nothing or is too long.
 */
static int fold_name(const char *what, const char *text, char **folded, char *msg, size_t msglen)
{
    size_t len;

    *folded = text_fold_dup(text);
    if (!*folded)
        return VKP_ENOMEM;
    len = strlen(*folded);
    if (len == 0 || len > MUNI_NAME_MAX) {
        if (len == 0)
            snprintf(msg, msglen, "%s '%s' has no letters or digits", what, text);
        else {
            char head[41]; /* its first 40 bytes, cut on a character */
            text_copy(head, sizeof head, text);
            snprintf(msg, msglen, "%s '%s...' is longer than %d bytes", what, head, MUNI_NAME_MAX);
        }
        free(*folded);
        *folded = NULL;
        return VKP_ECONFIG;
    }
    return 0;
}

/* Adds one folded name of kind for municipality cur. */
static int add_name(struct key_vec *kv, const char *what, const char *text, int cur, int line,
                    enum key_kind kind, char *msg, size_t msglen)
{
    char *folded = NULL, *orig = NULL;
    int rc = fold_name(what, text, &folded, msg, msglen);

    if (rc)
        return rc;
    orig = strdup(text);
    if (!orig) {
        free(folded);
        return VKP_ENOMEM;
    }
    return key_push(kv, folded, orig, cur, line, kind);
}

/* Parses one item of city_ids; 0 is accepted and means "none known". */
static int add_city_id(struct muni_map *m, const char *text, int cur, int line, char *msg,
                       size_t msglen)
{
    char *end = NULL;
    long id;

    errno = 0;
    id = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0' || id < 0) {
        snprintf(msg, msglen, "bad city id '%s' (expected a VK city id, or 0 for none)", text);
        return VKP_ECONFIG;
    }
    if (id == 0)
        return 0;
    if (text_grow((void **)&m->ids, &m->capids, m->nids + 1, sizeof *m->ids) != 0)
        return VKP_ENOMEM;
    m->ids[m->nids++] = (struct muni_id){id, cur, line};
    return 0;
}

/* Calls one add function for each comma-separated item of value; empty items are skipped. */
static int load_list(struct muni_map *m, const char *key, const char *value, int cur, int line,
                     char *msg, size_t msglen)
{
    char *copy = strdup(value), *s;
    int rc = 0;

    if (!copy)
        return VKP_ENOMEM;
    s = copy;
    while (s && rc == 0) {
        char *comma = strchr(s, ',');
        char *e;
        if (comma)
            *comma = '\0';
        while (*s == ' ' || *s == '\t')
            s++;
        e = s + strlen(s);
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        if (*s) {
            if (strcmp(key, "settlements") == 0)
                rc = add_name(&m->settl, "settlement", s, cur, line, KEY_SETTLEMENT, msg, msglen);
            else if (strcmp(key, "aliases") == 0)
                rc = add_name(&m->names, "alias", s, cur, line, KEY_ALIAS, msg, msglen);
            else
                rc = add_city_id(m, s, cur, line, msg, msglen);
        }
        s = comma ? comma + 1 : NULL;
    }
    free(copy);
    return rc;
}

/* A [section] header: a new municipality. */
static int load_section(struct muni_map *m, const struct ini_item *it, char *msg, size_t msglen)
{
    struct muni_ent *e;
    char *name = NULL;
    int rc;

    if (text_grow((void **)&m->ents, &m->cap, m->n + 1, sizeof *m->ents) != 0)
        return VKP_ENOMEM;
    rc = add_name(&m->names, "municipality", it->section, (int)m->n, it->line, KEY_NAME, msg,
                  msglen);
    if (rc)
        return rc;
    name = strdup(it->section);
    if (!name)
        return VKP_ENOMEM;
    e = &m->ents[m->n];
    memset(e, 0, sizeof *e);
    e->name = name;
    e->line = it->line;
    e->pub.index = (int)m->n;
    e->pub.line = it->line;
    e->pub.name = name;
    m->n++;
    return 0;
}

/* Stores a scalar value once; a second one is an error. */
static int set_once(char **slot, const char *key, const char *value, char *msg, size_t msglen)
{
    if (*slot) {
        snprintf(msg, msglen, "'%s' given twice for this municipality", key);
        return VKP_ECONFIG;
    }
    if (*value == '\0') {
        snprintf(msg, msglen, "empty value for '%s'", key);
        return VKP_ECONFIG;
    }
    *slot = strdup(value);
    return *slot ? 0 : VKP_ENOMEM;
}

/* The INI handler: one header or key = value. */
static int load_item(void *ud, const struct ini_item *it, char *msg, size_t msglen)
{
    struct muni_map *m = ud;
    struct muni_ent *e;
    int cur, rc;

    if (!it->key)
        return load_section(m, it, msg, msglen);
    if (m->n == 0) {
        snprintf(msg, msglen, "key '%s' outside a [municipality] section", it->key);
        return VKP_ECONFIG;
    }
    cur = (int)m->n - 1;
    e = &m->ents[cur];
    if (strcmp(it->key, "type") == 0) {
        if (e->pub.type) {
            snprintf(msg, msglen, "'type' given twice for this municipality");
            return VKP_ECONFIG;
        }
        for (size_t i = 0; i < sizeof muni_types / sizeof *muni_types; i++)
            if (strcmp(it->value, muni_types[i]) == 0)
                e->pub.type = muni_types[i];
        if (!e->pub.type) {
            snprintf(msg, msglen,
                     "bad type '%s' (expected urban_okrug, municipal_district or "
                     "municipal_okrug)",
                     it->value);
            return VKP_ECONFIG;
        }
        return 0;
    }
    if (strcmp(it->key, "short") == 0) {
        rc = set_once(&e->short_name, "short", it->value, msg, msglen);
        if (rc)
            return rc;
        e->pub.short_name = e->short_name;
        return add_name(&m->names, "short name", it->value, cur, it->line, KEY_SHORT, msg, msglen);
    }
    if (strcmp(it->key, "center") == 0) {
        rc = set_once(&e->center, "center", it->value, msg, msglen);
        e->pub.center = e->center;
        return rc;
    }
    if (strcmp(it->key, "settlements") == 0 || strcmp(it->key, "aliases") == 0 ||
        strcmp(it->key, "city_ids") == 0)
        return load_list(m, it->key, it->value, cur, it->line, msg, msglen);
    snprintf(msg, msglen,
             "unknown key '%s' (expected type, short, center, settlements, aliases or city_ids)",
             it->key);
    return VKP_ECONFIG;
}

static const char *kind_word(enum key_kind k)
{
    switch (k) {
    case KEY_NAME:
        return "municipality";
    case KEY_SHORT:
        return "short name";
    case KEY_ALIAS:
        return "alias";
    case KEY_SETTLEMENT:
        return "settlement";
    default:
        return "stem";
    }
}

/*
 * Sorts a vector and drops repeated keys. Repeats are errors (the one on
 * the earliest line is reported) unless allow_same and both lead to the same
 * municipality.
 */
static int sort_unique(struct muni_map *m, struct key_vec *kv, int allow_same, const char *path,
                       char *err, size_t errlen)
{
    size_t bad = 0, o = 0;

    if (kv->n == 0)
        return 0;
    qsort(kv->v, kv->n, sizeof *kv->v, key_cmp);
    for (size_t i = 1; i < kv->n; i++) {
        const struct muni_key *a = &kv->v[i - 1], *b = &kv->v[i];
        if (strcmp(a->key, b->key) != 0 || (allow_same && a->muni == b->muni))
            continue;
        if (!bad || b->line < kv->v[bad].line)
            bad = i;
    }
    if (bad) {
        const struct muni_key *a = &kv->v[bad - 1], *b = &kv->v[bad];
        const char *an = m->ents[a->muni].name, *bn = m->ents[b->muni].name;
        if (a->kind == KEY_NAME && b->kind == KEY_NAME)
            snprintf(err, errlen, "%s:%d: municipality '%s' is listed twice (first on line %d)",
                     path, b->line, b->orig, a->line);
        else if (a->muni == b->muni)
            snprintf(err, errlen, "%s:%d: %s '%s' is listed twice under '%s' (first on line %d)",
                     path, b->line, kind_word(b->kind), b->orig, bn, a->line);
        else
            snprintf(err, errlen,
                     "%s:%d: %s '%s' of '%s' is already listed under '%s' (line %d); "
                     "a name must lead to one municipality",
                     path, b->line, kind_word(b->kind), b->orig, bn, an, a->line);
        return VKP_ECONFIG;
    }
    for (size_t i = 0; i < kv->n; i++) {
        if (o > 0 && strcmp(kv->v[o - 1].key, kv->v[i].key) == 0) {
            free(kv->v[i].key);
            free(kv->v[i].orig);
            continue;
        }
        kv->v[o++] = kv->v[i];
    }
    kv->n = o;
    return 0;
}

/* Checks the city ids: sorted, each listed once. */
static int sort_ids(struct muni_map *m, const char *path, char *err, size_t errlen)
{
    size_t bad = 0;

    if (m->nids == 0)
        return 0;
    if (m->nids > 1)
        qsort(m->ids, m->nids, sizeof *m->ids, id_cmp);
    for (size_t i = 1; i < m->nids; i++)
        if (m->ids[i].id == m->ids[i - 1].id && (!bad || m->ids[i].line < m->ids[bad].line))
            bad = i;
    if (bad) {
        const struct muni_id *a = &m->ids[bad - 1], *b = &m->ids[bad];
        snprintf(err, errlen, "%s:%d: city id %ld of '%s' is already listed under '%s' (line %d)",
                 path, b->line, b->id, m->ents[b->muni].name, m->ents[a->muni].name, a->line);
        return VKP_ECONFIG;
    }
    return 0;
}

/* Builds the stem index from the (sorted, unique) names. */
static int build_stems(struct muni_map *m)
{
    for (size_t i = 0; i < m->names.n; i++) {
        const struct muni_key *k = &m->names.v[i];
        char *stem = malloc(strlen(k->key) + 1);
        unsigned flags;
        int rc;

        if (!stem)
            return VKP_ENOMEM;
        flags = muni_name_parse(k->key, stem);
        if ((flags & NAME_CITY) || stem[0] == '\0') {
            free(stem); /* "г. Копейск" names a settlement, not a stem */
            continue;
        }
        rc = key_push(&m->stems, stem, NULL, k->muni, k->line, KEY_STEM);
        if (rc)
            return rc;
    }
    if (m->stems.n == 0)
        return 0;
    if (m->stems.n > 1)
        qsort(m->stems.v, m->stems.n, sizeof *m->stems.v, key_cmp);
    /* Keep one entry per (stem, municipality). */
    size_t o = 0;
    for (size_t i = 0; i < m->stems.n; i++) {
        int seen = 0;
        for (size_t j = o; j > 0 && strcmp(m->stems.v[j - 1].key, m->stems.v[i].key) == 0; j--)
            if (m->stems.v[j - 1].muni == m->stems.v[i].muni)
                seen = 1;
        if (seen) {
            free(m->stems.v[i].key);
            continue;
        }
        m->stems.v[o++] = m->stems.v[i];
    }
    m->stems.n = o;
    return 0;
}

/* Whole-file checks once every line is read, then the indexes. */
static int load_finish(struct muni_map *m, const char *path, char *err, size_t errlen)
{
    int rc;

    if (m->n == 0) {
        snprintf(err, errlen,
                 "%s: no municipalities (expected [name] sections with type and center)", path);
        return VKP_ECONFIG;
    }
    for (size_t i = 0; i < m->n; i++) {
        struct muni_ent *e = &m->ents[i];
        if (!e->pub.type) {
            snprintf(err, errlen,
                     "%s:%d: municipality '%s' has no 'type' (urban_okrug, municipal_district or "
                     "municipal_okrug)",
                     path, e->line, e->name);
            return VKP_ECONFIG;
        }
        if (!e->center) {
            snprintf(err, errlen, "%s:%d: municipality '%s' has no 'center'", path, e->line,
                     e->name);
            return VKP_ECONFIG;
        }
        if (!e->short_name)
            e->pub.short_name = e->name;
    }
    rc = sort_unique(m, &m->settl, 0, path, err, errlen);
    if (rc == 0)
        rc = sort_unique(m, &m->names, 1, path, err, errlen);
    if (rc == 0)
        rc = sort_ids(m, path, err, errlen);
    if (rc == 0) {
        rc = build_stems(m);
        if (rc)
            snprintf(err, errlen, "%s: out of memory", path);
    }
    return rc;
}

int muni_map_load(const char *path, struct muni_map **out, char *err, size_t errlen)
{
    struct muni_map *m = NULL;
    char dummy[1];
    int rc;

    if (!err || errlen == 0) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    if (!out || !path) {
        snprintf(err, errlen, "muni_map_load: no path or no result pointer");
        return VKP_EUSAGE;
    }
    *out = NULL;
    m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "%s: out of memory", path);
        return VKP_ENOMEM;
    }
    rc = ini_parse_file(path, "municipality map", load_item, m, err, errlen);
    if (rc)
        goto fail;
    rc = load_finish(m, path, err, errlen);
    if (rc)
        goto fail;
    *out = m;
    return 0;
fail:
    muni_map_free(m);
    return rc;
}

void muni_map_free(struct muni_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->ents[i].name);
        free(m->ents[i].short_name);
        free(m->ents[i].center);
    }
    free(m->ents);
    key_vec_release(&m->settl);
    key_vec_release(&m->names);
    key_vec_release(&m->stems);
    free(m->ids);
    free(m);
}

/* ---- the municipalities ------------------------------------------------------ */

size_t muni_map_count(const struct muni_map *m)
{
    return m ? m->n : 0;
}

const struct muni *muni_map_at(const struct muni_map *m, size_t i)
{
    if (!m || i >= m->n)
        return NULL;
    return &m->ents[i].pub;
}

int muni_map_of_config(const struct config *cfg, struct muni_map **out, char *err, size_t errlen)
{
    char msg[768];
    int rc = muni_map_load(cfg->municipalities, out, msg, sizeof msg);
    if (rc == 0)
        return 0;
    if (err && errlen)
        snprintf(err, errlen, "%s: [region] municipalities: %s", cfg->path, msg);
    /* A map that cannot be read or parsed is the configuration's fault (exit 2). */
    return rc == VKP_ENOMEM ? rc : VKP_ECONFIG;
}
