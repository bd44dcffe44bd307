/* vkcall.c: a paced, retried VK request on a private event loop, one at a time. The pace is
 * the token's own (pace.h), shared with the collector; waits are loop timers, not sleeps. */
#include "vkcall.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "config.h"
#include "err.h"
#include "http.h"
#include "log.h"
#include "pace.h"

#define ATTEMPTS 4 /* tries of one request before giving up */

struct vkcall {
    const struct config *cfg; /* [vk] */
    char *token;              /* the access token in use, owned, never logged */
    char *rest;               /* the tokens after it ("t2,t3"), owned, never logged */
    int index;                /* the token's place in the list, from 0 */
    uv_loop_t loop;           /* private: these jobs run before or without the collector */
    int loop_ready;           /* loop initialised */
    struct http *http;        /* requests on loop */
    uv_timer_t timer;         /* waits for the pace and between tries */
    struct pace *pace;        /* the token's pace, shared with the collector */
    int64_t requests;         /* HTTP requests made */
};

/* One answer, as the http callback leaves it. */
struct answer {
    int done;                  /* the callback ran */
    enum http_outcome outcome; /* how the request ended */
    long status;               /* HTTP status */
    char *body;                /* heap copy of the body, NULL when none */
    size_t len;                /* its length */
};

static void on_answer(void *ud, const struct http_result *r)
{
    struct answer *a = ud;
    a->done = 1;
    a->outcome = r->outcome;
    a->status = r->status;
    if (r->outcome == HTTP_DONE && (a->body = malloc(r->len + 1)) != NULL) {
        memcpy(a->body, r->body, r->len);
        a->body[r->len] = '\0';
        a->len = r->len;
    }
}

static uint64_t now_ms(struct vkcall *vc)
{
    uv_update_time(&vc->loop);
    return uv_now(&vc->loop);
}

static void on_timer(uv_timer_t *t)
{
    (void)t;
}

/* Runs the private loop for ms: nothing else is on it, but it is a timer, not a sleep. */
static void wait_ms(struct vkcall *vc, uint64_t ms)
{
    uv_timer_start(&vc->timer, on_timer, ms, 0);
    while (uv_is_active((uv_handle_t *)&vc->timer))
        uv_run(&vc->loop, UV_RUN_ONCE);
}

/* VK rejected the token in use: it is set aside, named by a fingerprint, and the next
 * one takes over. 0 or VKP_ENOMEM. */
static int next_token(struct vkcall *vc)
{
    char name[40];
    size_t n = strcspn(vc->rest, ",");
    char *t = strndup(vc->rest, n);
    if (!t)
        return VKP_ENOMEM;
    pace_token_name(vc->token, vc->index, name, sizeof name);
    log_warn("VK rejected %s: it is set aside and the next token is used; replace it", name);
    explicit_bzero(vc->token, strlen(vc->token));
    free(vc->token);
    vc->token = t;
    vc->index++;
    memmove(vc->rest, vc->rest + n + !!vc->rest[n], strlen(vc->rest + n + !!vc->rest[n]) + 1);
    vc->pace = pace_for(vc->token, vc->cfg->rps);
    return vc->pace ? 0 : VKP_ENOMEM;
}

int vkcall_new(const struct config *cfg, const char *token, struct vkcall **out, char *err,
               size_t errlen)
{
    struct http_options hopt = {cfg->timeout, cfg->timeout < 10 ? cfg->timeout : 10,
                                (size_t)cfg->max_response_kb * 1024, "vkpulse/" VKPULSE_VERSION};
    struct vkcall *vc = calloc(1, sizeof *vc);
    *out = NULL;
    if (!vc) {
        snprintf(err, errlen, "out of memory");
        return VKP_ENOMEM;
    }
    vc->cfg = cfg;
    /* Of several tokens (comma-separated), the first, and the next when VK rejects it:
     * these jobs are short. */
    size_t n = strcspn(token, ",");
    if (!(vc->token = strndup(token, n)) || !(vc->rest = strdup(token + n + !!token[n])) ||
        !(vc->pace = pace_for(vc->token, cfg->rps))) {
        snprintf(err, errlen, "out of memory");
        vkcall_free(vc);
        return VKP_ENOMEM;
    }
    if (uv_loop_init(&vc->loop) != 0) {
        snprintf(err, errlen, "cannot set up the event loop");
        free(vc);
        return VKP_EIO;
    }
    vc->loop_ready = 1;
    uv_timer_init(&vc->loop, &vc->timer);
    if (http_new(&vc->loop, &hopt, &vc->http) != 0) {
        snprintf(err, errlen, "cannot set up the requests");
        vkcall_free(vc);
        return VKP_ENOMEM;
    }
    *out = vc;
    return 0;
}

void vkcall_free(struct vkcall *vc)
{
    if (!vc)
        return;
    if (vc->loop_ready) {
        /* The collector that may follow shares the token's pace: no second to leave empty. */
        http_free(vc->http);
        uv_close((uv_handle_t *)&vc->timer, NULL);
        uv_run(&vc->loop, UV_RUN_DEFAULT);
        uv_loop_close(&vc->loop);
    }
    if (vc->token) {
        explicit_bzero(vc->token, strlen(vc->token));
        free(vc->token);
    }
    if (vc->rest) {
        explicit_bzero(vc->rest, strlen(vc->rest));
        free(vc->rest);
    }
    free(vc);
}

int64_t vkcall_requests(const struct vkcall *vc)
{
    return vc ? vc->requests : 0;
}

int vkcall_post(struct vkcall *vc, const char *method, const cJSON *params, struct vk_reply *r,
                char *err, size_t errlen)
{
    char *url = NULL, *body = NULL;
    int rc = VKP_ENOMEM;

    memset(r, 0, sizeof *r);
    if (asprintf(&url, "%s/%s", vc->cfg->api_url, method) < 0) {
        url = NULL;
        goto fail;
    }
    for (int attempt = 1;; attempt++) {
        struct answer a = {0};
        if (!body && !(body = vk_form_body(params, vc->token, vc->cfg->api_version)))
            goto fail;
        uint64_t wait;
        while ((wait = pace_wait(vc->pace, now_ms(vc))) > 0)
            /* UINT64_MAX: the collector's requests in flight (none here) would end it. */
            wait_ms(vc, wait == UINT64_MAX ? 1000 : wait);
        if ((rc = http_post(vc->http, url, body, on_answer, &a)) != 0)
            goto fail;
        uint32_t seq = pace_sent(vc->pace, now_ms(vc));
        vc->requests++;
        while (!a.done)
            uv_run(&vc->loop, UV_RUN_ONCE);
        pace_answered(vc->pace, seq, now_ms(vc), a.outcome == HTTP_DONE);
        int retry = 0;
        if (a.outcome != HTTP_DONE || a.status >= 500) {
            snprintf(err, errlen, "%s: %s", method,
                     a.outcome == HTTP_DONE ? "server error" : "network error");
            rc = VKP_ENET;
            retry = a.outcome != HTTP_FATAL && a.outcome != HTTP_TOOBIG;
        } else if (!a.body) {
            rc = VKP_ENOMEM;
        } else {
            vk_reply_release(r);
            rc = vk_reply_parse(a.body, a.len, r, err, errlen);
            if (rc != 0) /* a cut or garbled answer: the next may be whole */
                retry = rc != VKP_ENOMEM;
            else if (r->error_code) {
                /* The collector's policy (vkapi.c): what passes is retried, a
                 * rejected token or a captcha is said as such. */
                enum vk_error_class k = vk_error_classify(r->error_code);
                snprintf(err, errlen, "%s: VK error %d: %s", method, r->error_code, r->error_msg);
                rc = vk_error_vkp(r->error_code);
                retry = k == VKE_RETRY || k == VKE_FLOOD;
                if (r->error_code == VK_ERR_TOO_MANY)
                    pace_refused(vc->pace, now_ms(vc));
                else if (k == VKE_FLOOD)
                    ratelimit_pause(&vc->pace->rl, now_ms(vc), 1000);
            }
        }
        free(a.body);
        if (rc == VKP_EAUTH && vc->rest[0]) {
            if ((rc = next_token(vc)) != 0)
                goto fail;
            explicit_bzero(body, strlen(body));
            free(body);
            body = NULL;
            attempt--; /* not this request's fault */
            continue;
        }
        if (rc == 0 || !retry || attempt == ATTEMPTS)
            break;
        wait_ms(vc, 500u << attempt); /* 1 s, 2 s, 4 s */
    }
fail:
    if (rc == VKP_ENOMEM)
        snprintf(err, errlen, "%s: out of memory", method);
    free(url);
    if (body) {
        explicit_bzero(body, strlen(body)); /* it holds the token */
        free(body);
    }
    return rc;
}
