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
    for (int i = 0; i < 200; i++) {
        FILE *f = fopen(pf, "r");
        if (f) {
            int ok = fscanf(f, "%d", &r->port) == 1;
            fclose(f);
            if (ok)
                return;
        }
        usleep(10000);
    }
    fail_msg("%s did not start", prog);
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
    snprintf(path, sizeof path, "%s/stdout.txt", fx->d.dir);
    FILE *sink = fopen(path, "w+");
    struct deliver_options opt = {.stdout_sink = sink};
    struct deliver_stats ds;
    assert_int_equal(deliver_pending(fx->d.st, fx->d.cfg, T0, &opt, &ds), 0);
    fclose(sink);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
