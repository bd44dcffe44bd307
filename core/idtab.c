/* idtab.c: open addressing on 64-bit ids (Fibonacci hashing, linear probing). */
#include "idtab.h"

#include <stdlib.h>
#include <string.h>

static int64_t id_at(const unsigned char *slot)
{
    int64_t id;
    memcpy(&id, slot, sizeof id);
    return id;
}

/* The slot of id in a table of cap slots: where it is, or the empty one where it goes. */
static size_t probe(const unsigned char *slots, size_t size, size_t cap, int64_t id)
{
    size_t i = (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
    int64_t at;
    while ((at = id_at(slots + i * size)) != 0 && at != id)
        i = (i + 1) & (cap - 1);
    return i;
}

void idtab_init(struct idtab *t, size_t size, size_t first_cap)
{
    size_t c = 16;
    while (c < first_cap)
        c *= 2;
    *t = (struct idtab){.size = size, .first_cap = c};
}

void idtab_release(struct idtab *t)
{
    free(t->slot);
    t->slot = NULL;
    t->n = t->cap = 0;
}

void *idtab_find(const struct idtab *t, int64_t id)
{
    if (!t->cap || id == 0)
        return NULL;
    unsigned char *e = t->slot + probe(t->slot, t->size, t->cap, id) * t->size;
    return id_at(e) ? e : NULL;
}

/* Doubles the slots (or makes the first ones) and puts every entry back. */
static int grow(struct idtab *t)
{
    size_t cap = t->cap ? t->cap * 2 : t->first_cap;
    unsigned char *g = calloc(cap, t->size);
    if (!g)
        return -1;
    for (size_t i = 0; i < t->cap; i++) {
        const unsigned char *e = t->slot + i * t->size;
        if (id_at(e))
            memcpy(g + probe(g, t->size, cap, id_at(e)) * t->size, e, t->size);
    }
    free(t->slot);
    t->slot = g;
    t->cap = cap;
    return 0;
}

void *idtab_add(struct idtab *t, int64_t id, int *fresh)
{
    unsigned char *e;

    *fresh = 0;
    if ((e = idtab_find(t, id)) != NULL || id == 0)
        return e;
    if ((t->n + 1) * 2 > t->cap && grow(t) != 0)
        return NULL;
    e = t->slot + probe(t->slot, t->size, t->cap, id) * t->size;
    memset(e, 0, t->size);
    memcpy(e, &id, sizeof id);
    t->n++;
    *fresh = 1;
    return e;
}

void idtab_clear(struct idtab *t)
{
    if (t->slot)
        memset(t->slot, 0, t->cap * t->size);
    t->n = 0;
}

void *idtab_slot(const struct idtab *t, size_t i)
{
    if (i >= t->cap)
        return NULL;
    unsigned char *e = t->slot + i * t->size;
    return id_at(e) ? e : NULL;
}
