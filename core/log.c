/* log.c: leveled stderr logging; one line per message so journald keeps it whole. */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

static enum log_level log_max = LOG_INFO;
static void (*log_before)(void);
/* Messages come from the service's loop and its delivery thread. */
static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;

void log_lock(void)
{
    pthread_mutex_lock(&log_mutex);
}

void log_unlock(void)
{
    pthread_mutex_unlock(&log_mutex);
}

void log_set_before(void (*fn)(void))
{
    log_before = fn;
}

void log_set_level(enum log_level level)
{
    log_max = level;
}

int log_stderr_is_journal(void)
{
    const char *env = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat sb;
    char tail;

    /* systemd sets JOURNAL_STREAM to the device and inode of the stream it
     * connected to stderr; a child whose stderr was redirected elsewhere
     * inherits the variable, so both must match (sd-daemon(3)). */
    if (!env || sscanf(env, "%llu:%llu%c", &dev, &ino, &tail) != 2)
        return 0;
    if (fstat(STDERR_FILENO, &sb) != 0)
        return 0;
    return (unsigned long long)sb.st_dev == dev && (unsigned long long)sb.st_ino == ino;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *const prefix[] = {"error: ", "warning: ", "", "debug: "};
    /* sd-daemon(3) priorities: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG. */
    static const char *const priority[] = {"<3>", "<4>", "<6>", "<7>"};
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
    log_lock();
    if (log_before)
        log_before();
    /* Asked each time (one fstat): stderr may be redirected while running. One
     * fprintf call so concurrent writers do not interleave within a line. */
    fprintf(stderr, "%svkpulse: %s%s\n", log_stderr_is_journal() ? priority[level] : "",
            prefix[level], line);
    log_unlock();
}
