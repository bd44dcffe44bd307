/* model.h: what vkpulse keeps of VK objects, shared by the parsers and the store. */
#ifndef VKP_MODEL_H
#define VKP_MODEL_H

#include <stdint.h>

/* groups.getById: one group. Strings point into the parsed JSON. */
struct vk_group {
    int64_t id;              /* positive group id */
    const char *screen_name; /* may be NULL */
    const char *name;        /* may be NULL */
    int64_t members_count;   /* -1 when VK did not say */
    int is_closed;           /* 0 open, 1 closed, 2 private */
    const char *deactivated; /* "deleted", "banned" or NULL */
};

/* groups.getMembers (fields=city): one member. */
struct vk_user {
    int64_t id;              /* user id */
    int64_t city_id;         /* 0 when the profile shows no city */
    const char *city_title;  /* NULL when no city */
    const char *deactivated; /* "deleted", "banned" or NULL */
    const char *first_name;  /* kept only when the config allows */
    const char *last_name;
};

/* wall.get: one post with its counters. */
struct vk_post {
    int64_t owner_id;      /* wall owner: minus the group id */
    int64_t id;            /* post id on that wall */
    int64_t from_id;       /* author: the group, or a member for suggested posts */
    int64_t signer_id;     /* a signed post's author, 0 if none */
    int64_t date;          /* unix time */
    const char *post_type; /* "post", "copy", "suggest" ... or NULL */
    int is_pinned;         /* 1 for the pinned post */
    int64_t copy_owner_id; /* copy_history[0]: the wall it reposts, 0 if none */
    int64_t copy_post_id;
    int64_t copy_date;
    int64_t views, likes, reposts, comments; /* counters, 0 when absent */
    const char *text;                        /* its text, NULL when absent */
};

/* How much of a post's text is kept: a snippet for the report's list of posts. */
#define VK_POST_SNIPPET_CHARS 200

/* wall.getComments: one comment or reply. */
struct vk_comment {
    int64_t id;      /* comment id, unique per wall */
    int64_t from_id; /* author; 0 for a deleted placeholder */
    int64_t date;
    int64_t parent_id;    /* thread root for a reply, 0 for a top-level comment */
    int deleted;          /* VK's deleted placeholder */
    int64_t thread_count; /* replies VK says the thread has */
    int thread_inline;    /* replies included inline */
};

/* wall.getReposts: one repost of a post, a post on another wall. */
struct vk_repost {
    int64_t owner_id; /* the wall it was reposted to */
    int64_t id;       /* its post id there */
    int64_t date;
};

/* stats.get (interval=day): one day. */
struct vk_stat_day {
    int64_t day; /* period_from */
    int64_t reach, reach_subscribers, visitors, views;
    int64_t subscribed, unsubscribed, likes, comments, copies;
};

/* A place of VK's database: a city of database.getCities, or a region of
 * database.getRegions (then area and region are NULL). */
struct vk_place {
    int64_t id;         /* city or region id */
    const char *title;  /* as VK writes it */
    const char *area;   /* the city's district, NULL when VK gives none */
    const char *region; /* the city's region title, NULL when VK gives none */
};

#endif
