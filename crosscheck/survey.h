/* survey.h: the municipalities' survey export read into answer codes (questions 13, 14, 16, 17). */
#ifndef VKP_SURVEY_H
#define VKP_SURVEY_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct muni_map;
struct store;
struct store_survey_answer;

/*
 * The questionnaire (appendix of the institute's 2023 report) asks each
 * municipal education authority:
 *   Q13 (several answers) in which network RMOs its teachers take part:
 *       13.1..13.k the RMOs, 13.k+1 none of them, 13.k+2 "we don't know";
 *   Q14 (one answer) how: 14.1 registered, 14.2 registered and discuss,
 *       14.3 contribute materials, 14.4 do not take part, 14.5 don't know;
 *   Q16 and Q17 the same for the professional communities.
 * The communities and their order come from the config's [community]
 * sections of kind rmo (Q13) and community (Q16), so 13.1 is the first
 * configured RMO. With the 2023 config the codes are those of the
 * questionnaire.
 */

/* The questions vkpulse checks. */
enum survey_q { SURVEY_Q13, SURVEY_Q14, SURVEY_Q16, SURVEY_Q17, SURVEY_NQ };

/* The participation ladder, lowest first (docs/domain.md). */
enum survey_level { LEVEL_NONE, LEVEL_REGISTERED, LEVEL_DISCUSSES, LEVEL_CONTRIBUTES };

/* What one answer option means. */
enum survey_choice_kind {
    CHOICE_COMMUNITY, /* Q13/Q16: teachers take part in this community */
    CHOICE_NONE,      /* Q13/Q16: in none of them */
    CHOICE_DONT_KNOW, /* any question: "Не владеем данной информацией" */
    CHOICE_LEVEL,     /* Q14/Q17: a level of the ladder */
};

/* A decoded answer option. */
struct survey_choice {
    enum survey_choice_kind kind; /* which of the above */
    enum survey_level level;      /* CHOICE_LEVEL: the level claimed */
    size_t community;             /* CHOICE_COMMUNITY: index into cfg->communities */
};

/* Most row errors a parsed survey keeps the text of (all are counted). */
#define SURVEY_MAX_ERRORS 100

/* survey_question_number: "13", "14", "16" or "17". */
const char *survey_question_number(enum survey_q q);

/* A parsed survey file. Opaque. */
struct survey;

/*
 * survey_read: reads the export at path with the [survey] settings of cfg
 * (column wordings, encoding, separator) and the communities of cfg, and
 * matches municipalities with map (which must outlive the survey). Returns
 * 0 with *out set when the file could be read and its columns found, even
 * if rows have errors (see survey_error_count); the caller frees *out with
 * survey_free. Returns a negative vkp error with a message in err when the
 * file cannot be read (VKP_EIO, VKP_ETOOBIG, VKP_EPARSE), has no data rows
 * or lacks a column (VKP_EPARSE: the message lists the headers), or out of
 * memory.
 */
int survey_read(const struct config *cfg, const struct muni_map *map, const char *path,
                struct survey **out, char *err, size_t errlen);

/* survey_free: NULL is a no-op. */
void survey_free(struct survey *sv);

/* survey_error_count: rows that could not be understood (all of them, even past the kept ones). */
size_t survey_error_count(const struct survey *sv);

/* survey_error: the i-th error, i < min(count, SURVEY_MAX_ERRORS): "file: row R (line L),
 * column C «header»: what, 'text' (nearest: ...)". */
const char *survey_error(const struct survey *sv, size_t i);

/* survey_row_count: municipalities that answered (rows without errors). */
size_t survey_row_count(const struct survey *sv);

/* survey_answers: the chosen options of every good row; *out lives as long as sv. */
size_t survey_answers(const struct survey *sv, const struct store_survey_answer **out);

/*
 * survey_column: where column i (0: municipality, 1..4: Q13, Q14, Q16,
 * Q17) was found: its letters ("B") into buf and its header in *header.
 */
const char *survey_column(const struct survey *sv, int i, const char **header, char *buf,
                          size_t len);

/* survey_format: what the file was read as: encoding and separator, e.g. "windows-1251, ';'". */
const char *survey_format(const struct survey *sv, char *buf, size_t len);

/*
 * survey_save: stores the answers as `year`, replacing an earlier import of
 * that year, in one transaction. Refuses (VKP_EPARSE) a survey with row
 * errors, so that nothing changes. Store errors as from store_survey_replace.
 */
int survey_save(const struct survey *sv, struct store *st, int year, const char *source,
                int64_t now);

/*
 * survey_decode: what a stored answer (code and wording) of question q
 * means under cfg. A community option is recognised by its wording when the
 * config's order changed since the import. VKP_ENOTFOUND when it names
 * nothing cfg knows (a community since removed from the config).
 */
int survey_decode(const struct config *cfg, enum survey_q q, const char *code, const char *answer,
                  struct survey_choice *out);

#endif
