/* faults.h: server-side limits and injected faults: rate windows, daily quotas, seeded failures. */
#ifndef FV_FAULTS_H
#define FV_FAULTS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* ---- injected faults ---- */

/* Fault probabilities (percent of requests) and delays. */
struct faults_config {
    uint64_t seed;       /* --fault-seed */
    double p500;         /* --fail-500: HTTP 500 with an HTML body */
    double p10;          /* --fail-10: VK error 10 */
    double p6;           /* --fail-6: VK error 6 even under the limit */
    double truncate;     /* --truncate: a cut body */
    double drop;         /* --drop: close without answering */
    double exec_fail;    /* --exec-fail: an inner execute call fails with error 10 */
    uint64_t latency_ms; /* --latency: delay of every answer */
    uint64_t jitter_ms;  /* --latency-jitter: extra random delay, 0..jitter */
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
};

/* Seeds the generator. */
void faults_init(struct faults *f, const struct faults_config *cfg);
/* Draws every fault for one request (always the same number of draws). */
void faults_draw(struct faults *f, struct fault_draw *d);
/* 1 if an inner execute call should fail. */
int faults_exec_fail(struct faults *f);

/* ---- rate window ---- */

/* Accepted requests of one token within a sliding 1000 ms window. */
struct ratelimit {
    uint64_t *ring; /* times (ms) of the last `rps` accepted requests, oldest at head */
    size_t rps;     /* requests allowed per window */
    size_t head;    /* index of the oldest entry */
    size_t n;       /* entries in use */
};

/* Prepares a window allowing @rps requests per second (rps >= 1). 0 or FV_ENOMEM. */
int ratelimit_init(struct ratelimit *rl, size_t rps);
/* Frees the window. */
void ratelimit_release(struct ratelimit *rl);
/* 1 if a request at @now_ms would stay within the limit. */
int ratelimit_allows(const struct ratelimit *rl, uint64_t now_ms);
/* Records an accepted request at @now_ms. */
void ratelimit_record(struct ratelimit *rl, uint64_t now_ms);

#endif
