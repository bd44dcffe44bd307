/* cmd_status.c: `vkpulse status` says what the database holds and how the service stands:
 * the collector, the last and next run, each community's data, the outbox, the alerts in
 * force; as text or as JSON (docs/status.schema.json). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alerts.h"
#include "cli.h"
#include "config.h"
#include "err.h"
#include "jsondoc.h"
#include "store.h"
#include "store_collect.h"
#include "store_region.h"
#include "store_status.h"
#include "vkapi.h"
#include "week.h"

#define STATUS_SCHEMA_VERSION 1

/* ---- the collector: is one running on this database? ------------------------------------ */

/* What `status` knows of the collector. */
struct collector_state {
    long pid;  /* the lock holder, 0 when none */
    int watch; /* it runs `collect --watch` */
};

/* Is the flock of `collect` on the file with this inode held? The kernel's table says so
 * without taking the lock (taking it, even shared, would turn a collector away). */
static int lock_held(const struct stat *sb)
{
    char line[256];
    int held = 0;
    FILE *f = fopen("/proc/locks", "r");
    if (!f)
        return -1;
    while (!held && fgets(line, sizeof line, f)) {
        unsigned maj, min;
        unsigned long long ino;
        char kind[16];
        if (sscanf(line, "%*[^:]: %15s %*s %*s %*d %x:%x:%llu", kind, &maj, &min, &ino) == 4 &&
            strcmp(kind, "FLOCK") == 0 && ino == (unsigned long long)sb->st_ino)
            held = 1;
    }
    fclose(f);
    return held;
}

static void collector_state(const char *db, struct collector_state *cs)
{
    char path[4096], buf[4096];
    struct stat sb;
    ssize_t n;
    int fd;

    memset(cs, 0, sizeof *cs);
    if ((size_t)snprintf(path, sizeof path, "%s.lock", db) >= sizeof path ||
        (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
        return;
    if (fstat(fd, &sb) != 0) {
        close(fd);
        return;
    }
    if ((n = pread(fd, buf, 31, 0)) > 0) {
        buf[n] = '\0';
        cs->pid = strtol(buf, NULL, 10);
    }
    close(fd);
    int held = lock_held(&sb);
    /* Without /proc/locks, a live process with the pid written there is the next best. */
    if (cs->pid <= 0 || held == 0 || (held < 0 && kill((pid_t)cs->pid, 0) != 0 && errno != EPERM)) {
        cs->pid = 0;
        return;
    }
    snprintf(path, sizeof path, "/proc/%ld/cmdline", cs->pid);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
        n = read(fd, buf, sizeof buf - 1);
        close(fd);
        for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1) {
            buf[n] = '\0';
            if (strcmp(buf + i, "--watch") == 0 || strcmp(buf + i, "-w") == 0)
                cs->watch = 1;
        }
    }
}

/* A community's data: current (a complete snapshot within two intervals and an hour),
 * stale (older), never (none yet). */
static const char *data_state(const struct config *cfg, int64_t last_ok, int64_t now)
{
    if (last_ok == 0)
        return "never";
    return now - last_ok <= 2 * (int64_t)cfg->interval + 3600 ? "current" : "stale";
}

/* A community's daily statistics: off ([collect] stats = no), refused (stats.get refused:
 * the token is not an admin of the group, so none are expected), read (days stored), none
 * (not asked yet). */
static const char *stats_state(const struct config *cfg, const struct store_community_info *c)
{
    if (!cfg->collect_stats)
        return "off";
    if (c->stats_denied)
        return "refused";
    return c->stat_days > 0 ? "read" : "none";
}

/* A refusal the collector recorded as a fact: stats.get refused in this run to a token that
 * is not an admin of the group. That is the community's state ("statistics: not an admin"),
 * not a problem; an error retried on the way (VK errors 1, 6, 9, 10) still is one. */
static int expected_refusal(const struct store_run_problem *p)
{
    enum vk_error_class k = vk_error_classify(p->code);
    return p->stats_refused && p->code > 0 && k != VKE_RETRY && k != VKE_FLOOD;
}

/* Times are printed in [region] timezone, with its name or offset ("+05", "UTC"): a time
 * without its zone is a guess for whoever reads it on another machine. */
static void format_time(int64_t t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t == 0 || !localtime_r(&tt, &tm))
        snprintf(buf, len, "never");
    else
        strftime(buf, len, "%Y-%m-%d %H:%M %Z", &tm);
}

/* A run's error line: which community, which method, how often, what VK or the network said. */
static int print_problem(void *ud, const struct store_run_problem *p)
{
    char code[32];
    int *n = ud;
    const char *said = p->message, *colon;
    if (expected_refusal(p))
        return 0;
    /* "VK error 15: Access denied": the code has its column already. */
    if (p->code > 0 && strncmp(said, "VK error ", 9) == 0 && (colon = strstr(said, ": ")))
        said = colon + 2;
    if ((*n)++ == 0)
        printf("refused or failed in the last run, by community and method:\n");
    if (p->code > 0)
        snprintf(code, sizeof code, "VK error %d", p->code);
    else
        snprintf(code, sizeof code, "%s",
                 p->code == -1                      ? "network"
                 : p->code == -2                    ? "malformed answer"
                 : p->code == -3 || p->code == -413 ? "answer too big"
                 : p->code == -4                    ? "count beyond limits"
                 : p->code == -5                    ? "value refused"
                                                    : "HTTP error");
    printf("  %-32s %-18s %-20s %5" PRId64 "x  %s\n", p->ref ? p->ref : "(all groups)", p->method,
           code, p->count, said);
    return 0;
}

/* What print_community needs: the config and status's own "now". */
struct text_communities {
    const struct config *cfg;
    int64_t now;
};

static int print_community(void *ud, const struct store_community_info *c)
{
    const struct text_communities *w = ud;
    const struct config *cfg = w->cfg;
    const char *state = data_state(cfg, c->last_ok_at, w->now);
    char when[32], members[24];
    format_time(c->last_ok_at, when, sizeof when);
    /* A count VK never gave (no complete snapshot yet) is not zero subscribers. */
    if (c->members_count < 0)
        snprintf(members, sizeof members, "n/a");
    else
        snprintf(members, sizeof members, "%" PRId64, c->members_count);
    printf("  %-32s %-9s %-20s %8s %8" PRId64 " %6" PRId64 "%s\n", c->ref, c->kind, when, members,
           c->members_current, c->posts, c->active ? "" : "  (not in config)");
    if (c->name)
        printf("  %-32s %s\n", "", c->name);
    if (strcmp(state, "current") != 0)
        printf("  %-32s data: %s\n", "",
               strcmp(state, "never") == 0 ? "never (no complete run yet)"
                                           : "stale (no complete run for over two intervals)");
    if (strcmp(stats_state(cfg, c), "refused") == 0) {
        format_time(c->stats_denied_at, when, sizeof when);
        printf("  %-32s statistics: not an admin (stats.get refused%s%s; asked again at the next "
               "run)\n",
               "", c->stats_denied_at ? " " : "", c->stats_denied_at ? when : "");
    }
    return 0;
}

/* ---- JSON ------------------------------------------------------------------------------- */

struct json_walk {
    const struct config *cfg;
    cJSON *arr;
    int64_t now;
};

static cJSON *add_str_or_null(cJSON *o, const char *key, const char *v)
{
    return v && v[0] ? cJSON_AddStringToObject(o, key, v) : cJSON_AddNullToObject(o, key);
}

/* A new object at the end of the walk's array; NULL when out of memory. */
static cJSON *json_item(struct json_walk *w)
{
    cJSON *o = cJSON_CreateObject();
    if (o && !cJSON_AddItemToArray(w->arr, o)) {
        cJSON_Delete(o);
        o = NULL;
    }
    return o;
}

static int json_community(void *ud, const struct store_community_info *c)
{
    struct json_walk *w = ud;
    cJSON *o = json_item(w);
    if (!o || !cJSON_AddStringToObject(o, "ref", c->ref) || !add_str_or_null(o, "name", c->name) ||
        !cJSON_AddStringToObject(o, "kind", c->kind) ||
        !(c->vk_id ? cJSON_AddNumberToObject(o, "vk_id", (double)c->vk_id)
                   : cJSON_AddNullToObject(o, "vk_id")) ||
        !cJSON_AddBoolToObject(o, "in_config", c->active) ||
        !cJSON_AddStringToObject(o, "data", data_state(w->cfg, c->last_ok_at, w->now)) ||
        !jsondoc_time(o, "last_complete_at", c->last_ok_at) ||
        !(c->members_count >= 0
              ? cJSON_AddNumberToObject(o, "members_count", (double)c->members_count)
              : cJSON_AddNullToObject(o, "members_count")) ||
        !cJSON_AddNumberToObject(o, "members_stored", (double)c->members_current) ||
        !cJSON_AddNumberToObject(o, "posts", (double)c->posts) ||
        !cJSON_AddStringToObject(o, "statistics", stats_state(w->cfg, c)) ||
        !jsondoc_time(o, "statistics_refused_at", c->stats_denied ? c->stats_denied_at : 0))
        return VKP_ENOMEM;
    return 0;
}

static int json_problem(void *ud, const struct store_run_problem *p)
{
    cJSON *o;
    if (expected_refusal(p))
        return 0;
    if (!(o = json_item(ud)) || !add_str_or_null(o, "community", p->ref) ||
        !cJSON_AddStringToObject(o, "method", p->method) ||
        !cJSON_AddNumberToObject(o, "code", p->code) ||
        !cJSON_AddNumberToObject(o, "count", (double)p->count) ||
        !cJSON_AddStringToObject(o, "message", p->message))
        return VKP_ENOMEM;
    return 0;
}

static int json_alert(void *ud, const struct store_active_alert *a)
{
    const struct json_walk *w = ud;
    char said[512];
    cJSON *o = json_item(ud);
    if (!o || !cJSON_AddStringToObject(o, "rule", a->rule) ||
        !add_str_or_null(o, "community", a->community) ||
        !add_str_or_null(o, "message",
                         alert_stored_text(a->rule, a->details, w->cfg->lang, said, sizeof said)) ||
        !jsondoc_time(o, "started_at", a->started_at) ||
        !jsondoc_time(o, "checked_at", a->checked_at))
        return VKP_ENOMEM;
    return 0;
}

/* Everything status knows, read once for either format. */
struct status {
    struct collector_state collector;
    struct store_run_info run;
    int64_t next_run; /* when the running --watch collector starts its next run, 0: unknown */
    struct store_outbox_state outbox;
    struct store_region_info dir;
};

static int status_json(struct cli *cli, struct store *st, const struct status *s, int64_t now)
{
    cJSON *root = jsondoc_new("vkpulse-status", STATUS_SCHEMA_VERSION, now, cli->cfg->timezone);
    cJSON *o, *arr;
    struct json_walk w = {cli->cfg, NULL, now};
    char msg[512] = "";
    int rc = VKP_ENOMEM;

    if (!root || !(o = cJSON_AddObjectToObject(root, "database")) ||
        !cJSON_AddStringToObject(o, "path", cli->db_path) ||
        !cJSON_AddNumberToObject(o, "schema", store_version(st)))
        goto fail;
    if (!(o = cJSON_AddObjectToObject(root, "collector")) ||
        !cJSON_AddBoolToObject(o, "running", s->collector.pid > 0) ||
        !(s->collector.pid > 0 ? cJSON_AddNumberToObject(o, "pid", (double)s->collector.pid)
                               : cJSON_AddNullToObject(o, "pid")) ||
        !cJSON_AddBoolToObject(o, "watch", s->collector.watch) ||
        !cJSON_AddNumberToObject(o, "interval_s", cli->cfg->interval) ||
        !jsondoc_time(o, "next_run_at", s->next_run))
        goto fail;
    if (s->run.id == 0) {
        if (!cJSON_AddNullToObject(root, "last_run"))
            goto fail;
    } else {
        if (!(o = cJSON_AddObjectToObject(root, "last_run")) ||
            !cJSON_AddNumberToObject(o, "id", (double)s->run.id) ||
            !cJSON_AddStringToObject(o, "status", s->run.status) ||
            !jsondoc_time(o, "started_at", s->run.started_at) ||
            !jsondoc_time(o, "finished_at", s->run.finished_at) ||
            !cJSON_AddNumberToObject(o, "requests", (double)s->run.requests) ||
            !cJSON_AddNumberToObject(o, "calls", (double)s->run.calls) ||
            !(w.arr = cJSON_AddArrayToObject(o, "problems")))
            goto fail;
        if ((rc = store_each_run_problem(st, s->run.id, msg, sizeof msg, json_problem, &w)) != 0)
            goto fail;
        rc = VKP_ENOMEM;
        if (!add_str_or_null(o, "why", msg))
            goto fail;
    }
    if (!(w.arr = cJSON_AddArrayToObject(root, "communities")) ||
        (rc = store_each_community(st, json_community, &w)) != 0)
        goto fail;
    rc = VKP_ENOMEM;
    if (!(o = cJSON_AddObjectToObject(root, "outbox")) ||
        !cJSON_AddNumberToObject(o, "pending", (double)s->outbox.pending) ||
        !cJSON_AddNumberToObject(o, "failed", (double)s->outbox.failed) ||
        !jsondoc_time(o, "oldest_at", s->outbox.oldest) ||
        !add_str_or_null(o, "last_error", s->outbox.last_error))
        goto fail;
    if (!(w.arr = cJSON_AddArrayToObject(root, "alerts")) ||
        (rc = store_each_active_alert(st, json_alert, &w)) != 0)
        goto fail;
    rc = VKP_ENOMEM;
    if (!s->dir.synced_at) {
        if (!cJSON_AddNullToObject(root, "city_directory"))
            goto fail;
    } else if (!(o = cJSON_AddObjectToObject(root, "city_directory")) ||
               !cJSON_AddNumberToObject(o, "region_id", (double)s->dir.region_id) ||
               !cJSON_AddStringToObject(o, "region", s->dir.region_title) ||
               !cJSON_AddNumberToObject(o, "cities", (double)s->dir.cities) ||
               !cJSON_AddNumberToObject(o, "mapped", (double)s->dir.mapped) ||
               !jsondoc_time(o, "synced_at", s->dir.synced_at)) {
        goto fail;
    }
    if (!(arr = cJSON_AddObjectToObject(root, "rows")))
        goto fail;
    const char *const *names = store_table_names();
    for (int i = 0; names[i]; i++) {
        int64_t n = 0;
        if ((rc = store_count_rows(st, i, &n)) != 0)
            goto fail;
        rc = VKP_ENOMEM;
        if (!cJSON_AddNumberToObject(arr, names[i], (double)n))
            goto fail;
    }
    return jsondoc_emit(root, stdout);
fail:
    cJSON_Delete(root);
    return rc;
}

/* ---- text ------------------------------------------------------------------------------- */

struct text_walk {
    const char *lang;
    int n;
};

static int print_alert(void *ud, const struct store_active_alert *a)
{
    char when[32], checked[32], buf[512];
    struct text_walk *w = ud;
    const char *said = alert_stored_text(a->rule, a->details, w->lang, buf, sizeof buf);
    format_time(a->started_at, when, sizeof when);
    format_time(a->checked_at, checked, sizeof checked);
    if (w->n++ == 0)
        printf("\nalerts in force:\n");
    /* When it was last found true: the list is as old as the last 'alerts' or run. */
    printf("  %-12s %-32s since %s, checked %s\n", a->rule,
           a->community ? a->community : "(network)", when, checked);
    if (said)
        printf("               %s\n", said);
    return 0;
}

static int status_text(struct cli *cli, struct store *st, const struct status *s, int64_t now)
{
    char when[32];
    struct text_walk tw = {cli->cfg->lang, 0};
    int rc;

    printf("database %s (schema %d)\n", cli->db_path, store_version(st));
    if (s->collector.pid > 0) {
        printf("collector: running (pid %ld%s)", s->collector.pid,
               s->collector.watch ? ", collect --watch" : "");
        if (s->next_run) {
            format_time(s->next_run, when, sizeof when);
            printf(", next run %s", when);
        }
        printf("\n");
    } else {
        printf("collector: not running\n");
    }
    printf("\n  %-32s %-9s %-20s %8s %8s %6s\n", "community", "kind", "last complete", "members",
           "stored", "posts");
    struct text_communities tc = {cli->cfg, now};
    if ((rc = store_each_community(st, print_community, &tc)) != 0)
        return rc;
    if (s->run.id == 0) {
        printf("\nno collection run yet: run 'vkpulse collect --once'\n");
    } else {
        format_time(s->run.started_at, when, sizeof when);
        printf("\nlast run #%" PRId64 ": %s, started %s, %" PRId64 " requests, %" PRId64 " calls\n",
               s->run.id, s->run.status, when, s->run.requests, s->run.calls);
        char msg[512];
        int nproblems = 0;
        if ((rc = store_each_run_problem(st, s->run.id, msg, sizeof msg, print_problem,
                                         &nproblems)) != 0)
            return rc;
        if (msg[0])
            printf("why %s: %s\n", s->run.status, msg);
    }
    if (s->outbox.pending > 0) {
        format_time(s->outbox.oldest, when, sizeof when);
        printf("\noutbox: %" PRId64 " message(s) waiting since %s", s->outbox.pending, when);
        if (s->outbox.failed > 0)
            printf(", %" PRId64 " failed so far (last: %s)", s->outbox.failed,
                   s->outbox.last_error);
        printf("\n");
    } else {
        printf("\noutbox: empty\n");
    }
    if ((rc = store_each_active_alert(st, print_alert, &tw)) != 0)
        return rc;
    if (tw.n == 0)
        printf("\nno alert in force\n");
    if (s->dir.synced_at) {
        format_time(s->dir.synced_at, when, sizeof when);
        printf("\ncity directory of %s (VK region %" PRId64 "): %" PRId64 " localities, %" PRId64
               " mapped to a municipality, synced %s\n",
               s->dir.region_title, s->dir.region_id, s->dir.cities, s->dir.mapped, when);
    } else {
        printf("\nno city directory: run 'vkpulse region sync' (members are attributed by city "
               "title until then)\n");
    }
    printf("\nrows:\n");
    const char *const *names = store_table_names();
    for (int i = 0; names[i]; i++) {
        int64_t rows = 0;
        if ((rc = store_count_rows(st, i, &rows)) != 0)
            return rc;
        printf("  %-16s %10" PRId64 "\n", names[i], rows);
    }
    return 0;
}

/* The options of `vkpulse status`, also checked by main before the config is read. */
const struct option cmd_status_opts[] = {{"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
const char cmd_status_shorts[] = "f:";

int cmd_status(struct cli *cli, int argc, char **argv)
{
    struct store *st = NULL;
    struct status s;
    char err[1024];
    int rc, c, json = 0;
    int64_t now = (int64_t)time(NULL);

    while ((c = getopt_long(argc, argv, cmd_status_shorts, cmd_status_opts, NULL)) != -1) {
        if (c != 'f')
            return cli_option_error("status", cmd_status_opts, cmd_status_shorts, argv);
        if (strcmp(optarg, "json") == 0)
            json = 1;
        else if (strcmp(optarg, "text") != 0)
            return cli_usage_error("status", "--format '%s': use text or json", optarg);
    }
    if (optind < argc)
        return cli_usage_error("status", "unexpected argument '%s'", argv[optind]);
    if ((rc = week_zone_set(cli->cfg->timezone, err, sizeof err)) != 0)
        return cli_fail(rc, "%s", err);
    rc = cli_store_open(cli, &st, err, sizeof err);
    if (rc != 0)
        return cli_fail(rc, "%s", err);
    memset(&s, 0, sizeof s);
    collector_state(cli->db_path, &s.collector);
    if ((rc = store_last_run(st, &s.run)) != 0 || (rc = store_outbox_state(st, &s.outbox)) != 0 ||
        (rc = store_region_info(st, &s.dir)) != 0)
        goto fail;
    /* A --watch collector starts its next run an interval after the last one began. */
    if (s.collector.watch && s.run.id && strcmp(s.run.status, "running") != 0)
        s.next_run = s.run.started_at + cli->cfg->interval;
    rc = json ? status_json(cli, st, &s, now) : status_text(cli, st, &s, now);
    if (rc == VKP_ENOMEM || rc == VKP_EIO) {
        rc = cli_fail(rc, "cannot write the status: %s", vkp_strerror(rc));
        goto out;
    }
    if (rc == 0) {
        rc = EXIT_OK_;
        goto out;
    }
fail:
    rc = cli_store_fail(st, rc, NULL);
out:
    store_free(st);
    return rc;
}
