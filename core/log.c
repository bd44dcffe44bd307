/* log.c: leveled stderr logging; one line per message so journald keeps it whole. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

#include "text.h"

static enum log_level log_max = LOG_INFO;
static void (*log_before)(void);

void log_set_before(void (*fn)(void))
{
    log_before = fn;
}

void log_set_level(enum log_level level)
{
    log_max = level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *const prefix[] = {"error: ", "warning: ", "", "debug: "};
    char line[2048];
    va_list ap;

    if (level > log_max)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* Messages carry text from VK and from files: none of it may move the cursor,
     * retitle the terminal or start a line of its own. */
    text_sanitize(line, 0);
    if (log_before)
        log_before();
    /* One fprintf call so concurrent writers do not interleave within a line. */
    fprintf(stderr, "vkpulse: %s%s\n", prefix[level], line);
}
