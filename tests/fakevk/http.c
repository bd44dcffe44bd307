/* http.c: a small HTTP/1.1 server on libuv: keep-alive, Content-Length bodies, 100-continue. */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fv_err.h"
#include "util.h"

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

#define READ_CHUNK 65536 /* bytes offered to each read */

struct http_conn;

/* The listening server and its connections. */
struct http_server {
    uv_loop_t *loop;             /* the loop everything runs on */
    uv_tcp_t listener;           /* the listening socket */
    int listener_open;           /* 1 between uv_tcp_init and its close callback */
    struct http_limits lim;      /* bounds */
    http_handler_fn fn;          /* request handler */
    void *ud;                    /* handler's data */
    struct http_conn *conns;     /* open connections, a doubly linked list */
    size_t n_conns;              /* entries in conns */
    int closing;                 /* 1 once http_server_close ran */
    struct http_conn *worker;    /* lim.serial: the connection being served */
    struct http_conn *wait_head; /* lim.serial: connections with a request waiting, oldest first */
    struct http_conn *wait_tail;
};

/* One client connection. Freed when both of its handles are closed. */
struct http_conn {
    uv_tcp_t tcp;            /* the socket */
    uv_timer_t timer;        /* idle timeout, or the artificial latency of a pending answer */
    struct http_server *srv; /* owner */
    struct http_conn *prev;  /* list links */
    struct http_conn *next;
    char *in;                    /* bytes received and not yet consumed */
    size_t in_len;               /* bytes in in */
    size_t in_cap;               /* bytes allocated for in */
    int handles;                 /* handles still open (tcp, timer) */
    int closing;                 /* 1 once conn_close ran */
    int busy;                    /* an answer is being delayed or written: requests wait */
    int reading;                 /* 1 while uv_read_start is in effect */
    int continue_sent;           /* "100 Continue" already sent for the current request */
    char *pend;                  /* a delayed answer waiting for the timer */
    size_t pend_len;             /* bytes in pend */
    int pend_close;              /* close after writing pend */
    int waiting;                 /* lim.serial: in the server's wait list */
    struct http_conn *wait_next; /* its link */
    int held;                    /* pend waits for http_server_release, not for the timer */
    uint64_t pend_delay;         /* the held answer's delay once released */
};

/* One uv_write with the bytes it owns. */
struct write_req {
    uv_write_t req;         /* the libuv request */
    struct http_conn *conn; /* the connection written to */
    char *data;             /* bytes to free when done (NULL for static data) */
    int close_after;        /* close the connection when written */
    int is_answer; /* 1 for an answer (not "100 Continue"): the connection gets free again */
};

static void conn_process(struct http_conn *c);
static void conn_resume(struct http_conn *c);
static int conn_write(struct http_conn *c, char *data, size_t len, int owned, int close_after,
                      int is_answer);

/* ==== connection lifetime ===================================================================== */

static void conn_closed(uv_handle_t *h)
{
    struct http_conn *c = h->data;
    if (--c->handles > 0)
        return;
    struct http_server *s = c->srv;
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    s->n_conns--;
    free(c->in);
    free(c->pend);
    free(c);
}

/* ---- lim.serial: one worker -------------------------------------------------------------- */

/* The worker is free again: the oldest waiting connection gets it. */
static void worker_release(struct http_conn *c)
{
    struct http_server *s = c->srv;
    if (s->worker != c)
        return;
    s->worker = NULL;
    while (!s->worker && s->wait_head) {
        struct http_conn *n = s->wait_head;
        s->wait_head = n->wait_next;
        if (!s->wait_head)
            s->wait_tail = NULL;
        n->wait_next = NULL;
        n->waiting = 0;
        n->busy = 0;
        conn_resume(n);
    }
}

/* 1 when c must wait for the worker (then it is queued and reads nothing meanwhile). */
static int worker_take(struct http_conn *c)
{
    struct http_server *s = c->srv;
    if (!s->lim.serial || s->worker == c)
        return 0;
    if (!s->worker) {
        s->worker = c;
        return 0;
    }
    if (!c->waiting) {
        c->waiting = 1;
        if (s->wait_tail)
            s->wait_tail->wait_next = c;
        else
            s->wait_head = c;
        s->wait_tail = c;
    }
    c->busy = 1;
    /* Waiting for the worker is not idleness: the idle timer starts again when it is
     * served (conn_resume), so a long queue never closes a connection unanswered. */
    uv_timer_stop(&c->timer);
    return 1;
}

static void worker_leave(struct http_conn *c)
{
    struct http_server *s = c->srv;
    if (c->waiting) {
        struct http_conn **pp = &s->wait_head, *prev = NULL;
        while (*pp && *pp != c) {
            prev = *pp;
            pp = &(*pp)->wait_next;
        }
        if (*pp)
            *pp = c->wait_next;
        if (s->wait_tail == c)
            s->wait_tail = prev;
        c->waiting = 0;
    }
    worker_release(c);
}

static void conn_close(struct http_conn *c)
{
    if (c->closing)
        return;
    c->closing = 1;
    worker_leave(c);
    uv_close((uv_handle_t *)&c->tcp, conn_closed);
    uv_close((uv_handle_t *)&c->timer, conn_closed);
}

static void on_idle(uv_timer_t *t)
{
    struct http_conn *c = container_of(t, struct http_conn, timer);
    if (c->pend) {
        /* The artificial latency is over: send the answer. */
        char *data = c->pend;
        c->pend = NULL;
        if (conn_write(c, data, c->pend_len, 1, c->pend_close, 1))
            conn_close(c);
        else
            worker_release(c);
        return;
    }
    conn_close(c); /* idle for too long */
}

static void restart_idle(struct http_conn *c)
{
    if (!c->closing && !c->busy)
        uv_timer_start(&c->timer, on_idle, c->srv->lim.idle_ms, 0);
}

/* ==== writing ================================================================================= */

static void write_done(uv_write_t *req, int status)
{
    struct write_req *w = container_of(req, struct write_req, req);
    struct http_conn *c = w->conn;
    int close_after = w->close_after, is_answer = w->is_answer;
    free(w->data);
    free(w);
    if (c->closing)
        return;
    if (status < 0 || close_after) {
        conn_close(c);
        return;
    }
    if (is_answer) {
        c->busy = 0;
        conn_resume(c);
    }
}

/* Writes @len bytes of @data (taking ownership when @owned). */
static int conn_write(struct http_conn *c, char *data, size_t len, int owned, int close_after,
                      int is_answer)
{
    struct write_req *w = calloc(1, sizeof(*w));
    if (!w) {
        if (owned)
            free(data);
        return FV_ENOMEM;
    }
    w->conn = c;
    w->data = owned ? data : NULL;
    w->close_after = close_after;
    w->is_answer = is_answer;
    uv_buf_t b = uv_buf_init(data, (unsigned)len);
    if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, write_done) < 0) {
        if (owned)
            free(data);
        free(w);
        return FV_EUV;
    }
    return 0;
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    case 417:
        return "Expectation Failed";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

/* Serializes and sends (or delays, drops, truncates) an answer; owns res->body. */
static void conn_answer(struct http_conn *c, struct http_response *res)
{
    struct buf out;
    char *data = NULL;
    size_t len = 0;
    buf_init(&out, 0);
    if (res->drop) {
        free(res->body);
        conn_close(c);
        return;
    }
    if (res->status == 0)
        res->status = 500;
    size_t send_len = res->body_len, declared = res->body_len;
    int close = res->close;
    if (res->truncate == 1) {
        send_len = declared = res->body_len / 2;
    } else if (res->truncate == 2) {
        send_len = res->body_len / 2;
        close = 1;
    }
    int rc = buf_printf(&out,
                        "HTTP/1.1 %d %s\r\nServer: fakevk\r\nContent-Type: %s\r\n"
                        "Content-Length: %zu\r\nConnection: %s\r\n\r\n",
                        res->status, reason(res->status),
                        res->content_type ? res->content_type : "text/plain", declared,
                        close ? "close" : "keep-alive");
    if (!rc && send_len)
        rc = buf_append(&out, res->body, send_len);
    free(res->body);
    res->body = NULL;
    if (rc) {
        buf_release(&out);
        conn_close(c);
        return;
    }
    data = buf_detach(&out, &len);
    c->busy = 1;
    uv_timer_stop(&c->timer);
    if (res->hold) {
        c->pend = data;
        c->pend_len = len;
        c->pend_close = close;
        c->held = 1;
        c->pend_delay = res->delay_ms;
        return;
    }
    if (res->delay_ms > 0) {
        c->pend = data;
        c->pend_len = len;
        c->pend_close = close;
        uv_timer_start(&c->timer, on_idle, res->delay_ms, 0);
        return;
    }
    if (conn_write(c, data, len, 1, close, 1))
        conn_close(c);
    else
        worker_release(c);
}

void http_server_release(struct http_server *s)
{
    for (struct http_conn *c = s->conns; c; c = c->next) {
        if (!c->held || c->closing)
            continue;
        c->held = 0;
        uv_timer_start(&c->timer, on_idle, c->pend_delay, 0); /* on_idle sends pend */
    }
}

/* Answers a protocol error with a short text body and closes. */
static void conn_fail(struct http_conn *c, int status)
{
    struct http_response res;
    char msg[128];
    memset(&res, 0, sizeof(res));
    int n = snprintf(msg, sizeof(msg), "%d %s\n", status, reason(status));
    res.status = status;
    res.content_type = "text/plain; charset=utf-8";
    res.body = strdup(msg);
    res.body_len = res.body ? (size_t)n : 0;
    res.close = 1;
    conn_answer(c, &res);
}

/* ==== parsing ================================================================================= */

/* Where the pieces of a request lie in the input buffer. */
struct parsed {
    size_t head_len;     /* request line + headers + blank line */
    size_t method_len;   /* bytes of the method */
    size_t target_off;   /* start of the target */
    size_t target_len;   /* bytes of the target */
    size_t body_len;     /* Content-Length */
    int keep_alive;      /* the client keeps the connection */
    int expect_continue; /* Expect: 100-continue */
};

static const char *find_crlfcrlf(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 < n; i++)
        if (s[i] == '\r' && s[i + 1] == '\n' && s[i + 2] == '\r' && s[i + 3] == '\n')
            return s + i;
    return NULL;
}

/* 1 if the comma-separated header value @v (@n bytes) holds token @tok (any case). */
static int has_token(const char *v, size_t n, const char *tok)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
            i++;
        size_t s = i;
        while (i < n && v[i] != ',')
            i++;
        size_t e = i;
        while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
            e--;
        if (e > s && ascii_ieq(v + s, e - s, tok))
            return 1;
    }
    return 0;
}

/* Parses the head. Returns 1 when the head is complete (body may still be missing), 0 when more
 * bytes are needed, or a negative HTTP status to answer. */
static int parse_head(const struct http_conn *c, struct parsed *p)
{
    const char *s = c->in;
    const struct http_limits *lim = &c->srv->lim;
    const char *end = find_crlfcrlf(s, c->in_len);
    if (!end)
        return c->in_len > lim->max_header ? -431 : 0;
    p->head_len = (size_t)(end - s) + 4;
    if (p->head_len > lim->max_header)
        return -431;
    const char *line_end = memchr(s, '\r', p->head_len);
    const char *sp1 = memchr(s, ' ', (size_t)(line_end - s));
    if (!sp1)
        return -400;
    const char *sp2 = memchr(sp1 + 1, ' ', (size_t)(line_end - sp1 - 1));
    if (!sp2)
        return -400;
    p->method_len = (size_t)(sp1 - s);
    p->target_off = (size_t)(sp1 + 1 - s);
    p->target_len = (size_t)(sp2 - sp1 - 1);
    size_t vlen = (size_t)(line_end - sp2 - 1);
    int http10;
    if (vlen == 8 && memcmp(sp2 + 1, "HTTP/1.1", 8) == 0)
        http10 = 0;
    else if (vlen == 8 && memcmp(sp2 + 1, "HTTP/1.0", 8) == 0)
        http10 = 1;
    else
        return -505;
    if (p->target_len == 0 || sp1[1] != '/')
        return -400;
    if (!(p->method_len == 3 && memcmp(s, "GET", 3) == 0) &&
        !(p->method_len == 4 && memcmp(s, "POST", 4) == 0))
        return -405;
    p->keep_alive = !http10;
    p->expect_continue = 0;
    p->body_len = 0;
    int have_cl = 0;
    const char *h = line_end + 2;
    while (h < end + 2) {
        const char *eol = memchr(h, '\r', (size_t)(end + 2 - h));
        if (!eol || eol == h)
            break;
        const char *colon = memchr(h, ':', (size_t)(eol - h));
        if (!colon || colon == h)
            return -400;
        size_t nlen = (size_t)(colon - h);
        const char *v = colon + 1;
        while (v < eol && (*v == ' ' || *v == '\t'))
            v++;
        size_t vl = (size_t)(eol - v);
        while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
            vl--;
        if (ascii_ieq(h, nlen, "content-length")) {
            int64_t n;
            if (parse_i64n(v, vl, &n) || n < 0 || v[0] == '+' || v[0] == '-')
                return -400;
            if (have_cl && (size_t)n != p->body_len)
                return -400;
            if ((uint64_t)n > lim->max_body)
                return -413;
            p->body_len = (size_t)n;
            have_cl = 1;
        } else if (ascii_ieq(h, nlen, "transfer-encoding")) {
            if (!ascii_ieq(v, vl, "identity"))
                return -501; /* chunked request bodies are not needed by libcurl here */
        } else if (ascii_ieq(h, nlen, "connection")) {
            if (has_token(v, vl, "close"))
                p->keep_alive = 0;
            else if (has_token(v, vl, "keep-alive"))
                p->keep_alive = 1;
        } else if (ascii_ieq(h, nlen, "expect")) {
            if (!ascii_ieq(v, vl, "100-continue"))
                return -417;
            p->expect_continue = 1;
        }
        h = eol + 2;
    }
    return 1;
}

/* Handles every complete request in the buffer, one at a time. */
static void conn_process(struct http_conn *c)
{
    while (!c->closing && !c->busy && c->in_len > 0) {
        struct parsed p;
        int rc = parse_head(c, &p);
        if (rc < 0) {
            conn_fail(c, -rc);
            return;
        }
        if (rc == 0)
            return;
        if (c->in_len - p.head_len < p.body_len) {
            if (p.expect_continue && !c->continue_sent) {
                static char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
                c->continue_sent = 1;
                if (conn_write(c, cont, sizeof(cont) - 1, 0, 0, 0))
                    conn_close(c);
            }
            return;
        }
        if (worker_take(c))
            return;
        /* Complete: terminate the pieces in place for the handler. */
        char method[8];
        memcpy(method, c->in, p.method_len);
        method[p.method_len] = '\0';
        char *target = c->in + p.target_off;
        target[p.target_len] = '\0';
        char *q = strchr(target, '?');
        if (q)
            *q++ = '\0';
        struct http_request req = {method, target, q ? q : "", c->in + p.head_len, p.body_len};
        struct http_response res;
        memset(&res, 0, sizeof(res));
        c->srv->fn(c->srv->ud, &req, &res);
        size_t used = p.head_len + p.body_len;
        memmove(c->in, c->in + used, c->in_len - used);
        c->in_len -= used;
        c->continue_sent = 0;
        if (!p.keep_alive)
            res.close = 1;
        conn_answer(c, &res);
    }
}

/* ==== reading ================================================================================= */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct http_conn *c = h->data;
    size_t limit = c->srv->lim.max_header + c->srv->lim.max_body + READ_CHUNK;
    (void)suggested;
    if (c->in_cap - c->in_len < READ_CHUNK && c->in_cap < limit) {
        size_t ncap = c->in_cap ? c->in_cap * 2 : READ_CHUNK * 2;
        if (ncap > limit)
            ncap = limit;
        char *n = realloc(c->in, ncap);
        if (n) {
            c->in = n;
            c->in_cap = ncap;
        }
    }
    if (!c->in || c->in_cap == c->in_len) {
        *buf = uv_buf_init(NULL, 0); /* read_cb gets UV_ENOBUFS */
        return;
    }
    *buf = uv_buf_init(c->in + c->in_len, (unsigned)(c->in_cap - c->in_len));
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    struct http_conn *c = st->data;
    (void)buf;
    if (c->closing)
        return;
    if (nread < 0) {
        if (nread == UV_ENOBUFS && !c->busy)
            conn_fail(c, 413);
        else
            conn_close(c);
        return;
    }
    if (nread == 0)
        return;
    c->in_len += (size_t)nread;
    restart_idle(c);
    conn_process(c);
    if (c->busy && c->reading && !c->closing) {
        /* No pipelining: stop reading until the answer is out (bounds memory too). */
        uv_read_stop((uv_stream_t *)&c->tcp);
        c->reading = 0;
    }
}

/* After an answer: handle a request already buffered, else wait for the next one. */
static void conn_resume(struct http_conn *c)
{
    conn_process(c);
    if (c->closing || c->busy)
        return;
    if (!c->reading) {
        if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) < 0) {
            conn_close(c);
            return;
        }
        c->reading = 1;
    }
    restart_idle(c);
}

static void on_connection(uv_stream_t *server, int status)
{
    struct http_server *s = server->data;
    if (status < 0 || s->closing)
        return;
    struct http_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return; /* the pending connection stays in the backlog; the client will time out */
    c->srv = s;
    if (uv_tcp_init(s->loop, &c->tcp) < 0) {
        free(c);
        return;
    }
    c->tcp.data = c;
    c->handles = 1;
    if (uv_timer_init(s->loop, &c->timer) == 0) {
        c->timer.data = c;
        c->handles = 2;
    }
    c->next = s->conns;
    if (s->conns)
        s->conns->prev = c;
    s->conns = c;
    s->n_conns++;
    if (c->handles < 2) {
        c->closing = 1;
        uv_close((uv_handle_t *)&c->tcp, conn_closed);
        return;
    }
    if (uv_accept(server, (uv_stream_t *)&c->tcp) < 0 || s->n_conns > s->lim.max_conns) {
        conn_close(c);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) < 0) {
        conn_close(c);
        return;
    }
    c->reading = 1;
    restart_idle(c);
}

/* ==== server ================================================================================== */

int http_server_new(uv_loop_t *loop, const struct http_limits *lim, http_handler_fn fn, void *ud,
                    struct http_server **out)
{
    struct http_server *s = calloc(1, sizeof(*s));
    if (!s)
        return FV_ENOMEM;
    s->loop = loop;
    s->lim = *lim;
    s->fn = fn;
    s->ud = ud;
    *out = s;
    return 0;
}

static void listener_closed(uv_handle_t *h)
{
    struct http_server *s = h->data;
    s->listener_open = 0;
}

int http_server_listen(struct http_server *s, const char *ip, int port, int *bound, char *err,
                       size_t errlen)
{
    struct sockaddr_in addr;
    struct sockaddr_storage name;
    int namelen = sizeof(name);
    int rc = uv_ip4_addr(ip, port, &addr);
    if (rc == 0 && !s->listener_open) {
        rc = uv_tcp_init(s->loop, &s->listener);
        if (rc == 0) {
            s->listener_open = 1;
            s->listener.data = s;
        }
    }
    if (rc == 0)
        rc = uv_tcp_bind(&s->listener, (const struct sockaddr *)&addr, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&s->listener, 128, on_connection);
    if (rc == 0)
        rc = uv_tcp_getsockname(&s->listener, (struct sockaddr *)&name, &namelen);
    if (rc) {
        snprintf(err, errlen, "cannot listen on %s:%d: %s", ip, port, uv_strerror(rc));
        return FV_EUV;
    }
    *bound = ntohs(((struct sockaddr_in *)&name)->sin_port);
    return 0;
}

void http_server_close(struct http_server *s)
{
    if (!s || s->closing)
        return;
    s->closing = 1;
    if (s->listener_open && !uv_is_closing((uv_handle_t *)&s->listener))
        uv_close((uv_handle_t *)&s->listener, listener_closed);
    for (struct http_conn *c = s->conns; c; c = c->next)
        conn_close(c);
}

void http_server_free(struct http_server *s)
{
    if (!s)
        return;
    /* Callers free only after the loop ran the close callbacks; anything left is a bug. */
    if (s->listener_open || s->conns)
        fprintf(stderr, "fakevk: http server freed with open handles\n");
    free(s);
}
