/* config_url.c: the URLs of the config: where plain HTTP (or SMTP without TLS) may go. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config_int.h"

static int is_loopback_host(const char *h, size_t n)
{
    if (n == 9 && strncasecmp(h, "localhost", 9) == 0)
        return 1;
    if (n == 5 && memcmp(h, "[::1]", 5) == 0)
        return 1;
    return n >= 4 && memcmp(h, "127.", 4) == 0 && strspn(h, "0123456789.") == n;
}

/* The host part of a URL after its scheme: start and length (0: none). */
static const char *url_host(const char *v, size_t *n)
{
    const char *host = strstr(v, "://");
    host = host ? host + 3 : v;
    /* User info ends at the last '@' of the authority, which ends at the
     * first '/', '?' or '#': "http://evil#@127.0.0.1/" is evil's, as curl reads it. */
    const char *at = memrchr(host, '@', strcspn(host, "/?#"));
    if (at)
        host = at + 1;
    *n = host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":/");
    return host;
}

int config_is_loopback_url(const char *url)
{
    size_t n;
    const char *host = url_host(url, &n);
    return is_loopback_host(host, n);
}

/*
 * The only place plain HTTP (or SMTP without TLS) is allowed is the machine
 * itself: a token, a webhook key or a password must never cross a network
 * unencrypted. `secret` values are not echoed: a webhook URL often is the key.
 */
int config_check_url(const struct key_def *k, const char *v, int secret, char *msg, size_t len)
{
    const char *shown = secret ? "(hidden)" : v;
    const char *tls = k->type == KT_SMTP ? "smtps://" : "https://";
    const char *plain = k->type == KT_SMTP ? "smtp://" : "http://";
    size_t n;

    if (strncmp(v, tls, strlen(tls)) != 0 && strncmp(v, plain, strlen(plain)) != 0) {
        snprintf(msg, len, "%s '%s' must start with %s or %s", k->key, shown, tls, plain);
        return -1;
    }
    /* Spaces, control characters and backslashes are parsed differently by
     * different URL readers; a VK or webhook URL never needs them. */
    if (strpbrk(v, " \t\r\n\\")) {
        snprintf(msg, len, "%s '%s' must not contain spaces or backslashes", k->key, shown);
        return -1;
    }
    url_host(v, &n);
    if (n == 0) {
        snprintf(msg, len, "%s '%s' has no host", k->key, shown);
        return -1;
    }
    /* smtp:// elsewhere than loopback is accepted: delivery then requires
     * STARTTLS (CURLUSESSL_ALL) and fails rather than send in clear. */
    if (k->type != KT_SMTP && strncmp(v, plain, strlen(plain)) == 0 && !config_is_loopback_url(v)) {
        snprintf(msg, len,
                 "%s '%s' must use https (plain http is allowed only for 127.0.0.1 "
                 "or localhost)",
                 k->key, shown);
        return -1;
    }
    return 0;
}
