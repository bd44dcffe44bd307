/* ratelimit.c: depth-one token bucket with a safety margin. */
#include "ratelimit.h"

#include <math.h>

void ratelimit_init(struct ratelimit *rl, double rps)
{
    rl->gap_ms = 1000.0 / rps * RATELIMIT_MARGIN;
    rl->max_ms = rl->gap_ms * RATELIMIT_WIDEN_MAX;
    rl->next_ms = 0;
    rl->refusals = 0;
}

uint64_t ratelimit_wait(const struct ratelimit *rl, uint64_t now_ms)
{
    double now = (double)now_ms;
    if (now >= rl->next_ms)
        return 0;
    /* Round up: leaving a fraction of a millisecond early would break the gap
     * (adding 0.999 and truncating still left up to a microsecond early). */
    return (uint64_t)ceil(rl->next_ms - now);
}

void ratelimit_take(struct ratelimit *rl, uint64_t now_ms)
{
    double now = (double)now_ms;
    /* A request that leaves late does not earn the idle time back: no bursts. */
    double base = now > rl->next_ms ? now : rl->next_ms;
    rl->next_ms = base + rl->gap_ms;
}

void ratelimit_pause(struct ratelimit *rl, uint64_t now_ms, uint64_t pause_ms)
{
    double until = (double)(now_ms + pause_ms);
    if (until > rl->next_ms)
        rl->next_ms = until;
}

void ratelimit_refused(struct ratelimit *rl, uint64_t now_ms)
{
    rl->refusals++;
    rl->gap_ms *= RATELIMIT_WIDEN;
    if (rl->gap_ms > rl->max_ms)
        rl->gap_ms = rl->max_ms;
    ratelimit_pause(rl, now_ms, (uint64_t)ceil(rl->gap_ms));
}
