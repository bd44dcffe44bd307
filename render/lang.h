/* lang.h: the one language type every renderer (report, cross-check) is keyed by. */
#ifndef VKP_LANG_H
#define VKP_LANG_H

/* The output languages; a label table is [label][LANG_COUNT]. */
enum lang { LANG_RU, LANG_EN, LANG_COUNT };

/* lang_parse: "ru" or "en". Returns 0, or -1 for anything else. */
int lang_parse(const char *s, enum lang *out);

/* lang_code: "ru" or "en", for <html lang> and the JSON envelope. */
const char *lang_code(enum lang lang);

/*
 * lang_default: Russian when the locale is Russian (LC_ALL, else
 * LC_MESSAGES, else LANG starting with "ru"), otherwise the config's
 * language (config_lang, "ru" or "en"; NULL counts as "ru").
 */
enum lang lang_default(const char *config_lang);

#endif
