/* execute.c: the VKScript subset of the execute method: a list of API calls to run in one go. */
#include "execute.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fv_err.h"

/* A cursor over the code being parsed. */
struct lexer {
    const char *s; /* the code */
    size_t pos;    /* next byte */
    size_t len;    /* bytes in s */
};

static void skip_ws(struct lexer *lx)
{
    while (lx->pos < lx->len) {
        char c = lx->s[lx->pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            lx->pos++;
        else
            break;
    }
}

/* Consumes @c after optional whitespace; 1 if it was there. */
static int accept_char(struct lexer *lx, char c)
{
    skip_ws(lx);
    if (lx->pos < lx->len && lx->s[lx->pos] == c) {
        lx->pos++;
        return 1;
    }
    return 0;
}

static int is_ident(char c, int first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

/* Reads an identifier into @out; 0 or FV_EPARSE. */
static int ident(struct lexer *lx, char *out, size_t outlen)
{
    skip_ws(lx);
    size_t start = lx->pos;
    if (lx->pos >= lx->len || !is_ident(lx->s[lx->pos], 1))
        return FV_EPARSE;
    while (lx->pos < lx->len && is_ident(lx->s[lx->pos], 0))
        lx->pos++;
    size_t n = lx->pos - start;
    if (n >= outlen)
        return FV_EPARSE;
    memcpy(out, lx->s + start, n);
    out[n] = '\0';
    return 0;
}

/* Finds the end of the JSON object starting at lx->pos ('{'), honouring strings. */
static int object_end(const struct lexer *lx, size_t *end)
{
    int depth = 0, in_str = 0;
    for (size_t i = lx->pos; i < lx->len; i++) {
        char c = lx->s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{') {
            depth++;
        } else if (c == '}') {
            if (--depth == 0) {
                *end = i + 1;
                return 0;
            }
        }
    }
    return FV_EPARSE;
}

/* Parses `{ "key": "string" | number, ... }` into @params. */
static int parse_object(struct lexer *lx, struct params *params, char *why, size_t whylen)
{
    size_t end;
    int rc;
    skip_ws(lx);
    if (object_end(lx, &end)) {
        snprintf(why, whylen, "unterminated parameters object");
        return FV_EPARSE;
    }
    cJSON *obj = cJSON_ParseWithLength(lx->s + lx->pos, end - lx->pos);
    if (!obj || !cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        snprintf(why, whylen, "parameters are not a JSON object");
        return FV_EPARSE;
    }
    lx->pos = end;
    cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        char num[64];
        const char *v;
        if (cJSON_IsString(it)) {
            v = it->valuestring;
        } else if (cJSON_IsNumber(it)) {
            double d = it->valuedouble;
            if (d == floor(d) && fabs(d) < 9.007199254740992e15)
                snprintf(num, sizeof(num), "%lld", (long long)d);
            else
                snprintf(num, sizeof(num), "%.17g", d);
            v = num;
        } else {
            snprintf(why, whylen, "parameter '%s' is neither a string nor a number",
                     it->string ? it->string : "?");
            cJSON_Delete(obj);
            return FV_EPARSE;
        }
        rc = params_add(params, it->string ? it->string : "", v);
        if (rc) {
            cJSON_Delete(obj);
            return rc == FV_ELIMIT ? FV_EPARSE : rc;
        }
    }
    cJSON_Delete(obj);
    return 0;
}

/* Parses `API.section.method({...})` and appends it to @prog. */
static int parse_call(struct lexer *lx, struct exec_program *prog, size_t *alloc, char *why,
                      size_t whylen)
{
    char api[8], a[32], m[32];
    int rc;
    if (ident(lx, api, sizeof(api)) || strcmp(api, "API") != 0 || !accept_char(lx, '.') ||
        ident(lx, a, sizeof(a)) || !accept_char(lx, '.') || ident(lx, m, sizeof(m)) ||
        !accept_char(lx, '(')) {
        snprintf(why, whylen, "expected API.<section>.<method>( at byte %zu", lx->pos);
        return FV_EPARSE;
    }
    if (prog->n >= EXEC_PARSE_LIMIT)
        return FV_ELIMIT;
    if (prog->n == *alloc) {
        size_t na = *alloc ? *alloc * 2 : 8;
        struct exec_call *nc = realloc(prog->calls, na * sizeof(*nc));
        if (!nc)
            return FV_ENOMEM;
        prog->calls = nc;
        *alloc = na;
    }
    struct exec_call *c = &prog->calls[prog->n++];
    snprintf(c->method, sizeof(c->method), "%s.%s", a, m);
    params_init(&c->params);
    skip_ws(lx);
    if (lx->pos < lx->len && lx->s[lx->pos] == '{') {
        rc = parse_object(lx, &c->params, why, whylen);
        if (rc)
            return rc;
    }
    if (!accept_char(lx, ')')) {
        snprintf(why, whylen, "expected ) at byte %zu", lx->pos);
        return FV_EPARSE;
    }
    return 0;
}

int exec_parse(const char *code, struct exec_program *prog, char *why, size_t whylen)
{
    struct lexer lx = {code, 0, strlen(code)};
    char kw[16];
    size_t alloc = 0;
    int rc;
    prog->calls = NULL;
    prog->n = 0;
    prog->is_array = 0;
    snprintf(why, whylen, "syntax error");
    if (ident(&lx, kw, sizeof(kw)) || strcmp(kw, "return") != 0) {
        snprintf(why, whylen, "the code must be: return [API.<method>({...}), ...];");
        return FV_EPARSE;
    }
    if (accept_char(&lx, '[')) {
        prog->is_array = 1;
        if (!accept_char(&lx, ']')) {
            for (;;) {
                rc = parse_call(&lx, prog, &alloc, why, whylen);
                if (rc)
                    return rc;
                if (accept_char(&lx, ','))
                    continue;
                if (accept_char(&lx, ']'))
                    break;
                snprintf(why, whylen, "expected , or ] at byte %zu", lx.pos);
                return FV_EPARSE;
            }
        }
    } else {
        rc = parse_call(&lx, prog, &alloc, why, whylen);
        if (rc)
            return rc;
    }
    accept_char(&lx, ';');
    skip_ws(&lx);
    if (lx.pos != lx.len) {
        snprintf(why, whylen, "unexpected text at byte %zu", lx.pos);
        return FV_EPARSE;
    }
    if (prog->n > EXEC_MAX_CALLS)
        return FV_ELIMIT;
    return 0;
}

void exec_program_release(struct exec_program *prog)
{
    for (size_t i = 0; i < prog->n; i++)
        params_release(&prog->calls[i].params);
    free(prog->calls);
    prog->calls = NULL;
    prog->n = 0;
}
