/* config_token.c: the VK access tokens, from a file only its owner can read or from the
 * environment; messages say where a token was looked for, never what it is. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "infile.h"

#define TOKENS_MAX_BYTES 8192 /* several tokens of a few hundred characters each */

/*
 * Appends the tokens of text (separated by sep: ',' or '\n') to buf as "t1,t2", trimming
 * blanks around each and skipping empty ones and '#' comment lines. where names the
 * source for messages; never the token. 0 or VKP_ECONFIG with err.
 */
static int tokens_add(char *buf, size_t cap, const char *text, int sep, const char *where,
                      char *err, size_t errlen)
{
    size_t used = strlen(buf);
    int line = 0;
    for (const char *s = text; *s;) {
        size_t n = strcspn(s, sep == '\n' ? "\n" : ",");
        const char *a = s, *b = s + n;
        line++;
        s = *b ? b + 1 : b;
        while (a < b && strchr(" \t\r", *a))
            a++;
        while (b > a && strchr(" \t\r", b[-1]))
            b--;
        if (a == b || (sep == '\n' && *a == '#'))
            continue;
        if (memchr(a, ' ', (size_t)(b - a)) || memchr(a, '\t', (size_t)(b - a)) ||
            memchr(a, '&', (size_t)(b - a)) || memchr(a, ',', (size_t)(b - a))) {
            if (sep == '\n')
                snprintf(err, errlen,
                         "the token on line %d of '%s' contains spaces, ',' or '&': "
                         "copy it again",
                         line, where);
            else
                snprintf(err, errlen, "token %d in %s contains spaces or '&': copy it again", line,
                         where);
            return VKP_ECONFIG;
        }
        if (used + (size_t)(b - a) + 2 > cap) {
            snprintf(err, errlen, "%s holds more tokens than vkpulse uses (%d bytes at most)",
                     where, TOKENS_MAX_BYTES);
            return VKP_ECONFIG;
        }
        if (used)
            buf[used++] = ',';
        memcpy(buf + used, a, (size_t)(b - a));
        used += (size_t)(b - a);
        buf[used] = '\0';
    }
    return 0;
}

/* Reads a token file that only its owner can read: one token per line. */
static int token_from_file(const char *path, char *out, size_t cap, char *err, size_t errlen)
{
    struct stat sb;
    char buf[TOKENS_MAX_BYTES], *t = buf;
    size_t n = 0;
    FILE *f = NULL;
    int fd = infile_open(path, "token file", "[vk] token_file", NULL, err, errlen),
        rc = VKP_ECONFIG;

    buf[0] = '\0';
    if (fd < 0)
        return VKP_ECONFIG;
    if (fstat(fd, &sb) != 0) {
        snprintf(err, errlen, "cannot read token file '%s': %s", path, strerror(errno));
        goto out;
    }
    if ((sb.st_mode & 077) != 0) {
        mode_t g = sb.st_mode & 070, o = sb.st_mode & 007;
        snprintf(err, errlen,
                 "token file '%s' has mode %04o, which lets %s %s it: run 'chmod 600 %s'", path,
                 (unsigned)(sb.st_mode & 07777),
                 g && o ? "its group and others"
                 : g    ? "its group"
                        : "others",
                 sb.st_mode & 044 ? "read" : "change", path);
        goto out;
    }
    if (!(f = fdopen(fd, "r"))) {
        snprintf(err, errlen, "cannot read token file '%s': %s", path, strerror(errno));
        goto out;
    }
    fd = -1;
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    if (n == sizeof buf - 1 || memchr(buf, '\0', n)) {
        snprintf(err, errlen, "token file '%s' is not a list of tokens, one per line", path);
        goto out;
    }
    /* Editors on Windows start a UTF-8 file with a byte order mark; it is no part of
     * the token. */
    if (memcmp(t, "\xef\xbb\xbf", 3) == 0)
        t += 3;
    if ((rc = tokens_add(out, cap, t, '\n', path, err, errlen)) != 0)
        goto out;
    if (!out[0]) {
        snprintf(err, errlen, "token file '%s' is empty: put the token on its first line", path);
        rc = VKP_ECONFIG;
    }
out:
    explicit_bzero(buf, sizeof buf);
    if (f)
        fclose(f);
    if (fd >= 0)
        close(fd);
    return rc;
}

int config_token(const struct config *cfg, char **out, char *err, size_t errlen)
{
    char buf[TOKENS_MAX_BYTES] = "";
    int rc;
    *out = NULL;
    if (cfg->token_file && cfg->token_file[0]) {
        rc = token_from_file(cfg->token_file, buf, sizeof buf, err, errlen);
    } else {
        const char *v = getenv(cfg->token_env);
        rc = VKP_ECONFIG;
        if (!v || !v[0])
            snprintf(err, errlen,
                     "no VK access token: the environment variable %s ([vk] token_env) is %s; "
                     "set it, or name a file with token_file in [vk] of %s",
                     cfg->token_env, v ? "empty" : "not set", cfg->path);
        else if ((rc = tokens_add(buf, sizeof buf, v, ',', cfg->token_env, err, errlen)) == 0 &&
                 !buf[0]) {
            snprintf(err, errlen, "no VK access token: %s holds no token", cfg->token_env);
            rc = VKP_ECONFIG;
        }
    }
    if (rc == 0 && !(*out = strdup(buf)))
        rc = VKP_ENOMEM;
    explicit_bzero(buf, sizeof buf);
    return rc;
}
