/* survey_fixture.h: what the survey, attribution and crosscheck tests share: a temp directory,
 * a config, the real municipality map and a fresh database. Included by those tests only;
 * include <cmocka.h> and the vkpulse headers first. */
#ifndef VKP_SURVEY_FIXTURE_H
#define VKP_SURVEY_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "muni.h"
#include "store.h"

/* One test's world. */
struct fixture {
    char dir[64];         /* /tmp/vkp_test_XXXXXX, removed by fixture_teardown */
    struct config *cfg;   /* the config under test */
    struct muni_map *map; /* config/regions/chelyabinsk.ini */
    struct store *st;     /* dir/t.db at the current schema */
    char err[4096];       /* the last error message */
};

/* The repository root: $VKP_SRC (ctest sets it) or ".". */
static const char *fixture_src(void)
{
    const char *s = getenv("VKP_SRC");
    return s && *s ? s : ".";
}

/* fixture_write_n: len bytes (NULs too) into dir/name; returns the path (a static buffer). */
static inline const char *fixture_write_n(struct fixture *fx, const char *name, const char *text,
                                          size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", fx->dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    return path;
}

/* fixture_write: text into dir/name; returns the path (a static buffer). */
static const char *fixture_write(struct fixture *fx, const char *name, const char *text)
{
    return fixture_write_n(fx, name, text, strlen(text));
}

/*
 * fixture_setup: config_text NULL loads config/vkpulse.ini (the 2023 communities);
 * otherwise it is a config with one %s, which becomes the repository root, written to
 * dir/c.ini and loaded.
 */
static int fixture_setup(void **state, const char *config_text)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    char path[4096], *text = NULL;

    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/vkp_test_XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    *state = fx;
    if (config_text) {
        if (asprintf(&text, config_text, fixture_src()) < 0)
            return -1;
        snprintf(path, sizeof path, "%s", fixture_write(fx, "c.ini", text));
        free(text);
    } else {
        snprintf(path, sizeof path, "%s/config/vkpulse.ini", fixture_src());
    }
    if (config_load(path, &fx->cfg, fx->err, sizeof fx->err) != 0 ||
        muni_map_load(fx->cfg->municipalities, &fx->map, fx->err, sizeof fx->err) != 0) {
        fprintf(stderr, "setup: %s\n", fx->err);
        return -1;
    }
    snprintf(path, sizeof path, "%s/t.db", fx->dir);
    if (store_open(path, STORE_CREATE, &fx->st, fx->err, sizeof fx->err) != 0 ||
        store_migrate(fx->st, -1, NULL) != 0) {
        fprintf(stderr, "setup: %s\n", fx->err);
        return -1;
    }
    return 0;
}

static int fixture_teardown(void **state)
{
    struct fixture *fx = *state;
    char cmd[128];
    store_free(fx->st);
    muni_map_free(fx->map);
    config_free(fx->cfg);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

#endif
