/* vkapi.h: VK API answers → model structs, and requests → POST bodies and execute code. */
#ifndef VKP_VKAPI_H
#define VKP_VKAPI_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* VK error codes vkpulse acts on (https://dev.vk.com/reference/errors). */
enum vk_error_code {
    VK_ERR_UNKNOWN = 1,           /* unknown error: try again later */
    VK_ERR_APP_OFF = 3,           /* unknown method passed (execute not allowed) */
    VK_ERR_AUTH = 5,              /* user authorization failed: the token */
    VK_ERR_TOO_MANY = 6,          /* too many requests per second */
    VK_ERR_DENIED = 7,            /* permission to perform this action is denied */
    VK_ERR_FLOOD = 9,             /* flood control */
    VK_ERR_INTERNAL = 10,         /* internal server error */
    VK_ERR_EXECUTE_CODE = 12,     /* unable to compile code */
    VK_ERR_EXECUTE_RUNTIME = 13,  /* runtime error in execute (an answer too big) */
    VK_ERR_CAPTCHA = 14,          /* captcha needed */
    VK_ERR_ACCESS = 15,           /* access denied (hidden member list, closed group) */
    VK_ERR_DELETED = 18,          /* page deleted or banned */
    VK_ERR_GROUP_AUTH = 27,       /* group authorization failed */
    VK_ERR_APP_AUTH = 28,         /* application authorization failed */
    VK_ERR_RATE_LIMIT = 29,       /* a method's daily quota reached */
    VK_ERR_PRIVATE = 30,          /* this profile is private */
    VK_ERR_PARAM = 100,           /* a parameter is missing or invalid (an unknown group) */
    VK_ERR_GROUP_ACCESS = 203,    /* access to the group is denied */
    VK_ERR_COMMENTS_CLOSED = 212, /* access to a post's comments is denied */
};

/* What to do about a VK error: the one place where codes get their meaning. */
enum vk_error_class {
    VKE_RETRY,   /* passes by itself (1, 10): retry with backoff */
    VKE_FLOOD,   /* pace (6, 9): slow down, retry */
    VKE_AUTH,    /* the token is rejected (5): stop, a person must act */
    VKE_CAPTCHA, /* captcha (14): stop, a person must act */
    VKE_QUOTA,   /* a method's daily quota (29): skip it for the run */
    VKE_EXECUTE, /* the token may not use execute (3, 12, 28 inside execute): single calls */
    VKE_TOO_BIG, /* execute answer too big (13): smaller batches */
    VKE_ACCESS,  /* a fact about a group, post or profile (7, 15, 18, 27, 30, 203, 212) */
    VKE_PARAM,   /* a request VK calls invalid (100): an unknown group, a bad id */
    VKE_FATAL,   /* anything else: the call fails */
};

/* vk_error_classify: the class of VK error `code`. */
enum vk_error_class vk_error_classify(int code);

/* vk_error_vkp: the vkp error a VK error becomes where it enters a module
 * (VKP_EAUTH, VKP_ECAPTCHA, VKP_EVK). */
int vk_error_vkp(int code);

/* The envelope of one answer: either "response" or "error". */
struct vk_reply {
    cJSON *root;                 /* the parsed document, owned */
    const cJSON *response;       /* "response", NULL on an error answer */
    int error_code;              /* VK error_code, 0 when none */
    char error_msg[256];         /* VK error_msg */
    const cJSON *execute_errors; /* execute: array of inner errors, or NULL */
};

/*
 * vk_reply_parse: parse an HTTP body. Returns 0 (check error_code for a VK
 * error), or VKP_EPARSE with a message for malformed JSON or an envelope
 * that has neither response nor a well-formed error. Release with
 * vk_reply_release even on failure.
 */
int vk_reply_parse(const char *body, size_t len, struct vk_reply *out, char *err, size_t errlen);
void vk_reply_release(struct vk_reply *r);

/*
 * vk_execute_error: the k-th entry of execute_errors (its error_code and
 * message), for the k-th `false` in the response array. Returns 0 when
 * there is no such entry (then code is set to -1).
 */
int vk_execute_error(const struct vk_reply *r, int k, int *code, const char **msg);

/*
 * Parsers of each method's "response" value. They check every field they
 * use against the 5.199 schema (present, right type), return 0 or
 * VKP_EPARSE with "method: what is wrong" in err. Arrays are malloc'd and
 * owned by the caller (free()); strings inside point into the JSON, so the
 * reply must outlive them.
 */
int vk_parse_groups(const cJSON *resp, struct vk_group **out, size_t *n, char *err, size_t errlen);
int vk_parse_members(const cJSON *resp, int64_t *count, struct vk_user **out, size_t *n, char *err,
                     size_t errlen);
int vk_parse_wall(const cJSON *resp, int64_t *count, struct vk_post **out, size_t *n, char *err,
                  size_t errlen);
int vk_parse_likes(const cJSON *resp, int64_t *count, int64_t **out, size_t *n, char *err,
                   size_t errlen);
/* Comments: top-level items and their inline thread replies, flattened;
 * parent_id is the thread root (or `thread_root` when paging one thread).
 * *level_count is current_level_count (count when VK omits it). */
int vk_parse_comments(const cJSON *resp, int64_t thread_root, int64_t *level_count,
                      struct vk_comment **out, size_t *n, char *err, size_t errlen);
int vk_parse_reposts(const cJSON *resp, struct vk_repost **out, size_t *n, char *err,
                     size_t errlen);
/* database.getCities and database.getRegions: {count, items: [{id, title, area?, region?}]}. */
int vk_parse_places(const cJSON *resp, int64_t *count, struct vk_place **out, size_t *n, char *err,
                    size_t errlen);
int vk_parse_stats(const cJSON *resp, struct vk_stat_day **out, size_t *n, char *err,
                   size_t errlen);

/* ---- the one validation step of VK's numbers and dates ------------------------------------- */

/* 2006-01-01 UTC: VK opened in October 2006, so no date it gives can be older. */
#define VK_BEGAN 1136073600
/* How far VK's clock and the run's may differ: a date later than now + this is refused,
 * and a run whose clock differs from VK's by more is refused (collect_run.c). */
#define VK_CLOCK_SKEW 3600

/*
 * What the numbers and dates of an answer are checked against, and what was refused.
 * The parsers above check types; these checks check meaning, once, for every method:
 * counters and counts are >= 0 and bounded, dates lie between VK_BEGAN and now +
 * VK_CLOCK_SKEW, stats.get days are not in the future.
 */
struct vk_check {
    int64_t now;        /* the run's clock (unix s) */
    int64_t max_people; /* [collect] max_members: members, subscribers, reach, visitors */
    int64_t max_items;  /* [collect] max_items: likes, comments, reposts, views, posts */
    size_t refused;     /* items the last check left out of its answer */
    char what[256];     /* the first of them, e.g. "post 12 (item 5): date -1 is before 2006" */
};

/* vk_check_init: bounds for a run at `now`; refused empty. */
void vk_check_init(struct vk_check *chk, int64_t now, int64_t max_people, int64_t max_items);

/*
 * The checks of each parsed answer, in place. An item that cannot be placed in time (a
 * post, comment or repost with an impossible date, a stats.get day in the future) is left
 * out: *n shrinks, chk->refused counts it and chk->what names the first; the rest of the
 * answer stands. A value no answer can mean (a negative or unbounded counter or count)
 * refuses the whole answer: VKP_EREFUSED with "method: field = value ..." in err, and
 * nothing of it may be written. Otherwise 0.
 */
int vk_check_posts(struct vk_check *chk, int64_t count, struct vk_post *p, size_t *n, char *err,
                   size_t errlen);
int vk_check_comments(struct vk_check *chk, struct vk_comment *c, size_t *n, char *err,
                      size_t errlen);
int vk_check_reposts(struct vk_check *chk, struct vk_repost *r, size_t *n, char *err,
                     size_t errlen);
int vk_check_stats(struct vk_check *chk, struct vk_stat_day *d, size_t *n, char *err,
                   size_t errlen);

/*
 * vk_form_body: the POST body for one method call: the params object
 * (string and number values) plus v and access_token, URL-encoded. The
 * token goes only here, never into a URL. Returns a heap string or NULL.
 */
char *vk_form_body(const cJSON *params, const char *token, const char *version);

/*
 * vk_execute_code: VKScript that makes the n calls and returns their
 * answers as an array: return [API.m1({...}),API.m2({...})]; Heap string
 * or NULL.
 */
char *vk_execute_code(const char *const *methods, const cJSON *const *params, size_t n);

#endif
