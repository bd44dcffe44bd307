/* test_deliver.c: cmocka tests of alert delivery (alerts/deliver.c) against a webhook
 * receiver and an SMTP sink that the tests start on 127.0.0.1 (tests/receivers): payloads
 * as documented; a receiver that is down or failing gets the message later from the
 * outbox, once, in order; secrets never reach the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alerts.h"
#include "config.h"
#include "dbfixture.h"
#include "deliver.h"
#include "err.h"
#include "service.h"
#include "store.h"
#include "store_outbox.h"

extern char **environ;

#define T0 1790000000
#define DAY 86400

/* ---- receivers -------------------------------------------------------------------------- */

/* One receiver process. */
struct rx {
    pid_t pid;
    int port;
    char out[256]; /* its record file */
};

/* Starts tests/receivers/<prog> on `port` (0: any) with one extra option pair. */
static void rx_start(struct rx *r, const char *dir, const char *prog, int port, const char *opt,
                     const char *val)
{
    const char *build = getenv("VKP_BUILD");
    char path[PATH_MAX], pf[300], portarg[16];
    char *argv[12];
    int n = 0;

    if (!build)
        fail_msg("VKP_BUILD is not set (run through ctest)");
    snprintf(path, sizeof path, "%s/tests/receivers/%s", build, prog);
    snprintf(pf, sizeof pf, "%s/%s.port", dir, prog);
    snprintf(r->out, sizeof r->out, "%s/%s.out", dir, prog);
    snprintf(portarg, sizeof portarg, "%d", port);
    unlink(pf);
    argv[n++] = path;
    argv[n++] = (char *)"--port";
    argv[n++] = portarg;
    argv[n++] = (char *)"--port-file";
    argv[n++] = pf;
    argv[n++] = (char *)"--out";
    argv[n++] = r->out;
    if (opt) {
        argv[n++] = (char *)opt;
        argv[n++] = (char *)val;
    }
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&r->pid, path, &fa, NULL, argv, environ) != 0)
        fail_msg("cannot start %s", path);
    posix_spawn_file_actions_destroy(&fa);
    /* A handshake: the port file, or the receiver's end; 30000 x 10 ms is a hang detector,
     * not a start-up time a busy machine could exceed. */
    for (int i = 0; i < 30000; i++) {
        FILE *f = fopen(pf, "r");
        if (f) {
            int ok = fscanf(f, "%d", &r->port) == 1;
            fclose(f);
            if (ok)
                return;
        }
        if (waitpid(r->pid, NULL, WNOHANG) == r->pid) {
            r->pid = 0;
            fail_msg("%s ended before listening", prog);
        }
        usleep(10000);
    }
    fail_msg("%s did not start in 300 s", prog);
}

static void rx_stop(struct rx *r)
{
    if (r->pid > 0) {
        kill(r->pid, SIGTERM);
        waitpid(r->pid, NULL, 0);
        r->pid = 0;
    }
}

/* Lines of the record file (0 when it does not exist). */
static int lines_of(const char *path)
{
    FILE *f = fopen(path, "r");
    int n = 0, c;
    if (!f)
        return 0;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

/* The whole record file, heap allocated. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    size_t len = 0;
    if (!f)
        return strdup("");
    FILE *m = open_memstream(&buf, &len);
    int c;
    while ((c = fgetc(f)) != EOF)
        fputc(c, m);
    fclose(m);
    fclose(f);
    return buf;
}

/* ---- fixture ----------------------------------------------------------------------------- */

struct fixture {
    struct dbfix d;
    char log[256]; /* stderr of the code under test */
    struct rx hook, smtp;
    int saved_stderr;
};

/* The config: UTC, Russian, community one, only no_posts, short retry ceiling, channels. */
static void load_config(struct fixture *fx, const char *channels)
{
    char text[4096];
    snprintf(text, sizeof text,
             "[region]\ntimezone = UTC\nlang = ru\n"
             "[alerts]\nno_posts_days = 14\nno_reactions_days = 0\nmembers_drop_percent = 0\n"
             "engagement_factor = 0\nstale_hours = 0\nfailed_runs = 0\nretry_max_minutes = 10\n"
             "[community]\ngroup = one\nkind = rmo\nsurvey_name = One\n%s",
             channels);
    dbfix_config(&fx->d, text);
}

#define sql(fx, q) dbfix_sql(&(fx)->d, "%s", (q))
#define count(fx, q) dbfix_count(&(fx)->d, (q))

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);

    if (!fx)
        return -1;
    *state = fx;
    if (dbfix_open(&fx->d, "test_deliver",
                   "[community]\ngroup = one\nkind = rmo\nsurvey_name = One\n") != 0)
        return -1;
    snprintf(fx->log, sizeof fx->log, "%s/stderr.log", fx->d.dir);
    /* Community one has been quiet for 30 days: no_posts holds. */
    sql(fx, "INSERT INTO run (id, started_at, status) VALUES (1, 1790000000, 'ok');"
            "INSERT INTO snapshot (run_id, community_id, taken_at, members_count, members_ok,"
            " wall_ok, details_ok) VALUES (1, 1, 1790000000, 10, 1, 1, 1);"
            "INSERT INTO post (owner_id, id, community_id, from_id, date, first_run)"
            " VALUES (-5, 1, 1, -5, 1787408000, 1)");
    /* Everything the code under test logs goes to a file the tests read. */
    fflush(stderr);
    fx->saved_stderr = dup(2);
    int fd = open(fx->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    fflush(stderr);
    dup2(fx->saved_stderr, 2);
    close(fx->saved_stderr);
    rx_stop(&fx->hook);
    rx_stop(&fx->smtp);
    dbfix_close(&fx->d);
    free(fx);
    return 0;
}

static void evaluate(struct fixture *fx, int64_t now, int64_t queued)
{
    struct alert_report r;
    char err[1024];
    if (alerts_evaluate(fx->d.st, fx->d.cfg, now, &r, err, sizeof err) != 0)
        fail_msg("alerts_evaluate: %s", err);
    assert_int_equal(r.queued, queued);
    alert_report_release(&r);
}

static struct deliver_stats deliver(struct fixture *fx, int64_t now)
{
    struct deliver_stats ds;
    assert_int_equal(deliver_pending(fx->d.st, fx->d.cfg, now, NULL, &ds), 0);
    return ds;
}

/* deliver_pending with stdout channels writing to dir/stdout.txt (emptied first), whose
 * path goes to path. */
static struct deliver_stats deliver_to_file(struct fixture *fx, int64_t now, char *path, size_t len)
{
    struct deliver_stats ds;
    snprintf(path, len, "%s/stdout.txt", fx->d.dir);
    FILE *sink = fopen(path, "w+");
    assert_non_null(sink);
    struct deliver_options opt = {.stdout_sink = sink};
    assert_int_equal(deliver_pending(fx->d.st, fx->d.cfg, now, &opt, &ds), 0);
    fclose(sink);
    return ds;
}

/* The condition ends: a new post and a complete read. */
static void resolve(struct fixture *fx)
{
    sql(fx, "INSERT INTO post (owner_id, id, community_id, from_id, date, first_run)"
            " VALUES (-5, 2, 1, -5, 1790050000, 2);"
            "INSERT INTO run (id, started_at, status) VALUES (2, 1790060000, 'ok');"
            "INSERT INTO snapshot (run_id, community_id, taken_at, members_count, members_ok,"
            " wall_ok, details_ok) VALUES (2, 1, 1790060000, 10, 1, 1, 1)");
}

/* The stderr of the code under test holds none of the secrets. */
static void no_secret_logged(struct fixture *fx)
{
    fflush(stderr);
    char *log = slurp(fx->log);
    if (strstr(log, "SECRET") || strstr(log, "/hook/"))
        fail_msg("a secret reached the log: %s", log);
    free(log);
}

/* ---- webhook ------------------------------------------------------------------------------------
 */

static void test_deliver_webhook_payloads(void **state)
{
    struct fixture *fx = *state;
    char ch[1024];

    rx_start(&fx->hook, fx->d.dir, "webhook_rx", 0, NULL, NULL);
    snprintf(ch, sizeof ch,
             "[channel]\ntype = webhook\nurl = http://127.0.0.1:%d/hook/SECRET1\nlang = en\n"
             "[channel]\ntype = webhook\nformat = slack\nurl = http://127.0.0.1:%d/hook/SECRET2\n"
             "[channel]\ntype = webhook\nformat = telegram\nchat_id = -100200300\n"
             "url = http://127.0.0.1:%d/botSECRET3/sendMessage\n",
             fx->hook.port, fx->hook.port, fx->hook.port);
    load_config(fx, ch);
    evaluate(fx, T0 + 60, 3);
    struct deliver_stats ds = deliver(fx, T0 + 60);
    assert_int_equal(ds.sent, 3);
    assert_int_equal(ds.failed, 0);
    assert_int_equal(lines_of(fx->hook.out), 3);

    char *all = slurp(fx->hook.out);
    char *line2 = strchr(all, '\n') + 1, *line3 = strchr(line2, '\n') + 1;
    line2[-1] = line3[-1] = '\0';
    /* 1: the documented JSON payload, in English. */
    cJSON *o = cJSON_Parse(all);
    assert_non_null(o);
    assert_string_equal(cJSON_GetObjectItem(o, "source")->valuestring, "vkpulse");
    assert_int_equal(cJSON_GetObjectItem(o, "version")->valueint, 1);
    assert_string_equal(cJSON_GetObjectItem(o, "event")->valuestring, "start");
    assert_string_equal(cJSON_GetObjectItem(o, "lang")->valuestring, "en");
    cJSON *a = cJSON_GetObjectItem(o, "alert");
    assert_string_equal(cJSON_GetObjectItem(a, "rule")->valuestring, "no_posts");
    assert_string_equal(cJSON_GetObjectItem(a, "state")->valuestring, "new");
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(a, "community"), "ref")->valuestring, "one");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "figures"), "days")->valueint, 30);
    assert_string_equal(cJSON_GetObjectItem(a, "started_at")->valuestring,
                        "2026-09-21T14:14:20+00:00");
    assert_non_null(
        strstr(cJSON_GetObjectItem(o, "text")->valuestring, "no new posts for 30 days"));
    cJSON_Delete(o);
    /* 2: Slack/Mattermost: only text, in the region's language (ru). */
    o = cJSON_Parse(line2);
    assert_non_null(o);
    assert_int_equal(cJSON_GetArraySize(o), 1);
    assert_non_null(
        strstr(cJSON_GetObjectItem(o, "text")->valuestring, "нет новых публикаций 30 дней"));
    cJSON_Delete(o);
    /* 3: Telegram sendMessage: a numeric chat_id and the text. */
    o = cJSON_Parse(line3);
    assert_non_null(o);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(o, "chat_id")));
    assert_int_equal((long long)cJSON_GetObjectItem(o, "chat_id")->valuedouble, -100200300LL);
    assert_non_null(strstr(cJSON_GetObjectItem(o, "text")->valuestring, "«one»"));
    cJSON_Delete(o);
    free(all);
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox WHERE delivered_at IS NULL"), 0);
    no_secret_logged(fx);
}

static void test_deliver_webhook_down_then_back(void **state)
{
    struct fixture *fx = *state;
    char ch[512];

    /* Learn a free port, then take the receiver down. */
    rx_start(&fx->hook, fx->d.dir, "webhook_rx", 0, NULL, NULL);
    int port = fx->hook.port;
    rx_stop(&fx->hook);
    snprintf(ch, sizeof ch, "[channel]\ntype = webhook\nurl = http://127.0.0.1:%d/hook/SECRET\n",
             port);
    load_config(fx, ch);
    evaluate(fx, T0, 1);

    struct deliver_stats ds = deliver(fx, T0);
    assert_int_equal(ds.sent, 0);
    assert_int_equal(ds.failed, 1);
    assert_int_equal(count(fx, "SELECT attempts FROM outbox"), 1);
    assert_int_equal(count(fx, "SELECT next_attempt FROM outbox"), T0 + DELIVER_RETRY_FIRST);
    /* Not due yet: no attempt. */
    ds = deliver(fx, T0 + 30);
    assert_int_equal(ds.sent + ds.failed, 0);

    /* Back, but answering 500: still kept, the wait doubles. */
    rx_start(&fx->hook, fx->d.dir, "webhook_rx", port, "--status", "500");
    ds = deliver(fx, T0 + 60);
    assert_int_equal(ds.failed, 1);
    assert_int_equal(count(fx, "SELECT next_attempt FROM outbox"), T0 + 60 + 120);
    assert_int_equal(lines_of(fx->hook.out), 0);
    rx_stop(&fx->hook);

    /* Meanwhile the condition ends: its end waits behind its start. */
    resolve(fx);
    evaluate(fx, T0 + 100, 1);
    ds = deliver(fx, T0 + 100);
    assert_int_equal(ds.sent + ds.failed, 0);

    /* Healthy again: both go, in order, once. */
    rx_start(&fx->hook, fx->d.dir, "webhook_rx", port, NULL, NULL);
    ds = deliver(fx, T0 + 1000);
    assert_int_equal(ds.sent, 2);
    assert_int_equal(ds.failed, 0);
    assert_int_equal(lines_of(fx->hook.out), 2);
    char *all = slurp(fx->hook.out);
    char *start = strstr(all, "\"event\":\"start\""), *end = strstr(all, "\"event\":\"end\"");
    assert_non_null(start);
    assert_non_null(end);
    assert_true(start < end);
    free(all);
    for (int i = 0; i < 5; i++) {
        ds = deliver(fx, T0 + 100000 + i * 10000);
        assert_int_equal(ds.sent + ds.failed, 0);
    }
    assert_int_equal(lines_of(fx->hook.out), 2);
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox WHERE delivered_at IS NULL"), 0);
    assert_int_equal(count(fx, "SELECT max(attempts) FROM outbox"), 3);
    no_secret_logged(fx);
    /* The log names the channel by index and type. */
    char *log = slurp(fx->log);
    assert_non_null(strstr(log, "channel 1 (webhook): delivery of message 1 failed"));
    free(log);
}

static void test_deliver_backoff_ceiling(void **state)
{
    struct fixture *fx = *state;
    char ch[512];

    rx_start(&fx->hook, fx->d.dir, "webhook_rx", 0, "--status", "503");
    snprintf(ch, sizeof ch, "[channel]\ntype = webhook\nurl = http://127.0.0.1:%d/hook/x\n",
             fx->hook.port);
    load_config(fx, ch); /* retry_max_minutes = 10 */
    evaluate(fx, T0, 1);
    int64_t now = T0;
    const int64_t waits[] = {60, 120, 240, 480, 600, 600};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(deliver(fx, now).failed, 1);
        assert_int_equal(count(fx, "SELECT next_attempt FROM outbox"), now + waits[i]);
        now += waits[i];
    }
    char *why = NULL;
    sqlite3_stmt *s;
    sqlite3_prepare_v2(fx->d.w, "SELECT last_error FROM outbox", -1, &s, NULL);
    if (sqlite3_step(s) == SQLITE_ROW)
        why = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    assert_non_null(why);
    assert_string_equal(why, "the receiver answered HTTP 503");
    free(why);
}

/* ---- email
 * --------------------------------------------------------------------------------------- */

static void test_deliver_email(void **state)
{
    struct fixture *fx = *state;
    char ch[512];

    rx_start(&fx->smtp, fx->d.dir, "smtp_sink", 0, "--fail-data", "451");
    int port = fx->smtp.port;
    snprintf(ch, sizeof ch,
             "[channel]\ntype = email\nsmtp_url = smtp://127.0.0.1:%d\n"
             "from = vkpulse@example.org\nto = a@example.org, b@example.org\n"
             "user = robot\npassword = SECRETPASS\n",
             port);
    load_config(fx, ch);
    evaluate(fx, T0, 1);
    struct deliver_stats ds = deliver(fx, T0);
    assert_int_equal(ds.failed, 1);
    assert_int_equal(lines_of(fx->smtp.out), 0);
    rx_stop(&fx->smtp);

    rx_start(&fx->smtp, fx->d.dir, "smtp_sink", port, NULL, NULL);
    ds = deliver(fx, T0 + 3600);
    assert_int_equal(ds.sent, 1);
    ds = deliver(fx, T0 + 7200);
    assert_int_equal(ds.sent, 0);
    char *mail = slurp(fx->smtp.out);
    assert_non_null(strstr(mail, "AUTH done\n"));
    assert_non_null(strstr(mail, "MAIL FROM:<vkpulse@example.org>\n"));
    assert_non_null(strstr(mail, "RCPT TO:<a@example.org>\nRCPT TO:<b@example.org>\n"));
    assert_non_null(strstr(mail, "Subject: =?UTF-8?B?"));
    assert_non_null(strstr(mail, "Content-Type: text/plain; charset=UTF-8\n"));
    assert_non_null(strstr(mail, "Message-ID: <vkpulse.1."));
    assert_non_null(strstr(mail, "«one»: нет новых публикаций 30 дней"));
    /* One message, whatever the retries. */
    char *second = strstr(mail, "MAIL FROM:");
    assert_null(strstr(second + 1, "MAIL FROM:"));
    free(mail);
    no_secret_logged(fx);
}

static void test_deliver_email_needs_tls_elsewhere(void **state)
{
    struct fixture *fx = *state;
    /* smtp:// off loopback is accepted by the config but must upgrade with STARTTLS;
     * smtp URLs over http are refused outright. */
    load_config(fx, "[channel]\ntype = email\nsmtp_url = smtp://mail.example.org:587\n"
                    "from = a@example.org\nto = b@example.org\n");
    assert_int_equal(fx->d.cfg->nchannels, 1);
    char err[512];
    struct config *bad = NULL;
    FILE *f = fopen(fx->d.ini, "a");
    fprintf(f, "[channel]\ntype = email\nsmtp_url = http://mail.example.org\nfrom = a@b.c\nto = "
               "d@e.f\n");
    fclose(f);
    assert_int_equal(config_load(fx->d.ini, &bad, err, sizeof err), VKP_ECONFIG);
    assert_non_null(
        strstr(err, "smtp_url 'http://mail.example.org' must start with smtps:// or smtp://"));
}

/* ---- outbox -------------------------------------------------------------------------------------
 */

static void test_deliver_stdout_and_orphans(void **state)
{
    struct fixture *fx = *state;
    char path[300];

    load_config(fx, "[channel]\ntype = stdout\n[channel]\ntype = webhook\n"
                    "url = https://hooks.example.org/SECRET\n");
    evaluate(fx, T0, 2);
    /* The webhook is taken out of the config before anything was sent. */
    load_config(fx, "[channel]\ntype = stdout\nlang = en\n");
    struct deliver_stats ds = deliver_to_file(fx, T0, path, sizeof path);
    assert_int_equal(ds.sent, 1);
    assert_int_equal(ds.orphaned, 1);
    char *out = slurp(path);
    /* Queued in Russian (the language when queued), one line. */
    assert_non_null(
        strstr(out, "vkpulse: нет новых публикаций: «one»: нет новых публикаций 30 дней"));
    assert_int_equal(lines_of(path), 1);
    free(out);
    /* Kept, not lost, and still pending. */
    int64_t pending, oldest;
    assert_int_equal(store_outbox_pending(fx->d.st, &pending, &oldest), 0);
    assert_int_equal(pending, 1);
    assert_int_equal(oldest, T0);
    no_secret_logged(fx);
}

static void test_deliver_lease(void **state)
{
    struct fixture *fx = *state;
    struct store *other = NULL;
    struct store_outbox_row row;
    char err[512];
    int found;

    load_config(fx, "[channel]\ntype = stdout\n");
    evaluate(fx, T0, 1);
    assert_int_equal(store_outbox_claim(fx->d.st, T0, T0 + 300, &row, &found), 0);
    assert_int_equal(found, 1);
    assert_int_equal(row.attempts, 0);
    free(row.payload);
    /* Another process (connection) does not get it while the lease lasts... */
    assert_int_equal(store_open(fx->d.db, STORE_EXISTING, &other, err, sizeof err), 0);
    assert_int_equal(store_outbox_claim(other, T0 + 299, T0 + 600, &row, &found), 0);
    assert_int_equal(found, 0);
    /* ...and does when a sender died without an answer. */
    assert_int_equal(store_outbox_claim(other, T0 + 300, T0 + 600, &row, &found), 0);
    assert_int_equal(found, 1);
    assert_int_equal(row.attempts, 1);
    free(row.payload);
    store_free(other);
}

/* A payload for deliver_queue: the same small JSON whatever the language. */
static char *small_payload(void *ud, const char *lang)
{
    (void)ud;
    (void)lang;
    return strdup("{\"source\":\"vkpulse\",\"title\":\"t\",\"text\":\"x\"}");
}

/* A channel that never works does not grow the outbox without end: beyond
 * DELIVER_OUTBOX_MAX undelivered messages its oldest go, and the log says so. */
static void test_deliver_outbox_cap(void **state)
{
    struct fixture *fx = *state;
    int64_t queued = 0;

    load_config(fx, "[channel]\ntype = webhook\nurl = http://127.0.0.1:9/hook/SECRET\n"
                    "[channel]\ntype = stdout\n");
    for (int i = 0; i < DELIVER_OUTBOX_MAX + 5; i++)
        assert_int_equal(
            deliver_queue(fx->d.st, fx->d.cfg, "start", 0, small_payload, NULL, T0 + i, &queued),
            0);
    assert_int_equal(queued, 2 * (DELIVER_OUTBOX_MAX + 5));
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox WHERE channel = 1"),
                     DELIVER_OUTBOX_MAX);
    assert_int_equal(count(fx, "SELECT min(created_at) FROM outbox WHERE channel = 1"), T0 + 5);
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox WHERE channel = 2"),
                     DELIVER_OUTBOX_MAX);
    fflush(stderr);
    char *log = slurp(fx->log);
    assert_non_null(strstr(log, "error: channel 1 (webhook): 500 messages wait for it, the most "
                                "the outbox keeps: dropped the 1 oldest, queued 2026-"));
    free(log);
    no_secret_logged(fx);
}

/* A webhook whose URL was changed gets the messages queued for the old one: they follow
 * the channel as configured now instead of waiting for ever. */
static void test_deliver_changed_url_follows(void **state)
{
    struct fixture *fx = *state;
    char ch[512];

    load_config(fx, "[channel]\ntype = webhook\nurl = http://127.0.0.1:9/hook/OLDSECRET\n"
                    "[channel]\ntype = stdout\n");
    evaluate(fx, T0, 2);
    rx_start(&fx->hook, fx->d.dir, "webhook_rx", 0, NULL, NULL);
    snprintf(ch, sizeof ch,
             "[channel]\ntype = webhook\nurl = http://127.0.0.1:%d/hook/SECRET\n"
             "[channel]\ntype = stdout\n",
             fx->hook.port);
    load_config(fx, ch);
    char path[300];
    struct deliver_stats ds = deliver_to_file(fx, T0, path, sizeof path);
    assert_int_equal(ds.sent, 2);
    assert_int_equal(ds.orphaned, 0);
    assert_int_equal(lines_of(fx->hook.out), 1);
    assert_int_equal(count(fx, "SELECT count(*) FROM outbox WHERE delivered_at IS NULL"), 0);
    /* A channel of another type at that place is not the same channel: the webhook's
     * message is kept (orphaned), the stdout one found by its signature. */
    int64_t queued = 0;
    assert_int_equal(
        deliver_queue(fx->d.st, fx->d.cfg, "start", 0, small_payload, NULL, T0 + 60, &queued), 0);
    load_config(fx, "[channel]\ntype = stdout\n");
    ds = deliver_to_file(fx, T0 + 60, path, sizeof path);
    assert_int_equal(ds.sent, 1);
    assert_int_equal(ds.orphaned, 1);
    no_secret_logged(fx);
}

/*
 * A receiver slower than the channel's timeout: a child process that takes two
 * connections in turn and appends each request's Idempotency-Key header line to out;
 * it answers the first only once the client has given up (read returns 0), the second
 * at once. Sets *port; returns the child's pid.
 */
static pid_t slow_receiver(const char *out, int *port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    int s = socket(AF_INET, SOCK_STREAM, 0);

    assert_true(s >= 0);
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(s, 4), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &alen), 0);
    *port = ntohs(a.sin_port);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid > 0) {
        close(s);
        return pid;
    }
    for (int k = 0; k < 2; k++) {
        char buf[65536];
        size_t n = 0;
        ssize_t r;
        int c = accept(s, NULL, NULL);
        if (c < 0)
            _exit(1);
        while (n < sizeof buf - 1 && (r = read(c, buf + n, sizeof buf - 1 - n)) > 0) {
            n += (size_t)r;
            buf[n] = '\0';
            if (strstr(buf, "\r\n\r\n"))
                break;
        }
        char *key = strstr(buf, "\r\nIdempotency-Key:");
        FILE *f = fopen(out, "a");
        if (f) {
            fprintf(f, "%.*s\n", key ? (int)strcspn(key + 2, "\r") : 4, key ? key + 2 : "none");
            fclose(f);
        }
        if (k == 0) {
            while (read(c, buf, sizeof buf) > 0)
                ;
        } else {
            static const char ok[] =
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
            if (write(c, ok, sizeof ok - 1) < 0)
                _exit(1);
        }
        close(c);
    }
    _exit(0);
}

/* A receiver slower than the timeout gets the message twice (it cannot be helped: we
 * never heard its answer), both times with the same Idempotency-Key, so it can drop the
 * second. */
static void test_deliver_same_key_on_every_attempt(void **state)
{
    struct fixture *fx = *state;
    char ch[512], keys[300];
    int port, status;

    snprintf(keys, sizeof keys, "%s/keys.txt", fx->d.dir);
    pid_t pid = slow_receiver(keys, &port);
    snprintf(ch, sizeof ch,
             "[channel]\ntype = webhook\nurl = http://127.0.0.1:%d/hook/SECRET\ntimeout = 3\n",
             port);
    load_config(fx, ch);
    evaluate(fx, T0, 1);
    struct deliver_stats ds = deliver(fx, T0);
    assert_int_equal(ds.failed, 1);
    ds = deliver(fx, T0 + DELIVER_RETRY_FIRST);
    assert_int_equal(ds.sent, 1);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(status, 0);
    char *got = slurp(keys), want[200];
    snprintf(want, sizeof want, "Idempotency-Key: vkpulse.1.%d\nIdempotency-Key: vkpulse.1.%d\n",
             T0, T0);
    assert_string_equal(got, want);
    free(got);
    no_secret_logged(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_deliver_webhook_payloads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_webhook_down_then_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_backoff_ceiling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_email, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_email_needs_tls_elsewhere, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_stdout_and_orphans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_lease, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_outbox_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_changed_url_follows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_same_key_on_every_attempt, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
