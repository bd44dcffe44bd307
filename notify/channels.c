/* channels.c: the delivery channels, one row each (notify_channels[]): a webhook POST and
 * an SMTP mail through libcurl, and a line on standard output. */
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdatomic.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "err.h"
#include "log.h"
#include "notify_int.h"

/* Answers of receivers are read but not kept beyond this. */
#define MAX_ANSWER 65536

/* ---- libcurl plumbing -------------------------------------------------------------------- */

/* A buffer curl reads an upload from. */
struct upload {
    const char *data;
    size_t len, off;
};

static size_t read_upload(char *buf, size_t size, size_t nmemb, void *ud)
{
    struct upload *u = ud;
    size_t n = size * nmemb;
    if (n > u->len - u->off)
        n = u->len - u->off;
    memcpy(buf, u->data + u->off, n);
    u->off += n;
    return n;
}

/* Receivers' answers are not needed: count them and drop them. */
static size_t drop_answer(char *buf, size_t size, size_t nmemb, void *ud)
{
    size_t *seen = ud;
    (void)buf;
    *seen += size * nmemb;
    return *seen > MAX_ANSWER ? 0 : size * nmemb;
}

/* A curl handle with what every channel shares. */
/* A transfer under way is abandoned once the service asks the deliveries to stop. */
static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    const atomic_int *stop = ud;
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return stop && atomic_load(stop) ? 1 : 0;
}

static CURL *easy_new(const struct config_channel *ch, const struct notify_message *m, size_t *seen)
{
    CURL *e = curl_easy_init();
    if (!e)
        return NULL;
    if (m->stop) {
        curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(e, CURLOPT_XFERINFODATA, (void *)m->stop);
        curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    }
    curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)ch->timeout);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, ch->timeout < 10 ? (long)ch->timeout : 10L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, drop_answer);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, seen);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "vkpulse/" VKPULSE_VERSION);
    return e;
}

/*
 * Runs the transfer and judges it: a webhook's by its HTTP status (an answer
 * too long to keep is no failure once the status is 2xx), a mail's by curl
 * with the SMTP code. Frees e and list whatever happens. The message is
 * curl's generic text only: its error buffer could quote a secret URL.
 */
static int transfer(CURL *e, struct curl_slist *list, int http, char *err, size_t errlen)
{
    long status = 0;
    int rc = 0;

    CURLcode cc = curl_easy_perform(e);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    if (cc != CURLE_OK && !(http && cc == CURLE_WRITE_ERROR && status >= 200 && status < 300)) {
        if (!http && status)
            snprintf(err, errlen, "%s (SMTP %ld)", curl_easy_strerror(cc), status);
        else
            snprintf(err, errlen, "%s", curl_easy_strerror(cc));
        rc = VKP_ENET;
    } else if (http && (status < 200 || status > 299)) {
        snprintf(err, errlen, "the receiver answered HTTP %ld", status);
        rc = VKP_ENET;
    }
    curl_slist_free_all(list);
    curl_easy_cleanup(e);
    return rc;
}

static int out_of_memory(CURL *e, struct curl_slist *list, char *err, size_t errlen)
{
    snprintf(err, errlen, "out of memory");
    curl_slist_free_all(list);
    curl_easy_cleanup(e);
    return VKP_ENOMEM;
}

/* ---- webhook ------------------------------------------------------------------------------- */

/* The body for the channel's format: our JSON as queued, or a chat service's. */
static char *webhook_body(const struct config_channel *ch, const char *payload,
                          const struct notify_message *m)
{
    char *text = NULL, *out = NULL;
    cJSON *o;

    if (strcmp(ch->format, "json") == 0)
        return strdup(payload);
    if (asprintf(&text, "%s\n%s", m->title, m->text) < 0)
        return NULL;
    if ((o = cJSON_CreateObject()) != NULL) {
        if (strcmp(ch->format, "telegram") == 0) {
            char *end = NULL;
            long long id = strtoll(ch->chat_id, &end, 10);
            /* Numeric ids go as numbers, @channel names as strings. */
            if (end && *end == '\0' && end != ch->chat_id)
                cJSON_AddNumberToObject(o, "chat_id", (double)id);
            else
                cJSON_AddStringToObject(o, "chat_id", ch->chat_id);
        }
        cJSON_AddStringToObject(o, "text", text);
        out = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
    }
    free(text);
    return out;
}

static int send_webhook(const struct config_channel *ch, const struct notify_message *m, char *err,
                        size_t errlen)
{
    const char *payload = m->payload;
    struct curl_slist *hdr = NULL;
    size_t seen = 0;
    char *body = webhook_body(ch, payload, m);
    CURL *e = body ? easy_new(ch, m, &seen) : NULL;
    int rc;

    if (!e || !(hdr = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8"))) {
        free(body);
        return out_of_memory(e, hdr, err, errlen);
    }
    curl_easy_setopt(e, CURLOPT_URL, ch->url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    rc = transfer(e, hdr, 1, err, errlen);
    free(body);
    return rc;
}

/* ---- email ----------------------------------------------------------------------------------- */

static void base64(const unsigned char *in, size_t n, char *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = '\0';
}

/* The subject as RFC 2047 encoded words of at most 45 bytes each, never
 * splitting a UTF-8 sequence, folded onto continuation lines. */
static void encode_subject(const char *s, char *out, size_t len)
{
    size_t n = strlen(s), off = 0, o = 0;
    while (off < n && o + 80 < len) {
        size_t take = n - off > 45 ? 45 : n - off;
        while (take > 0 && off + take < n && ((unsigned char)s[off + take] & 0xc0) == 0x80)
            take--;
        char b64[64];
        base64((const unsigned char *)s + off, take, b64);
        o += (size_t)snprintf(out + o, len - o, "%s=?UTF-8?B?%s?=", off ? "\r\n " : "", b64);
        off += take;
    }
    if (o == 0)
        snprintf(out, len, "vkpulse");
}

/* An RFC 5322 date, in English whatever the locale. */
static void mail_date(char *buf, size_t len)
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d +0000", wd[tm.tm_wday], tm.tm_mday,
             mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The largest report a mail carries; a bigger one is linked or named instead. */
#define MAX_ATTACHMENT (8 << 20)

/*
 * The HTML report as base64 lines of 76 characters with CRLF (RFC 2045), or
 * NULL with the reason in why when it cannot be attached (gone since the
 * digest was queued, too big, unreadable).
 */
static char *attachment(const char *path, char *why, size_t whylen)
{
    FILE *f = fopen(path, "rb");
    unsigned char *raw = NULL;
    char *out = NULL;
    long n = -1;

    if (f && fseek(f, 0, SEEK_END) == 0)
        n = ftell(f);
    if (!f || n < 0 || fseek(f, 0, SEEK_SET) != 0) {
        snprintf(why, whylen, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    if (n > MAX_ATTACHMENT) {
        snprintf(why, whylen, "%s is larger than %d MB", path, MAX_ATTACHMENT >> 20);
        goto out;
    }
    raw = malloc((size_t)n + 1);
    /* 4 characters per 3 bytes, and CRLF after every 76 characters (57 bytes). */
    out = malloc(((size_t)n + 2) / 3 * 4 + ((size_t)n / 57 + 1) * 2 + 1);
    if (!raw || !out || fread(raw, 1, (size_t)n, f) != (size_t)n) {
        snprintf(why, whylen, "cannot read %s", path);
        free(out);
        out = NULL;
        goto out;
    }
    size_t o = 0;
    for (size_t i = 0; i < (size_t)n; i += 57) {
        base64(raw + i, (size_t)n - i < 57 ? (size_t)n - i : 57, out + o);
        o += strlen(out + o);
        memcpy(out + o, "\r\n", 3);
        o += 2;
    }
    out[o] = '\0';
out:
    if (f)
        fclose(f);
    free(raw);
    return out;
}

/* The whole mail: headers and a text body with CRLF line ends, and a digest's
 * HTML report attached (multipart/mixed) when it can be. The Message-ID is the
 * outbox row's, the same on every attempt, so a receiver can drop a copy
 * should a crash ever make us send it twice. */
static char *mail_text(const struct config_channel *ch, const struct notify_message *m)
{
    int64_t id = m->id, created = m->created;
    char subject[1024], date[64], why[512] = "", boundary[64];
    char *body = NULL, *out = NULL, *att = NULL;
    size_t blen = 0;
    const char *name = strrchr(m->html, '/');

    encode_subject(m->title, subject, sizeof subject);
    mail_date(date, sizeof date);
    if (m->html[0] && !(att = attachment(m->html, why, sizeof why)))
        log_warn("the digest mail goes without its report: %s", why);
    FILE *f = open_memstream(&body, &blen);
    if (!f) {
        free(att);
        return NULL;
    }
    for (const char *p = m->text; *p; p++) {
        if (*p == '\n')
            fputc('\r', f);
        fputc(*p, f);
    }
    if (why[0])
        fprintf(f, "\r\n(%s)", why);
    fclose(f);
    if (!body) {
        free(att);
        return NULL;
    }
    snprintf(boundary, sizeof boundary, "vkpulse-%" PRId64 "-%" PRId64, id, created);
    int n = att ? asprintf(&out,
                           "Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\n"
                           "Message-ID: <vkpulse.%" PRId64 ".%" PRId64 "@vkpulse.invalid>\r\n"
                           "MIME-Version: 1.0\r\n"
                           "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n"
                           "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                           "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n"
                           "--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
                           "Content-Disposition: attachment; filename=\"%s\"\r\n"
                           "Content-Transfer-Encoding: base64\r\n\r\n%s"
                           "--%s--\r\n",
                           date, ch->from, ch->to, subject, id, created, boundary, boundary, body,
                           boundary, name ? name + 1 : m->html, att, boundary)
                : asprintf(&out,
                           "Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\n"
                           "Message-ID: <vkpulse.%" PRId64 ".%" PRId64 "@vkpulse.invalid>\r\n"
                           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                           "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
                           date, ch->from, ch->to, subject, id, created, body);
    if (n < 0)
        out = NULL;
    free(body);
    free(att);
    return out;
}

static int send_email(const struct config_channel *ch, const struct notify_message *m, char *err,
                      size_t errlen)
{
    struct curl_slist *rcpt = NULL;
    size_t seen = 0;
    char addr[320];
    char *mail = mail_text(ch, m);
    CURL *e = mail ? easy_new(ch, m, &seen) : NULL;
    struct upload up = {mail, mail ? strlen(mail) : 0, 0};
    int rc = VKP_ENOMEM;

    if (!e)
        goto out;
    for (const char *p = ch->to; *p;) {
        size_t n = strcspn(p, ",");
        const char *a = p;
        size_t an = n;
        while (an && (*a == ' ' || *a == '\t'))
            a++, an--;
        while (an && (a[an - 1] == ' ' || a[an - 1] == '\t'))
            an--;
        if (an) {
            snprintf(addr, sizeof addr, "<%.*s>", (int)an, a);
            struct curl_slist *grown = curl_slist_append(rcpt, addr);
            if (!grown)
                goto out;
            rcpt = grown;
        }
        p += n + (p[n] == ',');
    }
    snprintf(addr, sizeof addr, "<%s>", ch->from);
    curl_easy_setopt(e, CURLOPT_URL, ch->smtp_url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    /* smtps:// is TLS from the start; smtp:// must upgrade with STARTTLS or
     * fail, except on loopback (a local relay or the test sink). */
    curl_easy_setopt(e, CURLOPT_USE_SSL,
                     config_is_loopback_url(ch->smtp_url) ? (long)CURLUSESSL_TRY
                                                          : (long)CURLUSESSL_ALL);
    if (ch->user[0]) {
        curl_easy_setopt(e, CURLOPT_USERNAME, ch->user);
        curl_easy_setopt(e, CURLOPT_PASSWORD, ch->password);
    }
    curl_easy_setopt(e, CURLOPT_MAIL_FROM, addr);
    curl_easy_setopt(e, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(e, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(e, CURLOPT_READDATA, &up);
    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
    rc = transfer(e, rcpt, 0, err, errlen);
out:
    if (rc == VKP_ENOMEM)
        out_of_memory(e, rcpt, err, errlen);
    if (mail) {
        explicit_bzero(mail, strlen(mail));
        free(mail);
    }
    return rc;
}

/* ---- standard output --------------------------------------------------------------------- */

static int send_stdout(const struct config_channel *ch, const struct notify_message *m, char *err,
                       size_t errlen)
{
    FILE *out = m->sink ? m->sink : stdout;
    (void)ch;
    /* One line per message: journald keeps it whole. */
    fprintf(out, "%s: %s\n", m->title, m->text);
    if (fflush(out) == 0 && !ferror(out))
        return 0;
    snprintf(err, errlen, "cannot write to standard output");
    return VKP_EIO;
}

/* ---- the table -------------------------------------------------------------------------- */

static uint64_t identity_webhook(const struct config_channel *ch)
{
    return notify_hash(NOTIFY_HASH_SEED, ch->url);
}

static uint64_t identity_email(const struct config_channel *ch)
{
    return notify_hash(notify_hash(notify_hash(NOTIFY_HASH_SEED, ch->smtp_url), "\n"), ch->to);
}

const struct notify_channel notify_channels[] = {
    [CHANNEL_WEBHOOK] = {.identity = identity_webhook, .send = send_webhook},
    [CHANNEL_EMAIL] = {.identity = identity_email, .send = send_email},
    [CHANNEL_STDOUT] = {.identity = NULL, .send = send_stdout},
};
