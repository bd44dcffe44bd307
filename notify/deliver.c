/* deliver.c: the outbox: queues every announcement once per channel and sends it through the
 * channel table (channels.c) until a receiver accepted it. */
#include "deliver.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "err.h"
#include "log.h"
#include "notify_int.h"
#include "store.h"
#include "store_outbox.h"
#include "text.h"

/* ---- channel identity --------------------------------------------------------------- */

uint64_t notify_hash(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

void deliver_channel_sig(const struct config_channel *ch, char *buf, size_t len)
{
    uint64_t (*identity)(const struct config_channel *) = notify_channels[ch->type].identity;
    snprintf(buf, len, "%s:%016" PRIx64, config_channel_type_name(ch->type),
             identity ? identity(ch) : (uint64_t)0);
}

int deliver_queue(struct store *st, const struct config *cfg, const char *event, int64_t alert_id,
                  deliver_payload_fn fn, void *ud, int64_t now, int64_t *queued)
{
    for (size_t i = 0; i < cfg->nchannels; i++) {
        char sig[64];
        char *payload = fn(ud, config_channel_lang(cfg, &cfg->channels[i]));
        int rc;
        if (!payload)
            return VKP_ENOMEM;
        deliver_channel_sig(&cfg->channels[i], sig, sizeof sig);
        rc = store_outbox_add(st, (int)i + 1, sig, alert_id, event, payload, now);
        free(payload);
        if (rc != 0)
            return rc;
        (*queued)++;
    }
    return 0;
}

/* ---- the message a person reads --------------------------------------------------------- */

/* Title and text of a payload (both "" when it is not ours); *doc is the caller's to free. */
static int message_parse(struct notify_message *m, cJSON **doc, const char *payload)
{
    m->payload = payload;
    *doc = cJSON_Parse(payload);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(*doc, "title");
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(*doc, "text");
    /* The last net before a terminal, a journal or a mail: names were cleaned when
     * they arrived from VK, but a payload queued by an older version may not be. */
    if (cJSON_IsString(t))
        text_sanitize(t->valuestring, 0);
    if (cJSON_IsString(x))
        text_sanitize(x->valuestring, 1);
    m->title = cJSON_IsString(t) ? t->valuestring : "";
    m->text = cJSON_IsString(x) ? x->valuestring : "";
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(*doc, "report_html");
    m->html = cJSON_IsString(h) ? h->valuestring : "";
    return *doc ? 0 : VKP_EPARSE;
}

/* ---- the outbox loop ---------------------------------------------------------------------------
 */

static int send_one(const struct config_channel *ch, const struct store_outbox_row *row,
                    const struct deliver_options *opt, char *err, size_t errlen)
{
    struct notify_message m = {.id = row->id, .created = row->created_at};
    cJSON *doc = NULL;
    int rc;

    m.sink = opt ? opt->stdout_sink : NULL;
    m.stop = opt ? opt->stop : NULL;
    if (message_parse(&m, &doc, row->payload) != 0) {
        snprintf(err, errlen, "the queued payload is not JSON");
        rc = VKP_EPARSE;
    } else {
        rc = notify_channels[ch->type].send(ch, &m, err, errlen);
    }
    cJSON_Delete(doc);
    return rc;
}

/* The channel a row was queued for: the same index if it still matches,
 * else any channel with the same signature; NULL when none is left. */
static const struct config_channel *channel_of(const struct config *cfg,
                                               const struct store_outbox_row *row, int *index)
{
    char sig[64];
    if (row->channel >= 1 && (size_t)row->channel <= cfg->nchannels) {
        deliver_channel_sig(&cfg->channels[row->channel - 1], sig, sizeof sig);
        if (strcmp(sig, row->sig) == 0)
            return *index = row->channel, &cfg->channels[row->channel - 1];
    }
    for (size_t i = 0; i < cfg->nchannels; i++) {
        deliver_channel_sig(&cfg->channels[i], sig, sizeof sig);
        if (strcmp(sig, row->sig) == 0)
            return *index = (int)i + 1, &cfg->channels[i];
    }
    return NULL;
}

static int64_t backoff(const struct config *cfg, int attempts)
{
    int64_t wait = DELIVER_RETRY_FIRST, max = (int64_t)cfg->alert_retry_max * 60;
    for (int i = 1; i < attempts && wait < max; i++)
        wait *= 2;
    return wait < max ? wait : max;
}

int deliver_pending(struct store *st, const struct config *cfg, int64_t now,
                    const struct deliver_options *opt, struct deliver_stats *out)
{
    struct store_outbox_row row;
    char err[256];
    int found, rc = 0;

    /* curl_global_init ran once, in main. */
    memset(out, 0, sizeof *out);
    for (;;) {
        int index = 0;
        /* The lease outlasts one attempt, so a second process skips the row. */
        int64_t lease = now + 300;
        if (opt && opt->stop && atomic_load(opt->stop))
            break;
        if ((rc = store_outbox_claim(st, now, lease, &row, &found)) != 0 || !found)
            break;
        const struct config_channel *ch = channel_of(cfg, &row, &index);
        int attempt = row.attempts + 1;
        if (!ch) {
            snprintf(err, sizeof err, "its channel (%s) is no longer in the config", row.sig);
            log_warn("message %" PRId64 " is kept in the outbox: %s", row.id, err);
            rc = store_outbox_retry(st, row.id, now + backoff(cfg, attempt), err);
            out->orphaned++;
        } else if (send_one(ch, &row, opt, err, sizeof err) == 0) {
            rc = store_outbox_done(st, row.id, now);
            out->sent++;
            log_debug("channel %d (%s): delivered message %" PRId64 " (%s)", index,
                      config_channel_type_name(ch->type), row.id, row.event);
        } else {
            int64_t wait = backoff(cfg, attempt);
            log_warn("channel %d (%s): delivery of message %" PRId64 " failed: %s; attempt %d, "
                     "kept in the outbox and tried again in %" PRId64 " min",
                     index, config_channel_type_name(ch->type), row.id, err, attempt,
                     (wait + 59) / 60);
            rc = store_outbox_retry(st, row.id, now + wait, err);
            out->failed++;
        }
        free(row.payload);
        if (rc != 0)
            break;
    }
    return rc;
}

/* ---- a test message ---------------------------------------------------------------------- */

static char *test_payload(const char *lang)
{
    int en = strcmp(lang, "en") == 0;
    char *out = NULL;
    cJSON *o = cJSON_CreateObject();

    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "source", "vkpulse");
    cJSON_AddNumberToObject(o, "version", 1);
    cJSON_AddStringToObject(o, "event", "test");
    cJSON_AddStringToObject(o, "lang", en ? "en" : "ru");
    cJSON_AddStringToObject(o, "title", en ? "vkpulse: test message" : "vkpulse: проверка связи");
    cJSON_AddStringToObject(o, "text",
                            en ? "This channel works: alerts and the weekly digest will come here."
                               : "Канал работает: сюда будут приходить тревоги и еженедельная "
                                 "сводка.");
    out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

int deliver_test(const struct config *cfg, int64_t now, const struct deliver_options *opt,
                 deliver_test_fn report, void *ud)
{
    int failed = 0;

    for (size_t i = 0; i < cfg->nchannels; i++) {
        const struct config_channel *ch = &cfg->channels[i];
        struct store_outbox_row row = {.id = 0, .channel = (int)i + 1, .created_at = now};
        char err[256] = "";
        int rc;

        snprintf(row.event, sizeof row.event, "test");
        row.payload = test_payload(config_channel_lang(cfg, ch));
        if (!row.payload) {
            snprintf(err, sizeof err, "out of memory");
            rc = VKP_ENOMEM;
        } else {
            rc = send_one(ch, &row, opt, err, sizeof err);
        }
        free(row.payload);
        failed += rc != 0;
        report(ud, (int)i + 1, ch, rc ? err : NULL);
    }
    return failed;
}
