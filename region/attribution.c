/* attribution.c: roster lookups by binary search; profile cities by VK's directory or by title. */
#include "attribution.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "csvfile.h"
#include "err.h"
#include "idtab.h"
#include "muni.h"
#include "store_survey.h"
#include "text.h"

static const char *const source_names[ATTR_NSOURCES] = {"roster", "city", "no_city", "unmapped",
                                                        "outside"};

const char *attr_source_name(enum attr_source s)
{
    return source_names[s];
}

const char *attr_method_name(enum attr_method m)
{
    return m == ATTR_BY_DIRECTORY ? "directory" : "title";
}

/* One person of the roster. */
struct roster_pick {
    int64_t user_id;      /* VK user id */
    const struct muni *m; /* their municipality */
};

/* One cached city id: its municipality (NULL when none) and how it was placed. */
struct city_slot {
    int64_t city_id;      /* the cities table's key (first, as idtab wants) */
    const struct muni *m; /* NULL: unmapped or outside */
    enum attr_source src; /* ATTR_CITY, ATTR_UNMAPPED or ATTR_OUTSIDE */
};

/* One locality of VK's directory of the region. */
struct locality {
    int64_t city_id;      /* VK city id */
    const struct muni *m; /* its municipality under the current map, NULL when none */
};

struct attribution {
    const struct muni_map *map;    /* the region */
    struct roster_pick *roster;    /* sorted by user_id */
    size_t nroster, caproster;     /* used and allocated */
    size_t stale;                  /* roster rows naming a municipality the map lacks */
    struct idtab cities;           /* answers cached: struct city_slot by city id */
    size_t *roster_per_muni;       /* roster entries per municipality index */
    struct locality *dir;          /* VK's directory, sorted by city_id once dir_sorted */
    size_t ndir, capdir;           /* used and allocated */
    size_t dir_mapped;             /* localities with a municipality */
    int dir_sorted;                /* dir is in city_id order */
    struct store_region_info info; /* the sync the directory came from */
};

static int add_roster(void *ud, const struct store_roster_entry *e)
{
    struct attribution *a = ud;
    const struct muni *m = muni_by_name(a->map, e->municipality);

    if (!m) {
        a->stale++;
        return 0;
    }
    if (text_grow((void **)&a->roster, &a->caproster, a->nroster + 1, sizeof *a->roster) != 0)
        return VKP_ENOMEM;
    a->roster[a->nroster++] = (struct roster_pick){e->user_id, m};
    a->roster_per_muni[m->index]++;
    return 0;
}

int attribution_add_locality(struct attribution *a, int64_t city_id, const char *title,
                             const char *area)
{
    if (text_grow((void **)&a->dir, &a->capdir, a->ndir + 1, sizeof *a->dir) != 0)
        return VKP_ENOMEM;
    const struct muni *m = muni_of_locality(a->map, (long)city_id, title, area);
    a->dir_sorted = a->ndir == 0 || (a->dir_sorted && a->dir[a->ndir - 1].city_id < city_id);
    a->dir[a->ndir++] = (struct locality){city_id, m};
    a->dir_mapped += m != NULL;
    idtab_clear(&a->cities); /* answers cached before may change */
    return 0;
}

static int add_locality(void *ud, const struct store_city *c)
{
    return attribution_add_locality(ud, c->id, c->title, c->area);
}

int attribution_new(const struct muni_map *map, struct store *st, struct attribution **out)
{
    struct attribution *a = calloc(1, sizeof *a);
    int rc;

    *out = NULL;
    if (!a)
        return VKP_ENOMEM;
    a->map = map;
    idtab_init(&a->cities, sizeof(struct city_slot), 256);
    a->roster_per_muni = calloc(muni_map_count(map) + 1, sizeof *a->roster_per_muni);
    rc = VKP_ENOMEM;
    if (!a->roster_per_muni)
        goto fail;
    if (!st)
        goto done;
    /* store_roster_each walks in user id order, so the array comes sorted. */
    if ((rc = store_roster_each(st, add_roster, a)) != 0)
        goto fail;
    if ((rc = store_region_info(st, &a->info)) != 0)
        goto fail;
    if (a->info.synced_at && (rc = store_each_city(st, add_locality, a)) != 0)
        goto fail;
done:
    *out = a;
    return 0;
fail:
    attribution_free(a);
    return rc;
}

void attribution_free(struct attribution *a)
{
    if (!a)
        return;
    free(a->roster);
    idtab_release(&a->cities);
    free(a->roster_per_muni);
    free(a->dir);
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

size_t attribution_roster_count(const struct attribution *a, int muni_index)
{
    return muni_index >= 0 && (size_t)muni_index < muni_map_count(a->map)
               ? a->roster_per_muni[muni_index]
               : 0;
}

enum attr_method attribution_method(const struct attribution *a)
{
    return a->ndir ? ATTR_BY_DIRECTORY : ATTR_BY_TITLE;
}

const struct store_region_info *attribution_directory(const struct attribution *a)
{
    return &a->info;
}

size_t attribution_localities(const struct attribution *a, size_t *mapped)
{
    if (mapped)
        *mapped = a->dir_mapped;
    return a->ndir;
}

static int locality_cmp(const void *x, const void *y)
{
    const struct locality *p = x, *q = y;
    return p->city_id < q->city_id ? -1 : p->city_id > q->city_id;
}

/* How a city id is placed: by the map's pin, by VK's directory, else by title. */
static const struct muni *place_city(struct attribution *a, int64_t city_id, const char *title,
                                     enum attr_source *src)
{
    const struct muni *m;

    if (!a->ndir) {
        m = muni_by_city(a->map, (long)city_id, title);
        *src = m ? ATTR_CITY : ATTR_OUTSIDE;
        return m;
    }
    if ((m = muni_pinned(a->map, (long)city_id)) != NULL) {
        *src = ATTR_CITY;
        return m;
    }
    if (!a->dir_sorted) {
        qsort(a->dir, a->ndir, sizeof *a->dir, locality_cmp);
        a->dir_sorted = 1;
    }
    struct locality probe = {city_id, NULL};
    const struct locality *l = bsearch(&probe, a->dir, a->ndir, sizeof *a->dir, locality_cmp);
    *src = !l ? ATTR_OUTSIDE : l->m ? ATTR_CITY : ATTR_UNMAPPED;
    return l ? l->m : NULL;
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

/* The cached answer for a city id. On a failed allocation the cache just stops growing
 * (answers stay right). */
static const struct muni *city_lookup(struct attribution *a, int64_t city_id, const char *title,
                                      enum attr_source *src)
{
    struct city_slot *c = idtab_find(&a->cities, city_id);
    int fresh;

    if (c) {
        *src = c->src;
        return c->m;
    }
    const struct muni *m = place_city(a, city_id, title, src);
    if ((c = idtab_add(&a->cities, city_id, &fresh)) != NULL) {
        c->m = m;
        c->src = *src;
    }
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
    if (city_id > 0)
        return city_lookup(a, city_id, city_title, src);
    /* No id (older data): only the title can say anything. */
    m = muni_by_city(a->map, 0, city_title);
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
