/* heft.h: how heavy an answer the server serves without lagging, learned from its answers,
 * so that batches stay below it where the calls allow. */
#ifndef VKP_HEFT_H
#define VKP_HEFT_H

#include <stddef.h>
#include <stdint.h>

/*
 * A busy server may answer small answers at once and take a long while over large ones
 * (VK builds an execute's answer call by call; a server with one worker holds every
 * request behind a heavy one). Then 25 calls in two light answers cost less than in one
 * heavy answer, and a client that packs every batch full pays the heavy price for many
 * answers that could have stayed light. So the collector predicts each batch's answer in
 * bytes (the method table's answer_bytes and item_bytes) and this learns, from the
 * answers themselves, the size from which the server's answers lag:
 *
 *  - each answer is a sample: its size, and whether it lagged by itself (pace_answered:
 *    its own time, not time spent behind another answer);
 *  - a limit is found when, among the last HEFT_SAMPLES answers, at least HEFT_MIN_SLOW
 *    answers of some size or more lagged, and four in five of that size or more did,
 *    while no more than one in ten of the smaller ones did: size, not chance, explains
 *    the lags. Latency that lags at random never passes that test;
 *  - the budget is HEFT_MARGIN of that limit, in predicted bytes (the predictions are
 *    corrected by the running ratio of actual to predicted bytes);
 *  - the limit is kept while answers at or above it keep lagging; one that comes in time
 *    has it judged again on the last answers (a single one is outvoted). Every
 *    HEFT_PROBE_EVERY batches one is built without the budget, so that a server that
 *    got faster is found out.
 *
 * No limit (a server whose answer time does not depend on their size, VK on a good
 * day) leaves batches as they were: full.
 */

#define HEFT_SAMPLES 64     /* answers remembered */
#define HEFT_MIN_SLOW 3     /* lagging answers at or above a size, to call it the limit */
#define HEFT_MARGIN 0.85    /* the budget: this much of the limit, for predictions err */
#define HEFT_PROBE_EVERY 32 /* one batch in this many is built without the budget */

struct heft_sample {
    uint32_t bytes;
    int slow;
};

struct heft {
    struct heft_sample s[HEFT_SAMPLES];
    int n, next;      /* samples held, and where the next goes */
    double ratio;     /* actual / predicted bytes, smoothed (0: none yet) */
    uint64_t limit;   /* answers this size or more lag (0: none known) */
    uint64_t ok;      /* the largest answer below it that came in time */
    int64_t answers;  /* answers seen */
    int64_t batches;  /* batches bounded since a limit was known */
    int64_t limits;   /* limits found */
    int64_t probes;   /* batches built without the budget */
};

/* heft_init: nothing learned yet. */
void heft_init(struct heft *h);

/* heft_answered: an answer of bytes came to a batch predicted at predicted bytes (0: no
 * prediction); slow: it lagged by itself (1), came in time (0), or says nothing of its
 * weight (-1: it waited behind another, or no answer came). */
void heft_answered(struct heft *h, double predicted, size_t bytes, int slow);

/* heft_budget: the predicted bytes the next batch may hold, 0 for no bound. Counts the
 * batch: every HEFT_PROBE_EVERY-th batch while a limit holds is a probe, with no bound. */
double heft_budget(struct heft *h);

#endif
