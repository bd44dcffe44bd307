/* heft.c: the answer size from which a server lags, learned from its answers (heft.h). */
#include "heft.h"

#include <stdlib.h>
#include <string.h>

void heft_init(struct heft *h)
{
    memset(h, 0, sizeof *h);
}

/* By size; within a size, slow ones first, so that a size is judged at its first sample. */
static int by_bytes(const void *a, const void *b)
{
    const struct heft_sample *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? -1 : 1;
    return y->slow - x->slow;
}

/* The smallest size whose answers (it and larger) mostly lag while smaller ones mostly do
 * not, or 0; *ok: the largest answer below it that came in time. */
static uint64_t find_limit(const struct heft *h, uint64_t *ok)
{
    struct heft_sample s[HEFT_SAMPLES];
    int slow = 0, below_slow = 0;

    if (!h->last_held || h->answers - h->last_held >= HEFT_SAMPLES)
        return 0; /* nothing waited behind a slow answer: light batches would gain nothing */
    memcpy(s, h->s, (size_t)h->n * sizeof *s);
    qsort(s, (size_t)h->n, sizeof *s, by_bytes);
    for (int i = 0; i < h->n; i++)
        slow += s[i].slow;
    for (int i = 0; i < h->n; i++) {
        int above = h->n - i, above_slow = slow - below_slow;
        if (s[i].slow && (i == 0 || s[i - 1].bytes != s[i].bytes) && above_slow >= HEFT_MIN_SLOW &&
            5 * above_slow >= 4 * above && 10 * below_slow <= i) {
            *ok = 0;
            for (int k = 0; k < i; k++)
                if (!s[k].slow)
                    *ok = s[k].bytes;
            return s[i].bytes;
        }
        below_slow += s[i].slow;
    }
    return 0;
}

int heft_answered(struct heft *h, double predicted, size_t bytes, enum pace_verdict v)
{
    uint64_t ok = 0, found;

    h->answers++;
    if (v == PACE_UNJUDGED || bytes == 0)
        return 0;
    if (predicted > 0) {
        h->actual = h->actual > 0 ? 0.875 * h->actual + 0.125 * (double)bytes : (double)bytes;
        h->predicted = h->predicted > 0 ? 0.875 * h->predicted + 0.125 * predicted : predicted;
    }
    if (v == PACE_HELD) {
        h->last_held = h->answers;
        return 0;
    }
    int slow = v == PACE_LAGGED;
    h->s[h->next] = (struct heft_sample){.bytes = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes,
                                         .slow = slow};
    h->next = (h->next + 1) % HEFT_SAMPLES;
    if (h->n < HEFT_SAMPLES)
        h->n++;

    if (h->limit && bytes >= h->limit) {
        h->contra = slow ? 0 : h->contra + 1;
        if (h->contra >= HEFT_MIN_SLOW) {
            h->limit = h->ok = 0; /* the server keeps pace at that size now */
            h->contra = h->n = h->next = 0;
            return -1;
        }
        return 0;
    }
    if (h->limit && !slow) {
        if (bytes > h->ok)
            h->ok = bytes;
        return 0;
    }
    /* No limit yet, or a smaller answer lagged: a (lower) limit if the answers show one. */
    if ((found = find_limit(h, &ok)) != 0 && (!h->limit || found < h->limit)) {
        h->limit = found;
        h->ok = ok;
        h->contra = 0;
        h->limits++;
        return 1;
    }
    return 0;
}

uint64_t heft_bound(const struct heft *h)
{
    return (uint64_t)(HEFT_MARGIN * (double)(h->ok ? h->ok : h->limit));
}

double heft_next_batch(struct heft *h, double *heavy)
{
    double ratio = h->predicted > 0 ? h->actual / h->predicted : 1;

    *heavy = 0;
    if (!h->limit)
        return 0;
    *heavy = (double)h->limit / ratio;
    if (++h->batches % HEFT_PROBE_EVERY == 0)
        return 0; /* a probe */
    return (double)heft_bound(h) / ratio;
}
