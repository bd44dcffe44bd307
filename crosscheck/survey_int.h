/* survey_int.h: the answer options of a question, shared by survey.c (reading the file) and
 * survey_answers.c (building and matching the options); private to the two. */
#ifndef VKP_SURVEY_INT_H
#define VKP_SURVEY_INT_H

#include <stddef.h>

#include "survey.h"

/* One answer option of one question. */
struct survey_option {
    char code[12];               /* "13.2" */
    struct survey_choice choice; /* what it means */
    char *label;                 /* the wording, for messages */
    char *folded;                /* the wording folded */
    char *name;                  /* community options: the folded survey_name, else NULL */
};

/* The options of one question. */
struct survey_optset {
    struct survey_option o[32]; /* at most 30 communities of a kind, plus none and don't know */
    size_t n;                   /* options used */
    int multi;                  /* several may be chosen (Q13, Q16) */
    enum survey_q q;            /* the question */
};

/* survey_optset_build: the options of question q under cfg, into *s (release it even on
 * failure). VKP_ECONFIG when cfg has too many communities of a kind, VKP_ENOMEM. */
int survey_optset_build(const struct config *cfg, enum survey_q q, struct survey_optset *s);

/* survey_optset_release: frees what the options hold; s may be reused. */
void survey_optset_release(struct survey_optset *s);

/* survey_optset_match: the index of the option text names, or -1 (see survey_answers.c). */
int survey_optset_match(const struct survey_optset *s, const char *text);

/* survey_optset_nearest: the two options nearest to text, for a message:
 * "14.1 «...», 14.4 «...»" into buf. */
void survey_optset_nearest(const struct survey_optset *s, const char *text, char *buf, size_t len);

#endif
