/* csvfile.c: CSV exports read with libcsv after decoding to UTF-8 with iconv. */
#include "csvfile.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "infile.h"
#include "text.h"

/* ---- reading and decoding ------------------------------------------------- */

static int read_all(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
    int rc = infile_read(path, "CSV file", CSVFILE_MAX_BYTES, buf, len, err, errlen);
    if (rc == VKP_ETOOBIG)
        snprintf(err, errlen, "'%s' is over %u MiB: is it really the survey export?", path,
                 CSVFILE_MAX_BYTES >> 20);
    return rc;
}

static int from_cp1251(const char *in, size_t len, char **out, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", "CP1251");
    size_t cap = len * 3 + 1, left = cap - 1;
    char *buf, *o;
    char *i = (char *)in;
    size_t ileft = len;

    if (cd == (iconv_t)-1)
        return VKP_ENOMEM;
    buf = o = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        return VKP_ENOMEM;
    }
    /* Every CP1251 byte has a UTF-8 form of at most 3 bytes (0x98 is unmapped). */
    if (iconv(cd, &i, &ileft, &o, &left) == (size_t)-1) {
        iconv_close(cd);
        free(buf);
        return VKP_EPARSE;
    }
    iconv_close(cd);
    *o = '\0';
    *out = buf;
    *outlen = (size_t)(o - buf);
    return 0;
}

/*
 * Whether bytes that are not all valid UTF-8 are still a UTF-8 text with a few stray
 * bytes: its valid multi-byte characters outnumber the invalid bytes ten to one.
 * Windows-1251 Cyrillic is the other way round: nearly every letter is an invalid byte.
 */
static int mostly_utf8(const char *s, size_t n)
{
    size_t valid = 0, invalid = 0;
    for (size_t i = 0; i < n;) {
        size_t ok = text_utf8_check(s + i, n - i);
        for (size_t k = i; k < i + ok; k++)
            valid += ((unsigned char)s[k] & 0xC0) == 0xC0; /* lead bytes of valid sequences */
        if (i + ok >= n)
            break;
        invalid++;
        i += ok + 1;
    }
    return valid >= 10 * invalid;
}

/* Turns the raw bytes into UTF-8 without a BOM; *text is raw itself or a new buffer. */
static int decode(const char *path, const char *encoding, char *raw, size_t len, char **text,
                  size_t *tlen, const char **used, char *err, size_t errlen)
{
    const unsigned char *u = (const unsigned char *)raw;

    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        snprintf(err, errlen,
                 "'%s' is UTF-16 (Excel \"Unicode text\"): save it as \"CSV UTF-8\" or \"CSV "
                 "(разделители - запятые)\"",
                 path);
        return VKP_EPARSE;
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        memmove(raw, raw + 3, len - 2);
        len -= 3;
        if (strcmp(encoding, "windows-1251") != 0)
            encoding = "utf-8";
    }
    size_t bad = text_utf8_check(raw, len);
    /* A UTF-8 file with a stray byte (a cell pasted from elsewhere) is still UTF-8: read
     * as Windows-1251 it would turn every Cyrillic letter into two wrong ones. */
    int stray = bad < len && strcmp(encoding, "auto") == 0 && mostly_utf8(raw, len);
    if (strcmp(encoding, "utf-8") == 0 || stray || (strcmp(encoding, "auto") == 0 && bad == len)) {
        if (bad < len) {
            int line, col;
            text_position(raw, bad, &line, &col);
            snprintf(err, errlen,
                     "%s:%d: not valid UTF-8 at column %d (byte 0x%02x, offset %zu of the file)%s",
                     path, line, col, (unsigned char)raw[bad], bad,
                     stray ? "; the rest of the file is UTF-8: fix that character (or set [survey] "
                             "encoding = windows-1251 if the whole file is)"
                           : "; set [survey] encoding = windows-1251 (or auto) if the file came "
                             "from Excel");
            return VKP_EPARSE;
        }
        *text = raw;
        *tlen = len;
        *used = "utf-8";
        return 0;
    }
    int rc = from_cp1251(raw, len, text, tlen);
    if (rc == VKP_EPARSE)
        snprintf(err, errlen, "'%s' is neither UTF-8 nor Windows-1251", path);
    *used = "windows-1251";
    return rc;
}

/* The number of fields of the record at s[*off..n) split at d (quotes respected, as
 * libcsv reads them); *off moves past the record. 0 for an empty line. */
static size_t record_fields(const char *s, size_t n, size_t *off, char d)
{
    size_t i = *off, fields = 1;
    int quoted = 0, start = 1, empty = 1;

    for (; i < n; i++) {
        char c = s[i];
        if (quoted) {
            if (c == '"' && i + 1 < n && s[i + 1] == '"')
                i++;
            else if (c == '"')
                quoted = 0;
            continue;
        }
        if (c == '\n')
            break;
        if (c != '\r')
            empty = 0;
        if (c == '"' && start) {
            quoted = 1;
        } else if (c == d) {
            fields++;
            start = 1;
            continue;
        }
        start = c == ' ' && start;
    }
    *off = i < n ? i + 1 : n;
    return empty ? 0 : fields;
}

/*
 * The separator: the one of , ; TAB that splits the rows into as many cells as the
 * header (of the first SNIFF_ROWS rows). Counting separators in the header alone
 * fails on a file Excel saved with ';': its question texts hold bare commas. Ties
 * (a file of one column, or of only a header) go to the most frequent in the header.
 */
#define SNIFF_ROWS 200
static char sniff_delimiter(const char *s, size_t n)
{
    static const char cand[3] = {',', ';', '\t'};
    size_t head[3] = {0}, agree[3] = {0};
    int best = 0;

    for (int k = 0; k < 3; k++) {
        size_t off = 0, rows = 0, f;
        while (off < n && !(head[k] = record_fields(s, n, &off, cand[k])))
            ;
        while (off < n && rows < SNIFF_ROWS) {
            if ((f = record_fields(s, n, &off, cand[k])) == 0)
                continue;
            rows++;
            agree[k] += head[k] > 1 && f == head[k];
        }
    }
    for (int k = 1; k < 3; k++)
        if (agree[k] > agree[best] || (agree[k] == agree[best] && head[k] > head[best]))
            best = k;
    if (agree[best] > 0)
        return cand[best];
    /* Nothing to compare with: the most frequent in the header, commas on a tie. */
    if (head[1] > head[0] && head[1] >= head[2])
        return ';';
    if (head[2] > head[0] && head[2] > head[1])
        return '\t';
    return ',';
}

/* ---- libcsv callbacks ------------------------------------------------------ */

struct builder {
    struct csvfile *f;
    struct csvfile_row cur; /* the record being filled */
    size_t cap_rows;        /* allocated rows of f */
    size_t cap_cells;       /* allocated cells of cur */
    int line;               /* file line being fed */
    int next_line;          /* where the record after the last complete one starts, at most */
    int failed;             /* out of memory in a callback */
    int nul_line;           /* line of the first NUL byte in a cell, 0 for none */
    size_t nul_row;         /* its row (1-based, as rows are numbered) */
    size_t nul_col;         /* its column (0-based) */
};

static char *trimmed_dup(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static void on_field(void *data, size_t len, void *ud)
{
    struct builder *b = ud;
    const char *s = data ? data : "";

    if (b->failed)
        return;
    if (b->cur.ncells == 0) {
        /* The record began as many lines up as this first cell has line breaks. */
        int nl = 0;
        for (size_t i = 0; i < len; i++)
            nl += s[i] == '\n';
        b->cur.line = b->line - nl;
    }
    if (text_grow((void **)&b->cur.cells, &b->cap_cells, b->cur.ncells + 1, sizeof *b->cur.cells) !=
        0) {
        b->failed = 1;
        return;
    }
    /* A NUL would end the cell's string there and silently drop the rest. */
    const char *nul = memchr(s, '\0', len);
    if (nul && !b->nul_line) {
        int after = 0;
        for (const char *p = nul; p < s + len; p++)
            after += *p == '\n';
        b->nul_line = b->line - after;
        b->nul_row = b->f->nrows + 1;
        b->nul_col = b->cur.ncells;
    }
    char *cell = trimmed_dup(s, len);
    if (!cell) {
        b->failed = 1;
        return;
    }
    b->cur.cells[b->cur.ncells++] = cell;
}

static void drop_cells(struct csvfile_row *r)
{
    for (size_t i = 0; i < r->ncells; i++)
        free(r->cells[i]);
    free(r->cells);
    r->cells = NULL;
    r->ncells = 0;
}

static void on_record(int c, void *ud)
{
    struct builder *b = ud;
    int empty = 1;

    (void)c;
    b->next_line = b->line + 1;
    for (size_t i = 0; i < b->cur.ncells; i++)
        if (b->cur.cells[i][0])
            empty = 0;
    if (b->failed || empty) {
        drop_cells(&b->cur);
        b->cap_cells = 0;
        return;
    }
    if (text_grow((void **)&b->f->rows, &b->cap_rows, b->f->nrows + 1, sizeof *b->f->rows) != 0) {
        b->failed = 1;
        drop_cells(&b->cur);
        b->cap_cells = 0;
        return;
    }
    b->f->rows[b->f->nrows++] = b->cur;
    memset(&b->cur, 0, sizeof b->cur);
    b->cap_cells = 0;
}

/* ---- public ---------------------------------------------------------------- */

int csvfile_read(const char *path, const char *encoding, const char *delimiter, struct csvfile *out,
                 char *err, size_t errlen)
{
    struct csv_parser p;
    struct builder b;
    char *raw = NULL, *text = NULL;
    size_t len = 0, tlen = 0;
    int rc, parser = 0;

    memset(out, 0, sizeof *out);
    memset(&b, 0, sizeof b);
    b.next_line = 1;
    if ((rc = read_all(path, &raw, &len, err, errlen)) != 0)
        return rc;
    if ((rc = decode(path, encoding, raw, len, &text, &tlen, &out->encoding, err, errlen)) != 0)
        goto fail;
    if (strcmp(delimiter, "comma") == 0)
        out->delimiter = ',';
    else if (strcmp(delimiter, "semicolon") == 0)
        out->delimiter = ';';
    else if (strcmp(delimiter, "tab") == 0)
        out->delimiter = '\t';
    else
        out->delimiter = sniff_delimiter(text, tlen);
    rc = VKP_ENOMEM;
    if (csv_init(&p, CSV_APPEND_NULL) != 0)
        goto fail;
    parser = 1;
    csv_set_delim(&p, (unsigned char)out->delimiter);
    b.f = out;
    /* Fed a line at a time, so every record knows the line it starts on. */
    for (size_t off = 0; off < tlen;) {
        const char *nl = memchr(text + off, '\n', tlen - off);
        size_t n = nl ? (size_t)(nl - (text + off)) + 1 : tlen - off;
        b.line++;
        if (csv_parse(&p, text + off, n, on_field, on_record, &b) != n) {
            snprintf(err, errlen, "%s:%d: %s", path, b.line, csv_strerror(csv_error(&p)));
            rc = VKP_EPARSE;
            goto fail;
        }
        if (b.failed)
            goto fail;
        off += n;
    }
    /* libcsv's own check needs CSV_STRICT, which would also refuse the stray
     * quotes hand-made files have; its state says as much: a quoted field begun
     * (pstate 2, FIELD_BEGUN) and never closed. */
    if (p.quoted && p.pstate == 2) {
        snprintf(err, errlen,
                 "%s: a quoted cell of the row that starts on line %d is never closed (a '\"' "
                 "is missing)",
                 path, b.cur.ncells ? b.cur.line : b.next_line);
        rc = VKP_EPARSE;
        goto fail;
    }
    if (csv_fini(&p, on_field, on_record, &b) != 0) {
        snprintf(err, errlen, "%s: %s", path, csv_strerror(csv_error(&p)));
        rc = VKP_EPARSE;
        goto fail;
    }
    if (b.failed)
        goto fail;
    if (b.nul_line) {
        char letters[16];
        snprintf(err, errlen,
                 "%s:%d: row %zu, column %s holds a NUL byte: is it a text file? (save it again "
                 "as CSV)",
                 path, b.nul_line, b.nul_row,
                 csvfile_column_name(b.nul_col, letters, sizeof letters));
        rc = VKP_EPARSE;
        goto fail;
    }
    csv_free(&p);
    if (text != raw)
        free(text);
    free(raw);
    return 0;
fail:
    if (rc == VKP_ENOMEM)
        snprintf(err, errlen, "%s: out of memory", path);
    if (parser)
        csv_free(&p);
    drop_cells(&b.cur);
    if (text != raw)
        free(text);
    free(raw);
    csvfile_release(out);
    return rc;
}

void csvfile_release(struct csvfile *f)
{
    for (size_t i = 0; i < f->nrows; i++)
        drop_cells(&f->rows[i]);
    free(f->rows);
    f->rows = NULL;
    f->nrows = 0;
}

const char *csvfile_cell(const struct csvfile_row *r, size_t col)
{
    return col < r->ncells ? r->cells[col] : "";
}

const char *csvfile_column_name(size_t col, char *buf, size_t len)
{
    char tmp[16];
    size_t n = 0;

    col++;
    while (col && n < sizeof tmp) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    size_t i = 0;
    for (; i < n && i + 1 < len; i++)
        buf[i] = tmp[n - 1 - i];
    if (len)
        buf[i] = '\0';
    return buf;
}
