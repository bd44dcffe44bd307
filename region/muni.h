/* muni.h: a region's municipality map (a config/regions INI file) and the matchers over it. */
#ifndef VKP_MUNI_H
#define VKP_MUNI_H

#include <stddef.h>

struct config;

/*
 * The map answers two questions:
 *   - which municipality a VK member's profile city belongs to
 *     (muni_by_city: a VK city id, or the city title matched against the
 *     settlements each municipality lists);
 *   - which municipality a survey row means (muni_by_name: the official
 *     name, its short form, aliases, and the usual survey spellings such as
 *     "Пластовский МР", "Копейский ГО", "г. Копейск").
 * Matching folds case, ё/е, punctuation and spacing (see text.h).
 *
 * Urban okrugs and the districts run from the same town share a stem
 * ("Троицкий городской округ" and "Троицкий муниципальный округ"), so a
 * bare "Троицкий" is ambiguous and matches nothing; "Троицкий ГО",
 * "Троицкий МР" and "г. Троицк" each match one.
 */

/* Longest settlement or municipality name the map accepts, in bytes of its folded form. */
#define MUNI_NAME_MAX 255

/* One municipality. Owned by its map; valid until muni_map_free. */
struct muni {
    int index; /* 0-based position in the file, stable for the map's life */
    int line;  /* line of its section header, for messages naming file:line */
    const char *name; /* official name, as the section header: "Копейский городской округ" */
    const char *short_name; /* how reports print it: "Копейский ГО" (the name when not given) */
    const char *type;   /* "urban_okrug" | "municipal_district" | "municipal_okrug" */
    const char *center; /* administrative centre: "Копейск" */
};

/* A loaded map with its lookup indexes. Opaque; read-only after load, so safe to share. */
struct muni_map;

/*
 * muni_map_load: reads the map at path and builds its indexes. On success
 * returns 0 and stores a new map in *out, which the caller frees with
 * muni_map_free. On failure returns a negative VKP_E* code, leaves *out
 * NULL, and writes a message naming "file:line" into err (errlen bytes):
 *   VKP_EIO      the file cannot be read;
 *   VKP_EPARSE   an INI syntax error or a file that is not UTF-8;
 *   VKP_ECONFIG  an unknown key, a key outside a section, a repeated
 *                scalar key, a bad type, a bad city id, a municipality
 *                listed twice, a municipality without type or center, a
 *                settlement listed twice (under one or two municipalities),
 *                an alias or city id naming two municipalities, a name
 *                over MUNI_NAME_MAX, or no municipality at all;
 *   VKP_ENOMEM   out of memory.
 */
int muni_map_load(const char *path, struct muni_map **out, char *err, size_t errlen);

/*
 * muni_map_of_config: the map that cfg's [region] municipalities names, as
 * muni_map_load; an error says where it was named: "FILE: [region]
 * municipalities: cannot open municipality map 'X': ...", and is
 * VKP_ECONFIG (or VKP_ENOMEM).
 */
int muni_map_of_config(const struct config *cfg, struct muni_map **out, char *err, size_t errlen);

/* muni_map_free: frees the map and every struct muni in it. NULL is a no-op. */
void muni_map_free(struct muni_map *m);

/* muni_map_count: the number of municipalities (0 for NULL). */
size_t muni_map_count(const struct muni_map *m);

/* muni_map_at: the i-th municipality in file order, or NULL when i is out of range. */
const struct muni *muni_map_at(const struct muni_map *m, size_t i);

/*
 * muni_by_city: the municipality a VK profile city belongs to, or NULL when
 * it is outside the region or unknown. city_id (> 0) is tried first when the
 * map lists it; then city_title is folded and looked up among the
 * settlements, as is and without a leading "г.", "город", "пос.", "п.",
 * "посёлок", "с.", "село", "д.", "рп", "пгт" and the like. NULL or empty
 * title with an unlisted id gives NULL. O(log n), allocates nothing: it is
 * meant to be called for every member.
 */
const struct muni *muni_by_city(const struct muni_map *m, long city_id, const char *city_title);

/*
 * muni_pinned: the municipality whose city_ids list city_id, or NULL. The
 * map's hand-written pins; they win over everything VK says about the city.
 */
const struct muni *muni_pinned(const struct muni_map *m, long city_id);

/*
 * muni_by_area: the municipality a VK directory `area` names ("Агаповский
 * район", "Кусинский муниципальный округ", "Златоустовский городской
 * округ"), or NULL when none or several fit. Matched like muni_by_name
 * against official names, short names and aliases and their stems, the
 * generic words telling a district from an urban okrug, but never read as
 * a settlement: an area is a district, not a town. NULL or empty: NULL.
 */
const struct muni *muni_by_area(const struct muni_map *m, const char *area);

/*
 * muni_of_locality: the municipality of one locality of VK's city
 * directory (database.getCities): the map's pin for city_id if any; else,
 * when VK gives an area, the municipality that area names (never the title,
 * which may be shared by villages of several districts); else, for the
 * large cities VK lists without an area, the settlement the title names.
 * NULL when nothing fits: the locality is in the region but unmapped.
 */
const struct muni *muni_of_locality(const struct muni_map *m, long city_id, const char *title,
                                    const char *area);

/*
 * muni_by_name: the municipality a survey means by text, or NULL when
 * nothing matches or the text fits more than one. Tried in order:
 *   1. the folded text against the official names, short names and aliases;
 *   2. a settlement form ("г. Копейск", "город Миасс", "п. Локомотивный"):
 *      the settlement's municipality;
 *   3. the stem left after removing the generic words ("городской округ",
 *      "ГО", "ЗАТО", "муниципальный район", "МР", "муниципальный округ",
 *      "МО", "район", "р-н", "округ"), compared with the stems of the known
 *      names; "ГО" keeps only urban okrugs, "МР"/"район" only the others;
 *   4. a bare settlement name ("Копейск", "Пласт"), when consistent with
 *      any generic word given.
 * Returns NULL also when out of memory.
 */
const struct muni *muni_by_name(const struct muni_map *m, const char *text);

/*
 * muni_nearest: fills out[0..k) with the k = min(n, count) municipalities
 * closest to text, best first (ties in file order), and returns k. The
 * distance of a municipality is the smallest text_distance between the
 * folded text (or its stem) and any of its folded names, short name,
 * aliases (or their stems). Meant for messages such as "unknown
 * municipality 'Пластоский р-н' (nearest: Пластовский МО, ...)"; the
 * caller decides how far is too far. Returns 0 for NULL or empty text, or
 * when out of memory.
 */
size_t muni_nearest(const struct muni_map *m, const char *text, const struct muni **out, size_t n);

#endif
