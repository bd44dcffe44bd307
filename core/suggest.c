/* suggest.c: nearest candidate by optimal string alignment distance. */
#include "suggest.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define SUGGEST_MAX 64

size_t suggest_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t d[SUGGEST_MAX][SUGGEST_MAX];

    if (la >= SUGGEST_MAX || lb >= SUGGEST_MAX)
        return (size_t)-1;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t best = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1; /* two letters swapped */
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *suggest_closest(const char *word, suggest_item_fn item, size_t n, const void *ud)
{
    size_t limit = strlen(word) / 3, best = (size_t)-1;
    const char *found = NULL;

    if (limit < 1)
        limit = 1;
    for (size_t i = 0; i < n; i++) {
        const char *c = item(i, ud);
        if (!c)
            continue;
        size_t d = suggest_distance(word, c);
        if (d <= limit && d < best) {
            best = d;
            found = c;
        }
    }
    return found;
}

/* ---- command-line options ------------------------------------------------------------ */

/* Candidates for suggest_closest: the long names of a getopt_long table. */
static const char *option_name(size_t i, const void *ud)
{
    return ((const struct option *)ud)[i].name;
}

/* The row that a long option's name (n bytes, perhaps abbreviated) names alone, as
 * getopt_long reads it: the exact name, else the only one it begins; NULL for none or
 * several (*nmatch says how many begin with it). */
static const struct option *option_named(const struct option *opts, const char *name, size_t n,
                                         size_t *nmatch)
{
    const struct option *found = NULL;
    *nmatch = 0;
    for (const struct option *o = opts; o->name; o++) {
        if (strncmp(o->name, name, n) != 0)
            continue;
        if (strlen(o->name) == n) {
            *nmatch = 1;
            return o;
        }
        found = o;
        ++*nmatch;
    }
    return *nmatch == 1 ? found : NULL;
}

void suggest_option(const struct option *opts, const char *shorts, const char *arg, int bad,
                    char *msg, size_t len)
{
    const struct option *o = NULL;
    size_t nopts = 0, nmatch = 0;

    while (opts[nopts].name)
        nopts++;
    if (arg && strncmp(arg, "--", 2) == 0 && arg[2]) {
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        o = option_named(opts, name, n, &nmatch);
        /* A long option it knows, refused for its value. */
        if (o && (bad == 0 || bad == o->val)) {
            if (o->has_arg == no_argument && eq)
                snprintf(msg, len, "'--%s' takes no value", o->name);
            else
                snprintf(msg, len, "'--%s' needs a value", o->name);
            return;
        }
        if (bad == 0 && nmatch > 1) {
            size_t off = (size_t)snprintf(msg, len, "'--%.*s' is ambiguous:", (int)n, name);
            for (const struct option *p = opts; p->name && off < len; p++)
                if (strncmp(p->name, name, n) == 0)
                    off += (size_t)snprintf(msg + off, len - off, " --%s", p->name);
            return;
        }
        if (bad == 0) {
            char word[64];
            snprintf(word, sizeof word, "%.*s", (int)n, name);
            const char *near = suggest_closest(word, option_name, nopts, opts);
            if (near)
                snprintf(msg, len, "unknown option '--%s' (did you mean '--%s'?)", word, near);
            else
                snprintf(msg, len, "unknown option '--%s'", word);
            return;
        }
    }
    /* A short option: a letter it does not take, or one of its letters without its value. */
    o = NULL;
    const char *letter = bad > ' ' && bad < 0x7f && bad != ':' ? strchr(shorts, bad) : NULL;
    for (size_t i = 0; letter && letter[1] == ':' && i < nopts && !o; i++)
        if (opts[i].val == bad)
            o = &opts[i];
    if (letter && letter[1] == ':')
        snprintf(msg, len, "'-%c'%s%s%s needs a value", bad, o ? " (--" : "", o ? o->name : "",
                 o ? ")" : "");
    else if (bad > ' ' && bad < 0x7f)
        snprintf(msg, len, "unknown option '-%c'", bad);
    else
        snprintf(msg, len, "unknown option '%s'", arg ? arg : "");
}
