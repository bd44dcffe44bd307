/* html.c: one escape, one style sheet and one page skeleton for every HTML output. */
#include "html.h"

#include <stdarg.h>
#include <string.h>

#include "text.h"

/* One style for the report and the cross-check. Tables scroll inside their
 * own box and charts scale to the column, so a phone never scrolls sideways. */
static const char CSS[] =
    "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px auto;padding:0 16px;color:#222;"
    "max-width:1150px;overflow-wrap:break-word}"
    "@media (max-width:600px){body{padding:0 8px;margin:8px auto}}"
    "h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #1f77b4;padding-bottom:4px;"
    "margin-top:32px}h3{font-size:15px}"
    "table{border-collapse:collapse;margin:8px 0 16px;font-size:13px;display:block;"
    "overflow-x:auto;max-width:100%}"
    "th,td{border:1px solid #ccc;padding:3px 8px;vertical-align:top}"
    "th{background:#eef3f8;text-align:left}"
    "td.n{text-align:right;white-space:nowrap}td.na{color:#999;text-align:right}"
    "td.ap{text-align:right;color:#8a5a00}.meta,.legend{color:#555;font-size:13px}"
    "ul.notes{color:#8a5a00;font-size:13px}small{color:#555}"
    ".ok{background:#e3f4e3}.over{background:#fbe0e0}.under{background:#e0ebfb}"
    ".unv{background:#f4f0dc}.info{background:#f4f4f4}"
    "nav.toc{font-size:14px;background:#f7f9fb;border:1px solid #dde5ee;padding:4px 12px}"
    "nav.toc ol{margin:4px 0;padding-left:20px}"
    "figure.chart{margin:12px 0 20px}figure.chart figcaption{font-weight:bold;font-size:14px}"
    "figure.chart svg{display:block;width:100%;height:auto}"
    "svg text{font-family:'DejaVu Sans',Arial,sans-serif;font-size:12px}"
    "ul.lg{list-style:none;padding:0;margin:4px 0;font-size:13px}"
    "ul.lg li{display:inline-block;margin:2px 14px 2px 0}"
    "ul.lg i{display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:-1px}"
    /* the first column stays in view while a wide table scrolls */
    "tr>:first-child{position:sticky;left:0;z-index:1;background:#fff}"
    "tr>th:first-child{background:#eef3f8}"
    /* headline figures, their direction and the period's news */
    ".glance{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px;"
    "margin:8px 0}.kpi{border:1px solid #dde5ee;border-radius:6px;padding:6px 10px;"
    "background:#f7f9fb}.kpi .k{font-size:13px;color:#444}.kpi .v{font-size:22px;"
    "font-weight:bold}.kpi .d{font-size:13px}"
    ".up{color:#137333}.down{color:#c5221f}.flat{color:#555}"
    "ul.news{padding-left:20px;margin:6px 0 14px;font-size:14px}ul.news li{margin:2px 0}"
    "li.bad{color:#c5221f}li.good{color:#137333}li.alert{color:#8a5a00;font-weight:bold}"
    "td.sub{padding-left:24px}td.txt{min-width:200px;max-width:460px}tr.top td{font-weight:bold}"
    "table.sortable th{white-space:nowrap}"
    /* the network's table: its long figure names wrap in their heads, a community's name
     * keeps a readable width instead of one word a line (a review saw it cut at 1300 px) */
    "table.overview th{white-space:normal;overflow-wrap:normal;min-width:5em;max-width:10em;"
    "vertical-align:bottom}"
    "table.overview td:first-child{min-width:14em;max-width:28em}"
    "table.heat td{min-width:24px;text-align:center;font-size:12px;padding:2px 3px}"
    "details{margin:8px 0}summary{cursor:pointer;color:#1f4f8a}"
    "details.legend li{font-size:13px;margin:3px 0}"
    /* a phone's chart text: the 600-unit charts shrink to about 370 px there */
    "@media (max-width:600px){figure.phone svg text{font-size:17px}.kpi .v{font-size:19px}}";

void html_esc(FILE *out, const char *s)
{
    static const char special[] = "&<>\"'";
    static const char *const entity[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
    for (; s && *s; s++) {
        const char *p = strchr(special, *s);
        if (p)
            fputs(entity[p - special], out);
        else
            fputc(*s, out);
    }
}

void html_escf(FILE *out, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    text_vprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    html_esc(out, buf);
}

void html_page_open(FILE *out, enum lang lang, const char *title)
{
    fprintf(out,
            "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
            lang_code(lang));
    html_esc(out, title);
    fprintf(out, "</title><style>%s</style></head><body>\n<h1>", CSS);
    html_esc(out, title);
    fputs("</h1>\n", out);
}

void html_toc(FILE *out, const char *toc_title, const struct html_toc *e, size_t n)
{
    fputs("<nav class=\"toc\"><b>", out);
    html_esc(out, toc_title);
    fputs("</b><ol>", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "<li><a href=\"#%s\">", e[i].id);
        html_esc(out, e[i].title);
        fputs("</a></li>", out);
    }
    fputs("</ol></nav>\n", out);
}

void html_h2(FILE *out, const char *id, const char *title)
{
    if (id)
        fprintf(out, "<h2 id=\"%s\">", id);
    else
        fputs("<h2>", out);
    html_esc(out, title);
    fputs("</h2>\n", out);
}

void html_page_close(FILE *out)
{
    fputs("</body></html>\n", out);
}
