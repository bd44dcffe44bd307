/* muni.c: loads a municipality map and matches VK cities and survey names against it. */
#include "muni.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ini.h"
#include "text.h"

/* ---- data ----------------------------------------------------------------- */

/* The values "type" may take; struct muni.type points at these. */
static const char *const muni_types[] = {"urban_okrug", "municipal_district", "municipal_okrug"};
#define MUNI_URBAN_TYPE (muni_types[0])

/* What a folded key was written as, to word the messages about it. */
enum key_kind {
    KEY_NAME,       /* a section header */
    KEY_SHORT,      /* a short = value */
    KEY_ALIAS,      /* one item of aliases = */
    KEY_SETTLEMENT, /* one item of settlements = */
    KEY_STEM        /* a name with its generic words removed (built, not written) */
};

/* A folded string that leads to a municipality: the unit of every index. */
struct muni_key {
    char *key;          /* folded text (text_fold), heap */
    char *orig;         /* the text as written, heap; NULL for stems */
    int muni;           /* index of the municipality in muni_map.ents */
    int line;           /* line of the file it comes from */
    enum key_kind kind; /* what it was written as */
};

/* A growable array of keys; sorted once loading is done. */
struct key_vec {
    struct muni_key *v; /* the keys */
    size_t n;           /* how many are used */
    size_t cap;         /* how many are allocated */
};

/* A known VK city id. */
struct muni_id {
    long id;  /* VK city id, > 0 */
    int muni; /* index of the municipality */
    int line; /* line of the file it comes from */
};

/* One municipality with the storage behind its public view. */
struct muni_ent {
    struct muni pub;  /* what callers see; its strings point at the fields below */
    char *name;       /* section header, heap */
    char *short_name; /* short =, heap, or NULL (then pub.short_name is name) */
    char *center;     /* center =, heap, or NULL until given */
    int line;         /* line of the section header */
};

struct muni_map {
    struct muni_ent *ents; /* municipalities in file order */
    size_t n;              /* how many */
    size_t cap;            /* allocated */
    struct key_vec settl;  /* settlements, sorted by key, unique */
    struct key_vec names;  /* official names, short names and aliases, sorted, unique */
    struct key_vec stems;  /* stems of those names, sorted; a stem may lead to several */
    struct muni_id *ids;   /* VK city ids, sorted, unique */
    size_t nids;           /* how many */
    size_t capids;         /* allocated */
};

/* ---- name parsing ------------------------------------------------------------ */

/* What the generic words of a name say about the municipality meant. */
#define NAME_URBAN 1u    /* "городской округ", "ГО", "ЗАТО" */
#define NAME_DISTRICT 2u /* "муниципальный район", "МР", "район", "муниципальный округ", "МО" */
#define NAME_CITY 4u /* a leading "г.", "город", "пос." ...: a settlement, not a municipality */

/* A generic phrase (folded, words separated by one space) and what it tells. */
struct generic {
    const char *words; /* the folded phrase */
    unsigned flag;     /* NAME_* it implies, or 0 */
};

/* Words that name the kind of a municipality, not which one. */
static const struct generic generic_words[] = {
    {"городской округ с внутригородским делением", NAME_URBAN},
    {"городской округ", NAME_URBAN},
    {"гор округ", NAME_URBAN},
    {"го", NAME_URBAN},
    {"г о", NAME_URBAN},
    {"зато", NAME_URBAN},
    {"муниципальный район", NAME_DISTRICT},
    {"муниципальный округ", NAME_DISTRICT},
    {"мун район", NAME_DISTRICT},
    {"мун округ", NAME_DISTRICT},
    {"мр", NAME_DISTRICT},
    {"м р", NAME_DISTRICT},
    {"мо", NAME_DISTRICT},
    {"м о", NAME_DISTRICT},
    {"район", NAME_DISTRICT},
    {"р н", NAME_DISTRICT},
    {"р он", NAME_DISTRICT},
    {"муниципальное образование", 0},
    {"округ", 0},
};

/* Words that may stand before a settlement's name (folded: ё is е). */
static const char *const settlement_prefixes[] = {
    "поселок городского типа",
    "рабочий поселок",
    "п г т",
    "пгт",
    "р п",
    "рп",
    "город",
    "г",
    "поселок",
    "пос",
    "п",
    "село",
    "с",
    "деревня",
    "дер",
    "д",
    "станция",
    "ст",
};

/* Length of phrase when s starts with it as whole words, else 0. */
static size_t starts_with_words(const char *s, const char *phrase)
{
    size_t len = strlen(phrase);
    if (strncmp(s, phrase, len) == 0 && (s[len] == ' ' || s[len] == '\0'))
        return len;
    return 0;
}

/*
 * When folded begins with a settlement prefix followed by more words,
 * returns the text after it; otherwise NULL. The longest prefix wins.
 */
static const char *strip_settlement_prefix(const char *folded)
{
    size_t best = 0;
    for (size_t i = 0; i < sizeof settlement_prefixes / sizeof *settlement_prefixes; i++) {
        size_t len = starts_with_words(folded, settlement_prefixes[i]);
        if (len > best && folded[len] == ' ' && folded[len + 1] != '\0')
            best = len;
    }
    return best ? folded + best + 1 : NULL;
}

/*
 * Splits a folded name into its stem (written to stem, which has room for
 * strlen(folded) + 1 bytes) and the NAME_* flags of its generic words:
 * "пластовский муниципальный район" → "пластовский", NAME_DISTRICT;
 * "г копейск" → "копейск", NAME_CITY. Generic words count anywhere; a
 * settlement prefix only before the first word of the stem.
 */
static unsigned name_parse(const char *folded, char *stem)
{
    unsigned flags = 0;
    const char *s = folded, *rest;
    size_t o = 0;

    while (*s) {
        size_t best = 0;
        unsigned flag = 0;
        /* A settlement prefix counts before the first word of the stem: "ЗАТО г. Озёрск". */
        if (o == 0 && (rest = strip_settlement_prefix(s)) != NULL) {
            flags |= NAME_CITY;
            s = rest;
            continue;
        }
        for (size_t i = 0; i < sizeof generic_words / sizeof *generic_words; i++) {
            size_t len = starts_with_words(s, generic_words[i].words);
            if (len > best) {
                best = len;
                flag = generic_words[i].flag;
            }
        }
        if (best) {
            flags |= flag;
            s += best;
        } else {
            const char *e = strchr(s, ' ');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            if (o)
                stem[o++] = ' ';
            memcpy(stem + o, s, len);
            o += len;
            s += len;
        }
        if (*s == ' ')
            s++;
    }
    stem[o] = '\0';
    return flags;
}

/* 1 when a municipality of type fits the NAME_URBAN / NAME_DISTRICT hint of flags. */
static int type_fits(unsigned flags, const char *type)
{
    unsigned hint = flags & (NAME_URBAN | NAME_DISTRICT);
    if (hint == NAME_URBAN)
        return type == MUNI_URBAN_TYPE;
    if (hint == NAME_DISTRICT)
        return type != MUNI_URBAN_TYPE;
    return 1; /* no hint, or contradictory ones ("МО Копейский городской округ") */
}

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

static int key_text_cmp(const void *a, const void *b)
{
    return strcmp(((const struct muni_key *)a)->key, ((const struct muni_key *)b)->key);
}

/* The key equal to text in a sorted unique vector, or NULL. */
static const struct muni_key *key_find(const struct key_vec *kv, const char *text)
{
    struct muni_key probe = {(char *)text, NULL, 0, 0, KEY_STEM};
    if (kv->n == 0)
        return NULL;
    /* bsearch and qsort on an empty, NULL array are undefined. */
    return kv->n ? bsearch(&probe, kv->v, kv->n, sizeof *kv->v, key_text_cmp) : NULL;
}

/* Index of the first key not less than text in a sorted vector. */
static size_t key_lower_bound(const struct key_vec *kv, const char *text)
{
    size_t lo = 0, hi = kv->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(kv->v[mid].key, text) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
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
        else
            snprintf(msg, msglen, "%s '%.40s...' is longer than %d bytes", what, text,
                     MUNI_NAME_MAX);
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
        flags = name_parse(k->key, stem);
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
    rc = ini_parse_file(path, load_item, m, err, errlen);
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

/* ---- queries ------------------------------------------------------------------- */

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

static int id_key_cmp(const void *key, const void *el)
{
    long k = *(const long *)key, id = ((const struct muni_id *)el)->id;
    return (k > id) - (k < id);
}

const struct muni *muni_pinned(const struct muni_map *m, long city_id)
{
    const struct muni_id *hit;

    /* ids are unique after load; bsearch on an empty, NULL array is undefined */
    if (!m || city_id <= 0 || m->nids == 0)
        return NULL;
    hit = bsearch(&city_id, m->ids, m->nids, sizeof *m->ids, id_key_cmp);
    return hit ? &m->ents[hit->muni].pub : NULL;
}

const struct muni *muni_by_city(const struct muni_map *m, long city_id, const char *city_title)
{
    /* Any title that folds longer than MUNI_NAME_MAX matches nothing, truncated or not. */
    char buf[2 * MUNI_NAME_MAX + 2];
    const struct muni_key *k;
    const struct muni *pinned;
    const char *rest;

    if (!m)
        return NULL;
    if (city_id > 0 && (pinned = muni_pinned(m, city_id)) != NULL)
        return pinned;
    if (!city_title)
        return NULL;
    if (text_fold(city_title, buf, sizeof buf) == 0)
        return NULL;
    k = key_find(&m->settl, buf);
    if (!k && (rest = strip_settlement_prefix(buf)) != NULL)
        k = key_find(&m->settl, rest);
    return k ? &m->ents[k->muni].pub : NULL;
}

/*
 * The municipality text names (muni_by_name); with settlements 0 the steps
 * that read text as a settlement are skipped, as for a district's name.
 */
static const struct muni *match_name(const struct muni_map *m, const char *text, int settlements)
{
    const struct muni *found = NULL;
    const struct muni_key *k;
    char *folded = NULL, *stem = NULL;
    unsigned flags;
    int count = 0;

    if (!m || !text)
        return NULL;
    folded = text_fold_dup(text);
    if (!folded || folded[0] == '\0')
        goto out;
    k = key_find(&m->names, folded);
    if (k) {
        found = &m->ents[k->muni].pub;
        goto out;
    }
    stem = malloc(strlen(folded) + 1);
    if (!stem)
        goto out;
    flags = name_parse(folded, stem);
    if (stem[0] == '\0')
        goto out;
    if (settlements && (flags & NAME_CITY)) {
        k = key_find(&m->settl, stem);
        if (k) {
            found = &m->ents[k->muni].pub;
            goto out;
        }
    }
    for (size_t i = key_lower_bound(&m->stems, stem);
         i < m->stems.n && strcmp(m->stems.v[i].key, stem) == 0; i++) {
        const struct muni *c = &m->ents[m->stems.v[i].muni].pub;
        if (!type_fits(flags, c->type) || c == found)
            continue;
        found = c;
        count++;
    }
    if (count > 1)
        found = NULL; /* "Троицкий": the urban okrug or the district? */
    if (count || !settlements)
        goto out;
    k = key_find(&m->settl, stem);
    if (k && type_fits(flags, m->ents[k->muni].pub.type))
        found = &m->ents[k->muni].pub;
out:
    free(stem);
    free(folded);
    return found;
}

const struct muni *muni_by_name(const struct muni_map *m, const char *text)
{
    return match_name(m, text, 1);
}

const struct muni *muni_by_area(const struct muni_map *m, const char *area)
{
    return area && area[0] ? match_name(m, area, 0) : NULL;
}

const struct muni *muni_of_locality(const struct muni_map *m, long city_id, const char *title,
                                    const char *area)
{
    const struct muni *pinned = muni_pinned(m, city_id);

    if (pinned)
        return pinned;
    /* A locality with an area belongs to that district or to none: its title
     * may well be one of the region's many Берёзовка, so it is never tried. */
    if (area && area[0])
        return muni_by_area(m, area);
    return muni_by_city(m, 0, title);
}

size_t muni_nearest(const struct muni_map *m, const char *text, const struct muni **out, size_t n)
{
    size_t *best = NULL, k = 0;
    char *folded = NULL, *stem = NULL;

    if (!m || !text || !out || n == 0 || m->n == 0)
        return 0;
    folded = text_fold_dup(text);
    if (!folded || folded[0] == '\0')
        goto out;
    stem = malloc(strlen(folded) + 1);
    best = malloc(m->n * sizeof *best);
    if (!stem || !best)
        goto out;
    name_parse(folded, stem);
    for (size_t i = 0; i < m->n; i++)
        best[i] = SIZE_MAX;
    for (size_t i = 0; i < m->names.n; i++) {
        size_t d = text_distance(folded, m->names.v[i].key);
        if (d < best[m->names.v[i].muni])
            best[m->names.v[i].muni] = d;
    }
    if (stem[0]) {
        for (size_t i = 0; i < m->stems.n; i++) {
            size_t d = text_distance(stem, m->stems.v[i].key);
            if (d < best[m->stems.v[i].muni])
                best[m->stems.v[i].muni] = d;
        }
    }
    /* Every municipality has its name in the index, so every best[] is set. */
    while (k < n && k < m->n) {
        size_t pick = m->n;
        for (size_t i = 0; i < m->n; i++)
            if (best[i] != SIZE_MAX && (pick == m->n || best[i] < best[pick]))
                pick = i;
        if (pick == m->n)
            break;
        out[k++] = &m->ents[pick].pub;
        best[pick] = SIZE_MAX;
    }
out:
    free(best);
    free(stem);
    free(folded);
    return k;
}
