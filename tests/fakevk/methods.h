/* methods.h: the VK API methods the fake serves, each turning parameters into a cJSON answer. */
#ifndef FV_METHODS_H
#define FV_METHODS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "dataset.h"
#include "params.h"

#define METHODS_MAX_IDS 64 /* most --hidden-members / --admin-groups entries */

/* A VK API error to report: code and message as VK words them. */
struct vk_error {
    int code;      /* VK error_code */
    char msg[256]; /* VK error_msg */
};

/* Server settings that change method behaviour. */
struct methods_config {
    int64_t hidden[METHODS_MAX_IDS]; /* groups whose member lists are hidden */
    size_t n_hidden;                 /* entries in hidden */
    int64_t admin[METHODS_MAX_IDS];  /* groups for which stats.get works */
    size_t n_admin;                  /* entries in admin */
    int admin_all;                   /* stats.get works for every group */
    unsigned hostile;                /* HOSTILE_* answers a collector must not trust */
};

/* --hostile kinds: answers that follow the schema but lie, as a broken or hostile server
 * (or VK's own offset race) may. Every kind applies to every group. */
enum {
    HOSTILE_HUGE_COUNT = 1,       /* members_count and getMembers count 10^12, likes count 10^11 */
    HOSTILE_SHORT_PAGES = 2,      /* getMembers pages after the first are empty */
    HOSTILE_DUP_PAGES = 4,        /* getMembers pages after the first repeat the first */
    HOSTILE_SHIFT = 8,            /* the first member leaves after page 1 is read: later pages
                                   * shift by one place and count one fewer */
    HOSTILE_CONTROL = 16,         /* ESC sequences, CR and LF in group, user and city names */
    HOSTILE_ZERO_LIKE = 32,       /* likes.getList lists user id 0 first */
    HOSTILE_RENAMED = 64,         /* every group renamed its screen name to NAME_v2: the old one
                                   * is unknown (not hostile, but what VK lets a group do) */
    HOSTILE_WALL_DELETE = 128,    /* the newest post is deleted once wall page 0 is read */
    HOSTILE_BAD_DATE = 256,       /* the sixth post of wall page 0 is dated -1 */
    HOSTILE_STATS_NEGATIVE = 512, /* stats.get: the second day subscribed -5000 */
    HOSTILE_STATS_FUTURE = 1024,  /* stats.get: the first day begins in 2100 */
    HOSTILE_STATS_HUGE = 2048,    /* stats.get: the first day's views 9e18 */
    HOSTILE_CUT_DIRECTORY = 4096, /* database.getCities: 500 localities, the count whole */
    HOSTILE_DUP_CITY = 8192, /* database.getCities: the first locality again, in another area */
    HOSTILE_ENDLESS_WALL = 16384, /* wall.get: page 0 at every offset, counting 10^12 posts */
};

/* Parses a comma-separated list of hostile kinds into *out; -1 on an unknown one. */
int methods_hostile_parse(const char *list, unsigned *out);

/* Who calls and when: everything a method needs besides its parameters. */
struct vk_ctx {
    const struct dataset *ds;         /* the world */
    const struct methods_config *cfg; /* server settings */
    int64_t now;                      /* server clock: data dated after it does not exist yet */
    int service;                      /* 1 when the caller uses the service key */
    int member; /* 1 for a user token without admin rights (--token T::member) */
};

/* Number of methods in the table (execute is not one of them). */
size_t methods_count(void);
/* Name of method @i. */
const char *methods_name(size_t i);
/* Index of a method by name, or -1 if the fake does not know it. */
int methods_index(const char *name);

/* Runs method @idx. Returns the value of "response" (the caller frees it), or NULL with @err
 * filled (an out-of-memory condition is reported as error 10). */
cJSON *methods_call(const struct vk_ctx *ctx, int idx, const struct params *p,
                    struct vk_error *err);

/* Fills @err with @code and a printf-formatted message; returns NULL, for `return vk_error_set(..)`
 * in functions returning any pointer. */
void *vk_error_set(struct vk_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 1 if @id is in the list. */
int methods_id_in(const int64_t *ids, size_t n, int64_t id);

#endif
