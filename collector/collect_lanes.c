/* collect_lanes.c: several tokens: one lane each with its own pace; calls spread over them,
 * a call a token may not make goes to another, a rejected token is set aside. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_int.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "text.h"

int collect_lanes_init(struct collector *c, const char *tokens)
{
    const char *s = tokens;
    c->nlanes = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        if (n > 0) {
            struct lane *l = &c->lanes[c->nlanes];
            if (c->nlanes == MAX_LANES)
                return VKP_ECONFIG;
            if (!(l->token = strndup(s, n)))
                return VKP_ENOMEM;
            c->nlanes++; /* collect_lanes_free frees it from here on */
            if (!(l->pace = pace_for(l->token, c->cfg->rps)))
                return VKP_ENOMEM;
            pace_token_name(l->token, c->nlanes - 1, l->name, sizeof l->name);
        }
        s += n + (s[n] == ',');
    }
    return c->nlanes > 0 ? 0 : VKP_ECONFIG;
}

void collect_lanes_free(struct collector *c)
{
    for (int i = 0; i < c->nlanes; i++) {
        explicit_bzero(c->lanes[i].token, strlen(c->lanes[i].token));
        free(c->lanes[i].token);
    }
    c->nlanes = 0;
}

int collect_lanes_usable(const struct collector *c)
{
    int n = 0;
    for (int i = 0; i < c->nlanes; i++)
        n += !c->lanes[i].rejected;
    return n;
}

/* May lane i carry call? */
static int lane_may(const struct collector *c, int i, const struct call *call)
{
    return !c->lanes[i].rejected && !(call->tried & (1u << i));
}

/* Is there a lane left for call? */
static int call_has_lane(const struct collector *c, const struct call *call)
{
    for (int i = 0; i < c->nlanes; i++)
        if (lane_may(c, i, call))
            return 1;
    return 0;
}

struct call *collect_dequeue_for(struct collector *c, int lane, const int *taken, const int *most,
                                 double room)
{
    struct call *prev = NULL;
    for (struct call *call = c->queue; call; prev = call, call = call->next) {
        int k = call->kind;
        if (!lane_may(c, lane, call) || (taken && most && most[k] && taken[k] >= most[k]) ||
            collect_call_weight(call) > room)
            continue;
        collect_unlink(c, prev, call);
        return call;
    }
    return NULL;
}

int collect_lane_ready(struct collector *c, uint64_t now, uint64_t *wait)
{
    *wait = UINT64_MAX;
    for (int k = 0; k < c->nlanes; k++) {
        int i = (c->next_lane + k) % c->nlanes;
        struct lane *l = &c->lanes[i];
        if (l->rejected)
            continue;
        uint64_t w = pace_wait(l->pace, now);
        if (w > 0) {
            if (w < *wait)
                *wait = w;
            continue;
        }
        for (const struct call *call = c->queue; call; call = call->next)
            if (lane_may(c, i, call)) {
                c->next_lane = (i + 1) % c->nlanes; /* the next request tries the next lane */
                return i;
            }
    }
    return -1;
}

double collect_lanes_gap_ms(const struct collector *c)
{
    int n = collect_lanes_usable(c);
    return c->lanes[0].pace->rl.gap_ms / (n > 0 ? n : 1);
}

void collect_batch_most(const struct collector *c, int *most)
{
    double gap = collect_lanes_gap_ms(c);
    for (int k = 0; k < CALL_KINDS; k++) {
        int w = collect_methods[k].cost_ms, n = w ? (int)(gap / w) : 0;
        most[k] = w && n < 1 ? 1 : n; /* a heavy kind: at least one a batch */
    }
}

/* ---- what a token may not do ---------------------------------------------------------------- */

/* Calls that every token left refused, once a token is set aside: they fail with the
 * refusal (a fact, such as stats.get without admin rights) rather than wait in the queue
 * for a token that will never carry them, and the run ends. */
static void fail_stranded(struct collector *c)
{
    struct call *stranded = NULL, *prev = NULL, *next, **pp = &c->delayed;
    char text[160];

    for (struct call *call = c->queue; call; call = next) {
        next = call->next;
        if (call_has_lane(c, call)) {
            prev = call;
            continue;
        }
        collect_unlink(c, prev, call);
        call->next = stranded;
        stranded = call;
    }
    while (*pp) {
        struct call *call = *pp;
        if (call_has_lane(c, call)) {
            pp = &call->next;
            continue;
        }
        *pp = call->next;
        call->next = stranded;
        stranded = call;
    }
    /* Failed after the walks: a failure may queue other calls. */
    for (struct call *call = stranded; call; call = next) {
        next = call->next;
        call->next = NULL;
        text_printf(text, sizeof text, "VK error %d from every token left (the others were set "
                                       "aside)", call->refused);
        collect_call_failed(c, call, call->refused, text);
    }
}

int collect_lane_rejected(struct collector *c, struct call *call, int code, const char *msg)
{
    struct lane *l = &c->lanes[call->lane];
    if (!l->rejected) {
        l->rejected = 1;
        if (collect_lanes_usable(c) > 0) {
            log_warn("VK rejected %s (error %d: %s): it is set aside, %d other token(s) go on; "
                     "replace it in $%s or the token file",
                     l->name, code, msg, collect_lanes_usable(c), c->cfg->token_env);
            /* A problem of the run, naming the token (status shows it), not of the
             * communities whose calls it carried: the other tokens carry them. */
            collect_tally_as(c, NULL, l->name, code, msg);
        }
    }
    if (collect_lanes_usable(c) == 0)
        return 0;
    call->attempts--; /* not this call's fault */
    collect_requeue_now(c, call);
    fail_stranded(c);
    return 1;
}

int collect_lane_refused(struct collector *c, struct call *call, int code)
{
    if (!collect_methods[call->kind].per_token || c->nlanes < 2)
        return 0;
    call->tried |= 1u << call->lane;
    call->refused = code;
    if (!call_has_lane(c, call))
        return 0;
    log_info("%s refused %s (VK error %d): another token is asked", c->lanes[call->lane].name,
             collect_methods[call->kind].name, code);
    call->attempts--;
    collect_requeue_now(c, call);
    return 1;
}

void collect_lanes_names(const struct collector *c, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < c->nlanes && used < len; i++) {
        int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", c->lanes[i].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}
