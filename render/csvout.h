/* csvout.h: the one CSV writer: BOM, separator, RFC 4180 quoting, CRLF, numbers. */
#ifndef VKP_CSVOUT_H
#define VKP_CSVOUT_H

#include <stdio.h>

/* A CSV being written. */
struct csv_writer {
    FILE *out; /* destination */
    char sep;  /* ',' or ';' */
};

/*
 * csv_begin: starts a file: the UTF-8 BOM (so Excel reads it as UTF-8).
 * sep is ',' or ';' (anything else counts as ',').
 */
void csv_begin(struct csv_writer *w, FILE *out, char sep);

/* csv_field: one field, quoted when it holds the separator, a quote, a line
 * break or edge spaces; last ends the row with CRLF. */
void csv_field(struct csv_writer *w, const char *s, int last);

/* csv_number: v with up to 10 significant digits; with ';' a decimal comma
 * (what Excel in Russian expects), with ',' a point. */
void csv_number(struct csv_writer *w, double v, int last);

/* csv_int: a whole number. */
void csv_int(struct csv_writer *w, long long v, int last);

/* csv_number_text: what csv_number writes, into buf (for an empty-or-number cell). */
void csv_number_text(const struct csv_writer *w, double v, char *buf, size_t len);

/* csv_sep_parse: "," or ";" into *out. Returns 0, or -1 for anything else. */
int csv_sep_parse(const char *s, char *out);

#endif
