/* outopt.h: the output options every report-making command shares, parsed in one place. */
#ifndef VKP_OUTOPT_H
#define VKP_OUTOPT_H

#include <getopt.h>
#include <stddef.h>

#include "lang.h"

/* The formats, as --format names them. */
enum render_format { RENDER_TEXT, RENDER_CSV, RENDER_JSON, RENDER_HTML, RENDER_XLSX };

/* render_format_parse: "text", "csv", "json", "html" or "xlsx"; -1 for anything else. */
int render_format_parse(const char *name, enum render_format *out);

/* What --format, --lang, --output and --csv-sep asked for. */
struct outopt {
    enum render_format format; /* --format (text) */
    int format_set;            /* --format was given */
    enum lang lang;            /* --lang, else lang_default(config) */
    int lang_set;              /* --lang was given */
    const char *output;        /* --output, or NULL for stdout */
    char csv_sep;              /* --csv-sep ',' or ';' (--semicolon: ';') */
};

/* The getopt_long rows of those options: put OUTOPT_LONG in a command's table. */
/* clang-format off */
#define OUTOPT_LONG                                                                                \
    {"format", required_argument, NULL, 'f'}, {"lang", required_argument, NULL, 'l'},              \
    {"output", required_argument, NULL, 'o'}, {"csv-sep", required_argument, NULL, 's'},           \
    {"semicolon", no_argument, NULL, 'S'}
/* clang-format on */
/* Their short letters, for the optstring. */
#define OUTOPT_SHORT "f:l:o:s:S"

/* outopt_init: the defaults: text, the config's (or locale's) language, stdout, ','. */
void outopt_init(struct outopt *o, const char *config_lang);

/*
 * outopt_parse: option c with argument arg, if it is one of OUTOPT_LONG.
 * Returns 1 when it took it, 0 when c is another option, -1 on a bad value
 * with the message in err (e.g. "--csv-sep must be ',' or ';', not '|'").
 */
int outopt_parse(struct outopt *o, int c, const char *arg, char *err, size_t errlen);

#endif
