/* collect_run.c: a run's bookkeeping: its jobs, the completion of their parts, its end and
 * progress. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collect_int.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "store_collect.h"
#include "text.h"

/* ---- completion of parts --------------------------------------------------------------------- */

/* Writes the community's completion once every part has ended. */
int collect_job_check(struct collector *c, struct job *j)
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
void collect_job_cutoff(struct collector *c, struct job *j)
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
int collect_members_start(struct collector *c, struct job *j)
{
    j->members_listed = 0;
    j->count_lo = INT64_MAX;
    j->count_hi = 0;
    j->members_pending++;
    return collect_enqueue(c, CALL_MEMBERS, j, NULL, 0, 0);
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
int collect_members_check(struct collector *c, struct job *j)
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
            return collect_members_start(c, j);
        }
        j->members_failed = 1;
        c->partial = 1;
        collect_message(c, "%s: %s", j->name, note);
        if ((rc = store_snapshot_note(c->st, c->run_id, j->st.id, c->now, note)) != 0)
            return rc;
    }
    j->members_done = 1;
    if (j->members_failed)
        return collect_job_check(c, j);
    /* A list of 50,000 takes the database 80-160 ms to fold: done in slices between the
     * loop's turns (collect_fold), so that requests leave on time meanwhile. */
    if ((rc = store_members_fold_begin(c->st, c->run_id, j->st.id, c->now, &j->fold)) != 0)
        return rc;
    c->folding = j;
    return collect_fold(c);
}

int collect_fold(struct collector *c)
{
    struct job *j = c->folding;
    int rc = store_members_fold_step(c->st, &j->fold, FOLD_ROWS);
    if (rc != 0 || !j->fold.done)
        return rc;
    c->folding = NULL;
    j->joined = j->fold.joined;
    j->left = j->fold.left;
    return collect_job_check(c, j);
}

void collect_post_unlink(struct collector *c, struct post_job *p)
{
    if (p->prev)
        p->prev->next = p->next;
    else
        c->posts = p->next;
    if (p->next)
        p->next->prev = p->prev;
    free(p);
}

int collect_post_check(struct collector *c, struct post_job *p)
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
    collect_post_unlink(c, p);
    return rc ? rc : collect_job_check(c, j);
}

void collect_job_where(const struct collector *c, const struct job *j, char *buf, size_t len)
{
    snprintf(buf, len, "%s:%d", c->cfg->path, j->cc->group_line ? j->cc->group_line : j->cc->line);
}

/* ---- the run --------------------------------------------------------------------------------- */

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
        text_copy(j->name, sizeof j->name, j->cc->group);
        if ((rc = store_community_state(c->st, j->cc->group, &j->st)) != 0)
            return rc;
        for (size_t k = 0; k < i; k++)
            if (!c->jobs[k].dup && c->jobs[k].st.id == j->st.id) {
                collect_job_dup(j, &c->jobs[k]);
                break;
            }
        j->owner_id = j->st.vk_id ? -j->st.vk_id : 0;
        j->deferred = !j->dup && j->st.vk_id == 0;
        collect_job_cutoff(c, j);
    }
    return 0;
}

/* ---- the run's clock --------------------------------------------------------------------------
 */

/* Runs this close together vouch for each other's clock: no need to ask VK's. */
#define CLOCK_VOUCHED 86400

/* "2026-12-05 17:14 UTC" */
static const char *utc(int64_t t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm))
        snprintf(buf, len, "%lld", (long long)t);
    return buf;
}

/* Does the run's clock need VK's word? Sets c->clock_* for the answer. No run yet, a
 * long pause, or a clock before the last run: only VK can say whose clock is wrong, and a
 * run on a wrong one would date everything it stores wrongly (a year ahead, and every
 * alert rule sees a year of silence). */
static int clock_needed(struct collector *c, int *needed)
{
    int rc = store_runs_clock(c->st, &c->clock_last, &c->clock_last_id);
    if (rc != 0) {
        log_error("%s", store_errmsg(c->st));
        return rc;
    }
    c->clock_behind = c->clock_last && c->now < c->clock_last - VK_CLOCK_SKEW;
    *needed = !(c->clock_last && !c->clock_behind && c->now - c->clock_last < CLOCK_VOUCHED);
    return 0;
}

/*
 * utils.getServerTime goes first in the run's first request, and nothing else leaves
 * until its answer is written (collect_pump): it costs no request and no answer time of
 * its own. The answer is written before anything the run brings; a refused clock is
 * fatal there, the answer's transaction is rolled back, and collector_run removes the
 * run row, so that nothing stays dated by the wrong clock.
 */
int collect_clock_answer(struct collector *c, struct call *call, const cJSON *resp, char *err,
                         size_t errlen)
{
    char a[40], b[40];
    double d = cJSON_IsNumber(resp) ? resp->valuedouble : -1;
    int64_t vk_now = (int64_t)d;

    (void)call, (void)err, (void)errlen;
    c->clock_open = 0;
    if (d < VK_BEGAN || d > 32503680000.0) {
        collect_clock_unread(c, "utils.getServerTime: the answer is not a time");
        return 0;
    }
    if (c->now - vk_now > VK_CLOCK_SKEW || vk_now - c->now > VK_CLOCK_SKEW) {
        collect_fatal(c, VKP_ECLOCK,
                      "the clock of this machine says %s, VK's says %s: set the clock (NTP) and "
                      "run again; nothing was collected",
                      utc(c->now, a, sizeof a), utc(vk_now, b, sizeof b));
        return 0;
    }
    if (c->clock_behind)
        log_warn("run #%" PRId64 " is dated %s, later than VK's clock (%s): it was made "
                 "with a wrong clock, and its data is dated wrongly",
                 c->clock_last_id, utc(c->clock_last, a, sizeof a), utc(vk_now, b, sizeof b));
    return 0;
}

void collect_clock_unread(struct collector *c, const char *why)
{
    char a[40], b[40];
    c->clock_open = 0;
    if (c->clock_behind)
        collect_fatal(c, VKP_ECLOCK,
                      "the clock of this machine says %s, before run #%" PRId64 " (%s), and VK's "
                      "clock could not be read (%s): check the clock; nothing was collected",
                      utc(c->now, a, sizeof a), c->clock_last_id, utc(c->clock_last, b, sizeof b),
                      why);
    else
        log_debug("VK's clock could not be read (%s): the run's clock is not checked", why);
}

/* Opens the run row, prepares its jobs and queues its first calls. */
int collect_run_begin(struct collector *c)
{
    int rc;
    int clock;
    vk_check_init(&c->chk, c->now, c->cfg->max_members, c->cfg->max_items);
    if ((rc = clock_needed(c, &clock)) != 0)
        return rc;
    if ((rc = store_run_begin(c->st, c->now, &c->run_id)) != 0) {
        log_error("cannot start a run: %s", store_errmsg(c->st));
        return rc;
    }
    if ((rc = prepare_jobs(c)) != 0) {
        log_error("cannot prepare the run: %s", store_errmsg(c->st));
        store_run_end(c->st, c->run_id, (int64_t)time(NULL), "failed", 0, 0, store_errmsg(c->st));
        return rc;
    }
    c->clock_open = clock;
    rc = clock ? collect_enqueue(c, CALL_CLOCK, NULL, NULL, 0, 0) : 0;
    if (rc == 0)
        rc = collect_enqueue_items(c, CALL_GROUPS, NULL, NULL, 0, 0, (int64_t)c->njobs);
    /* Groups whose id is known are read at once; a new one waits for groups.getById to
     * say which group it is (it may be one already collected under another name). */
    for (size_t i = 0; i < c->njobs && rc == 0; i++) {
        struct job *j = &c->jobs[i];
        if (j->dup || j->deferred)
            continue;
        rc = collect_members_start(c, j);
        if (rc == 0)
            rc = collect_enqueue(c, CALL_WALL, j, NULL, 0, 0);
        if (rc == 0 && collect_stats_due(c, j))
            rc = collect_enqueue(c, CALL_STATS, j, NULL, 0, 0);
    }
    return rc;
}

int collect_stats_due(const struct collector *c, const struct job *j)
{
    return c->cfg->collect_stats && (j->st.stats_denied || c->now - j->st.last_stat_day >= 86400);
}

/* Tells the display where the run stands: calls done and known per community, and
 * the requests still known to be needed at the paced rate. */
void collect_progress(struct collector *c, int final)
{
    struct collect_progress_row rows[64], *row = rows;
    uint64_t now = collect_now_ms(c);
    int64_t left = 0;
    if (!c->opt.progress || (!final && now - c->last_progress < PROGRESS_MS))
        return;
    c->last_progress = now;
    if (c->njobs > sizeof rows / sizeof rows[0] && !(row = calloc(c->njobs, sizeof *row)))
        return;
    for (size_t i = 0; i < c->njobs; i++) {
        const struct job *j = &c->jobs[i];
        row[i] =
            (struct collect_progress_row){j->name, j->calls_done, j->calls_planned, j->finished};
        if (j->calls_planned > j->calls_done)
            left += j->calls_planned - j->calls_done;
    }
    /* Calls per request as they have been, not as they could be: thin batches, single
     * calls after execute was refused. */
    double per_request = c->requests ? (double)c->calls / (double)c->requests : c->batch_max;
    if (per_request > c->batch_max)
        per_request = c->batch_max;
    if (per_request < 1)
        per_request = 1;
    double requests = (double)(int64_t)((double)left / per_request + 0.999);
    struct collect_progress p = {row, c->njobs, requests * collect_lanes_gap_ms(c) / 1000.0, final};
    c->opt.progress(c->opt.progress_ud, &p);
    if (row != rows)
        free(row);
}

void collect_run_finish(struct collector *c)
{
    const char *status;
    int rc;

    c->running = 0;
    uv_timer_stop(&c->pump_timer);
    uv_timer_stop(&c->deadline);
    /* Calls never sent (interrupted or stopped): their post jobs go with them. */
    collect_drop_queue(&c->queue);
    c->queue_tail = c->queue_lead = NULL;
    c->queued = 0;
    collect_drop_queue(&c->delayed);
    while (c->posts)
        collect_post_unlink(c, c->posts);
    for (size_t i = 0; i < c->njobs; i++)
        if (!c->jobs[i].finished)
            c->partial = 1;
    if (!c->fatal && !c->answered && !c->signalled && c->njobs > 0) {
        /* A run that brought nothing is no partial success: say it failed, and why. */
        c->fatal = 1;
        c->fatal_err = VKP_EVK;
        if (!c->message[0])
            collect_message(c, "nothing was collected");
        log_error("nothing was collected: %s", c->message);
    }
    if (c->fatal)
        status = "failed";
    else if (c->partial || c->stopping)
        status = "partial";
    else
        status = "ok";
    if (c->stopping && !c->fatal)
        collect_message(c, "interrupted by a signal");
    rc = store_begin(c->st);
    for (int i = 0; i < c->nerrors && rc == 0; i++) {
        const struct err_tally *t = &c->errors[i];
        rc = store_run_error(c->st, c->run_id, t->job ? t->job->st.id : 0, t->method, t->code,
                             t->count, t->msg);
    }
    if (rc == 0)
        rc = store_run_end(c->st, c->run_id, (int64_t)time(NULL), status, c->requests, c->calls,
                           c->message[0] ? c->message : NULL);
    if (rc == 0)
        rc = store_commit(c->st);
    if (rc != 0) {
        store_rollback(c->st);
        c->fatal = 1;
        c->fatal_err = rc;
        log_error("cannot record the end of run %" PRId64 ": %s", c->run_id, store_errmsg(c->st));
    }
    collect_progress(c, 1);
}
