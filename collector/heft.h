/* heft.h: how heavy an answer the server serves without lagging, learned from its answers,
 * so that batches stay below it where the calls allow. */
#ifndef VKP_HEFT_H
#define VKP_HEFT_H

#include <stddef.h>
#include <stdint.h>

#include "pace.h"

/*
 * A busy server may give small answers at once and take a long while over large ones,
 * and while it does, hold the requests behind them (a server with one worker, serving in
 * order). Then 25 calls in two light answers cost less than in one heavy answer, and a
 * client that packs every batch full pays the heavy price for many answers that could
 * have stayed light. So the collector predicts each batch's answer in bytes (the method
 * table's answer_bytes and item_bytes) and this learns, from the answers themselves, the
 * size from which the server's answers lag:
 *
 *  - each answer is a sample: its size, and whether it lagged by itself (pace_answered);
 *  - a limit is found when, among the last HEFT_SAMPLES answers, at least HEFT_MIN_SLOW
 *    answers of some size or more lagged, four in five of that size or more did, no more
 *    than one in ten of the smaller ones did (size, not chance, explains the lags), and
 *    some answer was held behind a slow one (the server serves in order: a server that
 *    serves the others meanwhile loses nothing to a heavy answer, and keeping batches
 *    light would only cost requests). Latency that lags at random passes this test very
 *    rarely (the largest three answers of the last 64 would all have to lag);
 *  - the budget is HEFT_MARGIN of the largest answer below the limit that came in time
 *    (of the limit itself while there is none), in predicted bytes: the predictions are
 *    corrected by the ratio of the bytes that came to the bytes predicted;
 *  - a smaller answer that lags lowers the limit if the last answers show a lower one
 *    (else it was chance); HEFT_MIN_SLOW answers at or above the limit that come in time
 *    with none lagging between them end it, and the samples with it: the server changed.
 *    Every HEFT_PROBE_EVERY batches one is built without the budget, so that this can be
 *    found out.
 *
 * No limit (a server whose answer time does not depend on their size, or that serves
 * requests side by side, as VK does on a good day) leaves batches as they were: full.
 */

#define HEFT_SAMPLES 64     /* answers remembered */
#define HEFT_MIN_SLOW 3     /* lagging answers at or above a size, to call it the limit */
#define HEFT_MARGIN 0.85    /* the budget: this much of the largest light answer */
#define HEFT_PROBE_EVERY 32 /* one batch in this many is built without the budget */

struct heft_sample {
    uint32_t bytes; /* the answer's size */
    int slow;       /* it lagged by itself */
};

struct heft {
    struct heft_sample s[HEFT_SAMPLES];
    int n, next;       /* samples held, and where the next goes */
    double actual;     /* bytes that came, smoothed over answers with a prediction... */
    double predicted;  /* ...and the bytes predicted for them */
    uint64_t limit;    /* answers this size or more lag (0: none known) */
    uint64_t ok;       /* the largest answer below it that came in time (0: none) */
    int contra;        /* answers at or above the limit in time since one there lagged */
    int64_t answers;   /* answers seen */
    int64_t last_held; /* the answer (by number) last held behind a slow one (0: none) */
    int64_t batches;   /* batches built while a limit was known, probes included */
    int64_t limits;    /* limits found or lowered */
};

/* heft_init: nothing learned yet. */
void heft_init(struct heft *h);

/* heft_answered: an answer of bytes (0: none, or not an answer to learn sizes from) came
 * to a batch predicted at predicted bytes; v: what its time said (pace_answered). Returns
 * 1 when it found or lowered the limit, -1 when it ended it, else 0: worth saying. */
int heft_answered(struct heft *h, double predicted, size_t bytes, enum pace_verdict v);

/* heft_bound: the size, in bytes of answer, batches are kept below (0: none). */
uint64_t heft_bound(const struct heft *h);

/* heft_next_batch: for the batch about to be built, the predicted bytes it may hold (0: no
 * bound; every HEFT_PROBE_EVERY-th batch while a limit holds is a probe, with none), and
 * in *heavy the predicted bytes from which one call alone makes a heavy answer (0: none
 * known). Call it once per batch. */
double heft_next_batch(struct heft *h, double *heavy);

#endif
