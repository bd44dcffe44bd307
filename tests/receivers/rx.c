/* rx.c: the test receivers' libuv server (127.0.0.1 only). */
#include "rx.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static uv_loop_t *loop;
static uv_tcp_t server;
static uv_signal_t sigint_h, sigterm_h;
static const struct rx_proto *proto;
static FILE *record;

FILE *rx_record(void)
{
    return record;
}

/* Takes the common options from argv; returns the index of the first option it did not know
 * (or argc), so the program can read its own. */
static int rx_parse_common(int argc, char **argv, int i, struct rx_opts *o)
{
    for (; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--port") == 0)
            o->port = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--port-file") == 0)
            o->port_file = argv[i + 1];
        else if (strcmp(argv[i], "--out") == 0)
            o->out = argv[i + 1];
        else
            return i;
    }
    return i;
}

static void on_closed(uv_handle_t *h)
{
    struct rx_conn *c = h->data;
    free(c->buf);
    free(c->state);
    free(c);
}

void rx_close(struct rx_conn *c)
{
    if (c->closing)
        return;
    c->closing = 1;
    uv_close((uv_handle_t *)&c->tcp, on_closed);
}

static void on_written(uv_write_t *w, int status)
{
    (void)status;
    free(w->data);
    free(w);
}

void rx_send(struct rx_conn *c, const char *data, size_t len)
{
    uv_write_t *w = malloc(sizeof *w);
    char *copy = malloc(len ? len : 1);
    if (!w || !copy || c->closing) {
        free(w);
        free(copy);
        return;
    }
    memcpy(copy, data, len);
    w->data = copy;
    uv_buf_t b = uv_buf_init(copy, (unsigned)len);
    if (uv_write(w, (uv_stream_t *)&c->tcp, &b, 1, on_written) != 0)
        on_written(w, -1);
}

void rx_consume(struct rx_conn *c, size_t n)
{
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
    struct rx_conn *c = h->data;
    (void)hint;
    *b = uv_buf_init(c->rbuf, sizeof c->rbuf);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    struct rx_conn *c = s->data;
    if (n < 0) {
        rx_close(c);
        return;
    }
    if (n == 0 || c->closing)
        return;
    char *grown = realloc(c->buf, c->len + (size_t)n + 1);
    if (!grown) {
        rx_close(c);
        return;
    }
    c->buf = grown;
    memcpy(c->buf + c->len, b->base, (size_t)n);
    c->len += (size_t)n;
    c->buf[c->len] = '\0';
    proto->on_data(c);
}

static void on_connection(uv_stream_t *srv, int status)
{
    struct rx_conn *c;
    if (status < 0 || !(c = calloc(1, sizeof *c)))
        return;
    uv_tcp_init(loop, &c->tcp);
    c->tcp.data = c;
    if (uv_accept(srv, (uv_stream_t *)&c->tcp) != 0) {
        rx_close(c);
        return;
    }
    if (proto->on_open)
        proto->on_open(c);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

static void close_any(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (uv_is_closing(h))
        return;
    if (h->type == UV_TCP && h != (uv_handle_t *)&server) {
        rx_close(h->data);
        return;
    }
    uv_close(h, NULL);
}

static void on_signal(uv_signal_t *h, int signum)
{
    (void)signum;
    uv_walk(h->loop, close_any, NULL);
}

int rx_run(const char *name, const struct rx_opts *o, const struct rx_proto *p)
{
    struct sockaddr_in addr;
    struct sockaddr_storage bound;
    int len = sizeof bound, rc;

    proto = p;
    loop = uv_default_loop();
    signal(SIGPIPE, SIG_IGN);
    if (o->out && !(record = fopen(o->out, "a"))) {
        fprintf(stderr, "%s: cannot open %s\n", name, o->out);
        return 1;
    }
    uv_ip4_addr("127.0.0.1", o->port, &addr);
    uv_tcp_init(loop, &server);
    if ((rc = uv_tcp_bind(&server, (const struct sockaddr *)&addr, 0)) != 0 ||
        (rc = uv_listen((uv_stream_t *)&server, 64, on_connection)) != 0) {
        fprintf(stderr, "%s: cannot listen on 127.0.0.1:%d: %s\n", name, o->port, uv_strerror(rc));
        return 1;
    }
    uv_tcp_getsockname(&server, (struct sockaddr *)&bound, &len);
    int port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
    if (o->port_file) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", o->port_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%d\n", port) < 0 || fclose(f) != 0 || rename(tmp, o->port_file)) {
            fprintf(stderr, "%s: cannot write %s\n", name, o->port_file);
            return 1;
        }
    }
    fprintf(stderr, "%s: listening on 127.0.0.1:%d\n", name, port);
    uv_signal_init(loop, &sigint_h);
    uv_signal_init(loop, &sigterm_h);
    uv_signal_start(&sigint_h, on_signal, SIGINT);
    uv_signal_start(&sigterm_h, on_signal, SIGTERM);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_loop_close(loop);
    if (record)
        fclose(record);
    return 0;
}

int rx_main(int argc, char **argv, const char *name, const char *opt, int *val,
            const struct rx_proto *p)
{
    struct rx_opts o = {0};
    int i = rx_parse_common(argc, argv, 1, &o);

    for (; i < argc; i++) {
        if (strcmp(argv[i], opt) == 0 && i + 1 < argc) {
            *val = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--port N] [--port-file F] [--out FILE] [%s CODE]\n", name,
                    opt);
            return 2;
        }
        i = rx_parse_common(argc, argv, i + 1, &o) - 1;
    }
    return rx_run(name, &o, p);
}
