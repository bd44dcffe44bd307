/* ini.c: line-oriented INI reader with file:line errors and no line-length limit. */
#include "ini.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "infile.h"
#include "text.h"

/* Parser state for one file: the current section lives in its own buffer. */
struct ini_parser {
    const char *name; /* file name for messages */
    ini_handler h;    /* user callback */
    void *ud;         /* its data */
    char *section;    /* current section, heap, "" initially */
    char *errbuf;     /* where the message goes */
    size_t errlen;    /* its size */
};

static int ini_fail(struct ini_parser *p, int line, int rc, const char *what)
{
    snprintf(p->errbuf, p->errlen, "%s:%d: %s", p->name, line, what);
    return rc;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* Unquotes a "..." value in place. Returns NULL on a bad quote. */
static char *unquote(char *v)
{
    char *out = v, *in = v + 1;
    for (; *in && *in != '"'; in++) {
        if (*in == '\\' && (in[1] == '"' || in[1] == '\\'))
            in++;
        *out++ = *in;
    }
    if (*in != '"')
        return NULL;
    char *rest = trim(in + 1);
    if (*rest && *rest != '#' && *rest != ';')
        return NULL;
    *out = '\0';
    return v;
}

/* Cuts an unquoted value at an inline comment: whitespace followed by # or ;. */
static void cut_comment(char *v)
{
    for (char *s = v; *s; s++) {
        if ((*s == '#' || *s == ';') && s > v && (s[-1] == ' ' || s[-1] == '\t')) {
            *s = '\0';
            break;
        }
    }
}

static int ini_line(struct ini_parser *p, int lineno, char *line)
{
    char msg[512] = "";
    struct ini_item it = {p->name, lineno, p->section, NULL, NULL};
    char *s = trim(line);
    int rc;

    if (*s == '\0' || *s == '#' || *s == ';')
        return 0;
    if (*s == '[') {
        char *end = strrchr(s, ']');
        if (!end || trim(end + 1)[0] != '\0')
            return ini_fail(p, lineno, VKP_EPARSE, "section header without a closing ']'");
        *end = '\0';
        char *name = trim(s + 1);
        if (*name == '\0')
            return ini_fail(p, lineno, VKP_EPARSE, "empty section name");
        char *copy = strdup(name);
        if (!copy)
            return ini_fail(p, lineno, VKP_ENOMEM, "out of memory");
        free(p->section);
        p->section = copy;
        it.section = copy;
    } else {
        char *eq = strchr(s, '=');
        if (!eq)
            return ini_fail(p, lineno, VKP_EPARSE,
                            "expected 'key = value', '[section]' or a comment");
        *eq = '\0';
        char *key = trim(s);
        char *val = trim(eq + 1);
        if (*key == '\0')
            return ini_fail(p, lineno, VKP_EPARSE, "missing key before '='");
        if (*val == '"') {
            val = unquote(val);
            if (!val)
                return ini_fail(p, lineno, VKP_EPARSE, "unterminated or malformed quoted value");
        } else if (*val == '#' || *val == ';') {
            val = val + strlen(val); /* "key =   # comment": an empty value */
        } else {
            cut_comment(val);
            val = trim(val);
        }
        it.key = key;
        it.value = val;
    }
    rc = p->h(p->ud, &it, msg, sizeof msg);
    if (rc != 0)
        return ini_fail(p, lineno, rc, msg[0] ? msg : vkp_strerror(rc));
    return 0;
}

int ini_parse_string(const char *name, const char *text, ini_handler h, void *ud, char *errbuf,
                     size_t errlen)
{
    struct ini_parser p = {name, h, ud, NULL, errbuf, errlen};
    size_t n = strlen(text);
    char *copy = NULL;
    int rc = 0, lineno = 0;

    if (n > INI_MAX_FILE) {
        snprintf(errbuf, errlen, "%s: file is larger than %u bytes", name, INI_MAX_FILE);
        return VKP_ETOOBIG;
    }
    size_t bad = text_utf8_check(text, n);
    if (bad < n) {
        int line, col;
        text_position(text, bad, &line, &col);
        snprintf(errbuf, errlen,
                 "%s:%d: column %d: byte 0x%02x is not valid UTF-8 (save the file as UTF-8)", name,
                 line, col, (unsigned char)text[bad]);
        return VKP_EPARSE;
    }
    p.section = strdup("");
    copy = strdup(text);
    if (!p.section || !copy) {
        rc = VKP_ENOMEM;
        snprintf(errbuf, errlen, "%s: out of memory", name);
        goto out;
    }
    char *s = copy;
    if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
        s += 3;
    while (s && rc == 0) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        rc = ini_line(&p, lineno, s);
        s = nl ? nl + 1 : NULL;
    }
out:
    free(copy);
    free(p.section);
    return rc;
}

int ini_parse_file(const char *path, const char *what, ini_handler h, void *ud, char *errbuf,
                   size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    int rc = infile_read(path, what, INI_MAX_FILE, &text, &len, errbuf, errlen);

    if (rc != 0)
        return rc;
    if (memchr(text, '\0', len)) {
        rc = VKP_EPARSE;
        snprintf(errbuf, errlen, "%s: contains a NUL byte; is it a text file?", path);
    } else {
        rc = ini_parse_string(path, text, h, ud, errbuf, errlen);
    }
    free(text);
    return rc;
}
