/* util.h: small shared helpers: a seeded PRNG, a capped growable buffer, an arena, number parsing.
 */
#ifndef FV_UTIL_H
#define FV_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "fv_err.h"

/* ---- PRNG --------------------------------------------------------------------------------- */

/* A splitmix64-seeded xoshiro256** generator: fast, deterministic across platforms. */
struct rng {
    uint64_t s[4]; /* generator state; never all zero */
};

/* Seeds @r from @seed mixed with @stream, so that independent streams never overlap in use. */
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
/* Returns the next 64 random bits. */
uint64_t rng_next(struct rng *r);
/* Returns a uniform integer in [0, n); n == 0 returns 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Returns a uniform integer in [lo, hi] (inclusive); hi < lo returns lo. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);
/* Returns a uniform double in [0, 1). */
double rng_unit(struct rng *r);
/* Returns 1 with probability @pct percent (0..100). */
int rng_percent(struct rng *r, double pct);
/* Returns an exponentially distributed value with the given mean. */
double rng_exp(struct rng *r, double mean);

/* ---- growable buffer ------------------------------------------------------------------------ */

/* A growable byte buffer that refuses to grow past @cap (git strbuf with a ceiling). */
struct buf {
    char *data;   /* NUL-terminated contents, or NULL while empty and unallocated */
    size_t len;   /* bytes in use, not counting the terminating NUL */
    size_t alloc; /* bytes allocated */
    size_t cap;   /* maximum len this buffer may reach; 0 means 64 MiB */
};

/* Prepares an empty buffer with a size ceiling. */
void buf_init(struct buf *b, size_t cap);
/* Frees the contents and leaves the buffer empty and reusable. */
void buf_release(struct buf *b);
/* Appends @n bytes; FV_ELIMIT past the cap, FV_ENOMEM when allocation fails. */
int buf_append(struct buf *b, const void *p, size_t n);
/* Appends a NUL-terminated string. */
int buf_puts(struct buf *b, const char *s);
/* Appends printf-formatted text. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the contents to the caller (free() them) and leaves the buffer empty. */
char *buf_detach(struct buf *b, size_t *len);

/* ---- arena ---------------------------------------------------------------------------------- */

struct arena_chunk;

/* A bump allocator: many small arrays, one free. Memory is zeroed. */
struct arena {
    struct arena_chunk *head; /* newest chunk, linked to older ones */
    size_t total;             /* bytes handed out so far, for the size report */
};

/* Prepares an empty arena. */
void arena_init(struct arena *a);
/* Returns @n zeroed bytes aligned to 16, or NULL when out of memory. n == 0 returns a valid
 * pointer. */
void *arena_alloc(struct arena *a, size_t n);
/* Returns a zeroed array of @count elements of @size bytes, or NULL (also on overflow). */
void *arena_calloc(struct arena *a, size_t count, size_t size);
/* Copies a string into the arena. */
char *arena_strdup(struct arena *a, const char *s);
/* Frees every chunk. */
void arena_release(struct arena *a);

/* ---- parsing -------------------------------------------------------------------------------- */

/* Parses a whole decimal int64 with optional sign (no spaces); 0 or FV_EPARSE. */
int parse_i64(const char *s, int64_t *out);
/* Parses a whole decimal int64 from @n bytes. */
int parse_i64n(const char *s, size_t n, int64_t *out);
/* Parses a percentage 0..100 (decimal fractions allowed); 0 or FV_EPARSE. */
int parse_percent(const char *s, double *out);

/* Case-insensitive ASCII comparison of @n bytes of @a with NUL-terminated @b (whole match). */
int ascii_ieq(const char *a, size_t n, const char *b);

#endif
