/* xlsxout.h: the one XLSX writer (libxlsxwriter): sheets with a frozen header row of
 * stable keys, numbers stored as numbers, counts, percentages and local times formatted. */
#ifndef VKP_XLSXOUT_H
#define VKP_XLSXOUT_H

#include <stddef.h>
#include <stdint.h>

/* A workbook being written (opaque; xlsx_open / xlsx_close). */
struct xlsx_book;

/* A sheet's column: its stable key (the header) and its width in characters. */
struct xlsx_col {
    const char *key;
    double width;
};

/*
 * xlsx_open: a new workbook that xlsx_close will write to path (replacing
 * it). Returns NULL when out of memory.
 */
struct xlsx_book *xlsx_open(const char *path);

/*
 * xlsx_sheet: adds the sheet `name`, writes the header row (bold, frozen, with
 * an autofilter) and sets the column widths; later cells go to it. Returns 0
 * or VKP_ENOMEM.
 */
int xlsx_sheet(struct xlsx_book *b, const char *name, const struct xlsx_col *cols, size_t ncols);

/* Cells of the current sheet at (row, col); row 0 is the header, data starts at 1. */
void xlsx_text(struct xlsx_book *b, int row, int col, const char *s);
void xlsx_count(struct xlsx_book *b, int row, int col, double v); /* "#,##0" */
void xlsx_share(struct xlsx_book *b, int row, int col, double v); /* 0.059 as "5.90%" */
void xlsx_time(struct xlsx_book *b, int row, int col, int64_t t); /* local "yyyy-mm-dd hh:mm" */
/* xlsx_mean: a mean of counts as fmt_mean shows it: "#,##0", or "#,##0.0" below 10. */
void xlsx_mean(struct xlsx_book *b, int row, int col, double v);
/* xlsx_change: a signed change of a count, "+1,234" / "-56" / "0". */
void xlsx_change(struct xlsx_book *b, int row, int col, double v);
/* xlsx_points: a change of a share in percentage points, the number in points (23.3 for
 * 10 % → 33.3 %) shown "+23.3 pp" with the language's unit ("pp", "п.п."). */
void xlsx_points(struct xlsx_book *b, int row, int col, double points, const char *unit);

/* xlsx_close: writes the file and frees b. 0, or VKP_EIO with libxlsxwriter's words in err. */
int xlsx_close(struct xlsx_book *b, char *err, size_t errlen);

#endif
