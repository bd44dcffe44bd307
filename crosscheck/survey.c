/* survey.c: reads the survey export: finds its columns by wording, matches municipalities and
 * records each row's answers (the options themselves are in survey_answers.c). */
#include "survey.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "csvfile.h"
#include "err.h"
#include "muni.h"
#include "store_survey.h"
#include "survey_int.h"
#include "text.h"

/* ---- the parsed survey ----------------------------------------------------- */

struct survey {
    const char *path;                     /* as given, for messages */
    struct csvfile f;                     /* the file */
    size_t col[1 + SURVEY_NQ];            /* municipality, Q13, Q14, Q16, Q17 */
    struct survey_optset opts[SURVEY_NQ]; /* the options of each question */
    struct store_survey_answer *answers;  /* chosen options of the good rows */
    size_t nanswers, cap_answers;         /* used and allocated */
    char **strings;                       /* code and answer strings the answers point to */
    size_t nstrings, cap_strings;         /* used and allocated */
    char *errors[SURVEY_MAX_ERRORS];      /* the first row errors */
    size_t nerrors;                       /* all row errors */
    size_t nrows;                         /* good rows */
};

static char *keep(struct survey *sv, const char *s, size_t n)
{
    if (text_grow((void **)&sv->strings, &sv->cap_strings, sv->nstrings + 1, sizeof *sv->strings) !=
        0)
        return NULL;
    char *d = strndup(s, n);
    if (d)
        sv->strings[sv->nstrings++] = d;
    return d;
}

/* A text cut to 60 characters and "…" for a message. */
static const char *clip(const char *s, char *buf, size_t len)
{
    text_clip(buf, len, s, 61);
    return buf;
}

static int row_error(struct survey *sv, size_t r, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records "file: row R (line L), column C «header»: message". */
static int row_error(struct survey *sv, size_t r, size_t col, const char *fmt, ...)
{
    char msg[1024], letters[16], head[256];
    va_list ap;

    sv->nerrors++;
    if (sv->nerrors > SURVEY_MAX_ERRORS)
        return 0;
    va_start(ap, fmt);
    text_vprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    clip(csvfile_cell(&sv->f.rows[0], col), head, sizeof head);
    if (asprintf(&sv->errors[sv->nerrors - 1], "%s: row %zu (line %d), column %s «%s»: %s",
                 sv->path, r + 1, sv->f.rows[r].line,
                 csvfile_column_name(col, letters, sizeof letters), head, msg) < 0) {
        sv->errors[sv->nerrors - 1] = NULL;
        return VKP_ENOMEM;
    }
    return 0;
}

/* Once SURVEY_MAX_ERRORS messages are kept, later errors are only counted: the nearest
 * candidates (edit distances against every option or municipality) are not computed for
 * messages nobody will read, which made a file of 100,000 unknown rows take minutes. */
static int errors_full(struct survey *sv)
{
    if (sv->nerrors < SURVEY_MAX_ERRORS)
        return 0;
    sv->nerrors++;
    return 1;
}

static int add_answer(struct survey *sv, const char *muni, enum survey_q q,
                      const struct survey_option *o, const char *text, size_t n)
{
    for (size_t i = sv->nanswers; i-- > 0 && sv->answers[i].municipality == muni;)
        if (strcmp(sv->answers[i].code, o->code) == 0)
            return 0; /* the same option twice in one cell */
    if (text_grow((void **)&sv->answers, &sv->cap_answers, sv->nanswers + 1, sizeof *sv->answers) !=
        0)
        return VKP_ENOMEM;
    const char *code = keep(sv, o->code, strlen(o->code));
    const char *answer = keep(sv, text, n);
    if (!code || !answer)
        return VKP_ENOMEM;
    sv->answers[sv->nanswers++] =
        (struct store_survey_answer){.municipality = muni,
                                     .question = survey_question_number(q),
                                     .code = code,
                                     .answer = answer};
    return 0;
}

/* ---- finding the columns ----------------------------------------------------- */

/* Skips a leading question number of a folded header: "13 в каких ..." → "в каких ...". */
static const char *skip_number(const char *f)
{
    const char *p = f;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p != f && *p == ' ')
        return p + 1;
    return f;
}

/*
 * How well a folded header fits one wording alternative: its fragments
 * (separated by "..." or "…") must appear in order. One fragment equal to
 * the header scores 3, at its start 2, inside it 1; 0 when it does not fit.
 */
static int fit(const char *header, const char *alt, size_t altlen)
{
    char buf[1024], *frag[16];
    size_t nf = 0;
    int score = 0;

    if (altlen >= sizeof buf)
        altlen = sizeof buf - 1;
    memcpy(buf, alt, altlen);
    buf[altlen] = '\0';
    for (char *p = buf, *q; p && nf < 16; p = q) {
        char *dots = strstr(p, "..."), *ell = strstr(p, "…");
        q = dots && (!ell || dots < ell) ? dots : ell;
        if (q) {
            *q = '\0';
            q += q == dots ? 3 : strlen("…");
        }
        frag[nf++] = p;
    }
    const char *h = skip_number(header), *at = h;
    for (size_t i = 0; i < nf; i++) {
        char *f = text_fold_dup(frag[i]);
        if (!f)
            return 0;
        if (!f[0]) {
            free(f);
            continue;
        }
        const char *hit = strstr(at, f);
        if (!hit) {
            free(f);
            return 0;
        }
        if (score == 0)
            score = nf == 1 && strcmp(h, f) == 0 ? 3 : hit == h ? 2 : 1;
        at = hit + strlen(f);
        free(f);
    }
    return score;
}

static int header_score(const char *header, const char *wording)
{
    char *h = text_fold_dup(header);
    int best = 0;
    if (!h)
        return 0;
    for (const char *p = wording; *p;) {
        size_t n = strcspn(p, "|");
        int s = n ? fit(h, p, n) : 0;
        if (s > best)
            best = s;
        p += n + (p[n] == '|');
    }
    free(h);
    return best;
}

static void list_headers(const struct survey *sv, char *buf, size_t len)
{
    const struct csvfile_row *h = &sv->f.rows[0];
    size_t off = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < h->ncells && c < 26 && off < len; c++) {
        char letters[16], head[256];
        off += (size_t)text_printf(buf + off, len - off, "%s%s «%s»", c ? ", " : "",
                                   csvfile_column_name(c, letters, sizeof letters),
                                   clip(h->cells[c], head, sizeof head));
    }
}

static const char *const target_key[1 + SURVEY_NQ] = {"municipality_column", "q13_column",
                                                      "q14_column", "q16_column", "q17_column"};

/* When no header names the municipality: the column most of whose cells are municipalities. */
static int muni_by_content(const struct survey *sv, const struct muni_map *map, size_t *col)
{
    size_t width = sv->f.rows[0].ncells, best = 0, data = sv->f.nrows - 1;
    int found = 0;
    for (size_t c = 0; c < width; c++) {
        size_t hits = 0;
        for (size_t r = 1; r < sv->f.nrows; r++)
            hits += muni_by_name(map, csvfile_cell(&sv->f.rows[r], c)) != NULL;
        if (hits > best && hits * 2 > data)
            best = hits, *col = c, found = 1;
    }
    return found;
}

static int find_columns(struct survey *sv, const struct config *cfg, const struct muni_map *map,
                        char *err, size_t errlen)
{
    const char *wording[1 + SURVEY_NQ] = {cfg->survey_municipality_col, cfg->survey_q13_col,
                                          cfg->survey_q14_col, cfg->survey_q16_col,
                                          cfg->survey_q17_col};
    const struct csvfile_row *h = &sv->f.rows[0];
    char headers[4096], letters[2][16], head[2][256];

    for (int t = 0; t <= SURVEY_NQ; t++) {
        int best = 0;
        size_t at = 0, tie = (size_t)-1;
        for (size_t c = 0; c < h->ncells; c++) {
            int s = header_score(h->cells[c], wording[t]);
            if (s > best)
                best = s, at = c, tie = (size_t)-1;
            else if (s == best && s > 0 && tie == (size_t)-1)
                tie = c;
        }
        if (best == 0 && t == 0 && muni_by_content(sv, map, &at))
            best = 1;
        if (best == 0) {
            list_headers(sv, headers, sizeof headers);
            text_printf(err, errlen,
                        "%s: no column for %s%s: no header fits '%s'; set [survey] %s to words "
                        "of its header (headers: %s)",
                        sv->path, t ? "question " : "the municipality",
                        t ? survey_question_number((enum survey_q)(t - 1)) : "", wording[t],
                        target_key[t], headers);
            return VKP_EPARSE;
        }
        if (tie != (size_t)-1) {
            text_printf(err, errlen,
                        "%s: two columns fit %s%s: %s «%s» and %s «%s»; set [survey] %s to words "
                        "only one of them has",
                        sv->path, t ? "question " : "the municipality",
                        t ? survey_question_number((enum survey_q)(t - 1)) : "",
                        csvfile_column_name(at, letters[0], 16), clip(h->cells[at], head[0], 256),
                        csvfile_column_name(tie, letters[1], 16), clip(h->cells[tie], head[1], 256),
                        target_key[t]);
            return VKP_EPARSE;
        }
        for (int u = 0; u < t; u++) {
            if (sv->col[u] == at) {
                text_printf(err, errlen,
                            "%s: column %s «%s» fits both %s and %s; set [survey] %s or %s to "
                            "tell them apart",
                            sv->path, csvfile_column_name(at, letters[0], 16),
                            clip(h->cells[at], head[0], 256), target_key[u], target_key[t],
                            target_key[u], target_key[t]);
                return VKP_EPARSE;
            }
        }
        sv->col[t] = at;
    }
    return 0;
}

/* ---- the rows ------------------------------------------------------------------ */

/* Cell pieces of a multiple-choice answer: split at ';' and line breaks. */
static int next_piece(const char **p, const char **start, size_t *len)
{
    const char *s = *p;
    while (*s == ';' || *s == '\n' || *s == '\r' || *s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return 0;
    size_t n = strcspn(s, ";\n\r");
    *p = s + n;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *start = s;
    *len = n;
    return 1;
}

/*
 * One piece of a multiple choice may still hold several options joined by
 * commas (Google Forms), while an option may hold a comma itself: take the
 * longest run of comma-separated parts that names an option, then go on.
 */
static int match_piece(struct survey *sv, size_t r, size_t col, const struct survey_optset *s,
                       const char *muni, const char *piece, size_t len, int *chosen)
{
    char *buf = strndup(piece, len);
    size_t commas[64], nc = 0;
    int rc = 0;

    if (!buf)
        return VKP_ENOMEM;
    int whole = survey_optset_match(s, buf);
    if (whole >= 0) {
        chosen[whole] = 1;
        rc = add_answer(sv, muni, s->q, &s->o[whole], buf, len);
        free(buf);
        return rc;
    }
    for (size_t i = 0; i < len && nc < 63; i++)
        if (buf[i] == ',')
            commas[nc++] = i;
    commas[nc] = len;
    size_t from = 0, ci = 0;
    while (from < len && rc == 0) {
        int hit = -1;
        size_t end = 0, next_ci = 0;
        for (size_t k = nc + 1; k-- > ci;) {
            char save = buf[commas[k]];
            buf[commas[k]] = '\0';
            hit = survey_optset_match(s, buf + from);
            if (hit >= 0) {
                end = commas[k];
                next_ci = k + 1;
                rc = add_answer(sv, muni, s->q, &s->o[hit], buf + from, end - from);
            }
            buf[commas[k]] = save;
            if (hit >= 0)
                break;
        }
        if (hit < 0) {
            char near[1024], text[256];
            if (errors_full(sv)) {
                free(buf);
                return 1;
            }
            survey_optset_nearest(s, buf + from, near, sizeof near);
            rc = row_error(sv, r, col, "unknown answer '%s' (nearest: %s)",
                           clip(buf + from, text, sizeof text), near);
            free(buf);
            return rc ? rc : 1;
        }
        chosen[hit] = 1;
        ci = next_ci;
        from = end + 1;
        while (from < len && buf[from] == ' ')
            from++;
    }
    free(buf);
    return rc;
}

/* One question's cell of one row; 1 when it had an error (recorded), 0, or a vkp error. */
static int read_cell(struct survey *sv, size_t r, enum survey_q q, const char *muni)
{
    const struct survey_optset *s = &sv->opts[q];
    size_t col = sv->col[1 + q];
    const char *cell = csvfile_cell(&sv->f.rows[r], col), *p = cell, *piece;
    int chosen[32] = {0}, n = 0, rc;
    size_t len;
    char text[256];

    if (!cell[0])
        return 0;
    if (!s->multi) {
        int i = survey_optset_match(s, cell);
        if (i >= 0)
            return add_answer(sv, muni, q, &s->o[i], cell, strlen(cell));
        int pieces = 0;
        while (next_piece(&p, &piece, &len))
            pieces++;
        if (pieces > 1) {
            rc = row_error(sv, r, col, "question %s takes one answer, not several: '%s'",
                           survey_question_number(q), clip(cell, text, sizeof text));
            return rc ? rc : 1;
        }
        char near[1024];
        if (errors_full(sv))
            return 1;
        survey_optset_nearest(s, cell, near, sizeof near);
        rc = row_error(sv, r, col, "unknown answer '%s' (nearest: %s)",
                       clip(cell, text, sizeof text), near);
        return rc ? rc : 1;
    }
    size_t mark = sv->nanswers;
    while (next_piece(&p, &piece, &len))
        if ((rc = match_piece(sv, r, col, s, muni, piece, len, chosen)) != 0) {
            sv->nanswers = mark;
            return rc;
        }
    for (size_t i = 0; i < s->n; i++)
        n += chosen[i];
    for (size_t i = 0; i < s->n; i++) {
        if (chosen[i] && n > 1 && s->o[i].choice.kind != CHOICE_COMMUNITY) {
            sv->nanswers = mark;
            rc = row_error(sv, r, col, "'%s' cannot go with other answers: '%s'", s->o[i].label,
                           clip(cell, text, sizeof text));
            return rc ? rc : 1;
        }
    }
    return 0;
}

/* The cells of a row, less empty ones past the header's width (a spreadsheet may write
 * those for columns nobody used). */
static size_t row_width(const struct csvfile_row *row, size_t head)
{
    size_t n = row->ncells;
    while (n > head && !row->cells[n - 1][0])
        n--;
    return n;
}

static int read_rows(struct survey *sv, const struct muni_map *map)
{
    size_t nm = muni_map_count(map);
    size_t *first = calloc(nm ? nm : 1, sizeof *first);
    int rc = 0;

    if (!first)
        return VKP_ENOMEM;
    for (size_t r = 1; r < sv->f.nrows && rc >= 0; r++) {
        const char *name = csvfile_cell(&sv->f.rows[r], sv->col[0]);
        const struct muni *m = muni_by_name(map, name);
        char text[256];
        size_t head = sv->f.rows[0].ncells, width = row_width(&sv->f.rows[r], head);
        if (width != head) {
            /* A row cut short or split by a separator inside a cell: its answers
             * would land in other questions' columns. */
            rc = row_error(sv, r, width < head ? width : head,
                           "this row has %zu cells, the header %zu: %s; if the cells are "
                           "not separated by %s, set [survey] delimiter",
                           width, head,
                           width < head ? "it ends before this column"
                                        : "it goes on past the last column",
                           sv->f.delimiter == ';'    ? "';'"
                           : sv->f.delimiter == '\t' ? "tabs"
                                                     : "','");
            continue;
        }
        if (!name[0]) {
            rc = row_error(sv, r, sv->col[0], "no municipality named in this row");
            continue;
        }
        if (!m && errors_full(sv))
            continue;
        if (!m) {
            const struct muni *near[3];
            char list[1024] = "";
            size_t k = muni_nearest(map, name, near, 3), off = 0;
            for (size_t i = 0; i < k && off < sizeof list; i++)
                off += (size_t)text_printf(list + off, sizeof list - off, "%s%s", i ? ", " : "",
                                           near[i]->name);
            rc = row_error(sv, r, sv->col[0],
                           "unknown municipality '%s' (nearest: %s); fix the name or add it "
                           "to the aliases of the municipality map",
                           clip(name, text, sizeof text), k ? list : "none");
            continue;
        }
        if (first[m->index]) {
            rc = row_error(sv, r, sv->col[0], "'%s' (%s) already answered in row %zu",
                           clip(name, text, sizeof text), m->name, first[m->index] + 1);
            continue;
        }
        first[m->index] = r;
        size_t mark = sv->nanswers;
        int bad = 0;
        for (int q = 0; q < SURVEY_NQ && rc >= 0; q++) {
            rc = read_cell(sv, r, (enum survey_q)q, m->name);
            bad |= rc > 0;
        }
        if (bad)
            sv->nanswers = mark;
        else if (rc == 0)
            sv->nrows++;
    }
    free(first);
    return rc < 0 ? rc : 0;
}

/* ---- public ---------------------------------------------------------------- */

int survey_read(const struct config *cfg, const struct muni_map *map, const char *path,
                struct survey **out, char *err, size_t errlen)
{
    struct survey *sv = calloc(1, sizeof *sv);
    int rc = VKP_ENOMEM;

    *out = NULL;
    if (!sv)
        goto fail;
    sv->path = path;
    rc = csvfile_read(path, cfg->survey_encoding, cfg->survey_delimiter, &sv->f, err, errlen);
    if (rc != 0)
        goto fail;
    if (sv->f.nrows < 2) {
        text_printf(err, errlen,
                    "%s: no answers: the file needs a header row and a row per "
                    "municipality",
                    path);
        rc = VKP_EPARSE;
        goto fail;
    }
    for (int q = 0; q < SURVEY_NQ; q++) {
        if ((rc = survey_optset_build(cfg, (enum survey_q)q, &sv->opts[q])) != 0) {
            text_printf(err, errlen,
                        rc == VKP_ECONFIG ? "too many communities of one kind" : "out of memory");
            goto fail;
        }
    }
    if ((rc = find_columns(sv, cfg, map, err, errlen)) != 0)
        goto fail;
    if ((rc = read_rows(sv, map)) != 0) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    *out = sv;
    return 0;
fail:
    survey_free(sv);
    return rc;
}

void survey_free(struct survey *sv)
{
    if (!sv)
        return;
    csvfile_release(&sv->f);
    for (int q = 0; q < SURVEY_NQ; q++)
        survey_optset_release(&sv->opts[q]);
    for (size_t i = 0; i < sv->nstrings; i++)
        free(sv->strings[i]);
    free(sv->strings);
    free(sv->answers);
    for (size_t i = 0; i < sv->nerrors && i < SURVEY_MAX_ERRORS; i++)
        free(sv->errors[i]);
    free(sv);
}

size_t survey_error_count(const struct survey *sv)
{
    return sv->nerrors;
}

const char *survey_error(const struct survey *sv, size_t i)
{
    return i < sv->nerrors && i < SURVEY_MAX_ERRORS && sv->errors[i] ? sv->errors[i]
                                                                     : "out of memory";
}

size_t survey_row_count(const struct survey *sv)
{
    return sv->nrows;
}

size_t survey_answers(const struct survey *sv, const struct store_survey_answer **out)
{
    *out = sv->answers;
    return sv->nanswers;
}

const char *survey_column(const struct survey *sv, int i, const char **header, char *buf,
                          size_t len)
{
    *header = csvfile_cell(&sv->f.rows[0], sv->col[i]);
    return csvfile_column_name(sv->col[i], buf, len);
}

const char *survey_format(const struct survey *sv, char *buf, size_t len)
{
    const char *d = sv->f.delimiter == ';' ? "';'" : sv->f.delimiter == '\t' ? "tab" : "','";
    snprintf(buf, len, "%s, %s", sv->f.encoding, d);
    return buf;
}

int survey_save(const struct survey *sv, struct store *st, int year, const char *source,
                int64_t now)
{
    if (sv->nerrors)
        return VKP_EPARSE;
    return store_survey_replace(st, year, now, source, (int)sv->nrows, sv->answers, sv->nanswers);
}
