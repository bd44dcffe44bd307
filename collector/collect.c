/* collect.c: the collection run's engine: sending batches, writing answers, the pump, signals. */
#include "collect.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collect_int.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "text.h"

/*
 * How a run works. Every piece of data is an API call in one queue. The
 * first request asks for group info, the first member page and the first
 * wall page of every community; each answer adds the calls it implies
 * (further pages, the likers, comments and reposts of changed posts). Calls
 * that may imply more (first pages, the wall) are queued before those that
 * cannot, so the run's whole work is known early and its end is not a chain
 * of answers waited for one by one. The pump sends up to 25 queued calls as
 * one `execute` whenever the pace allows, and while answers are still due it
 * waits for a full batch rather than send a thin one: requests stay close to
 * calls/25.
 *
 * Each answer is written in one transaction. A part of a community (its
 * member list, its wall, the details of its changed posts) is marked
 * complete in the snapshot in the same transaction as its last piece of
 * data, so a run killed at any instant leaves only complete parts marked,
 * and inserts keyed on natural keys make the next run's repeats harmless.
 *
 * What is known about each VK method is one row of collect_methods
 * (collect_methods.c); the queue and the VK error policy are collect_queue.c;
 * a run's jobs, the completion of their parts and its end are collect_run.c.
 */

/* ---- sending ------------------------------------------------------------------------------------
 */

static void on_http(void *ud, const struct http_result *res);

static void send_batch(struct collector *c, int lane)
{
    struct lane *l = &c->lanes[lane];
    struct flight *f = calloc(1, sizeof *f);
    const char *methods[BATCH_MAX];
    cJSON *params[BATCH_MAX] = {0};
    char *body = NULL, *code = NULL, *url = NULL;
    int rc;

    if (!f) {
        collect_fatal(c, VKP_ENOMEM, "out of memory");
        return;
    }
    f->c = c;
    f->lane = lane;
    int limit = c->use_execute ? c->batch_max : 1, taken[CALL_KINDS] = {0}, capped = 1;
    int most[CALL_KINDS];
    struct call *call;
    /* Calls of a kind with heavy answers (member pages) are spread over batches while
     * other calls can fill them (collect_batch_most); and where the server's answers lag
     * from some size on, a batch stays below it (heft.h). A first call over the budget
     * goes alone, unless it is heavy on its own: then the answer is heavy anyway, and
     * carries what it can. */
    double heavy, budget = heft_next_batch(&c->heft, &heavy);
    double room = budget > 0 ? budget : INFINITY;
    collect_batch_most(c, most);
    while (f->n < limit) {
        if (!(call = collect_dequeue_for(c, lane, capped ? taken : NULL, most,
                                         f->n ? room : INFINITY))) {
            /* Nothing else waits, or nothing else fits; with no bound, only calls beyond
             * their kind's share wait: they fill the batch. */
            if (!capped || room < INFINITY)
                break;
            capped = 0;
            continue;
        }
        taken[call->kind]++;
        if (c->method_off[call->kind]) {
            collect_call_failed(c, call, VK_ERR_RATE_LIMIT,
                                "daily quota reached earlier in this run");
            continue;
        }
        double w = collect_call_weight(call);
        if (f->n == 0 && w > room)
            room = heavy > 0 && w >= heavy ? INFINITY : 0;
        else
            room -= w;
        f->predicted += w;
        params[f->n] = cJSON_CreateObject();
        if (!params[f->n] || collect_methods[call->kind].params(c, call, params[f->n]) != 0) {
            free(call);
            collect_fatal(c, VKP_ENOMEM, "out of memory");
            goto out;
        }
        methods[f->n] = collect_methods[call->kind].name;
        call->attempts++;
        call->lane = lane;
        f->calls[f->n++] = call;
    }
    if (f->n == 0)
        goto out;
    f->is_execute = c->use_execute && f->n > 1;
    if (f->is_execute) {
        cJSON *p = cJSON_CreateObject();
        code = vk_execute_code(methods, (const cJSON *const *)params, (size_t)f->n);
        if (p && code && cJSON_AddStringToObject(p, "code", code))
            body = vk_form_body(p, l->token, c->cfg->api_version);
        cJSON_Delete(p);
        url = c->url_execute;
    } else {
        body = vk_form_body(params[0], l->token, c->cfg->api_version);
        if (asprintf(&url, "%s/%s", c->cfg->api_url, methods[0]) < 0)
            url = NULL;
    }
    if (!body || !url) {
        collect_fatal(c, VKP_ENOMEM, "out of memory");
        goto out;
    }
    rc = http_post(c->http, url, body, on_http, f);
    if (rc != 0) {
        collect_fatal(c, rc, "cannot start a request: %s", vkp_strerror(rc));
        goto out;
    }
    f->seq = pace_sent(l->pace, collect_now_ms(c));
    log_debug("request %" PRId64 " at %" PRIu64 " ms with %s: %d calls (%.0f KB predicted%s), "
              "%zu more queued, %d in flight (%d allowed%s)",
              c->requests + 1, collect_now_ms(c) - c->started_ms, l->name, f->n,
              f->predicted / 1024, room < INFINITY ? ", bounded" : "", c->queued, l->pace->inflight,
              pace_limit(l->pace), l->pace->careful_til > collect_now_ms(c) ? ", careful" : "");
    f->number = ++c->requests;
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
        text_printf(what, sizeof what, "malformed answer: %s", err);
        collect_flight_failed(c, f, CALL_EPARSE, what);
    } else if (a->reply.error_code) {
        collect_flight_failed(c, f, a->reply.error_code, a->reply.error_msg);
    } else if (f->is_execute && (!cJSON_IsArray(a->reply.response) ||
                                 cJSON_GetArraySize(a->reply.response) != f->n)) {
        collect_flight_failed(c, f, CALL_EPARSE,
                              "execute answer is not an array of one result per call");
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
        collect_vk_error(c, call, code, msg);
        return;
    }
    err[0] = '\0';
    rc = collect_methods[call->kind].on_answer(c, call, resp, err, sizeof err);
    if (rc == VKP_ETOOBIG || rc == VKP_EREFUSED) {
        /* A count beyond the limits, a value no answer can mean: asking again would get
         * the same answer, and nothing of it is written. */
        log_warn("%s%s%s", call->job ? call->job->name : "", call->job ? ": " : "", err);
        collect_call_failed(c, call, rc == VKP_ETOOBIG ? CALL_ECOUNT : CALL_EVALUE, err);
        return;
    }
    if (rc == VKP_EPARSE) {
        collect_tally(c, call, CALL_EPARSE, err);
        log_warn("%s", err); /* the parsers name their method */
        collect_retry(c, call, CALL_EPARSE, err);
        return;
    }
    c->answered++;
    if (call->job)
        call->job->calls_done++;
    if (rc != 0)
        collect_fatal(c, VKP_EDB, "database error: %s", store_errmsg(c->st));
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
            collect_fatal(c, VKP_EDB, "database error: %s", store_errmsg(c->st));
            return 1;
        }
        a->begun = 1;
    }
    if (c->folding) {
        /* A member list completed by the call before: its slices come first. */
        if (!c->fatal && collect_fold(c) != 0)
            collect_fatal(c, VKP_EDB, "database error: %s", store_errmsg(c->st));
        if (c->fatal)
            c->folding = NULL;
        return 0;
    }
    if (a->ncall < f->n) {
        answer_call(c, a);
        if (a->ncall < f->n || c->folding)
            return 0;
    }
    if (c->fatal) {
        store_rollback(c->st);
    } else if (store_commit(c->st) != 0) {
        collect_fatal(c, VKP_EDB, "%s", store_errmsg(c->st)); /* it says "cannot commit" */
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
    uint64_t start = collect_now_ms(c);

    while (c->answers) {
        struct answer *a = c->answers;
        if (answer_step(c, a)) {
            c->answers = a->next;
            if (!c->answers)
                c->answers_tail = NULL;
            c->waiting--;
            c->waiting_leads -= a->leads;
            c->waiting_bytes -= a->len;
            answer_free(a);
            c->inflight--;
        }
        if (collect_now_ms(c) - start >= WRITE_SLICE_MS)
            break;
    }
    if (!c->answers)
        uv_idle_stop(&c->write_idle);
    collect_pump(c);
}

static void on_http(void *ud, const struct http_result *res)
{
    struct flight *f = ud;
    struct collector *c = f->c;
    struct answer *a = NULL;
    char what[640];

    if (res->outcome == HTTP_DONE)
        c->reached = 1;
    /* The pace learns when the answer came, before it waits to be written; heft.h what
     * its size had to do with that. */
    enum pace_verdict v =
        pace_answered(c->lanes[f->lane].pace, f->seq, collect_now_ms(c), res->outcome == HTTP_DONE);
    size_t bytes = res->outcome == HTTP_DONE && res->status == 200 ? res->len : 0;
    int learned = heft_answered(&c->heft, f->predicted, bytes, v);
    log_debug("answer to request %" PRId64 " with %s: %zu bytes (%.0f KB predicted)%s", f->number,
              c->lanes[f->lane].name, bytes, f->predicted / 1024,
              v == PACE_LAGGED ? ", lagged"
              : v == PACE_HELD ? ", held behind another"
                               : "");
    if (learned > 0)
        log_info("the server's answers of %" PRIu64 " KB or more lag and hold the others: "
                 "batches are kept below %" PRIu64 " KB",
                 c->heft.limit / 1024, heft_bound(&c->heft) / 1024);
    else if (learned < 0)
        log_info("the server's large answers come in time again: batches are full again");
    if (res->outcome == HTTP_DONE && res->status == 200 && !c->fatal) {
        if (!(a = calloc(1, sizeof *a)) || !(a->body = http_take_body(res))) {
            free(a);
            a = NULL;
            collect_fatal(c, VKP_ENOMEM, "out of memory");
        } else {
            /* Written on the loop's next turns; in flight until then. */
            a->f = f;
            a->len = res->len;
            if (c->answers_tail)
                c->answers_tail->next = a;
            else
                c->answers = a;
            c->answers_tail = a;
            for (int i = 0; i < f->n && !a->leads; i++)
                a->leads = collect_call_leads(f->calls[i]);
            c->waiting++;
            c->waiting_leads += a->leads;
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
        collect_fatal(c, VKP_ENET, "cannot reach the VK API at %s: %s", c->cfg->api_url,
                      res->error);
    } else if (res->outcome == HTTP_TOOBIG) {
        collect_flight_failed(c, f, f->is_execute ? CALL_EEXEC413 : CALL_ETOOBIG, res->error);
    } else if (res->outcome == HTTP_NETWORK) {
        text_printf(what, sizeof what, "network error: %s", res->error);
        collect_flight_failed(c, f, CALL_ENET, what);
    } else {
        snprintf(what, sizeof what, "HTTP status %ld", res->status);
        collect_flight_failed(c, f, -(int)res->status, what);
    }
    free(f);
    collect_pump(c);
}

/* ---- the pump
 * ------------------------------------------------------------------------------------ */

static void on_pump_timer(uv_timer_t *t)
{
    collect_pump(t->data);
}

/* Milliseconds a thin batch should still wait for answers in flight (0: send it
 * now): until the rate has been free for a whole gap, and for as long as answers
 * that may bring calls wait to be written. Not for the others: at the end of a run
 * the writing may lag the network by seconds, and the last batch then waited for
 * it before it left, and its answer time after. */
static uint64_t thin_wait(struct collector *c, const struct ratelimit *rl)
{
    double free_for = (double)collect_now_ms(c) - rl->next_ms;
    if (c->waiting_leads > 0)
        return UINT64_MAX; /* on_write_turn pumps after each slice */
    if (free_for >= rl->gap_ms)
        return 0;
    return (uint64_t)(rl->gap_ms - (free_for > 0 ? free_for : 0)) + 1;
}

void collect_pump(struct collector *c)
{
    if (!c->running)
        return;
    collect_progress(c, 0);
    uint64_t next_delayed = collect_release_delayed(c), recheck = UINT64_MAX;
    if (c->fatal || c->stopping) {
        if (c->inflight == 0)
            collect_run_finish(c);
        return;
    }
    while (c->queue && c->waiting_bytes < WAITING_BYTES_MAX &&
           c->inflight - c->waiting < HTTP_MAX_CONNECTIONS && !c->fatal) {
        if (c->clock_open && c->inflight > 0)
            break; /* the first request asks VK's clock: its answer first (collect_run.c) */
        /* A token whose pace lets a request leave now: the gap since its last request,
         * its window of requests in flight, and its second as the server may count it. */
        uint64_t wait;
        int lane = collect_lane_ready(c, collect_now_ms(c), &wait);
        if (lane < 0) {
            if (wait != UINT64_MAX) {
                uv_timer_start(&c->pump_timer, on_pump_timer, wait, 0);
                return;
            }
            break; /* an answer pumps again */
        }
        /* Answers still due may bring more calls, and retries waiting out
         * their backoff will join soon: wait for a full batch rather than
         * spend a request on a thin one. But not past a whole slot: once the
         * rate has stood unused for a gap while only the network was awaited
         * (no answer being written, which would bring its calls at once), a
         * thin batch goes, for a slot lost is lost for good. */
        if ((int)c->queued < c->batch_max && c->inflight > 0 &&
            (recheck = thin_wait(c, &c->lanes[lane].pace->rl)) > 0)
            break;
        if ((int)c->queued < c->batch_max && next_delayed <= RETRY_GATHER_MS) {
            uv_timer_start(&c->pump_timer, on_pump_timer, next_delayed, 0);
            return;
        }
        send_batch(c, lane);
    }
    if (c->fatal) {
        if (c->inflight == 0)
            collect_run_finish(c);
        return;
    }
    if (!c->queue && c->inflight == 0 && !c->delayed) {
        collect_run_finish(c);
        return;
    }
    if (recheck < next_delayed)
        next_delayed = recheck;
    if (next_delayed != UINT64_MAX)
        uv_timer_start(&c->pump_timer, on_pump_timer, next_delayed, 0);
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
        collect_pump(c);
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
    collect_message(c, "stopped after [collect] run_deadline = %d s", c->cfg->run_deadline);
    c->partial = 1;
    c->stopping = 1;
    http_cancel_all(c->http);
    collect_pump(c);
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
    if (!c)
        goto fail;
    c->cfg = cfg;
    if ((rc = collect_lanes_init(c, token)) != 0)
        goto fail;
    rc = VKP_ENOMEM;
    if (asprintf(&c->url_execute, "%s/execute", cfg->api_url) < 0) {
        c->url_execute = NULL;
        goto fail;
    }
    c->cfg = cfg;
    c->st = st;
    c->opt = *opt;
    heft_init(&c->heft);
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
    collect_lanes_free(c);
    free(c->url_execute);
    free(c->jobs);
    free(c);
}

int collector_run(struct collector *c, struct collect_result *res)
{
    int rc;

    memset(res, 0, sizeof *res);
    c->queue = c->queue_tail = c->queue_lead = c->delayed = NULL;
    c->answers = c->answers_tail = NULL;
    c->waiting = c->waiting_leads = 0;
    c->waiting_bytes = 0;
    c->queued = 0;
    c->inflight = 0;
    c->batch_max = c->cfg->use_execute ? BATCH_MAX : 1;
    c->use_execute = c->cfg->use_execute;
    memset(c->method_off, 0, sizeof c->method_off);
    c->requests = c->calls = c->retries = 0;
    c->answered = 0;
    c->partial = c->fatal = c->stopping = c->reached = c->fatal_err = 0;
    c->folding = NULL;
    c->clock_open = 0;
    c->message[0] = '\0';
    c->nerrors = 0;
    c->now = (int64_t)time(NULL);
    c->started_ms = collect_now_ms(c);
    if (c->signalled)
        return VKP_EINTERRUPTED;
    if ((rc = collect_run_begin(c)) != 0)
        return rc;
    c->running = 1;
    uv_timer_start(&c->deadline, on_deadline, (uint64_t)c->cfg->run_deadline * 1000, 0);
    collect_pump(c);
    while (c->running || c->inflight > 0)
        uv_run(&c->loop, UV_RUN_ONCE);
    if (c->fatal_err == VKP_ECLOCK) {
        /* Refused for its clock: the run row goes too, as if it had never begun. */
        if (store_run_forget(c->st, c->run_id) != 0)
            log_error("cannot remove run #%" PRId64 ": %s", c->run_id, store_errmsg(c->st));
        return VKP_ECLOCK;
    }
    res->status = c->fatal                    ? COLLECT_FAILED
                  : c->partial || c->stopping ? COLLECT_PARTIAL
                                              : COLLECT_OK;
    res->run_id = c->run_id;
    res->requests = c->requests;
    res->calls = c->calls;
    res->retries = c->retries;
    res->seconds = (double)(collect_now_ms(c) - c->started_ms) / 1000.0;
    res->interrupted = c->stopping && c->signalled; /* not a run_deadline */
    res->err = c->fatal ? (c->fatal_err ? c->fatal_err : VKP_EVK) : 0;
    text_copy(res->message, sizeof res->message, c->message);
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
