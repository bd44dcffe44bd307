/* collect_int.h: the collector's private state, shared by collect*.c and nothing else. */
#ifndef VKP_COLLECT_INT_H
#define VKP_COLLECT_INT_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <uv.h>

#include "collect.h"
#include "heft.h"
#include "http.h"
#include "pace.h"
#include "store.h"
#include "store_collect.h"
#include "vkapi.h"

#define BATCH_MAX 25 /* VK: at most 25 API calls in one execute */
#define MAX_LANES 16 /* tokens one collector uses (each call remembers them in a mask) */
/* Answers waiting to be written do not hold the wire, but their bodies hold
 * memory: no request leaves while this much waits (a page of 1,000 members
 * with cities is about 150 KB, a 25-page execute of them 4 MB). */
#define WAITING_BYTES_MAX (12u << 20)
#define MAX_ATTEMPTS 8 /* tries of one call before it counts as failed */
/* Tries while nothing of this run has been answered yet: a server that never
 * answered is more likely unreachable (a wrong api_url, no network) than busy. */
#define MAX_ATTEMPTS_UNREACHED 3
#define BACKOFF_BASE_MS 500 /* first retry delay; doubles, with jitter */
#define BACKOFF_MAX_MS 30000
#define MEMBERS_PAGE 1000
/* Member pages overlap by this many places: someone who leaves while the list is paged
 * moves everyone after them one place up (VK's offset race), and without the overlap
 * the member at the page boundary would be missed and recorded as a leave. */
#define MEMBERS_OVERLAP 20
#define MEMBERS_STEP (MEMBERS_PAGE - MEMBERS_OVERLAP)
/* What one member page (160 KB of answer, 1,000 people with their cities) costs to build
 * on the server's side and to parse and write on ours. A request that reaches a server
 * while it builds a heavy answer may be counted late, by more than the pace's 2 % margin
 * (error 6): the fake server took 30-56 ms for five pages, and 160 ms for 25 (measured
 * for issue 25, fourth round); the loop parses and writes a page in about 5 ms. A batch
 * brings no more of them than fit in the gap between two requests of all tokens
 * (collect_batch_most): 2 at 20 rps, 4 with three tokens of 3 rps, 13 at 3 rps. */
#define MEMBERS_PAGE_COST_MS 25
/* Wall pages overlap too: a post deleted while the wall is paged moves the older ones up
 * a place, and the post at the page boundary would be skipped for good. Each page must
 * hold one of the last WALL_OVERLAP posts of the page before it, or it is read again
 * from further back (at most WALL_REREADS times a run). */
#define WALL_OVERLAP 10
#define WALL_STEP (100 - WALL_OVERLAP)
#define WALL_REREADS 8
#define STATS_DAYS 30
#define STATS_FIRST_DAYS 999 /* a history page of stats.get: as many days as one call answers */
#define STATS_MAX_PAGES 10   /* history pages of a first stats.get: about 27 years */
#define PROGRESS_MS 250
#define RETRY_GATHER_MS 2000 /* a thin batch waits this long for retries to join it */
#define WRITE_SLICE_MS 5     /* writing an answer yields to the loop after this long */
#define FOLD_ROWS 2000       /* members folded in one slice: about WRITE_SLICE_MS */
#define MAX_FACTS 8          /* VK errors of a method that are facts, not failures */

/* Local failures of a call, tallied beside VK's positive codes. */
enum {
    CALL_ENET = -1,       /* network error, HTTP status other than 200 */
    CALL_EPARSE = -2,     /* malformed answer */
    CALL_ETOOBIG = -3,    /* an answer over max_response_kb */
    CALL_ECOUNT = -4,     /* a count beyond [collect] limits */
    CALL_EVALUE = -5,     /* a value or date VK cannot mean (vk_check_*): refused */
    CALL_EEXEC413 = -413, /* an execute answer over max_response_kb */
};

enum call_kind {
    CALL_GROUPS,   /* groups.getById for every community (or one, job set) */
    CALL_MEMBERS,  /* groups.getMembers page */
    CALL_WALL,     /* wall.get page */
    CALL_LIKES,    /* likes.getList page of a post */
    CALL_COMMENTS, /* wall.getComments page of a post's top level */
    CALL_THREAD,   /* wall.getComments page of one thread */
    CALL_REPOSTS,  /* wall.getReposts page */
    CALL_STATS,    /* stats.get */
    CALL_CLOCK,    /* utils.getServerTime, first of a run that must check its clock */
    CALL_KINDS
};

struct collector;
struct job;
struct post_job;

/* One API call waiting, in flight, or waiting to be retried. */
struct call {
    struct call *next; /* queue link */
    enum call_kind kind;
    struct job *job;       /* its community; NULL for CALL_GROUPS of every community */
    struct post_job *post; /* for likes, comments, threads, reposts */
    int64_t offset;        /* page offset */
    int64_t thread;        /* CALL_THREAD: the thread's root comment id */
    int attempts;          /* sends so far */
    uint64_t not_before;   /* loop time (ms) before which it must not be sent */
    int lane;              /* the token that carried it last */
    unsigned tried;        /* tokens that refused it (per_token methods), a bit each */
    int64_t items;         /* items its answer should list, if known when queued (0: not) */
    int refused;           /* the VK error the last of them gave (0: none) */
};

/*
 * What the collector knows about one VK method: one row per call kind. Adding
 * a method is adding a row (and its kind): name, page size, how its request is
 * built, what its answer does, which VK errors are facts about the group
 * rather than failures, and what a failed call leaves undone.
 */
struct method {
    const char *name; /* VK method */
    int page;         /* items asked for per call (0: not paged) */
    /* Adds the call's parameters to p; 0 or VKP_ENOMEM. */
    int (*params)(struct collector *c, const struct call *call, cJSON *p);
    /* Handles a successful answer: 0, VKP_EPARSE (retried), VKP_ETOOBIG (a count
     * beyond the limits: failed), or a store error (fatal). */
    int (*on_answer)(struct collector *c, struct call *call, const cJSON *resp, char *err,
                     size_t errlen);
    /* The call will not succeed in this run: closes what waited for it. *fact is set
     * when the code is in facts; the handler may set or clear it. 0 or a store error. */
    int (*on_fail)(struct collector *c, struct call *call, int code, const char *msg, int *fact);
    int facts[MAX_FACTS]; /* VK errors that are facts about the group, 0-terminated */
    int per_token;        /* a fact may be the token's (no admin rights): other tokens first */
    int chained;          /* its pages are read one by one: each answer asks for the next */
    int cost_ms;          /* heavy: about what one costs to build and to write (0: light) */
    /* What its answer weighs, for a batch's predicted answer (heft.h): bytes of its own,
     * and per item it lists. Fitted to the fake server's answers, which follow VK's
     * schema (bench/README.md, sixth round); heft.h corrects them by the ratio of what
     * came to what was predicted. */
    int answer_bytes, item_bytes;
};

extern const struct method collect_methods[CALL_KINDS];

/* The state of one community during a run. */
struct job {
    const struct config_community *cc;
    struct store_community_state st;
    char name[64];       /* for progress and messages */
    int64_t owner_id;    /* -group id, 0 until known */
    int64_t cutoff;      /* posts older than this end the wall */
    int group_done;      /* groups.getById answered for it */
    int deferred;        /* VK id unknown: members and wall wait for groups.getById */
    int dup;             /* another job collects the same VK group */
    int members_pending; /* member pages queued or in flight */
    int members_failed;  /* the member list cannot be completed this run */
    int members_done;
    int members_reread;         /* the list did not agree with its count and is read again */
    int members_carried;        /* steady by count and first page: not read whole this run */
    int64_t members_listed;     /* distinct people staged in this reading of the list */
    int64_t count_lo, count_hi; /* the smallest and largest count its pages gave */
    struct store_fold fold;     /* the whole list folded into the membership, in slices */
    int wall_done;              /* no more wall pages to read */
    int wall_failed;
    int wall_unconfirmed;            /* a gap, a refused post or a count that disagrees */
    int wall_rereads;                /* pages read again because they did not join */
    int64_t wall_distinct;           /* posts this reading listed, each once */
    int64_t wall_tail[WALL_OVERLAP]; /* ids of the last posts of the page before */
    int wall_ntail;                  /* entries in wall_tail */
    int details_pending;             /* posts whose details are being fetched */
    int details_failed;
    int finished; /* completion written */
    int64_t posts_seen, posts_changed, joined, left, members;
    int64_t calls_done, calls_planned;
};

/* A post whose likers, comments or reposts are being fetched. */
struct post_job {
    struct post_job *prev, *next; /* the collector's list, so none is lost */
    struct job *job;
    int64_t owner_id, post_id;
    int64_t likes, comments, reposts; /* counters seen in this run */
    int pending;                      /* its calls queued or in flight */
    int failed[3];                    /* likes, comments, reposts could not be completed */
};

enum { DETAIL_LIKES, DETAIL_COMMENTS, DETAIL_REPOSTS };

/* An HTTP request in flight and the calls it carries. */
struct flight {
    struct collector *c;
    int lane;     /* the token it was sent with */
    uint32_t seq; /* its number in that token's pace */
    struct call *calls[BATCH_MAX];
    int n;
    int is_execute;
    double predicted; /* its answer's predicted bytes (collect_call_weight) */
    int64_t number;   /* the run's request number, for the log */
};

/* An answer waiting to be written, or being written (see on_write_turn). */
struct answer {
    struct answer *next;   /* the line of answers, in arrival order */
    struct flight *f;      /* the request it answers, owned */
    char *body;            /* the HTTP body until it is parsed, owned */
    size_t len;            /* its length */
    struct vk_reply reply; /* the parsed body */
    int parsed;            /* body parsed into reply */
    int begun;             /* its transaction is open */
    int ncall;             /* index of the next call to handle */
    int inner;             /* execute_errors entries used so far */
    int leads;             /* it holds a call that may ask for more (collect_call_leads) */
};

/* A tally of errors by community, method and code, written with the run. */
struct err_tally {
    const struct job *job; /* NULL: not one community's */
    const char *method;
    int code;
    int64_t count;
    char msg[160]; /* the first message of its kind */
};

/* One access token: its requests are paced on their own (VK counts per token). */
struct lane {
    char *token;       /* owned; never logged */
    char name[40];     /* "token 2 (#1a2b3c4d)": for messages */
    struct pace *pace; /* pace_for(token): shared with the process's other clients */
    int rejected;      /* VK rejected it (error 5): set aside */
};

struct collector {
    const struct config *cfg;
    struct store *st;
    struct lane lanes[MAX_LANES]; /* the tokens, in the order configured */
    int nlanes;
    int next_lane; /* the lane tried first for the next request */
    struct collect_options opt;
    uv_loop_t loop;
    int loop_ready;         /* loop and handles initialised */
    uv_timer_t pump_timer;  /* wakes the pump for the rate limiter and retries */
    uv_timer_t sleep_timer; /* collector_sleep */
    uv_timer_t deadline;    /* [collect] run_deadline: a server that never lets a run end */
    uv_idle_t write_idle;   /* writes answers a slice per loop turn while any wait */
    uv_signal_t sigint, sigterm, sighup; /* SIGHUP too: a closed terminal ends a run cleanly */
    struct http *http;
    char *url_execute; /* api_url + "/execute" */
    struct heft heft;  /* the answer size the server lags from: learned over the runs */

    /* ---- per run ---- */
    struct job *jobs;
    size_t njobs;
    struct call *queue, *queue_tail; /* ready to send, in order */
    struct call *queue_lead;         /* the last of the calls that lead (collect_requeue_now) */
    size_t queued;
    struct call *delayed;                  /* waiting for not_before */
    struct post_job *posts;                /* post jobs in progress */
    struct answer *answers, *answers_tail; /* answers to write, oldest first */
    struct job *folding;                   /* its member list is being folded (collect_fold) */
    int clock_open;                        /* VK's clock asked, not yet answered */
    int clock_behind;                      /* this machine's clock is before the last run's */
    int64_t clock_last, clock_last_id;     /* the last run: its time and id */
    int inflight;                          /* requests sent and not yet written (or failed) */
    int waiting;                           /* of them, answers in the line to be written */
    int waiting_leads;                     /* of those, answers that may bring calls */
    size_t waiting_bytes;                  /* their bodies' size */
    int batch_max;                         /* shrinks on error 13 */
    int use_execute;                       /* off after execute is refused */
    int method_off[CALL_KINDS];            /* daily quota (error 29) reached for this run */
    int64_t run_id, now;                   /* run row and its time (unix seconds) */
    struct vk_check chk;                   /* what VK's numbers and dates are checked against */
    int64_t requests, calls, retries;
    int64_t answered; /* calls answered with data: none at the end, the run failed */
    int reached;      /* some HTTP answer came back this run: the API is reachable */
    int partial, fatal, stopping, running, signalled;
    int fatal_err; /* the vkp error that stopped the run (VKP_EAUTH, VKP_ENET, ...) */
    char message[512];
    struct err_tally errors[64];
    int nerrors;
    uint64_t last_progress;
    uint64_t started_ms;
    uint64_t rng;
};

/* ---- collect_queue.c: queue, retries, the VK error policy ---- */
uint64_t collect_now_ms(struct collector *c);
void collect_message(struct collector *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void collect_fatal(struct collector *c, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void collect_tally(struct collector *c, const struct call *call, int code, const char *msg);
/* collect_tally_as: the same for what is not a call's method (a token): job NULL is the
 * run's; what must live as long as the run. */
void collect_tally_as(struct collector *c, const struct job *job, const char *what, int code,
                      const char *msg);
int collect_enqueue(struct collector *c, enum call_kind kind, struct job *job,
                    struct post_job *post, int64_t offset, int64_t thread);
/* collect_enqueue_items: the same, for a call whose answer should list items (a thread's
 * replies, the rest of a page count): what its weight is predicted from. */
int collect_enqueue_items(struct collector *c, enum call_kind kind, struct job *job,
                          struct post_job *post, int64_t offset, int64_t thread, int64_t items);
/* collect_call_weight: the bytes call's answer is predicted to weigh: the method's own,
 * and its items' (call->items, else the post's counter for the kind, else a full page;
 * never more than a page). */
double collect_call_weight(const struct call *call);
/* collect_requeue_now: call joins the queue. A call that leads (its answer may ask for
 * more: a first page, a page of a chained method, groups.getById) goes before every call
 * that does not, so that the work a run has to do is known early and the run's tail is
 * made of requests that can all leave at once, not of answers waited for one by one. */
void collect_requeue_now(struct collector *c, struct call *call);
/* collect_unlink: takes call (after prev, NULL at the head) out of the queue. */
void collect_unlink(struct collector *c, struct call *prev, struct call *call);
uint64_t collect_release_delayed(struct collector *c);
void collect_drop_queue(struct call **head);
void collect_retry(struct collector *c, struct call *call, int code, const char *msg);
void collect_call_failed(struct collector *c, struct call *call, int code, const char *msg);
void collect_vk_error(struct collector *c, struct call *call, int code, const char *msg);
void collect_flight_failed(struct collector *c, struct flight *f, int code, const char *what);

/* ---- collect_methods.c: the method table; collect_run.c: completion of parts ---- */
int collect_job_check(struct collector *c, struct job *j);
void collect_job_cutoff(struct collector *c, struct job *j);
int collect_members_start(struct collector *c, struct job *j);
void collect_job_dup(struct job *j, const struct job *other);
void collect_post_unlink(struct collector *c, struct post_job *p);
int collect_members_check(struct collector *c, struct job *j);
/* collect_fold: folds the next slice of c->folding's member list (collect_members_check
 * began it); once the list is in, clears c->folding and checks the job. The answer
 * being written waits for it: its transaction holds the whole list. */
int collect_fold(struct collector *c);
int collect_post_check(struct collector *c, struct post_job *p);
/* collect_job_where: "file:line" of the job's [community] section. */
void collect_job_where(const struct collector *c, const struct job *j, char *buf, size_t len);

/* ---- collect_run.c: a run's beginning, end and figures ---- */
/* collect_run_begin: opens the run row, prepares its jobs and queues its first calls,
 * VK's clock first when the stored runs cannot vouch for this machine's. */
int collect_run_begin(struct collector *c);
/* The clock's answer (a method's on_answer) and its absence: a clock VK disagrees with,
 * or one before the last run that VK cannot confirm, is fatal (VKP_ECLOCK, said). */
int collect_clock_answer(struct collector *c, struct call *call, const cJSON *resp, char *err,
                         size_t errlen);
void collect_clock_unread(struct collector *c, const char *why);
void collect_run_finish(struct collector *c);
/* collect_stats_due: does job j ask stats.get this run? Daily figures once the newest
 * stored day is a day old, read from it on (it may have been partial), so a rerun the same
 * day costs nothing; a refusal at every run, one call packed with the others, so that
 * admin rights granted since take effect at the next run. */
int collect_stats_due(const struct collector *c, const struct job *j);
void collect_progress(struct collector *c, int final);

/* ---- collect_check.c: the groups of the config against VK ---- */
/* collect_group_is: does VK group g answer the config's reference `ref` (a known group by
 * its id known_id, else by the id the reference names, else by screen name)? */
int collect_group_is(const char *ref, int64_t known_id, const struct vk_group *g);

/* ---- collect_lanes.c: several tokens ---- */
/* collect_lanes_init: one lane per comma-separated token; 0, VKP_ENOMEM, VKP_ECONFIG. */
int collect_lanes_init(struct collector *c, const char *tokens);
void collect_lanes_free(struct collector *c);
int collect_lanes_usable(const struct collector *c);
/* collect_lane_ready: a lane that may send now and has a call it may carry, or -1 with
 * *wait the ms until one may (UINT64_MAX: when an answer comes). */
int collect_lane_ready(struct collector *c, uint64_t now, uint64_t *wait);
/* collect_call_leads: may the call's answer ask for more calls (a first page, a page
 * of a chained method, groups.getById)? Such calls are queued first. */
int collect_call_leads(const struct call *call);
/* collect_dequeue_for: the first queued call lane may carry, or NULL; with taken and most
 * (the calls of each kind a batch holds, and may hold: 0 any), not of a kind the batch
 * holds its most of; and none predicted to weigh more than room bytes (INFINITY: any). */
struct call *collect_dequeue_for(struct collector *c, int lane, const int *taken, const int *most,
                                 double room);
/* collect_batch_most: into most[CALL_KINDS], how many calls of each heavy kind a batch may
 * hold while other calls can fill it: what a server builds and the loop writes in a gap
 * between requests (MEMBERS_PAGE_COST_MS), for ten executes of 25 member pages in a row
 * at 20 rps brought 40 MB to write at once, and a heavy answer makes a server count the
 * requests behind it late. 0: any. */
void collect_batch_most(const struct collector *c, int *most);
/* collect_lanes_gap_ms: the gap between two requests of all usable tokens together. */
double collect_lanes_gap_ms(const struct collector *c);
/* collect_lane_rejected: VK rejected call's token: it is set aside; 1 when the call went
 * back to the queue for another token, 0 when none is left. */
int collect_lane_rejected(struct collector *c, struct call *call, int code, const char *msg);
/* collect_lane_refused: call's token may not make it (a per_token fact): 1 when it went
 * back to the queue for another token, 0 when every token refused it. */
int collect_lane_refused(struct collector *c, struct call *call, int code);
/* collect_lanes_names: "token 1 (#…), token 2 (#…)". */
void collect_lanes_names(const struct collector *c, char *buf, size_t len);

/* ---- collect.c: sending and the pump ---- */
void collect_pump(struct collector *c);

#endif
