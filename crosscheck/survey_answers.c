/* survey_answers.c: the questionnaire's answer options (built from the config's communities)
 * and matching the text of an answer to them: by code, wording, community name or near typo. */
#include "survey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "survey_int.h"
#include "text.h"

static const char *const qnum[SURVEY_NQ] = {"13", "14", "16", "17"};

const char *survey_question_number(enum survey_q q)
{
    return qnum[q];
}

/* ---- the answer options of the questionnaire --------------------------------- */

/* Q14 and Q17 options in questionnaire order: 14.1 .. 14.5. */
static const char *const level_wording[2][5] = {
    {"Педагоги зарегистрированы в методических объединениях",
     "Педагоги зарегистрированы и активно обсуждают имеющиеся там материалы",
     "Педагоги предоставляют свои материалы для размещения в методических объединениях, "
     "участвуют в обсуждении",
     "Педагоги не участвуют в методических объединениях", "Не владеем данной информацией"},
    {"Педагоги зарегистрированы в профессиональных сетевых сообществах",
     "Педагоги зарегистрированы и активно обсуждают имеющиеся там материалы",
     "Педагоги предоставляют свои материалы для размещения в профессиональных сетевых "
     "сообществах, участвуют в обсуждении",
     "Педагоги не участвуют в профессиональных сетевых сообществах",
     "Не владеем данной информацией"},
};
static const enum survey_level level_of_option[4] = {LEVEL_REGISTERED, LEVEL_DISCUSSES,
                                                     LEVEL_CONTRIBUTES, LEVEL_NONE};

/* Q13 and Q16: the prefix of a community option, and the last two options. */
static const char *const community_prefix[2] = {"Сетевое региональное методическое объединение",
                                                "Сетевое профессиональное сообщество"};
static const char *const none_wording[2] = {
    "Не участвуют ни в одном из вышеназванных методических объединений",
    "Не участвуют ни в одном из вышеназванных объединений и сообществ"};
static const char *const dont_know_wording = "Не владеем данной информацией";

void survey_optset_release(struct survey_optset *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->o[i].label);
        free(s->o[i].folded);
        free(s->o[i].name);
    }
    s->n = 0;
}

static int add_option(struct survey_optset *s, const char *label, const char *name,
                      struct survey_choice c)
{
    struct survey_option *o;

    if (s->n == sizeof s->o / sizeof s->o[0])
        return VKP_ECONFIG;
    o = &s->o[s->n];
    memset(o, 0, sizeof *o);
    snprintf(o->code, sizeof o->code, "%s.%zu", qnum[s->q], s->n + 1);
    o->choice = c;
    o->label = strdup(label);
    o->folded = text_fold_dup(label);
    if (name)
        o->name = text_fold_dup(name);
    s->n++;
    if (!o->label || !o->folded || (name && !o->name))
        return VKP_ENOMEM;
    return 0;
}

int survey_optset_build(const struct config *cfg, enum survey_q q, struct survey_optset *s)
{
    int prof = q == SURVEY_Q16 || q == SURVEY_Q17;
    int rc = 0;

    memset(s, 0, sizeof *s);
    s->q = q;
    if (q == SURVEY_Q14 || q == SURVEY_Q17) {
        for (int i = 0; i < 5 && rc == 0; i++) {
            struct survey_choice c = {.kind = i == 4 ? CHOICE_DONT_KNOW : CHOICE_LEVEL};
            if (i < 4)
                c.level = level_of_option[i];
            rc = add_option(s, level_wording[prof][i], NULL, c);
        }
        return rc;
    }
    s->multi = 1;
    enum community_kind want = prof ? COMMUNITY_PROF : COMMUNITY_RMO;
    for (size_t i = 0; i < cfg->ncommunities && rc == 0; i++) {
        const struct config_community *cc = &cfg->communities[i];
        char *label = NULL;
        if (cc->kind != want)
            continue;
        if (asprintf(&label, "%s «%s»", community_prefix[prof], cc->survey_name) < 0)
            return VKP_ENOMEM;
        rc = add_option(s, label, cc->survey_name,
                        (struct survey_choice){.kind = CHOICE_COMMUNITY, .community = i});
        free(label);
    }
    if (rc == 0)
        rc = add_option(s, none_wording[prof], NULL, (struct survey_choice){.kind = CHOICE_NONE});
    if (rc == 0)
        rc = add_option(s, dont_know_wording, NULL,
                        (struct survey_choice){.kind = CHOICE_DONT_KNOW});
    return rc;
}

/*
 * A leading option code: folded "14 2 педагоги ..." (from "14.2. Педагоги
 * ...") gives 2 and leaves *rest at "педагоги ...". 0 when there is none.
 */
static int strip_code(const char *q, const char *folded, const char **rest)
{
    size_t ql = strlen(q);
    const char *p = folded;
    int k = 0;

    *rest = folded;
    if (strncmp(p, q, ql) != 0 || p[ql] != ' ')
        return 0;
    p += ql + 1;
    if (*p < '1' || *p > '9')
        return 0;
    while (*p >= '0' && *p <= '9' && k < 1000)
        k = k * 10 + (*p++ - '0');
    if (*p != ' ' && *p != '\0')
        return 0;
    *rest = *p ? p + 1 : p;
    return k;
}

/* Words that may stand around a community's name: "Сетевое РМО «...»". */
static int generic_word(const char *w, size_t n)
{
    static const char *const words[] = {"сетевое",
                                        "сетевом",
                                        "региональное",
                                        "региональном",
                                        "методическое",
                                        "методическом",
                                        "объединение",
                                        "объединении",
                                        "профессиональное",
                                        "профессиональном",
                                        "сообщество",
                                        "сообществе",
                                        "рмо",
                                        "спс",
                                        "в"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && strncmp(words[i], w, n) == 0)
            return 1;
    return 0;
}

/* 1 when folded text is the community name nm with only generic words around it. */
static int names_only(const char *text, const char *nm)
{
    const char *at = strstr(text, nm);
    if (!at)
        return 0;
    for (const char *p = text; *p;) {
        if (p == at) {
            p += strlen(nm);
            continue;
        }
        if (*p == ' ') {
            p++;
            continue;
        }
        size_t n = strcspn(p, " ");
        if (p < at && p + n > at)
            n = (size_t)(at - p);
        if (!generic_word(p, n))
            return 0;
        p += n;
    }
    return 1;
}

/*
 * survey_optset_match: the option text names, or -1. Tried in order: a bare code
 * ("14.2"), the exact wording, a community's name with only generic words
 * around it ("Сетевое РМО «...»"), the wording cut short, a wording within a
 * few typos (an eighth of its length). A code and a wording that disagree
 * match nothing. Text holding two options matches neither, so that the
 * caller can split it.
 */
int survey_optset_match(const struct survey_optset *s, const char *text)
{
    char *f = text_fold_dup(text);
    const char *rest;
    int found = -1, code;

    if (!f)
        return -1;
    code = strip_code(qnum[s->q], f, &rest);
    if (code > 0 && (size_t)code <= s->n && rest[0] == '\0') {
        free(f);
        return code - 1;
    }
    size_t rl = strlen(rest), best_len = 0;
    for (size_t i = 0; i < s->n && found < 0; i++)
        if (strcmp(rest, s->o[i].folded) == 0)
            found = (int)i;
    for (size_t i = 0; i < s->n && found < 0; i++) {
        const char *nm = s->o[i].name;
        if (nm && names_only(rest, nm) && strlen(nm) > best_len)
            best_len = strlen(nm), found = (int)i;
    }
    if (found < 0) {
        int hits = 0, hit = -1;
        for (size_t i = 0; i < s->n; i++) {
            const char *w = s->o[i].folded;
            if (rl >= 12 && strncmp(w, rest, rl) == 0 && (w[rl] == ' ' || w[rl] == '\0'))
                hits++, hit = (int)i;
        }
        if (hits == 1)
            found = hit;
    }
    if (found < 0 && rest[0]) {
        size_t best = (size_t)-1, second = (size_t)-1;
        int bi = -1;
        for (size_t i = 0; i < s->n; i++) {
            size_t d = text_distance(rest, s->o[i].folded);
            if (d < best)
                second = best, best = d, bi = (int)i;
            else if (d < second)
                second = d;
        }
        size_t limit = bi >= 0 ? text_utf8_width(s->o[bi].folded) / 8 : 0;
        if (bi >= 0 && best <= (limit < 2 ? 2 : limit) && second > best)
            found = bi;
    }
    if (found >= 0 && code > 0 && code != found + 1)
        found = -1;
    free(f);
    return found;
}

/* The two options nearest to text, for a message: "14.1 «...», 14.4 «...»". */
void survey_optset_nearest(const struct survey_optset *s, const char *text, char *buf, size_t len)
{
    char *f = text_fold_dup(text);
    size_t d0 = (size_t)-1, d1 = (size_t)-1;
    int i0 = -1, i1 = -1;

    buf[0] = '\0';
    if (!f)
        return;
    for (size_t i = 0; i < s->n; i++) {
        size_t d = text_distance(f, s->o[i].folded);
        if (d < d0)
            d1 = d0, i1 = i0, d0 = d, i0 = (int)i;
        else if (d < d1)
            d1 = d, i1 = (int)i;
    }
    free(f);
    if (i0 >= 0)
        snprintf(buf, len, "%s «%s»", s->o[i0].code, s->o[i0].label);
    if (i1 >= 0) {
        size_t off = strlen(buf);
        snprintf(buf + off, len - off, ", %s «%s»", s->o[i1].code, s->o[i1].label);
    }
}

int survey_decode(const struct config *cfg, enum survey_q q, const char *code, const char *answer,
                  struct survey_choice *out)
{
    struct survey_optset s;
    int rc = survey_optset_build(cfg, q, &s), found = -1;

    if (rc != 0) {
        survey_optset_release(&s);
        return rc;
    }
    for (size_t i = 0; i < s.n && found < 0; i++) {
        if (strcmp(s.o[i].code, code) != 0)
            continue;
        found = (int)i;
        /* A community is known by its name: the config may list them in another order now. */
        if (s.o[i].name) {
            char *f = text_fold_dup(answer);
            if (!f || !strstr(f, s.o[i].name))
                found = -1;
            free(f);
        }
    }
    if (found < 0)
        found = survey_optset_match(&s, answer);
    if (found >= 0)
        *out = s.o[found].choice;
    survey_optset_release(&s);
    return found >= 0 ? 0 : VKP_ENOTFOUND;
}
