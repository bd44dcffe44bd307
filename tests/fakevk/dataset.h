/* dataset.h: the synthetic VK world (groups, users, posts, reactions) and its timeline queries. */
#ifndef FV_DATASET_H
#define FV_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define DS_GROUP_ID_BASE 200000001LL /* id of the first group; owner_id is its negation */
#define DS_USER_ID_BASE 1000001LL    /* id of the first user */
#define DS_NEVER INT64_MAX           /* "no leave time" */
#define DS_DAY 86400LL
#define DS_YEAR (365 * DS_DAY)
#define DS_DEFAULT_ANCHOR 1795392000LL /* 2026-11-23 00:00 UTC */
#define DS_DEFAULT_SEED 1ULL
#define DS_QUIET_DAYS 35 /* demo group 5 has no activity in this many days before the anchor */
#define DS_LOSS_DAYS 7   /* demo group 2 loses members in this many days before the anchor */

/* Bounds on the overrides, so that a typo cannot exhaust memory. */
#define DS_MAX_GROUPS 100
#define DS_MAX_MEMBERS 2000000
#define DS_MAX_POSTS 100000
#define DS_MAX_YEARS 10 /* --years: history length */
#define DS_MAX_USERS 5000000

enum ds_deact {
    DS_ACTIVE = 0,
    DS_DELETED = 1,
    DS_BANNED = 2,
};

/* A user's profile; names are drawn from tables.c by index. */
struct ds_user {
    int16_t city;  /* index into geo_get()->cities, or -1 when the profile has no city */
    uint8_t deact; /* enum ds_deact */
    uint8_t sex;   /* VK's code: 1 female, 2 male */
    uint8_t first; /* index into the first-name table of that sex */
    uint8_t last;  /* index into tables_last */
};

/* One membership of a user in a group. */
struct ds_member {
    int64_t user_id; /* the member */
    int64_t join;    /* unix time the user joined */
    int64_t leave;   /* unix time the user left, or DS_NEVER */
};

/* A like on a post. */
struct ds_like {
    int64_t user_id; /* who liked */
    int64_t date;    /* when (likes.getList gives no dates; the timeline needs them) */
};

/* A comment on a post: a top-level comment owns its thread of replies. */
struct ds_comment {
    int64_t id;                 /* comment id: shares the owner's wall counter with posts */
    int64_t from_id;            /* author, a user id */
    int64_t date;               /* unix time */
    int64_t reply_to_comment;   /* replies: the comment answered (root or a reply); else 0 */
    int64_t reply_to_user;      /* replies: the author of that comment; else 0 */
    struct ds_comment *replies; /* top level: the thread, date ascending; else NULL */
    uint32_t n_replies;         /* entries in replies */
    uint16_t text;              /* index into tables_comment_texts */
    uint8_t deleted;            /* 1: VK shows a "deleted: true" placeholder */
};

/* A listed repost: a post on another wall whose copy_history points at the original. */
struct ds_repost {
    int64_t owner_id; /* wall of the repost: a user id, or -group id */
    int64_t post_id;  /* the repost's id on that wall */
    int64_t date;     /* unix time of the repost */
};

/* A post on a group wall. */
struct ds_post {
    int64_t id;                /* post id, increasing with date on this wall */
    int64_t owner_id;          /* -group id */
    int64_t from_id;           /* author: -group id, or the member for a published suggested post */
    int64_t signer_id;         /* member who signed the post, or 0 */
    int64_t date;              /* unix time of publication */
    int64_t copy_owner_id;     /* repost: the original's wall; else 0 */
    int64_t copy_post_id;      /* repost: the original's id; else 0 */
    int64_t copy_from_id;      /* repost: the original's author */
    int64_t copy_date;         /* repost: the original's date */
    struct ds_like *likes;     /* date ascending */
    struct ds_comment *top;    /* top-level comments, date (and id) ascending */
    struct ds_repost *reposts; /* listed reposts, date ascending */
    int64_t *mail;             /* dates of reposts sent by private message, ascending */
    int64_t views_base;        /* views approach this number, then grow slowly */
    uint32_t n_likes;          /* entries in likes */
    uint32_t n_top;            /* entries in top */
    uint32_t n_reposts;        /* entries in reposts */
    uint32_t n_mail;           /* entries in mail */
    uint16_t text;             /* index into tables_post_texts */
    uint16_t copy_text;        /* repost: the original's text index */
    uint8_t is_pinned;         /* 1 for the group's pinned post */
    uint8_t suggested;         /* 1 for a suggested post published by the group */
    uint8_t comments_closed;   /* 1: wall.getComments answers error 212 */
    uint32_t tmp_extra;        /* scratch counter used while linking reposts */
};

/* A community. */
struct ds_group {
    int64_t id;                /* group id (owner_id is -id) */
    const char *screen_name;   /* short address */
    const char *name;          /* display name */
    struct ds_member *members; /* every member ever, user id ascending */
    size_t n_members;          /* entries in members */
    struct ds_post *posts;     /* date (and id) ascending */
    size_t n_posts;            /* entries in posts */
    long pinned;               /* index of the pinned post in posts, or -1 */
};

/* What to generate. Zero fields take the preset's value. */
struct ds_config {
    const char *preset;  /* "tiny", "demo", "bench" or "huge" */
    int n_groups;        /* groups (0: preset) */
    int64_t members;     /* members per group (-1: preset) */
    int64_t posts;       /* posts per group (-1: preset; 0 allowed) */
    uint64_t seed;       /* generator seed */
    int64_t anchor;      /* the dataset's present */
    int closed_comments; /* every 17th post has comments closed */
    int years;           /* years of wall history before the anchor (0: 1) */
};

/* The whole world, immutable once generated. */
struct dataset {
    struct ds_config cfg;    /* what was asked for, presets resolved */
    int demo;                /* 1 when the demo preset's alert scenarios apply */
    struct ds_user *users;   /* users by id - DS_USER_ID_BASE */
    size_t n_users;          /* entries in users */
    struct ds_group *groups; /* groups by id - DS_GROUP_ID_BASE */
    size_t n_groups;         /* entries in groups */
    struct arena arena;      /* owns every array above */
};

/* Returns 1 if @name is a known preset. */
int ds_preset_known(const char *name);
/* Generates the dataset described by @cfg into *@out. Returns 0, FV_EINVAL (bad config, message
 * in @err), or FV_ENOMEM. */
int ds_new(const struct ds_config *cfg, struct dataset **out, char *err, size_t errlen);
/* Frees a dataset; NULL is a no-op. */
void ds_free(struct dataset *ds);

/* ---- look-ups ---- */

/* Group by numeric id, "clubN"/"publicN" or screen name; NULL if unknown. */
const struct ds_group *ds_group_find(const struct dataset *ds, const char *key);
/* Group by id; NULL if unknown. */
const struct ds_group *ds_group_by_id(const struct dataset *ds, int64_t id);
/* User by id; NULL if unknown. */
const struct ds_user *ds_user_by_id(const struct dataset *ds, int64_t id);
/* First name of a user ("DELETED" for deleted profiles, as VK does). */
const char *ds_user_first_name(const struct ds_user *u);
/* Last name into @out (the feminine form for women; "" for deleted profiles). */
void ds_user_last_name(const struct ds_user *u, char *out, size_t outlen);

/* ---- timeline: what is visible at server time t ---- */

/* 1 if the membership is current at t. */
int ds_member_current(const struct ds_member *m, int64_t t);
/* Current members of a group at t. */
size_t ds_members_count(const struct ds_group *g, int64_t t);
/* Number of posts with date <= t (they are posts[0 .. n-1]). */
size_t ds_posts_visible(const struct ds_group *g, int64_t t);
/* A post visible at t by id, or NULL. */
const struct ds_post *ds_post_find(const struct ds_group *g, int64_t post_id, int64_t t);
/* Likes with date <= t (likes[0 .. n-1]). */
size_t ds_likes_visible(const struct ds_post *p, int64_t t);
/* Top-level comments with date <= t (top[0 .. n-1]). */
size_t ds_top_visible(const struct ds_post *p, int64_t t);
/* Replies of a top-level comment with date <= t. */
size_t ds_replies_visible(const struct ds_comment *c, int64_t t);
/* All comments (replies and deleted placeholders included) visible at t. */
size_t ds_comments_total(const struct ds_post *p, int64_t t);
/* Listed reposts with date <= t (reposts[0 .. n-1]). */
size_t ds_reposts_visible(const struct ds_post *p, int64_t t);
/* Private-message reposts with date <= t. */
size_t ds_mail_visible(const struct ds_post *p, int64_t t);
/* Views at t (grows with time, never below the likes). */
int64_t ds_views(const struct ds_post *p, int64_t t);

#endif
