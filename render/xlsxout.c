/* xlsxout.c: XLSX through libxlsxwriter, in the render kit's conventions. */
#include "xlsxout.h"

#include <stdio.h>
#include <stdlib.h>
#include <xlsxwriter.h>

#include "err.h"
#include "fmt.h"
#include "text.h"
#include "week.h"

struct xlsx_book {
    lxw_workbook *wb;  /* the workbook */
    lxw_worksheet *ws; /* the sheet cells go to */
    lxw_format *head;  /* header: bold */
    lxw_format *count; /* whole numbers, grouped */
    lxw_format *share; /* percentages */
    lxw_format *time;  /* local date and time */
    lxw_format *delta; /* signed whole numbers */
    lxw_format *tenth; /* a mean of counts below 10: one decimal */
    lxw_format *pp;    /* percentage points, made at the first use (its unit is words) */
    lxw_error failed;  /* the first error, LXW_NO_ERROR while none */
};

struct xlsx_book *xlsx_open(const char *path)
{
    struct xlsx_book *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    if (!(b->wb = workbook_new(path))) {
        free(b);
        return NULL;
    }
    b->head = workbook_add_format(b->wb);
    b->count = workbook_add_format(b->wb);
    b->share = workbook_add_format(b->wb);
    b->time = workbook_add_format(b->wb);
    b->delta = workbook_add_format(b->wb);
    b->tenth = workbook_add_format(b->wb);
    format_set_num_format(b->tenth, "#,##0.0");
    format_set_bold(b->head);
    format_set_num_format(b->delta, "+#,##0;-#,##0;0");
    format_set_num_format(b->count, "#,##0");
    format_set_num_format(b->share, "0.00%");
    format_set_num_format(b->time, "yyyy-mm-dd hh:mm");
    return b;
}

static void note(struct xlsx_book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->failed == LXW_NO_ERROR)
        b->failed = e;
}

int xlsx_sheet(struct xlsx_book *b, const char *name, const struct xlsx_col *cols, size_t ncols)
{
    if (!(b->ws = workbook_add_worksheet(b->wb, name)))
        return VKP_ENOMEM;
    for (size_t i = 0; i < ncols; i++) {
        note(b, worksheet_write_string(b->ws, 0, (lxw_col_t)i, cols[i].key, b->head));
        note(b, worksheet_set_column(b->ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].width, NULL));
    }
    worksheet_freeze_panes(b->ws, 1, 0);
    return 0;
}

void xlsx_text(struct xlsx_book *b, int row, int col, const char *s)
{
    note(b, worksheet_write_string(b->ws, (lxw_row_t)row, (lxw_col_t)col, s ? s : "", NULL));
}

void xlsx_count(struct xlsx_book *b, int row, int col, double v)
{
    note(b, worksheet_write_number(b->ws, (lxw_row_t)row, (lxw_col_t)col, v, b->count));
}

void xlsx_share(struct xlsx_book *b, int row, int col, double v)
{
    note(b, worksheet_write_number(b->ws, (lxw_row_t)row, (lxw_col_t)col, v, b->share));
}

void xlsx_mean(struct xlsx_book *b, int row, int col, double v)
{
    note(b, worksheet_write_number(b->ws, (lxw_row_t)row, (lxw_col_t)col, v,
                                   fmt_mean_decimals(v) ? b->tenth : b->count));
}

void xlsx_change(struct xlsx_book *b, int row, int col, double v)
{
    note(b, worksheet_write_number(b->ws, (lxw_row_t)row, (lxw_col_t)col, v, b->delta));
}

void xlsx_points(struct xlsx_book *b, int row, int col, double points, const char *unit)
{
    if (!b->pp) {
        char f[96];
        snprintf(f, sizeof f, "+0.0\" %s\";-0.0\" %s\";0.0\" %s\"", unit, unit, unit);
        b->pp = workbook_add_format(b->wb);
        format_set_num_format(b->pp, f);
    }
    note(b, worksheet_write_number(b->ws, (lxw_row_t)row, (lxw_col_t)col, points, b->pp));
}

void xlsx_time(struct xlsx_book *b, int row, int col, int64_t t)
{
    char buf[32];
    lxw_datetime dt;
    int y, mo, d, h, mi, s;

    week_local(t, "%Y %m %d %H %M %S", buf, sizeof buf);
    if (sscanf(buf, "%d %d %d %d %d %d", &y, &mo, &d, &h, &mi, &s) != 6)
        return;
    dt = (lxw_datetime){.year = y, .month = mo, .day = d, .hour = h, .min = mi, .sec = s};
    note(b, worksheet_write_datetime(b->ws, (lxw_row_t)row, (lxw_col_t)col, &dt, b->time));
}

int xlsx_close(struct xlsx_book *b, char *err, size_t errlen)
{
    lxw_error e;
    if (!b)
        return 0;
    e = workbook_close(b->wb);
    if (b->failed != LXW_NO_ERROR)
        e = b->failed;
    free(b);
    if (e != LXW_NO_ERROR) {
        text_copy(err, errlen, lxw_strerror(e));
        return VKP_EIO;
    }
    return 0;
}
