/* http.c: libcurl multi socket interface on a libuv loop (after curl's multi-uv.c). */
#include "http.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

/* One request in flight. */
struct request {
    struct request *prev, *next; /* the client's list */
    struct http *h;              /* owner */
    CURL *easy;                  /* its transfer */
    char *body;                  /* the POST body, owned */
    char *buf;                   /* the answer so far */
    size_t len, cap;             /* its size and allocation */
    int toobig;                  /* the answer hit max_body */
    http_cb cb;                  /* called once */
    void *ud;
    char errbuf[CURL_ERROR_SIZE];
};

/* One socket curl asked us to watch. */
struct sock {
    uv_poll_t poll; /* must stay first: freed from its close callback */
    curl_socket_t fd;
    struct http *h;
};

struct http {
    uv_loop_t *loop;
    CURLM *multi;
    uv_timer_t timer; /* curl's timeout */
    struct http_options opt;
    struct request *requests; /* in flight */
    int handles;              /* open uv handles (timer + polls) */
    int freeing;              /* http_free was called: release when handles reach 0 */
};

static void check_done(struct http *h);

/* ---- handle lifetime ----------------------------------------------------------- */

static void maybe_release(struct http *h)
{
    if (h->freeing && h->handles == 0)
        free(h);
}

static void on_sock_closed(uv_handle_t *handle)
{
    struct sock *s = (struct sock *)handle;
    struct http *h = s->h;
    free(s);
    h->handles--;
    maybe_release(h);
}

static void on_timer_closed(uv_handle_t *handle)
{
    struct http *h = handle->data;
    h->handles--;
    maybe_release(h);
}

/* ---- curl → uv ------------------------------------------------------------------ */

static void on_poll(uv_poll_t *poll, int status, int events)
{
    struct sock *s = (struct sock *)poll;
    int flags = 0, running;
    if (status < 0)
        flags = CURL_CSELECT_ERR;
    if (!status && (events & UV_READABLE))
        flags |= CURL_CSELECT_IN;
    if (!status && (events & UV_WRITABLE))
        flags |= CURL_CSELECT_OUT;
    curl_multi_socket_action(s->h->multi, s->fd, flags, &running);
    check_done(s->h);
}

static void on_timeout(uv_timer_t *timer)
{
    struct http *h = timer->data;
    int running;
    curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_done(h);
}

static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
    struct http *h = userp;
    (void)multi;
    if (timeout_ms < 0)
        uv_timer_stop(&h->timer);
    else
        uv_timer_start(&h->timer, on_timeout, (uint64_t)timeout_ms, 0);
    return 0;
}

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    struct http *h = userp;
    struct sock *s = socketp;
    int events = 0;
    (void)easy;

    if (what == CURL_POLL_REMOVE) {
        if (s) {
            uv_poll_stop(&s->poll);
            curl_multi_assign(h->multi, fd, NULL);
            uv_close((uv_handle_t *)&s->poll, on_sock_closed);
        }
        return 0;
    }
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s)
            return -1; /* curl fails the transfer: reported as an error, not lost */
        s->fd = fd;
        s->h = h;
        if (uv_poll_init_socket(h->loop, &s->poll, fd) != 0) {
            free(s);
            return -1;
        }
        h->handles++;
        curl_multi_assign(h->multi, fd, s);
    }
    if (what & CURL_POLL_IN)
        events |= UV_READABLE;
    if (what & CURL_POLL_OUT)
        events |= UV_WRITABLE;
    uv_poll_start(&s->poll, events, on_poll);
    return 0;
}

/* ---- requests ---------------------------------------------------------------------- */

static size_t on_write(char *data, size_t size, size_t nmemb, void *userp)
{
    struct request *r = userp;
    size_t n = size * nmemb;
    if (r->len + n > r->h->opt.max_body) {
        r->toobig = 1;
        return 0;
    }
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 16384;
        while (cap < r->len + n + 1)
            cap *= 2;
        char *nb = realloc(r->buf, cap);
        if (!nb)
            return 0;
        r->buf = nb;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, data, n);
    r->len += n;
    r->buf[r->len] = '\0';
    return n;
}

static void unlink_request(struct request *r)
{
    struct http *h = r->h;
    if (r->prev)
        r->prev->next = r->next;
    else
        h->requests = r->next;
    if (r->next)
        r->next->prev = r->prev;
    curl_multi_remove_handle(h->multi, r->easy);
    curl_easy_cleanup(r->easy);
}

static void finish(struct request *r, enum http_outcome outcome, CURLcode code)
{
    struct http_result res = {outcome, 0, r->buf ? r->buf : "", r->len, NULL, r};
    if (outcome == HTTP_DONE)
        curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &res.status);
    else if (outcome != HTTP_CANCELLED)
        res.error = r->errbuf[0] ? r->errbuf : curl_easy_strerror(code);
    else
        res.error = "cancelled";
    if (outcome == HTTP_TOOBIG)
        res.error = "answer is larger than the configured limit (max_response_kb)";
    unlink_request(r);
    r->cb(r->ud, &res);
    free(r->body);
    free(r->buf);
    free(r);
}

static enum http_outcome classify(struct request *r, CURLcode code)
{
    switch (code) {
    case CURLE_OK:
        return HTTP_DONE;
    case CURLE_WRITE_ERROR:
        return r->toobig ? HTTP_TOOBIG : HTTP_FATAL;
    case CURLE_OUT_OF_MEMORY:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ENGINE_NOTFOUND:
        return HTTP_FATAL;
    default:
        return HTTP_NETWORK; /* reset, refused, timeout, cut body: worth a retry */
    }
}

static void check_done(struct http *h)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(h->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        struct request *r = NULL;
        CURLcode code = msg->data.result;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        finish(r, classify(r, code), code);
    }
}

int http_post(struct http *h, const char *url, const char *body, http_cb cb, void *ud)
{
    struct request *r = calloc(1, sizeof *r);
    CURL *e = NULL;
    int rc = VKP_ENOMEM, running;

    if (!r || !(r->body = strdup(body)) || !(e = curl_easy_init()))
        goto fail;
    r->h = h;
    r->easy = e;
    r->cb = cb;
    r->ud = ud;
    /* An empty Expect: header stops curl from waiting for "100 Continue"
     * on bodies over 1 KiB, which costs a round trip on every execute. */
    static struct curl_slist expect = {(char *)"Expect:", NULL};
    if (curl_easy_setopt(e, CURLOPT_URL, url) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https,http") != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, &expect) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_TIMEOUT, h->opt.timeout_s) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, h->opt.connect_s) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_USERAGENT, h->opt.user_agent) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_WRITEDATA, r) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_PRIVATE, r) != CURLE_OK) {
        rc = VKP_ENET;
        goto fail;
    }
    if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
        rc = VKP_ENET;
        goto fail;
    }
    r->next = h->requests;
    if (h->requests)
        h->requests->prev = r;
    h->requests = r;
    /* Send it now, not on the loop's next turn: the caller paces requests by
     * when it hands them over, and callbacks that run before the loop turns
     * (another answer being written to the database) would hold this one
     * back until it reached the server too close to the next one. A transfer
     * that ends here is reported from the timer, never from inside http_post. */
    curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    uv_timer_start(&h->timer, on_timeout, 0, 0);
    return 0;
fail:
    if (e)
        curl_easy_cleanup(e);
    if (r)
        free(r->body);
    free(r);
    return rc;
}

char *http_take_body(const struct http_result *res)
{
    struct request *r = res->req;
    char *body = r->buf;
    if (!body)
        return calloc(1, 1);
    r->buf = NULL;
    r->len = r->cap = 0;
    return body;
}

void http_cancel_all(struct http *h)
{
    while (h->requests)
        finish(h->requests, HTTP_CANCELLED, CURLE_OK);
}

/* ---- client ---------------------------------------------------------------------- */

int http_new(uv_loop_t *loop, const struct http_options *opt, struct http **out)
{
    struct http *h;

    /* curl_global_init ran once, in main, before any thread or client. */
    *out = NULL;
    h = calloc(1, sizeof *h);
    if (!h)
        return VKP_ENOMEM;
    h->loop = loop;
    h->opt = *opt;
    h->multi = curl_multi_init();
    if (!h->multi) {
        free(h);
        return VKP_ENOMEM;
    }
    uv_timer_init(loop, &h->timer);
    h->timer.data = h;
    h->handles = 1;
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)HTTP_MAX_CONNECTIONS);
    *out = h;
    return 0;
}

void http_free(struct http *h)
{
    if (!h)
        return;
    while (h->requests) {
        struct request *r = h->requests;
        unlink_request(r);
        free(r->body);
        free(r->buf);
        free(r);
    }
    /* Closing the connection cache calls on_curl_socket(REMOVE) for the
     * sockets it still holds, which closes their polls. */
    curl_multi_cleanup(h->multi);
    h->multi = NULL;
    h->freeing = 1;
    uv_timer_stop(&h->timer);
    uv_close((uv_handle_t *)&h->timer, on_timer_closed);
}
