/* suggest.c: nearest candidate by optimal string alignment distance. */
#include "suggest.h"

#include <ctype.h>
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
