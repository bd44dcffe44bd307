/* dataset_int.h: what dataset.c (presets, ds_new) and dataset_gen.c (the generation phases)
 * share, private to them. */
#ifndef FV_DATASET_INT_H
#define FV_DATASET_INT_H

#include "dataset.h"

/* Sizes and engagement of a preset. Groups past n_groups reuse the arrays cyclically. */
struct preset {
    const char *name;   /* --dataset value */
    int n_groups;       /* default number of groups */
    int64_t members[5]; /* members per group */
    int64_t posts[5];   /* posts per group a year */
    double like_frac;   /* mean likes per post as a fraction of the group's members */
    double top_mean;    /* mean top-level comments per post */
    double repost_mean; /* mean listed reposts per post */
    int demo;           /* demo screen names and the alert scenarios */
};

/* Generator state shared by the phases. */
struct gen {
    struct dataset *ds;      /* the dataset being built */
    const struct preset *pr; /* its preset */
    int64_t *members_of;     /* members per group */
    int64_t *posts_of;       /* posts per group */
    uint32_t *perm;          /* scratch permutation of member indexes, for distinct draws */
    uint8_t *mark;           /* per user: already in the group being built */
};

/* The phases ds_new runs in this order; each returns 0 or FV_ENOMEM. 1 to 3 run per group. */

/* Phase 1: the members of group @gi, with their join and leave times; @ur draws the users. */
int gen_members(struct gen *G, struct rng *ur, size_t gi);
/* Phase 2: the posts of group @gi with their likes, comments and reposts. */
int gen_posts(struct gen *G, size_t gi);
/* Phase 3: posts and comments of a wall share one counter, increasing with time. */
int assign_wall_ids(struct gen *G, size_t gi);
/* Phase 4: every repost gets its original, in the dataset or on an outside wall. */
int link_copies(struct gen *G);
/* Phase 5: a member's reposts are posts on their own wall, numbered by date per user. */
int assign_user_post_ids(struct gen *G);

#endif
