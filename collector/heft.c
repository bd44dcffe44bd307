/* heft.c: the answer size from which a server lags, learned from its answers (heft.h). */
#include "heft.h"

#include <stdlib.h>
#include <string.h>

void heft_init(struct heft *h)
{
    memset(h, 0, sizeof *h);
}

static int by_bytes(const void *a, const void *b)
{
    const struct heft_sample *x = a, *y = b;
    return x->bytes < y->bytes ? -1 : x->bytes > y->bytes;
}

/* The smallest size whose answers (it and larger) mostly lag while smaller ones mostly do
 * not, or 0; *ok: the largest answer below it that came in time. */
static uint64_t find_limit(const struct heft *h, uint64_t *ok)
{
    struct heft_sample s[HEFT_SAMPLES];
    int slow = 0, below_slow = 0;

    memcpy(s, h->s, (size_t)h->n * sizeof *s);
    qsort(s, (size_t)h->n, sizeof *s, by_bytes);
    for (int i = 0; i < h->n; i++)
        slow += s[i].slow;
    for (int i = 0; i < h->n; below_slow += s[i].slow, i++) {
        if (!s[i].slow || (i > 0 && s[i - 1].bytes == s[i].bytes))
            continue;
        int above = h->n - i, above_slow = slow - below_slow;
        if (above_slow >= HEFT_MIN_SLOW && 5 * above_slow >= 4 * above && 10 * below_slow <= i) {
            *ok = 0;
            for (int k = 0; k < i; k++)
                if (!s[k].slow)
                    *ok = s[k].bytes;
            return s[i].bytes;
        }
    }
    return 0;
}

void heft_answered(struct heft *h, double predicted, size_t bytes, int slow)
{
    h->answers++;
    if (predicted > 0 && bytes > 0) {
        double r = (double)bytes / predicted;
        h->ratio = h->ratio > 0 ? 0.875 * h->ratio + 0.125 * r : r;
    }
    if (slow < 0)
        return;
    h->s[h->next] = (struct heft_sample){.bytes = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes,
                                         .slow = slow};
    h->next = (h->next + 1) % HEFT_SAMPLES;
    if (h->n < HEFT_SAMPLES)
        h->n++;
    if (h->limit && ((bytes >= h->limit && !slow) || (bytes < h->limit && slow)))
        h->limit = 0; /* it disagrees: judged again on the last answers */
    if (!h->limit && (h->limit = find_limit(h, &h->ok)) != 0)
        h->limits++;
    else if (h->limit && !slow && bytes > h->ok)
        h->ok = bytes; /* below the limit, and in time */
}

double heft_budget(struct heft *h)
{
    if (!h->limit)
        return 0;
    h->batches++;
    if (h->batches % HEFT_PROBE_EVERY == 0) {
        h->probes++;
        return 0;
    }
    return HEFT_MARGIN * (double)(h->ok ? h->ok : h->limit) / (h->ratio > 0 ? h->ratio : 1);
}
