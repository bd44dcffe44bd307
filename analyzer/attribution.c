/* attribution.c: roster lookups by binary search, profile cities through a cached muni_by_city. */
#include "attribution.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "csvfile.h"
#include "err.h"
#include "muni.h"
#include "store_survey.h"

static const char *const source_names[ATTR_NSOURCES] = {"roster", "city", "no_city", "outside"};

const char *attr_source_name(enum attr_source s)
{
    return source_names[s];
}

/* One person of the roster. */
struct roster_pick {
    int64_t user_id;      /* VK user id */
    const struct muni *m; /* their municipality */
};

/* One cached city id: its municipality, or NULL when outside the region. */
struct city_slot {
    int64_t city_id; /* 0: empty slot */
    const struct muni *m;
};

struct attribution {
    const struct muni_map *map; /* the region */
    struct roster_pick *roster; /* sorted by user_id */
    size_t nroster, caproster;  /* used and allocated */
    size_t stale;               /* roster rows naming a municipality the map lacks */
    struct city_slot *cities;   /* open addressing, power-of-two size */
    size_t ncities, capcities;  /* used and allocated */
};

static int add_roster(void *ud, const struct store_roster_entry *e)
{
    struct attribution *a = ud;
    const struct muni *m = muni_by_name(a->map, e->municipality);

    if (!m) {
        a->stale++;
        return 0;
    }
    if (a->nroster == a->caproster) {
        size_t cap = a->caproster ? a->caproster * 2 : 256;
        struct roster_pick *grown = realloc(a->roster, cap * sizeof *grown);
        if (!grown)
            return VKP_ENOMEM;
        a->roster = grown;
        a->caproster = cap;
    }
    a->roster[a->nroster++] = (struct roster_pick){e->user_id, m};
    return 0;
}

int attribution_new(const struct muni_map *map, struct store *st, struct attribution **out)
{
    struct attribution *a = calloc(1, sizeof *a);
    int rc;

    *out = NULL;
    if (!a)
        return VKP_ENOMEM;
    a->map = map;
    a->capcities = 256;
    a->cities = calloc(a->capcities, sizeof *a->cities);
    if (!a->cities) {
        attribution_free(a);
        return VKP_ENOMEM;
    }
    /* store_roster_each walks in user id order, so the array comes sorted. */
    if (st && (rc = store_roster_each(st, add_roster, a)) != 0) {
        attribution_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

void attribution_free(struct attribution *a)
{
    if (!a)
        return;
    free(a->roster);
    free(a->cities);
    free(a);
}

size_t attribution_roster_size(const struct attribution *a)
{
    return a->nroster;
}

size_t attribution_roster_stale(const struct attribution *a)
{
    return a->stale;
}

static const struct muni *roster_find(const struct attribution *a, int64_t user_id)
{
    size_t lo = 0, hi = a->nroster;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->roster[mid].user_id < user_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < a->nroster && a->roster[lo].user_id == user_id ? a->roster[lo].m : NULL;
}

static size_t slot_of(int64_t id, size_t cap)
{
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 17) & (cap - 1);
}

/* The cached answer for a city id; grows the table at half full. On a
 * failed allocation the cache just stops growing (answers stay right). */
static const struct muni *city_lookup(struct attribution *a, int64_t city_id, const char *title)
{
    size_t i = slot_of(city_id, a->capcities);
    while (a->cities[i].city_id) {
        if (a->cities[i].city_id == city_id)
            return a->cities[i].m;
        i = (i + 1) & (a->capcities - 1);
    }
    const struct muni *m = muni_by_city(a->map, (long)city_id, title);
    if ((a->ncities + 1) * 2 > a->capcities) {
        size_t cap = a->capcities * 2;
        struct city_slot *grown = calloc(cap, sizeof *grown);
        if (!grown)
            return m;
        for (size_t k = 0; k < a->capcities; k++) {
            if (!a->cities[k].city_id)
                continue;
            size_t j = slot_of(a->cities[k].city_id, cap);
            while (grown[j].city_id)
                j = (j + 1) & (cap - 1);
            grown[j] = a->cities[k];
        }
        free(a->cities);
        a->cities = grown;
        a->capcities = cap;
        i = slot_of(city_id, cap);
        while (a->cities[i].city_id)
            i = (i + 1) & (cap - 1);
    }
    a->cities[i] = (struct city_slot){city_id, m};
    a->ncities++;
    return m;
}

const struct muni *attribution_of(struct attribution *a, int64_t user_id, int64_t city_id,
                                  const char *city_title, enum attr_source *src)
{
    const struct muni *m = a->nroster ? roster_find(a, user_id) : NULL;

    if (m) {
        *src = ATTR_ROSTER;
        return m;
    }
    if (city_id <= 0 && (!city_title || !city_title[0])) {
        *src = ATTR_NO_CITY;
        return NULL;
    }
    m = city_id > 0 ? city_lookup(a, city_id, city_title) : muni_by_city(a->map, 0, city_title);
    *src = m ? ATTR_CITY : ATTR_OUTSIDE;
    return m;
}

/* ---- roster files -------------------------------------------------------------- */

int64_t vk_user_id_parse(const char *text)
{
    const char *p = text;
    int64_t id = 0;

    while (*p == ' ' || *p == '@')
        p++;
    if (strncmp(p, "https://", 8) == 0)
        p += 8;
    else if (strncmp(p, "http://", 7) == 0)
        p += 7;
    if (strncmp(p, "www.", 4) == 0)
        p += 4;
    if (strncmp(p, "m.", 2) == 0)
        p += 2;
    int link = 0;
    if (strncmp(p, "vk.com/", 7) == 0) {
        p += 7;
        link = 1;
    } else if (strncmp(p, "vk.ru/", 6) == 0) {
        p += 6;
        link = 1;
    }
    if (strncmp(p, "id", 2) == 0 && isdigit((unsigned char)p[2]))
        p += 2;
    if (!isdigit((unsigned char)*p))
        return link && *p ? -1 : 0;
    while (isdigit((unsigned char)*p) && id < (INT64_MAX - 9) / 10)
        id = id * 10 + (*p++ - '0');
    if (*p == '/' || *p == '?')
        p += strlen(p);
    while (*p == ' ')
        p++;
    if (*p)
        return link ? -1 : 0;
    return id;
}

static void roster_error(struct roster_file *r, const char *path, size_t row, int line,
                         const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void roster_error(struct roster_file *r, const char *path, size_t row, int line,
                         const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    r->nerrors++;
    if (r->nerrors > ROSTER_MAX_ERRORS)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (asprintf(&r->errors[r->nerrors - 1], "%s: row %zu (line %d): %s", path, row, line, msg) < 0)
        r->errors[r->nerrors - 1] = NULL;
}

static int entry_cmp(const void *a, const void *b)
{
    const struct store_roster_entry *x = a, *y = b;
    return x->user_id < y->user_id ? -1 : x->user_id > y->user_id;
}

int roster_file_read(const struct config *cfg, const struct muni_map *map, const char *path,
                     struct roster_file *out, char *err, size_t errlen)
{
    struct csvfile f;
    int rc;

    memset(out, 0, sizeof *out);
    rc = csvfile_read(path, cfg->survey_encoding, cfg->survey_delimiter, &f, err, errlen);
    if (rc != 0)
        return rc;
    out->entries = calloc(f.nrows ? f.nrows : 1, sizeof *out->entries);
    if (!out->entries) {
        csvfile_release(&f);
        snprintf(err, errlen, "%s: out of memory", path);
        return VKP_ENOMEM;
    }
    for (size_t r = 0; r < f.nrows; r++) {
        const char *who = csvfile_cell(&f.rows[r], 0), *where = csvfile_cell(&f.rows[r], 1);
        int64_t id = vk_user_id_parse(who);
        if (r == 0 && id == 0 && !strpbrk(who, "0123456789"))
            continue; /* a header */
        if (id == -1) {
            roster_error(out, path, r + 1, f.rows[r].line,
                         "'%s' links to a screen name, which only VK can turn into an id: "
                         "write the numeric id (vk.com/id123...)",
                         who);
            continue;
        }
        if (id <= 0) {
            roster_error(out, path, r + 1, f.rows[r].line,
                         "'%s' is not a VK id or profile link (column A)", who);
            continue;
        }
        const struct muni *m = muni_by_name(map, where);
        if (!m) {
            const struct muni *near[3];
            size_t k = muni_nearest(map, where, near, 3);
            roster_error(out, path, r + 1, f.rows[r].line,
                         "unknown municipality '%s' (column B; nearest: %s%s%s%s%s)", where,
                         k > 0 ? near[0]->name : "none", k > 1 ? ", " : "",
                         k > 1 ? near[1]->name : "", k > 2 ? ", " : "", k > 2 ? near[2]->name : "");
            continue;
        }
        out->entries[out->n++] =
            (struct store_roster_entry){.user_id = id, .municipality = m->name, .row = (int)r + 1};
    }
    if (out->n == 0 && out->nerrors == 0) {
        /* An empty export would silently wipe the stored roster. */
        csvfile_release(&f);
        roster_file_release(out);
        snprintf(err, errlen,
                 "%s: no people in it: a roster needs a row per teacher (column A the VK id, "
                 "column B the municipality); the stored roster is kept",
                 path);
        return VKP_EPARSE;
    }
    if (out->n > 1) /* qsort(NULL, 0) is undefined */
        qsort(out->entries, out->n, sizeof *out->entries, entry_cmp);
    for (size_t i = 1; i < out->n; i++) {
        const struct store_roster_entry *a = &out->entries[i - 1], *b = &out->entries[i];
        if (a->user_id == b->user_id)
            roster_error(out, path, (size_t)b->row, f.rows[b->row - 1].line,
                         "id %lld is already listed in row %d", (long long)b->user_id, a->row);
    }
    csvfile_release(&f);
    return 0;
}

void roster_file_release(struct roster_file *r)
{
    for (size_t i = 0; i < r->nerrors && i < ROSTER_MAX_ERRORS; i++)
        free(r->errors[i]);
    free(r->entries);
    memset(r, 0, sizeof *r);
}
