/* fv_err.h: the fake server's internal error codes, one X-macro list for codes and messages. */
#ifndef FV_ERR_H
#define FV_ERR_H

/* Every internal function returns 0 on success or one of these negative codes. */
#define FV_ERRNO_MAP(X)                                                                            \
    X(NOMEM, -1, "out of memory")                                                                  \
    X(INVAL, -2, "invalid argument")                                                               \
    X(IO, -3, "input/output error")                                                                \
    X(LIMIT, -4, "size limit exceeded")                                                            \
    X(PARSE, -5, "syntax error")                                                                   \
    X(NOTFOUND, -6, "not found")                                                                   \
    X(UV, -7, "event loop error")

enum fv_err {
    FV_OK = 0,
#define FV_ERR_ENUM(name, code, msg) FV_E##name = (code),
    FV_ERRNO_MAP(FV_ERR_ENUM)
#undef FV_ERR_ENUM
};

/* Returns a static, lowercase description of an fv_err code (never NULL). */
const char *fv_strerror(int err);

#endif
