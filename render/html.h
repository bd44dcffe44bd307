/* html.h: the HTML page kit of the report and the cross-check: escaping, one style, one skeleton.
 */
#ifndef VKP_HTML_H
#define VKP_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "lang.h"

/* html_esc: s with & < > " ' escaped (NULL writes nothing). */
void html_esc(FILE *out, const char *s);

/* html_escf: formats, then escapes (for cells that mix labels and names; cut at 4 KiB). */
void html_escf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One entry of a page's table of contents: the anchor and its heading. */
struct html_toc {
    const char *id;    /* anchor id, [a-z0-9-] */
    const char *title; /* heading text (escaped when written) */
};

/*
 * html_page_open: doctype, <head> with the shared style (it fits a phone:
 * wide tables scroll inside themselves, charts scale), then <body> and an
 * <h1> of title. The page has no scripts, links or outside resources.
 */
void html_page_open(FILE *out, enum lang lang, const char *title);

/* html_toc: a <nav> list of n entries under the heading toc_title. */
void html_toc(FILE *out, const char *toc_title, const struct html_toc *e, size_t n);

/* html_h2: <h2 id="id">title</h2>; id may be NULL. */
void html_h2(FILE *out, const char *id, const char *title);

/* html_page_close: ends the body and the page. */
void html_page_close(FILE *out);

#endif
