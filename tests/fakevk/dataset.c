/* dataset.c: the synthetic VK world (groups, users, posts, reactions): presets, building it and
 * its timeline queries. The generation phases are in dataset_gen.c. */
#include "dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dataset_int.h"
#include "geo.h"
#include "tables.h"

/* ==== presets ================================================================================= */

static const struct preset presets[] = {
    {"tiny", 2, {50, 50}, {20, 20}, 0.15, 3.0, 1.0, 0},
    {"demo", 5, {2400, 1800, 1500, 1100, 800}, {180, 150, 160, 120, 100}, 0.03, 5.0, 2.0, 1},
    {"bench", 2, {7500, 7500}, {150, 150}, 0.09, 25.0, 4.0, 0},
    {"huge", 1, {300000}, {12}, 0.01, 40.0, 15.0, 0},
};

static const struct preset *preset_find(const char *name)
{
    for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
        if (strcmp(presets[i].name, name) == 0)
            return &presets[i];
    return NULL;
}

int ds_preset_known(const char *name)
{
    return preset_find(name) != NULL;
}

/* ==== building ================================================================================ */

int ds_new(const struct ds_config *cfg, struct dataset **out, char *err, size_t errlen)
{
    struct gen G;
    struct dataset *ds = NULL;
    struct rng ur;
    int rc = FV_ENOMEM;
    memset(&G, 0, sizeof(G));
    *out = NULL;

    G.pr = preset_find(cfg->preset ? cfg->preset : "tiny");
    if (!G.pr) {
        snprintf(err, errlen, "unknown dataset '%s': use tiny, demo, bench or huge", cfg->preset);
        return FV_EINVAL;
    }
    ds = calloc(1, sizeof(*ds));
    if (!ds)
        return FV_ENOMEM;
    arena_init(&ds->arena);
    ds->cfg = *cfg;
    ds->cfg.preset = G.pr->name;
    ds->demo = G.pr->demo;
    if (ds->cfg.n_groups <= 0)
        ds->cfg.n_groups = G.pr->n_groups;
    if (ds->cfg.years <= 0)
        ds->cfg.years = 1; /* the tests' figures are tied to one year; the demo asks for 3 */
    if (ds->cfg.n_groups > DS_MAX_GROUPS || (cfg->members != -1 && cfg->members < 1) ||
        cfg->members > DS_MAX_MEMBERS || cfg->posts < -1 || cfg->posts > DS_MAX_POSTS ||
        ds->cfg.years > DS_MAX_YEARS) {
        snprintf(err, errlen,
                 "dataset size out of bounds: groups 1..%d, members 1..%d, posts 0..%d, "
                 "years 1..%d",
                 DS_MAX_GROUPS, DS_MAX_MEMBERS, DS_MAX_POSTS, DS_MAX_YEARS);
        rc = FV_EINVAL;
        goto fail;
    }
    if (cfg->anchor < (4 + ds->cfg.years) * DS_YEAR) {
        snprintf(err, errlen, "anchor %lld is too early", (long long)cfg->anchor);
        rc = FV_EINVAL;
        goto fail;
    }
    ds->n_groups = (size_t)ds->cfg.n_groups;
    G.ds = ds;
    G.members_of = calloc(ds->n_groups, sizeof(*G.members_of));
    G.posts_of = calloc(ds->n_groups, sizeof(*G.posts_of));
    if (!G.members_of || !G.posts_of)
        goto fail;
    size_t total_members = 0, max_members = 0;
    for (size_t i = 0; i < ds->n_groups; i++) {
        size_t pi = i % (size_t)G.pr->n_groups;
        G.members_of[i] = cfg->members > 0 ? cfg->members : G.pr->members[pi];
        /* A preset's posts are a year's: a longer history keeps the pace. */
        G.posts_of[i] = cfg->posts >= 0 ? cfg->posts : G.pr->posts[pi] * ds->cfg.years;
        total_members += (size_t)G.members_of[i];
        if ((size_t)G.members_of[i] > max_members)
            max_members = (size_t)G.members_of[i];
    }
    if (total_members > DS_MAX_USERS) {
        snprintf(err, errlen, "too many members in total (%zu > %d)", total_members, DS_MAX_USERS);
        rc = FV_EINVAL;
        goto fail;
    }
    ds->groups = arena_calloc(&ds->arena, ds->n_groups, sizeof(*ds->groups));
    ds->users = arena_calloc(&ds->arena, total_members, sizeof(*ds->users));
    G.perm = malloc(sizeof(*G.perm) * (max_members ? max_members : 1));
    G.mark = calloc(total_members ? total_members : 1, 1);
    if (!ds->groups || !ds->users || !G.perm || !G.mark)
        goto fail;

    rng_seed(&ur, ds->cfg.seed, 1);
    for (size_t gi = 0; gi < ds->n_groups; gi++) {
        struct ds_group *g = &ds->groups[gi];
        char tmp[64];
        g->id = DS_GROUP_ID_BASE + (int64_t)gi;
        if (ds->demo && gi < tables_n_demo_groups) {
            g->screen_name = tables_demo_groups[gi].screen_name;
            g->name = tables_demo_groups[gi].name;
        } else {
            snprintf(tmp, sizeof(tmp), "test_group_%zu", gi + 1);
            g->screen_name = arena_strdup(&ds->arena, tmp);
            snprintf(tmp, sizeof(tmp), "Тестовое сообщество %zu", gi + 1);
            g->name = arena_strdup(&ds->arena, tmp);
            if (!g->screen_name || !g->name)
                goto fail;
        }
        rc = gen_members(&G, &ur, gi);
        if (rc)
            goto fail;
        rc = gen_posts(&G, gi);
        if (rc)
            goto fail;
        rc = assign_wall_ids(&G, gi);
        if (rc)
            goto fail;
    }
    rc = link_copies(&G);
    if (rc)
        goto fail;
    rc = assign_user_post_ids(&G);
    if (rc)
        goto fail;
    if (cfg->closed_comments)
        for (size_t gi = 0; gi < ds->n_groups; gi++)
            for (size_t i = 16; i < ds->groups[gi].n_posts; i += 17)
                ds->groups[gi].posts[i].comments_closed = 1;

    *out = ds;
    ds = NULL;
    rc = 0;
fail:
    if (rc == FV_ENOMEM)
        snprintf(err, errlen, "out of memory while generating the dataset");
    free(G.members_of);
    free(G.posts_of);
    free(G.perm);
    free(G.mark);
    ds_free(ds);
    return rc;
}

void ds_free(struct dataset *ds)
{
    if (!ds)
        return;
    arena_release(&ds->arena);
    free(ds);
}

/* ==== look-ups ================================================================================ */

const struct ds_group *ds_group_by_id(const struct dataset *ds, int64_t id)
{
    if (id < DS_GROUP_ID_BASE || id >= DS_GROUP_ID_BASE + (int64_t)ds->n_groups)
        return NULL;
    return &ds->groups[id - DS_GROUP_ID_BASE];
}

const struct ds_group *ds_group_find(const struct dataset *ds, const char *key)
{
    int64_t id;
    const char *digits = NULL;
    if (parse_i64(key, &id) == 0)
        return ds_group_by_id(ds, id);
    if (strncmp(key, "club", 4) == 0)
        digits = key + 4;
    else if (strncmp(key, "public", 6) == 0)
        digits = key + 6;
    if (digits && digits[0] != '-' && digits[0] != '+' && parse_i64(digits, &id) == 0)
        return ds_group_by_id(ds, id);
    for (size_t i = 0; i < ds->n_groups; i++)
        if (strcasecmp(ds->groups[i].screen_name, key) == 0)
            return &ds->groups[i];
    return NULL;
}

const struct ds_user *ds_user_by_id(const struct dataset *ds, int64_t id)
{
    if (id < DS_USER_ID_BASE || id >= DS_USER_ID_BASE + (int64_t)ds->n_users)
        return NULL;
    return &ds->users[id - DS_USER_ID_BASE];
}

const char *ds_user_first_name(const struct ds_user *u)
{
    if (u->deact == DS_DELETED)
        return "DELETED";
    return u->sex == 1 ? tables_female_first[u->first] : tables_male_first[u->first];
}

void ds_user_last_name(const struct ds_user *u, char *out, size_t outlen)
{
    if (u->deact == DS_DELETED)
        snprintf(out, outlen, "%s", "");
    else
        snprintf(out, outlen, "%s%s", tables_last[u->last], u->sex == 1 ? "а" : "");
}

/* ==== timeline ================================================================================ */

int ds_member_current(const struct ds_member *m, int64_t t)
{
    return m->join <= t && t < m->leave;
}

size_t ds_members_count(const struct ds_group *g, int64_t t)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n_members; i++)
        n += (size_t)ds_member_current(&g->members[i], t);
    return n;
}

/* Number of leading elements whose date is <= t, for arrays sorted by date. The date of element
 * i is at (base + i * stride). */
static size_t upper_bound(const void *base, size_t n, size_t stride, size_t off, int64_t t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t d;
        memcpy(&d, (const char *)base + mid * stride + off, sizeof(d));
        if (d <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t ds_posts_visible(const struct ds_group *g, int64_t t)
{
    return upper_bound(g->posts, g->n_posts, sizeof(*g->posts), offsetof(struct ds_post, date), t);
}

const struct ds_post *ds_post_find(const struct ds_group *g, int64_t post_id, int64_t t)
{
    /* Ids grow with the date, so the visible posts are sorted by id too: the first whose id
     * is above post_id - 1 is the one if any. Ids are positive. */
    size_t n = ds_posts_visible(g, t);
    size_t i = post_id > 0 ? upper_bound(g->posts, n, sizeof(*g->posts),
                                         offsetof(struct ds_post, id), post_id - 1)
                           : n;
    return i < n && g->posts[i].id == post_id ? &g->posts[i] : NULL;
}

size_t ds_likes_visible(const struct ds_post *p, int64_t t)
{
    return upper_bound(p->likes, p->n_likes, sizeof(*p->likes), offsetof(struct ds_like, date), t);
}

size_t ds_top_visible(const struct ds_post *p, int64_t t)
{
    return upper_bound(p->top, p->n_top, sizeof(*p->top), offsetof(struct ds_comment, date), t);
}

size_t ds_replies_visible(const struct ds_comment *c, int64_t t)
{
    return upper_bound(c->replies, c->n_replies, sizeof(*c->replies),
                       offsetof(struct ds_comment, date), t);
}

size_t ds_comments_total(const struct ds_post *p, int64_t t)
{
    size_t top = ds_top_visible(p, t), n = top;
    for (size_t i = 0; i < top; i++)
        n += ds_replies_visible(&p->top[i], t);
    return n;
}

size_t ds_reposts_visible(const struct ds_post *p, int64_t t)
{
    return upper_bound(p->reposts, p->n_reposts, sizeof(*p->reposts),
                       offsetof(struct ds_repost, date), t);
}

size_t ds_mail_visible(const struct ds_post *p, int64_t t)
{
    return upper_bound(p->mail, p->n_mail, sizeof(*p->mail), 0, t);
}

int64_t ds_views(const struct ds_post *p, int64_t t)
{
    if (t < p->date)
        return 0;
    int64_t dt = t - p->date;
    /* Most views come in the first days, then a slow trickle: monotonic in t. */
    int64_t v =
        (int64_t)((double)p->views_base * (double)dt / (double)(dt + 2 * DS_DAY)) + dt / DS_DAY;
    int64_t likes = (int64_t)ds_likes_visible(p, t);
    return v > likes ? v : likes;
}