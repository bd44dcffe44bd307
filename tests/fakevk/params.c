/* params.c: request parameters: application/x-www-form-urlencoded decoding and typed look-ups. */
#include "params.h"

#include <stdlib.h>
#include <string.h>

#include "fv_err.h"

void params_init(struct params *p)
{
    p->items = NULL;
    p->n = 0;
    p->alloc = 0;
}

void params_release(struct params *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i].key);
        free(p->items[i].value);
    }
    free(p->items);
    params_init(p);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes @n bytes into a new string; '+' is a space. Bad escapes stay literal. */
static char *decode(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    size_t j = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[j++] = ' ';
        } else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out[j++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            out[j++] = s[i];
        }
    }
    out[j] = '\0';
    return out;
}

static int params_push(struct params *p, char *key, char *value)
{
    if (p->n >= PARAMS_MAX)
        return FV_ELIMIT;
    if (p->n == p->alloc) {
        size_t na = p->alloc ? p->alloc * 2 : 16;
        struct param *ni = realloc(p->items, na * sizeof(*ni));
        if (!ni)
            return FV_ENOMEM;
        p->items = ni;
        p->alloc = na;
    }
    p->items[p->n].key = key;
    p->items[p->n].value = value;
    p->n++;
    return 0;
}

int params_parse_form(struct params *p, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t end = i;
        while (end < n && s[end] != '&')
            end++;
        if (end > i) {
            size_t eq = i;
            while (eq < end && s[eq] != '=')
                eq++;
            char *key = decode(s + i, eq - i);
            char *value = eq < end ? decode(s + eq + 1, end - eq - 1) : decode("", 0);
            int rc = (key && value) ? params_push(p, key, value) : FV_ENOMEM;
            if (rc) {
                free(key);
                free(value);
                return rc;
            }
        }
        i = end + 1;
    }
    return 0;
}

int params_add(struct params *p, const char *key, const char *value)
{
    char *k = strdup(key);
    char *v = strdup(value);
    int rc = (k && v) ? params_push(p, k, v) : FV_ENOMEM;
    if (rc) {
        free(k);
        free(v);
    }
    return rc;
}

const char *params_get(const struct params *p, const char *key)
{
    for (size_t i = p->n; i > 0; i--)
        if (strcmp(p->items[i - 1].key, key) == 0)
            return p->items[i - 1].value;
    return NULL;
}
