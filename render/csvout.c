/* csvout.c: CSV output for the report, the cross-check and the research export. */
#include "csvout.h"

#include <string.h>

void csv_begin(struct csv_writer *w, FILE *out, char sep)
{
    w->out = out;
    w->sep = sep == ';' ? ';' : ',';
    fputs("\xEF\xBB\xBF", out);
}

void csv_field(struct csv_writer *w, const char *s, int last)
{
    size_t n = strlen(s);
    int quote =
        strchr(s, w->sep) || strpbrk(s, "\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' '));
    if (quote) {
        fputc('"', w->out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', w->out);
            fputc(*s, w->out);
        }
        fputc('"', w->out);
    } else {
        fputs(s, w->out);
    }
    if (last)
        fputs("\r\n", w->out);
    else
        fputc(w->sep, w->out);
}

void csv_number_text(const struct csv_writer *w, double v, char *buf, size_t len)
{
    snprintf(buf, len, "%.10g", v);
    if (w->sep == ';') {
        char *p = strchr(buf, '.');
        if (p)
            *p = ',';
    }
}

void csv_number(struct csv_writer *w, double v, int last)
{
    char b[48];
    csv_number_text(w, v, b, sizeof b);
    csv_field(w, b, last);
}

void csv_int(struct csv_writer *w, long long v, int last)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", v);
    csv_field(w, b, last);
}

int csv_sep_parse(const char *s, char *out)
{
    if (strcmp(s, ",") != 0 && strcmp(s, ";") != 0)
        return -1;
    *out = s[0];
    return 0;
}
