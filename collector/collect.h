/* collect.h: the collector: mirrors the configured communities from VK into the store. */
#ifndef VKP_COLLECT_H
#define VKP_COLLECT_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct config_community;
struct store;
struct collector;

/* How a run ended. */
enum collect_status {
    COLLECT_OK,      /* everything collected */
    COLLECT_PARTIAL, /* some part is missing: quota, repeated errors, interrupted */
    COLLECT_FAILED,  /* stopped: token rejected, captcha, database error */
};

/* Figures of one run. */
struct collect_result {
    enum collect_status status;
    int64_t run_id;
    int64_t requests;  /* HTTP requests sent */
    int64_t calls;     /* API calls made, inside execute too */
    int64_t retries;   /* calls sent again after an error */
    double seconds;    /* wall time */
    int interrupted;   /* SIGINT/SIGTERM arrived */
    int err;           /* failed: the vkp error that stopped it (VKP_EAUTH: access refused,
                        * VKP_ECAPTCHA, VKP_ENET: VK unreachable, VKP_EVK: nothing fetched) */
    char message[512]; /* why it is partial or failed */
};

/* One community's progress in a run. */
struct collect_progress_row {
    const char *name;      /* as the config names the group */
    int64_t calls_done;    /* calls answered or given up */
    int64_t calls_planned; /* calls known so far (pages are found as they are read) */
    int finished;          /* every part of it has ended */
};

/* Where a run stands, for a display (see cli/progress.c). */
struct collect_progress {
    const struct collect_progress_row *rows; /* one per community, valid during the call */
    size_t n;
    double eta_s; /* the requests still known to be needed, at the paced rate */
    int final;    /* the run is over: the last call */
};

typedef void (*collect_progress_fn)(void *ud, const struct collect_progress *p);

/* Options besides the config. */
struct collect_options {
    collect_progress_fn progress; /* called a few times a second during a run; NULL: none, and
                                   * one log line per community instead */
    void *progress_ud;            /* its first argument */
};

/*
 * collector_new: a collector for cfg's communities writing to st, with the
 * access token (copied, never logged). Returns 0 or a vkp error with err.
 */
int collector_new(const struct config *cfg, struct store *st, const char *token,
                  const struct collect_options *opt, struct collector **out, char *err,
                  size_t errlen);

/* collector_free: NULL is a no-op. */
void collector_free(struct collector *c);

/*
 * collector_run: one complete run; returns when it is over. SIGINT/SIGTERM
 * during the run abandon in-flight requests, commit what was received and
 * end the run as partial (res->interrupted = 1). Returns 0 when a run row
 * was written (look at res->status), or a vkp error when none could be.
 */
int collector_run(struct collector *c, struct collect_result *res);

/*
 * collector_sleep: wait `seconds` or until SIGINT/SIGTERM. Returns 1 when
 * a signal ended the wait (or arrived earlier), 0 otherwise.
 */
int collector_sleep(struct collector *c, int seconds);

/* What collector_check_groups says of one configured group VK cannot collect. */
typedef void (*collect_bad_group_fn)(void *ud, const struct config_community *cc, const char *why);

/*
 * collector_check_groups: asks VK (groups.getById) for every group of cfg, one at a
 * time when VK refuses the whole list, and calls bad() for each one VK does not know
 * or has deleted or banned. *nbad counts them. Returns 0 (look at *nbad), or a vkp error
 * with err when VK could not be asked (VKP_EAUTH: the token; VKP_ENET: no network).
 */
int collector_check_groups(const struct config *cfg, const char *token, collect_bad_group_fn bad,
                           void *ud, int *nbad, char *err, size_t errlen);

#endif
