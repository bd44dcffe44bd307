/* smtp_sink.c: an SMTP sink for tests, without TLS, on 127.0.0.1: speaks enough SMTP for
 * libcurl (EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and appends every
 * accepted message to --out; --fail-data CODE refuses messages at the end of DATA. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rx.h"

static int fail_data;

/* Per connection: where the dialogue is, and the message being built. */
struct smtp {
    enum { CMD, AUTH_PLAIN, AUTH_USER, AUTH_PASS, DATA } phase;
    char env[4096]; /* MAIL FROM and RCPT TO lines, then AUTH */
    size_t envlen;
    FILE *msg; /* memstream of the DATA lines */
    char *msgbuf;
    size_t msglen;
};

static void reply(struct rx_conn *c, const char *s)
{
    rx_send(c, s, strlen(s));
}

static void note(struct smtp *m, const char *fmt, const char *v)
{
    int n = snprintf(m->env + m->envlen, sizeof m->env - m->envlen, fmt, v);
    if (n > 0 && m->envlen + (size_t)n < sizeof m->env)
        m->envlen += (size_t)n;
}

static void on_open(struct rx_conn *c)
{
    c->state = calloc(1, sizeof(struct smtp));
    if (!c->state) {
        rx_close(c);
        return;
    }
    reply(c, "220 sink ESMTP ready\r\n");
}

static void end_message(struct rx_conn *c, struct smtp *m)
{
    fclose(m->msg);
    m->msg = NULL;
    if (fail_data) {
        char r[64];
        snprintf(r, sizeof r, "%d sink refuses the message\r\n", fail_data);
        reply(c, r);
    } else {
        FILE *f = rx_record();
        if (f) {
            fprintf(f, "%.*sDATA\n%s.\n", (int)m->envlen, m->env, m->msgbuf ? m->msgbuf : "");
            fflush(f);
        }
        reply(c, "250 OK queued\r\n");
    }
    free(m->msgbuf);
    m->msgbuf = NULL;
    m->envlen = 0;
    m->phase = CMD;
}

static void on_line(struct rx_conn *c, struct smtp *m, char *line)
{
    switch (m->phase) {
    case DATA:
        if (strcmp(line, ".") == 0) {
            end_message(c, m);
            return;
        }
        fprintf(m->msg, "%s\n", line[0] == '.' ? line + 1 : line);
        return;
    case AUTH_PLAIN:
    case AUTH_PASS:
        note(m, "AUTH %s\n", "done");
        m->phase = CMD;
        reply(c, "235 authenticated\r\n");
        return;
    case AUTH_USER:
        m->phase = AUTH_PASS;
        reply(c, "334 UGFzc3dvcmQ6\r\n");
        return;
    case CMD:
        break;
    }
    if (strncasecmp(line, "EHLO", 4) == 0) {
        reply(c, "250-sink\r\n250-8BITMIME\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 10485760\r\n");
    } else if (strncasecmp(line, "HELO", 4) == 0 || strncasecmp(line, "NOOP", 4) == 0) {
        reply(c, "250 OK\r\n");
    } else if (strncasecmp(line, "AUTH PLAIN", 10) == 0) {
        if (line[10] == ' ' && line[11]) {
            note(m, "AUTH %s\n", "done");
            reply(c, "235 authenticated\r\n");
        } else {
            m->phase = AUTH_PLAIN;
            reply(c, "334 \r\n");
        }
    } else if (strncasecmp(line, "AUTH LOGIN", 10) == 0) {
        m->phase = AUTH_USER;
        reply(c, "334 VXNlcm5hbWU6\r\n");
    } else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
        note(m, "MAIL FROM:%s\n", line + 10);
        reply(c, "250 OK\r\n");
    } else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
        note(m, "RCPT TO:%s\n", line + 8);
        reply(c, "250 OK\r\n");
    } else if (strncasecmp(line, "DATA", 4) == 0) {
        m->msg = open_memstream(&m->msgbuf, &m->msglen);
        if (!m->msg) {
            reply(c, "451 out of memory\r\n");
            return;
        }
        m->phase = DATA;
        reply(c, "354 end with <CRLF>.<CRLF>\r\n");
    } else if (strncasecmp(line, "RSET", 4) == 0) {
        m->envlen = 0;
        reply(c, "250 OK\r\n");
    } else if (strncasecmp(line, "QUIT", 4) == 0) {
        reply(c, "221 bye\r\n");
        rx_close(c);
    } else {
        reply(c, "502 not implemented\r\n");
    }
}

static void on_data(struct rx_conn *c)
{
    struct smtp *m = c->state;
    char *eol;
    while (!c->closing && (eol = memchr(c->buf, '\n', c->len)) != NULL) {
        size_t n = (size_t)(eol - c->buf) + 1;
        *eol = '\0';
        if (eol > c->buf && eol[-1] == '\r')
            eol[-1] = '\0';
        on_line(c, m, c->buf);
        if (c->closing) {
            if (m->msg)
                fclose(m->msg), m->msg = NULL;
            free(m->msgbuf), m->msgbuf = NULL;
            return;
        }
        rx_consume(c, n);
    }
}

int main(int argc, char **argv)
{
    static const struct rx_proto proto = {on_open, on_data};
    return rx_main(argc, argv, "smtp_sink", "--fail-data", &fail_data, &proto);
}
