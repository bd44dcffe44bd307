/* muni_int.h: the municipality map's storage and indexes, shared by muni.c (loading) and
 * muni_match.c (matching); private to the two. */
#ifndef VKP_MUNI_INT_H
#define VKP_MUNI_INT_H

#include <stddef.h>

#include "muni.h"

/* The values "type" may take; struct muni.type points at these (muni.c). */
extern const char *const muni_types[3];
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

/* What the generic words of a name say about the municipality meant. */
#define NAME_URBAN 1u    /* "городской округ", "ГО", "ЗАТО" */
#define NAME_DISTRICT 2u /* "муниципальный район", "МР", "район", "муниципальный округ", "МО" */
#define NAME_CITY 4u /* a leading "г.", "город", "пос." ...: a settlement, not a municipality */

/*
 * muni_name_parse: splits a folded name into its stem (written to stem, which has room for
 * strlen(folded) + 1 bytes) and returns the NAME_* flags of its generic words:
 * "пластовский муниципальный район" → "пластовский", NAME_DISTRICT (muni_match.c).
 */
unsigned muni_name_parse(const char *folded, char *stem);

#endif
