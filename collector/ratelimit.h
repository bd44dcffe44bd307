/* ratelimit.h: paces requests so a token never exceeds its rate, without wasting it. */
#ifndef VKP_RATELIMIT_H
#define VKP_RATELIMIT_H

#include <stdint.h>

/*
 * A token bucket of depth one: requests leave at least `gap` ms apart. VK
 * counts requests per second on its side, and a burst of rps+1 requests
 * whose first and last are less than a second apart is refused (error 6);
 * a depth of one with the gap stretched by RATELIMIT_MARGIN keeps any rps+1
 * consecutive requests more than a second apart even when they are delayed
 * unevenly on the way.
 */
#define RATELIMIT_MARGIN 1.02

struct ratelimit {
    double gap_ms;  /* minimum spacing between two requests */
    double next_ms; /* earliest time the next request may leave */
};

/* ratelimit_init: rps > 0. */
void ratelimit_init(struct ratelimit *rl, double rps);

/* ratelimit_wait: milliseconds until a request may leave at now_ms (0: now). */
uint64_t ratelimit_wait(const struct ratelimit *rl, uint64_t now_ms);

/* ratelimit_take: record a request leaving at now_ms. */
void ratelimit_take(struct ratelimit *rl, uint64_t now_ms);

/* ratelimit_pause: VK said "too many requests" (error 6): hold every
 * request back for pause_ms from now. */
void ratelimit_pause(struct ratelimit *rl, uint64_t now_ms, uint64_t pause_ms);

#endif
