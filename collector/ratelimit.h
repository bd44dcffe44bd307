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
/* Each refusal still received (error 6) widens the gap by this factor for as
 * long as the pacer lives (the rest of the run, and later runs of `collect
 * --watch`)... */
#define RATELIMIT_WIDEN 1.05
/* ...up to this many times the first gap. */
#define RATELIMIT_WIDEN_MAX 1.5

struct ratelimit {
    double gap_ms;  /* minimum spacing between two requests */
    double max_ms;  /* the widest gap refusals may lead to */
    double next_ms; /* earliest time the next request may leave */
    int refusals;   /* error 6 answers seen */
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

/*
 * ratelimit_refused: VK refused a request for rate (error 6) at now_ms: the
 * requests reached VK closer than they left, so the gap widens for good, and
 * the next request waits one (new) gap from now, by when the oldest request of
 * VK's window has left it. A whole second's pause would waste every slot of
 * that second.
 */
void ratelimit_refused(struct ratelimit *rl, uint64_t now_ms);

#endif
