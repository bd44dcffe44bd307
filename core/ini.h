/* ini.h: a reader for the INI-style files vkpulse uses (the config, municipality maps). */
#ifndef VKP_INI_H
#define VKP_INI_H

#include <stddef.h>

/*
 * Syntax, one construct per line:
 *   # comment            ; comment          (blank lines are ignored)
 *   [section]            [section name]     (the text between brackets, trimmed)
 *   key = value          key = "value"      (a quoted value keeps spaces, # and ;
 *                                            and understands \" and \\)
 * An unquoted value ends at " #" or " ;" (an inline comment). A UTF-8 BOM is
 * skipped. Lines may be of any length; the file must be valid UTF-8 and at
 * most INI_MAX_FILE bytes.
 *
 * We do not use Debian's libinih: it is built with a 200-byte line limit
 * (our Cyrillic survey wordings are longer) and does not tell the handler
 * which line it is on, and every config error must name file:line.
 */
#define INI_MAX_FILE (4u << 20)

/* One event of the parse. For a section header key and value are NULL. */
struct ini_item {
    const char *file;    /* the name given to the parser, for messages */
    int line;            /* 1-based line number */
    const char *section; /* the current section, "" before the first header */
    const char *key;     /* the key, or NULL on a section header */
    const char *value;   /* the unquoted value, or NULL on a section header */
};

/*
 * The handler returns 0 to go on or a negative vkp error to stop; on error
 * it writes a message (without location) into msg, which the parser prefixes
 * with "file:line: ".
 */
typedef int (*ini_handler)(void *ud, const struct ini_item *item, char *msg, size_t msglen);

/*
 * ini_parse_file: parse the file at path, calling h for every header and
 * key. what names the file's role in messages ("config file"). Returns 0, or
 * a negative vkp error with "file:line: what" in errbuf (VKP_EIO when the
 * file cannot be read or is not a regular file (a FIFO is refused at once,
 * never waited on), VKP_EPARSE on a syntax error, or whatever the handler
 * returned).
 */
int ini_parse_file(const char *path, const char *what, ini_handler h, void *ud, char *errbuf,
                   size_t errlen);

/* ini_parse_string: the same for text already in memory; name is used in messages. */
int ini_parse_string(const char *name, const char *text, ini_handler h, void *ud, char *errbuf,
                     size_t errlen);

#endif
