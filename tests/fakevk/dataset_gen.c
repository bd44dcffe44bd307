/* dataset_gen.c: the phases that generate the synthetic world: members, posts with their likes,
 * comments and reposts, wall ids, the originals of reposts, and the posts of user walls. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_int.h"
#include "geo.h"
#include "tables.h"

/* ==== generation ============================================================================== */

/* -1, 0 or 1 as x is less than, equal to or greater than y: the comparators' one step. */
static int order_i64(int64_t x, int64_t y)
{
    return (x > y) - (x < y);
}

/* Lexicographic order of up to three keys (0, 0 for a key not used). */
static int order3(int64_t x1, int64_t y1, int64_t x2, int64_t y2, int64_t x3, int64_t y3)
{
    int c = order_i64(x1, y1);
    if (!c)
        c = order_i64(x2, y2);
    return c ? c : order_i64(x3, y3);
}

static int cmp_i64(const void *a, const void *b)
{
    return order_i64(*(const int64_t *)a, *(const int64_t *)b);
}

static int cmp_member(const void *a, const void *b)
{
    const struct ds_member *x = a, *y = b;
    return order_i64(x->user_id, y->user_id);
}

static int cmp_like(const void *a, const void *b)
{
    const struct ds_like *x = a, *y = b;
    return order3(x->date, y->date, x->user_id, y->user_id, 0, 0);
}

static int cmp_repost(const void *a, const void *b)
{
    const struct ds_repost *x = a, *y = b;
    return order3(x->date, y->date, x->owner_id, y->owner_id, x->post_id, y->post_id);
}

/* Picks a member index of the group uniformly; k successive calls after perm_reset give k
 * distinct members (a partial Fisher-Yates shuffle over the scratch permutation). */
static uint32_t perm_pick(struct gen *G, struct rng *r, size_t n, size_t i)
{
    size_t j = i + (size_t)rng_below(r, n - i);
    uint32_t t = G->perm[i];
    G->perm[i] = G->perm[j];
    G->perm[j] = t;
    return G->perm[i];
}

/* A moment after @base, strictly before @limit (callers ensure limit > base + 1). */
static int64_t after(struct rng *r, int64_t base, double mean, int64_t limit)
{
    int64_t lo = base + 30 < limit ? base + 30 : base + 1;
    double x = (double)lo + rng_exp(r, mean);
    if (x >= (double)limit)
        return rng_range(r, lo, limit - 1);
    return (int64_t)x;
}

static int64_t draw_count(struct rng *r, double mean, int64_t max)
{
    double x = mean * rng_exp(r, 1.0);
    int64_t n = (int64_t)llround(x);
    if (n > max)
        n = max;
    return n < 0 ? 0 : n;
}

/* Creates one new user with the next id. */
static int64_t new_user(struct gen *G, struct rng *r)
{
    struct dataset *ds = G->ds;
    struct ds_user *u = &ds->users[ds->n_users];
    double x = rng_unit(r) * 100.0;
    u->city = -1;
    u->sex = rng_percent(r, 80) ? 1 : 2;
    u->first = (uint8_t)rng_below(r, u->sex == 1 ? tables_n_female_first : tables_n_male_first);
    u->last = (uint8_t)rng_below(r, tables_n_last);
    if (x < 2.0) {
        u->deact = DS_DELETED;
    } else if (x < 3.0) {
        u->deact = DS_BANNED;
    } else if (x < 83.0) {
        /* 70 % of all users live in the region, 10 % elsewhere, the rest show no city. */
        int want_region = x < 73.0;
        int total = 0;
        for (size_t i = 0; i < tables_n_cities; i++)
            if (tables_cities[i].in_region == want_region)
                total += tables_cities[i].weight;
        int pick = (int)rng_below(r, (uint64_t)total);
        for (size_t i = 0; i < tables_n_cities; i++) {
            if (tables_cities[i].in_region != want_region)
                continue;
            if (pick < tables_cities[i].weight) {
                /* the directory index: the town drawn, or a village near it */
                u->city = (int16_t)geo_resettle((int)i, DS_USER_ID_BASE + (int64_t)ds->n_users);
                break;
            }
            pick -= tables_cities[i].weight;
        }
    }
    return DS_USER_ID_BASE + (int64_t)ds->n_users++;
}

/* Phase 1: the members of group @gi, with their join and leave times. About 20 % of a group's
 * members (from the second group on) are users already in an earlier group. */
int gen_members(struct gen *G, struct rng *ur, size_t gi)
{
    struct dataset *ds = G->ds;
    struct ds_group *g = &ds->groups[gi];
    int64_t anchor = ds->cfg.anchor, start = anchor - ds->cfg.years * DS_YEAR;
    int64_t m = G->members_of[gi];
    struct rng r;
    rng_seed(&r, ds->cfg.seed, 100 + gi);

    size_t used = ds->n_users;
    size_t n_shared = gi > 0 ? (size_t)llround(0.2 * (double)m) : 0;
    if (n_shared > used)
        n_shared = used;
    g->members = arena_calloc(&ds->arena, (size_t)m, sizeof(*g->members));
    if (!g->members)
        return FV_ENOMEM;
    g->n_members = (size_t)m;
    size_t k = 0;
    while (k < n_shared) {
        size_t idx = (size_t)rng_below(&r, used);
        if (G->mark[idx])
            continue;
        G->mark[idx] = 1;
        g->members[k++].user_id = DS_USER_ID_BASE + (int64_t)idx;
    }
    while (k < (size_t)m)
        g->members[k++].user_id = new_user(G, ur);
    for (size_t i = 0; i < n_shared; i++)
        G->mark[g->members[i].user_id - DS_USER_ID_BASE] = 0;
    qsort(g->members, g->n_members, sizeof(*g->members), cmp_member);

    for (size_t i = 0; i < g->n_members; i++) {
        struct ds_member *mb = &g->members[i];
        if (rng_percent(&r, 75))
            mb->join = rng_range(&r, start - 3 * DS_YEAR, start - 1);
        else
            mb->join = rng_range(&r, start, anchor - 60);
        mb->leave = DS_NEVER;
        int leaves = rng_percent(&r, 8);
        int64_t when = rng_range(&r, mb->join + DS_DAY, anchor - 1);
        if (leaves && mb->join + DS_DAY < anchor - 1)
            mb->leave = when;
        if (ds->demo && gi == 1) {
            /* Demo group 2 loses about 12 % of its members in the last week. */
            int64_t from = anchor - DS_LOSS_DAYS * DS_DAY;
            int drop = rng_percent(&r, 12);
            int64_t at = rng_range(&r, from, anchor - 1);
            if (drop && ds_member_current(mb, from))
                mb->leave = at;
        }
    }
    return 0;
}

/* Fills the likes of @p: distinct members of @g, each at a time after the post and before @limit.
 */
static void gen_likes(struct gen *G, struct rng *r, const struct ds_group *g, struct ds_post *p,
                      int64_t limit)
{
    for (uint32_t i = 0; i < p->n_likes; i++) {
        uint32_t mi = perm_pick(G, r, g->n_members, i);
        p->likes[i].user_id = g->members[mi].user_id;
        p->likes[i].date = after(r, p->date, 2.0 * DS_DAY, limit);
    }
    qsort(p->likes, p->n_likes, sizeof(*p->likes), cmp_like);
}

/* n moments after @base (see after), in date order, into dates. */
static void sorted_after(struct rng *r, int64_t *dates, int64_t n, int64_t base, double mean,
                         int64_t limit)
{
    for (int64_t i = 0; i < n; i++)
        dates[i] = after(r, base, mean, limit);
    qsort(dates, (size_t)n, sizeof(*dates), cmp_i64);
}

/* A comment or reply at @date: its author among the group's members, its text, and whether it
 * was deleted since (drawn in that order). */
static void draw_comment(struct rng *r, const struct ds_group *g, struct ds_comment *c,
                         int64_t date)
{
    c->date = date;
    c->from_id = g->members[rng_below(r, g->n_members)].user_id;
    c->text = (uint16_t)rng_below(r, tables_n_comment_texts);
    c->deleted = (uint8_t)rng_percent(r, 2);
}

/* Comments of one post: top-level ones and their threads; reply_to_comment temporarily holds
 * 0 for "the root" or k for "the k-th reply" until ids exist. */
static int gen_comments(struct gen *G, struct rng *r, const struct ds_group *g, struct ds_post *p,
                        size_t post_idx, int64_t limit)
{
    struct dataset *ds = G->ds;
    int64_t n_top = draw_count(r, G->pr->top_mean, 5000);
    int64_t *dates = NULL;
    int rc = FV_ENOMEM;
    p->n_top = (uint32_t)n_top;
    p->top = arena_calloc(&ds->arena, (size_t)n_top, sizeof(*p->top));
    dates = malloc(sizeof(*dates) * (size_t)(n_top + 64));
    if (!p->top || !dates)
        goto fail;
    sorted_after(r, dates, n_top, p->date, 1.5 * DS_DAY, limit);
    for (int64_t i = 0; i < n_top; i++) {
        struct ds_comment *c = &p->top[i];
        draw_comment(r, g, c, dates[i]);
        if (i == 0 && post_idx % 9 == 4)
            c->deleted = 1;
        double u = rng_unit(r);
        int64_t n_rep = u < 0.6    ? 0
                        : u < 0.9  ? rng_range(r, 1, 3)
                        : u < 0.98 ? rng_range(r, 4, 10)
                                   : rng_range(r, 11, 40);
        if (i == 0 && post_idx % 7 == 3)
            n_rep = rng_range(r, 11, 35); /* long threads need their own wall.getComments */
        if (limit - c->date < 2)
            n_rep = 0;
        if (n_rep == 0)
            continue;
        if (n_rep > 64) {
            int64_t *nd = realloc(dates, sizeof(*dates) * (size_t)(n_top + n_rep));
            if (!nd)
                goto fail;
            dates = nd;
        }
        int64_t *rd = dates + n_top;
        c->n_replies = (uint32_t)n_rep;
        c->replies = arena_calloc(&ds->arena, (size_t)n_rep, sizeof(*c->replies));
        if (!c->replies)
            goto fail;
        sorted_after(r, rd, n_rep, c->date, 0.25 * DS_DAY, limit);
        for (int64_t j = 0; j < n_rep; j++) {
            struct ds_comment *rp = &c->replies[j];
            draw_comment(r, g, rp, rd[j]);
            if (j > 0 && rng_percent(r, 30)) {
                int64_t to = rng_range(r, 1, j);
                rp->reply_to_comment = to;
                rp->reply_to_user = c->replies[to - 1].from_id;
            } else {
                rp->reply_to_comment = 0;
                rp->reply_to_user = c->from_id;
            }
        }
    }
    rc = 0;
fail:
    free(dates);
    return rc;
}

/* Phase 2: the posts of group @gi with their likes, comments and reposts. */
int gen_posts(struct gen *G, size_t gi)
{
    struct dataset *ds = G->ds;
    struct ds_group *g = &ds->groups[gi];
    int64_t anchor = ds->cfg.anchor, start = anchor - ds->cfg.years * DS_YEAR;
    int64_t limit = anchor; /* every event happens strictly before this */
    int64_t n = G->posts_of[gi];
    int64_t *dates = NULL;
    int rc = FV_ENOMEM;
    struct rng r;
    rng_seed(&r, ds->cfg.seed, 1000 + gi);

    if (ds->demo && gi == 4)
        limit = anchor - DS_QUIET_DAYS * DS_DAY; /* demo group 5 went quiet */
    g->pinned = -1;
    g->n_posts = (size_t)n;
    g->posts = arena_calloc(&ds->arena, (size_t)n, sizeof(*g->posts));
    dates = malloc(sizeof(*dates) * (size_t)(n + 1));
    if (!g->posts || !dates)
        goto fail;
    for (int64_t i = 0; i < n; i++)
        dates[i] = rng_range(&r, start, limit - 3600);
    qsort(dates, (size_t)n, sizeof(*dates), cmp_i64);
    for (size_t i = 0; i < g->n_members; i++)
        G->perm[i] = (uint32_t)i;

    for (int64_t i = 0; i < n; i++) {
        struct ds_post *p = &g->posts[i];
        p->owner_id = -g->id;
        p->from_id = -g->id;
        p->date = dates[i];
        p->text = (uint16_t)rng_below(&r, tables_n_post_texts);
        double u = rng_unit(&r);
        int64_t who = g->members[rng_below(&r, g->n_members)].user_id;
        if (u < 0.10)
            p->signer_id = who;
        else if (u < 0.15) {
            p->suggested = 1;
            p->from_id = who;
        } else if (u < 0.25)
            p->copy_post_id = -1; /* a repost: the original is chosen once all walls exist */

        p->n_likes = (uint32_t)draw_count(&r, G->pr->like_frac * (double)g->n_members,
                                          (int64_t)g->n_members);
        p->likes = arena_calloc(&ds->arena, p->n_likes, sizeof(*p->likes));
        if (!p->likes)
            goto fail;
        gen_likes(G, &r, g, p, limit);

        rc = gen_comments(G, &r, g, p, (size_t)i, limit);
        if (rc)
            goto fail;
        rc = FV_ENOMEM;

        p->n_reposts = (uint32_t)draw_count(&r, G->pr->repost_mean, (int64_t)g->n_members);
        p->reposts = arena_calloc(&ds->arena, p->n_reposts, sizeof(*p->reposts));
        if (!p->reposts)
            goto fail;
        for (uint32_t k = 0; k < p->n_reposts; k++) {
            p->reposts[k].owner_id = g->members[perm_pick(G, &r, g->n_members, k)].user_id;
            p->reposts[k].date = after(&r, p->date, 3.0 * DS_DAY, limit);
        }
        qsort(p->reposts, p->n_reposts, sizeof(*p->reposts), cmp_repost);
        p->n_mail = rng_percent(&r, 50) ? (uint32_t)rng_range(&r, 1, 3) : 0;
        p->mail = arena_calloc(&ds->arena, p->n_mail, sizeof(*p->mail));
        if (!p->mail)
            goto fail;
        for (uint32_t k = 0; k < p->n_mail; k++)
            p->mail[k] = after(&r, p->date, 3.0 * DS_DAY, limit);
        qsort(p->mail, p->n_mail, sizeof(*p->mail), cmp_i64);
        p->views_base = (int64_t)((double)g->n_members * (0.2 + 0.8 * rng_unit(&r))) +
                        3 * (int64_t)p->n_likes + 10;
    }

    /* The pinned post is an old one: more than 200 days before the anchor. */
    if (n > 0) {
        size_t old = 0;
        while (old < (size_t)n && g->posts[old].date < anchor - 200 * DS_DAY)
            old++;
        g->pinned = old ? (long)rng_below(&r, old) : 0;
        g->posts[g->pinned].is_pinned = 1;
    }
    rc = 0;
fail:
    free(dates);
    return rc;
}

/* An event on a wall that takes an id from the wall's shared counter. */
struct wall_event {
    int64_t date;  /* when it happened */
    uint32_t kind; /* 0 post, 1 comment: a post wins a tie */
    uint32_t seq;  /* creation order, the last tie-breaker */
    int64_t *id;   /* where the id goes */
};

static int cmp_event(const void *a, const void *b)
{
    const struct wall_event *x = a, *y = b;
    return order3(x->date, y->date, x->kind, y->kind, x->seq, y->seq);
}

/* Phase 3: posts and comments of a wall share one counter, increasing with time, with small
 * gaps (deleted posts) as on VK. */
int assign_wall_ids(struct gen *G, size_t gi)
{
    struct dataset *ds = G->ds;
    struct ds_group *g = &ds->groups[gi];
    size_t n = g->n_posts;
    struct rng r;
    rng_seed(&r, ds->cfg.seed, 3000 + gi);
    for (size_t i = 0; i < g->n_posts; i++)
        for (uint32_t j = 0; j < g->posts[i].n_top; j++)
            n += 1 + g->posts[i].top[j].n_replies;
    struct wall_event *ev = malloc(sizeof(*ev) * (n ? n : 1));
    if (!ev)
        return FV_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < g->n_posts; i++) {
        struct ds_post *p = &g->posts[i];
        ev[k] = (struct wall_event){p->date, 0, (uint32_t)k, &p->id};
        k++;
        for (uint32_t j = 0; j < p->n_top; j++) {
            struct ds_comment *c = &p->top[j];
            ev[k] = (struct wall_event){c->date, 1, (uint32_t)k, &c->id};
            k++;
            for (uint32_t q = 0; q < c->n_replies; q++) {
                ev[k] = (struct wall_event){c->replies[q].date, 1, (uint32_t)k, &c->replies[q].id};
                k++;
            }
        }
    }
    qsort(ev, n, sizeof(*ev), cmp_event);
    int64_t next = rng_range(&r, 1, 20);
    for (size_t i = 0; i < n; i++) {
        *ev[i].id = next;
        next += 1 + (rng_percent(&r, 3) ? rng_range(&r, 1, 3) : 0);
    }
    free(ev);

    /* Now that ids exist, turn reply indexes into comment ids. */
    for (size_t i = 0; i < g->n_posts; i++) {
        struct ds_post *p = &g->posts[i];
        for (uint32_t j = 0; j < p->n_top; j++) {
            struct ds_comment *c = &p->top[j];
            for (uint32_t q = 0; q < c->n_replies; q++) {
                struct ds_comment *rp = &c->replies[q];
                int64_t to = rp->reply_to_comment;
                rp->reply_to_comment = to == 0 ? c->id : c->replies[to - 1].id;
            }
        }
    }
    return 0;
}

/* A repost of a dataset post by another group, to be listed under the original. */
struct copy_link {
    struct ds_post *copy; /* the repost */
    struct ds_post *src;  /* the original */
};

/* Phase 4: every repost gets its original: half of them (when there are other groups) a post of
 * another group of the dataset, which then lists the repost; the rest an outside wall. */
int link_copies(struct gen *G)
{
    struct dataset *ds = G->ds;
    int64_t quiet_from = ds->cfg.anchor - DS_QUIET_DAYS * DS_DAY;
    size_t total = 0, n_links = 0;
    struct copy_link *links = NULL;
    int rc = FV_ENOMEM;
    struct rng r;
    rng_seed(&r, ds->cfg.seed, 5);

    for (size_t gi = 0; gi < ds->n_groups; gi++)
        total += ds->groups[gi].n_posts;
    links = malloc(sizeof(*links) * (total ? total : 1));
    if (!links)
        goto fail;
    for (size_t gi = 0; gi < ds->n_groups; gi++) {
        struct ds_group *g = &ds->groups[gi];
        for (size_t i = 0; i < g->n_posts; i++) {
            struct ds_post *p = &g->posts[i];
            if (p->copy_post_id != -1)
                continue;
            struct ds_post *src = NULL;
            int internal = rng_percent(&r, 50);
            uint64_t pick_group = rng_next(&r), pick_post = rng_next(&r);
            if (internal && ds->n_groups > 1) {
                size_t other = (size_t)(pick_group % (ds->n_groups - 1));
                if (other >= gi)
                    other++;
                struct ds_group *og = &ds->groups[other];
                size_t k = 0;
                while (k < og->n_posts && og->posts[k].date < p->date - 3600)
                    k++;
                if (ds->demo && other == 4 && p->date >= quiet_from)
                    k = 0; /* keep demo group 5 quiet: no copies of it lately */
                for (size_t t = k ? (size_t)(pick_post % k) + 1 : 0; t > 0; t--)
                    if (og->posts[t - 1].copy_post_id == 0) {
                        src = &og->posts[t - 1];
                        break;
                    }
            }
            int64_t ext_id = (int64_t)rng_below(&r, 99999999);
            int to_group = rng_percent(&r, 60);
            int64_t ext_post = rng_range(&r, 1, 50000);
            int64_t ext_age = rng_range(&r, 3600, 30 * DS_DAY);
            uint16_t ext_text = (uint16_t)rng_below(&r, tables_n_post_texts);
            if (src) {
                p->copy_owner_id = src->owner_id;
                p->copy_post_id = src->id;
                p->copy_from_id = src->from_id;
                p->copy_date = src->date;
                p->copy_text = src->text;
                src->tmp_extra++;
                links[n_links].copy = p;
                links[n_links].src = src;
                n_links++;
            } else {
                p->copy_owner_id = to_group ? -(100000001 + ext_id) : 700000001 + ext_id;
                p->copy_post_id = ext_post;
                p->copy_from_id = p->copy_owner_id;
                p->copy_date = p->date - ext_age;
                p->copy_text = ext_text;
            }
        }
    }
    /* Grow the originals' repost lists and append the group reposts. */
    for (size_t i = 0; i < n_links; i++) {
        struct ds_post *src = links[i].src;
        if (src->tmp_extra == 0)
            continue;
        struct ds_repost *nr =
            arena_calloc(&ds->arena, src->n_reposts + src->tmp_extra, sizeof(*nr));
        if (!nr)
            goto fail;
        if (src->n_reposts)
            memcpy(nr, src->reposts, sizeof(*nr) * src->n_reposts);
        src->reposts = nr;
        src->tmp_extra = 0;
    }
    for (size_t i = 0; i < n_links; i++) {
        struct ds_post *src = links[i].src, *copy = links[i].copy;
        src->reposts[src->n_reposts++] = (struct ds_repost){copy->owner_id, copy->id, copy->date};
        qsort(src->reposts, src->n_reposts, sizeof(*src->reposts), cmp_repost);
    }
    rc = 0;
fail:
    free(links);
    return rc;
}

/* A member's repost, for numbering the posts of user walls. */
struct user_repost {
    struct ds_repost *r; /* the repost */
    size_t seq;          /* creation order, the last tie-breaker */
};

static int cmp_user_repost(const void *a, const void *b)
{
    const struct user_repost *x = a, *y = b;
    return order3(x->r->owner_id, y->r->owner_id, x->r->date, y->r->date, (int64_t)x->seq,
                  (int64_t)y->seq);
}

/* Phase 5: a member's reposts are posts on their own wall, numbered by date per user. */
int assign_user_post_ids(struct gen *G)
{
    struct dataset *ds = G->ds;
    size_t n = 0, k = 0;
    struct rng r;
    rng_seed(&r, ds->cfg.seed, 6);
    for (size_t gi = 0; gi < ds->n_groups; gi++)
        for (size_t i = 0; i < ds->groups[gi].n_posts; i++)
            n += ds->groups[gi].posts[i].n_reposts;
    struct user_repost *all = malloc(sizeof(*all) * (n ? n : 1));
    if (!all)
        return FV_ENOMEM;
    for (size_t gi = 0; gi < ds->n_groups; gi++)
        for (size_t i = 0; i < ds->groups[gi].n_posts; i++) {
            struct ds_post *p = &ds->groups[gi].posts[i];
            for (uint32_t j = 0; j < p->n_reposts; j++)
                if (p->reposts[j].owner_id > 0) {
                    all[k].r = &p->reposts[j];
                    all[k].seq = k;
                    k++;
                }
        }
    qsort(all, k, sizeof(*all), cmp_user_repost);
    int64_t next = 0, owner = 0;
    for (size_t i = 0; i < k; i++) {
        if (all[i].r->owner_id != owner) {
            owner = all[i].r->owner_id;
            next = rng_range(&r, 1, 40);
        }
        all[i].r->post_id = next;
        next += 1 + (int64_t)rng_below(&r, 3);
    }
    free(all);
    return 0;
}
