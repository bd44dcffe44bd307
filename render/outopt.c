/* outopt.c: --format, --lang, --output and --csv-sep for report and crosscheck alike. */
#include "outopt.h"

#include <stdio.h>
#include <string.h>

#include "csvout.h"

int render_format_parse(const char *name, enum render_format *out)
{
    static const char *const names[] = {"text", "csv", "json", "html", "xlsx"};
    for (int i = 0; i < 5; i++) {
        if (strcmp(names[i], name) == 0) {
            *out = (enum render_format)i;
            return 0;
        }
    }
    return -1;
}

void outopt_init(struct outopt *o, const char *config_lang)
{
    memset(o, 0, sizeof *o);
    o->format = RENDER_TEXT;
    o->lang = lang_default(config_lang);
    o->csv_sep = ',';
}

int outopt_parse(struct outopt *o, int c, const char *arg, char *err, size_t errlen)
{
    switch (c) {
    case 'f':
        if (render_format_parse(arg, &o->format) != 0)
            return snprintf(err, errlen, "--format must be text, csv, json, html or xlsx, not '%s'",
                            arg),
                   -1;
        o->format_set = 1;
        return 1;
    case 'l':
        if (lang_parse(arg, &o->lang) != 0)
            return snprintf(err, errlen, "--lang must be ru or en, not '%s'", arg), -1;
        o->lang_set = 1;
        return 1;
    case 'o':
        o->output = arg;
        return 1;
    case 's':
        if (csv_sep_parse(arg, &o->csv_sep) != 0)
            return snprintf(err, errlen, "--csv-sep must be ',' or ';', not '%s'", arg), -1;
        return 1;
    case 'S': /* the older spelling of --csv-sep ';', kept for scripts */
        o->csv_sep = ';';
        return 1;
    default:
        return 0;
    }
}
