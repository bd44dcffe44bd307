/* crosscheck_render.h: the cross-check as text, CSV, JSON or HTML, in Russian or English. */
#ifndef VKP_CROSSCHECK_RENDER_H
#define VKP_CROSSCHECK_RENDER_H

#include <stdint.h>
#include <stdio.h>

#include "lang.h"
#include "outopt.h"

struct crosscheck;

/* How to render. */
struct xc_render_options {
    enum render_format format; /* which (outopt.h, the report's formats) */
    enum lang lang;            /* of every label */
    char sep;                  /* CSV separator: ',' or ';' */
    int64_t generated_at;      /* when, for the envelope and the page; 0: now */
};

/* The JSON output's name and version (render kit's envelope, jsondoc.h);
 * docs/crosscheck.schema.json describes it. */
#define XC_JSON_SCHEMA "vkpulse-crosscheck"
#define XC_JSON_VERSION 2

/*
 * crosscheck_render: writes x to out.
 *   text  the region summary, the follow-up list, then every municipality;
 *   csv   one row per municipality and question (and community for Q13/Q16),
 *         UTF-8 with a BOM and CRLF; the header is stable English keys and
 *         coded columns hold codes, the *_label columns the words of lang;
 *   json  the whole result with stable English keys in the shared envelope;
 *   html  one self-contained page in the report's style, with charts.
 * Labels follow opt->lang; JSON keys and codes never change with it. Returns
 * 0, VKP_EIO when writing failed, or VKP_ENOMEM.
 */
int crosscheck_render(const struct crosscheck *x, const struct xc_render_options *opt, FILE *out);

#endif
