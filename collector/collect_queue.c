/* collect_queue.c: the collector's queue of calls, retries with backoff, and its VK error policy.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_int.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "text.h"

uint64_t collect_now_ms(struct collector *c)
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

void collect_message(struct collector *c, const char *fmt, ...)
{
    va_list ap;
    if (c->message[0])
        return; /* the first cause is the one worth telling */
    va_start(ap, fmt);
    text_vprintf(c->message, sizeof c->message, fmt, ap);
    va_end(ap);
}

void collect_tally_as(struct collector *c, const struct job *job, const char *what, int code,
                      const char *msg)
{
    for (int i = 0; i < c->nerrors; i++) {
        struct err_tally *t = &c->errors[i];
        if (t->code == code && t->job == job && strcmp(t->method, what) == 0) {
            t->count++;
            return;
        }
    }
    if (c->nerrors < (int)(sizeof c->errors / sizeof c->errors[0])) {
        struct err_tally *t = &c->errors[c->nerrors++];
        *t = (struct err_tally){job, what, code, 1, ""};
        text_copy(t->msg, sizeof t->msg, msg ? msg : "");
    }
}

void collect_tally(struct collector *c, const struct call *call, int code, const char *msg)
{
    collect_tally_as(c, call->job, collect_methods[call->kind].name, code, msg);
}

/* Stops the run: nothing more is sent, what is in flight is abandoned. */
void collect_fatal(struct collector *c, int err, const char *fmt, ...)
{
    va_list ap;
    if (!c->fatal) {
        char msg[512];
        va_start(ap, fmt);
        text_vprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        text_copy(c->message, sizeof c->message, msg);
        log_error("%s", msg);
        c->fatal_err = err;
    }
    c->fatal = 1;
}

/* ---- the queue ------------------------------------------------------------------------------ */

int collect_enqueue(struct collector *c, enum call_kind kind, struct job *job,
                    struct post_job *post, int64_t offset, int64_t thread)
{
    return collect_enqueue_items(c, kind, job, post, offset, thread, 0);
}

int collect_enqueue_items(struct collector *c, enum call_kind kind, struct job *job,
                          struct post_job *post, int64_t offset, int64_t thread, int64_t items)
{
    struct call *call = calloc(1, sizeof *call);
    if (!call) {
        collect_fatal(c, VKP_ENOMEM, "out of memory");
        return VKP_ENOMEM;
    }
    call->kind = kind;
    call->job = job;
    call->post = post;
    call->offset = offset;
    call->thread = thread;
    call->items = items;
    collect_requeue_now(c, call);
    if (post)
        post->pending++;
    if (job)
        job->calls_planned++;
    return 0;
}

int collect_call_leads(const struct call *call)
{
    return call->offset == 0 || collect_methods[call->kind].chained;
}

void collect_requeue_now(struct collector *c, struct call *call)
{
    struct call **at = &c->queue; /* where it goes: the tail, or after the last lead */
    if (collect_call_leads(call))
        at = c->queue_lead ? &c->queue_lead->next : &c->queue;
    else if (c->queue_tail)
        at = &c->queue_tail->next;
    call->next = *at;
    *at = call;
    if (!call->next)
        c->queue_tail = call;
    if (collect_call_leads(call))
        c->queue_lead = call;
    c->queued++;
}

static void requeue_later(struct collector *c, struct call *call, uint64_t delay)
{
    call->not_before = collect_now_ms(c) + delay;
    call->next = c->delayed;
    c->delayed = call;
}

void collect_unlink(struct collector *c, struct call *prev, struct call *call)
{
    if (prev)
        prev->next = call->next;
    else
        c->queue = call->next;
    if (c->queue_tail == call)
        c->queue_tail = prev;
    if (c->queue_lead == call)
        c->queue_lead = prev; /* every call before a lead leads */
    c->queued--;
    call->next = NULL;
}

/* Moves delayed calls whose time has come to the queue; returns ms to the next one
 * (UINT64_MAX when none waits). */
uint64_t collect_release_delayed(struct collector *c)
{
    uint64_t now = collect_now_ms(c), next = UINT64_MAX;
    struct call **pp = &c->delayed;
    while (*pp) {
        struct call *call = *pp;
        if (call->not_before <= now) {
            *pp = call->next;
            collect_requeue_now(c, call);
        } else {
            if (call->not_before - now < next)
                next = call->not_before - now;
            pp = &call->next;
        }
    }
    return next;
}

void collect_drop_queue(struct call **head)
{
    while (*head) {
        struct call *call = *head;
        *head = call->next;
        free(call);
    }
}

/* Retries a call after an error that may pass, or gives up on it. */
void collect_retry(struct collector *c, struct call *call, int code, const char *msg)
{
    int unreached = code == CALL_ENET && !c->reached;
    int most = unreached ? MAX_ATTEMPTS_UNREACHED : MAX_ATTEMPTS;
    if (call->attempts >= most || c->stopping || c->fatal) {
        if (unreached) {
            /* Not one answer this run: VK is not reachable, and every other call would
             * wait out its own retries for nothing. */
            collect_tally(c, call, code, msg);
            collect_fatal(c, VKP_ENET,
                          "cannot reach the VK API at %s (%s, %d tries): check [vk] api_url "
                          "and the network",
                          c->cfg->api_url, msg, call->attempts);
            free(call);
            return;
        }
        collect_call_failed(c, call, code, msg);
        return;
    }
    double base =
        BACKOFF_BASE_MS * (double)(1u << (call->attempts - 1 < 10 ? call->attempts - 1 : 10));
    if (base > BACKOFF_MAX_MS)
        base = BACKOFF_MAX_MS;
    uint64_t delay = (uint64_t)(base * (0.5 + rand01(c)));
    c->retries++;
    log_debug("%s: %s; retry %d in %" PRIu64 " ms", collect_methods[call->kind].name, msg,
              call->attempts, delay);
    requeue_later(c, call, delay);
}

/* ---- failures -------------------------------------------------------------------------------- */

static int is_fact(const struct method *m, int code)
{
    for (int i = 0; i < MAX_FACTS && m->facts[i]; i++)
        if (m->facts[i] == code)
            return 1;
    return 0;
}

/* A call that will not succeed in this run. Expected refusals (a hidden member
 * list, closed comments, a token that is no admin for stats) are facts about the
 * group, recorded as such; anything else makes the run partial. */
void collect_call_failed(struct collector *c, struct call *call, int code, const char *msg)
{
    const struct method *m = &collect_methods[call->kind];
    struct job *j = call->job;
    int fact = code > 0 && is_fact(m, code);
    int rc;

    collect_tally(c, call, code, msg);
    if (j)
        j->calls_done++;
    rc = m->on_fail(c, call, code, msg, &fact);
    if (!fact) {
        /* Parser messages begin with the method's name: say it once. */
        size_t k = strlen(m->name);
        if (strncmp(msg, m->name, k) == 0 && msg[k] == ':' && msg[k + 1] == ' ')
            msg += k + 2;
        c->partial = 1;
        collect_message(c, "%s failed for %s: %s", m->name, j ? j->name : "groups", msg);
    }
    if (rc)
        collect_fatal(c, rc, "database error: %s", store_errmsg(c->st));
    free(call);
}

/* A VK error for one call (a whole request's error, or an execute inner error). */
void collect_vk_error(struct collector *c, struct call *call, int code, const char *msg)
{
    const char *method = collect_methods[call->kind].name;
    char text[320];
    text_printf(text, sizeof text, "VK error %d: %s", code, msg);
    if (is_fact(&collect_methods[call->kind], code)) {
        if (!collect_lane_refused(c, call, code))
            collect_call_failed(c, call, code, text);
        return;
    }
    switch (vk_error_classify(code)) {
    case VKE_RETRY:
    case VKE_FLOOD:
        collect_tally(c, call, code, text);
        /* Error 6 widens the pace once per request, in collect_flight_failed. */
        if (code == VK_ERR_FLOOD)
            ratelimit_pause(&c->lanes[call->lane].pace->rl, collect_now_ms(c), 1000);
        collect_retry(c, call, code, text);
        return;
    case VKE_AUTH:
    case VKE_CAPTCHA:
        /* Only a person can help: nothing more is sent, and the message says what to do.
         * A rejected token among several is set aside and the others go on. */
        if (code == VK_ERR_AUTH && collect_lane_rejected(c, call, code, msg))
            return;
        collect_tally(c, call, code, text);
        if (code == VK_ERR_AUTH && c->nlanes > 1)
            collect_fatal(c, VKP_EAUTH,
                          "VK rejected every access token (error %d: %s): get new tokens and put "
                          "them in %s%s",
                          code, msg, c->cfg->token_file[0] ? "" : "$",
                          c->cfg->token_file[0] ? c->cfg->token_file : c->cfg->token_env);
        else if (code == VK_ERR_AUTH)
            collect_fatal(c, VKP_EAUTH,
                          "VK rejected the access token (error %d: %s): get a new token and put "
                          "it in %s%s",
                          code, msg, c->cfg->token_file[0] ? "" : "$",
                          c->cfg->token_file[0] ? c->cfg->token_file : c->cfg->token_env);
        else
            collect_fatal(c, VKP_ECAPTCHA,
                          "VK asks for a captcha (error %d): the token made too many requests; "
                          "wait an hour, lower requests_per_second in the config, and run again",
                          code);
        free(call);
        return;
    case VKE_QUOTA:
        if (!c->method_off[call->kind])
            log_warn("%s: daily quota reached (VK error %d); it is skipped for the rest of this "
                     "run, which will be partial",
                     method, code);
        c->method_off[call->kind] = 1;
        if (call->kind == CALL_THREAD || call->kind == CALL_COMMENTS)
            c->method_off[CALL_THREAD] = c->method_off[CALL_COMMENTS] = 1;
        collect_call_failed(c, call, code, text);
        return;
    default:
        collect_call_failed(c, call, code, text);
        return;
    }
}

/* A request failed as a whole: every call in it is retried or, when the failure
 * says batching itself is the problem, re-queued in smaller batches. */
void collect_flight_failed(struct collector *c, struct flight *f, int code, const char *what)
{
    enum vk_error_class cls = code > 0 ? vk_error_classify(code) : VKE_FATAL;
    int too_big = f->is_execute && (cls == VKE_TOO_BIG || code == CALL_EEXEC413);
    int no_execute = f->is_execute && cls == VKE_EXECUTE;

    if (code == VK_ERR_TOO_MANY) {
        struct lane *l = &c->lanes[f->lane];
        pace_refused(l->pace, collect_now_ms(c));
        log_info("VK refused a request of %s for rate (error 6): %d request(s) in flight from now "
                 "on, %.0f ms apart",
                 l->name, pace_limit(l->pace), l->pace->rl.gap_ms);
    }
    for (int i = 0; i < f->n; i++) {
        struct call *call = f->calls[i];
        if (too_big || no_execute) {
            call->attempts--; /* not this call's fault */
            collect_requeue_now(c, call);
        } else if (code > 0) {
            collect_vk_error(c, call, code, what);
        } else if (code == CALL_ETOOBIG) {
            collect_call_failed(c, call, code, what);
        } else {
            collect_tally(c, call, code, what);
            collect_retry(c, call, code, what);
        }
    }
    if (too_big && c->batch_max > 1) {
        c->batch_max = c->batch_max / 2 > 0 ? c->batch_max / 2 : 1;
        log_warn("answer too big for one execute: batches shrink to %d calls", c->batch_max);
    }
    if (no_execute && c->use_execute) {
        c->use_execute = 0;
        c->batch_max = 1;
        log_warn("this token may not use execute (VK error %d): falling back to one call per "
                 "request, which is up to 25 times slower",
                 code);
    }
}
