/* err.h: the one list of vkpulse error codes and their messages. */
#ifndef VKP_ERR_H
#define VKP_ERR_H

/*
 * Every module returns 0 on success or one of these negative codes. The
 * X-macro makes both the enum and the message table, so they cannot drift
 * (the libuv way). Details that help a user (file:line, the SQL error, the
 * VK error text) travel separately in the module's errmsg buffer.
 */
#define VKP_ERRNO_MAP(XX)                                                                          \
    XX(NOMEM, "out of memory")                                                                     \
    XX(IO, "input/output error")                                                                   \
    XX(USAGE, "invalid usage")                                                                     \
    XX(CONFIG, "invalid configuration")                                                            \
    XX(PARSE, "malformed input")                                                                   \
    XX(TOOBIG, "input over its size limit")                                                        \
    XX(NOTFOUND, "not found")                                                                      \
    XX(DB, "database error")                                                                       \
    XX(NOTDB, "file is not a vkpulse database")                                                    \
    XX(DBVERSION, "database is newer than this vkpulse")                                           \
    XX(BUSY, "another vkpulse is using the database")                                              \
    XX(NET, "network error")                                                                       \
    XX(VK, "VK API error")                                                                         \
    XX(AUTH, "VK rejected the access token")                                                       \
    XX(CAPTCHA, "VK asks for a captcha")                                                           \
    XX(INTERRUPTED, "interrupted")                                                                 \
    XX(REFUSED, "a value VK cannot mean, refused")                                                 \
    XX(CLOCK, "the clock disagrees with VK's or with the stored runs")                             \
    XX(NOTIMPL, "not implemented yet")

enum vkp_err {
    VKP_OK = 0,
#define XX(name, msg) VKP_E##name,
    VKP_ERR_FIRST_ = -1000,
    VKP_ERRNO_MAP(XX)
#undef XX
        VKP_ERR_LAST_
};

/* vkp_strerror: a static, lowercase description of code `err` (0 or negative). */
const char *vkp_strerror(int err);

#endif
