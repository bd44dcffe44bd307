/* main.c: fakevk's command line: build the dataset, then serve it or dump what is expected. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "dataset.h"
#include "dump.h"
#include "server.h"

/* Everything the command line sets. */
struct options {
    struct ds_config ds;      /* the dataset */
    struct server_config srv; /* serving */
    int port;                 /* --port */
    const char *port_file;    /* --port-file */
    const char *dump;         /* --dump-expected */
    const char *dump_dir;     /* --dump-directory */
    const char *counters;     /* --dump-counters */
    int have_time;            /* --time was given */
};

enum {
    O_PORT = 1000,
    O_PORT_FILE,
    O_TOKEN,
    O_SERVICE_TOKEN,
    O_RPS,
    O_DATASET,
    O_GROUPS,
    O_MEMBERS,
    O_POSTS,
    O_SEED,
    O_YEARS,
    O_ANCHOR,
    O_TIME,
    O_FAIL_500,
    O_FAIL_10,
    O_FAIL_6,
    O_TRUNCATE,
    O_DROP,
    O_BUSY,
    O_BUSY_BYTES,
    O_LATENCY,
    O_JITTER,
    O_FAULT_SEED,
    O_EXEC_FAIL,
    O_REVOKE_AFTER,
    O_NO_EXECUTE,
    O_EXEC_MAX_BYTES,
    O_DAILY_QUOTA,
    O_HIDDEN_MEMBERS,
    O_CLOSED_COMMENTS,
    O_HOSTILE,
    O_ADMIN_GROUPS,
    O_REQUEST_LOG,
    O_DUMP_EXPECTED,
    O_DUMP_DIRECTORY,
    O_DUMP_COUNTERS,
    O_FAIL_6_AT,
    O_RATE_WINDOW,
    O_PAUSE_FILE,
    O_HELP,
};

/* How a plain option is read and stored (at opt_row.off in struct options). */
enum opt_kind {
    K_SPECIAL, /* parse_options' switch handles it */
    K_FLAG,    /* int, set to 1 */
    K_STR,     /* const char *, the argument itself */
    K_INT,     /* int within [lo, hi] */
    K_SIZE,    /* size_t within [lo, hi] */
    K_U64,     /* uint64_t within [lo, hi] */
    K_I64,     /* int64_t within [lo, hi] */
    K_PCT,     /* double, a percentage from 0 to 100 */
};

/* The tail of an opt_row: how the option is handled, and where its value goes. */
#define SPECIAL K_SPECIAL, 0, 0, 0
#define PLAIN(kind, field) kind, offsetof(struct options, field), 0, 0
#define BOUNDED(kind, field, lo, hi) kind, offsetof(struct options, field), lo, hi

/* One command-line option: the table drives getopt_long, --help and the plain options. */
struct opt_row {
    const char *name;   /* long option name */
    int id;             /* O_* */
    const char *arg;    /* argument placeholder, or NULL for a flag */
    const char *help;   /* one line of help */
    enum opt_kind kind; /* how the value is read and stored; K_SPECIAL: parse_options' switch */
    size_t off;         /* where it is stored in struct options */
    int64_t lo, hi;     /* integer kinds: the bounds */
};

static const struct opt_row opt_table[] = {
    {"port", O_PORT, "N", "TCP port on 127.0.0.1 (0: ephemeral; default 0)",
     BOUNDED(K_INT, port, 0, 65535)},
    {"port-file", O_PORT_FILE, "FILE", "write the bound port here once listening",
     PLAIN(K_STR, port_file)},
    {"token", O_TOKEN, "T[:RPS][:member]",
     "an accepted user token (repeatable; default demo-token), its own rate, no admin rights",
     SPECIAL},
    {"service-token", O_SERVICE_TOKEN, "T", "an accepted service key (no execute, no stats.get)",
     SPECIAL},
    {"rps", O_RPS, "N", "requests per token per sliding second (default 3)",
     BOUNDED(K_SIZE, srv.rps, 1, 100000)},
    {"dataset", O_DATASET, "NAME", "tiny | demo | bench | huge (default tiny)", SPECIAL},
    {"groups", O_GROUPS, "N", "number of groups (default: the preset's)",
     BOUNDED(K_INT, ds.n_groups, 1, DS_MAX_GROUPS)},
    {"members", O_MEMBERS, "N", "members per group (default: the preset's)",
     BOUNDED(K_I64, ds.members, 1, DS_MAX_MEMBERS)},
    {"posts", O_POSTS, "N", "posts per group (default: the preset's)",
     BOUNDED(K_I64, ds.posts, 0, DS_MAX_POSTS)},
    {"seed", O_SEED, "N", "dataset seed (default 1)", BOUNDED(K_U64, ds.seed, 0, INT64_MAX)},
    {"years", O_YEARS, "N", "years of wall history before the anchor (default 1)",
     BOUNDED(K_INT, ds.years, 1, DS_MAX_YEARS)},
    {"anchor", O_ANCHOR, "EPOCH", "the dataset's present (default 1795392000)",
     BOUNDED(K_I64, ds.anchor, 5 * DS_YEAR, 32503680000LL)},
    {"time", O_TIME, "EPOCH", "server clock at start (default: real time); it then ticks", SPECIAL},
    {"fail-500", O_FAIL_500, "P", "percent of requests answered HTTP 500 with HTML",
     PLAIN(K_PCT, srv.faults.p500)},
    {"fail-10", O_FAIL_10, "P", "percent of requests answered VK error 10",
     PLAIN(K_PCT, srv.faults.p10)},
    {"fail-6", O_FAIL_6, "P", "percent of requests answered VK error 6 under the limit",
     PLAIN(K_PCT, srv.faults.p6)},
    {"truncate", O_TRUNCATE, "P", "percent of answers cut in half",
     PLAIN(K_PCT, srv.faults.truncate)},
    {"drop", O_DROP, "P", "percent of requests whose connection closes unanswered",
     PLAIN(K_PCT, srv.faults.drop)},
    {"busy", O_BUSY, "MS", "one worker, checks when it takes a request; a heavy answer holds it MS",
     BOUNDED(K_U64, srv.busy_ms, 0, 600000)},
    {"busy-bytes", O_BUSY_BYTES, "N", "what --busy counts as heavy (default 65536 bytes)",
     BOUNDED(K_SIZE, srv.busy_bytes, 1, (int64_t)1 << 32)},
    {"latency", O_LATENCY, "MS", "delay every answer",
     BOUNDED(K_U64, srv.faults.latency_ms, 0, 600000)},
    {"latency-jitter", O_JITTER, "MS", "add 0..MS random delay",
     BOUNDED(K_U64, srv.faults.jitter_ms, 0, 600000)},
    {"fault-seed", O_FAULT_SEED, "N", "seed of the fault draws (default 1)",
     BOUNDED(K_U64, srv.faults.seed, 0, INT64_MAX)},
    {"exec-fail", O_EXEC_FAIL, "P", "percent of inner execute calls failing with error 10",
     PLAIN(K_PCT, srv.faults.exec_fail)},
    {"revoke-after", O_REVOKE_AFTER, "N", "revoke the token after N accepted requests",
     BOUNDED(K_U64, srv.revoke_after, 1, INT64_MAX)},
    {"no-execute", O_NO_EXECUTE, NULL, "execute answers error 28", PLAIN(K_FLAG, srv.no_execute)},
    {"exec-max-bytes", O_EXEC_MAX_BYTES, "N", "largest execute answer (default 5000000)",
     BOUNDED(K_SIZE, srv.exec_max_bytes, 1, (int64_t)1 << 32)},
    {"daily-quota", O_DAILY_QUOTA, "METHOD=N", "error 29 after N calls of METHOD a day", SPECIAL},
    {"hidden-members", O_HIDDEN_MEMBERS, "GROUP_ID", "groups.getMembers of it: error 15", SPECIAL},
    {"closed-comments", O_CLOSED_COMMENTS, NULL, "every 17th post: comments closed (212)",
     PLAIN(K_FLAG, ds.closed_comments)},
    {"hostile", O_HOSTILE, "KIND,KIND",
     "lying answers: huge-count short-pages dup-pages shift control zero-like renamed", SPECIAL},
    {"admin-groups", O_ADMIN_GROUPS, "ID,ID|all", "groups for which stats.get works", SPECIAL},
    {"request-log", O_REQUEST_LOG, "FILE", "append each request line (method, path, query)",
     SPECIAL},
    {"dump-expected", O_DUMP_EXPECTED, "FILE", "write the expected collection and exit",
     PLAIN(K_STR, dump)},
    {"dump-directory", O_DUMP_DIRECTORY, "FILE", "write the city directory's truth and exit",
     PLAIN(K_STR, dump_dir)},
    {"dump-counters", O_DUMP_COUNTERS, "FILE", "write each post's counters at --time and exit",
     PLAIN(K_STR, counters)},
    {"fail-6-at", O_FAIL_6_AT, "N,N", "the Nth requests (from 1) answer error 6", SPECIAL},
    {"rate-window", O_RATE_WINDOW, "MS", "length of the --rps window (default 1000)",
     BOUNDED(K_U64, srv.rate_window_ms, 1, 86400000)},
    {"pause-file", O_PAUSE_FILE, "FILE", "written when a pause holds the answers",
     PLAIN(K_STR, srv.pause_file)},
    {"help", O_HELP, NULL, "show this help", SPECIAL},
};

#define N_OPTS (sizeof(opt_table) / sizeof(opt_table[0]))

static void usage(FILE *f)
{
    fprintf(f, "usage: fakevk [options]\n"
               "A fake VK API server for tests and demos, on 127.0.0.1 only.\n\n");
    for (size_t i = 0; i < N_OPTS; i++) {
        char left[64];
        snprintf(left, sizeof(left), "--%s%s%s", opt_table[i].name, opt_table[i].arg ? " " : "",
                 opt_table[i].arg ? opt_table[i].arg : "");
        fprintf(f, "  %-30s %s\n", left, opt_table[i].help);
    }
    fprintf(f, "\nControl endpoints: GET /_fake/stats, POST /_fake/time?set=EPOCH, "
               "POST /_fake/reset-stats, POST /_fake/hostile?set=KINDS, POST /_fake/pause?at=N, "
               "POST /_fake/resume.\nSee tests/fakevk/README.md.\n");
}

/* Parses an integer option within bounds, or complains naming the option. */
static int int_arg(const char *opt, const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (parse_i64(s, out) || *out < lo || *out > hi) {
        fprintf(stderr, "fakevk: --%s '%s': expected an integer from %lld to %lld\n", opt, s,
                (long long)lo, (long long)hi);
        return -1;
    }
    return 0;
}

static int pct_arg(const char *opt, const char *s, double *out)
{
    if (parse_percent(s, out)) {
        fprintf(stderr, "fakevk: --%s '%s': expected a percentage from 0 to 100\n", opt, s);
        return -1;
    }
    return 0;
}

/* Adds comma-separated group ids (a leading '-' is accepted) to @ids. */
static int id_list_arg(const char *opt, const char *s, int64_t *ids, size_t *n)
{
    char tmp[1024];
    snprintf(tmp, sizeof(tmp), "%s", s);
    for (char *save = NULL, *tok = strtok_r(tmp, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        int64_t id;
        if (parse_i64(tok, &id) || id == 0) {
            fprintf(stderr, "fakevk: --%s '%s': expected group ids like 200000001\n", opt, tok);
            return -1;
        }
        if (*n >= METHODS_MAX_IDS) {
            fprintf(stderr, "fakevk: --%s: at most %d ids\n", opt, METHODS_MAX_IDS);
            return -1;
        }
        ids[(*n)++] = id < 0 ? -id : id;
    }
    return 0;
}

static int quota_arg(const char *s, struct server_config *cfg)
{
    const char *eq = strchr(s, '=');
    int64_t n;
    if (!eq || eq == s || (size_t)(eq - s) >= sizeof(cfg->quotas[0].method) ||
        parse_i64(eq + 1, &n) || n < 0) {
        fprintf(stderr, "fakevk: --daily-quota '%s': expected METHOD=N, e.g. wall.get=5000\n", s);
        return -1;
    }
    if (cfg->n_quotas >= SERVER_MAX_QUOTAS) {
        fprintf(stderr, "fakevk: --daily-quota: at most %d rules\n", SERVER_MAX_QUOTAS);
        return -1;
    }
    struct quota_rule *q = &cfg->quotas[cfg->n_quotas++];
    memcpy(q->method, s, (size_t)(eq - s));
    q->method[eq - s] = '\0';
    q->limit = n;
    return 0;
}

/* Reads and stores the argument of a plain option (kind other than K_SPECIAL) at its place in
 * *o; -1 with a message naming the option. */
static int opt_store(const struct opt_row *r, const char *a, struct options *o)
{
    void *at = (char *)o + r->off;
    int64_t v = 0;

    if (r->kind >= K_INT && r->kind <= K_I64 && int_arg(r->name, a, r->lo, r->hi, &v))
        return -1;
    switch (r->kind) {
    case K_FLAG:
        *(int *)at = 1;
        break;
    case K_STR:
        *(const char **)at = a;
        break;
    case K_INT:
        *(int *)at = (int)v;
        break;
    case K_SIZE:
        *(size_t *)at = (size_t)v;
        break;
    case K_U64:
        *(uint64_t *)at = (uint64_t)v;
        break;
    case K_I64:
        *(int64_t *)at = v;
        break;
    case K_PCT:
        return pct_arg(r->name, a, (double *)at);
    case K_SPECIAL:
        break;
    }
    return 0;
}

/* --token T[:RPS][:member]: one more accepted user token. The text stays in argv. */
static int token_option(char *a, struct server_config *srv)
{
    struct server_token *t = &srv->tokens[srv->n_tokens];
    char *rps = strchr(a, ':'), *flag = NULL;
    if (srv->n_tokens >= SERVER_MAX_TOKENS) {
        fprintf(stderr, "fakevk: at most %d --token options\n", SERVER_MAX_TOKENS);
        return -1;
    }
    if (rps) {
        *rps++ = '\0';
        if ((flag = strchr(rps, ':')))
            *flag++ = '\0';
    }
    memset(t, 0, sizeof(*t));
    t->token = a;
    int64_t n = 0;
    if (rps && *rps && (parse_i64(rps, &n) || n < 1 || n > 100000)) {
        fprintf(stderr, "fakevk: --token %s: the rate '%s' must be 1..100000\n", a, rps);
        return -1;
    }
    t->rps = (size_t)n;
    if (flag && strcmp(flag, "member") != 0) {
        fprintf(stderr, "fakevk: --token %s: unknown flag '%s' (member)\n", a, flag);
        return -1;
    }
    t->member = flag != NULL;
    if (!*a) {
        fprintf(stderr, "fakevk: --token must not be empty\n");
        return -1;
    }
    srv->n_tokens++;
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    struct option longopts[N_OPTS + 1];
    for (size_t i = 0; i < N_OPTS; i++) {
        longopts[i].name = opt_table[i].name;
        longopts[i].has_arg = opt_table[i].arg ? required_argument : no_argument;
        longopts[i].flag = NULL;
        longopts[i].val = opt_table[i].id;
    }
    memset(&longopts[N_OPTS], 0, sizeof(longopts[N_OPTS]));

    memset(o, 0, sizeof(*o));
    o->ds.preset = "tiny";
    o->ds.members = -1;
    o->ds.posts = -1;
    o->ds.seed = DS_DEFAULT_SEED;
    o->ds.anchor = DS_DEFAULT_ANCHOR;
    o->srv.rps = 3;
    o->srv.busy_bytes = 65536;
    o->srv.exec_max_bytes = 5000000;
    o->srv.faults.seed = 1;
    o->srv.start_time = (int64_t)time(NULL);

    int c, idx;
    while ((c = getopt_long(argc, argv, "h", longopts, &idx)) != -1) {
        char *a = optarg;
        const struct opt_row *row = c >= O_PORT && c <= O_HELP ? &opt_table[c - O_PORT] : NULL;
        const char *name = row ? row->name : "?";
        if (row && row->kind != K_SPECIAL) {
            if (opt_store(row, a, o))
                return -1;
            continue;
        }
        switch (c) {
        case O_REQUEST_LOG:
            if (!(o->srv.request_log = fopen(a, "a"))) {
                fprintf(stderr, "fakevk: --request-log '%s': %s\n", a, strerror(errno));
                return -1;
            }
            setvbuf(o->srv.request_log, NULL, _IOLBF, 0);
            break;
        case O_TOKEN:
            if (token_option(a, &o->srv))
                return -1;
            break;
        case O_SERVICE_TOKEN:
            o->srv.service_token = *a ? a : NULL;
            break;
        case O_DATASET:
            if (!ds_preset_known(a)) {
                fprintf(stderr, "fakevk: --dataset '%s': use tiny, demo, bench or huge\n", a);
                return -1;
            }
            o->ds.preset = a;
            break;
        case O_TIME:
            if (int_arg(name, a, 0, 32503680000LL, &o->srv.start_time))
                return -1;
            o->have_time = 1;
            break;
        case O_DAILY_QUOTA:
            if (quota_arg(a, &o->srv))
                return -1;
            break;
        case O_FAIL_6_AT:
            if (faults_nth_parse(a, &o->srv.faults)) {
                fprintf(stderr,
                        "fakevk: --fail-6-at '%s': expected request numbers like 3,4,9 "
                        "(at most %d)\n",
                        a, FAULTS_MAX_NTH);
                return -1;
            }
            break;
        case O_HIDDEN_MEMBERS:
            if (id_list_arg(name, a, o->srv.methods.hidden, &o->srv.methods.n_hidden))
                return -1;
            break;
        case O_HOSTILE:
            if (methods_hostile_parse(a, &o->srv.methods.hostile)) {
                fprintf(
                    stderr,
                    "fakevk: --hostile '%s': use huge-count, short-pages, dup-pages, "
                    "shift, control, zero-like, renamed, wall-delete, bad-date, stats-negative, "
                    "stats-future, stats-huge, cut-directory, dup-city or endless-wall, "
                    "comma-separated\n",
                    a);
                return -1;
            }
            break;
        case O_ADMIN_GROUPS:
            if (strcmp(a, "all") == 0)
                o->srv.methods.admin_all = 1;
            else if (id_list_arg(name, a, o->srv.methods.admin, &o->srv.methods.n_admin))
                return -1;
            break;
        case 'h':
        case O_HELP:
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "fakevk: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (o->srv.n_tokens == 0)
        o->srv.tokens[o->srv.n_tokens++] = (struct server_token){"demo-token", 0, 0};
    return 0;
}

/* Writes the port atomically (temporary file + rename), so that readers never see half. */
static int write_port_file(const char *path, int port)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= sizeof(tmp))
        return -1;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int bad = fprintf(f, "%d\n", port) < 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

static void print_dataset_summary(const struct dataset *ds, double ms)
{
    size_t posts = 0, likes = 0, comments = 0, reposts = 0;
    for (size_t g = 0; g < ds->n_groups; g++)
        for (size_t i = 0; i < ds->groups[g].n_posts; i++) {
            const struct ds_post *p = &ds->groups[g].posts[i];
            posts++;
            likes += p->n_likes;
            reposts += p->n_reposts;
            for (uint32_t j = 0; j < p->n_top; j++)
                comments += 1 + p->top[j].n_replies;
        }
    fprintf(stderr,
            "fakevk: dataset %s seed %llu anchor %lld: %zu groups, %zu users, %zu posts, "
            "%zu likes, %zu comments, %zu listed reposts (%.0f ms, %.1f MiB)\n",
            ds->cfg.preset, (unsigned long long)ds->cfg.seed, (long long)ds->cfg.anchor,
            ds->n_groups, ds->n_users, posts, likes, comments, reposts, ms,
            (double)ds->arena.total / (1024.0 * 1024.0));
}

int main(int argc, char **argv)
{
    struct options o;
    struct dataset *ds = NULL;
    struct server *srv = NULL;
    uv_loop_t loop;
    int loop_ok = 0, rc = 1, port = 0;
    char err[256];

    if (parse_options(argc, argv, &o))
        return 2;
    signal(SIGPIPE, SIG_IGN);

    uint64_t t0 = uv_hrtime();
    if (ds_new(&o.ds, &ds, err, sizeof(err))) {
        fprintf(stderr, "fakevk: %s\n", err);
        rc = 2;
        goto out;
    }
    print_dataset_summary(ds, (double)(uv_hrtime() - t0) / 1e6);

    if (o.dump_dir) {
        rc = dump_directory(o.dump_dir) ? 1 : 0;
        goto out;
    }
    if (o.dump || o.counters) {
        rc = (o.dump && dump_expected(ds, &o.srv.methods, o.srv.start_time, o.dump, stderr)) ||
                     (o.counters && dump_counters(ds, o.srv.start_time, o.counters))
                 ? 1
                 : 0;
        goto out;
    }

    if (uv_loop_init(&loop) < 0) {
        fprintf(stderr, "fakevk: cannot create the event loop\n");
        goto out;
    }
    loop_ok = 1;
    if (server_new(&loop, ds, &o.srv, &srv)) {
        fprintf(stderr, "fakevk: out of memory\n");
        goto out;
    }
    if (server_start(srv, o.port, &port, err, sizeof(err))) {
        fprintf(stderr, "fakevk: %s\n", err);
        uv_run(&loop, UV_RUN_DEFAULT); /* finish closing what was opened */
        goto out;
    }
    if (o.port_file && write_port_file(o.port_file, port)) {
        fprintf(stderr, "fakevk: cannot write the port file '%s'\n", o.port_file);
        goto out_stop;
    }
    fprintf(stderr, "fakevk: listening on 127.0.0.1:%d\n", port);
    uv_run(&loop, UV_RUN_DEFAULT);
    rc = 0;
    goto out;
out_stop:
    server_stop(srv);
    uv_run(&loop, UV_RUN_DEFAULT); /* finish closing */
out:
    server_free(srv);
    if (loop_ok && uv_loop_close(&loop) != 0)
        fprintf(stderr, "fakevk: event loop closed with handles still open\n");
    ds_free(ds);
    if (o.srv.request_log)
        fclose(o.srv.request_log);
    return rc;
}
