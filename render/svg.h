/* svg.h: inline SVG charts that scale to any screen, with round axes and legends under them. */
#ifndef VKP_SVG_H
#define VKP_SVG_H

#include <stddef.h>
#include <stdio.h>

#include "lang.h"

/* svg_color: the i-th colour of the one palette (it repeats after eight). */
const char *svg_color(size_t i);

/* A value scale: from lo to hi in steps of 1, 2 or 5 x 10^k. */
struct svg_axis {
    double lo, hi, step; /* the scale's ends and its tick step */
    int decimals;        /* digits a tick label needs */
};

/*
 * svg_nice_axis: the round scale covering lo..hi in about `ticks` steps
 * ("nice numbers": 0, 500, 1000, 1500, not 579, 1027, 1474); whole: the
 * values are counts, so a step is never below 1.
 */
void svg_nice_axis(double lo, double hi, int ticks, int whole, struct svg_axis *ax);

/* A chart's box in viewBox units and the plot area inside its margins. */
struct svg_frame {
    int w, h;                     /* the viewBox */
    int left, right, top, bottom; /* margins around the plot area */
};

/* svg_y: where value v stands on axis ax inside frame f. */
double svg_y(const struct svg_frame *f, const struct svg_axis *ax, double v);

/*
 * svg_open: a <figure> with title as its caption and an <svg> drawn in
 * f's viewBox at 100% of the column (never wider than f->w pixels).
 */
void svg_open(FILE *out, const char *title, const struct svg_frame *f);

/*
 * svg_open_as: svg_open with the figure's classes: "chart phone" charts are laid
 * out for text that grows to 17 units on a phone's screen (render/html.c), so
 * that it stays readable when the 600-unit chart shrinks to 370 px.
 */
void svg_open_as(FILE *out, const char *cls, const char *title, const struct svg_frame *f);

/* svg_y_axis: grid lines and tick labels of ax, the unit above them. */
void svg_y_axis(FILE *out, enum lang lang, const struct svg_frame *f, const struct svg_axis *ax,
                const char *unit);

/* svg_text: <text> at x, y with text-anchor (start, middle, end) and extra attributes (or ""). */
void svg_text(FILE *out, double x, double y, const char *anchor, const char *attrs, const char *s);

/*
 * The legend goes under the chart as HTML, so it wraps on a narrow screen
 * and never hides a name or a number: svg_legend_begin ends the <svg>,
 * svg_legend adds one entry, svg_close ends the figure.
 */
void svg_legend_begin(FILE *out);
void svg_legend(FILE *out, const char *name, const char *color);
void svg_close(FILE *out);

#endif
