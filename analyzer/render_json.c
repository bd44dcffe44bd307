/* render_json.c: placeholder. */
#include "err.h"
#include "render.h"

int render_json(const struct report *r, const struct render_options *o, FILE *out)
{
    (void)r;
    (void)o;
    (void)out;
    return VKP_ENOTIMPL;
}
