/* fuzz_survey.c: libFuzzer target for the survey CSV importer (crosscheck/survey.h). */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "muni.h"
#include "store_survey.h"
#include "survey.h"

/*
 * Input: the bytes of a survey export file, as a municipality would send it
 * (any encoding, separator, quoting, line breaks). It is read with the demo
 * configuration (config/demo.ini: the five communities, the [survey]
 * defaults) and the Chelyabinsk municipality map, through a temporary file
 * as `vkpulse survey import` reads it. Then everything the importer offers
 * is walked: the row errors, the answers (each decoded back against the
 * config), the columns and the format. A read must succeed or fail with a
 * message; a crash, a leak or an answer with a missing field is a defect.
 */

static struct config *cfg;
static struct muni_map *map;
static char path[64];

/* The repository root: $VKP_SRC, else two levels above this file. */
static void root_dir(char *buf, size_t len)
{
    const char *env = getenv("VKP_SRC");
    if (env && env[0]) {
        snprintf(buf, len, "%s", env);
        return;
    }
    snprintf(buf, len, "%s", __FILE__);
    for (int i = 0; i < 2; i++) {
        char *slash = strrchr(buf, '/');
        if (slash)
            *slash = '\0';
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char root[PATH_MAX], file[PATH_MAX + 32], err[1024];
    (void)argc;
    (void)argv;
    root_dir(root, sizeof root);
    snprintf(file, sizeof file, "%s/config/demo.ini", root);
    if (config_load(file, &cfg, err, sizeof err) != 0 ||
        muni_map_load(cfg->municipalities, &map, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_survey: %s (set VKP_SRC to the repository root)\n", err);
        exit(1);
    }
    snprintf(path, sizeof path, "/tmp/fuzz_survey_%ld.csv", (long)getpid());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct survey *sv = NULL;
    char err[1024] = "", buf[64];
    FILE *f = fopen(path, "wb");

    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    if (survey_read(cfg, map, path, &sv, err, sizeof err) != 0) {
        if (sv || !err[0])
            abort(); /* a failure leaves nothing and says why */
        return 0;
    }
    size_t nerr = survey_error_count(sv);
    for (size_t i = 0; i < nerr && i < SURVEY_MAX_ERRORS; i++)
        if (!survey_error(sv, i))
            abort();
    const struct store_survey_answer *a = NULL;
    size_t n = survey_answers(sv, &a);
    for (size_t i = 0; i < n; i++) {
        if (!a[i].municipality || !a[i].question || !a[i].code || !a[i].answer)
            abort();
        struct survey_choice ch;
        for (int q = 0; q < SURVEY_NQ; q++)
            if (strcmp(a[i].question, survey_question_number((enum survey_q)q)) == 0)
                survey_decode(cfg, (enum survey_q)q, a[i].code, a[i].answer, &ch);
    }
    for (int i = 0; i <= 4; i++) {
        const char *header = NULL;
        survey_column(sv, i, &header, buf, sizeof buf);
    }
    survey_format(sv, buf, sizeof buf);
    survey_row_count(sv);
    survey_free(sv);
    return 0;
}
