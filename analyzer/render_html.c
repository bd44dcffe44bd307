/* render_html.c: placeholder. */
#include "err.h"
#include "render.h"

int render_html(const struct report *r, const struct render_options *o, FILE *out)
{
    (void)r;
    (void)o;
    (void)out;
    return VKP_ENOTIMPL;
}
