/* http.h: a small HTTP/1.1 server on libuv: keep-alive, Content-Length bodies, 100-continue. */
#ifndef FV_HTTP_H
#define FV_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

/* A parsed request, valid only during the handler call. */
struct http_request {
    const char *method; /* "GET" or "POST" */
    const char *path;   /* request target up to '?', not decoded */
    const char *query;  /* text after '?', not decoded ("" when none) */
    const char *body;   /* body bytes (not NUL-terminated) */
    size_t body_len;    /* bytes in body */
};

/* What the handler answers. The body is malloc'd and handed over to the server. */
struct http_response {
    int status;               /* HTTP status */
    const char *content_type; /* a static string */
    char *body;               /* the body, owned by the server once the handler returns */
    size_t body_len;          /* bytes in body */
    int close;                /* close the connection after this answer */
    int drop;                 /* close the connection without answering */
    int truncate;      /* 1: half the body, matching Content-Length; 2: full Content-Length, half
                          the body, then close */
    uint64_t delay_ms; /* wait this long before answering */
};

/* Called once per complete request; must fill @res (status 0 means 500). */
typedef void (*http_handler_fn)(void *ud, const struct http_request *req,
                                struct http_response *res);

/* Bounds that keep a hostile client from making the server allocate without limit. */
struct http_limits {
    size_t max_header; /* request line + headers, bytes (431 above) */
    size_t max_body;   /* Content-Length, bytes (413 above) */
    size_t max_conns;  /* simultaneous connections; more are closed at once */
    uint64_t idle_ms;  /* close a connection idle (or sending too slowly) this long */
    int serial;        /* one worker: a request waits, in arrival order, until the answer before
                          it (delay included) has been handed to the socket */
};

struct http_server;

/* Creates a server on @loop; returns 0 or FV_ENOMEM / FV_EUV. */
int http_server_new(uv_loop_t *loop, const struct http_limits *lim, http_handler_fn fn, void *ud,
                    struct http_server **out);
/* Listens on @ip:@port (0: ephemeral) and stores the bound port. 0 or FV_EUV (@err says why). */
int http_server_listen(struct http_server *s, const char *ip, int port, int *bound, char *err,
                       size_t errlen);
/* Starts closing the listener and every connection; the loop then runs the close callbacks. */
void http_server_close(struct http_server *s);
/* Frees the server once the loop has finished closing it; NULL is a no-op. */
void http_server_free(struct http_server *s);

#endif
