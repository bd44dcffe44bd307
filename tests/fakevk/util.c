/* util.c: small shared helpers: a seeded PRNG, a capped growable buffer, an arena, number parsing.
 */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fv_strerror(int err)
{
    switch (err) {
    case FV_OK:
        return "success";
#define FV_ERR_CASE(name, code, msg)                                                               \
    case FV_E##name:                                                                               \
        return msg;
        FV_ERRNO_MAP(FV_ERR_CASE)
#undef FV_ERR_CASE
    default:
        return "unknown error";
    }
}

/* ==== PRNG ==================================================================================== */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1;
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    /* Rejection sampling keeps the result exactly uniform. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
        x = rng_next(r);
    } while (x >= limit);
    return x % n;
}

int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)rng_below(r, (uint64_t)(hi - lo) + 1);
}

double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

int rng_percent(struct rng *r, double pct)
{
    /* Always draw, so that the sequence does not depend on the percentages. */
    double u = rng_unit(r) * 100.0;
    return u < pct;
}

double rng_exp(struct rng *r, double mean)
{
    return -log(1.0 - rng_unit(r)) * mean;
}

/* ==== growable buffer ========================================================================= */

#define BUF_DEFAULT_CAP ((size_t)64 << 20)

void buf_init(struct buf *b, size_t cap)
{
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    b->cap = cap ? cap : BUF_DEFAULT_CAP;
}

void buf_release(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
}

static int buf_grow(struct buf *b, size_t extra)
{
    if (extra > b->cap || b->len > b->cap - extra)
        return FV_ELIMIT;
    size_t need = b->len + extra + 1;
    if (need <= b->alloc)
        return 0;
    size_t n = b->alloc ? b->alloc : 256;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    char *p = realloc(b->data, n);
    if (!p)
        return FV_ENOMEM;
    b->data = p;
    b->alloc = n;
    return 0;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
    int rc = buf_grow(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return FV_EINVAL;
    if ((size_t)n < sizeof(small))
        return buf_append(b, small, (size_t)n);
    int rc = buf_grow(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *buf_detach(struct buf *b, size_t *len)
{
    char *p = b->data;
    if (len)
        *len = b->len;
    if (!p)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    return p;
}

/* ==== arena =================================================================================== */

#define ARENA_CHUNK ((size_t)1 << 20)

struct arena_chunk {
    struct arena_chunk *prev;         /* older chunk */
    size_t used;                      /* bytes used in mem[] */
    size_t size;                      /* bytes available in mem[] */
    _Alignas(16) unsigned char mem[]; /* the storage handed out */
};

void arena_init(struct arena *a)
{
    a->head = NULL;
    a->total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    struct arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t sz = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
        if (sz > SIZE_MAX - sizeof(*c))
            return NULL;
        c = calloc(1, sizeof(*c) + sz);
        if (!c)
            return NULL;
        c->size = sz;
        if (n > ARENA_CHUNK / 4 && a->head) {
            /* A big block gets its own chunk behind the current one, so that the current
             * chunk's free tail stays usable. */
            c->prev = a->head->prev;
            a->head->prev = c;
            c->used = n;
            a->total += n;
            return c->mem;
        }
        c->prev = a->head;
        a->head = c;
    }
    void *p = c->mem + c->used;
    c->used += n;
    a->total += n;
    return p;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return arena_alloc(a, count * size);
}

char *arena_strdup(struct arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(a, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

void arena_release(struct arena *a)
{
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *prev = c->prev;
        free(c);
        c = prev;
    }
    a->head = NULL;
    a->total = 0;
}

/* ==== parsing ================================================================================= */

int parse_i64n(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0;
    if (n == 0)
        return FV_EPARSE;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == n)
        return FV_EPARSE;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return FV_EPARSE;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return FV_EPARSE;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1)
            return FV_EPARSE;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX)
            return FV_EPARSE;
        *out = (int64_t)v;
    }
    return 0;
}

int parse_i64(const char *s, int64_t *out)
{
    return parse_i64n(s, strlen(s), out);
}

int parse_percent(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end != '\0' || !(v >= 0.0 && v <= 100.0))
        return FV_EPARSE;
    *out = v;
    return 0;
}

int ascii_ieq(const char *a, size_t n, const char *b)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (y == 0)
            return 0;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return b[i] == '\0';
}
