/* webhook_rx.c: a tiny webhook receiver for tests: records each accepted POST body as one
 * line of --out, answers --status (default 200); POST /_rx/status?code=N changes it.
 * Status 0 holds: each POST is recorded as the line "held" and never answered (a
 * receiver that hangs), so a test can see the request arrive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rx.h"

static int status = 200;

/* The value of header `name` in the header block, or NULL. */
static const char *header(const char *head, const char *name, size_t *len)
{
    size_t n = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p && p[2] != '\r'; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':') {
            const char *v = p + 3 + n;
            while (*v == ' ')
                v++;
            *len = strcspn(v, "\r");
            return v;
        }
    }
    return NULL;
}

static void answer(struct rx_conn *c, int code)
{
    char out[128];
    int n = snprintf(out, sizeof out,
                     "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                     "Connection: close\r\n\r\nok",
                     code, code < 300 ? "OK" : "Error");
    rx_send(c, out, (size_t)n);
    rx_close(c);
}

static void on_data(struct rx_conn *c)
{
    char *end = strstr(c->buf, "\r\n\r\n");
    size_t vlen = 0, clen = 0;
    const char *v;

    if (!end)
        return;
    *end = '\0';
    if ((v = header(c->buf, "Content-Length", &vlen)) != NULL)
        clen = strtoul(v, NULL, 10);
    if ((v = header(c->buf, "Expect", &vlen)) != NULL && strncasecmp(v, "100-continue", 12) == 0 &&
        !c->state) {
        c->state = malloc(1); /* sent once */
        rx_send(c, "HTTP/1.1 100 Continue\r\n\r\n", 25);
    }
    size_t head = (size_t)(end - c->buf) + 4;
    if (c->len - head < clen) {
        *end = '\r';
        return;
    }
    if (strncmp(c->buf, "POST /_rx/status?code=", 22) == 0) {
        status = atoi(c->buf + 22);
        answer(c, 200);
        return;
    }
    if (strncmp(c->buf, "POST ", 5) != 0) {
        answer(c, 405);
        return;
    }
    if (status == 0) {
        if (rx_record()) {
            fputs("held\n", rx_record());
            fflush(rx_record());
        }
        *end = '\r';
        c->len = 0; /* the connection stays open, unanswered */
        return;
    }
    if (status >= 200 && status < 300 && rx_record()) {
        FILE *f = rx_record();
        fwrite(c->buf + head, 1, clen, f);
        fputc('\n', f);
        fflush(f);
    }
    answer(c, status);
}

int main(int argc, char **argv)
{
    static const struct rx_proto proto = {NULL, on_data};
    return rx_main(argc, argv, "webhook_rx", "--status", &status, &proto);
}
