/* tables.h: static data the dataset draws from: cities, people's names, texts, demo groups. */
#ifndef FV_TABLES_H
#define FV_TABLES_H

#include <stddef.h>
#include <stdint.h>

/* A city as VK returns it in a profile, with a weight for drawing. */
struct city_entry {
    int64_t id; /* VK city id (real for Челябинск, Москва, СПб, Екатеринбург; else 1500001+) */
    const char *title; /* city.title as VK writes it */
    int weight;        /* relative frequency among members of the same kind */
    int in_region;     /* 1 for a settlement of Chelyabinsk region */
};

/* A demo community. */
struct group_entry {
    const char *screen_name; /* short address */
    const char *name;        /* full Russian name */
};

extern const struct city_entry tables_cities[];
extern const size_t tables_n_cities;

extern const char *const tables_female_first[];
extern const size_t tables_n_female_first;
extern const char *const tables_male_first[];
extern const size_t tables_n_male_first;
/* Surname stems in the masculine form; the feminine form appends "а". */
extern const char *const tables_last[];
extern const size_t tables_n_last;

extern const char *const tables_post_texts[];
extern const size_t tables_n_post_texts;
extern const char *const tables_comment_texts[];
extern const size_t tables_n_comment_texts;

extern const struct group_entry tables_demo_groups[];
extern const size_t tables_n_demo_groups;

#endif
