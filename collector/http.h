/* http.h: HTTP POST requests driven by one libuv loop through libcurl's multi socket API. */
#ifndef VKP_HTTP_H
#define VKP_HTTP_H

#include <stddef.h>
#include <uv.h>

struct http;

/* Connections to one host at most. A request beyond them would wait inside curl for a
 * free connection and leave later than its pace says, then back to back with others:
 * the caller keeps fewer requests than this in flight. */
#define HTTP_MAX_CONNECTIONS 16

/* Settings for all requests of one client. */
struct http_options {
    long timeout_s;  /* whole request */
    long connect_s;  /* connection setup */
    size_t max_body; /* larger answers are refused (HTTP_TOOBIG) */
    const char *user_agent;
};

/* How a request ended. */
enum http_outcome {
    HTTP_DONE,      /* an HTTP answer arrived (look at status) */
    HTTP_NETWORK,   /* connection failed, reset, timed out, or the body was cut */
    HTTP_TOOBIG,    /* the answer exceeded max_body */
    HTTP_CANCELLED, /* http_cancel_all */
    HTTP_FATAL,     /* a local failure (out of memory, bad URL, TLS setup) */
};

/* Handed to the callback; valid only during it. */
struct http_result {
    enum http_outcome outcome;
    long status;       /* HTTP status for HTTP_DONE */
    const char *body;  /* NUL-terminated body */
    size_t len;        /* its length */
    const char *error; /* curl's description when not HTTP_DONE */
    void *req;         /* private: the request, for http_take_body */
};

typedef void (*http_cb)(void *ud, const struct http_result *res);

/* http_new: a client on loop. Returns 0 or VKP_ENOMEM / VKP_ENET. */
int http_new(uv_loop_t *loop, const struct http_options *opt, struct http **out);

/*
 * http_post: POST body (application/x-www-form-urlencoded, copied) to url;
 * cb is called exactly once, from the loop, never from inside http_post.
 * Returns 0, or a negative vkp error when the request could not be started
 * (then cb is not called).
 */
int http_post(struct http *h, const char *url, const char *body, http_cb cb, void *ud);

/*
 * http_take_body: from inside the callback, ownership of the answer's body
 * (NUL-terminated, res->len bytes) passes to the caller, who frees it.
 * NULL when there is no body to take (or no memory for an empty one).
 */
char *http_take_body(const struct http_result *res);

/* http_cancel_all: end every pending request now; each callback runs with
 * HTTP_CANCELLED before this returns. */
void http_cancel_all(struct http *h);

/*
 * http_free: cancel what is pending (callbacks are NOT called), close the
 * loop handles; the memory is released from their close callbacks, so the
 * caller must run the loop once more (uv_run) before closing it. NULL is a
 * no-op.
 */
void http_free(struct http *h);

#endif
