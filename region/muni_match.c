/* muni_match.c: matches VK cities, directory areas and survey names against a loaded
 * municipality map: the generic words of a name, settlement prefixes, stems. */
#include "muni.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "muni_int.h"
#include "text.h"

/* ---- name parsing ------------------------------------------------------------ */

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
unsigned muni_name_parse(const char *folded, char *stem)
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

/* ---- looking up keys ----------------------------------------------------------- */

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

/* ---- queries ------------------------------------------------------------------- */

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
    flags = muni_name_parse(folded, stem);
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
    muni_name_parse(folded, stem);
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
