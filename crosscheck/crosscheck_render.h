/* crosscheck_render.h: the cross-check as text, CSV, JSON or HTML, in Russian or English. */
#ifndef VKP_CROSSCHECK_RENDER_H
#define VKP_CROSSCHECK_RENDER_H

#include <stdio.h>

struct crosscheck;

/* Output formats. */
enum xc_format { XC_FORMAT_TEXT, XC_FORMAT_CSV, XC_FORMAT_JSON, XC_FORMAT_HTML };

/* How to render. */
struct xc_render_options {
    enum xc_format format; /* which */
    int en;                /* 1: English labels, 0: Russian */
    char sep;              /* CSV separator: ',' or ';' */
};

/* The version of the JSON output; docs/crosscheck.schema.json describes it. */
#define XC_JSON_SCHEMA "vkpulse-crosscheck/1"

/*
 * crosscheck_render: writes x to out.
 *   text  the region summary, the follow-up list, then every municipality;
 *   csv   one row per municipality and question (and community for Q13/Q16),
 *         UTF-8 with a BOM and CRLF so that Excel opens it as it is;
 *   json  the whole result with stable English keys (XC_JSON_SCHEMA);
 *   html  one self-contained page (inline style, no scripts or links).
 * Labels follow opt->en; JSON keys and codes never change with it. Returns
 * 0, VKP_EIO when writing failed, or VKP_ENOMEM.
 */
int crosscheck_render(const struct crosscheck *x, const struct xc_render_options *opt, FILE *out);

#endif
