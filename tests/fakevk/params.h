/* params.h: request parameters: application/x-www-form-urlencoded decoding and typed look-ups. */
#ifndef FV_PARAMS_H
#define FV_PARAMS_H

#include <stddef.h>
#include <stdint.h>

/* Most parameters a request may carry; more is an error (bounded memory). */
#define PARAMS_MAX 1024

/* One decoded key=value pair. */
struct param {
    char *key;   /* decoded key, NUL-terminated, owned by the list */
    char *value; /* decoded value, NUL-terminated, owned by the list */
};

/* An ordered list of parameters; later duplicates override earlier ones on look-up. */
struct params {
    struct param *items; /* the pairs in arrival order */
    size_t n;            /* pairs in use */
    size_t alloc;        /* pairs allocated */
};

/* Prepares an empty list. */
void params_init(struct params *p);
/* Frees every pair. */
void params_release(struct params *p);
/* Decodes "a=1&b=x+y%20z" (@n bytes) and appends the pairs; FV_ELIMIT past PARAMS_MAX. */
int params_parse_form(struct params *p, const char *s, size_t n);
/* Appends one pair (copied). */
int params_add(struct params *p, const char *key, const char *value);
/* Returns the value of the last pair named @key, or NULL. */
const char *params_get(const struct params *p, const char *key);

#endif
