/* attribution.h: which municipality a member belongs to: the roster first, else the profile city.
 */
#ifndef VKP_ATTRIBUTION_H
#define VKP_ATTRIBUTION_H

#include <stddef.h>
#include <stdint.h>

#include "store_region.h"

struct config;
struct muni;
struct muni_map;
struct store;
struct store_roster_entry;

/* How a person was (or was not) attributed. */
enum attr_source {
    ATTR_ROSTER,   /* the institute's roster names the municipality */
    ATTR_CITY,     /* the profile city maps to a municipality (see enum attr_method) */
    ATTR_NO_CITY,  /* the profile shows no city */
    ATTR_UNMAPPED, /* the city is in the region's directory, but the map names no municipality */
    ATTR_OUTSIDE,  /* the city lies elsewhere (by title: no settlement of the map is called so) */
    ATTR_NSOURCES
};

/* attr_source_name: "roster", "city", "no_city", "unmapped", "outside". */
const char *attr_source_name(enum attr_source s);

/*
 * How profile cities are placed. With VK's city directory of the region
 * (`vkpulse region sync`) a city id is in the region or not, and its area
 * names the municipality: exact, whatever the village is called. Without
 * it, the title is matched against the settlements the map lists: villages
 * the map omits count as outside, and homonyms are confused.
 */
enum attr_method {
    ATTR_BY_DIRECTORY, /* city id → VK's directory → area → municipality */
    ATTR_BY_TITLE      /* city title → a settlement of the map (the fallback) */
};

/* attr_method_name: "directory" or "title". */
const char *attr_method_name(enum attr_method m);

/* An attribution service: the roster in memory and a cache of city ids. Opaque. */
struct attribution;

/*
 * attribution_new: loads the roster and VK's city directory from st (may be
 * NULL: neither) and prepares the city cache; map must outlive it. Roster
 * entries naming a municipality the map no longer has are skipped and
 * counted (attribution_roster_stale). The directory's localities are mapped
 * again with this map (muni_of_locality), so an edited map needs no new
 * sync. Returns 0 or a negative vkp error (store errors as from the store).
 */
int attribution_new(const struct muni_map *map, struct store *st, struct attribution **out);

/* attribution_free: NULL is a no-op. */
void attribution_free(struct attribution *a);

/* attribution_roster_size: roster entries in use; attribution_roster_stale: those skipped. */
size_t attribution_roster_size(const struct attribution *a);
size_t attribution_roster_stale(const struct attribution *a);

/* attribution_roster_count: roster entries naming municipality index i (the expected members). */
size_t attribution_roster_count(const struct attribution *a, int muni_index);

/*
 * attribution_add_locality: adds one locality of VK's directory (as
 * attribution_new does for each stored one) and switches the method to
 * ATTR_BY_DIRECTORY. For tests and callers without a store. 0 or VKP_ENOMEM.
 */
int attribution_add_locality(struct attribution *a, int64_t city_id, const char *title,
                             const char *area);

/* attribution_method: ATTR_BY_DIRECTORY once a directory is loaded, else ATTR_BY_TITLE. */
enum attr_method attribution_method(const struct attribution *a);

/* attribution_directory: the stored sync the directory came from (synced_at 0: none or tests). */
const struct store_region_info *attribution_directory(const struct attribution *a);

/* attribution_localities: localities of the directory, and how many of them map to a municipality.
 */
size_t attribution_localities(const struct attribution *a, size_t *mapped);

/*
 * attribution_of: the municipality of a person (NULL when unknown) and in
 * *src how that was decided. The roster wins over the profile city. city_id
 * 0 and a NULL or empty title mean no city. With a directory, a city id
 * pinned by the map or listed in the directory is in the region (ATTR_CITY
 * or ATTR_UNMAPPED) and any other id is ATTR_OUTSIDE, whatever its title;
 * without one, the title decides. Results per city id are cached, so
 * calling it for every member of a large region is cheap.
 */
const struct muni *attribution_of(struct attribution *a, int64_t user_id, int64_t city_id,
                                  const char *city_title, enum attr_source *src);

/* ---- roster files -------------------------------------------------------------- */

/* Most roster errors kept as text (all are counted). */
#define ROSTER_MAX_ERRORS 100

/* A roster CSV read into entries. */
struct roster_file {
    struct store_roster_entry *entries; /* one per good row; municipality names are the map's */
    size_t n;                           /* how many */
    char *errors[ROSTER_MAX_ERRORS];    /* the first row errors */
    size_t nerrors;                     /* all row errors */
};

/*
 * roster_file_read: reads a roster CSV: the first column a VK id ("123",
 * "id123") or profile link ("https://vk.com/id123"), the second the
 * municipality as the survey would name it. A first row whose first cell
 * is no id is a header. Encoding and separator as [survey] says. Returns 0
 * (row errors, if any, in out->errors: a bad id, a screen-name link, an
 * unknown municipality with the nearest ones, a person listed twice), or a
 * negative vkp error with a message in err when the file cannot be read.
 * Release with roster_file_release.
 */
int roster_file_read(const struct config *cfg, const struct muni_map *map, const char *path,
                     struct roster_file *out, char *err, size_t errlen);

/* roster_file_release: frees what roster_file_read allocated. */
void roster_file_release(struct roster_file *r);

/*
 * vk_user_id_parse: a VK user id from "123", "id123" or a profile link
 * (http(s)://, vk.com, m.vk.com, vk.ru, trailing '/' or '?...'). 0 when the
 * text is no such thing; -1 for a link to a screen name, which needs VK to
 * resolve.
 */
int64_t vk_user_id_parse(const char *text);

#endif
