/* csvfile.h: a whole CSV file as rows of UTF-8 cells: encoding, separator and quoted lines worked
 * out. */
#ifndef VKP_CSVFILE_H
#define VKP_CSVFILE_H

#include <stddef.h>

/*
 * Spreadsheet exports come in many shapes: Google and Yandex Forms write
 * UTF-8 with commas, Excel's "CSV (разделители - запятые)" writes
 * Windows-1251 with semicolons, and answers hold commas, quotes and line
 * breaks inside quoted cells. csvfile reads any of them into rows of
 * UTF-8 cells (via libcsv and iconv), keeping for each row the file line it
 * starts on, so that messages can name both the spreadsheet row and the
 * line.
 */

/* Largest file csvfile_read accepts. */
#define CSVFILE_MAX_BYTES (64u << 20)

/* One record. */
struct csvfile_row {
    char **cells;  /* UTF-8, NUL-terminated, trimmed of surrounding spaces; never NULL */
    size_t ncells; /* may differ from row to row */
    int line;      /* 1-based file line where the record starts */
};

/* A read file. Rows are numbered from 1 as a spreadsheet shows them:
 * rows[0] is row 1 (the header, when there is one). */
struct csvfile {
    struct csvfile_row *rows; /* every non-empty record, in file order */
    size_t nrows;             /* how many */
    const char *encoding;     /* "utf-8" or "windows-1251": what the file was read as */
    char delimiter;           /* ',', ';' or '\t' */
};

/*
 * csvfile_read: reads path whole. encoding is "auto" (a UTF-8 BOM or valid
 * UTF-8 means UTF-8, anything else is taken as Windows-1251), "utf-8" or
 * "windows-1251"; delimiter is "auto" (the most frequent of , ; TAB outside
 * quotes in the first record), "comma", "semicolon" or "tab". Records whose
 * cells are all empty are dropped. Returns 0 and fills *out (release with
 * csvfile_release), or a negative vkp error with a message naming the file
 * (and line) in err: VKP_EIO (cannot read), VKP_ETOOBIG (over
 * CSVFILE_MAX_BYTES), VKP_EPARSE (UTF-16, not UTF-8 when told so, an
 * unterminated quote), VKP_ENOMEM.
 */
int csvfile_read(const char *path, const char *encoding, const char *delimiter, struct csvfile *out,
                 char *err, size_t errlen);

/* csvfile_release: frees the rows; the struct may be read into again. */
void csvfile_release(struct csvfile *f);

/* csvfile_cell: the cell at col of row r, or "" past the row's end. */
const char *csvfile_cell(const struct csvfile_row *r, size_t col);

/* csvfile_column_name: the spreadsheet letters of 0-based column col ("A", "Z", "AA") into buf. */
const char *csvfile_column_name(size_t col, char *buf, size_t len);

#endif
