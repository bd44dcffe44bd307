/* idtab.h: a hash table of fixed-size entries keyed by a non-zero 64-bit id (a VK user or
 * city id), for the lookups a walk over many rows makes. */
#ifndef VKP_IDTAB_H
#define VKP_IDTAB_H

#include <stddef.h>
#include <stdint.h>

/*
 * Open addressing with linear probing over a power-of-two number of slots, grown
 * (doubled and rehashed) before it is half full. An entry is the caller's struct whose
 * first member is the int64_t id; an id of 0 marks an empty slot, so 0 is never a key.
 * A value type: idtab_init, then idtab_release.
 */
struct idtab {
    unsigned char *slot; /* cap entries of size bytes, NULL until the first add */
    size_t size;         /* bytes of one entry (its first member: int64_t id) */
    size_t n;            /* entries in use */
    size_t cap;          /* slots: 0 or a power of two */
    size_t first_cap;    /* slots the first add allocates (a power of two) */
};

/* idtab_init: an empty table of entries of `size` bytes (>= sizeof(int64_t)); the first add
 * allocates first_cap slots (rounded up to a power of two, at least 16). Allocates nothing. */
void idtab_init(struct idtab *t, size_t size, size_t first_cap);

/* idtab_release: frees the slots; the table is empty again (and may be used again). */
void idtab_release(struct idtab *t);

/* idtab_find: the entry of id, or NULL when there is none (or id is 0). */
void *idtab_find(const struct idtab *t, int64_t id);

/*
 * idtab_add: the entry of id (non-zero): the one there is (*fresh = 0), else a new one,
 * zeroed but for its id (*fresh = 1). NULL for id 0, or when out of memory (the table is
 * then unchanged).
 * Entries may move when one is added: a pointer is valid until the next add.
 */
void *idtab_add(struct idtab *t, int64_t id, int *fresh);

/* idtab_clear: every entry removed, the slots kept. */
void idtab_clear(struct idtab *t);

/* idtab_slot: slot i (0 <= i < t->cap) when it holds an entry, else NULL: a walk over the
 * table is a loop over its slots, in no particular order. */
void *idtab_slot(const struct idtab *t, size_t i);

#endif
