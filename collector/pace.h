/* pace.h: self-clocking pacing of one token: its rate, its requests in flight, and what
 * the server may have counted of them. */
#ifndef VKP_PACE_H
#define VKP_PACE_H

#include <stddef.h>
#include <stdint.h>

#include "ratelimit.h"

/*
 * VK counts a token's requests in a sliding second on its side, when it gets to them. A
 * busy server that queues requests behind a slow answer starts them back to back later,
 * so requests that left a gap apart can arrive in VK's count closer than that: the gap
 * alone (ratelimit.h) cannot prevent a storm of error 6. So the pace also
 *
 *  - keeps at most `window` requests in flight, a window that grows by one per window of
 *    answers that came back in time (additive increase; doubling until the first cut)
 *    and halves when an answer lags or VK says error 6 (multiplicative decrease); never
 *    more than the rate times twice the answer time, plus two (what keeps the rate: more
 *    would only hold answers in memory). A lag halves it to no fewer than
 *    PACE_LAG_WINDOW_MIN: a server that serves in order is then not left idle once the
 *    slow answer is done (two requests wait behind it and start at once, which the
 *    careful second below has already counted); only error 6 brings it down to one;
 *  - remembers, for the requests of the last second, the latest moment the server can
 *    have counted each: a request in flight may be counted at any moment, so it counts
 *    now; an answered one was counted when its answer came if that was within a gap
 *    (cheap, and it covers a server that got to it late but answered fast), else when it
 *    left, unless answers lag or error 6 came back twice lately ("careful"), in which case it
 *    was counted at the latest when the answer came, or (the server serving in order)
 *    when the answer before it came. A request leaves only when fewer than the rate's
 *    requests lie in that second.
 *
 * A request that leaves late because the loop was busy (an answer parsed or written)
 * keeps its slot, up to PACE_CATCH_UP gaps and PACE_CATCH_UP_MS: the next one is spaced
 * from the slot, so lateness does not add up over a run; the second as counted above
 * still bounds them. A request held longer waited for the window or the second, and
 * earns nothing back: at 3 rps that would bunch requests against the second's edge.
 *
 * With one request in flight this is a client that waits for each answer; an answer
 * that keeps pace never makes it slower than one.
 */

#define PACE_WINDOW_MS 1020     /* VK's second, with the gap's 2 % margin */
#define PACE_LAG_FLOOR_MS 250   /* an answer slower than this... */
#define PACE_LAG_FACTOR 8       /* ...and than this many times the fastest one lags */
#define PACE_CAREFUL_MS 30000   /* careful estimates last this long after a lag or error 6 */
#define PACE_EPISODE_MS 1000    /* refusals this close to the first are one episode */
#define PACE_RECORDS 128        /* requests remembered (in flight, or counted within a second) */
#define PACE_WINDOW_START 2.0   /* requests in flight at first */
#define PACE_LAG_WINDOW_MIN 3.0 /* a lag cuts the window to no fewer than this */
#define PACE_COUNT_LAG_MS 60    /* a late answer may have been counted this much late */
#define PACE_CATCH_UP 2         /* a request this many gaps late keeps its slot... */
#define PACE_CATCH_UP_MS 100    /* ...but no later than this: a busy loop, not a wait */

/* One request the server may still count within the window. */
struct pace_record {
    uint32_t seq;     /* order of sending */
    int answered;     /* its answer came (or it ended without one) */
    uint64_t sent;    /* when it left, ms */
    uint64_t counted; /* the latest the server can have counted it (answered only) */
    uint64_t before;  /* the latest answer to a request sent before it */
};

struct pace {
    struct ratelimit rl;  /* the gap between two requests */
    int per_second;       /* requests the server accepts in its second */
    double window;        /* requests allowed in flight */
    double window_max;    /* never more than this */
    int grown;            /* the window was cut once: additive increase from then on */
    int inflight;         /* requests sent and not answered */
    uint64_t rtt_min;     /* the fastest answer so far, ms (0: none yet) */
    double srtt;          /* smoothed answer time of answers in time, ms (0: none yet) */
    uint64_t careful_til; /* careful estimates until then */
    uint64_t last_cut;    /* when the window was last halved */
    uint64_t refused_at;  /* when the last episode of error 6 began (0: none yet) */
    uint32_t seq;         /* the next request's number */
    int64_t lags;         /* answers that lagged */
    struct pace_record rec[PACE_RECORDS];
    int nrec;
};

/* pace_init: a pace for rps requests per second (rps > 0). */
void pace_init(struct pace *p, double rps);

/* pace_wait: ms until a request may leave at now (0: now; UINT64_MAX: when an answer
 * comes, for the window is full). */
uint64_t pace_wait(const struct pace *p, uint64_t now);

/* pace_sent: a request leaves at now; returns its number for pace_answered. */
uint32_t pace_sent(struct pace *p, uint64_t now);

/* What an answer's time says of the server's work on it (heft.h learns from it). */
enum pace_verdict {
    PACE_UNJUDGED, /* no answer came, too early in the pace to tell, or it lagged while one
                    * sent before it was still unanswered (it may have waited behind it) */
    PACE_IN_TIME,
    PACE_LAGGED, /* it lagged by itself: its own time, from its leaving or the answer
                  * before it, whichever came later, was slow */
    PACE_HELD    /* it lagged only waiting behind another answer: the server serves
                  * in order, and a slow answer holds the others */
};

/* pace_answered: request seq ended at now: an answer came (or not, answered = 0: a network
 * error or a cancellation; it is then taken as counted now). */
enum pace_verdict pace_answered(struct pace *p, uint32_t seq, uint64_t now, int answered);

/* pace_refused: VK said error 6 at now: the window halves, once an episode (refusals
 * within PACE_EPISODE_MS); at the second episode within PACE_CAREFUL_MS the gap widens
 * (ratelimit_refused) and the estimates turn careful. */
void pace_refused(struct pace *p, uint64_t now);

/* pace_limit: requests in flight allowed now. */
int pace_limit(const struct pace *p);

/*
 * pace_for: the pace of token at rps, one per token for the whole process, so that the
 * short jobs before a run (init's check, the city directory) and the runs of `collect
 * --watch` share what the server counted: none of them waits for another. NULL when more
 * than PACE_TOKENS tokens were used.
 */
#define PACE_TOKENS 32
struct pace *pace_for(const char *token, double rps);

/* pace_quiet_ms: ms from now until no request of this process's tokens can still be in
 * VK's second: what a process that ends should wait, so that the next one (`init`, then
 * `collect`) starts with the token's second empty. 0 when there is none. */
uint64_t pace_quiet_ms(uint64_t now);

/* pace_token_name: "token N (#xxxxxxxx)" for the index-th token: a fingerprint, never
 * the token. */
void pace_token_name(const char *token, int index, char *buf, size_t len);

#endif
