/* rx.h: what the test receivers share: a libuv TCP server on 127.0.0.1 with
 * per-connection buffers, a port file, and a clean stop on SIGINT/SIGTERM. */
#ifndef RX_H
#define RX_H

#include <stddef.h>
#include <stdio.h>
#include <uv.h>

/* One client connection. */
struct rx_conn {
    uv_tcp_t tcp;     /* the socket; its data points back here */
    char *buf;        /* bytes received and not consumed yet */
    size_t len;       /* how many */
    int closing;      /* close requested: ignore further input */
    void *state;      /* the protocol's own per-connection state (freed by rx) */
    char rbuf[65536]; /* libuv reads into this */
};

/* The protocol: called when the connection opens and whenever bytes arrive. */
struct rx_proto {
    void (*on_open)(struct rx_conn *c);
    void (*on_data)(struct rx_conn *c);
};

/* Common options: --port N, --port-file FILE, --out FILE. */
struct rx_opts {
    int port;              /* 0: any free port */
    const char *port_file; /* where the port is written once listening */
    const char *out;       /* the record file (appended, flushed per record) */
};

/* rx_main: the whole main() of a receiver: reads the common options and its own one, @opt
 * (e.g. "--status"), whose integer value goes to *val, then serves with @p under @name until a
 * signal (rx_run). Returns the exit code: 2 with a usage line on a bad option. */
int rx_main(int argc, char **argv, const char *name, const char *opt, int *val,
            const struct rx_proto *p);

/* rx_run: listen, serve until a signal, close everything; returns the exit code. */
int rx_run(const char *name, const struct rx_opts *o, const struct rx_proto *p);

/* rx_send: queue bytes to the client. */
void rx_send(struct rx_conn *c, const char *data, size_t len);

/* rx_close: close after what was queued is written. */
void rx_close(struct rx_conn *c);

/* rx_consume: drop the first n received bytes. */
void rx_consume(struct rx_conn *c, size_t n);

/* rx_record: the open record file. */
FILE *rx_record(void);

#endif
