/* fuzz_config.c: libFuzzer target for the INI reader, the config loader and the municipality map.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "err.h"
#include "muni.h"

/*
 * Input: the text of a file. When it begins with "#muni" (an INI comment, so
 * the seeds stay valid files) it is loaded as a region's municipality map
 * through a temporary file, and its first line after that is looked up with
 * the matchers; otherwise it is loaded as vkpulse.ini from memory
 * (config_load_string, the same code path as config_load after reading).
 * A load must either succeed or fail with a message: an error code without
 * a message is a defect, and so is a crash or a leak.
 */

static char muni_path[64];

static void load_muni(const char *text, size_t len)
{
    struct muni_map *m = NULL;
    char err[512] = "";
    FILE *f;

    if (!muni_path[0])
        snprintf(muni_path, sizeof muni_path, "/tmp/fuzz_muni_%ld.ini", (long)getpid());
    f = fopen(muni_path, "wb");
    if (!f)
        abort();
    fwrite(text, 1, len, f);
    fclose(f);
    int rc = muni_map_load(muni_path, &m, err, sizeof err);
    if (rc != 0) {
        if (m || !err[0])
            abort();
        return;
    }
    /* Look up the text after the marker line as a survey name and a city title. */
    char probe[128];
    const char *nl = memchr(text, '\n', len);
    size_t off = nl ? (size_t)(nl - text) + 1 : len;
    size_t plen = strcspn(text + off, "\n");
    if (plen >= sizeof probe)
        plen = sizeof probe - 1;
    memcpy(probe, text + off, plen);
    probe[plen] = '\0';
    const struct muni *near[3];
    muni_by_name(m, probe);
    muni_by_city(m, (long)plen, probe);
    muni_nearest(m, probe, near, 3);
    for (size_t i = 0; i < muni_map_count(m); i++)
        if (!muni_map_at(m, i)->name)
            abort();
    muni_map_free(m);
}

/* config_check's errors: each one a message. */
static void told(void *ud, const char *msg)
{
    (void)ud;
    if (!msg[0])
        abort();
}

/* A config config_check gives back, errors or not, has every value the commands read. */
static void complete(const struct config *cfg)
{
    if (!cfg->db_path || !cfg->api_url || !cfg->timezone || !cfg->token_env || !cfg->token_file)
        abort();
    for (size_t i = 0; i < cfg->ncommunities; i++)
        if (!cfg->communities[i].group || !cfg->communities[i].survey_name)
            abort();
    for (size_t i = 0; i < cfg->nchannels; i++)
        if (!cfg->channels[i].url || !cfg->channels[i].to || !cfg->channels[i].password)
            abort();
}

static void load_config(const char *text)
{
    struct config *cfg = NULL, *checked = NULL;
    char err[1024] = "", cerr[1024] = "";
    size_t nerrors = 0;
    int rc = config_load_string("/fuzz/vkpulse.ini", text, &cfg, err, sizeof err);
    /* config_check agrees: no error where config_load loads (a token file aside, which it
     * reads too), at least one where config_load fails on the file's text. */
    int crc =
        config_check("/fuzz/vkpulse.ini", text, told, NULL, &checked, &nerrors, cerr, sizeof cerr);
    if (crc == 0)
        complete(checked);
    else if (checked || (crc == VKP_ECONFIG && nerrors == 0))
        abort();
    if (rc == VKP_ECONFIG && crc == 0 && nerrors == 0)
        abort();
    if (rc == 0 && crc == 0 && nerrors > 0 && !cfg->token_file[0])
        abort();
    config_free(checked);
    if (rc != 0) {
        if (cfg || !err[0])
            abort();
        return;
    }
    if (cfg->ncommunities == 0 || !cfg->db_path || !cfg->api_url)
        abort(); /* a loaded config is complete */
    config_free(cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The loaders read NUL-terminated text; a NUL inside ends it, as a file read would refuse. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (size >= 5 && memcmp(text, "#muni", 5) == 0)
        load_muni(text, size);
    else
        load_config(text);
    free(text);
    return 0;
}
