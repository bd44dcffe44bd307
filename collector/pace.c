/* pace.c: the in-flight window (AIMD) and the server's second as the server may count it. */
#include "pace.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void pace_init(struct pace *p, double rps)
{
    memset(p, 0, sizeof *p);
    ratelimit_init(&p->rl, rps);
    p->per_second = rps >= 1 ? (int)floor(rps) : 1;
    if (p->per_second > PACE_RECORDS / 2)
        p->per_second = PACE_RECORDS / 2;
    p->window_max = p->per_second > 1 ? p->per_second : 1;
    p->window = PACE_WINDOW_START < p->window_max ? PACE_WINDOW_START : p->window_max;
}

int pace_limit(const struct pace *p)
{
    int n = (int)p->window;
    if (p->srtt > 0) {
        /* Little's law: the rate times the answer time is what is in flight at the rate;
         * twice the smoothed answer time covers answers that come late in a row. */
        int need = (int)ceil(p->per_second * 2 * p->srtt / 1000.0) + 2;
        if (n > need)
            n = need;
    }
    return n < 1 ? 1 : n;
}

/* Is record r still possibly in the server's second at now? */
static int in_second(const struct pace_record *r, uint64_t now)
{
    return !r->answered || r->counted + PACE_WINDOW_MS > now;
}

uint64_t pace_wait(const struct pace *p, uint64_t now)
{
    uint64_t gap = ratelimit_wait(&p->rl, now), expiry[PACE_RECORDS];
    int count = 0, nexp = 0;

    if (p->inflight >= pace_limit(p))
        return UINT64_MAX;
    for (int i = 0; i < p->nrec; i++) {
        const struct pace_record *r = &p->rec[i];
        if (!in_second(r, now))
            continue;
        count++;
        if (r->answered)
            expiry[nexp++] = r->counted + PACE_WINDOW_MS - now;
    }
    if (count < p->per_second)
        return gap;
    /* The (count - per_second + 1)-th answered record to leave the second frees a place. */
    int need = count - p->per_second + 1;
    if (need > nexp)
        return UINT64_MAX;           /* only answers can free a place */
    for (int k = 0; k < need; k++) { /* partial selection: a few records at most */
        int m = k;
        for (int i = k + 1; i < nexp; i++)
            if (expiry[i] < expiry[m])
                m = i;
        uint64_t t = expiry[k];
        expiry[k] = expiry[m];
        expiry[m] = t;
    }
    return expiry[need - 1] > gap ? expiry[need - 1] : gap;
}

uint32_t pace_sent(struct pace *p, uint64_t now)
{
    int k = 0;
    /* Forget what the server can no longer hold against the next request. */
    for (int i = 0; i < p->nrec; i++)
        if (in_second(&p->rec[i], now))
            p->rec[k++] = p->rec[i];
    p->nrec = k;
    if (p->nrec == PACE_RECORDS) { /* cannot happen while per_second <= PACE_RECORDS / 2 */
        memmove(p->rec, p->rec + 1, sizeof p->rec[0] * (PACE_RECORDS - 1));
        p->nrec--;
    }
    /* A request that leaves a little late keeps its slot (pace.h): the gap then spaces
     * the next one from the slot, not from now. */
    double due = p->rl.next_ms, credit = PACE_CATCH_UP * p->rl.gap_ms;
    if (credit > PACE_CATCH_UP_MS)
        credit = PACE_CATCH_UP_MS;
    if ((double)now > due && (double)now - due < credit)
        ratelimit_take(&p->rl, (uint64_t)due);
    else
        ratelimit_take(&p->rl, now);
    p->rec[p->nrec++] = (struct pace_record){p->seq, 0, now, 0, 0};
    p->inflight++;
    return p->seq++;
}

/* Halves the window, to no fewer than least requests (capped by window_max). */
static void cut(struct pace *p, uint64_t now, int careful, double least)
{
    if (careful)
        p->careful_til = now + PACE_CAREFUL_MS;
    if (p->grown && p->last_cut && now - p->last_cut < 1000)
        return; /* one cut per episode: the answers of one burst lag together */
    if (least > p->window_max)
        least = p->window_max;
    p->window = p->window / 2 < least ? least : p->window / 2;
    p->grown = 1;
    p->last_cut = now;
}

enum pace_verdict pace_answered(struct pace *p, uint32_t seq, uint64_t now, int answered)
{
    struct pace_record *r = NULL;
    int earlier_open = 0;

    for (int i = 0; i < p->nrec; i++) {
        struct pace_record *x = &p->rec[i];
        if (x->seq == seq)
            r = x;
        else if (!x->answered && (int32_t)(x->seq - seq) < 0)
            earlier_open = 1;
        else if (!x->answered && x->before < now)
            x->before = now; /* sent after this one: in order, served after it */
    }
    if (!r || r->answered)
        return PACE_UNJUDGED;
    p->inflight--;
    r->answered = 1;
    uint64_t rtt = now - r->sent;
    int lag = 0, own_lag = 0, judged = answered && p->seq > 1;
    if (answered) {
        uint64_t limit = p->rtt_min * PACE_LAG_FACTOR;
        if (limit < PACE_LAG_FLOOR_MS)
            limit = PACE_LAG_FLOOR_MS;
        lag = judged && rtt > limit;
        /* Its own time: from when the server, serving in order, could begin it. */
        own_lag = lag && now - (r->before > r->sent ? r->before : r->sent) > limit;
        if (!p->rtt_min || rtt < p->rtt_min)
            p->rtt_min = rtt ? rtt : 1;
    }
    if (lag) {
        p->lags++;
        cut(p, now, 1, PACE_LAG_WINDOW_MIN);
    }
    if (!answered)
        r->counted = now; /* counted at any moment up to now */
    else if (now >= p->careful_til)
        /* Answers in time: counted when it arrived, or, as far as its answer was slower
         * than the fastest, up to PACE_COUNT_LAG_MS later: a server busy for a moment
         * (its loop, its queue) counts late what it answers late. Not up to the answer
         * itself: at 3 rps most of VK's answers come within a gap, and counting them from
         * their answer would stretch the second by VK's whole answer time. */
        r->counted = r->sent + ((double)rtt > p->rl.gap_ms             ? 0
                                : rtt - p->rtt_min < PACE_COUNT_LAG_MS ? rtt - p->rtt_min
                                                                       : PACE_COUNT_LAG_MS);
    else if ((double)rtt <= p->rl.gap_ms)
        /* Careful: an answer within a gap costs little to take as counted when it came,
         * and covers a server that got to it late but answered fast (a busy single
         * worker). */
        r->counted = now;
    else if (earlier_open)
        r->counted = now; /* in order, behind one still unanswered: up to now */
    else
        /* In order, it was taken up when it arrived or when the one before it was done. */
        r->counted = r->before > r->sent ? (r->before < now ? r->before : now) : r->sent;
    if (answered && !lag) {
        p->srtt = p->srtt > 0 ? 0.875 * p->srtt + 0.125 * (double)rtt : (double)rtt;
        p->window += p->grown ? 1 / p->window : 1;
        if (p->window > p->window_max)
            p->window = p->window_max;
    }
    /* A lag while one sent before it is still open: it may have waited behind that one (a
     * loop busy on our side reports two answers in either order), or not: no telling. */
    if (!judged || (lag && earlier_open))
        return PACE_UNJUDGED;
    return own_lag ? PACE_LAGGED : lag ? PACE_HELD : PACE_IN_TIME;
}

void pace_refused(struct pace *p, uint64_t now)
{
    /* The refusals of requests that were in flight together are one episode: the window
     * halves once for it, and the next request waits a gap. An episode alone is a moment
     * of the server's (a stall that counted a few requests late): a wider gap for the rest
     * of the run and careful estimates (a seventh of the rate for PACE_CAREFUL_MS) would
     * cost more than it did. A second episode within that time says the gap or the
     * estimates of its count are wrong: the gap widens, and the estimates turn careful. */
    if (p->refused_at && now - p->refused_at < PACE_EPISODE_MS) {
        ratelimit_pause(&p->rl, now, (uint64_t)ceil(p->rl.gap_ms));
        return;
    }
    int again = p->refused_at && now - p->refused_at < PACE_CAREFUL_MS;
    p->refused_at = now;
    if (again)
        ratelimit_refused(&p->rl, now);
    else
        ratelimit_pause(&p->rl, now, (uint64_t)ceil(p->rl.gap_ms));
    cut(p, now, again, 1);
}

/* ---- one pace per token ------------------------------------------------------------------- */

static uint64_t fingerprint(const char *token)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *s = (const unsigned char *)token; *s; s++)
        h = (h ^ *s) * 1099511628211ULL;
    return h;
}

static struct {
    uint64_t fp;
    double rps;
    struct pace pace;
} paces[PACE_TOKENS];
static int npaces;

uint64_t pace_quiet_ms(uint64_t now)
{
    uint64_t most = 0;
    for (int i = 0; i < npaces; i++) {
        const struct pace *p = &paces[i].pace;
        for (int k = 0; k < p->nrec; k++) {
            uint64_t t = p->rec[k].answered ? p->rec[k].counted : now;
            if (t + PACE_WINDOW_MS > now && t + PACE_WINDOW_MS - now > most)
                most = t + PACE_WINDOW_MS - now;
        }
    }
    return most;
}

struct pace *pace_for(const char *token, double rps)
{
    int n = npaces;
    uint64_t fp = fingerprint(token);
    for (int i = 0; i < n; i++)
        if (paces[i].fp == fp && paces[i].rps == rps)
            return &paces[i].pace;
    if (n == PACE_TOKENS)
        return NULL;
    paces[n].fp = fp;
    paces[n].rps = rps;
    pace_init(&paces[n].pace, rps);
    npaces++;
    return &paces[n].pace;
}

void pace_token_name(const char *token, int index, char *buf, size_t len)
{
    snprintf(buf, len, "token %d (#%08x)", index + 1, (unsigned)(fingerprint(token) >> 32));
}
