/* faults.c: server-side limits and injected faults: rate windows, daily quotas, seeded failures. */
#include "faults.h"

#include <stdlib.h>
#include <string.h>

void faults_init(struct faults *f, const struct faults_config *cfg)
{
    f->cfg = *cfg;
    rng_seed(&f->req, cfg->seed, 0x6661756c74ULL);
    rng_seed(&f->exec, cfg->seed, 0x65786563ULL);
}

void faults_draw(struct faults *f, struct fault_draw *d)
{
    struct rng *r = &f->req;
    d->drop = rng_percent(r, f->cfg.drop);
    d->http500 = rng_percent(r, f->cfg.p500);
    int cut = rng_percent(r, f->cfg.truncate);
    int how = (int)rng_below(r, 2);
    d->truncate = cut ? 1 + how : 0;
    d->err6 = rng_percent(r, f->cfg.p6);
    d->err10 = rng_percent(r, f->cfg.p10);
    uint64_t jitter = rng_below(r, f->cfg.jitter_ms + 1);
    d->delay_ms = f->cfg.latency_ms + jitter;
    /* A test's error 6 by construction: the Nth request, whatever the client's speed. */
    f->drawn++;
    for (size_t i = 0; i < f->cfg.n_err6_at; i++)
        d->err6 |= f->cfg.err6_at[i] == f->drawn;
}

int faults_nth_parse(const char *s, struct faults_config *cfg)
{
    char tmp[512];
    int64_t n;
    if (strlen(s) >= sizeof(tmp))
        return -1;
    memcpy(tmp, s, strlen(s) + 1);
    for (char *save = NULL, *tok = strtok_r(tmp, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (parse_i64(tok, &n) || n < 1 || cfg->n_err6_at >= FAULTS_MAX_NTH)
            return -1;
        cfg->err6_at[cfg->n_err6_at++] = (uint64_t)n;
    }
    return cfg->n_err6_at > 0 ? 0 : -1;
}

int faults_exec_fail(struct faults *f)
{
    return rng_percent(&f->exec, f->cfg.exec_fail);
}

int ratelimit_init(struct ratelimit *rl, size_t rps, uint64_t window_ms)
{
    rl->rps = rps ? rps : 1;
    rl->window_ms = window_ms ? window_ms : 1000;
    rl->head = 0;
    rl->n = 0;
    rl->ring = calloc(rl->rps, sizeof(*rl->ring));
    return rl->ring ? 0 : FV_ENOMEM;
}

void ratelimit_release(struct ratelimit *rl)
{
    free(rl->ring);
    rl->ring = NULL;
}

int ratelimit_allows(const struct ratelimit *rl, uint64_t now_ms)
{
    if (rl->n < rl->rps)
        return 1;
    /* The oldest of the last rps accepted requests must have left the window. */
    return now_ms - rl->ring[rl->head] >= rl->window_ms;
}

void ratelimit_record(struct ratelimit *rl, uint64_t now_ms)
{
    if (rl->n < rl->rps) {
        rl->ring[(rl->head + rl->n) % rl->rps] = now_ms;
        rl->n++;
    } else {
        rl->ring[rl->head] = now_ms;
        rl->head = (rl->head + 1) % rl->rps;
    }
}
