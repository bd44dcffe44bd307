/* err.c: message table generated from the error X-macro. */
#include "err.h"

const char *vkp_strerror(int err)
{
    switch (err) {
    case VKP_OK:
        return "ok";
#define XX(name, msg)                                                                              \
    case VKP_E##name:                                                                              \
        return msg;
        VKP_ERRNO_MAP(XX)
#undef XX
    default:
        return "unknown error";
    }
}
