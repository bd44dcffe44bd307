/* collect_methods.c: the collector's table of VK methods: how each is asked, answered and failed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collect_int.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "store_collect.h"
#include "text.h"

#define WALL_PAGE 100
#define LIKES_PAGE 1000
#define COMMENTS_PAGE 100
#define REPOSTS_PAGE 1000

/* ---- parameters ------------------------------------------------------------------------------ */

#define NUM(k, v) ok = ok && cJSON_AddNumberToObject(p, (k), (double)(v))
#define STR(k, v) ok = ok && cJSON_AddStringToObject(p, (k), (v))

/* A known group is asked for by its id, so that a new screen name on VK changes
 * nothing here; one call names every community (ids or screen names, comma-separated),
 * or only its job's when a batch had to be asked one group at a time. */
static int params_groups(struct collector *c, const struct call *call, cJSON *p)
{
    size_t len = 1;
    int ok = 1;
    for (size_t i = 0; i < c->njobs; i++)
        len += strlen(c->jobs[i].cc->group) + 24;
    char *ids = calloc(1, len), *e = ids;
    if (!ids)
        return VKP_ENOMEM;
    for (size_t i = 0; i < c->njobs; i++) {
        const struct job *k = &c->jobs[i];
        if (k->dup || (call->job && call->job != k))
            continue;
        if (k->st.vk_id)
            e += sprintf(e, "%s%" PRId64, e == ids ? "" : ",", k->st.vk_id);
        else
            e += sprintf(e, "%s%s", e == ids ? "" : ",", k->cc->group);
    }
    STR("group_ids", ids);
    STR("fields", "members_count");
    free(ids);
    return ok ? 0 : VKP_ENOMEM;
}

static int params_members(struct collector *c, const struct call *call, cJSON *p)
{
    int ok = 1;
    NUM("group_id", call->job->st.vk_id);
    NUM("offset", call->offset);
    NUM("count", MEMBERS_PAGE);
    STR("sort", "id_asc");
    STR("fields", c->cfg->store_names ? "city,deactivated" : "city");
    return ok ? 0 : VKP_ENOMEM;
}

static int params_wall(struct collector *c, const struct call *call, cJSON *p)
{
    int ok = 1;
    (void)c;
    NUM("owner_id", call->job->owner_id);
    NUM("offset", call->offset);
    NUM("count", WALL_PAGE);
    STR("filter", "all");
    return ok ? 0 : VKP_ENOMEM;
}

/* The post and page of a likes, comments or reposts call. */
static int params_post(cJSON *p, const struct call *call, const char *post_key, int page)
{
    int ok = 1;
    NUM("owner_id", call->post->owner_id);
    NUM(post_key, call->post->post_id);
    NUM("offset", call->offset);
    NUM("count", page);
    return ok ? 0 : VKP_ENOMEM;
}

static int params_likes(struct collector *c, const struct call *call, cJSON *p)
{
    int ok = 1;
    (void)c;
    STR("type", "post");
    return ok ? params_post(p, call, "item_id", LIKES_PAGE) : VKP_ENOMEM;
}

static int params_comments(struct collector *c, const struct call *call, cJSON *p)
{
    int ok = params_post(p, call, "post_id", COMMENTS_PAGE) == 0;
    (void)c;
    STR("sort", "asc");
    NUM("preview_length", 1);
    if (call->kind == CALL_THREAD)
        NUM("comment_id", call->thread);
    else
        NUM("thread_items_count", 10);
    return ok ? 0 : VKP_ENOMEM;
}

static int params_reposts(struct collector *c, const struct call *call, cJSON *p)
{
    (void)c;
    return params_post(p, call, "post_id", REPOSTS_PAGE);
}

/* The first time, page `offset` of the subscriber history, pages going back from
 * now; later runs resume from the newest stored day. */
static int params_stats(struct collector *c, const struct call *call, cJSON *p)
{
    const struct job *j = call->job;
    int ok = 1;
    int64_t to = c->now - call->offset * STATS_FIRST_DAYS * 86400;
    int64_t from = to - (j->st.last_stat_day ? STATS_DAYS : STATS_FIRST_DAYS) * 86400;
    if (j->st.last_stat_day > from)
        from = j->st.last_stat_day;
    NUM("group_id", j->st.vk_id);
    NUM("timestamp_from", from);
    NUM("timestamp_to", to);
    STR("interval", "day");
    return ok ? 0 : VKP_ENOMEM;
}

#undef NUM
#undef STR
/* ---- handling answers -------------------------------------------------------------------------
 */

/* Does group @g answer job @j's reference? A known group by its id, else by the id the
 * reference names, else by screen name. */
static int group_matches(const struct job *j, const struct vk_group *g)
{
    return collect_group_is(j->cc->group, j->st.vk_id, g);
}

/* The job already collecting VK group @id in this run, other than @self. */
static struct job *job_of_group(struct collector *c, const struct job *self, int64_t id)
{
    for (size_t i = 0; i < c->njobs; i++)
        if (&c->jobs[i] != self && !c->jobs[i].dup && c->jobs[i].st.vk_id == id)
            return &c->jobs[i];
    return NULL;
}

/* A job whose group another job of this run already collects. */
void collect_job_dup(struct job *j, const struct job *other)
{
    log_warn("%s: the same VK group as '%s' (id %" PRId64 "); it is collected once: keep one "
             "of the two [community] sections",
             j->name, other->name, other->st.vk_id);
    j->dup = j->finished = j->group_done = j->members_done = j->wall_done = 1;
    j->members_pending = 0;
}

static int on_groups(struct collector *c, struct call *call, const cJSON *resp, char *err,
                     size_t errlen)
{
    struct vk_group *g = NULL;
    size_t n = 0;
    int rc = vk_parse_groups(resp, &g, &n, err, errlen);
    if (rc)
        return rc;
    for (size_t i = 0; i < c->njobs && rc == 0; i++) {
        struct job *j = &c->jobs[i];
        const struct job *other;
        int found = 0;
        if (j->dup || (call->job && call->job != j))
            continue;
        for (size_t k = 0; k < n && rc == 0; k++) {
            if (!group_matches(j, &g[k]))
                continue;
            found = 1;
            if (j->deferred && (other = job_of_group(c, j, g[k].id)) != NULL) {
                /* Listed twice in the config, by screen name and by id: one row. */
                rc = store_community_merge(c->st, j->st.id, other->st.id);
                collect_job_dup(j, other);
                break;
            }
            /* A row the config named differently before gives way to the one that has
             * the group's history. */
            if (j->deferred && (rc = store_community_claim(c->st, j->st.id, g[k].id, &j->st)) != 0)
                break;
            j->st.vk_id = g[k].id;
            j->owner_id = -g[k].id;
            if (g[k].members_count > c->cfg->max_members) {
                /* Reports would show it as the subscribers: stored as unknown instead. */
                log_warn("%s: groups.getById: members_count %" PRId64
                         " is beyond [collect] max_members = %d; not stored",
                         j->name, g[k].members_count, c->cfg->max_members);
                g[k].members_count = -1;
            }
            rc = store_group_info(c->st, c->run_id, j->st.id, c->now, &g[k]);
            if (g[k].deactivated) {
                /* Its wall and members will be refused: say why once, where to fix it. */
                char where[300];
                collect_job_where(c, j, where, sizeof where);
                log_warn("%s: group '%s': VK says the group is %s; remove it from the config "
                         "or name the group that replaced it",
                         where, j->cc->group, g[k].deactivated);
            }
            /* A group known before the run asked for its statistics at once. */
            if (rc == 0 && j->deferred && collect_stats_due(c, j))
                rc = collect_enqueue(c, CALL_STATS, j, NULL, 0, 0);
            if (rc == 0 && j->deferred) {
                collect_job_cutoff(c, j);
                rc = collect_members_start(c, j);
                if (rc == 0)
                    rc = collect_enqueue(c, CALL_WALL, j, NULL, 0, 0);
            }
            break;
        }
        if (j->dup)
            continue;
        if (!found) {
            char where[300];
            collect_job_where(c, j, where, sizeof where);
            log_error("%s: group '%s' is not known to VK: check 'group' in the config", where,
                      j->cc->group);
            c->partial = 1;
            collect_message(c, "%s: group '%s' is not known to VK", where, j->cc->group);
            if (j->deferred) {
                j->members_failed = j->members_done = 1;
                j->wall_failed = j->wall_done = 1;
            }
        }
        j->group_done = 1;
        if (rc == 0)
            rc = collect_job_check(c, j);
    }
    free(g);
    return rc;
}

/* A count no group or post can have is refused before anything is queued for it; the
 * page's items are freed then. */
static int count_refused(struct collector *c, const struct call *call, int64_t count, void *items,
                         char *err, size_t errlen)
{
    int members = call->kind == CALL_MEMBERS;
    int64_t limit = members ? c->cfg->max_members : c->cfg->max_items;
    if (count <= limit)
        return 0;
    snprintf(err, errlen, "%s: count %" PRId64 " is beyond [collect] %s = %" PRId64,
             collect_methods[call->kind].name, count, members ? "max_members" : "max_items", limit);
    free(items);
    return VKP_ETOOBIG;
}

static int on_members(struct collector *c, struct call *call, const cJSON *resp, char *err,
                      size_t errlen)
{
    struct job *j = call->job;
    struct vk_user *u = NULL;
    size_t n = 0;
    int64_t count, added = 0;
    int rc = vk_parse_members(resp, &count, &u, &n, err, errlen);
    if (rc)
        return rc;
    if ((rc = count_refused(c, call, count, u, err, errlen)) != 0)
        return rc;
    rc = store_members_page(c->st, c->run_id, j->st.id, c->now, u, n, c->cfg->store_names, &added);
    free(u);
    if (rc)
        return rc;
    j->members_listed += added;
    if (count < j->count_lo)
        j->count_lo = count;
    if (count > j->count_hi)
        j->count_hi = count;
    if (call->offset == 0) {
        j->members = count;
        /* A list longer than its first page, steady by its count and first page,
         * is carried over rather than read whole (see members_full_hours). */
        int carried = 0;
        if (count > MEMBERS_STEP && !j->members_reread && c->cfg->members_full_hours > 0 &&
            (rc = store_members_carry(c->st, c->run_id, j->st.id, c->now, count,
                                      c->now - (int64_t)c->cfg->members_full_hours * 3600,
                                      &carried)) != 0)
            return rc;
        if (carried) {
            j->members_pending--;
            j->members_done = 1;
            j->members_carried = 1;
            return collect_job_check(c, j);
        }
        for (int64_t off = MEMBERS_STEP; off < count && rc == 0; off += MEMBERS_STEP) {
            rc = collect_enqueue(c, CALL_MEMBERS, j, NULL, off, 0);
            j->members_pending++;
        }
    }
    j->members_pending--;
    return rc ? rc : collect_members_check(c, j);
}

/* Decides which details of a post must be fetched and queues them. */
static int plan_details(struct collector *c, struct job *j, const struct vk_post *p,
                        const struct store_post_sync *prev)
{
    int want[3] = {p->likes > 0 && p->likes != prev->likes,
                   p->comments > 0 && p->comments != prev->comments,
                   p->reposts > 0 && p->reposts != prev->reposts};
    int rc = 0;

    if (!want[0] && !want[1] && !want[2]) {
        if (prev->likes != p->likes || prev->comments != p->comments || prev->reposts != p->reposts)
            rc = store_post_synced(c->st, p->owner_id, p->id, p->likes, p->comments, p->reposts);
        return rc;
    }
    struct post_job *pj = calloc(1, sizeof *pj);
    if (!pj)
        return VKP_ENOMEM;
    *pj = (struct post_job){NULL,     c->posts,    j,          p->owner_id, p->id,
                            p->likes, p->comments, p->reposts, 0,           {0}};
    if (c->posts)
        c->posts->prev = pj;
    c->posts = pj;
    j->details_pending++;
    j->posts_changed++;
    if (want[0])
        rc = collect_enqueue(c, CALL_LIKES, j, pj, 0, 0);
    if (want[1] && !rc)
        rc = collect_enqueue(c, CALL_COMMENTS, j, pj, 0, 0);
    if (want[2] && !rc)
        rc = collect_enqueue(c, CALL_REPOSTS, j, pj, 0, 0);
    return rc;
}

/* Items vk_check_* left out of an answer: named with the group, counted with the run's
 * errors; the run is partial. Returns 1 when there were any. */
static int note_refused(struct collector *c, const struct call *call)
{
    const char *method = collect_methods[call->kind].name;
    const char *who = call->job ? call->job->name : "groups";
    char msg[400];
    if (!c->chk.refused)
        return 0;
    snprintf(msg, sizeof msg, "%zu item%s refused, not stored: %s", c->chk.refused,
             c->chk.refused == 1 ? "" : "s", c->chk.what);
    log_warn("%s: %s: %s", who, method, msg);
    collect_tally(c, call, CALL_EVALUE, msg);
    c->partial = 1;
    collect_message(c, "%s for %s: %s", method, who, msg);
    return 1;
}

/* Is post @id one of the last posts of the page before (read already)? */
static int wall_in_tail(const struct job *j, int64_t id)
{
    for (int k = 0; k < j->wall_ntail; k++)
        if (id == j->wall_tail[k])
            return 1;
    return 0;
}

/* Does a wall page at an offset past 0 join the page before it (hold one of its last
 * posts)? *dup gets how many of its posts the page before had already listed. */
static int wall_joins(const struct job *j, const struct vk_post *p, size_t n, int64_t *dup)
{
    *dup = 0;
    for (size_t i = 0; i < n; i++)
        *dup += wall_in_tail(j, p[i].id);
    return *dup > 0 || j->wall_ntail == 0;
}

/* The wall is read to its end: it is vouched for only when every page joined, no post
 * was refused and the posts listed agree with VK's count (give or take those deleted or
 * added meanwhile); else the next run reads it again. */
static int wall_end(struct collector *c, struct job *j, int64_t count, int reached_end)
{
    char note[200] = "";
    int64_t slack = 2 + count / 1000;
    int rc;
    j->wall_done = 1;
    if (reached_end && !j->wall_unconfirmed && j->wall_distinct + slack < count)
        snprintf(note, sizeof note,
                 "wall not confirmed: %" PRId64 " posts listed, VK counts %" PRId64
                 "; the next run reads it again",
                 j->wall_distinct, count);
    else if (j->wall_unconfirmed)
        snprintf(note, sizeof note, "wall not confirmed (%s); the next run reads it again",
                 j->wall_unconfirmed == 1 ? "a post was refused" : "pages did not join");
    if (note[0]) {
        log_warn("%s: %s", j->name, note);
        c->partial = 1;
        collect_message(c, "%s: %s", j->name, note);
        j->wall_failed = 1;
        rc = store_snapshot_note(c->st, c->run_id, j->st.id, c->now, note);
    } else {
        rc = store_snapshot_flag(c->st, c->run_id, j->st.id, c->now, SNAP_WALL_OK);
    }
    return rc ? rc : collect_job_check(c, j);
}

static int on_wall(struct collector *c, struct call *call, const cJSON *resp, char *err,
                   size_t errlen)
{
    struct job *j = call->job;
    struct vk_post *p = NULL;
    size_t n = 0;
    int64_t count, pinned = 0, dup = 0;
    int rc = vk_parse_wall(resp, &count, &p, &n, err, errlen), older = 0;
    if (rc)
        return rc;
    if ((rc = vk_check_posts(&c->chk, count, p, &n, err, errlen)) != 0) {
        free(p);
        return rc;
    }
    /* Check the whole page before writing any of it: a rejected answer is retried. */
    for (size_t i = 0; i < n; i++) {
        int64_t expect = j->owner_id ? j->owner_id : p[0].owner_id;
        if (p[i].owner_id != expect || expect >= 0) {
            snprintf(err, errlen,
                     "wall.get: post %" PRId64 " belongs to wall %" PRId64
                     ", not to the group's wall %" PRId64,
                     p[i].id, p[i].owner_id, expect);
            free(p);
            return VKP_EPARSE;
        }
    }
    if (note_refused(c, call))
        j->wall_unconfirmed = 1;
    if (call->offset > 0 && n > 0 && !wall_joins(j, p, n, &dup)) {
        /* Posts deleted since the page before moved this one past the overlap: read from
         * further back rather than skip the posts in between. */
        free(p);
        if (j->wall_rereads++ < WALL_REREADS) {
            log_info("%s: wall page at %" PRId64 " does not join the one before (posts "
                     "deleted meanwhile): reading from %" PRId64,
                     j->name, call->offset, call->offset - WALL_STEP);
            return collect_enqueue(c, CALL_WALL, j, NULL, call->offset - WALL_STEP, 0);
        }
        j->wall_unconfirmed = 2;
        return wall_end(c, j, count, 0);
    }
    if (n > 0 && !j->owner_id)
        j->owner_id = p[0].owner_id;
    j->wall_distinct += (int64_t)n - dup + (int64_t)c->chk.refused;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct store_post_sync prev;
        if (call->offset > 0 && wall_in_tail(j, p[i].id))
            continue; /* the overlap: stored, and its details asked for, with the page before */
        if (p[i].is_pinned)
            pinned = p[i].id;
        /* A pinned post comes first whatever its date: it says nothing about
         * where the window ends. */
        if (p[i].date < j->cutoff) {
            if (!p[i].is_pinned)
                older = 1;
            if (!j->st.had_wall)
                continue; /* beyond the horizon of a first run */
        }
        j->posts_seen++;
        rc = store_post(c->st, c->run_id, j->st.id, c->now, &p[i], &prev);
        if (rc == 0)
            rc = plan_details(c, j, &p[i], &prev);
    }
    /* The last posts of this page, which the next must hold one of. */
    int p_last_in_tail = n > 0 && wall_in_tail(j, p[n - 1].id);
    j->wall_ntail = 0;
    for (size_t i = n > WALL_OVERLAP ? n - WALL_OVERLAP : 0; i < n; i++)
        if (!p[i].is_pinned)
            j->wall_tail[j->wall_ntail++] = p[i].id;
    free(p);
    if (rc == 0 && call->offset == 0 && j->owner_id)
        rc = store_unpin_others(c->st, j->owner_id, pinned);
    if (rc)
        return rc;
    if (older || n == 0 || call->offset + (int64_t)n >= count)
        return wall_end(c, j, count, !older);
    if (call->offset > 0 && n > 0 && dup > 0 && p_last_in_tail) {
        /* A page that ends where the one before ended (the same page served again) lists
         * nothing new: a wall that never ends is not paged until run_deadline. */
        j->wall_unconfirmed = 2;
        return wall_end(c, j, count, 0);
    }
    return collect_enqueue(c, CALL_WALL, j, NULL, call->offset + WALL_STEP, 0);
}

static int on_likes(struct collector *c, struct call *call, const cJSON *resp, char *err,
                    size_t errlen)
{
    struct post_job *p = call->post;
    int64_t *ids = NULL, count;
    size_t n = 0;
    int rc = vk_parse_likes(resp, &count, &ids, &n, err, errlen);
    if (rc)
        return rc;
    if ((rc = count_refused(c, call, count, ids, err, errlen)) != 0)
        return rc;
    rc = store_likes(c->st, p->owner_id, p->post_id, ids, n, c->now);
    free(ids);
    if (rc == 0 && call->offset == 0)
        for (int64_t off = LIKES_PAGE; off < count && rc == 0; off += LIKES_PAGE)
            rc = collect_enqueue(c, CALL_LIKES, call->job, p, off, 0);
    p->pending--;
    return rc ? rc : collect_post_check(c, p);
}

static int on_comments(struct collector *c, struct call *call, const cJSON *resp, char *err,
                       size_t errlen)
{
    struct post_job *p = call->post;
    struct vk_comment *v = NULL;
    int64_t level;
    size_t n = 0;
    int thread = call->kind == CALL_THREAD;
    int rc = vk_parse_comments(resp, thread ? call->thread : 0, &level, &v, &n, err, errlen);
    if (rc)
        return rc;
    if ((rc = count_refused(c, call, level, v, err, errlen)) != 0)
        return rc;
    if ((rc = vk_check_comments(&c->chk, v, &n, err, errlen)) != 0) {
        free(v);
        return rc;
    }
    if (note_refused(c, call))
        p->failed[DETAIL_COMMENTS] = 1; /* read again by the next run */
    rc = store_comments(c->st, p->owner_id, p->post_id, v, n, c->now);
    /* Threads longer than what came inline are read in full on their own. */
    for (size_t i = 0; i < n && rc == 0 && !thread; i++)
        if (v[i].parent_id == 0 && v[i].thread_count > v[i].thread_inline)
            rc = collect_enqueue_items(c, CALL_THREAD, call->job, p, 0, v[i].id, v[i].thread_count);
    free(v);
    if (rc == 0 && call->offset == 0)
        for (int64_t off = COMMENTS_PAGE; off < level && rc == 0; off += COMMENTS_PAGE)
            rc = collect_enqueue_items(c, call->kind, call->job, p, off, call->thread, level - off);
    p->pending--;
    return rc ? rc : collect_post_check(c, p);
}

static int on_reposts(struct collector *c, struct call *call, const cJSON *resp, char *err,
                      size_t errlen)
{
    struct post_job *p = call->post;
    struct vk_repost *r = NULL;
    size_t n = 0;
    int rc = vk_parse_reposts(resp, &r, &n, err, errlen);
    if (rc)
        return rc;
    if ((rc = vk_check_reposts(&c->chk, r, &n, err, errlen)) != 0) {
        free(r);
        return rc;
    }
    /* A full page means more may follow, whatever the checks left out of it. */
    size_t asked = n + c->chk.refused;
    if (note_refused(c, call))
        p->failed[DETAIL_REPOSTS] = 1;
    rc = store_reposts(c->st, p->owner_id, p->post_id, r, n, c->now);
    free(r);
    /* No count in this answer: a full page means there may be more. */
    if (rc == 0 && asked == REPOSTS_PAGE)
        rc = collect_enqueue(c, CALL_REPOSTS, call->job, p, call->offset + REPOSTS_PAGE, 0);
    p->pending--;
    return rc ? rc : collect_post_check(c, p);
}

static int on_stats(struct collector *c, struct call *call, const cJSON *resp, char *err,
                    size_t errlen)
{
    struct vk_stat_day *d = NULL;
    size_t n = 0;
    int rc = vk_parse_stats(resp, &d, &n, err, errlen), joins = 0;
    if (rc)
        return rc;
    /* A figure no day can have refuses the answer: nothing of it is stored, so the next
     * run asks for the same days again. A day in the future is left out. */
    if ((rc = vk_check_stats(&c->chk, d, &n, err, errlen)) != 0) {
        free(d);
        return rc;
    }
    note_refused(c, call);
    rc = store_stats(c->st, call->job->st.id, d, n);
    if (rc == 0 && call->job->st.stats_denied) {
        log_info("%s: stats.get answered: daily statistics are read again", call->job->name);
        call->job->st.stats_denied = 0;
        rc = store_stats_denied(c->st, call->job->st.id, 0);
    }
    for (size_t i = 0; i < n; i++)
        joins |= d[i].subscribed > 0 || d[i].unsubscribed > 0;
    free(d);
    /* The subscriber history goes back as far as VK answers with subscriptions. */
    if (rc == 0 && !call->job->st.last_stat_day && joins && call->offset + 1 < STATS_MAX_PAGES)
        rc = collect_enqueue(c, CALL_STATS, call->job, NULL, call->offset + 1, 0);
    return rc;
}

/* ---- failures -------------------------------------------------------------------------------- */

/* The job cannot learn its group's id this run: nothing else of it can be read. */
static void group_unknown(struct job *k)
{
    k->group_done = 1;
    if (k->deferred && !k->dup) {
        k->members_pending = 0;
        k->members_failed = k->members_done = 1;
        k->wall_failed = k->wall_done = 1;
    }
}

static int fail_groups(struct collector *c, struct call *call, int code, const char *msg, int *fact)
{
    int rc = 0;
    char where[300];
    if (code == VK_ERR_PARAM && !call->job && c->njobs > 1) {
        /* One unknown name makes VK refuse the whole list: ask for each group alone,
         * so that the others are still collected and the bad one is named. */
        log_warn("groups.getById refused the list of groups (%s): asking for each alone", msg);
        *fact = 1;
        for (size_t i = 0; i < c->njobs && rc == 0; i++)
            if (!c->jobs[i].dup)
                rc = collect_enqueue(c, CALL_GROUPS, &c->jobs[i], NULL, 0, 0);
        return rc;
    }
    if (code == VK_ERR_PARAM && call->job) {
        collect_job_where(c, call->job, where, sizeof where);
        log_error("%s: group '%s' is not known to VK (%s): check 'group' in the config", where,
                  call->job->cc->group, msg);
        c->partial = 1;
        collect_message(c, "%s: group '%s' is not known to VK", where, call->job->cc->group);
        *fact = 1; /* said above, and better */
    }
    for (size_t i = 0; i < c->njobs && rc == 0; i++) {
        struct job *k = &c->jobs[i];
        if (call->job && call->job != k)
            continue;
        group_unknown(k);
        rc = collect_job_check(c, k);
    }
    return rc;
}

static int fail_members(struct collector *c, struct call *call, int code, const char *msg,
                        int *fact)
{
    struct job *j = call->job;
    char note[320];
    int rc = 0;
    j->members_failed = 1;
    j->members_pending--;
    if (*fact) {
        text_printf(note, sizeof note, "member list not available (VK error %d: %s)", code, msg);
        rc = store_snapshot_flag(c->st, c->run_id, j->st.id, c->now, SNAP_MEMBERS_HIDDEN);
        if (!rc)
            rc = store_snapshot_note(c->st, c->run_id, j->st.id, c->now, note);
        log_warn("%s: %s", j->name, note);
    }
    return rc ? rc : collect_members_check(c, j);
}

static int fail_wall(struct collector *c, struct call *call, int code, const char *msg, int *fact)
{
    struct job *j = call->job;
    char note[320];
    int rc = 0;
    j->wall_failed = 1;
    j->wall_done = 1;
    if (*fact) {
        text_printf(note, sizeof note, "wall not available (VK error %d: %s)", code, msg);
        rc = store_snapshot_note(c->st, c->run_id, j->st.id, c->now, note);
        log_warn("%s: %s", j->name, note);
        /* The wall is missing from this run all the same: the run is partial. */
        *fact = 0;
    }
    return rc ? rc : collect_job_check(c, j);
}

/* Likes, comments or reposts of a post: closed comments (a fact) leave nothing missing. */
static int fail_detail(struct collector *c, struct call *call, int code, const char *msg, int *fact)
{
    struct post_job *p = call->post;
    (void)code;
    (void)msg;
    if (!*fact)
        p->failed[call->kind == CALL_LIKES     ? DETAIL_LIKES
                  : call->kind == CALL_REPOSTS ? DETAIL_REPOSTS
                                               : DETAIL_COMMENTS] = 1;
    p->pending--;
    return collect_post_check(c, p);
}

static int fail_stats(struct collector *c, struct call *call, int code, const char *msg, int *fact)
{
    struct job *j = call->job;
    (void)msg;
    if (call->offset > 0) {
        /* An older page of the history refused: VK keeps no more. */
        *fact = 1;
        log_info("%s: stats.get answers no days before %d pages back (VK error %d)", j->name,
                 (int)call->offset, code);
    } else if (*fact) {
        /* Said once; a refusal asked again at each run is no news until it ends. */
        if (!j->st.stats_denied)
            log_info("%s: stats.get refused (VK error %d): the token is not an admin of this "
                     "group; asked again at the next run",
                     j->name, code);
        return store_stats_denied(c->st, j->st.id, c->now > 0 ? c->now : 1);
    }
    return 0;
}

/* ---- the table ------------------------------------------------------------------------------- */

double collect_call_weight(const struct call *call)
{
    const struct method *m = &collect_methods[call->kind];
    const struct post_job *p = call->post;
    int64_t n = m->page ? m->page : 1; /* not paged: one item (groups.getById of one group) */
    if (call->items > 0)
        n = call->items;
    else if (p && call->kind == CALL_LIKES)
        n = p->likes - call->offset;
    else if (p && call->kind == CALL_COMMENTS)
        n = p->comments - call->offset;
    else if (p && call->kind == CALL_REPOSTS)
        n = p->reposts - call->offset;
    if (m->page > 0 && n > m->page)
        n = m->page;
    return m->answer_bytes + (double)m->item_bytes * (n > 0 ? (double)n : 0);
}

/* Refusals that say the group, its wall or a profile is closed or gone. */
#define ACCESS_FACTS VK_ERR_ACCESS, VK_ERR_GROUP_ACCESS, VK_ERR_DELETED, VK_ERR_PRIVATE

static int params_none(struct collector *c, const struct call *call, cJSON *p)
{
    (void)c, (void)call, (void)p;
    return 0;
}

static int fail_clock(struct collector *c, struct call *call, int code, const char *msg, int *fact)
{
    (void)call, (void)code;
    collect_clock_unread(c, msg);
    *fact = 1; /* the run goes on without it (or ends, said) */
    return 0;
}

const struct method collect_methods[CALL_KINDS] = {
    [CALL_GROUPS] = {.name = "groups.getById",
                     .page = 0,
                     .params = params_groups,
                     .on_answer = on_groups,
                     .on_fail = fail_groups,
                     .facts = {0},
                     .answer_bytes = 75,
                     .item_bytes = 450},
    [CALL_MEMBERS] = {.name = "groups.getMembers",
                      .page = MEMBERS_PAGE,
                      .params = params_members,
                      .on_answer = on_members,
                      .on_fail = fail_members,
                      .facts = {VK_ERR_ACCESS, VK_ERR_GROUP_ACCESS},
                      .cost_ms = MEMBERS_PAGE_COST_MS,
                      .answer_bytes = 75,
                      .item_bytes = 160},
    [CALL_WALL] = {.name = "wall.get",
                   .page = WALL_PAGE,
                   .params = params_wall,
                   .on_answer = on_wall,
                   .on_fail = fail_wall,
                   .facts = {ACCESS_FACTS},
                   .chained = 1,
                   .answer_bytes = 75,
                   .item_bytes = 350},
    [CALL_LIKES] = {.name = "likes.getList",
                    .page = LIKES_PAGE,
                    .params = params_likes,
                    .on_answer = on_likes,
                    .on_fail = fail_detail,
                    .facts = {0},
                    .answer_bytes = 75,
                    .item_bytes = 6},
    [CALL_COMMENTS] = {.name = "wall.getComments",
                       .page = COMMENTS_PAGE,
                       .params = params_comments,
                       .on_answer = on_comments,
                       .on_fail = fail_detail,
                       .facts = {VK_ERR_COMMENTS_CLOSED},
                       .answer_bytes = 75,
                       .item_bytes = 180},
    [CALL_THREAD] = {.name = "wall.getComments",
                     .page = COMMENTS_PAGE,
                     .params = params_comments,
                     .on_answer = on_comments,
                     .on_fail = fail_detail,
                     .facts = {VK_ERR_COMMENTS_CLOSED},
                     .answer_bytes = 75,
                     .item_bytes = 225},
    [CALL_REPOSTS] = {.name = "wall.getReposts",
                      .page = REPOSTS_PAGE,
                      .params = params_reposts,
                      .on_answer = on_reposts,
                      .on_fail = fail_detail,
                      .facts = {0},
                      .chained = 1,
                      .answer_bytes = 75,
                      .item_bytes = 790},
    [CALL_CLOCK] = {.name = "utils.getServerTime",
                    .params = params_none,
                    .on_answer = collect_clock_answer,
                    .on_fail = fail_clock,
                    .answer_bytes = 50,
                    .item_bytes = 0},
    [CALL_STATS] = {.name = "stats.get",
                    .page = STATS_DAYS,
                    .params = params_stats,
                    .on_answer = on_stats,
                    .on_fail = fail_stats,
                    .facts = {VK_ERR_ACCESS, VK_ERR_DENIED, VK_ERR_GROUP_AUTH, VK_ERR_APP_AUTH},
                    .chained = 1,
                    .per_token = 1,
                    .answer_bytes = 75,
                    .item_bytes = 300},
};
