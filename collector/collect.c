/* collect.c: the collection run: a queue of API calls, packed into execute, paced, retried. */
#include "collect.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "config.h"
#include "err.h"
#include "http.h"
#include "log.h"
#include "ratelimit.h"
#include "store.h"
#include "vkapi.h"

/*
 * How a run works. Every piece of data is an API call in one queue. The
 * first request asks for group info, the first member page and the first
 * wall page of every community; each answer adds the calls it implies
 * (further pages, the likers, comments and reposts of changed posts). The
 * pump sends up to 25 queued calls as one `execute` whenever the rate
 * limiter allows, and while answers are still due it waits for a full batch
 * rather than send a thin one: requests stay close to calls/25.
 *
 * Each answer is written in one transaction. A part of a community (its
 * member list, its wall, the details of its changed posts) is marked
 * complete in the snapshot in the same transaction as its last piece of
 * data, so a run killed at any instant leaves only complete parts marked,
 * and inserts keyed on natural keys make the next run's repeats harmless.
 */

#define BATCH_MAX 25   /* VK: at most 25 API calls in one execute */
#define MAX_INFLIGHT 4 /* requests on the wire at once */
/* Answers waiting to be written do not hold the wire, but their bodies hold
 * memory: no request leaves while this much waits (a page of 1,000 members
 * with cities is about 150 KB, a 25-page execute of them 4 MB). */
#define WAITING_BYTES_MAX (12u << 20)
#define MAX_ATTEMPTS 8      /* tries of one call before it counts as failed */
#define BACKOFF_BASE_MS 500 /* first retry delay; doubles, with jitter */
#define BACKOFF_MAX_MS 30000
#define MEMBERS_PAGE 1000
/* Member pages overlap by this many places: someone who leaves while the list is paged
 * moves everyone after them one place up (VK's offset race), and without the overlap
 * the member at the page boundary would be missed and recorded as a leave. */
#define MEMBERS_OVERLAP 20
#define MEMBERS_STEP (MEMBERS_PAGE - MEMBERS_OVERLAP)
#define WALL_PAGE 100
#define LIKES_PAGE 1000
#define COMMENTS_PAGE 100
#define REPOSTS_PAGE 1000
#define STATS_DAYS 30
#define STATS_FIRST_DAYS 999 /* a history page of stats.get: as many days as one call answers */
#define STATS_MAX_PAGES 10   /* history pages of a first stats.get: about 27 years */
#define PROGRESS_MS 250
#define RETRY_GATHER_MS 2000 /* a thin batch waits this long for retries to join it */
#define WRITE_SLICE_MS 5     /* writing an answer yields to the loop after this long */

enum call_kind {
    CALL_GROUPS,   /* groups.getById for every community */
    CALL_MEMBERS,  /* groups.getMembers page */
    CALL_WALL,     /* wall.get page */
    CALL_LIKES,    /* likes.getList page of a post */
    CALL_COMMENTS, /* wall.getComments page of a post's top level */
    CALL_THREAD,   /* wall.getComments page of one thread */
    CALL_REPOSTS,  /* wall.getReposts page */
    CALL_STATS,    /* stats.get */
    CALL_KINDS
};

static const char *const method_name[CALL_KINDS] = {
    "groups.getById",   "groups.getMembers", "wall.get",        "likes.getList",
    "wall.getComments", "wall.getComments",  "wall.getReposts", "stats.get",
};

struct job;
struct post_job;

/* One API call waiting, in flight, or waiting to be retried. */
struct call {
    struct call *next; /* queue link */
    enum call_kind kind;
    struct job *job;       /* its community; NULL for CALL_GROUPS */
    struct post_job *post; /* for likes, comments, threads, reposts */
    int64_t offset;        /* page offset */
    int64_t thread;        /* CALL_THREAD: the thread's root comment id */
    int attempts;          /* sends so far */
    uint64_t not_before;   /* loop time (ms) before which it must not be sent */
};

/* The state of one community during a run. */
struct job {
    const struct config_community *cc;
    struct store_community_state st;
    char name[64];       /* for progress and messages */
    int64_t owner_id;    /* -group id, 0 until known */
    int64_t cutoff;      /* posts older than this end the wall */
    int group_done;      /* groups.getById answered for it */
    int deferred;        /* VK id unknown: members and wall wait for groups.getById */
    int dup;             /* another job collects the same VK group */
    int members_pending; /* member pages queued or in flight */
    int members_failed;  /* the member list cannot be completed this run */
    int members_done;
    int members_reread;         /* the list did not agree with its count and is read again */
    int members_carried;        /* steady by count and first page: not read whole this run */
    int64_t members_listed;     /* distinct people staged in this reading of the list */
    int64_t count_lo, count_hi; /* the smallest and largest count its pages gave */
    int wall_done;              /* no more wall pages to read */
    int wall_failed;
    int details_pending; /* posts whose details are being fetched */
    int details_failed;
    int finished; /* completion written */
    int64_t posts_seen, posts_changed, joined, left, members;
    int64_t calls_done, calls_planned;
};

/* A post whose likers, comments or reposts are being fetched. */
struct post_job {
    struct post_job *prev, *next; /* the collector's list, so none is lost */
    struct job *job;
    int64_t owner_id, post_id;
    int64_t likes, comments, reposts; /* counters seen in this run */
    int pending;                      /* its calls queued or in flight */
    int failed[3];                    /* likes, comments, reposts could not be completed */
};

enum { DETAIL_LIKES, DETAIL_COMMENTS, DETAIL_REPOSTS };

/* An HTTP request in flight and the calls it carries. */
struct flight {
    struct collector *c;
    struct call *calls[BATCH_MAX];
    int n;
    int is_execute;
};

/* An answer waiting to be written, or being written (see on_write_turn). */
struct answer {
    struct answer *next;   /* the line of answers, in arrival order */
    struct flight *f;      /* the request it answers, owned */
    char *body;            /* the HTTP body until it is parsed, owned */
    size_t len;            /* its length */
    struct vk_reply reply; /* the parsed body */
    int parsed;            /* body parsed into reply */
    int begun;             /* its transaction is open */
    int ncall;             /* index of the next call to handle */
    int inner;             /* execute_errors entries used so far */
};

/* A tally of errors by method and code, written with the run. */
struct err_tally {
    const char *method;
    int code;
    int64_t count;
};

struct collector {
    const struct config *cfg;
    struct store *st;
    char *token;
    struct collect_options opt;
    uv_loop_t loop;
    int loop_ready;         /* loop and handles initialised */
    uv_timer_t pump_timer;  /* wakes the pump for the rate limiter and retries */
    uv_timer_t sleep_timer; /* collector_sleep */
    uv_timer_t deadline;    /* [collect] run_deadline: a server that never lets a run end */
    uv_idle_t write_idle;   /* writes answers a slice per loop turn while any wait */
    uv_signal_t sigint, sigterm, sighup; /* SIGHUP too: a closed terminal ends a run cleanly */
    struct http *http;
    struct ratelimit rl;
    char *url_execute; /* api_url + "/execute" */

    /* ---- per run ---- */
    struct job *jobs;
    size_t njobs;
    struct call *queue, *queue_tail; /* ready to send, in order */
    size_t queued;
    struct call *delayed;                  /* waiting for not_before */
    struct post_job *posts;                /* post jobs in progress */
    struct answer *answers, *answers_tail; /* answers to write, oldest first */
    int inflight;                          /* requests sent and not yet written (or failed) */
    int waiting;                           /* of them, answers in the line to be written */
    size_t waiting_bytes;                  /* their bodies' size */
    int batch_max;                         /* shrinks on error 13 */
    int use_execute;                       /* off after execute is refused */
    int method_off[CALL_KINDS];            /* daily quota (error 29) reached for this run */
    int64_t run_id, now;                   /* run row and its time (unix seconds) */
    int64_t requests, calls, retries;
    int partial, fatal, stopping, running, signalled;
    char message[512];
    struct err_tally errors[64];
    int nerrors;
    uint64_t last_progress;
    uint64_t started_ms;
    uint64_t rng;
};

static void pump(struct collector *c);
static void call_failed(struct collector *c, struct call *call, int code, const char *msg);

/* ---- small helpers ------------------------------------------------------------------------ */

static uint64_t now_ms(struct collector *c)
{
    uv_update_time(&c->loop);
    return uv_now(&c->loop);
}

/* xorshift64*: jitter for backoff; quality does not matter, independence from other
 * clients does, so it is seeded from the clock and pid. */
static double rand01(struct collector *c)
{
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return (double)((c->rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static void set_message(struct collector *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_message(struct collector *c, const char *fmt, ...)
{
    va_list ap;
    if (c->message[0])
        return; /* the first cause is the one worth telling */
    va_start(ap, fmt);
    vsnprintf(c->message, sizeof c->message, fmt, ap);
    va_end(ap);
}

static void tally(struct collector *c, const char *method, int code)
{
    for (int i = 0; i < c->nerrors; i++) {
        if (c->errors[i].code == code && strcmp(c->errors[i].method, method) == 0) {
            c->errors[i].count++;
            return;
        }
    }
    if (c->nerrors < (int)(sizeof c->errors / sizeof c->errors[0]))
        c->errors[c->nerrors++] = (struct err_tally){method, code, 1};
}

/* Stops the run: nothing more is sent, what is in flight is abandoned. */
static void fatal(struct collector *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fatal(struct collector *c, const char *fmt, ...)
{
    va_list ap;
    if (!c->fatal) {
        char msg[512];
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        snprintf(c->message, sizeof c->message, "%s", msg);
        log_error("%s", msg);
    }
    c->fatal = 1;
}

/* ---- the queue ------------------------------------------------------------------------------ */

static int enqueue(struct collector *c, enum call_kind kind, struct job *job, struct post_job *post,
                   int64_t offset, int64_t thread)
{
    struct call *call = calloc(1, sizeof *call);
    if (!call) {
        fatal(c, "out of memory");
        return VKP_ENOMEM;
    }
    call->kind = kind;
    call->job = job;
    call->post = post;
    call->offset = offset;
    call->thread = thread;
    if (c->queue_tail)
        c->queue_tail->next = call;
    else
        c->queue = call;
    c->queue_tail = call;
    c->queued++;
    if (post)
        post->pending++;
    if (job)
        job->calls_planned++;
    return 0;
}

static void requeue_now(struct collector *c, struct call *call)
{
    call->next = NULL;
    if (c->queue_tail)
        c->queue_tail->next = call;
    else
        c->queue = call;
    c->queue_tail = call;
    c->queued++;
}

static void requeue_later(struct collector *c, struct call *call, uint64_t delay)
{
    call->not_before = now_ms(c) + delay;
    call->next = c->delayed;
    c->delayed = call;
}

static struct call *dequeue(struct collector *c)
{
    struct call *call = c->queue;
    if (!call)
        return NULL;
    c->queue = call->next;
    if (!c->queue)
        c->queue_tail = NULL;
    c->queued--;
    call->next = NULL;
    return call;
}

/* Moves delayed calls whose time has come to the queue; returns ms to the next one
 * (UINT64_MAX when none waits). */
static uint64_t release_delayed(struct collector *c)
{
    uint64_t now = now_ms(c), next = UINT64_MAX;
    struct call **pp = &c->delayed;
    while (*pp) {
        struct call *call = *pp;
        if (call->not_before <= now) {
            *pp = call->next;
            requeue_now(c, call);
        } else {
            if (call->not_before - now < next)
                next = call->not_before - now;
            pp = &call->next;
        }
    }
    return next;
}

/* Retries a call after an error that may pass, or gives up on it. */
static void retry(struct collector *c, struct call *call, int code, const char *msg)
{
    if (call->attempts >= MAX_ATTEMPTS || c->stopping || c->fatal) {
        call_failed(c, call, code, msg);
        return;
    }
    double base =
        BACKOFF_BASE_MS * (double)(1u << (call->attempts - 1 < 10 ? call->attempts - 1 : 10));
    if (base > BACKOFF_MAX_MS)
        base = BACKOFF_MAX_MS;
    uint64_t delay = (uint64_t)(base * (0.5 + rand01(c)));
    c->retries++;
    log_debug("%s: %s; retry %d in %" PRIu64 " ms", method_name[call->kind], msg, call->attempts,
              delay);
    requeue_later(c, call, delay);
}

/* ---- building requests --------------------------------------------------------------------- */

static cJSON *call_params(struct collector *c, const struct call *call)
{
    cJSON *p = cJSON_CreateObject();
    const struct job *j = call->job;
    int ok = p != NULL;

#define NUM(k, v) ok = ok && cJSON_AddNumberToObject(p, (k), (double)(v))
#define STR(k, v) ok = ok && cJSON_AddStringToObject(p, (k), (v))
    switch (call->kind) {
    case CALL_GROUPS: {
        /* One call for all communities: ids or screen names, comma-separated. */
        /* A known group is asked for by its id, so that a new screen name on VK
         * changes nothing here. */
        size_t len = 1;
        for (size_t i = 0; i < c->njobs; i++)
            len += strlen(c->jobs[i].cc->group) + 24;
        char *ids = calloc(1, len), *e = ids;
        if (!ids) {
            ok = 0;
            break;
        }
        for (size_t i = 0; i < c->njobs; i++) {
            const struct job *k = &c->jobs[i];
            if (k->dup)
                continue;
            if (k->st.vk_id)
                e += sprintf(e, "%s%" PRId64, e == ids ? "" : ",", k->st.vk_id);
            else
                e += sprintf(e, "%s%s", e == ids ? "" : ",", k->cc->group);
        }
        STR("group_ids", ids);
        STR("fields", "members_count");
        free(ids);
        break;
    }
    case CALL_MEMBERS:
        NUM("group_id", j->st.vk_id);
        NUM("offset", call->offset);
        NUM("count", MEMBERS_PAGE);
        STR("sort", "id_asc");
        STR("fields", c->cfg->store_names ? "city,deactivated" : "city");
        break;
    case CALL_WALL:
        NUM("owner_id", j->owner_id);
        NUM("offset", call->offset);
        NUM("count", WALL_PAGE);
        STR("filter", "all");
        break;
    case CALL_LIKES:
        STR("type", "post");
        NUM("owner_id", call->post->owner_id);
        NUM("item_id", call->post->post_id);
        NUM("offset", call->offset);
        NUM("count", LIKES_PAGE);
        break;
    case CALL_COMMENTS:
    case CALL_THREAD:
        NUM("owner_id", call->post->owner_id);
        NUM("post_id", call->post->post_id);
        NUM("offset", call->offset);
        NUM("count", COMMENTS_PAGE);
        STR("sort", "asc");
        NUM("preview_length", 1);
        if (call->kind == CALL_THREAD)
            NUM("comment_id", call->thread);
        else
            NUM("thread_items_count", 10);
        break;
    case CALL_REPOSTS:
        NUM("owner_id", call->post->owner_id);
        NUM("post_id", call->post->post_id);
        NUM("offset", call->offset);
        NUM("count", REPOSTS_PAGE);
        break;
    case CALL_STATS: {
        /* The first time, page `offset` of the subscriber history, pages going
         * back from now; later runs resume from the newest stored day. */
        int64_t to = c->now - call->offset * STATS_FIRST_DAYS * 86400;
        int64_t from = to - (j->st.last_stat_day ? STATS_DAYS : STATS_FIRST_DAYS) * 86400;
        if (j->st.last_stat_day > from)
            from = j->st.last_stat_day;
        NUM("group_id", j->st.vk_id);
        NUM("timestamp_from", from);
        NUM("timestamp_to", to);
        STR("interval", "day");
        break;
    }
    case CALL_KINDS:
        ok = 0;
        break;
    }
#undef NUM
#undef STR
    if (!ok) {
        cJSON_Delete(p);
        return NULL;
    }
    return p;
}

/* ---- completion of parts ----------------------------------------------------------------------
 */

/* Writes the community's completion once every part has ended. */
static int job_check(struct collector *c, struct job *j)
{
    int rc = 0;
    if (j->finished || !j->wall_done || j->details_pending > 0 || j->members_pending > 0 ||
        !j->group_done)
        return 0;
    j->finished = 1;
    if (!j->wall_failed && !j->details_failed)
        rc = store_snapshot_flag(c->st, c->run_id, j->st.id, c->now, SNAP_DETAILS_OK);
    if (!c->opt.progress)
        log_info("%s: %" PRId64 " members (+%" PRId64 " -%" PRId64 "%s), %" PRId64
                 " posts read, %" PRId64 " with new activity%s",
                 j->name, j->members, j->joined, j->left,
                 j->members_carried ? ", list unchanged" : "", j->posts_seen, j->posts_changed,
                 j->wall_failed || j->details_failed || j->members_failed ? " (incomplete)" : "");
    return rc;
}

/* Where the job's wall reading stops: the horizon on a first run, else the refresh
 * window, reaching back to posts whose details an earlier run could not finish. */
static void job_cutoff(struct collector *c, struct job *j)
{
    if (!j->st.had_wall) {
        /* horizon_days 0 reads the whole wall: the history makes past periods reportable. */
        j->cutoff = config_horizon_start(c->cfg->horizon_days, c->now);
    } else {
        j->cutoff = c->now - (int64_t)c->cfg->refresh_days * 86400;
        /* Posts whose details an earlier run could not finish are read again. */
        if (j->st.oldest_unsynced && j->st.oldest_unsynced < j->cutoff)
            j->cutoff = j->st.oldest_unsynced;
    }
}

/* Queues the first member page of a reading of the list. */
static int members_start(struct collector *c, struct job *j)
{
    j->members_listed = 0;
    j->count_lo = INT64_MAX;
    j->count_hi = 0;
    j->members_pending++;
    return enqueue(c, CALL_MEMBERS, j, NULL, 0, 0);
}

/* Does what was listed agree with the counts the pages gave? People who join or leave
 * while the list is paged move the count by one each; more than that, and pages were
 * short, repeated or shifted beyond what the overlap of pages absorbs. */
static int members_agree(const struct job *j)
{
    int64_t slack = 2 + j->count_hi / 1000;
    return j->members_listed + slack >= j->count_lo && j->members_listed <= j->count_hi + slack;
}

/* Once every page of the member list is in: fold it into the membership when it agrees
 * with its count; else read it once more; else leave the stored membership as it was. */
static int members_check(struct collector *c, struct job *j)
{
    char note[200];
    int rc;
    if (j->members_done || j->members_pending > 0)
        return 0;
    if (!j->members_failed && !members_agree(j)) {
        snprintf(note, sizeof note,
                 "member list not confirmed: %" PRId64 " people listed, VK counts %" PRId64 "%s",
                 j->members_listed, j->count_lo == j->count_hi ? j->count_hi : j->count_lo,
                 j->members_reread ? " twice; the stored membership is kept" : "");
        log_warn("%s: %s%s", j->name, note, j->members_reread ? "" : "; reading it again");
        if ((rc = store_members_unstage(c->st, c->run_id, j->st.id)) != 0)
            return rc;
        if (!j->members_reread) {
            j->members_reread = 1;
            return members_start(c, j);
        }
        j->members_failed = 1;
        c->partial = 1;
        set_message(c, "%s: %s", j->name, note);
        if ((rc = store_snapshot_note(c->st, c->run_id, j->st.id, c->now, note)) != 0)
            return rc;
    }
    j->members_done = 1;
    if (j->members_failed)
        return job_check(c, j);
    rc = store_members_complete(c->st, c->run_id, j->st.id, c->now, &j->joined, &j->left);
    return rc ? rc : job_check(c, j);
}

static void post_unlink(struct collector *c, struct post_job *p)
{
    if (p->prev)
        p->prev->next = p->next;
    else
        c->posts = p->next;
    if (p->next)
        p->next->prev = p->prev;
    free(p);
}

static int post_check(struct collector *c, struct post_job *p)
{
    struct job *j = p->job;
    int rc;
    if (p->pending > 0)
        return 0;
    /* Only kinds fetched completely advance their sync mark. */
    rc = store_post_synced(c->st, p->owner_id, p->post_id, p->failed[DETAIL_LIKES] ? -1 : p->likes,
                           p->failed[DETAIL_COMMENTS] ? -1 : p->comments,
                           p->failed[DETAIL_REPOSTS] ? -1 : p->reposts);
    if (p->failed[0] || p->failed[1] || p->failed[2])
        j->details_failed = 1;
    j->details_pending--;
    post_unlink(c, p);
    return rc ? rc : job_check(c, j);
}

/* A call that will not succeed in this run. Expected refusals (a hidden member
 * list, closed comments, a token that is no admin for stats) are facts about the
 * group, recorded as such; anything else makes the run partial. */
static void call_failed(struct collector *c, struct call *call, int code, const char *msg)
{
    struct job *j = call->job;
    struct post_job *p = call->post;
    int rc = 0, expected = 0;
    char note[320];

    tally(c, method_name[call->kind], code);
    if (j)
        j->calls_done++;
    switch (call->kind) {
    case CALL_GROUPS:
        for (size_t i = 0; i < c->njobs; i++) {
            struct job *k = &c->jobs[i];
            k->group_done = 1;
            if (k->deferred && !k->dup) {
                /* Never asked for: without the group's id nothing else can be read. */
                k->members_pending = 0;
                k->members_failed = k->members_done = 1;
                k->wall_failed = k->wall_done = 1;
            }
            if (!rc)
                rc = job_check(c, k);
        }
        break;
    case CALL_MEMBERS:
        j->members_failed = 1;
        j->members_pending--;
        if (code == 15 || code == 203) {
            expected = 1;
            snprintf(note, sizeof note, "member list not available (VK error %d: %s)", code, msg);
            rc = store_snapshot_flag(c->st, c->run_id, j->st.id, c->now, SNAP_MEMBERS_HIDDEN);
            if (!rc)
                rc = store_snapshot_note(c->st, c->run_id, j->st.id, c->now, note);
            log_warn("%s: %s", j->name, note);
        }
        if (!rc)
            rc = members_check(c, j);
        break;
    case CALL_WALL:
        j->wall_failed = 1;
        j->wall_done = 1;
        if (code == 15 || code == 203 || code == 18 || code == 30) {
            snprintf(note, sizeof note, "wall not available (VK error %d: %s)", code, msg);
            rc = store_snapshot_note(c->st, c->run_id, j->st.id, c->now, note);
            log_warn("%s: %s", j->name, note);
        }
        if (!rc)
            rc = job_check(c, j);
        break;
    case CALL_COMMENTS:
    case CALL_THREAD:
        if (code == 212) {
            /* Comments are closed: there is nothing to fetch, and nothing missing. */
            expected = 1;
            p->pending--;
            rc = post_check(c, p);
            break;
        }
        /* fall through */
    case CALL_LIKES:
    case CALL_REPOSTS:
        p->failed[call->kind == CALL_LIKES     ? DETAIL_LIKES
                  : call->kind == CALL_REPOSTS ? DETAIL_REPOSTS
                                               : DETAIL_COMMENTS] = 1;
        p->pending--;
        rc = post_check(c, p);
        break;
    case CALL_STATS:
        if (call->offset > 0) {
            /* An older page of the history refused: VK keeps no more. */
            expected = 1;
            log_info("%s: stats.get answers no days before %d pages back (VK error %d)", j->name,
                     (int)call->offset, code);
        } else if (code == 15 || code == 7 || code == 27 || code == 28) {
            expected = 1;
            log_info("%s: stats.get refused (VK error %d): the token is not an admin of this "
                     "group; daily statistics are skipped for it from now on",
                     j->name, code);
            rc = store_stats_denied(c->st, j->st.id, 1);
        }
        break;
    case CALL_KINDS:
        break;
    }
    if (!expected) {
        /* Parser messages begin with the method's name: say it once. */
        size_t k = strlen(method_name[call->kind]);
        if (strncmp(msg, method_name[call->kind], k) == 0 && msg[k] == ':' && msg[k + 1] == ' ')
            msg += k + 2;
        c->partial = 1;
        set_message(c, "%s failed for %s: %s", method_name[call->kind], j ? j->name : "groups",
                    msg);
    }
    if (rc)
        fatal(c, "database error: %s", store_errmsg(c->st));
    free(call);
}

/* ---- handling answers -------------------------------------------------------------------------
 */

/* Does group @g answer job @j's reference? A known group by its id, else by the id the
 * reference names, else by screen name. */
static int group_matches(const struct job *j, const struct vk_group *g)
{
    int64_t id = j->st.vk_id ? j->st.vk_id : config_group_id(j->cc->group);
    if (id)
        return g->id == id;
    return g->screen_name && !strcasecmp(g->screen_name, j->cc->group);
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
static void job_dup(struct job *j, const struct job *other)
{
    log_warn("%s: the same VK group as '%s' (id %" PRId64 "); it is collected once: keep one "
             "of the two [community] sections",
             j->name, other->name, other->st.vk_id);
    j->dup = j->finished = j->group_done = j->members_done = j->wall_done = 1;
    j->members_pending = 0;
}

static int on_groups(struct collector *c, const cJSON *resp, char *err, size_t errlen)
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
        if (j->dup)
            continue;
        for (size_t k = 0; k < n && rc == 0; k++) {
            if (!group_matches(j, &g[k]))
                continue;
            found = 1;
            if (j->deferred && (other = job_of_group(c, j, g[k].id)) != NULL) {
                /* Listed twice in the config, by screen name and by id: one row. */
                rc = store_community_merge(c->st, j->st.id, other->st.id);
                job_dup(j, other);
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
            /* Daily figures: once the newest stored day is a day old, read from it
             * on (it may have been partial), so a rerun the same day costs nothing. */
            if (rc == 0 && c->cfg->collect_stats && !j->st.stats_denied &&
                c->now - j->st.last_stat_day >= 86400)
                rc = enqueue(c, CALL_STATS, j, NULL, 0, 0);
            if (rc == 0 && j->deferred) {
                job_cutoff(c, j);
                rc = members_start(c, j);
                if (rc == 0)
                    rc = enqueue(c, CALL_WALL, j, NULL, 0, 0);
            }
            break;
        }
        if (j->dup)
            continue;
        if (!found) {
            log_warn("%s: VK does not know this group; check 'group' in the config", j->name);
            c->partial = 1;
            set_message(c, "group '%s' was not found on VK", j->cc->group);
            if (j->deferred) {
                j->members_failed = j->members_done = 1;
                j->wall_failed = j->wall_done = 1;
            }
        }
        j->group_done = 1;
        if (rc == 0)
            rc = job_check(c, j);
    }
    free(g);
    return rc;
}

/* A count no group or post can have is refused before anything is queued for it. */
static int count_plausible(const char *method, int64_t count, int64_t limit, const char *key,
                           char *err, size_t errlen)
{
    if (count <= limit)
        return 0;
    snprintf(err, errlen, "%s: count %" PRId64 " is beyond [collect] %s = %" PRId64, method, count,
             key, limit);
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
    if ((rc = count_plausible("groups.getMembers", count, c->cfg->max_members, "max_members", err,
                              errlen)) != 0) {
        free(u);
        return rc;
    }
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
            return job_check(c, j);
        }
        for (int64_t off = MEMBERS_STEP; off < count && rc == 0; off += MEMBERS_STEP) {
            rc = enqueue(c, CALL_MEMBERS, j, NULL, off, 0);
            j->members_pending++;
        }
    }
    j->members_pending--;
    return rc ? rc : members_check(c, j);
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
        rc = enqueue(c, CALL_LIKES, j, pj, 0, 0);
    if (want[1] && !rc)
        rc = enqueue(c, CALL_COMMENTS, j, pj, 0, 0);
    if (want[2] && !rc)
        rc = enqueue(c, CALL_REPOSTS, j, pj, 0, 0);
    return rc;
}

static int on_wall(struct collector *c, struct call *call, const cJSON *resp, char *err,
                   size_t errlen)
{
    struct job *j = call->job;
    struct vk_post *p = NULL;
    size_t n = 0;
    int64_t count, pinned = 0;
    int rc = vk_parse_wall(resp, &count, &p, &n, err, errlen), older = 0;
    if (rc)
        return rc;
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
    if (n > 0 && !j->owner_id)
        j->owner_id = p[0].owner_id;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct store_post_sync prev;
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
    free(p);
    if (rc == 0 && call->offset == 0 && j->owner_id)
        rc = store_unpin_others(c->st, j->owner_id, pinned);
    if (rc)
        return rc;
    if (older || n == 0 || call->offset + (int64_t)n >= count) {
        j->wall_done = 1;
        rc = store_snapshot_flag(c->st, c->run_id, j->st.id, c->now, SNAP_WALL_OK);
        return rc ? rc : job_check(c, j);
    }
    return enqueue(c, CALL_WALL, j, NULL, call->offset + WALL_PAGE, 0);
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
    if ((rc = count_plausible("likes.getList", count, c->cfg->max_items, "max_items", err,
                              errlen)) != 0) {
        free(ids);
        return rc;
    }
    rc = store_likes(c->st, p->owner_id, p->post_id, ids, n, c->now);
    free(ids);
    if (rc == 0 && call->offset == 0)
        for (int64_t off = LIKES_PAGE; off < count && rc == 0; off += LIKES_PAGE)
            rc = enqueue(c, CALL_LIKES, call->job, p, off, 0);
    p->pending--;
    return rc ? rc : post_check(c, p);
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
    if ((rc = count_plausible("wall.getComments", level, c->cfg->max_items, "max_items", err,
                              errlen)) != 0) {
        free(v);
        return rc;
    }
    rc = store_comments(c->st, p->owner_id, p->post_id, v, n, c->now);
    /* Threads longer than what came inline are read in full on their own. */
    for (size_t i = 0; i < n && rc == 0 && !thread; i++)
        if (v[i].parent_id == 0 && v[i].thread_count > v[i].thread_inline)
            rc = enqueue(c, CALL_THREAD, call->job, p, 0, v[i].id);
    free(v);
    if (rc == 0 && call->offset == 0)
        for (int64_t off = COMMENTS_PAGE; off < level && rc == 0; off += COMMENTS_PAGE)
            rc = enqueue(c, call->kind, call->job, p, off, call->thread);
    p->pending--;
    return rc ? rc : post_check(c, p);
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
    rc = store_reposts(c->st, p->owner_id, p->post_id, r, n, c->now);
    free(r);
    /* No count in this answer: a full page means there may be more. */
    if (rc == 0 && n == REPOSTS_PAGE)
        rc = enqueue(c, CALL_REPOSTS, call->job, p, call->offset + REPOSTS_PAGE, 0);
    p->pending--;
    return rc ? rc : post_check(c, p);
}

static int on_stats(struct collector *c, struct call *call, const cJSON *resp, char *err,
                    size_t errlen)
{
    struct vk_stat_day *d = NULL;
    size_t n = 0;
    int rc = vk_parse_stats(resp, &d, &n, err, errlen), joins = 0;
    if (rc)
        return rc;
    rc = store_stats(c->st, call->job->st.id, d, n);
    for (size_t i = 0; i < n; i++)
        joins |= d[i].subscribed > 0 || d[i].unsubscribed > 0;
    free(d);
    /* The subscriber history goes back as far as VK answers with subscriptions. */
    if (rc == 0 && !call->job->st.last_stat_day && joins && call->offset + 1 < STATS_MAX_PAGES)
        rc = enqueue(c, CALL_STATS, call->job, NULL, call->offset + 1, 0);
    return rc;
}

/* Handles one call's successful answer. Returns 0, VKP_EPARSE (the answer does not
 * fit the schema: the call is retried), or a store error (fatal). */
static int on_answer(struct collector *c, struct call *call, const cJSON *resp, char *err,
                     size_t errlen)
{
    if (call->job)
        call->job->calls_done++;
    switch (call->kind) {
    case CALL_GROUPS:
        return on_groups(c, resp, err, errlen);
    case CALL_MEMBERS:
        return on_members(c, call, resp, err, errlen);
    case CALL_WALL:
        return on_wall(c, call, resp, err, errlen);
    case CALL_LIKES:
        return on_likes(c, call, resp, err, errlen);
    case CALL_COMMENTS:
    case CALL_THREAD:
        return on_comments(c, call, resp, err, errlen);
    case CALL_REPOSTS:
        return on_reposts(c, call, resp, err, errlen);
    case CALL_STATS:
        return on_stats(c, call, resp, err, errlen);
    case CALL_KINDS:
        break;
    }
    return VKP_EPARSE;
}

/* A VK error for one call (a whole request's error, or an execute inner error). */
static void on_vk_error(struct collector *c, struct call *call, int code, const char *msg)
{
    char text[320];
    snprintf(text, sizeof text, "VK error %d: %s", code, msg);
    switch (code) {
    case 1:  /* unknown error */
    case 6:  /* too many requests per second */
    case 9:  /* flood control */
    case 10: /* internal server error */
        tally(c, method_name[call->kind], code);
        /* Error 6 widens the pace once per request, in flight_failed. */
        if (code == 9)
            ratelimit_pause(&c->rl, now_ms(c), 1000);
        retry(c, call, code, text);
        return;
    case 5:
        tally(c, method_name[call->kind], code);
        fatal(c,
              "VK rejected the access token (error 5: %s): get a new token and put it in $%s "
              "or the token file",
              msg, c->cfg->token_env);
        free(call);
        return;
    case 14:
        tally(c, method_name[call->kind], code);
        fatal(c, "VK asks for a captcha (error 14): the token made too many requests; wait an "
                 "hour, lower requests_per_second in the config, and run again");
        free(call);
        return;
    case 29:
        if (!c->method_off[call->kind])
            log_warn("%s: daily quota reached (VK error 29); it is skipped for the rest of this "
                     "run, which will be partial",
                     method_name[call->kind]);
        c->method_off[call->kind] = 1;
        if (call->kind == CALL_THREAD || call->kind == CALL_COMMENTS)
            c->method_off[CALL_THREAD] = c->method_off[CALL_COMMENTS] = 1;
        call_failed(c, call, code, text);
        return;
    default:
        call_failed(c, call, code, text);
        return;
    }
}

/* ---- sending ------------------------------------------------------------------------------------
 */

static void on_http(void *ud, const struct http_result *res);

static void send_batch(struct collector *c)
{
    struct flight *f = calloc(1, sizeof *f);
    const char *methods[BATCH_MAX];
    cJSON *params[BATCH_MAX] = {0};
    char *body = NULL, *code = NULL, *url = NULL;
    int rc;

    if (!f) {
        fatal(c, "out of memory");
        return;
    }
    f->c = c;
    int limit = c->use_execute ? c->batch_max : 1;
    while (f->n < limit && c->queue) {
        struct call *call = dequeue(c);
        if (c->method_off[call->kind]) {
            call_failed(c, call, 29, "daily quota reached earlier in this run");
            continue;
        }
        params[f->n] = call_params(c, call);
        if (!params[f->n]) {
            free(call);
            fatal(c, "out of memory");
            goto out;
        }
        methods[f->n] = method_name[call->kind];
        call->attempts++;
        f->calls[f->n++] = call;
    }
    if (f->n == 0)
        goto out;
    f->is_execute = c->use_execute && f->n > 1;
    if (f->is_execute) {
        cJSON *p = cJSON_CreateObject();
        code = vk_execute_code(methods, (const cJSON *const *)params, (size_t)f->n);
        if (p && code && cJSON_AddStringToObject(p, "code", code))
            body = vk_form_body(p, c->token, c->cfg->api_version);
        cJSON_Delete(p);
        url = c->url_execute;
    } else {
        body = vk_form_body(params[0], c->token, c->cfg->api_version);
        if (asprintf(&url, "%s/%s", c->cfg->api_url, methods[0]) < 0)
            url = NULL;
    }
    if (!body || !url) {
        fatal(c, "out of memory");
        goto out;
    }
    rc = http_post(c->http, url, body, on_http, f);
    if (rc != 0) {
        fatal(c, "cannot start a request: %s", vkp_strerror(rc));
        goto out;
    }
    ratelimit_take(&c->rl, now_ms(c));
    log_debug("request %" PRId64 " at %" PRIu64 " ms: %d calls, %zu more queued, %d in flight",
              c->requests + 1, now_ms(c) - c->started_ms, f->n, c->queued, c->inflight);
    c->requests++;
    c->calls += f->n;
    c->inflight++;
    f = NULL;
out:
    if (f) {
        for (int i = 0; i < f->n; i++)
            free(f->calls[i]);
        free(f);
    }
    for (int i = 0; i < BATCH_MAX; i++)
        cJSON_Delete(params[i]);
    if (url != c->url_execute)
        free(url);
    if (body) {
        explicit_bzero(body, strlen(body)); /* it holds the token */
        free(body);
    }
    free(code);
}

/* A request failed as a whole: every call in it is retried or, when the failure
 * says batching itself is the problem, re-queued in smaller batches. */
static void flight_failed(struct collector *c, struct flight *f, int code, const char *what)
{
    if (code == 6) {
        ratelimit_refused(&c->rl, now_ms(c));
        log_info("VK refused a request for rate (error 6): requests leave %.0f ms apart from now "
                 "on",
                 c->rl.gap_ms);
    }
    for (int i = 0; i < f->n; i++) {
        struct call *call = f->calls[i];
        if (f->is_execute && (code == 13 || code == -413)) {
            call->attempts--; /* not this call's fault */
            requeue_now(c, call);
        } else if (f->is_execute && (code == 28 || code == 3 || code == 12)) {
            call->attempts--;
            requeue_now(c, call);
        } else if (code > 0) {
            on_vk_error(c, call, code, what);
        } else if (code == -3) {
            call_failed(c, call, code, what);
        } else {
            tally(c, method_name[call->kind], code);
            retry(c, call, code, what);
        }
    }
    if (f->is_execute && (code == 13 || code == -413) && c->batch_max > 1) {
        c->batch_max = c->batch_max / 2 > 0 ? c->batch_max / 2 : 1;
        log_warn("answer too big for one execute: batches shrink to %d calls", c->batch_max);
    }
    if (f->is_execute && (code == 28 || code == 3 || code == 12) && c->use_execute) {
        c->use_execute = 0;
        c->batch_max = 1;
        log_warn("this token may not use execute (VK error %d): falling back to one call per "
                 "request, which is up to 25 times slower",
                 code);
    }
}

/*
 * Writing answers. An answer is written in one transaction, but not in one go:
 * the loop writes a slice of its calls (WRITE_SLICE_MS), then turns, so that
 * the pump's timer and the sockets are served between slices. VK's limit is a
 * sliding second, and the pace already fills it: a request that leaves late
 * because the loop was busy writing loses its slot for good. Answers wait
 * their turn in arrival order, their bodies unparsed until then, so that only
 * one answer's JSON tree is in memory at a time; no request leaves while
 * WAITING_BYTES_MAX of bodies wait, which bounds the rest.
 */

/* Parses the answer at the head of the line; 0 when its calls are to be
 * written, -1 when the request failed as a whole (its calls are dealt with). */
static int answer_open(struct collector *c, struct answer *a)
{
    struct flight *f = a->f;
    char err[512], what[640];
    int rc = vk_reply_parse(a->body, a->len, &a->reply, err, sizeof err);

    free(a->body);
    a->body = NULL;
    a->parsed = 1;
    if (rc != 0) {
        snprintf(what, sizeof what, "malformed answer: %s", err);
        flight_failed(c, f, -2, what);
    } else if (a->reply.error_code) {
        flight_failed(c, f, a->reply.error_code, a->reply.error_msg);
    } else if (f->is_execute && (!cJSON_IsArray(a->reply.response) ||
                                 cJSON_GetArraySize(a->reply.response) != f->n)) {
        flight_failed(c, f, -2, "execute answer is not an array of one result per call");
    } else {
        return 0;
    }
    a->ncall = f->n; /* flight_failed took every call */
    return -1;
}

/* Handles the answer's next call. */
static void answer_call(struct collector *c, struct answer *a)
{
    struct flight *f = a->f;
    const struct vk_reply *r = &a->reply;
    struct call *call = f->calls[a->ncall];
    const cJSON *resp = f->is_execute ? cJSON_GetArrayItem(r->response, a->ncall) : r->response;
    char err[512];
    int rc;

    f->calls[a->ncall++] = NULL;
    if (c->fatal) {
        free(call);
        return;
    }
    if (f->is_execute && cJSON_IsFalse(resp)) {
        int code;
        const char *msg;
        vk_execute_error(r, a->inner++, &code, &msg);
        on_vk_error(c, call, code, msg);
        return;
    }
    err[0] = '\0';
    rc = on_answer(c, call, resp, err, sizeof err);
    if (rc == VKP_ETOOBIG) {
        /* A count beyond the limits: asking again would get the same answer. Its
         * errors are tallied as code -4 (-1 network, -2 malformed, -3 too big). */
        log_warn("%s", err);
        if (call->job)
            call->job->calls_done--;
        call_failed(c, call, -4, err); /* it frees the call */
        return;
    }
    if (rc == VKP_EPARSE) {
        tally(c, method_name[call->kind], -2);
        log_warn("%s", err); /* the parsers name their method */
        if (call->job)
            call->job->calls_done--;
        retry(c, call, -2, err);
        return;
    }
    if (rc != 0)
        fatal(c, "database error: %s", store_errmsg(c->st));
    free(call);
}

/* Advances the answer at the head; 1 once it is done with (written or failed):
 * its calls from a->ncall on were never handled, and answer_free drops them. */
static int answer_step(struct collector *c, struct answer *a)
{
    struct flight *f = a->f;

    if (c->fatal && !a->begun)
        return 1; /* answer_free drops its calls */
    if (!a->parsed)
        /* Parsing may take a while: the loop turns before the writing starts. */
        return answer_open(c, a) != 0;
    if (!a->begun) {
        if (store_begin(c->st) != 0) {
            fatal(c, "database error: %s", store_errmsg(c->st));
            return 1;
        }
        a->begun = 1;
    }
    if (a->ncall < f->n) {
        answer_call(c, a);
        if (a->ncall < f->n)
            return 0;
    }
    if (c->fatal) {
        store_rollback(c->st);
    } else if (store_commit(c->st) != 0) {
        fatal(c, "%s", store_errmsg(c->st)); /* it says "cannot commit" */
        store_rollback(c->st);
    }
    return 1;
}

static void answer_free(struct answer *a)
{
    if (!a)
        return;
    free(a->body);
    if (a->f) {
        for (int i = a->ncall; i < a->f->n; i++)
            free(a->f->calls[i]);
        free(a->f);
    }
    vk_reply_release(&a->reply);
    free(a);
}

static void on_write_turn(uv_idle_t *h)
{
    struct collector *c = h->data;
    uint64_t start = now_ms(c);

    while (c->answers) {
        struct answer *a = c->answers;
        if (answer_step(c, a)) {
            c->answers = a->next;
            if (!c->answers)
                c->answers_tail = NULL;
            c->waiting--;
            c->waiting_bytes -= a->len;
            answer_free(a);
            c->inflight--;
        }
        if (now_ms(c) - start >= WRITE_SLICE_MS)
            break;
    }
    if (!c->answers)
        uv_idle_stop(&c->write_idle);
    pump(c);
}

static void on_http(void *ud, const struct http_result *res)
{
    struct flight *f = ud;
    struct collector *c = f->c;
    struct answer *a = NULL;
    char what[640];

    if (res->outcome == HTTP_DONE && res->status == 200 && !c->fatal) {
        if (!(a = calloc(1, sizeof *a)) || !(a->body = http_take_body(res))) {
            free(a);
            a = NULL;
            fatal(c, "out of memory");
        } else {
            /* Written on the loop's next turns; in flight until then. */
            a->f = f;
            a->len = res->len;
            if (c->answers_tail)
                c->answers_tail->next = a;
            else
                c->answers = a;
            c->answers_tail = a;
            c->waiting++;
            c->waiting_bytes += a->len;
            uv_idle_start(&c->write_idle, on_write_turn);
            return;
        }
    }
    c->inflight--;
    if (res->outcome == HTTP_CANCELLED || c->fatal) {
        for (int i = 0; i < f->n; i++)
            free(f->calls[i]);
        c->partial = 1;
    } else if (res->outcome == HTTP_FATAL) {
        for (int i = 0; i < f->n; i++)
            free(f->calls[i]);
        fatal(c, "cannot reach the VK API at %s: %s", c->cfg->api_url, res->error);
    } else if (res->outcome == HTTP_TOOBIG) {
        flight_failed(c, f, f->is_execute ? -413 : -3, res->error);
    } else if (res->outcome == HTTP_NETWORK) {
        snprintf(what, sizeof what, "network error: %s", res->error);
        flight_failed(c, f, -1, what);
    } else {
        snprintf(what, sizeof what, "HTTP status %ld", res->status);
        flight_failed(c, f, -(int)res->status, what);
    }
    free(f);
    pump(c);
}

/* ---- progress ----------------------------------------------------------------------------------
 */

/* Lines of the progress block on screen, erased before a log message. */
static size_t progress_lines;

static void progress_erase(void)
{
    if (progress_lines)
        fprintf(stderr, "\033[%zuA\r\033[J", progress_lines);
    progress_lines = 0;
}

static void progress(struct collector *c, int final)
{
    uint64_t now = now_ms(c);
    if (!c->opt.progress || (!final && now - c->last_progress < PROGRESS_MS))
        return;
    c->last_progress = now;
    double per_call_s = 1.0 / (c->cfg->rps * c->batch_max);
    log_set_before(NULL);
    progress_erase();
    for (size_t i = 0; i < c->njobs; i++) {
        const struct job *j = &c->jobs[i];
        int64_t left = j->calls_planned - j->calls_done;
        fprintf(stderr, "  %-32.32s %6" PRId64 "/%-6" PRId64 " calls  ", j->name, j->calls_done,
                j->calls_planned);
        if (j->finished)
            fprintf(stderr, "done\n");
        else
            fprintf(stderr, "ETA %.0f s\n", (double)(left > 0 ? left : 0) * per_call_s);
    }
    /* The final block stays; an intermediate one is redrawn in place. */
    progress_lines = final ? 0 : c->njobs;
    if (!final)
        log_set_before(progress_erase);
    fflush(stderr);
}

/* ---- the pump
 * ------------------------------------------------------------------------------------ */

static void on_pump_timer(uv_timer_t *t)
{
    pump(t->data);
}

static void finish_run(struct collector *c);

/* Milliseconds a thin batch should still wait for answers in flight (0: send it
 * now): until the rate has been free for a whole gap, and for as long as answers
 * wait to be written. */
static uint64_t thin_wait(struct collector *c)
{
    double free_for = (double)now_ms(c) - c->rl.next_ms;
    if (c->waiting > 0)
        return UINT64_MAX; /* on_write_turn pumps after each slice */
    if (free_for >= c->rl.gap_ms)
        return 0;
    return (uint64_t)(c->rl.gap_ms - (free_for > 0 ? free_for : 0)) + 1;
}

static void pump(struct collector *c)
{
    if (!c->running)
        return;
    progress(c, 0);
    uint64_t next_delayed = release_delayed(c), recheck = UINT64_MAX;
    if (c->fatal || c->stopping) {
        if (c->inflight == 0)
            finish_run(c);
        return;
    }
    while (c->queue && c->inflight - c->waiting < MAX_INFLIGHT &&
           c->waiting_bytes < WAITING_BYTES_MAX && !c->fatal) {
        uint64_t wait = ratelimit_wait(&c->rl, now_ms(c));
        if (wait > 0) {
            uv_timer_start(&c->pump_timer, on_pump_timer, wait, 0);
            return;
        }
        /* Answers still due may bring more calls, and retries waiting out
         * their backoff will join soon: wait for a full batch rather than
         * spend a request on a thin one. But not past a whole slot: once the
         * rate has stood unused for a gap while only the network was awaited
         * (no answer being written, which would bring its calls at once), a
         * thin batch goes, for a slot lost is lost for good. */
        if ((int)c->queued < c->batch_max && c->inflight > 0 && (recheck = thin_wait(c)) > 0)
            break;
        if ((int)c->queued < c->batch_max && next_delayed <= RETRY_GATHER_MS) {
            uv_timer_start(&c->pump_timer, on_pump_timer, next_delayed, 0);
            return;
        }
        send_batch(c);
    }
    if (c->fatal) {
        if (c->inflight == 0)
            finish_run(c);
        return;
    }
    if (!c->queue && c->inflight == 0 && !c->delayed) {
        finish_run(c);
        return;
    }
    if (recheck < next_delayed)
        next_delayed = recheck;
    if (next_delayed != UINT64_MAX)
        uv_timer_start(&c->pump_timer, on_pump_timer, next_delayed, 0);
}

static void drop_queue(struct call **head)
{
    while (*head) {
        struct call *call = *head;
        *head = call->next;
        free(call);
    }
}

static void finish_run(struct collector *c)
{
    const char *status;
    int rc;

    c->running = 0;
    uv_timer_stop(&c->pump_timer);
    uv_timer_stop(&c->deadline);
    /* Calls never sent (interrupted or stopped): their post jobs go with them. */
    drop_queue(&c->queue);
    c->queue_tail = NULL;
    c->queued = 0;
    drop_queue(&c->delayed);
    while (c->posts)
        post_unlink(c, c->posts);
    for (size_t i = 0; i < c->njobs; i++)
        if (!c->jobs[i].finished)
            c->partial = 1;
    if (c->fatal)
        status = "failed";
    else if (c->partial || c->stopping)
        status = "partial";
    else
        status = "ok";
    if (c->stopping && !c->fatal)
        set_message(c, "interrupted by a signal");
    rc = store_begin(c->st);
    for (int i = 0; i < c->nerrors && rc == 0; i++)
        rc = store_run_error(c->st, c->run_id, c->errors[i].method, c->errors[i].code,
                             c->errors[i].count);
    if (rc == 0)
        rc = store_run_end(c->st, c->run_id, (int64_t)time(NULL), status, c->requests, c->calls,
                           c->message[0] ? c->message : NULL);
    if (rc == 0)
        rc = store_commit(c->st);
    if (rc != 0) {
        store_rollback(c->st);
        c->fatal = 1;
        log_error("cannot record the end of run %" PRId64 ": %s", c->run_id, store_errmsg(c->st));
    }
    progress(c, 1);
}

/* ---- signals and lifetime
 * -------------------------------------------------------------------------- */

static void on_signal(uv_signal_t *h, int signum)
{
    struct collector *c = h->data;
    c->signalled = 1;
    uv_timer_stop(&c->sleep_timer);
    if (c->running && !c->stopping) {
        log_info("%s: abandoning requests in flight and saving what arrived",
                 signum == SIGINT   ? "interrupt"
                 : signum == SIGHUP ? "hangup"
                                    : "terminate");
        c->stopping = 1;
        http_cancel_all(c->http); /* their callbacks free the flights */
        pump(c);
    }
}

/* The run has lasted [collect] run_deadline: what arrived is kept, the rest is left to
 * the next run, as after SIGTERM. */
static void on_deadline(uv_timer_t *t)
{
    struct collector *c = t->data;
    if (!c->running || c->stopping)
        return;
    log_warn("the run took longer than [collect] run_deadline = %d s: stopping it; the next "
             "run completes the work",
             c->cfg->run_deadline);
    set_message(c, "stopped after [collect] run_deadline = %d s", c->cfg->run_deadline);
    c->partial = 1;
    c->stopping = 1;
    http_cancel_all(c->http);
    pump(c);
}

int collector_new(const struct config *cfg, struct store *st, const char *token,
                  const struct collect_options *opt, struct collector **out, char *err,
                  size_t errlen)
{
    struct collector *c = calloc(1, sizeof *c);
    struct http_options hopt = {cfg->timeout, cfg->timeout < 10 ? cfg->timeout : 10,
                                (size_t)cfg->max_response_kb * 1024, "vkpulse/" VKPULSE_VERSION};
    int rc = VKP_ENOMEM;

    *out = NULL;
    if (!c || !(c->token = strdup(token)))
        goto fail;
    if (asprintf(&c->url_execute, "%s/execute", cfg->api_url) < 0) {
        c->url_execute = NULL;
        goto fail;
    }
    c->cfg = cfg;
    c->st = st;
    c->opt = *opt;
    if (uv_loop_init(&c->loop) != 0) {
        rc = VKP_EIO;
        goto fail;
    }
    c->loop_ready = 1;
    uv_timer_init(&c->loop, &c->pump_timer);
    uv_timer_init(&c->loop, &c->sleep_timer);
    uv_timer_init(&c->loop, &c->deadline);
    uv_idle_init(&c->loop, &c->write_idle);
    c->pump_timer.data = c->sleep_timer.data = c->deadline.data = c->write_idle.data = c;
    uv_signal_init(&c->loop, &c->sigint);
    uv_signal_init(&c->loop, &c->sigterm);
    uv_signal_init(&c->loop, &c->sighup);
    c->sigint.data = c->sigterm.data = c->sighup.data = c;
    uv_signal_start(&c->sigint, on_signal, SIGINT);
    uv_signal_start(&c->sigterm, on_signal, SIGTERM);
    uv_signal_start(&c->sighup, on_signal, SIGHUP);
    if ((rc = http_new(&c->loop, &hopt, &c->http)) != 0)
        goto fail;
    c->rng =
        (uint64_t)time(NULL) * 6364136223846793005ULL ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ULL;
    ratelimit_init(&c->rl, cfg->rps);
    *out = c;
    return 0;
fail:
    snprintf(err, errlen, "cannot set up the collector: %s", vkp_strerror(rc));
    collector_free(c);
    return rc;
}

void collector_free(struct collector *c)
{
    if (!c)
        return;
    if (c->loop_ready) {
        http_free(c->http);
        uv_close((uv_handle_t *)&c->pump_timer, NULL);
        uv_close((uv_handle_t *)&c->sleep_timer, NULL);
        uv_close((uv_handle_t *)&c->deadline, NULL);
        uv_close((uv_handle_t *)&c->write_idle, NULL);
        uv_close((uv_handle_t *)&c->sigint, NULL);
        uv_close((uv_handle_t *)&c->sigterm, NULL);
        uv_close((uv_handle_t *)&c->sighup, NULL);
        uv_run(&c->loop, UV_RUN_DEFAULT);
        uv_loop_close(&c->loop);
    }
    if (c->token) {
        explicit_bzero(c->token, strlen(c->token));
        free(c->token);
    }
    free(c->url_execute);
    free(c->jobs);
    free(c);
}

/* Sets up the run's jobs from the config and the store. */
static int prepare_jobs(struct collector *c)
{
    int rc;
    c->njobs = c->cfg->ncommunities;
    free(c->jobs);
    c->jobs = calloc(c->njobs, sizeof *c->jobs);
    if (!c->jobs)
        return VKP_ENOMEM;
    for (size_t i = 0; i < c->njobs; i++) {
        struct job *j = &c->jobs[i];
        j->cc = &c->cfg->communities[i];
        snprintf(j->name, sizeof j->name, "%s", j->cc->group);
        if ((rc = store_community_state(c->st, j->cc->group, &j->st)) != 0)
            return rc;
        for (size_t k = 0; k < i; k++)
            if (!c->jobs[k].dup && c->jobs[k].st.id == j->st.id) {
                job_dup(j, &c->jobs[k]);
                break;
            }
        j->owner_id = j->st.vk_id ? -j->st.vk_id : 0;
        j->deferred = !j->dup && j->st.vk_id == 0;
        job_cutoff(c, j);
    }
    return 0;
}

int collector_run(struct collector *c, struct collect_result *res)
{
    int rc;

    memset(res, 0, sizeof *res);
    c->queue = c->queue_tail = c->delayed = NULL;
    c->answers = c->answers_tail = NULL;
    c->waiting = 0;
    c->waiting_bytes = 0;
    c->queued = 0;
    c->inflight = 0;
    c->batch_max = c->cfg->use_execute ? BATCH_MAX : 1;
    c->use_execute = c->cfg->use_execute;
    memset(c->method_off, 0, sizeof c->method_off);
    c->requests = c->calls = c->retries = 0;
    c->partial = c->fatal = c->stopping = 0;
    c->message[0] = '\0';
    c->nerrors = 0;
    c->now = (int64_t)time(NULL);
    c->started_ms = now_ms(c);
    if (c->signalled)
        return VKP_EINTERRUPTED;
    if ((rc = store_run_begin(c->st, c->now, &c->run_id)) != 0) {
        log_error("cannot start a run: %s", store_errmsg(c->st));
        return rc;
    }
    if ((rc = prepare_jobs(c)) != 0) {
        log_error("cannot prepare the run: %s", store_errmsg(c->st));
        store_run_end(c->st, c->run_id, (int64_t)time(NULL), "failed", 0, 0, store_errmsg(c->st));
        return rc;
    }
    c->running = 1;
    uv_timer_start(&c->deadline, on_deadline, (uint64_t)c->cfg->run_deadline * 1000, 0);
    rc = enqueue(c, CALL_GROUPS, NULL, NULL, 0, 0);
    /* Groups whose id is known are read at once; a new one waits for groups.getById to
     * say which group it is (it may be one already collected under another name). */
    for (size_t i = 0; i < c->njobs && rc == 0; i++) {
        struct job *j = &c->jobs[i];
        if (j->dup || j->deferred)
            continue;
        rc = members_start(c, j);
        if (rc == 0)
            rc = enqueue(c, CALL_WALL, j, NULL, 0, 0);
    }
    pump(c);
    while (c->running || c->inflight > 0)
        uv_run(&c->loop, UV_RUN_ONCE);
    res->status = c->fatal                    ? COLLECT_FAILED
                  : c->partial || c->stopping ? COLLECT_PARTIAL
                                              : COLLECT_OK;
    res->run_id = c->run_id;
    res->requests = c->requests;
    res->calls = c->calls;
    res->retries = c->retries;
    res->seconds = (double)(now_ms(c) - c->started_ms) / 1000.0;
    res->interrupted = c->stopping && c->signalled; /* not a run_deadline */
    snprintf(res->message, sizeof res->message, "%s", c->message);
    return 0;
}

static void on_sleep_done(uv_timer_t *t)
{
    (void)t;
}

int collector_sleep(struct collector *c, int seconds)
{
    if (c->signalled)
        return 1;
    uv_timer_start(&c->sleep_timer, on_sleep_done, (uint64_t)seconds * 1000, 0);
    while (uv_is_active((uv_handle_t *)&c->sleep_timer) && !c->signalled)
        uv_run(&c->loop, UV_RUN_ONCE);
    uv_timer_stop(&c->sleep_timer);
    return c->signalled;
}
