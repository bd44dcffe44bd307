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
    const char *timezone;      /* the region's zone, named beside the window's dates */
    const char *salt;          /* key of the evidence authors' pseudonyms (xc_pseudonym) */
    int salted;                /* salt is [survey] pseudonym_salt: the export's pseudonyms */
};

/* The JSON output's name and version (render kit's envelope, jsondoc.h);
 * docs/crosscheck.schema.json describes it. */
#define XC_JSON_SCHEMA "vkpulse-crosscheck"
#define XC_JSON_VERSION 3
/* The panel of survey years (crosscheck_render_panel); docs/crosscheck-panel.schema.json. */
#define XC_PANEL_SCHEMA "vkpulse-crosscheck-panel"
#define XC_PANEL_VERSION 1

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

/*
 * crosscheck_render_panel: survey years side by side, xs[0..n) in ascending
 * year order, each the single-year cross-check of its year: per
 * municipality and question each year's claim, observed level, verdict and
 * what changed from the year before, in opt->format. Same returns.
 */
int crosscheck_render_panel(const struct crosscheck *const *xs, size_t n,
                            const struct xc_render_options *opt, FILE *out);

#endif
