/* cmd_status.c: `vkpulse status` prints what the database holds. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "config.h"
#include "err.h"
#include "store.h"
#include "store_region.h"
#include "week.h"

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

static int print_community(void *ud, const struct store_community_info *c)
{
    char when[32], members[24];
    (void)ud;
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
    return 0;
}

int cmd_status(struct cli *cli, int argc, char **argv)
{
    struct store *st = NULL;
    struct store_run_info run;
    char err[1024], when[32];
    int rc;

    if (argc > 1)
        return cli_usage_error("status", "unexpected argument '%s'", argv[1]);
    if ((rc = week_zone_set(cli->cfg->timezone, err, sizeof err)) != 0)
        return cli_fail(rc, "%s", err);
    rc = cli_store_open(cli, &st, err, sizeof err);
    if (rc != 0)
        return cli_fail(rc, "%s", err);
    printf("database %s (schema %d)\n\n", cli->db_path, store_version(st));
    printf("  %-32s %-9s %-20s %8s %8s %6s\n", "community", "kind", "last complete", "members",
           "stored", "posts");
    if ((rc = store_each_community(st, print_community, NULL)) != 0)
        goto fail;
    if ((rc = store_last_run(st, &run)) != 0)
        goto fail;
    if (run.id == 0) {
        printf("\nno collection run yet: run 'vkpulse collect --once'\n");
    } else {
        format_time(run.started_at, when, sizeof when);
        printf("\nlast run #%" PRId64 ": %s, started %s, %" PRId64 " requests, %" PRId64 " calls\n",
               run.id, run.status, when, run.requests, run.calls);
        char msg[512];
        int nproblems = 0;
        if ((rc = store_each_run_problem(st, run.id, msg, sizeof msg, print_problem, &nproblems)) !=
            0)
            goto fail;
        if (msg[0])
            printf("why %s: %s\n", run.status, msg);
    }
    struct store_region_info dir;
    if ((rc = store_region_info(st, &dir)) != 0)
        goto fail;
    if (dir.synced_at) {
        format_time(dir.synced_at, when, sizeof when);
        printf("\ncity directory of %s (VK region %" PRId64 "): %" PRId64 " localities, %" PRId64
               " mapped to a municipality, synced %s\n",
               dir.region_title, dir.region_id, dir.cities, dir.mapped, when);
    } else {
        printf("\nno city directory: run 'vkpulse region sync' (members are attributed by city "
               "title until then)\n");
    }
    printf("\nrows:\n");
    const char *const *names = store_table_names();
    for (int i = 0; names[i]; i++) {
        int64_t n = 0;
        if ((rc = store_count_rows(st, i, &n)) != 0)
            goto fail;
        printf("  %-16s %10" PRId64 "\n", names[i], n);
    }
    store_free(st);
    return EXIT_OK_;
fail:
    rc = cli_fail(rc, "%s", store_errmsg(st));
    store_free(st);
    return rc;
}
