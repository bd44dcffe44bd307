/* faults.h: server-side limits and injected faults: rate windows, daily quotas, seeded failures. */
#ifndef FV_FAULTS_H
#define FV_FAULTS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* ---- injected faults ---- */

#define FAULTS_MAX_NTH 32 /* most --fail-6-at request numbers */

/* Fault probabilities (percent of requests) and delays. */
struct faults_config {
    uint64_t seed;                    /* --fault-seed */
    double p500;                      /* --fail-500: HTTP 500 with an HTML body */
    double p10;                       /* --fail-10: VK error 10 */
    double p6;                        /* --fail-6: VK error 6 even under the limit */
    double truncate;                  /* --truncate: a cut body */
    double drop;                      /* --drop: close without answering */
    double exec_fail;                 /* --exec-fail: an inner execute call fails with error 10 */
    uint64_t latency_ms;              /* --latency: delay of every answer */
    uint64_t jitter_ms;               /* --latency-jitter: extra random delay, 0..jitter */
    uint64_t err6_at[FAULTS_MAX_NTH]; /* --fail-6-at: these requests (from 1) answer error 6 */
    size_t n_err6_at;                 /* entries in err6_at */
};

/* The faults chosen for one request. */
struct fault_draw {
    int drop;          /* close the connection without answering */
    int http500;       /* answer HTTP 500 */
    int truncate;      /* 0 none, 1 half the body with a matching Content-Length, 2 a longer
                          Content-Length than sent, then close */
    int err6;          /* answer error 6 */
    int err10;         /* answer error 10 */
    uint64_t delay_ms; /* delay before answering */
};

/* The fault generator: two seeded streams, so that inner execute calls do not shift the
 * per-request sequence. */
struct faults {
    struct faults_config cfg; /* what to inject */
    struct rng req;           /* per-request draws */
    struct rng exec;          /* per-inner-call draws */
    uint64_t drawn;           /* requests drawn for so far */
};

/* Seeds the generator. */
void faults_init(struct faults *f, const struct faults_config *cfg);
/* Draws every fault for one request (always the same number of draws). */
void faults_draw(struct faults *f, struct fault_draw *d);
/* Reads --fail-6-at's comma-separated request numbers into @cfg. 0 or -1. */
int faults_nth_parse(const char *s, struct faults_config *cfg);
/* 1 if an inner execute call should fail. */
int faults_exec_fail(struct faults *f);

/* ---- rate window ---- */

/* Accepted requests of one token within a sliding 1000 ms window. */
struct ratelimit {
    uint64_t *ring;     /* times (ms) of the last `rps` accepted requests, oldest at head */
    size_t rps;         /* requests allowed per window */
    uint64_t window_ms; /* the window's length (1000 unless --rate-window) */
    size_t head;        /* index of the oldest entry */
    size_t n;           /* entries in use */
};

/* Prepares a window allowing @rps requests per @window_ms (0: 1000). 0 or FV_ENOMEM. */
int ratelimit_init(struct ratelimit *rl, size_t rps, uint64_t window_ms);
/* Frees the window. */
void ratelimit_release(struct ratelimit *rl);
/* 1 if a request at @now_ms would stay within the limit. */
int ratelimit_allows(const struct ratelimit *rl, uint64_t now_ms);
/* Records an accepted request at @now_ms. */
void ratelimit_record(struct ratelimit *rl, uint64_t now_ms);

#endif
