/* server.h: the fake VK endpoint: routes HTTP requests to methods through auth, limits, faults. */
#ifndef FV_SERVER_H
#define FV_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <uv.h>

#include "dataset.h"
#include "faults.h"
#include "methods.h"

#define SERVER_MAX_QUOTAS 16             /* most --daily-quota rules */
#define SERVER_MAX_REQUEST (1024 * 1024) /* request body cap (413 above) */
#define SERVER_MAX_TOKENS 8              /* most --token options */

/* A --daily-quota METHOD=N rule. */
struct quota_rule {
    char method[64]; /* method name */
    int64_t limit;   /* calls allowed per token per server-clock day */
};

/* An accepted user token (--token T[:RPS][:member]). */
struct server_token {
    const char *token; /* its text */
    size_t rps;        /* its requests per sliding second; 0: --rps */
    int member;        /* no admin rights anywhere: stats.get and time-sorted members → 15 */
};

/* Everything the command line sets for serving. */
struct server_config {
    struct server_token tokens[SERVER_MAX_TOKENS]; /* the accepted user tokens */
    size_t n_tokens;                               /* entries in tokens (at least 1) */
    const char *service_token;                     /* the accepted service key, or NULL */
    size_t rps;            /* accepted requests per token per sliding second */
    uint64_t revoke_after; /* accepted requests before the token is revoked; 0: never */
    int no_execute;        /* execute answers error 28 for every token */
    size_t exec_max_bytes; /* largest execute answer (error 13 above) */
    struct quota_rule quotas[SERVER_MAX_QUOTAS]; /* daily quotas */
    size_t n_quotas;                             /* entries in quotas */
    struct faults_config faults;                 /* injected faults */
    struct methods_config methods;               /* hidden members, admin groups */
    FILE *request_log;                           /* --request-log: one line per request */
    int64_t start_time;                          /* server clock at start (unix seconds) */
    uint64_t busy_ms;  /* --busy: one worker; an answer of busy_bytes or more holds it this long */
    size_t busy_bytes; /* --busy-bytes: what counts as a heavy answer */
};

struct server;

/* Creates the server over @ds (not owned). 0, FV_ENOMEM. */
int server_new(uv_loop_t *loop, const struct dataset *ds, const struct server_config *cfg,
               struct server **out);
/* Listens on 127.0.0.1:@port and installs the SIGINT/SIGTERM handlers. 0 or an error (@err). */
int server_start(struct server *s, int port, int *bound, char *err, size_t errlen);
/* Starts closing every handle (listener, connections, signals); the loop then ends. */
void server_stop(struct server *s);
/* Prints the statistics JSON to @f (one line). */
void server_print_stats(struct server *s, FILE *f);
/* Frees the server once the loop has stopped; NULL is a no-op. */
void server_free(struct server *s);

#endif
