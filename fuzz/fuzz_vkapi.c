/* fuzz_vkapi.c: libFuzzer target for the VK answer parsers (collector/vkapi.h). */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "model.h"
#include "vkapi.h"

/*
 * Input: one selector byte, then an HTTP body as VK would send it. The
 * selector (its value modulo 8; the seeds use the digits '0'..'7') says
 * which method the body answers, as the collector knows from its request:
 *   0 groups.getById   1 groups.getMembers   2 wall.get        3 likes.getList
 *   4 wall.getComments 5 wall.getReposts     6 stats.get and database.getCities/getRegions
 *   7 execute
 * For execute the response must be an array; its items go to the parsers in
 * turn (item i to parser (selector / 8 + i) mod 7, so the seed selector
 * '?' starts at groups.getById) and every `false` item is
 * matched with its execute_errors entry, exactly as handle_reply does.
 */

enum { NPARSERS = 7 };

/* Runs parser `which` on one response value; everything it returns is freed. */
static void parse_one(int which, const cJSON *resp, int64_t thread_root)
{
    char err[256];
    int64_t count = 0;
    size_t n = 0;
    void *items = NULL;
    struct vk_check chk;

    /* What the parsers take goes through the checks of meaning too, as in a run. */
    vk_check_init(&chk, 1767225600, 20000000, 10000000);

    switch (which) {
    case 0:
        vk_parse_groups(resp, (struct vk_group **)&items, &n, err, sizeof err);
        break;
    case 1:
        vk_parse_members(resp, &count, (struct vk_user **)&items, &n, err, sizeof err);
        break;
    case 2:
        if (vk_parse_wall(resp, &count, (struct vk_post **)&items, &n, err, sizeof err) == 0)
            vk_check_posts(&chk, count, items, &n, err, sizeof err);
        break;
    case 3:
        vk_parse_likes(resp, &count, (int64_t **)&items, &n, err, sizeof err);
        break;
    case 4:
        if (vk_parse_comments(resp, thread_root, &count, (struct vk_comment **)&items, &n, err,
                              sizeof err) == 0)
            vk_check_comments(&chk, items, &n, err, sizeof err);
        break;
    case 5:
        if (vk_parse_reposts(resp, (struct vk_repost **)&items, &n, err, sizeof err) == 0)
            vk_check_reposts(&chk, items, &n, err, sizeof err);
        break;
    default:
        if (vk_parse_stats(resp, (struct vk_stat_day **)&items, &n, err, sizeof err) == 0)
            vk_check_stats(&chk, items, &n, err, sizeof err);
        /* The city directory's answers (database.getCities, getRegions) share the
         * selector, so that the seeds keep their meaning: both parsers get it. */
        free(items);
        items = NULL;
        vk_parse_places(resp, &count, (struct vk_place **)&items, &n, err, sizeof err);
        break;
    }
    free(items);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vk_reply r;
    char err[256];

    if (size < 1)
        return 0;
    int which = data[0] % 8;
    const char *body = (const char *)data + 1;
    size_t len = size - 1;

    if (vk_reply_parse(body, len, &r, err, sizeof err) == 0 && !r.error_code) {
        if (which < NPARSERS) {
            /* Comments are parsed both as a post's top level and as one thread. */
            parse_one(which, r.response, 0);
            if (which == 4)
                parse_one(which, r.response, 77);
        } else if (cJSON_IsArray(r.response)) {
            const cJSON *item;
            int i = 0, inner = 0;
            cJSON_ArrayForEach(item, r.response)
            {
                if (cJSON_IsFalse(item)) {
                    int code;
                    const char *msg;
                    vk_execute_error(&r, inner++, &code, &msg);
                    if (!msg || strlen(msg) > 1 << 20)
                        abort(); /* the message must always be a string */
                } else {
                    parse_one((data[0] / 8 + i) % NPARSERS, item, 0);
                }
                i++;
            }
        }
    }
    vk_reply_release(&r);
    return 0;
}
