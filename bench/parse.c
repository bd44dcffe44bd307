/* parse.c: what parsing an answer costs the collector (vk_reply_parse and
 * vk_reply_release). It builds two execute answers as the fake server and VK give
 * them, 25 pages of 1,000 likers (ids only) and 5 member pages of 1,000 people with
 * their cities, parses each many times, and prints the time per answer and per item.
 * Usage: bench_parse [ROUNDS]   (default 300). Not a test: nothing is asserted. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vkapi.h"

struct buf {
    char *p;
    size_t len, cap;
};

static void put(struct buf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        if (!(b->p = realloc(b->p, b->cap))) {
            perror("bench_parse");
            exit(1);
        }
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

static uint64_t next(uint64_t *x) /* xorshift: the same answers every run */
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void run(const char *what, const struct buf *b, int items, int rounds)
{
    char err[256];
    double t0 = 0;
    for (int i = -rounds / 10; i < rounds; i++) { /* a tenth to warm up: heap, caches */
        if (i == 0)
            t0 = now_ms();
        struct vk_reply r;
        if (vk_reply_parse(b->p, b->len, &r, err, sizeof err) != 0) {
            fprintf(stderr, "bench_parse: %s: %s\n", what, err);
            exit(1);
        }
        vk_reply_release(&r);
    }
    double ms = (now_ms() - t0) / rounds;
    printf("%-40s %8zu bytes  %7.3f ms per answer  %6.0f ns per item\n", what, b->len, ms,
           ms * 1e6 / items);
}

/* One liker: an id. */
static void like_item(struct buf *b, uint64_t *x)
{
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)(next(x) % 900000000 + 1));
    put(b, num);
}

/* One member, with the fields the collector asks for. */
static void member_item(struct buf *b, uint64_t *x)
{
    char num[64];
    snprintf(num, sizeof num, "{\"id\":%llu,", (unsigned long long)(next(x) % 900000000 + 1));
    put(b, num);
    put(b, "\"first_name\":\"Имя\",\"last_name\":\"Фамилия\","
           "\"can_access_closed\":true,\"is_closed\":false,");
    snprintf(num, sizeof num, "\"city\":{\"id\":%llu,", (unsigned long long)(next(x) % 3000 + 1));
    put(b, num);
    put(b, "\"title\":\"Челябинск\"}}");
}

/* An execute answer of `pages` pages of 1,000 items, each page saying `count`. */
static void execute_answer(struct buf *b, int pages, int count, uint64_t *x,
                           void (*item)(struct buf *, uint64_t *))
{
    char head[64];
    put(b, "{\"response\":[");
    for (int page = 0; page < pages; page++) {
        snprintf(head, sizeof head, "%s{\"count\":%d,\"items\":[", page ? "," : "", count);
        put(b, head);
        for (int i = 0; i < 1000; i++) {
            if (i)
                put(b, ",");
            item(b, x);
        }
        put(b, "]}");
    }
    put(b, "]}");
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 300;
    struct buf likes = {0}, members = {0};
    uint64_t x = 88172645463325252ULL;

    if (rounds < 1) {
        fprintf(stderr, "usage: bench_parse [ROUNDS]\n");
        return 2;
    }
    execute_answer(&likes, 25, 1000, &x, like_item);
    execute_answer(&members, 5, 50000, &x, member_item);
    run("execute: 25 like pages of 1,000 ids", &likes, 25000, rounds);
    run("execute: 5 member pages of 1,000 people", &members, 5000, rounds);
    free(likes.p);
    free(members.p);
    return 0;
}
