/* svg.c: the chart primitives shared by the report and the cross-check. */
#include "svg.h"

#include <math.h>

#include "fmt.h"
#include "html.h"

static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                      "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

const char *svg_color(size_t i)
{
    return palette[i % (sizeof palette / sizeof palette[0])];
}

/* The round step nearest above raw: 1, 2 or 5 times a power of ten. */
static double nice_step(double raw)
{
    double p = pow(10, floor(log10(raw))), f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

void svg_nice_axis(double lo, double hi, int ticks, int whole, struct svg_axis *ax)
{
    double range = hi - lo;
    if (!(range > 0))
        range = fabs(hi) > 0 ? fabs(hi) : 1;
    ax->step = nice_step(range / (ticks > 0 ? ticks : 4));
    if (whole && ax->step < 1)
        ax->step = 1;
    ax->lo = floor(lo / ax->step) * ax->step;
    ax->hi = ceil(hi / ax->step) * ax->step;
    if (ax->hi <= ax->lo)
        ax->hi = ax->lo + ax->step;
    ax->decimals = ax->step >= 1 ? 0 : (int)ceil(-log10(ax->step) - 1e-9);
}

double svg_y(const struct svg_frame *f, const struct svg_axis *ax, double v)
{
    double plot = f->h - f->top - f->bottom;
    return f->h - f->bottom - plot * (v - ax->lo) / (ax->hi - ax->lo);
}

void svg_open(FILE *out, const char *title, const struct svg_frame *f)
{
    svg_open_as(out, "chart", title, f);
}

void svg_open_as(FILE *out, const char *cls, const char *title, const struct svg_frame *f)
{
    fprintf(out, "<figure class=\"%s\"><figcaption>", cls);
    html_esc(out, title);
    fprintf(out,
            "</figcaption><svg viewBox=\"0 0 %d %d\" "
            "width=\"100%%\" style=\"max-width:%dpx\" preserveAspectRatio=\"xMinYMin meet\" "
            "role=\"img\" aria-label=\"",
            f->w, f->h, f->w);
    html_esc(out, title);
    fprintf(out, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", f->w, f->h);
}

void svg_text(FILE *out, double x, double y, const char *anchor, const char *attrs, const char *s)
{
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y, anchor,
            attrs[0] ? " " : "", attrs);
    html_esc(out, s);
    fputs("</text>", out);
}

void svg_y_axis(FILE *out, enum lang lang, const struct svg_frame *f, const struct svg_axis *ax,
                const char *unit)
{
    char v[48];
    int n = (int)lround((ax->hi - ax->lo) / ax->step);
    for (int t = 0; t <= n; t++) {
        double val = ax->lo + ax->step * t, y = svg_y(f, ax, val);
        fprintf(out, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", f->left,
                f->w - f->right, y, y, fabs(val) < ax->step / 2 ? "#888" : "#ddd");
        fmt_number(lang, val, ax->decimals, v, sizeof v); /* "1 500", as the tables write it */
        svg_text(out, f->left - 6, y + 4, "end", "", v);
        fputc('\n', out);
    }
    if (unit && unit[0])
        svg_text(out, 4, f->top - 18, "start", "fill=\"#555\"", unit);
    fputc('\n', out);
}

void svg_legend_begin(FILE *out)
{
    fputs("</svg><ul class=\"lg\">", out);
}

void svg_legend(FILE *out, const char *name, const char *color)
{
    fprintf(out, "<li><i style=\"background:%s\"></i>", color);
    html_esc(out, name);
    fputs("</li>", out);
}

void svg_close(FILE *out)
{
    fputs("</ul></figure>\n", out);
}
