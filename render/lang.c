/* lang.c: parsing and choosing the output language. */
#include "lang.h"

#include <stdlib.h>
#include <string.h>

int lang_parse(const char *s, enum lang *out)
{
    if (s && strcmp(s, "ru") == 0)
        return *out = LANG_RU, 0;
    if (s && strcmp(s, "en") == 0)
        return *out = LANG_EN, 0;
    return -1;
}

const char *lang_code(enum lang lang)
{
    return lang == LANG_EN ? "en" : "ru";
}

enum lang lang_default(const char *config_lang)
{
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    enum lang l = LANG_RU;
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && v[0]) {
            if (strncmp(v, "ru", 2) == 0)
                return LANG_RU;
            break; /* the first one set decides the locale */
        }
    }
    if (config_lang)
        lang_parse(config_lang, &l);
    return l;
}
