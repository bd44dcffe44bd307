/* log.h: leveled messages to stderr, in a form journald keeps readable. */
#ifndef VKP_LOG_H
#define VKP_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* log_set_before: fn runs before each message is printed (e.g. to erase a
 * progress display the message would otherwise be drawn over); NULL: none. */
void log_set_before(void (*fn)(void));

/* log_lock / log_unlock: hold the log's lock, which every message takes, so that another
 * writer of stderr (the progress display) and the messages of the service's delivery
 * thread never run into each other. */
void log_lock(void);
void log_unlock(void);

/* log_set_level: messages above this level are dropped (default LOG_INFO). */
void log_set_level(enum log_level level);

/* log_stderr_is_journal: stderr is the journal's stream ($JOURNAL_STREAM names
 * its device and inode); messages then start with their syslog priority,
 * "<3>" for errors to "<7>" for debug, which journald keeps as the priority. */
int log_stderr_is_journal(void);

/*
 * log_msg: "vkpulse: warning: ..." style line on stderr. Never pass a
 * secret (token, webhook URL, password) in the format arguments.
 */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
